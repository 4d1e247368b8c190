//! The server scripts and their npm project, embedded in the binary and
//! installed into the cache folder, where `npm ci` installs Deno and Bun.
//!
//! The scripts (`js/*.mjs`), `package.json` and `package-lock.json` are
//! compiled in and extracted to `<cache>/process-js-<hash>/` (see
//! [`jsbench_assets::Bundle`]), so the binary runs without its source tree.
//! Deno and Bun ship their binaries inside npm packages (a platform package
//! such as `@deno/linux-x64-glibc` or `@oven/bun-linux-x64`, picked by npm
//! as an optional dependency), so `npm ci` against the embedded lock file is
//! all it takes and nothing is downloaded from outside the registry.

use jsbench_api::BackendError;
use jsbench_assets::{AssetError, Bundle, EmbeddedFile};
use std::path::PathBuf;
use std::sync::{LazyLock, Mutex};

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        [$(EmbeddedFile { path: $name, contents: include_bytes!(concat!("../js/", $name)) }),*]
    };
}

/// The embedded npm project: the server scripts, `package.json` and its lock.
static BUNDLE: LazyLock<Bundle> = LazyLock::new(|| {
    Bundle::new(
        "process-js",
        embed!(
            "common.mjs",
            "echo-http.mjs",
            "echo-pipe.mjs",
            "server-http.mjs",
            "server-pipe.mjs",
            "package.json",
            "package-lock.json",
        ),
    )
});

/// The folder holding the server scripts, `package.json` and
/// `package-lock.json` (and, once installed, `node_modules`):
/// `<cache>/process-js-<hash>`. Only computes the path; [`ensure_installed`]
/// creates it.
pub fn js_dir() -> Result<PathBuf, AssetError> {
    BUNDLE.location()
}

/// An install failure as the harness sees it: jsbench's own, not the
/// JavaScript's.
pub(crate) fn internal(error: AssetError) -> BackendError {
    BackendError::Internal(error.to_string())
}

/// Extracts the scripts into [`js_dir`] (again, when the folder there does
/// not match them) and runs `npm ci` there when `node_modules` is missing or
/// does not match `package-lock.json`; does nothing otherwise. Call it once,
/// in the parent process, before starting workers. Safe to call from
/// several threads and processes: they wait for one another.
pub fn ensure_installed() -> Result<(), BackendError> {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let installed = BUNDLE.install().map_err(internal)?;
    jsbench_assets::npm::ci_if_stale(installed.path()).map_err(internal)?;
    Ok(())
}

/// Extracts the server scripts into [`js_dir`] (again, when the folder
/// there does not match them), without `npm ci`: all that the Node backends
/// need, since Node is the system one.
pub fn ensure_scripts() -> Result<(), BackendError> {
    BUNDLE.install().map(drop).map_err(internal)
}

/// Whether `npm ci` has put `node_modules` into [`js_dir`] already.
pub(crate) fn is_installed() -> bool {
    js_dir().is_ok_and(|dir| jsbench_assets::npm::is_stale(&dir).is_ok_and(|stale| !stale))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_lockfile_parses() {
        let lock = BUNDLE.file("package-lock.json").expect("embedded lock file");
        let packages = jsbench_assets::npm::lock_packages(std::str::from_utf8(lock).unwrap()).expect("lockfile");
        assert!(packages.contains_key("node_modules/deno"));
        assert!(packages.contains_key("node_modules/bun"));
    }

    #[test]
    fn every_script_is_embedded() {
        for script in ["server-http.mjs", "server-pipe.mjs", "common.mjs"] {
            assert!(BUNDLE.file(script).is_some_and(|s| !s.is_empty()), "{script}");
        }
        assert!(js_dir().unwrap().ends_with(BUNDLE.folder_name()));
    }

    /// A file added to `js/` must be added to the bundle too.
    #[test]
    fn the_bundle_has_every_file_of_the_source_folder() {
        let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("js");
        for entry in std::fs::read_dir(source).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type().unwrap().is_file() {
                assert!(BUNDLE.file(&name).is_some(), "js/{name} is not embedded");
            }
        }
    }
}
