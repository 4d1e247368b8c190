//! `jsbench report results.json`: the results as one self-contained HTML
//! page (the default), Markdown, CSV or the terminal table (`-o -` is
//! standard output, as no `-o` is); with `--history DB`
//! the page also has trend charts from the stored runs of the same machine,
//! and with `--with FILE` the sandbox matrix, density or concurrency
//! figures of a `jsbench sandbox`, `density` or `concurrency` file.

use crate::cli::{ReportArgs, ReportFormat};
use crate::commands::UsageError;
use anyhow::{Context, Result};
use jsbench_reports::analysis::{self, AnalysisError};
use jsbench_reports::history::History;
use jsbench_reports::html::{self, Trends};
use jsbench_schema::Results;
use std::path::Path;
use std::process::ExitCode;

/// Renders the report.
pub fn execute(args: ReportArgs) -> Result<ExitCode> {
    let mut results = Results::read(&args.results)?;
    for path in &args.with {
        add_sections(&mut results, Results::read(path)?, path)?;
    }
    if args.history.is_some() && args.format != ReportFormat::Html {
        return Err(UsageError("--history adds charts, so it needs --format html".into()).into());
    }
    let analysis = || {
        analysis::analyze(&results, args.baseline.as_deref()).map_err(|e| match e {
            AnalysisError::UnknownBaseline { .. } => anyhow::Error::new(UsageError(e.to_string())),
        })
    };
    let text = match args.format {
        ReportFormat::Table => super::show::tables(&results, false),
        ReportFormat::Csv => jsbench_reports::csv::render(&results, &analysis()?)?,
        ReportFormat::Markdown => jsbench_reports::markdown::render(&results, &analysis()?),
        ReportFormat::Html => {
            let trends = match &args.history {
                Some(db) => {
                    if !db.exists() {
                        return Err(UsageError(format!(
                            "history database {} does not exist; create it with `jsbench history add`",
                            db.display()
                        ))
                        .into());
                    }
                    let history = History::open(db)?;
                    let machine = &results.machine;
                    Some(Trends {
                        machine: format!("{} ({})", machine.hostname, machine.cpu_model),
                        points: history.trends(&machine.hostname, &machine.cpu_model)?,
                    })
                }
                None => None,
            };
            let opening = jsbench_reports::advice::Opening::new(&results, &super::advise::context(&results));
            html::render(&results, &analysis()?, trends.as_ref(), &opening)?
        }
    };
    match args.output.as_ref().filter(|p| !crate::output::is_stdout(p)) {
        Some(path) => {
            std::fs::write(path, text.as_bytes())
                .with_context(|| format!("writing the report to {}", path.display()))?;
            eprintln!("Report written to {}.", path.display());
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Takes the sandbox matrix, density and concurrency figures of `other`
/// into `results`; a file with none of them is a usage error.
fn add_sections(results: &mut Results, other: Results, path: &Path) -> Result<()> {
    if other.sandbox.is_none() && other.density.is_empty() && other.concurrency.is_empty() {
        return Err(UsageError(format!(
            "{} has no sandbox matrix, density or concurrency figures (write them with `jsbench sandbox`, `density` or `concurrency`)",
            path.display()
        ))
        .into());
    }
    if other.sandbox.is_some() {
        results.sandbox = other.sandbox;
    }
    if !other.density.is_empty() {
        results.density = other.density;
    }
    if !other.concurrency.is_empty() {
        results.concurrency = other.concurrency;
    }
    Ok(())
}
