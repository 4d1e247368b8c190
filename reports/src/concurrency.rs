//! Concurrency (`jsbench concurrency`) as a terminal table and Markdown:
//! per backend and caller count, calls per second, the scaling factor over
//! one caller, and the median and p99 latency of a call.

use crate::density::{figures, figures_html, figures_markdown};
use crate::format::{duration, error_line};
use jsbench_schema::ConcurrencyReport;

const HEADER: [&str; 6] = ["backend", "callers", "calls / s", "scaling", "p50", "p99"];

fn rows(reports: &[ConcurrencyReport]) -> Vec<[String; 6]> {
    let mut out = Vec::new();
    for r in reports {
        for p in &r.points {
            out.push([
                r.backend.clone(),
                p.callers.to_string(),
                throughput(p.throughput()),
                r.scaling(p).map_or_else(|| "-".into(), |s| format!("{s:.2}×")),
                duration(p.p50_ns as f64),
                duration(p.p99_ns as f64),
            ]);
        }
    }
    out
}

/// Calls per second with three significant digits below 100.
fn throughput(per_second: f64) -> String {
    if per_second < 10.0 {
        format!("{per_second:.2}")
    } else if per_second < 100.0 {
        format!("{per_second:.1}")
    } else {
        format!("{per_second:.0}")
    }
}

fn problems(reports: &[ConcurrencyReport]) -> Vec<String> {
    reports
        .iter()
        .filter_map(|r| Some(format!("{}: {}", r.backend, error_line(r.error.as_ref()?))))
        .collect()
}

const NOTE: &str = "Each caller has its own runtime (a thread each for embedded and wasm backends, a runtime \
     process each for process backends), all in one worker; scaling: calls per second over one caller's.";

/// The figures as a terminal table, with the series that failed below.
pub fn render(reports: &[ConcurrencyReport]) -> String {
    figures(
        &HEADER,
        rows(reports).into_iter().map(Vec::from).collect(),
        NOTE,
        &problems(reports),
    )
}

/// The figures as an HTML section of the report.
pub fn render_html(reports: &[ConcurrencyReport]) -> String {
    figures_html(
        "concurrency",
        "Callers at once (concurrency)",
        &HEADER,
        rows(reports).into_iter().map(Vec::from).collect(),
        NOTE,
        &problems(reports),
    )
}

/// The figures as a Markdown table.
pub fn render_markdown(reports: &[ConcurrencyReport]) -> String {
    figures_markdown(
        &HEADER,
        rows(reports).into_iter().map(Vec::from).collect(),
        NOTE,
        &problems(reports),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsbench_schema::ConcurrencyPoint;

    #[test]
    fn rows_show_throughput_and_scaling() {
        let point = |callers, calls| ConcurrencyPoint {
            callers,
            calls,
            seconds: 1.0,
            p50_ns: 1_000,
            p99_ns: 5_000,
        };
        let reports = [ConcurrencyReport {
            backend: "quickjs".into(),
            workload: "fib".into(),
            points: vec![point(1, 1000), point(2, 1900)],
            error: None,
        }];
        let md = render_markdown(&reports);
        assert!(md.contains("| quickjs | 2 | 1900 | 1.90× |"), "{md}");
        assert!(render(&reports).contains("1.90×"));
        assert!(render_html(&reports).contains("id=\"concurrency\""));
    }
}
