//! `jsbench advise`: a short, plain-language recommendation per scenario,
//! with the figures behind it and the caveats.
//!
//! The scenarios pay for different phases:
//! - **cli**: a tool that runs a script once per process: the total of
//!   `calls` calls in a fresh runtime (default 1), i.e. create + load +
//!   first call;
//! - **server**: the same function called many times in a long-lived
//!   runtime: the total of `calls` calls (default 100 000), dominated by
//!   the steady state, with memory per runtime beside it;
//! - **plugin**: a host that keeps many sandboxes and starts them often:
//!   instantiation (create + load) and memory per instance.
//!
//! Each backend is ranked by the geometric mean, over the workloads it ran
//! correctly with at least one other backend, of its cost divided by the
//! cheapest backend's on that workload ([`crate::costmodel`] computes the
//! totals). Advice is refused for a file whose cells have one process
//! each (`--quick`): one process cannot tell a backend's speed from the
//! machine's noise.

use crate::costmodel::{self, WorkloadCosts};
use crate::format::{bytes, duration};
use jsbench_schema::{CellStatus, Results};
use serde::Serialize;

/// How the JavaScript is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Scenario {
    /// A command-line tool: one run per process.
    Cli,
    /// A server: many calls per runtime.
    Server,
    /// A plugin host: many sandboxes, each started often.
    Plugin,
}

impl Scenario {
    /// Every scenario, in display order.
    pub const ALL: [Scenario; 3] = [Scenario::Cli, Scenario::Server, Scenario::Plugin];

    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Cli => "cli",
            Scenario::Server => "server",
            Scenario::Plugin => "plugin",
        }
    }

    /// The calls per runtime the scenario assumes unless told.
    pub fn default_calls(self) -> u64 {
        match self {
            Scenario::Cli => 1,
            Scenario::Server => 100_000,
            Scenario::Plugin => 1,
        }
    }
}

/// Why no advice can be given.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum AdviceError {
    /// Every cell has one process (a `--quick` run).
    #[error(
        "refusing to advise from a file with one process per cell (profile `{profile}`): one process cannot tell \
         a backend's speed from this machine's noise; run without --quick (the default profile runs 3 to 10 \
         processes per cell)"
    )]
    OneProcessPerCell {
        /// The run's profile.
        profile: String,
    },
    /// No workload ran correctly on two backends.
    #[error("no workload ran correctly on two backends: nothing to compare")]
    NothingToCompare,
}

/// One backend's standing in a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    /// Backend name.
    pub backend: String,
    /// Geometric mean of its cost over the cheapest backend's (1 = always
    /// the cheapest).
    pub vs_best: f64,
    /// Workloads the mean is over.
    pub workloads: usize,
    /// Its cells that failed or answered wrongly (backends are ranked by
    /// this first, so none wins by failing the hard workloads).
    pub failed: usize,
    /// Its median cost per workload in the scenario (ns), over those.
    pub median_cost_ns: f64,
    /// Median peak RSS of its workers over its cells, when measured.
    pub peak_rss: Option<f64>,
}

/// The advice for one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Advice {
    /// The scenario.
    pub scenario: Scenario,
    /// Calls per runtime assumed.
    pub calls: u64,
    /// Backends from the best to the worst (fewer workloads last).
    pub standings: Vec<Standing>,
    /// What the figures cannot say.
    pub caveats: Vec<String>,
}

/// What the caller knows about the file beyond its cells (the stability
/// check lives in the runner).
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Cells the stability check flagged.
    pub unstable_cells: usize,
    /// Cells it checked.
    pub checked_cells: usize,
}

