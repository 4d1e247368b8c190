//! The terminal summary: one row per workload and size, one column per
//! backend, each cell the median time per operation and its ratio to the
//! fastest backend on that row. Failed and unsupported cells say so. A
//! file with a `sizes` section gets the size table ([`render_sizes`]) too.

use crate::format::{cell_problem, duration};
use crate::sizes::{IDENTITY_COLUMNS, SizeTable};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell as TableCell, CellAlignment, Table};
use jsbench_schema::{CellStatus, Results};

/// Renders the summary table, followed by a list of the errors, then the
/// size table when the file has sizes (only that when it has no cells, as a
/// file written by `jsbench size` alone).
pub fn render(results: &Results) -> String {
    let sizes = SizeTable::new(&results.sizes).map(|t| render_sizes(&t));
    match sizes {
        Some(sizes) if results.cells.is_empty() => sizes,
        Some(sizes) => format!("{}\nBinary size and build cost:\n{sizes}", render_matrix(results)),
        None => render_matrix(results),
    }
}

/// The size table as a terminal table, with its footnotes under it.
pub fn render_sizes(sizes: &SizeTable) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_header(sizes.header.clone());
    for row in &sizes.rows {
        let mut cells: Vec<TableCell> = row
            .cells
            .iter()
            .map(|c| {
                let cell = TableCell::new(&c.text);
                if c.numeric {
                    cell.set_alignment(CellAlignment::Right)
                } else {
                    cell
                }
            })
            .collect();
        if let Some(why) = &row.unavailable {
            cells.truncate(IDENTITY_COLUMNS);
            cells.push(TableCell::new(why));
        }
        table.add_row(cells);
    }
    let mut out = table.to_string();
    out.push('\n');
    for (i, line) in sizes.footnotes.iter().enumerate() {
        // The settings line reads as a sentence; the rest are indented notes.
        let indent = if i == 0 && line.starts_with("Probe builds:") {
            ""
        } else {
            "  "
        };
        out.push_str(&format!("{indent}{line}\n"));
    }
    out
}

/// The matrix of medians and the list of cells without a time.
fn render_matrix(results: &Results) -> String {
    let backends: Vec<&str> = results.backends.iter().map(|b| b.name.as_str()).collect();
    let mut rows: Vec<(String, String)> = Vec::new();
    for cell in &results.cells {
        let key = (cell.workload.clone(), cell.size.clone());
        if !rows.contains(&key) {
            rows.push(key);
        }
    }
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    let mut header = vec![TableCell::new("workload (size)")];
    header.extend(backends.iter().map(TableCell::new));
    table.set_header(header);
    let mut ratios: Vec<Vec<f64>> = vec![Vec::new(); backends.len()];
    for (workload, size) in &rows {
        let medians: Vec<Option<f64>> = backends
            .iter()
            .map(|b| {
                results
                    .cell(b, workload, size)
                    .filter(|c| c.status == CellStatus::Ok)
                    .and_then(|c| c.summary.map(|s| s.median))
            })
            .collect();
        let fastest = medians.iter().flatten().copied().fold(f64::INFINITY, f64::min);
        let mut row = vec![TableCell::new(format!("{workload} ({size})"))];
        for (i, median) in medians.iter().enumerate() {
            if let Some(m) = median {
                ratios[i].push(m / fastest);
            }
        }
        for (backend, median) in backends.iter().zip(&medians) {
            let text = match (results.cell(backend, workload, size), median) {
                (None, _) => "-".to_string(),
                (Some(cell), Some(m)) if results.is_partial(cell) => {
                    format!(
                        "{} ({:.2}x) PARTIAL {}/{}",
                        duration(*m),
                        m / fastest,
                        cell.processes.len(),
                        results.config.processes
                    )
                }
                (Some(_), Some(m)) => format!("{} ({:.2}x)", duration(*m), m / fastest),
                (Some(cell), None) => cell_problem(cell).unwrap_or_else(|| "no samples".into()),
            };
            row.push(TableCell::new(text).set_alignment(CellAlignment::Right));
        }
        table.add_row(row);
    }
    if rows.len() > 1 {
        let mut row = vec![TableCell::new("geometric mean (× fastest)")];
        for backend_ratios in &ratios {
            let text = match jsbench_stats::geometric_mean(backend_ratios) {
                Some(g) => format!("{g:.2}x over {}", backend_ratios.len()),
                None => "-".into(),
            };
            row.push(TableCell::new(text).set_alignment(CellAlignment::Right));
        }
        table.add_row(row);
    }
    let mut out = table.to_string();
    let problems: Vec<String> = results
        .cells
        .iter()
        .filter_map(|c| {
            let e = c.error.as_ref()?;
            let first_line = e.message.lines().next().unwrap_or_default();
            Some(format!(
                "  {} / {} ({}): {} in {}: {}",
                c.backend, c.workload, c.size, e.kind, e.phase, first_line
            ))
        })
        .collect();
    let partial: Vec<String> = results
        .cells
        .iter()
        .filter_map(|c| {
            Some(format!(
                "  {} / {} ({}): {}",
                c.backend,
                c.workload,
                c.size,
                results.partial_note(c)?
            ))
        })
        .collect();
    if !partial.is_empty() {
        out.push_str("\n\nPartial cells (not a full measurement):\n");
        out.push_str(&partial.join("\n"));
    }
    if !problems.is_empty() {
        out.push_str("\n\nCells without a time:\n");
        out.push_str(&problems.join("\n"));
    }
    out.push('\n');
    if let Some(big) = crate::bigcode::BigCode::new(results) {
        out.push_str("\nBig code: module size, load (parse and compile), first call and steady state (medians):\n");
        out.push_str(&big.render_terminal());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::fixture;

    #[test]
    fn unavailable_and_unsupported_rows_say_so() {
        let text = render_sizes(&SizeTable::new(&crate::sizes::tests::reports()).unwrap());
        assert!(text.contains("unavailable: cargo build failed"), "{text}");
        assert!(!text.contains("more"), "only the first line of the reason: {text}");
        assert!(text.contains("unsupported: no size measure"), "{text}");
        assert!(text.contains("+1.1 MiB") && text.contains("rquickjs 0.14.0"), "{text}");
        assert!(text.contains("\nProbe builds: opt-level 3"), "{text}");
        assert!(text.contains("  quickjs: a note"), "{text}");
    }

    #[test]
    fn a_file_with_sizes_shows_them_after_the_matrix() {
        let mut results = fixture(&[("a", "w1", &[10.0, 10.0, 10.0])]);
        let without = render(&results);
        assert!(!without.contains("probe / runtime"), "{without}");
        results.sizes = crate::sizes::tests::reports();
        let with = render(&results);
        assert!(with.starts_with(&without), "the matrix first");
        assert!(
            with.contains("Binary size and build cost:") && with.contains("probe / runtime"),
            "{with}"
        );
        results.cells.clear();
        let only = render(&results);
        assert!(only.starts_with("┌") && only.contains("probe / runtime"), "{only}");
        assert!(!only.contains("workload (size)"), "no empty matrix: {only}");
    }
}
