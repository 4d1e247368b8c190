//! Conformance checks of jsbench backends, beside the benchmarks:
//!
//! - [`features`]: the language-feature matrix — one small probe module per
//!   ECMAScript feature (`workloads/features/`), run on every backend;
//! - [`test262`]: a runner for a user-provided checkout of the official
//!   test262 suite, which wraps each test into a module every backend can
//!   load;
//! - [`sandbox`]: the sandbox matrix — what JavaScript on each backend can
//!   reach on the host (`workloads/sandbox/probes.js`), checked host-side;
//! - [`pool`]: the parallel worker-process pool they use.
//!
//! Every probe and every test runs in its own worker process through
//! [`jsbench_runner::launch::run_process`], so a crash, a hang or an
//! out-of-memory in one engine only costs that one verdict.
#![deny(missing_docs)]

pub mod features;
pub mod pool;
pub mod sandbox;
pub mod test262;
