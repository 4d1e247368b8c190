//! `jsbench density` end to end on real engines: idle and loaded series
//! grow with the instances kept alive, a workload that throws ends only
//! its loaded series, and bad counts are usage errors.

mod common;

use common::{results, run, text, workload};

#[test]
fn memory_grows_with_the_instances_kept() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("density.json");
    let output = run(&[
        "density",
        "-b",
        "quickjs,v8",
        "-w",
        "fib",
        "-k",
        "1,6",
        "-o",
        out.to_str().unwrap(),
    ]);
    let shown = text(&output);
    assert!(output.status.success(), "{shown}");
    assert!(
        shown.contains("loaded instances per GiB") && shown.contains("4 series measured"),
        "{shown}"
    );
    let file = results(&out);
    assert_eq!(file.density.len(), 4);
    for series in &file.density {
        let counts: Vec<u32> = series.points.iter().map(|p| p.instances).collect();
        assert_eq!(counts, vec![1, 6], "{series:?}");
        assert!(series.error.is_none(), "{series:?}");
        // Six live runtimes take more memory than one.
        assert!(
            series.points[1].resident_growth > series.points[0].resident_growth,
            "{series:?}"
        );
    }
    // The engines' own figure, summed over six loaded instances.
    let v8 = file.density.iter().find(|s| s.backend == "v8" && s.loaded).unwrap();
    assert!(v8.points[1].engine.is_some_and(|e| e > 0), "{v8:?}");

    let output = run(&["report", out.to_str().unwrap(), "--format", "markdown"]);
    assert!(
        text(&output).contains("## Memory per instance (density)"),
        "{}",
        text(&output)
    );
    // And in the HTML report of a run, taken from the file with `--with`.
    let page = common::report_with_itself(dir.path(), &out);
    assert!(page.contains("id=\"density\""), "no density section");
}

#[test]
fn a_failing_workload_ends_only_its_loaded_series() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = workload(
        dir.path(),
        "throws",
        "export function run() { throw new Error('nope'); }",
        "",
        "x",
    );
    let out = dir.path().join("density.json");
    let output = run(&[
        "density",
        "-b",
        "quickjs",
        "-w",
        manifest.to_str().unwrap(),
        "-k",
        "2",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    let file = results(&out);
    let idle = file.density.iter().find(|s| !s.loaded).unwrap();
    let loaded = file.density.iter().find(|s| s.loaded).unwrap();
    assert_eq!(idle.points.len(), 1);
    assert!(loaded.points.is_empty());
    let error = loaded.error.as_ref().expect("the throw is recorded");
    assert!(
        error.message.contains("instance 1") && error.message.contains("nope"),
        "{error:?}"
    );

    for bad in ["0", "1,2,3,4,5"] {
        let output = run(&["density", "-b", "quickjs", "-k", bad, "-o", out.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    }
}
