//! The sentences printed after a run and by `jsbench check`: the closing
//! summary (fastest backend per category, smallest footprint, failures,
//! and what the profile's figures are good for), the one-line stability
//! warning, and the note that quick figures are for smoke tests.

use crate::analysis::Analysis;
use crate::format::bytes;
use crate::style::{Palette, Tone};

/// What `--quick` figures are good for, said after a quick run and by
/// `jsbench check` on a quick file.
pub const QUICK_NOTE: &str = "quick profile: these figures are for smoke tests only (one process per cell, \
     few short samples, two cells at a time); run without --quick for numbers to compare";

/// The caveat of a profile, by its recorded name.
pub fn profile_caveat(profile: &str) -> String {
    match profile {
        "quick" => QUICK_NOTE.to_string(),
        "default" => "default profile: 3 to 10 processes per cell, until each median is within ±2 % \
                      where the noise allows; compare runs of the same machine only"
            .to_string(),
        "rigorous" => "rigorous profile: 10 to 40 processes per cell, medians within ±1 %; \
                       still true of this machine only"
            .to_string(),
        other => {
            format!("profile `{other}` (settings given by hand): `jsbench check` says which cells are precise enough")
        }
    }
}

/// The line after a run about unstable cells: for a quick run the smoke-test
/// note instead (every quick cell would be flagged), else a warning counting
/// the flagged cells, or nothing when none is.
pub fn stability_line(profile: &str, flagged_cells: usize, checked_cells: usize, file: &str) -> Option<String> {
    if profile == "quick" {
        return Some(format!("note: {QUICK_NOTE}"));
    }
    (flagged_cells > 0).then(|| {
        format!("warning: {flagged_cells} of {checked_cells} cell(s) look unstable; `jsbench check {file}` says why")
    })
}

/// The closing summary of a run, a few lines.
pub fn closing(analysis: &Analysis, profile: &str, palette: Palette) -> String {
    let mut out = String::from("Summary:\n");
    let fastest = fastest_per_category(analysis);
    if !fastest.is_empty() {
        let parts: Vec<String> = fastest
            .iter()
            .map(|(category, backend, geomean, rows)| {
                format!(
                    "{category}: {} ({geomean:.2}× the fastest over {rows} row(s))",
                    palette.paint(backend, Tone::Best)
                )
            })
            .collect();
        out.push_str(&format!("  fastest per category: {}\n", parts.join("; ")));
    }
    let smallest = analysis
        .summaries
        .iter()
        .filter_map(|s| s.footprint.map(|f| (s.name.as_str(), f)))
        .min_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((name, footprint)) = smallest {
        out.push_str(&format!(
            "  smallest footprint: {name} ({} peak RSS per process, median)\n",
            bytes(footprint.max(0.0) as u64)
        ));
    }
    let failed: Vec<String> = analysis
        .problems
        .iter()
        .filter(|p| p.status == "failed" || p.status == "wrong-output")
        .map(|p| {
            let why = if p.kind.is_empty() {
                p.status.clone()
            } else {
                p.kind.clone()
            };
            format!("{} / {} ({}): {why}", p.backend, p.workload, p.size)
        })
        .collect();
    if failed.is_empty() {
        out.push_str("  failures: none\n");
    } else {
        const SHOWN: usize = 5;
        let mut text = failed.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
        if failed.len() > SHOWN {
            text.push_str(&format!(", … and {} more", failed.len() - SHOWN));
        }
        out.push_str(&format!(
            "  {}: {text}\n",
            palette.paint(&format!("failures: {} cell(s)", failed.len()), Tone::Bad)
        ));
    }
    out.push_str(&format!("  caveat: {}\n", profile_caveat(profile)));
    out
}

/// Per category (in order of first appearance): the backend with the
/// smallest geometric mean of "× fastest", among the backends timed on the
/// most rows of that category (so one lucky row does not win), with that
/// mean and the number of rows.
pub fn fastest_per_category(analysis: &Analysis) -> Vec<(String, String, f64, usize)> {
    let mut categories: Vec<&str> = Vec::new();
    for row in &analysis.rows {
        if !categories.contains(&row.category.as_str()) {
            categories.push(&row.category);
        }
    }
    categories
        .into_iter()
        .filter_map(|category| {
            let rows: Vec<_> = analysis.rows.iter().filter(|r| r.category == category).collect();
            let per_backend: Vec<(usize, Vec<f64>)> = (0..analysis.backends.len())
                .map(|i| (i, rows.iter().filter_map(|r| r.cells[i].vs_fastest).collect()))
                .collect();
            let most = per_backend.iter().map(|(_, r)| r.len()).max().filter(|n| *n > 0)?;
            let (index, geomean) = per_backend
                .iter()
                .filter(|(_, r)| r.len() == most)
                .filter_map(|(i, r)| jsbench_stats::geometric_mean(r).map(|g| (*i, g)))
                .min_by(|a, b| a.1.total_cmp(&b.1))?;
            let name = if category.is_empty() { "all" } else { category };
            Some((name.to_string(), analysis.backends[index].clone(), geomean, most))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, tests::fixture};

    #[test]
    fn quick_runs_get_the_smoke_test_note_and_others_a_count_of_cells() {
        let quick = stability_line("quick", 26, 20, "r.json").unwrap();
        assert!(quick.contains("smoke tests") && !quick.contains("26"), "{quick}");
        assert_eq!(stability_line("default", 0, 20, "r.json"), None);
        let warning = stability_line("default", 3, 20, "r.json").unwrap();
        assert!(
            warning.starts_with("warning: 3 of 20 cell(s) look unstable"),
            "{warning}"
        );
    }

    #[test]
    fn the_summary_names_the_fastest_per_category_and_the_failures() {
        let mut r = fixture(&[
            ("a", "w1", &[10.0, 10.0, 10.0]),
            ("b", "w1", &[20.0, 20.0, 20.0]),
            ("a", "w2", &[10.0, 10.0, 10.0]),
            ("b", "w2", &[5.0, 5.0, 5.0]),
            ("c", "w1", &[1.0, 1.0, 1.0]),
            ("c", "w2", &[]),
        ]);
        r.workloads = ["w1", "w2"]
            .iter()
            .map(|w| jsbench_schema::WorkloadInfo {
                name: w.to_string(),
                category: "compute".into(),
                description: String::new(),
                manifest: String::new(),
                source_sha256: String::new(),
                definition_sha256: None,
                module_bytes: None,
                bundle: None,
            })
            .collect();
        let analysis = analyze(&r, None).unwrap();
        let fastest = fastest_per_category(&analysis);
        // c is fastest on w1 but has no time on w2: a and b ran both rows.
        assert_eq!(fastest.len(), 1);
        assert_eq!(fastest[0].0, "compute");
        assert_ne!(fastest[0].1, "c", "{fastest:?}");
        let text = closing(&analysis, "quick", Palette::OFF);
        assert!(text.contains("fastest per category: compute:"), "{text}");
        assert!(text.contains("failures: 1 cell(s): c / w2 (small): timeout"), "{text}");
        assert!(text.contains("caveat: quick profile"), "{text}");
    }
}
