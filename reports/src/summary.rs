//! The sentences printed after a run and by `jsbench check`: the closing
//! summary (fastest backend per category, smallest footprint, failures,
//! and what the profile's figures are good for), the one-line stability
//! warning, the note that quick figures are for smoke tests, and where a
//! run's time went (worker processes per backend, why cells stopped).

use crate::analysis::Analysis;
use crate::format::{bytes, duration};
use crate::style::{Palette, Tone};
use jsbench_schema::{Results, StopReason};

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

/// Wall time of the worker processes of each backend (as recorded in each
/// process's `wall_ns`) and their count, the most costly backend first;
/// processes of files that did not record it count as zero time.
pub fn time_by_backend(results: &Results) -> Vec<(String, f64, usize)> {
    let mut rows: Vec<(String, f64, usize)> = Vec::new();
    for cell in &results.cells {
        if cell.processes.is_empty() {
            continue;
        }
        let ns: f64 = cell.processes.iter().filter_map(|p| p.wall_ns).map(|n| n as f64).sum();
        match rows.iter_mut().find(|(name, _, _)| *name == cell.backend) {
            Some(row) => {
                row.1 += ns;
                row.2 += cell.processes.len();
            }
            None => rows.push((cell.backend.clone(), ns, cell.processes.len())),
        }
    }
    rows.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows
}

/// Where a run's time went, one line: the worker processes' total wall time
/// and count, the (at most three) backends that took most of it, and how
/// many cells stopped for each reason. `None` when no process recorded its
/// time (older files, runs that measured nothing).
pub fn time_line(results: &Results) -> Option<String> {
    let rows = time_by_backend(results);
    let total: f64 = rows.iter().map(|r| r.1).sum();
    if total <= 0.0 {
        return None;
    }
    let processes: usize = rows.iter().map(|r| r.2).sum();
    let top: Vec<String> = rows
        .iter()
        .take(3)
        .map(|(name, ns, _)| format!("{name} {} ({:.0} %)", duration(*ns), 100.0 * ns / total))
        .collect();
    let reasons = [
        (StopReason::Precise, "precise"),
        (StopReason::Unreachable, "unreachable"),
        (StopReason::ProcessLimit, "at the process limit"),
        (StopReason::Fixed, "fixed count"),
        (StopReason::Failed, "failed"),
    ];
    let stopped: Vec<String> = reasons
        .iter()
        .filter_map(|(reason, label)| {
            let n = results.cells.iter().filter(|c| c.stopped == Some(*reason)).count();
            (n > 0).then(|| format!("{n} {label}"))
        })
        .collect();
    let mut line = format!(
        "Time: {} in {processes} worker process(es); most in {}",
        duration(total),
        top.join(", ")
    );
    if !stopped.is_empty() {
        line.push_str(&format!("; cells stopped: {}", stopped.join(", ")));
    }
    Some(line)
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
    fn the_time_line_adds_up_process_wall_times_per_backend() {
        let mut r = fixture(&[("a", "w1", &[10.0, 10.0]), ("b", "w1", &[1.0]), ("a", "w2", &[5.0])]);
        assert_eq!(time_line(&r), None, "no process recorded its time");
        for cell in &mut r.cells {
            let each = if cell.backend == "a" {
                3_000_000_000
            } else {
                1_000_000_000
            };
            for p in &mut cell.processes {
                p.wall_ns = Some(each);
            }
        }
        r.cells[0].stopped = Some(StopReason::Precise);
        r.cells[1].stopped = Some(StopReason::Unreachable);
        let rows = time_by_backend(&r);
        let a_processes = r
            .cells
            .iter()
            .filter(|c| c.backend == "a")
            .map(|c| c.processes.len())
            .sum::<usize>();
        assert_eq!(rows[0].0, "a");
        assert_eq!(rows[0].1, 3e9 * a_processes as f64);
        assert_eq!(rows[0].2, a_processes);
        let line = time_line(&r).unwrap();
        assert!(line.starts_with("Time: "), "{line}");
        assert!(line.contains("most in a "), "{line}");
        assert!(line.contains("cells stopped: 1 precise, 1 unreachable"), "{line}");
    }

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
