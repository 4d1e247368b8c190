//! What every report shows, computed once from a results file: the summary
//! matrix (median, its confidence interval, ratios to the fastest and to a
//! baseline backend), geometric means per backend, the cold-start phases,
//! memory, optional binary sizes, the latency/memory/size trade-off with its
//! Pareto-best backends, and the cells without a time.
//!
//! The HTML and Markdown reports only lay this out; they compute nothing.

use crate::format::{bytes, cell_problem, duration};
use crate::sizes::SizeTable;
use jsbench_schema::{BackendKind, Cell, CellStatus, Results, SizeReport};
use jsbench_stats::{self as stats, Interval};
use serde::Serialize;
use std::collections::BTreeMap;

/// Errors building the analysis.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// `--baseline` names a backend the file does not have.
    #[error("baseline backend `{name}` is not in the results; they have: {known}")]
    UnknownBaseline {
        /// The name given.
        name: String,
        /// The backends of the file, comma-separated.
        known: String,
    },
}

/// One row of the matrix: a workload at one input size.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Workload name.
    pub workload: String,
    /// Size name.
    pub size: String,
    /// Workload category, when the file describes the workload.
    pub category: String,
    /// One entry per backend, in the order of [`Analysis::backends`].
    pub cells: Vec<MatrixCell>,
}

/// One backend's figure on one row.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixCell {
    /// Backend name.
    pub backend: String,
    /// Median nanoseconds per operation, when the cell has a time.
    pub median: Option<f64>,
    /// 95 % bootstrap interval of the median, when there are enough samples.
    pub ci: Option<Interval>,
    /// Median divided by the fastest median of the row.
    pub vs_fastest: Option<f64>,
    /// Median divided by the baseline backend's median on the row.
    pub vs_baseline: Option<f64>,
    /// The fastest of the row.
    pub fastest: bool,
    /// Text shown instead of a time ("unsupported", "FAILED: timeout", "-").
    pub problem: Option<String>,
    /// The median as text.
    pub median_text: String,
    /// The interval as text (`low – high`), empty without one.
    pub ci_text: String,
    /// Single-call tail latencies (`p95 … · p99 …`) when the run timed them.
    pub tail_text: String,
}

/// Per-backend summary across workloads.
#[derive(Debug, Clone, Serialize)]
pub struct BackendSummary {
    /// Backend name.
    pub name: String,
    /// Engine and version.
    pub engine: String,
    /// `embedded`, `wasm-component`, `out-of-process`, `mock`.
    pub kind: String,
    /// Why the backend could not run, when it could not.
    pub unavailable: Option<String>,
    /// Geometric mean over rows of the ratio to the fastest backend.
    pub geomean_vs_fastest: Option<f64>,
    /// Geometric mean over rows of the ratio to the baseline backend.
    pub geomean_vs_baseline: Option<f64>,
    /// Rows with a time / all rows.
    pub rows_with_time: usize,
    /// Median over cells of each cold-start phase (ns).
    pub phases: Phases,
    /// Median over cells of the peak resident set size (bytes).
    pub peak_rss: Option<f64>,
    /// Median over cells of the engine-reported memory (bytes).
    pub engine_memory: Option<f64>,
    /// Median over processes of the memory the backend costs the machine:
    /// the worker's peak RSS, plus the runtime process's peak RSS for an
    /// out-of-process backend (whose engine lives outside the worker).
    pub footprint: Option<f64>,
    /// Binary/deployable size, when the file has one for this backend.
    pub size: Option<f64>,
    /// Which figure the size is (`binary (quickjs, release)`, `component (prepare)`).
    pub size_source: Option<String>,
    /// Pareto-best on latency vs memory.
    pub pareto_memory: bool,
    /// Pareto-best on latency vs size (only when sizes are present).
    pub pareto_size: bool,
}

/// Median cold-start phases (nanoseconds).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Phases {
    /// Build-time preparation.
    pub prepare: Option<f64>,
    /// Creating the runtime.
    pub create: Option<f64>,
    /// Loading the module.
    pub load: Option<f64>,
    /// The first call.
    pub first_call: Option<f64>,
}

