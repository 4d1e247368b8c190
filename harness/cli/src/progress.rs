//! The progress bar shown while `jsbench run` works (indicatif), as a run
//! observer.

use indicatif::{ProgressBar, ProgressStyle};
use jsbench_runner::run::RunObserver;
use jsbench_schema::Cell;

/// Shows a bar of worker processes, with the cell just finished.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar, hidden when `quiet`.
    pub fn new(quiet: bool) -> Self {
        let bar = if quiet {
            ProgressBar::hidden()
        } else {
            ProgressBar::new(0)
        };
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} processes, {elapsed} elapsed, ~{eta} left  {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Progress { bar }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl RunObserver for Progress {
    fn started(&mut self, total: usize) {
        self.bar.set_length(total as u64);
    }

    fn more_planned(&mut self, count: usize) {
        self.bar.inc_length(count as u64);
    }

    fn process_finished(&mut self, cell: &Cell) {
        self.bar.inc(1);
        self.bar
            .set_message(format!("{} / {} ({})", cell.backend, cell.workload, cell.size));
    }

    fn cell_finished(&mut self, cell: &Cell) {
        if let Some(e) = &cell.error {
            self.bar.println(format!(
                "  {} / {} ({}): {}: {}",
                cell.backend,
                cell.workload,
                cell.size,
                e.kind,
                e.message.lines().next().unwrap_or_default()
            ));
        }
    }

    fn save_failed(&mut self, message: &str) {
        self.bar.println(format!("warning: cannot save results: {message}"));
    }
}
