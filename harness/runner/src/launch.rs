//! The harness side of one worker process: spawn it, hand it the request,
//! collect its events, and enforce the limits from outside — a silent or
//! stuck worker is killed at a deadline, one whose resident size passes the
//! memory limit is killed as out of memory, and a worker that dies is
//! reported as crashed, with the tail of its stderr.
//!
//! Workers run in their own process group so that killing one also ends any
//! process it started. The memory limit counts the worker and every process
//! below it (a runtime child of a process backend runs in a group of its
//! own), so a runtime child that grows (Bun has no
//! heap limit of its own) is stopped like an embedded engine would be. A
//! worker also dies with the harness (`PR_SET_PDEATHSIG`), so a `kill -9`
//! of the harness leaves no worker running.

use crate::protocol::{Phase, WorkerEvent, WorkerRequest};
use crate::worker::{EXIT_WATCHDOG, proc_status_kib};
use jsbench_schema::{CellError, ErrorKind, Memory, ProcessRun};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How to start a worker: `program args... <backend>`.
#[derive(Debug, Clone)]
pub struct WorkerCommand {
    /// The executable (normally the running `jsbench`).
    pub program: PathBuf,
    /// Arguments before the request is sent on stdin.
    pub args: Vec<String>,
}

/// Limits the harness enforces on a worker from outside.
#[derive(Debug, Clone, Copy)]
pub struct Supervision {
    /// Longest silence allowed from a worker outside `prepare`.
    pub silence: Duration,
    /// Longest `prepare` allowed (componentizing can take minutes).
    pub prepare: Duration,
    /// Largest resident size allowed, for the worker and its children.
    pub memory_limit: u64,
}

impl Supervision {
    /// Deadlines derived from the per-call timeout: a worker reports at least
    /// once per call, and its own watchdog ends a stuck call at about 1.5x
    /// the timeout, so twice the timeout plus start-up slack only catches a
    /// worker that is truly wedged.
    pub fn for_limits(timeout: Duration, memory_limit: u64) -> Self {
        let twice = timeout.saturating_mul(2);
        Supervision {
            silence: twice.saturating_add(Duration::from_secs(5)),
            prepare: Duration::from_secs(900).max(twice),
            memory_limit,
        }
    }
}

/// What one worker process produced.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProcessOutcome {
    /// Phases, samples and memory.
    pub run: ProcessRun,
    /// The error that ended it, if any.
    pub error: Option<CellError>,
    /// Figures from `prepare` (e.g. component size).
    pub prepare_figures: BTreeMap<String, f64>,
    /// The worker was stopped because the run was cancelled (Ctrl-C): what
    /// it measured is incomplete and should not be recorded.
    pub interrupted: bool,
}

const STDERR_TAIL_BYTES: usize = 4096;
const POLL: Duration = Duration::from_millis(10);
/// How often the resident size of the worker's whole process group is added
/// up (a scan of `/proc`); the worker's own size is read every [`POLL`].
const GROUP_POLL: Duration = Duration::from_millis(100);

