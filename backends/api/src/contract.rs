//! The backend contract: what every [`JsBackend`] must do, as test cases
//! each backend crate runs against its real engine (behind the `contract`
//! cargo feature, for dev-dependencies).
//!
//! A backend crate's test binary declares one `#[test]` per case with
//! [`contract_tests!`](crate::contract_tests), given a [`Contract`]: how to
//! make the backend, and the few ways it may legitimately differ. The cases
//! cover correct output, a workload's wrong output (a value, not an error:
//! the harness judges outputs), syntax errors, exceptions with a stack, a
//! timeout that stops the call, a memory bomb, capabilities that are honest
//! (host callback, engine memory, promises), calls out of order, modules
//! without `run`, and runtimes side by side. Cases a backend's declared
//! capabilities rule out (no interrupt: no timeout case) check that the
//! capability is declared false and say that they skipped.
//!
//! The cases share a few module sources ([`MODES`], [`ASYNC`]): the wasm
//! component backend componentizes each distinct source once per machine
//! (cached by content hash), so few sources keep its tests fast.

use crate::{BackendError, BuildCosts, Capabilities, ErrorKind, JsBackend, Limits, WorkloadModule};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// One module, a behaviour per input `mode:arg`: `fib:N`, `echo:S` (the
/// string and its UTF-16 length), `json:{"items":[..]}`, `wrong:S`,
/// `throw:S` (a TypeError from a named function), `throw-value` (throws
/// 42), `parse:S` (`JSON.parse` at run time), `number` (returns 42),
/// `host:S` (the host callback, where there is one), `loop`, `bomb`.
pub const MODES: &str = r#"
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
function inner(s) { throw new TypeError('boom: ' + s); }
export function run(input) {
  const colon = input.indexOf(':');
  const mode = colon < 0 ? input : input.slice(0, colon);
  const arg = colon < 0 ? '' : input.slice(colon + 1);
  switch (mode) {
    case 'fib': return String(fib(Number(arg)));
    case 'echo': return arg + ':' + arg.length;
    case 'json': {
      const value = JSON.parse(arg);
      value.count = value.items.length;
      return JSON.stringify(value);
    }
    case 'wrong': return 'not ' + arg;
    case 'throw': inner(arg); return 'unreachable';
    case 'throw-value': throw 42;
    case 'parse': return JSON.parse(arg);
    case 'number': return 42;
    case 'host': return typeof jsbenchHost === 'function' ? jsbenchHost(arg) : 'no host: ' + typeof jsbenchHost;
    case 'loop': for (;;) {}
    case 'bomb': {
      const keep = [];
      for (;;) keep.push(new Array(1e5).fill(keep.length));
    }
    default: return 'unknown mode ' + mode;
  }
}
"#;

/// An async `run` awaiting 100 promises and a chained one; input `reject`
/// rejects with a RangeError.
pub const ASYNC: &str = r#"
const pause = () => Promise.resolve().then(() => Promise.resolve());
export async function run(input) {
  let sum = 0;
  for (let i = 0; i < 100; i++) sum += await Promise.resolve(i);
  await pause();
  if (input === 'reject') throw new RangeError('rejected after ' + sum);
  return input + ':' + sum;
}
"#;

/// A module that does not parse (the error is on line 2).
pub const SYNTAX_ERROR: &str = "export function run(input) {\n  return input +;\n}\n";

/// A module without a `run` export.
pub const NO_RUN: &str = "export const walk = 1;\n";

/// A module that throws while it is evaluated.
pub const THROWS_AT_LOAD: &str = "throw new TypeError('at load');\nexport function run() { return ''; }\n";

/// The timeout of the timeout case: long enough for a loaded machine to
/// start the call, short enough to wait for twice.
pub const TIMEOUT: Duration = Duration::from_millis(500);

/// The memory limit of the memory bomb case.
pub const MEMORY_LIMIT: u64 = 64 << 20;

/// A workload module called `name`.
pub fn module(name: &str, source: &str) -> WorkloadModule {
    WorkloadModule {
        name: name.to_string(),
        source: source.to_string(),
        path: None,
    }
}

/// The lock of [`prepare`] (uncontended for backends whose prepare is a
/// no-op).
fn prepare_lock() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// How to make the backend under test, and where it may differ.
pub struct Contract {
    make: Box<dyn Fn() -> Box<dyn JsBackend>>,
    error_names: bool,
    stacks: bool,
}

