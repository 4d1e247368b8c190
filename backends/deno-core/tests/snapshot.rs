//! `deno-core-snapshot` against the real engine: the backend contract,
//! then its artefacts in a fresh cache (miss, hit, another engine version,
//! a truncated or altered file), runtimes that start with the module
//! evaluated, and modules that cannot be snapshotted.

use jsbench_api::{BackendError, BuildCosts, JsBackend, Limits, WorkloadModule};
use jsbench_assets::artefact::ArtefactCache;
use jsbench_deno_core::SnapshotBackend;
use jsbench_deno_core::snapshot::{self, CACHE_KIND, EXT};

/// Every test of this binary holds it: snapshot runtimes made, used and
/// disposed on several threads at once still crash V8 inside deno_core
/// 0.413 now and then (`Check failed: index < size()`, about 1 run in 8 of
/// this binary despite the backend's own lock around building and
/// restoring); a jsbench worker is single-threaded.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What every backend must do, from a snapshot.
mod contract {
    use jsbench_api::contract::Contract;

    jsbench_api::contract_tests!(
        lock = super::SERIAL,
        Some(Contract::new(|| Box::new(jsbench_deno_core::SnapshotBackend::new())))
    );
}

const SOURCE: &str = "const table = [1, 2, 3].map((n) => n * 10);\n\
                      function pick(i) { return table[i % table.length]; }\n\
                      export async function run(input) { await null; return input + ':' + pick(input.length); }\n";

fn module(source: &str) -> WorkloadModule {
    WorkloadModule {
        name: "tuned".into(),
        source: source.into(),
        path: None,
    }
}

/// Prepares, creates, loads and calls once; the build costs and the answer.
fn run_once(backend: &mut SnapshotBackend) -> (BuildCosts, String) {
    let costs = backend
        .prepare(&module(SOURCE))
        .unwrap()
        .expect("a tuned backend reports build costs");
    backend.create(&Limits::default()).unwrap();
    backend.load(&module(SOURCE)).unwrap();
    (costs, backend.call("ab").unwrap())
}

#[test]
fn snapshot_miss_hit_stale_and_corrupt() {
    let _serial = serial();
    let root = tempfile::tempdir().unwrap();
    let fresh = || SnapshotBackend::in_cache(root.path());
    let expected = "ab:30";
    let (first, out) = run_once(&mut fresh());
    assert_eq!(out, expected);
    assert!(!first.cache_hit && first.compile_ns.is_some(), "{first:?}");
    assert!(first.artefact_bytes.is_some_and(|b| b > 0));
    let (second, out) = run_once(&mut fresh());
    assert_eq!(out, expected);
    assert!(second.cache_hit && second.compile_ns.is_none(), "{second:?}");

    // Another V8 or deno_core is another key: never read by this one.
    let descriptor = fresh().descriptor();
    let current = snapshot::key(&module(SOURCE), &snapshot::engine_key(&descriptor.engine_version));
    assert_ne!(
        current,
        snapshot::key(&module(SOURCE), &snapshot::engine_key("0.0.0.1 (deno_core 0.1.0)"))
    );
    let cache = ArtefactCache::open_in(root.path(), CACHE_KIND).unwrap();
    let path = cache.path(&current, EXT);
    assert!(path.is_file(), "{} missing", path.display());

    // Truncated: a miss, built again, never a crash.
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 3]).unwrap();
    let (again, out) = run_once(&mut fresh());
    assert_eq!(out, expected);
    assert!(!again.cache_hit, "a truncated snapshot is built again");

    // Same length, other bytes.
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x5a;
    std::fs::write(&path, &bytes).unwrap();
    let (again, out) = run_once(&mut fresh());
    assert_eq!(out, expected);
    assert!(!again.cache_hit, "an altered snapshot is built again");
}

#[test]
fn runtimes_start_with_the_module_evaluated() {
    let _serial = serial();
    let root = tempfile::tempdir().unwrap();
    let mut b = SnapshotBackend::in_cache(root.path());
    let counted = module(&format!(
        "globalThis.loads = (globalThis.loads ?? 0) + 1;\n\
         export function run() {{ return [globalThis.loads, typeof jsbenchHost, typeof globalThis.{}, jsbenchHost('abc')].join(':'); }}\n",
        snapshot::RUN_GLOBAL
    ));
    b.prepare(&counted).unwrap();
    for _ in 0..3 {
        // Each runtime is a fresh copy of the snapshot: the top level ran
        // once, at prepare time, and never again; the ops work, and the
        // kept `run` is gone from the global object.
        b.create(&Limits::default()).unwrap();
        b.load(&counted).unwrap();
        assert_eq!(b.call("").unwrap(), "1:function:undefined:3");
        assert_eq!(b.call("").unwrap(), "1:function:undefined:3");
    }
}

#[test]
fn load_without_prepare_builds_the_snapshot() {
    let _serial = serial();
    let root = tempfile::tempdir().unwrap();
    let mut b = SnapshotBackend::in_cache(root.path());
    b.create(&Limits::default()).unwrap();
    b.load(&module(SOURCE)).unwrap();
    assert_eq!(b.call("abcd").unwrap(), "abcd:20");
    // A second load (another module) starts from its own snapshot.
    let other = module("export function run(s) { return s.toUpperCase(); }\n");
    b.load(&other).unwrap();
    assert_eq!(b.call("abcd").unwrap(), "ABCD");
}

/// Whether an error is the one a case expects.
type Expected = fn(&BackendError) -> bool;

#[test]
fn modules_that_cannot_be_snapshotted_are_typed_errors() {
    let _serial = serial();
    let root = tempfile::tempdir().unwrap();
    let cases: [(&str, Expected); 3] = [
        ("export function run( {", |e| matches!(e, BackendError::Syntax { .. })),
        (
            "throw new RangeError('top');\nexport function run() { return ''; }\n",
            |e| matches!(e, BackendError::Exception { message, .. } if message.contains("RangeError: top")),
        ),
        (
            "export const x = 1;\n",
            |e| matches!(e, BackendError::Exception { message, .. } if message.contains("`run`")),
        ),
    ];
    for (source, expected) in cases {
        let mut b = SnapshotBackend::in_cache(root.path());
        let error = b.prepare(&module(source)).expect_err(source);
        assert!(expected(&error), "{source}: {error:?}");
        // The backend still works afterwards.
        b.prepare(&module(SOURCE)).unwrap();
        b.create(&Limits::default()).unwrap();
        b.load(&module(SOURCE)).unwrap();
        assert_eq!(b.call("a").unwrap(), "a:20");
    }
}
