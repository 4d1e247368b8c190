//! esbuild, installed into the cache folder: the npm project (`js/package.json`
//! and its lock file, which pin the esbuild version) and the bundling script
//! are embedded in the binary and extracted to `<cache>/bundle-js-<hash>/`
//! (see [`jsbench_assets::Bundle`]), where `npm ci` installs esbuild with
//! the platform binary that comes inside its registry package.

use crate::BundleError;
use jsbench_assets::{Bundle, EmbeddedFile};
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};

/// The Node script that calls esbuild's JS API; part of the cache key,
/// since it holds the bundling options.
pub const SCRIPT_SOURCE: &str = include_str!("../js/bundle.mjs");
/// The npm manifest, which pins the esbuild version.
const PACKAGE_JSON: &str = include_str!("../js/package.json");
/// The script's name inside the installed folder.
const SCRIPT: &str = "bundle.mjs";

static PROJECT: LazyLock<Bundle> = LazyLock::new(|| {
    Bundle::new(
        "bundle-js",
        [
            EmbeddedFile {
                path: SCRIPT,
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
        ],
    )
});

/// The embedded npm project (for `jsbench setup --show`).
pub fn project() -> &'static Bundle {
    &PROJECT
}

/// The esbuild version pinned in `js/package.json` (and its lock file).
pub fn pinned_version() -> String {
    jsbench_assets::npm::pinned_dependency(PACKAGE_JSON, "esbuild").unwrap_or_else(|| "unknown".to_string())
}

/// Extracts the project into the cache folder (again, when the folder there
/// differs from the embedded files), runs `npm ci` unless esbuild is
/// installed and current, and returns the path of the bundling script.
pub fn ensure_installed() -> Result<PathBuf, BundleError> {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let installed = PROJECT.install()?;
    let dir = installed.path();
    jsbench_assets::npm::ci_if_stale(dir)?;
    let script = dir.join(SCRIPT);
    if !esbuild_package(dir).is_file() {
        return Err(BundleError::Script {
            status: "not installed".into(),
            stderr: format!("`npm ci` in {} did not install esbuild", dir.display()),
        });
    }
    Ok(script)
}

fn esbuild_package(dir: &Path) -> PathBuf {
    dir.join("node_modules").join("esbuild").join("package.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_pinned_exactly_and_locked() {
        let version = pinned_version();
        assert!(version.chars().all(|c| c.is_ascii_digit() || c == '.'), "{version}");
        let lock = PROJECT.file("package-lock.json").unwrap();
        let packages = jsbench_assets::npm::lock_packages(std::str::from_utf8(lock).unwrap()).unwrap();
        let locked = packages["node_modules/esbuild"]["version"].as_str().unwrap();
        assert_eq!(locked, version, "package.json and the lock file agree");
    }

    /// A file added to `js/` must be added to the project too.
    #[test]
    fn every_file_of_the_source_folder_is_embedded() {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("js");
        for entry in std::fs::read_dir(source).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type().unwrap().is_file() {
                assert!(PROJECT.file(&name).is_some(), "js/{name} is not embedded");
            }
        }
    }
}
