//! The hostile suite (`workloads/hostile/`) on every backend of this build:
//! each hostile input must end in its typed error in its own cell (the kind
//! decided per backend in [`expected`]), the harness must survive every one
//! of them, and no cell may go missing from the results file.
//!
//! Two outcomes are known limits rather than the ideal: a 100 MiB result is
//! `out-of-memory` on Boa (over 1 GiB resident), pinned so a change either
//! way is seen; on the wasm component its first call succeeds and the
//! steady state may reach the 1 GiB limit (measured at 1026 MiB), so there
//! `ok` or `out-of-memory` in the steady phase are both accepted.
//!
//! Backends that cannot run on this machine (their `unavailable` is set in
//! the results file, e.g. no Deno installed) are left out and named on
//! stderr; every other cell is checked.

mod common;

use common::{results, text};
use jsbench_schema::{BackendInfo, BackendKind, CellStatus, Results};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// The hostile inputs run with a short timeout: they are about how a call
/// ends, not about resources.
const BEHAVIOUR: [&str; 12] = [
    "hostile-infinite-loop",
    "hostile-regex-backtrack",
    "hostile-builtin-scan",
    "hostile-huge-array",
    "hostile-deep-recursion",
    "hostile-throw-value",
    "hostile-syntax-error",
    "hostile-no-run",
    "hostile-non-string",
    "hostile-process-exit",
    "hostile-native-recursion",
    "hostile-never-settles",
];

/// The inputs about memory, run with a generous timeout so that the memory
/// limit, not the clock, decides (Boa needs seconds to fill 512 MiB).
const RESOURCES: [&str; 2] = ["hostile-memory-bomb", "hostile-huge-output"];

/// The outcomes accepted for (workload, backend): error kinds, or `ok`.
/// Decided by the backend's recorded kind and engine, never its name.
fn expected(workload: &str, backend: &BackendInfo) -> &'static [&'static str] {
    let is_process = backend.kind == BackendKind::OutOfProcess;
    let engine = backend.engine.as_str();
    match workload {
        // Stopped by the engine's interrupt, the process backend's deadline,
        // wasmtime's epoch, or (Boa, and V8 inside a C++ builtin) the
        // worker's watchdog: `timeout` every time.
        // Bun's regex engine (JavaScriptCore's YARR) sometimes gets through
        // this pattern inside the timeout and answers correctly; every
        // other engine backtracks for ever.
        "hostile-regex-backtrack" if is_process && engine == "Bun" => &["timeout", "ok"],
        "hostile-infinite-loop" | "hostile-regex-backtrack" | "hostile-builtin-scan" => &["timeout"],
        // Two billion elements: whichever limit comes first, by design.
        "hostile-huge-array" => &["timeout", "out-of-memory"],
        "hostile-deep-recursion" | "hostile-throw-value" | "hostile-no-run" | "hostile-non-string" => &["exception"],
        "hostile-syntax-error" => &["syntax"],
        // Only Node, Deno and Bun have a process to exit; elsewhere
        // `process` is not defined and the call throws a ReferenceError.
        "hostile-process-exit" if is_process => &["crashed"],
        "hostile-process-exit" => &["exception"],
        // SpiderMonkey's stack guard fires before the wasm stack runs out,
        // so even the component throws ("too much recursion").
        "hostile-native-recursion" => &["exception"],
        // The component's event loop aborts (a wasm trap) after printing why.
        "hostile-never-settles" if is_process => &["timeout"],
        "hostile-never-settles" => &["exception"],
        "hostile-memory-bomb" => &["out-of-memory"],
        // Known limits, measured (see the report in the module docs): Boa
        // holds the 100 MiB result several times over (its UTF-16 string,
        // the conversion, the copy checked) and passes 1 GiB. Everywhere
        // else the result arrives intact, the wasm component included since
        // its result crosses the boundary as UTF-8 bytes (it needed more
        // than 10 s for 100 MiB while it crossed as a WIT string).
        // The wasm component's first call carries the result intact; in
        // the steady state its linear memory (which never shrinks) holds
        // the string, the encoded bytes and the lowered list of more than
        // one call before SpiderMonkey collects them, and the worker ends
        // at about 1 GiB: either outcome, but never a failure of the first
        // call.
        "hostile-huge-output" if engine == "Boa" => &["out-of-memory"],
        "hostile-huge-output" if backend.kind == BackendKind::WasmComponent => &["ok", "out-of-memory in steady"],
        "hostile-huge-output" => &["ok"],
        other => panic!("no expectation for {other}"),
    }
}

