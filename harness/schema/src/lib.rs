//! The results schema: the serde types that `jsbench run` writes and that the
//! reports, `compare` and `check` read. Every crate of the workspace shares
//! these types, so a results file means the same thing everywhere.
//!
//! The file is versioned by [`SCHEMA_VERSION`]; [`Results::from_json`] reads
//! files of this version and converts those of [`OLDEST_READABLE_VERSION`]
//! and later (see the `v1` module), and refuses any other version instead
//! of guessing.
#![deny(missing_docs)]

mod concurrency;
mod density;
mod floor;
mod phase;
mod sandbox;
mod v1;

pub use concurrency::{ConcurrencyPoint, ConcurrencyReport};
pub use density::{DensityPoint, DensityReport};
pub use floor::{CpuPin, Transport, TransportFloor};
pub use phase::{Phase, UnknownPhase};
pub use sandbox::{Access, SandboxBackend, SandboxMatrix, SandboxProbe, SandboxResult};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Version of the results file format. Bump it on any incompatible change.
///
/// Version 2 types what version 1 kept as strings and free figures: the
/// phase of an error is a [`Phase`], build-time figures are a cell's
/// [`BuildCosts`], instruction counts are [`Cell::instructions`], and the
/// source of CPU counters is a [`CounterSource`].
pub const SCHEMA_VERSION: u32 = 2;

/// The oldest version [`Results::from_json`] still reads (converting it).
pub const OLDEST_READABLE_VERSION: u32 = 1;

/// A duration in nanoseconds.
pub type Nanos = u64;
/// A size in bytes.
pub type Bytes = u64;

/// Errors reading or writing a results file.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// The path is not a regular file (results are never written onto a
    /// device, a FIFO or a folder).
    #[error("{path} is a {what}, not a regular file; results are written only to regular files")]
    NotRegularFile {
        /// The path given.
        path: String,
        /// What it is instead.
        what: &'static str,
    },
    /// The file could not be read or written.
    #[error("cannot access {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not valid JSON or does not match the schema.
    #[error("{path} is not a valid jsbench results file: {source}")]
    Malformed {
        /// The file.
        path: String,
        /// The parse error, with line and column.
        source: serde_json::Error,
    },
    /// The file was written with a schema version this build cannot read.
    #[error(
        "{path} has schema_version {found}, this jsbench reads versions {OLDEST_READABLE_VERSION} to {expected}; \
         re-run the benchmark with this version or use the jsbench that wrote it"
    )]
    IncompatibleVersion {
        /// The file.
        path: String,
        /// The version found in the file.
        found: u64,
        /// The newest version this build understands.
        expected: u32,
    },
    /// A version-1 file names a phase that version 1 never had.
    #[error("{path} is not a valid jsbench results file: the error of cell {cell}: {source}")]
    UnknownPhase {
        /// The file.
        path: String,
        /// The cell, as `backend/workload/size`.
        cell: String,
        /// The unknown phase.
        source: UnknownPhase,
    },
    /// A version-1 file names a counter source that version 1 never had.
    #[error(
        "{path} is not a valid jsbench results file: cell {cell} has counters from the unknown source \
         `{found}` (expected perf or callgrind)"
    )]
    UnknownCounterSource {
        /// The file.
        path: String,
        /// The cell, as `backend/workload/size`.
        cell: String,
        /// The source found.
        found: String,
    },
}

/// A whole benchmark run: what ran, where, and every cell's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// Always [`SCHEMA_VERSION`] for files written by this build.
    pub schema_version: u32,
    /// Version and revision of the jsbench that produced the file.
    pub jsbench: ToolInfo,
    /// The machine the run happened on.
    pub machine: Machine,
    /// The settings of the run.
    pub config: RunConfig,
    /// Start of the run, as RFC 3339 UTC.
    pub started_at: String,
    /// End of the run, as RFC 3339 UTC (empty while the run is in progress).
    #[serde(default)]
    pub finished_at: String,
    /// Every backend that was asked for, available or not.
    pub backends: Vec<BackendInfo>,
    /// Every workload that was asked for, as its manifest described it.
    #[serde(default)]
    pub workloads: Vec<WorkloadInfo>,
    /// One entry per (backend, workload, size).
    pub cells: Vec<Cell>,
    /// The language-feature matrix written by `jsbench features`; absent
    /// from benchmark runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features: Option<FeatureMatrix>,
    /// Test262 conformance counts written by `jsbench conformance`; absent
    /// from benchmark runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conformance: Option<ConformanceReport>,
    /// What the JavaScript can reach on the host, per backend, written by
    /// `jsbench sandbox`; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sandbox: Option<SandboxMatrix>,
    /// Memory per instance, idle and loaded, written by `jsbench density`;
    /// empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub density: Vec<DensityReport>,
    /// Throughput and tail latency per caller count, written by `jsbench
    /// concurrency`; empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub concurrency: Vec<ConcurrencyReport>,
    /// Binary sizes and build costs written by `jsbench size`, one entry per
    /// (probe or runtime, build variant); absent from benchmark runs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sizes: Vec<SizeReport>,
    /// The fixed cost of an out-of-process call, per process backend of the
    /// run (see [`TransportFloor`]); empty when no process backend ran.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transport_floor: Vec<TransportFloor>,
}

