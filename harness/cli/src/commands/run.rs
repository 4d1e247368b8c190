//! `jsbench run`: picks backends, workloads and sizes, sets up what the
//! backends need, runs every cell in worker processes, saves the results
//! file as it goes and prints the summary table.

use crate::cli::{CountersArg, RunArgs};
use crate::commands::{EXIT_CELL_FAILED, UsageError};
use crate::progress::Progress;
use crate::registry::{self, Entry};
use anyhow::{Context, Result};
use jsbench_runner::launch::WorkerCommand;
use jsbench_runner::manifest;
use jsbench_runner::protocol::{CounterMode, MeasureSettings};
use jsbench_runner::run::{PlannedCell, ProcessPolicy, RunSettings};
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
    max_processes: u32,
    precision: f64,
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
    max_processes: 1,
    precision: f64::INFINITY,
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
    processes: 5,
    max_processes: 15,
    precision: 0.02,
    warmup: 3,
    samples: 10,
    sample_ms: 10.0,
    max_steady: Duration::from_secs(1),
    timeout: Duration::from_secs(30),
    jobs: 1,
};

const RIGOROUS: Profile = Profile {
    name: "rigorous",
    size: "default",
    processes: 10,
    max_processes: 40,
    precision: 0.01,
    warmup: 10,
    samples: 50,
    sample_ms: 20.0,
    max_steady: Duration::from_secs(10),
    timeout: Duration::from_secs(60),
    jobs: 1,
};

/// The processes per cell: `--processes` alone is an exact count; with
/// `--max-processes` (or from the profile, or the file a run resumes) a
/// minimum, with more for imprecise cells up to the maximum.
fn process_policy(args: &RunArgs, from_file: Option<&RunConfig>, profile: &Profile) -> Result<ProcessPolicy> {
    let explicit = args.processes.is_some() || args.max_processes.is_some() || args.precision.is_some();
    let (min, max, precision) = match from_file {
        Some(config) if !explicit && !args.quick && !args.rigorous => (
            config.processes,
            config.max_processes.unwrap_or(config.processes),
            config.precision.unwrap_or(f64::INFINITY),
        ),
        _ => match (args.processes, args.max_processes) {
            (Some(n), None) => (n, n, f64::INFINITY),
            (n, Some(m)) => (n.unwrap_or(profile.processes.min(m)), m, profile.precision),
            (None, None) => (profile.processes, profile.max_processes, profile.precision),
        },
    };
    let precision = match args.precision {
        Some(percent) if percent.is_finite() && percent > 0.0 => percent / 100.0,
        Some(_) => {
            return Err(UsageError("--precision must be a positive percentage".into()).into());
        }
        None => precision,
    };
    if min == 0 {
        return Err(UsageError("--processes must be at least 1".into()).into());
    }
    if max < min {
        return Err(UsageError(format!("--max-processes ({max}) is below --processes ({min})")).into());
    }
    Ok(ProcessPolicy { min, max, precision })
}

/// Default memory limit per worker.
const DEFAULT_MEMORY_LIMIT_MIB: u64 = 2048;

/// Longest per-call timeout accepted: a day (longer is surely a typo).
const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 3600);

