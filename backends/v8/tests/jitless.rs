//! The `v8-jitless` backend (`--jitless`) against the real engine.

mod common;

engine_tests!(true);
