//! Density (`jsbench density`) as a terminal table, Markdown and an HTML
//! section: per backend and instance count, resident memory per idle and
//! per loaded instance, the engines' own figure, and instances per GiB.

use crate::format::{bytes, error_line};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell as TableCell, CellAlignment, Table};
use jsbench_schema::{DensityPoint, DensityReport};

const HEADER: [&str; 7] = [
    "backend",
    "instances",
    "idle / instance",
    "loaded / instance",
    "each further loaded",
    "engine / loaded instance",
    "loaded instances per GiB",
];

fn per(point: Option<&DensityPoint>) -> String {
    point.map_or_else(|| "-".into(), |p| bytes(p.per_instance().round() as u64))
}

/// One row per (backend, instance count), in the order backends appear.
fn rows(reports: &[DensityReport]) -> Vec<[String; 7]> {
    let mut names: Vec<&str> = Vec::new();
    for r in reports {
        if !names.contains(&r.backend.as_str()) {
            names.push(&r.backend);
        }
    }
    let mut out = Vec::new();
    for name in names {
        let series = |loaded: bool| reports.iter().find(|r| r.backend == name && r.loaded == loaded);
        let (idle, loaded) = (series(false), series(true));
        let mut counts: Vec<u32> = idle
            .into_iter()
            .chain(loaded)
            .flat_map(|r| r.points.iter().map(|p| p.instances))
            .collect();
        counts.sort_unstable();
        counts.dedup();
        for k in counts {
            let at = |r: Option<&DensityReport>| r.and_then(|r| r.points.iter().find(|p| p.instances == k)).copied();
            let (i, l) = (at(idle), at(loaded));
            let engine = l
                .and_then(|p| p.engine.map(|e| bytes(e / u64::from(p.instances.max(1)))))
                .unwrap_or_else(|| "-".into());
            // The cost of each instance past the previous count: the
            // one-time costs of the first instance left out.
            let further = loaded.zip(l).and_then(|(r, p)| {
                let before = r
                    .points
                    .iter()
                    .filter(|q| q.instances < k)
                    .max_by_key(|q| q.instances)?;
                let growth = p.resident_growth.saturating_sub(before.resident_growth);
                Some(growth as f64 / f64::from(k - before.instances))
            });
            let per_gib = match further {
                Some(each) if each >= 1.0 => Some((1u64 << 30) as f64 / each),
                Some(_) => None,
                None => l.and_then(|p| p.instances_per_gib()),
            };
            out.push([
                name.to_string(),
                k.to_string(),
                per(i.as_ref()),
                per(l.as_ref()),
                further.map_or_else(|| "-".into(), |b| bytes(b.round() as u64)),
                engine,
                per_gib.map_or_else(|| "-".into(), |n| format!("{n:.0}")),
            ]);
        }
    }
    out
}

/// The series that stopped early or never ran, one line each.
fn problems(reports: &[DensityReport]) -> Vec<String> {
    reports
        .iter()
        .filter_map(|r| {
            let e = r.error.as_ref()?;
            let series = if r.loaded { "loaded" } else { "idle" };
            let reached = r.largest().map_or(0, |p| p.instances);
            Some(format!(
                "{} ({series}, stopped after {reached} instance(s)): {}",
                r.backend,
                error_line(e)
            ))
        })
        .collect()
}

const NOTE: &str = "Growth of the resident size of one worker (with the runtime processes it started) \
     over the memory before the first instance, divided by the instances alive; loaded instances \
     have the workload loaded and called once. Each further: the growth from the previous count \
     to this one, per instance added (the first instance's one-time costs left out); per GiB from it \
     (from the loaded figure at the smallest count).";

/// The figures as a terminal table, with the series that failed below.
pub fn render(reports: &[DensityReport]) -> String {
    figures(
        &HEADER,
        rows(reports).into_iter().map(Vec::from).collect(),
        NOTE,
        &problems(reports),
    )
}

/// The figures as a Markdown table.
pub fn render_markdown(reports: &[DensityReport]) -> String {
    figures_markdown(
        &HEADER,
        rows(reports).into_iter().map(Vec::from).collect(),
        NOTE,
        &problems(reports),
    )
}

