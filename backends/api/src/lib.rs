//! The one abstraction of jsbench: [`JsBackend`], a way of running a
//! JavaScript module from Rust, split into the phases a user pays for.
//!
//! A backend goes through `prepare` (build-time work, optional), `create`
//! (a fresh runtime: the cold start), `load` (parse and compile the workload
//! module) and then `call` (the module's `run(input: string): string`), once
//! for the first call and many times for the steady state. Every failure is a
//! typed [`BackendError`] so the harness can report the same error kinds for
//! every engine.
#![deny(missing_docs)]

#[cfg(feature = "contract")]
pub mod contract;
pub mod mock;

pub use jsbench_schema::{BackendKind, BuildCosts, Bytes, Capabilities, ErrorKind, Nanos, Transport};
use std::path::PathBuf;
use std::time::Duration;

/// A failure of a backend, the same kinds for every engine.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BackendError {
    /// The module did not parse or compile.
    #[error("syntax error: {message}")]
    Syntax {
        /// The engine's message, with a location where it gives one.
        message: String,
    },
    /// JavaScript threw (an Error or any other value).
    #[error("uncaught exception: {message}")]
    Exception {
        /// The thrown value, as a string.
        message: String,
        /// The JavaScript stack, when the engine gives one.
        stack: Option<String>,
    },
    /// A call ran past the per-call timeout and was stopped.
    #[error("timed out after {} ms", .limit.as_millis())]
    Timeout {
        /// The timeout that was exceeded.
        limit: Duration,
    },
    /// The engine ran out of its memory limit.
    #[error("out of memory: {message}")]
    OutOfMemory {
        /// What the engine said.
        message: String,
    },
    /// The backend cannot do what was asked (e.g. no host callbacks).
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// The engine, or a process it runs in, died.
    #[error("crashed: {0}")]
    Crashed(String),
    /// A problem in the backend's glue code or its environment.
    #[error("internal error: {0}")]
    Internal(String),
}

impl BackendError {
    /// The error kind recorded in results.
    pub fn kind(&self) -> ErrorKind {
        match self {
            BackendError::Syntax { .. } => ErrorKind::Syntax,
            BackendError::Exception { .. } => ErrorKind::Exception,
            BackendError::Timeout { .. } => ErrorKind::Timeout,
            BackendError::OutOfMemory { .. } => ErrorKind::OutOfMemory,
            BackendError::Unsupported(_) => ErrorKind::Unsupported,
            BackendError::Crashed(_) => ErrorKind::Crashed,
            BackendError::Internal(_) => ErrorKind::Internal,
        }
    }

    /// The JavaScript stack, for exceptions that carry one.
    pub fn stack(&self) -> Option<&str> {
        match self {
            BackendError::Exception { stack, .. } => stack.as_deref(),
            _ => None,
        }
    }
}

/// Limits applied uniformly to every backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest a single call of `run` may take.
    pub call_timeout: Duration,
    /// Most memory the engine may use.
    pub memory_limit: Bytes,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            call_timeout: Duration::from_secs(10),
            memory_limit: 1 << 30,
        }
    }
}

/// A workload module: an ES module exporting `run(input: string): string`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadModule {
    /// Workload name (used as the module name in engines that want one).
    pub name: String,
    /// The module source text.
    pub source: String,
    /// Where the source came from, when it came from a file.
    pub path: Option<PathBuf>,
}

/// Static facts about a backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Descriptor {
    /// Name on the command line and in results (e.g. `quickjs`).
    pub name: String,
    /// Engine name (e.g. `QuickJS`).
    pub engine: String,
    /// Engine version.
    pub engine_version: String,
    /// Which way of running JS this is.
    pub kind: BackendKind,
    /// What the backend can do.
    pub capabilities: Capabilities,
    /// Engine flags in effect.
    pub flags: Vec<String>,
}

/// A way of running JavaScript from Rust.
///
/// The harness calls the methods in order: [`prepare`](JsBackend::prepare)
/// (optional), [`create`](JsBackend::create), [`load`](JsBackend::load), then
/// [`call`](JsBackend::call) any number of times. Each phase is timed by the
/// caller, so implementations do only that phase's work in each method.
pub trait JsBackend {
    /// Name, engine, version and capabilities.
    fn descriptor(&self) -> Descriptor;

