//! The V8 backend: Google's V8 embedded through the `v8` crate (rusty_v8),
//! in two variants that share all the code:
//!
//! - `v8`: the normal engine, with its JIT tiers (Sparkplug, Maglev, TurboFan);
//! - `v8-jitless`: the same engine started with `--jitless`, so it only
//!   interprets (Ignition), like engines on platforms that forbid JIT.
//!
//! V8 flags are process-wide and frozen once the platform is initialised, so
//! one process can only run one variant: [`init_process`] picks it (the
//! harness runs each backend in its own worker process). `create` calls it
//! too, so a caller that forgets gets the right variant or a clear error.
//!
//! Each runtime is one isolate with one context. Limits are enforced inside
//! the engine: the call timeout by a per-runtime watchdog thread that
//! terminates execution at the deadline, the memory limit by the isolate's
//! heap limit plus a near-heap-limit callback that terminates execution
//! instead of letting V8 abort the process.
//!
//! The [`watchdog`], [`end_phase`] and [`string_result`] are public for the
//! other backend on this V8 (`deno-core`), which stops, ends and reads
//! calls the same way.
//!
//! Two tuned variants of the JIT backend start faster with an artefact
//! made at `prepare` time: [`codecache`] (`v8-codecache`: the module
//! compiled from a V8 code cache) and [`snapshot`] (`v8-snapshot`: the
//! isolate started from a snapshot with the module evaluated); [`tuned`]
//! holds what they share with `deno-core-snapshot`.
#![deny(missing_docs)]

mod backend;
pub mod codecache;
mod convert;
mod platform;
pub mod snapshot;
pub mod tuned;
pub mod watchdog;

pub use backend::{NAME_JIT, NAME_JITLESS, V8Backend};
pub use codecache::CodeCacheBackend;
pub use convert::{Failure, end_phase, string_result};
pub use platform::{InitError, init_process, v8_version};
pub use snapshot::SnapshotBackend;
