//! `deno-core-snapshot`: the `deno-core` backend whose runtimes start from
//! a deno_core start-up snapshot taken at `prepare` time with the workload
//! module already loaded and evaluated, the way Deno starts its runtimes.
//!
//! `prepare` makes a `JsRuntimeForSnapshot` with the same extension and
//! harness globals as the plain backend, loads the module as its main ES
//! module (under [`PREPARE_TIMEOUT`] and the default memory limit), keeps
//! its `run` export on the global object under [`RUN_GLOBAL`] and writes
//! the snapshot to the artefact cache (kind [`CACHE_KIND`]), keyed by
//! module, V8 version and flags, deno_core release and the bootstrap
//! script. `create` is a `JsRuntime` from that snapshot; `load` only takes
//! `run` off the global object (and deletes it there, so the workload never
//! sees it). A damaged file fails its checksum in the cache and is built
//! again; another V8 or deno_core is another key.
//!
//! deno_core starts V8 with extra flags (`--predictable`) when the first
//! runtime of a process is one for snapshotting. The snapshot is made
//! after V8 was started the normal way ([`JsRuntime::init_platform`]), so
//! the runtimes that read it, and the calls measured, run under the same
//! flags as `deno-core`.

use crate::backend::{self, DenoCoreBackend, Runtime, load_module, specifier, tokio_runtime};
use crate::errors::Failure;
use crate::loader::WorkloadLoader;
use crate::ops;
use deno_core::v8;
use deno_core::{JsRuntime, JsRuntimeForSnapshot, RuntimeOptions};
use jsbench_api::{BackendError, BuildCosts, Bytes, Descriptor, JsBackend, Limits, WorkloadModule};
use jsbench_v8::tuned::{self, PREPARE_TIMEOUT};
use jsbench_v8::watchdog::Watchdog;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::sync::{Mutex, MutexGuard};

/// The backend's name, on the command line and in results.
pub const NAME: &str = "deno-core-snapshot";

/// The artefact-cache folder of deno_core start-up snapshots.
pub const CACHE_KIND: &str = "deno-core-snapshots";

/// The extension of a snapshot file.
pub const EXT: &str = "dcsnap";

/// The global property that holds `run` in a snapshot until `load` takes
/// it off.
pub const RUN_GLOBAL: &str = "__jsbenchSnapshotRun";

/// deno_core started from a snapshot with the module evaluated.
pub struct SnapshotBackend {
    root: Option<PathBuf>,
    /// The module the snapshot holds, and the snapshot.
    prepared: Option<(WorkloadModule, &'static [u8])>,
    /// The runtime (the plain backend's, so calls and limits are its own).
    plain: DenoCoreBackend,
    /// The snapshot the runtime was made from.
    created_from: Option<&'static [u8]>,
    limits: Limits,
}

impl SnapshotBackend {
    /// The backend, caching in the jsbench cache folder.
    pub fn new() -> Self {
        SnapshotBackend {
            root: None,
            prepared: None,
            plain: DenoCoreBackend::new(),
            created_from: None,
            limits: Limits::default(),
        }
    }

    /// The backend with its artefact cache below `root` (tests).
    pub fn in_cache(root: impl Into<PathBuf>) -> Self {
        SnapshotBackend {
            root: Some(root.into()),
            ..Self::new()
        }
    }

    /// The backend, boxed, as a [`jsbench_api::BackendFactory`].
    pub fn boxed() -> Box<dyn JsBackend> {
        Box::new(Self::new())
    }

    /// The snapshot of `module`, from the cache or built now (a damaged
    /// file fails its checksum in the cache and is built again).
    fn snapshot(&self, module: &WorkloadModule) -> Result<(&'static [u8], BuildCosts), BackendError> {
        let key = key(module, &engine_key(&backend::engine_version()));
        tuned::cached_snapshot(self.root.as_ref(), CACHE_KIND, &key, EXT, |_| true, || build(module))
    }

