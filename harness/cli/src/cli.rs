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
    /// Colour in tables and messages: `auto` colours a terminal unless
    /// `NO_COLOR` is set (`CLICOLOR_FORCE` forces it).
    #[arg(long, value_enum, default_value = "auto", global = true)]
    pub color: ColorArg,
}

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorArg {
    /// On a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always, even into a pipe or a file.
    Always,
    /// Never.
    Never,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
// Parsed once per process: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// Run workloads on backends and write a results file.
    Run(RunArgs),
    /// List the backends of this build and the workloads of the suite.
    List(ListArgs),
    /// Print the table of a results file.
    Show(ShowArgs),
    /// Build minimal embedder programs from scratch and report binary sizes
    /// and build costs, plus the size of the runtime processes.
    Size(SizeArgs),
    /// Run the language-feature probes on backends and print the matrix.
    Features(FeaturesArgs),
    /// Run (part of) a test262 checkout on backends and count passes.
    Conformance(ConformanceArgs),
    /// Probe what JavaScript on each backend can reach on the host (files,
    /// environment, network, processes, exit, clock, randomness, limits).
    Sandbox(SandboxArgs),
    /// Measure memory per instance: K idle and K loaded instances of each
    /// backend in one worker, and how many fit in 1 GiB.
    Density(DensityArgs),
    /// Measure throughput and p99 with C callers at once, each on its own
    /// runtime, and the scaling over one caller.
    Concurrency(ConcurrencyArgs),
    /// Render a results file as a self-contained HTML page (charts, tables,
    /// trade-offs), Markdown, or the terminal table.
    Report(ReportArgs),
    /// Compare a base results file with one or more candidates cell by
    /// cell; exit 1 on a regression beyond the threshold that the noise
    /// cannot explain.
    Compare(CompareArgs),
    /// Store runs in a SQLite history and list them (for trend charts).
    History(HistoryArgs),
    /// Combine results files from several machines or shards into one.
    Merge(MergeArgs),
    /// Recommend a backend per scenario (a command-line tool, a server, a
    /// plugin host) from a results file, with the figures and caveats.
    Advise(AdviseArgs),
    /// Check the cells of a results file for unstable measurements (too few
    /// samples, too much spread); exit 1 when any cell is flagged.
    Check(CheckArgs),
    /// Install what the backends need into the cache folder ahead of the
    /// first run (the embedded workloads and scripts, then `npm ci` for
    /// Deno, Bun and ComponentizeJS) and print where everything is.
    Setup(SetupArgs),
    /// Make a workload of your own program: bundle its entry, record the
    /// expected output on a reference backend, write the manifest beside it.
    New(crate::commands::new::NewArgs),
    /// Internal: run one cell in a worker process (request on stdin).
    #[command(hide = true)]
    Worker(WorkerArgs),
    /// Internal: the trivial Rust peer of the transport floor (`pipe` or
    /// `http`), serving on stdin and stdout until stdin closes.
    #[command(hide = true)]
    TransportPeer(TransportPeerArgs),
}

/// Options of the internal `jsbench transport-peer`.
#[derive(Debug, Args)]
pub struct TransportPeerArgs {
    /// `pipe` or `http`.
    pub transport: TransportArg,
}

/// A process backend's transport, on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TransportArg {
    /// Frames over stdin and stdout.
    Pipe,
    /// HTTP/1.1 on 127.0.0.1.
    Http,
}

/// Options of `jsbench advise`.
#[derive(Debug, Args)]
pub struct AdviseArgs {
    /// A results file written by `jsbench run` (not `--quick`: one process
    /// per cell is refused).
    pub results: PathBuf,
    /// The scenario; default: all three.
    #[arg(long, value_enum)]
    pub scenario: Option<ScenarioArg>,
    /// Calls per runtime (default: 1 for cli and plugin, 100000 for server).
    #[arg(long)]
    pub calls: Option<u64>,
}

/// How the JavaScript is used, for `jsbench advise`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScenarioArg {
    /// A command-line tool: one run per process.
    Cli,
    /// A server: many calls per runtime.
    Server,
    /// A plugin host: many sandboxes, started often.
    Plugin,
}

