//! The artefact cache: components and wasmtime's precompiled code, keyed by
//! content hashes and kept in the user's cache folder.
//!
//! The folder is [`jsbench_assets::cache_root`]: `$JSBENCH_CACHE_DIR` when
//! set, else `<user cache dir>/jsbench` (`~/.cache/jsbench` on Linux), so
//! fresh clones and CI runs on the same machine reuse what was built. Files
//! are written to a temporary name in the same folder and renamed into
//! place, so a parallel worker sees either no file or a whole one.

use crate::error::WasmError;
use sha2::{Digest, Sha256};
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Bumped when the layout or the meaning of a key changes.
const KEY_VERSION: &str = "jsbench-wasm cache v1";

/// The cache root ([`jsbench_assets::cache_root`]).
pub(crate) fn root() -> Result<PathBuf, WasmError> {
    Ok(jsbench_assets::cache_root()?)
}

/// A SHA-256 over labelled parts, as lowercase hex. Each part is
/// length-prefixed so that no two part lists hash alike.
pub(crate) fn key(parts: &[(&str, &[u8])]) -> String {
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

/// Feeds a [`Hash`] value (wasmtime's engine compatibility hash) into
/// SHA-256, which, unlike std's `DefaultHasher`, is stable across Rust
/// releases.
pub(crate) fn hash_of(value: &impl Hash) -> Vec<u8> {
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

/// `<root>/<kind>/<key>.<ext>`, creating the folder.
pub(crate) fn entry(kind: &str, key: &str, ext: &str) -> Result<PathBuf, WasmError> {
    let dir = root()?.join(kind);
    std::fs::create_dir_all(&dir).map_err(WasmError::io("creating", &dir))?;
    Ok(dir.join(format!("{key}.{ext}")))
}

/// A temporary path beside `path`, for a tool that writes a file itself;
/// the file is removed when the returned guard drops, unless it was moved
/// into place by [`persist`].
pub(crate) fn temp_beside(path: &Path) -> Result<tempfile::TempPath, WasmError> {
    let dir = parent(path);
    tempfile::Builder::new()
        .prefix(".partial-")
        .tempfile_in(dir)
        .map(tempfile::NamedTempFile::into_temp_path)
        .map_err(WasmError::io("creating a temporary file in", dir))
}

/// Moves a finished temporary file into place atomically.
pub(crate) fn persist(temp: tempfile::TempPath, path: &Path) -> Result<(), WasmError> {
    temp.persist(path).map_err(|e| WasmError::Io {
        action: "renaming into",
        path: path.to_path_buf(),
        source: e.error,
    })
}

/// Writes `bytes` to `path` atomically.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WasmError> {
    let dir = parent(path);
    let mut file = tempfile::Builder::new()
        .prefix(".partial-")
        .tempfile_in(dir)
        .map_err(WasmError::io("creating a temporary file in", dir))?;
    file.write_all(bytes).map_err(WasmError::io("writing", file.path()))?;
    file.as_file()
        .sync_all()
        .map_err(WasmError::io("syncing", file.path()))?;
    persist(file.into_temp_path(), path)
}

fn parent(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_separate_parts() {
        let a = key(&[("x", b"ab"), ("y", b"c")]);
        let b = key(&[("x", b"a"), ("y", b"bc")]);
        assert_ne!(a, b);
        assert_eq!(a, key(&[("x", b"ab"), ("y", b"c")]));
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn atomic_write_replaces_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.bin");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary files left behind");
    }
}
