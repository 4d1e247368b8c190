//! The worker side of `jsbench concurrency`: for each caller count C, C
//! threads each make their own runtime of one backend (for a process
//! backend, its own runtime process), load the module and warm up; then all
//! call it together for a fixed window, each call timed. One point per C:
//! calls completed, the window, the median and p99 latency of one call.
//!
//! Outputs are checked: every caller's first output against the expected
//! one, later ones against the first.

use crate::density::milestones;
use crate::protocol::{Mode, Phase, WorkerEvent, WorkerRequest};
use crate::worker::EventSink;
use hdrhistogram::Histogram;
use jsbench_api::{BackendError, JsBackend};
use jsbench_schema::{ConcurrencyPoint, ErrorKind};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Barrier, Mutex};
use std::time::{Duration, Instant};

/// What ended one caller.
type Failure = (Phase, BackendError);

/// Runs a concurrency request with backends from `make`; returns the exit
/// code. The first failure ends the series; the points before stay.
pub fn run_concurrency(
    make: &(dyn Fn() -> Box<dyn JsBackend> + Sync),
    request: &WorkerRequest,
    sink: &EventSink,
) -> i32 {
    let Mode::Concurrency { callers, window_ms } = request.measure.mode else {
        sink.emit(&WorkerEvent::Error {
            phase: Phase::Create,
            kind: ErrorKind::Internal,
            message: "not a concurrency request".into(),
            stack: None,
        });
        return 1;
    };
    let window = Duration::from_millis(window_ms.max(1));
    for count in milestones(callers) {
        match measure(make, request, count, window, sink) {
            Ok(point) => sink.emit(&WorkerEvent::Concurrency { point }),
            Err((phase, error)) => {
                sink.emit(&WorkerEvent::Error {
                    phase,
                    kind: error.kind(),
                    message: format!("with {count} callers: {error}"),
                    stack: error.stack().map(str::to_string),
                });
                break;
            }
        }
    }
    sink.emit(&WorkerEvent::Done {
        peak_rss: crate::worker::peak_rss(),
        engine_memory: None,
    });
    0
}

/// One caller count: `count` threads, each with its own runtime.
fn measure(
    make: &(dyn Fn() -> Box<dyn JsBackend> + Sync),
    request: &WorkerRequest,
    count: u32,
    window: Duration,
    sink: &EventSink,
) -> Result<ConcurrencyPoint, Failure> {
    // `ready`: every caller is ready (or failed); `go`: the window's start
    // is set, after the slowest caller got ready.
    let ready = Barrier::new(count as usize + 1);
    let go = Barrier::new(count as usize + 1);
    let failed = AtomicBool::new(false);
    let first_failure: Mutex<Option<Failure>> = Mutex::new(None);
    let start: Mutex<Option<Instant>> = Mutex::new(None);
    let done = AtomicBool::new(false);
    let progress = Progress::default();
    let histograms: Vec<Histogram<u64>> = std::thread::scope(|scope| {
        // A heartbeat while the callers get on: starting runtimes and the
        // window take longer than the harness lets a worker stay silent,
        // but a caller stuck in a call its engine cannot interrupt must
        // let the worker go silent, so the harness stops it.
        scope.spawn(|| heartbeat(&progress, &done, sink));
        let callers: Vec<_> = (0..count)
            .map(|_| {
                scope.spawn(|| {
                    let made = ready_caller(make, request, &progress);
                    let failure = |f: Failure| {
                        failed.store(true, Ordering::SeqCst);
                        let mut slot = first_failure.lock().unwrap_or_else(|p| p.into_inner());
                        slot.get_or_insert(f);
                    };
                    let caller = match made {
                        Ok(caller) => Some(caller),
                        Err(f) => {
                            failure(f);
                            None
                        }
                    };
                    ready.wait();
                    go.wait();
                    let (Some((mut backend, first)), false) = (caller, failed.load(Ordering::SeqCst)) else {
                        return None;
                    };
                    let started = start
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .unwrap_or_else(Instant::now);
                    match call_window(backend.as_mut(), request, &first, started + window, &progress) {
                        Ok(histogram) => Some(histogram),
                        Err(f) => {
                            failure(f);
                            None
                        }
                    }
                })
            })
            .collect();
        // Everyone is ready (or failed): the window starts now.
        ready.wait();
        *start.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
        go.wait();
        let out = callers.into_iter().filter_map(|c| c.join().ok().flatten()).collect();
        done.store(true, Ordering::SeqCst);
        out
    });
    if let Some(failure) = first_failure.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(failure);
    }
    let mut all = crate::stats::latency_histogram();
    for h in &histograms {
        all.add(h)
            .map_err(|e| (Phase::Steady, BackendError::Internal(e.to_string())))?;
    }
    Ok(ConcurrencyPoint {
        callers: count,
        calls: all.len(),
        seconds: window.as_secs_f64(),
        p50_ns: all.value_at_quantile(0.5),
        p99_ns: all.value_at_quantile(0.99),
    })
}

