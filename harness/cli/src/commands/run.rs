//! `jsbench run`: picks backends, workloads and sizes, sets up what the
//! backends need, runs every cell in worker processes, saves the results
//! file as it goes and prints the summary table.

use crate::cli::RunArgs;
use crate::commands::{EXIT_CELL_FAILED, UsageError};
use crate::progress::Progress;
use crate::registry::{self, Entry};
use anyhow::{Context, Result};
use jsbench_runner::launch::WorkerCommand;
use jsbench_runner::manifest;
use jsbench_runner::protocol::MeasureSettings;
use jsbench_runner::run::{PlannedCell, RunSettings};
use jsbench_schema::{CellStatus, Results, RunConfig, SCHEMA_VERSION, ToolInfo};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

/// A named set of measurement settings.
#[derive(Debug, Clone, Copy)]
struct Profile {
    name: &'static str,
    size: &'static str,
    processes: u32,
    warmup: u32,
    samples: u32,
    sample_ms: f64,
    max_steady: Duration,
    timeout: Duration,
    jobs: usize,
}

const QUICK: Profile = Profile {
    name: "quick",
    size: "small",
    processes: 1,
    warmup: 1,
    samples: 5,
    sample_ms: 1.0,
    max_steady: Duration::from_millis(100),
    timeout: Duration::from_secs(5),
    jobs: 2,
};

const DEFAULT: Profile = Profile {
    name: "default",
    size: "default",
    processes: 3,
    warmup: 3,
    samples: 20,
    sample_ms: 10.0,
    max_steady: Duration::from_secs(2),
    timeout: Duration::from_secs(30),
    jobs: 1,
};

const RIGOROUS: Profile = Profile {
    name: "rigorous",
    size: "default",
    processes: 6,
    warmup: 10,
    samples: 50,
    sample_ms: 20.0,
    max_steady: Duration::from_secs(10),
    timeout: Duration::from_secs(60),
    jobs: 1,
};

/// Default memory limit per worker.
const DEFAULT_MEMORY_LIMIT_MIB: u64 = 2048;

