//! Where an out-of-process call's time goes: each process backend's call
//! split into the transport floor (a Rust peer over the same transport),
//! the runtime's share (its minimal echo less the floor), jsbench's
//! protocol (its server's empty request less the echo) and the workload
//! (the cell's time per call less the empty request), from the run's
//! `transport_floor` section. Shown by `show`, Markdown and the HTML report.

use crate::format::duration;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell as TableCell, CellAlignment, Table};
use jsbench_schema::{CellStatus, Results, Summary, TransportFloor};
use serde::Serialize;

/// The section: the fixed parts per backend and the split of each cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallSplit {
    /// One row per process backend with a measured floor.
    pub floors: Vec<FloorRow>,
    /// One row per measured cell of those backends.
    pub cells: Vec<SplitRow>,
}

/// A process backend's fixed cost per call.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FloorRow {
    /// Backend name.
    pub backend: String,
    /// `pipe` or `http`.
    pub transport: String,
    /// Median round trip to the Rust peer, ns.
    pub floor: Option<f64>,
    /// Median round trip to the runtime's minimal echo, ns.
    pub runtime_echo: Option<f64>,
    /// Median empty request to jsbench's server, ns.
    pub server_noop: Option<f64>,
    /// The same three as text, each with its 95th percentile (the spread).
    pub texts: [String; 3],
    /// Why a part is missing.
    pub error: Option<String>,
}

/// One cell's call, split into its four parts (ns; a part can come out
/// below zero when its two medians are within noise of each other).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SplitRow {
    /// Backend name.
    pub backend: String,
    /// `workload (size)`.
    pub workload: String,
    /// The cell's median time per call.
    pub call: f64,
    /// Floor, runtime, protocol and workload parts.
    pub parts: [f64; 4],
    /// The call and the four parts as text, each part with its share of
    /// the call.
    pub texts: [String; 5],
}

/// Column names of the split, after backend and workload.
pub const SPLIT_COLUMNS: [&str; 5] = ["call", "floor (OS + client)", "runtime", "jsbench protocol", "workload"];

/// Column names of the fixed parts, after backend and transport.
pub const FLOOR_COLUMNS: [&str; 3] = ["Rust peer", "runtime's echo", "jsbench server, empty"];

fn median(summary: &Option<Summary>) -> Option<f64> {
    summary.as_ref().map(|s| s.median)
}

fn text_of(summary: &Option<Summary>) -> String {
    match summary {
        Some(s) => match s.p95 {
            Some(p95) => format!("{} (p95 {})", duration(s.median), duration(p95)),
            None => duration(s.median),
        },
        None => "–".into(),
    }
}

/// Splits `call` (ns) with the three fixed medians of `floor`; `None` when
/// one of them is missing.
pub fn split(call: f64, floor: &TransportFloor) -> Option<[f64; 4]> {
    let (rust, echo, noop) = (
        median(&floor.floor)?,
        median(&floor.runtime_echo)?,
        median(&floor.server_noop)?,
    );
    Some([rust, echo - rust, noop - echo, call - noop])
}

fn part_text(part: f64, call: f64) -> String {
    let magnitude = duration(part.abs());
    let sign = if part < 0.0 { "−" } else { "" };
    if call > 0.0 {
        format!("{sign}{magnitude} ({:.0}%)", part / call * 100.0)
    } else {
        format!("{sign}{magnitude}")
    }
}

impl CallSplit {
    /// The section of `results`, or `None` without a transport floor.
    pub fn new(results: &Results) -> Option<CallSplit> {
        if results.transport_floor.is_empty() {
            return None;
        }
        let floors = results
            .transport_floor
            .iter()
            .map(|f| FloorRow {
                backend: f.backend.clone(),
                transport: f.transport.key().to_string(),
                floor: median(&f.floor),
                runtime_echo: median(&f.runtime_echo),
                server_noop: median(&f.server_noop),
                texts: [text_of(&f.floor), text_of(&f.runtime_echo), text_of(&f.server_noop)],
                error: f.error.clone(),
            })
            .collect();
        let mut cells = Vec::new();
        for floor in &results.transport_floor {
            for cell in results.cells.iter().filter(|c| c.backend == floor.backend) {
                let Some(call) = cell.summary.filter(|_| cell.status == CellStatus::Ok).map(|s| s.median) else {
                    continue;
                };
                let Some(parts) = split(call, floor) else {
                    continue;
                };
                cells.push(SplitRow {
                    backend: cell.backend.clone(),
                    workload: format!("{} ({})", cell.workload, cell.size),
                    call,
                    parts,
                    texts: [
                        duration(call),
                        part_text(parts[0], call),
                        part_text(parts[1], call),
                        part_text(parts[2], call),
                        part_text(parts[3], call),
                    ],
                });
            }
        }
        Some(CallSplit { floors, cells })
    }

