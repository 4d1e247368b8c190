//! Files embedded in the binary and extracted into the cache folder.
//!
//! A bundle goes to `<cache>/<name>-<hash>/`, the hash being a SHA-256 over
//! its name and files (first 16 hex digits), so two builds with different
//! files never share a folder and one build always finds its own. The folder
//! is never trusted blindly: [`Bundle::install`] compares every file with the
//! embedded bytes (and a marker naming the full hash) and, when anything
//! differs or is missing, extracts the bundle again into a temporary folder
//! beside it and renames that into place, so no process ever sees a
//! half-written folder. An exclusive lock file (`<name>-<hash>.lock`) keeps
//! two processes from installing the same bundle at once; the caller holds
//! it for as long as it keeps the returned [`Installed`] (e.g. through an
//! `npm ci`). Files the bundle does not name (`node_modules`) are left alone
//! while the folder is valid.

use crate::AssetError;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

/// Bumped when the layout or the meaning of the hash changes.
const HASH_VERSION: &str = "jsbench bundle v1";
/// The file in an extracted folder that names the bundle's full hash,
/// written last.
const MARKER: &str = ".jsbench-bundle";

/// One embedded file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbeddedFile {
    /// Its path inside the bundle, `/`-separated and relative.
    pub path: &'static str,
    /// Its contents.
    pub contents: &'static [u8],
}

/// A named set of embedded files.
#[derive(Debug)]
pub struct Bundle {
    name: &'static str,
    files: Vec<EmbeddedFile>,
    hash: OnceLock<String>,
}

/// An installed bundle; holds the install lock until dropped.
#[derive(Debug)]
pub struct Installed {
    path: PathBuf,
    _lock: File,
}

impl Installed {
    /// The bundle's folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder, releasing the lock.
    pub fn into_path(self) -> PathBuf {
        self.path
    }
}

impl Bundle {
    /// A bundle called `name` (a folder-name prefix such as `workloads`) of
    /// `files`, in any order.
    pub fn new(name: &'static str, files: impl IntoIterator<Item = EmbeddedFile>) -> Bundle {
        let mut files: Vec<EmbeddedFile> = files.into_iter().collect();
        files.sort_by_key(|f| f.path);
        files.dedup_by_key(|f| f.path);
        Bundle {
            name,
            files,
            hash: OnceLock::new(),
        }
    }

    /// The bundle's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The embedded files, sorted by path.
    pub fn files(&self) -> &[EmbeddedFile] {
        &self.files
    }

    /// The embedded file at `path`, if any.
    pub fn file(&self, path: &str) -> Option<&'static [u8]> {
        self.files.iter().find(|f| f.path == path).map(|f| f.contents)
    }

    /// SHA-256 over the name and every file (path and contents, each
    /// length-prefixed), as lowercase hex.
    pub fn hash(&self) -> &str {
        self.hash.get_or_init(|| {
            let mut hash = Sha256::new();
            for piece in [HASH_VERSION.as_bytes(), self.name.as_bytes()] {
                hash.update((piece.len() as u64).to_le_bytes());
                hash.update(piece);
            }
            for file in &self.files {
                for piece in [file.path.as_bytes(), file.contents] {
                    hash.update((piece.len() as u64).to_le_bytes());
                    hash.update(piece);
                }
            }
            hex::encode(hash.finalize())
        })
    }

    /// The folder's name: `<name>-<first 16 hex digits of the hash>`.
    pub fn folder_name(&self) -> String {
        format!("{}-{}", self.name, &self.hash()[..16])
    }

    /// Where the bundle is (or will be) installed below the cache folder;
    /// touches nothing. For processes (workers) whose parent installed it.
    pub fn location(&self) -> Result<PathBuf, AssetError> {
        Ok(crate::cache_root()?.join(self.folder_name()))
    }

    /// Installs the bundle below the cache folder (see [`Bundle::install_in`]).
    pub fn install(&self) -> Result<Installed, AssetError> {
        self.install_in(&crate::cache_root()?)
    }

    /// Makes sure `<root>/<folder name>` holds exactly the embedded files
    /// (extracting them again when it does not) and returns it, locked.
    pub fn install_in(&self, root: &Path) -> Result<Installed, AssetError> {
        std::fs::create_dir_all(root).map_err(AssetError::io("creating", root))?;
        let folder = self.folder_name();
        let lock_path = root.join(format!("{folder}.lock"));
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(AssetError::io("opening", &lock_path))?;
        lock.lock().map_err(AssetError::io("locking", &lock_path))?;
        let path = root.join(folder);
        if !self.matches(&path) {
            self.extract(root, &path)?;
        }
        Ok(Installed { path, _lock: lock })
    }

    /// Whether `dir` has the marker and every file with the embedded bytes.
    pub fn matches(&self, dir: &Path) -> bool {
        let same = |relative: &str, contents: &[u8]| {
            let path = dir.join(relative);
            std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() == contents.len() as u64)
                && std::fs::read(&path).is_ok_and(|bytes| bytes == contents)
        };
        same(MARKER, self.hash().as_bytes()) && self.files.iter().all(|f| same(f.path, f.contents))
    }

    /// Writes the files into a fresh temporary folder in `root`, then puts
    /// it in place of `target` (moving any old folder aside first).
    fn extract(&self, root: &Path, target: &Path) -> Result<(), AssetError> {
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{}.partial-", self.name))
            .tempdir_in(root)
            .map_err(AssetError::io("creating a temporary folder in", root))?;
        for file in &self.files {
            let relative = safe_relative(file.path)?;
            let path = temp.path().join(relative);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(AssetError::io("creating", parent))?;
            }
            std::fs::write(&path, file.contents).map_err(AssetError::io("writing", &path))?;
        }
        let marker = temp.path().join(MARKER);
        std::fs::write(&marker, self.hash()).map_err(AssetError::io("writing", &marker))?;
        if target.exists() {
            let aside = tempfile::Builder::new()
                .prefix(&format!(".{}.stale-", self.name))
                .tempdir_in(root)
                .map_err(AssetError::io("creating a temporary folder in", root))?;
            // Renaming onto the empty folder replaces it; dropping `aside`
            // then removes the old contents.
            std::fs::rename(target, aside.path()).map_err(AssetError::io("moving aside", target))?;
        }
        let staged = temp.keep();
        std::fs::rename(&staged, target).map_err(|source| {
            let _ = std::fs::remove_dir_all(&staged);
            AssetError::Io {
                action: "renaming into",
                path: target.to_path_buf(),
                source,
            }
        })
    }
}

