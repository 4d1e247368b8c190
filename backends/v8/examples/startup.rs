//! Where V8's start-up goes: `cargo run --release -p jsbench-v8 --example startup -- [reps [cache-dir]]`.
//!
//! Times, in one process, the first and the median of `reps` further
//! `create` and `load` of `v8-snapshot` (its snapshot from `cache-dir`, or
//! built first in a temporary cache: then the process's first isolate is
//! the snapshot creator) and of the plain `v8` backend, and the pieces under
//! them: a bare `v8::Isolate` from V8's built-in snapshot and starting a
//! watchdog thread. The first of each is what a one-shot process pays; the
//! median is what a host that makes many runtimes pays. `PLAIN_FIRST=1`
//! makes the `v8` runtimes first and `AGAIN=1` the first backend's once
//! more after the other's (both orders work; see `jsbench_v8::snapshot`
//! for the blobs that made V8 abort here).

use jsbench_api::{BackendError, JsBackend, Limits, WorkloadModule};
use jsbench_v8::watchdog::{Terminate, Watchdog};
use jsbench_v8::{SnapshotBackend, V8Backend};
use std::time::{Duration, Instant};

const SOURCE: &str = "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\n\
                      export function run(input) { return input === '' ? '' : String(fib(Number(input))); }";

/// A terminate target that does nothing: the watchdog only starts and stops.
struct Nothing;

impl Terminate for Nothing {
    fn terminate(&self) {}
}

/// Runs `f` (which times its own parts) `reps + 1` times; prints the first
/// run's parts and the median of each part over the others, or the error.
fn report(what: &str, reps: usize, mut f: impl FnMut() -> Result<Vec<Duration>, BackendError>) {
    let runs: Result<Vec<Vec<Duration>>, BackendError> = (0..=reps).map(|_| f()).collect();
    let mut runs = match runs {
        Ok(runs) => runs,
        Err(e) => return println!("{what:<36} {e}"),
    };
    let first = runs.remove(0);
    let rest = runs;
    let median = |i: usize| {
        let mut xs: Vec<Duration> = rest.iter().map(|r| r[i]).collect();
        xs.sort();
        xs.get(xs.len() / 2).copied().unwrap_or_default()
    };
    let parts: Vec<String> = (0..first.len())
        .map(|i| format!("{:.1?} / {:.1?}", first[i], median(i)))
        .collect();
    println!("{what:<36} {}", parts.join("   "));
}

fn timed(f: impl FnOnce() -> Result<(), BackendError>) -> Result<Duration, BackendError> {
    let t = Instant::now();
    f()?;
    Ok(t.elapsed())
}

/// `create` then `load`, each timed.
fn create_load(
    backend: &mut dyn JsBackend,
    limits: &Limits,
    module: &WorkloadModule,
) -> Result<Vec<Duration>, BackendError> {
    Ok(vec![timed(|| backend.create(limits))?, timed(|| backend.load(module))?])
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let reps: usize = std::env::args().nth(1).map_or(Ok(20), |r| r.parse())?;
    let module = WorkloadModule {
        name: "fib".into(),
        source: SOURCE.into(),
        path: None,
    };
    let t = Instant::now();
    jsbench_v8::init_process(false)?;
    println!("init_process {:.1?}", t.elapsed());
    let scratch = tempfile::tempdir()?;
    let cache = std::env::args()
        .nth(2)
        .map_or_else(|| scratch.path().to_owned(), std::path::PathBuf::from);
    let mut snapshot = SnapshotBackend::in_cache(&cache);
    let t = Instant::now();
    snapshot.prepare(&module)?;
    println!("v8-snapshot prepare {:.1?}", t.elapsed());
    println!("(first / median of {reps} more)");
    let limits = Limits::default();
    let backends: [(&str, Box<dyn JsBackend>); 2] = [
        ("v8-snapshot create, load", Box::new(snapshot)),
        ("v8 create, load", Box::new(V8Backend::new(false))),
    ];
    let mut backends = backends;
    if std::env::var_os("PLAIN_FIRST").is_some() {
        backends.swap(0, 1);
    }
    // `ONLY=none` or `ONLY=v8-snapshot` ends the process here, after that
    // much, for `perf stat` to take the difference of.
    match std::env::var("ONLY").as_deref() {
        Ok("none") => return Ok(()),
        Ok("v8-snapshot") => {
            let (what, backend) = &mut backends[0];
            report(what, 0, || create_load(backend.as_mut(), &limits, &module));
            return Ok(());
        }
        _ => {}
    }
    for (what, backend) in &mut backends {
        report(what, reps, || create_load(backend.as_mut(), &limits, &module));
    }
    if std::env::var_os("AGAIN").is_some() {
        // The first backend again, after the other one's isolates.
        let (what, backend) = &mut backends[0];
        report(what, reps, || create_load(backend.as_mut(), &limits, &module));
    }
    report("bare isolate new, drop", reps, || {
        let t = Instant::now();
        let isolate = v8::Isolate::new(v8::CreateParams::default());
        let made = t.elapsed();
        Ok(vec![
            made,
            timed(|| {
                drop(isolate);
                Ok(())
            })?,
        ])
    });
    report("watchdog thread start, stop", reps, || {
        let t = Instant::now();
        let w = Watchdog::start(Nothing).map_err(|e| BackendError::Internal(e.to_string()))?;
        let made = t.elapsed();
        Ok(vec![
            made,
            timed(|| {
                drop(w);
                Ok(())
            })?,
        ])
    });
    Ok(())
}
