//! The `realworld` suite: popular npm libraries, bundled by jsbench from the
//! suite embedded in the binary (npm ci and esbuild into the cache folder).
//! Bounded for CI: every realworld workload on quickjs, v8 and node-pipe
//! (whose expected outputs came from Node, so node-pipe must pass them
//! all), and one small bundle on wasm-component, where componentizing and
//! precompiling a bundle takes 30-35 s (the whole suite there: ~2 minutes
//! with two jobs, cached afterwards).

mod common;

use common::{results, run, text};
use jsbench_schema::CellStatus;

#[test]
fn every_realworld_workload_runs_or_fails_with_the_engines_reason() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rw.json");
    let output = run(&[
        "run",
        "--quick",
        "-q",
        "-b",
        "quickjs,v8,node-pipe",
        "-w",
        "realworld/*",
        "-o",
        out.to_str().unwrap(),
    ]);
    let file = results(&out);
    assert!(file.workloads.len() >= 8, "{}", text(&output));
    for cell in &file.cells {
        match cell.status {
            CellStatus::Ok => {}
            CellStatus::Failed => {
                let error = cell.error.as_ref().expect("a failed cell says why");
                assert!(!error.message.is_empty(), "{}/{}", cell.backend, cell.workload);
                assert_ne!(cell.backend, "node-pipe", "{}: {}", cell.workload, error.message);
            }
            _ => panic!("{}/{}: {:?}", cell.backend, cell.workload, cell.error),
        }
    }
    assert_eq!(file.cells.len(), file.workloads.len() * 3);
    for workload in &file.workloads {
        let bundle = workload
            .bundle
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no bundle", workload.name));
        assert_eq!(bundle.sha256, workload.source_sha256, "{}", workload.name);
        assert_eq!(Some(bundle.bytes), workload.module_bytes);
    }
    let largest = file.workloads.iter().filter_map(|w| w.module_bytes).max().unwrap();
    assert!(largest > 5 << 20, "the largest bundle has {largest} bytes");
}

#[test]
fn a_realworld_bundle_runs_as_a_wasm_component() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rw.json");
    let output = run(&[
        "run",
        "--quick",
        "-q",
        "-b",
        "wasm-component",
        "-w",
        "toml-parse",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    let file = results(&out);
    assert_eq!(file.cells[0].status, CellStatus::Ok);
}
