//! Criterion benches of every backend of this build, through `JsBackend`.
//!
//! Benchmark ids are `<group>/<backend>`, one group per measure, so a
//! group's report compares the backends and `cargo bench -- call-empty`
//! runs one measure:
//! - `create/<backend>`: `create` on a fresh, prepared backend (the cold
//!   start: a runtime, an isolate, an engine with its component, or a child
//!   process that says it is ready);
//! - `load/<backend>`: `load` of the empty-call module into a fresh runtime;
//! - `call-empty`, `echo-1kb`, `echo-64kb`, `fib-small`: one `call` in a
//!   loaded runtime (steady state), with the input of the manifest's
//!   `small` size; the output is checked against the manifest once first.
//!
//! Only the phase in the id is timed: making, preparing and creating the
//! backend a `create`/`load` iteration needs, and dropping it afterwards
//! (a process backend kills its child), happen outside the timed part.
//! Set-up that is costly (a runtime for the call groups, componentizing
//! for wasm-component) runs only for benchmarks the filter selects.
//!
//! Plots are off unless `JSBENCH_BENCH_PLOTS=1`: drawing them costs more
//! than measuring. `JSBENCH_BENCH_V8_JITLESS=1` benches `v8-jitless`
//! instead of `v8` (one V8 variant per process).

use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use jsbench_api::JsBackend;
use jsbench_benches::{BenchError, CALL_CASES, Case, Subject, V8Variant};
use std::hint::black_box;
use std::time::Duration;

/// Stops the run with the error: a bench that cannot do what its id says
/// must not report a number.
fn or_fail<T>(result: Result<T, BenchError>) -> T {
    result.unwrap_or_else(|error| panic!("jsbench-benches: {error}"))
}

/// Create and load make a runtime (or a process) per iteration: few flat
/// samples keep a process backend's group to a few seconds.
fn per_runtime_settings(group: &mut BenchmarkGroup<'_, WallTime>) {
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
}

fn bench_create(c: &mut Criterion, subjects: &[Subject], empty: &Case) {
    let mut group = c.benchmark_group("create");
    per_runtime_settings(&mut group);
    for subject in subjects {
        group.bench_function(subject.name, |b| {
            b.iter_batched_ref(
                || or_fail(jsbench_benches::prepared(subject, &empty.module)),
                |backend| or_fail(jsbench_benches::create(subject, backend.as_mut(), &empty.module)),
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

fn bench_load(c: &mut Criterion, subjects: &[Subject], empty: &Case) {
    let mut group = c.benchmark_group("load");
    per_runtime_settings(&mut group);
    for subject in subjects {
        group.bench_function(subject.name, |b| {
            b.iter_batched_ref(
                || or_fail(jsbench_benches::created(subject, &empty.module)),
                |backend| or_fail(jsbench_benches::load(subject, backend.as_mut(), &empty.module)),
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

fn bench_calls(c: &mut Criterion, subjects: &[Subject], case: &Case) {
    let mut group = c.benchmark_group(case.group);
    group
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    if case.group.starts_with("echo") {
        // Bytes of the input string; the same string comes back out.
        group.throughput(Throughput::Bytes(case.input.len() as u64));
    }
    for subject in subjects {
        // Criterion calls the closure once per sample; the checked runtime
        // is made on the first call, so filtered-out ids cost nothing.
        let mut runtime: Option<Box<dyn JsBackend>> = None;
        group.bench_function(subject.name, |b| {
            let backend = runtime.get_or_insert_with(|| or_fail(jsbench_benches::checked(subject, case)));
            b.iter(|| or_fail(jsbench_benches::call(subject, backend.as_mut(), black_box(case))));
        });
    }
    group.finish();
}

fn backends(c: &mut Criterion) {
    let variant = V8Variant::from_env().unwrap_or_else(|why| panic!("jsbench-benches: {why}"));
    let dir = jsbench_benches::workloads_dir();
    let cases: Vec<Case> = CALL_CASES
        .iter()
        .map(|spec| or_fail(jsbench_benches::load_case(&dir, spec)))
        .collect();

    let (subjects, unavailable) = jsbench_benches::subjects(variant);
    for (name, why) in unavailable {
        eprintln!("unavailable: {name}: {why} (its benchmarks are skipped)");
    }
    if subjects.is_empty() {
        eprintln!("jsbench-benches: no backend to bench (enable a backend feature, e.g. --features quickjs)");
        return;
    }

    let empty = &cases[0];
    bench_create(c, &subjects, empty);
    bench_load(c, &subjects, empty);
    for case in &cases {
        bench_calls(c, &subjects, case);
    }
}

/// Criterion's defaults, with plots only when [`jsbench_benches::PLOTS_ENV`]
/// asks for them (`--noplot` still turns them off).
fn config() -> Criterion {
    let plots = jsbench_benches::flag_from_env(jsbench_benches::PLOTS_ENV)
        .unwrap_or_else(|why| panic!("jsbench-benches: {why}"));
    if plots {
        Criterion::default().with_plots()
    } else {
        Criterion::default().without_plots()
    }
}

criterion_group! {
    name = benches;
    config = config();
    targets = backends
}
criterion_main!(benches);
