//! `jsbench run`: picks backends, workloads and sizes, sets up what the
//! backends need, runs every cell in worker processes, saves the results
//! file as it goes and prints the summary table.
//!
//! The parts live apart: [`options`] resolves the settings, [`resume`]
//! decides what a resumed file keeps, [`crate::output`] makes the results
//! file safe to write, [`crate::signals`] stops the run cleanly.

mod floor;
pub mod options;
mod print;
pub mod resume;

use crate::cli::{CountersArg, RunArgs};
use crate::commands::{EXIT_CELL_FAILED, NothingMeasured, UsageError};
use crate::output::{self, Claim, Destination};
use crate::progress::Progress;
use crate::registry::{self, Entry};
use crate::signals::Stop;
use anyhow::{Context, Result};
use jsbench_runner::launch::WorkerCommand;
use jsbench_runner::manifest::{self, Workload};
use jsbench_runner::run::{PlannedCell, RunSettings};
use jsbench_schema::{BackendInfo, CellStatus, Results, SCHEMA_VERSION};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::SystemTime;

/// Runs the benchmark.
pub fn execute(args: RunArgs) -> Result<ExitCode> {
    let stop = Stop::install()?;
    // A resumed run starts from the file: its settings are the defaults that
    // options given now override.
    let resumed = match &args.resume {
        Some(path) => Some(Results::read(path).with_context(|| format!("reading {} to resume it", path.display()))?),
        None => None,
    };
    let options = options::resolve(&args, resumed.as_ref().map(|r| &r.config), rand_seed())?;
    let destination = match &args.resume {
        Some(path) => output::claim(path, Claim::Resume)?,
        None => output::claim(&args.output, Claim::New { force: args.force })?,
    };
    let suite = load_suite(&args)?;
    let (mut workloads, entries) = match &resumed {
        Some(file) => (
            resume::workloads(file, &suite, &args.workloads)?,
            if args.backends.is_empty() && !file.backends.is_empty() {
                pick_backends(&file.backends.iter().map(|b| b.name.clone()).collect::<Vec<_>>())?
            } else {
                pick_backends(&args.backends)?
            },
        ),
        None => (
            manifest::select(&suite, &args.workloads)?,
            pick_backends(&args.backends)?,
        ),
    };
    check_sizes(&options.config.sizes, &workloads)?;
    // Entries with imports become one module each before anything runs.
    jsbench_runner::entry::bundle_entries(&mut workloads);
    if cfg!(debug_assertions) {
        eprintln!("WARNING: this jsbench is a debug build; its numbers are not comparable. Use `cargo run --release`.");
    }
    let picked = registry::ready(&entries, args.quiet);
    let mut results = start_results(resumed, &options.config, &workloads, &picked, &args)?;
    for info in &picked {
        match results.backends.iter_mut().find(|b| b.name == info.name) {
            Some(old) => *old = info.clone(),
            None => results.backends.push(info.clone()),
        }
    }
    let plan = plan(&picked, &workloads, &options.settings, &args)?;
    let mut command = WorkerCommand {
        program: std::env::current_exe().context("finding the jsbench executable to start workers")?,
        args: vec!["worker".into()],
    };
    if let Some(pin) = &options.config.pin {
        place_workers(pin, &mut command);
    }
    if !args.quiet && args.resume.is_some() {
        announce_resume(&plan, &results, &options.settings, &destination);
    }
    measure(
        &plan,
        &options.settings,
        &command,
        &mut results,
        &destination,
        &stop,
        &args,
    );
    results.finished_at = now();
    results.machine.load_average_end = jsbench_runner::machine::load_average();
    destination.write(&results)?;
    finish(&results, &plan, &destination, &stop, &args)
}

/// The workload suite: an explicit `--workloads-dir` must exist.
fn load_suite(args: &RunArgs) -> Result<Vec<Workload>> {
    let dir = super::workloads_dir(args.workloads_dir.as_deref())?;
    if !dir.is_dir() {
        if args.workloads_dir.is_some() {
            return Err(UsageError(format!("the workloads folder {} does not exist", dir.display())).into());
        }
        return Ok(Vec::new());
    }
    manifest::load_suite(&dir).with_context(|| format!("loading the workload suite in {}", dir.display()))
}

