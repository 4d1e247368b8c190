//! `jsbench run` end to end: real worker processes, the mock backend for the
//! harness's own behaviour, and the QuickJS and Boa engines for typed errors.

mod common;

use common::{cell, results, run, text, workload};
use jsbench_schema::{CellStatus, ErrorKind, Results};
use std::time::{Duration, Instant};

fn quick_args<'a>(output: &'a str, backends: &'a str, workloads: &'a str) -> Vec<&'a str> {
    vec![
        "run", "--quick", "-q", "-b", backends, "-w", workloads, "-o", output, "--seed", "42",
    ]
}

#[test]
fn mock_cells_fail_one_by_one_and_the_rest_complete() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let manifests = [
        workload(d, "ok", "echo", "hello", "hello"),
        workload(d, "wrong", "const nope", "hello", "hello"),
        workload(d, "throws", "throw kaboom", "", ""),
        workload(d, "crashes", "crash", "", ""),
        workload(d, "hangs", "hang", "", ""),
        workload(d, "oom", "oom", "", ""),
        workload(d, "bad", "syntax-error", "", ""),
    ];
    let list: Vec<String> = manifests.iter().map(|m| m.display().to_string()).collect();
    let list = list.join(",");
    let out = d.join("r.json");
    let out_s = out.display().to_string();
    let mut args = quick_args(&out_s, "mock", &list);
    args.extend(["--timeout-ms", "300"]);
    let output = run(&args);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let r = results(&out);
    assert_eq!(r.cells.len(), 7);
    let ok = cell(&r, "mock", "ok");
    assert_eq!(ok.status, CellStatus::Ok);
    assert!(ok.summary.unwrap().count > 0);
    assert!(ok.processes[0].phases.first_call.is_some());
    let kind = |w: &str| cell(&r, "mock", w).error.as_ref().map(|e| e.kind);
    assert_eq!(cell(&r, "mock", "wrong").status, CellStatus::WrongOutput);
    assert_eq!(kind("throws"), Some(ErrorKind::Exception));
    assert_eq!(kind("crashes"), Some(ErrorKind::Crashed));
    assert_eq!(kind("hangs"), Some(ErrorKind::Timeout));
    assert_eq!(kind("oom"), Some(ErrorKind::OutOfMemory));
    assert_eq!(kind("bad"), Some(ErrorKind::Syntax));
    let crashed = cell(&r, "mock", "crashes").error.clone().unwrap();
    assert!(crashed.message.contains("signal 6"), "{}", crashed.message);
}

#[test]
fn results_file_round_trips_and_records_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let m = workload(dir.path(), "echo", "echo", "abc", "abc");
    let out = dir.path().join("r.json");
    let out_s = out.display().to_string();
    let m_s = m.display().to_string();
    let output = run(&quick_args(&out_s, "mock", &m_s));
    assert!(output.status.success(), "{}", text(&output));
    let text_json = std::fs::read_to_string(&out).unwrap();
    let r = Results::from_json(&text_json, "r.json").unwrap();
    let again = serde_json::to_string(&r).unwrap();
    assert_eq!(Results::from_json(&again, "again").unwrap(), r);
    assert_eq!(r.schema_version, jsbench_schema::SCHEMA_VERSION);
    assert_eq!(r.config.seed, 42);
    assert_eq!(r.config.profile, "quick");
    assert!(r.machine.cores >= 1 && !r.machine.cpu_model.is_empty());
    assert_eq!(r.backends[0].name, "mock");
    assert!(!r.finished_at.is_empty());
    let shown = common::run(&["show", &out_s]);
    let stdout = String::from_utf8_lossy(&shown.stdout);
    assert!(stdout.contains("echo (small)") && stdout.contains("mock"), "{stdout}");
}

#[test]
fn real_engines_give_typed_errors_per_cell() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let manifests = [
        workload(
            d,
            "fib",
            "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nexport function run(s) { return String(fib(Number(s))); }",
            "20",
            "6765",
        ),
        workload(d, "syntax", "export function run( {", "", ""),
        workload(
            d,
            "throws",
            "export function run() { throw new TypeError('kaboom'); }",
            "",
            "",
        ),
        workload(d, "loop", "export function run() { for (;;) {} }", "", ""),
        workload(
            d,
            "bomb",
            "export function run() { const keep = []; for (;;) { keep.push(\"x\".repeat(1 << 24) + keep.length); } }",
            "",
            "",
        ),
    ];
    let list: Vec<String> = manifests.iter().map(|m| m.display().to_string()).collect();
    let list = list.join(",");
    let out = d.join("r.json");
    let out_s = out.display().to_string();
    // Room for the memory bomb to reach the limit first on a busy machine.
    let timeout_ms = 2000;
    let timeout_s = timeout_ms.to_string();
    let mut args = quick_args(&out_s, "quickjs,boa", &list);
    args.extend(["--timeout-ms", &timeout_s, "--memory-limit-mib", "256", "--jobs", "1"]);
    let started = Instant::now();
    let output = run(&args);
    let elapsed = started.elapsed();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let r = results(&out);
    for backend in ["quickjs", "boa"] {
        let fib = cell(&r, backend, "fib");
        assert_eq!(fib.status, CellStatus::Ok, "{backend}: {:?}", fib.error);
        let kind = |w: &str| cell(&r, backend, w).error.as_ref().map(|e| e.kind);
        assert_eq!(kind("syntax"), Some(ErrorKind::Syntax), "{backend}");
        assert_eq!(kind("throws"), Some(ErrorKind::Exception), "{backend}");
        let thrown = cell(&r, backend, "throws").error.clone().unwrap();
        assert!(thrown.message.contains("kaboom"), "{backend}: {}", thrown.message);
        assert_eq!(kind("loop"), Some(ErrorKind::Timeout), "{backend}");
        assert_eq!(kind("bomb"), Some(ErrorKind::OutOfMemory), "{backend}");
    }
    // Two infinite loops stopped at about the timeout each, plus the other
    // cells: a wide margin that only catches a loop that was never stopped.
    assert!(elapsed < Duration::from_millis(timeout_ms) * 10, "run took {elapsed:?}");
}

#[test]
fn malformed_manifest_is_a_usage_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("broken.toml");
    std::fs::write(&manifest, "name = \"x\"\ncategory = 3\n").unwrap();
    let m_s = manifest.display().to_string();
    let out = dir.path().join("r.json").display().to_string();
    let output = run(&["run", "-q", "-b", "mock", "-w", &m_s, "-o", &out]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken.toml"), "{stderr}");
    assert!(stderr.contains("invalid manifest"), "{stderr}");
}

#[test]
fn unknown_backend_and_bad_arguments_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.json").display().to_string();
    let output = run(&["run", "-q", "-b", "nosuch", "-o", &out]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown backend `nosuch`"));
    let output = run(&["run", "--processes", "lots"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    let output = run(&["run", "-q", "-b", "mock", "-w", "nosuchworkload", "-o", &out]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no workload matches"));
}

/// The string-boundary probes the README measures with are valid workloads.
#[test]
fn the_string_boundary_probes_pass() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.json");
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/boundary/boundary.toml");
    let output = common::run(&[
        "run",
        "-q",
        "--quick",
        "--no-floor",
        "-b",
        "quickjs",
        "-s",
        "default",
        "-w",
        manifest,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", common::text(&output));
    let r = common::results(&out);
    assert_eq!(r.cells.len(), 4);
    assert!(
        r.cells.iter().all(|c| c.status == jsbench_schema::CellStatus::Ok),
        "{:?}",
        r.cells
    );
}
