//! Output formats of jsbench results. Each format is a module with a
//! `render` function taking a [`Results`](jsbench_schema::Results).
//!
//! - [`table`]: the terminal summary (median per cell, relative to the
//!   fastest backend of each workload).
//! - [`format`]: shared formatting of durations, sizes and cell states.
#![deny(missing_docs)]

pub mod format;
pub mod table;
