//! `jsbench features` and `jsbench conformance` end to end, on the real
//! embedded engines (quickjs, boa, v8): the feature matrix against what each
//! engine is documented to support, and the exact test262 counts of the
//! fixture in `tests/fixtures/test262/`.

mod common;

use common::{results, run, text};
use jsbench_schema::{ConformanceReport, ErrorKind, FeatureMatrix, FeatureResult, FeatureStatus};
use std::path::{Path, PathBuf};

const ENGINES: [&str; 3] = ["quickjs", "boa", "v8"];

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/test262")
}

fn verdict<'a>(matrix: &'a FeatureMatrix, backend: &str, probe: &str) -> &'a FeatureResult {
    matrix
        .results
        .iter()
        .find(|r| r.backend == backend && r.probe == probe)
        .unwrap_or_else(|| panic!("no verdict for {backend} / {probe}"))
}

#[test]
fn the_matrix_matches_what_each_engine_documents() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("features.json");
    let output = run(&["features", "-b", "quickjs,boa,v8", "-o", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    for needle in ["edition", "feature", "quickjs", "boa", "v8", "✓", "supported"] {
        assert!(stdout.contains(needle), "{needle} not in the table:\n{stdout}");
    }
    let matrix = results(&out).features.expect("a features section");
    assert!(matrix.probes.len() >= 60, "only {} probes", matrix.probes.len());
    assert_eq!(matrix.results.len(), matrix.probes.len() * ENGINES.len());
    assert!(matrix.results.iter().all(|r| r.status != FeatureStatus::Unavailable));

    // ES2015-ES2022 basics every engine ships.
    for engine in ENGINES {
        for probe in [
            "classes",
            "generators",
            "proxy",
            "async-await",
            "optional-chaining",
            "class-fields",
        ] {
            let v = verdict(&matrix, engine, probe);
            assert_eq!(v.status, FeatureStatus::Supported, "{engine} / {probe}: {v:?}");
        }
    }
    // QuickJS: BigInt and private fields, but no Intl at all.
    for probe in ["bigint", "private-members", "static-blocks", "top-level-await"] {
        assert_eq!(
            verdict(&matrix, "quickjs", probe).status,
            FeatureStatus::Supported,
            "quickjs / {probe}"
        );
    }
    // Boa is built without its `intl` cargo feature, QuickJS has no Intl.
    for engine in ["quickjs", "boa"] {
        for probe in ["intl-numberformat", "intl-datetimeformat"] {
            let v = verdict(&matrix, engine, probe);
            assert_eq!(v.status, FeatureStatus::Missing, "{engine} / {probe}: {v:?}");
            assert_eq!(v.detail.as_deref(), Some("missing: Intl"));
        }
    }
    // V8 (rusty_v8 ships ICU): everything from ES2015 to ES2024, and Intl.
    for probe in &matrix.probes {
        let edition: u32 = probe
            .edition
            .strip_prefix("ES")
            .and_then(|y| y.parse().ok())
            .unwrap_or(0);
        if (2015..=2024).contains(&edition) || probe.edition == "ECMA-402" {
            let v = verdict(&matrix, "v8", &probe.id);
            assert_eq!(v.status, FeatureStatus::Supported, "v8 / {}: {v:?}", probe.id);
        }
    }
    // Temporal is off in the V8 build (no `temporal_rs`), so the probe finds
    // no global `Temporal`.
    assert_eq!(verdict(&matrix, "v8", "temporal").status, FeatureStatus::Missing);
    // No engine here parses decorators (a stage 3 proposal).
    for engine in ENGINES {
        let v = verdict(&matrix, engine, "decorators");
        assert_eq!(
            (v.status, v.error_kind),
            (FeatureStatus::Error, Some(ErrorKind::Syntax)),
            "{engine}"
        );
    }
}

#[test]
fn every_kind_of_verdict_is_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let probes = dir.path().join("probes");
    std::fs::create_dir_all(&probes).unwrap();
    let probe = |name: &str, body: &str| {
        std::fs::write(
            probes.join(format!("{name}.js")),
            format!("// edition: ES2020\n// feature: {name}\n{body}\n"),
        )
        .unwrap();
    };
    probe(
        "works",
        "export function run() { return 1n + 1n === 2n ? \"ok\" : \"bad\"; }",
    );
    probe(
        "wrong",
        "export function run() { return [1, 2].at(-1) === 2 ? \"at(-1) gave 2\" : \"ok\"; }",
    );
    probe(
        "absent",
        "export function run() { return typeof NoSuchThing === \"function\" ? \"ok\" : \"missing: NoSuchThing\"; }",
    );
    probe("unparsable", "export function run() { return @@; }");
    probe("throws", "export function run() { null.x; return \"ok\"; }");
    let out = dir.path().join("f.json");
    let output = run(&[
        "features",
        "-b",
        "quickjs",
        "--probes-dir",
        probes.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert!(output.status.success(), "{}", text(&output));
    let matrix = results(&out).features.unwrap();
    let get = |id: &str| verdict(&matrix, "quickjs", id);
    assert_eq!(get("works").status, FeatureStatus::Supported);
    assert_eq!(get("wrong").status, FeatureStatus::Wrong);
    assert_eq!(get("wrong").detail.as_deref(), Some("at(-1) gave 2"));
    assert_eq!(get("absent").status, FeatureStatus::Missing);
    assert_eq!(
        (get("unparsable").status, get("unparsable").error_kind),
        (FeatureStatus::Error, Some(ErrorKind::Syntax))
    );
    assert_eq!(
        (get("throws").status, get("throws").error_kind),
        (FeatureStatus::Error, Some(ErrorKind::Exception))
    );
    assert!(
        get("throws")
            .detail
            .as_deref()
            .unwrap_or_default()
            .contains("TypeError")
    );

    let bad = run(&[
        "features",
        "-b",
        "quickjs",
        "--probes-dir",
        probes.to_str().unwrap(),
        "-p",
        "nope",
        "-q",
    ]);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
}

/// (directory, passed, failed, skipped) of the fixture on every engine.
const EXPECTED: [(&str, u64, u64, u64); 7] = [
    ("annexB", 0, 0, 2),
    ("built-ins/Array", 2, 2, 0),
    ("built-ins/Promise", 6, 3, 0),
    ("language/expressions", 2, 2, 0),
    ("language/module-code", 4, 0, 1),
    ("language/raw", 1, 0, 0),
    ("language/statements", 4, 0, 0),
];

fn conformance(dir: &Path, extra: &[&str]) -> ConformanceReport {
    let out = dir.join("c.json");
    let mut args: Vec<String> = vec![
        "conformance".into(),
        "--test262".into(),
        fixture().display().to_string(),
        "-o".into(),
        out.display().to_string(),
        "-q".into(),
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = run(&args);
    assert!(output.status.success(), "{}", text(&output));
    results(&out).conformance.expect("a conformance section")
}

#[test]
fn the_test262_fixture_gives_the_exact_counts() {
    let dir = tempfile::tempdir().unwrap();
    let report = conformance(dir.path(), &["-b", "quickjs,boa,v8", "--jobs", "2"]);
    assert_eq!(report.backends, ENGINES);
    for engine in ENGINES {
        for (directory, passed, failed, skipped) in EXPECTED {
            let c = report
                .directories
                .iter()
                .find(|c| c.backend == engine && c.directory == directory)
                .unwrap_or_else(|| panic!("no counts for {engine} / {directory}"));
            assert_eq!(
                (c.passed, c.failed, c.skipped),
                (passed, failed, skipped),
                "{engine} / {directory}; failures: {:#?}",
                report
                    .failures
                    .iter()
                    .filter(|f| f.backend == engine)
                    .collect::<Vec<_>>()
            );
        }
        // Files as published results count them: one failing run fails the
        // file (never-done runs in strict mode only).
        let promise = report
            .directories
            .iter()
            .find(|c| c.backend == engine && c.directory == "built-ins/Promise")
            .unwrap();
        assert_eq!(
            (promise.files_passed, promise.files_failed, promise.files_skipped),
            (3, 2, 0),
            "{engine}"
        );
        let annex = report
            .directories
            .iter()
            .find(|c| c.backend == engine && c.directory == "annexB")
            .unwrap();
        assert_eq!((annex.files_passed, annex.files_skipped), (0, 1), "{engine}");
        // Exactly the tests written to fail do.
        let failing: Vec<String> = report
            .failures
            .iter()
            .filter(|f| f.backend == engine)
            .map(|f| format!("{} ({})", f.test, f.mode))
            .collect();
        assert_eq!(
            failing,
            [
                "built-ins/Array/length-fails-on-purpose.js (sloppy)",
                "built-ins/Array/length-fails-on-purpose.js (strict)",
                "built-ins/Promise/async-fails-on-purpose.js (sloppy)",
                "built-ins/Promise/async-fails-on-purpose.js (strict)",
                "built-ins/Promise/never-done-fails-on-purpose.js (strict)",
                "language/expressions/typeof/negative-fails-on-purpose.js (sloppy)",
                "language/expressions/typeof/negative-fails-on-purpose.js (strict)",
            ],
            "{engine}"
        );
    }
    let never_done = report.failures.iter().find(|f| f.test.contains("never-done")).unwrap();
    assert!(
        never_done.message.contains("$DONE was not called"),
        "{}",
        never_done.message
    );
    assert_eq!(report.skip_reasons.values().sum::<u64>(), 3);
}

#[test]
fn a_subdirectory_and_a_depth_can_be_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c.json");
    let sub = fixture().join("test/language/module-code");
    let output = run(&[
        "conformance",
        "--test262",
        sub.to_str().unwrap(),
        "-b",
        "quickjs",
        "--depth",
        "1",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    let report = results(&out).conformance.unwrap();
    assert_eq!(report.selection, "test/language/module-code");
    assert_eq!(report.directories.len(), 1);
    let c = &report.directories[0];
    assert_eq!(
        (c.directory.as_str(), c.passed, c.failed, c.skipped),
        ("language", 4, 0, 1)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("4 / 0 / 1"), "{stdout}");

    let not_a_suite = run(&[
        "conformance",
        "--test262",
        dir.path().to_str().unwrap(),
        "-b",
        "quickjs",
    ]);
    assert_eq!(not_a_suite.status.code(), Some(2), "{}", text(&not_a_suite));
    assert!(String::from_utf8_lossy(&not_a_suite.stderr).contains("not inside a test262 checkout"));
}

#[test]
fn tampered_intrinsics_do_not_break_the_runner_or_the_process_servers() {
    // The Node servers share the test's realm: they must not use the
    // `Array.prototype.push`, `JSON.stringify` or `then` a test replaced.
    // (node-http cannot promise that: Node 20's own stream internals call
    // the realm's `Array.prototype.push` when a response is written; see
    // the README.)
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c.json");
    let output = run(&[
        "conformance",
        "--test262",
        fixture().join("test/built-ins/Promise").to_str().unwrap(),
        "-b",
        "quickjs,node-pipe",
        "-o",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert!(output.status.success(), "{}", text(&output));
    let report = results(&out).conformance.unwrap();
    for backend in ["quickjs", "node-pipe"] {
        let tampered: Vec<_> = report
            .failures
            .iter()
            .filter(|f| f.backend == backend && f.test.contains("tampered"))
            .collect();
        assert!(tampered.is_empty(), "{backend}: {tampered:#?}");
        let promise = report
            .directories
            .iter()
            .find(|c| c.backend == backend && c.directory == "built-ins/Promise")
            .unwrap_or_else(|| panic!("{backend}: no counts"));
        assert_eq!(promise.passed, 6, "{backend}: {report:#?}");
    }
}