/// The jsbench build that wrote a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolInfo {
    /// Crate version.
    pub version: String,
    /// Git revision of the source tree, when known.
    pub git_revision: Option<String>,
    /// `release` or `debug`; numbers from a debug build are not comparable.
    pub build_profile: String,
    /// `rustc --version` of the compiler that built jsbench, when known.
    pub rustc: Option<String>,
}

/// Facts about the machine, recorded so results can be told apart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Machine {
    /// Host name.
    pub hostname: String,
    /// CPU model name from `/proc/cpuinfo`.
    pub cpu_model: String,
    /// Logical CPUs available.
    pub cores: u32,
    /// Kernel release (`uname -r`).
    pub kernel: String,
    /// Operating system (`PRETTY_NAME` of `/etc/os-release`).
    pub os: String,
    /// CPU frequency governor, where readable.
    pub cpu_governor: Option<String>,
    /// 1-minute load average at the start of the run.
    pub load_average_start: Option<f64>,
    /// 1-minute load average at the end of the run.
    pub load_average_end: Option<f64>,
    /// Total memory in bytes.
    pub memory_total: Option<Bytes>,
}

/// The settings a run used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunConfig {
    /// Input sizes that ran (e.g. `small`, `default`).
    pub sizes: Vec<String>,
    /// Steady-state samples per worker process.
    pub samples: u32,
    /// Warm-up calls before the samples (not timed into results).
    pub warmup: u32,
    /// Worker processes per cell (the minimum when `max_processes` is set).
    pub processes: u32,
    /// Most worker processes per cell: cells whose median is not yet within
    /// `precision` get more, up to this. `None`: exactly `processes`.
    #[serde(default)]
    pub max_processes: Option<u32>,
    /// Wanted half-width of the 95% interval of a cell's median, relative to
    /// the median (0.02 = ±2%), when `max_processes` is set.
    #[serde(default)]
    pub precision: Option<f64>,
    /// Target duration of one sample, in milliseconds.
    #[serde(default)]
    pub sample_ms: Option<f64>,
    /// Per-call timeout applied to every backend, in milliseconds.
    pub timeout_ms: u64,
    /// Per-cell memory limit applied to every backend, in bytes.
    pub memory_limit: Bytes,
    /// Seed of the shuffled cell order.
    pub seed: u64,
    /// Profile name (`quick`, `default`, `rigorous`, or `custom`).
    pub profile: String,
    /// CPU placement of workers and their children (`--pin`); `None`: the
    /// scheduler's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<CpuPin>,
}

/// A backend, whether it could run or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackendInfo {
    /// Backend name as used on the command line (e.g. `quickjs`).
    pub name: String,
    /// Engine name (e.g. `QuickJS`).
    pub engine: String,
    /// Engine version.
    pub engine_version: String,
    /// Which of the three ways to run JS this backend represents.
    pub kind: BackendKind,
    /// What the backend can do.
    pub capabilities: Capabilities,
    /// Engine flags in effect (e.g. `--jitless`).
    #[serde(default)]
    pub flags: Vec<String>,
    /// `None` when usable; otherwise why it is not.
    #[serde(default)]
    pub unavailable: Option<String>,
    /// Memory of a baseline worker that creates the runtime and runs
    /// nothing, so a workload's own cost can be told from the engine's.
    #[serde(default)]
    pub baseline_memory: Option<Memory>,
}

/// The three ways to run JavaScript from Rust, plus test doubles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BackendKind {
    /// An engine linked into the Rust program.
    Embedded,
    /// JS compiled to a WebAssembly component, run in a wasm runtime.
    WasmComponent,
    /// A separate JS runtime process called over a transport.
    OutOfProcess,
    /// A test double that runs no JavaScript.
    Mock,
}

/// What a backend can do; reports show "unsupported" where a flag is false.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Capabilities {
    /// Can stop a running call at its deadline by itself (otherwise the worker
    /// process is ended by its watchdog).
    pub interrupt: bool,
    /// Enforces the memory limit inside the engine (otherwise the worker
    /// process's resident size is watched).
    pub memory_limit: bool,
    /// Reports engine-side memory.
    pub engine_memory: bool,
    /// Can expose a host (Rust) function to JavaScript.
    pub host_callback: bool,
    /// Passes structured values (objects, arrays, numbers) to and from a
    /// host function, `jsbenchHostValue` (absent in files written before it).
    #[serde(default)]
    pub host_value: bool,
    /// Settles a `run` that returns a Promise by draining the job queue.
    pub promises: bool,
    /// Compiles JavaScript to machine code at run time.
    pub jit: bool,
}