/// Options of `jsbench setup`.
#[derive(Debug, Args)]
pub struct SetupArgs {
    /// Only print where things are installed; install nothing.
    #[arg(long)]
    pub show: bool,
}

/// Options of `jsbench check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// A results file written by `jsbench run`.
    pub results: PathBuf,
    /// Fewest samples a cell should have.
    #[arg(long, default_value_t = 5)]
    pub min_samples: u64,
    /// Largest spread allowed, as the median absolute deviation in percent of
    /// the median.
    #[arg(long, default_value_t = 10.0)]
    pub max_spread_percent: f64,
    /// Largest width of the median's 95% confidence interval, in percent of
    /// the median.
    #[arg(long, default_value_t = 20.0)]
    pub max_ci_percent: f64,
}

/// How `jsbench run` counts CPU instructions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CountersArg {
    /// Hardware counters (perf_event_open) where the machine exposes them;
    /// otherwise each cell records why not.
    Perf,
    /// Also run each successful cell once more under valgrind's callgrind
    /// for deterministic instruction counts (slow).
    Callgrind,
    /// Do not count.
    Off,
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
    /// process per cell, few short samples. (The default: 3 to 10 processes
    /// per cell, until each median is within ±2%.)
    #[arg(long, conflicts_with = "rigorous")]
    pub quick: bool,
    /// More processes and samples, for numbers to publish.
    #[arg(long)]
    pub rigorous: bool,
    /// Steady-state samples per worker process.
    #[arg(long)]
    pub samples: Option<u32>,
    /// Worker processes per cell (each also measures a cold start). Alone,
    /// exactly this many; with --max-processes, the minimum.
    #[arg(long)]
    pub processes: Option<u32>,
    /// Most worker processes per cell: after --processes, cells whose median
    /// is not yet within --precision get more, round by round, up to this.
    #[arg(long)]
    pub max_processes: Option<u32>,
    /// Wanted precision of each cell's median, in percent: the half-width
    /// of its 95% confidence interval over worker processes (with
    /// --max-processes).
    #[arg(long, value_name = "PERCENT", allow_negative_numbers = true)]
    pub precision: Option<f64>,
    /// Warm-up operations before calibration.
    #[arg(long)]
    pub warmup: Option<u32>,
    /// Target duration of one sample, in milliseconds.
    #[arg(long, allow_negative_numbers = true)]
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
    /// Place the worker processes on the CPUs before the colon and the
    /// runtime processes they start (Node, Deno, Bun) on those after it,
    /// e.g. `0:1`, or lists and ranges such as `0:1-3`; recorded in the
    /// results. Default: wherever the scheduler puts them.
    #[arg(long, value_name = "WORKER:CHILD", value_parser = crate::commands::run::options::parse_pin)]
    pub pin: Option<jsbench_schema::CpuPin>,
    /// Do not measure the transport floor of the process backends (see the
    /// README's "Where an out-of-process call's time goes").
    #[arg(long)]
    pub no_floor: bool,
    /// Where to write the results (`-` for standard output; the table and
    /// progress then go to standard error). An existing file is refused
    /// unless --force: use --resume to continue it.
    #[arg(short, long, default_value = "jsbench-results.json")]
    pub output: PathBuf,
    /// Replace an existing results file (with --resume: start the cells of
    /// changed workloads or backends afresh instead of refusing).
    #[arg(long)]
    pub force: bool,
    /// Run only part `i` of `n` of the cells (1-based): the plan sorted by
    /// backend, workload and size, every n-th cell. Combine the parts with
    /// `jsbench merge`.
    #[arg(long, value_name = "i/n")]
    pub shard: Option<jsbench_runner::run::Shard>,
    /// Finish an interrupted run: read this results file, keep its finished
    /// cells as they are, run only the missing or incomplete ones with the
    /// file's backends, workloads and settings (sizes, samples, warm-up,
    /// processes, precision, sample length, timeout, memory limit, seed,
    /// profile; options given here
    /// override them), and write the results back to the same file.
    #[arg(long, value_name = "RESULTS", conflicts_with = "output")]
    pub resume: Option<PathBuf>,
    /// How to count CPU instructions per operation.
    #[arg(long, value_enum, default_value = "perf")]
    pub counters: CountersArg,
    /// Folder of the workload suite.
    #[arg(long)]
    pub workloads_dir: Option<PathBuf>,
    /// Print no progress bar and no table (failed cells are still listed).
    #[arg(short, long)]
    pub quiet: bool,
    /// One table however wide, instead of tables that fit the terminal
    /// (`COLUMNS`, else the terminal's width).
    #[arg(long)]
    pub wide: bool,
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
    /// A results file written by `jsbench run` (or `features`,
    /// `conformance`, `size`).
    pub results: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ShowFormat,
    /// One table however wide, instead of tables that fit the terminal.
    #[arg(long)]
    pub wide: bool,
    /// Backend the "× baseline" ratios divide by (markdown, csv; default:
    /// the file's first).
    #[arg(long, value_name = "NAME")]
    pub baseline: Option<String>,
}

