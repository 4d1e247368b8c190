//! The cost model: what N calls of one workload in one runtime cost on each
//! backend, and where the fastest backend changes.
//!
//! For a cell that ran correctly, the total time of N calls in a fresh
//! runtime is `create + load + first + (N - 1) · steady`: the cold start
//! (each phase's median over the cell's processes) plus the steady state's
//! median per call. A command-line tool that runs a script once pays the
//! N = 1 end; a server that calls the same function all day, the slope.
//! Each backend is a line in N, so the fastest backend at each N is the
//! lower envelope of the lines, and [`envelope`] walks it from N = 1: the
//! backend with the cheapest cold start first, then each backend whose
//! cheaper steady state overtakes it, at the call count where it does.
//!
//! Intervals: the fixed part's interval is the bootstrap interval of the
//! median of the per-process cold starts (three processes at least), the
//! steady part's is the one the run recorded; `total_interval` adds them.

use crate::format::duration;
use jsbench_schema::{Cell, CellStatus, Results};
use jsbench_stats::Interval;
use serde::Serialize;

/// One backend's line for one workload and size.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostLine {
    /// Backend name.
    pub backend: String,
    /// Workload name.
    pub workload: String,
    /// Input size.
    pub size: String,
    /// Median of `create + load + first call` over the processes (ns).
    pub fixed_ns: f64,
    /// Interval of that median, with three processes or more.
    pub fixed_interval: Option<Interval>,
    /// Median steady-state time per call (ns).
    pub steady_ns: f64,
    /// The run's interval of the steady median.
    pub steady_interval: Option<Interval>,
}

impl CostLine {
    /// Total time of `calls` calls in one runtime (ns); `calls` ≥ 1.
    pub fn total(&self, calls: f64) -> f64 {
        self.fixed_ns + (calls - 1.0).max(0.0) * self.steady_ns
    }

    /// The interval of [`total`](Self::total), when both parts have one.
    pub fn total_interval(&self, calls: f64) -> Option<Interval> {
        let (fixed, steady) = (self.fixed_interval?, self.steady_interval?);
        let n = (calls - 1.0).max(0.0);
        Some(Interval {
            low: fixed.low + n * steady.low,
            high: fixed.high + n * steady.high,
        })
    }
}

/// The line of a cell: `None` unless it ran correctly with every
/// cold-start phase and a steady state.
pub fn line(cell: &Cell) -> Option<CostLine> {
    if cell.status != CellStatus::Ok {
        return None;
    }
    let summary = cell.summary?;
    let fixed: Vec<f64> = cell
        .processes
        .iter()
        .filter_map(|p| {
            let phases = p.phases;
            Some((phases.create? + phases.load? + phases.first_call?) as f64)
        })
        .collect();
    let fixed_ns = jsbench_stats::median(&fixed)?;
    let steady_interval = match (summary.ci95_low, summary.ci95_high) {
        (Some(low), Some(high)) if low <= high => Some(Interval { low, high }),
        _ => None,
    };
    let usable = |x: f64| x.is_finite() && x >= 0.0;
    (usable(fixed_ns) && usable(summary.median) && summary.median > 0.0).then(|| CostLine {
        backend: cell.backend.clone(),
        workload: cell.workload.clone(),
        size: cell.size.clone(),
        fixed_ns,
        fixed_interval: jsbench_stats::median_interval(&fixed),
        steady_ns: summary.median,
        steady_interval,
    })
}

/// A stretch of call counts over which one backend is the fastest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    /// The fastest backend there.
    pub backend: String,
    /// First call count of the stretch (1 for the first segment); a
    /// crossover is fractional, the first whole count after it is
    /// `from_calls.ceil()`.
    pub from_calls: f64,
    /// Where the next backend takes over; `None` for the last stretch.
    pub to_calls: Option<f64>,
}

