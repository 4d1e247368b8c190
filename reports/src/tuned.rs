//! Tuned vs default: each tuned variant of a backend (`quickjs-bytecode`,
//! `v8-codecache`, `v8-snapshot`, `wasm-component-pooled`, …) beside its
//! plain backend, phase by phase (create, load, first call, steady state,
//! peak RSS), with the plain/tuned ratio (above 1: the variant is faster
//! or smaller). One model, rendered by the terminal table, Markdown and
//! HTML.
//!
//! A variant is recognised from the results alone, so no list of backend
//! names lives here: a backend named `<plain>-<suffix>` whose plain backend
//! is in the same file, with the same engine and the same capabilities
//! (so `v8-jitless`, which gives up the JIT, is not a tuning of `v8`).

use crate::format::{bytes, duration};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell as TableCell, CellAlignment, Table};
use jsbench_schema::{BackendInfo, Cell, CellStatus, ProcessRun, Results};
use serde::Serialize;

/// The phases compared, in column order.
pub const COLUMNS: [&str; 5] = ["create", "load", "first call", "steady", "peak RSS"];

/// The section: one row per (variant, workload, size) with both cells.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tuned {
    /// The column names ([`COLUMNS`]).
    pub columns: Vec<String>,
    /// The rows, grouped by variant.
    pub rows: Vec<TunedRow>,
    /// Per variant: the geometric mean of each column's ratio.
    pub summaries: Vec<TunedRow>,
}

/// A variant against its plain backend on one workload (or, in a summary,
/// over all of them).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TunedRow {
    /// The tuned backend.
    pub variant: String,
    /// Its plain backend.
    pub plain: String,
    /// `workload (size)`, or `geometric mean over N` in a summary.
    pub workload: String,
    /// One per column.
    pub values: Vec<Pair>,
}

/// One column of a row: the variant's and the plain backend's figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    /// The variant's figure (nanoseconds, or bytes for memory).
    pub tuned: Option<f64>,
    /// The plain backend's figure.
    pub default: Option<f64>,
    /// `default / tuned`: above 1, the variant is faster (or smaller).
    pub ratio: Option<f64>,
    /// `1.2 ms vs 3.6 ms (3.00×)`, or `-`.
    pub text: String,
}

/// Which plain backend `variant` tunes, if any.
pub fn plain_of<'r>(variant: &BackendInfo, backends: &'r [BackendInfo]) -> Option<&'r BackendInfo> {
    backends.iter().find(|plain| {
        plain.name != variant.name
            && variant
                .name
                .strip_prefix(plain.name.as_str())
                .is_some_and(|rest| rest.len() > 1 && rest.starts_with('-'))
            && plain.engine == variant.engine
            && plain.capabilities == variant.capabilities
    })
}

/// The figures of one cell, in column order (medians over its processes).
fn figures(cell: &Cell) -> [Option<f64>; 5] {
    let median = |pick: fn(&ProcessRun) -> Option<u64>| {
        let values: Vec<f64> = cell.processes.iter().filter_map(pick).map(|v| v as f64).collect();
        jsbench_stats::median(&values)
    };
    let ok = cell.status == CellStatus::Ok;
    [
        median(|p| p.phases.create),
        median(|p| p.phases.load),
        median(|p| p.phases.first_call),
        cell.summary.filter(|_| ok).map(|s| s.median),
        median(|p| p.memory.peak_rss),
    ]
}

fn pair(column: usize, tuned: Option<f64>, default: Option<f64>) -> Pair {
    let ratio = match (tuned, default) {
        (Some(t), Some(d)) if t > 0.0 && d > 0.0 => Some(d / t),
        _ => None,
    };
    let show = |v: Option<f64>| match v {
        Some(v) if column == 4 => bytes(v.max(0.0) as u64),
        Some(v) => duration(v),
        None => "-".into(),
    };
    let text = match (tuned, default) {
        (None, None) => "-".into(),
        _ => match ratio {
            Some(r) => format!("{} vs {} ({r:.2}×)", show(tuned), show(default)),
            None => format!("{} vs {}", show(tuned), show(default)),
        },
    };
    Pair {
        tuned,
        default,
        ratio,
        text,
    }
}

fn summary_pair(ratios: &[f64]) -> Pair {
    let ratio = jsbench_stats::geometric_mean(ratios);
    Pair {
        tuned: None,
        default: None,
        ratio,
        text: ratio.map(|r| format!("{r:.2}×")).unwrap_or_else(|| "-".into()),
    }
}

impl Tuned {
    /// The section of a results file; `None` when it has no variant beside
    /// its plain backend.
    pub fn new(results: &Results) -> Option<Tuned> {
        let mut rows = Vec::new();
        let mut summaries = Vec::new();
        for variant in &results.backends {
            let Some(plain) = plain_of(variant, &results.backends) else {
                continue;
            };
            let mut ratios: [Vec<f64>; 5] = Default::default();
            let mut count = 0;
            for cell in results.cells.iter().filter(|c| c.backend == variant.name) {
                let Some(base) = results.cell(&plain.name, &cell.workload, &cell.size) else {
                    continue;
                };
                let (tuned, default) = (figures(cell), figures(base));
                let values: Vec<Pair> = (0..COLUMNS.len()).map(|i| pair(i, tuned[i], default[i])).collect();
                for (column, value) in values.iter().enumerate() {
                    ratios[column].extend(value.ratio);
                }
                count += 1;
                rows.push(TunedRow {
                    variant: variant.name.clone(),
                    plain: plain.name.clone(),
                    workload: format!("{} ({})", cell.workload, cell.size),
                    values,
                });
            }
            if count > 0 {
                summaries.push(TunedRow {
                    variant: variant.name.clone(),
                    plain: plain.name.clone(),
                    workload: format!("geometric mean over {count}"),
                    values: ratios.iter().map(|r| summary_pair(r)).collect(),
                });
            }
        }
        (!rows.is_empty()).then(|| Tuned {
            columns: COLUMNS.iter().map(|c| c.to_string()).collect(),
            rows,
            summaries,
        })
    }

