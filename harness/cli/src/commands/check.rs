//! `jsbench check results.json`: flags cells whose measurements should not
//! be trusted (too few samples, too much spread, too short samples), with
//! the reason, like pyperf's `check`.

use crate::cli::CheckArgs;
use crate::commands::{EXIT_CELL_FAILED, UsageError};
use anyhow::Result;
use jsbench_runner::check::{Thresholds, check};
use jsbench_schema::Results;
use std::process::ExitCode;

/// Checks the file and prints the findings.
pub fn execute(args: CheckArgs) -> Result<ExitCode> {
    if !(args.max_spread_percent > 0.0 && args.max_ci_percent > 0.0) {
        return Err(UsageError("the percentages must be positive".into()).into());
    }
    let results = Results::read(&args.results)?;
    let thresholds = Thresholds {
        min_samples: args.min_samples,
        max_spread: args.max_spread_percent / 100.0,
        max_ci_width: args.max_ci_percent / 100.0,
        ..Thresholds::default()
    };
    let findings = check(&results, &thresholds);
    let checked = results
        .cells
        .iter()
        .filter(|c| c.status == jsbench_schema::CellStatus::Ok)
        .count();
    if results.config.profile == "quick" {
        // Every quick cell is short of samples: say what the file is for.
        println!("note: {}", jsbench_reports::summary::QUICK_NOTE);
    }
    for f in &findings {
        println!("{} / {} ({}): {}", f.backend, f.workload, f.size, f.reason);
    }
    if findings.is_empty() {
        println!("{checked} cells checked: all look stable");
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "{checked} cells checked: {} cell(s) flagged ({} finding(s))",
            jsbench_runner::check::flagged_cells(&findings),
            findings.len()
        );
        Ok(ExitCode::from(EXIT_CELL_FAILED))
    }
}
