//! The Node side: installing ComponentizeJS with npm and running
//! `js/componentize.mjs` to turn a workload into a WebAssembly component.
//!
//! The npm project (`js/package.json` and its lock file, which pin the
//! ComponentizeJS version), the script and the WIT world are embedded in the
//! binary and extracted to `<cache>/wasm-js-<hash>/` (see
//! [`jsbench_assets::Bundle`]); `npm ci` runs there, so neither the source
//! tree nor `node_modules` in it is needed.

use crate::error::WasmError;
use jsbench_assets::{Bundle, EmbeddedFile};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{LazyLock, Mutex};

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
/// Where the WIT file is inside the installed folder.
const WIT_FILE: &str = "wit/workload.wit";

/// The embedded npm project, script and WIT world.
static BUNDLE: LazyLock<Bundle> = LazyLock::new(|| {
    Bundle::new(
        "wasm-js",
        [
            EmbeddedFile {
                path: "componentize.mjs",
                contents: SCRIPT_SOURCE.as_bytes(),
            },
            EmbeddedFile {
                path: "package.json",
                contents: PACKAGE_JSON.as_bytes(),
            },
            EmbeddedFile {
                path: "package-lock.json",
                contents: include_bytes!("../js/package-lock.json"),
            },
            EmbeddedFile {
                path: WIT_FILE,
                contents: WIT_SOURCE.as_bytes(),
            },
        ],
    )
});

/// The installed npm project folder (only the path; [`ensure_installed`]
/// creates it).
pub(crate) fn js_dir() -> Result<PathBuf, WasmError> {
    Ok(BUNDLE.location()?)
}

fn installed_package_json(dir: &Path) -> PathBuf {
    dir.join("node_modules").join(COMPONENTIZE_PACKAGE).join("package.json")
}

/// Extracts the project into the cache folder (again, when the folder there
/// differs from the embedded files) and installs ComponentizeJS with
/// `npm ci` unless it is installed and current.
pub(crate) fn ensure_installed() -> Result<(), WasmError> {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let installed = BUNDLE.install()?;
    let dir = installed.path();
    // Checked apart from npm so that a missing Node gets its own message.
    run_tool(Command::new("node").arg("--version"), "node")?;
    jsbench_assets::npm::ci_if_stale(dir)?;
    if !installed_package_json(dir).is_file() {
        return Err(WasmError::NotInstalled { dir: dir.to_path_buf() });
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
    jsbench_assets::npm::pinned_dependency(PACKAGE_JSON, COMPONENTIZE_PACKAGE).unwrap_or_else(|| "unknown".to_string())
}

/// The installed ComponentizeJS version.
pub(crate) fn installed_version() -> Result<String, WasmError> {
    let dir = js_dir()?;
    let path = installed_package_json(&dir);
    if !path.is_file() {
        return Err(WasmError::NotInstalled { dir });
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
    let dir = js_dir()?;
    if !installed_package_json(&dir).is_file() {
        return Err(WasmError::NotInstalled { dir });
    }
    let work = tempfile::Builder::new()
        .prefix("jsbench-componentize-")
        .tempdir()
        .map_err(WasmError::io("creating a temporary folder in", std::env::temp_dir()))?;
    // A fixed name, so stack traces read `run@workload.mjs:…` whatever the
    // workload, and a `.mjs` one, so that Node checks it as a module.
    let source_path = work.path().join("workload.mjs");
    std::fs::write(&source_path, source).map_err(WasmError::io("writing", &source_path))?;
    let script = dir.join("componentize.mjs");
    let output = run_tool(
        Command::new("node")
            .arg(&script)
            .arg(&source_path)
            .arg(dir.join(WIT_FILE))
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

    /// A file added to `js/` must be added to the bundle too.
    #[test]
    fn the_bundle_has_every_file_of_the_source_folder() {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("js");
        for entry in std::fs::read_dir(source).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type().unwrap().is_file() {
                assert!(BUNDLE.file(&name).is_some(), "js/{name} is not embedded");
            }
        }
        assert_eq!(BUNDLE.file(WIT_FILE), Some(WIT_SOURCE.as_bytes()));
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
