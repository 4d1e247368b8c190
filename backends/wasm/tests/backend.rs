//! Runs real workloads through ComponentizeJS and wasmtime: the backend
//! contract (`jsbench_api::contract`), then what is the component
//! backend's own (its cache, its limits, its stacks). Each distinct source
//! is componentized once per machine (5-20 s) and then comes from the
//! cache, so these tests use the contract's few module sources.

use jsbench_api::contract::{self, Contract, MODES};
use jsbench_api::{BackendError, ErrorKind, JsBackend, Limits};
use jsbench_wasm::WasmBackend;

fn wasm() -> Contract {
    jsbench_wasm::ensure_installed().expect("ComponentizeJS installs");
    Contract::new(|| Box::new(WasmBackend::new())).messages_without_error_names()
}

/// What every backend must do.
mod contract_cases {
    jsbench_api::contract_tests!(Some(super::wasm()));
}

#[test]
fn descriptor_names_wasmtime() {
    let d = WasmBackend::new().descriptor();
    assert_eq!(d.name, "wasm-component");
    assert!(d.engine_version.contains("wasmtime 48"), "{}", d.engine_version);
}

#[test]
fn second_prepare_is_a_cache_hit() {
    jsbench_wasm::ensure_installed().expect("ComponentizeJS installs");
    let module = contract::module("modes", MODES);
    contract::prepare(&mut WasmBackend::new(), &module).expect("first prepare");
    let again = contract::prepare(&mut WasmBackend::new(), &module)
        .expect("second prepare")
        .expect("the component backend reports build costs");
    assert!(again.cache_hit);
    assert!(again.component_bytes.is_some_and(|b| b > 1_000_000));
    assert!(again.precompiled_bytes.is_some_and(|b| b > 1_000_000));
    assert_eq!(again.componentize_ns, None, "a cached component is not made again");
    assert_eq!(again.compile_ns, None, "cached code is not compiled again");
}

#[test]
fn memory_bomb_stays_under_the_limit_and_the_runtime_recovers() {
    let limits = Limits {
        memory_limit: contract::MEMORY_LIMIT,
        ..Limits::default()
    };
    let mut b = wasm().ready(&contract::module("modes", MODES), &limits).unwrap();
    let error = b.call("bomb").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::OutOfMemory, "{error}");
    assert!(b.engine_memory().is_some_and(|m| m <= contract::MEMORY_LIMIT));
    // The same runtime answers the next call (a fresh instance).
    assert_eq!(b.call("fib:10").unwrap(), "55");
}

#[test]
fn stacks_name_the_workload_file() {
    let mut b = wasm().modes();
    match b.call("throw:xyz").unwrap_err() {
        BackendError::Exception { message, stack } => {
            assert!(message.contains("boom: xyz"), "{message}");
            let stack = stack.unwrap_or_default();
            assert!(stack.contains("workload.mjs"), "{stack}");
        }
        other => panic!("expected an exception, got {other:?}"),
    }
}

#[test]
fn syntax_errors_are_reported_before_componentizing() {
    jsbench_wasm::ensure_installed().expect("ComponentizeJS installs");
    let error = WasmBackend::new()
        .prepare(&contract::module("bad", "export function run(input) { return 'a' +; }"))
        .unwrap_err();
    match error {
        BackendError::Syntax { message } => assert!(message.contains("workload.mjs:1"), "{message}"),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}