impl Contract {
    /// The contract of the backends `make` builds.
    pub fn new(make: impl Fn() -> Box<dyn JsBackend> + 'static) -> Contract {
        Contract {
            make: Box::new(make),
            error_names: true,
            stacks: true,
        }
    }

    /// The engine reports a thrown error's message without its name
    /// (`boom` rather than `TypeError: boom`).
    pub fn messages_without_error_names(self) -> Contract {
        Contract {
            error_names: false,
            ..self
        }
    }

    /// The engine gives no JavaScript stack with its exceptions.
    pub fn without_stacks(self) -> Contract {
        Contract { stacks: false, ..self }
    }

    /// A new backend, with nothing created.
    pub fn fresh(&self) -> Box<dyn JsBackend> {
        (self.make)()
    }

    /// A backend with `module` prepared, a runtime created with `limits`
    /// and the module loaded: the first error of those phases otherwise.
    pub fn ready(&self, module: &WorkloadModule, limits: &Limits) -> Result<Box<dyn JsBackend>, BackendError> {
        let mut backend = self.fresh();
        prepare(backend.as_mut(), module)?;
        backend.create(limits)?;
        backend.load(module)?;
        Ok(backend)
    }

    /// [`ready`](Contract::ready) with [`MODES`] and default limits,
    /// panicking on failure.
    pub fn modes(&self) -> Box<dyn JsBackend> {
        self.ready(&module("modes", MODES), &Limits::default())
            .unwrap_or_else(|e| panic!("{}: MODES did not load: {e}", self.name()))
    }

    /// The backend's name, for messages.
    pub fn name(&self) -> String {
        self.fresh().descriptor().name
    }

    fn capabilities(&self) -> Capabilities {
        self.fresh().descriptor().capabilities
    }

    fn skip(&self, case: &str, why: &str) {
        println!("{}: {case} skipped: {why}", self.name());
    }
}

/// `prepare` under a lock, so that parallel tests never componentize the
/// same source at once on a cold cache.
pub fn prepare(backend: &mut dyn JsBackend, module: &WorkloadModule) -> Result<Option<BuildCosts>, BackendError> {
    let _guard = prepare_lock();
    backend.prepare(module)
}

/// Unwraps an exception's message and stack, panicking with `what` on any
/// other outcome.
fn exception(result: Result<impl std::fmt::Debug, BackendError>, what: &str) -> (String, Option<String>) {
    match result {
        Err(BackendError::Exception { message, stack }) => (message, stack),
        other => panic!("{what}: expected an exception, got {other:?}"),
    }
}

/// Results are computed and strings cross the boundary intact, both ways,
/// many times in one runtime.
pub fn correct_output(c: &Contract) {
    let mut b = c.modes();
    assert_eq!(b.call("fib:20").unwrap(), "6765");
    assert_eq!(b.call("fib:10").unwrap(), "55");
    assert_eq!(b.call("echo:").unwrap(), ":0");
    // UTF-16 lengths: é is one unit, 😀 two.
    assert_eq!(b.call("echo:é😀").unwrap(), "é😀:3");
    let json = r#"{"items":[1,"two",{"three":3.5}],"name":"é😀"}"#;
    assert_eq!(
        b.call(&format!("json:{json}")).unwrap(),
        r#"{"items":[1,"two",{"three":3.5}],"name":"é😀","count":3}"#
    );
    let big = "ab€😀".repeat(50_000);
    let out = b.call(&format!("echo:{big}")).unwrap();
    assert_eq!(out.len(), big.len() + ":250000".len());
    assert!(out.starts_with(&big) && out.ends_with(":250000"));
    for _ in 0..200 {
        assert_eq!(b.call("fib:1").unwrap(), "1");
    }
}

/// A workload that returns the wrong thing is reported as that value, not
/// as an error: judging outputs is the harness's job.
pub fn wrong_output_is_a_value(c: &Contract) {
    let mut b = c.modes();
    assert_eq!(b.call("wrong:610").unwrap(), "not 610");
}

/// A module that does not parse is a syntax error; the backend is left
/// without a module (a call is an internal error) and takes a good one.
pub fn syntax_error(c: &Contract) {
    let bad = module("broken", SYNTAX_ERROR);
    let limits = Limits::default();
    let mut b = c.fresh();
    let error = prepare(b.as_mut(), &bad)
        .and_then(|_| b.create(&limits))
        .and_then(|()| b.load(&bad))
        .unwrap_err();
    match &error {
        BackendError::Syntax { message } => assert!(!message.is_empty()),
        other => panic!("expected a syntax error, got {other:?}"),
    }
    assert_eq!(b.call("echo:x").map_err(|e| e.kind()), Err(ErrorKind::Internal));
    let good = module("modes", MODES);
    prepare(b.as_mut(), &good).unwrap();
    b.create(&limits).unwrap();
    b.load(&good).unwrap();
    assert_eq!(b.call("echo:ab").unwrap(), "ab:2");
}

