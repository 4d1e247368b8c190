//! `jsbench size` end to end, on the fast probes only (baseline and QuickJS;
//! the V8, Boa and wasmtime probes take minutes to build from scratch): the
//! reported sizes are those of the files on disk, deltas are over the
//! baseline, the build settings are recorded, the probe binaries work, and
//! an existing results file keeps its other sections; `show` and `report`
//! display a file's sizes.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn jsbench() -> Command {
    Command::new(env!("CARGO_BIN_EXE_jsbench"))
}

fn entry<'a>(sizes: &'a [Value], name: &str) -> &'a Value {
    sizes
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no size entry `{name}` in {sizes:?}"))
}

#[test]
fn size_reports_quickjs_and_baseline_from_the_files_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("tmp.json");
    // A results file from elsewhere: its sections must survive the merge.
    let existing = serde_json::json!({
        "schema_version": 1,
        "jsbench": {"version": "0.1.0", "git_revision": null, "build_profile": "release", "rustc": null},
        "machine": {"hostname": "h", "cpu_model": "c", "cores": 2, "kernel": "k", "os": "o",
                    "cpu_governor": null, "load_average_start": null, "load_average_end": null, "memory_total": null},
        "config": {"sizes": ["small"], "samples": 1, "warmup": 0, "processes": 1, "timeout_ms": 1000,
                   "memory_limit": 1, "seed": 5, "profile": "custom"},
        "started_at": "2026-01-01T00:00:00Z",
        "finished_at": "2026-01-01T00:00:01Z",
        "backends": [],
        "workloads": [],
        "cells": [],
        "sizes": [{"name": "stale", "kind": "embedded", "variant": "release"}]
    });
    std::fs::write(&output, existing.to_string()).unwrap();

    let run = jsbench()
        .args(["size", "-b", "quickjs", "-o"])
        .arg(&output)
        // Keeps the probe binaries and build folders out of the user's cache.
        .env("JSBENCH_CACHE_DIR", dir.path().join("cache"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "jsbench size failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stdout.contains("quickjs") && stdout.contains("baseline"), "{stdout}");
    assert!(
        stderr.contains("building probe `quickjs`"),
        "progress is printed: {stderr}"
    );

    let results: Value = serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();
    assert_eq!(results["config"]["seed"], 5, "the existing file's sections are kept");
    let sizes = results["sizes"].as_array().expect("a sizes section");
    assert!(sizes.iter().any(|s| s["name"] == "stale"), "other entries are kept");
    assert_eq!(sizes.len(), 3, "baseline and quickjs only were added: {sizes:?}");

    let baseline = entry(sizes, "baseline");
    let quickjs = entry(sizes, "quickjs");
    assert_eq!(quickjs["backends"], serde_json::json!(["quickjs"]));
    assert!(
        quickjs["component"].as_str().unwrap().contains("rquickjs 0.14.0"),
        "{quickjs}"
    );
    let mut on_disk = Vec::new();
    for report in [baseline, quickjs] {
        assert!(report["unavailable"].is_null(), "{report}");
        let path = Path::new(report["binary"].as_str().expect("a binary path"));
        assert!(
            path.starts_with(dir.path()),
            "{} is under JSBENCH_CACHE_DIR",
            path.display()
        );
        let len = std::fs::metadata(path).unwrap().len();
        assert_eq!(report["binary_bytes"].as_u64(), Some(len), "{}", path.display());
        on_disk.push(len);

        let build = &report["build"];
        assert!(build["wall"].as_u64().unwrap() > 0);
        assert!(build["crates_compiled"].as_u64().unwrap() >= 1);
        let settings = &build["settings"];
        assert_eq!(settings["opt_level"], "3");
        assert_eq!(settings["lto"], "false");
        assert_eq!(settings["codegen_units"], 16);
        assert_eq!(settings["strip"], "symbols");
        assert_eq!(settings["panic"], "unwind");
        assert_eq!(report["variant"], "release");
    }
    let (base, qjs) = (on_disk[0], on_disk[1]);
    assert_eq!(quickjs["delta_bytes"].as_i64(), Some(qjs as i64 - base as i64));
    assert_eq!(baseline["delta_bytes"].as_i64(), Some(0));
    assert!(qjs > base, "an engine adds to the baseline: {qjs} vs {base}");
    // QuickJS compiles rquickjs-sys and its build dependencies: more than
    // the baseline's single crate.
    assert!(
        quickjs["build"]["crates_compiled"].as_u64() > baseline["build"]["crates_compiled"].as_u64(),
        "{quickjs}"
    );

    // The kept probe binaries work on their own.
    let probe = Command::new(quickjs["binary"].as_str().unwrap())
        .arg("[1, 2, 3].map(x => x * 2).join('+')")
        .output()
        .unwrap();
    assert!(probe.status.success());
    assert_eq!(String::from_utf8_lossy(&probe.stdout).trim(), "2+4+6");
    assert_eq!(quickjs["run_output"], "42 probe");
    let probe = Command::new(baseline["binary"].as_str().unwrap())
        .arg("hello")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&probe.stdout).trim(), "baseline: hello");

    // `show` displays the sizes the command wrote.
    let show = jsbench().arg("show").arg(&output).output().unwrap();
    let shown = String::from_utf8_lossy(&show.stdout);
    assert!(show.status.success(), "{shown}");
    assert!(
        shown.contains("probe / runtime") && shown.contains("rquickjs 0.14.0"),
        "{shown}"
    );

    // Build folders are removed; only the kept binaries stay.
    let builds = dir.path().join("cache/size-builds");
    let left: Vec<_> = std::fs::read_dir(&builds).unwrap().collect();
    assert!(left.is_empty(), "build folders left in {}: {left:?}", builds.display());
}