    /// A runtime from `blob`, with the last limits.
    fn create_from(&mut self, blob: &'static [u8]) -> Result<(), BackendError> {
        self.plain.runtime = None;
        self.created_from = None;
        let runtime = {
            let _one = one_at_a_time();
            Runtime::new(&self.limits, Some(blob))?
        };
        self.plain.runtime = Some(runtime);
        self.created_from = Some(blob);
        Ok(())
    }
}

impl Default for SnapshotBackend {
    fn default() -> Self {
        Self::new()
    }
}

/// Held while a snapshot is made or a runtime is made from one: on two
/// threads at once deno_core 0.413 crashes V8 ("Check failed: index <
/// size()", in about half of the parallel test runs without this lock).
/// A jsbench worker uses one thread, so its figures are unaffected.
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static ONE: Mutex<()> = Mutex::new(());
    ONE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The engine part of a cache key: `engine_version` (V8 and deno_core)
/// and deno_core's V8 flags.
pub fn engine_key(engine_version: &str) -> String {
    format!("{engine_version} {}", backend::V8_FLAGS.join(" "))
}

/// The cache key of a module's snapshot for an engine (see [`engine_key`]):
/// the module, the engine, and the harness globals baked into the snapshot.
pub fn key(module: &WorkloadModule, engine: &str) -> String {
    tuned::module_key(
        module,
        &[
            ("engine", engine.as_bytes()),
            ("bootstrap", ops::bootstrap_script().as_bytes()),
            ("run-global", RUN_GLOBAL.as_bytes()),
        ],
    )
}

/// Makes the snapshot: a snapshotting runtime with the harness globals,
/// the module loaded and its `run` kept, then the blob. The blob is made on
/// every path (a snapshotting isolate can only be disposed that way).
fn build(module: &WorkloadModule) -> Result<Vec<u8>, BackendError> {
    let _one = one_at_a_time();
    // V8 with deno_core's normal flags, as every runtime that reads it.
    JsRuntime::init_platform(None);
    let tokio = tokio_runtime()?;
    let _tokio = tokio.enter();
    let loader = Rc::new(WorkloadLoader::default());
    let specifier = specifier(module, 1)?;
    loader.serve(specifier.clone(), module.source.clone());
    let max_heap = usize::try_from(Limits::default().memory_limit).unwrap_or(usize::MAX);
    let options = RuntimeOptions {
        create_params: Some(v8::CreateParams::default().heap_limits(0, max_heap)),
        ..backend::options(&loader, None)
    };
    // The new isolate stays entered until the snapshot consumes it.
    let mut js = JsRuntimeForSnapshot::try_new(options)
        .map_err(|e| BackendError::Internal(format!("deno_core cannot make a snapshotting runtime: {e}")))?;
    let heap_hit = backend::guard_heap(&mut js);
    let evaluated = evaluate(&mut js, &tokio, &specifier, module);
    if evaluated.is_err() {
        js.v8_isolate().cancel_terminate_execution();
    }
    let blob = js.snapshot();
    if heap_hit.load(Ordering::SeqCst) {
        return Err(BackendError::OutOfMemory {
            message: format!(
                "V8 heap reached its limit ({max_heap} bytes) while the module was evaluated for the snapshot"
            ),
        });
    }
    evaluated?;
    Ok(blob.into_vec())
}

/// Installs the harness globals, loads the module under the prepare
/// timeout and keeps its `run` under [`RUN_GLOBAL`].
fn evaluate(
    js: &mut JsRuntime,
    tokio: &tokio::runtime::Runtime,
    specifier: &deno_core::ModuleSpecifier,
    module: &WorkloadModule,
) -> Result<(), BackendError> {
    js.execute_script("jsbench:bootstrap", ops::bootstrap_script())
        .map_err(|e| BackendError::Internal(format!("cannot install the harness globals: {e}")))?;
    let watchdog = Watchdog::start(js.v8_isolate().thread_safe_handle())
        .map_err(|e| BackendError::Internal(format!("cannot start the V8 watchdog thread: {e}")))?;
    watchdog.arm(PREPARE_TIMEOUT);
    let run = load_module(js, tokio, specifier, true, &module.name);
    if watchdog.disarm() {
        return Err(BackendError::Timeout { limit: PREPARE_TIMEOUT });
    }
    let run = run.map_err(|failure| match failure {
        Failure::Error(e) => e,
        Failure::Terminated => BackendError::Internal("V8 terminated the module's evaluation".into()),
    })?;
    deno_core::scope!(scope, js);
    let global = scope.get_current_context().global(scope);
    let key = v8::String::new(scope, RUN_GLOBAL)
        .ok_or_else(|| BackendError::Internal("cannot allocate a V8 string".into()))?;
    let run = v8::Local::new(scope, run);
    if global.set(scope, key.into(), run.into()) != Some(true) {
        return Err(BackendError::Internal(format!(
            "cannot keep `run` on the global object as `{RUN_GLOBAL}`"
        )));
    }
    Ok(())
}

/// `load` from the snapshot: `run`, taken off the global object.
fn take_run(js: &mut JsRuntime) -> Result<v8::Global<v8::Function>, Failure> {
    deno_core::scope!(scope, js);
    let global = scope.get_current_context().global(scope);
    let missing = || {
        Failure::Error(BackendError::Internal(format!(
            "`run` is not in the deno_core snapshot ({RUN_GLOBAL})"
        )))
    };
    let key = v8::String::new(scope, RUN_GLOBAL).ok_or_else(missing)?;
    let run = global.get(scope, key.into()).ok_or_else(missing)?;
    global.delete(scope, key.into());
    let run = v8::Local::<v8::Function>::try_from(run).map_err(|_| missing())?;
    Ok(v8::Global::new(scope, run))
}

impl JsBackend for SnapshotBackend {
    fn descriptor(&self) -> Descriptor {
        backend::descriptor(
            NAME,
            Some("runtime from a deno_core start-up snapshot with the module evaluated"),
        )
    }

