//! The worker side: runs one backend through one workload's phases inside a
//! child process and streams [`WorkerEvent`]s to the harness.
//!
//! The worker times each phase, checks every output, calibrates how many
//! operations make a sample, discards warm-up samples until the timings are
//! steady, and then takes the samples. A watchdog thread ends the process
//! with a typed timeout event when a call outlives its deadline and the
//! engine did not stop it itself (Boa cannot be interrupted).

use crate::manifest::{Expected, abbreviate};
use crate::protocol::{CounterMode, Mode, Phase, WorkerEvent, WorkerRequest};
use crate::stats;
use hdrhistogram::Histogram;
use jsbench_api::{BackendError, JsBackend};
use jsbench_schema::{CounterSource, Counters, ErrorKind};
use std::io::Write;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Exit code of a worker stopped by its own watchdog.
pub const EXIT_WATCHDOG: i32 = 3;

/// Where events go: a shared, line-buffered writer (stdout in a real worker).
#[derive(Clone)]
pub struct EventSink {
    out: Arc<Mutex<Box<dyn Write + Send>>>,
}

impl EventSink {
    /// A sink writing to `out`.
    pub fn new(out: Box<dyn Write + Send>) -> Self {
        EventSink {
            out: Arc::new(Mutex::new(out)),
        }
    }

    /// Writes one event as a JSON line and flushes it. Failure to write means
    /// the harness is gone, and there is nobody left to tell.
    pub fn emit(&self, event: &WorkerEvent) {
        let Ok(line) = serde_json::to_string(event) else {
            return;
        };
        let mut out = match self.out.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    }
}

/// The watchdog's view of the call in progress.
struct Watch {
    origin: Instant,
    /// Nanoseconds after `origin` when the current call must be over; 0 = idle.
    deadline: AtomicU64,
    phase: AtomicU8,
}

impl Watch {
    fn arm(&self, phase: Phase, budget: Duration) {
        let at = self.origin.elapsed() + budget;
        self.phase.store(phase as u8, Ordering::Relaxed);
        self.deadline.store(
            u64::try_from(at.as_nanos()).unwrap_or(u64::MAX).max(1),
            Ordering::Relaxed,
        );
    }

    fn disarm(&self) {
        self.deadline.store(0, Ordering::Relaxed);
    }
}

fn phase_from(code: u8) -> Phase {
    Phase::ALL
        .into_iter()
        .find(|p| *p as u8 == code)
        .unwrap_or(Phase::Steady)
}

fn start_watchdog(watch: Arc<Watch>, sink: EventSink, timeout: Duration, engine: String) {
    std::thread::spawn(move || {
        loop {
            let deadline = watch.deadline.load(Ordering::Relaxed);
            let now = u64::try_from(watch.origin.elapsed().as_nanos()).unwrap_or(u64::MAX);
            if deadline != 0 && now >= deadline {
                let phase = phase_from(watch.phase.load(Ordering::Relaxed));
                sink.emit(&WorkerEvent::Error {
                    phase,
                    kind: ErrorKind::Timeout,
                    message: format!(
                        "timed out after {} ms; the worker process was stopped because {engine} did not stop the call itself",
                        timeout.as_millis()
                    ),
                    stack: None,
                });
                sink.emit(&WorkerEvent::Done {
                    peak_rss: peak_rss(),
                    engine_memory: None,
                });
                // SAFETY: _exit ends the process at once; no Rust state is
                // touched afterwards. The engine thread is stuck in JS, so an
                // orderly exit (destructors, atexit) could hang or crash.
                unsafe { libc::_exit(EXIT_WATCHDOG) };
            }
            let wait = if deadline == 0 {
                Duration::from_millis(50)
            } else {
                Duration::from_nanos(deadline.saturating_sub(now)).min(Duration::from_millis(50))
            };
            std::thread::sleep(wait.max(Duration::from_millis(1)));
        }
    });
}

/// Peak resident set size of this process (VmHWM), in bytes.
pub fn peak_rss() -> Option<u64> {
    jsbench_supervise::procfs::peak_rss(None)
}

