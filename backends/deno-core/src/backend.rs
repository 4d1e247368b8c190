//! [`DenoCoreBackend`]: the `JsBackend` phases on one deno_core `JsRuntime`.
//!
//! As in backends/v8, the isolate is entered only while a phase runs:
//! `rusty_v8` enters an isolate from creation to drop, which would tie
//! runtimes on one thread to a strict creation/drop order.

use crate::errors::{Failure, core_failure, load_failure};
use crate::loader::WorkloadLoader;
use crate::ops;
use deno_core::v8;
use deno_core::{JsRuntime, ModuleSpecifier, PollEventLoopOptions, RuntimeOptions};
use jsbench_api::{BackendError, BackendKind, Bytes, Capabilities, Descriptor, JsBackend, Limits, WorkloadModule};
use jsbench_v8::watchdog::Watchdog;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Backend name.
pub const NAME: &str = "deno-core";

/// The deno_core release this backend is built against (pinned in its
/// `Cargo.toml`).
pub const DENO_CORE_VERSION: &str = "0.413.0";

/// The V8 flags deno_core 0.413.0 sets when it initialises V8 (its
/// `runtime/setup.rs`); this backend adds none.
pub const V8_FLAGS: &[&str] = &[
    "--no-validate-asm",
    "--turbo_fast_api_calls",
    "--harmony-temporal",
    "--js-float16array",
    "--js-explicit-resource-management",
    "--js-source-phase-imports",
    "--js-defer-import-eval",
    "--enable-queue-microtask",
];

/// Heap growth granted when the near-heap-limit callback fires: enough for
/// V8 to unwind the terminated script instead of aborting the process.
const OOM_HEADROOM_MIN: usize = 16 << 20;

/// V8 through deno_core: a `JsRuntime` per `create`.
#[derive(Default)]
pub struct DenoCoreBackend {
    pub(crate) runtime: Option<Runtime>,
}

impl DenoCoreBackend {
    /// A backend without a runtime yet; `create` makes one.
    pub fn new() -> Self {
        Self::default()
    }

    /// The backend, boxed, as a [`jsbench_api::BackendFactory`].
    pub fn boxed() -> Box<dyn JsBackend> {
        Box::new(Self::new())
    }

    pub(crate) fn runtime(&mut self, what: &str) -> Result<&mut Runtime, BackendError> {
        let runtime = self.runtime.as_mut().ok_or_else(|| jsbench_api::not_ready(what))?;
        if runtime.out_of_memory {
            return Err(BackendError::OutOfMemory {
                message: format!(
                    "this deno_core runtime ran out of memory earlier (limit {} bytes); create a new one",
                    runtime.limits.memory_limit
                ),
            });
        }
        Ok(runtime)
    }
}

/// One `JsRuntime`, the tokio runtime that drives its event loop, and the
/// loaded `run` function. Field order is drop order (the handle before the
/// `JsRuntime`, which goes before the tokio runtime).
pub(crate) struct Runtime {
    pub(crate) run: Option<v8::Global<v8::Function>>,
    watchdog: Watchdog,
    js: JsRuntime,
    tokio: tokio::runtime::Runtime,
    loader: Rc<WorkloadLoader>,
    /// Set by the near-heap-limit callback.
    heap_hit: Arc<AtomicBool>,
    /// Modules loaded so far: the first is the main module, later ones
    /// side modules (a runtime has one main module).
    pub(crate) loads: u32,
    limits: Limits,
    /// Set after an out-of-memory: the heap's limit was raised to let V8
    /// unwind, so the runtime is retired.
    out_of_memory: bool,
}

impl Drop for Runtime {
    fn drop(&mut self) {
        // `OwnedIsolate`'s drop requires it to be the current isolate.
        // SAFETY: the isolate is alive; its drop exits it again.
        unsafe { self.js.v8_isolate().enter() };
    }
}

/// Runs `phase` with the isolate entered; exits it on every path out.
fn entered<R>(js: &mut JsRuntime, phase: impl FnOnce(&mut JsRuntime) -> R) -> R {
    struct Exit(*const v8::Isolate);
    impl Drop for Exit {
        fn drop(&mut self) {
            // SAFETY: entered below on this thread; the isolate outlives the
            // phase, whose scopes are gone by now.
            unsafe { (*self.0).exit() };
        }
    }
    let isolate: &v8::Isolate = js.v8_isolate();
    let exit = Exit(isolate as *const v8::Isolate);
    // SAFETY: the isolate is alive; `exit` exits it.
    unsafe { isolate.enter() };
    let result = phase(js);
    drop(exit);
    result
}

/// Installs the near-heap-limit callback: it sets the returned flag,
/// terminates execution and grants V8 room to unwind instead of aborting.
pub(crate) fn guard_heap(js: &mut JsRuntime) -> Arc<AtomicBool> {
    let heap_hit = Arc::new(AtomicBool::new(false));
    let hit = Arc::clone(&heap_hit);
    let handle = js.v8_isolate().thread_safe_handle();
    js.add_near_heap_limit_callback(move |current, _initial| {
        hit.store(true, Ordering::SeqCst);
        handle.terminate_execution();
        current.saturating_add((current / 4).max(OOM_HEADROOM_MIN))
    });
    heap_hit
}

