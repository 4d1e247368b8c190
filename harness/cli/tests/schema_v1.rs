//! Every reader of results files (`show`, `report`, `compare`, `merge`,
//! `history`) reads a version-1 file, converted to version 2 as it is read;
//! what they write is version 2. A file of an unknown version is refused.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/fixtures/v1-handmade.json")
}

fn jsbench(args: &[&str], paths: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jsbench"))
        .args(args)
        .args(paths)
        .output()
        .expect("jsbench runs")
}

fn all_text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn every_reader_reads_a_version_1_file() {
    let v1 = fixture();
    let show = jsbench(&["show"], &[&v1]);
    assert!(show.status.success(), "{}", all_text(&show));
    assert!(all_text(&show).contains("wasm-component"), "{}", all_text(&show));
    // The failed cell's phase reads back as the phase it was.
    let markdown = jsbench(&["report", "--format", "markdown"], &[&v1]);
    let text = all_text(&markdown);
    assert!(markdown.status.success(), "{text}");
    assert!(text.contains("first-call"), "{text}");

    let compare = jsbench(&["compare", "--metric", "instructions"], &[&v1, &v1]);
    assert_eq!(compare.status.code(), Some(0), "{}", all_text(&compare));

    let dir = tempfile::tempdir().unwrap();
    let merged = dir.path().join("merged.json");
    let merge = jsbench(&["merge", "-o"], &[&merged, &v1]);
    assert!(merge.status.success(), "{}", all_text(&merge));
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&merged).unwrap()).unwrap();
    assert_eq!(written["schema_version"], 2);
    let cells = written["cells"].as_array().unwrap();
    let fib = cells
        .iter()
        .find(|c| c["backend"] == "wasm-component" && c["workload"] == "fib")
        .unwrap();
    assert_eq!(fib["build"]["cache_hit"], false);
    assert_eq!(fib["build"]["component_bytes"], 11_534_336);
    assert_eq!(fib["instructions"], 12001.0);
    assert_eq!(fib["processes"][0]["counters"]["source"], "perf");

    let db = dir.path().join("history.sqlite");
    let add = jsbench(&["history", "add", "--db"], &[&db, &v1]);
    assert!(add.status.success(), "{}", all_text(&add));
    let list = jsbench(&["history", "list", "--db"], &[&db]);
    assert!(all_text(&list).contains("223e9b8"), "{}", all_text(&list));
}

#[test]
fn a_version_3_file_is_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(fixture()).unwrap()).unwrap();
    v["schema_version"] = 3.into();
    let newer = dir.path().join("newer.json");
    std::fs::write(&newer, v.to_string()).unwrap();
    let output = jsbench(&["show"], &[&newer]);
    let text = all_text(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("newer.json has schema_version 3"), "{text}");
    assert!(text.contains("reads versions 1 to 2"), "{text}");
    assert!(!text.contains("panicked"), "{text}");
}
