//! The `v8` backend (JIT enabled) against the real engine: the backend
//! contract, then the V8-specific tests.

mod common;

/// What every backend must do (`jsbench_api::contract`).
mod contract {
    use jsbench_api::contract::Contract;

    jsbench_api::contract_tests!(Some(Contract::new(|| Box::new(super::common::backend(false)))));
}

engine_tests!(false);
