//! The sandbox matrix (`jsbench sandbox`) as a terminal table, Markdown and
//! an HTML section: one row per backend, one column per probe, each cell
//! allowed / denied / absent, then how each verdict was reached.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell as TableCell, CellAlignment, Table};
use jsbench_schema::{Access, SandboxMatrix};

/// The short mark of a verdict.
pub fn mark(access: Access) -> &'static str {
    match access {
        Access::Allowed => "allowed",
        Access::Denied => "denied",
        Access::Absent => "absent",
        Access::Error => "error",
        Access::Unavailable => "–",
    }
}

fn rows(matrix: &SandboxMatrix) -> Vec<Vec<String>> {
    matrix
        .backends
        .iter()
        .map(|b| {
            let mut row = vec![b.name.clone()];
            row.extend(matrix.probes.iter().map(|p| {
                matrix
                    .result(&b.name, &p.id)
                    .map_or_else(String::new, |r| mark(r.access).to_string())
            }));
            row
        })
        .collect()
}

fn limits(matrix: &SandboxMatrix) -> String {
    format!(
        "Probes ran with a memory limit of {} MiB and a time limit of {} ms per call. \
         allowed: the host saw the effect (or the limit was passed); denied: the API refused, \
         the effect never reached the host, or the limit held; absent: no API for it.",
        matrix.memory_limit >> 20,
        matrix.timeout_ms
    )
}

/// The matrix as a terminal table, then each backend's flags and how every
/// verdict was reached.
pub fn render(matrix: &SandboxMatrix) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    let mut header = vec![TableCell::new("backend")];
    header.extend(matrix.probes.iter().map(|p| TableCell::new(&p.title)));
    table.set_header(header);
    for row in rows(matrix) {
        let mut cells = row.into_iter();
        let mut out = vec![TableCell::new(cells.next().unwrap_or_default())];
        out.extend(cells.map(|c| TableCell::new(c).set_alignment(CellAlignment::Center)));
        table.add_row(out);
    }
    let mut out = format!("{table}\n{}\n", limits(matrix));
    out.push_str("\nHow each verdict was reached:\n");
    for b in &matrix.backends {
        out.push_str(&format!("  {}", b.name));
        if !b.flags.is_empty() {
            out.push_str(&format!(" (flags: {})", b.flags.join(" ")));
        }
        out.push('\n');
        if let Some(reason) = &b.unavailable {
            out.push_str(&format!("    unavailable: {}\n", first_line(reason)));
            continue;
        }
        for p in &matrix.probes {
            if let Some(r) = matrix.result(&b.name, &p.id) {
                out.push_str(&format!("    {}: {} — {}\n", p.id, r.access, first_line(&r.detail)));
            }
        }
    }
    out
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().chars().take(160).collect()
}

fn escape(text: &str) -> String {
    text.replace('|', "\\|")
}

/// The matrix as a Markdown table with the limits below it.
pub fn render_markdown(matrix: &SandboxMatrix) -> String {
    let mut out = String::from("| backend |");
    for p in &matrix.probes {
        out.push_str(&format!(" {} |", escape(&p.title)));
    }
    out.push_str("\n|---|");
    out.push_str(&":-:|".repeat(matrix.probes.len()));
    out.push('\n');
    for row in rows(matrix) {
        out.push('|');
        for cell in row {
            out.push_str(&format!(" {} |", escape(&cell)));
        }
        out.push('\n');
    }
    out.push_str(&format!("\n{}\n", limits(matrix)));
    out
}

/// Escapes text for HTML content and attributes.
pub(crate) fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The matrix as an HTML section for the report; each cell's title is how
/// its verdict was reached.
pub fn render_html(matrix: &SandboxMatrix) -> String {
    let mut out = String::from(
        "<section id=\"sandbox\"><h2>What the JavaScript can reach (sandbox matrix)</h2>\n<table class=\"sandbox\"><thead><tr><th>backend</th>",
    );
    for p in &matrix.probes {
        out.push_str(&format!(
            "<th title=\"{}\">{}</th>",
            html_escape(&p.description),
            html_escape(&p.title)
        ));
    }
    out.push_str("</tr></thead><tbody>\n");
    for b in &matrix.backends {
        out.push_str(&format!(
            "<tr><th title=\"{}\">{}</th>",
            html_escape(&b.flags.join(" ")),
            html_escape(&b.name)
        ));
        for p in &matrix.probes {
            match matrix.result(&b.name, &p.id) {
                Some(r) => out.push_str(&format!(
                    "<td class=\"access-{}\" title=\"{}\">{}</td>",
                    r.access,
                    html_escape(&r.detail),
                    mark(r.access)
                )),
                None => out.push_str("<td></td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str(&format!(
        "</tbody></table>\n<p class=\"note\">{} Hover a cell for how its verdict was reached.</p></section>\n",
        html_escape(&limits(matrix))
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsbench_schema::{SandboxBackend, SandboxProbe, SandboxResult};

    fn matrix() -> SandboxMatrix {
        SandboxMatrix {
            probes: vec![SandboxProbe {
                id: "file-read".into(),
                title: "read a file".into(),
                description: "reads a secret".into(),
            }],
            backends: vec![
                SandboxBackend {
                    name: "quickjs".into(),
                    flags: vec![],
                    unavailable: None,
                },
                SandboxBackend {
                    name: "deno-pipe-sandboxed".into(),
                    flags: vec!["--allow-read=/tmp/x".into()],
                    unavailable: None,
                },
            ],
            results: vec![
                SandboxResult {
                    backend: "quickjs".into(),
                    probe: "file-read".into(),
                    access: Access::Absent,
                    detail: "no API for it".into(),
                },
                SandboxResult {
                    backend: "deno-pipe-sandboxed".into(),
                    probe: "file-read".into(),
                    access: Access::Denied,
                    detail: "Deno.readTextFileSync refused: <NotCapable>".into(),
                },
            ],
            memory_limit: 128 << 20,
            timeout_ms: 3000,
        }
    }

    #[test]
    fn every_format_shows_each_verdict() {
        let m = matrix();
        let text = render(&m);
        assert!(
            text.contains("read a file") && text.contains("absent") && text.contains("denied"),
            "{text}"
        );
        assert!(
            text.contains("flags: --allow-read=/tmp/x") && text.contains("128 MiB"),
            "{text}"
        );
        let md = render_markdown(&m);
        assert!(
            md.contains("| quickjs | absent |") && md.contains("| deno-pipe-sandboxed | denied |"),
            "{md}"
        );
        let html = render_html(&m);
        assert!(
            html.contains("class=\"access-denied\"") && html.contains("&lt;NotCapable&gt;"),
            "{html}"
        );
    }
}
