//! Summary statistics of samples: `statrs` for the descriptive statistics,
//! a seeded percentile bootstrap for the confidence interval of the median,
//! and `hdrhistogram` for per-call latency percentiles.

use hdrhistogram::Histogram;
use jsbench_schema::{ProcessRun, Summary};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use statrs::statistics::{Data, Distribution, Max, Median, Min};

/// Resamples of the bootstrap: enough for stable 2.5% / 97.5% tails.
pub const BOOTSTRAP_RESAMPLES: usize = 2000;
/// Seed of the bootstrap, so the same samples always give the same interval.
const BOOTSTRAP_SEED: u64 = 0x6a73_6265_6e63_68;

/// Median of a slice (NaN for an empty one).
pub fn median(values: &[f64]) -> f64 {
    Data::new(values.to_vec()).median()
}

/// A percentile-bootstrap 95% confidence interval of `statistic` over
/// `values`: resample with replacement, take the 2.5% and 97.5% quantiles of
/// the statistic. `None` with fewer than two values.
pub fn bootstrap_ci(values: &[f64], statistic: impl Fn(&[f64]) -> f64) -> Option<(f64, f64)> {
    if values.len() < 2 {
        return None;
    }
    let mut rng = StdRng::seed_from_u64(BOOTSTRAP_SEED);
    let mut resample = vec![0.0; values.len()];
    let mut estimates: Vec<f64> = (0..BOOTSTRAP_RESAMPLES)
        .map(|_| {
            for slot in resample.iter_mut() {
                *slot = values[rng.random_range(0..values.len())];
            }
            statistic(&resample)
        })
        .collect();
    estimates.sort_by(f64::total_cmp);
    let at = |q: f64| estimates[((estimates.len() - 1) as f64 * q).round() as usize];
    Some((at(0.025), at(0.975)))
}

/// Whether a series of timed samples has shifted level: the medians of its
/// first and second halves differ by more than `tolerance` (relative to the
/// second half). JITs can tier up, and heaps settle, well after the first
/// samples look steady; a shifted series is not yet the steady state.
/// Series shorter than four samples are never called shifted.
pub fn level_shifted(samples: &[f64], tolerance: f64) -> bool {
    if samples.len() < 4 {
        return false;
    }
    let half = samples.len() / 2;
    let before = median(&samples[..half]);
    let after = median(&samples[half..]);
    (before - after).abs() > tolerance * after.abs()
}

/// Summary of samples; `None` when there are none.
pub fn summarize(values: &[f64]) -> Option<Summary> {
    if values.is_empty() {
        return None;
    }
    let data = Data::new(values.to_vec());
    let median = data.median();
    let deviations: Vec<f64> = values.iter().map(|v| (v - median).abs()).collect();
    let ci = bootstrap_ci(values, self::median);
    Some(Summary {
        count: values.len() as u64,
        median,
        mean: data.mean().unwrap_or(median),
        stddev: data.std_dev().filter(|s| s.is_finite()).unwrap_or(0.0),
        mad: Data::new(deviations).median(),
        min: data.min(),
        max: data.max(),
        ci95_low: ci.map(|c| c.0),
        ci95_high: ci.map(|c| c.1),
        ..Summary::default()
    })
}

/// Fewest worker processes with samples for the process to be the unit of a
/// cell's median and interval (see [`estimate_values`]).
pub const MIN_PROCESSES_AS_UNIT: usize = 3;

/// The values a cell's median and its confidence interval are taken over:
/// one median per worker process when at least [`MIN_PROCESSES_AS_UNIT`]
/// processes have samples, otherwise every sample pooled.
///
/// A process is the unit a rerun repeats: a JIT's tiering choices, the heap
/// a process settles into and a noisy neighbour in the machine all move
/// whole processes, not single samples. An interval over pooled samples
/// would treat a process's twenty samples as twenty independent
/// measurements and come out far too narrow; one over process medians says
/// how far a rerun may move the median.
pub fn estimate_values(processes: &[ProcessRun]) -> Vec<f64> {
    let per_process: Vec<f64> = processes
        .iter()
        .filter(|p| !p.samples.is_empty())
        .map(|p| median(&p.samples))
        .collect();
    if per_process.len() >= MIN_PROCESSES_AS_UNIT {
        per_process
    } else {
        processes.iter().flat_map(|p| p.samples.iter().copied()).collect()
    }
}

/// Summary of a cell's processes: mean, standard deviation, median absolute
/// deviation, min and max over every sample pooled; the median and its 95%
/// bootstrap interval over [`estimate_values`]; per-call latency
/// percentiles from the processes' histograms. `None` without samples.
pub fn summarize_processes(processes: &[ProcessRun]) -> Option<Summary> {
    let pooled: Vec<f64> = processes.iter().flat_map(|p| p.samples.iter().copied()).collect();
    let mut summary = summarize(&pooled)?;
    let estimate = estimate_values(processes);
    if estimate.len() != pooled.len() {
        summary.median = median(&estimate);
        let ci = bootstrap_ci(&estimate, self::median);
        summary.ci95_low = ci.map(|c| c.0);
        summary.ci95_high = ci.map(|c| c.1);
    }
    add_latency_percentiles(&mut summary, processes.iter().map(|p| p.call_latency.as_slice()));
    Some(summary)
}