/// Runs the benchmark.
pub fn execute(args: RunArgs) -> Result<ExitCode> {
    // A resumed run starts from the file: its settings are the defaults that
    // options given now override.
    let resumed = match &args.resume {
        Some(path) => Some(Results::read(path).with_context(|| format!("reading {} to resume it", path.display()))?),
        None => None,
    };
    let from_file = resumed.as_ref().map(|r| &r.config);
    let profile = if args.quick {
        QUICK
    } else if args.rigorous {
        RIGOROUS
    } else {
        from_file.and_then(|c| profile_named(&c.profile)).unwrap_or(DEFAULT)
    };
    let customised = args.samples.is_some()
        || args.processes.is_some()
        || args.max_processes.is_some()
        || args.precision.is_some()
        || args.warmup.is_some()
        || args.sample_ms.is_some()
        || args.timeout_ms.is_some();
    let sizes = if !args.sizes.is_empty() {
        args.sizes.clone()
    } else if let Some(config) = from_file {
        config.sizes.clone()
    } else {
        vec![profile.size.to_string()]
    };
    let timeout = args
        .timeout_ms
        .or(from_file.map(|c| c.timeout_ms))
        .map(Duration::from_millis)
        .unwrap_or(profile.timeout);
    if timeout.is_zero() || timeout > MAX_TIMEOUT {
        return Err(UsageError("--timeout-ms must be between 1 and 86400000 (a day)".into()).into());
    }
    let memory_limit = match (args.memory_limit_mib, from_file) {
        (Some(mib), _) => mib
            .checked_mul(1 << 20)
            .filter(|b| *b > 0)
            .ok_or_else(|| UsageError(format!("--memory-limit-mib must be between 1 and {}", u64::MAX >> 20)))?,
        (None, Some(config)) => config.memory_limit,
        (None, None) => DEFAULT_MEMORY_LIMIT_MIB << 20,
    };
    let seed = args.seed.or(from_file.map(|c| c.seed)).unwrap_or_else(rand_seed);
    let processes = process_policy(&args, from_file, &profile)?;
    let sample_ms = args
        .sample_ms
        .or(from_file.and_then(|c| c.sample_ms))
        .unwrap_or(profile.sample_ms);
    if !(sample_ms.is_finite() && sample_ms > 0.0) {
        return Err(UsageError("--sample-ms must be a positive number".into()).into());
    }
    let settings = RunSettings {
        sizes: sizes.clone(),
        processes,
        measure: MeasureSettings {
            warmup_ops: args.warmup.or(from_file.map(|c| c.warmup)).unwrap_or(profile.warmup),
            samples: args.samples.or(from_file.map(|c| c.samples)).unwrap_or(profile.samples),
            sample_target_ns: (sample_ms * 1e6) as u64,
            max_steady_ns: u64::try_from(profile.max_steady.as_nanos()).unwrap_or(u64::MAX),
            cold_only: false,
            baseline: false,
            counters: match args.counters {
                CountersArg::Off => CounterMode::Off,
                CountersArg::Perf | CountersArg::Callgrind => CounterMode::Perf,
            },
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
    let (workloads, entries) = match &resumed {
        Some(file) => resumed_selection(file, &suite, &args)?,
        None => (
            manifest::select(&suite, &args.workloads)?,
            pick_backends(&args.backends)?,
        ),
    };
    let profile_name = match from_file {
        _ if customised => "custom".to_string(),
        Some(config) if !args.quick && !args.rigorous => config.profile.clone(),
        _ => profile.name.to_string(),
    };

    let fresh = Results {
        schema_version: SCHEMA_VERSION,
        jsbench: tool_info(),
        machine: jsbench_runner::machine::describe(),
        config: RunConfig {
            sizes: sizes.clone(),
            samples: settings.measure.samples,
            warmup: settings.measure.warmup_ops,
            processes: processes.min,
            max_processes: (processes.max != processes.min).then_some(processes.max),
            precision: processes.precision.is_finite().then_some(processes.precision),
            sample_ms: Some(sample_ms),
            timeout_ms: u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
            memory_limit,
            seed,
            profile: profile_name,
        },
        started_at: now(),
        finished_at: String::new(),
        backends: Vec::new(),
        workloads: workloads.iter().map(manifest::Workload::info).collect(),
        cells: Vec::new(),
        features: None,
        conformance: None,
        sizes: Vec::new(),
    };
    let mut results = match resumed {
        Some(mut file) => {
            // Finished cells stay exactly as they are; the rest of the file
            // takes the settings in force now.
            file.config = fresh.config;
            for info in fresh.workloads {
                match file.workloads.iter_mut().find(|w| w.name == info.name) {
                    Some(old) => {
                        if old.source_sha256 != info.source_sha256 && !args.quiet {
                            eprintln!(
                                "warning: workload `{}` changed since {} was written; its unfinished cells will run the new code",
                                info.name, old.manifest
                            );
                        }
                    }
                    None => file.workloads.push(info),
                }
            }
            file.finished_at = String::new();
            file
        }
        None => fresh,
    };
    if cfg!(debug_assertions) {
        eprintln!("WARNING: this jsbench is a debug build; its numbers are not comparable. Use `cargo run --release`.");
    }
    let mut setups_done: Vec<usize> = Vec::new();
    let mut picked = Vec::new();
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
        let info = registry::info(entry, unavailable);
        match results.backends.iter_mut().find(|b| b.name == info.name) {
            Some(old) => *old = info.clone(),
            None => results.backends.push(info.clone()),
        }
        picked.push(info);
    }

    let workloads: Vec<Arc<manifest::Workload>> = workloads.into_iter().map(Arc::new).collect();
    let mut plan = Vec::new();
    for backend in &picked {
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

    if let Some(shard) = args.shard {
        plan = jsbench_runner::run::shard(plan, shard);
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
    let output = args.resume.clone().unwrap_or_else(|| args.output.clone());
    if !args.quiet && args.resume.is_some() {
        let kept = plan
            .iter()
            .filter(|p| {
                results
                    .cell(&p.backend.name, &p.workload.name, &p.size)
                    .is_some_and(|c| processes.is_finished(c))
            })
            .count();
        eprintln!(
            "resuming {}: {kept} of {} cells are finished and kept, {} to run",
            output.display(),
            plan.len(),
            plan.len() - kept
        );
    }
    jsbench_runner::baseline::measure_baselines(
        &mut results.backends,
        &command,
        settings.timeout,
        settings.memory_limit,
        &cancel,
    );
    jsbench_runner::run::run(
        &plan,
        &settings,
        &command,
        &mut results,
        Some(output.clone()),
        &mut progress,
        &cancel,
    );
    if args.counters == CountersArg::Callgrind && !cancel.load(Ordering::SeqCst) {
        if !args.quiet {
            eprintln!("counting instructions under callgrind ...");
        }
        jsbench_runner::run::count_instructions(&plan, &settings, &command, &mut results, &mut progress, &cancel);
    }
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
        let findings = jsbench_runner::check::check(&results, &Default::default());
        if !findings.is_empty() {
            eprintln!(
                "warning: {} cell(s) look unstable; `jsbench check {}` says why",
                findings.len(),
                output.display()
            );
        }
    }
    if cancel.load(Ordering::SeqCst) {
        eprintln!(
            "interrupted: the cells finished so far are saved in {}",
            output.display()
        );
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

/// The profile a results file names, if it is a built-in one (`custom` is
/// not: its base is not recorded, so the default profile's sample target
/// and steady-state budget apply unless given again).
fn profile_named(name: &str) -> Option<Profile> {
    [QUICK, DEFAULT, RIGOROUS].into_iter().find(|p| p.name == name)
}

/// Workloads and backends of a resumed run: those given on the command
/// line, else the ones the file records (workloads by name from the suite,
/// or from the manifest the file names when they are not in the suite).
fn resumed_selection(
    file: &Results,
    suite: &[manifest::Workload],
    args: &RunArgs,
) -> Result<(Vec<manifest::Workload>, Vec<Entry>)> {
    let workloads = if args.workloads.is_empty() {
        let mut chosen = Vec::new();
        for info in &file.workloads {
            let found = match suite.iter().find(|w| w.name == info.name) {
                Some(w) => Some(w.clone()),
                None => manifest::load_manifest(std::path::Path::new(&info.manifest))
                    .ok()
                    .and_then(|all| all.into_iter().find(|w| w.name == info.name)),
            };
            let workload = found.ok_or_else(|| {
                UsageError(format!(
                    "workload `{}` of the results file is neither in the suite nor in {}; give --workload to choose again",
                    info.name, info.manifest
                ))
            })?;
            chosen.push(workload);
        }
        chosen
    } else {
        manifest::select(suite, &args.workloads)?
    };
    let backends = if args.backends.is_empty() {
        let names: Vec<String> = file.backends.iter().map(|b| b.name.clone()).collect();
        if names.is_empty() {
            Vec::new()
        } else {
            pick_backends(&names)?
        }
    } else {
        pick_backends(&args.backends)?
    };
    Ok((workloads, backends))
}

pub(crate) fn pick_backends(names: &[String]) -> Result<Vec<Entry>> {
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

pub(crate) fn tool_info() -> ToolInfo {
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

pub(crate) fn now() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

fn rand_seed() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64 ^ u64::from(std::process::id()))
        .unwrap_or(0)
}
