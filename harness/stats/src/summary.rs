//! The descriptive summary of a set of samples (statrs for the mean and
//! standard deviation; the median, MAD and interval by this crate's rules),
//! geometric means of ratios, and the level-shift test of a series.

use crate::{mad, median, median_interval};
use jsbench_schema::Summary;
use statrs::statistics::{Data, Distribution, Max, Min};

/// Summary of the finite samples: count, median, mean, sample standard
/// deviation, MAD, min, max and the 95% bootstrap interval of the median
/// (see [`median_interval`]); `None` when there are none. The latency
/// percentiles are left empty for the runner to fill.
pub fn summarize(values: &[f64]) -> Option<Summary> {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let centre = median(&finite)?;
    let ci = median_interval(&finite);
    let data = Data::new(finite.clone());
    Some(Summary {
        count: finite.len() as u64,
        median: centre,
        mean: data.mean().unwrap_or(centre),
        stddev: data.std_dev().filter(|s| s.is_finite()).unwrap_or(0.0),
        mad: mad(&finite).unwrap_or(0.0),
        min: data.min(),
        max: data.max(),
        ci95_low: ci.map(|c| c.low),
        ci95_high: ci.map(|c| c.high),
        ..Summary::default()
    })
}

/// Geometric mean of the positive, finite values (`None` if there are none).
pub fn geometric_mean(values: &[f64]) -> Option<f64> {
    let positive: Vec<f64> = values.iter().copied().filter(|v| *v > 0.0 && v.is_finite()).collect();
    if positive.is_empty() {
        return None;
    }
    let log_sum: f64 = positive.iter().map(|v| v.ln()).sum();
    Some((log_sum / positive.len() as f64).exp())
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
    match (median(&samples[..half]), median(&samples[half..])) {
        (Some(before), Some(after)) => (before - after).abs() > tolerance * after.abs(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            summarize(&[1.0, 2.0, 3.0, 4.0]).unwrap().median,
            2.5,
            "the one percentile rule"
        );
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
        assert_eq!(
            summarize(&[1.0, 2.0]).unwrap().ci95_low,
            None,
            "too few for an interval"
        );
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
    fn geometric_mean_of_ratios() {
        assert!((geometric_mean(&[1.0, 4.0]).unwrap() - 2.0).abs() < 1e-12);
        assert_eq!(geometric_mean(&[]), None);
        assert_eq!(geometric_mean(&[0.0, f64::NAN]), None);
    }
}
