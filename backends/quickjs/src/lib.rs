//! The QuickJS backend: QuickJS-ng embedded through `rquickjs`.
//!
//! Timeouts use QuickJS's interrupt handler, which the interpreter polls while
//! it runs; the handler compares the clock against the current call's
//! deadline. The memory limit is QuickJS's own allocator limit, so an
//! allocation storm becomes a catchable out-of-memory error in the engine.
#![deny(missing_docs)]

use jsbench_api::{
    BackendError, BackendKind, Bytes, Capabilities, Descriptor, HOST_CALLBACK_NAME, JsBackend, Limits, WorkloadModule,
};
use rquickjs::{CatchResultExt, CaughtError, Context, Ctx, Function, Module, Persistent, Runtime, Value};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

/// Native stack QuickJS may use; generous enough for the suite's recursion,
/// well inside the worker's 8 MiB main-thread stack.
const MAX_STACK_BYTES: usize = 4 << 20;

/// QuickJS via `rquickjs`.
#[derive(Default)]
pub struct QuickJsBackend {
    state: Option<State>,
}

struct State {
    // Field order matters: the function handle and context must drop before
    // the runtime.
    run: Option<Persistent<Function<'static>>>,
    context: Context,
    runtime: Runtime,
    limits: Limits,
    clock: Arc<CallClock>,
}

/// The deadline of the call in progress, shared with the interrupt handler.
struct CallClock {
    origin: Instant,
    /// Nanoseconds after `origin` at which to interrupt; 0 = no call running.
    deadline: AtomicU64,
    fired: AtomicBool,
}