/// Checks outputs, remembering the last output that passed so the common
/// case (the same output again) is a comparison, not a hash.
struct OutputCheck<'a> {
    expected: &'a Expected,
    last_good: Option<String>,
}

impl OutputCheck<'_> {
    fn check(&mut self, output: String) -> Result<(), String> {
        if self.last_good.as_deref() == Some(output.as_str()) {
            return Ok(());
        }
        if self.expected.matches(&output) {
            self.last_good = Some(output);
            Ok(())
        } else {
            Err(wrong_output(self.expected, &output))
        }
    }
}

/// The message of a call whose output is not the expected one.
pub(crate) fn wrong_output(expected: &Expected, output: &str) -> String {
    format!(
        "wrong output: expected {}, got `{}`",
        expected.describe(),
        abbreviate(output, 200)
    )
}

enum Failure {
    Backend(BackendError),
    WrongOutput(String),
}

/// Runs the request through `backend`, streaming events to `sink`; returns
/// the process exit code (0 whenever the outcome was reported).
pub fn run_worker(backend: &mut dyn JsBackend, request: &WorkerRequest, sink: &EventSink) -> i32 {
    let descriptor = backend.descriptor();
    let timeout = Duration::from_millis(request.timeout_ms);
    let limits = request.limits();
    let watch = Arc::new(Watch {
        origin: Instant::now(),
        deadline: AtomicU64::new(0),
        phase: AtomicU8::new(Phase::Create as u8),
    });
    // Engines that interrupt themselves get some slack to report their own
    // typed timeout before the watchdog ends the process.
    let hard_limit = if descriptor.capabilities.interrupt {
        timeout + timeout / 2 + Duration::from_millis(250)
    } else {
        timeout
    };
    start_watchdog(Arc::clone(&watch), sink.clone(), timeout, descriptor.engine.clone());

    let module = request.module();
    let mut phase = Phase::Prepare;
    let outcome = (|| -> Result<(), Failure> {
        // A baseline worker has no module to prepare.
        if request.measure.mode != Mode::Baseline {
            sink.emit(&WorkerEvent::PhaseStart { phase });
            let started = Instant::now();
            let build = backend.prepare(&module).map_err(Failure::Backend)?;
            sink.emit(&WorkerEvent::PhaseDone {
                phase,
                nanos: nanos(started.elapsed()),
                build,
            });
        }

        // A timed phase under the watchdog, reported when it completes.
        let timed = |phase: Phase, work: &mut dyn FnMut() -> Result<(), BackendError>| {
            sink.emit(&WorkerEvent::PhaseStart { phase });
            watch.arm(phase, hard_limit);
            let started = Instant::now();
            let done = work();
            let elapsed = started.elapsed();
            watch.disarm();
            done.map_err(Failure::Backend)?;
            phase_done(sink, phase, elapsed);
            Ok::<(), Failure>(())
        };
        phase = Phase::Create;
        timed(phase, &mut || backend.create(&limits))?;
        if request.measure.mode == Mode::Baseline {
            return Ok(());
        }
        phase = Phase::Load;
        timed(phase, &mut || backend.load(&module))?;

        let mut check = OutputCheck {
            expected: &request.expected,
            last_good: None,
        };
        phase = Phase::FirstCall;
        sink.emit(&WorkerEvent::PhaseStart { phase });
        // One operation (`calls_per_op` calls). Timed samples pass a
        // histogram: their calls are recorded one by one and go through
        // `measured_call`, the function callgrind counts.
        let mut op = |phase: Phase, latencies: Option<&mut Histogram<u64>>| -> Result<Duration, Failure> {
            let mut total = Duration::ZERO;
            let measured = latencies.is_some();
            let mut latencies = latencies;
            for _ in 0..request.calls_per_op {
                watch.arm(phase, hard_limit);
                let started = Instant::now();
                let output = if measured {
                    measured_call(backend, &request.input)
                } else {
                    backend.call(&request.input)
                };
                let elapsed = started.elapsed();
                watch.disarm();
                total += elapsed;
                if let Some(h) = latencies.as_deref_mut() {
                    h.saturating_record(nanos(elapsed).max(1));
                }
                check
                    .check(output.map_err(Failure::Backend)?)
                    .map_err(Failure::WrongOutput)?;
            }
            Ok(total)
        };
        let first = op(phase, None)?;
        phase_done(sink, phase, first);
        if request.measure.mode == Mode::ColdOnly {
            return Ok(());
        }

        phase = Phase::Steady;
        sink.emit(&WorkerEvent::PhaseStart { phase });
        steady_phase(&mut op, request, first, sink)
    })();

    if let Err(failure) = outcome {
        watch.disarm();
        let (kind, message, stack) = match failure {
            Failure::Backend(e) => (e.kind(), e.to_string(), e.stack().map(str::to_string)),
            Failure::WrongOutput(m) => (ErrorKind::WrongOutput, m, None),
        };
        sink.emit(&WorkerEvent::Error {
            phase,
            kind,
            message,
            stack,
        });
    }
    sink.emit(&WorkerEvent::Done {
        peak_rss: peak_rss(),
        engine_memory: backend.engine_memory(),
    });
    0
}

