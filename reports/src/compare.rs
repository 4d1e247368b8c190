//! Comparing two results files cell by cell, so a change is called a
//! regression only when the noise cannot explain it.
//!
//! For time, the change of a cell is `median(new) / median(base)` with a 95 %
//! percentile-bootstrap interval that resamples both sides: their per-process
//! medians once a side has three processes (a rerun moves whole processes,
//! so they are the unit), else their samples. A cell is
//! a regression only when the whole interval lies above `1 + threshold`,
//! and an improvement only when it lies below `1 / (1 + threshold)`.
//! Instruction counts (a cell's `instructions`, one figure per cell) are
//! nearly free of noise, so for them the plain ratio is judged.
//! A cell that ran in the base and fails in the new file counts as a
//! regression too: the change broke it.

use crate::analysis::{cell_median, estimate_values};
use crate::format::duration;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell as TableCell, CellAlignment, Table};
use jsbench_schema::{Cell, CellStatus, Results};
use jsbench_stats::{self as stats, Interval};

/// What to compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Instruction counts where both cells have them, time elsewhere.
    Auto,
    /// Steady-state time per operation.
    Time,
    /// Instruction counts (a cell's `instructions`).
    Instructions,
}

/// Settings of a comparison.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Relative change below which nothing is called a regression (0.05 = 5 %).
    pub threshold: f64,
    /// The metric.
    pub metric: Metric,
}

/// The judgement of one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Slower beyond the threshold, with the whole interval above it.
    Regression,
    /// Faster beyond the threshold, with the whole interval below it.
    Improvement,
    /// No change the noise cannot explain.
    Unchanged,
    /// Ran in the base, fails in the new file.
    Broken,
    /// Failed in the base, runs in the new file.
    Fixed,
    /// Not comparable (missing, failing in both, metric unavailable).
    Unavailable,
}

impl Verdict {
    /// The verdict as shown in the tables.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Regression => "REGRESSION",
            Verdict::Improvement => "improvement",
            Verdict::Unchanged => "no significant change",
            Verdict::Broken => "BROKEN",
            Verdict::Fixed => "fixed",
            Verdict::Unavailable => "not compared",
        }
    }
}

/// One compared cell.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CellChange {
    /// Backend name.
    pub backend: String,
    /// Workload name.
    pub workload: String,
    /// Size name.
    pub size: String,
    /// `time` or `instructions` (or empty when not compared).
    pub metric: &'static str,
    /// Base figure.
    pub base: Option<f64>,
    /// New figure.
    pub new: Option<f64>,
    /// new / base.
    pub ratio: Option<f64>,
    /// 95 % interval of the ratio (time only).
    pub interval: Option<Interval>,
    /// The judgement.
    pub verdict: Verdict,
    /// Why a cell was not compared, or other remarks.
    pub note: String,
}

/// The whole comparison.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Comparison {
    /// Every cell of either file.
    pub cells: Vec<CellChange>,
    /// The threshold used.
    pub threshold: f64,
    /// Remarks about the two files (different machines, profiles, …).
    pub warnings: Vec<String>,
}

impl Comparison {
    /// Cells judged regressions or broken.
    pub fn regressions(&self) -> impl Iterator<Item = &CellChange> {
        self.cells
            .iter()
            .filter(|c| matches!(c.verdict, Verdict::Regression | Verdict::Broken))
    }

    /// How many cells were judged on both files' figures.
    pub fn compared(&self) -> usize {
        self.cells
            .iter()
            .filter(|c| c.ratio.is_some() || matches!(c.verdict, Verdict::Broken | Verdict::Fixed))
            .count()
    }

    /// Whether any cell regressed beyond the threshold (or broke).
    pub fn has_regression(&self) -> bool {
        self.regressions().next().is_some()
    }
}

/// Errors of a comparison.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// `--metric instructions` but no cell of either file has the figure.
    #[error(
        "unavailable: instruction counts (cell `instructions`) are in {which}; \
         use --metric time"
    )]
    NoInstructions {
        /// Which file lacks them.
        which: String,
    },
    /// The threshold is not a non-negative finite number.
    #[error("the threshold must be a percentage of 0 or more, got {0}")]
    BadThreshold(f64),
}