impl Phases {
    /// Sum of the phases that ran.
    pub fn total(&self) -> Option<f64> {
        let parts = [self.prepare, self.create, self.load, self.first_call];
        if parts.iter().all(Option::is_none) {
            None
        } else {
            Some(parts.iter().flatten().sum())
        }
    }
}

/// Per-cell distribution data for the strip/box charts.
#[derive(Debug, Clone, Serialize)]
pub struct Distribution {
    /// Backend name.
    pub backend: String,
    /// Every steady-state sample (ns per operation).
    pub samples: Vec<f64>,
    /// First quartile.
    pub q1: f64,
    /// Median.
    pub median: f64,
    /// Third quartile.
    pub q3: f64,
    /// Smallest sample.
    pub min: f64,
    /// Largest sample.
    pub max: f64,
}

/// A cell without a time, with its message.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// Backend name.
    pub backend: String,
    /// Workload name.
    pub workload: String,
    /// Size name.
    pub size: String,
    /// `failed`, `unsupported`, `wrong-output`.
    pub status: String,
    /// Error kind.
    pub kind: String,
    /// Phase of the error.
    pub phase: String,
    /// Full message.
    pub message: String,
}

/// Per-cell memory row.
#[derive(Debug, Clone, Serialize)]
pub struct MemoryRow {
    /// Backend name.
    pub backend: String,
    /// Workload name.
    pub workload: String,
    /// Size name.
    pub size: String,
    /// Largest peak RSS of the cell's processes.
    pub peak_rss: Option<u64>,
    /// Largest engine-reported memory of the cell's processes.
    pub engine: Option<u64>,
}

/// A binary-size figure from the optional `sizes` section or the cells.
#[derive(Debug, Clone, Serialize)]
pub struct SizeRow {
    /// Backend name.
    pub backend: String,
    /// What was measured (`binary (v8, release)`, `installed (node, installed)`, `component (prepare)`).
    pub what: String,
    /// Bytes.
    pub bytes: f64,
    /// As text.
    pub text: String,
}

/// Everything the reports show.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// Backend names, in the file's order.
    pub backends: Vec<String>,
    /// The baseline backend of the ratios.
    pub baseline: String,
    /// The matrix rows.
    pub rows: Vec<Row>,
    /// Per-backend summaries.
    pub summaries: Vec<BackendSummary>,
    /// Distributions per row (same order as `rows`).
    pub distributions: Vec<Vec<Distribution>>,
    /// Memory per cell.
    pub memory: Vec<MemoryRow>,
    /// Binary sizes (empty when the file has none).
    pub sizes: Vec<SizeRow>,
    /// The size table of the file's `sizes` section (`None` without one).
    pub size_table: Option<SizeTable>,
    /// Cells without a time.
    pub problems: Vec<Problem>,
}

