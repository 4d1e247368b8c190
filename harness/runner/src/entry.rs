//! Workloads given as an `entry` with imports: each is bundled into one ES
//! module ([`jsbench_bundle`]) before anything runs, so every backend runs
//! the same bundle, and the results record its size and hash.
//!
//! An entry inside the cache folder (the embedded suite's `realworld`
//! project, installed there) gets its npm packages first: `npm ci` in the
//! folder of its lock file, when `node_modules` is missing or stale. An
//! entry anywhere else uses the `node_modules` its project has; jsbench
//! never installs into a user's folder.
//!
//! A bundle that cannot be made fails every cell of its workload with the
//! reason (phase `prepare`): an import of a Node built-in with its import
//! chain, an unresolvable import with its file and specifier.

use crate::manifest::{Entry, Workload};
use jsbench_bundle::{BundleError, BundleRequest, Bundled};
use jsbench_schema::{BundleInfo, CellError, ErrorKind, Phase};
use std::path::Path;

/// Bundles every workload that has an entry and no bundle yet, recording
/// the bundle (source, path, size, hash) or why there is none.
pub fn bundle_entries(workloads: &mut [Workload]) {
    for workload in workloads.iter_mut() {
        bundle_workload(workload);
    }
}

/// Bundles one workload's entry (see [`bundle_entries`]).
pub fn bundle_workload(workload: &mut Workload) {
    let Some(entry) = workload.entry.clone() else {
        return;
    };
    if workload.bundle.is_some() || workload.bundle_error.is_some() {
        return;
    }
    match make(&entry) {
        Ok(bundled) => apply(workload, &entry, bundled),
        Err(error) => {
            let mut failure = cell_error(&workload.name, &error);
            if let Some(hint) = missing_install_hint(&entry.path, &error) {
                failure.message.push_str(&hint);
            }
            workload.bundle_error = Some(failure);
        }
    }
}

/// For an unresolved import in a project with a lock file but no
/// `node_modules`: the likely cause.
fn missing_install_hint(entry: &Path, error: &BundleError) -> Option<String> {
    if !matches!(error, BundleError::Unresolved { .. }) {
        return None;
    }
    let lock = jsbench_bundle::cache::nearest_lock_file(entry.parent()?)?;
    let project = lock.parent()?;
    (!project.join("node_modules").is_dir()).then(|| {
        format!(
            " ({} has a lock file but no node_modules: run `npm ci` there)",
            project.display()
        )
    })
}

fn make(entry: &Entry) -> Result<Bundled, BundleError> {
    install_dependencies(&entry.path)?;
    jsbench_bundle::bundle(&BundleRequest {
        entry: entry.path.clone(),
        external: entry.external.clone(),
    })
}

fn apply(workload: &mut Workload, entry: &Entry, bundled: Bundled) {
    workload.bundle = Some(BundleInfo {
        entry: entry.shown.clone(),
        bytes: bundled.bytes,
        sha256: bundled.sha256,
        inputs: bundled.inputs as u64,
        esbuild_version: bundled.esbuild_version,
    });
    workload.source = bundled.code;
    workload.module_path = bundled.path;
}

/// Why a workload with an entry has no bundle to run: its bundling error,
/// or (a caller that never bundled it) an internal error.
pub fn unbundled(workload: &Workload) -> Option<CellError> {
    let entry = workload.entry.as_ref()?;
    if workload.bundle.is_some() {
        return None;
    }
    Some(workload.bundle_error.clone().unwrap_or_else(|| CellError {
        kind: ErrorKind::Internal,
        phase: Phase::Prepare,
        message: format!(
            "workload `{}`: its entry {} was not bundled before the run",
            workload.name,
            entry.path.display()
        ),
        stack: None,
    }))
}

/// The error every cell of a workload whose entry did not bundle records.
pub fn cell_error(workload: &str, error: &BundleError) -> CellError {
    let kind = if error.is_workload_error() {
        ErrorKind::Syntax
    } else {
        ErrorKind::Internal
    };
    CellError {
        kind,
        phase: Phase::Prepare,
        message: format!("bundling workload `{workload}`: {error}"),
        stack: None,
    }
}

/// `npm ci` for an entry of a project installed in the cache folder.
fn install_dependencies(entry: &Path) -> Result<(), BundleError> {
    let root = jsbench_assets::cache_root()?;
    let root = std::fs::canonicalize(&root).unwrap_or(root);
    let entry = std::fs::canonicalize(entry).map_err(|_| BundleError::MissingEntry(entry.to_path_buf()))?;
    if !entry.starts_with(&root) {
        return Ok(());
    }
    let Some(project) = entry
        .ancestors()
        .skip(1)
        .take_while(|dir| dir.starts_with(&root))
        .find(|dir| dir.join("package-lock.json").is_file() && dir.join("package.json").is_file())
    else {
        return Ok(());
    };
    // One `npm ci` per folder at a time, across processes.
    let lock_path = project.join(".jsbench-npm.lock");
    let lock = std::fs::File::create(&lock_path).map_err(|e| BundleError::Io {
        action: "creating",
        path: lock_path.clone(),
        source: e,
    })?;
    lock.lock().map_err(|e| BundleError::Io {
        action: "locking",
        path: lock_path,
        source: e,
    })?;
    jsbench_assets::npm::ci_if_stale(project)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workload_errors_are_syntax_errors_of_the_prepare_phase() {
        let error = BundleError::Unresolved {
            entry: "/p/main.js".into(),
            message: "lib.js:1:8: Could not resolve \"left-pad\"".into(),
        };
        let cell = cell_error("w", &error);
        assert_eq!(cell.kind, ErrorKind::Syntax);
        assert_eq!(cell.phase, Phase::Prepare);
        assert!(cell.message.contains("bundling workload `w`"), "{}", cell.message);
        assert!(cell.message.contains("left-pad"), "{}", cell.message);
        let machine = BundleError::Script {
            status: "exit 1".into(),
            stderr: "no node".into(),
        };
        assert_eq!(cell_error("w", &machine).kind, ErrorKind::Internal);
    }

    #[test]
    fn an_unresolved_import_in_a_project_never_installed_says_so() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("package-lock.json"), "{}").unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        let entry = dir.path().join("src/main.js");
        let unresolved = BundleError::Unresolved {
            entry: entry.clone(),
            message: "Could not resolve \"acorn\"".into(),
        };
        let hint = missing_install_hint(&entry, &unresolved).unwrap();
        assert!(hint.contains("no node_modules: run `npm ci` there"), "{hint}");
        std::fs::create_dir(dir.path().join("node_modules")).unwrap();
        assert_eq!(missing_install_hint(&entry, &unresolved), None);
    }

    #[test]
    fn workloads_without_an_entry_are_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("w.js"), "export function run(i) { return i; }").unwrap();
        let text =
            "name = \"w\"\ncategory = \"c\"\ndescription = \"d\"\n[sizes.small]\ninput = \"a\"\nexpected = \"a\"\n";
        let mut workloads = crate::manifest::parse_manifest(text, &dir.path().join("w.toml")).unwrap();
        let before = workloads.clone();
        bundle_entries(&mut workloads);
        assert_eq!(workloads, before);
    }
}
