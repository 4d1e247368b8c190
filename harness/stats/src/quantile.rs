//! The one percentile rule of jsbench, and the median and median absolute
//! deviation built on it.
//!
//! A `q`-quantile is taken by **linear interpolation between order
//! statistics** (Hyndman & Fan's type 7, the default of R and NumPy): over
//! the `n` sorted values `x[0] ..= x[n-1]`, the quantile sits at position
//! `h = q·(n-1)` and is `x[⌊h⌋] + (h-⌊h⌋)·(x[⌊h⌋+1] - x[⌊h⌋])`. So the
//! 0-quantile is the minimum, the 1-quantile the maximum, and the median of
//! an even count the mean of the two middle values. The tails of every
//! bootstrap interval are taken by the same rule.
//!
//! Non-finite values (NaN, ±∞) are left out everywhere.

/// The finite values, in order.
pub(crate) fn sorted_finite(values: &[f64]) -> Vec<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    sorted
}

/// The `q`-quantile (`q` clamped to 0..=1) of already sorted, non-empty
/// values, by the rule of this module.
pub(crate) fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let position = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let weight = position - below as f64;
    sorted[below] + (sorted[above] - sorted[below]) * weight
}

/// The `q`-quantile (0..=1) of the finite values, interpolated (see the
/// module header); `None` when there are none.
pub fn quantile(values: &[f64], q: f64) -> Option<f64> {
    let sorted = sorted_finite(values);
    (!sorted.is_empty()).then(|| quantile_sorted(&sorted, q))
}

/// The median of the finite values (`None` when there are none).
pub fn median(values: &[f64]) -> Option<f64> {
    quantile(values, 0.5)
}

/// The median absolute deviation from the median of the finite values (not
/// scaled to a normal's standard deviation); `None` when there are none.
pub fn mad(values: &[f64]) -> Option<f64> {
    let centre = median(values)?;
    let deviations: Vec<f64> = values
        .iter()
        .filter(|v| v.is_finite())
        .map(|v| (v - centre).abs())
        .collect();
    median(&deviations)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        // Pins the rule: type 7, as R's and NumPy's defaults.
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(2.5));
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.25), Some(1.75));
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.75), Some(3.25));
        assert_eq!(quantile(&[10.0, 20.0], 0.1), Some(11.0));
        // Not nearest-rank, which would give 2.0 or 3.0 here.
        assert_eq!(quantile(&[4.0, 3.0, 2.0, 1.0], 0.5), Some(2.5));
        assert_eq!(quantile(&[5.0, 1.0, 3.0], 0.0), Some(1.0));
        assert_eq!(quantile(&[5.0, 1.0, 3.0], 1.0), Some(5.0));
        assert_eq!(quantile(&[5.0, 1.0, 3.0], 7.0), Some(5.0), "q is clamped");
        assert_eq!(quantile(&[7.0], 0.3), Some(7.0));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn non_finite_values_are_left_out() {
        assert_eq!(median(&[f64::NAN, 1.0, 3.0, f64::INFINITY]), Some(2.0));
        assert_eq!(median(&[f64::NAN]), None);
    }

    #[test]
    fn mad_of_known_values() {
        assert_eq!(mad(&[1.0, 2.0, 3.0, 4.0, 100.0]), Some(1.0));
        assert_eq!(mad(&[5.0, 5.0]), Some(0.0));
        assert_eq!(mad(&[]), None);
    }
}
