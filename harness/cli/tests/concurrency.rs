//! `jsbench concurrency` end to end on a real engine: one point per caller
//! count with calls, latencies and the scaling over one caller; a workload
//! that throws is recorded as the series' error and the run exits non-zero;
//! a call the engine cannot interrupt ends the series with a timeout.

mod common;

use common::{results, run, text, workload};

#[test]
fn callers_at_once_each_on_their_own_runtime() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("concurrency.json");
    let output = run(&[
        "concurrency",
        "-b",
        "quickjs",
        "-w",
        "empty-call",
        "-c",
        "1,2",
        "--window-ms",
        "300",
        "-o",
        out.to_str().unwrap(),
    ]);
    let shown = text(&output);
    assert!(output.status.success(), "{shown}");
    assert!(shown.contains("calls / s") && shown.contains("scaling"), "{shown}");
    let file = results(&out);
    let series = &file.concurrency[0];
    assert!(series.error.is_none(), "{series:?}");
    assert_eq!(series.points.iter().map(|p| p.callers).collect::<Vec<_>>(), vec![1, 2]);
    for p in &series.points {
        assert!(p.calls > 10 && p.p50_ns > 0 && p.p99_ns >= p.p50_ns, "{p:?}");
    }
    assert!(series.scaling(&series.points[1]).is_some_and(|s| s > 0.0));
    let output = run(&["report", out.to_str().unwrap(), "--format", "markdown"]);
    assert!(
        text(&output).contains("## Callers at once (concurrency)"),
        "{}",
        text(&output)
    );
    // And in the HTML report of a run, taken from the file with `--with`.
    let page = common::report_with_itself(dir.path(), &out);
    assert!(page.contains("id=\"concurrency\""), "no concurrency section");

    let manifest = workload(
        dir.path(),
        "throws",
        "export function run() { throw new Error('nope'); }",
        "",
        "x",
    );
    let output = run(&[
        "concurrency",
        "-b",
        "quickjs",
        "-w",
        manifest.to_str().unwrap(),
        "-c",
        "1",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(!output.status.success(), "{}", text(&output));
    let file = results(&out);
    let error = file.concurrency[0].error.as_ref().expect("the throw is recorded");
    assert!(
        error.message.contains("with 1 callers") && error.message.contains("nope"),
        "{error:?}"
    );
}

/// A call Boa cannot interrupt (an endless loop after a few calls, so in the
/// warm-up) must not hang the worker: the callers' progress stops, so the
/// heartbeat stops, and the harness's silence deadline ends it.
#[test]
fn a_call_the_engine_cannot_interrupt_ends_the_series_with_a_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("concurrency.json");
    let manifest = workload(
        dir.path(),
        "hangs",
        "let n = 0;\nexport function run() { n++; if (n > 3) { for (;;) {} } return 'ok'; }",
        "",
        "ok",
    );
    let started = std::time::Instant::now();
    let output = run(&[
        "concurrency",
        "-b",
        "boa",
        "-w",
        manifest.to_str().unwrap(),
        "-c",
        "1",
        "--timeout-ms",
        "1000",
        "--window-ms",
        "300",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(!output.status.success(), "{}", text(&output));
    // Generous: the deadline is 2 x 1 s + 5 s; a hang would run forever.
    assert!(started.elapsed().as_secs() < 60, "took {:?}", started.elapsed());
    let file = results(&out);
    let error = file.concurrency[0].error.as_ref().expect("the hang is recorded");
    assert_eq!(error.kind, jsbench_schema::ErrorKind::Timeout, "{error:?}");
    assert!(error.message.contains("sent nothing"), "{error:?}");
}
