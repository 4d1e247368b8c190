//! The artefact cache: slow-to-build files (components, precompiled code,
//! snapshots, code caches, bytecode, bundles) kept by content hash in the
//! cache folder, `<cache>/<kind>/<key>.<ext>`.
//!
//! A cached file is never trusted blindly. Each one has a sidecar
//! `<key>.<ext>.sha256` holding the SHA-256 of its bytes, written after the
//! file itself; [`ArtefactCache::get`] returns a file only when the two
//! agree, and removes a file that does not (truncated, overwritten, left
//! half-written by a crash), so the caller builds it again. Files are
//! written to a temporary name in the same folder and renamed into place,
//! so a parallel worker sees either no file or a whole one.
//!
//! Keys are SHA-256 digests over labelled parts ([`key`]): put into them
//! everything the artefact depends on (the source, the engine and its
//! version, the flags), so that a change of any of them is a miss, never
//! a stale hit.

use crate::{AssetError, cache_root};
use sha2::{Digest, Sha256};
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Bumped when the layout or the meaning of a key changes.
const KEY_VERSION: &str = "jsbench artefact cache v1";

/// A SHA-256 over labelled parts, as lowercase hex. Each part is
/// length-prefixed so that no two part lists hash alike.
pub fn key(parts: &[(&str, &[u8])]) -> String {
    let mut hash = Sha256::new();
    hash.update(KEY_VERSION.as_bytes());
    for (label, bytes) in parts {
        for piece in [label.as_bytes(), bytes] {
            hash.update((piece.len() as u64).to_le_bytes());
            hash.update(piece);
        }
    }
    hex::encode(hash.finalize())
}

/// Feeds a [`Hash`] value (e.g. wasmtime's engine compatibility hash) into
/// SHA-256, which, unlike std's `DefaultHasher`, is stable across Rust
/// releases.
pub fn hash_of(value: &impl Hash) -> Vec<u8> {
    struct Sha(Sha256);
    impl Hasher for Sha {
        fn finish(&self) -> u64 {
            0
        }
        fn write(&mut self, bytes: &[u8]) {
            self.0.update(bytes);
        }
    }
    let mut hasher = Sha(Sha256::new());
    value.hash(&mut hasher);
    hasher.0.finalize().to_vec()
}

/// The SHA-256 of `bytes`, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// One kind of artefact (`components`, `v8-snapshots`, …): a folder of the
/// cache holding files named by key.
#[derive(Debug, Clone)]
pub struct ArtefactCache {
    dir: PathBuf,
}

/// A verified cached file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cached {
    /// Where it is.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
}

impl ArtefactCache {
    /// The folder for `kind` below the cache root ([`cache_root`]),
    /// created if needed.
    pub fn open(kind: &str) -> Result<Self, AssetError> {
        Self::open_in(&cache_root()?, kind)
    }

    /// The folder for `kind` below `root`, created if needed.
    pub fn open_in(root: &Path, kind: &str) -> Result<Self, AssetError> {
        let dir = root.join(kind);
        std::fs::create_dir_all(&dir).map_err(AssetError::io("creating", &dir))?;
        Ok(ArtefactCache { dir })
    }

    /// Where the artefact `key` with extension `ext` lives (whether or not
    /// it is there).
    pub fn path(&self, key: &str, ext: &str) -> PathBuf {
        self.dir.join(format!("{key}.{ext}"))
    }

    fn digest_path(path: &Path) -> PathBuf {
        let mut name = path.as_os_str().to_owned();
        name.push(".sha256");
        PathBuf::from(name)
    }

    /// The cached artefact, if it is there and its bytes match its
    /// recorded digest. A file without a digest, or with one that does not
    /// match, is removed and reported as missing, so it is built again.
    pub fn get(&self, key: &str, ext: &str) -> Result<Option<Cached>, AssetError> {
        Ok(self.read(key, ext)?.map(|(cached, _)| cached))
    }

