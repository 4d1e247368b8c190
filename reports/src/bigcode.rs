//! Big code made visible: for every workload whose module is big (a bundle
//! of npm libraries, or any module of [`BIG_MODULE`] bytes or more), its
//! size beside the median `load` (parse and compile), first call and
//! steady-state time on every backend, so the cost of big code is seen at
//! a glance. One model, rendered by the terminal table, Markdown and HTML.

use crate::format::{bytes, cell_problem, duration};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell as TableCell, CellAlignment, Table};
use jsbench_schema::{Cell, CellStatus, Results};
use serde::Serialize;

/// Modules from this size on are listed even when not bundled.
pub const BIG_MODULE: u64 = 64 * 1024;

/// The section: one row per big workload and size, largest module first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BigCode {
    /// Backend names, the columns.
    pub backends: Vec<String>,
    /// The rows.
    pub rows: Vec<BigRow>,
}

/// One workload at one size.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BigRow {
    /// Workload name.
    pub workload: String,
    /// Size name.
    pub size: String,
    /// Module size in bytes.
    pub module_bytes: u64,
    /// Module size for people (`9.6 MiB`).
    pub module_text: String,
    /// Whether the module is a bundle made from an entry.
    pub bundled: bool,
    /// One per backend, in column order.
    pub cells: Vec<BigCell>,
}

/// The phases of one cell (medians over its processes, nanoseconds).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BigCell {
    /// `load`: parse and compile the module.
    pub load: Option<f64>,
    /// The first call.
    pub first_call: Option<f64>,
    /// Steady state, per operation.
    pub steady: Option<f64>,
    /// Why there is no time (failed, unsupported), when there is none.
    pub problem: Option<String>,
}

impl BigCell {
    fn of(cell: Option<&Cell>) -> BigCell {
        let Some(cell) = cell else {
            return BigCell {
                load: None,
                first_call: None,
                steady: None,
                problem: Some("-".into()),
            };
        };
        let phase = |pick: fn(&jsbench_schema::Phases) -> Option<u64>| {
            let values: Vec<f64> = cell
                .processes
                .iter()
                .filter_map(|p| pick(&p.phases))
                .map(|v| v as f64)
                .collect();
            jsbench_stats::median(&values)
        };
        let steady = cell.summary.filter(|_| cell.status == CellStatus::Ok).map(|s| s.median);
        BigCell {
            load: phase(|p| p.load),
            first_call: phase(|p| p.first_call),
            steady,
            problem: if steady.is_none() { cell_problem(cell) } else { None },
        }
    }

    /// `load 136 ms`, `1st call 106 ms`, `steady 5.61 ms` (or the problem),
    /// one per line.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let mut push = |label: &str, value: Option<f64>| {
            if let Some(v) = value {
                lines.push(format!("{label} {}", duration(v)));
            }
        };
        push("load", self.load);
        push("1st call", self.first_call);
        push("steady", self.steady);
        if let Some(problem) = &self.problem {
            lines.push(problem.clone());
        }
        lines
    }
}

impl BigCode {
    /// The section of a results file; `None` when no module is big.
    pub fn new(results: &Results) -> Option<BigCode> {
        let backends: Vec<String> = results.backends.iter().map(|b| b.name.clone()).collect();
        let mut rows = Vec::new();
        for workload in &results.workloads {
            let bundled = workload.bundle.is_some();
            let Some(module_bytes) = workload.module_bytes.or(workload.bundle.as_ref().map(|b| b.bytes)) else {
                continue;
            };
            if !bundled && module_bytes < BIG_MODULE {
                continue;
            }
            let mut sizes: Vec<&str> = Vec::new();
            for cell in results.cells.iter().filter(|c| c.workload == workload.name) {
                if !sizes.contains(&cell.size.as_str()) {
                    sizes.push(&cell.size);
                }
            }
            for size in sizes {
                rows.push(BigRow {
                    workload: workload.name.clone(),
                    size: size.to_string(),
                    module_bytes,
                    module_text: bytes(module_bytes),
                    bundled,
                    cells: backends
                        .iter()
                        .map(|b| BigCell::of(results.cell(b, &workload.name, size)))
                        .collect(),
                });
            }
        }
        rows.sort_by(|a, b| b.module_bytes.cmp(&a.module_bytes).then(a.workload.cmp(&b.workload)));
        (!rows.is_empty()).then_some(BigCode { backends, rows })
    }