/// The calls of timed samples go through here. Under `--counters callgrind`
/// the worker runs with `--toggle-collect=*measured_call*`, so callgrind
/// counts exactly these calls; it must stay a real, separate function.
#[inline(never)]
fn measured_call(backend: &mut dyn JsBackend, input: &str) -> Result<String, BackendError> {
    std::hint::black_box(backend.call(std::hint::black_box(input)))
}

fn phase_done(sink: &EventSink, phase: Phase, elapsed: Duration) {
    sink.emit(&WorkerEvent::PhaseDone {
        phase,
        nanos: nanos(elapsed),
        build: None,
    });
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// Samples compared for steadiness: the median of the last `STEADY_WINDOW`
/// samples against the median of the window before.
const STEADY_WINDOW: usize = 3;
/// Relative difference of those medians under which timings count as steady.
const STEADY_TOLERANCE: f64 = 0.05;
/// Fewest samples left after dropping the first half of a shifted set.
const MIN_SAMPLES_AFTER_SHIFT: usize = 3;
/// Most operations in one sample.
const MAX_OPS_PER_SAMPLE: u64 = 10_000_000;

type Operation<'a> = dyn FnMut(Phase, Option<&mut Histogram<u64>>) -> Result<Duration, Failure> + 'a;

fn steady_phase(
    op: &mut Operation<'_>,
    request: &WorkerRequest,
    first: Duration,
    sink: &EventSink,
) -> Result<(), Failure> {
    let settings = request.measure;
    let steady_started = Instant::now();
    let budget = Duration::from_nanos(settings.max_steady_ns);
    // Warm-up operations one by one, keeping the fastest as the estimate of
    // an operation's cost (the first call includes compilation).
    let mut estimate = first;
    let mut warmup_ops: u64 = 0;
    for _ in 0..settings.warmup_ops {
        estimate = estimate.min(op(Phase::Steady, None)?);
        warmup_ops += 1;
        if steady_started.elapsed() > budget / 4 {
            break;
        }
    }
    let estimate_ns = estimate.as_nanos().max(1) as f64;
    let ops_per_sample = ((settings.sample_target_ns as f64 / estimate_ns).round() as u64).clamp(1, MAX_OPS_PER_SAMPLE);
    let sample = |op: &mut Operation<'_>, latencies: Option<&mut Histogram<u64>>| -> Result<f64, Failure> {
        let mut total = Duration::ZERO;
        let mut latencies = latencies;
        for _ in 0..ops_per_sample {
            total += op(Phase::Steady, latencies.as_deref_mut())?;
        }
        Ok(total.as_nanos() as f64 / ops_per_sample as f64)
    };

    // Discard whole samples until two windows agree (JITs speed up over the
    // first samples; interpreters are steady at once), within a quarter of
    // the budget. Under callgrind the call sequence must not depend on the
    // clock, or the engine's heap (and so the count) differs between runs:
    // there the fixed warm-up above is all.
    let mut discarded: Vec<f64> = Vec::new();
    let detect_steady = settings.counters != CounterMode::Callgrind;
    while detect_steady && steady_started.elapsed() < budget / 4 {
        discarded.push(sample(op, None)?);
        let n = discarded.len();
        if n >= 2 * STEADY_WINDOW {
            let before = stats::median(&discarded[n - 2 * STEADY_WINDOW..n - STEADY_WINDOW]);
            let after = stats::median(&discarded[n - STEADY_WINDOW..]);
            if let (Some(before), Some(after)) = (before, after)
                && (before - after).abs() <= STEADY_TOLERANCE * after
            {
                break;
            }
        }
    }
    warmup_ops += discarded.len() as u64 * ops_per_sample;
    sink.emit(&WorkerEvent::Calibrated {
        ops_per_sample,
        warmup_ops,
    });

    // The timed samples. When a full set has shifted level (its two halves
    // disagree: a late tier-up, a heap that is still settling), the first
    // half was warm-up after all: the harness is told to drop it, the
    // latency histogram and counters start again, and sampling goes on until
    // a full set is level or the budget is spent. Under callgrind the call
    // sequence must not depend on the clock, so there is no such check.
    let wanted = settings.samples as usize;
    let mut kept: Vec<f64> = Vec::new();
    let mut batch: Vec<f64> = Vec::new();
    let mut last_flush = Instant::now();
    let mut latencies = stats::latency_histogram();
    let mut counters = CpuCounters::start(settings.counters);
    let mut counted_ops: u64 = 0;
    loop {
        let value = sample(op, Some(&mut latencies))?;
        kept.push(value);
        batch.push(value);
        counted_ops += ops_per_sample;
        if last_flush.elapsed() > Duration::from_millis(100) {
            sink.emit(&WorkerEvent::Samples {
                values: std::mem::take(&mut batch),
            });
            last_flush = Instant::now();
        }
        let out_of_budget = steady_started.elapsed() > budget;
        let full = kept.len() >= wanted;
        if !(full || out_of_budget) {
            continue;
        }
        if detect_steady && kept.len() >= MIN_SAMPLES_AFTER_SHIFT * 2 && stats::level_shifted(&kept, STEADY_TOLERANCE) {
            let dropped = kept.len() / 2;
            if !batch.is_empty() {
                sink.emit(&WorkerEvent::Samples {
                    values: std::mem::take(&mut batch),
                });
            }
            sink.emit(&WorkerEvent::LevelShift {
                dropped_samples: dropped as u64,
            });
            kept.drain(..dropped);
            if !out_of_budget {
                latencies.reset();
                counters = CpuCounters::start(settings.counters);
                counted_ops = 0;
                continue;
            }
        }
        break;
    }
    let counted = counters.finish(counted_ops);
    if !batch.is_empty() {
        sink.emit(&WorkerEvent::Samples { values: batch });
    }
    sink.emit(&WorkerEvent::Latency {
        histogram: stats::histogram_pairs(&latencies),
    });
    sink.emit(&WorkerEvent::Counters { counters: counted });
    Ok(())
}

