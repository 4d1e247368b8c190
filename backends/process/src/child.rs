//! One runtime process, a [`Supervised`] child (own process group, killed
//! with the worker thread that started it, bounded stderr tail, killed and
//! reaped on every way out), plus how its death is told to the user.
//!
//! The child also exits by itself when its stdin closes (the server scripts
//! watch for it), which covers a harness that dies without running `Drop`.

use jsbench_api::{BackendError, Bytes};
use jsbench_supervise::{Supervised, describe_exit, tail_bytes};
use std::process::{ChildStdin, ChildStdout, Command};
use std::time::Duration;

/// How much of the child's stderr is kept for error messages.
const STDERR_TAIL: usize = 8 * 1024;

/// How long a child whose connection broke may take to finish exiting before
/// it is killed: it is usually already gone.
const EXIT_GRACE: Duration = Duration::from_secs(2);

/// A running runtime process.
pub(crate) struct ChildProcess {
    process: Supervised,
}

impl ChildProcess {
    /// Spawns `command` (running `engine`) with piped stdio; returns the
    /// child and its stdout.
    pub(crate) fn spawn(command: Command, engine: &str) -> Result<(Self, ChildStdout), BackendError> {
        let mut process =
            Supervised::spawn(command, engine, STDERR_TAIL).map_err(|e| BackendError::Internal(e.to_string()))?;
        let Some(stdout) = process.take_stdout() else {
            return Err(BackendError::Internal(format!(
                "{}: stdout was not piped",
                process.label()
            )));
        };
        Ok((ChildProcess { process }, stdout))
    }

    /// The process id.
    pub(crate) fn pid(&self) -> u32 {
        self.process.pid()
    }

    /// The pipe to the child's stdin (the pipe transport's request channel).
    pub(crate) fn stdin(&mut self) -> Option<&mut ChildStdin> {
        self.process.stdin()
    }

    /// After the connection broke: waits briefly for the child to finish
    /// dying (killing it if it does not) and describes how it ended, as
    /// `Crashed`, or `OutOfMemory` when its stderr says so.
    pub(crate) fn death(&mut self, during: &str, transport_error: &str) -> BackendError {
        let (status, exited) = self.process.finish(EXIT_GRACE);
        let stderr = self.stderr_tail();
        let how = match (exited, status) {
            (true, Some(status)) => describe_exit(&status),
            _ => format!("stopped answering ({transport_error}) and was killed"),
        };
        let label = self.process.label();
        if mentions_oom(&stderr) {
            return BackendError::OutOfMemory {
                message: format!("{label} {how} during {during}: {}", oom_line(&stderr)),
            };
        }
        let stderr = if stderr.is_empty() {
            String::from("(stderr empty)")
        } else {
            format!("stderr: {stderr}")
        };
        BackendError::Crashed(format!("{label} {how} during {during}; {stderr}"))
    }

    /// The end of what the child wrote to stderr, trimmed.
    pub(crate) fn stderr_tail(&self) -> String {
        tail_bytes(&self.process.stderr_tail(), 2000)
    }

    /// The child's peak resident set size (VmHWM), while it runs.
    pub(crate) fn peak_rss(&self) -> Option<Bytes> {
        self.process.peak_rss()
    }
}

/// Node and Deno print "JavaScript heap out of memory" or "Fatal JavaScript
/// out of memory"; Bun prints "Out of memory".
fn mentions_oom(stderr: &str) -> bool {
    let lower = stderr.to_ascii_lowercase();
    lower.contains("out of memory") || lower.contains("heap limit")
}

/// The line that says the memory ran out (runtimes print stack dumps after it).
fn oom_line(text: &str) -> &str {
    text.lines().map(str::trim).find(|l| mentions_oom(l)).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oom_is_recognised() {
        assert!(mentions_oom(
            "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"
        ));
        assert!(!mentions_oom("Error: boom"));
        let stderr = "<--- Last few GCs --->\nFATAL ERROR: Reached heap limit Allocation failed\n 1: 0x1 node\n";
        assert_eq!(oom_line(stderr), "FATAL ERROR: Reached heap limit Allocation failed");
    }
}
