//! Output formats of jsbench results, and the tools that work on whole
//! results files. Each format is a module with a `render` function.
//!
//! - [`table`]: the terminal summary (median per cell, relative to the
//!   fastest backend of each workload).
//! - [`advice`]: a recommendation per scenario (cli, server, plugin).
//! - [`analysis`]: what the reports show, computed once (matrix, ratios,
//!   geometric means, cold start, memory, sizes, Pareto-best backends).
//! - [`bigcode`]: module size beside load, first call and steady state.
//! - [`markdown`]: the analysis as Markdown.
//! - [`html`]: the analysis as one self-contained HTML page with charts.
//! - [`compare`]: two files cell by cell, with bootstrap intervals.
//! - [`compare_many`]: a base against several candidates, side by side.
//! - [`csv`]: one CSV line per cell.
//! - [`summary`]: the closing summary of a run and the stability line.
//! - [`listing`]: `jsbench list` and the progress lines of a run in a log.
//! - [`costmodel`]: total time of N calls per runtime and the crossovers
//!   where the fastest backend changes.
//! - [`merge`]: several files (machines, shards) into one.
//! - [`sizes`]: the one table model of binary sizes and build cost.
//! - [`history`]: a SQLite history of runs, for trend charts.
//! - [`features`]: the language-feature matrix and test262 counts.
//! - [`format`]: shared formatting of durations, sizes and cell states.
//! - [`matrix`]: the terminal matrix fitted to a width, split into tables.
//! - [`style`]: colour (on or off) for the fastest cells, regressions, failures.
//! - [`tuned`]: each tuned variant beside its plain backend, phase by phase.
//!
//! Every statistic (quantiles, geometric means, the bootstrap) comes from
//! `jsbench-stats`, the one statistics core `run` uses too.
#![deny(missing_docs)]

pub mod advice;
pub mod analysis;
pub mod bigcode;
pub mod compare;
pub mod compare_many;
pub mod concurrency;
pub mod costmodel;
pub mod csv;
pub mod density;
pub mod features;
pub mod floor;
pub mod format;
pub mod history;
pub mod html;
pub mod listing;
pub mod markdown;
pub mod matrix;
pub mod merge;
pub mod sandbox;
pub mod sizes;
pub mod style;
pub mod summary;
pub mod table;
pub mod tuned;