/// The figures as an HTML section of the report.
pub fn render_html(reports: &[DensityReport]) -> String {
    figures_html(
        "density",
        "Memory per instance (density)",
        &HEADER,
        rows(reports).into_iter().map(Vec::from).collect(),
        NOTE,
        &problems(reports),
    )
}

/// [`figures`] as an HTML section with the id `id`.
pub(crate) fn figures_html(
    id: &str,
    title: &str,
    header: &[&str],
    rows: Vec<Vec<String>>,
    note: &str,
    problems: &[String],
) -> String {
    let esc = crate::sandbox::html_escape;
    let mut out = format!("<section id=\"{id}\"><h2>{}</h2>\n<table><thead><tr>", esc(title));
    for h in header {
        out.push_str(&format!("<th>{}</th>", esc(h)));
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let tag = if i == 0 { "th" } else { "td" };
            out.push_str(&format!("<{tag}>{}</{tag}>", esc(cell)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str(&format!("</tbody></table>\n<p class=\"note\">{}</p>", esc(note)));
    if !problems.is_empty() {
        out.push_str("<ul class=\"note\">");
        for line in problems {
            out.push_str(&format!("<li>{}</li>", esc(line)));
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>\n");
    out
}

/// A figures table (first column a name, the others right-aligned), its
/// note, and the series that did not finish.
pub(crate) fn figures(header: &[&str], rows: Vec<Vec<String>>, note: &str, problems: &[String]) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_header(header.iter().map(TableCell::new));
    for row in rows {
        let mut cells = row.into_iter();
        let mut out = vec![TableCell::new(cells.next().unwrap_or_default())];
        out.extend(cells.map(|c| TableCell::new(c).set_alignment(CellAlignment::Right)));
        table.add_row(out);
    }
    let mut out = format!("{table}\n{note}\n");
    if !problems.is_empty() {
        out.push_str("\nSeries that did not finish:\n");
        for line in problems {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out
}

/// [`figures`] as Markdown.
pub(crate) fn figures_markdown(header: &[&str], rows: Vec<Vec<String>>, note: &str, problems: &[String]) -> String {
    let mut out = format!(
        "| {} |\n|---|{}\n",
        header.join(" | "),
        "---:|".repeat(header.len() - 1)
    );
    for row in rows {
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out.push_str(&format!("\n{note}\n"));
    for line in problems {
        out.push_str(&format!("\n- {}", line.replace('|', "\\|")));
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsbench_schema::{CellError, ErrorKind, Phase};

    fn report(backend: &str, loaded: bool, points: &[(u32, u64)]) -> DensityReport {
        DensityReport {
            backend: backend.into(),
            workload: "fib (small)".into(),
            loaded,
            points: points
                .iter()
                .map(|&(instances, growth)| DensityPoint {
                    instances,
                    resident_growth: growth,
                    engine: Some(growth / 2),
                })
                .collect(),
            error: None,
        }
    }

    #[test]
    fn rows_pair_idle_and_loaded_per_count() {
        let mut failed = report("node-pipe", true, &[(1, 40 << 20)]);
        failed.error = Some(CellError {
            kind: ErrorKind::OutOfMemory,
            phase: Phase::Create,
            message: "too many".into(),
            stack: None,
        });
        let reports = [
            report("quickjs", false, &[(1, 1 << 20), (10, 10 << 20)]),
            report("quickjs", true, &[(1, 2 << 20), (10, 20 << 20)]),
            failed,
        ];
        let text = render(&reports);
        assert!(
            text.contains("quickjs") && text.contains("512") && text.contains("2.0 MiB"),
            "{text}"
        );
        assert!(
            text.contains("node-pipe (loaded, stopped after 1 instance(s))"),
            "{text}"
        );
        let md = render_markdown(&reports);
        assert!(
            md.contains("| quickjs | 10 | 1.0 MiB | 2.0 MiB | 2.0 MiB | 1.0 MiB | 512 |"),
            "{md}"
        );
        assert!(
            md.contains("| quickjs | 1 | 1.0 MiB | 2.0 MiB | - | 1.0 MiB | 512 |"),
            "{md}"
        );
    }
}
