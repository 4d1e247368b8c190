//! `jsbench show results.json`: prints a results file as terminal tables
//! (fitted to the terminal, with the calls-per-runtime cost model; the
//! feature matrix and test262 counts too when the file has them),
//! Markdown, JSON or CSV.

use crate::cli::{ShowArgs, ShowFormat};
use crate::commands::UsageError;
use crate::term::{self, Stream};
use anyhow::{Context, Result};
use jsbench_reports::analysis::{self, Analysis, AnalysisError};
use jsbench_reports::{features, markdown, table};
use jsbench_schema::Results;
use std::process::ExitCode;

/// Prints the file in the chosen format.
pub fn execute(args: ShowArgs) -> Result<ExitCode> {
    let results = Results::read(&args.results)?;
    let text = match args.format {
        ShowFormat::Table => tables(&results, args.wide),
        ShowFormat::Markdown => {
            let mut text = String::new();
            if !results.cells.is_empty() || (results.features.is_none() && results.conformance.is_none()) {
                text.push_str(&markdown::render(
                    &results,
                    &analyze(&results, args.baseline.as_deref())?,
                ));
            }
            if let Some(matrix) = &results.features {
                text.push_str(&features::render_markdown(matrix));
            }
            if let Some(report) = &results.conformance {
                let totals = jsbench_conformance::test262::totals(report);
                text.push_str(&format!(
                    "\n```\n{}```\n",
                    features::render_conformance(report, &totals)
                ));
            }
            text
        }
        ShowFormat::Json => {
            let mut text = serde_json::to_string_pretty(&results).context("printing the results as JSON")?;
            text.push('\n');
            text
        }
        ShowFormat::Csv => jsbench_reports::csv::render(&results, &analyze(&results, args.baseline.as_deref())?)?,
    };
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}

/// The analysis, with an unknown `--baseline` as a usage error.
pub fn analyze(results: &Results, baseline: Option<&str>) -> Result<Analysis> {
    analysis::analyze(results, baseline).map_err(|e| match e {
        AnalysisError::UnknownBaseline { .. } => anyhow::Error::new(UsageError(e.to_string())),
    })
}

/// Every section of the file as terminal tables: the matrix (and sizes),
/// the feature matrix, the test262 counts.
pub fn tables(results: &Results, wide: bool) -> String {
    let mut parts: Vec<String> = Vec::new();
    let has_sections = results.features.is_some()
        || results.conformance.is_some()
        || results.sandbox.is_some()
        || !results.density.is_empty()
        || !results.concurrency.is_empty();
    if !results.cells.is_empty() || !results.sizes.is_empty() || !has_sections {
        let options = term::matrix_options(Stream::Stdout, wide);
        let mut text = table::render_with(results, &options);
        text.push_str(&jsbench_reports::costmodel::render(results));
        if let Some(tuned) = jsbench_reports::tuned::Tuned::new(results) {
            text.push_str(&tuned.render_terminal_within(options.width));
        }
        if let Some(split) = jsbench_reports::floor::CallSplit::new(results) {
            text.push_str(&split.render_terminal_within(options.width));
        }
        parts.push(text);
    }
    if let Some(matrix) = &results.features {
        parts.push(format!("Language features:\n{}", features::render(matrix)));
    }
    if !results.concurrency.is_empty() {
        parts.push(format!(
            "Callers at once (concurrency):\n{}",
            jsbench_reports::concurrency::render(&results.concurrency)
        ));
    }
    if !results.density.is_empty() {
        parts.push(format!(
            "Memory per instance (density):\n{}",
            jsbench_reports::density::render(&results.density)
        ));
    }
    if let Some(matrix) = &results.sandbox {
        parts.push(format!(
            "What the JavaScript can reach (sandbox):\n{}",
            jsbench_reports::sandbox::render(matrix)
        ));
    }
    if let Some(report) = &results.conformance {
        let totals = jsbench_conformance::test262::totals(report);
        parts.push(format!(
            "test262 ({}):\n{}",
            if report.selection.is_empty() {
                "."
            } else {
                &report.selection
            },
            features::render_conformance(report, &totals)
        ));
    }
    parts.join("\n")
}
