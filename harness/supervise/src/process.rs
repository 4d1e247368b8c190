//! [`Supervised`]: one child process, from spawn to reaped.

use std::io::Read;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long the rest of a dead child's stderr may take to arrive: something
/// the child started could still hold the pipe open.
const STDERR_DRAIN: Duration = Duration::from_millis(500);

/// How often an exiting child is polled.
const POLL: Duration = Duration::from_millis(5);

/// A child that could not be started.
#[derive(Debug, thiserror::Error)]
pub enum SpawnError {
    /// The executable could not be run.
    #[error("cannot start {label}: {source}")]
    Spawn {
        /// What was started.
        label: String,
        /// Why not.
        source: std::io::Error,
    },
    /// The thread that reads the child's stderr could not be started.
    #[error("cannot start a thread to read the stderr of {label}: {source}")]
    Thread {
        /// What was started.
        label: String,
        /// Why not.
        source: std::io::Error,
    },
}

/// A running child process with piped stdio, in a process group of its own.
///
/// It receives SIGKILL when the thread that spawned it dies (Linux's
/// parent-death signal), so spawn it from a thread that lives as long as
/// the child should. Dropping it kills the group and reaps the child.
pub struct Supervised {
    child: Child,
    label: String,
    stdin: Option<ChildStdin>,
    stdout: Option<ChildStdout>,
    stderr: Arc<Mutex<Vec<u8>>>,
    stderr_reader: Option<(JoinHandle<()>, Receiver<()>)>,
    status: Option<ExitStatus>,
    /// The group was ended: its id is never signalled again, since once
    /// the leader is reaped and the group empty the id may be reused.
    ended: bool,
}

impl Supervised {
    /// Spawns `command` with piped stdin, stdout and stderr, keeping the
    /// last `stderr_tail` bytes of its stderr. `label` names it in messages
    /// (the pid is added).
    pub fn spawn(mut command: Command, label: &str, stderr_tail: usize) -> Result<Self, SpawnError> {
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        isolate(&mut command);
        let mut child = command.spawn().map_err(|source| SpawnError::Spawn {
            label: label.to_string(),
            source,
        })?;
        let label = format!("{label} (pid {})", child.id());
        let stdin = child.stdin.take();
        let stdout = child.stdout.take();
        let pipe = child.stderr.take();
        let mut process = Supervised {
            child,
            label,
            stdin,
            stdout,
            stderr: Arc::new(Mutex::new(Vec::new())),
            stderr_reader: None,
            status: None,
            ended: false,
        };
        if let Some(pipe) = pipe {
            match read_tail(pipe, Arc::clone(&process.stderr), stderr_tail, &process.label) {
                Ok(reader) => process.stderr_reader = Some(reader),
                Err(source) => {
                    let label = process.label.clone();
                    process.kill();
                    return Err(SpawnError::Thread { label, source });
                }
            }
        }
        Ok(process)
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What it is, with its pid (e.g. `node (pid 123)`).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The pipe to its stdin, while it is open.
    pub fn stdin(&mut self) -> Option<&mut ChildStdin> {
        self.stdin.as_mut()
    }

    /// Takes the pipe to its stdin (e.g. to write from another thread).
    pub fn take_stdin(&mut self) -> Option<ChildStdin> {
        self.stdin.take()
    }

    /// Takes the pipe from its stdout.
    pub fn take_stdout(&mut self) -> Option<ChildStdout> {
        self.stdout.take()
    }

    /// The end of what it wrote to stderr, trimmed.
    pub fn stderr_tail(&self) -> String {
        let bytes = self.stderr.lock().unwrap_or_else(|p| p.into_inner());
        String::from_utf8_lossy(&bytes).trim().to_string()
    }

    /// How it ended, once it has been reaped.
    pub fn status(&self) -> Option<ExitStatus> {
        self.status
    }

    /// Whether it has exited (reaping it if so), without waiting.
    pub fn has_exited(&mut self) -> bool {
        if self.status.is_none()
            && let Ok(Some(status)) = self.child.try_wait()
        {
            self.status = Some(status);
        }
        self.status.is_some()
    }

    /// Its peak resident size while it runs.
    pub fn peak_rss(&self) -> Option<u64> {
        if self.status.is_some() {
            return None;
        }
        crate::procfs::peak_rss(Some(self.pid()))
    }

    /// Waits up to `grace` for it to exit by itself, then kills it; in both
    /// cases ends its process group (so nothing it started lives on), reaps
    /// it and waits for the rest of its stderr. Returns how it ended and
    /// whether it exited by itself.
    pub fn finish(&mut self, grace: Duration) -> (Option<ExitStatus>, bool) {
        let deadline = Instant::now() + grace;
        while !self.has_exited() && Instant::now() < deadline {
            std::thread::sleep(POLL);
        }
        let by_itself = self.status.is_some();
        self.kill();
        (self.status, by_itself)
    }

    /// Kills its process group and every process below it, reaps it and
    /// drains its stderr. Idempotent.
    pub fn kill(&mut self) -> Option<ExitStatus> {
        if self.ended {
            return self.status;
        }
        self.ended = true;
        // Collected first: once the child dies its children are re-parented.
        let below = crate::procfs::process_tree(self.pid());
        // Only signal a child that has not been reaped, so the ids cannot
        // belong to other processes yet; a reaped leader's group id stays
        // reserved while members of the group live.
        signal_group(self.pid());
        if !self.has_exited() {
            for pid in below.into_iter().skip(1) {
                signal(pid);
            }
            let _ = self.child.kill();
            self.status = self.child.wait().ok();
        }
        self.stdin = None;
        self.drain_stderr();
        self.status
    }

    fn drain_stderr(&mut self) {
        // The child is gone, so its stderr reaches end of file soon, and
        // waiting for that makes the tail complete for an error message.
        if let Some((reader, done)) = self.stderr_reader.take()
            && let Err(RecvTimeoutError::Disconnected) = done.recv_timeout(STDERR_DRAIN)
        {
            let _ = reader.join();
        }
    }
}

impl Drop for Supervised {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Kills `pid`'s process group and every process below `pid`.
pub fn kill_tree(pid: u32) {
    let below = crate::procfs::process_tree(pid);
    signal_group(pid);
    for pid in below {
        signal(pid);
    }
}

fn signal_group(pid: u32) {
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        // SAFETY: plain syscall; at worst the group is gone.
        unsafe {
            libc::killpg(pid, libc::SIGKILL);
        }
    }
}

fn signal(pid: u32) {
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        // SAFETY: plain syscall on a process that was just below ours.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
        }
    }
}

