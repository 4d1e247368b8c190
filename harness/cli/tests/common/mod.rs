//! Helpers shared by the CLI integration tests: running the real `jsbench`
//! binary and writing throw-away workloads.
#![allow(dead_code)]

use jsbench_schema::{Cell, Results};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `jsbench` binary under test.
pub fn jsbench() -> Command {
    Command::new(env!("CARGO_BIN_EXE_jsbench"))
}

/// Runs jsbench with `args`, returning its output.
pub fn run(args: &[&str]) -> Output {
    jsbench().args(args).output().expect("jsbench runs")
}

/// Writes a one-size workload (`small`) into `dir` and returns its manifest path.
pub fn workload(dir: &Path, name: &str, source: &str, input: &str, expected: &str) -> PathBuf {
    std::fs::write(dir.join(format!("{name}.js")), source).unwrap();
    let manifest = dir.join(format!("{name}.toml"));
    let toml = format!(
        "name = {name:?}\ncategory = \"test\"\ndescription = \"test workload\"\n[sizes.small]\ninput = {input:?}\nexpected = {expected:?}\n"
    );
    std::fs::write(&manifest, toml).unwrap();
    manifest
}

/// Reads a results file through the schema crate.
pub fn results(path: &Path) -> Results {
    Results::read(path).expect("a valid results file")
}

/// The cell of a (backend, workload) at size `small`.
pub fn cell<'a>(results: &'a Results, backend: &str, workload: &str) -> &'a Cell {
    results
        .cell(backend, workload, "small")
        .unwrap_or_else(|| panic!("no cell {backend}/{workload}"))
}

/// Text of an output for assertion messages.
pub fn text(output: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The HTML report of `file` with its own sections taken in by `--with`
/// (written into `dir`), as text.
pub fn report_with_itself(dir: &Path, file: &Path) -> String {
    let html = dir.join("report.html");
    let output = run(&[
        "report",
        file.to_str().unwrap(),
        "--with",
        file.to_str().unwrap(),
        "-o",
        html.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    std::fs::read_to_string(&html).unwrap()
}
