//! The Boa backend: the Boa engine, written in Rust, embedded through
//! `boa_engine`.
//!
//! Boa has no way to interrupt running code from outside, so a call that
//! runs past its deadline is ended by the worker process's watchdog (the
//! capability `interrupt` is false). Boa has no allocator limit either: the
//! memory limit is enforced by the harness watching the worker's resident
//! size. Its runtime limits (recursion depth, VM stack) turn runaway
//! recursion into a catchable error.
#![deny(missing_docs)]

use boa_engine::builtins::promise::PromiseState;
use boa_engine::module::Module;
use boa_engine::native_function::NativeFunction;
use boa_engine::object::builtins::JsFunction;
use boa_engine::vm::RuntimeLimits;
use boa_engine::{Context, JsError, JsNativeErrorKind, JsString, JsValue, Source, js_string};
use jsbench_api::{
    BackendError, BackendKind, Capabilities, Descriptor, HOST_CALLBACK_NAME, JsBackend, Limits, WorkloadModule,
};

/// The backend's name, on the command line and in results.
pub const NAME: &str = "boa";

/// The `boa_engine` version this crate is pinned to.
pub const BOA_VERSION: &str = "0.22.0";

/// Deepest JavaScript recursion allowed; Boa's default (512) is too shallow
/// for ordinary recursive code.
const RECURSION_LIMIT: usize = 4096;
/// Values on Boa's VM stack.
const STACK_SIZE_LIMIT: usize = 1 << 20;

/// Boa via `boa_engine`.
#[derive(Default)]
pub struct BoaBackend {
    context: Option<Context>,
    run: Option<JsFunction>,
}

impl BoaBackend {
    /// A backend with no runtime yet; `create` makes one.
    pub fn new() -> Self {
        Self::default()
    }
}

impl JsBackend for BoaBackend {
    fn descriptor(&self) -> Descriptor {
        Descriptor {
            name: NAME.into(),
            engine: "Boa".into(),
            engine_version: BOA_VERSION.into(),
            kind: BackendKind::Embedded,
            capabilities: Capabilities {
                interrupt: false,
                memory_limit: false,
                engine_memory: false,
                host_callback: true,
                host_value: false,
                promises: true,
                jit: false,
            },
            flags: vec![],
        }
    }

    fn create(&mut self, _limits: &Limits) -> Result<(), BackendError> {
        self.run = None;
        let mut context = Context::default();
        let mut runtime_limits = RuntimeLimits::default();
        runtime_limits.set_recursion_limit(RECURSION_LIMIT);
        runtime_limits.set_stack_size_limit(STACK_SIZE_LIMIT);
        context.set_runtime_limits(runtime_limits);
        context
            .register_global_callable(
                JsString::from(HOST_CALLBACK_NAME),
                1,
                NativeFunction::from_fn_ptr(|_this, args, context| {
                    let arg = args.first().cloned().unwrap_or_default();
                    let text = arg.to_string(context)?.to_std_string_escaped();
                    Ok(JsValue::from(JsString::from(
                        jsbench_api::host_callback(&text).as_str(),
                    )))
                }),
            )
            .map_err(|e| BackendError::Internal(format!("Boa: cannot install the host callback: {e}")))?;
        context
            .register_global_callable(
                JsString::from(jsbench_api::CONSOLE_PRINT_NAME),
                1,
                NativeFunction::from_fn_ptr(|_this, args, context| {
                    let arg = args.first().cloned().unwrap_or_default();
                    jsbench_api::console_print(&arg.to_string(context)?.to_std_string_escaped());
                    Ok(JsValue::undefined())
                }),
            )
            .map_err(|e| BackendError::Internal(format!("Boa: cannot install the console: {e}")))?;
        context
            .eval(Source::from_bytes(jsbench_api::CONSOLE_PRELUDE))
            .map_err(|e| BackendError::Internal(format!("Boa: cannot install the console: {e}")))?;
        self.context = Some(context);
        Ok(())
    }

    fn load(&mut self, module: &WorkloadModule) -> Result<(), BackendError> {
        let context = self.context.as_mut().ok_or_else(|| jsbench_api::not_ready("load"))?;
        let parsed = Module::parse(Source::from_bytes(module.source.as_bytes()), None, context)
            .map_err(|e| BackendError::Syntax { message: e.to_string() })?;
        let evaluated = parsed.load_link_evaluate(context);
        context.run_jobs().map_err(|e| to_backend_error(e, context))?;
        match evaluated.state() {
            PromiseState::Fulfilled(_) => {}
            PromiseState::Rejected(reason) => return Err(to_backend_error(JsError::from_opaque(reason), context)),
            PromiseState::Pending => {
                return Err(BackendError::Exception {
                    message: "module evaluation never finished (top-level await on a promise that cannot settle)"
                        .into(),
                    stack: None,
                });
            }
        }
        let run = parsed
            .namespace(context)
            .get(js_string!("run"), context)
            .map_err(|e| to_backend_error(e, context))?;
        let run = run
            .as_object()
            .and_then(JsFunction::from_object)
            .ok_or_else(|| BackendError::Exception {
                message: format!("module `{}` does not export a function named `run`", module.name),
                stack: None,
            })?;
        self.run = Some(run);
        Ok(())
    }

