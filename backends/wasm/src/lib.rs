//! The WebAssembly-component backend: each workload is compiled by
//! ComponentizeJS (SpiderMonkey in StarlingMonkey, snapshotted with Wizer)
//! to a component of the world in `wit/workload.wit`, which wasmtime runs.
//!
//! Phases:
//! - `prepare`: componentize the JS (Node, `js/componentize.mjs`) and
//!   precompile the component for this wasmtime and engine configuration;
//!   both are cached by content hash in the user's cache folder (see
//!   [`CACHE_DIR_ENV`]), so most prepares are cache hits.
//! - `create`: a wasmtime engine (epoch interruption on) with its epoch
//!   ticker and WASI linker, plus the precompiled component loaded from the
//!   cache and linked (`InstancePre`): "runtime and component ready".
//! - `load`: a store with WASI and the memory limiter, and an instance of
//!   the component: "instance ready". The module's top level ran at build
//!   time (Wizer), so nothing of the JS is parsed here.
//! - `call`: the component's `run` export. ComponentizeJS drives the event
//!   loop until a returned Promise settles, so async `run` works.
//!
//! A tuned variant, `wasm-component-pooled` ([`WasmBackend::pooled`],
//! module [`pooled`]), runs the same component and code on one engine per
//! process with wasmtime's pooling instance allocator and copy-on-write
//! memory images: its `create` sets up that engine only the first time.
//!
//! If `prepare` was skipped, `load` does its work (then counted in `load`).
//! After any failed call the instance is discarded (a trapped component
//! instance cannot be entered again) and a fresh one is made at once, so the
//! next call starts clean.
#![deny(missing_docs)]

mod error;
pub mod pooled;
mod runtime;
mod toolchain;

pub use error::WasmError;
pub use jsbench_assets::CACHE_DIR_ENV;

use jsbench_api::{
    BackendError, BackendKind, BuildCosts, Bytes, Capabilities, Descriptor, JsBackend, Limits, Nanos, WorkloadModule,
};
use jsbench_assets::artefact::{self, ArtefactCache};
use runtime::{Instance, Runtime};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// The backend's name, on the command line and in results.
pub const NAME: &str = "wasm-component";

/// The wasmtime release this crate was built against (from Cargo.lock).
pub const WASMTIME_VERSION: &str = env!("JSBENCH_WASMTIME_VERSION");

/// Installs ComponentizeJS (the embedded npm project extracted into the
/// cache folder, then `npm ci` there) unless it is installed already. Call it once, before starting workers: `prepare`
/// needs it and does not install it itself, so parallel workers never run
/// npm over one another.
pub fn ensure_installed() -> Result<(), BackendError> {
    toolchain::ensure_installed().map_err(BackendError::from)
}

/// Where the ComponentizeJS project is installed (`<cache>/wasm-js-<hash>`);
/// only the path, [`ensure_installed`] creates it.
pub fn toolchain_dir() -> Result<PathBuf, WasmError> {
    toolchain::js_dir()
}

/// Compiles a module's source to a component at `out` with the backend's
/// ComponentizeJS script and WIT world, without caching (for `jsbench size`).
/// Needs [`ensure_installed`] first.
pub fn componentize(source: &str, out: &std::path::Path) -> Result<(), BackendError> {
    toolchain::componentize(source, out).map_err(BackendError::from)
}

/// Builds the backend as a trait object, for the harness's registry.
pub fn factory() -> Box<dyn JsBackend> {
    Box::new(WasmBackend::new())
}

/// The component of a module's source, componentized (or found in the
/// cache) as `prepare` does; needs [`ensure_installed`] first.
pub fn component_bytes(module: &WorkloadModule) -> Result<Vec<u8>, BackendError> {
    Ok(WasmBackend::component(module)?.1.1)
}

/// Builds the `wasm-component-pooled` backend, for the harness's registry.
pub fn factory_pooled() -> Box<dyn JsBackend> {
    Box::new(WasmBackend::pooled())
}

/// How wasmtime allocates a backend's instances.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Allocation {
    /// wasmtime's default: memory mapped per instance, initial contents
    /// mapped copy-on-write from the precompiled file (`wasm-component`).
    #[default]
    OnDemand,
    /// As `OnDemand` but with the initial memory contents copied at every
    /// instantiation (`memory_init_cow(false)`): the baseline of reports of
    /// pooling's speed-up, for comparison only.
    OnDemandCopied,
    /// The pooling allocator, one pool per process (`wasm-component-pooled`).
    Pooled,
}