/// Builds the analysis; `baseline` defaults to the first backend.
pub fn analyze(results: &Results, baseline: Option<&str>) -> Result<Analysis, AnalysisError> {
    let mut backends: Vec<String> = results.backends.iter().map(|b| b.name.clone()).collect();
    for cell in &results.cells {
        if !backends.contains(&cell.backend) {
            backends.push(cell.backend.clone());
        }
    }
    let baseline = match baseline {
        Some(name) if backends.iter().any(|b| b == name) => name.to_string(),
        Some(name) => {
            return Err(AnalysisError::UnknownBaseline {
                name: name.to_string(),
                known: backends.join(", "),
            });
        }
        None => backends.first().cloned().unwrap_or_default(),
    };

    let mut keys: Vec<(String, String)> = Vec::new();
    for cell in &results.cells {
        let key = (cell.workload.clone(), cell.size.clone());
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    let category = |w: &str| {
        results
            .workloads
            .iter()
            .find(|i| i.name == w)
            .map(|i| i.category.clone())
            .unwrap_or_default()
    };

    let mut rows = Vec::new();
    let mut distributions = Vec::new();
    for (workload, size) in &keys {
        let cells: Vec<Option<&Cell>> = backends.iter().map(|b| results.cell(b, workload, size)).collect();
        let medians: Vec<Option<f64>> = cells.iter().map(|c| c.and_then(cell_median)).collect();
        let fastest = medians.iter().flatten().copied().fold(f64::INFINITY, f64::min);
        let base_median = backends.iter().position(|b| *b == baseline).and_then(|i| medians[i]);
        let mut row_cells = Vec::new();
        let mut row_distributions = Vec::new();
        for ((backend, cell), median) in backends.iter().zip(&cells).zip(&medians) {
            let samples = cell.map(all_samples).unwrap_or_default();
            let ci = median.and_then(|_| {
                cell.and_then(recorded_interval)
                    .or_else(|| cell.and_then(|c| stats::median_interval(&estimate_values(c))))
            });
            let tail = cell.and_then(|c| c.summary).filter(|_| median.is_some()).map(|s| {
                [("p95", s.p95), ("p99", s.p99)]
                    .iter()
                    .filter_map(|(name, v)| v.map(|v| format!("{name} {}", duration(v))))
                    .collect::<Vec<_>>()
                    .join(" · ")
            });
            let problem = match (cell, median) {
                (None, _) => Some("-".to_string()),
                (Some(_), Some(_)) => None,
                (Some(c), None) => Some(cell_problem(c).unwrap_or_else(|| "no samples".into())),
            };
            if let (Some(m), false) = (median, samples.is_empty()) {
                row_distributions.push(Distribution {
                    backend: backend.clone(),
                    q1: stats::quantile(&samples, 0.25).unwrap_or(*m),
                    median: *m,
                    q3: stats::quantile(&samples, 0.75).unwrap_or(*m),
                    min: stats::quantile(&samples, 0.0).unwrap_or(*m),
                    max: stats::quantile(&samples, 1.0).unwrap_or(*m),
                    samples,
                });
            }
            row_cells.push(MatrixCell {
                backend: backend.clone(),
                median: *median,
                ci,
                vs_fastest: median.map(|m| m / fastest),
                vs_baseline: median.zip(base_median).map(|(m, b)| m / b),
                fastest: median.is_some_and(|m| m == fastest),
                problem,
                median_text: median.map(duration).unwrap_or_default(),
                tail_text: tail.unwrap_or_default(),
                ci_text: ci
                    .map(|i| format!("{} – {}", duration(i.low), duration(i.high)))
                    .unwrap_or_default(),
            });
        }
        rows.push(Row {
            workload: workload.clone(),
            size: size.clone(),
            category: category(workload),
            cells: row_cells,
        });
        distributions.push(row_distributions);
    }

    let sizes = collect_sizes(results, &backends);
    let mut summaries: Vec<BackendSummary> = backends
        .iter()
        .enumerate()
        .map(|(i, name)| summarize_backend(results, name, i, &rows, &sizes))
        .collect();
    mark_pareto(&mut summaries);

    let memory = results
        .cells
        .iter()
        .filter(|c| !c.processes.is_empty())
        .map(|c| MemoryRow {
            backend: c.backend.clone(),
            workload: c.workload.clone(),
            size: c.size.clone(),
            peak_rss: c.processes.iter().filter_map(|p| p.memory.peak_rss).max(),
            engine: c.processes.iter().filter_map(|p| p.memory.engine).max(),
        })
        .collect();

    let problems = results
        .cells
        .iter()
        .filter(|c| c.status != CellStatus::Ok || c.error.is_some())
        .map(|c| Problem {
            backend: c.backend.clone(),
            workload: c.workload.clone(),
            size: c.size.clone(),
            status: serde_json::to_value(c.status)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            kind: c.error.as_ref().map(|e| e.kind.to_string()).unwrap_or_default(),
            phase: c.error.as_ref().map(|e| e.phase.to_string()).unwrap_or_default(),
            message: c.error.as_ref().map(|e| e.message.clone()).unwrap_or_default(),
        })
        .collect();

    Ok(Analysis {
        backends,
        baseline,
        rows,
        summaries,
        distributions,
        memory,
        sizes,
        size_table: SizeTable::new(&results.sizes),
        problems,
    })
}

/// The median of a cell that ran correctly.
pub fn cell_median(cell: &Cell) -> Option<f64> {
    if cell.status != CellStatus::Ok {
        return None;
    }
    cell.summary.map(|s| s.median).filter(|m| m.is_finite() && *m > 0.0)
}

/// The interval of the median the run recorded, when it did.
fn recorded_interval(cell: &Cell) -> Option<Interval> {
    let s = cell.summary?;
    match (s.ci95_low, s.ci95_high) {
        (Some(low), Some(high)) if low.is_finite() && high.is_finite() && low <= high => Some(Interval { low, high }),
        _ => None,
    }
}

/// The values a cell's median and its interval are taken over: one median
/// per process once there are three, else every sample (the one rule of
/// [`jsbench_stats::estimate_values`], which `run` uses too).
pub fn estimate_values(cell: &Cell) -> Vec<f64> {
    jsbench_stats::estimate_values(&cell.processes)
}

/// Every steady-state sample of every process of a cell.
pub fn all_samples(cell: &Cell) -> Vec<f64> {
    cell.processes.iter().flat_map(|p| p.samples.iter().copied()).collect()
}

fn summarize_backend(results: &Results, name: &str, index: usize, rows: &[Row], sizes: &[SizeRow]) -> BackendSummary {
    let info = results.backends.iter().find(|b| b.name == name);
    let vs_fastest: Vec<f64> = rows.iter().filter_map(|r| r.cells[index].vs_fastest).collect();
    let vs_baseline: Vec<f64> = rows.iter().filter_map(|r| r.cells[index].vs_baseline).collect();
    let cells: Vec<&Cell> = results.cells.iter().filter(|c| c.backend == name).collect();
    let processes = || cells.iter().flat_map(|c| c.processes.iter());
    let phase = |pick: fn(&jsbench_schema::Phases) -> Option<u64>| {
        let values: Vec<f64> = processes().filter_map(|p| pick(&p.phases)).map(|v| v as f64).collect();
        stats::median(&values)
    };
    let memory = |pick: fn(&jsbench_schema::Memory) -> Option<u64>| {
        let values: Vec<f64> = processes().filter_map(|p| pick(&p.memory)).map(|v| v as f64).collect();
        stats::median(&values)
    };
    let out_of_process = info.is_some_and(|b| b.kind == BackendKind::OutOfProcess);
    let footprints: Vec<f64> = processes()
        .filter_map(|p| {
            let rss = p.memory.peak_rss? as f64;
            match (out_of_process, p.memory.engine) {
                (false, _) => Some(rss),
                (true, Some(child)) => Some(rss + child as f64),
                (true, None) => None,
            }
        })
        .collect();
    let size = pick_size(sizes, name);
    BackendSummary {
        name: name.to_string(),
        engine: info
            .map(|b| format!("{} {}", b.engine, b.engine_version))
            .unwrap_or_default(),
        kind: info
            .and_then(|b| serde_json::to_value(b.kind).ok())
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
        unavailable: info.and_then(|b| b.unavailable.clone()),
        geomean_vs_fastest: stats::geometric_mean(&vs_fastest),
        geomean_vs_baseline: stats::geometric_mean(&vs_baseline),
        rows_with_time: vs_fastest.len(),
        phases: Phases {
            prepare: phase(|p| p.prepare),
            create: phase(|p| p.create),
            load: phase(|p| p.load),
            first_call: phase(|p| p.first_call),
        },
        peak_rss: memory(|m| m.peak_rss),
        engine_memory: memory(|m| m.engine),
        footprint: stats::median(&footprints),
        size: size.map(|s| s.bytes),
        size_source: size.map(|s| s.what.clone()),
        pareto_memory: false,
        pareto_size: false,
    }
}

/// The size used for the trade-off: what a deployment carries. For a
/// runtime process that is its installation when known; for a program, its
/// `release` binary (else any binary); for cell figures, the component.
fn pick_size<'a>(sizes: &'a [SizeRow], backend: &str) -> Option<&'a SizeRow> {
    let mine: Vec<&SizeRow> = sizes.iter().filter(|s| s.backend == backend).collect();
    let starting = |prefix: &str| mine.iter().copied().find(|s| s.what.starts_with(prefix));
    starting("installed")
        .or_else(|| {
            mine.iter()
                .copied()
                .find(|s| s.what.starts_with("binary") && s.what.ends_with(", release)"))
        })
        .or_else(|| starting("binary"))
        .or_else(|| starting(COMPONENT))
        .or_else(|| mine.iter().copied().max_by(|a, b| a.bytes.total_cmp(&b.bytes)))
}