    /// Build-time work for a module (e.g. compiling it to a component),
    /// with what it cost and produced; the harness records these apart from
    /// the run-time phases. Most backends need none: `Ok(None)`.
    fn prepare(&mut self, _module: &WorkloadModule) -> Result<Option<BuildCosts>, BackendError> {
        Ok(None)
    }

    /// Creates a fresh runtime with the given limits (the cold start).
    fn create(&mut self, limits: &Limits) -> Result<(), BackendError>;

    /// Parses, compiles and evaluates the module, and finds its `run` export.
    fn load(&mut self, module: &WorkloadModule) -> Result<(), BackendError>;

    /// Calls `run(input)` and returns its result. A returned Promise is
    /// settled first, where the backend supports promises.
    fn call(&mut self, input: &str) -> Result<String, BackendError>;

    /// Memory the engine reports using now, where it reports any.
    fn engine_memory(&mut self) -> Option<Bytes> {
        None
    }
}

/// Builds a backend by name: the object-safe entry point of a backend crate.
pub type BackendFactory = fn() -> Box<dyn JsBackend>;

/// Error for a call made before `create`/`load`.
pub fn not_ready(what: &str) -> BackendError {
    BackendError::Internal(format!("{what} called before the runtime was ready"))
}

/// Name of the global function that backends with the `host_callback`
/// capability install before loading a module.
pub const HOST_CALLBACK_NAME: &str = "jsbenchHost";

/// Name of the global structured host function that backends with the
/// `host_value` capability install: it takes a record `{ id, name, tags,
/// point: { x, y } }` and returns `{ id, units, norm }` (the UTF-16 length of
/// name and tags, x² + y²), see `workloads/embedding/host-value.js`.
pub const HOST_VALUE_NAME: &str = "jsbenchHostValue";

/// The host (Rust) function behind [`HOST_CALLBACK_NAME`]: takes a string and
/// returns its length in UTF-16 code units (JavaScript's `length`) as decimal
/// text, so a workload can check that the host really ran.
pub fn host_callback(arg: &str) -> String {
    arg.encode_utf16().count().to_string()
}

/// Name of the native function behind the harness's `console`; the
/// [`CONSOLE_PRELUDE`] takes it off the global object.
pub const CONSOLE_PRINT_NAME: &str = "__jsbenchPrint";

/// The one host environment every embedded backend gives a workload, on top
/// of the engine's ECMAScript built-ins and [`HOST_CALLBACK_NAME`]: a
/// `console` whose `log`, `info`, `debug`, `warn`, `error` and `trace` write
/// one line to the worker's stderr (never to stdout, which may carry the
/// protocol) and never throw. Run as a script after [`CONSOLE_PRINT_NAME`]
/// is installed as a native function taking one string.
pub const CONSOLE_PRELUDE: &str = r#"(() => {
  const print = globalThis.__jsbenchPrint;
  delete globalThis.__jsbenchPrint;
  const show = (value) => {
    if (typeof value === "string") return value;
    try {
      const json = JSON.stringify(value);
      return json === undefined ? String(value) : json;
    } catch {
      try { return String(value); } catch { return Object.prototype.toString.call(value); }
    }
  };
  const console = {};
  for (const level of ["log", "info", "debug", "warn", "error", "trace"]) {
    console[level] = (...args) => { print(level + ": " + args.map(show).join(" ")); };
  }
  Object.defineProperty(globalThis, "console", { value: console, writable: true, configurable: true, enumerable: false });
})();"#;

/// The Rust side of [`CONSOLE_PRINT_NAME`]: one line on stderr.
pub fn console_print(line: &str) {
    eprintln!("console.{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_callback_counts_utf16_units() {
        assert_eq!(host_callback(""), "0");
        assert_eq!(host_callback("abc"), "3");
        assert_eq!(host_callback("é😀"), "3");
    }

    #[test]
    fn error_kinds_match_variants() {
        let e = BackendError::Timeout {
            limit: Duration::from_millis(1500),
        };
        assert_eq!(e.kind(), ErrorKind::Timeout);
        assert!(e.to_string().contains("1500 ms"));
        assert_eq!(BackendError::Unsupported("x".into()).to_string(), "unsupported: x");
    }
}
