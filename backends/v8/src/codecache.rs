//! `v8-codecache`: the `v8` backend (JIT on) whose `load` compiles the
//! module with a V8 code cache (`CompileOptions::ConsumeCodeCache`) made
//! at `prepare` time, instead of parsing and compiling it from source.
//!
//! `prepare` compiles and evaluates the module in a scratch isolate and
//! takes `UnboundModuleScript::create_code_cache` after the evaluation, so
//! the cache holds the bytecode of every function the top level ran (V8's
//! advice: a cache made after execution covers more than one made right
//! after compiling). The cache is kept in the artefact cache (kind
//! [`CACHE_KIND`]), keyed by module, V8 version and flags. V8 checks a
//! cache itself (version, flags, source) and *rejects* one that does not
//! fit. `prepare` tries each cache it makes in a scratch isolate; a cache
//! it finds in the artefact cache is trusted on its digest alone, without
//! an isolate, so that `prepare` leaves no V8 heap behind and `create` pays
//! the process's first isolate, as the plain backend's does (a scratch
//! isolate there made `create` look 2.4× faster than `v8`'s). A cache V8
//! rejects at `load` is an error rather than a silent compile from source,
//! and is removed from the artefact cache, so the next `prepare` builds it
//! again.

use crate::backend::{Runtime, module_source, run_export, usable};
use crate::convert::{Failure, syntax_error};
use crate::tuned::{self, PREPARE_TIMEOUT};
use jsbench_api::{BackendError, BuildCosts, Bytes, Descriptor, JsBackend, Limits, WorkloadModule};
use std::path::PathBuf;
use std::time::Instant;

/// The backend's name, on the command line and in results.
pub const NAME: &str = "v8-codecache";

/// The artefact-cache folder of V8 code caches.
pub const CACHE_KIND: &str = "v8-code-cache";

/// The extension of a code cache file.
const EXT: &str = "v8cc";

/// V8 with a code cache per module, made at prepare time.
pub struct CodeCacheBackend {
    root: Option<PathBuf>,
    prepared: Option<(WorkloadModule, Vec<u8>)>,
    runtime: Option<Runtime>,
}

impl CodeCacheBackend {
    /// The backend, caching in the jsbench cache folder.
    pub fn new() -> Self {
        CodeCacheBackend {
            root: None,
            prepared: None,
            runtime: None,
        }
    }

    /// The backend with its artefact cache below `root` (tests).
    pub fn in_cache(root: impl Into<PathBuf>) -> Self {
        CodeCacheBackend {
            root: Some(root.into()),
            ..Self::new()
        }
    }

    /// The backend, boxed, as a [`jsbench_api::BackendFactory`].
    pub fn boxed() -> Box<dyn JsBackend> {
        Box::new(Self::new())
    }

    /// The code cache of `module` for this prepare, built when missing.
    fn code_cache(&self, module: &WorkloadModule) -> Result<(Vec<u8>, BuildCosts), BackendError> {
        let started = Instant::now();
        let cache = tuned::cache(self.root.as_ref(), CACHE_KIND)?;
        let key = key(module, &tuned::engine_key(false));
        if let Some((_, bytes)) = cache.read(&key, EXT).map_err(tuned::cache_error)? {
            let costs = costs(started, true, None, &bytes);
            return Ok((bytes, costs));
        }
        crate::init_process(false)?;
        let compiling = Instant::now();
        let bytes = produce(module)?;
        let compile_ns = tuned::nanos(compiling);
        if !accepted(module, &bytes)? {
            return Err(BackendError::Internal(format!(
                "V8 rejected the code cache it had just made for `{}`",
                module.name
            )));
        }
        cache.put(&key, EXT, &bytes).map_err(tuned::cache_error)?;
        let costs = costs(started, false, Some(compile_ns), &bytes);
        Ok((bytes, costs))
    }

    /// Drops the prepared cache of `module` and removes it from the
    /// artefact cache, so the next `prepare` builds it again.
    fn forget(&mut self, module: &WorkloadModule) {
        self.prepared = None;
        if let Ok(cache) = tuned::cache(self.root.as_ref(), CACHE_KIND) {
            cache.remove(&key(module, &tuned::engine_key(false)), EXT);
        }
    }
}

impl Default for CodeCacheBackend {
    fn default() -> Self {
        Self::new()
    }
}

fn costs(started: Instant, cache_hit: bool, compile_ns: Option<u64>, bytes: &[u8]) -> BuildCosts {
    BuildCosts {
        prepare_ns: tuned::nanos(started),
        cache_hit,
        compile_ns,
        artefact_bytes: Some(bytes.len() as Bytes),
        ..BuildCosts::default()
    }
}

/// The cache key of a module's code cache for a V8 build and flags.
pub fn key(module: &WorkloadModule, engine: &str) -> String {
    tuned::module_key(module, &[("v8", engine.as_bytes())])
}

