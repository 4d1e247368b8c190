//! [`V8Backend`]: the `JsBackend` phases on one V8 isolate and context.
//!
//! The isolate is *entered* (made the thread's current isolate) only while a
//! phase runs, and exited in between. `rusty_v8` leaves an isolate entered
//! from creation to drop, which ties several runtimes on one thread to a
//! strict creation/drop order and makes only the newest one usable; entering
//! per phase lets any number of backends live side by side on a thread.

use crate::convert::{Failure, caught, end_phase, exception_error, string_result, syntax_error};
use crate::platform::{self, init_process};
use crate::watchdog::Watchdog;
use jsbench_api::{
    BackendError, BackendKind, Bytes, Capabilities, Descriptor, HOST_CALLBACK_NAME, JsBackend, Limits, WorkloadModule,
};
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, Ordering};

/// Backend name of the JIT variant.
pub const NAME_JIT: &str = "v8";
/// Backend name of the `--jitless` variant.
pub const NAME_JITLESS: &str = "v8-jitless";

/// Heap growth granted when the near-heap-limit callback fires: enough for V8
/// to unwind the terminated script instead of aborting the process.
const OOM_HEADROOM_MIN: usize = 16 << 20;

/// V8 through the `v8` crate, with or without its JIT.
pub struct V8Backend {
    jitless: bool,
    runtime: Option<Runtime>,
}

impl V8Backend {
    /// The `v8` backend (JIT enabled, V8's defaults).
    pub fn jit() -> Self {
        Self::new(false)
    }

    /// The `v8-jitless` backend (`--jitless`: interpreter only).
    pub fn jitless() -> Self {
        Self::new(true)
    }

    /// A backend without a runtime yet; `create` makes one. The process must
    /// be (or will be, in `create`) initialised with the same `jitless`.
    pub fn new(jitless: bool) -> Self {
        V8Backend { jitless, runtime: None }
    }

    /// The `v8` backend, boxed, as a [`jsbench_api::BackendFactory`].
    pub fn boxed_jit() -> Box<dyn JsBackend> {
        Box::new(Self::jit())
    }

    /// The `v8-jitless` backend, boxed, as a [`jsbench_api::BackendFactory`].
    pub fn boxed_jitless() -> Box<dyn JsBackend> {
        Box::new(Self::jitless())
    }

    fn runtime(&mut self, what: &str) -> Result<&mut Runtime, BackendError> {
        usable(&mut self.runtime, what)
    }
}

/// The runtime, if there is one that may still run JavaScript.
pub(crate) fn usable<'r>(runtime: &'r mut Option<Runtime>, what: &str) -> Result<&'r mut Runtime, BackendError> {
    let runtime = runtime.as_mut().ok_or_else(|| jsbench_api::not_ready(what))?;
    if runtime.out_of_memory {
        return Err(BackendError::OutOfMemory {
            message: format!(
                "this V8 runtime ran out of memory earlier (limit {} bytes); create a new one",
                runtime.limits.memory_limit
            ),
        });
    }
    Ok(runtime)
}

/// One isolate, its context and the loaded `run` function.
///
/// Field order is drop order: the handles go before the isolate, and the
/// callback state after it.
pub(crate) struct Runtime {
    pub(crate) run: Option<v8::Global<v8::Function>>,
    context: v8::Global<v8::Context>,
    watchdog: Watchdog,
    isolate: v8::OwnedIsolate,
    /// Read by the near-heap-limit callback through a raw pointer, so it is
    /// boxed (a stable address) and outlives the isolate.
    heap: Box<HeapGuard>,
    limits: Limits,
    /// Set after an out-of-memory: the heap may still be full of live data,
    /// and its limit was raised to let V8 unwind, so the isolate is retired.
    out_of_memory: bool,
}

impl Drop for Runtime {
    fn drop(&mut self) {
        // `OwnedIsolate`'s drop requires it to be the current isolate.
        // SAFETY: the isolate is alive; its drop exits it again.
        unsafe { self.isolate.enter() };
    }
}

/// State shared with the near-heap-limit callback.
struct HeapGuard {
    hit: AtomicBool,
    isolate: v8::IsolateHandle,
}

