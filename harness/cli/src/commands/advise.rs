//! `jsbench advise results.json`: a recommendation per scenario, from the
//! cost model and memory of a results file (see `jsbench_reports::advice`).

use crate::cli::{AdviseArgs, ScenarioArg};
use crate::commands::UsageError;
use anyhow::Result;
use jsbench_reports::advice::{self, Context, Scenario};
use jsbench_runner::check::{Thresholds, check, flagged_cells};
use jsbench_schema::Results;
use std::process::ExitCode;

/// Prints the advice for the scenario asked for, or for all three.
pub fn execute(args: AdviseArgs) -> Result<ExitCode> {
    let results = Results::read(&args.results)?;
    let context = context(&results);
    let scenarios = match args.scenario {
        Some(one) => vec![scenario(one)],
        None => Scenario::ALL.to_vec(),
    };
    for (i, scenario) in scenarios.into_iter().enumerate() {
        let advice = advice::advise(&results, scenario, args.calls, &context)
            .map_err(|e| UsageError(format!("{}: {e}", args.results.display())))?;
        if i > 0 {
            println!();
        }
        print!("{}", advice::render(&advice));
    }
    Ok(ExitCode::SUCCESS)
}

/// What the advice needs beyond the cells: how many of them the stability
/// check flags.
pub fn context(results: &Results) -> Context {
    let findings = check(results, &Thresholds::default());
    Context {
        unstable_cells: flagged_cells(&findings),
        checked_cells: results.cells.len(),
    }
}

fn scenario(arg: ScenarioArg) -> Scenario {
    match arg {
        ScenarioArg::Cli => Scenario::Cli,
        ScenarioArg::Server => Scenario::Server,
        ScenarioArg::Plugin => Scenario::Plugin,
    }
}