/// Compares every cell of `base` and `new`.
pub fn compare(base: &Results, new: &Results, settings: Settings) -> Result<Comparison, CompareError> {
    if !(settings.threshold.is_finite() && settings.threshold >= 0.0) {
        return Err(CompareError::BadThreshold(settings.threshold));
    }
    let has_instructions = |r: &Results| r.cells.iter().any(|c| instructions(c).is_some());
    if settings.metric == Metric::Instructions {
        let missing: Vec<&str> = [("base", base), ("new", new)]
            .iter()
            .filter(|(_, r)| !has_instructions(r))
            .map(|(n, _)| *n)
            .collect();
        if !missing.is_empty() {
            return Err(CompareError::NoInstructions {
                which: format!("neither cell of the {} file", missing.join(" nor the ")),
            });
        }
    }
    let mut keys: Vec<(&str, &str, &str)> = Vec::new();
    for c in base.cells.iter().chain(&new.cells) {
        let key = (c.backend.as_str(), c.workload.as_str(), c.size.as_str());
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    let cells = keys
        .into_iter()
        .map(|(b, w, s)| {
            let mut change = compare_cell(b, w, s, base.cell(b, w, s), new.cell(b, w, s), settings);
            for (side, file) in [("base", base), ("new", new)] {
                if let Some(note) = file.cell(b, w, s).and_then(|c| file.partial_note(c)) {
                    let sep = if change.note.is_empty() { "" } else { "; " };
                    change.note = format!("{}{sep}{side} {note}", change.note);
                }
            }
            change
        })
        .collect();
    Ok(Comparison {
        cells,
        threshold: settings.threshold,
        warnings: warnings(base, new),
    })
}

fn instructions(cell: &Cell) -> Option<f64> {
    cell.instructions.filter(|v| v.is_finite() && *v > 0.0)
}

fn compare_cell(
    backend: &str,
    workload: &str,
    size: &str,
    base: Option<&Cell>,
    new: Option<&Cell>,
    settings: Settings,
) -> CellChange {
    let mut change = CellChange {
        backend: backend.into(),
        workload: workload.into(),
        size: size.into(),
        metric: "",
        base: None,
        new: None,
        ratio: None,
        interval: None,
        verdict: Verdict::Unavailable,
        note: String::new(),
    };
    let (base, new) = match (base, new) {
        (Some(b), Some(n)) => (b, n),
        (Some(_), None) => {
            change.note = "only in the base file".into();
            return change;
        }
        (None, _) => {
            change.note = "only in the new file".into();
            return change;
        }
    };
    let ran = |c: &Cell| c.status == CellStatus::Ok && cell_median(c).is_some();
    match (ran(base), ran(new)) {
        (true, true) => {}
        (true, false) => {
            change.verdict = Verdict::Broken;
            change.note = format!("ran in the base; new: {}", problem_text(new));
            return change;
        }
        (false, true) => {
            change.verdict = Verdict::Fixed;
            change.note = format!("base: {}", problem_text(base));
            return change;
        }
        (false, false) => {
            change.note = format!("no time in either file ({})", problem_text(new));
            return change;
        }
    }
    let both_instructions = instructions(base).zip(instructions(new));
    let use_instructions = match settings.metric {
        Metric::Time => false,
        Metric::Auto => both_instructions.is_some(),
        Metric::Instructions => {
            if both_instructions.is_none() {
                let which = match (instructions(base), instructions(new)) {
                    (None, None) => "either file",
                    (None, Some(_)) => "the base file",
                    _ => "the new file",
                };
                change.metric = "instructions";
                change.note = format!("unavailable: no instruction count in {which}");
                return change;
            }
            true
        }
    };
    let upper = 1.0 + settings.threshold;
    let lower = 1.0 / upper;
    if let (true, Some((b, n))) = (use_instructions, both_instructions) {
        let ratio = n / b;
        change.metric = "instructions";
        change.base = Some(b);
        change.new = Some(n);
        change.ratio = Some(ratio);
        change.verdict = if ratio > upper {
            Verdict::Regression
        } else if ratio < lower {
            Verdict::Improvement
        } else {
            Verdict::Unchanged
        };
        return change;
    }
    change.metric = "time";
    let (b, n) = (cell_median(base), cell_median(new));
    change.base = b;
    change.new = n;
    change.ratio = b.zip(n).map(|(b, n)| n / b);
    change.interval = stats::ratio_interval(&estimate_values(base), &estimate_values(new));
    change.verdict = match change.interval {
        Some(ci) if ci.low > upper => Verdict::Regression,
        Some(ci) if ci.high < lower => Verdict::Improvement,
        Some(_) => Verdict::Unchanged,
        None => {
            change.note = "fewer than 3 samples in a file: no interval, not judged".into();
            Verdict::Unavailable
        }
    };
    change
}

fn problem_text(cell: &Cell) -> String {
    match &cell.error {
        Some(e) => crate::format::error_line(e),
        None => crate::format::cell_problem(cell).unwrap_or_else(|| "no samples".into()),
    }
}

fn warnings(base: &Results, new: &Results) -> Vec<String> {
    let mut out = Vec::new();
    let machine = |r: &Results| format!("{} ({})", r.machine.hostname, r.machine.cpu_model);
    if machine(base) != machine(new) {
        out.push(format!(
            "the files come from different machines: {} and {}; times are not comparable",
            machine(base),
            machine(new)
        ));
    }
    if base.config.profile != new.config.profile {
        out.push(format!(
            "the files used different profiles: {} and {}",
            base.config.profile, new.config.profile
        ));
    }
    if base.jsbench.build_profile != "release" || new.jsbench.build_profile != "release" {
        out.push("a file comes from a debug build; its times are not comparable".into());
    }
    out
}

pub(crate) fn figure(metric: &str, value: Option<f64>) -> String {
    match (metric, value) {
        (_, None) => "-".into(),
        ("instructions", Some(v)) => format!("{v:.0}"),
        (_, Some(v)) => duration(v),
    }
}

pub(crate) fn change_text(c: &CellChange) -> String {
    match c.ratio {
        Some(r) => format!("{:+.1} %", (r - 1.0) * 100.0),
        None => "-".into(),
    }
}

pub(crate) fn interval_text(c: &CellChange) -> String {
    match c.interval {
        Some(i) => format!("{:+.1} % … {:+.1} %", (i.low - 1.0) * 100.0, (i.high - 1.0) * 100.0),
        None if c.metric == "instructions" && c.ratio.is_some() => "(exact)".into(),
        None => "-".into(),
    }
}

pub(crate) fn headline(cmp: &Comparison) -> String {
    let count = |v: Verdict| cmp.cells.iter().filter(|c| c.verdict == v).count();
    let regressions = count(Verdict::Regression) + count(Verdict::Broken);
    if regressions == 0 {
        format!(
            "No significant regression beyond {:.1} % ({} cells compared, {} improved).",
            cmp.threshold * 100.0,
            cmp.cells.iter().filter(|c| c.ratio.is_some()).count(),
            count(Verdict::Improvement)
        )
    } else {
        format!(
            "{regressions} regression(s) beyond {:.1} %: {}.",
            cmp.threshold * 100.0,
            cmp.regressions()
                .map(|c| format!("{} / {} ({})", c.backend, c.workload, c.size))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// Renders the comparison as GitHub-flavoured Markdown (for a PR comment).
pub fn render_markdown(cmp: &Comparison) -> String {
    let mut out = String::from("## jsbench comparison\n\n");
    let icon = if cmp.has_regression() { "❌" } else { "✅" };
    out.push_str(&format!("{icon} {}\n\n", headline(cmp)));
    for w in &cmp.warnings {
        out.push_str(&format!("> ⚠️ {w}\n"));
    }
    if !cmp.warnings.is_empty() {
        out.push('\n');
    }
    out.push_str("| backend | workload (size) | metric | base | new | change | 95 % CI of change | verdict |\n");
    out.push_str("|---|---|---|---:|---:|---:|---:|---|\n");
    for c in &cmp.cells {
        let verdict = match c.verdict {
            Verdict::Regression | Verdict::Broken => format!("**{}**", c.verdict.label()),
            v => v.label().to_string(),
        };
        let verdict = if c.note.is_empty() {
            verdict
        } else {
            format!("{verdict}: {}", c.note.replace('|', "\\|"))
        };
        out.push_str(&format!(
            "| {} | {} ({}) | {} | {} | {} | {} | {} | {} |\n",
            c.backend,
            c.workload,
            c.size,
            if c.metric.is_empty() { "-" } else { c.metric },
            figure(c.metric, c.base),
            figure(c.metric, c.new),
            change_text(c),
            interval_text(c),
            verdict
        ));
    }
    out.push_str(&format!(
        "\nA cell is a regression only when the whole 95 % bootstrap interval of new/base lies above {:.1} % slower.\n",
        cmp.threshold * 100.0
    ));
    out
}

/// Renders the comparison as a terminal table.
pub fn render_table(cmp: &Comparison) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_header(vec![
        "backend",
        "workload (size)",
        "metric",
        "base",
        "new",
        "change",
        "95% CI",
        "verdict",
    ]);
    for c in &cmp.cells {
        let verdict = if c.note.is_empty() {
            c.verdict.label().to_string()
        } else {
            format!("{}: {}", c.verdict.label(), c.note)
        };
        table.add_row(vec![
            TableCell::new(&c.backend),
            TableCell::new(format!("{} ({})", c.workload, c.size)),
            TableCell::new(if c.metric.is_empty() { "-" } else { c.metric }),
            TableCell::new(figure(c.metric, c.base)).set_alignment(CellAlignment::Right),
            TableCell::new(figure(c.metric, c.new)).set_alignment(CellAlignment::Right),
            TableCell::new(change_text(c)).set_alignment(CellAlignment::Right),
            TableCell::new(interval_text(c)).set_alignment(CellAlignment::Right),
            TableCell::new(verdict),
        ]);
    }
    let mut out = table.to_string();
    out.push('\n');
    for w in &cmp.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    out.push_str(&headline(cmp));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::fixture;

    fn settings() -> Settings {
        Settings {
            threshold: 0.05,
            metric: Metric::Auto,
        }
    }

    const NOISY: &[f64] = &[100.0, 103.0, 98.0, 101.0, 99.0, 102.0, 100.5, 97.5, 101.5, 99.5];

    #[test]
    fn the_same_file_twice_is_unchanged() {
        let r = fixture(&[("a", "w", NOISY), ("b", "w", NOISY)]);
        let cmp = compare(&r, &r, settings()).unwrap();
        assert!(!cmp.has_regression());
        assert!(cmp.cells.iter().all(|c| c.verdict == Verdict::Unchanged));
        assert!(render_markdown(&cmp).contains("No significant regression"));
    }

    #[test]
    fn ten_percent_slower_is_a_regression_of_that_cell_only() {
        let base = fixture(&[("a", "w", NOISY), ("b", "w", NOISY)]);
        let slower: Vec<f64> = NOISY.iter().map(|v| v * 1.10).collect();
        let new = fixture(&[("a", "w", NOISY), ("b", "w", &slower)]);
        let cmp = compare(&base, &new, settings()).unwrap();
        let bad: Vec<&str> = cmp.regressions().map(|c| c.backend.as_str()).collect();
        assert_eq!(bad, ["b"]);
        // Not beyond a 15 % threshold.
        let lenient = compare(
            &base,
            &new,
            Settings {
                threshold: 0.15,
                ..settings()
            },
        )
        .unwrap();
        assert!(!lenient.has_regression());
        // The reverse direction is an improvement.
        let back = compare(&new, &base, settings()).unwrap();
        assert_eq!(back.cells[1].verdict, Verdict::Improvement);
        let md = render_markdown(&cmp);
        assert!(md.contains("**REGRESSION**") && md.contains("+10.0 %"), "{md}");
    }

    #[test]
    fn noise_is_not_a_regression() {
        // Wide samples, shifted by 10 %: the interval straddles the threshold.
        let wide = [50.0, 150.0, 80.0, 120.0, 100.0];
        let shifted: Vec<f64> = wide.iter().map(|v| v * 1.10).collect();
        let cmp = compare(
            &fixture(&[("a", "w", &wide)]),
            &fixture(&[("a", "w", &shifted)]),
            settings(),
        )
        .unwrap();
        assert_eq!(cmp.cells[0].verdict, Verdict::Unchanged);
    }

    #[test]
    fn broken_and_missing_cells() {
        let base = fixture(&[("a", "w", NOISY), ("a", "x", NOISY)]);
        let new = fixture(&[("a", "w", &[]), ("a", "y", NOISY)]);
        let cmp = compare(&base, &new, settings()).unwrap();
        assert_eq!(cmp.cells[0].verdict, Verdict::Broken);
        assert!(cmp.cells[0].note.contains("timeout"));
        assert_eq!(cmp.cells[1].note, "only in the base file");
        assert_eq!(cmp.cells[2].note, "only in the new file");
        assert!(cmp.has_regression());
    }

    #[test]
    fn instructions_are_used_when_both_files_have_them() {
        let mut base = fixture(&[("a", "w", NOISY), ("a", "x", NOISY)]);
        let mut new = base.clone();
        base.cells[0].instructions = Some(1000.0);
        new.cells[0].instructions = Some(1070.0);
        let cmp = compare(&base, &new, settings()).unwrap();
        assert_eq!(cmp.cells[0].metric, "instructions");
        assert_eq!(cmp.cells[0].verdict, Verdict::Regression);
        assert_eq!(cmp.cells[1].metric, "time");
        let forced = compare(
            &base,
            &new,
            Settings {
                metric: Metric::Instructions,
                ..settings()
            },
        )
        .unwrap();
        assert!(forced.cells[1].note.starts_with("unavailable"));
        let time = compare(
            &base,
            &new,
            Settings {
                metric: Metric::Time,
                ..settings()
            },
        )
        .unwrap();
        assert!(!time.has_regression());
        let plain = fixture(&[("a", "w", NOISY)]);
        let err = compare(
            &plain,
            &plain,
            Settings {
                metric: Metric::Instructions,
                ..settings()
            },
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("unavailable"), "{err}");
    }
}