/// Called by V8 when the heap nears its limit: stop the script and give V8
/// room to unwind, instead of letting it abort the whole process.
unsafe extern "C" fn near_heap_limit(data: *mut c_void, current_heap_limit: usize, _initial: usize) -> usize {
    // SAFETY: `data` is the `HeapGuard` boxed in the `Runtime`, which outlives
    // the isolate that calls this.
    let guard = unsafe { &*(data as *const HeapGuard) };
    guard.hit.store(true, Ordering::SeqCst);
    guard.isolate.terminate_execution();
    current_heap_limit.saturating_add((current_heap_limit / 4).max(OOM_HEADROOM_MIN))
}

/// Keeps the isolate current for the length of one phase; exits it when
/// dropped, on every path out of the phase.
struct Entered<'a>(&'a mut v8::OwnedIsolate);

impl Drop for Entered<'_> {
    fn drop(&mut self) {
        // SAFETY: entered in `entered` on this thread; the phase's scopes
        // borrowed the isolate through this guard, so they are gone.
        unsafe { self.0.exit() };
    }
}

/// Runs `phase` with the isolate entered.
fn entered<R>(isolate: &mut v8::OwnedIsolate, phase: impl FnOnce(&mut v8::OwnedIsolate) -> R) -> R {
    // SAFETY: the isolate is alive; the guard exits it.
    unsafe { isolate.enter() };
    let guard = Entered(isolate);
    phase(&mut *guard.0)
}

impl Runtime {
    /// A runtime of the plain `v8` kind: a new isolate and context.
    pub(crate) fn new(limits: &Limits) -> Result<Self, BackendError> {
        Self::with(limits, |params| params, new_context)
    }

    /// A runtime whose isolate is made with `params` (given the heap
    /// limits) and whose context `context` makes.
    pub(crate) fn with(
        limits: &Limits,
        params: impl FnOnce(v8::CreateParams) -> v8::CreateParams,
        context: impl FnOnce(&mut v8::OwnedIsolate) -> Result<v8::Global<v8::Context>, BackendError>,
    ) -> Result<Self, BackendError> {
        let max_heap = usize::try_from(limits.memory_limit).unwrap_or(usize::MAX);
        let params = params(v8::CreateParams::default().heap_limits(0, max_heap));
        // The new isolate is entered; it is exited at the end (or dropped,
        // still current, on error).
        let mut isolate = v8::Isolate::new(params);
        // Microtasks run only at our checkpoints, so a call's promise jobs
        // are part of that call.
        isolate.set_microtasks_policy(v8::MicrotasksPolicy::Explicit);
        let heap = Box::new(HeapGuard {
            hit: AtomicBool::new(false),
            isolate: isolate.thread_safe_handle(),
        });
        let heap_ptr: *const HeapGuard = &*heap;
        isolate.add_near_heap_limit_callback(near_heap_limit, heap_ptr as *mut c_void);
        let started = Watchdog::start(isolate.thread_safe_handle())
            .map_err(|e| BackendError::Internal(format!("cannot start the V8 watchdog thread: {e}")))
            .and_then(|watchdog| Ok((watchdog, context(&mut isolate)?)));
        let (watchdog, context) = match started {
            Ok(parts) => parts,
            Err(e) => {
                // The isolate goes first: its callback reads `heap`.
                drop(isolate);
                drop(heap);
                return Err(e);
            }
        };
        // SAFETY: entered by `Isolate::new` on this thread; phases re-enter.
        unsafe { isolate.exit() };
        Ok(Runtime {
            run: None,
            context,
            watchdog,
            isolate,
            heap,
            limits: *limits,
            out_of_memory: false,
        })
    }

    /// Runs a phase of JavaScript under the call timeout and maps
    /// termination to `Timeout` or `OutOfMemory`.
    pub(crate) fn run_timed<R>(
        &mut self,
        phase: impl FnOnce(&mut v8::OwnedIsolate, &v8::Global<v8::Context>) -> Result<R, Failure>,
    ) -> Result<R, BackendError> {
        self.watchdog.arm(self.limits.call_timeout);
        let context = &self.context;
        let outcome = entered(&mut self.isolate, |isolate| phase(isolate, context));
        let fired = self.watchdog.disarm();
        let oom = self.heap.hit.load(Ordering::SeqCst);
        self.out_of_memory |= oom;
        end_phase(outcome, fired, oom, &self.heap.isolate, &self.limits)
    }
}