    fn call(&mut self, input: &str) -> Result<String, BackendError> {
        let context = self.context.as_mut().ok_or_else(|| jsbench_api::not_ready("call"))?;
        let run = self.run.as_ref().ok_or_else(|| jsbench_api::not_ready("call"))?;
        let argument = JsValue::from(JsString::from(input));
        let value = run
            .call(&JsValue::undefined(), &[argument], context)
            .map_err(|e| to_backend_error(e, context))?;
        let value = match value.as_promise() {
            Some(promise) => {
                context.run_jobs().map_err(|e| to_backend_error(e, context))?;
                match promise.state() {
                    PromiseState::Fulfilled(v) => v,
                    PromiseState::Rejected(reason) => {
                        return Err(to_backend_error(JsError::from_opaque(reason), context));
                    }
                    PromiseState::Pending => {
                        return Err(BackendError::Exception {
                            message: "run returned a Promise that can never settle (the job queue is empty)".into(),
                            stack: None,
                        });
                    }
                }
            }
            None => value,
        };
        match value.as_string() {
            Some(s) => s.to_std_string().map_err(|e| BackendError::Exception {
                message: format!("run returned a string with unpaired surrogates: {e}"),
                stack: None,
            }),
            None => Err(BackendError::Exception {
                message: format!("run returned {}, expected a string", value.type_of()),
                stack: None,
            }),
        }
    }
}

fn to_backend_error(error: JsError, context: &mut Context) -> BackendError {
    if let Ok(native) = error.try_native(context) {
        let name = match native.kind() {
            JsNativeErrorKind::Syntax => "SyntaxError",
            JsNativeErrorKind::Type => "TypeError",
            JsNativeErrorKind::Range => "RangeError",
            JsNativeErrorKind::Reference => "ReferenceError",
            JsNativeErrorKind::Eval => "EvalError",
            JsNativeErrorKind::Uri => "URIError",
            JsNativeErrorKind::Aggregate(_) => "AggregateError",
            _ => "Error",
        };
        let stack = error
            .clone()
            .into_opaque(context)
            .ok()
            .and_then(|v| v.as_object())
            .and_then(|o| o.get(js_string!("stack"), context).ok())
            .filter(|v| !v.is_undefined())
            .and_then(|v| v.to_string(context).ok())
            .map(|s| s.to_std_string_escaped())
            .filter(|s| !s.trim().is_empty());
        return BackendError::Exception {
            message: format!("{name}: {}", native.message()),
            stack,
        };
    }
    if let Some(value) = error.as_opaque() {
        let shown = value
            .to_string(context)
            .map(|s| s.to_std_string_escaped())
            .unwrap_or_else(|_| format!("a thrown {} value", value.type_of()));
        return BackendError::Exception {
            message: format!("uncaught non-Error value: {shown}"),
            stack: None,
        };
    }
    // Engine errors: runtime limits (recursion, stack) and engine panics.
    let text = error.to_string();
    if text.contains("Panic") {
        BackendError::Crashed(format!("Boa: {text}"))
    } else {
        BackendError::Exception {
            message: text,
            stack: None,
        }
    }
}

/// What the backend contract (`tests/contract.rs`) does not cover: Boa's
/// own messages and limits.
#[cfg(test)]
mod tests {
    use super::*;
    use jsbench_api::ErrorKind;

    fn loaded(source: &str) -> Result<BoaBackend, BackendError> {
        let mut b = BoaBackend::new();
        b.create(&Limits::default())?;
        b.load(&WorkloadModule {
            name: "test".into(),
            source: source.into(),
            path: None,
        })?;
        Ok(b)
    }

    #[test]
    fn host_callback_from_an_async_run() {
        let mut b =
            loaded("export async function run(s) { const x = await Promise.resolve(s); return jsbenchHost(x); }")
                .unwrap();
        assert_eq!(b.call("four").unwrap(), "4");
    }

    #[test]
    fn a_thrown_object_is_a_non_error_exception() {
        let mut b = loaded("export function run() { throw {a: 1}; }").unwrap();
        assert!(b.call("").unwrap_err().to_string().contains("non-Error"));
        let mut b = loaded("export function run() { return 5; }").unwrap();
        assert!(b.call("").unwrap_err().to_string().contains("expected a string"));
    }

    #[test]
    fn runaway_recursion_is_an_error_not_a_crash() {
        let mut b =
            loaded("function f(n) { return f(n + 1) + 1; } export function run() { return String(f(0)); }").unwrap();
        assert_eq!(b.call("").unwrap_err().kind(), ErrorKind::Exception);
    }
}