/// Formats of `jsbench show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ShowFormat {
    /// Terminal tables (fitted to the terminal's width).
    Table,
    /// Markdown tables.
    Markdown,
    /// The results file itself, as JSON.
    Json,
    /// One CSV line per cell.
    Csv,
}

/// Options of `jsbench size`.
#[derive(Debug, Args)]
pub struct SizeArgs {
    /// Backends to measure (names; comma-separated or repeated). Default:
    /// every backend of this build. The baseline probe is always built.
    #[arg(short, long = "backend", value_delimiter = ',')]
    pub backends: Vec<String>,
    /// Build the probes with fat LTO and one codegen unit instead of the
    /// plain release settings.
    #[arg(long)]
    pub lto: bool,
    /// Results file to add the sizes to (created when missing; an existing
    /// file keeps its other sections).
    #[arg(short, long, default_value = "jsbench-results.json")]
    pub output: PathBuf,
    /// Parallel jobs for each cargo build (default: cargo's own).
    #[arg(long)]
    pub jobs: Option<u32>,
    /// Take the component backend's per-workload artefact sizes from this
    /// results file (the cells' `build.component_bytes`) instead of preparing
    /// every workload.
    #[arg(long)]
    pub from: Option<PathBuf>,
    /// Keep each probe's target folder (they are removed after measuring; the
    /// probe binaries are kept either way).
    #[arg(long)]
    pub keep_target: bool,
    /// Folder of the workload suite.
    #[arg(long)]
    pub workloads_dir: Option<PathBuf>,
}