/// Label of the component size a cell's build costs recorded.
const COMPONENT: &str = "component (prepare)";
/// Label of the precompiled-code size a cell's build costs recorded.
const PRECOMPILED: &str = "precompiled code (prepare)";

/// Size figures per backend: from the file's `sizes` section (written by
/// `jsbench size`) when it has one for the backend, else the artefact sizes
/// of the cells' build costs (the wasm component and its precompiled code)
/// and any backend-specific `*_bytes` figure in their `extra`.
fn collect_sizes(results: &Results, backends: &[String]) -> Vec<SizeRow> {
    let mut rows = Vec::new();
    for backend in backends {
        let reports: Vec<&SizeReport> = results
            .sizes
            .iter()
            .filter(|r| r.unavailable.is_none() && (r.backends.contains(backend) || r.name == *backend))
            .collect();
        if !reports.is_empty() {
            for r in &reports {
                if let Some(b) = r.binary_bytes {
                    rows.push(size_row(
                        backend,
                        &format!("binary ({}, {})", r.name, r.variant),
                        b as f64,
                    ));
                }
                if let Some(b) = r.install_bytes {
                    rows.push(size_row(
                        backend,
                        &format!("installed ({}, {})", r.name, r.variant),
                        b as f64,
                    ));
                }
            }
            continue;
        }
        // Use the largest figure over workloads.
        let mut found: BTreeMap<String, f64> = BTreeMap::new();
        for cell in results.cells.iter().filter(|c| &c.backend == backend) {
            let built = cell.build.iter().flat_map(|b| {
                [
                    (COMPONENT, b.component_bytes.map(|v| v as f64)),
                    (PRECOMPILED, b.precompiled_bytes.map(|v| v as f64)),
                ]
            });
            let figures = built.filter_map(|(key, value)| Some((key, value?))).chain(
                cell.extra
                    .iter()
                    .filter(|(key, _)| key.ends_with("_bytes"))
                    .map(|(key, value)| (key.as_str(), *value)),
            );
            for (key, value) in figures {
                if value.is_finite() && value > 0.0 {
                    let slot = found.entry(key.to_string()).or_insert(0.0);
                    *slot = slot.max(value);
                }
            }
        }
        for (what, value) in found {
            rows.push(size_row(backend, &what, value));
        }
    }
    rows
}