/// Runs one worker process to completion. Never panics on worker
/// misbehaviour: every failure ends up in [`ProcessOutcome::error`].
pub fn run_process(
    command: &WorkerCommand,
    request: &WorkerRequest,
    supervision: Supervision,
    cancel: &AtomicBool,
) -> ProcessOutcome {
    let mut outcome = ProcessOutcome::default();
    let fail = |outcome: &mut ProcessOutcome, kind, phase: &str, message: String| {
        if outcome.error.is_none() {
            outcome.error = Some(CellError {
                kind,
                phase: phase.to_string(),
                message,
                stack: None,
            });
        }
    };
    let payload = match serde_json::to_vec(request) {
        Ok(p) => p,
        Err(e) => {
            fail(
                &mut outcome,
                ErrorKind::Internal,
                "create",
                format!("cannot encode the worker request: {e}"),
            );
            return outcome;
        }
    };
    let mut builder = Command::new(&command.program);
    builder
        .args(&command.args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    // SAFETY: the closure runs in the forked child before exec and only
    // makes a raw, async-signal-safe syscall.
    unsafe {
        builder.pre_exec(|| {
            // Die with the harness (even a kill -9 of it): the worker is in a
            // process group of its own, so no terminal signal reaches it.
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong, 0, 0, 0);
            Ok(())
        });
    }
    let spawned = builder.spawn();
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => {
            fail(
                &mut outcome,
                ErrorKind::Internal,
                "create",
                format!("cannot start worker {}: {e}", command.program.display()),
            );
            return outcome;
        }
    };
    let pid = child.id();

    // Feed the request from a thread: a large input must not deadlock
    // against a worker that writes before it has read everything.
    if let Some(mut stdin) = child.stdin.take() {
        std::thread::spawn(move || {
            let _ = stdin.write_all(&payload);
        });
    }
    let (events_tx, events) = mpsc::channel::<Result<WorkerEvent, String>>();
    if let Some(stdout) = child.stdout.take() {
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if line.trim().is_empty() {
                    continue;
                }
                let parsed = serde_json::from_str::<WorkerEvent>(&line).map_err(|e| {
                    format!(
                        "unreadable worker output `{}`: {e}",
                        crate::manifest::abbreviate(&line, 200)
                    )
                });
                if events_tx.send(parsed).is_err() {
                    break;
                }
            }
        });
    }
    let stderr_tail = std::sync::Arc::new(std::sync::Mutex::new(Vec::<u8>::new()));
    let stderr_thread = child.stderr.take().map(|mut stderr| {
        let tail = std::sync::Arc::clone(&stderr_tail);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let Ok(mut t) = tail.lock() else { break };
                t.extend_from_slice(&buf[..n]);
                if t.len() > STDERR_TAIL_BYTES * 2 {
                    let cut = t.len() - STDERR_TAIL_BYTES;
                    t.drain(..cut);
                }
            }
        })
    });

    let status_path = format!("/proc/{pid}/status");
    let mut phase = Phase::Prepare;
    let mut last_heard = Instant::now();
    let mut max_rss: u64 = 0;
    let mut group_rss: u64 = 0;
    let mut last_group_scan: Option<Instant> = None;
    let mut finished = false;
    let mut killed_for: Option<(ErrorKind, String)> = None;
    loop {
        match events.recv_timeout(POLL) {
            Ok(Ok(event)) => {
                last_heard = Instant::now();
                match event {
                    WorkerEvent::PhaseStart { phase: p } => phase = p,
                    WorkerEvent::PhaseDone {
                        phase: p,
                        nanos,
                        figures,
                    } => {
                        let slot = match p {
                            Phase::Prepare => &mut outcome.run.phases.prepare,
                            Phase::Create => &mut outcome.run.phases.create,
                            Phase::Load => &mut outcome.run.phases.load,
                            Phase::FirstCall => &mut outcome.run.phases.first_call,
                            Phase::Steady => &mut None,
                        };
                        *slot = Some(nanos);
                        outcome.prepare_figures.extend(figures);
                    }
                    WorkerEvent::Calibrated {
                        ops_per_sample,
                        warmup_ops,
                    } => {
                        outcome.run.iterations_per_sample = ops_per_sample;
                        outcome.run.warmup_calls = warmup_ops;
                    }
                    WorkerEvent::Samples { values } => outcome.run.samples.extend(values),
                    WorkerEvent::LevelShift { dropped_samples } => {
                        let dropped = usize::try_from(dropped_samples)
                            .unwrap_or(usize::MAX)
                            .min(outcome.run.samples.len());
                        outcome.run.samples.drain(..dropped);
                        outcome.run.warmup_calls += dropped as u64 * outcome.run.iterations_per_sample;
                        outcome.run.level_shifts += 1;
                    }
                    WorkerEvent::Latency { histogram } => outcome.run.call_latency = histogram,
                    WorkerEvent::Counters { counters } => outcome.run.counters = counters,
                    WorkerEvent::Error {
                        phase,
                        kind,
                        message,
                        stack,
                    } => {
                        if outcome.error.is_none() {
                            outcome.error = Some(CellError {
                                kind,
                                phase: phase.as_str().into(),
                                message,
                                stack,
                            });
                        }
                    }
                    WorkerEvent::Done {
                        peak_rss,
                        engine_memory,
                    } => {
                        outcome.run.memory = Memory {
                            peak_rss,
                            engine: engine_memory,
                        };
                        finished = true;
                    }
                }
            }
            Ok(Err(message)) => {
                kill_group(pid);
                killed_for = Some((ErrorKind::Crashed, message));
            }
            Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {}
        }
        if killed_for.is_some() {
            break;
        }
        if let Some(kib) = proc_status_kib(&status_path, "VmRSS:") {
            let own = kib * 1024;
            max_rss = max_rss.max(own);
            // `prepare` is build-time work in helper processes (the wasm
            // backend's componentizer), not the engine: it is not limited.
            if phase == Phase::Prepare {
                group_rss = 0;
            } else if last_group_scan.is_none_or(|t| t.elapsed() >= GROUP_POLL) {
                last_group_scan = Some(Instant::now());
                group_rss = tree_resident_bytes(pid);
            }
            // The group's last total, with the worker's own size up to date.
            let rss = own.max(group_rss);
            if rss > supervision.memory_limit {
                kill_group(pid);
                killed_for = Some((
                    ErrorKind::OutOfMemory,
                    format!(
                        "the worker's resident size (with any runtime process it started) reached {} MiB, over the memory limit of {} MiB; it was stopped",
                        rss >> 20,
                        supervision.memory_limit >> 20
                    ),
                ));
                break;
            }
        }
        let allowed = if phase == Phase::Prepare {
            supervision.prepare
        } else {
            supervision.silence
        };
        if last_heard.elapsed() > allowed {
            kill_group(pid);
            killed_for = Some((
                ErrorKind::Timeout,
                format!(
                    "the worker sent nothing for {} s during {}; it was stopped",
                    allowed.as_secs(),
                    phase.as_str()
                ),
            ));
            break;
        }
        if cancel.load(Ordering::Relaxed) {
            kill_group(pid);
            outcome.interrupted = true;
            killed_for = Some((ErrorKind::Internal, "interrupted by the user".into()));
            break;
        }
    }
    // Drain events that arrived before the end (e.g. the watchdog's report).
    while let Ok(Ok(event)) = events.try_recv() {
        if let WorkerEvent::Error {
            phase,
            kind,
            message,
            stack,
        } = event
            && outcome.error.is_none()
        {
            outcome.error = Some(CellError {
                kind,
                phase: phase.as_str().into(),
                message,
                stack,
            });
        }
    }
    let status = reap(&mut child, pid);
    if let Some(handle) = stderr_thread {
        let _ = handle.join();
    }
    let stderr = stderr_tail
        .lock()
        .map(|t| String::from_utf8_lossy(&t).trim().to_string())
        .unwrap_or_default();
    if outcome.run.memory.peak_rss.is_none() && max_rss > 0 {
        outcome.run.memory.peak_rss = Some(max_rss);
    }
    if let Some((kind, message)) = killed_for {
        fail(&mut outcome, kind, phase.as_str(), message);
    } else if !finished
        || status
            .as_ref()
            .is_some_and(|s| !s.success() && s.code() != Some(EXIT_WATCHDOG))
    {
        let how = match &status {
            Some(s) => describe_exit(s),
            None => "could not be waited for".into(),
        };
        let tail = if stderr.is_empty() {
            String::new()
        } else {
            format!("; its stderr ends with:\n{}", tail_lines(&stderr, 12))
        };
        fail(
            &mut outcome,
            ErrorKind::Crashed,
            phase.as_str(),
            format!("the worker process {how} during {}{tail}", phase.as_str()),
        );
    }
    outcome
}

