//! `jsbench density`: per backend, one worker that creates K idle
//! instances and one that creates K instances with a workload loaded and
//! called once, reporting the growth of resident memory at each K; writes
//! a results file with a `density` section and prints memory per instance
//! and instances per GiB.

use crate::cli::DensityArgs;
use crate::commands::features::{cancel_on_signals, interrupted, progress_bar, publish, results_shell, worker_command};
use crate::commands::run::pick_backends;
use crate::commands::{NothingMeasured, UsageError};
use crate::registry;
use anyhow::{Context, Result};
use jsbench_runner::launch::{Supervision, run_process};
use jsbench_runner::manifest::{self, Size, Workload};
use jsbench_runner::protocol::{MeasureSettings, Mode, WorkerRequest};
use jsbench_schema::DensityReport;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// The engine memory limit of each instance.
const MEMORY_LIMIT: u64 = 1 << 30;
/// The harness's limit on a density worker with all its instances.
const WORKER_LIMIT: u64 = 16 << 30;

/// Runs the measurement.
pub fn execute(args: DensityArgs) -> Result<ExitCode> {
    let instances = counts(&args.instances, "--instances")?;
    if args.timeout_ms == 0 {
        return Err(UsageError("--timeout-ms must be at least 1".into()).into());
    }
    let workload = workload(&args.workload)?;
    let (size, input) = first_size(&workload)?;
    let entries = pick_backends(&args.backends)?;
    let backends = registry::ready(&entries, args.quiet);
    let mut results = results_shell(&backends, args.timeout_ms, "density");
    let cancel = cancel_on_signals()?;
    let command = worker_command()?;
    let bar = progress_bar(args.quiet, (backends.len() * 2) as u64, "series");
    let mut supervision = Supervision::for_limits(Duration::from_millis(args.timeout_ms), WORKER_LIMIT);
    supervision.memory_limit = WORKER_LIMIT;
    for backend in &backends {
        for loaded in [false, true] {
            if cancel.load(Ordering::SeqCst) {
                break;
            }
            bar.set_message(format!("{} {}", backend.name, if loaded { "loaded" } else { "idle" }));
            let report = match &backend.unavailable {
                Some(reason) => DensityReport {
                    backend: backend.name.clone(),
                    workload: workload.name.clone(),
                    loaded,
                    points: Vec::new(),
                    error: Some(unavailable(reason)),
                },
                None => {
                    let request = request(
                        &backend.name,
                        &workload,
                        &input,
                        args.timeout_ms,
                        Mode::Density { loaded, instances },
                    );
                    let outcome = run_process(&command, &request, supervision, &cancel);
                    DensityReport {
                        backend: backend.name.clone(),
                        workload: format!("{} ({size})", workload.name),
                        loaded,
                        points: outcome.density,
                        error: outcome.error,
                    }
                }
            };
            results.density.push(report);
            bar.inc(1);
        }
    }
    bar.finish_and_clear();
    results.finished_at = crate::commands::run::now();
    let measured = results.density.iter().filter(|r| !r.points.is_empty()).count();
    let table = (!args.quiet).then(|| {
        let table = if args.markdown {
            jsbench_reports::density::render_markdown(&results.density)
        } else {
            jsbench_reports::density::render(&results.density)
        };
        (table, format!("{measured} series measured"))
    });
    publish(&results, &args.output, table)?;
    if let Some(code) = interrupted(&cancel, &args.output, "series") {
        return Ok(code);
    }
    if measured == 0 {
        return Err(NothingMeasured("no density series measured anything".into()).into());
    }
    Ok(ExitCode::SUCCESS)
}

/// The instance counts as the worker takes them: one to four, each ≥ 1.
pub(crate) fn counts(given: &[u32], flag: &str) -> Result<[u32; 4]> {
    if given.is_empty() || given.len() > 4 || given.contains(&0) {
        return Err(UsageError(format!("{flag} takes one to four counts of at least 1 (got {given:?})")).into());
    }
    let mut out = [0u32; 4];
    out[..given.len()].copy_from_slice(given);
    Ok(out)
}

/// The worker request that runs `workload` at `size` on `backend` in a
/// density or concurrency `mode`.
pub(crate) fn request(backend: &str, workload: &Workload, size: &Size, timeout_ms: u64, mode: Mode) -> WorkerRequest {
    WorkerRequest {
        backend: backend.to_string(),
        workload: workload.name.clone(),
        source: workload.source.clone(),
        module_path: Some(workload.module_path.display().to_string()),
        input: size.input.clone(),
        expected: size.expected.clone(),
        calls_per_op: 1,
        timeout_ms,
        memory_limit: MEMORY_LIMIT,
        measure: MeasureSettings {
            mode,
            ..MeasureSettings::default()
        },
    }
}

/// The error recorded for a backend that cannot run here.
pub(crate) fn unavailable(reason: &str) -> jsbench_schema::CellError {
    jsbench_schema::CellError {
        kind: jsbench_schema::ErrorKind::Unsupported,
        phase: jsbench_schema::Phase::Create,
        message: format!("unavailable: {reason}"),
        stack: None,
    }
}

/// The first size of `workload`, with its name.
pub(crate) fn first_size(workload: &Workload) -> Result<(String, Size)> {
    workload
        .sizes
        .iter()
        .next()
        .map(|(name, size)| (name.clone(), size.clone()))
        .ok_or_else(|| UsageError(format!("workload `{}` has no sizes", workload.name)).into())
}

/// The single-module workload named `selector`.
pub(crate) fn workload(selector: &str) -> Result<Workload> {
    let dir = super::workloads_dir(None)?;
    let suite = manifest::load_suite(&dir).with_context(|| format!("loading the workloads in {}", dir.display()))?;
    let mut chosen = manifest::select(&suite, &[selector.to_string()]).map_err(|e| UsageError(e.to_string()))?;
    let Some(first) = chosen.drain(..).next() else {
        return Err(UsageError(format!("no workload matches `{selector}`")).into());
    };
    if first.entry.is_some() {
        return Err(UsageError(format!(
            "`{}` is an entry with imports; density takes a single-module workload",
            first.name
        ))
        .into());
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts_of(given: &[u32]) -> Result<[u32; 4]> {
        counts(given, "-k")
    }

    #[test]
    fn counts_take_one_to_four_positive_numbers() {
        assert_eq!(counts_of(&[1, 10, 100]).unwrap(), [1, 10, 100, 0]);
        assert!(counts_of(&[]).is_err());
        assert!(counts_of(&[1, 0]).is_err());
        assert!(counts_of(&[1, 2, 3, 4, 5]).is_err());
    }
}