/// Compiles and evaluates the module in a scratch isolate and returns the
/// code cache V8 makes afterwards.
fn produce(module: &WorkloadModule) -> Result<Vec<u8>, BackendError> {
    let limits = Limits {
        call_timeout: PREPARE_TIMEOUT,
        ..Limits::default()
    };
    let mut scratch = Runtime::new(&limits)?;
    scratch.run_timed(|isolate, context| {
        v8::scope!(let scope, isolate);
        let context = v8::Local::new(scope, context);
        let scope = &mut v8::ContextScope::new(scope, context);
        v8::tc_scope!(let tc, scope);
        let mut source = module_source(tc, module, None)?;
        let Some(compiled) = v8::script_compiler::compile_module(tc, &mut source) else {
            return Err(syntax_error(tc));
        };
        run_export(tc, compiled, module)?;
        let made = compiled.get_unbound_module_script(tc).create_code_cache();
        made.map(|data| data.to_vec()).ok_or_else(|| {
            Failure::Error(BackendError::Internal(format!(
                "V8 made no code cache for `{}`",
                module.name
            )))
        })
    })
}

/// Whether V8 takes `bytes`, just made, as the code cache of `module`
/// (compiled in a scratch isolate, not evaluated).
fn accepted(module: &WorkloadModule, bytes: &[u8]) -> Result<bool, BackendError> {
    let mut scratch = Runtime::new(&Limits::default())?;
    scratch.run_timed(|isolate, context| {
        v8::scope!(let scope, isolate);
        let context = v8::Local::new(scope, context);
        let scope = &mut v8::ContextScope::new(scope, context);
        v8::tc_scope!(let tc, scope);
        let mut source = module_source(tc, module, Some(bytes))?;
        let compiled = consume(tc, &mut source);
        if compiled.is_none() {
            return Err(syntax_error(tc));
        }
        Ok(!rejected(&source))
    })
}

fn consume<'s>(
    tc: &mut v8::PinnedRef<'_, v8::TryCatch<'_, 's, v8::HandleScope<'_>>>,
    source: &mut v8::script_compiler::Source,
) -> Option<v8::Local<'s, v8::Module>> {
    v8::script_compiler::compile_module2(
        tc,
        source,
        v8::script_compiler::CompileOptions::ConsumeCodeCache,
        v8::script_compiler::NoCacheReason::NoReason,
    )
}

fn rejected(source: &v8::script_compiler::Source) -> bool {
    source.get_cached_data().is_none_or(|data| data.rejected())
}

/// `load` of `module` with its code cache: compile consuming the cache,
/// then instantiate and evaluate as the plain backend does; `None` when V8
/// rejects the cache (nothing is evaluated then).
fn load_cached(
    isolate: &mut v8::OwnedIsolate,
    context: &v8::Global<v8::Context>,
    module: &WorkloadModule,
    bytes: &[u8],
) -> Result<Option<v8::Global<v8::Function>>, Failure> {
    v8::scope!(let scope, isolate);
    let context = v8::Local::new(scope, context);
    let scope = &mut v8::ContextScope::new(scope, context);
    v8::tc_scope!(let tc, scope);
    let mut source = module_source(tc, module, Some(bytes))?;
    let Some(compiled) = consume(tc, &mut source) else {
        return Err(syntax_error(tc));
    };
    if rejected(&source) {
        return Ok(None);
    }
    let run = run_export(tc, compiled, module)?;
    Ok(Some(v8::Global::new(tc, run)))
}

impl JsBackend for CodeCacheBackend {
    fn descriptor(&self) -> Descriptor {
        crate::backend::descriptor(
            NAME,
            false,
            Some("module compiled from a code cache made at prepare time"),
        )
    }

    /// The code cache of `module`, from the cache or built now. Only a
    /// build starts V8: on a hit, V8's start-up is left to `create`, where
    /// the plain backend pays it too.
    fn prepare(&mut self, module: &WorkloadModule) -> Result<Option<BuildCosts>, BackendError> {
        self.prepared = None;
        let (bytes, costs) = self.code_cache(module)?;
        self.prepared = Some((module.clone(), bytes));
        Ok(Some(costs))
    }

    fn create(&mut self, limits: &Limits) -> Result<(), BackendError> {
        self.runtime = None;
        crate::init_process(false)?;
        self.runtime = Some(Runtime::new(limits)?);
        Ok(())
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
        let bytes = self.prepared.as_ref().map(|(_, b)| b.as_slice()).unwrap_or_default();
        let runtime = usable(&mut self.runtime, "load")?;
        runtime.run = None;
        let loaded = runtime.run_timed(|isolate, context| load_cached(isolate, context, module, bytes))?;
        let Some(run) = loaded else {
            self.forget(module);
            return Err(BackendError::Internal(format!(
                "V8 rejected the code cache of `{}` at load; it was removed from the artefact cache, so the next prepare builds it again",
                module.name
            )));
        };
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