/// The process `root` and every process below it (a runtime child runs in
/// a process group of its own, so the tree is followed by parent id).
fn process_tree(root: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return vec![root];
    };
    let parents: Vec<(u32, u32)> = entries
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            Some((pid, stat_ppid(&stat)?))
        })
        .collect();
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(parents.iter().filter(|(_, p)| *p == parent).map(|(pid, _)| *pid));
        i += 1;
    }
    tree
}

/// Resident bytes of the worker `root` and every process below it, from
/// `/proc/<pid>/statm`.
fn tree_resident_bytes(root: u32) -> u64 {
    // SAFETY: sysconf has no preconditions.
    let page = u64::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(4096);
    process_tree(root)
        .iter()
        .filter_map(|pid| {
            let statm = std::fs::read_to_string(format!("/proc/{pid}/statm")).ok()?;
            statm.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map(|pages| pages * page)
        .sum()
}

/// The parent id in a `/proc/<pid>/stat` line: the 4th field, counted
/// after the command name, which is in parentheses and may hold spaces.
fn stat_ppid(stat: &str) -> Option<u32> {
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(1)?.parse().ok()
}

/// Kills the worker's process group and every process below the worker:
/// a runtime child of a process backend leads a group of its own and, busy
/// in a loop, would not notice that its stdin closed.
fn kill_group(pid: u32) {
    // Collected first: once the worker dies its children are re-parented.
    let tree = process_tree(pid);
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        // SAFETY: plain syscall; the group was made by us with process_group(0).
        unsafe {
            libc::killpg(pid, libc::SIGKILL);
        }
    }
    for child in tree.into_iter().skip(1) {
        if let Ok(child) = libc::pid_t::try_from(child) {
            // SAFETY: plain syscall on a process that was just below our
            // worker; at worst it has exited and the id is unused.
            unsafe {
                libc::kill(child, libc::SIGKILL);
            }
        }
    }
}

/// Waits for the worker, ending its whole group so no grandchild outlives it.
fn reap(child: &mut Child, pid: u32) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                kill_group(pid);
                return Some(status);
            }
            Ok(None) if Instant::now() < deadline => std::thread::sleep(POLL),
            Ok(None) => {
                kill_group(pid);
                return child.wait().ok();
            }
            Err(_) => return None,
        }
    }
}

