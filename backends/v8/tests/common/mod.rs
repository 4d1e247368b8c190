//! Engine tests shared by the JIT and jitless test binaries (each binary is
//! its own process, and a process runs only one V8 variant).

use jsbench_api::{BackendError, ErrorKind, JsBackend, Limits, WorkloadModule};
use jsbench_v8::V8Backend;
use std::time::{Duration, Instant};

pub fn module(source: &str) -> WorkloadModule {
    WorkloadModule {
        name: "test".into(),
        source: source.into(),
        path: None,
    }
}

pub fn backend(jitless: bool) -> V8Backend {
    jsbench_v8::init_process(jitless).expect("init_process");
    V8Backend::new(jitless)
}

pub fn loaded(jitless: bool, source: &str, limits: Limits) -> Result<V8Backend, BackendError> {
    let mut b = backend(jitless);
    b.create(&limits)?;
    b.load(&module(source))?;
    Ok(b)
}

pub fn descriptor(jitless: bool) {
    let b = backend(jitless);
    let d = b.descriptor();
    assert_eq!(d.name, if jitless { "v8-jitless" } else { "v8" });
    assert_eq!(d.engine, "V8");
    assert!(
        d.engine_version.chars().next().is_some_and(|c| c.is_ascii_digit()),
        "{}",
        d.engine_version
    );
    assert_eq!(d.capabilities.jit, !jitless);
    assert!(d.capabilities.interrupt && d.capabilities.memory_limit && d.capabilities.promises);
    assert_eq!(d.flags.contains(&"--jitless".to_string()), jitless);
    // The other variant cannot join this process.
    let e = jsbench_v8::init_process(!jitless).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Internal, "{e}");
}

