//! The progress of `jsbench run`, as a run observer: an indicatif bar on a
//! terminal; on a standard error that is not one (a CI log, a pipe), a
//! plain line at each finished cell and every few seconds in between
//! (done/total, current cell, elapsed, estimate). Failed cells are listed
//! as they finish, even with `-q`.

use indicatif::{ProgressBar, ProgressStyle};
use jsbench_reports::listing::{ProgressState, progress_line};
use jsbench_runner::run::RunObserver;
use jsbench_schema::Cell;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Longest quiet stretch of a log before a progress line is written anyway.
const LOG_EVERY: Duration = Duration::from_secs(5);

/// Shows a bar of worker processes (or log lines), with the cell just
/// finished.
pub struct Progress {
    bar: ProgressBar,
    log: Option<Log>,
}

/// The plain progress lines for a standard error that is not a terminal.
struct Log {
    state: Arc<Mutex<LogState>>,
    stop: Arc<AtomicBool>,
    ticker: Option<JoinHandle<()>>,
}

struct LogState {
    progress: ProgressState,
    started: Instant,
    ticker: Ticker,
}

impl LogState {
    /// The current line, with the time elapsed brought up to date.
    fn line(&mut self) -> String {
        self.progress.elapsed = self.started.elapsed();
        progress_line(&self.progress)
    }
}

/// When the next periodic line is due: `every` after the last line.
#[derive(Debug, Clone, Copy)]
struct Ticker {
    last: Instant,
    every: Duration,
}

impl Ticker {
    /// Whether a line is due at `now`.
    fn due(&self, now: Instant) -> bool {
        now.duration_since(self.last) >= self.every
    }
}

impl Progress {
    /// A bar, or log lines when standard error is not a terminal; neither
    /// when `quiet`. `cells` is the number of cells planned.
    pub fn new(quiet: bool, cells: usize) -> Self {
        let bar = if quiet {
            ProgressBar::hidden()
        } else {
            ProgressBar::new(0)
        };
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} processes, {elapsed} elapsed, ~{eta} left  {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        let log = (!quiet && !std::io::stderr().is_terminal()).then(|| Log::start(cells));
        Progress { bar, log }
    }

    /// Removes the bar and stops the log lines.
    pub fn finish(&mut self) {
        self.bar.finish_and_clear();
        if let Some(log) = &mut self.log {
            log.stop();
        }
    }

    /// Updates the log state, if any, and writes a line when `now` asks.
    fn log(&self, now: bool, update: impl FnOnce(&mut ProgressState)) {
        let Some(log) = &self.log else { return };
        let Ok(mut state) = log.state.lock() else { return };
        update(&mut state.progress);
        if now {
            let line = state.line();
            state.ticker.last = Instant::now();
            eprintln!("{line}");
        }
    }
}

impl Log {
    fn start(cells: usize) -> Log {
        let state = Arc::new(Mutex::new(LogState {
            progress: ProgressState {
                cells_total: cells,
                ..ProgressState::default()
            },
            started: Instant::now(),
            ticker: Ticker {
                last: Instant::now(),
                every: LOG_EVERY,
            },
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let ticker = {
            let (state, stop) = (Arc::clone(&state), Arc::clone(&stop));
            std::thread::Builder::new()
                .name("progress-log".into())
                .spawn(move || {
                    while !stop.load(Ordering::SeqCst) {
                        std::thread::sleep(Duration::from_millis(200));
                        let Ok(mut state) = state.lock() else { return };
                        if state.ticker.due(Instant::now()) && !stop.load(Ordering::SeqCst) {
                            let line = state.line();
                            state.ticker.last = Instant::now();
                            eprintln!("{line}");
                        }
                    }
                })
                .ok()
        };
        Log { state, stop, ticker }
    }

    fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

fn cell_name(cell: &Cell) -> String {
    format!("{} / {} ({})", cell.backend, cell.workload, cell.size)
}

impl RunObserver for Progress {
    fn started(&mut self, total: usize) {
        self.bar.set_length(total as u64);
        self.log(true, |p| p.processes_total = total as u64);
    }

    fn more_planned(&mut self, count: usize) {
        self.bar.inc_length(count as u64);
        self.log(false, |p| p.processes_total += count as u64);
    }

    fn process_finished(&mut self, cell: &Cell) {
        self.bar.inc(1);
        self.bar.set_message(cell_name(cell));
        self.log(false, |p| {
            p.processes_done += 1;
            p.current = cell_name(cell);
        });
    }

    fn cell_finished(&mut self, cell: &Cell) {
        if let Some(e) = &cell.error {
            let line = format!(
                "  {}: {}: {}",
                cell_name(cell),
                e.kind,
                e.message.lines().next().unwrap_or_default()
            );
            // A hidden bar (`-q`, or no terminal) prints nothing itself.
            if self.bar.is_hidden() {
                eprintln!("{line}");
            } else {
                self.bar.println(line);
            }
        }
        self.log(true, |p| {
            p.cells_done += 1;
            p.current = format!("finished {}", cell_name(cell));
        });
    }

    fn save_failed(&mut self, message: &str) {
        let line = format!("warning: cannot save results: {message}");
        if self.bar.is_hidden() {
            eprintln!("{line}");
        } else {
            self.bar.println(line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_periodic_line_is_due_only_after_the_interval() {
        let start = Instant::now();
        let ticker = Ticker {
            last: start,
            every: Duration::from_secs(5),
        };
        assert!(!ticker.due(start + Duration::from_secs(4)));
        assert!(ticker.due(start + Duration::from_secs(5)));
    }
}
