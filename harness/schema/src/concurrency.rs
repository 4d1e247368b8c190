//! Concurrency, written by `jsbench concurrency`: throughput and tail
//! latency with C callers at once, each with its own runtime (a thread per
//! caller for embedded and wasm backends, a runtime process per caller for
//! process backends), all in one worker.

use crate::CellError;
use serde::{Deserialize, Serialize};

/// One backend's series over caller counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConcurrencyReport {
    /// Backend name.
    pub backend: String,
    /// The workload called.
    pub workload: String,
    /// One point per caller count reached, ascending.
    #[serde(default)]
    pub points: Vec<ConcurrencyPoint>,
    /// What stopped the series, if anything.
    #[serde(default)]
    pub error: Option<CellError>,
}

/// Throughput and latency with `callers` callers at once.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ConcurrencyPoint {
    /// Callers calling at once, each on its own runtime.
    pub callers: u32,
    /// Calls completed by all callers in the measured window.
    pub calls: u64,
    /// Length of the measured window, in seconds.
    pub seconds: f64,
    /// Median latency of one call, in nanoseconds.
    pub p50_ns: u64,
    /// 99th-percentile latency of one call, in nanoseconds.
    pub p99_ns: u64,
}

impl ConcurrencyPoint {
    /// Calls per second, all callers together.
    pub fn throughput(&self) -> f64 {
        if self.seconds > 0.0 {
            self.calls as f64 / self.seconds
        } else {
            0.0
        }
    }
}

impl ConcurrencyReport {
    /// Throughput at this point over throughput with one caller (`None`
    /// without a one-caller point).
    pub fn scaling(&self, point: &ConcurrencyPoint) -> Option<f64> {
        let one = self.points.iter().find(|p| p.callers == 1)?.throughput();
        (one > 0.0).then(|| point.throughput() / one)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_is_throughput_over_one_caller() {
        let point = |callers, calls| ConcurrencyPoint {
            callers,
            calls,
            seconds: 2.0,
            p50_ns: 1,
            p99_ns: 2,
        };
        let r = ConcurrencyReport {
            backend: "v8".into(),
            workload: "fib".into(),
            points: vec![point(1, 100), point(2, 180)],
            error: None,
        };
        assert_eq!(r.points[1].throughput(), 90.0);
        assert_eq!(r.scaling(&r.points[1]), Some(1.8));
    }
}