/// A workload as described by its manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkloadInfo {
    /// Unique name.
    pub name: String,
    /// Category (e.g. `compute`, `json`).
    pub category: String,
    /// One line on what it does.
    pub description: String,
    /// Path of the manifest that described it.
    pub manifest: String,
    /// SHA-256 of the module source, so results can be tied to the code.
    pub source_sha256: String,
    /// SHA-256 of the workload's definition in its manifest (requirements,
    /// inputs, expected outputs), so `--resume` can tell a changed input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition_sha256: Option<String>,
    /// Size of the module every backend loads (the bundle, for a bundled
    /// entry), so the cost of big code can be put beside its `load` time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module_bytes: Option<Bytes>,
    /// For a workload bundled from an entry with imports: the bundle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bundle: Option<BundleInfo>,
}

/// The one ES module esbuild made of a workload's entry and its imports,
/// which every backend runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleInfo {
    /// The entry, as the manifest names it.
    pub entry: String,
    /// The bundle's size.
    pub bytes: Bytes,
    /// SHA-256 of the bundle (lowercase hex).
    pub sha256: String,
    /// How many files went into it.
    pub inputs: u64,
    /// The esbuild version that built it.
    pub esbuild_version: String,
}

/// One (backend, workload, size) combination and what happened to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// Backend name.
    pub backend: String,
    /// Workload name.
    pub workload: String,
    /// Input size name.
    pub size: String,
    /// Outcome.
    pub status: CellStatus,
    /// The error that ended the cell, if any.
    #[serde(default)]
    pub error: Option<CellError>,
    /// One entry per worker process that ran the cell.
    pub processes: Vec<ProcessRun>,
    /// Statistics over the steady-state samples of every process.
    #[serde(default)]
    pub summary: Option<Summary>,
    /// What the backend's build-time `prepare` cost and produced, from the
    /// first process of the cell that completed it; `None` for backends
    /// with no build-time work.
    #[serde(default)]
    pub build: Option<BuildCosts>,
    /// CPU instructions per operation: the median over the processes that
    /// counted them (see [`ProcessRun::counters`]).
    #[serde(default)]
    pub instructions: Option<f64>,
    /// Why the cell got no more worker processes; `None` while it is
    /// unfinished (or in files from before this was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<StopReason>,
    /// Backend-specific figures that have no field of their own. Nothing
    /// writes any today; figures of a version-1 file that version 2 has no
    /// field for are kept here.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, f64>,
}

impl Cell {
    /// A cell of `backend`, `workload` and `size` with `status` and nothing
    /// measured yet.
    pub fn new(backend: &str, workload: &str, size: &str, status: CellStatus) -> Cell {
        Cell {
            backend: backend.to_string(),
            workload: workload.to_string(),
            size: size.to_string(),
            status,
            error: None,
            processes: Vec::new(),
            summary: None,
            build: None,
            instructions: None,
            stopped: None,
            extra: BTreeMap::new(),
        }
    }
}

/// Why a cell got no more worker processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StopReason {
    /// A process failed (the cell's error says how).
    Failed,
    /// The run asked for exactly this many processes.
    Fixed,
    /// The median reached the wanted precision.
    Precise,
    /// The most processes allowed ran without reaching the precision.
    ProcessLimit,
    /// The spread of the processes so far says the precision cannot be
    /// reached within the most processes allowed (the interval's half-width
    /// shrinks about as one over the square root of the process count), so
    /// the cell stopped early: its median is less precise than wanted.
    Unreachable,
}

/// What a backend's build-time `prepare` cost and produced (for the
/// WebAssembly-component backend: componentizing the module and
/// precompiling the component, each cached).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct BuildCosts {
    /// Wall time of the whole `prepare`, as the backend measured it.
    pub prepare_ns: Nanos,
    /// Whether every artefact came from the cache, so no build work ran.
    pub cache_hit: bool,
    /// Time spent making the component; `None` when it came from the cache.
    #[serde(default)]
    pub componentize_ns: Option<Nanos>,
    /// Time spent compiling the component to machine code; `None` when the
    /// precompiled code came from the cache.
    #[serde(default)]
    pub compile_ns: Option<Nanos>,
    /// Size of the component (`.wasm`).
    #[serde(default)]
    pub component_bytes: Option<Bytes>,
    /// Size of the runtime's precompiled code for it (`.cwasm`).
    #[serde(default)]
    pub precompiled_bytes: Option<Bytes>,
    /// Size of a tuned variant's start-up artefact: QuickJS bytecode, a V8
    /// code cache or startup snapshot, a Node snapshot blob.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artefact_bytes: Option<Bytes>,
    /// Time the same compilation took with wasmtime's baseline compiler
    /// (Winch) instead of Cranelift, measured when `compile_ns` was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub winch_compile_ns: Option<Nanos>,
}

/// Outcome of a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CellStatus {
    /// Every call returned the expected output.
    Ok,
    /// A call returned an output other than the expected one.
    WrongOutput,
    /// The backend or workload failed (see the error).
    Failed,
    /// The backend cannot run this workload (see the error).
    Unsupported,
}