/// The advice for `scenario`, assuming `calls` calls per runtime (the
/// scenario's default when `None`).
pub fn advise(
    results: &Results,
    scenario: Scenario,
    calls: Option<u64>,
    context: &Context,
) -> Result<Advice, AdviceError> {
    let ok: Vec<_> = results.cells.iter().filter(|c| c.status == CellStatus::Ok).collect();
    if !ok.is_empty() && ok.iter().all(|c| c.processes.len() <= 1) {
        return Err(AdviceError::OneProcessPerCell {
            profile: results.config.profile.clone(),
        });
    }
    let costs = costmodel::analyze(results);
    if costs.is_empty() {
        return Err(AdviceError::NothingToCompare);
    }
    let calls = calls.unwrap_or(scenario.default_calls()).max(1);
    let standings = rank(results, &costs, |line| match scenario {
        Scenario::Plugin => line.fixed_ns,
        Scenario::Cli | Scenario::Server => line.total(calls as f64),
    });
    Ok(Advice {
        scenario,
        calls,
        standings,
        caveats: caveats(results, scenario, context),
    })
}

/// Ranks the backends by the geometric mean of `cost` over the cheapest.
fn rank(results: &Results, costs: &[WorkloadCosts], cost: impl Fn(&costmodel::CostLine) -> f64) -> Vec<Standing> {
    let mut ratios: Vec<(String, Vec<f64>, Vec<f64>)> = Vec::new();
    for w in costs {
        let best = w.lines.iter().map(&cost).fold(f64::INFINITY, f64::min);
        if !(best.is_finite() && best > 0.0) {
            continue;
        }
        for line in &w.lines {
            let value = cost(line);
            match ratios.iter_mut().find(|(b, _, _)| *b == line.backend) {
                Some((_, r, v)) => {
                    r.push(value / best);
                    v.push(value);
                }
                None => ratios.push((line.backend.clone(), vec![value / best], vec![value])),
            }
        }
    }
    let mut standings: Vec<Standing> = ratios
        .into_iter()
        .filter_map(|(backend, r, v)| {
            Some(Standing {
                vs_best: jsbench_stats::geometric_mean(&r)?,
                workloads: r.len(),
                failed: failed(results, &backend),
                median_cost_ns: jsbench_stats::median(&v)?,
                peak_rss: peak_rss(results, &backend),
                backend,
            })
        })
        .collect();
    // Fewest failed cells first, then by the mean: a backend must not win
    // by failing the hard workloads, but one that lacks a capability (an
    // `unsupported` cell) is not demoted for it.
    standings.sort_by(|a, b| a.failed.cmp(&b.failed).then(a.vs_best.total_cmp(&b.vs_best)));
    standings
}

/// The cells of `backend` that failed or gave a wrong output.
fn failed(results: &Results, backend: &str) -> usize {
    results
        .cells
        .iter()
        .filter(|c| c.backend == backend && matches!(c.status, CellStatus::Failed | CellStatus::WrongOutput))
        .count()
}

/// Median over a backend's correct cells of its workers' peak RSS.
fn peak_rss(results: &Results, backend: &str) -> Option<f64> {
    let values: Vec<f64> = results
        .cells
        .iter()
        .filter(|c| c.backend == backend && c.status == CellStatus::Ok)
        .flat_map(|c| c.processes.iter().filter_map(|p| p.memory.peak_rss).map(|b| b as f64))
        .collect();
    jsbench_stats::median(&values)
}

/// What the file cannot say, for this scenario.
fn caveats(results: &Results, scenario: Scenario, context: &Context) -> Vec<String> {
    let mut out = Vec::new();
    if context.unstable_cells > 0 {
        out.push(format!(
            "{} of {} cells look unstable (`jsbench check` says why): small differences may be noise",
            context.unstable_cells, context.checked_cells
        ));
    }
    let unavailable: Vec<&str> = results
        .backends
        .iter()
        .filter(|b| b.unavailable.is_some())
        .map(|b| b.name.as_str())
        .collect();
    if !unavailable.is_empty() {
        out.push(format!("not measured here (unavailable): {}", unavailable.join(", ")));
    }
    out.push(format!(
        "one machine ({}, {} cores, load {:.1} at the start), profile `{}`",
        results.machine.cpu_model,
        results.machine.cores,
        results.machine.load_average_start.unwrap_or(f64::NAN),
        results.config.profile
    ));
    match scenario {
        Scenario::Server => out
            .push("single-threaded figures: throughput with several callers (concurrency) is not in this file".into()),
        Scenario::Plugin => out.push(
            "memory is the worker's peak RSS with one instance; isolation (what a plugin can reach on the host) \
             is not measured in this file"
                .into(),
        ),
        Scenario::Cli => {}
    }
    out
}

