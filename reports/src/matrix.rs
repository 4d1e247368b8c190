//! The terminal matrix of medians, fitted to a width: one row per workload
//! and size, one column per backend, each cell the median ± the half-width
//! of its 95 % interval (as hyperfine shows a time) and its ratio to the
//! fastest backend of the row. When the backends do not fit the width, the
//! columns are split into several tables of neighbouring backends, each
//! with the row labels; with no width (`--wide`) it is one table.

use crate::analysis::{Analysis, MatrixCell};
use crate::format::{duration, duration_pm};
use crate::style::{Palette, Tone};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell as TableCell, CellAlignment, ContentArrangement, Table};
use jsbench_schema::Results;
use unicode_width::UnicodeWidthStr;

/// How the matrix is laid out.
#[derive(Debug, Clone, Copy, Default)]
pub struct MatrixOptions {
    /// Widest a table may be, in terminal columns; `None` for one table
    /// however wide.
    pub width: Option<usize>,
    /// Colour.
    pub palette: Palette,
}

/// The matrix as one or several tables, with a title line above each
/// table when it is split.
pub fn render(results: &Results, analysis: &Analysis, options: &MatrixOptions) -> String {
    let all: Vec<usize> = (0..analysis.backends.len()).collect();
    let groups = match options.width {
        Some(width) => split(results, analysis, &all, width),
        None => vec![all],
    };
    let total = analysis.backends.len();
    let mut out = String::new();
    let mut first = 0;
    for (i, group) in groups.iter().enumerate() {
        if groups.len() > 1 {
            if i > 0 {
                out.push('\n');
            }
            let which = match group.len() {
                1 => format!("Backend {}", first + 1),
                n => format!("Backends {}–{}", first + 1, first + n),
            };
            out.push_str(&format!("{which} of {total} (--wide for one table):\n"));
        }
        first += group.len();
        let mut table = group_table(results, analysis, group, options.palette);
        if let (Some(width), true) = (options.width, group.len() == 1) {
            // One backend that still does not fit: wrap its cells.
            if width_of(&table.to_string()) > width {
                table.set_content_arrangement(ContentArrangement::Dynamic);
                table.set_width(u16::try_from(width).unwrap_or(u16::MAX));
            }
        }
        out.push_str(&table.to_string());
        out.push('\n');
    }
    out
}

/// Neighbouring backends packed greedily into tables no wider than `width`
/// (a backend too wide on its own gets a table of its own).
fn split(results: &Results, analysis: &Analysis, all: &[usize], width: usize) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    for &backend in all {
        current.push(backend);
        let fits = width_of(&group_table(results, analysis, &current, Palette::OFF).to_string()) <= width;
        if !fits && current.len() > 1 {
            current.pop();
            groups.push(std::mem::take(&mut current));
            current.push(backend);
        }
    }
    if !current.is_empty() {
        groups.push(current);
    }
    groups
}

/// The widest line of `text`, in terminal columns.
pub fn width_of(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// The table of the backends at `indices` (positions in
/// [`Analysis::backends`]).
fn group_table(results: &Results, analysis: &Analysis, indices: &[usize], palette: Palette) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    palette.apply(&mut table);
    let mut header = vec![TableCell::new("workload (size)")];
    header.extend(indices.iter().map(|&i| TableCell::new(&analysis.backends[i])));
    table.set_header(header);
    for row in &analysis.rows {
        let mut cells = vec![TableCell::new(format!("{} ({})", row.workload, row.size))];
        for &i in indices {
            let (text, tone) = cell_text(results, row.workload.as_str(), row.size.as_str(), &row.cells[i]);
            cells.push(palette.cell(TableCell::new(text).set_alignment(CellAlignment::Right), tone));
        }
        table.add_row(cells);
    }
    if analysis.rows.len() > 1 {
        let geomeans: Vec<Option<(f64, usize)>> = (0..analysis.backends.len())
            .map(|i| {
                let ratios: Vec<f64> = analysis.rows.iter().filter_map(|r| r.cells[i].vs_fastest).collect();
                jsbench_stats::geometric_mean(&ratios).map(|g| (g, ratios.len()))
            })
            .collect();
        let best = geomeans.iter().flatten().map(|(g, _)| *g).fold(f64::INFINITY, f64::min);
        let mut cells = vec![TableCell::new("geomean × fastest")];
        for &i in indices {
            let (text, tone) = match geomeans[i] {
                Some((g, n)) => (format!("{g:.2}× over {n}"), (g == best).then_some(Tone::Best)),
                None => ("-".into(), Some(Tone::Dim)),
            };
            cells.push(palette.cell(TableCell::new(text).set_alignment(CellAlignment::Right), tone));
        }
        table.add_row(cells);
    }
    table
}

