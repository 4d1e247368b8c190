//! The language-feature matrix (`jsbench features`) as a terminal table or
//! Markdown, and the test262 counts (`jsbench conformance`) as a terminal
//! table: one row per edition and feature (or per directory), one column
//! per backend.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell as TableCell, CellAlignment, Table};
use jsbench_schema::{ConformanceCounts, ConformanceReport, FeatureMatrix, FeatureResult, FeatureStatus};

/// The short mark of a verdict: `✓`, `✗ missing`, `✗ wrong`, `✗ <error
/// kind>` (`✗ syntax` when the engine cannot parse the feature) or `–` for
/// an unavailable backend.
pub fn mark(result: &FeatureResult) -> String {
    match result.status {
        FeatureStatus::Supported => "✓".into(),
        FeatureStatus::Missing => "✗ missing".into(),
        FeatureStatus::Wrong => "✗ wrong".into(),
        FeatureStatus::Error => match result.error_kind {
            Some(kind) => format!("✗ {kind}"),
            None => "✗ error".into(),
        },
        FeatureStatus::Unavailable => "–".into(),
    }
}

fn backends(matrix: &FeatureMatrix) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for r in &matrix.results {
        if !names.contains(&r.backend.as_str()) {
            names.push(&r.backend);
        }
    }
    names
}

fn find<'a>(matrix: &'a FeatureMatrix, backend: &str, probe: &str) -> Option<&'a FeatureResult> {
    matrix.results.iter().find(|r| r.backend == backend && r.probe == probe)
}

/// Supported probes of a backend, out of those it ran.
fn score(matrix: &FeatureMatrix, backend: &str) -> String {
    let ran: Vec<&FeatureResult> = matrix
        .results
        .iter()
        .filter(|r| r.backend == backend && r.status != FeatureStatus::Unavailable)
        .collect();
    if ran.is_empty() {
        return "unavailable".into();
    }
    let ok = ran.iter().filter(|r| r.status == FeatureStatus::Supported).count();
    format!("{ok}/{}", ran.len())
}