/// Kinds of failure, the same for every backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// The module did not parse.
    Syntax,
    /// JavaScript threw.
    Exception,
    /// A call ran past the timeout.
    Timeout,
    /// The engine or worker ran out of its memory limit.
    OutOfMemory,
    /// The backend cannot do what was asked.
    Unsupported,
    /// The engine or worker process died.
    Crashed,
    /// A call returned the wrong output.
    WrongOutput,
    /// A problem in jsbench or the backend glue.
    Internal,
}

impl ErrorKind {
    /// The kebab-case name used in files and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax",
            ErrorKind::Exception => "exception",
            ErrorKind::Timeout => "timeout",
            ErrorKind::OutOfMemory => "out-of-memory",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Crashed => "crashed",
            ErrorKind::WrongOutput => "wrong-output",
            ErrorKind::Internal => "internal",
        }
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error recorded in a cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// Phase in which it happened.
    pub phase: Phase,
    /// Human-readable message.
    pub message: String,
    /// JavaScript stack, when the engine gave one.
    #[serde(default)]
    pub stack: Option<String>,
}

/// What one worker process measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ProcessRun {
    /// Time of each phase that completed.
    pub phases: Phases,
    /// Steady-state samples: nanoseconds per call, one per sample.
    pub samples: Vec<f64>,
    /// Calls per sample (the same for every sample of this process).
    pub iterations_per_sample: u64,
    /// Warm-up calls discarded before the samples.
    pub warmup_calls: u64,
    /// Times a full set of samples had shifted level (a late tier-up, a
    /// settling heap) and its first half was dropped as warm-up; those
    /// calls are counted in `warmup_calls`.
    #[serde(default)]
    pub level_shifts: u32,
    /// Memory figures.
    pub memory: Memory,
    /// CPU counters per operation, or why they are unavailable; `None` when
    /// the process did not reach the steady phase (or ran none).
    #[serde(default)]
    pub counters: Option<Counters>,
    /// Per-call latency distribution of the steady phase: `(nanoseconds,
    /// calls)` pairs of a histogram with 3 significant digits.
    #[serde(default)]
    pub call_latency: Vec<(u64, u64)>,
    /// Wall time of the whole worker process as the harness saw it, from
    /// spawning it to its exit (start-up, every phase, the samples and the
    /// exit): what the process cost the run. `None` in files written
    /// before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wall_ns: Option<Nanos>,
}

/// CPU counters of the steady phase, per operation. In the file the source
/// is the field `source` (`perf`, `callgrind` or `unavailable`, the last
/// with a `reason`) beside the counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Counters {
    /// Where the counts come from, or why there are none.
    #[serde(flatten)]
    pub source: CounterSource,
    /// Instructions retired per operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<f64>,
    /// CPU cycles per operation (perf only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycles: Option<f64>,
}

impl Counters {
    /// No counts, for `reason` (which says "unavailable because …").
    pub fn unavailable(reason: impl Into<String>) -> Counters {
        Counters {
            source: CounterSource::Unavailable { reason: reason.into() },
            instructions: None,
            cycles: None,
        }
    }
}

/// Where CPU counts come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "kebab-case")]
pub enum CounterSource {
    /// Hardware counters (`perf_event_open`).
    Perf,
    /// Valgrind's simulated CPU: deterministic instruction counts, no cycles.
    Callgrind,
    /// Nothing could count on this machine or in this run.
    Unavailable {
        /// Why, as "unavailable because …".
        reason: String,
    },
}

/// Phase timings of one worker process; `None` where the phase did not run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Phases {
    /// Build-time work (e.g. compiling JS to a component).
    pub prepare: Option<Nanos>,
    /// Creating the runtime (cold start).
    pub create: Option<Nanos>,
    /// Loading (parsing, compiling) the workload module.
    pub load: Option<Nanos>,
    /// The first call of `run`.
    pub first_call: Option<Nanos>,
}

/// Memory figures of one worker process.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Memory {
    /// Peak resident set size of the worker (VmHWM).
    pub peak_rss: Option<Bytes>,
    /// Memory the engine reports using, after the last call.
    pub engine: Option<Bytes>,
}

/// Summary statistics of a cell's steady-state samples (nanoseconds per call).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Summary {
    /// Number of samples.
    pub count: u64,
    /// Median.
    pub median: f64,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation.
    pub stddev: f64,
    /// Median absolute deviation.
    pub mad: f64,
    /// Smallest sample.
    pub min: f64,
    /// Largest sample.
    pub max: f64,
    /// Lower end of a bootstrap 95% confidence interval of the median.
    #[serde(default)]
    pub ci95_low: Option<f64>,
    /// Upper end of a bootstrap 95% confidence interval of the median.
    #[serde(default)]
    pub ci95_high: Option<f64>,
    /// Median latency of single calls (timed one by one), in ns.
    #[serde(default)]
    pub p50: Option<f64>,
    /// 95th percentile of single-call latency, in ns.
    #[serde(default)]
    pub p95: Option<f64>,
    /// 99th percentile of single-call latency, in ns.
    #[serde(default)]
    pub p99: Option<f64>,
}

