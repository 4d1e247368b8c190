//! The terminal summary: one row per workload and size, one column per
//! backend, each cell the median time per operation ± half its interval
//! and its ratio to the fastest backend on that row (laid out by
//! [`crate::matrix`], which fits it to a width with [`render_with`]).
//! Failed and unsupported cells say so. A file with a `sizes` section gets
//! the size table ([`render_sizes`]) too.

use crate::analysis;
use crate::matrix::{self, MatrixOptions};
use crate::sizes::{IDENTITY_COLUMNS, SizeTable};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell as TableCell, CellAlignment, Table};
use jsbench_schema::Results;

/// Renders the summary table, followed by a list of the errors, then the
/// size table when the file has sizes (only that when it has no cells, as a
/// file written by `jsbench size` alone).
pub fn render(results: &Results) -> String {
    render_with(results, &MatrixOptions::default())
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

/// Renders the summary like [`render`], laid out by `options`: fitted to a
/// width (several tables) and coloured.
pub fn render_with(results: &Results, options: &MatrixOptions) -> String {
    let sizes = SizeTable::new(&results.sizes).map(|t| render_sizes(&t));
    match sizes {
        Some(sizes) if results.cells.is_empty() => sizes,
        Some(sizes) => format!(
            "{}\nBinary size and build cost:\n{sizes}",
            render_matrix_with(results, options)
        ),
        None => render_matrix_with(results, options),
    }
}

/// The matrix of medians and the list of cells without a time.
fn render_matrix_with(results: &Results, options: &MatrixOptions) -> String {
    let mut out = match analysis::analyze(results, None) {
        Ok(analysis) => matrix::render(results, &analysis, options),
        Err(e) => format!("{e}\n"),
    };
    // The lists below follow the table directly.
    if out.ends_with('\n') {
        out.pop();
    }
    let problems: Vec<String> = results
        .cells
        .iter()
        .filter_map(|c| {
            let e = c.error.as_ref()?;
            Some(format!(
                "  {} / {} ({}): {}",
                c.backend,
                c.workload,
                c.size,
                crate::format::error_line(e)
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
