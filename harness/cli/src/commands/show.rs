//! `jsbench show results.json`: prints the summary table of a results file.

use crate::cli::ShowArgs;
use anyhow::Result;
use jsbench_schema::Results;
use std::process::ExitCode;

/// Prints the table.
pub fn execute(args: ShowArgs) -> Result<ExitCode> {
    let results = Results::read(&args.results)?;
    print!("{}", jsbench_reports::table::render(&results));
    print!("{}", jsbench_reports::costmodel::render(&results));
    if let Some(tuned) = jsbench_reports::tuned::Tuned::new(&results) {
        print!("{}", tuned.render_terminal());
    }
    Ok(ExitCode::SUCCESS)
}
