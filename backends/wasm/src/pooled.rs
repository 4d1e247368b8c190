//! `wasm-component-pooled`: the component run the way wasm hosts tune
//! wasmtime for start-up: the pooling instance allocator (instances,
//! memories and tables come from slots reserved when the engine is made,
//! so instantiating maps no new memory), copy-on-write memory images (the
//! linear memory's initial contents are mapped from the precompiled
//! `.cwasm` file instead of copied), the precompiled `.cwasm` of that
//! engine configuration, and an `InstancePre` (imports resolved once, at
//! `create`). `load` is the instantiation alone.
//!
//! The pool is sized for one workload per engine: a few component
//! instances at once (a failed call's instance is replaced while the old
//! one is still alive), each with the core instances, memories and tables
//! a ComponentizeJS component has. Memory slots are the full 4 GiB of a
//! 32-bit memory, as on the default allocator (the same bounds-check-free
//! code); the memory limit is still the store's limiter.

use wasmtime::{Config, InstanceAllocationStrategy, PoolingAllocationConfig};

/// The backend's name, on the command line and in results.
pub const NAME: &str = "wasm-component-pooled";

/// The flag the descriptor reports.
pub(crate) const FLAG: &str = "pooling allocator, copy-on-write memory images";

/// Component instances alive at once in one engine.
const COMPONENT_INSTANCES: u32 = 4;

/// Core instances, memories and tables per component instance: more than
/// a ComponentizeJS component has (its StarlingMonkey module and the WASI
/// adapter and shims around it).
const CORE_PER_COMPONENT: u32 = 16;

/// Slot size of a memory: all of a 32-bit memory.
const MEMORY_SLOT_BYTES: usize = 4 << 30;

/// Elements of a table slot: SpiderMonkey's function table is large.
const TABLE_ELEMENTS: usize = 1 << 17;

/// Bytes of a core instance's or component instance's `VMContext` slot.
const INSTANCE_SLOT_BYTES: usize = 4 << 20;

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
        .max_memory_size(MEMORY_SLOT_BYTES)
        .table_elements(TABLE_ELEMENTS)
        .max_core_instance_size(INSTANCE_SLOT_BYTES)
        .max_component_instance_size(INSTANCE_SLOT_BYTES);
    pool
}

/// Turns an engine configuration into the pooled one.
pub(crate) fn configure(config: &mut Config) {
    config.allocation_strategy(InstanceAllocationStrategy::Pooling(pooling_config()));
    config.memory_init_cow(true);
}
