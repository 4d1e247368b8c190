//! Running a whole benchmark: the plan of cells (backend × workload × size),
//! rounds of worker processes in a shuffled order, aggregation into cells,
//! and saving the results file after every process so nothing measured is
//! lost.

use crate::launch::{ProcessOutcome, Supervision, WorkerCommand, run_process};
use crate::manifest::Workload;
use crate::protocol::{MeasureSettings, WorkerRequest};
use crate::stats;
use jsbench_schema::{BackendInfo, Cell, CellError, CellStatus, ErrorKind, Results};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Settings of one run.
#[derive(Debug, Clone)]
pub struct RunSettings {
    /// Sizes to run.
    pub sizes: Vec<String>,
    /// Worker processes per cell.
    pub processes: u32,
    /// What each worker measures.
    pub measure: MeasureSettings,
    /// Per-call timeout.
    pub timeout: Duration,
    /// Memory limit per worker.
    pub memory_limit: u64,
    /// Seed of the shuffled order.
    pub seed: u64,
    /// Cells run at the same time (1 for careful numbers).
    pub jobs: usize,
}

/// A cell to run.
#[derive(Debug, Clone)]
pub struct PlannedCell {
    /// The backend (with its availability).
    pub backend: BackendInfo,
    /// The workload.
    pub workload: Arc<Workload>,
    /// Size name.
    pub size: String,
}

/// Hooks the run calls as it goes; every method has a no-op default.
pub trait RunObserver: Send {
    /// The run is about to start `total` worker processes.
    fn started(&mut self, _total: usize) {}
    /// A worker process for this cell finished.
    fn process_finished(&mut self, _cell: &Cell) {}
    /// A cell is complete (all its processes ran, or one failed).
    fn cell_finished(&mut self, _cell: &Cell) {}
    /// Saving the results file failed; the run goes on.
    fn save_failed(&mut self, _message: &str) {}
}

/// An observer that ignores everything.
pub struct Quiet;
impl RunObserver for Quiet {}

struct Shared<'a> {
    results: Mutex<&'a mut Results>,
    save_to: Option<PathBuf>,
    observer: Mutex<&'a mut dyn RunObserver>,
}

/// Runs every planned cell and stores the cells in `results`, saving the
/// file (when `save_to` is given) after each worker process.
pub fn run(
    plan: &[PlannedCell],
    settings: &RunSettings,
    command: &WorkerCommand,
    results: &mut Results,
    save_to: Option<PathBuf>,
    observer: &mut dyn RunObserver,
    cancel: &AtomicBool,
) {
    // Cells that need no worker: unavailable backends, unmet requirements,
    // missing sizes. They are recorded as unsupported, with the reason.
    let mut runnable: Vec<(usize, &PlannedCell)> = Vec::new();
    for planned in plan {
        let index = upsert_cell(results, empty_cell(planned));
        match unsupported_reason(planned) {
            Some(reason) => {
                let cell = &mut results.cells[index];
                cell.status = CellStatus::Unsupported;
                cell.error = Some(CellError {
                    kind: ErrorKind::Unsupported,
                    phase: "create".into(),
                    message: reason,
                    stack: None,
                });
                observer.cell_finished(cell);
            }
            None => runnable.push((index, planned)),
        }
    }
    let total = runnable.len() * settings.processes as usize;
    observer.started(total);
    let shared = Shared {
        results: Mutex::new(results),
        save_to,
        observer: Mutex::new(observer),
    };
    shared.save();

    let supervision = Supervision::for_limits(settings.timeout, settings.memory_limit);
    for round in 0..settings.processes {
        let mut order = runnable.clone();
        let mut rng = rand::rngs::StdRng::seed_from_u64(settings.seed.wrapping_add(u64::from(round)));
        order.shuffle(&mut rng);
        // Cells that already failed are not run again.
        order.retain(|(index, _)| shared.with_cell(*index, |c| c.error.is_none()));
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..settings.jobs.max(1) {
                scope.spawn(|| {
                    loop {
                        if cancel.load(Ordering::Relaxed) {
                            return;
                        }
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some((index, planned)) = order.get(i) else { return };
                        let request = request_for(planned, settings);
                        let outcome = run_process(command, &request, supervision, cancel);
                        shared.record(*index, outcome, round + 1 == settings.processes);
                    }
                });
            }
        });
        if cancel.load(Ordering::Relaxed) {
            break;
        }
    }
}

