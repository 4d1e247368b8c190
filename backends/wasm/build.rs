//! Records the wasmtime version the crate is built against, for the
//! backend's descriptor and its cache keys: wasmtime exposes no version
//! constant, and the workspace's `Cargo.lock` is the one place that says
//! which 48.x release was resolved.

use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let version = manifest_dir
        .ancestors()
        .map(|dir| dir.join("Cargo.lock"))
        .find(|lock| lock.is_file())
        .and_then(|lock| {
            println!("cargo::rerun-if-changed={}", lock.display());
            locked_version(&lock, "wasmtime")
        })
        .unwrap_or_else(|| "48".to_string());
    println!("cargo::rustc-env=JSBENCH_WASMTIME_VERSION={version}");
    println!("cargo::rerun-if-changed=build.rs");
}

/// The version of `package` in a Cargo.lock (the first `[[package]]` of that
/// name; the workspace resolves a single wasmtime).
fn locked_version(lock: &Path, package: &str) -> Option<String> {
    let text = std::fs::read_to_string(lock).ok()?;
    let wanted = format!("name = \"{package}\"");
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            let next = lines.next()?.trim();
            let version = next.strip_prefix("version = \"")?.strip_suffix('"')?;
            return Some(version.to_string());
        }
    }
    None
}