    fn all_rows(&self) -> impl Iterator<Item = &TunedRow> {
        self.rows.iter().chain(&self.summaries)
    }

    /// The section as a terminal table.
    pub fn render_terminal(&self) -> String {
        self.render_terminal_within(None)
    }

    /// [`render_terminal`](Self::render_terminal) no wider than `width`
    /// columns (cells wrap), or as wide as it needs with `None`.
    pub fn render_terminal_within(&self, width: Option<usize>) -> String {
        let mut table = Table::new();
        table.load_preset(UTF8_FULL_CONDENSED);
        if let Some(width) = width {
            table.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
            table.set_width(u16::try_from(width).unwrap_or(u16::MAX));
        }
        let mut header = vec![TableCell::new("tuned vs default"), TableCell::new("workload (size)")];
        header.extend(self.columns.iter().map(TableCell::new));
        table.set_header(header);
        for row in self.all_rows() {
            let mut cells = vec![
                TableCell::new(format!("{} vs {}", row.variant, row.plain)),
                TableCell::new(&row.workload),
            ];
            cells.extend(
                row.values
                    .iter()
                    .map(|v| TableCell::new(&v.text).set_alignment(CellAlignment::Right)),
            );
            table.add_row(cells);
        }
        format!(
            "\nTuned vs default (tuned figure vs the plain backend's; × = default / tuned, above 1 the variant is faster):\n{table}\n"
        )
    }

    /// The section as a Markdown table.
    pub fn render_markdown(&self) -> String {
        let mut out = String::from("| tuned vs default | workload (size) |");
        for column in &self.columns {
            out.push_str(&format!(" {column} |"));
        }
        out.push_str("\n|---|---|");
        out.push_str(&"---:|".repeat(self.columns.len()));
        out.push('\n');
        for row in self.all_rows() {
            out.push_str(&format!("| {} vs {} | {} |", row.variant, row.plain, row.workload));
            for value in &row.values {
                out.push_str(&format!(" {} |", value.text));
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsbench_schema::{BackendKind, Capabilities, Memory, Phases, Summary};

    fn backend(name: &str, engine: &str, jit: bool) -> BackendInfo {
        BackendInfo {
            name: name.into(),
            engine: engine.into(),
            engine_version: "1".into(),
            kind: BackendKind::Embedded,
            capabilities: Capabilities {
                jit,
                ..Capabilities::default()
            },
            flags: vec![],
            unavailable: None,
            baseline_memory: None,
        }
    }

    fn cell(backend: &str, create: u64, steady: f64) -> Cell {
        Cell {
            backend: backend.into(),
            workload: "fib".into(),
            size: "small".into(),
            status: CellStatus::Ok,
            error: None,
            processes: vec![ProcessRun {
                phases: Phases {
                    create: Some(create),
                    load: Some(100),
                    first_call: None,
                    prepare: None,
                },
                memory: Memory {
                    peak_rss: Some(1 << 20),
                    engine: None,
                },
                ..ProcessRun::default()
            }],
            summary: Some(Summary {
                median: steady,
                ..Summary::default()
            }),
            build: None,
            instructions: None,
            stopped: None,
            extra: Default::default(),
        }
    }

    #[test]
    fn variants_are_found_by_name_engine_and_capabilities() {
        let all = vec![
            backend("v8", "V8", true),
            backend("v8-snapshot", "V8", true),
            backend("v8-jitless", "V8", false),
            backend("node-pipe", "Node.js", true),
            backend("quickjs", "QuickJS-ng", false),
            backend("quickjs-bytecode", "QuickJS-ng", false),
        ];
        let plain = |name: &str| {
            let b = all.iter().find(|b| b.name == name).unwrap();
            plain_of(b, &all).map(|p| p.name.as_str())
        };
        assert_eq!(plain("v8-snapshot"), Some("v8"));
        assert_eq!(plain("quickjs-bytecode"), Some("quickjs"));
        assert_eq!(plain("v8-jitless"), None, "another capability is not a tuning");
        assert_eq!(plain("v8"), None);
        assert_eq!(plain("node-pipe"), None);
    }

    #[test]
    fn rows_pair_each_variant_cell_with_its_plain_cell() {
        let mut results = crate::analysis::tests::fixture(&[]);
        results.backends = vec![backend("v8", "V8", true), backend("v8-snapshot", "V8", true)];
        results.cells = vec![cell("v8", 4000, 50.0), cell("v8-snapshot", 1000, 50.0)];
        let tuned = Tuned::new(&results).unwrap();
        assert_eq!(tuned.rows.len(), 1);
        let row = &tuned.rows[0];
        assert_eq!((row.variant.as_str(), row.plain.as_str()), ("v8-snapshot", "v8"));
        assert_eq!(row.values[0].ratio, Some(4.0));
        assert_eq!(row.values[3].ratio, Some(1.0));
        assert_eq!(row.values[2].text, "-");
        assert!(row.values[0].text.ends_with("(4.00×)"), "{}", row.values[0].text);
        assert_eq!(tuned.summaries[0].values[0].ratio, Some(4.0));
        assert!(tuned.render_markdown().contains("| v8-snapshot vs v8 | fib (small) |"));
        assert!(tuned.render_terminal().contains("geometric mean over 1"));

        results.backends.truncate(1);
        results.cells.truncate(1);
        assert_eq!(Tuned::new(&results), None);
    }
}
