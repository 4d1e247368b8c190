//! `jsbench compare base.json new.json [more.json ...]`: the change of
//! every cell, with a bootstrap interval so noise is not called a
//! regression; several candidates are each compared with the base and laid
//! side by side (as pyperf's `compare_to`). Exit codes: 0 when nothing
//! regressed beyond `--fail-above`, 1 when something did in any candidate
//! (or a cell that ran in the base fails), 2 for usage errors and malformed
//! or incompatible files, 4 when no candidate has a measured cell in common
//! with the base.

use crate::cli::{CompareArgs, CompareFormat, CompareMetric};
use crate::commands::UsageError;
use anyhow::{Context, Result};
use jsbench_reports::compare::{self, CompareError, Comparison, Metric, Settings};
use jsbench_reports::compare_many::{self, Candidate};
use jsbench_schema::Results;
use std::process::ExitCode;

/// Exit code when a cell regressed.
const EXIT_REGRESSION: u8 = 1;

/// Parses `5%`, `5 %` or `0.05` into a fraction.
fn parse_threshold(text: &str) -> Result<f64, UsageError> {
    let trimmed = text.trim();
    let bad = || {
        UsageError(format!(
            "--fail-above takes a percentage like `5%` or a fraction like `0.05`, got `{text}`"
        ))
    };
    let value = match trimmed.strip_suffix('%') {
        Some(number) => number.trim().parse::<f64>().map_err(|_| bad())? / 100.0,
        None => trimmed.parse::<f64>().map_err(|_| bad())?,
    };
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(bad())
    }
}

/// Compares the base with each candidate.
pub fn execute(args: CompareArgs) -> Result<ExitCode> {
    let threshold = parse_threshold(&args.fail_above)?;
    let base = Results::read(&args.base)?;
    let metric = match args.metric {
        CompareMetric::Auto => Metric::Auto,
        CompareMetric::Time => Metric::Time,
        CompareMetric::Instructions => Metric::Instructions,
    };
    let mut candidates = Vec::new();
    for path in &args.new {
        let new = Results::read(path)?;
        let comparison = compare::compare(&base, &new, Settings { threshold, metric }).map_err(|e| match e {
            CompareError::NoInstructions { .. } | CompareError::BadThreshold(_) => {
                anyhow::Error::new(UsageError(e.to_string()))
            }
        })?;
        candidates.push(Candidate {
            name: path.display().to_string(),
            comparison,
        });
    }
    let palette = crate::term::palette(crate::term::Stream::Stdout);
    let text = match (args.format, candidates.as_slice()) {
        (CompareFormat::Markdown, [one]) => compare::render_markdown(&one.comparison),
        (CompareFormat::Table, [one]) => compare::render_table(&one.comparison),
        (CompareFormat::Markdown, many) => compare_many::render_markdown(many),
        (CompareFormat::Table, many) => compare_many::render_table(many, palette),
    };
    print!("{text}");
    if let Some(path) = args.output.as_ref().filter(|p| !crate::output::is_stdout(p)) {
        std::fs::write(path, text.as_bytes()).with_context(|| format!("writing {}", path.display()))?;
    }
    let comparisons: Vec<&Comparison> = candidates.iter().map(|c| &c.comparison).collect();
    if comparisons.iter().all(|c| c.compared() == 0) {
        let names: Vec<String> = args.new.iter().map(|p| p.display().to_string()).collect();
        return Err(crate::commands::NothingMeasured(format!(
            "{} and {} have no measured cell in common: nothing was compared",
            args.base.display(),
            names.join(", ")
        ))
        .into());
    }
    Ok(if comparisons.iter().any(|c| c.has_regression()) {
        ExitCode::from(EXIT_REGRESSION)
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds() {
        assert_eq!(parse_threshold("5%").unwrap(), 0.05);
        assert_eq!(parse_threshold(" 2.5 % ").unwrap(), 0.025);
        assert_eq!(parse_threshold("0.1").unwrap(), 0.1);
        assert!(parse_threshold("-1%").is_err());
        assert!(parse_threshold("five").is_err());
    }
}
