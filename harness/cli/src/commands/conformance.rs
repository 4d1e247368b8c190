//! `jsbench conformance --test262 PATH`: runs the tests of a test262
//! checkout (or a part of it) on backends, each run of each test in its own
//! worker process, and reports pass, fail and skip counts per directory and
//! per backend (see `jsbench_conformance::test262` for how tests are run).

use crate::cli::ConformanceArgs;
use crate::commands::UsageError;
use crate::commands::features::{cancel_on_signals, progress_bar, results_shell, worker_command};
use crate::commands::run::{now, pick_backends};
use anyhow::{Context, Result};
use jsbench_conformance::test262::{self, ConformanceSettings, PlanOptions, Suite};
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// Memory limit of a test's worker.
const MEMORY_LIMIT: u64 = 1 << 30;

/// Runs the suite.
pub fn execute(args: ConformanceArgs) -> Result<ExitCode> {
    if args.timeout_ms == 0 {
        return Err(UsageError("--timeout-ms must be at least 1".into()).into());
    }
    let mut suite = Suite::locate(&args.test262).map_err(|e| UsageError(e.to_string()))?;
    let files = suite.discover(&args.test262).map_err(|e| UsageError(e.to_string()))?;
    if files.is_empty() {
        return Err(UsageError(format!("no test files under {}", args.test262.display())).into());
    }
    let runs = test262::plan(
        &mut suite,
        &files,
        &PlanOptions {
            skip_features: args.skip_features.clone(),
        },
    );
    let entries = pick_backends(&args.backends)?;
    let infos = crate::registry::ready(&entries, args.quiet);
    let unavailable: Vec<String> = infos
        .iter()
        .filter_map(|b| b.unavailable.as_ref().map(|why| format!("{}: {why}", b.name)))
        .collect();
    for line in &unavailable {
        eprintln!("unsupported: {line}; not run");
    }
    let available: Vec<_> = infos.iter().filter(|b| b.unavailable.is_none()).cloned().collect();
    let names: Vec<String> = available.iter().map(|b| b.name.clone()).collect();
    let settings = ConformanceSettings {
        timeout: Duration::from_millis(args.timeout_ms),
        memory_limit: MEMORY_LIMIT,
        jobs: args.jobs.max(1),
        depth: args.depth,
    };
    let cancel = cancel_on_signals()?;
    let command = worker_command()?;
    let bar = progress_bar(args.quiet, (runs.len() * names.len()) as u64, "test runs");
    let mut report = test262::run_suite(
        &suite,
        &runs,
        &names,
        &settings,
        &command,
        &cancel,
        &mut |backend, run, _| {
            bar.inc(1);
            bar.set_message(format!("{backend} / {} ({})", run.test, run.mode.as_str()));
        },
    );
    bar.finish_and_clear();
    let absolute = std::fs::canonicalize(&args.test262).unwrap_or_else(|_| args.test262.clone());
    report.selection = absolute
        .strip_prefix(&suite.root)
        .map(|p| p.display().to_string())
        .unwrap_or_default();

    let mut results = results_shell(&infos, args.timeout_ms, "conformance");
    results.finished_at = now();
    let totals = test262::totals(&report);
    results.conformance = Some(report);
    results
        .write_atomic(&args.output)
        .with_context(|| format!("writing the counts to {}", args.output.display()))?;
    let Some(report) = &results.conformance else {
        return Ok(ExitCode::SUCCESS);
    };
    if !args.quiet {
        print!("{}", jsbench_reports::features::render_conformance(report, &totals));
        for backend in &report.backends {
            let failures: Vec<_> = report.failures.iter().filter(|f| &f.backend == backend).collect();
            if failures.is_empty() {
                continue;
            }
            println!("\nFailures on {backend} ({}):", failures.len());
            for f in failures.iter().take(args.show_failures) {
                println!("  {} ({}): {}", f.test, f.mode, f.message);
            }
            if failures.len() > args.show_failures {
                println!(
                    "  … and {} more (see {})",
                    failures.len() - args.show_failures,
                    args.output.display()
                );
            }
        }
        if !report.skip_reasons.is_empty() {
            println!("\nSkipped runs (on every backend):");
            for (reason, n) in &report.skip_reasons {
                println!("  {n} × {reason}");
            }
        }
        println!(
            "\n{} test files, {} runs per backend (strict, sloppy or module); counts written to {}.",
            files.len(),
            runs.len(),
            args.output.display()
        );
    }
    for t in &totals {
        println!(
            "{:<16} passed {:>6}  failed {:>6}  skipped {:>6}",
            t.backend, t.passed, t.failed, t.skipped
        );
    }
    if cancel.load(Ordering::SeqCst) {
        eprintln!(
            "interrupted: the runs finished so far are counted in {}",
            args.output.display()
        );
        return Ok(ExitCode::from(130));
    }
    Ok(ExitCode::SUCCESS)
}
