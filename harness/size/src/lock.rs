//! Reading a probe's manifest and the resolved `Cargo.lock` of its build.

use crate::error::{IoContext, Result, SizeError};
use std::path::Path;

/// `name version` for each of `crates` in a Cargo.lock (every version of a
/// crate that appears more than once); nothing when the text is no lock
/// file.
pub fn locked_versions(lock: &str, crates: &[String]) -> Vec<String> {
    let Ok(parsed) = lock.parse::<toml::Table>() else {
        return Vec::new();
    };
    let packages = parsed
        .get("package")
        .and_then(toml::Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut found = Vec::new();
    for wanted in crates {
        for package in &packages {
            let name = package.get("name").and_then(toml::Value::as_str);
            let version = package.get("version").and_then(toml::Value::as_str);
            if let (Some(name), Some(version)) = (name, version)
                && name == wanted
            {
                found.push(format!("{name} {version}"));
            }
        }
    }
    found
}

/// The `[package] name` of the manifest in `dir`.
pub fn package_name(dir: &Path) -> Result<String> {
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).doing("reading", &manifest)?;
    text.parse::<toml::Table>()
        .ok()
        .and_then(|t| t.get("package")?.get("name")?.as_str().map(str::to_string))
        .ok_or(SizeError::NoPackageName { manifest })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_versions_from_a_lock_file() {
        let lock = r#"
version = 4
[[package]]
name = "rquickjs"
version = "0.14.0"
[[package]]
name = "other"
version = "1.0.0"
[[package]]
name = "rquickjs-sys"
version = "0.14.0"
"#;
        assert_eq!(
            locked_versions(lock, &["rquickjs".into(), "rquickjs-sys".into()]),
            vec!["rquickjs 0.14.0", "rquickjs-sys 0.14.0"]
        );
        assert!(locked_versions("not toml [", &["x".into()]).is_empty());
    }

    #[test]
    fn reads_the_package_name() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Cargo.toml"), "[package]\nname = \"jsbench-size-x\"\n").unwrap();
        assert_eq!(package_name(dir.path()).unwrap(), "jsbench-size-x");
        std::fs::write(dir.path().join("Cargo.toml"), "[workspace]\n").unwrap();
        assert!(matches!(package_name(dir.path()), Err(SizeError::NoPackageName { .. })));
        assert!(package_name(&dir.path().join("none")).is_err());
    }
}