/// Options of `jsbench features`.
#[derive(Debug, Args)]
pub struct FeaturesArgs {
    /// Backends to probe (names; comma-separated or repeated). Default:
    /// every backend of this build.
    #[arg(short, long = "backend", value_delimiter = ',')]
    pub backends: Vec<String>,
    /// Probes to run: ids (`bigint`) or editions (`es2022`). Default: all.
    #[arg(short, long = "probe", value_delimiter = ',')]
    pub probes: Vec<String>,
    /// Where to write the matrix (a results file with a `features` section;
    /// `-` for standard output, the table then going to standard error).
    #[arg(short, long, default_value = "jsbench-features.json")]
    pub output: PathBuf,
    /// Per-probe timeout in milliseconds.
    #[arg(long, default_value_t = 5000)]
    pub timeout_ms: u64,
    /// Probes to run at the same time.
    #[arg(long, default_value_t = 2)]
    pub jobs: usize,
    /// Folder of the probes (default: `features/` in the workload suite).
    #[arg(long)]
    pub probes_dir: Option<PathBuf>,
    /// Print the matrix as Markdown instead of a terminal table.
    #[arg(long)]
    pub markdown: bool,
    /// Print no progress bar and no table.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Options of `jsbench sandbox`.
#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Backends to probe (names; comma-separated or repeated). Default:
    /// every backend of this build, the sandboxed process variants
    /// (`node-pipe-sandboxed`, `deno-pipe-sandboxed`) included.
    #[arg(short, long = "backend", value_delimiter = ',')]
    pub backends: Vec<String>,
    /// Where to write the matrix (a results file with a `sandbox` section;
    /// `-` for standard output, the table then going to standard error).
    #[arg(short, long, default_value = "jsbench-sandbox.json")]
    pub output: PathBuf,
    /// Per-call time limit of the probes, in milliseconds.
    #[arg(long, default_value_t = 3000)]
    pub timeout_ms: u64,
    /// Engine memory limit of the probes, in MiB (the memory probes try to
    /// keep four times as much).
    #[arg(long, default_value_t = 128)]
    pub memory_mib: u64,
    /// Probes to run at the same time.
    #[arg(long, default_value_t = 2)]
    pub jobs: usize,
    /// Print the matrix as Markdown instead of a terminal table.
    #[arg(long)]
    pub markdown: bool,
    /// Print no progress bar and no table.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Options of `jsbench density`.
#[derive(Debug, Args)]
pub struct DensityArgs {
    /// Backends to measure (names; comma-separated or repeated). Default:
    /// the default selection of `run`.
    #[arg(short, long = "backend", value_delimiter = ',')]
    pub backends: Vec<String>,
    /// The workload each loaded instance loads and calls once (a
    /// single-module workload of the suite, or a path to its manifest).
    #[arg(short, long, default_value = "fib")]
    pub workload: String,
    /// Instance counts to report at (at most four, e.g. `1,10,100`).
    #[arg(short = 'k', long, value_delimiter = ',', default_value = "1,10,100")]
    pub instances: Vec<u32>,
    /// Where to write the figures (a results file with a `density`
    /// section; `-` for standard output, the table then going to stderr).
    #[arg(short, long, default_value = "jsbench-density.json")]
    pub output: PathBuf,
    /// Per-call timeout in milliseconds.
    #[arg(long, default_value_t = 10000)]
    pub timeout_ms: u64,
    /// Print the table as Markdown instead of a terminal table.
    #[arg(long)]
    pub markdown: bool,
    /// Print no progress bar and no table.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Options of `jsbench concurrency`.
#[derive(Debug, Args)]
pub struct ConcurrencyArgs {
    /// Backends to measure (names; comma-separated or repeated). Default:
    /// the default selection of `run`.
    #[arg(short, long = "backend", value_delimiter = ',')]
    pub backends: Vec<String>,
    /// The workload each caller calls (a single-module workload of the
    /// suite, or a path to its manifest).
    #[arg(short, long, default_value = "fib")]
    pub workload: String,
    /// Caller counts (at most four; default: 1 up to the number of cores,
    /// at most four counts).
    #[arg(short = 'c', long, value_delimiter = ',')]
    pub callers: Vec<u32>,
    /// Measured window per caller count, in milliseconds.
    #[arg(long, default_value_t = 2000)]
    pub window_ms: u64,
    /// Where to write the figures (a results file with a `concurrency`
    /// section; `-` for standard output, the table then going to stderr).
    #[arg(short, long, default_value = "jsbench-concurrency.json")]
    pub output: PathBuf,
    /// Per-call timeout in milliseconds.
    #[arg(long, default_value_t = 10000)]
    pub timeout_ms: u64,
    /// Print the table as Markdown instead of a terminal table.
    #[arg(long)]
    pub markdown: bool,
    /// Print no progress bar and no table.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Options of `jsbench conformance`.
#[derive(Debug, Args)]
pub struct ConformanceArgs {
    /// A test262 checkout, or a folder or test file inside one.
    #[arg(long, value_name = "PATH")]
    pub test262: PathBuf,
    /// Backends to run (names; comma-separated or repeated). Default: every
    /// backend of this build.
    #[arg(short, long = "backend", value_delimiter = ',')]
    pub backends: Vec<String>,
    /// Tests to run at the same time (each in its own worker process).
    #[arg(long, default_value_t = 2)]
    pub jobs: usize,
    /// Per-test timeout in milliseconds.
    #[arg(long, default_value_t = 10000)]
    pub timeout_ms: u64,
    /// Folder levels below `test/` to count passes by.
    #[arg(long, default_value_t = 2)]
    pub depth: usize,
    /// Skip tests that need these test262 features (e.g. `Temporal`).
    #[arg(long = "skip-feature", value_delimiter = ',')]
    pub skip_features: Vec<String>,
    /// Failures to list per backend (all are in the results file).
    #[arg(long, default_value_t = 20)]
    pub show_failures: usize,
    /// Where to write the counts (a results file with a `conformance` section).
    #[arg(short, long, default_value = "jsbench-conformance.json")]
    pub output: PathBuf,
    /// Print no progress bar and no table.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Options of the hidden `jsbench worker` (the request, with the backend
/// name, comes on stdin).
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// CPUs of the runtime processes this worker starts (`run --pin`).
    #[arg(long)]
    pub child_cpus: Option<jsbench_supervise::placement::CpuSet>,
}

/// Options of `jsbench report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A results file written by `jsbench run` (or `jsbench merge`).
    pub results: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "html")]
    pub format: ReportFormat,
    /// Where to write the report (default, or `-`: standard output).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Backend the "× baseline" ratios divide by (default: the file's first).
    #[arg(long, value_name = "NAME")]
    pub baseline: Option<String>,
    /// Add the sandbox matrix, density or concurrency figures of this file
    /// (written by `jsbench sandbox`, `density` or `concurrency`) to the
    /// report; repeatable.
    #[arg(long = "with", value_name = "FILE")]
    pub with: Vec<PathBuf>,
    /// Add trend charts from this history database (`jsbench history add`);
    /// HTML only.
    #[arg(long, value_name = "DB")]
    pub history: Option<PathBuf>,
}