    fn prepare(&mut self, module: &WorkloadModule) -> Result<Option<BuildCosts>, BackendError> {
        self.prepared = None;
        let (blob, costs) = self.snapshot(module)?;
        self.prepared = Some((module.clone(), blob));
        Ok(Some(costs))
    }

    /// A runtime from the prepared snapshot; without one, a plain runtime
    /// that `load` replaces once it has prepared the module.
    fn create(&mut self, limits: &Limits) -> Result<(), BackendError> {
        self.limits = *limits;
        match self.prepared.as_ref().map(|(_, blob)| *blob) {
            Some(blob) => self.create_from(blob),
            None => {
                self.created_from = None;
                self.plain.create(limits)
            }
        }
    }

    fn load(&mut self, module: &WorkloadModule) -> Result<(), BackendError> {
        self.plain.runtime("load")?;
        let current = self
            .prepared
            .as_ref()
            .is_some_and(|(m, _)| tuned::same_module(m, module));
        if !current {
            self.prepare(module)?;
        }
        let blob = self
            .prepared
            .as_ref()
            .map(|(_, blob)| *blob)
            .ok_or_else(|| jsbench_api::not_ready("load"))?;
        let fresh = self.created_from.is_some_and(|b| std::ptr::eq(b, blob))
            && self
                .plain
                .runtime
                .as_ref()
                .is_some_and(|r| r.run.is_none() && r.loads == 0);
        if !fresh {
            // Another module's snapshot, or `run` taken out already.
            self.create_from(blob)?;
        }
        let runtime = self.plain.runtime("load")?;
        let run = runtime.run_timed(|js, _| take_run(js))?;
        runtime.run = Some(run);
        runtime.loads = 1;
        Ok(())
    }

    fn call(&mut self, input: &str) -> Result<String, BackendError> {
        self.plain.call(input)
    }

    fn engine_memory(&mut self) -> Option<Bytes> {
        self.plain.engine_memory()
    }
}
