//! Command-line definitions (clap derive). Each subcommand's options live
//! here; the work lives in `commands/`.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Compare the ways of running JavaScript from Rust on the same workloads:
/// embedded engines (QuickJS, Boa, V8), a WebAssembly component, and
/// separate Node/Deno/Bun processes.
#[derive(Debug, Parser)]
#[command(name = "jsbench", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run workloads on backends and write a results file.
    Run(RunArgs),
    /// List the backends of this build and the workloads of the suite.
    List(ListArgs),
    /// Print the table of a results file.
    Show(ShowArgs),
    /// Internal: run one cell in a worker process (request on stdin).
    #[command(hide = true)]
    Worker(WorkerArgs),
}

/// Options of `jsbench run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Backends to run (names; comma-separated or repeated). Default: every
    /// backend of this build.
    #[arg(short, long = "backend", value_delimiter = ',')]
    pub backends: Vec<String>,
    /// Workloads: names, globs over names (`echo-*`, `compute/*`), or paths
    /// to a manifest (`.toml`) or a module with a manifest beside it (`.js`).
    /// Default: the whole suite.
    #[arg(short, long = "workload", value_delimiter = ',')]
    pub workloads: Vec<String>,
    /// Input sizes (comma-separated). Default: `small` with --quick,
    /// otherwise `default`.
    #[arg(short, long = "size", value_delimiter = ',')]
    pub sizes: Vec<String>,
    /// A smoke run of the whole matrix in about a minute: small inputs, one
    /// process per cell, few short samples.
    #[arg(long, conflicts_with = "rigorous")]
    pub quick: bool,
    /// More processes and samples, for numbers to publish.
    #[arg(long)]
    pub rigorous: bool,
    /// Steady-state samples per worker process.
    #[arg(long)]
    pub samples: Option<u32>,
    /// Worker processes per cell (each also measures a cold start).
    #[arg(long)]
    pub processes: Option<u32>,
    /// Warm-up operations before calibration.
    #[arg(long)]
    pub warmup: Option<u32>,
    /// Target duration of one sample, in milliseconds.
    #[arg(long)]
    pub sample_ms: Option<f64>,
    /// Per-call timeout in milliseconds, the same for every backend.
    #[arg(long)]
    pub timeout_ms: Option<u64>,
    /// Memory limit per worker in MiB, the same for every backend.
    #[arg(long)]
    pub memory_limit_mib: Option<u64>,
    /// Seed of the shuffled order of cells (default: random, recorded).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Cells to run at the same time (more is faster and noisier).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Where to write the results.
    #[arg(short, long, default_value = "jsbench-results.json")]
    pub output: PathBuf,
    /// Folder of the workload suite.
    #[arg(long)]
    pub workloads_dir: Option<PathBuf>,
    /// Print no progress bar and no table.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Options of `jsbench list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Folder of the workload suite.
    #[arg(long)]
    pub workloads_dir: Option<PathBuf>,
}

/// Options of `jsbench show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A results file written by `jsbench run`.
    pub results: PathBuf,
}

/// Options of the hidden `jsbench worker` (the request, with the backend
/// name, comes on stdin).
#[derive(Debug, Args)]
pub struct WorkerArgs {}
