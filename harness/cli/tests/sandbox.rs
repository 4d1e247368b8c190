//! `jsbench sandbox` end to end on real engines and runtimes: the verdicts
//! the host can check (a secret file read, a listener connected to, a
//! marker written by /bin/sh, the process ended with the probe's code, the
//! limits held or passed) for embedded engines, plain Node and the
//! permission-model variants of Node and Deno; then the matrix in a report.

mod common;

use common::{results, run, text};
use jsbench_schema::{Access, SandboxMatrix};

fn access(matrix: &SandboxMatrix, backend: &str, probe: &str) -> Access {
    matrix
        .result(backend, probe)
        .unwrap_or_else(|| panic!("no verdict for {backend} / {probe}"))
        .access
}

#[test]
fn the_matrix_tells_what_each_backend_can_reach() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sandbox.json");
    let backends = "quickjs,v8,node-pipe,node-pipe-sandboxed,deno-pipe-sandboxed";
    let output = run(&["sandbox", "-b", backends, "-o", out.to_str().unwrap()]);
    let shown = text(&output);
    assert!(output.status.success(), "{shown}");
    assert!(
        shown.contains("read a file") && shown.contains("How each verdict was reached"),
        "{shown}"
    );
    let matrix = results(&out).sandbox.expect("a sandbox section");
    assert_eq!(matrix.probes.len(), 11);
    assert_eq!(matrix.results.len(), 11 * 5, "{:?}", matrix.results);
    let check = |backend: &str, expected: &[(&str, Access)]| {
        for (probe, want) in expected {
            let got = access(&matrix, backend, probe);
            let detail = &matrix
                .result(backend, probe)
                .map(|r| r.detail.clone())
                .unwrap_or_default();
            assert_eq!(got, *want, "{backend} / {probe}: {detail}");
        }
    };
    // An embedded engine has no host API at all, and its limits hold.
    check(
        "quickjs",
        &[
            ("file-read", Access::Absent),
            ("network", Access::Absent),
            ("spawn", Access::Absent),
            ("exit", Access::Absent),
            ("memory-heap", Access::Denied),
            ("time-limit", Access::Denied),
        ],
    );
    // V8's heap limit does not cover typed arrays' backing stores.
    check(
        "v8",
        &[
            ("env", Access::Absent),
            ("memory-heap", Access::Denied),
            ("memory-buffers", Access::Allowed),
            ("time-limit", Access::Denied),
        ],
    );
    // Plain Node reaches everything.
    check(
        "node-pipe",
        &[
            ("file-read", Access::Allowed),
            ("file-write", Access::Allowed),
            ("env", Access::Allowed),
            ("network", Access::Allowed),
            ("spawn", Access::Allowed),
            ("exit", Access::Allowed),
            ("clock", Access::Allowed),
            ("random", Access::Allowed),
        ],
    );
    // Node 20's permission model covers files and processes, not the
    // network or the environment.
    check(
        "node-pipe-sandboxed",
        &[
            ("file-read", Access::Denied),
            ("file-write", Access::Denied),
            ("spawn", Access::Denied),
            ("network", Access::Allowed),
            ("env", Access::Allowed),
        ],
    );
    // Deno with no permissions refuses all four.
    check(
        "deno-pipe-sandboxed",
        &[
            ("file-read", Access::Denied),
            ("file-write", Access::Denied),
            ("env", Access::Denied),
            ("network", Access::Denied),
            ("spawn", Access::Denied),
        ],
    );
    let denied = matrix
        .result("deno-pipe-sandboxed", "network")
        .map(|r| r.detail.clone());
    assert!(
        denied.as_deref().is_some_and(|d| d.contains("NotCapable")),
        "{denied:?}"
    );
    let flags = &matrix
        .backends
        .iter()
        .find(|b| b.name == "node-pipe-sandboxed")
        .unwrap()
        .flags;
    assert!(flags.contains(&"--experimental-permission".to_string()), "{flags:?}");

    // The matrix in the HTML report of a run, and in its Markdown.
    let page = common::report_with_itself(dir.path(), &out);
    assert!(
        page.contains("id=\"sandbox\"") && page.contains("access-denied"),
        "no sandbox section"
    );
    let output = run(&["report", out.to_str().unwrap(), "--format", "markdown"]);
    assert!(
        text(&output).contains("| node-pipe-sandboxed | denied | denied |"),
        "{}",
        text(&output)
    );

    // A file without a matrix is a usage error.
    let plain = dir.path().join("plain.json");
    let mut without = results(&out);
    without.sandbox = None;
    without.write_atomic(&plain).unwrap();
    let output = run(&["report", out.to_str().unwrap(), "--with", plain.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        text(&output).contains("has no sandbox matrix, density or concurrency"),
        "{}",
        text(&output)
    );
}

#[test]
fn unknown_backends_are_refused_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.json");
    let output = run(&["sandbox", "-b", "nope", "-o", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(!out.exists());
}
