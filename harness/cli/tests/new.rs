//! `jsbench new`: a manifest written beside the entry with the reference
//! backend's output, that `jsbench run -w entry` then passes; a workload
//! whose two runs differ is refused, named.

mod common;

use common::{cell, results, run, text};
use jsbench_schema::CellStatus;

#[test]
fn new_records_the_reference_output_and_the_workload_then_runs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("words.js"),
        "export const words = (s) => s.split(/\\s+/).filter(Boolean);\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("main.js"),
        "import { words } from './words.js';\nexport function run(input) { return words(input).map((w) => w.length).join(','); }\n",
    )
    .unwrap();
    let input = dir.path().join("input.txt");
    std::fs::write(&input, "the quick  brown fox\njumps").unwrap();
    let entry = dir.path().join("main.js");
    let entry_s = entry.to_str().unwrap();
    for reference in ["node", "v8"] {
        let made = run(&[
            "new",
            "counts",
            "--entry",
            entry_s,
            "--input",
            input.to_str().unwrap(),
            "--reference",
            reference,
            "--force",
        ]);
        assert!(made.status.success(), "{}", text(&made));
        let manifest = std::fs::read_to_string(dir.path().join("main.toml")).unwrap();
        assert!(manifest.contains("entry = \"main.js\""), "{manifest}");
        assert!(manifest.contains("input = { file = \"input.txt\" }"), "{manifest}");
        assert!(manifest.contains("expected = \"3,5,5,3,5\""), "{manifest}");
    }
    let again = run(&["new", "counts", "--entry", entry_s]);
    assert_eq!(
        again.status.code(),
        Some(2),
        "an existing manifest is kept: {}",
        text(&again)
    );
    let out = dir.path().join("r.json");
    let ran = run(&[
        "run",
        "--quick",
        "-q",
        "-b",
        "quickjs",
        "-w",
        entry_s,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(ran.status.success(), "{}", text(&ran));
    assert_eq!(cell(&results(&out), "quickjs", "counts").status, CellStatus::Ok);
}

#[test]
fn a_workload_whose_runs_differ_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let entry = dir.path().join("count.js");
    std::fs::write(&entry, "let n = 0;\nexport function run(i) { n += 1; return i + n; }\n").unwrap();
    let refused = run(&[
        "new",
        "counter",
        "--entry",
        entry.to_str().unwrap(),
        "--input-text",
        "x",
    ]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("workload `counter` is not deterministic"), "{stderr}");
    assert!(!dir.path().join("count.toml").exists(), "nothing is written");
}
