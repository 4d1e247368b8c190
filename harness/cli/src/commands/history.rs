//! `jsbench history add results.json` and `jsbench history list`: a SQLite
//! history of every run (each under its own id, with its git revision and
//! machine), read by
//! `jsbench report --history`.

use crate::cli::{HistoryAction, HistoryArgs};
use anyhow::Result;
use jsbench_reports::history::{self, History};
use jsbench_schema::Results;
use std::process::ExitCode;

/// Adds or lists runs.
pub fn execute(args: HistoryArgs) -> Result<ExitCode> {
    match args.action {
        HistoryAction::Add { results, db, replace } => {
            let run = Results::read(&results)?;
            let mut store = History::open(&db)?;
            let added = store.add(&run, replace)?;
            let replaced = match added.replaced.as_slice() {
                [] => String::new(),
                ids => format!(
                    "; replaced run(s) {}",
                    ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
                ),
            };
            println!(
                "Stored run {} (revision {}, {} on {}) in {}{replaced}.",
                added.id,
                run.jsbench.git_revision.as_deref().unwrap_or("unknown"),
                run.machine.hostname,
                run.machine.cpu_model,
                db.display()
            );
        }
        HistoryAction::List { db } => {
            if !db.exists() {
                println!(
                    "No history at {} yet; add a run with `jsbench history add results.json`.",
                    db.display()
                );
                return Ok(ExitCode::SUCCESS);
            }
            let store = History::open(&db)?;
            print!("{}", history::render_list(&store.list()?));
        }
    }
    Ok(ExitCode::SUCCESS)
}