/// A SyntaxError thrown by running code is an exception, not a parse error.
pub fn runtime_syntax_error_is_an_exception(c: &Contract) {
    let mut b = c.modes();
    let (message, _) = exception(b.call("parse:{"), "JSON.parse('{')");
    assert!(message.contains("SyntaxError") || !c.error_names, "{message}");
}

/// An Error thrown in `run` is an exception with its message and (where
/// the engine gives one) the stack through the throwing function; any
/// other thrown value is an exception too; the runtime keeps working.
pub fn exception_with_stack(c: &Contract) {
    let mut b = c.modes();
    let (message, stack) = exception(b.call("throw:x"), "throw");
    if c.error_names {
        assert!(message.contains("TypeError: boom: x"), "{message}");
    } else {
        assert!(message.contains("boom: x"), "{message}");
    }
    if c.stacks {
        let stack = stack.unwrap_or_else(|| panic!("no stack with {message}"));
        assert!(stack.contains("inner"), "{stack}");
    }
    assert_eq!(b.call("echo:after").unwrap(), "after:5");
    let (message, _) = exception(b.call("throw-value"), "throw 42");
    assert!(message.contains("42"), "{message}");
    assert_eq!(b.call("echo:again").unwrap(), "again:5");
}

/// A throw while the module is evaluated is an exception.
pub fn exception_at_load(c: &Contract) {
    let (message, _) = exception(
        c.ready(&module("top", THROWS_AT_LOAD), &Limits::default()).map(drop),
        "throw at load",
    );
    assert!(message.contains("at load"), "{message}");
}

/// A module without `run`, and a `run` that returns a number, are
/// exceptions that say so.
pub fn bad_modules_and_results(c: &Contract) {
    let (message, _) = exception(
        c.ready(&module("norun", NO_RUN), &Limits::default()).map(drop),
        "no run",
    );
    assert!(message.contains("run"), "{message}");
    let mut b = c.modes();
    let (message, _) = exception(b.call("number"), "a number result");
    assert!(message.contains("string"), "{message}");
}

/// A call before a module is loaded is an internal error, not a crash.
pub fn call_before_load(c: &Contract) {
    let mut b = c.fresh();
    assert_eq!(b.call("echo:x").map_err(|e| e.kind()), Err(ErrorKind::Internal));
}

/// An endless loop is stopped at the call timeout (within a generous
/// multiple of it, never before most of it) with a typed timeout, twice,
/// and the backend answers the next call.
pub fn timeout(c: &Contract) {
    if !c.capabilities().interrupt {
        return c.skip("timeout", "the backend declares it cannot interrupt JavaScript");
    }
    let limits = Limits {
        call_timeout: TIMEOUT,
        ..Limits::default()
    };
    let mut b = c.ready(&module("modes", MODES), &limits).unwrap();
    assert_eq!(b.call("echo:warm").unwrap(), "warm:4");
    for _ in 0..2 {
        let started = Instant::now();
        let result = b.call("loop");
        let took = started.elapsed();
        assert_eq!(result, Err(BackendError::Timeout { limit: TIMEOUT }));
        assert!(
            took >= TIMEOUT.mul_f64(0.9) && took < TIMEOUT * 4,
            "stopped after {took:?} (limit {TIMEOUT:?})"
        );
        assert_eq!(b.call("echo:ok").unwrap(), "ok:2");
    }
}

/// A memory bomb ends in a typed out-of-memory error at the memory limit,
/// and a new runtime works afterwards.
pub fn memory_bomb(c: &Contract) {
    if !c.capabilities().memory_limit {
        return c.skip("memory bomb", "the backend declares no engine memory limit");
    }
    let limits = Limits {
        memory_limit: MEMORY_LIMIT,
        call_timeout: Duration::from_secs(60),
    };
    let modes = module("modes", MODES);
    let mut b = c.ready(&modes, &limits).unwrap();
    let error = b.call("bomb").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::OutOfMemory, "{error}");
    b.create(&limits).unwrap();
    b.load(&modes).unwrap();
    assert_eq!(b.call("echo:ab").unwrap(), "ab:2");
}

