//! The harness side of one worker process: spawn it, hand it the request,
//! collect its events, and enforce the limits from outside — a silent or
//! stuck worker is killed at a deadline, one whose resident size passes the
//! memory limit is killed as out of memory, and a worker that dies is
//! reported as crashed, with the tail of its stderr.
//!
//! Workers are [`Supervised`] children: their own process group, so that
//! killing one also ends any process it started. The memory limit counts the worker and every process
//! below it (a runtime child of a process backend runs in a group of its
//! own), so a runtime child that grows (Bun has no
//! heap limit of its own) is stopped like an embedded engine would be. A
//! worker also dies with the harness (`PR_SET_PDEATHSIG`), so a `kill -9`
//! of the harness leaves no worker running.

use crate::protocol::{Phase, WorkerEvent, WorkerRequest};
use crate::worker::EXIT_WATCHDOG;
use jsbench_schema::{BuildCosts, CellError, ErrorKind, Memory, ProcessRun};
use jsbench_supervise::{Supervised, describe_exit, procfs, tail_lines};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, ExitStatus};
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
    /// What `prepare` cost and produced, for a backend with build-time work.
    pub build: Option<BuildCosts>,
    /// The worker was stopped because the run was cancelled (Ctrl-C): what
    /// it measured is incomplete and should not be recorded.
    pub interrupted: bool,
    /// A density worker's points, in the order reported.
    pub density: Vec<jsbench_schema::DensityPoint>,
    /// A concurrency worker's points, in the order reported.
    pub concurrency: Vec<jsbench_schema::ConcurrencyPoint>,
}

const STDERR_TAIL_BYTES: usize = 4096;
const POLL: Duration = Duration::from_millis(10);
/// How often the resident size of the worker's whole process group is added
/// up (a scan of `/proc`); the worker's own size is read every [`POLL`].
const GROUP_POLL: Duration = Duration::from_millis(100);
/// How long a worker that closed its stdout may take to exit.
const EXIT_GRACE: Duration = Duration::from_secs(5);

/// Runs one worker process to completion. Never panics on worker
/// misbehaviour: every failure ends up in [`ProcessOutcome::error`].
pub fn run_process(
    command: &WorkerCommand,
    request: &WorkerRequest,
    supervision: Supervision,
    cancel: &AtomicBool,
) -> ProcessOutcome {
    let mut outcome = ProcessOutcome::default();
    let spawned = Instant::now();
    let (mut worker, events) = match start(command, request) {
        Ok(started) => started,
        Err(message) => {
            fail(&mut outcome, ErrorKind::Internal, Phase::Create, message);
            return outcome;
        }
    };
    let watched = watch(&worker, &events, supervision, cancel, &mut outcome);
    if watched.killed_for.is_some() {
        worker.kill();
    }
    // Events that arrived before the end (e.g. the watchdog's report).
    while let Ok(Ok(event)) = events.try_recv() {
        if let WorkerEvent::Error { .. } = event {
            fold_event(&mut outcome, event);
        }
    }
    let (status, _) = worker.finish(EXIT_GRACE);
    conclude(&mut outcome, watched, status, &worker.stderr_tail());
    outcome.run.wall_ns = Some(u64::try_from(spawned.elapsed().as_nanos()).unwrap_or(u64::MAX));
    outcome
}

/// How watching a worker ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Watched {
    /// The phase the worker was in last.
    pub phase: Phase,
    /// The worker said it was done.
    pub finished: bool,
    /// Why the harness killed it, if it did.
    pub killed_for: Option<(ErrorKind, String)>,
    /// The largest resident size seen of the worker alone.
    pub max_rss: u64,
}

type Events = mpsc::Receiver<Result<WorkerEvent, String>>;

