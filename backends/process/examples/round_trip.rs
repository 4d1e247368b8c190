//! Measures each backend's empty round trip (`noop_round_trip`) and a call of
//! a trivial `run`, so the transport's fixed cost per call can be read off.
//!
//! `cargo run -p jsbench-process --release --example round_trip [N] [NAME…]`

use jsbench_api::{JsBackend, Limits, WorkloadModule};
use jsbench_process::{BACKEND_NAMES, ProcessBackend, availability, ensure_installed};
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let iterations: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(20_000);
    let mut names: Vec<String> = args.collect();
    if names.is_empty() {
        names = BACKEND_NAMES.iter().map(|n| n.to_string()).collect();
    }
    ensure_installed()?;
    println!(
        "{:<10} {:>10} {:>10} {:>10} {:>10} {:>12}",
        "backend", "create ms", "noop µs", "noop p50", "call µs", "call p50"
    );
    for name in names {
        if let Err(why) = availability(&name) {
            println!("{name:<10} unavailable: {why}");
            continue;
        }
        let mut backend = ProcessBackend::from_name(&name).ok_or("unknown backend")?;
        let start = Instant::now();
        backend.create(&Limits::default())?;
        let create = start.elapsed();
        backend.load(&WorkloadModule {
            name: "identity".into(),
            source: "export function run(input) { return input; }".into(),
            path: None,
        })?;
        let noop = measure(iterations, || backend.noop_round_trip().map(drop))?;
        let call = measure(iterations, || backend.call("x").map(drop))?;
        println!(
            "{name:<10} {:>10.1} {:>10.1} {:>10.1} {:>10.1} {:>12.1}",
            create.as_secs_f64() * 1e3,
            noop.0,
            noop.1,
            call.0,
            call.1
        );
    }
    Ok(())
}

/// Mean and median in microseconds, after a warm-up of a tenth as many runs.
fn measure(
    iterations: usize,
    mut once: impl FnMut() -> Result<(), jsbench_api::BackendError>,
) -> Result<(f64, f64), jsbench_api::BackendError> {
    for _ in 0..iterations / 10 {
        once()?;
    }
    let mut samples: Vec<Duration> = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let start = Instant::now();
        once()?;
        samples.push(start.elapsed());
    }
    samples.sort();
    if std::env::var_os("ROUND_TRIP_TAIL").is_some() {
        let pct = |p: f64| samples[((samples.len() as f64 * p) as usize).min(samples.len() - 1)].as_secs_f64() * 1e6;
        eprintln!(
            "  p90 {:.0} p99 {:.0} p99.9 {:.0} max {:.0} µs",
            pct(0.9),
            pct(0.99),
            pct(0.999),
            pct(1.0)
        );
    }
    let mean = samples.iter().sum::<Duration>().as_secs_f64() / samples.len().max(1) as f64;
    let median = samples.get(samples.len() / 2).copied().unwrap_or_default();
    Ok((mean * 1e6, median.as_secs_f64() * 1e6))
}
