//! Every backend of the crate against its real runtime: results, promises,
//! each error kind, timeouts, crashes and recovery. Deno and Bun backends
//! print `unavailable: …` and pass when their runtime is not installed.

mod common;

use common::{assert_reaped, backend, cpu_ticks, limits, module};
use jsbench_api::{BackendError, BackendKind, ErrorKind, JsBackend, WorkloadModule};
use jsbench_process::ProcessBackend;
use std::time::{Duration, Instant};

const ECHO: &str = r#"
export function run(input) {
  return [...input].reverse().join("") + ":" + input.length;
}
"#;

/// `hang` loops forever, `exit` ends the process, `spin` loops until killed.
const MISCHIEF: &str = r#"
export function run(input) {
  if (input === "hang" || input === "spin") for (;;) {}
  if (input === "exit") globalThis.process.exit(3);
  return "ok:" + input;
}
"#;

fn ready(name: &str, source: &str, timeout: Duration) -> Option<ProcessBackend> {
    let mut backend = backend(name)?;
    backend.create(&limits(timeout)).expect("create");
    backend.load(&module("test", source)).expect("load");
    Some(backend)
}

fn output(name: &str) {
    let Some(mut backend) = ready(name, ECHO, Duration::from_secs(10)) else {
        return;
    };
    assert_eq!(backend.call("héllo").expect("call"), "olléh:5");
    assert_eq!(backend.call("").expect("empty input"), ":0");
    let big = "ab€😀".repeat(50_000);
    let out = backend.call(&big).expect("big call");
    assert!(out.ends_with(":250000"), "{}", &out[out.len() - 20..]);
    backend.noop_round_trip().expect("noop");
    let descriptor = backend.descriptor();
    assert_eq!(descriptor.name, name);
    assert_eq!(descriptor.kind, BackendKind::OutOfProcess);
    assert!(
        descriptor.engine_version.starts_with(|c: char| c.is_ascii_digit()),
        "{descriptor:?}"
    );
    assert!(descriptor.capabilities.interrupt && descriptor.capabilities.promises);
    let peak = backend.engine_memory().expect("peak RSS of the child");
    assert!(peak > 1 << 20, "peak RSS {peak}");
    // A second module replaces the first in the same child.
    backend
        .load(&module("test", "export const run = (s) => `second ${s}`;"))
        .expect("second load");
    assert_eq!(backend.call("x").expect("call"), "second x");
}

fn promises(name: &str) {
    let source = r#"
export async function run(input) {
  const a = await Promise.resolve(input);
  const b = await new Promise((resolve) => setTimeout(() => resolve(a.toUpperCase()), 1));
  return `${a}/${b}`;
}
"#;
    let Some(mut backend) = ready(name, source, Duration::from_secs(10)) else {
        return;
    };
    assert_eq!(backend.call("abc").expect("async call"), "abc/ABC");
    let rejecting = "export async function run(s) { await null; throw new RangeError(`no ${s}`); }";
    backend.load(&module("reject", rejecting)).expect("load");
    match backend.call("way") {
        Err(BackendError::Exception { message, .. }) => assert!(message.contains("RangeError: no way"), "{message}"),
        other => panic!("{name}: expected an exception, got {other:?}"),
    }
}

fn syntax_error(name: &str) {
    let Some(mut backend) = backend(name) else {
        return;
    };
    backend.create(&limits(Duration::from_secs(10))).expect("create");
    let broken = WorkloadModule {
        path: Some("workloads/broken.js".into()),
        ..module("broken", "export function run(input) {\n  return input +;\n}\n")
    };
    match backend.load(&broken) {
        Err(BackendError::Syntax { message }) => {
            assert!(!message.is_empty());
            assert!(
                !message.contains("jsbench-process-"),
                "temporary path leaked: {message}"
            );
            println!("{name} syntax error: {message}");
        }
        other => panic!("{name}: expected a syntax error, got {other:?}"),
    }
    assert_eq!(
        backend.call("x").map_err(|e| e.kind()),
        Err(ErrorKind::Internal),
        "no module is loaded"
    );
    backend
        .load(&module("echo", ECHO))
        .expect("a good module after a bad one");
    assert_eq!(backend.call("ab").expect("call"), "ba:2");
}

fn exceptions(name: &str) {
    let Some(mut backend) = ready(
        name,
        "export function run(s) { throw new Error(`boom: ${s}`); }",
        Duration::from_secs(10),
    ) else {
        return;
    };
    match backend.call("x") {
        Err(BackendError::Exception { message, stack }) => {
            assert!(message.contains("boom: x"), "{message}");
            assert!(stack.is_some_and(|s| s.contains("boom: x")), "{name}: no stack");
        }
        other => panic!("{name}: expected an exception, got {other:?}"),
    }
    match backend.call("y") {
        Err(BackendError::Exception { message, .. }) => assert!(message.contains("boom: y")),
        other => panic!("{name}: the child should still answer, got {other:?}"),
    }
    match backend.load(&module(
        "top",
        "throw new TypeError('at load');\nexport function run() { return ''; }",
    )) {
        Err(BackendError::Exception { message, .. }) => assert!(message.contains("at load"), "{message}"),
        other => panic!("{name}: a throw while importing is an exception, got {other:?}"),
    }
    backend
        .load(&module("number", "export function run() { return 42; }"))
        .expect("load");
    match backend.call("x") {
        Err(BackendError::Exception { message, .. }) => assert!(message.contains("not a string"), "{message}"),
        other => panic!("{name}: a number result is an error, got {other:?}"),
    }
    match backend.load(&module("norun", "export const walk = 1;")) {
        Err(BackendError::Exception { message, .. }) => assert!(message.contains("run"), "{message}"),
        other => panic!("{name}: a module without run is an error, got {other:?}"),
    }
    match backend
        .load(&module("primitive", "export function run() { throw 'plain'; }"))
        .and_then(|()| backend.call(""))
    {
        Err(BackendError::Exception { message, stack }) => {
            assert_eq!(message, "plain");
            assert_eq!(stack, None);
        }
        other => panic!("{name}: expected an exception, got {other:?}"),
    }
}

