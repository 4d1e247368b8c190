//! The `v8` backend (JIT enabled) against the real engine.

mod common;

engine_tests!(false);