impl CallClock {
    fn arm(&self, limits: &Limits) {
        let at = self.origin.elapsed() + limits.call_timeout;
        self.fired.store(false, Ordering::Relaxed);
        self.deadline
            .store(u64::try_from(at.as_nanos()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    fn disarm(&self) -> bool {
        self.deadline.store(0, Ordering::Relaxed);
        self.fired.swap(false, Ordering::Relaxed)
    }

    fn should_interrupt(&self) -> bool {
        let deadline = self.deadline.load(Ordering::Relaxed);
        if deadline != 0 && self.origin.elapsed().as_nanos() >= u128::from(deadline) {
            self.fired.store(true, Ordering::Relaxed);
            return true;
        }
        false
    }
}

impl QuickJsBackend {
    /// A backend with no runtime yet; `create` makes one.
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&mut self, what: &str) -> Result<&mut State, BackendError> {
        self.state.as_mut().ok_or_else(|| jsbench_api::not_ready(what))
    }
}

/// The backend's name, on the command line and in results.
pub const NAME: &str = "quickjs";

/// The QuickJS-ng version bundled by `rquickjs-sys` 0.14.0 (pinned in the workspace).
pub const QUICKJS_VERSION: &str = "0.16.2 (rquickjs 0.14.0)";

impl JsBackend for QuickJsBackend {
    fn descriptor(&self) -> Descriptor {
        Descriptor {
            name: NAME.into(),
            engine: "QuickJS-ng".into(),
            engine_version: QUICKJS_VERSION.into(),
            kind: BackendKind::Embedded,
            capabilities: Capabilities {
                interrupt: true,
                memory_limit: true,
                engine_memory: true,
                host_callback: true,
                host_value: false,
                promises: true,
                jit: false,
            },
            flags: vec![],
        }
    }

    fn create(&mut self, limits: &Limits) -> Result<(), BackendError> {
        self.state = None;
        let runtime = Runtime::new().map_err(internal)?;
        runtime.set_memory_limit(usize::try_from(limits.memory_limit).unwrap_or(usize::MAX));
        runtime.set_max_stack_size(MAX_STACK_BYTES);
        let clock = Arc::new(CallClock {
            origin: Instant::now(),
            deadline: AtomicU64::new(0),
            fired: AtomicBool::new(false),
        });
        let handler_clock = Arc::clone(&clock);
        runtime.set_interrupt_handler(Some(Box::new(move || handler_clock.should_interrupt())));
        let context = Context::full(&runtime).map_err(internal)?;
        context.with(|ctx| -> Result<(), BackendError> {
            let host = Function::new(ctx.clone(), |arg: String| jsbench_api::host_callback(&arg)).map_err(internal)?;
            ctx.globals().set(HOST_CALLBACK_NAME, host).map_err(internal)?;
            let print =
                Function::new(ctx.clone(), |line: String| jsbench_api::console_print(&line)).map_err(internal)?;
            ctx.globals()
                .set(jsbench_api::CONSOLE_PRINT_NAME, print)
                .map_err(internal)?;
            ctx.eval::<(), _>(jsbench_api::CONSOLE_PRELUDE).map_err(internal)
        })?;
        self.state = Some(State {
            run: None,
            context,
            runtime,
            limits: *limits,
            clock,
        });
        Ok(())
    }

    fn load(&mut self, module: &WorkloadModule) -> Result<(), BackendError> {
        let state = self.state("load")?;
        let limits = state.limits;
        state.clock.arm(&limits);
        let loaded = state
            .context
            .with(|ctx| -> Result<Persistent<Function<'static>>, BackendError> {
                let declared = Module::declare(ctx.clone(), module.name.as_str(), module.source.as_str())
                    .catch(&ctx)
                    .map_err(|e| to_backend_error(e, true))?;
                let (evaluated, done) = declared.eval().catch(&ctx).map_err(|e| to_backend_error(e, false))?;
                done.finish::<Value>()
                    .catch(&ctx)
                    .map_err(|e| to_backend_error(e, false))?;
                let run: Value = evaluated
                    .get("run")
                    .catch(&ctx)
                    .map_err(|e| to_backend_error(e, false))?;
                let run = run.into_function().ok_or_else(|| BackendError::Exception {
                    message: format!("module `{}` does not export a function named `run`", module.name),
                    stack: None,
                })?;
                Ok(Persistent::save(&ctx, run))
            });
        let fired = state.clock.disarm();
        let run = loaded.map_err(|e| timeout_if(fired, &limits, e))?;
        state.run = Some(run);
        Ok(())
    }

    fn call(&mut self, input: &str) -> Result<String, BackendError> {
        let state = self.state("call")?;
        let run = state.run.clone().ok_or_else(|| jsbench_api::not_ready("call"))?;
        let limits = state.limits;
        state.clock.arm(&limits);
        let result = state.context.with(|ctx| -> Result<String, BackendError> {
            let run = run.restore(&ctx).map_err(internal)?;
            let value: Value = run.call((input,)).catch(&ctx).map_err(|e| to_backend_error(e, false))?;
            let value = settle(&ctx, value)?;
            string_result(value)
        });
        let fired = state.clock.disarm();
        result.map_err(|e| timeout_if(fired, &limits, e))
    }

    fn engine_memory(&mut self) -> Option<Bytes> {
        let state = self.state.as_ref()?;
        let usage = state.runtime.memory_usage();
        u64::try_from(usage.malloc_size).ok()
    }
}

/// Drains the job queue until a returned promise settles.
fn settle<'js>(ctx: &Ctx<'js>, value: Value<'js>) -> Result<Value<'js>, BackendError> {
    match value.try_into_promise() {
        Ok(promise) => promise
            .finish::<Value>()
            .catch(ctx)
            .map_err(|e| to_backend_error(e, false)),
        Err(value) => Ok(value),
    }
}

fn string_result(value: Value<'_>) -> Result<String, BackendError> {
    let type_name = value.type_name();
    match value.as_string() {
        Some(s) => s.to_string().map_err(internal),
        None => Err(BackendError::Exception {
            message: format!("run returned {type_name}, expected a string"),
            stack: None,
        }),
    }
}

/// An interrupted call surfaces as an uncatchable exception; report it as the
/// timeout it is.
fn timeout_if(fired: bool, limits: &Limits, error: BackendError) -> BackendError {
    if fired {
        BackendError::Timeout {
            limit: limits.call_timeout,
        }
    } else {
        error
    }
}

fn internal(e: rquickjs::Error) -> BackendError {
    BackendError::Internal(format!("QuickJS: {e}"))
}

fn to_backend_error(error: CaughtError<'_>, parsing: bool) -> BackendError {
    match error {
        CaughtError::Error(rquickjs::Error::Allocation) => BackendError::OutOfMemory {
            message: "QuickJS allocation failed".into(),
        },
        CaughtError::Error(rquickjs::Error::WouldBlock) => BackendError::Exception {
            message: "run returned a Promise that can never settle (the job queue is empty)".into(),
            stack: None,
        },
        CaughtError::Error(e) => internal(e),
        CaughtError::Exception(exception) => {
            let name: Option<String> = exception.get("name").ok();
            let message = exception.message().unwrap_or_default();
            let stack = exception.stack().filter(|s| !s.trim().is_empty());
            let shown = match &name {
                Some(n) if !n.is_empty() => format!("{n}: {message}"),
                _ => message.clone(),
            };
            if message.contains("out of memory") {
                BackendError::OutOfMemory { message: shown }
            } else if parsing || name.as_deref() == Some("SyntaxError") && stack_is_parse(&stack) {
                BackendError::Syntax {
                    message: match stack {
                        Some(s) => format!("{shown}\n{s}"),
                        None => shown,
                    },
                }
            } else {
                BackendError::Exception { message: shown, stack }
            }
        }
        CaughtError::Value(value) => {
            if value.is_null() {
                // QuickJS throws a bare `null` when it cannot even allocate the error.
                return BackendError::OutOfMemory {
                    message: "QuickJS ran out of memory".into(),
                };
            }
            let shown = value
                .get::<rquickjs::convert::Coerced<String>>()
                .map(|s| s.0)
                .unwrap_or_else(|_| format!("a thrown {} value", value.type_name()));
            BackendError::Exception {
                message: format!("uncaught non-Error value: {shown}"),
                stack: None,
            }
        }
    }
}

/// A SyntaxError thrown while parsing has no JavaScript frames in its stack;
/// one thrown by running code (e.g. `JSON.parse`) does.
fn stack_is_parse(stack: &Option<String>) -> bool {
    stack.as_deref().is_none_or(|s| !s.contains("at "))
}
