//! The HTML report: one self-contained file that works offline. The page is
//! the template `templates/report.html` (compiled in, rendered with
//! minijinja), with the chart library (Chart.js, vendored from npm under
//! `assets/`, MIT licence) and the data inlined; nothing is fetched.
//!
//! The page's script marks `<body data-ready="ok">` once every chart was
//! drawn, and a `window.onerror` handler writes any script error into the
//! page (`data-ready="error"`, `data-error`), so a headless browser can tell
//! a page that works from one that merely loads.

use crate::analysis::Analysis;
use crate::format::{bytes, duration};
use crate::history::TrendPoint;
use jsbench_schema::Results;
use minijinja::{AutoEscape, Environment, Value};
use serde_json::json;

/// The page template.
const TEMPLATE: &str = include_str!("../templates/report.html");
/// Chart.js, UMD build, as published on npm (see `assets/README.md`).
const CHARTJS: &str = include_str!("../assets/chart.umd.min.js");
/// Version of the vendored Chart.js.
pub const CHARTJS_VERSION: &str = "4.6.1";

/// Errors rendering the page.
#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    /// The template failed (a bug in the template, not in the data).
    #[error("rendering the HTML report: {0:#}")]
    Template(#[from] minijinja::Error),
}

/// Trend data from the history database, for the trend charts.
#[derive(Debug, Clone)]
pub struct Trends {
    /// Machine the trends are for (host name and CPU).
    pub machine: String,
    /// Every stored point of that machine, oldest run first.
    pub points: Vec<TrendPoint>,
}

fn ratio_filter(value: Option<f64>) -> String {
    value.map(|r| format!("{r:.2}×")).unwrap_or_else(|| "-".into())
}

fn duration_filter(value: Option<f64>) -> String {
    value.map(duration).unwrap_or_else(|| "-".into())
}

fn bytes_filter(value: Option<f64>) -> String {
    value
        .filter(|v| v.is_finite() && *v >= 0.0)
        .map(|v| bytes(v as u64))
        .unwrap_or_else(|| "-".into())
}

/// Builds the trend charts: one per row of the analysis, one line per
/// backend, one x position per stored run.
fn trend_charts(analysis: &Analysis, trends: &Trends) -> (serde_json::Value, usize) {
    let mut runs: Vec<(i64, String)> = Vec::new();
    for p in &trends.points {
        if !runs.iter().any(|(id, _)| *id == p.run_id) {
            let date = p.started_at.get(..10).unwrap_or(&p.started_at);
            let revision: String = p.revision.chars().take(12).collect();
            runs.push((p.run_id, format!("{revision} {date}")));
        }
    }
    let mut charts = Vec::new();
    for row in &analysis.rows {
        let mut series = Vec::new();
        for backend in &analysis.backends {
            let medians: Vec<Option<f64>> = runs
                .iter()
                .map(|(id, _)| {
                    trends
                        .points
                        .iter()
                        .find(|p| {
                            p.run_id == *id && &p.backend == backend && p.workload == row.workload && p.size == row.size
                        })
                        .map(|p| p.median)
                })
                .collect();
            if medians.iter().any(Option::is_some) {
                series.push(json!({ "backend": backend, "medians": medians }));
            }
        }
        if !series.is_empty() {
            charts.push(json!({
                "title": format!("{} ({})", row.workload, row.size),
                "labels": runs.iter().map(|(_, l)| l.clone()).collect::<Vec<_>>(),
                "series": series,
            }));
        }
    }
    (serde_json::Value::Array(charts), runs.len())
}

/// Call counts the cost-model chart plots, 1 to a million (log scale).
const COST_CALLS: [f64; 13] = [1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1e3, 3e3, 1e4, 3e4, 1e5, 3e5, 1e6];

/// The cost model per workload for the page: each backend's total at
/// [`COST_CALLS`], and the crossovers in words.
fn cost_view(results: &Results) -> serde_json::Value {
    let charts: Vec<serde_json::Value> = crate::costmodel::analyze(results)
        .iter()
        .map(|w| {
            let series: Vec<serde_json::Value> = w
                .lines
                .iter()
                .map(|l| {
                    let points: Vec<serde_json::Value> =
                        COST_CALLS.iter().map(|&n| json!({ "x": n, "y": l.total(n) })).collect();
                    json!({ "backend": l.backend, "points": points })
                })
                .collect();
            json!({
                "workload": w.workload,
                "size": w.size,
                "sentence": crate::costmodel::sentence(&w.envelope),
                "series": series,
            })
        })
        .collect();
    serde_json::Value::Array(charts)
}

