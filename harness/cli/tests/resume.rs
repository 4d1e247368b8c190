//! Crash safety of the results file and `jsbench run --resume`: a harness
//! killed with SIGKILL mid-run leaves a valid file, Ctrl-C (SIGINT) stops a
//! run cleanly keeping what finished, and `--resume` completes either run
//! without touching the cells that were finished. Also: malformed results
//! files never panic the parser and always name the file.
//!
//! The runs use the mock backend with calls that sleep, so a run lasts long
//! enough to be interrupted; the tests wait on the results file itself (a
//! bounded poll), never on fixed sleeps.

mod common;

use common::{jsbench, results, run, text, workload};
use jsbench_runner::run::ProcessPolicy;
use jsbench_schema::{Cell, Results};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// Processes per cell in these runs.
const PROCESSES: u32 = 2;

/// Mock workloads whose every call sleeps, so each worker takes a while.
fn slow_suite(dir: &Path, count: usize) -> String {
    let manifests: Vec<String> = (0..count)
        .map(|i| {
            workload(dir, &format!("slow-{i:02}"), "echo\nsleep-us 20000", "in", "in")
                .display()
                .to_string()
        })
        .collect();
    manifests.join(",")
}

fn start_run(workloads: &str, output: &Path) -> Child {
    jsbench()
        .args(["run", "-q", "-b", "mock", "-w", workloads, "-o"])
        .arg(output)
        .args(["--processes", &PROCESSES.to_string()])
        .args(["--samples", "2", "--warmup", "1", "--sample-ms", "1", "--jobs", "1"])
        .args(["--seed", "7", "--timeout-ms", "5000", "-s", "small"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("jsbench starts")
}

/// Polls the results file (bounded) until it holds at least `count`
/// finished cells; returns the file as it was then.
fn wait_for_finished(output: &Path, count: usize, child: &mut Child) -> Results {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        // The file is replaced atomically, so any read sees a whole file.
        if let Ok(r) = Results::read(output)
            && finished(&r).len() >= count
        {
            return r;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the run ended ({status}) before {count} cells finished");
        }
        assert!(
            Instant::now() < deadline,
            "no {count} finished cells in {}",
            output.display()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn finished(r: &Results) -> Vec<Cell> {
    r.cells
        .iter()
        .filter(|c| ProcessPolicy::fixed(PROCESSES).is_finished(c))
        .cloned()
        .collect()
}

fn wait_exit(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "jsbench did not exit");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Resumes `output` to completion and checks that every cell that was
/// finished before is still there, unchanged.
fn resume_and_compare(output: &Path, before: &[Cell], total: usize) {
    let resumed = run(&["run", "-q", "--resume", &output.display().to_string()]);
    assert_eq!(resumed.status.code(), Some(0), "{}", text(&resumed));
    let after = results(output);
    assert_eq!(after.cells.len(), total, "every cell is in the file");
    assert!(
        after
            .cells
            .iter()
            .all(|c| ProcessPolicy::fixed(PROCESSES).is_finished(c) && c.error.is_none())
    );
    assert!(!after.finished_at.is_empty());
    for old in before {
        let new = after
            .cell(&old.backend, &old.workload, &old.size)
            .unwrap_or_else(|| panic!("cell {} lost", old.workload));
        assert_eq!(
            serde_json::to_value(new).unwrap(),
            serde_json::to_value(old).unwrap(),
            "finished cell {} was changed by --resume",
            old.workload
        );
    }
}

#[test]
fn sigkill_mid_run_leaves_a_valid_file_and_resume_completes_it() {
    let dir = tempfile::tempdir().unwrap();
    let workloads = slow_suite(dir.path(), 16);
    let output = dir.path().join("r.json");
    let mut child = start_run(&workloads, &output);
    wait_for_finished(&output, 2, &mut child);
    child.kill().unwrap(); // SIGKILL: no handler, no final write.
    let status = wait_exit(&mut child);
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(libc::SIGKILL)
    );

    // The file the harness left is whole and valid for the schema.
    let text_before = std::fs::read_to_string(&output).unwrap();
    let before = Results::from_json(&text_before, "r.json").expect("valid after kill -9");
    assert!(before.finished_at.is_empty(), "the run did not finish");
    let done = finished(&before);
    assert!(done.len() >= 2);
    assert!(done.len() < 16, "the run was killed too late to test resuming");
    resume_and_compare(&output, &done, 16);
}

#[test]
fn sigint_stops_the_run_cleanly_and_keeps_finished_cells() {
    let dir = tempfile::tempdir().unwrap();
    let workloads = slow_suite(dir.path(), 16);
    let output = dir.path().join("r.json");
    let mut child = start_run(&workloads, &output);
    wait_for_finished(&output, 1, &mut child);
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: signalling our own child, which has not been reaped.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let status = wait_exit(&mut child);
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(130), "stderr: {stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");

    let before = results(&output);
    let done = finished(&before);
    assert!(!done.is_empty());
    // An interrupted worker is not recorded as a failure: no cell carries an
    // error, and the unfinished ones are simply incomplete.
    assert!(before.cells.iter().all(|c| c.error.is_none()), "{:#?}", before.cells);
    assert!(done.len() < 16, "the run was interrupted too late to test resuming");
    resume_and_compare(&output, &done, 16);
}

#[test]
fn resume_refuses_bad_files_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, Option<&str>, &str); 4] = [
        ("missing.json", None, "cannot access"),
        ("garbage.json", Some("{not json"), "not a valid jsbench results file"),
        (
            "old.json",
            Some(r#"{"schema_version": 0, "cells": []}"#),
            "schema_version 0",
        ),
        (
            "shape.json",
            Some(r#"{"schema_version": 1, "cells": 3}"#),
            "not a valid jsbench results file",
        ),
    ];
    for (name, content, needle) in cases {
        let path: PathBuf = dir.path().join(name);
        if let Some(content) = content {
            std::fs::write(&path, content).unwrap();
        }
        let output = run(&["run", "-q", "--resume", &path.display().to_string()]);
        let all = text(&output);
        assert_eq!(output.status.code(), Some(2), "{all}");
        assert!(all.contains(name), "the message names the file: {all}");
        assert!(all.contains(needle), "expected `{needle}`: {all}");
        assert!(!all.contains("panicked"), "{all}");
    }
    // --resume writes back to the file it reads: another output is an error.
    let output = run(&["run", "--resume", "a.json", "-o", "b.json"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
}

#[test]
fn bad_arguments_are_usage_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let m = workload(dir.path(), "echo", "echo", "a", "a");
    let m = m.display().to_string();
    for bad in [
        vec!["--timeout-ms", "18446744073709551615"],
        vec!["--timeout-ms", "0"],
        vec!["--memory-limit-mib", "18446744073709551615"],
        vec!["--memory-limit-mib", "0"],
        vec!["--sample-ms", "NaN"],
        vec!["--processes", "0"],
        vec!["--processes", "-1"],
    ] {
        let mut args = vec!["run", "-q", "-b", "mock", "-w", &m, "-o", "/nonexistent/x.json"];
        args.extend(bad.iter().copied());
        let output = run(&args);
        let all = text(&output);
        assert_eq!(output.status.code(), Some(2), "{bad:?}: {all}");
        assert!(!all.contains("panicked"), "{all}");
    }
}

/// A small valid results file, as text, to mutate.
fn valid_file() -> String {
    let dir = tempfile::tempdir().unwrap();
    let m = workload(dir.path(), "echo", "echo", "a", "a");
    let out = dir.path().join("r.json");
    let output = run(&[
        "run",
        "--quick",
        "-q",
        "-b",
        "mock",
        "-w",
        &m.display().to_string(),
        "-o",
        &out.display().to_string(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    std::fs::read_to_string(out).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    // Whatever the text, parsing gives results or an error naming the file.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        if let Err(e) = Results::from_json(&text, "arb.json") {
            prop_assert!(e.to_string().contains("arb.json"));
        }
    }

    // A real file, cut, spliced and with bytes replaced: never a panic, and
    // every error names the file.
    #[test]
    fn mutated_results_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0usize..40, "[\\[\\]{}\",:0-9a-z.\\-e ]{0,6}"), 1..4)
    ) {
        let mut text = VALID.with(|v| v.clone());
        for (at, cut, insert) in edits {
            let mut start = at.index(text.len() + 1);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + cut).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.replace_range(start..end, &insert);
        }
        if let Err(e) = Results::from_json(&text, "mut.json") {
            prop_assert!(e.to_string().contains("mut.json"), "{e}");
        }
    }

    // Valid JSON of the wrong shape: numbers, strings, nesting where the
    // schema expects something else.
    #[test]
    fn wrong_shapes_never_panic(value in json_value()) {
        let mut object = serde_json::json!({"schema_version": 1});
        object["cells"] = value.clone();
        object["config"] = value;
        if let Err(e) = Results::from_json(&object.to_string(), "shape.json") {
            prop_assert!(e.to_string().contains("shape.json"));
        }
    }
}

thread_local! {
    static VALID: String = valid_file();
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        "\\PC{0,12}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            proptest::collection::btree_map("[a-z_]{1,10}", inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}