/// JS compiled to a WebAssembly component with ComponentizeJS, run in
/// wasmtime.
#[derive(Default)]
pub struct WasmBackend {
    /// How instances are allocated: pooled for `wasm-component-pooled`.
    allocation: Allocation,
    artefacts: Option<Artefacts>,
    // Before `runtime`, so the store drops before its engine's ticker stops.
    instance: Option<Instance>,
    runtime: Option<Runtime>,
    /// The precompiled file the runtime has loaded.
    loaded: Option<PathBuf>,
}

/// The cached files for one module source.
#[derive(Debug, Clone)]
struct Artefacts {
    source: String,
    precompiled: PathBuf,
}

impl WasmBackend {
    /// A backend with nothing prepared or running yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The `wasm-component-pooled` backend: the pooling allocator.
    pub fn pooled() -> Self {
        Self::with_allocation(Allocation::Pooled)
    }

    /// A backend allocating its instances this way; only `OnDemand` and
    /// `Pooled` are registered backends, `OnDemandCopied` is for comparison
    /// (`examples/tuned.rs`).
    pub fn with_allocation(allocation: Allocation) -> Self {
        WasmBackend {
            allocation,
            ..Self::default()
        }
    }

    fn pooled_engine(&self) -> bool {
        self.allocation == Allocation::Pooled
    }

    /// Componentizes and precompiles `module`, or finds both in the cache.
    fn build(module: &WorkloadModule, allocation: Allocation) -> Result<(Artefacts, BuildCosts), WasmError> {
        let started = Instant::now();
        let (component_key, component, componentize_ns) = Self::component(module)?;
        let mut cache_hit = componentize_ns.is_none();

        // The pooled engine's code is compatible with the plain one's (the
        // same compatibility hash, checked in `pooled`'s tests), so both
        // share one `.cwasm`.
        let engine = runtime::engine(allocation)?;
        let precompiled_key = artefact::key(&[
            ("component", component_key.as_bytes()),
            ("wasmtime", WASMTIME_VERSION.as_bytes()),
            ("engine", &artefact::hash_of(&engine.precompile_compatibility_hash())),
        ]);
        let precompiled_cache = ArtefactCache::open("precompiled")?;
        let mut compile_ns = None;
        let mut winch_compile_ns = None;
        let precompiled = match precompiled_cache.get(&precompiled_key, "cwasm")? {
            Some(found) => found,
            None => {
                cache_hit = false;
                let t = Instant::now();
                let code = engine.precompile_component(&component.1).map_err(WasmError::wasmtime)?;
                compile_ns = Some(nanos(t));
                if allocation == Allocation::Pooled {
                    winch_compile_ns = pooled::winch_compile_ns(&component.1);
                }
                precompiled_cache.put(&precompiled_key, "cwasm", &code)?
            }
        };

        let costs = BuildCosts {
            prepare_ns: nanos(started),
            cache_hit,
            componentize_ns,
            compile_ns,
            component_bytes: Some(component.0.bytes),
            precompiled_bytes: Some(precompiled.bytes),
            winch_compile_ns,
            ..BuildCosts::default()
        };
        let artefacts = Artefacts {
            source: module.source.clone(),
            precompiled: precompiled.path,
        };
        Ok((artefacts, costs))
    }

    /// The component of `module` (its key, file and bytes), componentized
    /// now (and how long that took) unless it is in the cache.
    #[allow(clippy::type_complexity)]
    fn component(module: &WorkloadModule) -> Result<(String, (artefact::Cached, Vec<u8>), Option<Nanos>), WasmError> {
        let componentize_js = toolchain::installed_version()?;
        let component_key = artefact::key(&[
            ("source", module.source.as_bytes()),
            ("wit", toolchain::WIT_SOURCE.as_bytes()),
            ("world", toolchain::WORLD.as_bytes()),
            ("componentize-js", componentize_js.as_bytes()),
            ("script", toolchain::SCRIPT_SOURCE.as_bytes()),
        ]);
        let components = ArtefactCache::open("components")?;
        let mut componentize_ns = None;
        let component = match components.read(&component_key, "wasm")? {
            Some(found) => found,
            None => {
                let t = Instant::now();
                let made = components.put_with(&component_key, "wasm", |partial| {
                    toolchain::componentize(&module.source, partial)
                })??;
                componentize_ns = Some(nanos(t));
                let bytes = std::fs::read(&made.path).map_err(WasmError::io("reading", &made.path))?;
                (made, bytes)
            }
        };
        Ok((component_key, component, componentize_ns))
    }

