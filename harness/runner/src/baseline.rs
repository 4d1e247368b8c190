//! Baseline memory: one worker per backend that creates the runtime and
//! runs nothing, so a cell's peak RSS can be read against what the engine
//! alone costs.

use crate::launch::{Supervision, WorkerCommand, run_process};
use crate::manifest::Expected;
use crate::protocol::{MeasureSettings, Mode, WorkerRequest};
use jsbench_schema::BackendInfo;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// Measures the baseline memory of every available backend, storing it in
/// `baseline_memory`; a backend whose baseline worker fails keeps `None`.
pub fn measure_baselines(
    backends: &mut [BackendInfo],
    command: &WorkerCommand,
    timeout: Duration,
    memory_limit: u64,
    cancel: &AtomicBool,
) {
    for backend in backends.iter_mut().filter(|b| b.unavailable.is_none()) {
        let request = WorkerRequest {
            backend: backend.name.clone(),
            workload: "baseline".into(),
            source: String::new(),
            module_path: None,
            input: String::new(),
            expected: Expected::Exact(String::new()),
            calls_per_op: 1,
            timeout_ms: u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
            memory_limit,
            measure: MeasureSettings {
                mode: Mode::Baseline,
                ..MeasureSettings::default()
            },
        };
        let outcome = run_process(
            command,
            &request,
            Supervision::for_limits(timeout, memory_limit),
            cancel,
        );
        if outcome.error.is_none() {
            backend.baseline_memory = Some(outcome.run.memory);
        }
    }
}