    /// Both tables for a terminal, no wider than `width` columns when given.
    pub fn render_terminal_within(&self, width: Option<usize>) -> String {
        let table = |header: Vec<String>, rows: Vec<Vec<String>>| {
            let mut table = Table::new();
            table.load_preset(UTF8_FULL_CONDENSED);
            if let Some(width) = width {
                table.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
                table.set_width(u16::try_from(width).unwrap_or(u16::MAX));
            }
            table.set_header(header);
            for row in rows {
                table.add_row(row.into_iter().enumerate().map(|(i, text)| {
                    let cell = TableCell::new(text);
                    if i >= 2 {
                        cell.set_alignment(CellAlignment::Right)
                    } else {
                        cell
                    }
                }));
            }
            table.to_string()
        };
        let (header, rows) = self.floor_table();
        let mut out = format!(
            "\nTransport floor (single empty round trips from jsbench's client; median, p95):\n{}\n",
            table(header, rows)
        );
        if !self.cells.is_empty() {
            let (header, rows) = self.split_table();
            out.push_str(&format!(
                "\nWhere an out-of-process call's time goes (median per call = floor + runtime + protocol + workload):\n{}\n",
                table(header, rows)
            ));
        }
        out
    }

    fn floor_table(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut header = vec!["backend".to_string(), "transport".to_string()];
        header.extend(FLOOR_COLUMNS.iter().map(|c| c.to_string()));
        let rows = self
            .floors
            .iter()
            .map(|f| {
                let mut row = vec![f.backend.clone(), f.transport.clone()];
                row.extend(f.texts.iter().cloned());
                if let Some(error) = &f.error {
                    row[1] = format!("{} ({error})", f.transport);
                }
                row
            })
            .collect();
        (header, rows)
    }

    fn split_table(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut header = vec!["backend".to_string(), "workload (size)".to_string()];
        header.extend(SPLIT_COLUMNS.iter().map(|c| c.to_string()));
        let rows = self
            .cells
            .iter()
            .map(|r| {
                let mut row = vec![r.backend.clone(), r.workload.clone()];
                row.extend(r.texts.iter().cloned());
                row
            })
            .collect();
        (header, rows)
    }

    /// Both tables in Markdown.
    pub fn render_markdown(&self) -> String {
        let table = |(header, rows): (Vec<String>, Vec<Vec<String>>)| {
            let mut out = format!("| {} |\n|---|---|", header.join(" | "));
            out.push_str(&"---:|".repeat(header.len() - 2));
            out.push('\n');
            for row in rows {
                out.push_str(&format!("| {} |\n", row.join(" | ")));
            }
            out
        };
        let mut out = table(self.floor_table());
        if !self.cells.is_empty() {
            out.push('\n');
            out.push_str(&table(self.split_table()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsbench_schema::Transport;

    fn summary(median: f64) -> Option<Summary> {
        Some(Summary {
            count: 10,
            median,
            p95: Some(median * 2.0),
            ..Summary::default()
        })
    }

    fn floor(rust: f64, echo: f64, noop: f64) -> TransportFloor {
        TransportFloor {
            backend: "node-pipe".into(),
            transport: Transport::Pipe,
            floor: summary(rust),
            runtime_echo: summary(echo),
            server_noop: summary(noop),
            error: None,
        }
    }

    #[test]
    fn a_call_is_the_sum_of_its_parts() {
        let parts = split(50_000.0, &floor(10_000.0, 18_000.0, 21_000.0)).unwrap();
        assert_eq!(parts, [10_000.0, 8_000.0, 3_000.0, 29_000.0]);
        assert_eq!(parts.iter().sum::<f64>(), 50_000.0);
    }

    #[test]
    fn a_missing_part_gives_no_split() {
        let mut f = floor(1.0, 2.0, 3.0);
        f.runtime_echo = None;
        assert_eq!(split(10.0, &f), None);
    }

    #[test]
    fn parts_within_noise_may_be_negative_and_say_so() {
        let parts = split(20_000.0, &floor(10_000.0, 22_000.0, 21_000.0)).unwrap();
        assert_eq!(parts[2], -1_000.0);
        assert!(
            part_text(parts[2], 20_000.0).starts_with('−'),
            "{}",
            part_text(parts[2], 20_000.0)
        );
    }
}