/// Spawns the worker, feeds it the request from a thread (a large input
/// must not deadlock against a worker that writes before it has read
/// everything) and parses its stdout into events on another.
fn start(command: &WorkerCommand, request: &WorkerRequest) -> Result<(Supervised, Events), String> {
    let payload = serde_json::to_vec(request).map_err(|e| format!("cannot encode the worker request: {e}"))?;
    let mut builder = Command::new(&command.program);
    builder.args(&command.args);
    let mut worker = Supervised::spawn(
        builder,
        &format!("worker {}", command.program.display()),
        STDERR_TAIL_BYTES,
    )
    .map_err(|e| e.to_string())?;
    if let Some(mut stdin) = worker.take_stdin() {
        std::thread::spawn(move || {
            let _ = stdin.write_all(&payload);
        });
    }
    let (events_tx, events) = mpsc::channel::<Result<WorkerEvent, String>>();
    if let Some(stdout) = worker.take_stdout() {
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
    Ok((worker, events))
}

/// Folds the worker's events into the outcome and enforces the limits
/// from outside until the worker closes its stdout or is killed.
fn watch(
    worker: &Supervised,
    events: &Events,
    supervision: Supervision,
    cancel: &AtomicBool,
    outcome: &mut ProcessOutcome,
) -> Watched {
    let pid = worker.pid();
    let mut watched = Watched {
        phase: Phase::Prepare,
        finished: false,
        killed_for: None,
        max_rss: 0,
    };
    let mut last_heard = Instant::now();
    let mut group_rss: u64 = 0;
    let mut last_group_scan: Option<Instant> = None;
    loop {
        match events.recv_timeout(POLL) {
            Ok(Ok(event)) => {
                last_heard = Instant::now();
                if let WorkerEvent::PhaseStart { phase } = &event {
                    watched.phase = *phase;
                }
                watched.finished |= fold_event(outcome, event);
            }
            Ok(Err(message)) => {
                watched.killed_for = Some((ErrorKind::Crashed, message));
            }
            Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {}
        }
        if watched.killed_for.is_some() {
            break;
        }
        if let Some(own) = procfs::rss(Some(pid)) {
            watched.max_rss = watched.max_rss.max(own);
            // `prepare` is build-time work in helper processes (the wasm
            // backend's componentizer), not the engine: it is not limited.
            if watched.phase == Phase::Prepare {
                group_rss = 0;
            } else if last_group_scan.is_none_or(|t| t.elapsed() >= GROUP_POLL) {
                last_group_scan = Some(Instant::now());
                group_rss = procfs::tree_resident_bytes(pid);
            }
            // The group's last total, with the worker's own size up to date.
            let rss = own.max(group_rss);
            if rss > supervision.memory_limit {
                watched.killed_for = Some((
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
        let allowed = if watched.phase == Phase::Prepare {
            supervision.prepare
        } else {
            supervision.silence
        };
        if last_heard.elapsed() > allowed {
            watched.killed_for = Some((
                ErrorKind::Timeout,
                format!(
                    "the worker sent nothing for {} s during {}; it was stopped",
                    allowed.as_secs(),
                    watched.phase.as_str()
                ),
            ));
            break;
        }
        if cancel.load(Ordering::Relaxed) {
            outcome.interrupted = true;
            watched.killed_for = Some((ErrorKind::Internal, "interrupted by the user".into()));
            break;
        }
    }
    watched
}

/// Folds one worker event into the outcome; `true` when the event says the
/// worker is done.
pub fn fold_event(outcome: &mut ProcessOutcome, event: WorkerEvent) -> bool {
    match event {
        WorkerEvent::PhaseStart { .. } => {}
        WorkerEvent::PhaseDone { phase, nanos, build } => {
            let slot = match phase {
                Phase::Prepare => &mut outcome.run.phases.prepare,
                Phase::Create => &mut outcome.run.phases.create,
                Phase::Load => &mut outcome.run.phases.load,
                Phase::FirstCall => &mut outcome.run.phases.first_call,
                Phase::Steady => &mut None,
            };
            *slot = Some(nanos);
            outcome.build = build.or(outcome.build);
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
        WorkerEvent::Counters { counters } => outcome.run.counters = Some(counters),
        WorkerEvent::Density { point } => outcome.density.push(point),
        WorkerEvent::Concurrency { point } => outcome.concurrency.push(point),
        WorkerEvent::Error {
            phase,
            kind,
            message,
            stack,
        } => {
            if outcome.error.is_none() {
                outcome.error = Some(CellError {
                    kind,
                    phase,
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
            return true;
        }
    }
    false
}

/// The final word on a worker: the harness's reason if it killed it, a
/// crash if it died without saying it was done (or exited badly other than
/// through its own watchdog), with the tail of its stderr.
pub fn conclude(outcome: &mut ProcessOutcome, watched: Watched, status: Option<ExitStatus>, stderr: &str) {
    if outcome.run.memory.peak_rss.is_none() && watched.max_rss > 0 {
        outcome.run.memory.peak_rss = Some(watched.max_rss);
    }
    let phase = watched.phase;
    if let Some((kind, message)) = watched.killed_for {
        fail(outcome, kind, phase, message);
        return;
    }
    let bad_exit = status
        .as_ref()
        .is_some_and(|s| !s.success() && s.code() != Some(EXIT_WATCHDOG));
    if watched.finished && !bad_exit {
        return;
    }
    let how = match &status {
        Some(s) => describe_exit(s),
        None => "could not be waited for".into(),
    };
    let tail = if stderr.is_empty() {
        String::new()
    } else {
        format!("; its stderr ends with:\n{}", tail_lines(stderr, 12))
    };
    fail(
        outcome,
        ErrorKind::Crashed,
        phase,
        format!("the worker process {how} during {}{tail}", phase.as_str()),
    );
}

/// Records the first error of a process; later ones are consequences.
fn fail(outcome: &mut ProcessOutcome, kind: ErrorKind, phase: Phase, message: String) {
    if outcome.error.is_none() {
        outcome.error = Some(CellError {
            kind,
            phase,
            message,
            stack: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    #[test]
    fn huge_timeouts_do_not_overflow() {
        let s = Supervision::for_limits(Duration::MAX, 1);
        assert_eq!(s.silence, Duration::MAX);
    }

    fn watched(finished: bool) -> Watched {
        Watched {
            phase: Phase::Steady,
            finished,
            killed_for: None,
            max_rss: 7,
        }
    }

    #[test]
    fn events_fold_into_a_process_run() {
        let mut outcome = ProcessOutcome::default();
        let events = [
            WorkerEvent::PhaseDone {
                phase: Phase::Prepare,
                nanos: 4,
                build: Some(BuildCosts {
                    cache_hit: true,
                    ..BuildCosts::default()
                }),
            },
            WorkerEvent::PhaseDone {
                phase: Phase::Create,
                nanos: 5,
                build: None,
            },
            WorkerEvent::Calibrated {
                ops_per_sample: 10,
                warmup_ops: 3,
            },
            WorkerEvent::Samples {
                values: vec![1.0, 2.0, 3.0, 4.0],
            },
            WorkerEvent::LevelShift { dropped_samples: 2 },
            WorkerEvent::Samples { values: vec![5.0] },
        ];
        for event in events {
            assert!(!fold_event(&mut outcome, event));
        }
        assert!(fold_event(
            &mut outcome,
            WorkerEvent::Done {
                peak_rss: Some(9),
                engine_memory: None
            }
        ));
        assert_eq!(outcome.run.phases.create, Some(5));
        assert!(
            outcome.build.is_some_and(|b| b.cache_hit),
            "a later phase keeps the build costs"
        );
        assert_eq!(outcome.run.samples, vec![3.0, 4.0, 5.0]);
        assert_eq!(outcome.run.warmup_calls, 3 + 2 * 10);
        assert_eq!(outcome.run.level_shifts, 1);
        assert_eq!(outcome.run.memory.peak_rss, Some(9));
    }

    #[test]
    fn the_first_error_is_kept() {
        let mut outcome = ProcessOutcome::default();
        for message in ["first", "second"] {
            fold_event(
                &mut outcome,
                WorkerEvent::Error {
                    phase: Phase::Load,
                    kind: ErrorKind::Exception,
                    message: message.into(),
                    stack: None,
                },
            );
        }
        assert_eq!(outcome.error.unwrap().message, "first");
    }

    #[test]
    fn a_silent_death_is_a_crash_with_the_stderr_tail() {
        let mut outcome = ProcessOutcome::default();
        conclude(
            &mut outcome,
            watched(false),
            Some(ExitStatus::from_raw(11)),
            "a\nb\nboom",
        );
        let error = outcome.error.unwrap();
        assert_eq!(error.kind, ErrorKind::Crashed);
        assert!(
            error
                .message
                .starts_with("the worker process was killed by signal 11 (SIGSEGV"),
            "{}",
            error.message
        );
        assert!(error.message.ends_with("ends with:\na\nb\nboom"), "{}", error.message);
        assert_eq!(outcome.run.memory.peak_rss, Some(7));
    }

    #[test]
    fn the_watchdog_exit_and_a_clean_exit_are_not_crashes() {
        let mut outcome = ProcessOutcome::default();
        conclude(
            &mut outcome,
            watched(true),
            Some(ExitStatus::from_raw(EXIT_WATCHDOG << 8)),
            "",
        );
        assert!(outcome.error.is_none());
        conclude(&mut outcome, watched(true), Some(ExitStatus::from_raw(0)), "");
        assert!(outcome.error.is_none());
        conclude(&mut outcome, watched(true), Some(ExitStatus::from_raw(1 << 8)), "");
        assert_eq!(outcome.error.unwrap().kind, ErrorKind::Crashed);
    }

    #[test]
    fn a_kill_by_the_harness_gives_its_reason() {
        let mut outcome = ProcessOutcome::default();
        let mut w = watched(false);
        w.killed_for = Some((ErrorKind::OutOfMemory, "too big".into()));
        conclude(&mut outcome, w, Some(ExitStatus::from_raw(9)), "");
        let error = outcome.error.unwrap();
        assert_eq!(
            (error.kind, error.message.as_str()),
            (ErrorKind::OutOfMemory, "too big")
        );
    }
}