/// Renders the page.
///
/// `advice` opens the page (see [`crate::advice::Opening`]).
pub fn render(
    results: &Results,
    analysis: &Analysis,
    trends: Option<&Trends>,
    advice: &crate::advice::Opening,
) -> Result<String, HtmlError> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.add_filter("ratio", ratio_filter);
    env.add_filter("dur", duration_filter);
    env.add_filter("bytes", bytes_filter);
    env.add_template("report.html", TEMPLATE)?;

    let cold: Vec<Option<f64>> = analysis
        .summaries
        .iter()
        .map(|s| match (s.phases.create, s.phases.load, s.phases.first_call) {
            (None, None, None) => None,
            (c, l, f) => Some(c.unwrap_or(0.0) + l.unwrap_or(0.0) + f.unwrap_or(0.0)),
        })
        .collect();
    let cold_all: Vec<Option<f64>> = analysis.summaries.iter().map(|s| s.phases.total()).collect();
    // The latency-vs-size view needs at least two backends to compare.
    let has_sizes = analysis
        .summaries
        .iter()
        .filter(|s| s.size.is_some() && s.geomean_vs_fastest.is_some())
        .count()
        >= 2;

    let (trend_data, trend_view) = match trends {
        Some(t) => {
            let (charts, runs) = trend_charts(analysis, t);
            let view = json!({ "machine": t.machine, "runs": runs, "charts": charts });
            (charts, Some(view))
        }
        None => (serde_json::Value::Null, None),
    };
    let costs = cost_view(results);
    let data = json!({
        "backends": analysis.backends,
        "summaries": analysis.summaries,
        "distributions": analysis.distributions,
        "trends": trend_data,
        "costs": costs,
    });
    let template = env.get_template("report.html")?;
    let page = template.render(minijinja::context! {
        results => Value::from_serialize(results),
        analysis => Value::from_serialize(analysis),
        backend_count => analysis.backends.len(),
        cold => cold,
        cold_all => cold_all,
        has_sizes => has_sizes,
        trends => trend_view.map(|v| Value::from_serialize(&v)),
        costs => Value::from_serialize(&costs),
        data => Value::from_serialize(&data),
        chartjs => CHARTJS,
        chartjs_version => CHARTJS_VERSION,
        big_code => crate::bigcode::BigCode::new(results).map(|b| Value::from_serialize(&b)),
        tuned => crate::tuned::Tuned::new(results).map(|t| Value::from_serialize(&t)),
        call_split => crate::floor::CallSplit::new(results).map(|s| Value::from_serialize(&s)),
        advice => Value::from_serialize(advice),
        sandbox => results.sandbox.as_ref().map(|m| Value::from_safe_string(crate::sandbox::render_html(m))),
        density => (!results.density.is_empty()).then(|| Value::from_safe_string(crate::density::render_html(&results.density))),
        concurrency => (!results.concurrency.is_empty())
            .then(|| Value::from_safe_string(crate::concurrency::render_html(&results.concurrency))),
    })?;
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advice::{Context, Opening};
    use crate::analysis::{analyze, tests::fixture};

    fn opening(results: &Results) -> Opening {
        Opening::new(results, &Context::default())
    }

    fn page() -> String {
        let mut r = fixture(&[
            ("quick<js>", "w1", &[10.0, 11.0, 12.0]),
            ("b", "w1", &[20.0, 21.0, 22.0]),
            ("b", "w2", &[]),
        ]);
        r.machine.hostname = "host & <co>".into();
        render(&r, &analyze(&r, None).unwrap(), None, &opening(&r)).unwrap()
    }

    #[test]
    fn page_is_self_contained() {
        let html = page();
        assert!(
            html.contains(&format!("Chart.js v{CHARTJS_VERSION}\n")),
            "Chart.js is inlined and CHARTJS_VERSION matches its banner"
        );
        for remote in ["src=\"http", "href=\"http", "src=\"//", "<link rel=\"stylesheet\""] {
            assert!(!html.contains(remote), "the page must not load {remote}");
        }
        assert!(html.contains("data-ready=\"no\""));
    }

    #[test]
    fn the_advice_opens_the_page_or_says_why_not() {
        let html = page();
        assert!(html.contains("id=\"advice\""));
        assert!(html.contains("No advice from this file: refusing to advise from a file with one process per cell"));
        let mut r = fixture(&[("fast", "w1", &[10.0, 11.0, 12.0]), ("slow", "w1", &[20.0, 21.0, 22.0])]);
        for cell in &mut r.cells {
            let one = cell.processes[0].clone();
            cell.processes = vec![one; 3];
        }
        let html = render(&r, &analyze(&r, None).unwrap(), None, &opening(&r)).unwrap();
        let advice = html.find("id=\"advice\"").unwrap();
        assert!(advice < html.find("id=\"choose\"").unwrap(), "the advice comes first");
        assert!(html.contains("server: 100000 calls per runtime"), "every scenario");
        assert!(html.contains("→ <b>fast (median"), "the verdict");
        assert!(!html.contains("No advice from this file"));
    }

    #[test]
    fn the_cost_model_is_charted_per_workload() {
        let html = page();
        assert!(html.contains("id=\"chart-cost-0\""), "w1 has two backends");
        assert!(!html.contains("id=\"chart-cost-1\""), "w2 has one that ran");
        assert!(html.contains("quick&lt;js&gt; at every call count"));
        assert!(html.contains("calls per runtime (N)"));
    }

    #[test]
    fn names_are_escaped_in_markup_and_data() {
        let html = page();
        assert!(html.contains("host &amp; &lt;co&gt;"));
        assert!(
            !html.contains("quick<js>"),
            "a raw `<` from the data would break the page"
        );
        assert!(html.contains("quick&lt;js&gt;"));
    }

    #[test]
    fn shows_errors_and_missing_sizes() {
        let html = page();
        assert!(html.contains("too slow"));
        assert!(html.contains("unavailable: this results file has no size figures"));
        assert!(!html.contains("id=\"trends\""));
    }

    #[test]
    fn the_sizes_section_renders_the_size_table() {
        let mut r = fixture(&[("quickjs", "w1", &[10.0, 11.0, 12.0])]);
        r.sizes = crate::sizes::tests::reports();
        let html = render(&r, &analyze(&r, None).unwrap(), None, &opening(&r)).unwrap();
        let section = &html[html.find("id=\"sizes\"").unwrap()..];
        let section = &section[..section.find("<h2").unwrap_or(section.len())];
        for header in crate::sizes::HEADER {
            let escaped = header.replace('/', "&#x2f;");
            assert!(section.contains(&format!(">{escaped}</th>")), "{header}: {section}");
        }
        assert!(section.contains("data-v=\"1572864.0\">1.5 MiB</td>"), "{section}");
        assert!(
            section.contains("colspan=\"6\">unavailable: cargo build failed</td>"),
            "{section}"
        );
        assert!(section.contains("<li>quickjs: a note</li>"), "{section}");
        assert!(!section.contains("no size figures"));
    }

    #[test]
    fn trends_become_charts() {
        let r = fixture(&[("a", "w", &[10.0, 11.0, 12.0])]);
        let a = analyze(&r, None).unwrap();
        let point = |run_id, median| TrendPoint {
            run_id,
            revision: format!("rev{run_id}"),
            started_at: "2026-01-0{run_id}T00:00:00Z".replace("{run_id}", &run_id.to_string()),
            backend: "a".into(),
            workload: "w".into(),
            size: "small".into(),
            median,
            ci_low: None,
            ci_high: None,
        };
        let trends = Trends {
            machine: "box (cpu)".into(),
            points: vec![point(1, 10.0), point(2, 12.0)],
        };
        let html = render(&r, &a, Some(&trends), &opening(&r)).unwrap();
        assert!(html.contains("id=\"chart-trend-0\""));
        assert!(html.contains("rev2 2026-01-02"));
        assert!(html.contains("over the 2 runs"));
    }
}
