//! `v8-snapshot`: the `v8` backend (JIT on) whose runtimes start from a V8
//! startup snapshot taken at `prepare` time with the workload module
//! already evaluated in its context, the way Deno and Cloudflare Workers
//! start isolates.
//!
//! `prepare` makes a snapshot-creator isolate with the same context as the
//! plain backend (host callback, console), evaluates the module there
//! (under [`PREPARE_TIMEOUT`](crate::tuned::PREPARE_TIMEOUT)), attaches
//! its `run` export to the context as snapshot data and writes the blob
//! (`FunctionCodeHandling::Keep`, so compiled bytecode is kept) to the
//! artefact cache (kind [`CACHE_KIND`]), keyed by module, V8 version and
//! flags. `create` is an isolate from that blob (with the native functions
//! as external references) and its default context; `load` only takes
//! `run` back out of the snapshot data. A blob V8 says is not valid for
//! this build (`StartupData::is_valid`) is built again.
//!
//! The creator is made while a plain isolate (from V8's built-in snapshot)
//! is alive, so it shares that isolate's read-only heap. A creator alone
//! in its process owns a fresh read-only heap and promotes objects into
//! it; an isolate from such a blob makes V8 abort the process
//! (`vector[] index out of bounds` in
//! `SharedHeapDeserializer::DeserializeStringTable`) when a plain isolate
//! is alive in that process, which an embedder mixing `v8` and
//! `v8-snapshot` runtimes does (measured with the `startup` example,
//! `PLAIN_FIRST=1`). Blobs made beside a plain isolate start in any
//! process, first or not.

use crate::backend::{Runtime, host_function, module_source, new_context, print_function, run_export, usable};
use crate::convert::{Failure, syntax_error};
use crate::tuned::{self, PREPARE_TIMEOUT};
use crate::watchdog::Watchdog;
use jsbench_api::{BackendError, BuildCosts, Bytes, Descriptor, JsBackend, Limits, WorkloadModule};
use std::borrow::Cow;
use std::path::PathBuf;
use v8::MapFnTo;

/// The backend's name, on the command line and in results.
pub const NAME: &str = "v8-snapshot";

/// The artefact-cache folder of V8 startup snapshots.
pub const CACHE_KIND: &str = "v8-snapshots";

/// The extension of a snapshot file.
const EXT: &str = "v8snap";

/// The index of `run` in the context's snapshot data: the only datum.
const RUN_INDEX: usize = 0;