/// A context with the host callback installed.
pub(crate) fn new_context(isolate: &mut v8::OwnedIsolate) -> Result<v8::Global<v8::Context>, BackendError> {
    v8::scope!(let scope, isolate);
    let context = v8::Context::new(scope, Default::default());
    let scope = &mut v8::ContextScope::new(scope, context);
    let name = v8::String::new(scope, HOST_CALLBACK_NAME)
        .ok_or_else(|| BackendError::Internal("cannot allocate a V8 string".into()))?;
    let host = v8::Function::new(scope, host_function)
        .ok_or_else(|| BackendError::Internal(format!("cannot create `{HOST_CALLBACK_NAME}`")))?;
    context
        .global(scope)
        .set(scope, name.into(), host.into())
        .ok_or_else(|| BackendError::Internal(format!("cannot install `{HOST_CALLBACK_NAME}`")))?;
    install_console(scope, context)?;
    Ok(v8::Global::new(scope, context))
}

/// The harness's `console` (see [`jsbench_api::CONSOLE_PRELUDE`]), in place
/// of V8's own, whose output goes nowhere without an inspector.
fn install_console(scope: &mut v8::PinScope, context: v8::Local<v8::Context>) -> Result<(), BackendError> {
    let failed = || BackendError::Internal("cannot install the console".into());
    let name = v8::String::new(scope, jsbench_api::CONSOLE_PRINT_NAME).ok_or_else(failed)?;
    let print = v8::Function::new(scope, print_function).ok_or_else(failed)?;
    context
        .global(scope)
        .set(scope, name.into(), print.into())
        .ok_or_else(failed)?;
    let source = v8::String::new(scope, jsbench_api::CONSOLE_PRELUDE).ok_or_else(failed)?;
    let script = v8::Script::compile(scope, source, None).ok_or_else(failed)?;
    script.run(scope).ok_or_else(failed)?;
    Ok(())
}

/// The native side of the console: one line on stderr.
pub(crate) fn print_function(
    scope: &mut v8::PinScope,
    args: v8::FunctionCallbackArguments,
    _rv: v8::ReturnValue<v8::Value>,
) {
    if let Some(line) = args.get(0).to_string(scope) {
        jsbench_api::console_print(&line.to_rust_string_lossy(scope));
    }
}

/// `jsbenchHost(s)`: the harness's host function, on `String(s)`.
pub(crate) fn host_function(
    scope: &mut v8::PinScope,
    args: v8::FunctionCallbackArguments,
    mut rv: v8::ReturnValue<v8::Value>,
) {
    // `to_string` returns None only with an exception pending (e.g. a
    // Symbol); returning lets it propagate to the caller.
    let Some(arg) = args.get(0).to_string(scope) else {
        return;
    };
    let out = jsbench_api::host_callback(&arg.to_rust_string_lossy(scope));
    if let Some(out) = v8::String::new(scope, &out) {
        rv.set(out.into());
    }
}

/// Rejects every `import`: workloads are single self-contained modules.
fn reject_import<'s>(
    context: v8::Local<'s, v8::Context>,
    specifier: v8::Local<'s, v8::String>,
    _import_attributes: v8::Local<'s, v8::FixedArray>,
    _referrer: v8::Local<'s, v8::Module>,
) -> Option<v8::Local<'s, v8::Module>> {
    // SAFETY: called by V8 during instantiation, in `context`.
    v8::callback_scope!(unsafe scope, context);
    let text = format!(
        "imports are not supported: workload modules must be self-contained (import of '{}')",
        specifier.to_rust_string_lossy(scope)
    );
    if let Some(text) = v8::String::new(scope, &text) {
        let error = v8::Exception::error(scope, text);
        scope.throw_exception(error);
    }
    None
}

fn alloc_error(what: &str) -> Failure {
    Failure::Error(BackendError::Internal(format!(
        "cannot allocate a V8 string for {what} (too long?)"
    )))
}

