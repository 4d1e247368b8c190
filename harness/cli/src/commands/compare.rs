//! `jsbench compare base.json new.json`: the change of every cell, with a
//! bootstrap interval so noise is not called a regression. Exit codes: 0 when
//! nothing regressed beyond `--fail-above`, 1 when something did (or a cell
//! that ran in the base fails in the new file), 2 for usage errors and
//! malformed or incompatible files, 4 when the files have no measured cell
//! in common.

use crate::cli::{CompareArgs, CompareFormat, CompareMetric};
use crate::commands::UsageError;
use anyhow::{Context, Result};
use jsbench_reports::compare::{self, CompareError, Metric, Settings};
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

/// Compares the two files.
pub fn execute(args: CompareArgs) -> Result<ExitCode> {
    let threshold = parse_threshold(&args.fail_above)?;
    let base = Results::read(&args.base)?;
    let new = Results::read(&args.new)?;
    let metric = match args.metric {
        CompareMetric::Auto => Metric::Auto,
        CompareMetric::Time => Metric::Time,
        CompareMetric::Instructions => Metric::Instructions,
    };
    let comparison = compare::compare(&base, &new, Settings { threshold, metric }).map_err(|e| match e {
        CompareError::NoInstructions { .. } | CompareError::BadThreshold(_) => {
            anyhow::Error::new(UsageError(e.to_string()))
        }
    })?;
    let text = match args.format {
        CompareFormat::Markdown => compare::render_markdown(&comparison),
        CompareFormat::Table => compare::render_table(&comparison),
    };
    print!("{text}");
    if let Some(path) = &args.output {
        std::fs::write(path, text.as_bytes()).with_context(|| format!("writing {}", path.display()))?;
    }
    if comparison.compared() == 0 {
        return Err(crate::commands::NothingMeasured(format!(
            "{} and {} have no measured cell in common: nothing was compared",
            args.base.display(),
            args.new.display()
        ))
        .into());
    }
    Ok(if comparison.has_regression() {
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
