//! Terminal output and exports end to end, on the mock backend: tables that
//! fit a fixed `COLUMNS`, progress lines through a pipe, failed cells with
//! `-q`, CSV and JSON on standard output parsed back, a three-way compare,
//! colour and `NO_COLOR`, `list`, the closing summary and the quick note,
//! and `show` of feature and conformance files.

mod common;

use common::{jsbench, results, text, workload};
use jsbench_schema::{
    ConformanceCounts, ConformanceReport, FeatureMatrix, FeatureProbe, FeatureResult, FeatureStatus, Results,
};
use std::path::{Path, PathBuf};
use std::process::Output;

fn output(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = jsbench();
    cmd.args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("jsbench runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Two sleeping mock workloads (and one that throws when `failing`), run
/// quickly into `name`; returns the file and the run's output.
fn quick_run(dir: &Path, name: &str, extra: &[&str], failing: bool) -> (PathBuf, Output) {
    let mut manifests = vec![
        workload(dir, "steady-a", "sleep-us 200\necho", "x", "x"),
        workload(dir, "steady-b", "sleep-us 300\necho", "x", "x"),
    ];
    if failing {
        manifests.push(workload(dir, "throws", "throw kaboom", "", ""));
    }
    let list: Vec<String> = manifests.iter().map(|m| m.display().to_string()).collect();
    let out = if name == "-" {
        PathBuf::from("-")
    } else {
        dir.join(name)
    };
    let out_s = out.display().to_string();
    let list = list.join(",");
    let mut args = vec!["run", "--quick", "-b", "mock", "-w", &list, "-o", &out_s, "--seed", "7"];
    args.extend(extra);
    let o = output(&args, &[]);
    (out, o)
}

/// A file of eight backends (copies of the mock's cells under other names).
fn eight_backends(dir: &Path) -> PathBuf {
    let (file, o) = quick_run(dir, "one.json", &["-q"], false);
    assert!(o.status.success(), "{}", text(&o));
    let mut r = results(&file);
    let (infos, cells) = (r.backends.clone(), r.cells.clone());
    r.backends.clear();
    r.cells.clear();
    for name in [
        "quickjs",
        "boa",
        "v8",
        "wasm",
        "node",
        "deno",
        "bun",
        "quickjs-bytecode",
    ] {
        r.backends.extend(infos.iter().cloned().map(|mut b| {
            b.name = name.into();
            b
        }));
        r.cells.extend(cells.iter().cloned().map(|mut c| {
            c.backend = name.into();
            c
        }));
    }
    let path = dir.join("eight.json");
    r.write_atomic(&path).unwrap();
    path
}

#[test]
fn show_fits_a_fixed_columns_and_wide_gives_one_table() {
    let dir = tempfile::tempdir().unwrap();
    let file = eight_backends(dir.path());
    let file_s = file.display().to_string();
    for columns in ["80", "120"] {
        let o = output(&["show", &file_s], &[("COLUMNS", columns)]);
        assert!(o.status.success(), "{}", text(&o));
        let shown = stdout(&o);
        // The tables' lines, the matrix's and the tuned-vs-default one (the
        // cost-model sentences are prose).
        let widest = shown
            .lines()
            .filter(|l| l.starts_with(['┌', '│', '╞', '├', '└']))
            .map(|l| l.chars().count())
            .max()
            .unwrap();
        assert!(
            widest <= columns.parse().unwrap(),
            "COLUMNS={columns}, widest {widest}:\n{shown}"
        );
        assert!(shown.matches('┌').count() > 1, "split into several tables:\n{shown}");
        assert!(shown.contains(" ± ") && shown.contains("×"), "{shown}");
        assert!(shown.contains("quickjs-bytecode"), "{shown}");
    }
    let o = output(&["show", "--wide", &file_s], &[("COLUMNS", "80")]);
    let shown = stdout(&o);
    let wide = shown.split("\nCalls per runtime").next().unwrap_or(&shown);
    assert_eq!(wide.matches('┌').count(), 1, "{wide}");
    assert!(wide.lines().map(|l| l.chars().count()).max().unwrap() > 80);
}

#[test]
fn progress_lines_go_through_a_pipe_and_the_run_ends_with_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let (file, o) = quick_run(dir.path(), "r.json", &[], false);
    assert!(o.status.success(), "{}", text(&o));
    let err = stderr(&o);
    assert!(err.contains("[0/2 cells, 0/2 processes]"), "the start:\n{err}");
    assert!(
        err.contains("[1/2 cells, 1/2 processes] finished mock / steady-"),
        "{err}"
    );
    assert!(
        err.contains("[2/2 cells, 2/2 processes]") && err.contains(" elapsed, ~"),
        "{err}"
    );
    // After --quick: one line saying what the figures are for, not a count
    // of "unstable" cells.
    assert!(!err.contains("look unstable"), "{err}");
    let out = stdout(&o);
    assert_eq!(
        format!("{out}{err}")
            .matches("these figures are for smoke tests")
            .count(),
        1,
        "{out}{err}"
    );
    assert!(out.contains("Summary:\n  fastest per category: test: mock"), "{out}");
    assert!(
        out.contains("smallest footprint: mock") && out.contains("failures: none"),
        "{out}"
    );
    assert!(out.contains("caveat: quick profile"), "{out}");
    let check = output(&["check", &file.display().to_string()], &[]);
    assert!(
        stdout(&check).contains("note: quick profile: these figures are for smoke tests"),
        "{}",
        text(&check)
    );
}

#[test]
fn quiet_runs_still_list_failed_cells() {
    let dir = tempfile::tempdir().unwrap();
    let (_, o) = quick_run(dir.path(), "r.json", &["-q"], true);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let err = stderr(&o);
    assert!(
        err.contains("mock / throws (small): exception: ") && err.contains("kaboom"),
        "{err}"
    );
    assert!(!err.contains("cells,"), "no progress with -q: {err}");
    assert!(stdout(&o).is_empty(), "no table with -q");
}

#[test]
fn csv_and_json_on_standard_output_parse_back() {
    let dir = tempfile::tempdir().unwrap();
    let (file, o) = quick_run(dir.path(), "r.json", &["-q"], true);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let file_s = file.display().to_string();
    let r = results(&file);
    for args in [
        vec!["show", "--format", "csv", &file_s],
        vec!["report", "--format", "csv", "-o", "-", &file_s],
    ] {
        let o = output(&args, &[]);
        assert!(o.status.success(), "{}", text(&o));
        let mut reader = csv::Reader::from_reader(o.stdout.as_slice());
        let header = reader.headers().unwrap().clone();
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), r.cells.len(), "{args:?}");
        let at = |name: &str| header.iter().position(|h| h == name).unwrap();
        let failed = records.iter().find(|rec| &rec[at("workload")] == "throws").unwrap();
        assert_eq!(&failed[at("status")], "failed");
        assert!(failed[at("error")].contains("kaboom"));
        let ok = records.iter().find(|rec| &rec[at("workload")] == "steady-a").unwrap();
        let median: f64 = ok[at("median_ns")].parse().unwrap();
        assert_eq!(
            median,
            r.cell("mock", "steady-a", "small").unwrap().summary.unwrap().median
        );
    }
    let o = output(&["show", "--format", "json", &file_s], &[]);
    let back: Results = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(back.cells.len(), r.cells.len());
    let o = output(&["show", "--format", "markdown", "--baseline", "mock", &file_s], &[]);
    assert!(stdout(&o).contains("| workload (size) | mock |"), "{}", text(&o));
    // `run -o -`: the JSON alone on standard output, the table on stderr.
    let (_, o) = quick_run(dir.path(), "-", &[], false);
    assert!(o.status.success(), "{}", text(&o));
    let piped: Results = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    assert_eq!(piped.cells.len(), 2);
    assert!(
        stderr(&o).contains("Results written to standard output"),
        "{}",
        text(&o)
    );
}