#[test]
fn size_rejects_unknown_backends() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("x.json");
    let run = jsbench()
        .args(["size", "-b", "no-such-engine", "-o"])
        .arg(&output)
        .env("JSBENCH_CACHE_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("unknown backend"));
    assert!(!output.exists());
}

/// A results file whose only section of note is `sizes`.
fn sizes_file(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("sizes.json");
    let results = serde_json::json!({
        "schema_version": 1,
        "jsbench": {"version": "0.1.0", "git_revision": null, "build_profile": "release", "rustc": null},
        "machine": {"hostname": "h", "cpu_model": "c", "cores": 2, "kernel": "k", "os": "o",
                    "cpu_governor": null, "load_average_start": null, "load_average_end": null, "memory_total": null},
        "config": {"sizes": [], "samples": 0, "warmup": 0, "processes": 0, "timeout_ms": 0,
                   "memory_limit": 0, "seed": 0, "profile": "size"},
        "started_at": "2026-01-01T00:00:00Z",
        "finished_at": "2026-01-01T00:00:01Z",
        "backends": [],
        "workloads": [],
        "cells": [],
        "sizes": [
            {"name": "baseline", "kind": "baseline", "backends": [], "variant": "release",
             "binary_bytes": 345_702, "delta_bytes": 0},
            {"name": "quickjs", "kind": "embedded", "backends": ["quickjs"], "variant": "release",
             "component": "rquickjs 0.14.0", "binary_bytes": 1_572_864, "delta_bytes": 1_227_162,
             "build": {"wall": 25_000_000_000u64, "crates_compiled": 12,
                       "settings": {"opt_level": "3", "lto": "false", "codegen_units": 16, "strip": "symbols",
                                    "panic": "unwind", "debug": "false", "jobs": null,
                                    "rustc": "rustc 1.95.0", "target": "x86_64-unknown-linux-gnu"}}},
            {"name": "node", "kind": "out-of-process", "backends": ["node-http", "node-pipe"],
             "variant": "installed", "unavailable": "node is not installed"}
        ]
    });
    std::fs::write(&path, results.to_string()).unwrap();
    path
}

#[test]
fn show_and_report_display_the_sizes_section() {
    let dir = tempfile::tempdir().unwrap();
    let file = sizes_file(dir.path());
    let output = |args: &[&str]| {
        let out = jsbench().args(args).arg(&file).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{args:?}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    };
    let shown = output(&["show"]);
    for text in [
        "probe / runtime",
        "quickjs",
        "1.5 MiB",
        "+1.2 MiB",
        "25.0 s",
        "rquickjs 0.14.0",
    ] {
        assert!(shown.contains(text), "`show` lacks {text:?}:\n{shown}");
    }
    assert!(shown.contains("unavailable: node is not installed"), "{shown}");
    assert!(shown.contains("Probe builds: opt-level 3, lto false"), "{shown}");
    assert_eq!(
        output(&["report", "--format", "table"]),
        shown,
        "one table for show and report"
    );

    let markdown = output(&["report", "--format", "markdown"]);
    assert!(markdown.contains("## Binary size and build cost"), "{markdown}");
    assert!(
        markdown.contains("| quickjs | quickjs | release | 1.5 MiB | +1.2 MiB |"),
        "{markdown}"
    );

    let html = output(&["report", "--format", "html"]);
    let section = &html[html.find("id=\"sizes\"").expect("a Size section")..];
    assert!(section.contains(">rquickjs 0.14.0</td>"), "{section}");
    assert!(
        section.contains(">unavailable: node is not installed</td>"),
        "{section}"
    );
}
