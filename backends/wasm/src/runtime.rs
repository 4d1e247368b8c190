//! The wasmtime side: one engine per backend with epoch interruption, the
//! workload component ready to instantiate, and instances that each live in
//! a store of their own with WASI and a memory limiter.
//!
//! Timeouts: a ticker thread bumps the engine's epoch every [`TICK`]; each
//! call sets its store's deadline that many ticks ahead, and wasmtime traps
//! the guest when the epoch passes it. A trap leaves the component instance
//! unusable ("cannot enter component instance"), so the instance is thrown
//! away and a fresh one made from the same `InstancePre`.

use crate::Allocation;
use crate::error::WasmError;
use jsbench_api::{BackendError, Bytes, Limits};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Config, Engine, ResourceLimiter, Store, Trap};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

/// The generated bindings of `wit/workload.wit`.
mod bindings {
    wasmtime::component::bindgen!({
        path: "wit/workload.wit",
        world: "workload",
    });
}

use bindings::{Workload, WorkloadPre};

/// How often the epoch advances: the resolution of the per-call timeout.
pub(crate) const TICK: Duration = Duration::from_millis(10);

/// Most of the guest's stderr kept; StarlingMonkey writes there only to
/// report an uncaught exception, so this is plenty.
const STDERR_CAPACITY: usize = 256 * 1024;

/// Most stack frames kept in an exception's stack.
const MAX_FRAMES: usize = 32;

/// The engine configuration used both to precompile and to run, so that
/// precompiled artefacts always match the engine that loads them, with the
/// given way of allocating instances.
pub(crate) fn engine(allocation: Allocation) -> Result<Engine, WasmError> {
    let mut config = Config::new();
    config.wasm_component_model(true);
    config.epoch_interruption(true);
    match allocation {
        Allocation::OnDemand => {}
        Allocation::OnDemandCopied => {
            config.memory_init_cow(false);
        }
        Allocation::Pooled => crate::pooled::configure(&mut config),
    }
    Engine::new(&config).map_err(WasmError::wasmtime)
}