/// Own process group (a terminal's Ctrl-C reaches only jsbench, which ends
/// its children itself, and one kill takes the whole group) and, on Linux,
/// SIGKILL when the spawning thread dies, even by `kill -9`.
fn isolate(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    command.process_group(0);
    #[cfg(target_os = "linux")]
    {
        let parent = std::process::id();
        // Built before the fork: the child only hands it to the kernel.
        let cpus = crate::placement::child_mask();
        // SAFETY: the closure runs in the forked child before exec and makes
        // only async-signal-safe syscalls.
        unsafe {
            command.pre_exec(move || {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong, 0, 0, 0);
                // The parent may have died before the signal was armed.
                if libc::getppid() as u32 != parent {
                    libc::_exit(1);
                }
                if let Some(mask) = &cpus
                    && libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), mask) != 0
                {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
}

type TailReader = (JoinHandle<()>, Receiver<()>);

fn read_tail(
    mut pipe: std::process::ChildStderr,
    sink: Arc<Mutex<Vec<u8>>>,
    keep: usize,
    label: &str,
) -> std::io::Result<TailReader> {
    let (finished, done) = mpsc::channel::<()>();
    let handle = std::thread::Builder::new()
        .name(format!("stderr of {label}"))
        .spawn(move || {
            // Dropped at the end: tells `drain_stderr` the tail is complete.
            let _finished = finished;
            let mut buffer = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                let mut tail = sink.lock().unwrap_or_else(|p| p.into_inner());
                tail.extend_from_slice(&buffer[..n]);
                if tail.len() > 2 * keep {
                    let cut = tail.len() - keep;
                    tail.drain(..cut);
                }
            }
        })?;
    Ok((handle, done))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.arg("-c").arg(script);
        command
    }

    fn alive(pid: u32) -> bool {
        // A zombie is dead for our purposes.
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|s| !s.rsplit(')').next().unwrap_or("").trim_start().starts_with('Z'))
            .unwrap_or(false)
    }

    #[test]
    fn stderr_tail_is_bounded_and_complete() {
        let mut child = Supervised::spawn(sh("yes x | head -c 100000 >&2; echo END >&2"), "sh", 64).unwrap();
        let (status, by_itself) = child.finish(Duration::from_secs(10));
        assert!(by_itself);
        assert!(status.unwrap().success());
        let tail = child.stderr_tail();
        assert!(tail.ends_with("END"), "{tail}");
        assert!(tail.len() <= 128, "{}", tail.len());
    }

    #[test]
    fn kill_ends_the_group_and_the_tree() {
        let mut child = Supervised::spawn(sh("sleep 300 & sleep 300 & echo $! ; wait"), "sh", 1024).unwrap();
        let mut out = String::new();
        let mut stdout = child.take_stdout().unwrap();
        let mut byte = [0u8; 1];
        while stdout.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
            out.push(byte[0] as char);
        }
        let grandchild: u32 = out.trim().parse().unwrap();
        assert!(alive(grandchild));
        let status = child.kill();
        assert!(status.is_some());
        let deadline = Instant::now() + Duration::from_secs(5);
        while alive(grandchild) && Instant::now() < deadline {
            std::thread::sleep(POLL);
        }
        assert!(!alive(grandchild), "grandchild {grandchild} outlived the kill");
        assert!(child.kill().is_some(), "kill is idempotent");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_child_dies_with_its_spawning_thread() {
        let pid = std::thread::spawn(|| {
            let child = Supervised::spawn(sh("sleep 300"), "sh", 64).unwrap();
            let pid = child.pid();
            std::mem::forget(child);
            pid
        })
        .join()
        .unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        while alive(pid) && Instant::now() < deadline {
            std::thread::sleep(POLL);
        }
        assert!(!alive(pid), "child {pid} outlived the thread that started it");
    }

    #[test]
    fn a_missing_program_is_a_spawn_error() {
        let err = Supervised::spawn(Command::new("/nonexistent/program"), "thing", 64)
            .err()
            .unwrap();
        assert!(err.to_string().starts_with("cannot start thing:"), "{err}");
    }
}
