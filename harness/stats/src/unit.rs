//! The process as the unit of a cell's median and interval.
//!
//! A process is the unit a rerun repeats: a JIT's tiering choices, the heap
//! a process settles into and a noisy neighbour in the machine all move
//! whole processes, not single samples. An interval over pooled samples
//! would treat a process's twenty samples as twenty independent
//! measurements and come out far too narrow; one over process medians says
//! how far a rerun may move the median. `run` (its summaries and its
//! adaptive stopping rule), `check`, `compare` and `history` all take a
//! cell's values from [`estimate_values`].

use crate::{median, median_interval, summarize};
use jsbench_schema::{ProcessRun, Summary};

/// Fewest worker processes with samples for the process to be the unit of a
/// cell's median and interval (see [`estimate_values`]).
pub const MIN_PROCESSES_AS_UNIT: usize = 3;

/// The values a cell's median and its confidence interval are taken over:
/// one median per worker process when at least [`MIN_PROCESSES_AS_UNIT`]
/// processes have samples, otherwise every sample pooled.
pub fn estimate_values(processes: &[ProcessRun]) -> Vec<f64> {
    let per_process: Vec<f64> = processes.iter().filter_map(|p| median(&p.samples)).collect();
    if per_process.len() >= MIN_PROCESSES_AS_UNIT {
        per_process
    } else {
        processes.iter().flat_map(|p| p.samples.iter().copied()).collect()
    }
}

/// Summary of a cell's processes: mean, standard deviation, median absolute
/// deviation, min and max over every sample pooled; the median and its 95%
/// bootstrap interval over [`estimate_values`]. `None` without samples.
pub fn summarize_processes(processes: &[ProcessRun]) -> Option<Summary> {
    let pooled: Vec<f64> = processes.iter().flat_map(|p| p.samples.iter().copied()).collect();
    let mut summary = summarize(&pooled)?;
    let estimate = estimate_values(processes);
    if estimate.len() != pooled.len() {
        summary.median = median(&estimate).unwrap_or(summary.median);
        let ci = median_interval(&estimate);
        summary.ci95_low = ci.map(|c| c.low);
        summary.ci95_high = ci.map(|c| c.high);
    }
    Some(summary)
}

/// Relative half-width of the 95% interval of a cell's median (over
/// [`estimate_values`]), e.g. 0.02 for ±2%; `None` with too few values.
pub fn relative_precision(processes: &[ProcessRun]) -> Option<f64> {
    let estimate = estimate_values(processes);
    median_interval(&estimate)?.relative_half_width(median(&estimate)?)
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
    fn a_process_without_samples_does_not_count() {
        let runs = [process(&[1.0]), process(&[]), process(&[2.0, 2.0])];
        assert_eq!(estimate_values(&runs), vec![1.0, 2.0, 2.0]);
    }
}
