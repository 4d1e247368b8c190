//! The tuned V8 backends (`v8-codecache`, `v8-snapshot`) against the real
//! engine: the backend contract for each, then their artefacts in a fresh
//! cache (miss, hit, another V8 version, a truncated or altered file, a
//! code cache V8 rejects), and snapshot isolates beside plain ones in a
//! fresh process.
//! Both run V8 with the JIT, so they share one test process.

use jsbench_api::{BuildCosts, JsBackend, Limits, WorkloadModule};
use jsbench_assets::artefact::ArtefactCache;
use jsbench_v8::{CodeCacheBackend, SnapshotBackend, codecache, snapshot};
use std::path::Path;

/// What every backend must do, from a code cache.
mod codecache_contract {
    use jsbench_api::contract::Contract;

    jsbench_api::contract_tests!(Some(Contract::new(|| Box::new(jsbench_v8::CodeCacheBackend::new()))));
}

/// What every backend must do, from a startup snapshot.
mod snapshot_contract {
    use jsbench_api::contract::Contract;

    jsbench_api::contract_tests!(Some(Contract::new(|| Box::new(jsbench_v8::SnapshotBackend::new()))));
}

const SOURCE: &str = "const table = [1, 2, 3].map((n) => n * 10);\n\
                      function pick(i) { return table[i % table.length]; }\n\
                      export function run(input) { return input + ':' + pick(input.length); }\n";

fn module() -> WorkloadModule {
    WorkloadModule {
        name: "tuned".into(),
        source: SOURCE.into(),
        path: None,
    }
}

/// Prepares, creates, loads and calls once; the build costs and the answer.
fn run_once(mut backend: Box<dyn JsBackend>) -> (BuildCosts, String) {
    let costs = backend
        .prepare(&module())
        .unwrap()
        .expect("a tuned backend reports build costs");
    backend.create(&Limits::default()).unwrap();
    backend.load(&module()).unwrap();
    (costs, backend.call("ab").unwrap())
}

/// Miss, hit, a stale key and a damaged file, for one kind of artefact.
fn artefact_cache_cases(make: fn(&Path) -> Box<dyn JsBackend>, kind: &str, ext: &str, key: fn(&str) -> String) {
    let root = tempfile::tempdir().unwrap();
    let expected = "ab:30";
    let (first, out) = run_once(make(root.path()));
    assert_eq!(out, expected);
    assert!(!first.cache_hit && first.compile_ns.is_some(), "{first:?}");
    assert!(first.artefact_bytes.is_some_and(|b| b > 0));
    let (second, out) = run_once(make(root.path()));
    assert_eq!(out, expected);
    assert!(second.cache_hit && second.compile_ns.is_none(), "{second:?}");

    // Another V8 build is another key: never read by this one.
    let current = key(jsbench_v8::v8_version());
    assert_ne!(current, key("0.0.0.1"));
    let cache = ArtefactCache::open_in(root.path(), kind).unwrap();
    let path = cache.path(&current, ext);
    assert!(path.is_file(), "{} missing", path.display());

    // Truncated: a miss, built again, never a crash.
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 3]).unwrap();
    let (again, out) = run_once(make(root.path()));
    assert_eq!(out, expected);
    assert!(!again.cache_hit, "a truncated artefact is built again");

    // Same length, other bytes.
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x5a;
    std::fs::write(&path, &bytes).unwrap();
    let (again, out) = run_once(make(root.path()));
    assert_eq!(out, expected);
    assert!(!again.cache_hit, "an altered artefact is built again");
}

fn engine(version: &str) -> String {
    // The key's engine part is the version and the JIT backend's flags (none).
    format!("{version} ")
}

#[test]
fn code_cache_miss_hit_stale_and_corrupt() {
    artefact_cache_cases(
        |root| Box::new(CodeCacheBackend::in_cache(root)),
        codecache::CACHE_KIND,
        "v8cc",
        |version| codecache::key(&module(), &engine(version)),
    );
}

#[test]
fn snapshot_miss_hit_stale_and_corrupt() {
    artefact_cache_cases(
        |root| Box::new(SnapshotBackend::in_cache(root)),
        snapshot::CACHE_KIND,
        "v8snap",
        |version| snapshot::key(&module(), &engine(version)),
    );
}

