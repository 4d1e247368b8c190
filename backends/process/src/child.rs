//! One runtime process: spawned in its own process group, its stderr kept as
//! a bounded tail for error messages, killed and reaped on every way out so no
//! zombie or orphan is left behind.
//!
//! The child also exits by itself when its stdin closes (the server scripts
//! watch for it), which covers a harness that dies without running `Drop`.

use jsbench_api::{BackendError, Bytes};
use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How much of the child's stderr is kept for error messages.
const STDERR_TAIL: usize = 8 * 1024;

/// How long the rest of a dead child's stderr may take to arrive.
const STDERR_DRAIN: Duration = Duration::from_millis(500);

/// How long a child whose connection broke may take to finish exiting before
/// it is killed: it is usually already gone.
const EXIT_GRACE: Duration = Duration::from_secs(2);

/// A running runtime process.
pub(crate) struct ChildProcess {
    child: Child,
    label: String,
    stdin: Option<ChildStdin>,
    stderr: Arc<Mutex<Vec<u8>>>,
    stderr_reader: Option<(JoinHandle<()>, Receiver<()>)>,
    status: Option<ExitStatus>,
}

impl ChildProcess {
    /// Spawns `command` (running `engine`) with piped stdio; returns the
    /// child and its stdout.
    pub(crate) fn spawn(mut command: Command, engine: &str) -> Result<(Self, ChildStdout), BackendError> {
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Its own group: a terminal's Ctrl-C reaches the harness, which
            // then ends its children itself, and a kill takes the whole group.
            .process_group(0);
        let mut child = command
            .spawn()
            .map_err(|e| BackendError::Internal(format!("cannot start {engine}: {e}")))?;
        let label = format!("{engine} (pid {})", child.id());
        let stdin = child.stdin.take();
        let (Some(stdout), Some(mut pipe)) = (child.stdout.take(), child.stderr.take()) else {
            let mut half = ChildProcess::adopt(child, label.clone(), stdin);
            half.kill();
            return Err(BackendError::Internal(format!("{label}: stdio was not piped")));
        };
        let mut process = ChildProcess::adopt(child, label, stdin);
        let sink = Arc::clone(&process.stderr);
        let (finished, done) = mpsc::channel::<()>();
        let reader = std::thread::Builder::new()
            .name(format!("{engine} stderr"))
            .spawn(move || {
                // Dropped at the end: tells `reap` the tail is complete.
                let _finished = finished;
                let mut buffer = [0u8; 4096];
                while let Ok(n) = pipe.read(&mut buffer) {
                    if n == 0 {
                        break;
                    }
                    let mut tail = sink.lock().unwrap_or_else(|p| p.into_inner());
                    tail.extend_from_slice(&buffer[..n]);
                    if tail.len() > 2 * STDERR_TAIL {
                        let cut = tail.len() - STDERR_TAIL;
                        tail.drain(..cut);
                    }
                }
            });
        match reader {
            Ok(handle) => process.stderr_reader = Some((handle, done)),
            Err(e) => {
                process.kill();
                return Err(BackendError::Internal(format!("cannot start a thread: {e}")));
            }
        }
        Ok((process, stdout))
    }

    fn adopt(child: Child, label: String, stdin: Option<ChildStdin>) -> Self {
        ChildProcess {
            child,
            label,
            stdin,
            stderr: Arc::new(Mutex::new(Vec::new())),
            stderr_reader: None,
            status: None,
        }
    }

    /// The process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The pipe to the child's stdin (the pipe transport's request channel).
    pub(crate) fn stdin(&mut self) -> Option<&mut ChildStdin> {
        self.stdin.as_mut()
    }

    /// Kills the process group and reaps the child. Idempotent.
    pub(crate) fn kill(&mut self) {
        if self.status.is_some() {
            return;
        }
        // Only signal a child that has not been reaped, so the id cannot
        // belong to another process yet.
        if let Ok(None) = self.child.try_wait() {
            let pgid = self.child.id() as libc::pid_t;
            // SAFETY: killpg has no memory-safety preconditions; the group
            // is the one our unreaped child leads.
            let sent = unsafe { libc::killpg(pgid, libc::SIGKILL) };
            if sent != 0 {
                let _ = self.child.kill();
            }
        }
        self.reap();
    }

