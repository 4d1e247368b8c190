//! Rough timing of the V8 backend: `cargo run --release -p jsbench-v8 --example fib -- [jit|jitless] [n] [reps]`.
//!
//! Prints the time of `create`, `load`, the first call and the best and
//! median of `reps` further calls of `fib(n)`, and the cost of a trivial call.

use jsbench_api::{JsBackend, Limits, WorkloadModule};
use jsbench_v8::V8Backend;
use std::time::{Duration, Instant};

const SOURCE: &str = "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\n\
                      export function run(input) { return input === '' ? '' : String(fib(Number(input))); }";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let jitless = args.first().is_some_and(|a| a == "jitless");
    let n = args.get(1).map_or("30", String::as_str).to_owned();
    let reps: usize = args.get(2).map_or(Ok(10), |r| r.parse())?;
    jsbench_v8::init_process(jitless)?;
    let mut backend = V8Backend::new(jitless);
    let t = Instant::now();
    backend.create(&Limits::default())?;
    let create = t.elapsed();
    let t = Instant::now();
    backend.load(&WorkloadModule {
        name: "fib".into(),
        source: SOURCE.into(),
        path: None,
    })?;
    let load = t.elapsed();
    let t = Instant::now();
    let out = backend.call(&n)?;
    let first = t.elapsed();
    let mut times: Vec<Duration> = (0..reps)
        .map(|_| {
            let t = Instant::now();
            let _ = backend.call(&n);
            t.elapsed()
        })
        .collect();
    times.sort();
    let trivial_reps = 1_000_000u32;
    let t = Instant::now();
    for _ in 0..trivial_reps {
        let _ = backend.call("");
    }
    let trivial = t.elapsed() / trivial_reps;
    println!(
        "{} fib({n})={out}: create {create:?}, load {load:?}, first call {first:?}, best {:?}, median {:?}, trivial call {trivial:?}",
        if jitless { "v8-jitless" } else { "v8" },
        times.first().copied().unwrap_or_default(),
        times.get(times.len() / 2).copied().unwrap_or_default(),
    );
    Ok(())
}