/// The advice as text: the recommendation, the ranking with figures, the
/// caveats.
pub fn render(advice: &Advice) -> String {
    let mut out = format!("{}: {}\n", advice.scenario.name(), describe(advice));
    if let Some(verdict) = verdict(advice) {
        out.push_str(&format!("  → {verdict}\n"));
    }
    for s in &advice.standings {
        let rss = s.peak_rss.map(|b| bytes(b as u64)).unwrap_or_else(|| "-".into());
        out.push_str(&format!(
            "    {:<24} {:>8.2}× best  {:>10}  peak RSS {:>9}  ({} workloads)\n",
            s.backend,
            s.vs_best,
            duration(s.median_cost_ns),
            rss,
            s.workloads
        ));
    }
    for c in &advice.caveats {
        out.push_str(&format!("  caveat: {c}\n"));
    }
    out
}

/// What the scenario's figure is, in words.
pub fn describe(advice: &Advice) -> String {
    match advice.scenario {
        Scenario::Cli if advice.calls == 1 => {
            "a command-line tool (one call per process: create + load + first call)".to_string()
        }
        Scenario::Cli | Scenario::Server => format!(
            "{} calls per runtime (create + load + first + (N−1)·steady)",
            advice.calls
        ),
        Scenario::Plugin => {
            "a plugin host (instantiation: create + load + first call; memory per instance)".to_string()
        }
    }
}

/// The recommendation in one line: the best backend, its median cost and
/// the runner-up.
pub fn verdict(advice: &Advice) -> Option<String> {
    let best = advice.standings.first()?;
    let runner_up = advice
        .standings
        .get(1)
        .map(|s| format!("; next {} at {:.2}×", s.backend, s.vs_best))
        .unwrap_or_default();
    Some(format!(
        "{} (median {} per workload over {} workloads{runner_up})",
        best.backend,
        duration(best.median_cost_ns),
        best.workloads
    ))
}

/// The advice that opens the HTML report: every scenario, or why none
/// can be given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Opening {
    /// One entry per scenario, in [`Scenario::ALL`] order.
    pub scenarios: Vec<OpeningScenario>,
    /// Why there is no advice (the [`AdviceError`]), when there is none.
    pub refused: Option<String>,
}

/// One scenario of the [`Opening`], with its words ready to show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpeningScenario {
    /// [`Scenario::name`].
    pub name: String,
    /// [`describe`].
    pub what: String,
    /// [`verdict`].
    pub verdict: Option<String>,
    /// The advice itself (standings and caveats).
    pub advice: Advice,
}