/// The language-feature matrix: which ECMAScript features each backend
/// supports, as found by running one small probe module per feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct FeatureMatrix {
    /// The probes, in display order (by edition, then feature).
    pub probes: Vec<FeatureProbe>,
    /// One entry per (backend, probe) that was asked for.
    pub results: Vec<FeatureResult>,
}

/// One feature probe: an ES module whose `run` returns `"ok"` only when the
/// feature behaves correctly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureProbe {
    /// Unique id (the module's file stem, e.g. `optional-chaining`).
    pub id: String,
    /// ECMAScript edition (`ES2015` … `ES2026`), `ECMA-402` (Intl), `host`
    /// (a web-platform API many runtimes have) or `proposal`.
    pub edition: String,
    /// Feature name as shown in the matrix (e.g. `Optional chaining`).
    pub feature: String,
    /// What the probe checks, in one line.
    #[serde(default)]
    pub description: String,
    /// Path of the probe module.
    pub path: String,
}

/// What one backend did with one probe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureResult {
    /// Backend name.
    pub backend: String,
    /// Probe id.
    pub probe: String,
    /// The verdict.
    pub status: FeatureStatus,
    /// For `error`: the kind of failure (`syntax` means the engine cannot
    /// parse the feature's syntax).
    #[serde(default)]
    pub error_kind: Option<ErrorKind>,
    /// For `wrong` and `missing`: the text the probe returned; for `error`
    /// and `unavailable`: the message.
    #[serde(default)]
    pub detail: Option<String>,
    /// Time from the start of the worker to the probe's answer, for the
    /// curious (create + load + first call).
    #[serde(default)]
    pub nanos: Option<Nanos>,
}

/// Verdict of a feature probe on a backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FeatureStatus {
    /// The probe returned `"ok"`: the feature works.
    Supported,
    /// The probe found a built-in it checks absent (it returned
    /// `missing: <name>`); `detail` names it.
    Missing,
    /// The probe ran but the feature misbehaved; `detail` says how.
    Wrong,
    /// The probe did not parse, threw, or its worker failed; `error_kind`
    /// and `detail` say how.
    Error,
    /// The backend cannot run on this machine; `detail` says why.
    Unavailable,
}

impl FeatureStatus {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            FeatureStatus::Supported => "supported",
            FeatureStatus::Missing => "missing",
            FeatureStatus::Wrong => "wrong",
            FeatureStatus::Error => "error",
            FeatureStatus::Unavailable => "unavailable",
        }
    }
}

/// Results of running (part of) the official test262 suite on backends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ConformanceReport {
    /// The test262 checkout (its root folder).
    pub test262_root: String,
    /// The folder or file that was run, relative to the root.
    pub selection: String,
    /// Backends, in display order.
    pub backends: Vec<String>,
    /// Counts per (backend, directory); directories are relative to
    /// `<root>/test`, cut to the depth asked for.
    pub directories: Vec<ConformanceCounts>,
    /// Every failing run, with its reason.
    pub failures: Vec<ConformanceFailure>,
    /// Why tests were skipped, with how many runs each reason skipped (the
    /// same on every backend).
    #[serde(default)]
    pub skip_reasons: BTreeMap<String, u64>,
}

/// Pass, fail and skip counts of runs (a test runs once per mode: strict,
/// sloppy, or as a module).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ConformanceCounts {
    /// Backend name.
    pub backend: String,
    /// Directory relative to `<root>/test` (empty for the whole selection).
    pub directory: String,
    /// Runs that passed.
    pub passed: u64,
    /// Runs that failed.
    pub failed: u64,
    /// Runs skipped (unsupported by the runner; see `skip_reasons`).
    pub skipped: u64,
    /// Test files that passed (every run that ran passed), as published
    /// per-engine test262 results count them.
    #[serde(default)]
    pub files_passed: u64,
    /// Test files with at least one failing run.
    #[serde(default)]
    pub files_failed: u64,
    /// Test files none of whose runs ran.
    #[serde(default)]
    pub files_skipped: u64,
}

/// One failing run of a test262 test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConformanceFailure {
    /// Backend name.
    pub backend: String,
    /// Test path relative to `<root>/test`.
    pub test: String,
    /// `strict`, `sloppy` or `module`.
    pub mode: String,
    /// Why it failed.
    pub message: String,
}

/// What a [`SizeReport`] measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SizeKind {
    /// A Rust program with no engine: the reference for deltas.
    Baseline,
    /// A minimal Rust program embedding an engine crate.
    Embedded,
    /// A minimal wasmtime embedder; the JS engine lives in each component.
    WasmComponent,
    /// A JavaScript runtime run as a separate process (not built here).
    OutOfProcess,
}

