//! `jsbench setup`: installs, ahead of the first run, what `run` would
//! install on demand, and says where it all lives. Everything goes below
//! the cache folder ([`jsbench_assets::cache_root`]); nothing is written
//! into the source tree.

use crate::cli::SetupArgs;
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
    #[cfg(feature = "process")]
    {
        if !args.show {
            jsbench_process::ensure_installed().map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        println!(
            "process-js:   {} (server scripts; Deno and Bun in node_modules)",
            jsbench_process::js_dir()?.display()
        );
    }
    #[cfg(feature = "wasm")]
    {
        if !args.show {
            jsbench_wasm::ensure_installed().map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        println!(
            "wasm-js:      {} (ComponentizeJS)",
            jsbench_wasm::toolchain_dir()?.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
