//! The worker side of `jsbench density`: create instances of one backend
//! one after another, keep every one alive, and report the growth of the
//! worker's resident size (with any runtime processes it started) at each
//! instance count asked for.
//!
//! An idle series only creates runtimes; a loaded one also prepares, loads
//! and calls the module once in each (a call's output is checked, like in a
//! cell). Each series runs in its own worker process, so one series'
//! freed-but-kept memory never counts in another's.

use crate::protocol::{Mode, Phase, WorkerEvent, WorkerRequest};
use crate::worker::EventSink;
use jsbench_api::{BackendError, JsBackend};
use jsbench_schema::{DensityPoint, ErrorKind};

/// Resident bytes of this process and its descendants.
fn resident() -> u64 {
    jsbench_supervise::procfs::tree_resident_bytes(std::process::id())
}

/// The counts to report at: ascending, without zeros or repeats.
pub fn milestones(instances: [u32; 4]) -> Vec<u32> {
    let mut counts: Vec<u32> = instances.into_iter().filter(|&k| k > 0).collect();
    counts.sort_unstable();
    counts.dedup();
    counts
}

/// Runs a density request with backends from `make`; returns the exit code.
/// Failures are reported as an `error` event; the points before stay.
pub fn run_density(make: &dyn Fn() -> Box<dyn JsBackend>, request: &WorkerRequest, sink: &EventSink) -> i32 {
    let Mode::Density { loaded, instances } = request.measure.mode else {
        sink.emit(&WorkerEvent::Error {
            phase: Phase::Create,
            kind: ErrorKind::Internal,
            message: "not a density request".into(),
            stack: None,
        });
        return 1;
    };
    let (limits, module) = (request.limits(), request.module());
    let counts = milestones(instances);
    let before = resident();
    let mut alive: Vec<Box<dyn JsBackend>> = Vec::new();
    let result = (|| -> Result<(), (Phase, BackendError)> {
        let mut phase;
        for count in 1..=counts.last().copied().unwrap_or(0) {
            // A heartbeat per instance: starting 100 runtime processes takes
            // longer than the harness lets a worker stay silent.
            sink.emit(&WorkerEvent::PhaseStart { phase: Phase::Create });
            let mut backend = make();
            if loaded {
                phase = Phase::Prepare;
                backend.prepare(&module).map_err(|e| (phase, e))?;
            }
            phase = Phase::Create;
            backend.create(&limits).map_err(|e| (phase, e))?;
            if loaded {
                phase = Phase::Load;
                backend.load(&module).map_err(|e| (phase, e))?;
                phase = Phase::FirstCall;
                let output = backend.call(&request.input).map_err(|e| (phase, e))?;
                if !request.expected.matches(&output) {
                    return Err((
                        phase,
                        BackendError::Internal(crate::worker::wrong_output(&request.expected, &output)),
                    ));
                }
            }
            alive.push(backend);
            if counts.contains(&count) {
                let engine = alive
                    .iter_mut()
                    .map(|b| b.engine_memory())
                    .try_fold(0u64, |sum, m| m.map(|m| sum.saturating_add(m)));
                sink.emit(&WorkerEvent::Density {
                    point: DensityPoint {
                        instances: count,
                        resident_growth: resident().saturating_sub(before),
                        engine,
                    },
                });
            }
        }
        Ok(())
    })();
    if let Err((phase, error)) = result {
        sink.emit(&WorkerEvent::Error {
            phase,
            kind: error.kind(),
            message: format!("instance {}: {error}", alive.len() + 1),
            stack: error.stack().map(str::to_string),
        });
    }
    sink.emit(&WorkerEvent::Done {
        peak_rss: crate::worker::peak_rss(),
        engine_memory: None,
    });
    // Ending the instances (runtime children included) before exiting.
    drop(alive);
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Expected;
    use crate::protocol::MeasureSettings;
    use crate::worker::tests::Buffer;

    #[test]
    fn milestones_are_sorted_without_zeros() {
        assert_eq!(milestones([100, 1, 0, 10]), vec![1, 10, 100]);
        assert_eq!(milestones([5, 5, 0, 0]), vec![5]);
        assert!(milestones([0; 4]).is_empty());
    }

    fn events(loaded: bool, expected: &str) -> Vec<WorkerEvent> {
        let lines = Buffer::default();
        let sink = EventSink::new(Box::new(lines.clone()));
        let mut request = crate::worker::tests::request("const ok", Expected::Exact(expected.into()));
        request.measure = MeasureSettings {
            mode: Mode::Density {
                loaded,
                instances: [1, 3, 0, 0],
            },
            ..MeasureSettings::default()
        };
        let make = || -> Box<dyn JsBackend> { Box::new(jsbench_api::mock::MockBackend::new()) };
        assert_eq!(run_density(&make, &request, &sink), 0);
        lines.events()
    }

    #[test]
    fn reports_each_count_and_stops_at_a_failure() {
        let points = |events: &[WorkerEvent]| -> Vec<u32> {
            events
                .iter()
                .filter_map(|e| match e {
                    WorkerEvent::Density { point } => Some(point.instances),
                    _ => None,
                })
                .collect()
        };
        let idle = events(false, "never checked");
        let loaded = events(true, "ok");
        assert_eq!(points(&loaded), vec![1, 3]);
        assert_eq!(points(&idle), vec![1, 3]);
        assert!(matches!(idle.last(), Some(WorkerEvent::Done { .. })));
        // A loaded series checks the output: the first instance fails.
        let wrong = events(true, "something else");
        assert!(points(&wrong).is_empty());
        assert!(
            wrong
                .iter()
                .any(|e| matches!(e, WorkerEvent::Error { message, .. } if message.contains("instance 1")))
        );
    }
}