/// `path` as a relative path with only normal components.
fn safe_relative(path: &str) -> Result<&Path, AssetError> {
    let relative = Path::new(path);
    let normal = relative.components().all(|c| matches!(c, Component::Normal(_)));
    if path.is_empty() || !normal {
        return Err(AssetError::UnsafePath(path.to_string()));
    }
    Ok(relative)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Bundle {
        Bundle::new(
            "sample",
            [
                EmbeddedFile {
                    path: "b/deep/two.txt",
                    contents: b"two",
                },
                EmbeddedFile {
                    path: "one.txt",
                    contents: b"one",
                },
            ],
        )
    }

    #[test]
    fn the_hash_follows_names_paths_and_contents() {
        let a = sample();
        assert_eq!(a.hash(), sample().hash(), "order of the files does not matter");
        assert_eq!(a.hash().len(), 64);
        assert!(a.folder_name().starts_with("sample-"));
        let renamed = Bundle::new("other", a.files().to_vec());
        assert_ne!(a.hash(), renamed.hash());
        let changed = Bundle::new(
            "sample",
            [EmbeddedFile {
                path: "one.txt",
                contents: b"ONE",
            }],
        );
        assert_ne!(a.hash(), changed.hash());
    }

    #[test]
    fn installs_and_reuses_a_valid_folder() {
        let root = tempfile::tempdir().unwrap();
        let bundle = sample();
        let dir = bundle.install_in(root.path()).unwrap().into_path();
        assert_eq!(dir, root.path().join(bundle.folder_name()));
        assert_eq!(std::fs::read(dir.join("one.txt")).unwrap(), b"one");
        assert_eq!(std::fs::read(dir.join("b/deep/two.txt")).unwrap(), b"two");
        // Files the bundle does not name survive a second install.
        std::fs::create_dir(dir.join("node_modules")).unwrap();
        bundle.install_in(root.path()).unwrap();
        assert!(dir.join("node_modules").is_dir());
        let names: Vec<String> = std::fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".lock"))
            .collect();
        assert_eq!(names, [bundle.folder_name()], "no temporary folder is left behind");
    }

    #[test]
    fn a_changed_or_half_written_folder_is_extracted_again() {
        let root = tempfile::tempdir().unwrap();
        let bundle = sample();
        let dir = bundle.install_in(root.path()).unwrap().into_path();
        std::fs::write(dir.join("one.txt"), b"tampered").unwrap();
        std::fs::create_dir(dir.join("node_modules")).unwrap();
        assert!(!bundle.matches(&dir));
        bundle.install_in(root.path()).unwrap();
        assert_eq!(std::fs::read(dir.join("one.txt")).unwrap(), b"one");
        assert!(
            !dir.join("node_modules").exists(),
            "an untrusted folder is replaced whole"
        );

        // A folder without the marker (an extraction cut short) is not used.
        std::fs::remove_file(dir.join(MARKER)).unwrap();
        assert!(!bundle.matches(&dir));
        bundle.install_in(root.path()).unwrap();
        assert!(bundle.matches(&dir));
        // A missing file too.
        std::fs::remove_file(dir.join("b/deep/two.txt")).unwrap();
        assert!(!bundle.matches(&dir));
        bundle.install_in(root.path()).unwrap();
        assert!(bundle.matches(&dir));
    }

    #[test]
    fn unsafe_paths_are_refused() {
        let root = tempfile::tempdir().unwrap();
        for path in ["../escape.txt", "/abs.txt", "", "a/../../b"] {
            let bundle = Bundle::new("bad", [EmbeddedFile { path, contents: b"x" }]);
            let err = bundle.install_in(root.path()).unwrap_err();
            assert!(matches!(err, AssetError::UnsafePath(_)), "{path}: {err}");
        }
        assert!(!root.path().join("escape.txt").exists());
    }

    #[test]
    fn concurrent_installs_agree() {
        let root = tempfile::tempdir().unwrap();
        let root_path = root.path().to_path_buf();
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let root = root_path.clone();
                std::thread::spawn(move || sample().install_in(&root).map(Installed::into_path))
            })
            .collect();
        for thread in threads {
            let dir = thread.join().unwrap().unwrap();
            assert!(sample().matches(&dir));
        }
    }
}