fn describe_exit(status: &std::process::ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exited with code {code}"),
        (None, Some(signal)) => format!("was killed by signal {signal} ({})", signal_name(signal)),
        _ => "ended".into(),
    }
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        libc::SIGABRT => "SIGABRT, an abort",
        libc::SIGSEGV => "SIGSEGV, a segmentation fault",
        libc::SIGKILL => "SIGKILL",
        libc::SIGBUS => "SIGBUS",
        libc::SIGILL => "SIGILL",
        libc::SIGTERM => "SIGTERM",
        libc::SIGINT => "SIGINT",
        libc::SIGTRAP => "SIGTRAP",
        _ => "signal",
    }
}

fn tail_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_is_read_after_the_command_name() {
        assert_eq!(stat_ppid("123 (a b) c) S 77 4567 4567 0 -1"), Some(77));
        assert_eq!(stat_ppid("garbage"), None);
    }

    #[test]
    fn children_are_counted() {
        let mut child = Command::new("sleep").arg("30").spawn().unwrap();
        let own = proc_status_kib("/proc/self/status", "VmRSS:").unwrap() * 1024;
        let alone = proc_status_kib(&format!("/proc/{}/status", child.id()), "VmRSS:").unwrap_or(0) * 1024;
        let total = tree_resident_bytes(std::process::id());
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(total >= own / 2 + alone / 2, "{total} < {own} + {alone}");
        assert!(alone > 0);
    }

    #[test]
    fn huge_timeouts_do_not_overflow() {
        let s = Supervision::for_limits(Duration::MAX, 1);
        assert_eq!(s.silence, Duration::MAX);
    }
}