/// V8 started from a snapshot with the module evaluated.
pub struct SnapshotBackend {
    root: Option<PathBuf>,
    /// The module the blob holds, and the blob.
    prepared: Option<(WorkloadModule, &'static [u8])>,
    /// The runtime, with the blob it was made from and whether its `run`
    /// was taken out already (snapshot data can be read once).
    runtime: Option<Runtime>,
    created_from: Option<&'static [u8]>,
    limits: Limits,
}

impl SnapshotBackend {
    /// The backend, caching in the jsbench cache folder.
    pub fn new() -> Self {
        SnapshotBackend {
            root: None,
            prepared: None,
            runtime: None,
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

    /// The snapshot of `module`, from the cache or built now.
    fn snapshot(&self, module: &WorkloadModule) -> Result<(&'static [u8], BuildCosts), BackendError> {
        let key = key(module, &tuned::engine_key(false));
        tuned::cached_snapshot(
            self.root.as_ref(),
            CACHE_KIND,
            &key,
            EXT,
            |bytes| v8::StartupData::from(bytes.to_vec()).is_valid(),
            || {
                crate::init_process(false)?;
                build(module)
            },
        )
    }

    /// A runtime from the prepared blob, with the last limits.
    fn create_from(&mut self, blob: &'static [u8]) -> Result<(), BackendError> {
        self.runtime = None;
        self.created_from = None;
        crate::init_process(false)?;
        let runtime = Runtime::with(
            &self.limits,
            |params| {
                params
                    .snapshot_blob(v8::StartupData::from(blob))
                    .external_references(external_references())
            },
            default_context,
        )?;
        self.runtime = Some(runtime);
        self.created_from = Some(blob);
        Ok(())
    }
}

impl Default for SnapshotBackend {
    fn default() -> Self {
        Self::new()
    }
}

/// The native functions a snapshot refers to, in the same order when it is
/// made and when it is read.
fn external_references() -> Cow<'static, [v8::ExternalReference]> {
    Cow::Owned(vec![
        v8::ExternalReference {
            function: host_function.map_fn_to(),
        },
        v8::ExternalReference {
            function: print_function.map_fn_to(),
        },
    ])
}

/// The context of an isolate made from a snapshot: its default context.
fn default_context(isolate: &mut v8::OwnedIsolate) -> Result<v8::Global<v8::Context>, BackendError> {
    v8::scope!(let scope, isolate);
    let context = v8::Context::new(scope, Default::default());
    Ok(v8::Global::new(scope, context))
}

/// The cache key of a module's snapshot for a V8 build and flags.
pub fn key(module: &WorkloadModule, engine: &str) -> String {
    tuned::module_key(
        module,
        &[
            ("v8", engine.as_bytes()),
            ("external-references", b"jsbenchHost, console print"),
            ("read-only-heap", b"shared with a plain isolate"),
        ],
    )
}

/// Makes the snapshot: a creator isolate, the plain backend's context, the
/// module evaluated and its `run` attached, then the blob. The blob is
/// made on every path (a creator isolate can only be disposed that way).
fn build(module: &WorkloadModule) -> Result<Vec<u8>, BackendError> {
    // A plain isolate alive while the creator runs (see the module docs).
    let _shared_read_only_heap = Runtime::new(&Limits::default())?;
    let mut creator = v8::Isolate::snapshot_creator(Some(external_references()), None);
    creator.set_microtasks_policy(v8::MicrotasksPolicy::Explicit);
    let evaluated = evaluate(&mut creator, module);
    if evaluated.is_err() {
        creator.cancel_terminate_execution();
        v8::scope!(let scope, &mut creator);
        let empty = v8::Context::new(scope, Default::default());
        scope.set_default_context(empty);
    }
    let blob = creator.create_blob(v8::FunctionCodeHandling::Keep);
    evaluated?;
    let blob = blob.ok_or_else(|| BackendError::Internal(format!("V8 made no snapshot of `{}`", module.name)))?;
    Ok(blob.to_vec())
}

/// Evaluates the module in a new context of `creator` and makes that
/// context, with `run` attached, the snapshot's default context.
fn evaluate(creator: &mut v8::OwnedIsolate, module: &WorkloadModule) -> Result<(), BackendError> {
    let context = new_context(creator)?;
    let watchdog = Watchdog::start(creator.thread_safe_handle())
        .map_err(|e| BackendError::Internal(format!("cannot start the V8 watchdog thread: {e}")))?;
    watchdog.arm(PREPARE_TIMEOUT);
    let run = (|| -> Result<v8::Global<v8::Function>, Failure> {
        v8::scope!(let scope, creator);
        let local = v8::Local::new(scope, &context);
        let scope = &mut v8::ContextScope::new(scope, local);
        v8::tc_scope!(let tc, scope);
        let mut source = module_source(tc, module, None)?;
        let Some(compiled) = v8::script_compiler::compile_module(tc, &mut source) else {
            return Err(syntax_error(tc));
        };
        let run = run_export(tc, compiled, module)?;
        Ok(v8::Global::new(tc, run))
    })();
    if watchdog.disarm() {
        return Err(BackendError::Timeout { limit: PREPARE_TIMEOUT });
    }
    let run = run.map_err(|failure| match failure {
        Failure::Error(e) => e,
        Failure::Terminated => BackendError::Internal("V8 terminated the module's evaluation".into()),
    })?;
    v8::scope!(let scope, creator);
    let local = v8::Local::new(scope, &context);
    let run = v8::Local::new(scope, &run);
    let index = scope.add_context_data(local, run);
    if index != RUN_INDEX {
        return Err(BackendError::Internal(format!(
            "V8 put `run` at snapshot index {index}"
        )));
    }
    scope.set_default_context(local);
    Ok(())
}

/// `load` from the snapshot: `run`, attached to the default context.
fn take_run(
    isolate: &mut v8::OwnedIsolate,
    context: &v8::Global<v8::Context>,
) -> Result<v8::Global<v8::Function>, Failure> {
    v8::scope!(let scope, isolate);
    let context = v8::Local::new(scope, context);
    let scope = &mut v8::ContextScope::new(scope, context);
    let run = scope
        .get_context_data_from_snapshot_once::<v8::Function>(RUN_INDEX)
        .map_err(|e| Failure::Error(BackendError::Internal(format!("`run` is not in the V8 snapshot: {e}"))))?;
    Ok(v8::Global::new(scope, run))
}

impl JsBackend for SnapshotBackend {
    fn descriptor(&self) -> Descriptor {
        crate::backend::descriptor(
            NAME,
            false,
            Some("isolate and context from a startup snapshot with the module evaluated"),
        )
    }

    /// The snapshot of `module`, from the cache or built now. Only a build
    /// starts V8: on a hit, V8's start-up is left to `create`, where the
    /// plain backend pays it too.
    fn prepare(&mut self, module: &WorkloadModule) -> Result<Option<BuildCosts>, BackendError> {
        self.prepared = None;
        let (blob, costs) = self.snapshot(module)?;
        self.prepared = Some((module.clone(), blob));
        Ok(Some(costs))
    }

    /// An isolate and context from the prepared snapshot; without one, a
    /// plain runtime that `load` replaces once it has prepared the module.
    fn create(&mut self, limits: &Limits) -> Result<(), BackendError> {
        self.limits = *limits;
        match self.prepared.as_ref().map(|(_, blob)| *blob) {
            Some(blob) => self.create_from(blob),
            None => {
                self.runtime = None;
                self.created_from = None;
                crate::init_process(false)?;
                self.runtime = Some(Runtime::new(limits)?);
                Ok(())
            }
        }
    }

    fn load(&mut self, module: &WorkloadModule) -> Result<(), BackendError> {
        usable(&mut self.runtime, "load")?;
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
            && self.runtime.as_ref().is_some_and(|r| r.run.is_none());
        if !fresh {
            // Another module's snapshot, or `run` taken out already.
            self.create_from(blob)?;
        }
        let runtime = usable(&mut self.runtime, "load")?;
        let run = runtime.run_timed(take_run)?;
        runtime.run = Some(run);
        Ok(())
    }

    fn call(&mut self, input: &str) -> Result<String, BackendError> {
        usable(&mut self.runtime, "call")?.call(input)
    }

    fn engine_memory(&mut self) -> Option<Bytes> {
        self.runtime.as_mut().and_then(Runtime::engine_memory)
    }
}
