//! Errors of the backend's own machinery (Node, npm, ComponentizeJS, the
//! cache, wasmtime), kept typed here and turned into the harness's
//! [`BackendError`] kinds at the trait boundary.

use jsbench_api::BackendError;
use std::path::PathBuf;

/// A failure of the toolchain or the cache, before any JavaScript runs.
#[derive(Debug, thiserror::Error)]
pub enum WasmError {
    /// A program the backend needs (node, npm) could not be started.
    #[error("`{program}` could not be started ({source}); the wasm-component backend needs Node.js (and npm) on PATH")]
    ToolMissing {
        /// The program name.
        program: &'static str,
        /// Why it could not be started.
        source: std::io::Error,
    },
    /// ComponentizeJS is not installed yet.
    #[error(
        "ComponentizeJS is not installed in {dir}: call jsbench_wasm::ensure_installed() first (or run `npm ci` there)"
    )]
    NotInstalled {
        /// The folder that lacks `node_modules`.
        dir: PathBuf,
    },
    /// The module is not valid JavaScript.
    #[error("{0}")]
    Syntax(String),
    /// The module is valid JavaScript but not a usable workload: its top
    /// level threw while ComponentizeJS initialised it, or it exports no `run`.
    #[error("{0}")]
    BadModule(String),
    /// ComponentizeJS itself failed.
    #[error("componentize failed ({status}):\n{stderr}")]
    Componentize {
        /// The script's exit status.
        status: std::process::ExitStatus,
        /// What it printed on stderr.
        stderr: String,
    },
    /// A file of the backend or its cache could not be read or written.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done (e.g. "writing").
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The cache folder is unknown, or the embedded project or its npm
    /// packages could not be installed there.
    #[error(transparent)]
    Install(#[from] jsbench_assets::AssetError),
    /// wasmtime refused a component or a configuration.
    #[error("wasmtime: {0}")]
    Wasmtime(String),
}

impl WasmError {
    /// An I/O error with what was being done and where.
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| WasmError::Io { action, path, source }
    }

    /// A wasmtime error, with its chain of causes.
    pub(crate) fn wasmtime(error: wasmtime::Error) -> Self {
        WasmError::Wasmtime(format!("{error:#}"))
    }
}

impl From<WasmError> for BackendError {
    fn from(error: WasmError) -> Self {
        match error {
            WasmError::Syntax(message) => BackendError::Syntax { message },
            WasmError::BadModule(message) => BackendError::Exception { message, stack: None },
            other => BackendError::Internal(other.to_string()),
        }
    }
}
