//! `jsbench list`: the backends of this build (with availability) and the
//! workloads of the suite.

use crate::cli::ListArgs;
use crate::registry;
use anyhow::{Context, Result};
use std::process::ExitCode;

/// Prints the lists.
pub fn execute(args: ListArgs) -> Result<ExitCode> {
    let dir = super::workloads_dir(args.workloads_dir.as_deref())?;
    if !dir.is_dir() {
        return Err(super::UsageError(format!("the workloads folder {} does not exist", dir.display())).into());
    }
    println!("Backends:");
    for entry in registry::entries().into_iter().filter(|e| !e.hidden) {
        let d = (entry.make)().descriptor();
        let state = match (entry.availability)(entry.name) {
            Ok(()) => String::new(),
            Err(reason) => format!("  [unavailable: {reason}]"),
        };
        println!("  {:<14} {} {}{state}", entry.name, d.engine, d.engine_version);
    }
    let suite = jsbench_runner::manifest::load_suite(&dir)
        .with_context(|| format!("loading the workloads in {}", dir.display()))?;
    if suite.is_empty() {
        return Err(super::NothingMeasured(format!("no workload manifest (*.toml) in {}", dir.display())).into());
    }
    println!("\nWorkloads ({}):", suite.len());
    for w in &suite {
        let sizes: Vec<&str> = w.sizes.keys().map(String::as_str).collect();
        println!(
            "  {:<18} {:<10} {} [{}]",
            w.name,
            w.category,
            w.description,
            sizes.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}
