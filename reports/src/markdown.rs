//! The Markdown report: the summary matrix (median, ratio to the fastest and
//! to the baseline), geometric means per backend, cold start and memory per
//! backend, the size table (when the file has sizes), and the cells without
//! a time. Fit for a PR comment or a README.

use crate::analysis::Analysis;
use crate::format::{bytes, duration};
use crate::sizes::{IDENTITY_COLUMNS, SizeTable};
use jsbench_schema::Results;

fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn ratio(r: Option<f64>) -> String {
    r.map(|r| format!("{r:.2}×")).unwrap_or_else(|| "-".into())
}

fn opt_duration(ns: Option<f64>) -> String {
    ns.map(duration).unwrap_or_else(|| "-".into())
}

fn opt_bytes(b: Option<f64>) -> String {
    b.map(|b| bytes(b.max(0.0) as u64)).unwrap_or_else(|| "-".into())
}

/// Renders the analysis of `results` as Markdown.
pub fn render(results: &Results, analysis: &Analysis) -> String {
    let mut out = String::from("# jsbench results\n\n");
    out.push_str(&format!(
        "jsbench {} ({}), {} profile, on {} ({}, {} cores), {}.\n\n",
        results.jsbench.version,
        results.jsbench.git_revision.as_deref().unwrap_or("unknown revision"),
        results.config.profile,
        escape(&results.machine.hostname),
        escape(&results.machine.cpu_model),
        results.machine.cores,
        results.started_at
    ));
    out.push_str(&format!(
        "Median time per operation (95 % CI), × the fastest backend of the row · × the baseline `{}`.\n\n",
        analysis.baseline
    ));
    out.push_str("| workload (size) |");
    for b in &analysis.backends {
        out.push_str(&format!(" {} |", escape(b)));
    }
    out.push_str("\n|---|");
    out.push_str(&"---:|".repeat(analysis.backends.len()));
    out.push('\n');
    for row in &analysis.rows {
        out.push_str(&format!("| {} ({}) |", escape(&row.workload), escape(&row.size)));
        for cell in &row.cells {
            let text = match (&cell.problem, cell.median) {
                (Some(p), _) => p.clone(),
                (None, Some(_)) => {
                    let ci = if cell.ci_text.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", cell.ci_text)
                    };
                    let vs_baseline = match cell.vs_baseline {
                        Some(r) if cell.backend != analysis.baseline => format!(" · {r:.2}× baseline"),
                        _ => String::new(),
                    };
                    let m = format!("{}{ci} {}{vs_baseline}", cell.median_text, ratio(cell.vs_fastest));
                    if cell.fastest { format!("**{m}**") } else { m }
                }
                (None, None) => "-".into(),
            };
            out.push_str(&format!(" {} |", escape(&text)));
        }
        out.push('\n');
    }
    out.push_str("\n## Per backend\n\n");
    out.push_str(&format!(
        "| backend | geomean × fastest | geomean × {} | rows timed | cold start (create+load+first call) | peak RSS | engine memory | footprint | size | Pareto (latency vs footprint) |\n",
        escape(&analysis.baseline)
    ));
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for s in &analysis.summaries {
        let cold = match (s.phases.create, s.phases.load, s.phases.first_call) {
            (None, None, None) => None,
            (c, l, f) => Some(c.unwrap_or(0.0) + l.unwrap_or(0.0) + f.unwrap_or(0.0)),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {}/{} | {} | {} | {} | {} | {} | {} |\n",
            escape(&s.name),
            ratio(s.geomean_vs_fastest),
            ratio(s.geomean_vs_baseline),
            s.rows_with_time,
            analysis.rows.len(),
            opt_duration(cold),
            opt_bytes(s.peak_rss),
            opt_bytes(s.engine_memory),
            opt_bytes(s.footprint),
            opt_bytes(s.size),
            if s.pareto_memory { "★ best trade-off" } else { "" }
        ));
    }
    if let Some(big) = crate::bigcode::BigCode::new(results) {
        out.push_str("\n## Big code\n\nModule size, then the medians of `load` (parse and compile), the first call and the steady state per operation.\n\n");
        out.push_str(&big.render_markdown());
    }
    out.push_str(&render_costs(results));
    if let Some(tuned) = crate::tuned::Tuned::new(results) {
        out.push_str("\n## Tuned vs default\n\nEach tuned variant beside its plain backend: the variant's median vs the plain one's, and default / tuned (above 1: the variant is faster or smaller).\n\n");
        out.push_str(&tuned.render_markdown());
    }
    if let Some(split) = crate::floor::CallSplit::new(results) {
        out.push_str("\n## Where an out-of-process call's time goes\n\nSingle empty round trips from jsbench's client (median, p95) to a Rust peer over the same transport (the floor), the runtime's own minimal echo and jsbench's server; each call = floor + runtime + jsbench protocol + workload.\n\n");
        out.push_str(&split.render_markdown());
    }
    if !results.concurrency.is_empty() {
        out.push_str("\n## Callers at once (concurrency)\n\n");
        out.push_str(&crate::concurrency::render_markdown(&results.concurrency));
    }
    if !results.density.is_empty() {
        out.push_str("\n## Memory per instance (density)\n\n");
        out.push_str(&crate::density::render_markdown(&results.density));
    }
    if let Some(matrix) = &results.sandbox {
        out.push_str("\n## What the JavaScript can reach (sandbox)\n\n");
        out.push_str(&crate::sandbox::render_markdown(matrix));
    }
    if let Some(sizes) = &analysis.size_table {
        out.push_str("\n## Binary size and build cost\n\n");
        out.push_str(&render_sizes(sizes));
    }
    if !analysis.problems.is_empty() {
        out.push_str(
            "\n## Cells without a time\n\n| backend | workload (size) | status | error |\n|---|---|---|---|\n",
        );
        for p in &analysis.problems {
            let error = if p.kind.is_empty() {
                String::new()
            } else {
                crate::format::error_line_of(&p.kind, &p.phase, &p.message)
            };
            out.push_str(&format!(
                "| {} | {} ({}) | {} | {} |\n",
                escape(&p.backend),
                escape(&p.workload),
                escape(&p.size),
                p.status,
                escape(&error)
            ));
        }
    }
    out
}