/// Compiles, instantiates and evaluates the module; returns its `run`.
fn load_module(
    isolate: &mut v8::OwnedIsolate,
    context: &v8::Global<v8::Context>,
    module: &WorkloadModule,
) -> Result<v8::Global<v8::Function>, Failure> {
    v8::scope!(let scope, isolate);
    let context = v8::Local::new(scope, context);
    let scope = &mut v8::ContextScope::new(scope, context);
    v8::tc_scope!(let tc, scope);

    let mut source = module_source(tc, module, None)?;
    let Some(compiled) = v8::script_compiler::compile_module(tc, &mut source) else {
        return Err(syntax_error(tc));
    };
    let run = run_export(tc, compiled, module)?;
    Ok(v8::Global::new(tc, run))
}

/// The module's source with its origin (the file, else the workload's
/// name), with a code cache to consume when `cached` is given.
pub(crate) fn module_source(
    tc: &mut v8::PinnedRef<'_, v8::TryCatch<'_, '_, v8::HandleScope<'_>>>,
    module: &WorkloadModule,
    cached: Option<&[u8]>,
) -> Result<v8::script_compiler::Source, Failure> {
    let source = v8::String::new(tc, &module.source).ok_or_else(|| alloc_error("the module source"))?;
    let name = match &module.path {
        Some(path) => path.display().to_string(),
        None => module.name.clone(),
    };
    let name = v8::String::new(tc, &name).ok_or_else(|| alloc_error("the module name"))?;
    let origin = v8::ScriptOrigin::new(tc, name.into(), 0, 0, false, 0, None, false, false, true, None);
    Ok(match cached {
        Some(bytes) => v8::script_compiler::Source::new_with_cached_data(
            source,
            Some(&origin),
            v8::script_compiler::CachedData::new(bytes),
        ),
        None => v8::script_compiler::Source::new(source, Some(&origin)),
    })
}

/// Instantiates and evaluates a compiled module (settling a top-level
/// await); returns its `run` export.
pub(crate) fn run_export<'s>(
    tc: &mut v8::PinnedRef<'_, v8::TryCatch<'_, 's, v8::HandleScope<'_>>>,
    compiled: v8::Local<'s, v8::Module>,
    module: &WorkloadModule,
) -> Result<v8::Local<'s, v8::Function>, Failure> {
    if compiled.instantiate_module(tc, reject_import) != Some(true) {
        return Err(caught(tc));
    }
    let Some(completion) = compiled.evaluate(tc) else {
        return Err(caught(tc));
    };
    // With top-level await the completion is a promise to settle.
    settle(tc, completion)?;
    if compiled.get_status() == v8::ModuleStatus::Errored {
        let exception = compiled.get_exception();
        return Err(Failure::Error(exception_error(tc, exception)));
    }

    let missing = || {
        Failure::Error(BackendError::Exception {
            message: format!("module `{}` does not export a function named `run`", module.name),
            stack: None,
        })
    };
    let namespace = v8::Local::<v8::Object>::try_from(compiled.get_module_namespace()).map_err(|_| missing())?;
    let key = v8::String::new(tc, "run").ok_or_else(|| alloc_error("`run`"))?;
    let Some(run) = namespace.get(tc, key.into()) else {
        return Err(caught(tc));
    };
    v8::Local::<v8::Function>::try_from(run).map_err(|_| missing())
}

/// Calls `run(input)` and settles a returned promise.
fn call_run(
    isolate: &mut v8::OwnedIsolate,
    context: &v8::Global<v8::Context>,
    run: &v8::Global<v8::Function>,
    input: &str,
) -> Result<String, Failure> {
    v8::scope!(let scope, isolate);
    let context = v8::Local::new(scope, context);
    let scope = &mut v8::ContextScope::new(scope, context);
    v8::tc_scope!(let tc, scope);

    let run = v8::Local::new(tc, run);
    let input = v8::String::new(tc, input).ok_or_else(|| alloc_error("the input"))?;
    let receiver = v8::undefined(tc);
    let Some(result) = run.call(tc, receiver.into(), &[input.into()]) else {
        return Err(caught(tc));
    };
    let result = settle(tc, result)?;
    Ok(string_result(tc, result)?)
}

