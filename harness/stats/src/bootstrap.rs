//! Seeded percentile-bootstrap 95% confidence intervals: of a median, and of
//! a ratio of two medians (each side resampled independently).
//!
//! Every bootstrap draws [`BOOTSTRAP_RESAMPLES`] resamples from a generator
//! seeded with [`BOOTSTRAP_SEED`] and takes the 2.5% and 97.5% quantiles of
//! the resampled statistic by the one percentile rule of
//! [`crate::quantile`]. Fewer than [`MIN_SAMPLES`] finite values give no
//! interval.

use crate::quantile::{quantile_sorted, sorted_finite};
use crate::{BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, MIN_SAMPLES};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// A two-sided 95% confidence interval.
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

    /// Half the width relative to `centre` (0.02 for ±2%); `None` unless
    /// `centre` is positive.
    pub fn relative_half_width(&self, centre: f64) -> Option<f64> {
        (centre > 0.0).then(|| (self.high - self.low) / 2.0 / centre)
    }
}

fn generator() -> StdRng {
    StdRng::seed_from_u64(BOOTSTRAP_SEED)
}

/// The median of one resample (with replacement) of non-empty `values`.
fn resampled_median(values: &[f64], rng: &mut StdRng, scratch: &mut Vec<f64>) -> f64 {
    scratch.clear();
    scratch.extend((0..values.len()).map(|_| values[rng.random_range(0..values.len())]));
    scratch.sort_by(f64::total_cmp);
    quantile_sorted(scratch, 0.5)
}

/// The 2.5% and 97.5% quantiles of bootstrap estimates.
fn percentile_interval(estimates: &[f64]) -> Option<Interval> {
    let sorted = sorted_finite(estimates);
    if sorted.is_empty() {
        return None;
    }
    Some(Interval {
        low: quantile_sorted(&sorted, 0.025),
        high: quantile_sorted(&sorted, 0.975),
    })
}

/// 95% percentile-bootstrap interval of the median of the finite values;
/// `None` with fewer than [`MIN_SAMPLES`] of them.
pub fn median_interval(values: &[f64]) -> Option<Interval> {
    let values = sorted_finite(values);
    if values.len() < MIN_SAMPLES {
        return None;
    }
    let mut rng = generator();
    let mut scratch = Vec::with_capacity(values.len());
    let estimates: Vec<f64> = (0..BOOTSTRAP_RESAMPLES)
        .map(|_| resampled_median(&values, &mut rng, &mut scratch))
        .collect();
    percentile_interval(&estimates)
}

/// 95% percentile-bootstrap interval of `median(new) / median(base)`,
/// resampling both sets independently; `None` when either set has fewer
/// than [`MIN_SAMPLES`] finite values or most resampled base medians are
/// not positive.
pub fn ratio_interval(base: &[f64], new: &[f64]) -> Option<Interval> {
    let (base, new) = (sorted_finite(base), sorted_finite(new));
    if base.len() < MIN_SAMPLES || new.len() < MIN_SAMPLES {
        return None;
    }
    let mut rng = generator();
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
    percentile_interval(&ratios)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::median;

    #[test]
    fn median_interval_brackets_the_median() {
        let samples: Vec<f64> = (0..50).map(|i| 100.0 + (i % 7) as f64).collect();
        let ci = median_interval(&samples).unwrap();
        let m = median(&samples).unwrap();
        assert!(ci.contains(m), "{ci:?} vs {m}");
        assert!(ci.high - ci.low < 7.0);
    }

    #[test]
    fn too_few_values_give_no_interval() {
        // The one minimum-sample rule, for a median and for a ratio.
        assert!(median_interval(&[1.0, 2.0]).is_none());
        assert!(median_interval(&[1.0, 2.0, f64::NAN]).is_none(), "NaN does not count");
        assert!(median_interval(&[1.0, 2.0, 3.0]).is_some());
        assert!(ratio_interval(&[1.0, 2.0], &[1.0, 2.0, 3.0]).is_none());
        assert!(ratio_interval(&[1.0, 2.0, 3.0], &[1.0, 2.0]).is_none());
        assert!(ratio_interval(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0]).is_some());
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
    fn bootstraps_are_deterministic() {
        let a: Vec<f64> = (0..20).map(|i| (i * i % 13) as f64 + 50.0).collect();
        let b: Vec<f64> = a.iter().map(|v| v + 3.0).collect();
        assert_eq!(ratio_interval(&a, &b), ratio_interval(&a, &b));
        assert_eq!(median_interval(&a), median_interval(&a));
    }

    #[test]
    fn the_tails_follow_the_percentile_rule() {
        // Every resampled median of a constant set is that constant.
        let ci = median_interval(&[4.0, 4.0, 4.0, 4.0]).unwrap();
        assert_eq!((ci.low, ci.high), (4.0, 4.0));
        assert_eq!(ci.relative_half_width(4.0), Some(0.0));
        assert_eq!(ci.relative_half_width(0.0), None);
        // The 2.5% / 97.5% quantiles of 0..=40, interpolated: 1.0 and 39.0.
        let estimates: Vec<f64> = (0..=40).map(f64::from).collect();
        let tails = percentile_interval(&estimates).unwrap();
        assert_eq!((tails.low, tails.high), (1.0, 39.0));
    }
}