/// The binary size and build cost of one way of running JavaScript, from
/// `jsbench size`: a minimal embedder program ("probe") built from scratch,
/// or the executable and installation of a runtime process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SizeReport {
    /// Probe or runtime name: `baseline`, `quickjs`, `boa`, `v8`,
    /// `wasm-component`, `node`, `deno` or `bun`.
    pub name: String,
    /// What was measured.
    pub kind: SizeKind,
    /// The backends this figure stands for (e.g. `v8` and `v8-jitless`, which
    /// are one binary; `node-http` and `node-pipe`, which run one runtime).
    #[serde(default)]
    pub backends: Vec<String>,
    /// Build variant: `release` or `release-lto` for probes, `installed` for
    /// runtimes.
    pub variant: String,
    /// What the probe links or the runtime is, with versions (e.g.
    /// `rquickjs 0.14.0`, `node 20.20.2`).
    #[serde(default)]
    pub component: String,
    /// The executable measured (after the build, where it was kept).
    #[serde(default)]
    pub binary: Option<String>,
    /// Size of that file on disk.
    #[serde(default)]
    pub binary_bytes: Option<Bytes>,
    /// `binary_bytes` minus the baseline's of the same variant, where both
    /// are known.
    #[serde(default)]
    pub delta_bytes: Option<i64>,
    /// Everything installed for a runtime (its package folders, or the
    /// Debian package's installed size), where known.
    #[serde(default)]
    pub install_bytes: Option<Bytes>,
    /// The clean build, for probes.
    #[serde(default)]
    pub build: Option<BuildCost>,
    /// What the probe printed when run once after the build (its result must
    /// match the expected one for the report to be ok).
    #[serde(default)]
    pub run_output: Option<String>,
    /// Per-workload artefacts, for the component backend.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artefacts: Vec<ArtefactSize>,
    /// Remarks a reader needs (shared binaries, where a figure came from).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Why this could not be measured, when it could not (the other figures
    /// are then absent).
    #[serde(default)]
    pub unavailable: Option<String>,
    /// When it was measured, as RFC 3339 UTC.
    #[serde(default)]
    pub measured_at: String,
}

/// A clean release build of a probe in a fresh target folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuildCost {
    /// Wall time of `cargo build` (dependencies already downloaded).
    pub wall: Nanos,
    /// Packages compiled (each package once, build scripts and proc macros
    /// included).
    pub crates_compiled: u32,
    /// The release profile the build used.
    pub settings: BuildSettings,
}

/// The cargo release-profile settings of a probe build, as passed to cargo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildSettings {
    /// `opt-level`.
    pub opt_level: String,
    /// `lto` (`false`, `thin` or `fat`).
    pub lto: String,
    /// `codegen-units`.
    pub codegen_units: u32,
    /// `strip` (`none`, `debuginfo` or `symbols`).
    pub strip: String,
    /// `panic` (`unwind` or `abort`).
    pub panic: String,
    /// `debug` (debug-info level).
    pub debug: String,
    /// Parallel build jobs (`cargo build -j`), `None` for cargo's default.
    #[serde(default)]
    pub jobs: Option<u32>,
    /// `rustc --version` of the compiler used.
    #[serde(default)]
    pub rustc: Option<String>,
    /// The target triple.
    #[serde(default)]
    pub target: String,
}

/// The component and precompiled-code sizes of one workload, for the
/// WebAssembly-component backend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArtefactSize {
    /// Workload name.
    pub workload: String,
    /// The component (`.wasm`) ComponentizeJS made.
    pub component_bytes: Bytes,
    /// wasmtime's precompiled code for it (`.cwasm`).
    #[serde(default)]
    pub precompiled_bytes: Option<Bytes>,
}

impl Results {
    /// Parses a results file's text, checking the schema version first so an
    /// old or new file gets a clear message rather than a field error. A
    /// version-1 file is converted to this version as it is read.
    pub fn from_json(text: &str, path: &str) -> Result<Results, SchemaError> {
        let mut raw: serde_json::Value = serde_json::from_str(text).map_err(|source| SchemaError::Malformed {
            path: path.to_string(),
            source,
        })?;
        let found = raw.get("schema_version").and_then(serde_json::Value::as_u64);
        match found {
            Some(v) if v == u64::from(SCHEMA_VERSION) => {}
            Some(1) => v1::upgrade(&mut raw, path)?,
            Some(v) => {
                return Err(SchemaError::IncompatibleVersion {
                    path: path.to_string(),
                    found: v,
                    expected: SCHEMA_VERSION,
                });
            }
            None => {
                return Err(SchemaError::Malformed {
                    path: path.to_string(),
                    source: serde::de::Error::custom("missing numeric field `schema_version`"),
                });
            }
        }
        serde_json::from_value(raw).map_err(|source| SchemaError::Malformed {
            path: path.to_string(),
            source,
        })
    }