/// The matrix as a terminal table, followed by what went wrong where a
/// probe ran but did not pass (missing built-ins are clear from the table).
pub fn render(matrix: &FeatureMatrix) -> String {
    let names = backends(matrix);
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    let mut header = vec![TableCell::new("edition"), TableCell::new("feature")];
    header.extend(names.iter().map(TableCell::new));
    table.set_header(header);
    for probe in &matrix.probes {
        let mut row = vec![TableCell::new(&probe.edition), TableCell::new(&probe.feature)];
        for backend in &names {
            let text = find(matrix, backend, &probe.id).map_or_else(|| "".into(), mark);
            row.push(TableCell::new(text).set_alignment(CellAlignment::Center));
        }
        table.add_row(row);
    }
    let mut total = vec![TableCell::new(""), TableCell::new("supported")];
    total.extend(
        names
            .iter()
            .map(|b| TableCell::new(score(matrix, b)).set_alignment(CellAlignment::Center)),
    );
    table.add_row(total);
    let mut out = table.to_string();
    out.push('\n');
    let notes = notes(matrix);
    if !notes.is_empty() {
        out.push_str("\nWhat went wrong:\n");
        for line in notes {
            out.push_str("  ");
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// One line per wrong or failed probe, plus one per unavailable backend.
fn notes(matrix: &FeatureMatrix) -> Vec<String> {
    let mut lines = Vec::new();
    let mut unavailable: Vec<&str> = Vec::new();
    for r in &matrix.results {
        let detail = r.detail.as_deref().unwrap_or_default();
        let first = detail.lines().next().unwrap_or_default();
        let short: String = first.chars().take(140).collect();
        match r.status {
            FeatureStatus::Wrong | FeatureStatus::Error => {
                lines.push(format!("{} / {}: {}", r.backend, r.probe, short));
            }
            FeatureStatus::Unavailable if !unavailable.contains(&r.backend.as_str()) => {
                unavailable.push(&r.backend);
                lines.push(format!("{}: {}", r.backend, short));
            }
            _ => {}
        }
    }
    lines
}

/// The matrix as a Markdown table (for READMEs and reports).
pub fn render_markdown(matrix: &FeatureMatrix) -> String {
    let names = backends(matrix);
    let mut out = String::from("| edition | feature |");
    for b in &names {
        out.push_str(&format!(" {b} |"));
    }
    out.push_str("\n|---|---|");
    out.push_str(&":-:|".repeat(names.len()));
    out.push('\n');
    for probe in &matrix.probes {
        out.push_str(&format!("| {} | {} |", probe.edition, escape(&probe.feature)));
        for backend in &names {
            let text = find(matrix, backend, &probe.id).map_or_else(String::new, mark);
            out.push_str(&format!(" {text} |"));
        }
        out.push('\n');
    }
    out.push_str("| | **supported** |");
    for backend in &names {
        out.push_str(&format!(" {} |", score(matrix, backend)));
    }
    out.push('\n');
    out
}

fn escape(text: &str) -> String {
    text.replace('|', "\\|")
}

/// The test262 counts: one row per directory (and a total), one column per
/// backend, each cell the runs `passed / failed / skipped` and the test
/// files passed out of all (a file passes when none of its runs fails), as
/// published per-engine test262 results count them.
pub fn render_conformance(report: &ConformanceReport, totals: &[ConformanceCounts]) -> String {
    let mut directories: Vec<&str> = Vec::new();
    for c in &report.directories {
        if !directories.contains(&c.directory.as_str()) {
            directories.push(&c.directory);
        }
    }
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    let mut header = vec![TableCell::new("directory (runs pass / fail / skip, files passed)")];
    header.extend(report.backends.iter().map(TableCell::new));
    table.set_header(header);
    let cell = |c: Option<&ConformanceCounts>| {
        let text = c.map_or_else(
            || "-".into(),
            |c| {
                let files = c.files_passed + c.files_failed + c.files_skipped;
                format!(
                    "{} / {} / {}, files {}/{files}",
                    c.passed, c.failed, c.skipped, c.files_passed
                )
            },
        );
        TableCell::new(text).set_alignment(CellAlignment::Right)
    };
    for dir in &directories {
        let mut row = vec![TableCell::new(if dir.is_empty() { "." } else { dir })];
        for backend in &report.backends {
            row.push(cell(
                report
                    .directories
                    .iter()
                    .find(|c| &c.backend == backend && c.directory == *dir),
            ));
        }
        table.add_row(row);
    }
    let mut row = vec![TableCell::new("total")];
    row.extend(
        report
            .backends
            .iter()
            .map(|b| cell(totals.iter().find(|t| &t.backend == b))),
    );
    table.add_row(row);
    let mut out = table.to_string();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsbench_schema::{ErrorKind, FeatureProbe};

    fn matrix() -> FeatureMatrix {
        let probe = |id: &str, edition: &str| FeatureProbe {
            id: id.into(),
            edition: edition.into(),
            feature: format!("Feature {id}"),
            description: String::new(),
            path: format!("{id}.js"),
        };
        let result = |backend: &str, probe: &str, status, kind, detail: Option<&str>| FeatureResult {
            backend: backend.into(),
            probe: probe.into(),
            status,
            error_kind: kind,
            detail: detail.map(Into::into),
            nanos: None,
        };
        FeatureMatrix {
            probes: vec![probe("a", "ES2015"), probe("b", "ES2022")],
            results: vec![
                result("x", "a", FeatureStatus::Supported, None, None),
                result(
                    "x",
                    "b",
                    FeatureStatus::Error,
                    Some(ErrorKind::Syntax),
                    Some("unexpected token"),
                ),
                result("y", "a", FeatureStatus::Wrong, None, Some("gave 3")),
                result("y", "b", FeatureStatus::Missing, None, Some("missing: B")),
            ],
        }
    }

    #[test]
    fn table_marks_each_verdict_and_explains_failures() {
        let text = render(&matrix());
        for needle in [
            "✓",
            "✗ syntax",
            "✗ wrong",
            "✗ missing",
            "1/2",
            "0/2",
            "x / b: unexpected token",
            "y / a: gave 3",
        ] {
            assert!(text.contains(needle), "{needle} not in\n{text}");
        }
        assert!(!text.contains("y / b"), "missing built-ins need no note:\n{text}");
    }

    #[test]
    fn markdown_has_a_row_per_probe() {
        let md = render_markdown(&matrix());
        assert_eq!(md.lines().count(), 2 + 2 + 1);
        assert!(md.contains("| ES2022 | Feature b | ✗ syntax | ✗ missing |"), "{md}");
    }
}