    fn reap(&mut self) {
        self.stdin = None;
        if self.status.is_none() {
            self.status = self.child.wait().ok();
        }
        // The child is gone, so its stderr reaches end of file soon, and
        // waiting for that makes the tail complete for the error message.
        // Bounded: something the child started could still hold the pipe.
        if let Some((reader, done)) = self.stderr_reader.take()
            && let Err(RecvTimeoutError::Disconnected) = done.recv_timeout(STDERR_DRAIN)
        {
            let _ = reader.join();
        }
    }

    /// After the connection broke: waits briefly for the child to finish
    /// dying (killing it if it does not) and describes how it ended, as
    /// `Crashed`, or `OutOfMemory` when its stderr says so.
    pub(crate) fn death(&mut self, during: &str, transport_error: &str) -> BackendError {
        let deadline = Instant::now() + EXIT_GRACE;
        let mut exited = false;
        while Instant::now() < deadline {
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    self.status = Some(status);
                    exited = true;
                    break;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                Err(_) => break,
            }
        }
        if exited {
            self.reap();
        } else {
            self.kill();
        }
        let stderr = self.stderr_tail();
        let how = match (exited, self.status) {
            (true, Some(status)) => describe_exit(status),
            _ => format!("stopped answering ({transport_error}) and was killed"),
        };
        if mentions_oom(&stderr) {
            return BackendError::OutOfMemory {
                message: format!("{} {how} during {during}: {}", self.label, oom_line(&stderr)),
            };
        }
        let stderr = if stderr.is_empty() {
            String::from("(stderr empty)")
        } else {
            format!("stderr: {stderr}")
        };
        BackendError::Crashed(format!("{} {how} during {during}; {stderr}", self.label))
    }

    /// The end of what the child wrote to stderr, trimmed.
    pub(crate) fn stderr_tail(&self) -> String {
        let bytes = self.stderr.lock().unwrap_or_else(|p| p.into_inner());
        tail_of(String::from_utf8_lossy(&bytes).trim(), 2000)
    }

    /// The child's peak resident set size (VmHWM), while it runs.
    pub(crate) fn peak_rss(&self) -> Option<Bytes> {
        if self.status.is_some() {
            return None;
        }
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        parse_vm_hwm(&status)
    }
}

impl Drop for ChildProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

fn describe_exit(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exited with status {code}");
    }
    match status.signal() {
        Some(signal) => format!("was killed by signal {signal} ({})", signal_name(signal)),
        None => format!("ended ({status})"),
    }
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        libc::SIGKILL => "SIGKILL",
        libc::SIGABRT => "SIGABRT",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGTERM => "SIGTERM",
        libc::SIGINT => "SIGINT",
        libc::SIGBUS => "SIGBUS",
        libc::SIGILL => "SIGILL",
        libc::SIGTRAP => "SIGTRAP",
        libc::SIGFPE => "SIGFPE",
        _ => "signal",
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

/// The last `max` bytes of `text` (on a character boundary), marked as cut.
pub(crate) fn tail_of(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut start = text.len() - max;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    format!("…{}", &text[start..])
}

fn parse_vm_hwm(status: &str) -> Option<Bytes> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: Bytes = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vm_hwm_parses() {
        let status = "Name:\tnode\nVmPeak:\t  100 kB\nVmHWM:\t   45308 kB\nVmRSS:\t 1 kB\n";
        assert_eq!(parse_vm_hwm(status), Some(45308 * 1024));
        assert_eq!(parse_vm_hwm("Name: x\n"), None);
    }

    #[test]
    fn tails_cut_on_char_boundaries() {
        assert_eq!(tail_of("abc", 5), "abc");
        assert_eq!(tail_of("abcdef", 3), "…def");
        assert_eq!(tail_of("aéé", 3), "…é");
    }

    #[test]
    fn oom_is_recognised() {
        assert!(mentions_oom(
            "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"
        ));
        assert!(!mentions_oom("Error: boom"));
        let stderr = "<--- Last few GCs --->\nFATAL ERROR: Reached heap limit Allocation failed\n 1: 0x1 node\n";
        assert_eq!(oom_line(stderr), "FATAL ERROR: Reached heap limit Allocation failed");
    }

    #[test]
    fn exits_are_described() {
        assert_eq!(describe_exit(ExitStatus::from_raw(3 << 8)), "exited with status 3");
        assert_eq!(
            describe_exit(ExitStatus::from_raw(9)),
            "was killed by signal 9 (SIGKILL)"
        );
    }
}
