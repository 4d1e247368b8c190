//! What the binary carries with it so that it runs without its source tree:
//! the workload suite (`workloads/`) and, for `jsbench size`, the probe
//! programs (`harness/size-probes/`) with the workspace's `Cargo.lock`.
//!
//! Both are compiled in (`include_dir!`) and extracted on first use into the
//! cache folder as content-hashed folders (`<cache>/workloads-<hash>/`,
//! `<cache>/size-probes-<hash>/`), checked against the embedded files each
//! time they are installed (see [`jsbench_assets::Bundle`]).

use anyhow::{Context, Result};
use include_dir::{Dir, include_dir};
use jsbench_assets::{Bundle, EmbeddedFile};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

static WORKLOADS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../workloads");
static SIZE_PROBES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../size-probes");
static CARGO_LOCK: &[u8] = include_bytes!("../../../Cargo.lock");

static WORKLOADS_BUNDLE: LazyLock<Bundle> = LazyLock::new(|| Bundle::new("workloads", files_of(&WORKLOADS, "")));
static SIZE_PROBES_BUNDLE: LazyLock<Bundle> = LazyLock::new(|| {
    let mut files = files_of(&SIZE_PROBES, "size-probes/");
    files.push(EmbeddedFile {
        path: "Cargo.lock",
        contents: CARGO_LOCK,
    });
    Bundle::new("size-probes", files)
});

/// Every file below `dir`, with `prefix` before its path. Paths are leaked
/// once per process to get `'static` strings (a few hundred short ones).
fn files_of(dir: &'static Dir<'static>, prefix: &str) -> Vec<EmbeddedFile> {
    let mut files = Vec::new();
    collect(dir, prefix, &mut files);
    files
}

fn collect(dir: &'static Dir<'static>, prefix: &str, out: &mut Vec<EmbeddedFile>) {
    for file in dir.files() {
        let path = format!("{prefix}{}", slashed(file.path()));
        out.push(EmbeddedFile {
            path: Box::leak(path.into_boxed_str()),
            contents: file.contents(),
        });
    }
    for sub in dir.dirs() {
        // Installed npm packages are never embedded (they are installed
        // into the cache folder by `npm ci`); `.gitignore` keeps them out of
        // the checkout, and this out of the binary should one be there.
        if sub.path().file_name().is_some_and(|n| n == "node_modules") {
            continue;
        }
        collect(sub, prefix, out);
    }
}

fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The embedded workload suite.
pub fn workloads() -> &'static Bundle {
    &WORKLOADS_BUNDLE
}

/// Installs the embedded workload suite and returns its folder.
pub fn install_workloads() -> Result<PathBuf> {
    let bundle = workloads();
    let installed = bundle.install().context("installing the embedded workload suite")?;
    Ok(installed.into_path())
}

/// Installs the size probes and returns the folder holding `size-probes/`
/// and `Cargo.lock`.
pub fn install_size_probes() -> Result<PathBuf> {
    let installed = SIZE_PROBES_BUNDLE
        .install()
        .context("installing the embedded size probes")?;
    Ok(installed.into_path())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suite_is_embedded_whole() {
        let bundle = workloads();
        assert!(bundle.file("FORMAT.md").is_some());
        assert!(bundle.file("compute/fib.toml").is_some());
        assert!(bundle.file("compute/fib.js").is_some());
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../workloads");
        let on_disk = jsbench_runner::manifest::find_manifests(&source).unwrap().len();
        let embedded = bundle.files().iter().filter(|f| f.path.ends_with(".toml")).count();
        assert_eq!(embedded, on_disk, "every manifest of workloads/ is embedded");
    }

    #[test]
    fn the_installed_suite_loads() {
        let root = tempfile::tempdir().unwrap();
        let dir = workloads().install_in(root.path()).unwrap().into_path();
        let suite = jsbench_runner::manifest::load_suite(&dir).unwrap();
        assert!(suite.iter().any(|w| w.name == "fib"), "fib is in the suite");
        assert!(suite.iter().all(|w| w.manifest.starts_with(&dir)));
    }

    #[test]
    fn the_size_probes_come_with_the_lock_file() {
        let bundle = &*SIZE_PROBES_BUNDLE;
        assert!(bundle.file("Cargo.lock").is_some());
        assert!(bundle.file("size-probes/baseline/Cargo.toml").is_some());
        assert!(bundle.file("size-probes/quickjs/src/main.rs").is_some());
    }
}