/// A size that no selected workload has is a typo, not an unsupported cell.
fn check_sizes(sizes: &[String], workloads: &[Workload]) -> Result<()> {
    for size in sizes {
        if !workloads.is_empty() && !workloads.iter().any(|w| w.sizes.contains_key(size)) {
            let mut known: Vec<&str> = workloads
                .iter()
                .flat_map(|w| w.sizes.keys().map(String::as_str))
                .collect();
            known.sort_unstable();
            known.dedup();
            return Err(UsageError(format!(
                "no selected workload has the size `{size}`; they have: {}",
                known.join(", ")
            ))
            .into());
        }
    }
    Ok(())
}

/// The results the run fills in: a fresh file, or the resumed one with its
/// finished cells kept (refused when its code changed, unless `--force`).
fn start_results(
    resumed: Option<Results>,
    config: &jsbench_schema::RunConfig,
    workloads: &[Workload],
    picked: &[BackendInfo],
    args: &RunArgs,
) -> Result<Results> {
    let infos: Vec<_> = workloads.iter().map(Workload::info).collect();
    let Some(mut file) = resumed else {
        return Ok(Results {
            schema_version: SCHEMA_VERSION,
            jsbench: crate::build_info::tool_info(),
            machine: jsbench_runner::machine::describe(),
            config: config.clone(),
            started_at: now(),
            finished_at: String::new(),
            backends: Vec::new(),
            workloads: infos,
            cells: Vec::new(),
            features: None,
            sandbox: None,
            density: Vec::new(),
            concurrency: Vec::new(),
            conformance: None,
            sizes: Vec::new(),
            transport_floor: Vec::new(),
        });
    };
    let path = args.resume.as_deref().unwrap_or(&args.output);
    let changed = resume::changes(&file, &infos, picked);
    let dropped = resume::reconcile(&mut file, &changed, args.force, path)?;
    if dropped > 0 && !args.quiet {
        eprintln!("--force: {dropped} cell(s) of changed code will run again from scratch");
    }
    // Finished cells stay exactly as they are; the rest of the file takes
    // the settings and code in force now.
    file.config = config.clone();
    for info in infos {
        match file.workloads.iter_mut().find(|w| w.name == info.name) {
            Some(old) => *old = info,
            None => file.workloads.push(info),
        }
    }
    file.finished_at = String::new();
    Ok(file)
}

/// Every (backend, workload, size) cell, or this shard's part of them; an
/// empty plan is an error, not a run that succeeded at nothing.
fn plan(
    picked: &[BackendInfo],
    workloads: &[Workload],
    settings: &RunSettings,
    args: &RunArgs,
) -> Result<Vec<PlannedCell>> {
    let workloads: Vec<Arc<Workload>> = workloads.iter().cloned().map(Arc::new).collect();
    let mut plan = Vec::new();
    for backend in picked {
        for workload in &workloads {
            for size in &settings.sizes {
                plan.push(PlannedCell {
                    backend: backend.clone(),
                    workload: Arc::clone(workload),
                    size: size.clone(),
                });
            }
        }
    }
    let total = plan.len();
    if let Some(shard) = args.shard {
        plan = jsbench_runner::run::shard(plan, shard);
    }
    if plan.is_empty() {
        let why = match args.shard {
            Some(shard) if total > 0 => format!(
                "shard {}/{} of a {total}-cell plan is empty; use at most {total} shards",
                shard.index, shard.count
            ),
            _ => "no cell to run: no workload or no backend was selected".to_string(),
        };
        return Err(NothingMeasured(why).into());
    }
    Ok(plan)
}