/// Advances an engine's epoch every [`TICK`] until dropped.
struct Ticker {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Ticker {
    fn start(engine: Engine) -> Result<Self, WasmError> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("jsbench-wasm-epoch".into())
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    std::thread::park_timeout(TICK);
                    engine.increment_epoch();
                }
            })
            .map_err(WasmError::io("starting the epoch thread for", "wasmtime"))?;
        Ok(Ticker {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}

/// Caps the store's linear memories together (StoreLimits caps each memory
/// on its own) and keeps their total, which is the engine memory reported.
struct MemoryLimiter {
    limit: Bytes,
    total: Bytes,
    /// A growth was refused or failed since the flag was last cleared.
    refused: bool,
}

impl ResourceLimiter for MemoryLimiter {
    fn memory_growing(&mut self, current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        let growth = desired.saturating_sub(current) as Bytes;
        if self.total.saturating_add(growth) > self.limit {
            self.refused = true;
            return Ok(false);
        }
        self.total += growth;
        Ok(true)
    }

    fn memory_grow_failed(&mut self, _error: wasmtime::Error) -> wasmtime::Result<()> {
        self.refused = true;
        Ok(())
    }

    fn table_growing(&mut self, _current: usize, _desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        Ok(true)
    }
}

/// What a store holds: WASI state and the memory limiter.
pub(crate) struct Host {
    wasi: WasiCtx,
    table: ResourceTable,
    memory: MemoryLimiter,
}

impl WasiView for Host {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

/// An engine with its epoch ticker and WASI linker, and the components
/// already linked in it (by precompiled file), so that a second runtime on
/// the same engine reuses the `InstancePre`.
pub(crate) struct Core {
    // Dropped first: the ticker thread holds a clone of the engine.
    _ticker: Ticker,
    engine: Engine,
    linker: Linker<Host>,
    components: Mutex<HashMap<PathBuf, WorkloadPre<Host>>>,
}

impl Core {
    /// A fresh engine, its epoch ticker and a WASI linker.
    pub(crate) fn new(allocation: Allocation) -> Result<Self, WasmError> {
        let engine = engine(allocation)?;
        let mut linker = Linker::new(&engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker).map_err(WasmError::wasmtime)?;
        let ticker = Ticker::start(engine.clone())?;
        Ok(Core {
            _ticker: ticker,
            engine,
            linker,
            components: Mutex::new(HashMap::new()),
        })
    }

    /// The precompiled component at `precompiled`, linked: from this
    /// engine's own table if it was loaded before, else read and linked now.
    fn component(&self, precompiled: &Path) -> Result<WorkloadPre<Host>, WasmError> {
        let mut components = self.components.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(pre) = components.get(precompiled) {
            return Ok(pre.clone());
        }
        // SAFETY: `deserialize_file` trusts its input to be wasmtime's own
        // output; this file is: `prepare` wrote it with
        // `Engine::precompile_component` from an engine built by `engine()`,
        // into the user's own cache folder, by an atomic rename, and the
        // artefact cache checked its SHA-256 before handing out its path.
        // wasmtime still checks its version and engine configuration.
        let component =
            unsafe { Component::deserialize_file(&self.engine, precompiled) }.map_err(WasmError::wasmtime)?;
        let instance_pre = self.linker.instantiate_pre(&component).map_err(WasmError::wasmtime)?;
        let pre = WorkloadPre::new(instance_pre).map_err(WasmError::wasmtime)?;
        components.insert(precompiled.to_path_buf(), pre.clone());
        Ok(pre)
    }
}

/// A runtime: an engine (its own, or the process's shared pooled one), the
/// limits its instances get and, once a component is loaded, the component
/// linked and ready to instantiate.
pub(crate) struct Runtime {
    core: Arc<Core>,
    limits: Limits,
    pre: Option<WorkloadPre<Host>>,
}

impl Runtime {
    /// A runtime on `core`.
    pub(crate) fn new(limits: Limits, core: Arc<Core>) -> Self {
        Runtime {
            core,
            limits,
            pre: None,
        }
    }

    /// Loads a precompiled component from the cache and links it (or takes
    /// it from the engine's table of loaded components).
    pub(crate) fn load_component(&mut self, precompiled: &Path) -> Result<(), WasmError> {
        self.pre = Some(self.core.component(precompiled)?);
        Ok(())
    }

    /// Whether a component is loaded.
    pub(crate) fn has_component(&self) -> bool {
        self.pre.is_some()
    }

    /// A fresh instance of the loaded component in a store of its own.
    pub(crate) fn instantiate(&self) -> Result<Instance, BackendError> {
        let pre = self.pre.as_ref().ok_or_else(|| jsbench_api::not_ready("instantiate"))?;
        let stderr = MemoryOutputPipe::new(STDERR_CAPACITY);
        let wasi = WasiCtxBuilder::new().stderr(stderr.clone()).build();
        let host = Host {
            wasi,
            table: ResourceTable::new(),
            memory: MemoryLimiter {
                limit: self.limits.memory_limit,
                total: 0,
                refused: false,
            },
        };
        let mut store = Store::new(&self.core.engine, host);
        store.limiter(|host| &mut host.memory);
        store.set_epoch_deadline(deadline_ticks(self.limits.call_timeout));
        match pre.instantiate(&mut store) {
            Ok(workload) => Ok(Instance {
                store,
                workload,
                stderr,
            }),
            Err(error) => Err(classify(&error, store.data(), &stderr, &self.limits)),
        }
    }

    /// The limits this runtime applies.
    pub(crate) fn limits(&self) -> &Limits {
        &self.limits
    }
}

/// One instance of the workload component.
pub(crate) struct Instance {
    store: Store<Host>,
    workload: Workload,
    stderr: MemoryOutputPipe,
}

impl Instance {
    /// Calls `run(input)` with the per-call deadline. On an error the
    /// instance must not be used again.
    pub(crate) fn call(&mut self, input: &str, limits: &Limits) -> Result<String, BackendError> {
        self.store.set_epoch_deadline(deadline_ticks(limits.call_timeout));
        self.store.data_mut().memory.refused = false;
        let bytes = self
            .workload
            .call_run(&mut self.store, input)
            .map_err(|error| classify(&error, self.store.data(), &self.stderr, limits))?;
        // The guest's TextEncoder wrote these bytes (see wit/workload.wit).
        String::from_utf8(bytes)
            .map_err(|e| BackendError::Internal(format!("the component's result is not UTF-8: {e}")))
    }

    /// Bytes of linear memory the instance has now.
    pub(crate) fn memory_bytes(&self) -> Bytes {
        self.store.data().memory.total
    }
}

/// Epoch ticks for a timeout: rounded up, plus one because the current tick
/// may be about to end.
fn deadline_ticks(timeout: Duration) -> u64 {
    let ticks = timeout.as_nanos().div_ceil(TICK.as_nanos()).saturating_add(1);
    u64::try_from(ticks).unwrap_or(u64::MAX)
}

/// Turns a failed call (or instantiation) into the harness's error kinds.
fn classify(error: &wasmtime::Error, host: &Host, stderr: &MemoryOutputPipe, limits: &Limits) -> BackendError {
    let trap = error.downcast_ref::<Trap>().copied();
    if trap == Some(Trap::Interrupt) {
        return BackendError::Timeout {
            limit: limits.call_timeout,
        };
    }
    let report = GuestReport::parse(&String::from_utf8_lossy(&stderr.contents()));
    let said_oom = report
        .as_ref()
        .is_some_and(|r| r.message.to_ascii_lowercase().contains("out of memory"));
    if host.memory.refused || said_oom {
        let detail = format!(
            "linear memory growth past the {} byte limit was refused ({} bytes in use)",
            limits.memory_limit, host.memory.total
        );
        let message = match report {
            Some(report) => format!("{}; {detail}", report.message),
            None => detail,
        };
        return BackendError::OutOfMemory { message };
    }
    if let Some(report) = report {
        return report.into_error();
    }
    match trap {
        Some(trap) => BackendError::Crashed(format!("wasm trap: {trap}")),
        None => BackendError::Internal(format!("{error:#}")),
    }
}

/// What StarlingMonkey printed on stderr before aborting: the uncaught
/// exception's message (its `message` or the thrown value; the error's name
/// is not included) and, for Error objects, a `Stack:` section.
#[derive(Debug, PartialEq)]
struct GuestReport {
    message: String,
    stack: Option<String>,
    never_settled: bool,
}

impl GuestReport {
    fn parse(stderr: &str) -> Option<Self> {
        let text: Vec<&str> = stderr
            .lines()
            .filter(|line| !line.starts_with("Redirecting call to abort()"))
            .collect();
        let text = text.join("\n");
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let never_settled = text.contains("no exception is pending");
        let (message, stack) = match text.split_once("\nStack:\n") {
            Some((message, stack)) => {
                // Frames in ComponentizeJS's generated glue only add noise
                // (and a temporary path).
                let mut frames: Vec<&str> = stack
                    .lines()
                    .map(str::trim)
                    .filter(|f| !f.is_empty() && !f.contains("initializer.js"))
                    .collect();
                // "too much recursion" prints every frame.
                let omitted = frames.len().saturating_sub(MAX_FRAMES);
                frames.truncate(MAX_FRAMES);
                let mut stack = frames.join("\n");
                if omitted > 0 {
                    stack.push_str(&format!("\n… {omitted} more frames"));
                }
                (message.trim(), (!frames.is_empty()).then_some(stack))
            }
            None => (text, None),
        };
        Some(GuestReport {
            message: message.to_string(),
            stack,
            never_settled,
        })
    }

    fn into_error(self) -> BackendError {
        if self.never_settled {
            return BackendError::Exception {
                message: format!("the Promise returned by `run` never settled ({})", self.message),
                stack: None,
            };
        }
        BackendError::Exception {
            message: self.message,
            stack: self.stack,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadline_rounds_up_and_adds_a_tick() {
        assert_eq!(deadline_ticks(Duration::from_millis(1000)), 101);
        assert_eq!(deadline_ticks(Duration::from_millis(1)), 2);
        assert_eq!(deadline_ticks(Duration::ZERO), 1);
    }

    #[test]
    fn guest_report_splits_message_and_stack() {
        let stderr = "boom throw\nStack:\n  run@workload.mjs:1:59\n  export_run@/tmp/x/sources/initializer.js:63:15\n\nRedirecting call to abort() to mozalloc_abort\n";
        let report = GuestReport::parse(stderr).unwrap();
        assert_eq!(report.message, "boom throw");
        assert_eq!(report.stack.as_deref(), Some("run@workload.mjs:1:59"));
        assert!(!report.never_settled);
        let deep = format!("too much recursion\nStack:\n{}", "  f@w.mjs:1:1\n".repeat(40));
        let stack = GuestReport::parse(&deep).unwrap().stack.unwrap();
        assert_eq!(stack.lines().count(), MAX_FRAMES + 1);
        assert!(stack.ends_with("… 8 more frames"), "{stack}");
        assert_eq!(
            GuestReport::parse("\nRedirecting call to abort() to mozalloc_abort\n"),
            None
        );
    }

    #[test]
    fn guest_report_notices_unsettled_promises() {
        let stderr = "Error while (call) event loop error, but no exception is pending. Aborting, since that doesn't seem recoverable at all.\n";
        match GuestReport::parse(stderr).unwrap().into_error() {
            BackendError::Exception { message, .. } => assert!(message.contains("never settled"), "{message}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn limiter_caps_all_memories_together() {
        let mut limiter = MemoryLimiter {
            limit: 3 << 16,
            total: 0,
            refused: false,
        };
        assert!(limiter.memory_growing(0, 2 << 16, None).unwrap());
        assert!(limiter.memory_growing(0, 1 << 16, None).unwrap());
        assert!(!limiter.memory_growing(1 << 16, 2 << 16, None).unwrap());
        assert!(limiter.refused);
        assert_eq!(limiter.total, 3 << 16);
    }
}
