//! `jsbench concurrency`: per backend, one worker that, for each caller
//! count C, runs C callers at once, each on its own runtime, for a fixed
//! window; writes a results file with a `concurrency` section and prints
//! calls per second, the scaling over one caller, p50 and p99.

use crate::cli::ConcurrencyArgs;
use crate::commands::density::{counts, first_size, request, unavailable, workload};
use crate::commands::features::{cancel_on_signals, interrupted, progress_bar, publish, results_shell, worker_command};
use crate::commands::run::pick_backends;
use crate::commands::{NothingMeasured, UsageError};
use crate::registry;
use anyhow::Result;
use jsbench_runner::launch::{Supervision, run_process};
use jsbench_runner::protocol::Mode;
use jsbench_schema::ConcurrencyReport;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// The harness's limit on a concurrency worker with all its runtimes.
const WORKER_LIMIT: u64 = 16 << 30;

/// Runs the measurement.
pub fn execute(args: ConcurrencyArgs) -> Result<ExitCode> {
    let callers = counts(&default_callers(&args.callers), "--callers")?;
    if args.timeout_ms == 0 || args.window_ms == 0 {
        return Err(UsageError("--timeout-ms and --window-ms must be at least 1".into()).into());
    }
    let workload = workload(&args.workload)?;
    let (size, input) = first_size(&workload)?;
    let entries = pick_backends(&args.backends)?;
    let backends = registry::ready(&entries, args.quiet);
    let mut results = results_shell(&backends, args.timeout_ms, "concurrency");
    let cancel = cancel_on_signals()?;
    let command = worker_command()?;
    let bar = progress_bar(args.quiet, backends.len() as u64, "backends");
    let mut supervision = Supervision::for_limits(Duration::from_millis(args.timeout_ms), WORKER_LIMIT);
    supervision.memory_limit = WORKER_LIMIT;
    for backend in &backends {
        if cancel.load(Ordering::SeqCst) {
            break;
        }
        bar.set_message(backend.name.clone());
        let report = match &backend.unavailable {
            Some(reason) => ConcurrencyReport {
                backend: backend.name.clone(),
                workload: workload.name.clone(),
                points: Vec::new(),
                error: Some(unavailable(reason)),
            },
            None => {
                let mode = Mode::Concurrency {
                    callers,
                    window_ms: args.window_ms,
                };
                let request = request(&backend.name, &workload, &input, args.timeout_ms, mode);
                let outcome = run_process(&command, &request, supervision, &cancel);
                ConcurrencyReport {
                    backend: backend.name.clone(),
                    workload: format!("{} ({size})", workload.name),
                    points: outcome.concurrency,
                    error: outcome.error,
                }
            }
        };
        results.concurrency.push(report);
        bar.inc(1);
    }
    bar.finish_and_clear();
    results.finished_at = crate::commands::run::now();
    let measured = results.concurrency.iter().filter(|r| !r.points.is_empty()).count();
    let table = (!args.quiet).then(|| {
        let table = if args.markdown {
            jsbench_reports::concurrency::render_markdown(&results.concurrency)
        } else {
            jsbench_reports::concurrency::render(&results.concurrency)
        };
        (table, format!("{measured} backends measured"))
    });
    publish(&results, &args.output, table)?;
    if let Some(code) = interrupted(&cancel, &args.output, "backends") {
        return Ok(code);
    }
    if measured == 0 {
        return Err(NothingMeasured("no concurrency series measured anything".into()).into());
    }
    Ok(ExitCode::SUCCESS)
}

/// The counts given, or 1 up to the number of cores (four counts at most,
/// spread up to the cores).
fn default_callers(given: &[u32]) -> Vec<u32> {
    if !given.is_empty() {
        return given.to_vec();
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| u32::try_from(n.get()).unwrap_or(u32::MAX));
    spread(cores)
}

fn spread(cores: u32) -> Vec<u32> {
    if cores <= 4 {
        return (1..=cores).collect();
    }
    let mut out = vec![1, cores / 4, cores / 2, cores];
    out.dedup();
    out.retain(|&c| c >= 1);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_callers_reach_the_cores() {
        assert_eq!(spread(1), vec![1]);
        assert_eq!(spread(2), vec![1, 2]);
        assert_eq!(spread(16), vec![1, 4, 8, 16]);
        assert_eq!(default_callers(&[3]), vec![3]);
    }
}