/// Runs the benchmark.
pub fn execute(args: RunArgs) -> Result<ExitCode> {
    let profile = if args.quick {
        QUICK
    } else if args.rigorous {
        RIGOROUS
    } else {
        DEFAULT
    };
    let customised = args.samples.is_some()
        || args.processes.is_some()
        || args.warmup.is_some()
        || args.sample_ms.is_some()
        || args.timeout_ms.is_some();
    let sizes = if args.sizes.is_empty() {
        vec![profile.size.to_string()]
    } else {
        args.sizes.clone()
    };
    let timeout = args.timeout_ms.map(Duration::from_millis).unwrap_or(profile.timeout);
    if timeout.is_zero() {
        return Err(UsageError("--timeout-ms must be at least 1".into()).into());
    }
    let memory_limit = args.memory_limit_mib.unwrap_or(DEFAULT_MEMORY_LIMIT_MIB) << 20;
    let seed = args.seed.unwrap_or_else(rand_seed);
    let processes = args.processes.unwrap_or(profile.processes);
    if processes == 0 {
        return Err(UsageError("--processes must be at least 1".into()).into());
    }
    let sample_ms = args.sample_ms.unwrap_or(profile.sample_ms);
    if !(sample_ms.is_finite() && sample_ms > 0.0) {
        return Err(UsageError("--sample-ms must be a positive number".into()).into());
    }
    let settings = RunSettings {
        sizes: sizes.clone(),
        processes,
        measure: MeasureSettings {
            warmup_ops: args.warmup.unwrap_or(profile.warmup),
            samples: args.samples.unwrap_or(profile.samples),
            sample_target_ns: (sample_ms * 1e6) as u64,
            max_steady_ns: u64::try_from(profile.max_steady.as_nanos()).unwrap_or(u64::MAX),
            cold_only: false,
        },
        timeout,
        memory_limit,
        seed,
        jobs: args.jobs.unwrap_or(profile.jobs).max(1),
    };

    let dir = super::workloads_dir(args.workloads_dir.as_deref());
    let suite = if dir.exists() {
        manifest::load_suite(&dir).with_context(|| format!("loading the workload suite in {}", dir.display()))?
    } else {
        Vec::new()
    };
    let workloads = manifest::select(&suite, &args.workloads)?;
    let entries = pick_backends(&args.backends)?;

    let mut results = Results {
        schema_version: SCHEMA_VERSION,
        jsbench: tool_info(),
        machine: jsbench_runner::machine::describe(),
        config: RunConfig {
            sizes: sizes.clone(),
            samples: settings.measure.samples,
            warmup: settings.measure.warmup_ops,
            processes,
            timeout_ms: u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
            memory_limit,
            seed,
            profile: if customised { "custom".into() } else { profile.name.into() },
        },
        started_at: now(),
        finished_at: String::new(),
        backends: Vec::new(),
        workloads: workloads.iter().map(manifest::Workload::info).collect(),
        cells: Vec::new(),
    };
    if cfg!(debug_assertions) {
        eprintln!(
            "WARNING: this jsbench is a debug build; its numbers are not comparable. Use `cargo run --release`."
        );
    }
    let mut setups_done: Vec<usize> = Vec::new();
    for entry in &entries {
        let mut unavailable = (entry.availability)(entry.name).err();
        if unavailable.is_none()
            && let Some(setup) = entry.setup
        {
            let key = setup as usize;
            if !setups_done.contains(&key) {
                if !args.quiet {
                    eprintln!("setting up {} ...", entry.name);
                }
                if let Err(reason) = setup() {
                    unavailable = Some(format!("set-up failed: {reason}"));
                } else {
                    setups_done.push(key);
                }
            }
        }
        results.backends.push(registry::info(entry, unavailable));
    }

    let workloads: Vec<Arc<manifest::Workload>> = workloads.into_iter().map(Arc::new).collect();
    let mut plan = Vec::new();
    for backend in &results.backends {
        for workload in &workloads {
            for size in &sizes {
                plan.push(PlannedCell {
                    backend: backend.clone(),
                    workload: Arc::clone(workload),
                    size: size.clone(),
                });
            }
        }
    }

    let cancel = Arc::new(AtomicBool::new(false));
    {
        let cancel = Arc::clone(&cancel);
        // A second Ctrl-C while stopping ends the process at once.
        let _ = ctrlc::set_handler(move || {
            if cancel.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
        });
    }
    let command = WorkerCommand {
        program: std::env::current_exe().context("finding the jsbench executable to start workers")?,
        args: vec!["worker".into()],
    };
    let mut progress = Progress::new(args.quiet);
    let output = args.output.clone();
    jsbench_runner::run::run(
        &plan,
        &settings,
        &command,
        &mut results,
        Some(output.clone()),
        &mut progress,
        &cancel,
    );
    progress.finish();
    results.finished_at = now();
    results.machine.load_average_end = jsbench_runner::machine::load_average();
    results
        .write_atomic(&output)
        .with_context(|| format!("writing the results to {}", output.display()))?;

    if !args.quiet {
        print!("{}", jsbench_reports::table::render(&results));
        println!(
            "\nResults written to {} (seed {seed}, profile {}).",
            output.display(),
            results.config.profile
        );
    }
    if cancel.load(Ordering::SeqCst) {
        eprintln!("interrupted: the cells finished so far are saved in {}", output.display());
        return Ok(ExitCode::from(130));
    }
    let failed = results
        .cells
        .iter()
        .any(|c| matches!(c.status, CellStatus::Failed | CellStatus::WrongOutput));
    Ok(if failed {
        ExitCode::from(EXIT_CELL_FAILED)
    } else {
        ExitCode::SUCCESS
    })
}

fn pick_backends(names: &[String]) -> Result<Vec<Entry>> {
    if names.is_empty() {
        return Ok(registry::entries().into_iter().filter(|e| !e.hidden).collect());
    }
    let mut picked: Vec<Entry> = Vec::new();
    for name in names {
        let entry = registry::find(name).ok_or_else(|| {
            UsageError(format!(
                "unknown backend `{name}`; this build has: {}",
                registry::visible_names().join(", ")
            ))
        })?;
        if !picked.iter().any(|p| p.name == entry.name) {
            picked.push(entry);
        }
    }
    Ok(picked)
}

fn tool_info() -> ToolInfo {
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(source)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let revision = git(&["rev-parse", "--short=12", "HEAD"]).map(|rev| {
        let dirty = git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
        if dirty { format!("{rev}-dirty") } else { rev }
    });
    let rustc = env!("JSBENCH_RUSTC_VERSION");
    ToolInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        git_revision: revision,
        build_profile: if cfg!(debug_assertions) { "debug" } else { "release" }.into(),
        rustc: (!rustc.is_empty()).then(|| rustc.to_string()),
    }
}

fn now() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

fn rand_seed() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64 ^ u64::from(std::process::id()))
        .unwrap_or(0)
}
