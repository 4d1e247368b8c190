//! Where jsbench keeps what it installs, so that the binary needs nothing
//! from the source tree it was built from.
//!
//! - [`cache_root`]: the one cache folder, `$JSBENCH_CACHE_DIR` or
//!   `<user cache dir>/jsbench` (`~/.cache/jsbench` on Linux). Everything
//!   jsbench writes outside the current folder goes below it.
//! - [`Bundle`]: a set of files embedded in the binary (the workload suite,
//!   the Node/Deno/Bun server scripts, the ComponentizeJS project), extracted
//!   into `<cache>/<name>-<hash>/`, where the hash is over the files'
//!   contents. An extracted folder is checked against the embedded files
//!   before it is used and extracted again when it differs.
//! - [`npm`]: `npm ci` in such a folder when its `node_modules` is missing or
//!   does not match the lock file.
#![deny(missing_docs)]

pub mod artefact;
mod bundle;
pub mod npm;

pub use bundle::{Bundle, EmbeddedFile, Installed};

use std::path::PathBuf;

/// The environment variable that overrides the cache folder.
pub const CACHE_DIR_ENV: &str = "JSBENCH_CACHE_DIR";

/// Why something could not be installed or found.
#[derive(Debug, thiserror::Error)]
pub enum AssetError {
    /// Neither `JSBENCH_CACHE_DIR` nor a user cache folder is known.
    #[error("no cache folder: set {CACHE_DIR_ENV} (this machine has no user cache folder, e.g. HOME is unset)")]
    NoCacheDir,
    /// A file or folder could not be read or written.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done (e.g. "writing").
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An embedded file has a path that would land outside its folder.
    #[error("embedded file `{0}` has an unsafe path (absolute, empty or with `..`)")]
    UnsafePath(String),
    /// npm is not on `PATH`.
    #[error("npm is not on PATH; it is needed for `npm ci` in {dir} (install Node.js and npm)")]
    NpmMissing {
        /// The folder that needs `npm ci`.
        dir: PathBuf,
    },
    /// A lock file is not what npm writes.
    #[error("{path} is not a valid npm lockfile: {why}")]
    BadLockfile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        why: String,
    },
    /// `npm ci` ran and failed.
    #[error("`npm ci` in {dir} failed ({status}): {output}")]
    NpmFailed {
        /// The folder.
        dir: PathBuf,
        /// npm's exit status.
        status: std::process::ExitStatus,
        /// The end of npm's output.
        output: String,
    },
}

impl AssetError {
    /// An I/O error with what was being done and where.
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| AssetError::Io { action, path, source }
    }
}

/// The cache folder: `$JSBENCH_CACHE_DIR` when set and not empty, else
/// `<user cache dir>/jsbench`. Not created here.
pub fn cache_root() -> Result<PathBuf, AssetError> {
    root_from(std::env::var_os(CACHE_DIR_ENV), dirs::cache_dir())
}

fn root_from(env: Option<std::ffi::OsString>, user_cache: Option<PathBuf>) -> Result<PathBuf, AssetError> {
    match env {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => user_cache.map(|d| d.join("jsbench")).ok_or(AssetError::NoCacheDir),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_overrides_the_user_cache() {
        let user = Some(PathBuf::from("/home/u/.cache"));
        assert_eq!(
            root_from(Some("/tmp/c".into()), user.clone()).unwrap(),
            PathBuf::from("/tmp/c")
        );
        assert_eq!(
            root_from(Some("".into()), user.clone()).unwrap(),
            PathBuf::from("/home/u/.cache/jsbench")
        );
        assert_eq!(root_from(None, user).unwrap(), PathBuf::from("/home/u/.cache/jsbench"));
        assert!(matches!(root_from(None, None), Err(AssetError::NoCacheDir)));
    }
}