/// The host callback is there exactly when the backend declares it.
pub fn host_callback(c: &Contract) {
    let mut b = c.modes();
    let out = b.call("host:héllo😀").unwrap();
    if c.capabilities().host_callback {
        assert_eq!(out, crate::host_callback("héllo😀"));
    } else {
        assert_eq!(out, "no host: undefined");
    }
}

/// Engine memory is reported exactly when the backend declares it, and
/// only once a runtime exists.
pub fn engine_memory(c: &Contract) {
    assert_eq!(c.fresh().engine_memory(), None);
    let mut b = c.modes();
    assert_eq!(b.call("fib:15").unwrap(), "610");
    let memory = b.engine_memory();
    if c.capabilities().engine_memory {
        assert!(memory.is_some_and(|m| m > 0), "{memory:?}");
    } else {
        assert_eq!(memory, None);
    }
}

/// An async `run` is settled (through chained promises), a rejection is
/// an exception with its message, and the runtime keeps working.
pub fn async_run(c: &Contract) {
    if !c.capabilities().promises {
        return c.skip("async run", "the backend declares no promises");
    }
    let mut b = c.ready(&module("async", ASYNC), &Limits::default()).unwrap();
    assert_eq!(b.call("x").unwrap(), "x:4950");
    let (message, _) = exception(b.call("reject"), "a rejection");
    assert!(message.contains("rejected after 4950"), "{message}");
    if c.error_names {
        assert!(message.contains("RangeError"), "{message}");
    }
    assert_eq!(b.call("y").unwrap(), "y:4950");
}

/// Two runtimes live side by side, used and dropped in any order, and a
/// backend can create a new runtime and load another module.
pub fn runtimes_side_by_side(c: &Contract) {
    // The second runtime runs another module where it can, so a mix-up shows.
    let (second, answer): (&str, fn(&str) -> String) = if c.capabilities().promises {
        (ASYNC, |s| format!("{s}:4950"))
    } else {
        (MODES, |s| format!("unknown mode {s}"))
    };
    let mut a = c.modes();
    let mut b = c.ready(&module("second", second), &Limits::default()).unwrap();
    assert_eq!(a.call("echo:1").unwrap(), "1:1");
    assert_eq!(b.call("2").unwrap(), answer("2"));
    assert_eq!(a.call("wrong:3").unwrap(), "not 3");
    drop(a);
    assert_eq!(b.call("4").unwrap(), answer("4"));
    let modes = module("modes", MODES);
    prepare(b.as_mut(), &modes).unwrap();
    b.create(&Limits::default()).unwrap();
    b.load(&modes).unwrap();
    assert_eq!(b.call("echo:5").unwrap(), "5:1");
}

/// Declares one `#[test]` per contract case. The argument is an
/// `Option<Contract>`, evaluated in each test; `None` means the backend
/// cannot run on this machine (the expression says why), and the test
/// passes without checking anything.
#[macro_export]
macro_rules! contract_tests {
    ($contract:expr) => {
        $crate::contract_tests!(@each $contract; correct_output, wrong_output_is_a_value, syntax_error,
            runtime_syntax_error_is_an_exception, exception_with_stack, exception_at_load,
            bad_modules_and_results, call_before_load, timeout, memory_bomb, host_callback, engine_memory,
            async_run, runtimes_side_by_side);
    };
    // Each case holds `$lock` (a `Mutex<()>`), for an engine whose runtimes
    // must not be made on two threads at once.
    (lock = $lock:path, $contract:expr) => {
        $crate::contract_tests!(@locked $lock; $contract; correct_output, wrong_output_is_a_value, syntax_error,
            runtime_syntax_error_is_an_exception, exception_with_stack, exception_at_load,
            bad_modules_and_results, call_before_load, timeout, memory_bomb, host_callback, engine_memory,
            async_run, runtimes_side_by_side);
    };
    (@locked $lock:path; $contract:expr; $($case:ident),*) => {
        $(
            #[test]
            fn $case() {
                let _serial = $lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                let contract: ::std::option::Option<$crate::contract::Contract> = $contract;
                if let ::std::option::Option::Some(contract) = contract {
                    $crate::contract::$case(&contract);
                }
            }
        )*
    };
    (@each $contract:expr; $($case:ident),*) => {
        $(
            #[test]
            fn $case() {
                let contract: ::std::option::Option<$crate::contract::Contract> = $contract;
                if let ::std::option::Option::Some(contract) = contract {
                    $crate::contract::$case(&contract);
                }
            }
        )*
    };
}
