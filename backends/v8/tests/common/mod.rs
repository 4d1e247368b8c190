//! V8-specific engine tests shared by the JIT and jitless test binaries
//! (each binary is its own process, and a process runs only one V8
//! variant). What every backend must do is the backend contract
//! (`jsbench_api::contract`), which both binaries run first; these are
//! V8's own messages, flags and limits on top of it.

use jsbench_api::{BackendError, ErrorKind, JsBackend, Limits, WorkloadModule};
use jsbench_v8::V8Backend;
use std::time::Duration;

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

pub fn never_settling_promise(jitless: bool) {
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

pub fn syntax_error_has_a_location(jitless: bool) {
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
}

pub fn exception_messages_are_exact(jitless: bool) {
    let mut b = loaded(
        jitless,
        "function inner() { throw new TypeError('boom'); }\nexport function run() { inner(); }",
        Limits::default(),
    )
    .unwrap();
    match b.call("").unwrap_err() {
        BackendError::Exception { message, .. } => assert_eq!(message, "TypeError: boom"),
        other => panic!("expected an exception, got {other:?}"),
    }
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
}

pub fn loops_in_async_and_module_code_time_out(jitless: bool) {
    let limits = Limits {
        call_timeout: Duration::from_millis(500),
        ..Limits::default()
    };
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

pub fn out_of_memory_retires_the_runtime(jitless: bool) {
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
    // The runtime is retired: every later call says so.
    assert_eq!(b.call("").unwrap_err().kind(), ErrorKind::OutOfMemory);
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

pub fn engine_memory_grows_with_the_heap(jitless: bool) {
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
}

/// Declares one `#[test]` per shared test body, for one variant.
#[macro_export]
macro_rules! engine_tests {
    ($jitless:expr) => {
        $crate::engine_tests!(@each $jitless; descriptor, never_settling_promise, top_level_await,
            syntax_error_has_a_location, exception_messages_are_exact, bad_modules_and_results,
            loops_in_async_and_module_code_time_out, out_of_memory_retires_the_runtime, host_callback,
            engine_memory_grows_with_the_heap);
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