/// Formats of `jsbench report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML page that works offline.
    Html,
    /// Markdown tables.
    Markdown,
    /// The terminal table of `jsbench show`.
    Table,
    /// One CSV line per cell.
    Csv,
}

/// Options of `jsbench compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The reference results (e.g. the main branch).
    pub base: PathBuf,
    /// The results to judge (e.g. a pull request); several candidates are
    /// each compared with the base and shown side by side, one column each.
    #[arg(required = true, num_args = 1..)]
    pub new: Vec<PathBuf>,
    /// A cell regresses only when the whole 95 % interval of new/base is
    /// above 1 + this (e.g. `5%` or `0.05`).
    #[arg(long, value_name = "PERCENT", default_value = "5%")]
    pub fail_above: String,
    /// What to compare; `auto` uses instruction counts where both cells have
    /// them and time elsewhere.
    #[arg(long, value_enum, default_value = "auto")]
    pub metric: CompareMetric,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: CompareFormat,
    /// Also write the output to this file.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// Metrics of `jsbench compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareMetric {
    /// Instructions where both files have them, else time.
    Auto,
    /// Steady-state time per operation.
    Time,
    /// Instruction counts (a cell's `instructions`).
    Instructions,
}

/// Formats of `jsbench compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareFormat {
    /// GitHub-flavoured Markdown (for a PR comment).
    Markdown,
    /// A terminal table.
    Table,
}

/// Options of `jsbench history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: HistoryAction,
}

/// Subcommands of `jsbench history`.
#[derive(Debug, Subcommand)]
pub enum HistoryAction {
    /// Store a results file as a new run (every run is kept under its own
    /// id; `--replace` removes the stored runs of the same git revision and
    /// machine first).
    Add {
        /// A results file.
        results: PathBuf,
        /// Replace the stored runs of the same revision and machine.
        #[arg(long)]
        replace: bool,
        /// The history database.
        #[arg(long, default_value = "jsbench-history.sqlite")]
        db: PathBuf,
    },
    /// List the stored runs.
    List {
        /// The history database.
        #[arg(long, default_value = "jsbench-history.sqlite")]
        db: PathBuf,
    },
}

/// Options of `jsbench merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Results files to combine, in order.
    #[arg(required = true, num_args = 1..)]
    pub inputs: Vec<PathBuf>,
    /// Where to write the merged results (`-` for standard output).
    #[arg(short, long)]
    pub output: PathBuf,
    /// When two files have the same cell: `error` (the default), or keep the
    /// `first` or the `last` file's.
    #[arg(long, value_enum, default_value = "error")]
    pub prefer: MergePrefer,
}

/// Clash policies of `jsbench merge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MergePrefer {
    /// Refuse.
    Error,
    /// Keep the earlier file's cell.
    First,
    /// Keep the later file's cell.
    Last,
}
