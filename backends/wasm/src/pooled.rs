//! `wasm-component-pooled`: the component run the way wasm hosts tune
//! wasmtime for start-up: the pooling instance allocator (instances,
//! memories and tables come from slots reserved when the engine is made,
//! so instantiating maps no new memory), copy-on-write memory images (the
//! linear memory's initial contents are mapped from the precompiled
//! `.cwasm` file instead of copied), the precompiled `.cwasm` (the plain
//! backend's: pooling does not change the code, see the tests), and an
//! `InstancePre` (imports resolved once per component and process). `load`
//! is the instantiation alone.
//!
//! As a wasm host runs it, there is one pooled engine per process, shared
//! by every runtime the process creates (each `create` is a fresh store
//! world on it, never a second pool): the first `create` in a process sets
//! up the engine and its pool, later ones find it. Every instance still
//! lives in a store of its own with its own memory limit.
//!
//! The pool holds [`COMPONENT_INSTANCES`] component instances at once, each
//! with the core instances, memories and tables a ComponentizeJS component
//! has. Memory slots are the full 4 GiB of a 32-bit memory, as on the
//! default allocator (the same bounds-check-free code), reserved as address
//! space only; the memory limit is still the store's limiter. Table and
//! instance slot sizes are wasmtime's defaults, which fit.

use crate::Allocation;
use crate::error::WasmError;
use crate::runtime::Core;
use jsbench_api::Nanos;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Strategy};

/// The backend's name, on the command line and in results.
pub const NAME: &str = "wasm-component-pooled";

/// The flag the descriptor reports.
pub(crate) const FLAG: &str = "pooling allocator, copy-on-write memory images";

/// Component instances alive at once in the process's pool (`jsbench
/// density` keeps a hundred; a failed call's instance is replaced while the
/// old one is still alive).
pub const COMPONENT_INSTANCES: u32 = 256;

/// Core instances, memories and tables per component instance: more than
/// a ComponentizeJS component has (its StarlingMonkey module and the WASI
/// adapter and shims around it).
const CORE_PER_COMPONENT: u32 = 8;

/// Slot size of a memory: all of a 32-bit memory.
const MEMORY_SLOT_BYTES: usize = 4 << 30;

/// The pooling allocator settings of the pooled engine.
pub fn pooling_config() -> PoolingAllocationConfig {
    let mut pool = PoolingAllocationConfig::new();
    pool.total_component_instances(COMPONENT_INSTANCES)
        .total_core_instances(COMPONENT_INSTANCES * CORE_PER_COMPONENT)
        .total_memories(COMPONENT_INSTANCES * CORE_PER_COMPONENT)
        .total_tables(COMPONENT_INSTANCES * CORE_PER_COMPONENT)
        .max_core_instances_per_component(CORE_PER_COMPONENT)
        .max_memories_per_component(CORE_PER_COMPONENT)
        .max_tables_per_component(CORE_PER_COMPONENT)
        .max_tables_per_module(CORE_PER_COMPONENT)
        .max_memory_size(MEMORY_SLOT_BYTES);
    pool
}

/// The process's pooled engine, set up on first use.
static SHARED: Mutex<Option<Arc<Core>>> = Mutex::new(None);

/// The process's one pooled engine, made now if this is the first use.
pub(crate) fn shared_core() -> Result<Arc<Core>, WasmError> {
    let mut shared = SHARED.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(core) = shared.as_ref() {
        return Ok(Arc::clone(core));
    }
    let core = Arc::new(Core::new(Allocation::Pooled)?);
    *shared = Some(Arc::clone(&core));
    Ok(core)
}

/// Turns an engine configuration into the pooled one.
pub(crate) fn configure(config: &mut Config) {
    config.allocation_strategy(InstanceAllocationStrategy::Pooling(pooling_config()));
    config.memory_init_cow(true);
}

/// Precompiles `component` for the pooled engine configuration with the
/// given compiler (`Strategy::Cranelift`, the default, or `Strategy::Winch`,
/// wasmtime's baseline compiler): how long it took and the size of the
/// code; wasmtime's own error when that compiler cannot.
pub fn compile_with(component: &[u8], strategy: Strategy) -> Result<(Duration, usize), WasmError> {
    let mut config = Config::new();
    config.wasm_component_model(true);
    config.epoch_interruption(true);
    configure(&mut config);
    config.strategy(strategy);
    let engine = Engine::new(&config).map_err(WasmError::wasmtime)?;
    let started = Instant::now();
    let code = engine.precompile_component(component).map_err(WasmError::wasmtime)?;
    Ok((started.elapsed(), code.len()))
}

/// The time Winch takes to compile `component`, for the build costs;
/// `None`, with wasmtime's reason on stderr, when it cannot.
pub(crate) fn winch_compile_ns(component: &[u8]) -> Option<Nanos> {
    match compile_with(component, Strategy::Winch) {
        Ok((took, _)) => Some(Nanos::try_from(took.as_nanos()).unwrap_or(Nanos::MAX)),
        Err(e) => {
            eprintln!("{NAME}: unsupported: Winch cannot compile this component: {e}");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    /// The pooling allocator leaves the compiled code alone: one `.cwasm`
    /// serves both engines (the backend keys it by this hash).
    #[test]
    fn the_pooled_engine_takes_the_plain_engines_code() {
        let pooled = crate::runtime::engine(crate::Allocation::Pooled).unwrap();
        let plain = crate::runtime::engine(crate::Allocation::OnDemand).unwrap();
        let hash = |e: &wasmtime::Engine| jsbench_assets::artefact::hash_of(&e.precompile_compatibility_hash());
        assert_eq!(hash(&pooled), hash(&plain));
    }
}
