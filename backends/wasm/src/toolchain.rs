//! The Node side: installing ComponentizeJS with npm and running
//! `js/componentize.mjs` to turn a workload into a WebAssembly component.
//!
//! The npm project lives in the crate (`js/package.json` and its lock file),
//! so the ComponentizeJS version is pinned in the repository; its
//! `node_modules` is installed on demand and ignored by git.

use crate::error::WasmError;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The WIT world every workload is compiled to, kept in the crate.
pub(crate) const WIT_SOURCE: &str = include_str!("../wit/workload.wit");
/// The world's name in [`WIT_SOURCE`].
pub(crate) const WORLD: &str = "workload";
/// The Node script that calls ComponentizeJS; part of the cache key, since
/// its options (the disabled WASI features) shape the component.
pub(crate) const SCRIPT_SOURCE: &str = include_str!("../js/componentize.mjs");
/// The npm manifest, which pins the ComponentizeJS version.
const PACKAGE_JSON: &str = include_str!("../js/package.json");
const COMPONENTIZE_PACKAGE: &str = "@bytecodealliance/componentize-js";

/// The crate's npm project folder.
pub(crate) fn js_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("js")
}

/// The crate's WIT file.
pub(crate) fn wit_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("wit").join("workload.wit")
}

fn installed_package_json() -> PathBuf {
    js_dir()
        .join("node_modules")
        .join(COMPONENTIZE_PACKAGE)
        .join("package.json")
}

/// Whether ComponentizeJS is installed.
pub(crate) fn is_installed() -> bool {
    installed_package_json().is_file()
}

/// Installs ComponentizeJS with `npm ci` unless it is installed already.
pub(crate) fn ensure_installed() -> Result<(), WasmError> {
    if is_installed() {
        return Ok(());
    }
    let dir = js_dir();
    // Checked apart from npm so that a missing Node gets its own message.
    run_tool(Command::new("node").arg("--version"), "node")?;
    let output = run_tool(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir),
        "npm",
    )?;
    if !output.status.success() {
        return Err(WasmError::NpmFailed {
            dir,
            status: output.status,
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    if !is_installed() {
        return Err(WasmError::NotInstalled { dir });
    }
    Ok(())
}

fn run_tool(command: &mut Command, program: &'static str) -> Result<Output, WasmError> {
    command
        .output()
        .map_err(|source| WasmError::ToolMissing { program, source })
}

/// The `"version"` field of a package.json text.
fn version_field(package_json: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(package_json).ok()?;
    Some(value.get("version")?.as_str()?.to_string())
}

/// The ComponentizeJS version pinned in `js/package.json`.
pub(crate) fn pinned_version() -> String {
    serde_json::from_str::<serde_json::Value>(PACKAGE_JSON)
        .ok()
        .and_then(|v| {
            v.get("dependencies")?
                .get(COMPONENTIZE_PACKAGE)?
                .as_str()
                .map(str::to_string)
        })
        .unwrap_or_else(|| "unknown".to_string())
}

/// The installed ComponentizeJS version.
pub(crate) fn installed_version() -> Result<String, WasmError> {
    let path = installed_package_json();
    if !path.is_file() {
        return Err(WasmError::NotInstalled { dir: js_dir() });
    }
    let text = std::fs::read_to_string(&path).map_err(WasmError::io("reading", &path))?;
    version_field(&text).ok_or_else(|| WasmError::Io {
        action: "reading the version from",
        path,
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, "no \"version\" field"),
    })
}

/// Compiles `source` (the module text) to a component at `out`.
pub(crate) fn componentize(source: &str, out: &Path) -> Result<(), WasmError> {
    if !is_installed() {
        return Err(WasmError::NotInstalled { dir: js_dir() });
    }
    let work = tempfile::Builder::new()
        .prefix("jsbench-componentize-")
        .tempdir()
        .map_err(WasmError::io("creating a temporary folder in", std::env::temp_dir()))?;
    // A fixed name, so stack traces read `run@workload.mjs:…` whatever the
    // workload, and a `.mjs` one, so that Node checks it as a module.
    let source_path = work.path().join("workload.mjs");
    std::fs::write(&source_path, source).map_err(WasmError::io("writing", &source_path))?;
    let script = js_dir().join("componentize.mjs");
    let output = run_tool(
        Command::new("node")
            .arg(&script)
            .arg(&source_path)
            .arg(wit_path())
            .arg(WORLD)
            .arg(out)
            .current_dir(work.path()),
        "node",
    )?;
    let stderr = String::from_utf8_lossy(&output.stderr).trim().to_string();
    match output.status.code() {
        Some(0) => Ok(()),
        Some(3) => Err(WasmError::Syntax(stderr)),
        Some(4) => Err(WasmError::BadModule(stderr)),
        _ => Err(WasmError::Componentize {
            status: output.status,
            stderr,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_version_is_exact() {
        let version = pinned_version();
        assert!(version.chars().next().is_some_and(|c| c.is_ascii_digit()), "{version}");
    }

    #[test]
    fn version_field_reads_package_json() {
        assert_eq!(
            version_field(r#"{"name":"x","version":"1.2.3"}"#).as_deref(),
            Some("1.2.3")
        );
        assert_eq!(version_field("not json"), None);
    }
}