#[test]
fn three_way_compare_has_a_column_per_candidate() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Enough samples that a cell made 2× slower is beyond the noise.
    let (base, _) = quick_run(d, "base.json", &["-q", "--samples", "20"], false);
    let same = d.join("same.json");
    std::fs::copy(&base, &same).unwrap();
    let mut slower = results(&base);
    for cell in slower.cells.iter_mut().filter(|c| c.workload == "steady-b") {
        for p in &mut cell.processes {
            p.samples.iter_mut().for_each(|s| *s *= 2.0);
        }
        if let Some(s) = cell.summary.as_mut() {
            s.median *= 2.0;
            s.ci95_low = s.ci95_low.map(|v| v * 2.0);
            s.ci95_high = s.ci95_high.map(|v| v * 2.0);
        }
    }
    let slower_path = d.join("slower.json");
    slower.write_atomic(&slower_path).unwrap();
    let paths: Vec<String> = [&base, &same, &slower_path]
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let o = output(&["compare", &paths[0], &paths[1], &paths[2]], &[]);
    assert_eq!(o.status.code(), Some(1), "a candidate regressed: {}", text(&o));
    let out = stdout(&o);
    let header = out.lines().nth(1).unwrap();
    assert!(
        header.contains("base") && header.contains("same.json") && header.contains("slower.json"),
        "{out}"
    );
    let row = out.lines().find(|l| l.contains("steady-b")).unwrap();
    assert!(
        row.contains("+0.0 %") && row.contains("+100.0 %") && row.contains("REGRESSION"),
        "{out}"
    );
    assert!(out.contains("same.json: No significant regression"), "{out}");
    assert!(out.contains("slower.json: 1 regression(s)"), "{out}");
    let o = output(
        &["compare", "--format", "markdown", &paths[0], &paths[1], &paths[2]],
        &[],
    );
    assert!(
        stdout(&o).contains("| base |") && stdout(&o).contains("**"),
        "{}",
        text(&o)
    );
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = quick_run(dir.path(), "r.json", &["-q"], true);
    let file_s = file.display().to_string();
    let esc = |o: &Output| o.stdout.contains(&0x1b);
    assert!(!esc(&output(&["show", &file_s], &[])), "a pipe gets no colour");
    assert!(esc(&output(&["show", "--color", "always", &file_s], &[])));
    assert!(esc(&output(&["show", &file_s], &[("CLICOLOR_FORCE", "1")])));
    assert!(
        !esc(&output(
            &["show", &file_s],
            &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
        )),
        "NO_COLOR wins"
    );
    assert!(!esc(&output(
        &["show", "--color", "never", &file_s],
        &[("CLICOLOR_FORCE", "1")]
    )));
    assert!(esc(&output(&["list", "--color", "always"], &[])));
}

