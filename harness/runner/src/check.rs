//! Stability checks of measured cells, in the spirit of pyperf's `check`:
//! a cell is flagged when it has too few samples, when its samples spread
//! too much to trust the median, or when a sample is too short for the
//! clock. `jsbench check` prints them; `jsbench run` warns at the end.

use jsbench_schema::{Cell, CellStatus, Results};

/// Thresholds of the checks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Fewest samples a cell should have.
    pub min_samples: u64,
    /// Largest robust spread allowed: median absolute deviation over the
    /// median (0.10 = 10%).
    pub max_spread: f64,
    /// Largest width of the 95% confidence interval of the median, relative
    /// to the median.
    pub max_ci_width: f64,
    /// Shortest sample duration in nanoseconds the clock can time well.
    pub min_sample_ns: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min_samples: 5,
            max_spread: 0.10,
            max_ci_width: 0.20,
            min_sample_ns: 100_000.0,
        }
    }
}

/// One problem found in one cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Backend.
    pub backend: String,
    /// Workload.
    pub workload: String,
    /// Size.
    pub size: String,
    /// What is wrong, in a sentence.
    pub reason: String,
}

/// Checks every successful cell.
pub fn check(results: &Results, thresholds: &Thresholds) -> Vec<Finding> {
    results
        .cells
        .iter()
        .filter(|c| c.status == CellStatus::Ok)
        .flat_map(|c| {
            let mut found = check_cell(c, thresholds);
            found.extend(check_precision(c, &results.config));
            if let Some(reason) = results.partial_note(c) {
                found.push(Finding {
                    backend: c.backend.clone(),
                    workload: c.workload.clone(),
                    size: c.size.clone(),
                    reason,
                });
            }
            found
        })
        .collect()
}

/// How many distinct cells `findings` flag (one cell can have several).
pub fn flagged_cells(findings: &[Finding]) -> usize {
    let mut cells: Vec<(&str, &str, &str)> = findings
        .iter()
        .map(|f| (f.backend.as_str(), f.workload.as_str(), f.size.as_str()))
        .collect();
    cells.sort_unstable();
    cells.dedup();
    cells.len()
}

/// A cell that used every process the run allowed without its median
/// reaching the wanted precision: its processes disagree.
fn check_precision(cell: &Cell, config: &jsbench_schema::RunConfig) -> Option<Finding> {
    let (max, wanted) = (config.max_processes?, config.precision?);
    let stopped_early = cell.stopped == Some(jsbench_schema::StopReason::Unreachable);
    if cell.processes.len() < max as usize && !stopped_early {
        return None;
    }
    let reached = crate::stats::relative_precision(&cell.processes)?;
    (reached > wanted).then(|| Finding {
        backend: cell.backend.clone(),
        workload: cell.workload.clone(),
        size: cell.size.clone(),
        reason: format!(
            "its median is only within ±{:.1}% after {} processes (±{:.1}% wanted{}): its worker processes run at \
             different speeds (a JIT's or a heap's choices, a busy machine); raise --max-processes or compare \
             with care",
            reached * 100.0,
            cell.processes.len(),
            wanted * 100.0,
            if stopped_early {
                format!("; stopped early, as even {max} processes would not reach it")
            } else {
                String::new()
            }
        ),
    })
}