/// A current-thread tokio runtime to drive one `JsRuntime`'s event loop.
pub(crate) fn tokio_runtime() -> Result<tokio::runtime::Runtime, BackendError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| BackendError::Internal(format!("cannot start a tokio runtime: {e}")))
}

/// The options of every `JsRuntime` of this crate: the workload loader
/// and the harness ops, and the start-up snapshot when there is one.
pub(crate) fn options(loader: &Rc<WorkloadLoader>, startup_snapshot: Option<&'static [u8]>) -> RuntimeOptions {
    RuntimeOptions {
        module_loader: Some(loader.clone()),
        extensions: vec![ops::extension()],
        startup_snapshot,
        ..Default::default()
    }
}

impl Runtime {
    /// A runtime with the harness globals: installed now, or already in
    /// `startup_snapshot` (made by [`crate::snapshot`]).
    pub(crate) fn new(limits: &Limits, startup_snapshot: Option<&'static [u8]>) -> Result<Self, BackendError> {
        let tokio = tokio_runtime()?;
        let loader = Rc::new(WorkloadLoader::default());
        let max_heap = usize::try_from(limits.memory_limit).unwrap_or(usize::MAX);
        let options = RuntimeOptions {
            create_params: Some(v8::CreateParams::default().heap_limits(0, max_heap)),
            ..options(&loader, startup_snapshot)
        };
        // The new isolate is entered until it is exited below.
        let mut js = {
            let _tokio = tokio.enter();
            JsRuntime::try_new(options).map_err(|e| BackendError::Internal(format!("deno_core: {e}")))?
        };
        let heap_hit = guard_heap(&mut js);
        // On an error here the isolate is still entered, as its drop needs.
        if startup_snapshot.is_none() {
            js.execute_script("jsbench:bootstrap", ops::bootstrap_script())
                .map_err(|e| BackendError::Internal(format!("cannot install the harness globals: {e}")))?;
        }
        let watchdog = Watchdog::start(js.v8_isolate().thread_safe_handle())
            .map_err(|e| BackendError::Internal(format!("cannot start the V8 watchdog thread: {e}")))?;
        // SAFETY: entered by `JsRuntime::try_new` on this thread; phases
        // (and the drop) enter it again.
        unsafe { js.v8_isolate().exit() };
        Ok(Runtime {
            run: None,
            watchdog,
            js,
            tokio,
            loader,
            heap_hit,
            loads: 0,
            limits: *limits,
            out_of_memory: false,
        })
    }

    /// Runs a phase of JavaScript under the call timeout and maps
    /// termination to `Timeout` or `OutOfMemory`.
    pub(crate) fn run_timed<R>(
        &mut self,
        phase: impl FnOnce(&mut JsRuntime, &tokio::runtime::Runtime) -> Result<R, Failure>,
    ) -> Result<R, BackendError> {
        self.watchdog.arm(self.limits.call_timeout);
        let tokio = &self.tokio;
        let outcome = entered(&mut self.js, |js| phase(js, tokio));
        let fired = self.watchdog.disarm();
        let oom = self.heap_hit.load(Ordering::SeqCst);
        self.out_of_memory |= oom;
        let isolate = self.js.v8_isolate().thread_safe_handle();
        jsbench_v8::end_phase(outcome, fired, oom, &isolate, &self.limits)
    }
}

/// The specifier of the `n`th module loaded into a runtime: the file's URL,
/// or `jsbench:/<name>.js`; a query keeps later loads apart.
pub(crate) fn specifier(module: &WorkloadModule, n: u32) -> Result<ModuleSpecifier, BackendError> {
    let absolute = module.path.as_ref().and_then(|p| std::path::absolute(p).ok());
    let mut url = match absolute.and_then(|p| ModuleSpecifier::from_file_path(p).ok()) {
        Some(url) => url,
        None => ModuleSpecifier::parse(&format!("jsbench:/{}.js", module.name))
            .map_err(|e| BackendError::Internal(format!("no module URL for `{}`: {e}", module.name)))?,
    };
    if n > 1 {
        url.set_query(Some(&format!("load={n}")));
    }
    Ok(url)
}

/// Loads and evaluates the module (driving the event loop for top-level
/// await) and returns its `run` export.
pub(crate) fn load_module(
    js: &mut JsRuntime,
    tokio: &tokio::runtime::Runtime,
    specifier: &ModuleSpecifier,
    main: bool,
    name: &str,
) -> Result<v8::Global<v8::Function>, Failure> {
    let id = tokio
        .block_on(async {
            if main {
                js.load_main_es_module(specifier).await
            } else {
                js.load_side_es_module(specifier).await
            }
        })
        .map_err(load_failure)?;
    let evaluation = js.mod_evaluate(id);
    tokio
        .block_on(js.with_event_loop_promise(Box::pin(evaluation), PollEventLoopOptions::default()))
        .map_err(core_failure)?;
    let namespace = js.get_module_namespace(id).map_err(core_failure)?;
    deno_core::scope!(scope, js);
    let missing = || {
        Failure::Error(BackendError::Exception {
            message: format!("module `{name}` does not export a function named `run`"),
            stack: None,
        })
    };
    let namespace = v8::Local::new(scope, namespace);
    let key = v8::String::new(scope, "run").ok_or_else(missing)?;
    let run = namespace.get(scope, key.into()).ok_or_else(missing)?;
    let run = v8::Local::<v8::Function>::try_from(run).map_err(|_| missing())?;
    Ok(v8::Global::new(scope, run))
}