pub fn runs_fib_and_json(jitless: bool) {
    let mut b = loaded(
        jitless,
        "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\n\
         export function run(input) {\n\
           const req = JSON.parse(input);\n\
           return JSON.stringify({ fib: fib(req.n), echo: req.echo });\n\
         }",
        Limits::default(),
    )
    .unwrap();
    assert_eq!(
        b.call(r#"{"n":20,"echo":"é😀"}"#).unwrap(),
        r#"{"fib":6765,"echo":"é😀"}"#
    );
    assert_eq!(
        b.call(r#"{"n":10,"echo":[1,2]}"#).unwrap(),
        r#"{"fib":55,"echo":[1,2]}"#
    );
    for _ in 0..1000 {
        assert_eq!(b.call(r#"{"n":1}"#).unwrap(), r#"{"fib":1}"#);
    }
}

pub fn settles_async_run(jitless: bool) {
    let mut b = loaded(
        jitless,
        "const pause = () => Promise.resolve().then(() => Promise.resolve());\n\
         export async function run(input) { await pause(); const x = await Promise.resolve(input); return x + '!'; }",
        Limits::default(),
    )
    .unwrap();
    assert_eq!(b.call("hi").unwrap(), "hi!");
    assert_eq!(b.call("again").unwrap(), "again!");

    let mut b = loaded(
        jitless,
        "export async function run() { throw new RangeError('nope'); }",
        Limits::default(),
    )
    .unwrap();
    match b.call("").unwrap_err() {
        BackendError::Exception { message, .. } => {
            assert!(message.contains("RangeError: nope"), "{message}")
        }
        other => panic!("expected an exception, got {other:?}"),
    }

    let mut b = loaded(
        jitless,
        "export function run() { return new Promise(() => {}); }",
        Limits::default(),
    )
    .unwrap();
    let e = b.call("").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Exception, "{e}");
    assert!(e.to_string().contains("never settle"), "{e}");
}

pub fn top_level_await(jitless: bool) {
    let mut b = loaded(
        jitless,
        "const base = await Promise.resolve('tla');\nexport function run(s) { return base + s; }",
        Limits::default(),
    )
    .unwrap();
    assert_eq!(b.call("!").unwrap(), "tla!");
}

pub fn syntax_error(jitless: bool) {
    let e = loaded(jitless, "export function run() {\n  return 1 +;\n}", Limits::default())
        .err()
        .unwrap();
    match &e {
        BackendError::Syntax { message } => {
            assert!(message.contains("SyntaxError"), "{message}");
            assert!(message.contains("test:2:"), "location missing: {message}");
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
    // A SyntaxError thrown by running code is an exception, not a parse error.
    let mut b = loaded(
        jitless,
        "export function run(s) { return JSON.parse(s); }",
        Limits::default(),
    )
    .unwrap();
    assert_eq!(b.call("{").unwrap_err().kind(), ErrorKind::Exception);
}

pub fn exceptions(jitless: bool) {
    let mut b = loaded(
        jitless,
        "function inner() { throw new TypeError('boom'); }\nexport function run() { inner(); }",
        Limits::default(),
    )
    .unwrap();
    match b.call("").unwrap_err() {
        BackendError::Exception { message, stack } => {
            assert_eq!(message, "TypeError: boom");
            let stack = stack.unwrap_or_default();
            assert!(stack.contains("inner"), "{stack}");
        }
        other => panic!("expected an exception, got {other:?}"),
    }
    let mut b = loaded(jitless, "export function run() { throw 42; }", Limits::default()).unwrap();
    let e = b.call("").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Exception);
    assert!(e.to_string().contains("42"), "{e}");

    // Throwing while the module evaluates.
    let e = loaded(
        jitless,
        "throw new Error('at load');\nexport function run() {}",
        Limits::default(),
    )
    .err()
    .unwrap();
    match e {
        BackendError::Exception { message, stack } => {
            assert_eq!(message, "Error: at load");
            assert!(stack.is_some());
        }
        other => panic!("expected an exception, got {other:?}"),
    }
}

pub fn bad_modules_and_results(jitless: bool) {
    let e = loaded(jitless, "export const x = 1;", Limits::default()).err().unwrap();
    assert!(e.to_string().contains("does not export a function named `run`"), "{e}");
    let e = loaded(jitless, "export const run = 'not a function';", Limits::default())
        .err()
        .unwrap();
    assert!(e.to_string().contains("`run`"), "{e}");
    let e = loaded(
        jitless,
        "import { x } from './other.js';\nexport function run() { return x; }",
        Limits::default(),
    )
    .err()
    .unwrap();
    assert!(e.to_string().contains("imports are not supported"), "{e}");

    let mut b = loaded(
        jitless,
        "export function run(s) { return s === 'n' ? 1 : s === 'o' ? {} : undefined; }",
        Limits::default(),
    )
    .unwrap();
    assert_eq!(
        b.call("n").unwrap_err(),
        BackendError::Exception {
            message: "run returned number, expected a string".into(),
            stack: None
        }
    );
    assert!(b.call("o").unwrap_err().to_string().contains("run returned object"));
    assert!(b.call("u").unwrap_err().to_string().contains("run returned undefined"));

    let mut fresh = backend(jitless);
    assert_eq!(fresh.call("x").unwrap_err().kind(), ErrorKind::Internal);
}

pub fn infinite_loop_times_out(jitless: bool) {
    let timeout = Duration::from_millis(500);
    let limits = Limits {
        call_timeout: timeout,
        ..Limits::default()
    };
    let mut b = loaded(
        jitless,
        "export function run(s) { if (s === 'loop') { while (true) {} } return s; }",
        limits,
    )
    .unwrap();
    assert_eq!(b.call("warm").unwrap(), "warm");
    for _ in 0..2 {
        let started = Instant::now();
        let e = b.call("loop").unwrap_err();
        let took = started.elapsed();
        assert_eq!(e, BackendError::Timeout { limit: timeout });
        assert!(took >= timeout && took < timeout * 2, "took {took:?}");
        // The same isolate keeps working.
        assert_eq!(b.call("ok").unwrap(), "ok");
    }
    // A loop in an async function, and at the top level of a module.
    let mut b = loaded(
        jitless,
        "export async function run() { await null; for (;;) {} }",
        limits,
    )
    .unwrap();
    assert_eq!(b.call("").unwrap_err().kind(), ErrorKind::Timeout);
    let e = loaded(jitless, "for (;;) {}\nexport function run() {}", limits)
        .err()
        .unwrap();
    assert_eq!(e.kind(), ErrorKind::Timeout);
}

pub fn memory_bomb_is_out_of_memory(jitless: bool) {
    let limits = Limits {
        memory_limit: 64 << 20,
        call_timeout: Duration::from_secs(60),
    };
    let mut b = loaded(
        jitless,
        "export function run() {\n\
           const all = [];\n\
           for (let i = 0; ; i++) { all.push(Array.from({ length: 1000 }, (_, j) => 'item ' + i + ':' + j)); }\n\
         }",
        limits,
    )
    .unwrap();
    let e = b.call("").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutOfMemory, "{e}");
    // The runtime is retired; a new one works.
    assert_eq!(b.call("").unwrap_err().kind(), ErrorKind::OutOfMemory);
    b.create(&limits).unwrap();
    b.load(&module("export function run(s) { return s + s; }")).unwrap();
    assert_eq!(b.call("ab").unwrap(), "abab");
}

pub fn host_callback(jitless: bool) {
    let mut b = loaded(
        jitless,
        "export function run(s) { return jsbenchHost(s) + ':' + jsbenchHost(42); }",
        Limits::default(),
    )
    .unwrap();
    assert_eq!(b.call("héllo😀").unwrap(), "7:2");
    let mut b = loaded(
        jitless,
        "export function run() { return jsbenchHost(Symbol()); }",
        Limits::default(),
    )
    .unwrap();
    assert_eq!(b.call("").unwrap_err().kind(), ErrorKind::Exception);
}

pub fn engine_memory(jitless: bool) {
    let mut b = loaded(
        jitless,
        "let keep = [];\nexport function run(n) { keep = Array.from({ length: Number(n) }, (_, i) => ({ i })); return String(keep.length); }",
        Limits::default(),
    )
    .unwrap();
    let before = b.engine_memory().unwrap();
    assert!(before > 0);
    assert_eq!(b.call("200000").unwrap(), "200000");
    let after = b.engine_memory().unwrap();
    assert!(after > before + (1 << 20), "before {before}, after {after}");
    assert!(backend(jitless).engine_memory().is_none());
}

pub fn runtimes_side_by_side(jitless: bool) {
    // Two runtimes on one thread, used and dropped in any order.
    let mut a = loaded(jitless, "export function run(s) { return 'a' + s; }", Limits::default()).unwrap();
    let mut b = loaded(jitless, "export function run(s) { return 'b' + s; }", Limits::default()).unwrap();
    assert_eq!(a.call("1").unwrap(), "a1");
    assert_eq!(b.call("2").unwrap(), "b2");
    drop(a);
    assert_eq!(b.call("3").unwrap(), "b3");
    b.create(&Limits::default()).unwrap();
    b.load(&module("export function run(s) { return 'c' + s; }")).unwrap();
    assert_eq!(b.call("4").unwrap(), "c4");
}

/// Declares one `#[test]` per shared test body, for one variant.
#[macro_export]
macro_rules! engine_tests {
    ($jitless:expr) => {
        $crate::engine_tests!(@each $jitless; descriptor, runs_fib_and_json, settles_async_run, top_level_await,
            syntax_error, exceptions, bad_modules_and_results, infinite_loop_times_out,
            memory_bomb_is_out_of_memory, host_callback, engine_memory, runtimes_side_by_side);
    };
    (@each $jitless:expr; $($name:ident),*) => {
        $(
            #[test]
            fn $name() {
                common::$name($jitless);
            }
        )*
    };
}
