//! The one table model of binary sizes and build cost (the `sizes` section
//! of a results file, written by `jsbench size`): one row per probe or
//! runtime, then footnotes (the build settings, each report's notes, the
//! per-workload artefacts). The terminal table ([`crate::table`]), Markdown
//! ([`crate::markdown`]) and HTML ([`crate::html`]) each supply only their
//! own syntax.

use crate::format::{build_headline, bytes, duration};
use jsbench_schema::{Bytes, SizeKind, SizeReport};
use serde::Serialize;

/// The column headers, in order.
pub const HEADER: [&str; 9] = [
    "probe / runtime",
    "backends",
    "variant",
    "binary",
    "vs baseline",
    "installed",
    "clean build",
    "crates",
    "links",
];

/// Columns before the figures: what a row is.
pub const IDENTITY_COLUMNS: usize = 3;

/// One cell of the table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SizeCell {
    /// As shown.
    pub text: String,
    /// The number behind it, for sorting (`None` for text columns and
    /// unknown figures).
    pub sort: Option<f64>,
    /// Right-aligned (a figure).
    pub numeric: bool,
}

/// One probe or runtime.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SizeTableRow {
    /// Its cells: [`IDENTITY_COLUMNS`] of them when it is unavailable, else
    /// one per header.
    pub cells: Vec<SizeCell>,
    /// Why it has no figures (`unavailable: …`, `unsupported: …`), shown in
    /// place of them.
    pub unavailable: Option<String>,
}

/// The size table and its footnotes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SizeTable {
    /// The column headers ([`HEADER`]).
    pub header: Vec<&'static str>,
    /// The rows, in the file's order.
    pub rows: Vec<SizeTableRow>,
    /// Lines under the table: the build settings, notes, artefacts.
    pub footnotes: Vec<String>,
}

impl SizeTable {
    /// The table of `reports`; `None` when there are none.
    pub fn new(reports: &[SizeReport]) -> Option<Self> {
        if reports.is_empty() {
            return None;
        }
        let mut footnotes: Vec<String> = reports
            .iter()
            .find_map(|r| r.build.as_ref().map(|b| settings_line(&b.settings)))
            .into_iter()
            .collect();
        for r in reports {
            footnotes.extend(r.notes.iter().map(|note| format!("{}: {note}", r.name)));
            footnotes.extend(artefacts_line(r));
        }
        Some(SizeTable {
            header: HEADER.to_vec(),
            rows: reports.iter().map(row).collect(),
            footnotes,
        })
    }
}

fn text(text: impl Into<String>) -> SizeCell {
    SizeCell {
        text: text.into(),
        sort: None,
        numeric: false,
    }
}

fn figure(value: Option<f64>, show: impl FnOnce(f64) -> String) -> SizeCell {
    SizeCell {
        text: value.map(show).unwrap_or_else(|| "-".into()),
        sort: value,
        numeric: true,
    }
}

fn signed_bytes(delta: i64) -> String {
    if delta >= 0 {
        format!("+{}", bytes(delta as u64))
    } else {
        format!("-{}", bytes(delta.unsigned_abs()))
    }
}

fn row(r: &SizeReport) -> SizeTableRow {
    let mut cells = vec![text(&r.name), text(r.backends.join(", ")), text(&r.variant)];
    if let Some(why) = &r.unavailable {
        let first = build_headline(why);
        let shown = if first.starts_with("unsupported") {
            first
        } else {
            format!("unavailable: {first}")
        };
        return SizeTableRow {
            cells,
            unavailable: Some(shown),
        };
    }
    let as_bytes = |b: f64| bytes(b as u64);
    let delta = r.delta_bytes.filter(|_| r.kind != SizeKind::Baseline);
    cells.extend([
        figure(r.binary_bytes.map(|b| b as f64), as_bytes),
        figure(delta.map(|d| d as f64), |d| signed_bytes(d as i64)),
        figure(r.install_bytes.map(|b| b as f64), as_bytes),
        figure(r.build.as_ref().map(|b| b.wall as f64), duration),
        figure(r.build.as_ref().map(|b| f64::from(b.crates_compiled)), |c| {
            format!("{c}")
        }),
        text(&r.component),
    ]);
    SizeTableRow {
        cells,
        unavailable: None,
    }
}