impl Opening {
    /// The advice for every scenario at its default call count.
    pub fn new(results: &Results, context: &Context) -> Opening {
        let mut scenarios = Vec::new();
        for scenario in Scenario::ALL {
            match advise(results, scenario, None, context) {
                Ok(advice) => scenarios.push(OpeningScenario {
                    name: scenario.name().to_string(),
                    what: describe(&advice),
                    verdict: verdict(&advice),
                    advice,
                }),
                Err(e) => {
                    return Opening {
                        scenarios: Vec::new(),
                        refused: Some(e.to_string()),
                    };
                }
            }
        }
        Opening {
            scenarios,
            refused: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::fixture;

    fn with_processes(mut results: Results, n: usize) -> Results {
        for cell in &mut results.cells {
            if let Some(first) = cell.processes.first().cloned() {
                cell.processes = vec![first; n];
            }
        }
        results
    }

    #[test]
    fn a_file_with_one_process_per_cell_is_refused() {
        let r = fixture(&[("a", "w", &[10.0, 11.0]), ("b", "w", &[20.0, 21.0])]);
        let refused = advise(&r, Scenario::Cli, None, &Context::default());
        assert_eq!(
            refused,
            Err(AdviceError::OneProcessPerCell {
                profile: "quick".into()
            })
        );
        assert!(refused.unwrap_err().to_string().contains("run without --quick"));
    }

    #[test]
    fn backends_are_ranked_by_the_scenario_cost() {
        let r = with_processes(
            fixture(&[
                ("slow", "w1", &[40.0, 41.0, 42.0]),
                ("fast", "w1", &[10.0, 11.0, 12.0]),
                ("fast", "w2", &[10.0, 11.0, 12.0]),
                ("slow", "w2", &[20.0, 21.0, 22.0]),
            ]),
            3,
        );
        // Equal cold starts: the steady state decides every scenario but
        // the plugin one, where they tie.
        let server = advise(&r, Scenario::Server, None, &Context::default()).unwrap();
        assert_eq!(server.calls, 100_000);
        assert_eq!(server.standings[0].backend, "fast");
        assert_eq!(server.standings[0].vs_best, 1.0);
        let slow = &server.standings[1];
        // Ratios of about 41/11 and 21/11 (the fixed part is the same).
        assert!(slow.vs_best > 2.5 && slow.vs_best < 2.8, "{}", slow.vs_best);
        let plugin = advise(&r, Scenario::Plugin, None, &Context::default()).unwrap();
        assert!(plugin.standings.iter().all(|s| s.vs_best == 1.0));
        let text = render(&server);
        assert!(text.contains("→ fast"), "{text}");
        assert!(text.contains("concurrency"), "{text}");
        let noisy = Context {
            unstable_cells: 2,
            checked_cells: 4,
        };
        let cli = advise(&r, Scenario::Cli, Some(1), &noisy).unwrap();
        assert!(render(&cli).contains("2 of 4 cells look unstable"));
    }

    #[test]
    fn nothing_to_compare_is_an_error() {
        let r = with_processes(fixture(&[("a", "w", &[10.0, 11.0, 12.0])]), 3);
        assert_eq!(
            advise(&r, Scenario::Server, None, &Context::default()),
            Err(AdviceError::NothingToCompare)
        );
    }

    #[test]
    fn the_report_opening_has_every_scenario_or_the_refusal() {
        let cells = [("slow", "w1", &[40.0, 41.0][..]), ("fast", "w1", &[10.0, 11.0][..])];
        let opening = Opening::new(&with_processes(fixture(&cells), 3), &Context::default());
        assert_eq!(opening.refused, None);
        let names: Vec<&str> = opening.scenarios.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["cli", "server", "plugin"]);
        assert!(
            opening.scenarios[1]
                .verdict
                .as_deref()
                .is_some_and(|v| v.starts_with("fast ("))
        );
        let refused = Opening::new(&fixture(&cells), &Context::default());
        assert!(refused.scenarios.is_empty());
        assert!(refused.refused.is_some_and(|r| r.contains("one process per cell")));
    }

    #[test]
    fn a_failure_demotes_a_backend_and_an_unsupported_cell_does_not() {
        let mut r = with_processes(
            fixture(&[
                ("fast", "w1", &[10.0, 11.0, 12.0]),
                ("slow", "w1", &[40.0, 41.0, 42.0]),
                ("able", "w1", &[20.0, 21.0, 22.0]),
                ("fast", "w2", &[10.0, 11.0, 12.0]),
                ("slow", "w2", &[40.0, 41.0, 42.0]),
                ("able", "w2", &[20.0, 21.0, 22.0]),
                ("able", "w3", &[20.0, 21.0, 22.0]),
                ("slow", "w3", &[40.0, 41.0, 42.0]),
                ("fast", "w3", &[]),
            ]),
            3,
        );
        let order = |r: &Results| -> Vec<String> {
            let advice = advise(r, Scenario::Server, None, &Context::default()).unwrap();
            advice.standings.iter().map(|s| s.backend.clone()).collect()
        };
        // `fast` failed w3: after both backends that failed nothing.
        assert_eq!(order(&r), ["able", "slow", "fast"]);
        // The same cell `unsupported` (a capability it lacks): first again.
        let cell = r
            .cells
            .iter_mut()
            .find(|c| c.backend == "fast" && c.workload == "w3")
            .unwrap();
        cell.status = CellStatus::Unsupported;
        assert_eq!(order(&r), ["fast", "able", "slow"]);
    }
}
