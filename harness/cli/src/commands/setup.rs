//! `jsbench setup`: installs, ahead of the first run, what `run` would
//! install on demand, and says where it all lives. Everything goes below
//! the cache folder ([`jsbench_assets::cache_root`]); nothing is written
//! into the source tree.

use crate::cli::SetupArgs;
use crate::registry;
use anyhow::{Context, Result};
use std::process::ExitCode;

/// Installs (or, with `--show`, only locates) the embedded files and the
/// npm packages of the backends of this build.
pub fn execute(args: SetupArgs) -> Result<ExitCode> {
    let root = jsbench_assets::cache_root().context("finding the cache folder")?;
    println!("cache folder: {}", root.display());
    let workloads = crate::embedded::workloads();
    if args.show {
        println!("workloads:    {}", workloads.location()?.display());
    } else {
        println!("workloads:    {}", crate::embedded::install_workloads()?.display());
    }
    for step in registry::steps(&registry::visible()) {
        if !args.show {
            step.run().with_context(|| format!("set-up step {step:?}"))?;
        }
        let (dir, what) = step.location().with_context(|| format!("set-up step {step:?}"))?;
        println!("{:<13} {} ({what})", format!("{step:?}:"), dir.display());
    }
    Ok(ExitCode::SUCCESS)
}
