//! The errors of measuring a size. Each ends up as the `unavailable` reason
//! (or a note) of a [`jsbench_schema::SizeReport`], so its text says what was
//! being done and why it failed.

use std::path::PathBuf;

/// Why a probe could not be built or measured.
#[derive(Debug, thiserror::Error)]
pub enum SizeError {
    /// A file or folder operation failed.
    #[error("{action} {}: {source}", path.display())]
    Io {
        /// What was being done (`creating`, `copying the probe`, ...).
        action: &'static str,
        /// The file or folder it was done to.
        path: PathBuf,
        /// The failure.
        source: std::io::Error,
    },
    /// A program could not be started or waited for.
    #[error("running {program}: {source}")]
    Spawn {
        /// The program (`cargo fetch`, `cargo build`, ...).
        program: String,
        /// The failure.
        source: std::io::Error,
    },
    /// `cargo fetch` failed.
    #[error("cargo fetch failed:\n{stderr_tail}")]
    Fetch {
        /// The last lines of its error output.
        stderr_tail: String,
    },
    /// `cargo build` failed.
    #[error("cargo build failed ({status}):\n{stderr_tail}")]
    Build {
        /// Its exit status.
        status: std::process::ExitStatus,
        /// The last lines of its error output.
        stderr_tail: String,
    },
    /// The probe's manifest has no package name.
    #[error("{} has no [package] name", manifest.display())]
    NoPackageName {
        /// The manifest read.
        manifest: PathBuf,
    },
    /// cargo built no executable of the probe's package.
    #[error("cargo build reported no executable for the probe package `{package}`")]
    NoExecutable {
        /// The probe's package name.
        package: String,
    },
    /// The caller's set-up of a runtime failed.
    #[error("set-up failed: {0}")]
    Setup(String),
    /// The caller could not locate a runtime.
    #[error("{0}")]
    Locate(String),
    /// The installation of a runtime could not be measured.
    #[error("{0}")]
    Install(#[from] InstallError),
}

/// Why the installed size of a runtime is unknown.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    /// An npm package folder could not be read.
    #[error("reading {}: {source}", path.display())]
    Read {
        /// The folder.
        path: PathBuf,
        /// The failure.
        source: std::io::Error,
    },
    /// The binary is in no `node_modules` folder and dpkg-query cannot run.
    #[error("not in node_modules and dpkg-query cannot run: {0}")]
    NoDpkg(std::io::Error),
    /// No npm and no Debian package owns the binary.
    #[error("{} belongs to no npm package and no Debian package", binary.display())]
    NoOwner {
        /// The runtime's executable.
        binary: PathBuf,
    },
    /// dpkg-query answered without the expected figure.
    #[error("dpkg-query gave no {what} for {subject}")]
    Dpkg {
        /// What was asked (`package`, `installed size`).
        what: &'static str,
        /// Of what.
        subject: String,
    },
}

/// A shorthand for the results of this crate.
pub type Result<T, E = SizeError> = std::result::Result<T, E>;

/// An `io::Result` with the action and path of [`SizeError::Io`].
pub(crate) trait IoContext<T> {
    /// Adds what was being done to which path.
    fn doing(self, action: &'static str, path: impl Into<PathBuf>) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn doing(self, action: &'static str, path: impl Into<PathBuf>) -> Result<T> {
        self.map_err(|source| SizeError::Io {
            action,
            path: path.into(),
            source,
        })
    }
}
