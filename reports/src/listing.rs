//! The plain-text lists of the terminal: `jsbench list` (backends with
//! their availability, workloads) and the progress lines a run writes to a
//! standard error that is not a terminal (CI logs).

use crate::style::{Palette, Tone};
use std::time::Duration;
use unicode_width::UnicodeWidthStr;

/// One backend of `jsbench list`.
#[derive(Debug, Clone)]
pub struct BackendLine {
    /// Backend name.
    pub name: String,
    /// Engine and version.
    pub engine: String,
    /// Kind (`embedded`, `out-of-process`, ...).
    pub kind: String,
    /// `None` when it can run here, else why not.
    pub unavailable: Option<String>,
    /// Left out of the default selection (the mock backend).
    pub hidden: bool,
}

/// One workload of `jsbench list`.
#[derive(Debug, Clone)]
pub struct WorkloadLine {
    /// Workload name.
    pub name: String,
    /// Category.
    pub category: String,
    /// One line on what it does.
    pub description: String,
    /// Its input sizes.
    pub sizes: Vec<String>,
}

fn pad(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(text.width());
    format!("{text}{}", " ".repeat(fill))
}

fn widest<'a>(texts: impl Iterator<Item = &'a str>) -> usize {
    texts.map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// The backends, aligned however long their names: name, `available` or
/// `unavailable`, kind, engine; the reason a backend is unavailable on the
/// line below it.
pub fn render_backends(lines: &[BackendLine], palette: Palette) -> String {
    let name_w = widest(lines.iter().map(|l| l.name.as_str()));
    let kind_w = widest(lines.iter().map(|l| l.kind.as_str()));
    let state_w = "unavailable".len();
    let mut out = String::new();
    for l in lines {
        let (state, tone) = match &l.unavailable {
            None => ("available", Tone::Best),
            Some(_) => ("unavailable", Tone::Warn),
        };
        let state = format!("{}{}", palette.paint(state, tone), " ".repeat(state_w - state.len()));
        let hidden = if l.hidden {
            " (not in the default selection: only with -b)"
        } else {
            ""
        };
        let line = format!(
            "  {}  {state}  {}  {}{hidden}",
            pad(&l.name, name_w),
            pad(&l.kind, kind_w),
            l.engine
        );
        out.push_str(line.trim_end());
        out.push('\n');
        if let Some(why) = &l.unavailable {
            let why = why.lines().next().unwrap_or_default();
            out.push_str(&format!(
                "  {}  {}\n",
                " ".repeat(name_w),
                palette.paint(&format!("why: {why}"), Tone::Dim)
            ));
        }
    }
    out
}

/// The workloads, aligned: name, category, description, `[sizes]`.
pub fn render_workloads(lines: &[WorkloadLine]) -> String {
    let name_w = widest(lines.iter().map(|l| l.name.as_str()));
    let category_w = widest(lines.iter().map(|l| l.category.as_str()));
    let mut out = String::new();
    for l in lines {
        out.push_str(&format!(
            "  {}  {}  {} [{}]\n",
            pad(&l.name, name_w),
            pad(&l.category, category_w),
            l.description,
            l.sizes.join(", ")
        ));
    }
    out
}

/// Where a run is, for a progress line.
#[derive(Debug, Clone, Default)]
pub struct ProgressState {
    /// Cells finished.
    pub cells_done: usize,
    /// Cells planned.
    pub cells_total: usize,
    /// Worker processes finished.
    pub processes_done: u64,
    /// Worker processes planned so far.
    pub processes_total: u64,
    /// The cell last heard of (`backend / workload (size)`).
    pub current: String,
    /// Time since the run started.
    pub elapsed: Duration,
}

/// A short duration: `45s`, `3m05s`, `1h02m`.
pub fn short_duration(d: Duration) -> String {
    let s = d.as_secs();
    if s < 60 {
        format!("{s}s")
    } else if s < 3600 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{}h{:02}m", s / 3600, (s % 3600) / 60)
    }
}

/// One progress line: done/total, the current cell, the time elapsed and
/// an estimate of the time left (from the processes done so far).
pub fn progress_line(state: &ProgressState) -> String {
    let left = if state.processes_done == 0 || state.processes_total < state.processes_done {
        "estimating the time left".to_string()
    } else {
        let per = state.elapsed.as_secs_f64() / state.processes_done as f64;
        let rest = per * (state.processes_total - state.processes_done) as f64;
        format!("~{} left", short_duration(Duration::from_secs_f64(rest)))
    };
    let current = if state.current.is_empty() {
        String::new()
    } else {
        format!(" {};", state.current)
    };
    format!(
        "[{}/{} cells, {}/{} processes]{current} {} elapsed, {left}",
        state.cells_done,
        state.cells_total,
        state.processes_done,
        state.processes_total,
        short_duration(state.elapsed)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_keep_the_columns_aligned() {
        let line = |name: &str, unavailable: Option<&str>| BackendLine {
            name: name.into(),
            engine: "Engine 1.0".into(),
            kind: "embedded".into(),
            unavailable: unavailable.map(Into::into),
            hidden: name == "mock",
        };
        let text = render_backends(
            &[
                line("quickjs", None),
                line("quickjs-bytecode-precompiled", Some("needs qjsc\nmore")),
                line("mock", None),
            ],
            Palette::OFF,
        );
        let columns: Vec<usize> = text
            .lines()
            .filter(|l| l.contains("Engine"))
            .map(|l| l.find("embedded").unwrap())
            .collect();
        assert_eq!(columns.len(), 3, "{text}");
        assert!(columns.windows(2).all(|w| w[0] == w[1]), "{text}");
        assert!(text.contains("unavailable  embedded"), "{text}");
        assert!(text.contains("why: needs qjsc") && !text.contains("more"), "{text}");
        assert!(
            text.contains("mock") && text.contains("not in the default selection"),
            "{text}"
        );
        assert_eq!(text.matches("  available").count(), 2, "{text}");
    }

    #[test]
    fn progress_lines_say_done_total_current_elapsed_and_left() {
        let mut state = ProgressState {
            cells_done: 1,
            cells_total: 4,
            processes_done: 2,
            processes_total: 8,
            current: "mock / w (small)".into(),
            elapsed: Duration::from_secs(10),
        };
        assert_eq!(
            progress_line(&state),
            "[1/4 cells, 2/8 processes] mock / w (small); 10s elapsed, ~30s left"
        );
        state.processes_done = 0;
        assert!(progress_line(&state).ends_with("estimating the time left"));
        assert_eq!(short_duration(Duration::from_secs(185)), "3m05s");
        assert_eq!(short_duration(Duration::from_secs(3720)), "1h02m");
    }
}
