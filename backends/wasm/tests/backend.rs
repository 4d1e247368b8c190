//! Runs real workloads through ComponentizeJS and wasmtime. Each distinct
//! source is componentized once per machine (about 15-100 s) and then comes
//! from the cache, so the tests share two small sources.

use jsbench_api::{BackendError, ErrorKind, JsBackend, Limits, WorkloadModule};
use jsbench_wasm::WasmBackend;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// A synchronous `run` with one mode per behaviour under test.
const MODES: &str = r#"
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
export function run(input) {
  const colon = input.indexOf(':');
  const mode = colon < 0 ? input : input.slice(0, colon);
  const arg = colon < 0 ? '' : input.slice(colon + 1);
  switch (mode) {
    case 'fib': return String(fib(Number(arg)));
    case 'json': {
      const value = JSON.parse(arg);
      value.count = value.items.length;
      return JSON.stringify(value);
    }
    case 'loop': for (;;) {}
    case 'bomb': {
      const hoard = [];
      for (let i = 0; ; i++) hoard.push(new Array(1 << 16).fill(i));
    }
    case 'throw': throw new TypeError('bad input: ' + arg);
    default: return 'echo:' + input;
  }
}
"#;

/// An async `run`, which ComponentizeJS settles for the sync WIT export.
const ASYNC: &str = r#"
export async function run(input) {
  let sum = 0;
  for (let i = 0; i < 100; i++) sum += await Promise.resolve(i);
  if (input === 'reject') throw new RangeError('rejected');
  return input + ':' + sum;
}
"#;

fn module(name: &str, source: &str) -> WorkloadModule {
    WorkloadModule {
        name: name.to_string(),
        source: source.to_string(),
        path: None,
    }
}

/// Serialises the tests' prepares, so two tests never componentize the same
/// source at once on a cold cache.
fn prepare_lock() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn ready(source: &str, limits: Limits) -> WasmBackend {
    jsbench_wasm::ensure_installed().expect("ComponentizeJS installs");
    let module = module("test", source);
    let mut backend = WasmBackend::new();
    {
        let _guard = prepare_lock();
        backend.prepare(&module).expect("prepare");
    }
    backend.create(&limits).expect("create");
    backend.load(&module).expect("load");
    backend
}

#[test]
fn computes_and_round_trips_json() {
    let mut b = ready(MODES, Limits::default());
    assert_eq!(b.call("fib:20").unwrap(), "6765");
    let json = r#"{"items":[1,"two",{"three":3.5}],"name":"é😀"}"#;
    assert_eq!(
        b.call(&format!("json:{json}")).unwrap(),
        r#"{"items":[1,"two",{"three":3.5}],"name":"é😀","count":3}"#
    );
    assert!(b.engine_memory().is_some_and(|m| m > 0));
    let d = b.descriptor();
    assert_eq!(d.name, "wasm-component");
    assert!(d.engine_version.contains("wasmtime 48"), "{}", d.engine_version);
}

#[test]
fn second_prepare_is_a_cache_hit() {
    jsbench_wasm::ensure_installed().expect("ComponentizeJS installs");
    let module = module("test", MODES);
    let _guard = prepare_lock();
    WasmBackend::new().prepare(&module).expect("first prepare");
    let again = WasmBackend::new()
        .prepare(&module)
        .expect("second prepare")
        .expect("the component backend reports build costs");
    assert!(again.cache_hit);
    assert!(again.component_bytes.is_some_and(|b| b > 1_000_000));
    assert!(again.precompiled_bytes.is_some_and(|b| b > 1_000_000));
    assert_eq!(again.componentize_ns, None, "a cached component is not made again");
    assert_eq!(again.compile_ns, None, "cached code is not compiled again");
}

#[test]
fn infinite_loop_times_out_and_the_next_call_works() {
    let limit = Duration::from_secs(1);
    let mut b = ready(
        MODES,
        Limits {
            call_timeout: limit,
            ..Limits::default()
        },
    );
    let started = Instant::now();
    let error = b.call("loop").unwrap_err();
    let took = started.elapsed();
    assert_eq!(error, BackendError::Timeout { limit });
    assert!(took < 2 * limit, "stopped after {took:?}");
    assert_eq!(b.call("fib:10").unwrap(), "55");
}

#[test]
fn memory_bomb_hits_the_limit() {
    let limits = Limits {
        memory_limit: 64 << 20,
        ..Limits::default()
    };
    let mut b = ready(MODES, limits);
    let error = b.call("bomb").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::OutOfMemory, "{error}");
    assert!(b.engine_memory().is_some_and(|m| m <= 64 << 20));
    assert_eq!(b.call("fib:10").unwrap(), "55");
}

#[test]
fn exceptions_carry_message_and_stack() {
    let mut b = ready(MODES, Limits::default());
    match b.call("throw:xyz").unwrap_err() {
        BackendError::Exception { message, stack } => {
            assert!(message.contains("bad input: xyz"), "{message}");
            let stack = stack.unwrap_or_default();
            assert!(stack.contains("workload.mjs"), "{stack}");
        }
        other => panic!("expected an exception, got {other:?}"),
    }
    assert_eq!(b.call("hi").unwrap(), "echo:hi");
}

#[test]
fn async_run_is_settled_and_rejections_are_exceptions() {
    let mut b = ready(ASYNC, Limits::default());
    assert_eq!(b.call("x").unwrap(), "x:4950");
    let error = b.call("reject").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Exception, "{error}");
    assert!(error.to_string().contains("rejected"), "{error}");
    assert_eq!(b.call("y").unwrap(), "y:4950");
}

#[test]
fn syntax_errors_are_reported_before_componentizing() {
    jsbench_wasm::ensure_installed().expect("ComponentizeJS installs");
    let error = WasmBackend::new()
        .prepare(&module("bad", "export function run(input) { return 'a' +; }"))
        .unwrap_err();
    match error {
        BackendError::Syntax { message } => assert!(message.contains("workload.mjs:1"), "{message}"),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}