#[test]
fn snapshot_runtimes_start_with_the_module_evaluated() {
    let root = tempfile::tempdir().unwrap();
    let mut b = SnapshotBackend::in_cache(root.path());
    let counted = WorkloadModule {
        source: "globalThis.loads = (globalThis.loads ?? 0) + 1;\n\
                 export function run() { return String(globalThis.loads) + ':' + typeof jsbenchHost; }\n"
            .into(),
        ..module()
    };
    b.prepare(&counted).unwrap();
    for _ in 0..3 {
        // Each runtime is a fresh copy of the snapshot: the top level ran
        // once, at prepare time, and never again.
        b.create(&Limits::default()).unwrap();
        b.load(&counted).unwrap();
        assert_eq!(b.call("").unwrap(), "1:function");
    }
}

#[test]
fn load_without_prepare_builds_the_artefact() {
    let root = tempfile::tempdir().unwrap();
    for mut b in [
        Box::new(CodeCacheBackend::in_cache(root.path())) as Box<dyn JsBackend>,
        Box::new(SnapshotBackend::in_cache(root.path())),
    ] {
        b.create(&Limits::default()).unwrap();
        b.load(&module()).unwrap();
        assert_eq!(b.call("abcd").unwrap(), "abcd:20");
    }
}

/// A code cache whose file is intact (its digest matches) but which V8
/// refuses: `prepare` trusts it without an isolate, `load` is an error
/// saying so (never a silent compile from source), and the file is gone,
/// so the next `prepare` builds a good one.
#[test]
fn a_code_cache_v8_rejects_is_an_error_at_load_and_built_again() {
    let root = tempfile::tempdir().unwrap();
    let cache = ArtefactCache::open_in(root.path(), codecache::CACHE_KIND).unwrap();
    let key = codecache::key(&module(), &engine(jsbench_v8::v8_version()));
    cache
        .put(&key, "v8cc", b"not a V8 code cache, but with a true digest")
        .unwrap();

    let mut b = CodeCacheBackend::in_cache(root.path());
    let costs = b.prepare(&module()).unwrap().expect("build costs");
    assert!(costs.cache_hit, "{costs:?}");
    b.create(&Limits::default()).unwrap();
    let error = b.load(&module()).unwrap_err().to_string();
    assert!(error.contains("V8 rejected the code cache"), "{error}");
    assert!(error.contains("builds it again"), "{error}");
    assert!(!cache.path(&key, "v8cc").exists(), "the refused file is still there");

    let (costs, out) = run_once(Box::new(CodeCacheBackend::in_cache(root.path())));
    assert!(!costs.cache_hit, "{costs:?}");
    assert_eq!(out, "ab:30");
}

/// The child's part of [`snapshot_isolates_start_beside_plain_ones`].
const BESIDE_PLAIN: &str = "JSBENCH_TEST_SNAPSHOT_BESIDE_PLAIN";

/// In a fresh process (this test binary run again for this test alone):
/// the snapshot made first, as a worker's `prepare` on a cache miss makes
/// it, then a plain `v8` runtime kept alive, then a runtime from the
/// snapshot. With a blob made by a creator alone in its process, V8
/// aborted the process at that last step; the child must answer instead.
#[test]
fn snapshot_isolates_start_beside_plain_ones() {
    if let Some(dir) = std::env::var_os(BESIDE_PLAIN) {
        let mut snapshot = SnapshotBackend::in_cache(Path::new(&dir));
        snapshot.prepare(&module()).unwrap();
        let mut plain = jsbench_v8::V8Backend::new(false);
        plain.create(&Limits::default()).unwrap();
        plain.load(&module()).unwrap();
        snapshot.create(&Limits::default()).unwrap();
        snapshot.load(&module()).unwrap();
        println!(
            "answers: {} {}",
            plain.call("ab").unwrap(),
            snapshot.call("ab").unwrap()
        );
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "snapshot_isolates_start_beside_plain_ones",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env(BESIDE_PLAIN, root.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("answers: ab:30 ab:30"),
        "{}\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}