    /// Reads and parses a results file.
    pub fn read(path: &Path) -> Result<Results, SchemaError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| SchemaError::Io {
            path: shown.clone(),
            source,
        })?;
        Results::from_json(&text, &shown)
    }

    /// Writes the file atomically: a temporary file beside it (synced to
    /// disk), then a rename, so a reader (or a crash) never sees half a
    /// file and a failed write (a full disk) leaves the previous file
    /// intact. A symlink is followed (the file it points to is replaced);
    /// anything but a regular file (a device, a FIFO, a folder) is refused.
    pub fn write_atomic(&self, path: &Path) -> Result<(), SchemaError> {
        let text = serde_json::to_string_pretty(self).map_err(|e| SchemaError::Io {
            path: path.display().to_string(),
            source: std::io::Error::other(e),
        })?;
        write_file_atomic(path, text.as_bytes())
    }

    /// Whether a cell stopped before it had the processes the run asked
    /// for (an interrupted run): its figures are not a full measurement.
    pub fn is_partial(&self, cell: &Cell) -> bool {
        cell.status == CellStatus::Ok
            && cell.error.is_none()
            && (cell.processes.len() as u64) < u64::from(self.config.processes)
    }

    /// "partial: 2 of 10 processes" for a partial cell.
    pub fn partial_note(&self, cell: &Cell) -> Option<String> {
        self.is_partial(cell).then(|| {
            format!(
                "partial: {} of {} processes (interrupted; `jsbench run --resume` completes it)",
                cell.processes.len(),
                self.config.processes
            )
        })
    }

    /// The cell for a (backend, workload, size), if present.
    pub fn cell(&self, backend: &str, workload: &str, size: &str) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|c| c.backend == backend && c.workload == workload && c.size == size)
    }
}

/// The file a write to `path` lands in: `path` itself, or the file a
/// symlink at `path` points to. Refuses anything but a regular file.
pub fn writable_target(path: &Path) -> Result<std::path::PathBuf, SchemaError> {
    let shown = path.display().to_string();
    let target = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => match std::fs::canonicalize(path) {
            Ok(real) => real,
            Err(source) => {
                return Err(SchemaError::Io {
                    path: format!("{shown} (a symlink)"),
                    source,
                });
            }
        },
        Ok(_) => path.to_path_buf(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(path.to_path_buf()),
        Err(source) => return Err(SchemaError::Io { path: shown, source }),
    };
    match std::fs::metadata(&target) {
        Ok(meta) if !meta.is_file() => Err(SchemaError::NotRegularFile {
            path: shown,
            what: file_kind(&meta),
        }),
        _ => Ok(target),
    }
}

/// What a file that is not a regular file is, in words.
fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    if kind.is_dir() {
        "folder"
    } else if kind.is_char_device() || kind.is_block_device() {
        "device"
    } else if kind.is_fifo() {
        "FIFO (named pipe)"
    } else if kind.is_socket() {
        "socket"
    } else {
        "special file"
    }
}

