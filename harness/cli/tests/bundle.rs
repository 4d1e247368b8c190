//! Workloads with imports: an entry that imports a relative file and a
//! package from its own `node_modules` is bundled into one module that
//! quickjs, v8, node-pipe and wasm-component all run; a Node built-in and a
//! missing package fail every cell with the clear errors.

mod common;

use common::{cell, results, run, text};
use jsbench_schema::{CellStatus, ErrorKind, Phase};
use std::path::Path;

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, contents) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
}

fn manifest(name: &str, entry: &str, input: &str, expected: &str) -> String {
    format!(
        "name = {name:?}\ncategory = \"test\"\ndescription = \"imports\"\nentry = {entry:?}\n[sizes.small]\ninput = {input:?}\nexpected = {expected:?}\n"
    )
}

#[test]
fn an_entry_with_a_relative_import_and_a_package_runs_on_every_kind_of_backend() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "node_modules/greet/package.json",
                r#"{"name":"greet","version":"1.0.0","main":"index.js"}"#,
            ),
            ("node_modules/greet/index.js", "exports.greet = (s) => 'hello ' + s;"),
            ("src/shout.js", "export const shout = (s) => s.toUpperCase();"),
            (
                "src/main.js",
                "import { greet } from 'greet';\nimport { shout } from './shout.js';\nexport function run(input) { return shout(greet(input)); }\n",
            ),
            ("src/main.toml", &manifest("greeter", "main.js", "bob", "HELLO BOB")),
        ],
    );
    let out = dir.path().join("r.json");
    let entry = dir.path().join("src/main.js");
    let output = run(&[
        "run",
        "--quick",
        "-q",
        "-b",
        "quickjs,v8,node-pipe,wasm-component",
        "-w",
        entry.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output));
    let file = results(&out);
    for backend in ["quickjs", "v8", "node-pipe", "wasm-component"] {
        let c = cell(&file, backend, "greeter");
        assert_eq!(c.status, CellStatus::Ok, "{backend}: {:?}", c.error);
    }
    let info = &file.workloads[0];
    let bundle = info.bundle.as_ref().expect("the bundle is recorded");
    assert_eq!(bundle.entry, "main.js");
    assert_eq!(bundle.inputs, 3, "entry, relative file, package");
    assert_eq!(Some(bundle.bytes), info.module_bytes);
    assert_eq!(bundle.sha256, info.source_sha256, "every backend ran the bundle");
}

#[test]
fn a_node_builtin_and_a_missing_package_fail_every_cell_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "builtin/main.js",
                "import { read } from './io.js';\nexport function run(i) { return read(i); }\n",
            ),
            (
                "builtin/io.js",
                "import { readFileSync } from 'node:fs';\nexport const read = (p) => readFileSync(p, 'utf8');\n",
            ),
            ("builtin/main.toml", &manifest("uses-fs", "main.js", "a", "a")),
            (
                "missing/main.ts",
                "import pad from 'left-pad';\nexport function run(i: string): string { return pad(i, 3); }\n",
            ),
            ("missing/main.toml", &manifest("uses-pad", "main.ts", "a", "  a")),
        ],
    );
    let out = dir.path().join("r.json");
    let selectors = format!(
        "{},{}",
        dir.path().join("builtin/main.js").display(),
        dir.path().join("missing/main.ts").display()
    );
    let output = run(&[
        "run",
        "--quick",
        "-q",
        "-b",
        "quickjs,v8",
        "-w",
        &selectors,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let file = results(&out);
    for backend in ["quickjs", "v8"] {
        let builtin = cell(&file, backend, "uses-fs");
        assert_eq!(builtin.status, CellStatus::Failed);
        let error = builtin.error.as_ref().unwrap();
        assert_eq!((error.kind, error.phase), (ErrorKind::Syntax, Phase::Prepare));
        assert!(error.message.contains("Node built-in \"node:fs\""), "{}", error.message);
        assert!(
            error.message.contains("main.js -> io.js -> node:fs"),
            "{}",
            error.message
        );
        let missing = cell(&file, backend, "uses-pad");
        assert_eq!(missing.status, CellStatus::Failed);
        let message = &missing.error.as_ref().unwrap().message;
        assert!(message.contains("main.ts:1:"), "{message}");
        assert!(message.contains("Could not resolve \"left-pad\""), "{message}");
    }
}
