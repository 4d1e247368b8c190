//! `npm ci` in an installed bundle, only when its `node_modules` is missing
//! or out of date, judged by npm's own record of what it installed
//! (`node_modules/.package-lock.json`) against the bundle's lock file.

use crate::AssetError;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The version a `package.json` (its text) pins for the dependency `name`,
/// `None` when it names none (or is not JSON).
pub fn pinned_dependency(package_json: &str, name: &str) -> Option<String> {
    serde_json::from_str::<Value>(package_json)
        .ok()?
        .get("dependencies")?
        .get(name)?
        .as_str()
        .map(str::to_string)
}

/// Runs `npm ci` in `dir` (which has `package.json` and
/// `package-lock.json`) unless [`is_stale`] says its `node_modules` is
/// current. The caller holds the bundle's install lock, so no two processes
/// run npm in one folder at a time.
pub fn ci_if_stale(dir: &Path) -> Result<(), AssetError> {
    if is_stale(dir)? {
        ci(dir)?;
    }
    Ok(())
}

/// `npm` on `PATH`, if there is one.
pub fn find_npm() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("npm"))
        .find(|p| p.is_file())
}

fn ci(dir: &Path) -> Result<(), AssetError> {
    let npm = find_npm().ok_or_else(|| AssetError::NpmMissing { dir: dir.to_path_buf() })?;
    let output = Command::new(npm)
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir)
        .output()
        .map_err(AssetError::io("running npm in", dir))?;
    if output.status.success() {
        return Ok(());
    }
    let mut text = String::from_utf8_lossy(&output.stderr).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stdout));
    Err(AssetError::NpmFailed {
        dir: dir.to_path_buf(),
        status: output.status,
        output: jsbench_supervise::tail_bytes(text.trim(), 2000),
    })
}

/// `node_modules` is stale when npm's record of what it installed is
/// missing, unreadable, lacks a package the lock file requires, or has
/// another version of one.
pub fn is_stale(dir: &Path) -> Result<bool, AssetError> {
    let installed_path = dir.join("node_modules").join(".package-lock.json");
    if !installed_path.is_file() {
        return Ok(true);
    }
    let lock_path = dir.join("package-lock.json");
    let lock = std::fs::read_to_string(&lock_path).map_err(AssetError::io("reading", &lock_path))?;
    let wanted = lock_packages(&lock).map_err(|why| AssetError::BadLockfile { path: lock_path, why })?;
    let installed = std::fs::read_to_string(&installed_path)
        .ok()
        .and_then(|text| lock_packages(&text).ok());
    Ok(installed.is_none_or(|installed| differs(&wanted, &installed)))
}

/// The `packages` object of a lock file's text.
pub fn lock_packages(text: &str) -> Result<serde_json::Map<String, Value>, String> {
    let mut value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    match value.get_mut("packages").map(Value::take) {
        Some(Value::Object(packages)) => Ok(packages),
        _ => Err("no `packages` object".into()),
    }
}

/// Compares the lock file's packages with the installed ones. Optional
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

    #[test]
    fn pinned_dependencies_are_read_from_package_json() {
        let json = r#"{"dependencies": {"esbuild": "0.28.2"}}"#;
        assert_eq!(pinned_dependency(json, "esbuild").as_deref(), Some("0.28.2"));
        assert_eq!(pinned_dependency(json, "acorn"), None);
        assert_eq!(pinned_dependency("not json", "esbuild"), None);
    }
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
    fn a_folder_without_node_modules_or_with_a_broken_record_is_stale() {
        let dir = tempfile::tempdir().unwrap();
        let lock = json!({"packages": {"": {}, "node_modules/a": {"version": "1.0.0"}}});
        std::fs::write(dir.path().join("package-lock.json"), lock.to_string()).unwrap();
        assert!(is_stale(dir.path()).unwrap());
        std::fs::create_dir(dir.path().join("node_modules")).unwrap();
        let record = dir.path().join("node_modules/.package-lock.json");
        std::fs::write(&record, "{ half written").unwrap();
        assert!(is_stale(dir.path()).unwrap());
        std::fs::write(&record, lock.to_string()).unwrap();
        assert!(!is_stale(dir.path()).unwrap());
        std::fs::write(dir.path().join("package-lock.json"), "nope").unwrap();
        assert!(matches!(is_stale(dir.path()), Err(AssetError::BadLockfile { .. })));
    }
}
