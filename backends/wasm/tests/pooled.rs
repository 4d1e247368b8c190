//! `wasm-component-pooled` against the real ComponentizeJS and wasmtime:
//! the backend contract, then what pooling changes (its own precompiled
//! code, instances made again and again from one pool).

use jsbench_api::contract::{self, Contract, MODES};
use jsbench_api::{JsBackend, Limits};
use jsbench_wasm::WasmBackend;

fn pooled() -> Contract {
    jsbench_wasm::ensure_installed().expect("ComponentizeJS installs");
    Contract::new(|| Box::new(WasmBackend::pooled())).messages_without_error_names()
}

/// What every backend must do.
mod contract_cases {
    jsbench_api::contract_tests!(Some(super::pooled()));
}

#[test]
fn descriptor_names_the_pool() {
    let d = WasmBackend::pooled().descriptor();
    assert_eq!(d.name, jsbench_wasm::pooled::NAME);
    assert!(d.flags.iter().any(|f| f.contains("pooling")), "{:?}", d.flags);
}

#[test]
fn pooled_prepare_shares_the_plain_component_and_code() {
    jsbench_wasm::ensure_installed().expect("ComponentizeJS installs");
    let module = contract::module("modes", MODES);
    let plain = contract::prepare(&mut WasmBackend::new(), &module).unwrap().unwrap();
    let pooled = contract::prepare(&mut WasmBackend::pooled(), &module).unwrap().unwrap();
    assert!(pooled.cache_hit && pooled.compile_ns.is_none(), "{pooled:?}");
    assert_eq!(pooled.component_bytes, plain.component_bytes);
    assert_eq!(pooled.precompiled_bytes, plain.precompiled_bytes);
}

#[test]
fn many_instances_from_one_pool() {
    let mut b = pooled()
        .ready(&contract::module("modes", MODES), &Limits::default())
        .unwrap();
    // Each failed call replaces the instance: the pool's slots are reused,
    // many more times than it has slots.
    for i in 0..20 {
        assert!(b.call("throw:x").is_err());
        assert_eq!(
            b.call(&format!("echo:{i}")).unwrap(),
            format!("{i}:{}", i.to_string().len())
        );
    }
    for _ in 0..5 {
        b.load(&contract::module("modes", MODES)).unwrap();
        assert_eq!(b.call("fib:10").unwrap(), "55");
    }
}

/// Every pooled runtime of a process shares one engine and pool: many alive
/// at once (with one engine each, the address space ran out at 33 in
/// `jsbench density`), each still with its own store and memory limit.
#[test]
fn many_runtimes_alive_at_once_share_the_process_pool() {
    jsbench_wasm::ensure_installed().expect("ComponentizeJS installs");
    let module = contract::module("modes", MODES);
    let mut alive = Vec::new();
    for i in 0..40 {
        let mut b = WasmBackend::pooled();
        contract::prepare(&mut b, &module).unwrap();
        b.create(&Limits::default()).unwrap();
        b.load(&module).unwrap();
        assert_eq!(
            b.call(&format!("echo:{i}")).unwrap(),
            format!("{i}:{}", i.to_string().len())
        );
        alive.push(b);
    }
    // One runtime's memory limit does not reach the others.
    let small = Limits {
        memory_limit: 64 << 20,
        ..Limits::default()
    };
    let mut tight = WasmBackend::pooled();
    contract::prepare(&mut tight, &module).unwrap();
    tight.create(&small).unwrap();
    tight.load(&module).unwrap();
    let error = tight.call("bomb").unwrap_err();
    assert_eq!(error.kind(), jsbench_api::ErrorKind::OutOfMemory, "{error}");
    for b in &mut alive {
        assert_eq!(b.call("fib:10").unwrap(), "55");
    }
}
