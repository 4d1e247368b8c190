//! Times each phase of the backend once for a small workload, for a quick
//! look without the harness:
//! `cargo run -p jsbench-wasm --release --example measure [FILE.js [INPUT]]`.
//! Set `JSBENCH_CACHE_DIR` to an empty folder to time a cold prepare.

use jsbench_api::{JsBackend, Limits, WorkloadModule};
use jsbench_wasm::WasmBackend;
use std::time::Instant;

const FIB: &str = "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\n\
                   export function run(input) { return String(fib(Number(input))); }\n";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (source, input) = match args.next() {
        Some(path) => (std::fs::read_to_string(path)?, args.next().unwrap_or_default()),
        None => (FIB.to_string(), "20".to_string()),
    };
    let module = WorkloadModule {
        name: "measure".into(),
        source,
        path: None,
    };
    jsbench_wasm::ensure_installed()?;
    let mut backend = WasmBackend::new();
    let prepared = backend.prepare(&module)?;
    println!("prepare: {prepared:?}");

    let t = Instant::now();
    backend.create(&Limits::default())?;
    println!("create: {:.2} ms", ms(t));
    let t = Instant::now();
    backend.load(&module)?;
    println!("load (instantiate): {:.2} ms", ms(t));
    let t = Instant::now();
    let output = backend.call(&input)?;
    println!("first call: {:.3} ms -> {output:?}", ms(t));
    let mut samples: Vec<f64> = (0..200)
        .map(|_| {
            let t = Instant::now();
            let _ = backend.call(&input);
            ms(t)
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    println!(
        "steady call over {} calls: median {:.3} ms, min {:.3} ms",
        samples.len(),
        samples[samples.len() / 2],
        samples[0]
    );
    println!("engine memory: {:?} bytes", backend.engine_memory());
    Ok(())
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1e3
}