/// Runs microtasks (and pending platform tasks) until `value`, if it is a
/// promise, settles; returns the fulfilled value.
fn settle<'s>(
    tc: &mut v8::PinnedRef<'_, v8::TryCatch<'_, 's, v8::HandleScope<'_>>>,
    value: v8::Local<'s, v8::Value>,
) -> Result<v8::Local<'s, v8::Value>, Failure> {
    let Ok(promise) = v8::Local::<v8::Promise>::try_from(value) else {
        return Ok(value);
    };
    loop {
        match promise.state() {
            v8::PromiseState::Fulfilled => return Ok(promise.result(tc)),
            v8::PromiseState::Rejected => {
                let reason = promise.result(tc);
                return Err(Failure::Error(exception_error(tc, reason)));
            }
            v8::PromiseState::Pending => {
                tc.perform_microtask_checkpoint();
                if tc.has_terminated() || tc.is_execution_terminating() {
                    return Err(Failure::Terminated);
                }
                if promise.state() == v8::PromiseState::Pending && !platform::pump_one_task(tc) {
                    return Err(Failure::Error(BackendError::Exception {
                        message: "run returned a Promise that can never settle (no jobs are pending)".into(),
                        stack: None,
                    }));
                }
            }
        }
    }
}

/// The descriptor of a backend on this V8 (the plain ones and the tuned
/// variants): `name`, with or without the JIT, and what the variant adds
/// to the flags.
pub(crate) fn descriptor(name: &str, jitless: bool, extra_flag: Option<&str>) -> Descriptor {
    let mut flags = platform::flags(jitless);
    flags.extend(extra_flag.map(str::to_string));
    Descriptor {
        name: name.into(),
        engine: "V8".into(),
        engine_version: platform::v8_version().into(),
        kind: BackendKind::Embedded,
        capabilities: Capabilities {
            interrupt: true,
            memory_limit: true,
            engine_memory: true,
            host_callback: true,
            host_value: false,
            promises: true,
            jit: !jitless,
        },
        flags,
    }
}

impl JsBackend for V8Backend {
    fn descriptor(&self) -> Descriptor {
        descriptor(if self.jitless { NAME_JITLESS } else { NAME_JIT }, self.jitless, None)
    }

    fn create(&mut self, limits: &Limits) -> Result<(), BackendError> {
        // Free the old isolate before making the next one.
        self.runtime = None;
        init_process(self.jitless)?;
        self.runtime = Some(Runtime::new(limits)?);
        Ok(())
    }

    /// Evaluates the module under the call timeout (a top-level infinite
    /// loop is a `Timeout`, like one in `run`).
    fn load(&mut self, module: &WorkloadModule) -> Result<(), BackendError> {
        let runtime = self.runtime("load")?;
        runtime.run = None;
        let run = runtime.run_timed(|isolate, context| load_module(isolate, context, module))?;
        runtime.run = Some(run);
        Ok(())
    }

    fn call(&mut self, input: &str) -> Result<String, BackendError> {
        self.runtime("call")?.call(input)
    }

    fn engine_memory(&mut self) -> Option<Bytes> {
        self.runtime.as_mut().and_then(Runtime::engine_memory)
    }
}

impl Runtime {
    /// Calls the loaded `run(input)` under the call timeout.
    pub(crate) fn call(&mut self, input: &str) -> Result<String, BackendError> {
        // Taken out for the call so the closure can borrow the runtime's
        // other fields; put back whatever happens.
        let run = self.run.take().ok_or_else(|| jsbench_api::not_ready("call"))?;
        let result = self.run_timed(|isolate, context| call_run(isolate, context, &run, input));
        self.run = Some(run);
        result
    }

    /// V8's `used_heap_size`: bytes of live and not yet collected objects in
    /// the JavaScript heap (not the reserved `total_heap_size`, nor memory
    /// malloc'ed outside the heap, e.g. ArrayBuffer contents).
    pub(crate) fn engine_memory(&mut self) -> Option<Bytes> {
        let stats = entered(&mut self.isolate, |isolate| isolate.get_heap_statistics());
        u64::try_from(stats.used_heap_size()).ok()
    }
}
