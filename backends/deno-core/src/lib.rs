//! The deno_core backend: V8 through `deno_core`, the layer Deno and many
//! embedders (rustyscript, …) build on, measured against the raw `v8` crate
//! (backends/v8) on the same V8 build.
//!
//! Each runtime is one `JsRuntime` with its own current-thread tokio
//! runtime. The workload is loaded as the main ES module through a module
//! loader ([`loader`]) that serves only the workload; `run` is taken from the
//! module namespace and called through `JsRuntime::call_with_args`, with
//! promises driven by deno_core's event loop. The host callback
//! `jsbenchHost` and the harness console are ops ([`ops`]). Limits are
//! enforced inside the engine as in backends/v8: the call timeout by a
//! watchdog thread that terminates execution, the memory limit by the heap
//! limits plus a near-heap-limit callback that terminates execution instead
//! of letting V8 abort the process.
//!
//! [`snapshot`] is the tuned variant `deno-core-snapshot`: runtimes from a
//! deno_core start-up snapshot made at `prepare` time with the module
//! evaluated.
//!
//! deno_core initialises V8 once per process with its own flags, so this
//! backend cannot share a process with `v8` or `v8-jitless` (the registry
//! gives them one `one_per_process` key).
#![deny(missing_docs)]

mod backend;
mod errors;
mod loader;
mod ops;
pub mod snapshot;

pub use backend::{DENO_CORE_VERSION, DenoCoreBackend, NAME, V8_FLAGS};
pub use snapshot::SnapshotBackend;
