//! Formatting shared by every output: durations, byte sizes, and the short
//! text shown for a cell that did not produce a time.

use jsbench_schema::{Cell, CellError, CellStatus};

/// A duration in nanoseconds with a unit that keeps 3 significant digits.
pub fn duration(ns: f64) -> String {
    if !ns.is_finite() {
        return "-".into();
    }
    let (value, unit) = if ns < 1e3 {
        (ns, "ns")
    } else if ns < 1e6 {
        (ns / 1e3, "µs")
    } else if ns < 1e9 {
        (ns / 1e6, "ms")
    } else {
        (ns / 1e9, "s")
    };
    let digits = if value >= 100.0 {
        0
    } else if value >= 10.0 {
        1
    } else {
        2
    };
    format!("{value:.digits$} {unit}")
}

/// A median with the half-width of its interval, both in the median's unit,
/// as hyperfine shows a time: `1.23 ms ± 0.04 ms`.
pub fn duration_pm(median: f64, half: f64) -> String {
    let shown = duration(median);
    let Some((_, unit)) = shown.rsplit_once(' ') else {
        return shown;
    };
    let scale = match unit {
        "ns" => 1.0,
        "µs" => 1e3,
        "ms" => 1e6,
        _ => 1e9,
    };
    let value = half.abs() / scale;
    if value >= 1000.0 {
        // Far wider than the median: its own unit reads better.
        return format!("{shown} ± {}", duration(half.abs()));
    }
    let digits = if value >= 100.0 {
        0
    } else if value >= 10.0 {
        1
    } else {
        2
    };
    format!("{shown} ± {value:.digits$} {unit}")
}

/// A byte count in binary units.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// The short text for a cell without a time: its status and error kind.
pub fn cell_problem(cell: &Cell) -> Option<String> {
    match (cell.status, &cell.error) {
        (CellStatus::Ok, None) => None,
        (CellStatus::Unsupported, Some(e)) if e.message.starts_with("unavailable") => Some("unavailable".into()),
        (CellStatus::Unsupported, _) => Some("unsupported".into()),
        (CellStatus::WrongOutput, _) => Some("WRONG OUTPUT".into()),
        (_, Some(e)) => Some(format!("FAILED: {}", e.kind)),
        (_, None) => Some("FAILED".into()),
    }
}

/// The one line that says what went wrong in an error message: its first
/// line, followed by the first later line that names a JavaScript error
/// (`SyntaxError: …`) when the first does not (a wrapper's "Failed to
/// initialize component:" hides the engine's reason further down).
pub fn headline(message: &str) -> String {
    let lines = non_empty_lines(message);
    let Some((first, rest)) = lines.split_first() else {
        return String::new();
    };
    if names_js_error(first) {
        return (*first).to_string();
    }
    with_reason(first, rest.iter().find(|l| names_js_error(l)))
}

/// [`headline`] for a failed build (a probe's `cargo build`): its first
/// line, followed by the compiler's first `error…` line, else the last
/// line that says failed, panicked or error (a build script's own message
/// comes after its traceback or backtrace).
pub fn build_headline(message: &str) -> String {
    let lines = non_empty_lines(message);
    let Some((first, rest)) = lines.split_first() else {
        return String::new();
    };
    let says_why = |l: &&&str| {
        let l = l.to_ascii_lowercase();
        ["error", "failed", "panicked"].iter().any(|w| l.contains(w))
    };
    let compiler = rest.iter().find(|l| l.starts_with("error[") || l.starts_with("error:"));
    with_reason(first, compiler.or_else(|| rest.iter().rfind(says_why)))
}

fn non_empty_lines(message: &str) -> Vec<&str> {
    message.lines().map(str::trim).filter(|l| !l.is_empty()).collect()
}

/// `first — reason`, or `first` alone.
fn with_reason(first: &str, reason: Option<&&str>) -> String {
    match reason {
        Some(reason) => format!("{} — {reason}", first.trim_end_matches(':')),
        None => first.to_string(),
    }
}

/// Whether `line` starts with a JavaScript error name and a colon
/// (`TypeError: …`, `Error: …`).
fn names_js_error(line: &str) -> bool {
    line.split_once(':').is_some_and(|(name, _)| {
        let name = name.trim_start_matches("Uncaught ").trim();
        name.ends_with("Error") && name.chars().all(|c| c.is_ascii_alphanumeric())
    })
}

/// An error as one line: `kind in phase: headline`.
pub fn error_line(error: &CellError) -> String {
    error_line_of(&error.kind, &error.phase, &error.message)
}

/// [`error_line`] from its parts.
pub fn error_line_of(kind: &dyn std::fmt::Display, phase: &dyn std::fmt::Display, message: &str) -> String {
    format!("{kind} in {phase}: {}", headline(message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_headline_brings_up_the_engine_reason() {
        assert_eq!(
            headline("TypeError: x is not a function\n    at run"),
            "TypeError: x is not a function"
        );
        assert_eq!(
            headline("Failed to initialize component:\n  while evaluating\n  SyntaxError: invalid property name"),
            "Failed to initialize component — SyntaxError: invalid property name"
        );
        assert_eq!(
            headline("call timed out after 1000 ms\ndetails"),
            "call timed out after 1000 ms"
        );
        assert_eq!(headline(""), "");
    }

    #[test]
    fn durations_pick_a_unit() {
        assert_eq!(duration(512.0), "512 ns");
        assert_eq!(duration(1_500.0), "1.50 µs");
        assert_eq!(duration(25_000_000.0), "25.0 ms");
        assert_eq!(duration(3.2e9), "3.20 s");
    }

    #[test]
    fn the_half_interval_takes_the_median_unit() {
        assert_eq!(duration_pm(1_230_000.0, 40_000.0), "1.23 ms ± 0.04 ms");
        assert_eq!(duration_pm(512.0, 12.5), "512 ns ± 12.5 ns");
        assert_eq!(duration_pm(f64::NAN, 1.0), "-");
        assert_eq!(duration_pm(93_900.0, 6_056_000.0), "93.9 µs ± 6.06 ms");
    }

    #[test]
    fn bytes_pick_a_unit() {
        assert_eq!(bytes(100), "100 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(64 << 20), "64.0 MiB");
    }
}