/// The lower envelope of `lines` (one workload and size) from N = 1: who
/// is fastest from where to where. Ties at N = 1 go to the cheaper steady
/// state; lines that are never the fastest do not appear.
pub fn envelope(lines: &[CostLine]) -> Vec<Segment> {
    let Some(mut current) = lines.iter().min_by(|a, b| {
        a.fixed_ns
            .total_cmp(&b.fixed_ns)
            .then(a.steady_ns.total_cmp(&b.steady_ns))
    }) else {
        return Vec::new();
    };
    let mut from = 1.0;
    let mut segments = Vec::new();
    loop {
        // The next line to overtake the current one: the earliest
        // intersection after `from` among those with a cheaper slope.
        let next = lines
            .iter()
            .filter(|l| l.steady_ns < current.steady_ns)
            .map(|l| {
                (
                    1.0 + (l.fixed_ns - current.fixed_ns) / (current.steady_ns - l.steady_ns),
                    l,
                )
            })
            .filter(|(at, _)| *at >= from)
            .min_by(|(a, la), (b, lb)| a.total_cmp(b).then(la.steady_ns.total_cmp(&lb.steady_ns)));
        match next {
            Some((at, line)) => {
                segments.push(Segment {
                    backend: current.backend.clone(),
                    from_calls: from,
                    to_calls: Some(at),
                });
                current = line;
                from = at;
            }
            None => {
                segments.push(Segment {
                    backend: current.backend.clone(),
                    from_calls: from,
                    to_calls: None,
                });
                return segments;
            }
        }
    }
    // (The loop ends: each step moves to a strictly cheaper slope.)
}

/// The cost model of one workload and size: its lines and envelope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkloadCosts {
    /// Workload name.
    pub workload: String,
    /// Input size.
    pub size: String,
    /// One line per backend that ran it correctly, in the results' order.
    pub lines: Vec<CostLine>,
    /// Who is fastest for which call counts.
    pub envelope: Vec<Segment>,
}

impl WorkloadCosts {
    /// The backend with the smallest total for `calls` calls.
    pub fn fastest_at(&self, calls: f64) -> Option<&CostLine> {
        self.lines
            .iter()
            .min_by(|a, b| a.total(calls).total_cmp(&b.total(calls)))
    }

    /// "quickjs 1.2 ms": the fastest backend for `calls` calls and its total.
    pub fn fastest_text(&self, calls: f64) -> String {
        self.fastest_at(calls)
            .map(|l| format!("{} {}", l.backend, duration(l.total(calls))))
            .unwrap_or_default()
    }
}

/// The cost model of every workload and size of `results` that at least
/// two backends ran correctly, in the order the results list them.
pub fn analyze(results: &Results) -> Vec<WorkloadCosts> {
    let mut out: Vec<WorkloadCosts> = Vec::new();
    for cell in &results.cells {
        let Some(line) = line(cell) else { continue };
        match out
            .iter_mut()
            .find(|w| w.workload == cell.workload && w.size == cell.size)
        {
            Some(w) => w.lines.push(line),
            None => out.push(WorkloadCosts {
                workload: cell.workload.clone(),
                size: cell.size.clone(),
                lines: vec![line],
                envelope: Vec::new(),
            }),
        }
    }
    out.retain(|w| w.lines.len() >= 2);
    for w in &mut out {
        w.envelope = envelope(&w.lines);
    }
    out
}

/// A crossover as people say it: "~40".
pub fn calls(at: f64) -> String {
    let n = at.ceil().max(1.0);
    if n < 1e4 { format!("~{n}") } else { format!("~{n:.1e}") }
}

/// The envelope in words: "quickjs below ~40 calls, v8 above".
pub fn sentence(envelope: &[Segment]) -> String {
    match envelope {
        [] => String::new(),
        [only] => format!("{} at every call count", only.backend),
        _ => {
            let mut parts = Vec::new();
            for (i, s) in envelope.iter().enumerate() {
                let part = match (i, s.to_calls) {
                    (0, Some(to)) => format!("{} below {} calls", s.backend, calls(to)),
                    (_, Some(to)) => format!("{} from {} to {}", s.backend, calls(s.from_calls), calls(to)),
                    (_, None) => format!("{} above", s.backend),
                };
                parts.push(part);
            }
            parts.join(", ")
        }
    }
}

