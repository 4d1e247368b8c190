//! One module per subcommand, plus what they share: locating the workload
//! suite and mapping errors to exit codes.

pub mod advise;
pub mod check;
pub mod compare;
pub mod concurrency;
pub mod conformance;
pub mod density;
pub mod features;
pub mod history;
pub mod list;
pub mod merge;
pub mod new;
pub mod report;
pub mod run;
pub mod sandbox;
pub mod setup;
pub mod show;
pub mod size;
pub mod worker;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit code when a cell failed.
pub const EXIT_CELL_FAILED: u8 = 1;
/// Exit code for usage errors.
pub const EXIT_USAGE: u8 = 2;
/// Exit code for internal errors.
pub const EXIT_INTERNAL: u8 = 3;
/// Exit code when a command measured or matched nothing: an empty plan or
/// shard, a run whose every cell is unsupported or unavailable, a
/// comparison of files with no cell in common.
pub const EXIT_NOTHING: u8 = 4;

/// A command that would "succeed" at nothing, with the reason.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NothingMeasured(pub String);

/// A mistake by the user (arguments, manifests, files), as opposed to a
/// failure of jsbench itself.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// The message of an error that ended a command: each cause in the chain
/// after `: `, except a cause whose text the message already holds (the
/// typed errors of the libraries put their source in their own message,
/// which `{:#}` would print a second time).
pub fn error_message(error: &anyhow::Error) -> String {
    let mut message = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !message.contains(&cause) {
            message.push_str(": ");
            message.push_str(&cause);
        }
    }
    message
}

/// The exit code for an error that ended a command.
pub fn exit_code_for(error: &anyhow::Error) -> ExitCode {
    if error.chain().any(|e| e.is::<NothingMeasured>()) {
        return ExitCode::from(EXIT_NOTHING);
    }
    if error.chain().any(|e| e.is::<crate::output::WriteError>()) {
        return ExitCode::from(EXIT_INTERNAL);
    }
    let usage = error.chain().any(|e| {
        e.is::<UsageError>()
            || e.is::<jsbench_runner::manifest::ManifestError>()
            || e.is::<jsbench_schema::SchemaError>()
            || e.is::<run::options::OptionsError>()
            || e.is::<crate::output::OutputError>()
    });
    ExitCode::from(if usage { EXIT_USAGE } else { EXIT_INTERNAL })
}

/// The workload suite: the given folder, else the suite embedded in the
/// binary, installed into the cache folder (see [`crate::embedded`]).
pub fn workloads_dir(given: Option<&Path>) -> anyhow::Result<PathBuf> {
    match given {
        Some(dir) => Ok(dir.to_path_buf()),
        None => crate::embedded::install_workloads(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("{path}: cannot read: {source}")]
    struct Typed {
        path: String,
        source: std::io::Error,
    }

    #[test]
    fn an_error_message_names_each_cause_once() {
        let typed = Typed {
            path: "/w/x.toml".into(),
            source: std::io::Error::other("no manifest found"),
        };
        let error = anyhow::Error::new(typed).context("cannot load the workloads");
        assert_eq!(
            error_message(&error),
            "cannot load the workloads: /w/x.toml: cannot read: no manifest found"
        );
        let plain = anyhow::anyhow!("disk full").context("cannot write r.json");
        assert_eq!(error_message(&plain), "cannot write r.json: disk full");
    }
}
