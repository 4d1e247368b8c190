//! One base file against several candidates, as pyperf's `compare_to`
//! does: each candidate is compared with the base on its own (the same
//! bootstrap judgement as [`crate::compare`]), and the results are laid
//! side by side, one column per candidate, one row per cell.

use crate::compare::{CellChange, Comparison, Verdict, change_text, figure, headline};
use crate::style::{Palette, Tone};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell as TableCell, CellAlignment, Table};

/// One candidate file and its comparison with the base.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// How the candidate is named in the columns (its file name).
    pub name: String,
    /// Its comparison with the base.
    pub comparison: Comparison,
}

/// Every cell of any comparison, in order of first appearance.
fn keys(candidates: &[Candidate]) -> Vec<(String, String, String)> {
    let mut keys: Vec<(String, String, String)> = Vec::new();
    for c in candidates.iter().flat_map(|c| &c.comparison.cells) {
        let key = (c.backend.clone(), c.workload.clone(), c.size.clone());
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

fn find<'a>(cmp: &'a Comparison, key: &(String, String, String)) -> Option<&'a CellChange> {
    cmp.cells
        .iter()
        .find(|c| c.backend == key.0 && c.workload == key.1 && c.size == key.2)
}

/// The text of a candidate's cell, and its tone.
fn candidate_text(change: Option<&CellChange>) -> (String, Option<Tone>) {
    let Some(c) = change else {
        return ("-".into(), Some(Tone::Dim));
    };
    let tone = match c.verdict {
        Verdict::Regression | Verdict::Broken => Some(Tone::Bad),
        Verdict::Improvement | Verdict::Fixed => Some(Tone::Best),
        Verdict::Unavailable => Some(Tone::Dim),
        Verdict::Unchanged => None,
    };
    let text = match c.verdict {
        Verdict::Broken | Verdict::Fixed => c.verdict.label().to_string(),
        Verdict::Unavailable if c.ratio.is_none() => "not compared".to_string(),
        Verdict::Unchanged => format!("{} ({})", figure(c.metric, c.new), change_text(c)),
        v => format!("{} ({}) {}", figure(c.metric, c.new), change_text(c), v.label()),
    };
    (text, tone)
}

fn base_text(candidates: &[Candidate], key: &(String, String, String)) -> String {
    candidates
        .iter()
        .filter_map(|c| find(&c.comparison, key))
        .find_map(|c| c.base.map(|b| figure(c.metric, Some(b))))
        .unwrap_or_else(|| "-".into())
}

/// The side-by-side terminal table, then each candidate's headline.
pub fn render_table(candidates: &[Candidate], palette: Palette) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    palette.apply(&mut table);
    let mut header = vec!["backend".to_string(), "workload (size)".into(), "base".into()];
    header.extend(candidates.iter().map(|c| c.name.clone()));
    table.set_header(header);
    for key in keys(candidates) {
        let mut row = vec![
            TableCell::new(&key.0),
            TableCell::new(format!("{} ({})", key.1, key.2)),
            TableCell::new(base_text(candidates, &key)).set_alignment(CellAlignment::Right),
        ];
        for candidate in candidates {
            let (text, tone) = candidate_text(find(&candidate.comparison, &key));
            row.push(palette.cell(TableCell::new(text).set_alignment(CellAlignment::Right), tone));
        }
        table.add_row(row);
    }
    let mut out = table.to_string();
    out.push('\n');
    for candidate in candidates {
        for w in &candidate.comparison.warnings {
            out.push_str(&format!("warning: {}: {w}\n", candidate.name));
        }
    }
    for candidate in candidates {
        let line = format!("{}: {}", candidate.name, headline(&candidate.comparison));
        let tone = if candidate.comparison.has_regression() {
            Tone::Bad
        } else {
            Tone::Best
        };
        out.push_str(&palette.paint(&line, tone));
        out.push('\n');
    }
    out
}

/// The side-by-side table as GitHub-flavoured Markdown.
pub fn render_markdown(candidates: &[Candidate]) -> String {
    let mut out = String::from("## jsbench comparison\n\n");
    for candidate in candidates {
        let icon = if candidate.comparison.has_regression() {
            "❌"
        } else {
            "✅"
        };
        out.push_str(&format!(
            "- {icon} `{}`: {}\n",
            candidate.name,
            headline(&candidate.comparison)
        ));
    }
    out.push_str("\n| backend | workload (size) | base |");
    for candidate in candidates {
        out.push_str(&format!(" {} |", candidate.name.replace('|', "\\|")));
    }
    out.push_str("\n|---|---|---:|");
    out.push_str(&"---:|".repeat(candidates.len()));
    out.push('\n');
    for key in keys(candidates) {
        out.push_str(&format!(
            "| {} | {} ({}) | {} |",
            key.0,
            key.1,
            key.2,
            base_text(candidates, &key)
        ));
        for candidate in candidates {
            let change = find(&candidate.comparison, &key);
            let (text, _) = candidate_text(change);
            let text = match change.map(|c| c.verdict) {
                Some(Verdict::Regression | Verdict::Broken) => format!("**{text}**"),
                _ => text,
            };
            out.push_str(&format!(" {} |", text.replace('|', "\\|")));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::fixture;
    use crate::compare::{Metric, Settings, compare};

    const NOISY: &[f64] = &[100.0, 103.0, 98.0, 101.0, 99.0, 102.0, 100.5, 97.5, 101.5, 99.5];

    fn candidates() -> Vec<Candidate> {
        let settings = Settings {
            threshold: 0.05,
            metric: Metric::Auto,
        };
        let base = fixture(&[("a", "w", NOISY), ("b", "w", NOISY)]);
        let slower: Vec<f64> = NOISY.iter().map(|v| v * 1.2).collect();
        let faster: Vec<f64> = NOISY.iter().map(|v| v * 0.8).collect();
        let one = fixture(&[("a", "w", NOISY), ("b", "w", &slower)]);
        let two = fixture(&[("a", "w", &faster), ("b", "w", NOISY)]);
        [("one.json", one), ("two.json", two)]
            .into_iter()
            .map(|(name, new)| Candidate {
                name: name.into(),
                comparison: compare(&base, &new, settings).unwrap(),
            })
            .collect()
    }

    #[test]
    fn one_column_per_candidate_with_its_own_verdicts() {
        let text = render_table(&candidates(), Palette::OFF);
        let header = text.lines().nth(1).unwrap();
        assert!(
            header.contains("base") && header.contains("one.json") && header.contains("two.json"),
            "{text}"
        );
        let row_b = text.lines().find(|l| l.contains("│ b ")).unwrap();
        assert!(row_b.contains("+20.0 %") && row_b.contains("REGRESSION"), "{text}");
        let row_a = text.lines().find(|l| l.contains("│ a ")).unwrap();
        assert!(row_a.contains("-20.0 %") && row_a.contains("improvement"), "{text}");
        assert!(text.contains("one.json: 1 regression(s)"), "{text}");
        assert!(text.contains("two.json: No significant regression"), "{text}");
    }

    #[test]
    fn markdown_has_a_column_per_candidate() {
        let md = render_markdown(&candidates());
        assert!(
            md.contains("| backend | workload (size) | base | one.json | two.json |"),
            "{md}"
        );
        assert!(md.contains("|---|---|---:|---:|---:|"), "{md}");
        assert!(md.contains("**120 ns (+20.0 %) REGRESSION**"), "{md}");
    }

    #[test]
    fn regressions_are_red_when_coloured() {
        let text = render_table(&candidates(), Palette::ON);
        assert!(text.contains('\u{1b}'), "{text}");
    }
}
