//! Where a command writes its results file, safely.
//!
//! Before anything is measured, [`claim`] checks that the results can be
//! written there: an existing file is refused unless the run resumes it or
//! `--force` replaces it; a device, FIFO or folder is refused (writes go by
//! temporary file and rename onto regular files only, following symlinks);
//! the folder must exist and be writable. It then holds an exclusive lock
//! (`.<name>.lock` beside the file) for as long as the run owns the file,
//! so a second run on the same file is refused instead of both "succeeding"
//! with one's cells lost. `-` means standard output.

use jsbench_schema::{Results, SchemaError};
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// Why the results cannot go where they were asked to.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The file exists and the run would replace it.
    #[error(
        "{0} already exists; use `--resume {0}` to continue that run, or --force to replace it (or choose another -o)"
    )]
    Exists(String),
    /// Not a regular file, or cannot be written.
    #[error(transparent)]
    Target(#[from] SchemaError),
    /// The folder does not exist.
    #[error("cannot write the results to {path}: the folder {folder} does not exist")]
    NoFolder {
        /// The file.
        path: String,
        /// Its folder.
        folder: String,
    },
    /// A test write in the folder failed.
    #[error("cannot write the results to {path}: {source}")]
    NotWritable {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// Another run holds the file.
    #[error("{path} is being written by another jsbench run{holder}; wait for it to finish or choose another -o")]
    Locked {
        /// The file.
        path: String,
        /// " (pid N)" when known.
        holder: String,
    },
}

/// The results could not be written at the end of a run (a full disk): not
/// the user's mistake, so exit code 3. The previous file is intact.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the results to {destination}: {message}; the previous file, if any, is unchanged")]
pub struct WriteError {
    /// Where they were to go.
    pub destination: String,
    /// Why not.
    pub message: String,
}

/// How the file at the destination is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// A new results file: an existing one is refused unless `force`.
    New {
        /// Replace an existing file.
        force: bool,
    },
    /// The run continues the file that is there.
    Resume,
}

/// Where the results go.
#[derive(Debug)]
pub enum Destination {
    /// Standard output, once at the end.
    Stdout,
    /// A file, locked for as long as this value lives.
    File {
        /// The path as given (for messages).
        path: PathBuf,
        /// The lock.
        _lock: Lock,
    },
}

impl Destination {
    /// The file to save to as the run goes, if any.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Destination::Stdout => None,
            Destination::File { path, .. } => Some(path),
        }
    }

    /// Where the results went, for messages.
    pub fn shown(&self) -> String {
        match self.path() {
            Some(path) => path.display().to_string(),
            None => "standard output".into(),
        }
    }

    /// Writes the results: atomically to the file, or as JSON to stdout.
    pub fn write(&self, results: &Results) -> Result<(), WriteError> {
        let failed = |message: String| WriteError {
            destination: self.shown(),
            message,
        };
        match self.path() {
            Some(path) => results.write_atomic(path).map_err(|e| match e {
                SchemaError::Io { source, .. } => failed(source.to_string()),
                other => failed(other.to_string()),
            }),
            None => {
                let text = serde_json::to_string_pretty(results).map_err(|e| failed(e.to_string()))?;
                let mut out = std::io::stdout().lock();
                out.write_all(text.as_bytes())
                    .and_then(|()| out.write_all(b"\n"))
                    .and_then(|()| out.flush())
                    .map_err(|e| failed(e.to_string()))
            }
        }
    }
}

/// Whether `path` is `-`, standard output.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Checks that results can be written to `given` and locks it (see the
/// module's documentation).
pub fn claim(given: &Path, how: Claim) -> Result<Destination, OutputError> {
    if is_stdout(given) {
        return Ok(Destination::Stdout);
    }
    let shown = given.display().to_string();
    let target = jsbench_schema::writable_target(given)?;
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !folder.is_dir() {
        return Err(OutputError::NoFolder {
            path: shown,
            folder: folder.display().to_string(),
        });
    }
    // The lock first: a file another run is writing is that run's, whatever
    // else is true of it.
    let lock = Lock::acquire(&target, &shown)?;
    if target.exists() && how == (Claim::New { force: false }) {
        return Err(OutputError::Exists(shown));
    }
    tempfile::Builder::new()
        .prefix(".jsbench-write-check-")
        .tempfile_in(&folder)
        .map_err(|source| OutputError::NotWritable {
            path: shown.clone(),
            source,
        })?;
    Ok(Destination::File {
        path: given.to_path_buf(),
        _lock: lock,
    })
}

/// An exclusive lock on a results file: a lock file beside it, removed
/// when the lock is dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    file: File,
}

impl Lock {
    fn acquire(target: &Path, shown: &str) -> Result<Self, OutputError> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let path = target.with_file_name(format!(".{name}.lock"));
        let unwritable = |source| OutputError::NotWritable {
            path: shown.to_string(),
            source,
        };
        // A lock file can be removed by its holder between our open and our
        // lock: then we locked a file nobody else sees, so try again.
        for _ in 0..20 {
            let mut file = File::options()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(unwritable)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    let mut pid = String::new();
                    let _ = file.read_to_string(&mut pid);
                    let holder = match pid.trim() {
                        "" => String::new(),
                        pid => format!(" (pid {pid})"),
                    };
                    return Err(OutputError::Locked {
                        path: shown.to_string(),
                        holder,
                    });
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(unwritable(e)),
            }
            if !same_file(&file, &path) {
                continue;
            }
            let _ = file.set_len(0);
            let _ = file.rewind();
            let _ = write!(file, "{}", std::process::id());
            return Ok(Lock { path, file });
        }
        Err(unwritable(std::io::Error::other(format!(
            "could not lock {}",
            path.display()
        ))))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held, so a run waiting on this file retries.
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.ino() == b.ino() && a.dev() == b.dev(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_existing_file_needs_force_or_resume() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        std::fs::write(&path, "{}").unwrap();
        let err = claim(&path, Claim::New { force: false }).unwrap_err();
        assert!(err.to_string().contains("already exists; use `--resume"), "{err}");
        drop(claim(&path, Claim::New { force: true }).unwrap());
        drop(claim(&path, Claim::Resume).unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}", "claiming writes nothing");
    }

    #[test]
    fn a_second_claim_is_refused_while_the_first_holds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        let first = claim(&path, Claim::New { force: false }).unwrap();
        let err = claim(&path, Claim::New { force: true }).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("being written by another jsbench run"), "{message}");
        assert!(message.contains(&format!("pid {}", std::process::id())), "{message}");
        drop(first);
        assert!(!dir.path().join(".r.json.lock").exists(), "the lock file is removed");
        drop(claim(&path, Claim::New { force: false }).unwrap());
    }

    #[test]
    fn missing_folders_and_special_files_are_refused_before_measuring() {
        let err = claim(Path::new("/nonexistent/dir/x.json"), Claim::New { force: false }).unwrap_err();
        assert!(
            err.to_string().contains("the folder /nonexistent/dir does not exist"),
            "{err}"
        );
        let err = claim(Path::new("/dev/full"), Claim::New { force: true }).unwrap_err();
        assert!(err.to_string().contains("is a device, not a regular file"), "{err}");
    }

    #[test]
    fn a_dash_is_standard_output() {
        assert!(matches!(
            claim(Path::new("-"), Claim::New { force: false }).unwrap(),
            Destination::Stdout
        ));
    }
}
