//! Installing Deno and Bun from npm into `js/node_modules`.
//!
//! Both ship their binaries inside npm packages (a platform package such as
//! `@deno/linux-x64-glibc` or `@oven/bun-linux-x64`, picked by npm as an
//! optional dependency), so `npm ci` against the committed lockfile is all it
//! takes and nothing is downloaded from outside the registry.

use jsbench_api::BackendError;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// The folder holding the server scripts, `package.json` and
/// `package-lock.json` (and, once installed, `node_modules`).
pub fn js_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("js")
}

/// Why the runtimes could not be installed.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    /// npm is not on `PATH`.
    #[error("npm is not on PATH; it is needed to install Deno and Bun (`npm ci` in {dir})")]
    NpmMissing {
        /// The folder that needs `npm ci`.
        dir: PathBuf,
    },
    /// A file could not be read, or npm could not be started.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A lockfile is not what npm writes.
    #[error("{path} is not a valid npm lockfile: {why}")]
    BadLockfile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        why: String,
    },
    /// `npm ci` ran and failed.
    #[error("`npm ci` in {dir} failed ({status}): {output}")]
    NpmFailed {
        /// The folder.
        dir: PathBuf,
        /// npm's exit status.
        status: std::process::ExitStatus,
        /// The end of npm's output.
        output: String,
    },
}

impl From<InstallError> for BackendError {
    fn from(error: InstallError) -> Self {
        BackendError::Internal(error.to_string())
    }
}

/// Runs `npm ci` in [`js_dir`] when `node_modules` is missing or does not
/// match `package-lock.json`; does nothing otherwise. Call it once, in the
/// parent process, before starting workers. Safe to call from several
/// threads: they wait for one another.
pub fn ensure_installed() -> Result<(), BackendError> {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let dir = js_dir();
    if !is_stale(&dir)? {
        return Ok(());
    }
    npm_ci(&dir)?;
    Ok(())
}

fn npm_ci(dir: &Path) -> Result<(), InstallError> {
    let npm = std::env::var_os("PATH")
        .and_then(|path| {
            std::env::split_paths(&path)
                .map(|d| d.join("npm"))
                .find(|p| p.is_file())
        })
        .ok_or_else(|| InstallError::NpmMissing { dir: dir.to_path_buf() })?;
    let output = Command::new(npm)
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir)
        .output()
        .map_err(|source| InstallError::Io {
            what: format!("cannot run npm in {}", dir.display()),
            source,
        })?;
    if output.status.success() {
        return Ok(());
    }
    let mut text = String::from_utf8_lossy(&output.stderr).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stdout));
    Err(InstallError::NpmFailed {
        dir: dir.to_path_buf(),
        status: output.status,
        output: jsbench_supervise::tail_bytes(text.trim(), 2000),
    })
}

/// `node_modules` is stale when npm's own record of what it installed
/// (`node_modules/.package-lock.json`) is missing, lacks a package the
/// lockfile requires, or has another version of one.
fn is_stale(dir: &Path) -> Result<bool, InstallError> {
    let installed_path = dir.join("node_modules").join(".package-lock.json");
    if !installed_path.is_file() {
        return Ok(true);
    }
    let wanted = read_packages(&dir.join("package-lock.json"))?;
    let Ok(installed) = read_packages(&installed_path) else {
        return Ok(true);
    };
    Ok(differs(&wanted, &installed))
}

fn read_packages(path: &Path) -> Result<serde_json::Map<String, Value>, InstallError> {
    let text = std::fs::read_to_string(path).map_err(|source| InstallError::Io {
        what: format!("cannot read {}", path.display()),
        source,
    })?;
    let bad = |why: String| InstallError::BadLockfile {
        path: path.to_path_buf(),
        why,
    };
    let mut value: Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    match value.get_mut("packages").map(Value::take) {
        Some(Value::Object(packages)) => Ok(packages),
        _ => Err(bad("no `packages` object".into())),
    }
}

/// Compares the lockfile's packages with the installed ones. Optional
/// packages for other platforms are never installed, so only the version of
/// an optional package that is present is checked.
fn differs(wanted: &serde_json::Map<String, Value>, installed: &serde_json::Map<String, Value>) -> bool {
    wanted
        .iter()
        .filter(|(key, _)| key.starts_with("node_modules/"))
        .any(|(key, want)| {
            let optional = want.get("optional").and_then(Value::as_bool).unwrap_or(false);
            match installed.get(key) {
                None => !optional,
                Some(have) => have.get("version") != want.get("version"),
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn packages(value: Value) -> serde_json::Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        }
    }

    #[test]
    fn staleness() {
        let wanted = packages(json!({
            "": {"name": "x"},
            "node_modules/deno": {"version": "2.0.0"},
            "node_modules/@deno/darwin-arm64": {"version": "2.0.0", "optional": true},
            "node_modules/@deno/linux-x64-glibc": {"version": "2.0.0", "optional": true},
        }));
        let same = packages(json!({
            "node_modules/deno": {"version": "2.0.0"},
            "node_modules/@deno/linux-x64-glibc": {"version": "2.0.0", "optional": true},
        }));
        assert!(!differs(&wanted, &same));
        let old = packages(json!({
            "node_modules/deno": {"version": "1.0.0"},
            "node_modules/@deno/linux-x64-glibc": {"version": "2.0.0", "optional": true},
        }));
        assert!(differs(&wanted, &old));
        let old_platform = packages(json!({
            "node_modules/deno": {"version": "2.0.0"},
            "node_modules/@deno/linux-x64-glibc": {"version": "1.0.0", "optional": true},
        }));
        assert!(differs(&wanted, &old_platform));
        assert!(differs(&wanted, &packages(json!({}))));
    }

    #[test]
    fn the_committed_lockfile_parses() {
        let packages = read_packages(&js_dir().join("package-lock.json")).expect("lockfile");
        assert!(packages.contains_key("node_modules/deno"));
        assert!(packages.contains_key("node_modules/bun"));
    }
}