    /// [`get`](Self::get), with the file's bytes.
    pub fn read(&self, key: &str, ext: &str) -> Result<Option<(Cached, Vec<u8>)>, AssetError> {
        let path = self.path(key, ext);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(AssetError::io("reading", &path)(e)),
        };
        let digest_path = Self::digest_path(&path);
        let recorded = std::fs::read_to_string(&digest_path).unwrap_or_default();
        if recorded.trim() != sha256_hex(&bytes) {
            // Corrupt or half-written: never trusted.
            self.remove(key, ext);
            return Ok(None);
        }
        let cached = Cached {
            path,
            bytes: bytes.len() as u64,
        };
        Ok(Some((cached, bytes)))
    }

    /// Removes the artefact `key` and its digest, so it is built again: for
    /// a file whose bytes are intact but which its engine refused (for
    /// example a V8 code cache V8 rejects). Removal can fail when another
    /// process replaced the file meanwhile; the rebuild overwrites it.
    pub fn remove(&self, key: &str, ext: &str) {
        let path = self.path(key, ext);
        let _ = std::fs::remove_file(Self::digest_path(&path));
        let _ = std::fs::remove_file(&path);
    }

    /// Stores `bytes` as the artefact `key`, atomically, with its digest.
    pub fn put(&self, key: &str, ext: &str, bytes: &[u8]) -> Result<Cached, AssetError> {
        let path = self.path(key, ext);
        write_atomic(&path, bytes)?;
        write_atomic(&Self::digest_path(&path), sha256_hex(bytes).as_bytes())?;
        Ok(Cached {
            path,
            bytes: bytes.len() as u64,
        })
    }

    /// Stores the file a tool writes: `make` gets a temporary path in the
    /// cache folder and must leave the artefact there; it is then moved
    /// into place with its digest. On an error nothing is stored and the
    /// temporary file is removed.
    pub fn put_with<E>(
        &self,
        key: &str,
        ext: &str,
        make: impl FnOnce(&Path) -> Result<(), E>,
    ) -> Result<Result<Cached, E>, AssetError> {
        let path = self.path(key, ext);
        let temp = tempfile::Builder::new()
            .prefix(".partial-")
            .tempfile_in(&self.dir)
            .map(tempfile::NamedTempFile::into_temp_path)
            .map_err(AssetError::io("creating a temporary file in", &self.dir))?;
        if let Err(e) = make(&temp) {
            return Ok(Err(e));
        }
        let bytes = std::fs::read(&temp).map_err(AssetError::io("reading", &temp))?;
        temp.persist(&path).map_err(|e| AssetError::Io {
            action: "renaming into",
            path: path.clone(),
            source: e.error,
        })?;
        write_atomic(&Self::digest_path(&path), sha256_hex(&bytes).as_bytes())?;
        Ok(Ok(Cached {
            path,
            bytes: bytes.len() as u64,
        }))
    }
}

/// Writes `bytes` to `path` atomically (a synced temporary file in the
/// same folder, renamed into place).
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), AssetError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::Builder::new()
        .prefix(".partial-")
        .tempfile_in(dir)
        .map_err(AssetError::io("creating a temporary file in", dir))?;
    file.write_all(bytes).map_err(AssetError::io("writing", file.path()))?;
    file.as_file()
        .sync_all()
        .map_err(AssetError::io("syncing", file.path()))?;
    file.into_temp_path().persist(path).map_err(|e| AssetError::Io {
        action: "renaming into",
        path: path.to_path_buf(),
        source: e.error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache() -> (tempfile::TempDir, ArtefactCache) {
        let root = tempfile::tempdir().unwrap();
        let cache = ArtefactCache::open_in(root.path(), "things").unwrap();
        (root, cache)
    }

    #[test]
    fn keys_separate_parts() {
        let a = key(&[("x", b"ab"), ("y", b"c")]);
        let b = key(&[("x", b"a"), ("y", b"bc")]);
        assert_ne!(a, b);
        assert_eq!(a, key(&[("x", b"ab"), ("y", b"c")]));
        assert_eq!(a.len(), 64);
        assert_ne!(hash_of(&1u64), hash_of(&2u64));
    }

    #[test]
    fn hit_after_put_and_miss_before() {
        let (_root, cache) = cache();
        assert_eq!(cache.get("k", "bin").unwrap(), None);
        let stored = cache.put("k", "bin", b"payload").unwrap();
        assert_eq!(stored.bytes, 7);
        let (found, bytes) = cache.read("k", "bin").unwrap().unwrap();
        assert_eq!(found, stored);
        assert_eq!(bytes, b"payload");
        // Another key or extension is another artefact.
        assert_eq!(cache.get("k", "txt").unwrap(), None);
        assert_eq!(cache.get("other", "bin").unwrap(), None);
    }

    #[test]
    fn corrupt_truncated_or_undigested_files_are_misses_and_removed() {
        let (_root, cache) = cache();
        let stored = cache.put("k", "bin", b"payload").unwrap();
        std::fs::write(&stored.path, b"pay").unwrap();
        assert_eq!(cache.get("k", "bin").unwrap(), None);
        assert!(!stored.path.exists(), "a corrupt artefact is removed");

        // A file with no digest (a crash between the two renames) is a miss.
        std::fs::write(cache.path("k", "bin"), b"payload").unwrap();
        assert_eq!(cache.get("k", "bin").unwrap(), None);

        // Replaced whole by other bytes of the same length.
        let stored = cache.put("k", "bin", b"payload").unwrap();
        std::fs::write(&stored.path, b"PAYLOAD").unwrap();
        assert_eq!(cache.get("k", "bin").unwrap(), None);
    }

    #[test]
    fn put_with_stores_what_the_tool_wrote_and_nothing_on_failure() {
        let (_root, cache) = cache();
        let failed = cache
            .put_with("k", "wasm", |path| {
                std::fs::write(path, b"half").unwrap();
                Err("tool failed")
            })
            .unwrap();
        assert_eq!(failed, Err("tool failed"));
        assert_eq!(cache.get("k", "wasm").unwrap(), None);
        let leftovers = std::fs::read_dir(&cache.dir).unwrap().count();
        assert_eq!(leftovers, 0, "the temporary file is removed");

        let stored = cache
            .put_with("k", "wasm", |path| std::fs::write(path, b"component"))
            .unwrap()
            .unwrap();
        assert_eq!(stored.bytes, 9);
        assert_eq!(cache.get("k", "wasm").unwrap(), Some(stored));
    }
}