fn size_row(backend: &str, what: &str, value: f64) -> SizeRow {
    SizeRow {
        backend: backend.to_string(),
        what: what.to_string(),
        bytes: value,
        text: if value >= 0.0 && value < u64::MAX as f64 {
            bytes(value as u64)
        } else {
            format!("{value}")
        },
    }
}

/// Marks the backends no other backend beats on both axes (lower is better
/// on every axis): latency (geomean vs fastest) against memory footprint, and
/// against size when every timed backend has a size.
fn mark_pareto(summaries: &mut [BackendSummary]) {
    let dominated = |axes: &dyn Fn(&BackendSummary) -> Option<(f64, f64)>, me: &BackendSummary| -> Option<bool> {
        let (x, y) = axes(me)?;
        Some(summaries.iter().any(|other| {
            other.name != me.name && axes(other).is_some_and(|(ox, oy)| ox <= x && oy <= y && (ox < x || oy < y))
        }))
    };
    let memory_axes = |s: &BackendSummary| s.geomean_vs_fastest.zip(s.footprint);
    // A size trade-off needs two backends with a size to trade between.
    let sized = summaries
        .iter()
        .filter(|s| s.geomean_vs_fastest.is_some() && s.size.is_some())
        .count();
    let size_axes = |s: &BackendSummary| s.geomean_vs_fastest.zip(s.size).filter(|_| sized >= 2);
    let flags: Vec<(bool, bool)> = summaries
        .iter()
        .map(|s| {
            (
                dominated(&memory_axes, s) == Some(false),
                dominated(&size_axes, s) == Some(false),
            )
        })
        .collect();
    for (s, (m, z)) in summaries.iter_mut().zip(flags) {
        s.pareto_memory = m;
        s.pareto_size = z;
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use jsbench_schema::*;

    /// A results file with the given (backend, workload, samples) cells;
    /// an empty sample list makes a failed cell.
    pub(crate) fn fixture(cells: &[(&str, &str, &[f64])]) -> Results {
        let mut backends: Vec<String> = Vec::new();
        for (b, _, _) in cells {
            if !backends.iter().any(|x| x == b) {
                backends.push(b.to_string());
            }
        }
        Results {
            schema_version: SCHEMA_VERSION,
            jsbench: ToolInfo {
                version: "0.1.0".into(),
                git_revision: Some("abc123".into()),
                build_profile: "release".into(),
                rustc: None,
            },
            machine: Machine {
                hostname: "box".into(),
                cpu_model: "cpu".into(),
                ..Machine::default()
            },
            config: RunConfig {
                sizes: vec!["small".into()],
                samples: 5,
                warmup: 1,
                processes: 1,
                max_processes: None,
                precision: None,
                sample_ms: None,
                timeout_ms: 1000,
                memory_limit: 1 << 30,
                seed: 1,
                profile: "quick".into(),
                pin: None,
            },
            started_at: "2026-01-01T00:00:00Z".into(),
            finished_at: "2026-01-01T00:01:00Z".into(),
            backends: backends
                .iter()
                .map(|name| BackendInfo {
                    name: name.clone(),
                    engine: "E".into(),
                    engine_version: "1".into(),
                    kind: BackendKind::Embedded,
                    capabilities: Capabilities::default(),
                    flags: vec![],
                    unavailable: None,
                    baseline_memory: None,
                })
                .collect(),
            workloads: vec![],
            cells: cells
                .iter()
                .map(|(b, w, samples)| {
                    let ok = !samples.is_empty();
                    Cell {
                        backend: b.to_string(),
                        workload: w.to_string(),
                        size: "small".into(),
                        status: if ok { CellStatus::Ok } else { CellStatus::Failed },
                        error: (!ok).then(|| CellError {
                            kind: ErrorKind::Timeout,
                            phase: jsbench_schema::Phase::Steady,
                            message: "too slow".into(),
                            stack: None,
                        }),
                        processes: vec![ProcessRun {
                            phases: jsbench_schema::Phases {
                                prepare: None,
                                create: Some(1000),
                                load: Some(200),
                                first_call: Some(50),
                            },
                            samples: samples.to_vec(),
                            iterations_per_sample: 1,
                            warmup_calls: 1,
                            memory: Memory {
                                peak_rss: Some(if *b == "a" { 10 << 20 } else { 20 << 20 }),
                                engine: None,
                            },
                            ..ProcessRun::default()
                        }],
                        summary: stats_summary(samples),
                        build: None,
                        instructions: None,
                        stopped: None,
                        extra: BTreeMap::new(),
                    }
                })
                .collect(),
            features: None,
            sandbox: None,
            density: Vec::new(),
            concurrency: Vec::new(),
            conformance: None,
            sizes: Vec::new(),
            transport_floor: Vec::new(),
        }
    }

    fn stats_summary(samples: &[f64]) -> Option<Summary> {
        let median = stats::median(samples)?;
        Some(Summary {
            count: samples.len() as u64,
            median,
            mean: median,
            stddev: 0.0,
            mad: 0.0,
            min: stats::quantile(samples, 0.0)?,
            max: stats::quantile(samples, 1.0)?,
            ..Summary::default()
        })
    }

    #[test]
    fn ratios_geomeans_and_pareto() {
        let r = fixture(&[
            ("a", "w1", &[10.0, 10.0, 10.0]),
            ("b", "w1", &[20.0, 20.0, 20.0]),
            ("a", "w2", &[40.0, 40.0, 40.0]),
            ("b", "w2", &[10.0, 10.0, 10.0]),
            ("a", "w3", &[]),
            ("b", "w3", &[5.0, 5.0, 5.0]),
        ]);
        let a = analyze(&r, Some("b")).unwrap();
        assert_eq!(a.baseline, "b");
        assert_eq!(a.rows.len(), 3);
        let w1 = &a.rows[0];
        assert_eq!(w1.cells[0].vs_fastest, Some(1.0));
        assert_eq!(w1.cells[1].vs_fastest, Some(2.0));
        assert_eq!(w1.cells[0].vs_baseline, Some(0.5));
        assert!(w1.cells[0].fastest);
        // a: ratios 1 and 4 → geomean 2; b: 2, 1, 1 → geomean 2^(1/3).
        assert!((a.summaries[0].geomean_vs_fastest.unwrap() - 2.0).abs() < 1e-9);
        assert!((a.summaries[1].geomean_vs_fastest.unwrap() - 2f64.powf(1.0 / 3.0)).abs() < 1e-9);
        assert_eq!(a.summaries[0].rows_with_time, 2);
        // a uses less memory, b is faster: neither dominates.
        assert!(a.summaries[0].pareto_memory && a.summaries[1].pareto_memory);
        assert_eq!(a.rows[2].cells[0].problem.as_deref(), Some("FAILED: timeout"));
        assert_eq!(a.problems.len(), 1);
        assert_eq!(a.summaries[0].phases.create, Some(1000.0));
        assert!(a.sizes.is_empty());
    }

    #[test]
    fn unknown_baseline_is_an_error() {
        let r = fixture(&[("a", "w", &[1.0, 1.0, 1.0])]);
        let err = analyze(&r, Some("zz")).unwrap_err();
        assert!(err.to_string().contains("zz") && err.to_string().contains("a"));
    }

    #[test]
    fn a_backend_worse_on_both_axes_is_not_pareto() {
        // b is slower and bigger than a.
        let r = fixture(&[("a", "w", &[1.0, 1.0, 1.0]), ("b", "w", &[3.0, 3.0, 3.0])]);
        let a = analyze(&r, None).unwrap();
        assert!(a.summaries[0].pareto_memory);
        assert!(!a.summaries[1].pareto_memory);
    }

    fn size_report(
        name: &str,
        backends: &[&str],
        kind: SizeKind,
        binary: Option<u64>,
        install: Option<u64>,
    ) -> SizeReport {
        SizeReport {
            name: name.into(),
            kind,
            backends: backends.iter().map(|b| b.to_string()).collect(),
            variant: if install.is_some() { "installed" } else { "release" }.into(),
            component: String::new(),
            binary: None,
            binary_bytes: binary,
            delta_bytes: None,
            install_bytes: install,
            build: None,
            run_output: None,
            artefacts: vec![],
            notes: vec![],
            unavailable: None,
            measured_at: String::new(),
        }
    }

    #[test]
    fn sizes_come_from_the_sizes_section_or_the_cells() {
        let mut r = fixture(&[
            ("a", "w", &[1.0, 1.0, 1.0]),
            ("b", "w", &[3.0, 3.0, 3.0]),
            ("c", "w", &[2.0, 2.0, 2.0]),
        ]);
        r.sizes = vec![
            size_report("a", &["a"], SizeKind::Embedded, Some(1000), None),
            size_report("node", &["b"], SizeKind::OutOfProcess, Some(5000), Some(7000)),
        ];
        r.cells[2].build = Some(jsbench_schema::BuildCosts {
            component_bytes: Some(9000),
            precompiled_bytes: Some(20000),
            ..Default::default()
        });
        let a = analyze(&r, None).unwrap();
        assert_eq!(a.summaries[0].size, Some(1000.0));
        assert_eq!(a.summaries[1].size, Some(7000.0), "a runtime is its installation");
        assert_eq!(a.summaries[2].size, Some(9000.0));
        assert_eq!(a.summaries[2].size_source.as_deref(), Some(COMPONENT));
        assert!(a.summaries[0].pareto_size && !a.summaries[1].pareto_size);
        assert_eq!(a.sizes.len(), 5, "{:?}", a.sizes);
        assert!(a.sizes.iter().any(|s| s.what == PRECOMPILED && s.bytes == 20000.0));
        let none = analyze(&fixture(&[("a", "w", &[1.0, 1.0, 1.0])]), None).unwrap();
        assert!(none.sizes.is_empty() && none.summaries[0].size.is_none());
    }
}