/// What the callers have done, for the heartbeat.
#[derive(Default)]
struct Progress {
    /// Steps finished by any caller (a phase or a call).
    steps: AtomicU64,
    /// Callers inside `prepare`, which may take minutes (componentizing).
    preparing: AtomicUsize,
}

impl Progress {
    fn step(&self) {
        self.steps.fetch_add(1, Ordering::SeqCst);
    }

    /// The phase the harness should hold the worker to: `prepare` while any
    /// caller is still preparing (the harness allows it longer).
    fn phase(&self) -> Phase {
        if self.preparing.load(Ordering::SeqCst) > 0 {
            Phase::Prepare
        } else {
            Phase::Steady
        }
    }
}

/// Tells the harness the worker is alive, once per beat in which some
/// caller finished a step (or the phase changed), until `done`. A beat with
/// no progress sends nothing, so a stuck caller lets the worker fall silent
/// and the harness's deadline for the phase ends it.
fn heartbeat(progress: &Progress, done: &AtomicBool, sink: &EventSink) {
    let mut seen = None;
    while !done.load(Ordering::SeqCst) {
        let now = (progress.steps.load(Ordering::SeqCst), progress.phase());
        if seen != Some(now) {
            sink.emit(&WorkerEvent::PhaseStart { phase: now.1 });
            seen = Some(now);
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// A caller's runtime, made, loaded and warmed up, with its checked first
/// output.
fn ready_caller(
    make: &(dyn Fn() -> Box<dyn JsBackend> + Sync),
    request: &WorkerRequest,
    progress: &Progress,
) -> Result<(Box<dyn JsBackend>, String), Failure> {
    let (limits, module) = (request.limits(), request.module());
    let mut backend = make();
    progress.preparing.fetch_add(1, Ordering::SeqCst);
    let prepared = backend.prepare(&module);
    progress.preparing.fetch_sub(1, Ordering::SeqCst);
    progress.step();
    prepared.map_err(|e| (Phase::Prepare, e))?;
    backend.create(&limits).map_err(|e| (Phase::Create, e))?;
    progress.step();
    backend.load(&module).map_err(|e| (Phase::Load, e))?;
    progress.step();
    let first = backend.call(&request.input).map_err(|e| (Phase::FirstCall, e))?;
    progress.step();
    if !request.expected.matches(&first) {
        return Err((Phase::FirstCall, wrong(request, &first)));
    }
    // A short warm-up, so the window sees compiled code.
    let warm = Instant::now();
    for _ in 0..request.measure.warmup_ops.max(3) {
        backend.call(&request.input).map_err(|e| (Phase::Steady, e))?;
        progress.step();
        if warm.elapsed() > Duration::from_millis(500) {
            break;
        }
    }
    Ok((backend, first))
}

fn wrong(request: &WorkerRequest, output: &str) -> BackendError {
    BackendError::Internal(crate::worker::wrong_output(&request.expected, output))
}

/// Calls until `end`, timing each call.
fn call_window(
    backend: &mut dyn JsBackend,
    request: &WorkerRequest,
    first: &str,
    end: Instant,
    progress: &Progress,
) -> Result<Histogram<u64>, Failure> {
    let mut histogram = crate::stats::latency_histogram();
    while Instant::now() < end {
        let started = Instant::now();
        let output = backend.call(&request.input).map_err(|e| (Phase::Steady, e))?;
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        histogram.saturating_record(nanos.max(1));
        progress.step();
        if output != first {
            return Err((Phase::Steady, wrong(request, &output)));
        }
    }
    Ok(histogram)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Expected;
    use crate::protocol::MeasureSettings;
    use crate::worker::tests::Buffer;

    fn events(expected: &str) -> Vec<WorkerEvent> {
        let lines = Buffer::default();
        let sink = EventSink::new(Box::new(lines.clone()));
        let mut request = crate::worker::tests::request("const ok\nsleep-us 200", Expected::Exact(expected.into()));
        request.measure = MeasureSettings {
            mode: Mode::Concurrency {
                callers: [2, 1, 0, 0],
                window_ms: 100,
            },
            ..MeasureSettings::default()
        };
        let make = || -> Box<dyn JsBackend> { Box::new(jsbench_api::mock::MockBackend::new()) };
        assert_eq!(run_concurrency(&make, &request, &sink), 0);
        lines.events()
    }

    #[test]
    fn one_point_per_caller_count_and_a_wrong_output_ends_the_series() {
        let points: Vec<ConcurrencyPoint> = events("ok")
            .into_iter()
            .filter_map(|e| match e {
                WorkerEvent::Concurrency { point } => Some(point),
                _ => None,
            })
            .collect();
        assert_eq!(points.iter().map(|p| p.callers).collect::<Vec<_>>(), vec![1, 2]);
        assert!(points.iter().all(|p| p.calls > 0 && p.p99_ns >= p.p50_ns), "{points:?}");
        let wrong = events("not ok");
        assert!(!wrong.iter().any(|e| matches!(e, WorkerEvent::Concurrency { .. })));
        assert!(
            wrong
                .iter()
                .any(|e| matches!(e, WorkerEvent::Error { message, .. } if message.contains("with 1 callers")))
        );
    }
}
