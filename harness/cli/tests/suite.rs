//! The workload suite's kernels (every category but `realworld`) at `small`
//! size on every backend of this build:
//! every cell must give the expected output, or say why it cannot run.

mod common;

use common::{results, run, text};
use jsbench_schema::CellStatus;

#[test]
fn every_workload_runs_on_every_backend() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("suite.json");
    let out_s = out.display().to_string();
    // The hand-written kernels; the realworld bundles (seconds of set-up
    // and componentizing each) have their own bounded test (realworld.rs).
    let kernels = "compute/*,gc/*,strings/*,modern/*,embedding/*";
    let output = run(&["run", "--quick", "-q", "-w", kernels, "-o", &out_s]);
    let r = results(&out);
    let mut problems = Vec::new();
    for cell in &r.cells {
        match cell.status {
            CellStatus::Ok => assert!(
                cell.summary.is_some(),
                "{}/{} has no samples",
                cell.backend,
                cell.workload
            ),
            CellStatus::Unsupported => {
                let e = cell.error.as_ref().expect("unsupported cells say why");
                assert!(!e.message.is_empty());
            }
            _ => problems.push(format!("{}/{}: {:?}", cell.backend, cell.workload, cell.error)),
        }
    }
    assert!(
        problems.is_empty(),
        "failed cells:\n{}\n{}",
        problems.join("\n"),
        text(&output)
    );
    assert!(output.status.success(), "{}", text(&output));
    let workloads = r.workloads.len();
    assert!(workloads >= 24, "only {workloads} workloads");
    assert_eq!(r.cells.len(), workloads * r.backends.len());
    // Only the host callbacks may be unsupported, and only where the backend says so.
    for cell in r.cells.iter().filter(|c| c.status == CellStatus::Unsupported) {
        let backend = r.backends.iter().find(|b| b.name == cell.backend).unwrap();
        let reason = &cell.error.as_ref().unwrap().message;
        assert!(
            backend.unavailable.is_some()
                || (matches!(cell.workload.as_str(), "host-callback" | "host-value-json")
                    && !backend.capabilities.host_callback)
                || (cell.workload == "host-value" && !backend.capabilities.host_value),
            "{}/{} unsupported: {reason}",
            cell.backend,
            cell.workload
        );
    }
}