/// Hardware instruction and cycle counters around the timed samples (they
/// include the worker's own per-call bookkeeping: timing and the output
/// check), or the reason there are none. `perf_event_open` is Linux's;
/// elsewhere every process records why there are no counters.
enum CpuCounters {
    #[cfg(target_os = "linux")]
    Perf {
        instructions: perf_event::Counter,
        cycles: Option<perf_event::Counter>,
    },
    None(Counters),
}

impl CpuCounters {
    fn start(mode: CounterMode) -> CpuCounters {
        #[cfg(target_os = "linux")]
        use perf_event::{Builder, events::Hardware};
        let unavailable = |reason: String| CpuCounters::None(Counters::unavailable(reason));
        match mode {
            CounterMode::Off => unavailable("unavailable because counting is off (--counters off)".into()),
            CounterMode::Callgrind => CpuCounters::None(Counters {
                source: CounterSource::Callgrind,
                instructions: None,
                cycles: None,
            }),
            #[cfg(not(target_os = "linux"))]
            CounterMode::Perf => unavailable(
                "unavailable because hardware counters need perf_event_open, which only Linux has; \
                 `jsbench run --counters callgrind` counts instructions under valgrind instead"
                    .into(),
            ),
            #[cfg(target_os = "linux")]
            CounterMode::Perf => match Builder::new(Hardware::INSTRUCTIONS).build() {
                Err(e) => unavailable(format!(
                    "unavailable because perf_event_open for hardware instructions failed ({e}): this machine \
                     exposes no hardware PMU to this process (a VM without one, or perf_event_paranoid); \
                     `jsbench run --counters callgrind` counts instructions under valgrind instead"
                )),
                Ok(mut instructions) => {
                    let mut cycles = Builder::new(Hardware::CPU_CYCLES).build().ok();
                    if instructions.enable().is_err() {
                        return unavailable("unavailable because the instruction counter could not be enabled".into());
                    }
                    if let Some(c) = cycles.as_mut() {
                        let _ = c.enable();
                    }
                    CpuCounters::Perf { instructions, cycles }
                }
            },
        }
    }