    /// The runtime, with the component for `module` loaded.
    fn runtime_for(&mut self, module: &WorkloadModule) -> Result<&mut Runtime, BackendError> {
        let stale = self.artefacts.as_ref().is_none_or(|a| a.source != module.source);
        if stale {
            self.prepare(module)?;
        }
        let precompiled = self
            .artefacts
            .as_ref()
            .map(|a| a.precompiled.clone())
            .ok_or_else(|| jsbench_api::not_ready("load"))?;
        let runtime = self.runtime.as_mut().ok_or_else(|| jsbench_api::not_ready("load"))?;
        if !runtime.has_component() || self.loaded.as_ref() != Some(&precompiled) {
            runtime.load_component(&precompiled)?;
            self.loaded = Some(precompiled);
        }
        Ok(runtime)
    }
}

fn nanos(since: Instant) -> Nanos {
    Nanos::try_from(since.elapsed().as_nanos()).unwrap_or(Nanos::MAX)
}

impl JsBackend for WasmBackend {
    fn descriptor(&self) -> Descriptor {
        let componentize_js = toolchain::installed_version().unwrap_or_else(|_| toolchain::pinned_version());
        let mut flags = vec![
            "componentize: disable random, clocks, http, fetch-event".to_string(),
            format!("epoch tick {} ms", runtime::TICK.as_millis()),
        ];
        if self.pooled_engine() {
            flags.push(pooled::FLAG.to_string());
        }
        Descriptor {
            name: if self.pooled_engine() { pooled::NAME } else { NAME }.to_string(),
            engine: "StarlingMonkey (ComponentizeJS) on wasmtime".to_string(),
            engine_version: format!("componentize-js {componentize_js}, wasmtime {WASMTIME_VERSION}"),
            kind: BackendKind::WasmComponent,
            capabilities: Capabilities {
                interrupt: true,
                memory_limit: true,
                engine_memory: true,
                host_callback: false,
                host_value: false,
                promises: true,
                jit: false,
            },
            flags,
        }
    }

    fn prepare(&mut self, module: &WorkloadModule) -> Result<Option<BuildCosts>, BackendError> {
        let (artefacts, costs) = Self::build(module, self.allocation)?;
        self.artefacts = Some(artefacts);
        Ok(Some(costs))
    }

    fn create(&mut self, limits: &Limits) -> Result<(), BackendError> {
        self.instance = None;
        self.runtime = None;
        self.loaded = None;
        let core = match self.allocation {
            Allocation::Pooled => pooled::shared_core()?,
            other => Arc::new(runtime::Core::new(other)?),
        };
        let mut runtime = Runtime::new(*limits, core);
        if let Some(artefacts) = &self.artefacts {
            runtime.load_component(&artefacts.precompiled)?;
            self.loaded = Some(artefacts.precompiled.clone());
        }
        self.runtime = Some(runtime);
        Ok(())
    }

    fn load(&mut self, module: &WorkloadModule) -> Result<(), BackendError> {
        self.instance = None;
        let instance = self.runtime_for(module)?.instantiate()?;
        self.instance = Some(instance);
        Ok(())
    }

    fn call(&mut self, input: &str) -> Result<String, BackendError> {
        let runtime = self.runtime.as_ref().ok_or_else(|| jsbench_api::not_ready("call"))?;
        let instance = match &mut self.instance {
            Some(instance) => instance,
            // Only after a failed call whose fresh instance failed too.
            None => self.instance.insert(runtime.instantiate()?),
        };
        let result = instance.call(input, runtime.limits());
        if result.is_err() {
            // The trapped instance cannot be entered again; the replacement
            // is made now so that its cost is not charged to the next call.
            self.instance = runtime.instantiate().ok();
        }
        result
    }

    fn engine_memory(&mut self) -> Option<Bytes> {
        self.instance.as_ref().map(Instance::memory_bytes)
    }
}