/// The terminal and Markdown section: per workload, the total for one
/// call and for 1000 calls on the fastest backend of each, and the
/// crossovers. Empty when no workload has two backends to compare.
pub fn render(results: &Results) -> String {
    let costs = analyze(results);
    if costs.is_empty() {
        return String::new();
    }
    let mut out =
        String::from("\nCalls per runtime (create + load + first + (N-1)·steady; fastest backend by call count):\n");
    for w in &costs {
        out.push_str(&format!(
            "  {} ({}): {}. N=1: {}; N=1000: {}\n",
            w.workload,
            w.size,
            sentence(&w.envelope),
            w.fastest_text(1.0),
            w.fastest_text(1000.0)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(backend: &str, fixed: f64, steady: f64) -> CostLine {
        CostLine {
            backend: backend.into(),
            workload: "w".into(),
            size: "small".into(),
            fixed_ns: fixed,
            fixed_interval: None,
            steady_ns: steady,
            steady_interval: None,
        }
    }

    #[test]
    fn cells_become_lines_from_their_phases_and_steady_median() {
        let results = crate::analysis::tests::fixture(&[
            ("a", "w1", &[10.0, 11.0, 12.0]),
            ("b", "w1", &[20.0, 21.0, 22.0]),
            ("b", "w2", &[20.0]),
            ("a", "w3", &[]),
            ("b", "w3", &[5.0]),
        ]);
        let costs = analyze(&results);
        // w2 and w3 have one backend that ran correctly: nothing to compare.
        assert_eq!(costs.len(), 1);
        let w1 = &costs[0];
        assert_eq!(w1.workload, "w1");
        let a = &w1.lines[0];
        assert_eq!((a.backend.as_str(), a.fixed_ns), ("a", 1250.0));
        assert_eq!(a.steady_ns, results.cells[0].summary.unwrap().median);
        assert_eq!(w1.fastest_at(1.0).map(|l| l.backend.as_str()), Some("a"));
        assert_eq!(sentence(&w1.envelope), "a at every call count");
        assert!(render(&results).contains("w1 (small): a at every call count"));
    }

    #[test]
    fn totals_add_the_steady_state_after_the_first_call() {
        let l = line("a", 1000.0, 10.0);
        assert_eq!(l.total(1.0), 1000.0);
        assert_eq!(l.total(101.0), 2000.0);
        let with = CostLine {
            fixed_interval: Some(Interval {
                low: 900.0,
                high: 1100.0,
            }),
            steady_interval: Some(Interval { low: 9.0, high: 11.0 }),
            ..l.clone()
        };
        assert_eq!(
            with.total_interval(11.0),
            Some(Interval {
                low: 990.0,
                high: 1210.0
            })
        );
        assert_eq!(l.total_interval(11.0), None);
    }

    #[test]
    fn the_cheap_start_wins_until_the_fast_steady_state_catches_up() {
        // quickjs: 1 ms to start, 100 µs a call; v8: 5 ms, 10 µs.
        // 1e6 + (n-1)·1e5 = 5e6 + (n-1)·1e4 → n - 1 = 4e6 / 9e4 = 44.4.
        let lines = [line("quickjs", 1e6, 1e5), line("v8", 5e6, 1e4)];
        let e = envelope(&lines);
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].backend, "quickjs");
        let at = e[0].to_calls.unwrap();
        assert!((at - (1.0 + 4e6 / 9e4)).abs() < 1e-9, "{at}");
        assert_eq!(
            (e[1].backend.as_str(), e[1].from_calls, e[1].to_calls),
            ("v8", at, None)
        );
        assert_eq!(sentence(&e), "quickjs below ~46 calls, v8 above");
        // Both ends agree with the totals.
        assert!(lines[0].total(45.0) < lines[1].total(45.0));
        assert!(lines[0].total(46.0) > lines[1].total(46.0));
    }

    #[test]
    fn three_backends_and_one_that_is_never_fastest() {
        let lines = [
            line("fast-start", 1e5, 1e5),
            line("never", 1e7, 1e5),
            line("middle", 1e6, 1e4),
            line("jit", 1e7, 1e3),
        ];
        let e = envelope(&lines);
        let names: Vec<&str> = e.iter().map(|s| s.backend.as_str()).collect();
        assert_eq!(names, ["fast-start", "middle", "jit"]);
        assert!(e[0].to_calls.unwrap() < e[1].to_calls.unwrap());
        assert_eq!(
            sentence(&e),
            "fast-start below ~11 calls, middle from ~11 to ~1001, jit above"
        );
    }

    #[test]
    fn one_dominant_backend_and_ties() {
        let e = envelope(&[line("a", 1e5, 1e3), line("b", 1e6, 1e4)]);
        assert_eq!(e.len(), 1);
        assert_eq!(sentence(&e), "a at every call count");
        // Same start: the cheaper steady state is fastest from N = 1 on.
        let e = envelope(&[line("slow", 1e5, 1e4), line("quick", 1e5, 1e3)]);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].backend, "quick");
        assert!(envelope(&[]).is_empty());
    }
}
