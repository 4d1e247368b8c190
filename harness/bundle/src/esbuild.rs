//! One run of the bundling script (`node bundle.mjs request.json`) as a
//! supervised child ([`jsbench_supervise::Supervised`]): its process group
//! is killed on every way out, and a run that takes longer than
//! [`TIMEOUT`] is stopped.

use crate::{BundleError, BundleRequest};
use serde::Deserialize;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The longest a bundle may take (a 10 MB library takes a few seconds).
pub const TIMEOUT: Duration = Duration::from_secs(600);

/// What esbuild made of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Built {
    /// The bundle.
    pub code: String,
    /// Every file that went into it, absolute.
    pub inputs: Vec<PathBuf>,
    /// esbuild's own version.
    pub version: String,
    /// esbuild's warnings.
    pub warnings: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Answer {
    Ok {
        #[allow(dead_code)]
        ok: serde_json::Value,
        code: String,
        inputs: Vec<PathBuf>,
        version: String,
        #[serde(default)]
        warnings: Vec<String>,
    },
    Failed {
        kind: String,
        errors: Vec<String>,
    },
}

/// Bundles `request.entry` with the script at `script` (see
/// [`crate::toolchain::ensure_installed`]).
pub fn build(script: &Path, request: &BundleRequest) -> Result<Built, BundleError> {
    let work = tempfile::Builder::new()
        .prefix("jsbench-bundle-")
        .tempdir()
        .map_err(BundleError::io("creating a temporary folder in", std::env::temp_dir()))?;
    let request_path = work.path().join("request.json");
    let body = serde_json::json!({
        "entry": request.entry,
        "external": request.external,
        "define": { "process.env.NODE_ENV": "\"production\"" },
    });
    std::fs::write(&request_path, body.to_string()).map_err(BundleError::io("writing", &request_path))?;
    let mut command = Command::new("node");
    command.arg(script).arg(&request_path).current_dir(work.path());
    let (status, stdout, stderr) = run_supervised(command)?;
    let answer: Option<Answer> = stdout.lines().rev().find_map(|line| serde_json::from_str(line).ok());
    match answer {
        Some(Answer::Ok {
            code,
            inputs,
            version,
            warnings,
            ..
        }) => Ok(Built {
            code,
            inputs,
            version,
            warnings,
        }),
        Some(Answer::Failed { kind, errors }) => Err(failure(&request.entry, &kind, errors)),
        None => Err(BundleError::Script {
            status,
            stderr: jsbench_supervise::tail_bytes(&stderr, 2000),
        }),
    }
}

/// The typed error for the script's `kind` of failure.
fn failure(entry: &Path, kind: &str, errors: Vec<String>) -> BundleError {
    let entry = entry.to_path_buf();
    let message = errors.join("; ");
    match kind {
        "builtin" => BundleError::NodeBuiltin { entry, message },
        "resolve" => BundleError::Unresolved { entry, message },
        _ => BundleError::Build { entry, message },
    }
}

/// Runs `command` to its end (or [`TIMEOUT`]): how it ended, its stdout
/// and the end of its stderr.
fn run_supervised(command: Command) -> Result<(String, String, String), BundleError> {
    let mut child = jsbench_supervise::Supervised::spawn(command, "node (esbuild)", 16 * 1024)?;
    let mut stdout = child.take_stdout();
    // Read on a thread, so that a hung child can be stopped at the deadline.
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(pipe) = stdout.as_mut() {
            let _ = pipe.read_to_string(&mut text);
        }
        text
    });
    let deadline = Instant::now() + TIMEOUT;
    while !child.has_exited() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    let (status, by_itself) = child.finish(Duration::ZERO);
    let text = reader.join().unwrap_or_default();
    let status = match (status, by_itself) {
        (_, false) => format!("stopped after {} s", TIMEOUT.as_secs()),
        (Some(status), true) => jsbench_supervise::describe_exit(&status),
        (None, true) => "ended".to_string(),
    };
    Ok((status, text, child.stderr_tail()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_typed_by_kind() {
        let entry = Path::new("/p/main.js");
        let errors = || vec!["a.js:1:8: Could not resolve \"left-pad\"".to_string()];
        assert!(matches!(
            failure(entry, "builtin", errors()),
            BundleError::NodeBuiltin { .. }
        ));
        let unresolved = failure(entry, "resolve", errors());
        assert!(matches!(unresolved, BundleError::Unresolved { .. }));
        assert!(unresolved.to_string().contains("left-pad"), "{unresolved}");
        assert!(matches!(failure(entry, "build", errors()), BundleError::Build { .. }));
    }

    #[test]
    fn answers_parse() {
        let ok: Answer = serde_json::from_str(r#"{"ok":true,"code":"x","inputs":["/a.js"],"version":"1"}"#).unwrap();
        assert!(matches!(ok, Answer::Ok { .. }));
        let failed: Answer = serde_json::from_str(r#"{"ok":false,"kind":"resolve","errors":["e"]}"#).unwrap();
        assert!(matches!(failed, Answer::Failed { .. }));
    }
}