    fn finish(self, ops: u64) -> Counters {
        match self {
            CpuCounters::None(counters) => counters,
            #[cfg(target_os = "linux")]
            CpuCounters::Perf {
                mut instructions,
                cycles,
            } => {
                let _ = instructions.disable();
                let per_op = |n: u64| n as f64 / ops.max(1) as f64;
                Counters {
                    source: CounterSource::Perf,
                    instructions: instructions.read().ok().map(per_op),
                    cycles: cycles.and_then(|mut c| {
                        let _ = c.disable();
                        c.read().ok().map(per_op)
                    }),
                }
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::protocol::MeasureSettings;
    use jsbench_api::mock::MockBackend;

    /// Collects what a worker writes.
    #[derive(Clone, Default)]
    pub(crate) struct Buffer(pub(crate) Arc<Mutex<Vec<u8>>>);

    impl Buffer {
        /// The events written so far.
        pub(crate) fn events(&self) -> Vec<WorkerEvent> {
            let text = String::from_utf8(self.0.lock().unwrap().clone()).unwrap();
            text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
        }
    }
    impl Write for Buffer {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    pub(crate) fn request(source: &str, expected: Expected) -> WorkerRequest {
        WorkerRequest {
            backend: "mock".into(),
            workload: "w".into(),
            source: source.into(),
            module_path: None,
            input: "in".into(),
            expected,
            calls_per_op: 1,
            timeout_ms: 1000,
            memory_limit: 1 << 30,
            measure: MeasureSettings {
                warmup_ops: 2,
                samples: 5,
                sample_target_ns: 10_000,
                max_steady_ns: 2_000_000_000,
                mode: Mode::Full,
                ..MeasureSettings::default()
            },
        }
    }

    fn events(source: &str, expected: Expected) -> Vec<WorkerEvent> {
        events_of(&request(source, expected))
    }

    fn events_of(request: &WorkerRequest) -> Vec<WorkerEvent> {
        let buffer = Buffer::default();
        let sink = EventSink::new(Box::new(buffer.clone()));
        let mut backend = MockBackend::new();
        assert_eq!(run_worker(&mut backend, request, &sink), 0);
        let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }

    fn phases_done(events: &[WorkerEvent]) -> Vec<Phase> {
        events
            .iter()
            .filter_map(|e| match e {
                WorkerEvent::PhaseDone { phase, .. } => Some(*phase),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn reports_every_phase_and_the_samples() {
        let events = events("echo", Expected::Exact("in".into()));
        assert_eq!(
            phases_done(&events),
            [Phase::Prepare, Phase::Create, Phase::Load, Phase::FirstCall]
        );
        assert!(
            events
                .iter()
                .all(|e| !matches!(e, WorkerEvent::PhaseDone { build: Some(_), .. })),
            "the mock has no build-time work to report"
        );
        let samples: usize = events
            .iter()
            .map(|e| match e {
                WorkerEvent::Samples { values } => values.len(),
                _ => 0,
            })
            .sum();
        assert_eq!(samples, 5);
        assert!(matches!(events.last(), Some(WorkerEvent::Done { .. })));
    }

    #[test]
    fn the_mode_decides_which_phases_run() {
        let mut cold = request("echo", Expected::Exact("in".into()));
        cold.measure.mode = Mode::ColdOnly;
        let events = events_of(&cold);
        assert_eq!(
            phases_done(&events),
            [Phase::Prepare, Phase::Create, Phase::Load, Phase::FirstCall]
        );
        assert!(
            !events.iter().any(|e| matches!(e, WorkerEvent::Samples { .. })),
            "{events:?}"
        );

        let mut baseline = cold;
        baseline.measure.mode = Mode::Baseline;
        let events = events_of(&baseline);
        assert_eq!(phases_done(&events), [Phase::Create]);
        assert!(matches!(events.last(), Some(WorkerEvent::Done { .. })));
    }

    #[test]
    fn wrong_output_is_reported_with_both_values() {
        let events = events("const nope", Expected::Exact("in".into()));
        let error = events.iter().find_map(|e| match e {
            WorkerEvent::Error {
                kind, message, phase, ..
            } => Some((*kind, message.clone(), *phase)),
            _ => None,
        });
        let (kind, message, phase) = error.unwrap();
        assert_eq!(kind, ErrorKind::WrongOutput);
        assert_eq!(phase, Phase::FirstCall);
        assert!(message.contains("nope") && message.contains("`in`"), "{message}");
    }

    #[test]
    fn a_failure_in_the_steady_phase_keeps_the_phases_before() {
        let events = events("fail-after 3", Expected::Exact("in".into()));
        assert!(events.iter().any(|e| matches!(
            e,
            WorkerEvent::PhaseDone {
                phase: Phase::FirstCall,
                ..
            }
        )));
        assert!(events.iter().any(|e| matches!(
            e,
            WorkerEvent::Error {
                phase: Phase::Steady,
                kind: ErrorKind::Exception,
                ..
            }
        )));
    }

    /// The events of a steady phase over a made-up operation whose cost is
    /// `cost(n)` for the n-th call (no clock involved, so no flakiness).
    fn steady_events(samples: u32, cost: impl Fn(u64) -> u64) -> Vec<WorkerEvent> {
        let buffer = Buffer::default();
        let sink = EventSink::new(Box::new(buffer.clone()));
        let mut request = request("echo", Expected::Exact("in".into()));
        request.measure.samples = samples;
        request.measure.sample_target_ns = 4_000_000;
        let mut calls = 0;
        let mut op = |_: Phase, latencies: Option<&mut Histogram<u64>>| -> Result<Duration, Failure> {
            calls += 1;
            let nanos = cost(calls);
            if let Some(h) = latencies {
                h.saturating_record(nanos);
            }
            Ok(Duration::from_nanos(nanos))
        };
        assert!(steady_phase(&mut op, &request, Duration::from_nanos(cost(0)), &sink).is_ok());
        let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }

    /// What the harness keeps of a steady phase: the samples after every
    /// level shift's drop, and how many shifts there were.
    fn kept_samples(events: &[WorkerEvent]) -> (Vec<f64>, u32) {
        let mut kept = Vec::new();
        let mut shifts = 0;
        for event in events {
            match event {
                WorkerEvent::Samples { values } => kept.extend(values),
                WorkerEvent::LevelShift { dropped_samples } => {
                    kept.drain(..*dropped_samples as usize);
                    shifts += 1;
                }
                _ => {}
            }
        }
        (kept, shifts)
    }

    #[test]
    fn a_late_tier_up_is_warm_up_not_steady_state() {
        // 400 µs calls that become 200 µs at the 100th call: after the
        // window check has already called the timings steady (2 warm-up
        // calls and six 10-call samples), four samples into the set.
        let events = steady_events(10, |n| if n < 100 { 400_000 } else { 200_000 });
        let (kept, shifts) = kept_samples(&events);
        assert_eq!(shifts, 1, "{events:?}");
        assert_eq!(kept.len(), 10);
        assert!(
            kept.iter().all(|s| *s == 200_000.0),
            "only the tiered-up level is kept: {kept:?}"
        );

        // A steady operation keeps its first set as it is.
        let (kept, shifts) = kept_samples(&steady_events(10, |_| 300_000));
        assert_eq!((kept.len(), shifts), (10, 0));
    }
}