fn check_cell(cell: &Cell, t: &Thresholds) -> Vec<Finding> {
    let finding = |reason: String| Finding {
        backend: cell.backend.clone(),
        workload: cell.workload.clone(),
        size: cell.size.clone(),
        reason,
    };
    let Some(s) = cell.summary else {
        return vec![finding(
            "no samples: the cell finished without a steady-state measurement".into(),
        )];
    };
    let mut found = Vec::new();
    if s.count < t.min_samples {
        found.push(finding(format!(
            "only {} samples (at least {} wanted): raise --samples or the steady budget",
            s.count, t.min_samples
        )));
    }
    if s.median > 0.0 {
        let spread = s.mad / s.median;
        if spread > t.max_spread {
            found.push(finding(format!(
                "samples spread too much: the median absolute deviation is {:.1}% of the median (limit {:.0}%); \
                 the machine may be busy, or the workload's time varies",
                spread * 100.0,
                t.max_spread * 100.0
            )));
        }
        if let (Some(lo), Some(hi)) = (s.ci95_low, s.ci95_high) {
            let width = (hi - lo) / s.median;
            if width > t.max_ci_width {
                found.push(finding(format!(
                    "the 95% confidence interval of the median is {:.1}% of it wide (limit {:.0}%)",
                    width * 100.0,
                    t.max_ci_width * 100.0
                )));
            }
        }
    }
    let shortest_sample = cell
        .processes
        .iter()
        .filter(|p| !p.samples.is_empty())
        .map(|p| s.min * p.iterations_per_sample.max(1) as f64)
        .fold(f64::INFINITY, f64::min);
    if shortest_sample.is_finite() && shortest_sample < t.min_sample_ns {
        found.push(finding(format!(
            "samples as short as {:.0} µs are close to the clock's resolution and the timing overhead: raise --sample-ms",
            shortest_sample / 1e3
        )));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsbench_schema::{ProcessRun, Summary};
    use std::collections::BTreeMap;

    fn cell(samples: Vec<f64>) -> Cell {
        let summary = crate::stats::summarize(&samples);
        Cell {
            backend: "b".into(),
            workload: "w".into(),
            size: "small".into(),
            status: CellStatus::Ok,
            error: None,
            processes: vec![ProcessRun {
                samples,
                iterations_per_sample: 1000,
                ..ProcessRun::default()
            }],
            summary,
            build: None,
            instructions: None,
            stopped: None,
            extra: BTreeMap::new(),
        }
    }

    #[test]
    fn findings_are_counted_by_cell() {
        let finding = |workload: &str| Finding {
            backend: "b".into(),
            workload: workload.into(),
            size: "small".into(),
            reason: "why".into(),
        };
        assert_eq!(flagged_cells(&[finding("w"), finding("w"), finding("x")]), 2);
        assert_eq!(flagged_cells(&[]), 0);
    }

    #[test]
    fn steady_cells_pass_and_noisy_ones_are_flagged() {
        let t = Thresholds::default();
        let steady: Vec<f64> = (0..20).map(|i| 1000.0 + (i % 3) as f64).collect();
        assert!(check_cell(&cell(steady), &t).is_empty());
        let noisy: Vec<f64> = (0..20).map(|i| 1000.0 + ((i * 7919) % 1000) as f64).collect();
        let found = check_cell(&cell(noisy), &t);
        assert!(found.iter().any(|f| f.reason.contains("spread")), "{found:?}");
    }

    #[test]
    fn few_and_short_samples_are_flagged() {
        let t = Thresholds::default();
        let found = check_cell(&cell(vec![1000.0, 1000.0]), &t);
        assert!(found.iter().any(|f| f.reason.contains("only 2 samples")), "{found:?}");
        let mut short = cell(vec![10.0; 10]);
        short.processes[0].iterations_per_sample = 1;
        let found = check_cell(&short, &t);
        assert!(found.iter().any(|f| f.reason.contains("clock")), "{found:?}");
        let mut none = cell(vec![]);
        none.summary = None::<Summary>;
        assert_eq!(check_cell(&none, &t).len(), 1);
    }

    #[test]
    fn a_cell_that_used_every_process_without_precision_is_flagged() {
        let config = jsbench_schema::RunConfig {
            sizes: vec!["small".into()],
            samples: 1,
            warmup: 1,
            processes: 2,
            max_processes: Some(4),
            precision: Some(0.02),
            sample_ms: None,
            timeout_ms: 1,
            memory_limit: 1,
            seed: 1,
            profile: "custom".into(),
            pin: None,
        };
        let with_levels = |levels: &[f64]| {
            let mut c = cell(vec![]);
            c.processes = levels
                .iter()
                .map(|l| ProcessRun {
                    samples: vec![*l; 3],
                    ..ProcessRun::default()
                })
                .collect();
            c
        };
        let disagreeing = with_levels(&[100.0, 130.0, 90.0, 115.0]);
        let found = check_precision(&disagreeing, &config).expect("flagged");
        assert!(found.reason.contains("after 4 processes"), "{}", found.reason);
        // Processes that agree, or a cell that stopped early (precise), pass.
        assert!(check_precision(&with_levels(&[100.0, 100.1, 99.9, 100.0]), &config).is_none());
        assert!(check_precision(&with_levels(&[100.0, 130.0, 90.0]), &config).is_none());
        // One the run stopped early because the precision was out of reach.
        let mut early = with_levels(&[100.0, 130.0, 90.0]);
        early.stopped = Some(jsbench_schema::StopReason::Unreachable);
        let found = check_precision(&early, &config).expect("flagged");
        assert!(found.reason.contains("stopped early"), "{}", found.reason);
    }
}
