//! jsbench backends that run JavaScript in a separate runtime process:
//! Node.js, Deno or Bun, each called over HTTP or over a pipe, so six
//! backends: `node-http`, `node-pipe`, `deno-http`, `deno-pipe`, `bun-http`,
//! `bun-pipe`; and the hardened settings a plugin host would use,
//! `node-pipe-sandboxed` (Node's permission model) and `deno-pipe-sandboxed`
//! (Deno with no permissions but reading the workload's folder).
//!
//! Phases: `create` starts the process and waits until it says it is ready
//! (the cold start); `load` writes the module to a temporary file and has the
//! child `import()` it; `call` is one request and its answer, serialization
//! included, with a returned Promise awaited by the child. Every request has
//! the call timeout as its deadline: past it the child is killed
//! ([`BackendError::Timeout`]) and the next call gets a fresh child with the
//! module loaded again. A child that dies gives [`BackendError::Crashed`]
//! (or [`BackendError::OutOfMemory`] when its stderr says so) and the same
//! fresh start. The memory limit is V8's `--max-old-space-size` for Node and
//! Deno; Bun (JavaScriptCore) has no heap limit, so its descriptor says
//! `memory_limit: false`. `engine_memory` is the child's peak resident size.
//!
//! [`ProcessBackend::noop_round_trip`] measures a transport's fixed cost, and
//! [`floor`] splits it into the operating system's, the runtime's and
//! jsbench's protocol's shares.
//!
//! Before use, the parent process calls [`ensure_installed`] once (it
//! extracts the embedded server scripts into the cache folder, see
//! [`js_dir`], and runs `npm ci` there when needed) and [`availability`] per
//! backend ([`ensure_scripts`] is enough for the Node backends).
#![deny(missing_docs)]

mod backend;
mod child;
pub mod floor;
mod install;
mod runtime;
mod transport;

pub use backend::{ProcessBackend, SANDBOXED_SUFFIX};
pub use install::{ensure_installed, ensure_scripts, js_dir};
/// Why the scripts or the runtimes could not be installed.
pub use jsbench_assets::AssetError as InstallError;
pub use runtime::{Installed, Runtime, Unavailable};
pub use transport::Transport;

use jsbench_api::{BackendFactory, JsBackend};

/// The names of this crate's backends.
pub const BACKEND_NAMES: [&str; 8] = [
    "node-http",
    "node-pipe",
    "deno-http",
    "deno-pipe",
    "bun-http",
    "bun-pipe",
    "node-pipe-sandboxed",
    "deno-pipe-sandboxed",
];

fn node_http() -> Box<dyn JsBackend> {
    Box::new(ProcessBackend::new(Runtime::Node, Transport::Http))
}
fn node_pipe() -> Box<dyn JsBackend> {
    Box::new(ProcessBackend::new(Runtime::Node, Transport::Pipe))
}
fn deno_http() -> Box<dyn JsBackend> {
    Box::new(ProcessBackend::new(Runtime::Deno, Transport::Http))
}
fn deno_pipe() -> Box<dyn JsBackend> {
    Box::new(ProcessBackend::new(Runtime::Deno, Transport::Pipe))
}
fn bun_http() -> Box<dyn JsBackend> {
    Box::new(ProcessBackend::new(Runtime::Bun, Transport::Http))
}
fn bun_pipe() -> Box<dyn JsBackend> {
    Box::new(ProcessBackend::new(Runtime::Bun, Transport::Pipe))
}
fn sandboxed(runtime: Runtime) -> Box<dyn JsBackend> {
    let plain = ProcessBackend::new(runtime, Transport::Pipe);
    // Both runtimes named below have a permission model.
    Box::new(
        plain
            .sandboxed()
            .unwrap_or_else(|| ProcessBackend::new(runtime, Transport::Pipe)),
    )
}
fn node_pipe_sandboxed() -> Box<dyn JsBackend> {
    sandboxed(Runtime::Node)
}
fn deno_pipe_sandboxed() -> Box<dyn JsBackend> {
    sandboxed(Runtime::Deno)
}

/// Every backend of this crate with its factory, in [`BACKEND_NAMES`] order.
pub fn backends() -> [(&'static str, BackendFactory); 8] {
    [
        ("node-http", node_http),
        ("node-pipe", node_pipe),
        ("deno-http", deno_http),
        ("deno-pipe", deno_pipe),
        ("bun-http", bun_http),
        ("bun-pipe", bun_pipe),
        ("node-pipe-sandboxed", node_pipe_sandboxed),
        ("deno-pipe-sandboxed", deno_pipe_sandboxed),
    ]
}

/// The factory for the backend called `name`, if this crate has one. For
/// [`ProcessBackend::noop_round_trip`], build the concrete type with
/// [`ProcessBackend::from_name`] instead.
pub fn factory(name: &str) -> Option<BackendFactory> {
    backends().into_iter().find(|(n, _)| *n == name).map(|(_, f)| f)
}

/// Whether the backend called `name` can run here: `Err` says why not (no
/// such backend, or its runtime binary is missing or broken), to be shown
/// as `unavailable: <reason>`. Asks the binary its version the first time.
/// Deno and Bun before their first `npm ci` count as available when npm is
/// on `PATH`: [`ensure_installed`], the harness's set-up step, installs them.
pub fn availability(name: &str) -> Result<(), Unavailable> {
    let backend =
        ProcessBackend::from_name(name).ok_or_else(|| Unavailable(format!("no process backend is called {name:?}")))?;
    let runtime = backend.runtime();
    match runtime.locate() {
        Ok(_) => Ok(()),
        Err(_)
            if runtime.installed_by_npm() && !install::is_installed() && jsbench_assets::npm::find_npm().is_some() =>
        {
            Ok(())
        }
        Err(why) => Err(why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_matches_names() {
        let names: Vec<&str> = backends().iter().map(|(n, _)| *n).collect();
        assert_eq!(names, BACKEND_NAMES);
        for name in BACKEND_NAMES {
            let made = factory(name).expect("factory")();
            assert_eq!(made.descriptor().name, name);
        }
        assert!(factory("quickjs").is_none());
        assert!(availability("nope-http").is_err());
    }
}
