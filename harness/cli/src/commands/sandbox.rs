//! `jsbench sandbox`: runs the sandbox probes (`workloads/sandbox/`) on
//! every backend, each probe in its own worker process, writes the matrix
//! into a results file (its `sandbox` section) and prints it.

use crate::cli::SandboxArgs;
use crate::commands::features::{cancel_on_signals, interrupted, progress_bar, publish, results_shell, worker_command};
use crate::commands::run::pick_backends;
use crate::commands::{NothingMeasured, UsageError};
use crate::registry;
use anyhow::{Context, Result};
use jsbench_conformance::sandbox::{self, SandboxSettings};
use jsbench_registry::Entry;
use jsbench_schema::{Access, BackendKind, SandboxMatrix};
use std::process::ExitCode;
use std::time::Duration;

/// Runs the probes.
pub fn execute(args: SandboxArgs) -> Result<ExitCode> {
    if args.timeout_ms == 0 || args.memory_mib == 0 {
        return Err(UsageError("--timeout-ms and --memory-mib must be at least 1".into()).into());
    }
    let path = super::workloads_dir(None)?.join("sandbox").join("probes.js");
    let module =
        sandbox::load_module(&path).with_context(|| format!("reading the sandbox probes {}", path.display()))?;
    let entries = selection(&args.backends)?;
    let backends = registry::ready(&entries, args.quiet);
    let settings = SandboxSettings {
        timeout: Duration::from_millis(args.timeout_ms),
        memory_limit: args.memory_mib << 20,
        jobs: args.jobs.max(1),
    };
    let mut results = results_shell(&backends, args.timeout_ms, "sandbox");
    results.config.memory_limit = settings.memory_limit;
    let cancel = cancel_on_signals()?;
    let command = worker_command()?;
    let total = (sandbox::PROBES.len() * backends.len()) as u64;
    let bar = progress_bar(args.quiet, total, "probes");
    let matrix = sandbox::run_matrix(&module, &backends, &settings, &command, &cancel, &mut |r| {
        bar.inc(1);
        bar.set_message(format!("{} / {}", r.backend, r.probe));
    });
    bar.finish_and_clear();
    results.finished_at = crate::commands::run::now();
    let answered = answered(&matrix);
    results.sandbox = Some(matrix);
    let table = results.sandbox.as_ref().filter(|_| !args.quiet).map(|matrix| {
        let table = if args.markdown {
            jsbench_reports::sandbox::render_markdown(matrix)
        } else {
            jsbench_reports::sandbox::render(matrix)
        };
        (table, format!("{answered} verdicts"))
    });
    publish(&results, &args.output, table)?;
    if let Some(code) = interrupted(&cancel, &args.output, "probes") {
        return Ok(code);
    }
    if answered == 0 {
        return Err(NothingMeasured("no probe gave a verdict (every backend unavailable or failing)".into()).into());
    }
    Ok(ExitCode::SUCCESS)
}

/// The backends named, or every backend of the build but test doubles,
/// the sandboxed process variants included.
fn selection(names: &[String]) -> Result<Vec<Entry>> {
    if !names.is_empty() {
        return pick_backends(names);
    }
    Ok(jsbench_registry::entries()
        .into_iter()
        .filter(|e| e.kind != BackendKind::Mock)
        .collect())
}

/// Verdicts that say something about the backend (not an error, not
/// unavailable).
fn answered(matrix: &SandboxMatrix) -> usize {
    matrix
        .results
        .iter()
        .filter(|r| matches!(r.access, Access::Allowed | Access::Denied | Access::Absent))
        .count()
}
