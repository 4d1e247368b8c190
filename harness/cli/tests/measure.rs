//! Measurement rigour end to end: `jsbench check` flags a deliberately
//! noisy cell and passes a steady one; every cell carries memory figures and
//! CPU counters or the reason they are unavailable; baselines are measured.

mod common;

use common::{results, run, text, workload};
use jsbench_schema::{CounterSource, StopReason};

#[test]
fn check_flags_a_noisy_cell_and_passes_a_steady_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The mock sleeps a varying 0..20 ms per call: one call per sample makes
    // the samples spread on purpose (a MAD of about half the median), far
    // beyond what a busy machine adds to a steady cell.
    let noisy = workload(d, "noisy", "jitter-us 20000", "x", "x");
    let steady = workload(d, "steady", "echo", "x", "x");
    let noisy_out = d.join("noisy.json");
    let steady_out = d.join("steady.json");
    let (n, s) = (noisy.display().to_string(), steady.display().to_string());
    let (no, so) = (noisy_out.display().to_string(), steady_out.display().to_string());
    let out = run(&[
        "run",
        "-q",
        "-s",
        "small",
        "-b",
        "mock",
        "-w",
        &n,
        "--processes",
        "1",
        "--samples",
        "20",
        "--sample-ms",
        "0.001",
        "-o",
        &no,
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let out = run(&[
        "run",
        "-q",
        "-s",
        "small",
        "-b",
        "mock",
        "-w",
        &s,
        "--processes",
        "1",
        "--samples",
        "8",
        "--sample-ms",
        "30",
        "-o",
        &so,
    ]);
    assert!(out.status.success(), "{}", text(&out));

    let flagged = run(&["check", &no, "--max-spread-percent", "35", "--max-ci-percent", "1000"]);
    assert_eq!(flagged.status.code(), Some(1), "{}", text(&flagged));
    assert!(String::from_utf8_lossy(&flagged.stdout).contains("mock / noisy (small): samples spread too much"));

    // Long samples of a constant-time call: preemption on a busy machine
    // averages out within each sample.
    let passed = run(&[
        "check",
        &so,
        "--max-spread-percent",
        "35",
        "--max-ci-percent",
        "1000",
        "--min-samples",
        "3",
    ]);
    assert_eq!(passed.status.code(), Some(0), "{}", text(&passed));
    assert!(String::from_utf8_lossy(&passed.stdout).contains("all look stable"));

    let malformed = d.join("bad.json");
    std::fs::write(&malformed, "{ not json").unwrap();
    let out = run(&["check", &malformed.display().to_string()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.json"));
}

#[test]
fn cells_whose_processes_disagree_get_more_processes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Each process of `disagree` is 4 ms per call slower than the one before
    // (the mock counts its processes in a file); `steady` echoes in long
    // samples. At ±25% the steady median is precise after the minimum of 3
    // processes; the other, whose processes run at 5, 9, 13 … ms, never is:
    // it runs up to the maximum of 6, or stops early as unreachable.
    let counter = d.join("processes.txt");
    let disagree = workload(
        d,
        "disagree",
        &format!("sleep-us 1000\nprocess-step-us 4000 {}", counter.display()),
        "x",
        "x",
    );
    let steady = workload(d, "steady", "echo", "x", "x");
    let out_path = d.join("r.json");
    let (a, b, o) = (
        disagree.display().to_string(),
        steady.display().to_string(),
        out_path.display().to_string(),
    );
    let out = run(&[
        "run",
        "-q",
        "-s",
        "small",
        "-b",
        "mock",
        "-w",
        &a,
        "-w",
        &b,
        "--processes",
        "3",
        "--max-processes",
        "6",
        "--precision",
        "25",
        "--samples",
        "3",
        "--sample-ms",
        "30",
        "-o",
        &o,
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let r = results(&out_path);
    assert_eq!(
        (r.config.processes, r.config.max_processes, r.config.precision),
        (3, Some(6), Some(0.25))
    );
    let processes = |name: &str| r.cells.iter().find(|c| c.workload == name).map(|c| c.processes.len());
    assert_eq!(processes("steady"), Some(3), "{}", text(&out));
    // More than the minimum, then either the maximum or an early stop once
    // the spread says ±25% cannot be reached within 6 (which of the two
    // depends on this machine's timing), and the cell says which.
    let cell = r.cells.iter().find(|c| c.workload == "disagree").unwrap();
    let ran = cell.processes.len();
    match cell.stopped {
        Some(StopReason::ProcessLimit) => assert_eq!(ran, 6, "{}", text(&out)),
        Some(StopReason::Unreachable) => assert!((3..6).contains(&ran), "{ran} processes"),
        other => panic!("disagree stopped as {other:?} after {ran} processes"),
    }
    assert_eq!(
        r.cells.iter().find(|c| c.workload == "steady").and_then(|c| c.stopped),
        Some(StopReason::Precise)
    );
    // The median of `disagree` is the median of its process medians, and
    // its interval spans processes, not the samples of one.
    let summary = cell.summary.unwrap();
    let (low, high) = (summary.ci95_low.unwrap(), summary.ci95_high.unwrap());
    assert!((high - low) / summary.median > 0.5, "{summary:?}");

    // A bad precision is a usage error.
    let out = run(&["run", "-q", "-b", "mock", "-w", &b, "--precision", "0", "-o", &o]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let out = run(&[
        "run",
        "-q",
        "-b",
        "mock",
        "-w",
        &b,
        "--processes",
        "4",
        "--max-processes",
        "2",
        "-o",
        &o,
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

#[test]
fn every_cell_has_memory_and_counters_or_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let fib = workload(
        d,
        "fib",
        "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nexport function run(s) { return String(fib(Number(s))); }",
        "15",
        "610",
    );
    let out_path = d.join("r.json");
    let (f, o) = (fib.display().to_string(), out_path.display().to_string());
    let out = run(&["run", "--quick", "-q", "-b", "quickjs,boa,mock", "-w", &f, "-o", &o]);
    let r = results(&out_path);
    for backend in &r.backends {
        let baseline = backend.baseline_memory.expect("baseline memory");
        assert!(baseline.peak_rss.unwrap_or(0) > 0, "{}", backend.name);
    }
    for cell in r.cells.iter().filter(|c| c.backend != "mock") {
        assert_eq!(cell.status, jsbench_schema::CellStatus::Ok, "{}", text(&out));
        let summary = cell.summary.unwrap();
        assert!(summary.ci95_low.unwrap() <= summary.median && summary.median <= summary.ci95_high.unwrap());
        assert!(summary.p50.is_some() && summary.p99 >= summary.p50);
        for p in &cell.processes {
            assert!(p.memory.peak_rss.unwrap_or(0) > 0);
            let counters = p.counters.as_ref().expect("a steady process has counters or a reason");
            assert!(
                counters.instructions.is_some()
                    || matches!(&counters.source, CounterSource::Unavailable { reason } if reason.contains("because")),
                "{counters:?}"
            );
        }
    }
    let quickjs = r.cell("quickjs", "fib", "small").unwrap();
    assert!(
        quickjs.processes[0].memory.engine.unwrap_or(0) > 0,
        "QuickJS reports its memory"
    );
}

#[test]
fn callgrind_counts_are_repeatable() {
    // valgrind is installed by `bash harness/setup.sh --test`.
    let dir = tempfile::tempdir().unwrap();
    let fib = workload(
        dir.path(),
        "fib",
        "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nexport function run(s) { return String(fib(Number(s))); }",
        "12",
        "144",
    );
    let f = fib.display().to_string();
    let mut counts = Vec::new();
    for i in 0..2 {
        let out_path = dir.path().join(format!("cg{i}.json"));
        let o = out_path.display().to_string();
        let out = run(&[
            "run",
            "--quick",
            "-q",
            "-b",
            "quickjs",
            "-w",
            &f,
            "--counters",
            "callgrind",
            "-o",
            &o,
        ]);
        assert!(out.status.success(), "{}", text(&out));
        let r = results(&out_path);
        let cell = r.cell("quickjs", "fib", "small").unwrap();
        let counters = cell.processes[0].counters.as_ref();
        assert_eq!(
            counters.map(|c| &c.source),
            Some(&CounterSource::Callgrind),
            "{counters:?}"
        );
        counts.push(cell.instructions.expect("callgrind counted the cell"));
    }
    assert!(counts[0] > 1000.0, "{counts:?}");
    assert_eq!(counts[0], counts[1], "instruction counts are deterministic");
}
