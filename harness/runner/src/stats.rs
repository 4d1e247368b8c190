//! The run's statistics: the shared core of [`jsbench_stats`] (re-exported
//! here, so the run, `check` and `compare` follow one rule), plus what only
//! the runner measures: per-call latency histograms (`hdrhistogram`) and the
//! p50/p95/p99 they give a cell's summary.

use hdrhistogram::Histogram;
use jsbench_schema::{ProcessRun, Summary};
pub use jsbench_stats::{
    BOOTSTRAP_RESAMPLES, MIN_PROCESSES_AS_UNIT, estimate_values, geometric_mean, level_shifted, median,
    relative_precision, summarize,
};

/// Summary of a cell's processes ([`jsbench_stats::summarize_processes`]:
/// the process as the unit of the median and its interval) with the
/// per-call latency percentiles of the processes' histograms. `None`
/// without samples.
pub fn summarize_processes(processes: &[ProcessRun]) -> Option<Summary> {
    let mut summary = jsbench_stats::summarize_processes(processes)?;
    add_latency_percentiles(&mut summary, processes.iter().map(|p| p.call_latency.as_slice()));
    Some(summary)
}

/// A latency histogram (1 ns to 1 hour, 3 significant digits).
pub fn latency_histogram() -> Histogram<u64> {
    // The bounds are constants that hdrhistogram accepts.
    Histogram::new_with_bounds(1, 3_600_000_000_000, 3).unwrap_or_else(|_| Histogram::new(3).expect("sigfig 3"))
}

/// The histogram as `(value, count)` pairs, for the results file.
pub fn histogram_pairs(histogram: &Histogram<u64>) -> Vec<(u64, u64)> {
    histogram
        .iter_recorded()
        .map(|v| (v.value_iterated_to(), v.count_at_value()))
        .collect()
}

/// Adds per-call latency percentiles (p50, p95, p99) from the histograms of
/// several processes to a summary.
pub fn add_latency_percentiles<'a>(summary: &mut Summary, histograms: impl Iterator<Item = &'a [(u64, u64)]>) {
    let mut merged = latency_histogram();
    for pairs in histograms {
        for &(value, count) in pairs {
            merged.saturating_record_n(value, count);
        }
    }
    if merged.is_empty() {
        return;
    }
    summary.p50 = Some(merged.value_at_quantile(0.50) as f64);
    summary.p95 = Some(merged.value_at_quantile(0.95) as f64);
    summary.p99 = Some(merged.value_at_quantile(0.99) as f64);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_percentiles_from_merged_histograms() {
        let mut a = latency_histogram();
        for v in 1..=90u64 {
            a.record(v * 10).unwrap();
        }
        let mut b = latency_histogram();
        for _ in 0..10 {
            b.record(10_000).unwrap();
        }
        let (pa, pb) = (histogram_pairs(&a), histogram_pairs(&b));
        let mut s = Summary::default();
        add_latency_percentiles(&mut s, [pa.as_slice(), pb.as_slice()].into_iter());
        assert!((s.p50.unwrap() - 500.0).abs() <= 10.0, "{:?}", s.p50);
        assert!((s.p95.unwrap() - 10_000.0).abs() <= 10.0, "{:?}", s.p95);
    }

    #[test]
    fn a_cell_summary_has_the_core_median_and_the_latency_percentiles() {
        let process = |samples: &[f64], latency: Vec<(u64, u64)>| ProcessRun {
            samples: samples.to_vec(),
            call_latency: latency,
            ..ProcessRun::default()
        };
        let runs = [
            process(&[1.0, 1.0, 1.0], vec![(100, 5)]),
            process(&[2.0], vec![(100, 5)]),
            process(&[3.0, 3.0], Vec::new()),
        ];
        let summary = summarize_processes(&runs).unwrap();
        assert_eq!(
            Some(summary.median),
            jsbench_stats::summarize_processes(&runs).map(|s| s.median)
        );
        assert_eq!(summary.median, 2.0);
        assert!((summary.p50.unwrap() - 100.0).abs() <= 1.0, "{:?}", summary.p50);
    }
}