/// The cell's outcome: `ok`, or its error kind both alone and with its
/// phase (`out-of-memory in steady`), so an expectation names either.
fn outcome(results: &Results, backend: &str, workload: &str) -> [String; 2] {
    let cell = results
        .cell(backend, workload, "small")
        .unwrap_or_else(|| panic!("cell {backend}/{workload} is missing from the results"));
    match (&cell.error, cell.status) {
        (Some(error), _) => [
            error.kind.as_str().to_string(),
            format!("{} in {}", error.kind.as_str(), error.phase.as_str()),
        ],
        (None, CellStatus::Ok) => ["ok".to_string(), "ok".to_string()],
        (None, status) => panic!("{backend}/{workload} is {status:?} without an error"),
    }
}

fn run_hostile(workloads: &[&str], output: &Path, timeout_ms: &str, memory_mib: &str) -> Results {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_jsbench"))
        .args(["run", "--quick", "-q", "--seed", "3", "--timeout-ms", timeout_ms])
        .args(["--memory-limit-mib", memory_mib, "-w", &workloads.join(","), "-o"])
        .arg(output)
        .output()
        .expect("jsbench runs");
    // Exit code 1: cells failed, as they should. Anything else (a panic, a
    // signal, an internal error) means the harness itself went down.
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let results = results(output);
    eprintln!(
        "{} hostile cells in {:.1} s (timeout {timeout_ms} ms)",
        results.cells.len(),
        started.elapsed().as_secs_f64()
    );
    results
}

fn check(results: &Results, workloads: &[&str]) -> usize {
    let mut checked = 0;
    let mut wrong = Vec::new();
    for backend in &results.backends {
        if let Some(why) = &backend.unavailable {
            eprintln!("skipped {}: {why}", backend.name);
            continue;
        }
        for workload in workloads {
            let got = outcome(results, &backend.name, workload);
            let want = expected(workload, backend);
            if !got.iter().any(|g| want.contains(&g.as_str())) {
                let message = results
                    .cell(&backend.name, workload, "small")
                    .and_then(|c| c.error.as_ref())
                    .map(|e| format!("{} in {}: {}", e.kind, e.phase, e.message))
                    .unwrap_or_default();
                wrong.push(format!(
                    "{workload} on {}: got {}, want {want:?} ({message})",
                    backend.name, got[1]
                ));
            }
            checked += 1;
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong outcomes:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    checked
}

/// The two tests run one after the other: each already runs two workers at
/// a time, and with both at once on 2 cores Boa took over the 10 s limit to
/// build the 100 MiB output (the memory test alone passes in 17 s; run
/// beside the other it timed out in a CI check).
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[test]
fn hostile_inputs_give_typed_errors_on_every_backend() {
    let _one = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("behaviour.json");
    let r = run_hostile(&BEHAVIOUR, &output, "1000", "512");
    // Every planned cell is in the file: nothing lost to a hostile neighbour.
    assert_eq!(r.cells.len(), r.backends.len() * BEHAVIOUR.len());
    let checked = check(&r, &BEHAVIOUR);
    assert!(checked >= BEHAVIOUR.len(), "no backend could run");
}

#[test]
fn memory_hostile_inputs_stay_within_the_limit() {
    let _one = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("resources.json");
    let r = run_hostile(&RESOURCES, &output, "10000", "1024");
    assert_eq!(r.cells.len(), r.backends.len() * RESOURCES.len());
    check(&r, &RESOURCES);
    // The 100 MiB result is hashed in the worker; the harness never holds
    // it, and each worker stayed under the limit (or it would have failed).
    for cell in r
        .cells
        .iter()
        .filter(|c| c.workload == "hostile-huge-output" && c.error.is_none())
    {
        let peak = cell
            .processes
            .iter()
            .filter_map(|p| p.memory.peak_rss)
            .max()
            .unwrap_or(0);
        eprintln!(
            "hostile-huge-output on {}: worker peak RSS {} MiB",
            cell.backend,
            peak >> 20
        );
        assert!(peak < 1024 << 20);
    }
}