fn timeout(name: &str) {
    let limit = Duration::from_millis(500);
    let Some(mut backend) = ready(name, MISCHIEF, limit) else {
        return;
    };
    assert_eq!(backend.call("warm").expect("call"), "ok:warm");
    let pid = backend.child_pid().expect("a child");
    let start = Instant::now();
    let result = backend.call("hang");
    let took = start.elapsed();
    assert_eq!(result, Err(BackendError::Timeout { limit }), "{name}");
    assert!(took < 2 * limit, "{name}: the timeout took {took:?}");
    assert!(backend.child_pid().is_none(), "the hung child is gone");
    assert_reaped(pid);
    // A fresh child with the module loaded again.
    assert_eq!(backend.call("after").expect("call after a timeout"), "ok:after");
    assert_ne!(backend.child_pid(), Some(pid));
    // And a create after a timeout works too.
    assert_eq!(backend.call("hang").map_err(|e| e.kind()), Err(ErrorKind::Timeout));
    backend.create(&limits(limit)).expect("create after a timeout");
    backend.load(&module("echo", ECHO)).expect("load");
    assert_eq!(backend.call("ab").expect("call"), "ba:2");
}

fn crash(name: &str) {
    let Some(mut backend) = ready(name, MISCHIEF, Duration::from_secs(20)) else {
        return;
    };
    let mut pids = Vec::new();
    // The workload ends its own process.
    pids.push(backend.child_pid().expect("a child"));
    match backend.call("exit") {
        Err(BackendError::Crashed(message)) => assert!(message.contains("exited with code 3"), "{message}"),
        other => panic!("{name}: expected a crash, got {other:?}"),
    }
    assert_eq!(backend.call("next").expect("next call"), "ok:next");

    // Killed from outside in the middle of a call: a thread waits until the
    // child is burning CPU in `spin`, then sends SIGKILL.
    let pid = backend.child_pid().expect("a child");
    pids.push(pid);
    let baseline = cpu_ticks(pid).expect("child stat");
    let killer = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            match cpu_ticks(pid) {
                Some(ticks) if ticks >= baseline + 5 => break,
                Some(_) => std::thread::sleep(Duration::from_millis(5)),
                None => return,
            }
        }
        let status = std::process::Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
        assert!(status.is_ok_and(|s| s.success()), "kill failed");
    });
    let result = backend.call("spin");
    killer.join().expect("killer thread");
    match result {
        Err(BackendError::Crashed(message)) => assert!(message.contains("signal 9"), "{message}"),
        other => panic!("{name}: expected a crash, got {other:?}"),
    }
    assert_eq!(backend.call("again").expect("call after a kill"), "ok:again");

    // A fresh create after a crash.
    pids.push(backend.child_pid().expect("a child"));
    backend.create(&limits(Duration::from_secs(20))).expect("create");
    backend.load(&module("echo", ECHO)).expect("load");
    assert_eq!(backend.call("ab").expect("call"), "ba:2");
    pids.push(backend.child_pid().expect("a child"));
    drop(backend);
    for pid in pids {
        assert_reaped(pid);
    }
}

fn out_of_memory(name: &str) {
    let Some(mut backend) = backend(name) else {
        return;
    };
    if !backend.descriptor().capabilities.memory_limit {
        println!("{name}: no engine memory limit to test");
        return;
    }
    let limits = jsbench_api::Limits {
        call_timeout: Duration::from_secs(60),
        memory_limit: 48 << 20,
    };
    backend.create(&limits).expect("create");
    let hog = "export function run() { const keep = []; for (;;) keep.push(new Array(1e5).fill(keep.length)); }";
    backend.load(&module("hog", hog)).expect("load");
    match backend.call("") {
        Err(BackendError::OutOfMemory { message }) => println!("{name} out of memory: {message}"),
        other => panic!("{name}: expected out of memory, got {other:?}"),
    }
    backend.load(&module("echo", ECHO)).expect("load after OOM");
    assert_eq!(backend.call("ab").expect("call"), "ba:2");
}

macro_rules! backend_tests {
    ($($module:ident => $name:literal),* $(,)?) => {$(
        mod $module {
            #[test]
            fn output() { super::output($name) }
            #[test]
            fn promises() { super::promises($name) }
            #[test]
            fn syntax_error() { super::syntax_error($name) }
            #[test]
            fn exceptions() { super::exceptions($name) }
            #[test]
            fn timeout() { super::timeout($name) }
            #[test]
            fn crash() { super::crash($name) }
            #[test]
            fn out_of_memory() { super::out_of_memory($name) }
        }
    )*};
}

backend_tests! {
    node_http => "node-http",
    node_pipe => "node-pipe",
    deno_http => "deno-http",
    deno_pipe => "deno-pipe",
    bun_http => "bun-http",
    bun_pipe => "bun-pipe",
}