impl Shared<'_> {
    fn with_cell<T>(&self, index: usize, f: impl FnOnce(&Cell) -> T) -> T {
        let results = match self.results.lock() {
            Ok(r) => r,
            Err(p) => p.into_inner(),
        };
        f(&results.cells[index])
    }

    fn record(&self, index: usize, outcome: ProcessOutcome, last_round: bool) {
        let mut results = match self.results.lock() {
            Ok(r) => r,
            Err(p) => p.into_inner(),
        };
        let cell = &mut results.cells[index];
        absorb(cell, outcome);
        let complete = last_round || cell.error.is_some();
        let snapshot = cell.clone();
        drop(results);
        let mut observer = match self.observer.lock() {
            Ok(o) => o,
            Err(p) => p.into_inner(),
        };
        observer.process_finished(&snapshot);
        if complete {
            observer.cell_finished(&snapshot);
        }
        drop(observer);
        self.save();
    }

    fn save(&self) {
        let Some(path) = &self.save_to else { return };
        let results = match self.results.lock() {
            Ok(r) => r,
            Err(p) => p.into_inner(),
        };
        if let Err(e) = results.write_atomic(path) {
            drop(results);
            if let Ok(mut o) = self.observer.lock() {
                o.save_failed(&e.to_string());
            }
        }
    }
}

/// Folds one process's outcome into its cell.
pub fn absorb(cell: &mut Cell, outcome: ProcessOutcome) {
    for (name, value) in &outcome.prepare_figures {
        cell.extra.entry(format!("prepare.{name}")).or_insert(*value);
    }
    cell.processes.push(outcome.run);
    if let Some(error) = outcome.error {
        cell.status = match error.kind {
            ErrorKind::WrongOutput => CellStatus::WrongOutput,
            ErrorKind::Unsupported => CellStatus::Unsupported,
            _ => CellStatus::Failed,
        };
        cell.error = Some(error);
    } else if cell.error.is_none() {
        cell.status = CellStatus::Ok;
    }
    let all: Vec<f64> = cell.processes.iter().flat_map(|p| p.samples.iter().copied()).collect();
    cell.summary = stats::summarize(&all);
}

fn empty_cell(planned: &PlannedCell) -> Cell {
    Cell {
        backend: planned.backend.name.clone(),
        workload: planned.workload.name.clone(),
        size: planned.size.clone(),
        status: CellStatus::Failed,
        error: None,
        processes: Vec::new(),
        summary: None,
        extra: BTreeMap::new(),
    }
}

/// Replaces the cell with the same key, or appends; returns its index.
fn upsert_cell(results: &mut Results, cell: Cell) -> usize {
    match results
        .cells
        .iter()
        .position(|c| c.backend == cell.backend && c.workload == cell.workload && c.size == cell.size)
    {
        Some(i) => {
            results.cells[i] = cell;
            i
        }
        None => {
            results.cells.push(cell);
            results.cells.len() - 1
        }
    }
}

fn unsupported_reason(planned: &PlannedCell) -> Option<String> {
    if let Some(reason) = &planned.backend.unavailable {
        return Some(format!("unavailable: {reason}"));
    }
    if !planned.workload.sizes.contains_key(&planned.size) {
        let known: Vec<&str> = planned.workload.sizes.keys().map(String::as_str).collect();
        return Some(format!(
            "workload `{}` has no size `{}` (it has: {})",
            planned.workload.name,
            planned.size,
            known.join(", ")
        ));
    }
    let missing: Vec<&str> = planned
        .workload
        .requires
        .iter()
        .filter(|r| !r.met_by(&planned.backend.capabilities))
        .map(|r| r.as_str())
        .collect();
    if !missing.is_empty() {
        return Some(format!(
            "backend `{}` lacks the capability {} that `{}` needs",
            planned.backend.name,
            missing.join(", "),
            planned.workload.name
        ));
    }
    None
}

fn request_for(planned: &PlannedCell, settings: &RunSettings) -> WorkerRequest {
    let workload = &planned.workload;
    // `unsupported_reason` ran first, so the size exists.
    let size = &workload.sizes[&planned.size];
    WorkerRequest {
        backend: planned.backend.name.clone(),
        workload: workload.name.clone(),
        source: workload.source.clone(),
        module_path: Some(workload.module_path.display().to_string()),
        input: size.input.clone(),
        expected: size.expected.clone(),
        calls_per_op: size.calls_per_op,
        timeout_ms: u64::try_from(settings.timeout.as_millis()).unwrap_or(u64::MAX),
        memory_limit: settings.memory_limit,
        measure: settings.measure,
    }
}
