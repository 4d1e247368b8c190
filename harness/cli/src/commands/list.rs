//! `jsbench list`: the backends of this build with their availability here
//! (and why not), the hidden mock backend included, and the workloads of
//! the suite, aligned however long the names.

use crate::cli::ListArgs;
use crate::registry;
use crate::term::{self, Stream};
use anyhow::{Context, Result};
use jsbench_reports::listing::{self, BackendLine, WorkloadLine};
use std::process::ExitCode;

/// Prints the lists.
pub fn execute(args: ListArgs) -> Result<ExitCode> {
    let dir = super::workloads_dir(args.workloads_dir.as_deref())?;
    if !dir.is_dir() {
        return Err(super::UsageError(format!("the workloads folder {} does not exist", dir.display())).into());
    }
    let backends: Vec<BackendLine> = registry::entries()
        .into_iter()
        .map(|entry| {
            let d = (entry.make)().descriptor();
            BackendLine {
                name: entry.name.to_string(),
                engine: format!("{} {}", d.engine, d.engine_version),
                kind: serde_json::to_value(d.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
                unavailable: (entry.availability)(entry.name).err().map(|e| e.to_string()),
                hidden: entry.hidden,
            }
        })
        .collect();
    println!("Backends:");
    print!("{}", listing::render_backends(&backends, term::palette(Stream::Stdout)));
    let suite = jsbench_runner::manifest::load_suite(&dir)
        .with_context(|| format!("loading the workloads in {}", dir.display()))?;
    if suite.is_empty() {
        return Err(super::NothingMeasured(format!("no workload manifest (*.toml) in {}", dir.display())).into());
    }
    println!("\nWorkloads ({}):", suite.len());
    let workloads: Vec<WorkloadLine> = suite
        .iter()
        .map(|w| WorkloadLine {
            name: w.name.clone(),
            category: w.category.clone(),
            description: w.description.clone(),
            sizes: w.sizes.keys().cloned().collect(),
        })
        .collect();
    print!("{}", listing::render_workloads(&workloads));
    Ok(ExitCode::SUCCESS)
}
