//! Statistics the reports need beyond the run's own summary: quantiles,
//! geometric means, and percentile-bootstrap confidence intervals of a
//! median and of a ratio of two medians.
//!
//! The bootstrap resamples with a seeded generator so the same file always
//! renders the same report; the seed is fixed, not a source of "luck".

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Resamples used by the bootstrap; enough for stable 2.5 % / 97.5 % tails.
pub const BOOTSTRAP_RESAMPLES: usize = 2000;
/// Seed of the bootstrap generator.
const SEED: u64 = 0x006a_7362_656e_6368; // "jsbench"

/// A two-sided 95 % confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Interval {
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

impl Interval {
    /// Whether `x` lies inside (bounds included).
    pub fn contains(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }
}

/// The `q`-quantile (0..=1) of values, with linear interpolation between
/// order statistics; `None` for no values.
pub fn quantile(values: &[f64], q: f64) -> Option<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    Some(quantile_sorted(&sorted, q))
}

fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let position = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let weight = position - below as f64;
    sorted[below] * (1.0 - weight) + sorted[above] * weight
}

/// Median (`None` for no values).
pub fn median(values: &[f64]) -> Option<f64> {
    quantile(values, 0.5)
}

/// Geometric mean of the positive, finite values (`None` if there are none);
/// the runner's, so reports and run summaries agree.
pub use jsbench_runner::stats::geometric_mean;

fn resampled_median(values: &[f64], rng: &mut StdRng, scratch: &mut Vec<f64>) -> f64 {
    scratch.clear();
    scratch.extend((0..values.len()).map(|_| values[rng.random_range(0..values.len())]));
    scratch.sort_by(f64::total_cmp);
    quantile_sorted(scratch, 0.5)
}

fn finite(values: &[f64]) -> Vec<f64> {
    values.iter().copied().filter(|v| v.is_finite()).collect()
}

/// 95 % percentile-bootstrap interval of the median, computed the way the
/// runner computes the one it stores in each summary; `None` with fewer than
/// 3 samples, where an interval would say nothing.
pub fn median_interval(samples: &[f64]) -> Option<Interval> {
    let samples = finite(samples);
    if samples.len() < 3 {
        return None;
    }
    jsbench_runner::stats::bootstrap_ci(&samples, jsbench_runner::stats::median)
        .map(|(low, high)| Interval { low, high })
}

/// 95 % percentile-bootstrap interval of `median(new) / median(base)`,
/// resampling both sets independently; `None` when either set has fewer
/// than 3 samples or a median is not positive.
pub fn ratio_interval(base: &[f64], new: &[f64]) -> Option<Interval> {
    let (base, new) = (finite(base), finite(new));
    if base.len() < 3 || new.len() < 3 {
        return None;
    }
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut scratch = Vec::with_capacity(base.len().max(new.len()));
    let mut ratios = Vec::with_capacity(BOOTSTRAP_RESAMPLES);
    for _ in 0..BOOTSTRAP_RESAMPLES {
        let b = resampled_median(&base, &mut rng, &mut scratch);
        let n = resampled_median(&new, &mut rng, &mut scratch);
        if b > 0.0 {
            ratios.push(n / b);
        }
    }
    if ratios.len() < BOOTSTRAP_RESAMPLES / 2 {
        return None;
    }
    interval_of(ratios)
}

fn interval_of(mut estimates: Vec<f64>) -> Option<Interval> {
    estimates.retain(|v| v.is_finite());
    if estimates.is_empty() {
        return None;
    }
    estimates.sort_by(f64::total_cmp);
    Some(Interval {
        low: quantile_sorted(&estimates, 0.025),
        high: quantile_sorted(&estimates, 0.975),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate() {
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(2.5));
        assert_eq!(quantile(&[5.0, 1.0, 3.0], 0.0), Some(1.0));
        assert_eq!(quantile(&[5.0, 1.0, 3.0], 1.0), Some(5.0));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn geometric_mean_of_ratios() {
        assert!((geometric_mean(&[1.0, 4.0]).unwrap() - 2.0).abs() < 1e-12);
        assert_eq!(geometric_mean(&[0.0, f64::NAN]), None);
    }

    #[test]
    fn median_interval_brackets_the_median() {
        let samples: Vec<f64> = (0..50).map(|i| 100.0 + (i % 7) as f64).collect();
        let ci = median_interval(&samples).unwrap();
        let m = median(&samples).unwrap();
        assert!(ci.contains(m), "{ci:?} vs {m}");
        assert!(ci.high - ci.low < 7.0);
        assert!(median_interval(&[1.0, 2.0]).is_none());
    }

    #[test]
    fn ratio_interval_sees_a_ten_percent_shift_and_not_noise() {
        let base: Vec<f64> = (0..30).map(|i| 1000.0 + ((i * 37) % 11) as f64).collect();
        let same = ratio_interval(&base, &base).unwrap();
        assert!(same.contains(1.0), "{same:?}");
        let slower: Vec<f64> = base.iter().map(|v| v * 1.10).collect();
        let shifted = ratio_interval(&base, &slower).unwrap();
        assert!(shifted.low > 1.05 && shifted.contains(1.10), "{shifted:?}");
    }

    #[test]
    fn ratio_interval_is_deterministic() {
        let a: Vec<f64> = (0..20).map(|i| (i * i % 13) as f64 + 50.0).collect();
        let b: Vec<f64> = a.iter().map(|v| v + 3.0).collect();
        assert_eq!(ratio_interval(&a, &b), ratio_interval(&a, &b));
    }
}