/// Writes `bytes` to `path` through a synced temporary file beside it and a
/// rename (see [`Results::write_atomic`]).
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> Result<(), SchemaError> {
    use std::io::Write;
    let target = writable_target(path)?;
    let io = |source| SchemaError::Io {
        path: path.display().to_string(),
        source,
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "results.json".into());
    let tmp = dir.join(format!(".{file_name}.tmp.{}", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, &target)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Results {
        Results {
            schema_version: SCHEMA_VERSION,
            jsbench: ToolInfo {
                version: "0.1.0".into(),
                git_revision: Some("abc".into()),
                build_profile: "release".into(),
                rustc: None,
            },
            machine: Machine::default(),
            config: RunConfig {
                sizes: vec!["small".into()],
                samples: 3,
                warmup: 1,
                processes: 1,
                max_processes: None,
                precision: None,
                sample_ms: None,
                timeout_ms: 1000,
                memory_limit: 1 << 30,
                seed: 7,
                profile: "custom".into(),
                pin: None,
            },
            started_at: "2026-01-01T00:00:00Z".into(),
            finished_at: String::new(),
            backends: vec![],
            workloads: vec![],
            cells: vec![Cell {
                backend: "mock".into(),
                workload: "w".into(),
                size: "small".into(),
                status: CellStatus::Failed,
                error: Some(CellError {
                    kind: ErrorKind::Timeout,
                    phase: Phase::Steady,
                    message: "too slow".into(),
                    stack: None,
                }),
                processes: vec![ProcessRun {
                    counters: Some(Counters {
                        source: CounterSource::Perf,
                        instructions: Some(1200.5),
                        cycles: Some(900.0),
                    }),
                    ..ProcessRun::default()
                }],
                summary: None,
                build: Some(BuildCosts {
                    prepare_ns: 1_500_000_000,
                    cache_hit: false,
                    componentize_ns: Some(700_000_000),
                    compile_ns: None,
                    component_bytes: Some(11 << 20),
                    precompiled_bytes: Some(29 << 20),
                    ..BuildCosts::default()
                }),
                instructions: Some(1200.5),
                stopped: None,
                extra: BTreeMap::new(),
            }],
            features: None,
            sandbox: None,
            density: Vec::new(),
            concurrency: Vec::new(),
            conformance: None,
            sizes: Vec::new(),
            transport_floor: Vec::new(),
        }
    }

    #[test]
    fn round_trips_through_json() {
        let r = sample();
        let text = serde_json::to_string(&r).unwrap();
        assert_eq!(Results::from_json(&text, "x").unwrap(), r);
    }

    #[test]
    fn version_2_fields_are_typed_in_the_file() {
        let mut r = sample();
        r.cells[0].processes.push(ProcessRun {
            counters: Some(Counters::unavailable("unavailable because no PMU")),
            ..ProcessRun::default()
        });
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["schema_version"], 2);
        let cell = &v["cells"][0];
        assert_eq!(cell["error"]["phase"], "steady");
        assert_eq!(cell["build"]["cache_hit"], false);
        assert_eq!(cell["build"]["component_bytes"], 11 << 20);
        assert_eq!(cell["instructions"], 1200.5);
        assert!(cell.get("extra").is_none(), "an empty extra map is not written: {cell}");
        assert_eq!(cell["processes"][0]["counters"]["source"], "perf");
        assert_eq!(cell["processes"][0]["counters"]["instructions"], 1200.5);
        let unavailable = &cell["processes"][1]["counters"];
        assert_eq!(unavailable["source"], "unavailable");
        assert_eq!(unavailable["reason"], "unavailable because no PMU");
        assert!(
            unavailable.get("instructions").is_none(),
            "no counts, no fields: {unavailable}"
        );
        assert_eq!(Results::from_json(&v.to_string(), "x").unwrap(), r);
    }

    #[test]
    fn an_unknown_phase_or_counter_source_names_the_file() {
        let mut v = serde_json::to_value(sample()).unwrap();
        v["cells"][0]["error"]["phase"] = "warm-up".into();
        let err = Results::from_json(&v.to_string(), "odd.json").unwrap_err().to_string();
        assert!(err.contains("odd.json") && err.contains("warm-up"), "{err}");
        let mut v = serde_json::to_value(sample()).unwrap();
        v["cells"][0]["processes"][0]["counters"]["source"] = "rdtsc".into();
        let err = Results::from_json(&v.to_string(), "odd.json").unwrap_err().to_string();
        assert!(err.contains("odd.json") && err.contains("rdtsc"), "{err}");
    }

    #[test]
    fn rejects_other_schema_version() {
        for version in [0, 3, 99] {
            let mut v = serde_json::to_value(sample()).unwrap();
            v["schema_version"] = version.into();
            let err = Results::from_json(&v.to_string(), "other.json").unwrap_err();
            assert!(
                matches!(err, SchemaError::IncompatibleVersion { found, .. } if found == version),
                "{err}"
            );
            let message = err.to_string();
            assert!(message.contains("other.json"), "{message}");
            assert!(message.contains(&format!("schema_version {version}")), "{message}");
            assert!(message.contains("versions 1 to 2"), "{message}");
        }
    }

    #[test]
    fn malformed_file_names_the_file() {
        let err = Results::from_json("{not json", "bad.json").unwrap_err();
        assert!(err.to_string().contains("bad.json"), "{err}");
        let err = Results::from_json("{}", "empty.json").unwrap_err();
        assert!(err.to_string().contains("schema_version"), "{err}");
    }

    #[test]
    fn atomic_write_then_read() {
        let dir = std::env::temp_dir().join(format!("jsbench-schema-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("r.json");
        sample().write_atomic(&path).unwrap();
        assert_eq!(Results::read(&path).unwrap(), sample());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_symlink_is_followed_and_special_files_are_refused() {
        use std::os::unix::fs::FileTypeExt;
        let dir = std::env::temp_dir().join(format!("jsbench-schema-links-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let real = dir.join("real.json");
        std::fs::write(&real, "old").unwrap();
        let link = dir.join("link.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        sample().write_atomic(&link).unwrap();
        assert!(
            std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(),
            "the symlink stays"
        );
        assert_eq!(Results::read(&real).unwrap(), sample());

        let err = sample().write_atomic(Path::new("/dev/null")).unwrap_err();
        assert!(err.to_string().contains("is a device, not a regular file"), "{err}");
        assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device());
        let fifo = dir.join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo with a valid C string.
        assert_eq!(unsafe { libc_mkfifo(c.as_ptr(), 0o600) }, 0);
        let err = sample().write_atomic(&fifo).unwrap_err();
        assert!(err.to_string().contains("FIFO"), "{err}");
        assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
        let err = sample().write_atomic(&dir).unwrap_err();
        assert!(err.to_string().contains("is a folder"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file() {
        let dir = std::env::temp_dir().join(format!("jsbench-schema-fail-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let err = sample().write_atomic(&dir.join("missing").join("r.json")).unwrap_err();
        assert!(err.to_string().contains("missing"), "{err}");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    unsafe extern "C" {
        #[link_name = "mkfifo"]
        fn libc_mkfifo(path: *const std::ffi::c_char, mode: u32) -> i32;
    }
}