/// The text of one cell and its tone.
fn cell_text(results: &Results, workload: &str, size: &str, cell: &MatrixCell) -> (String, Option<Tone>) {
    let Some(median) = cell.median else {
        let problem = cell.problem.clone().unwrap_or_else(|| "-".into());
        let tone = if problem == "-" {
            Tone::Dim
        } else if problem.starts_with("FAILED") || problem.starts_with("WRONG") {
            Tone::Bad
        } else {
            Tone::Warn
        };
        return (problem, Some(tone));
    };
    let time = match cell.ci {
        Some(ci) => duration_pm(median, (ci.high - ci.low) / 2.0),
        None => duration(median),
    };
    let ratio = cell.vs_fastest.map(|r| format!(" {r:.2}×")).unwrap_or_default();
    let partial = results
        .cell(&cell.backend, workload, size)
        .filter(|c| results.is_partial(c))
        .map(|c| format!(" PARTIAL {}/{}", c.processes.len(), results.config.processes));
    match partial {
        Some(p) => (format!("{time}{ratio}{p}"), Some(Tone::Warn)),
        None => (format!("{time}{ratio}"), cell.fastest.then_some(Tone::Best)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, tests::fixture};

    const SAMPLES: &[f64] = &[1000.0, 1010.0, 990.0, 1005.0, 995.0];

    fn eight_backends() -> Results {
        let names = [
            "quickjs",
            "boa",
            "v8",
            "wasm",
            "node",
            "deno",
            "bun",
            "quickjs-bytecode",
        ];
        let rows: Vec<(&str, &str, &[f64])> = names
            .iter()
            .flat_map(|b| [(*b, "fib", SAMPLES), (*b, "json-parse-1kb", SAMPLES)])
            .collect();
        fixture(&rows)
    }

    #[test]
    fn cells_show_the_median_plus_minus_half_the_interval_and_the_ratio() {
        let r = fixture(&[
            ("a", "w", SAMPLES),
            ("b", "w", &[2000.0, 2020.0, 1980.0, 2010.0, 1990.0]),
        ]);
        let text = render(&r, &analyze(&r, None).unwrap(), &MatrixOptions::default());
        assert!(text.contains(" ± "), "{text}");
        assert!(text.contains("1.00×") && text.contains("2.00×"), "{text}");
        assert_eq!(text.matches('┌').count(), 1, "one table: {text}");
    }

    #[test]
    fn a_narrow_width_splits_the_backends_into_tables_that_fit() {
        let r = eight_backends();
        let analysis = analyze(&r, None).unwrap();
        for width in [60, 80, 120] {
            let text = render(
                &r,
                &analysis,
                &MatrixOptions {
                    width: Some(width),
                    ..Default::default()
                },
            );
            assert!(width_of(&text) <= width, "width {width}:\n{text}");
            assert!(text.matches('┌').count() > 1, "split at {width}:\n{text}");
            for name in &analysis.backends {
                assert!(text.contains(name.as_str()), "{name} missing at {width}");
            }
            assert!(text.contains("Backends 1–") || text.contains("Backend 1 of"), "{text}");
        }
        let wide = render(&r, &analysis, &MatrixOptions::default());
        assert_eq!(wide.matches('┌').count(), 1);
        assert!(width_of(&wide) > 120, "the full matrix is wide");
    }

    #[test]
    fn one_backend_wider_than_the_width_is_wrapped() {
        let r = fixture(&[("a-very-long-backend-name-indeed", "a-long-workload-name", SAMPLES)]);
        let text = render(
            &r,
            &analyze(&r, None).unwrap(),
            &MatrixOptions {
                width: Some(40),
                ..Default::default()
            },
        );
        assert!(width_of(&text) <= 40, "{text}");
    }

    #[test]
    fn colour_marks_the_fastest_and_the_failures_and_changes_nothing_else() {
        let r = fixture(&[("a", "w", SAMPLES), ("b", "w", &[])]);
        let analysis = analyze(&r, None).unwrap();
        let plain = render(&r, &analysis, &MatrixOptions::default());
        assert!(!plain.contains('\u{1b}'), "{plain}");
        let coloured = render(
            &r,
            &analysis,
            &MatrixOptions {
                palette: Palette::ON,
                ..Default::default()
            },
        );
        assert!(
            coloured.matches('\u{1b}').count() >= 4,
            "two styled cells: {coloured:?}"
        );
        assert_eq!(strip_escapes(&coloured), plain);
    }

    /// `text` without its ANSI escape sequences (ESC `[` … letter).
    fn strip_escapes(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                for d in chars.by_ref() {
                    if d.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }
}
