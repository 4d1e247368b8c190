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
        println!(
            "esbuild:      {}",
            jsbench_bundle::toolchain::project().location()?.display()
        );
    } else {
        let dir = crate::embedded::install_workloads()?;
        println!("workloads:    {}", dir.display());
        bundle_suite(&dir)?;
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

/// Installs esbuild and the suite's npm packages and bundles every entry
/// of the suite (the `realworld` workloads) into the artefact cache.
fn bundle_suite(dir: &std::path::Path) -> Result<()> {
    let suite = jsbench_runner::manifest::load_suite(dir)
        .with_context(|| format!("loading the workload suite in {}", dir.display()))?;
    let mut entries: Vec<_> = suite.into_iter().filter(|w| w.entry.is_some()).collect();
    jsbench_runner::entry::bundle_entries(&mut entries);
    let bytes: u64 = entries.iter().filter_map(|w| w.bundle.as_ref()).map(|b| b.bytes).sum();
    let made = entries.iter().filter(|w| w.bundle.is_some()).count();
    let folder = jsbench_assets::cache_root()?.join(jsbench_bundle::cache::KIND);
    println!(
        "bundles:      {} ({made} of {} entries, {:.1} MiB, esbuild {})",
        folder.display(),
        entries.len(),
        bytes as f64 / (1024.0 * 1024.0),
        jsbench_bundle::toolchain::pinned_version()
    );
    for workload in &entries {
        if let Some(error) = &workload.bundle_error {
            eprintln!("  {}", error.message);
        }
    }
    Ok(())
}
