//! `jsbench features`: runs the language-feature probes of
//! `workloads/features/` on every backend, each probe in its own worker
//! process, writes the matrix into a results file (its `features` section)
//! and prints it as a table.

use crate::build_info::tool_info;
use crate::cli::FeaturesArgs;
use crate::commands::UsageError;
use crate::commands::run::{now, pick_backends};
use crate::registry;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use jsbench_conformance::features::{self, ProbeSettings};
use jsbench_runner::launch::WorkerCommand;
use jsbench_schema::{BackendInfo, FeatureStatus, Results, RunConfig, SCHEMA_VERSION};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Memory limit of a probe's worker.
const MEMORY_LIMIT: u64 = 1 << 30;

/// Runs the probes.
pub fn execute(args: FeaturesArgs) -> Result<ExitCode> {
    if args.timeout_ms == 0 {
        return Err(UsageError("--timeout-ms must be at least 1".into()).into());
    }
    let dir = match args.probes_dir.clone() {
        Some(dir) => dir,
        None => super::workloads_dir(None)?.join("features"),
    };
    let probes = features::load_probes(&dir)
        .map_err(|e| UsageError(e.to_string()))
        .with_context(|| format!("loading the feature probes in {}", dir.display()))?;
    let probes = features::select(probes, &args.probes).map_err(|e| UsageError(e.to_string()))?;
    if probes.is_empty() {
        return Err(UsageError(format!("no feature probes in {}", dir.display())).into());
    }
    let entries = pick_backends(&args.backends)?;
    let backends = registry::ready(&entries, args.quiet);
    let settings = ProbeSettings {
        timeout: Duration::from_millis(args.timeout_ms),
        memory_limit: MEMORY_LIMIT,
        jobs: args.jobs.max(1),
    };
    let mut results = results_shell(&backends, args.timeout_ms, "features");
    let cancel = cancel_on_signals()?;
    let command = worker_command()?;
    let bar = progress_bar(args.quiet, (probes.len() * backends.len()) as u64, "probes");
    let matrix = features::run_matrix(&probes, &backends, &settings, &command, &cancel, &mut |r| {
        bar.inc(1);
        bar.set_message(format!("{} / {}", r.backend, r.probe));
    });
    bar.finish_and_clear();
    results.finished_at = now();
    results.features = Some(matrix);
    let table = results.features.as_ref().filter(|_| !args.quiet).map(|matrix| {
        let table = if args.markdown {
            jsbench_reports::features::render_markdown(matrix)
        } else {
            jsbench_reports::features::render(matrix)
        };
        let ran = matrix
            .results
            .iter()
            .filter(|r| r.status != FeatureStatus::Unavailable)
            .count();
        (
            table,
            format!("{} probes × {} backends ({ran} runs)", probes.len(), backends.len()),
        )
    });
    publish(&results, &args.output, table)?;
    if let Some(code) = interrupted(&cancel, &args.output, "probes") {
        return Ok(code);
    }
    Ok(ExitCode::SUCCESS)
}

/// Exit code 130 and a line saying where the `what` finished so far are,
/// when the run was interrupted.
pub(crate) fn interrupted(cancel: &AtomicBool, output: &std::path::Path, what: &str) -> Option<ExitCode> {
    cancel.load(Ordering::SeqCst).then(|| {
        eprintln!("interrupted: the {what} finished so far are in {}", output.display());
        ExitCode::from(130)
    })
}

/// Writes a matrix's results file to `output` (`-`: the JSON alone on
/// standard output) and prints its `table` with a `summary` line saying
/// where the file went (on stderr when the JSON is on stdout).
pub(crate) fn publish(results: &Results, output: &std::path::Path, table: Option<(String, String)>) -> Result<()> {
    let to_stdout = crate::output::is_stdout(output);
    if to_stdout {
        crate::output::Destination::Stdout.write(results)?;
    } else {
        results
            .write_atomic(output)
            .with_context(|| format!("writing the matrix to {}", output.display()))?;
    }
    if let Some((table, summary)) = table {
        let shown = if to_stdout {
            "standard output".to_string()
        } else {
            output.display().to_string()
        };
        let text = format!("{table}\n{summary}; matrix written to {shown}.\n");
        if to_stdout {
            eprint!("{text}");
        } else {
            print!("{text}");
        }
    }
    Ok(())
}

/// A results file with no cells, for the conformance sections to fill.
pub(crate) fn results_shell(backends: &[BackendInfo], timeout_ms: u64, profile: &str) -> Results {
    Results {
        schema_version: SCHEMA_VERSION,
        jsbench: tool_info(),
        machine: jsbench_runner::machine::describe(),
        config: RunConfig {
            sizes: Vec::new(),
            samples: 0,
            warmup: 0,
            processes: 1,
            max_processes: None,
            precision: None,
            sample_ms: None,
            timeout_ms,
            memory_limit: MEMORY_LIMIT,
            seed: 0,
            profile: profile.into(),
            pin: None,
        },
        started_at: now(),
        finished_at: String::new(),
        backends: backends.to_vec(),
        workloads: Vec::new(),
        cells: Vec::new(),
        features: None,
        sandbox: None,
        density: Vec::new(),
        concurrency: Vec::new(),
        conformance: None,
        sizes: Vec::new(),
        transport_floor: Vec::new(),
    }
}

/// The running jsbench as the worker program.
pub(crate) fn worker_command() -> Result<WorkerCommand> {
    Ok(WorkerCommand {
        program: std::env::current_exe().context("finding the jsbench executable to start workers")?,
        args: vec!["worker".into()],
    })
}

/// A flag set by SIGINT, SIGTERM or SIGHUP (a second signal ends the
/// process at once).
pub(crate) fn cancel_on_signals() -> Result<Arc<AtomicBool>> {
    Ok(crate::signals::Stop::install()?.flag())
}

/// A progress bar over `total` items (hidden when quiet or not a terminal).
pub(crate) fn progress_bar(quiet: bool, total: u64, what: &str) -> ProgressBar {
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(total)
    };
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{{bar:30}} {{pos}}/{{len}} {what}, {{elapsed}} elapsed  {{msg}}"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}