fn announce_resume(plan: &[PlannedCell], results: &Results, settings: &RunSettings, destination: &Destination) {
    let kept = plan
        .iter()
        .filter(|p| {
            results
                .cell(&p.backend.name, &p.workload.name, &p.size)
                .is_some_and(|c| settings.processes.is_finished(c))
        })
        .count();
    eprintln!(
        "resuming {}: {kept} of {} cells are finished and kept, {} to run",
        destination.shown(),
        plan.len(),
        plan.len() - kept
    );
}

/// Baselines, the cells, and the callgrind pass when asked for.
fn measure(
    plan: &[PlannedCell],
    settings: &RunSettings,
    command: &WorkerCommand,
    results: &mut Results,
    destination: &Destination,
    stop: &Stop,
    args: &RunArgs,
) {
    let cancel = stop.flag();
    let mut progress = Progress::new(args.quiet, plan.len());
    jsbench_runner::baseline::measure_baselines(
        &mut results.backends,
        command,
        settings.timeout,
        settings.memory_limit,
        &cancel,
    );
    let save_to = destination.path().map(std::path::Path::to_path_buf);
    jsbench_runner::run::run(plan, settings, command, results, save_to, &mut progress, &cancel);
    if !args.no_floor {
        let in_plan: Vec<BackendInfo> = results
            .backends
            .iter()
            .filter(|b| plan.iter().any(|p| p.backend.name == b.name))
            .cloned()
            .collect();
        let pin = results.config.pin.clone();
        floor::measure(&in_plan, pin.as_ref(), args.quick, args.quiet, results, &|| {
            stop.stopped()
        });
    }
    if args.counters == CountersArg::Callgrind && !stop.stopped() {
        if !args.quiet {
            eprintln!("counting instructions under callgrind ...");
        }
        jsbench_runner::run::count_instructions(plan, settings, command, results, &mut progress, &cancel);
    }
    progress.finish();
}

/// `--pin`: workers start on the worker CPUs (every child this process
/// spawns from now on), and each is told where its own children go.
fn place_workers(pin: &jsbench_schema::CpuPin, command: &mut WorkerCommand) {
    use jsbench_supervise::placement::{CpuSet, set_child_cpus};
    set_child_cpus(CpuSet::new(pin.worker.clone()).ok());
    if let Ok(child) = CpuSet::new(pin.child.clone()) {
        command.args.extend(["--child-cpus".into(), child.to_string()]);
    }
}

/// Prints the table and the warnings ([`print`]), and picks the exit code:
/// 128 + the signal when stopped, 1 when a cell failed, 4 when nothing was
/// measured.
fn finish(
    results: &Results,
    plan: &[PlannedCell],
    destination: &Destination,
    stop: &Stop,
    args: &RunArgs,
) -> Result<ExitCode> {
    let shown = destination.shown();
    if !args.quiet {
        print::outcome(results, destination, args.wide);
    }
    if let Some(code) = stop.exit_code() {
        eprintln!(
            "interrupted by {}: the cells finished so far are saved in {shown}",
            stop.signal_name()
        );
        return Ok(ExitCode::from(code));
    }
    let in_plan = |c: &&jsbench_schema::Cell| {
        plan.iter()
            .any(|p| p.backend.name == c.backend && p.workload.name == c.workload && p.size == c.size)
    };
    let cells: Vec<_> = results.cells.iter().filter(in_plan).collect();
    if cells
        .iter()
        .any(|c| matches!(c.status, CellStatus::Failed | CellStatus::WrongOutput))
    {
        return Ok(ExitCode::from(EXIT_CELL_FAILED));
    }
    if !cells.iter().any(|c| c.status == CellStatus::Ok) {
        return Err(NothingMeasured(format!(
            "no cell was measured: all {} cell(s) are unsupported or unavailable (see {shown})",
            cells.len()
        ))
        .into());
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn pick_backends(names: &[String]) -> Result<Vec<Entry>> {
    if names.is_empty() {
        return Ok(registry::visible());
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

pub(crate) fn now() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

fn rand_seed() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64 ^ u64::from(std::process::id()))
        .unwrap_or(0)
}
