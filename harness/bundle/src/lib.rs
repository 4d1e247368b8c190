//! Bundling a workload's entry (`.js`, `.mjs`, `.ts`) with its relative
//! imports and the npm packages of its nearest `node_modules` into ONE ES
//! module for a neutral platform, with esbuild, so that every backend runs
//! the same self-contained module.
//!
//! - [`toolchain`]: esbuild (the npm package, whose platform binary comes
//!   inside the registry package) installed into the cache folder from an
//!   embedded `package.json` and lock file, like the other npm tools.
//! - [`esbuild`]: one supervised `node bundle.mjs` child per bundle, which
//!   reports the code, the input files (from esbuild's metafile) and, on
//!   failure, typed errors (a Node built-in with its import chain, an
//!   unresolvable specifier with its file).
//! - [`cache`]: bundles kept in the one artefact cache
//!   ([`jsbench_assets::artefact`]) under a key over every input file's
//!   bytes, the project's lock file, the esbuild version and the options; a
//!   hit needs neither Node nor esbuild.
#![deny(missing_docs)]

pub mod cache;
pub mod esbuild;
pub mod toolchain;

use std::path::PathBuf;

pub use cache::bundle;

/// What to bundle and how.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BundleRequest {
    /// The entry module.
    pub entry: PathBuf,
    /// Imports left as they are (e.g. a Node built-in the manifest marks
    /// external); the module then imports them at run time.
    pub external: Vec<String>,
}

/// A bundle ready to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundled {
    /// The bundle's text: one ES module.
    pub code: String,
    /// Where it is kept in the artefact cache.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// The SHA-256 of its bytes (lowercase hex).
    pub sha256: String,
    /// How many files went into it.
    pub inputs: usize,
    /// The esbuild version that built it.
    pub esbuild_version: String,
    /// Whether it came from the cache.
    pub cache_hit: bool,
}

/// Why an entry could not be bundled.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The code imports a Node built-in (`fs`, `process`, …), which a
    /// neutral bundle has no place for.
    #[error(
        "{entry}: {message} (a workload runs on engines without Node's modules; mark it `external` in the manifest only if every backend provides it)"
    )]
    NodeBuiltin {
        /// The entry.
        entry: PathBuf,
        /// esbuild's error with the import chain.
        message: String,
    },
    /// An import names nothing that can be found.
    #[error("{entry}: cannot bundle: {message}")]
    Unresolved {
        /// The entry.
        entry: PathBuf,
        /// esbuild's errors, each with file, line and specifier.
        message: String,
    },
    /// esbuild refused the code (a syntax error, an unknown loader, …).
    #[error("{entry}: esbuild failed: {message}")]
    Build {
        /// The entry.
        entry: PathBuf,
        /// esbuild's errors.
        message: String,
    },
    /// The entry is not there.
    #[error("entry {0} does not exist")]
    MissingEntry(PathBuf),
    /// Installing esbuild or using the cache failed.
    #[error(transparent)]
    Asset(#[from] jsbench_assets::AssetError),
    /// Node could not be started.
    #[error("cannot run node for esbuild: {0}")]
    Spawn(#[from] jsbench_supervise::SpawnError),
    /// The bundling script ended without an answer.
    #[error("the esbuild script failed ({status}): {stderr}")]
    Script {
        /// How it ended.
        status: String,
        /// The end of its stderr.
        stderr: String,
    },
    /// A file could not be read or written.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl BundleError {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| BundleError::Io { action, path, source }
    }

    /// Whether the error is the workload's own (an import it cannot have,
    /// code esbuild refuses) rather than of the machine (no Node, no disk).
    pub fn is_workload_error(&self) -> bool {
        matches!(
            self,
            BundleError::NodeBuiltin { .. }
                | BundleError::Unresolved { .. }
                | BundleError::Build { .. }
                | BundleError::MissingEntry(_)
        )
    }
}
