//! `jsbench merge a.json b.json … -o merged.json`: combines the results of
//! several machines or shards (`jsbench run --shard i/n`). The same cell in
//! two files is an error unless `--prefer first|last` says which to keep.

use crate::cli::{MergeArgs, MergePrefer};
use crate::commands::UsageError;
use anyhow::{Context, Result};
use jsbench_reports::merge::{self, MergeError, Prefer};
use jsbench_schema::Results;
use std::process::ExitCode;

/// Merges the files.
pub fn execute(args: MergeArgs) -> Result<ExitCode> {
    let mut inputs = Vec::new();
    for path in &args.inputs {
        inputs.push((path.display().to_string(), Results::read(path)?));
    }
    let prefer = match args.prefer {
        MergePrefer::Error => Prefer::Error,
        MergePrefer::First => Prefer::First,
        MergePrefer::Last => Prefer::Last,
    };
    let merged = merge::merge(inputs, prefer).map_err(|e| match e {
        MergeError::Clash { .. } | MergeError::Empty => anyhow::Error::new(UsageError(e.to_string())),
    })?;
    for warning in &merged.warnings {
        eprintln!("warning: {warning}");
    }
    if crate::output::is_stdout(&args.output) {
        crate::output::Destination::Stdout.write(&merged.results)?;
    } else {
        merged
            .results
            .write_atomic(&args.output)
            .with_context(|| format!("writing {}", args.output.display()))?;
    }
    eprintln!(
        "Merged {} files ({} cells) into {}.",
        args.inputs.len(),
        merged.results.cells.len(),
        if crate::output::is_stdout(&args.output) {
            "standard output".to_string()
        } else {
            args.output.display().to_string()
        }
    );
    Ok(ExitCode::SUCCESS)
}