    /// The section as a terminal table, each cell a few lines.
    pub fn render_terminal(&self) -> String {
        let mut table = Table::new();
        table.load_preset(UTF8_FULL_CONDENSED);
        let mut header = vec![TableCell::new("workload (size)"), TableCell::new("module")];
        header.extend(self.backends.iter().map(TableCell::new));
        table.set_header(header);
        for row in &self.rows {
            let mut cells = vec![
                TableCell::new(format!("{} ({})", row.workload, row.size)),
                TableCell::new(&row.module_text).set_alignment(CellAlignment::Right),
            ];
            for cell in &row.cells {
                cells.push(TableCell::new(cell.lines().join("\n")).set_alignment(CellAlignment::Right));
            }
            table.add_row(cells);
        }
        format!("{table}\n")
    }

    /// The section as a Markdown table (the lines of a cell joined by `<br>`).
    pub fn render_markdown(&self) -> String {
        let mut out = String::from("| workload (size) | module |");
        for b in &self.backends {
            out.push_str(&format!(" {b} |"));
        }
        out.push_str("\n|---|---:|");
        out.push_str(&"---:|".repeat(self.backends.len()));
        out.push('\n');
        for row in &self.rows {
            out.push_str(&format!("| {} ({}) | {} |", row.workload, row.size, row.module_text));
            for cell in &row.cells {
                out.push_str(&format!(" {} |", cell.lines().join("<br>").replace('|', "\\|")));
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::fixture;
    use jsbench_schema::{BundleInfo, WorkloadInfo};

    fn results() -> Results {
        let mut r = fixture(&[
            ("v8", "tiny", &[1.0]),
            ("v8", "huge", &[5.0]),
            ("v8", "plain-big", &[2.0]),
            ("boa", "huge", &[]),
        ]);
        for (name, bytes, bundled) in [
            ("tiny", 100, false),
            ("huge", 9 << 20, true),
            ("plain-big", 100 << 10, false),
        ] {
            r.workloads.push(WorkloadInfo {
                name: name.into(),
                category: "c".into(),
                description: String::new(),
                manifest: String::new(),
                source_sha256: String::new(),
                definition_sha256: None,
                module_bytes: Some(bytes),
                bundle: bundled.then(|| BundleInfo {
                    entry: "main.js".into(),
                    bytes,
                    sha256: String::new(),
                    inputs: 3,
                    esbuild_version: "0".into(),
                }),
            });
        }
        let huge = r.cells.iter_mut().find(|c| c.workload == "huge").unwrap();
        let template = huge.processes[0].clone();
        huge.processes.clear();
        for load in [100_000_000u64, 300_000_000, 200_000_000] {
            let mut run = template.clone();
            run.phases.load = Some(load);
            huge.processes.push(run);
        }
        r
    }

    #[test]
    fn big_and_bundled_modules_are_listed_largest_first_with_median_phases() {
        let big = BigCode::new(&results()).unwrap();
        let names: Vec<&str> = big.rows.iter().map(|r| r.workload.as_str()).collect();
        assert_eq!(names, ["huge", "plain-big"], "small unbundled modules are left out");
        let cell = &big.rows[0].cells[0];
        assert_eq!(cell.load, Some(200_000_000.0), "the median over processes");
        assert_eq!(cell.steady, Some(5.0));
        let failed = &big.rows[0].cells[1];
        assert_eq!((failed.steady, failed.problem.is_some()), (None, true), "{failed:?}");
        let text = big.render_terminal();
        assert!(text.contains(&bytes(9 << 20)), "{text}");
        assert!(text.contains(&format!("load {}", duration(200_000_000.0))), "{text}");
        assert!(big.render_markdown().contains("| huge (small) |"));
    }

    #[test]
    fn a_file_without_big_modules_has_no_section() {
        let mut r = results();
        r.workloads.retain(|w| w.name == "tiny");
        assert_eq!(BigCode::new(&r), None);
    }
}
