//! Real bundles with the real esbuild (installed into the cache folder on
//! first use): a project whose entry imports a relative file and a package
//! from its own `node_modules`, TypeScript, and the clear errors for a Node
//! built-in and a missing package.

use jsbench_assets::artefact::ArtefactCache;
use jsbench_bundle::{BundleError, BundleRequest, cache::bundle_in};
use std::path::Path;

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn cache() -> (tempfile::TempDir, ArtefactCache) {
    let root = tempfile::tempdir().unwrap();
    let cache = ArtefactCache::open_in(root.path(), "bundles").unwrap();
    (root, cache)
}

fn request(entry: &Path) -> BundleRequest {
    BundleRequest {
        entry: entry.to_path_buf(),
        external: Vec::new(),
    }
}

const GREET: &[(&str, &str)] = &[
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
];

#[test]
fn a_relative_import_and_a_package_become_one_module_cached_by_content() {
    let dir = project(GREET);
    let (_root, cache) = cache();
    let entry = dir.path().join("src/main.js");
    let first = bundle_in(&cache, &request(&entry)).unwrap();
    assert!(!first.cache_hit);
    assert_eq!(first.inputs, 3, "entry, relative file, package");
    assert!(!first.code.contains("import "), "no import is left: {}", first.code);
    assert!(first.code.contains("export {"), "{}", first.code);
    assert!(first.code.contains("hello "));
    assert_eq!(first.bytes as usize, first.code.len());
    let again = bundle_in(&cache, &request(&entry)).unwrap();
    assert!(again.cache_hit);
    assert_eq!(again.sha256, first.sha256);
    // An edit to the package (not the entry) is a miss with a new bundle.
    std::fs::write(
        dir.path().join("node_modules/greet/index.js"),
        "exports.greet = (s) => 'hi ' + s;",
    )
    .unwrap();
    let edited = bundle_in(&cache, &request(&entry)).unwrap();
    assert!(!edited.cache_hit);
    assert_ne!(edited.sha256, first.sha256);
    assert!(edited.code.contains("hi "));
}

#[test]
fn typescript_entries_bundle_the_same_way() {
    let dir = project(&[
        (
            "main.ts",
            "import { twice } from './twice';\nexport function run(input: string): string { return twice(input); }\n",
        ),
        ("twice.ts", "export const twice = (s: string): string => s + s;\n"),
    ]);
    let (_root, cache) = cache();
    let bundled = bundle_in(&cache, &request(&dir.path().join("main.ts"))).unwrap();
    assert!(
        !bundled.code.contains(": string"),
        "types are stripped: {}",
        bundled.code
    );
    assert_eq!(bundled.inputs, 2);
}

#[test]
fn a_node_builtin_names_the_import_chain_unless_external() {
    let dir = project(&[
        (
            "main.js",
            "import { read } from './io.js';\nexport function run(i) { return read(i); }\n",
        ),
        (
            "io.js",
            "import { readFileSync } from 'fs';\nexport const read = (p) => readFileSync(p, 'utf8');\n",
        ),
    ]);
    let (_root, cache) = cache();
    let entry = dir.path().join("main.js");
    let err = bundle_in(&cache, &request(&entry)).unwrap_err();
    assert!(matches!(err, BundleError::NodeBuiltin { .. }), "{err}");
    let message = err.to_string();
    assert!(message.contains("main.js -> io.js -> fs"), "{message}");
    assert!(message.contains("Node built-in \"fs\""), "{message}");
    let external = BundleRequest {
        entry,
        external: vec!["fs".into()],
    };
    let bundled = bundle_in(&cache, &external).unwrap();
    assert!(bundled.code.contains("from \"fs\""), "{}", bundled.code);
}

#[test]
fn a_missing_package_names_the_file_and_the_specifier() {
    let dir = project(&[
        (
            "main.js",
            "import { x } from './lib.js';\nexport function run() { return x; }\n",
        ),
        ("lib.js", "import pad from 'left-pad';\nexport const x = pad('a', 3);\n"),
    ]);
    let (_root, cache) = cache();
    let err = bundle_in(&cache, &request(&dir.path().join("main.js"))).unwrap_err();
    assert!(matches!(err, BundleError::Unresolved { .. }), "{err}");
    let message = err.to_string();
    assert!(message.contains("lib.js:1:"), "{message}");
    assert!(message.contains("\"left-pad\""), "{message}");
    let missing = bundle_in(&cache, &request(&dir.path().join("nope.js"))).unwrap_err();
    assert!(matches!(missing, BundleError::MissingEntry(_)), "{missing}");
}
