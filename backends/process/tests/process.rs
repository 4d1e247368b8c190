//! Every backend of the crate against its real runtime: the backend
//! contract (`jsbench_api::contract`: results, promises, each error kind,
//! timeouts, memory), then what is the process backends' own: children,
//! crashes, reaping and recovery. Deno and Bun backends print
//! `unavailable: …` and pass when their runtime is not installed.

mod common;

use common::{assert_reaped, backend, cpu_ticks, limits, module};
use jsbench_api::contract::{self, Contract};
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

/// The contract of the backend called `name`, `None` when its runtime is
/// missing here (see [`backend`]).
fn contract(name: &'static str) -> Option<Contract> {
    backend(name)?;
    Some(Contract::new(move || {
        Box::new(ProcessBackend::from_name(name).expect("a known backend name"))
    }))
}

fn ready(name: &str, source: &str, timeout: Duration) -> Option<ProcessBackend> {
    let mut backend = backend(name)?;
    backend.create(&limits(timeout)).expect("create");
    backend.load(&module("test", source)).expect("load");
    Some(backend)
}

fn round_trip_and_descriptor(name: &str) {
    let Some(mut backend) = ready(name, ECHO, Duration::from_secs(10)) else {
        return;
    };
    assert_eq!(backend.call("héllo").expect("call"), "olléh:5");
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

fn host_timers_settle_promises(name: &str) {
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
}

fn syntax_errors_hide_the_temporary_path(name: &str) {
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
            assert!(
                !message.contains("jsbench-process-"),
                "temporary path leaked: {message}"
            );
            println!("{name} syntax error: {message}");
        }
        other => panic!("{name}: expected a syntax error, got {other:?}"),
    }
}

fn exception_details(name: &str) {
    let Some(mut backend) = ready(
        name,
        "export function run(s) { throw new Error(`boom: ${s}`); }",
        Duration::from_secs(10),
    ) else {
        return;
    };
    match backend.call("x") {
        Err(BackendError::Exception { stack, .. }) => {
            assert!(stack.is_some_and(|s| s.contains("boom: x")), "{name}: no stack");
        }
        other => panic!("{name}: expected an exception, got {other:?}"),
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

fn timeout_replaces_the_child(name: &str) {
    let limit = Duration::from_millis(500);
    let Some(mut backend) = ready(name, MISCHIEF, limit) else {
        return;
    };
    assert_eq!(backend.call("warm").expect("call"), "ok:warm");
    let pid = backend.child_pid().expect("a child");
    assert_eq!(backend.call("hang"), Err(BackendError::Timeout { limit }), "{name}");
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

fn load_after_out_of_memory(name: &str) {
    let Some(mut backend) = backend(name) else {
        return;
    };
    if !backend.descriptor().capabilities.memory_limit {
        println!("{name}: no engine memory limit to test");
        return;
    }
    let limits = jsbench_api::Limits {
        call_timeout: Duration::from_secs(60),
        memory_limit: contract::MEMORY_LIMIT,
    };
    backend.create(&limits).expect("create");
    backend.load(&module("modes", contract::MODES)).expect("load");
    match backend.call("bomb") {
        Err(BackendError::OutOfMemory { message }) => println!("{name} out of memory: {message}"),
        other => panic!("{name}: expected out of memory, got {other:?}"),
    }
    // The same backend, without a new create: a fresh child takes a module.
    backend.load(&module("echo", ECHO)).expect("load after OOM");
    assert_eq!(backend.call("ab").expect("call"), "ba:2");
}

macro_rules! backend_tests {
    ($($module:ident => $name:literal),* $(,)?) => {$(
        mod $module {
            /// What every backend must do.
            mod contract {
                jsbench_api::contract_tests!(super::super::contract($name));
            }
            #[test]
            fn round_trip_and_descriptor() { super::round_trip_and_descriptor($name) }
            #[test]
            fn host_timers_settle_promises() { super::host_timers_settle_promises($name) }
            #[test]
            fn syntax_errors_hide_the_temporary_path() { super::syntax_errors_hide_the_temporary_path($name) }
            #[test]
            fn exception_details() { super::exception_details($name) }
            #[test]
            fn timeout_replaces_the_child() { super::timeout_replaces_the_child($name) }
            #[test]
            fn crash() { super::crash($name) }
            #[test]
            fn load_after_out_of_memory() { super::load_after_out_of_memory($name) }
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
