//! Instantiation on its own, and prepare's compile time per compiler, for
//! `wasm-component` against `wasm-component-pooled` (and the plain engine
//! with memory contents copied instead of mapped, the baseline of published
//! pooling speed-ups), in one process:
//! `cargo run -p jsbench-wasm --release --example tuned [FILE.js [LOADS]]`.
//!
//! Each `load` of the wasm backends is one instantiation (a store, WASI and
//! an instance from the `InstancePre` made at `create`); this times many of
//! them on one runtime and prints the median and quartiles, then compiles
//! the module's component with Cranelift and with Winch (or prints
//! wasmtime's reason why not).

use jsbench_api::{JsBackend, Limits, WorkloadModule};
use jsbench_wasm::{Allocation, WasmBackend};
use std::time::{Duration, Instant};
use wasmtime::Strategy;

const FIB: &str = "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\n\
                   export function run(input) { return String(fib(Number(input))); }\n";

fn quartiles(mut times: Vec<Duration>) -> [Duration; 3] {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    [at(0.25), at(0.5), at(0.75)]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (name, source) = match args.next() {
        Some(path) => (path.clone(), std::fs::read_to_string(path)?),
        None => ("fib".to_string(), FIB.to_string()),
    };
    let loads: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(200);
    let module = WorkloadModule {
        name: name.clone(),
        source,
        path: None,
    };
    jsbench_wasm::ensure_installed()?;
    println!("{name}: {loads} instantiations on one runtime each");
    for (label, allocation) in [
        ("wasm-component (copied)", Allocation::OnDemandCopied),
        ("wasm-component", Allocation::OnDemand),
        ("wasm-component-pooled", Allocation::Pooled),
    ] {
        let mut backend = WasmBackend::with_allocation(allocation);
        backend.prepare(&module)?;
        let t = Instant::now();
        backend.create(&Limits::default())?;
        let create = t.elapsed();
        let mut times = Vec::with_capacity(loads);
        for _ in 0..loads {
            let t = Instant::now();
            backend.load(&module)?;
            times.push(t.elapsed());
        }
        let first = times[0];
        let [q1, median, q3] = quartiles(times);
        // A second runtime in the same process: the pooled one shares the
        // process's engine and its linked component.
        let mut again = WasmBackend::with_allocation(allocation);
        again.prepare(&module)?;
        let t = Instant::now();
        again.create(&Limits::default())?;
        let second_create = t.elapsed();
        let t = Instant::now();
        again.load(&module)?;
        let second_load = t.elapsed();
        println!(
            "  {label:23} create {create:>10.1?}  first instantiation {first:>9.1?}  median {median:>9.1?} (quartiles {q1:.1?} .. {q3:.1?})"
        );
        println!(
            "  {:23} a second runtime in the process: create {second_create:>10.1?}  its first instantiation {second_load:>9.1?}",
            ""
        );
    }
    let component = jsbench_wasm::component_bytes(&module)?;
    println!(
        "compiling the {:.1} MiB component (pooled engine configuration):",
        component.len() as f64 / (1 << 20) as f64
    );
    for (label, strategy) in [("cranelift", Strategy::Cranelift), ("winch", Strategy::Winch)]
        .into_iter()
        .filter(|_| std::env::var_os("X_NOCOMPILE").is_none())
    {
        match jsbench_wasm::pooled::compile_with(&component, strategy) {
            Ok((took, bytes)) => println!(
                "  {label:9} {took:>9.2?}  {:.1} MiB of code",
                bytes as f64 / (1 << 20) as f64
            ),
            Err(e) => println!("  {label:9} unsupported: {e}"),
        }
    }
    Ok(())
}
