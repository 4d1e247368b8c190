//! Summary statistics of samples, with `statrs` doing the arithmetic.

use jsbench_schema::Summary;
use statrs::statistics::{Data, Distribution, Max, Median, Min, OrderStatistics};

/// Median of a slice (NaN for an empty one).
pub fn median(values: &[f64]) -> f64 {
    Data::new(values.to_vec()).median()
}

/// Summary of samples; `None` when there are none.
pub fn summarize(values: &[f64]) -> Option<Summary> {
    if values.is_empty() {
        return None;
    }
    let mut data = Data::new(values.to_vec());
    let median = data.median();
    let deviations: Vec<f64> = values.iter().map(|v| (v - median).abs()).collect();
    let mad = Data::new(deviations).median();
    Some(Summary {
        count: values.len() as u64,
        median,
        mean: data.mean().unwrap_or(median),
        stddev: data.std_dev().filter(|s| s.is_finite()).unwrap_or(0.0),
        mad,
        min: data.min(),
        max: data.max(),
        // Quantiles are computed on the sorted data; keep the call so a
        // reader sees the ordering work is statrs's, not ours.
    })
    .map(|s| {
        let _ = data.lower_quartile();
        s
    })
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
    fn geometric_mean_of_ratios() {
        assert!((geometric_mean(&[1.0, 4.0]).unwrap() - 2.0).abs() < 1e-12);
        assert_eq!(geometric_mean(&[]), None);
    }
}
