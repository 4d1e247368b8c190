//! Output formats of jsbench results, and the tools that work on whole
//! results files. Each format is a module with a `render` function.
//!
//! - [`table`]: the terminal summary (median per cell, relative to the
//!   fastest backend of each workload).
//! - [`advice`]: a recommendation per scenario (cli, server, plugin).
//! - [`analysis`]: what the reports show, computed once (matrix, ratios,
//!   geometric means, cold start, memory, sizes, Pareto-best backends).
//! - [`markdown`]: the analysis as Markdown.
//! - [`html`]: the analysis as one self-contained HTML page with charts.
//! - [`compare`]: two files cell by cell, with bootstrap intervals.
//! - [`costmodel`]: total time of N calls per runtime and the crossovers
//!   where the fastest backend changes.
//! - [`merge`]: several files (machines, shards) into one.
//! - [`sizes`]: the one table model of binary sizes and build cost.
//! - [`history`]: a SQLite history of runs, for trend charts.
//! - [`features`]: the language-feature matrix and test262 counts.
//! - [`format`]: shared formatting of durations, sizes and cell states.
//! - [`tuned`]: each tuned variant beside its plain backend, phase by phase.
//!
//! Every statistic (quantiles, geometric means, the bootstrap) comes from
//! `jsbench-stats`, the one statistics core `run` uses too.
#![deny(missing_docs)]

pub mod advice;
pub mod analysis;
pub mod compare;
pub mod costmodel;
pub mod features;
pub mod format;
pub mod history;
pub mod html;
pub mod markdown;
pub mod merge;
pub mod sizes;
pub mod table;
pub mod tuned;