#[test]
fn list_shows_availability_and_the_mock_backend_aligned() {
    let o = output(&["list"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    let out = stdout(&o);
    let backends: Vec<&str> = out.lines().skip(1).take_while(|l| !l.is_empty()).collect();
    let mock = backends
        .iter()
        .find(|l| l.trim_start().starts_with("mock "))
        .expect("mock listed");
    assert!(
        mock.contains(" available ") && mock.contains("not in the default selection"),
        "{out}"
    );
    // Each backend line says available or unavailable at the same column
    // (a reason goes on the line below, starting with "why:").
    let lines: Vec<&&str> = backends
        .iter()
        .filter(|l| !l.trim_start().starts_with("why:"))
        .collect();
    let column = |l: &str| l.find(" available ").or_else(|| l.find(" unavailable ")).map(|c| c + 1);
    let first = column(lines[0]).expect("a state");
    for l in &lines {
        assert_eq!(column(l), Some(first), "misaligned: {l:?}\n{out}");
    }
}

#[test]
fn show_prints_the_feature_matrix_and_the_conformance_counts() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _) = quick_run(dir.path(), "r.json", &["-q"], false);
    let mut r = results(&file);
    r.cells.clear();
    r.features = Some(FeatureMatrix {
        probes: vec![FeatureProbe {
            id: "bigint".into(),
            edition: "ES2020".into(),
            feature: "BigInt".into(),
            description: String::new(),
            path: "bigint.js".into(),
        }],
        results: vec![FeatureResult {
            backend: "mock".into(),
            probe: "bigint".into(),
            status: FeatureStatus::Supported,
            error_kind: None,
            detail: None,
            nanos: None,
        }],
    });
    let features = dir.path().join("features.json");
    r.write_atomic(&features).unwrap();
    let o = output(&["show", &features.display().to_string()], &[]);
    let out = stdout(&o);
    assert!(
        out.contains("Language features") && out.contains("BigInt") && out.contains("✓"),
        "{}",
        text(&o)
    );
    assert!(!out.contains("workload (size)"), "no empty matrix: {out}");

    r.features = None;
    r.conformance = Some(ConformanceReport {
        selection: "test/built-ins".into(),
        backends: vec!["mock".into()],
        directories: vec![ConformanceCounts {
            backend: "mock".into(),
            directory: "built-ins/Array".into(),
            passed: 7,
            failed: 2,
            skipped: 1,
            ..ConformanceCounts::default()
        }],
        ..ConformanceReport::default()
    });
    let conformance = dir.path().join("conformance.json");
    r.write_atomic(&conformance).unwrap();
    let o = output(&["show", &conformance.display().to_string()], &[]);
    let out = stdout(&o);
    assert!(
        out.contains("built-ins/Array") && out.contains("7 / 2 / 1"),
        "{}",
        text(&o)
    );
}
