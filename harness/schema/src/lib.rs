//! The results schema: the serde types that `jsbench run` writes and that the
//! reports, `compare` and `check` read. Every crate of the workspace shares
//! these types, so a results file means the same thing everywhere.
//!
//! The file is versioned by [`SCHEMA_VERSION`]; [`Results::from_json`] refuses
//! a file written with another version instead of guessing.
#![deny(missing_docs)]

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Version of the results file format. Bump it on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// A duration in nanoseconds.
pub type Nanos = u64;
/// A size in bytes.
pub type Bytes = u64;

/// Errors reading or writing a results file.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
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
    /// The file was written with another schema version.
    #[error(
        "{path} has schema_version {found}, this jsbench reads version {expected}; \
         re-run the benchmark with this version or use the jsbench that wrote it"
    )]
    IncompatibleVersion {
        /// The file.
        path: String,
        /// The version found in the file.
        found: u64,
        /// The version this build understands.
        expected: u32,
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
    /// Worker processes per cell.
    pub processes: u32,
    /// Per-call timeout applied to every backend, in milliseconds.
    pub timeout_ms: u64,
    /// Per-cell memory limit applied to every backend, in bytes.
    pub memory_limit: Bytes,
    /// Seed of the shuffled cell order.
    pub seed: u64,
    /// Profile name (`quick`, `default`, `rigorous`, or `custom`).
    pub profile: String,
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
    /// Extra, backend-specific figures (e.g. component size).
    #[serde(default)]
    pub extra: BTreeMap<String, f64>,
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
    /// Phase in which it happened (`prepare`, `create`, `load`, `first-call`, `steady`).
    pub phase: String,
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
    /// Memory figures.
    pub memory: Memory,
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
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
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
}

impl Results {
    /// Parses a results file's text, checking the schema version first so an
    /// old or new file gets a clear message rather than a field error.
    pub fn from_json(text: &str, path: &str) -> Result<Results, SchemaError> {
        let raw: serde_json::Value =
            serde_json::from_str(text).map_err(|source| SchemaError::Malformed {
                path: path.to_string(),
                source,
            })?;
        let found = raw.get("schema_version").and_then(serde_json::Value::as_u64);
        match found {
            Some(v) if v == u64::from(SCHEMA_VERSION) => {}
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

    /// Writes the file atomically: a temporary file beside it, then a rename,
    /// so a reader (or a crash) never sees half a file.
    pub fn write_atomic(&self, path: &Path) -> Result<(), SchemaError> {
        let shown = path.display().to_string();
        let io = |source| SchemaError::Io {
            path: shown.clone(),
            source,
        };
        let text = serde_json::to_string_pretty(self).map_err(|e| io(std::io::Error::other(e)))?;
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "results.json".into());
        let tmp = dir.join(format!(".{file_name}.tmp.{}", std::process::id()));
        std::fs::write(&tmp, text.as_bytes()).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// The cell for a (backend, workload, size), if present.
    pub fn cell(&self, backend: &str, workload: &str, size: &str) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|c| c.backend == backend && c.workload == workload && c.size == size)
    }
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
                timeout_ms: 1000,
                memory_limit: 1 << 30,
                seed: 7,
                profile: "custom".into(),
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
                    phase: "steady".into(),
                    message: "too slow".into(),
                    stack: None,
                }),
                processes: vec![ProcessRun::default()],
                summary: None,
                extra: BTreeMap::new(),
            }],
        }
    }

    #[test]
    fn round_trips_through_json() {
        let r = sample();
        let text = serde_json::to_string(&r).unwrap();
        assert_eq!(Results::from_json(&text, "x").unwrap(), r);
    }

    #[test]
    fn rejects_other_schema_version() {
        let mut v = serde_json::to_value(sample()).unwrap();
        v["schema_version"] = 99.into();
        let err = Results::from_json(&v.to_string(), "old.json").unwrap_err();
        assert!(matches!(err, SchemaError::IncompatibleVersion { found: 99, .. }));
        assert!(err.to_string().contains("old.json"));
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
}