fn settings_line(s: &jsbench_schema::BuildSettings) -> String {
    format!(
        "Probe builds: opt-level {}, lto {}, codegen-units {}, strip {}, panic {}, debug {}, jobs {}, {} on {}.",
        s.opt_level,
        s.lto,
        s.codegen_units,
        s.strip,
        s.panic,
        s.debug,
        s.jobs.map(|j| j.to_string()).unwrap_or_else(|| "cargo default".into()),
        s.rustc.as_deref().unwrap_or("rustc ?"),
        s.target,
    )
}

/// The median of byte counts by the one rule of `jsbench-stats`, rounded
/// down to a whole byte; `None` for none.
pub fn median_bytes(values: &[Bytes]) -> Option<Bytes> {
    let values: Vec<f64> = values.iter().map(|v| *v as f64).collect();
    jsbench_stats::median(&values).map(|m| m as Bytes)
}

/// The per-workload artefacts of a report in one line: min / median / max
/// of the component and precompiled sizes, and the binary with a median
/// component.
fn artefacts_line(r: &SizeReport) -> Option<String> {
    if r.artefacts.is_empty() {
        return None;
    }
    let components: Vec<Bytes> = r.artefacts.iter().map(|a| a.component_bytes).collect();
    let precompiled: Vec<Bytes> = r.artefacts.iter().filter_map(|a| a.precompiled_bytes).collect();
    let span = |v: &[Bytes]| match (v.iter().min(), median_bytes(v), v.iter().max()) {
        (Some(min), Some(med), Some(max)) => format!("{} / {} / {}", bytes(*min), bytes(med), bytes(*max)),
        _ => "-".into(),
    };
    let deployed = match (r.binary_bytes, median_bytes(&components)) {
        (Some(binary), Some(median)) => format!("; binary + median component = {}", bytes(binary + median)),
        _ => String::new(),
    };
    Some(format!(
        "{}: per workload (min / median / max of {}): component {}, precompiled {}{deployed}",
        r.name,
        r.artefacts.len(),
        span(&components),
        span(&precompiled)
    ))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use jsbench_schema::{ArtefactSize, BuildCost};

    /// A report with only its identity.
    pub(crate) fn report(name: &str, kind: SizeKind, binary: Option<Bytes>) -> SizeReport {
        SizeReport {
            name: name.into(),
            kind,
            backends: vec![name.into()],
            variant: "release".into(),
            component: String::new(),
            binary: None,
            binary_bytes: binary,
            delta_bytes: None,
            install_bytes: None,
            build: None,
            run_output: None,
            artefacts: Vec::new(),
            notes: Vec::new(),
            unavailable: None,
            measured_at: String::new(),
        }
    }

    /// Baseline, QuickJS with a build, a failed V8 and an unsupported
    /// backend.
    pub(crate) fn reports() -> Vec<SizeReport> {
        let settings = jsbench_schema::BuildSettings {
            opt_level: "3".into(),
            lto: "false".into(),
            codegen_units: 16,
            strip: "symbols".into(),
            panic: "unwind".into(),
            debug: "false".into(),
            jobs: None,
            rustc: Some("rustc 1.95.0".into()),
            target: "x86_64-unknown-linux-gnu".into(),
        };
        let mut baseline = report("baseline", SizeKind::Baseline, Some(400 << 10));
        baseline.delta_bytes = Some(0);
        let mut quickjs = report("quickjs", SizeKind::Embedded, Some(1536 << 10));
        quickjs.delta_bytes = Some(1136 << 10);
        quickjs.component = "rquickjs 0.14.0".into();
        quickjs.build = Some(BuildCost {
            wall: 25_000_000_000,
            crates_compiled: 12,
            settings,
        });
        quickjs.notes.push("a note".into());
        let mut v8 = report("v8", SizeKind::Embedded, None);
        v8.unavailable = Some("cargo build failed\nmore".into());
        let mut javy = report("javy", SizeKind::Embedded, None);
        javy.unavailable = Some("unsupported: no size measure for backend `javy`".into());
        vec![baseline, quickjs, v8, javy]
    }

    #[test]
    fn a_failed_build_shows_the_line_that_says_why() {
        let why = "cargo build failed (exit status: 101):\n    File \"x.py\", line 1\n      ^^^^\n  \
                   thread 'main' panicked at build.rs:852:5:\n  Failed to download V8 prebuilt archive\n";
        assert_eq!(
            build_headline(why),
            "cargo build failed (exit status: 101) — Failed to download V8 prebuilt archive"
        );
        let rustc = "cargo build failed (exit status: 101):\nerror[E0308]: mismatched types\n --> a.rs:1:1\n\
                     error: could not compile `a` due to 1 previous error";
        assert_eq!(
            build_headline(rustc),
            "cargo build failed (exit status: 101) — error[E0308]: mismatched types"
        );
        assert_eq!(build_headline("gone is not installed"), "gone is not installed");
    }

    #[test]
    fn rows_have_figures_or_say_why_not() {
        let table = SizeTable::new(&reports()).unwrap();
        assert_eq!(table.header, HEADER);
        let texts = |i: usize| table.rows[i].cells.iter().map(|c| c.text.clone()).collect::<Vec<_>>();
        assert_eq!(
            texts(0)[3..6],
            ["400.0 KiB", "-", "-"],
            "no delta shown for the baseline"
        );
        assert_eq!(
            texts(1)[3..],
            ["1.5 MiB", "+1.1 MiB", "-", "25.0 s", "12", "rquickjs 0.14.0"]
        );
        assert_eq!(table.rows[1].cells[3].sort, Some(f64::from(1536 << 10)));
        assert_eq!(table.rows[2].cells.len(), IDENTITY_COLUMNS);
        assert_eq!(
            table.rows[2].unavailable.as_deref(),
            Some("unavailable: cargo build failed")
        );
        assert_eq!(
            table.rows[3].unavailable.as_deref(),
            Some("unsupported: no size measure for backend `javy`")
        );
        assert!(table.footnotes[0].starts_with("Probe builds: opt-level 3, lto false, codegen-units 16"));
        assert!(table.footnotes.contains(&"quickjs: a note".to_string()));
        assert_eq!(SizeTable::new(&[]), None);
        assert_eq!(signed_bytes(-2048), "-2.0 KiB");
    }

    #[test]
    fn artefacts_are_summarised_with_the_one_median() {
        assert_eq!(median_bytes(&[3, 1, 2]), Some(2));
        assert_eq!(median_bytes(&[4, 1, 2, 3]), Some(2));
        assert_eq!(median_bytes(&[]), None);
        let mut r = report("wasm-component", SizeKind::WasmComponent, Some(1024));
        r.artefacts = [(1024, Some(4096)), (3072, None), (2048, Some(2048))]
            .into_iter()
            .map(|(component_bytes, precompiled_bytes)| ArtefactSize {
                workload: "w".into(),
                component_bytes,
                precompiled_bytes,
            })
            .collect();
        let line = artefacts_line(&r).unwrap();
        assert!(line.contains("of 3): component 1.0 KiB / 2.0 KiB / 3.0 KiB"), "{line}");
        assert!(line.contains("precompiled 2.0 KiB / 3.0 KiB / 4.0 KiB"), "{line}");
        assert!(line.ends_with("binary + median component = 3.0 KiB"), "{line}");
    }
}