/// Calls `run(input)`, settles a returned promise on the event loop, and
/// reads the string result.
fn call_run(
    js: &mut JsRuntime,
    tokio: &tokio::runtime::Runtime,
    run: &v8::Global<v8::Function>,
    input: &str,
) -> Result<String, Failure> {
    let input = {
        deno_core::scope!(scope, js);
        let input = v8::String::new(scope, input).ok_or_else(|| {
            Failure::Error(BackendError::Internal(
                "cannot allocate a V8 string for the input (too long?)".into(),
            ))
        })?;
        v8::Global::new(scope, v8::Local::<v8::Value>::from(input))
    };
    let call = js.call_with_args(run, &[input]);
    let result = tokio
        .block_on(js.with_event_loop_promise(call, PollEventLoopOptions::default()))
        .map_err(core_failure)?;
    deno_core::scope!(scope, js);
    let result = v8::Local::new(scope, result);
    Ok(jsbench_v8::string_result(scope, result)?)
}

/// The descriptor of a backend on deno_core: `extra_flag` names how a
/// variant starts, after deno_core's V8 flags.
pub(crate) fn descriptor(name: &str, extra_flag: Option<&str>) -> Descriptor {
    let mut flags: Vec<String> = V8_FLAGS.iter().map(|f| f.to_string()).collect();
    flags.extend(extra_flag.map(str::to_string));
    Descriptor {
        name: name.into(),
        engine: "V8".into(),
        engine_version: engine_version(),
        kind: BackendKind::Embedded,
        capabilities: Capabilities {
            interrupt: true,
            memory_limit: true,
            engine_memory: true,
            host_callback: true,
            host_value: true,
            promises: true,
            jit: true,
        },
        flags,
    }
}

/// The V8 version and the deno_core release.
pub(crate) fn engine_version() -> String {
    format!("{} (deno_core {DENO_CORE_VERSION})", v8::V8::get_version())
}

impl JsBackend for DenoCoreBackend {
    fn descriptor(&self) -> Descriptor {
        descriptor(NAME, None)
    }

    fn create(&mut self, limits: &Limits) -> Result<(), BackendError> {
        // Free the old runtime before making the next one.
        self.runtime = None;
        self.runtime = Some(Runtime::new(limits, None)?);
        Ok(())
    }

    /// Loads the module as the runtime's main ES module under the call
    /// timeout (a top-level infinite loop is a `Timeout`).
    fn load(&mut self, module: &WorkloadModule) -> Result<(), BackendError> {
        let runtime = self.runtime("load")?;
        runtime.run = None;
        runtime.loads += 1;
        let specifier = specifier(module, runtime.loads)?;
        runtime.loader.serve(specifier.clone(), module.source.clone());
        let main = runtime.loads == 1;
        let run = runtime.run_timed(|js, tokio| load_module(js, tokio, &specifier, main, &module.name))?;
        runtime.run = Some(run);
        Ok(())
    }

    fn call(&mut self, input: &str) -> Result<String, BackendError> {
        let runtime = self.runtime("call")?;
        let run = runtime.run.take().ok_or_else(|| jsbench_api::not_ready("call"))?;
        let result = runtime.run_timed(|js, tokio| call_run(js, tokio, &run, input));
        runtime.run = Some(run);
        result
    }

    /// V8's `used_heap_size` of the runtime's isolate (as backends/v8).
    fn engine_memory(&mut self) -> Option<Bytes> {
        let runtime = self.runtime.as_mut()?;
        let stats = entered(&mut runtime.js, |js| js.v8_isolate().get_heap_statistics());
        u64::try_from(stats.used_heap_size()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specifiers_name_the_file_or_the_workload() {
        let mut module = jsbench_api::contract::module("fib", "");
        assert_eq!(specifier(&module, 1).unwrap().as_str(), "jsbench:/fib.js");
        assert_eq!(specifier(&module, 2).unwrap().as_str(), "jsbench:/fib.js?load=2");
        module.path = Some("/w/compute/fib.js".into());
        assert_eq!(specifier(&module, 1).unwrap().as_str(), "file:///w/compute/fib.js");
    }

    #[test]
    fn the_pinned_deno_core_is_the_locked_one() {
        let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.lock")).unwrap();
        let locked = lock
            .split("[[package]]")
            .find(|p| p.contains("name = \"deno_core\"\n"))
            .expect("deno_core in Cargo.lock");
        assert!(
            locked.contains(&format!("version = \"{DENO_CORE_VERSION}\"")),
            "{locked}"
        );
    }
}
