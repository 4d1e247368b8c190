//! Size reports as the results file holds them: a new report, the deltas
//! over the baseline, merging into an existing `sizes` section, and the
//! per-workload artefacts a run recorded.

use jsbench_schema::{ArtefactSize, Bytes, Results, SizeKind, SizeReport};
use std::collections::{BTreeMap, BTreeSet};

/// Now, as RFC 3339 UTC to the second.
pub(crate) fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// A report with only its identity filled in, measured now.
pub fn empty_report(name: &str, kind: SizeKind, backends: Vec<String>, variant: &str) -> SizeReport {
    SizeReport {
        name: name.to_string(),
        kind,
        backends,
        variant: variant.to_string(),
        component: String::new(),
        binary: None,
        binary_bytes: None,
        delta_bytes: None,
        install_bytes: None,
        build: None,
        run_output: None,
        artefacts: Vec::new(),
        notes: Vec::new(),
        unavailable: None,
        measured_at: now(),
    }
}

/// The report of a backend no probe measures.
pub fn unsupported(backend: &str) -> SizeReport {
    SizeReport {
        unavailable: Some(format!("unsupported: no size measure for backend `{backend}`")),
        ..empty_report(backend, SizeKind::Embedded, vec![backend.to_string()], "-")
    }
}

/// Sets each report's delta over the baseline of its variant.
pub fn fill_deltas(reports: &mut [SizeReport]) {
    let baselines: BTreeMap<String, Bytes> = reports
        .iter()
        .filter(|r| r.kind == SizeKind::Baseline)
        .filter_map(|r| Some((r.variant.clone(), r.binary_bytes?)))
        .collect();
    for report in reports.iter_mut() {
        if let (Some(size), Some(base)) = (report.binary_bytes, baselines.get(&report.variant)) {
            report.delta_bytes = Some(size as i64 - *base as i64);
        }
    }
}

/// Puts `new` into `existing`, replacing entries of the same name and
/// variant.
pub fn merge(existing: &mut Vec<SizeReport>, new: Vec<SizeReport>) {
    for report in new {
        match existing
            .iter_mut()
            .find(|r| r.name == report.name && r.variant == report.variant)
        {
            Some(slot) => *slot = report,
            None => existing.push(report),
        }
    }
}

/// Per-workload component figures (the cells' typed `build` costs) that
/// `jsbench run` recorded in the cells of any of `backends`, once per
/// workload.
pub fn artefacts_from_results(results: &Results, backends: &[String]) -> Vec<ArtefactSize> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for cell in results.cells.iter().filter(|c| backends.contains(&c.backend)) {
        let Some(build) = &cell.build else { continue };
        let Some(component_bytes) = build.component_bytes else {
            continue;
        };
        if seen.insert(cell.workload.clone()) {
            out.push(ArtefactSize {
                workload: cell.workload.clone(),
                component_bytes,
                precompiled_bytes: build.precompiled_bytes,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(name: &str, kind: SizeKind, variant: &str, size: Option<Bytes>) -> SizeReport {
        SizeReport {
            binary_bytes: size,
            ..empty_report(name, kind, Vec::new(), variant)
        }
    }

    #[test]
    fn deltas_are_over_the_baseline_of_the_same_variant() {
        let mut reports = vec![
            report("baseline", SizeKind::Baseline, "release", Some(400)),
            report("quickjs", SizeKind::Embedded, "release", Some(1400)),
            report("boa", SizeKind::Embedded, "release-lto", Some(900)),
            report("tiny", SizeKind::Embedded, "release", Some(100)),
            report("v8", SizeKind::Embedded, "release", None),
        ];
        fill_deltas(&mut reports);
        let deltas: Vec<Option<i64>> = reports.iter().map(|r| r.delta_bytes).collect();
        assert_eq!(deltas, vec![Some(0), Some(1000), None, Some(-300), None]);
    }

    #[test]
    fn merge_replaces_same_name_and_variant() {
        let mut existing = vec![
            report("quickjs", SizeKind::Embedded, "release", Some(1)),
            report("quickjs", SizeKind::Embedded, "release-lto", Some(2)),
        ];
        merge(
            &mut existing,
            vec![
                report("quickjs", SizeKind::Embedded, "release", Some(3)),
                report("boa", SizeKind::Embedded, "release", Some(4)),
            ],
        );
        let sizes: Vec<(String, String, Option<Bytes>)> = existing
            .iter()
            .map(|r| (r.name.clone(), r.variant.clone(), r.binary_bytes))
            .collect();
        assert_eq!(
            sizes,
            vec![
                ("quickjs".into(), "release".into(), Some(3)),
                ("quickjs".into(), "release-lto".into(), Some(2)),
                ("boa".into(), "release".into(), Some(4)),
            ]
        );
    }

    fn results_with_component_cells() -> Results {
        let mut results: Results = serde_json::from_value(serde_json::json!({
            "schema_version": jsbench_schema::SCHEMA_VERSION,
            "jsbench": {"version": "0", "git_revision": null, "build_profile": "release", "rustc": null},
            "machine": {"hostname": "h", "cpu_model": "c", "cores": 1, "kernel": "k", "os": "o",
                        "cpu_governor": null, "load_average_start": null, "load_average_end": null,
                        "memory_total": null},
            "config": {"sizes": [], "samples": 0, "warmup": 0, "processes": 0, "timeout_ms": 0,
                       "memory_limit": 0, "seed": 0, "profile": "size"},
            "started_at": "", "finished_at": "", "backends": [], "workloads": [], "cells": []
        }))
        .unwrap();
        for (workload, size) in [("fib", "small"), ("fib", "default"), ("echo", "small")] {
            let build = jsbench_schema::BuildCosts {
                component_bytes: Some(100),
                precompiled_bytes: (workload == "fib").then_some(300),
                ..Default::default()
            };
            results.cells.push(jsbench_schema::Cell {
                backend: "wasm-component".into(),
                workload: workload.into(),
                size: size.into(),
                status: jsbench_schema::CellStatus::Ok,
                error: None,
                processes: Vec::new(),
                summary: None,
                build: Some(build),
                instructions: None,
                stopped: None,
                extra: BTreeMap::new(),
            });
        }
        results
    }

    #[test]
    fn artefacts_come_from_prepare_figures_once_per_workload() {
        let results = results_with_component_cells();
        let artefacts = artefacts_from_results(&results, &["wasm-component".into()]);
        assert_eq!(artefacts.len(), 2);
        assert_eq!(artefacts[0].precompiled_bytes, Some(300));
        assert_eq!(artefacts[1].precompiled_bytes, None);
        assert!(artefacts_from_results(&results, &["quickjs".into()]).is_empty());
    }

    #[test]
    fn unsupported_backends_say_so() {
        let r = unsupported("javy");
        assert_eq!(
            r.unavailable.as_deref(),
            Some("unsupported: no size measure for backend `javy`")
        );
        assert_eq!(r.backends, vec!["javy".to_string()]);
    }
}