/// Relative half-width of the 95% interval of a cell's median (over
/// [`estimate_values`]), e.g. 0.02 for ±2%; `None` with too few values.
pub fn relative_precision(processes: &[ProcessRun]) -> Option<f64> {
    let estimate = estimate_values(processes);
    let centre = median(&estimate);
    let (low, high) = bootstrap_ci(&estimate, self::median)?;
    (centre > 0.0).then(|| (high - low) / 2.0 / centre)
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

/// Geometric mean of positive values (`None` if there are none).
pub fn geometric_mean(values: &[f64]) -> Option<f64> {
    let positive: Vec<f64> = values.iter().copied().filter(|v| *v > 0.0 && v.is_finite()).collect();
    if positive.is_empty() {
        return None;
    }
    let log_sum: f64 = positive.iter().map(|v| v.ln()).sum();
    Some((log_sum / positive.len() as f64).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn process(samples: &[f64]) -> ProcessRun {
        ProcessRun {
            samples: samples.to_vec(),
            ..ProcessRun::default()
        }
    }

    #[test]
    fn the_process_is_the_unit_once_there_are_three() {
        // Two processes: every sample pooled.
        let two = [process(&[1.0, 1.0, 1.0]), process(&[2.0])];
        assert_eq!(estimate_values(&two), vec![1.0, 1.0, 1.0, 2.0]);
        // Three: one median each, however many samples each has.
        let three = [
            process(&[1.0, 1.0, 1.0, 1.0, 1.0]),
            process(&[2.0]),
            process(&[3.0, 3.0]),
        ];
        assert_eq!(estimate_values(&three), vec![1.0, 2.0, 3.0]);
        let summary = summarize_processes(&three).unwrap();
        assert_eq!(
            summary.median, 2.0,
            "the median of process medians, not of the pooled samples (1.0)"
        );
        assert_eq!(summary.count, 8);
        assert_eq!(summary.min, 1.0);
        // Processes that agree give a tight interval; ones that do not, a wide one.
        let agree: Vec<ProcessRun> = (0..6).map(|i| process(&[100.0 + f64::from(i) * 0.1])).collect();
        let disagree: Vec<ProcessRun> = (0..6).map(|i| process(&[100.0 + f64::from(i) * 10.0])).collect();
        assert!(relative_precision(&agree).unwrap() < 0.01);
        assert!(relative_precision(&disagree).unwrap() > 0.1);
        assert!(summarize_processes(&[process(&[])]).is_none());
    }

    #[test]
    fn a_tier_up_midway_is_a_level_shift_and_noise_is_not() {
        // Ten samples at one level, then ten 13% faster: a JIT tiering up.
        let tiered: Vec<f64> = (0..20).map(|i| if i < 10 { 1.09 } else { 0.95 }).collect();
        assert!(level_shifted(&tiered, 0.05));
        // A periodic GC pattern around one level is steady.
        let periodic: Vec<f64> = (0..20).map(|i| [0.91, 0.97, 1.07][i % 3]).collect();
        assert!(!level_shifted(&periodic, 0.05));
        assert!(!level_shifted(&[1.0, 2.0, 3.0], 0.05), "too short to judge");
    }

    #[test]
    fn summary_of_known_values() {
        let s = summarize(&[1.0, 2.0, 3.0, 4.0, 100.0]).unwrap();
        assert_eq!(s.count, 5);
        assert_eq!(s.median, 3.0);
        assert_eq!(s.mean, 22.0);
        assert_eq!(s.min, 1.0);
        assert_eq!(s.max, 100.0);
        assert_eq!(s.mad, 1.0);
        assert!((s.stddev - 43.6176).abs() < 1e-3);
        assert!(summarize(&[]).is_none());
        assert_eq!(summarize(&[5.0]).unwrap().stddev, 0.0);
    }

    #[test]
    fn bootstrap_interval_brackets_the_median_and_narrows_with_steady_samples() {
        let noisy: Vec<f64> = (0..40).map(|i| 100.0 + ((i * 37) % 41) as f64).collect();
        let steady: Vec<f64> = (0..40).map(|i| 100.0 + ((i * 37) % 41) as f64 / 100.0).collect();
        let s = summarize(&noisy).unwrap();
        let (lo, hi) = (s.ci95_low.unwrap(), s.ci95_high.unwrap());
        assert!(lo <= s.median && s.median <= hi, "{lo} {} {hi}", s.median);
        let t = summarize(&steady).unwrap();
        assert!(t.ci95_high.unwrap() - t.ci95_low.unwrap() < (hi - lo) / 10.0);
        assert_eq!(summarize(&noisy), summarize(&noisy), "the bootstrap is seeded");
    }

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
    fn geometric_mean_of_ratios() {
        assert!((geometric_mean(&[1.0, 4.0]).unwrap() - 2.0).abs() < 1e-12);
        assert_eq!(geometric_mean(&[]), None);
    }
}