/// The cost-model section ([`crate::costmodel`]): per workload, who is
/// fastest for how many calls per runtime, and the totals at N = 1 and
/// N = 1000. Empty when no workload has two backends that ran it.
pub fn render_costs(results: &Results) -> String {
    let costs = crate::costmodel::analyze(results);
    if costs.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\n## Calls per runtime\n\nTotal of N calls in one runtime: create + load + first call + (N−1) × steady state.\n\n| workload (size) | fastest by call count | N = 1 | N = 1000 |\n|---|---|---|---|\n",
    );
    for w in &costs {
        out.push_str(&format!(
            "| {} ({}) | {} | {} | {} |\n",
            escape(&w.workload),
            escape(&w.size),
            escape(&crate::costmodel::sentence(&w.envelope)),
            escape(&w.fastest_text(1.0)),
            escape(&w.fastest_text(1000.0))
        ));
    }
    out
}

/// The size table as Markdown: one table, then its footnotes as a list.
pub fn render_sizes(sizes: &SizeTable) -> String {
    let mut out = format!("| {} |\n|", sizes.header.join(" | "));
    for (i, _) in sizes.header.iter().enumerate() {
        out.push_str(if i < IDENTITY_COLUMNS || i + 1 == sizes.header.len() {
            "---|"
        } else {
            "---:|"
        });
    }
    out.push('\n');
    for row in &sizes.rows {
        let mut cells: Vec<String> = row.cells.iter().map(|c| escape(&c.text)).collect();
        if let Some(why) = &row.unavailable {
            cells.truncate(IDENTITY_COLUMNS);
            cells.push(escape(why));
            cells.resize(sizes.header.len(), String::new());
        }
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    if !sizes.footnotes.is_empty() {
        out.push('\n');
        for line in &sizes.footnotes {
            out.push_str(&format!("- {}\n", escape(line)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, tests::fixture};

    #[test]
    fn matrix_has_every_backend_and_workload() {
        let r = fixture(&[
            ("a", "w1", &[10.0, 10.0, 10.0]),
            ("b", "w1", &[20.0, 20.0, 20.0]),
            ("b", "w2", &[]),
        ]);
        let md = render(&r, &analyze(&r, None).unwrap());
        assert!(md.contains("| workload (size) | a | b |"), "{md}");
        assert!(md.contains("| w1 (small) |"));
        assert!(md.contains("2.00×"));
        assert!(md.contains("FAILED: timeout"));
        assert!(md.contains("timeout in steady: too slow"));
        assert!(!md.contains("## Binary size"), "no sizes, no size section");
    }

    #[test]
    fn cells_show_the_ratio_to_the_named_baseline() {
        let r = fixture(&[("a", "w1", &[10.0, 10.0, 10.0]), ("b", "w1", &[20.0, 20.0, 20.0])]);
        let md = render(&r, &analyze(&r, Some("b")).unwrap());
        assert!(md.contains("× the baseline `b`"), "{md}");
        assert!(md.contains("1.00× · 0.50× baseline"), "{md}");
        assert!(
            !md.contains("2.00× · "),
            "the baseline's own cell has no second ratio: {md}"
        );
    }

    #[test]
    fn sizes_are_a_table_with_footnotes() {
        let mut r = fixture(&[("a", "w1", &[10.0, 10.0, 10.0])]);
        r.sizes = crate::sizes::tests::reports();
        let md = render(&r, &analyze(&r, None).unwrap());
        assert!(md.contains("## Binary size and build cost"), "{md}");
        assert!(md.contains("| probe / runtime | backends | variant | binary |"), "{md}");
        assert!(md.contains("|---|---|---|---:|"), "{md}");
        assert!(
            md.contains("| quickjs | quickjs | release | 1.5 MiB | +1.1 MiB | - | 25.0 s | 12 | rquickjs 0.14.0 |"),
            "{md}"
        );
        assert!(
            md.contains("| v8 | v8 | release | unavailable: cargo build failed |  |"),
            "{md}"
        );
        assert!(md.contains("- quickjs: a note"), "{md}");
    }
}
