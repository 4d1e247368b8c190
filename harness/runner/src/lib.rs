//! The jsbench runner: what a benchmark run is made of.
//!
//! - [`manifest`]: workload manifests and their discovery;
//! - [`protocol`]: the request/event protocol with worker processes;
//! - [`worker`]: the worker side, which drives one backend through a workload;
//! - [`launch`]: the harness side of one worker process, with its limits;
//! - [`run`]: the plan of cells, shuffled rounds, aggregation and saving;
//! - [`stats`]: summary statistics;
//! - [`baseline`]: memory of an engine that runs nothing;
//! - [`check`]: stability checks of measured cells;
//! - [`callgrind`]: deterministic instruction counts under valgrind;
//! - [`machine`]: machine metadata.
#![deny(missing_docs)]

pub mod baseline;
pub mod callgrind;
pub mod check;
pub mod concurrency;
pub mod density;
pub mod entry;
pub mod launch;
pub mod machine;
pub mod manifest;
pub mod protocol;
pub mod run;
pub mod stats;
pub mod worker;
