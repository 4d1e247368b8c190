//! The one statistics core of jsbench, shared by `run` (the summary of each
//! cell and its adaptive stopping rule), `check`, `compare`, `history`, the
//! reports and `size`, so that every interval anywhere follows one rule.
//!
//! - [`quantile`]: the percentile rule (linear interpolation between order
//!   statistics) and the median and MAD built on it.
//! - [`bootstrap`]: seeded percentile-bootstrap 95% intervals of a median
//!   and of a ratio of two medians.
//! - [`summary`]: the descriptive summary of a set of samples, geometric
//!   means and the level-shift test of a series.
//! - [`unit`]: the process as the unit of a cell's median and interval.
//!
//! Nothing here knows about engines or measurement; the runner adds its
//! per-call latency percentiles on top.
#![deny(missing_docs)]

pub mod bootstrap;
pub mod quantile;
pub mod summary;
pub mod unit;

pub use bootstrap::{Interval, median_interval, ratio_interval};
pub use quantile::{mad, median, quantile};
pub use summary::{geometric_mean, level_shifted, summarize};
pub use unit::{MIN_PROCESSES_AS_UNIT, estimate_values, relative_precision, summarize_processes};

/// Resamples of every bootstrap: enough for stable 2.5% / 97.5% tails.
pub const BOOTSTRAP_RESAMPLES: usize = 2000;

/// Seed of every bootstrap ("jsbench" in ASCII), so the same samples always
/// give the same interval and the same file always renders the same report.
pub const BOOTSTRAP_SEED: u64 = 0x006a_7362_656e_6368;

/// Fewest (finite) values an interval is computed from, for a median and for
/// each side of a ratio: with one or two values a bootstrap interval says
/// nothing (it is the values themselves), so none is given.
pub const MIN_SAMPLES: usize = 3;
