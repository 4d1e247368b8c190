//! `jsbench concurrency` end to end on a real engine: one point per caller
//! count with calls, latencies and the scaling over one caller; a workload
//! that throws is recorded as the series' error and the run exits non-zero.

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
