//! The protocol between the harness and a worker process: one JSON request
//! on the worker's stdin, then one JSON event per line on its stdout.
//!
//! Events are streamed (rather than one report at the end) so that when a
//! worker is killed or dies, the harness still has every phase and sample
//! the worker finished before.

use crate::manifest::Expected;
// The phases are the schema's: events and results name them alike.
pub use jsbench_schema::Phase;
use jsbench_schema::{BuildCosts, Counters, ErrorKind};
use serde::{Deserialize, Serialize};

/// What a worker is asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerRequest {
    /// Backend name.
    pub backend: String,
    /// Workload name.
    pub workload: String,
    /// Module source.
    pub source: String,
    /// Module path, for engines that show it in messages.
    pub module_path: Option<String>,
    /// Input of every call.
    pub input: String,
    /// Expected output of every call.
    pub expected: Expected,
    /// Calls per timed operation.
    pub calls_per_op: u64,
    /// Per-call timeout in milliseconds.
    pub timeout_ms: u64,
    /// Memory limit in bytes.
    pub memory_limit: u64,
    /// How to measure.
    pub measure: MeasureSettings,
}

impl WorkerRequest {
    /// The limits every runtime of this request gets.
    pub fn limits(&self) -> jsbench_api::Limits {
        jsbench_api::Limits {
            call_timeout: std::time::Duration::from_millis(self.timeout_ms),
            memory_limit: self.memory_limit,
        }
    }

    /// The workload module of this request.
    pub fn module(&self) -> jsbench_api::WorkloadModule {
        jsbench_api::WorkloadModule {
            name: self.workload.clone(),
            source: self.source.clone(),
            path: self.module_path.as_ref().map(Into::into),
        }
    }
}

/// Measurement settings of one worker.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct MeasureSettings {
    /// Operations run (untimed) after the first call, at least.
    pub warmup_ops: u32,
    /// Timed samples to take.
    pub samples: u32,
    /// Target duration of one sample in nanoseconds; operations per sample are
    /// chosen to reach it.
    pub sample_target_ns: u64,
    /// Stop taking samples after this much time in the steady phase.
    pub max_steady_ns: u64,
    /// Which phases to run.
    #[serde(default)]
    pub mode: Mode,
    /// How to count CPU instructions in the steady phase.
    #[serde(default)]
    pub counters: CounterMode,
}

/// Which phases a worker runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Every phase: prepare, create, load, the first call, then the steady
    /// samples.
    #[default]
    Full,
    /// Only the cold phases (prepare, create, load, first call), as the
    /// feature probes and test262 need.
    ColdOnly,
    /// Only create the runtime: a baseline of the engine's own memory (no
    /// module is prepared or loaded).
    Baseline,
    /// Density: create instances one after another and keep them all,
    /// reporting the growth of resident memory at each count of
    /// `instances` (ascending; zeros unused); with `loaded`, each instance
    /// also loads the module and runs it once (see [`crate::density`]).
    Density {
        /// Whether instances load the module and run it once.
        loaded: bool,
        /// The instance counts to report at.
        instances: [u32; 4],
    },
    /// Concurrency: for each caller count of `callers` (ascending; zeros
    /// unused), that many threads each create their own runtime, load the
    /// module, warm up, then call it together for `window_ms` (see
    /// [`crate::concurrency`]).
    Concurrency {
        /// The caller counts.
        callers: [u32; 4],
        /// The measured window per count, in milliseconds.
        window_ms: u64,
    },
}

/// How a worker counts instructions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum CounterMode {
    /// Hardware counters through `perf_event_open`, where the machine has them.
    #[default]
    Perf,
    /// The worker runs under callgrind, which counts the instructions of
    /// the steady-phase calls (the harness reads callgrind's output).
    Callgrind,
    /// No counting.
    Off,
}

/// One line of a worker's stdout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum WorkerEvent {
    /// A phase is starting (the harness picks its deadline from this).
    PhaseStart {
        /// The phase.
        phase: Phase,
    },
    /// A phase finished in `nanos`.
    PhaseDone {
        /// The phase.
        phase: Phase,
        /// How long it took.
        nanos: u64,
        /// What `prepare` cost and produced, for a backend with
        /// build-time work.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        build: Option<BuildCosts>,
    },
    /// The warm-up is over and operations per sample are chosen.
    Calibrated {
        /// Operations per sample.
        ops_per_sample: u64,
        /// Operations run as warm-up and discarded.
        warmup_ops: u64,
    },
    /// Timed samples, nanoseconds per operation.
    Samples {
        /// The samples.
        values: Vec<f64>,
    },
    /// The first `dropped_samples` timed samples sent so far were still
    /// warm-up: the set had shifted level (see [`crate::stats::level_shifted`]).
    LevelShift {
        /// How many of the samples sent so far to drop, from the front.
        dropped_samples: u64,
    },
    /// Per-call latencies of the steady phase, as histogram buckets.
    Latency {
        /// `(nanoseconds, calls)` pairs.
        histogram: Vec<(u64, u64)>,
    },
    /// CPU counters of the steady phase, per operation (or why not).
    Counters {
        /// The counts.
        counters: Counters,
    },
    /// A failure that ends the worker's measurement.
    Error {
        /// Phase it happened in.
        phase: Phase,
        /// Error kind.
        kind: ErrorKind,
        /// Message.
        message: String,
        /// JavaScript stack, if any.
        #[serde(default)]
        stack: Option<String>,
    },
    /// Concurrency: one caller count's throughput and latency.
    Concurrency {
        /// The point.
        point: jsbench_schema::ConcurrencyPoint,
    },
    /// Density: the memory of `instances` live instances.
    Density {
        /// The point.
        point: jsbench_schema::DensityPoint,
    },
    /// The worker finished; memory figures.
    Done {
        /// Peak resident size of the worker (VmHWM).
        peak_rss: Option<u64>,
        /// Engine-reported memory.
        engine_memory: Option<u64>,
    },
}
