//! Turning what V8 reports (caught exceptions, messages, results) into the
//! harness's typed errors and strings.

use jsbench_api::{BackendError, Limits};

/// Why a phase stopped early: a JavaScript-level error, or termination of
/// execution (by the watchdog or the near-heap-limit callback; the caller
/// knows which from their flags).
#[derive(Debug)]
pub enum Failure {
    /// Execution was terminated.
    Terminated,
    /// A reportable error.
    Error(BackendError),
}

impl From<BackendError> for Failure {
    fn from(e: BackendError) -> Self {
        Failure::Error(e)
    }
}

/// The typed end of a phase that ran under a [`Watchdog`](crate::watchdog::Watchdog)
/// (`fired`: it terminated the phase) and a near-heap-limit callback
/// (`out_of_memory`: it did), for every backend on this V8.
///
/// A pending termination is cancelled on `isolate` first, so it runs the
/// next phase. Out of memory wins over the timeout, and both over what the
/// phase managed to return meanwhile.
pub fn end_phase<R>(
    outcome: Result<R, Failure>,
    fired: bool,
    out_of_memory: bool,
    isolate: &v8::IsolateHandle,
    limits: &Limits,
) -> Result<R, BackendError> {
    if fired || out_of_memory || matches!(outcome, Err(Failure::Terminated)) {
        // Termination may still be pending (requested just as the phase
        // returned); clear it so the isolate runs the next phase.
        isolate.cancel_terminate_execution();
    }
    if out_of_memory {
        return Err(BackendError::OutOfMemory {
            message: format!(
                "V8 heap reached its limit ({} bytes); execution was terminated",
                limits.memory_limit
            ),
        });
    }
    if fired {
        // Past the deadline, whatever the phase managed to do meanwhile.
        return Err(BackendError::Timeout {
            limit: limits.call_timeout,
        });
    }
    outcome.map_err(|failure| match failure {
        Failure::Error(e) => e,
        Failure::Terminated => BackendError::Internal("V8 terminated execution for an unknown reason".into()),
    })
}

/// What the try-catch scope holds after a failed operation.
pub(crate) fn caught(tc: &mut v8::PinnedRef<'_, v8::TryCatch<'_, '_, v8::HandleScope<'_>>>) -> Failure {
    if tc.has_terminated() || tc.is_execution_terminating() {
        return Failure::Terminated;
    }
    match tc.exception() {
        Some(exception) => Failure::Error(exception_error(tc, exception)),
        None => Failure::Error(BackendError::Internal(
            "V8 reported a failure but no exception was thrown".into(),
        )),
    }
}

/// A thrown value as an `Exception`: `Name: message` for Error objects (as
/// `String(e)` gives), the value itself for anything else, and the `stack`
/// property where there is one.
pub(crate) fn exception_error<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    exception: v8::Local<'s, v8::Value>,
) -> BackendError {
    let message = if exception.is_native_error() {
        display(scope, exception)
    } else {
        format!("uncaught non-Error value: {}", display_thrown(scope, exception))
    };
    BackendError::Exception {
        message,
        stack: stack_of(scope, exception),
    }
}

/// A syntax (or other compile) error, with its location.
pub(crate) fn syntax_error(tc: &mut v8::PinnedRef<'_, v8::TryCatch<'_, '_, v8::HandleScope<'_>>>) -> Failure {
    if tc.has_terminated() || tc.is_execution_terminating() {
        return Failure::Terminated;
    }
    let Some(exception) = tc.exception() else {
        return Failure::Error(BackendError::Internal(
            "V8 failed to compile the module but threw no exception".into(),
        ));
    };
    let mut message = display(tc, exception);
    if let Some(msg) = tc.message() {
        let resource = msg
            .get_script_resource_name(tc)
            .map(|name| name.to_rust_string_lossy(tc))
            .unwrap_or_default();
        match msg.get_line_number(tc) {
            // Columns are 0-based in V8; editors count from 1.
            Some(line) => {
                let column = msg.get_start_column() + 1;
                message = format!("{message} (at {resource}:{line}:{column})");
            }
            None if !resource.is_empty() => message = format!("{message} (in {resource})"),
            None => {}
        }
    }
    Failure::Error(BackendError::Syntax { message })
}

/// `String(value)`, falling back to its type when that throws (e.g. a
/// Symbol, or an object whose `toString` throws).
pub(crate) fn display<'s>(scope: &mut v8::PinScope<'s, '_>, value: v8::Local<'s, v8::Value>) -> String {
    v8::tc_scope!(let tc, scope);
    match value.to_string(tc) {
        Some(s) => s.to_rust_string_lossy(tc),
        None => format!("a thrown {} value", value.type_of(tc).to_rust_string_lossy(tc)),
    }
}

/// A thrown non-Error: plain objects as JSON (more telling than
/// `[object Object]`), anything else as `String(value)`.
fn display_thrown<'s>(scope: &mut v8::PinScope<'s, '_>, value: v8::Local<'s, v8::Value>) -> String {
    if value.is_object() && !value.is_function() {
        v8::tc_scope!(let tc, scope);
        if let Some(json) = v8::json::stringify(tc, value) {
            return json.to_rust_string_lossy(tc);
        }
    }
    display(scope, value)
}

fn stack_of<'s>(scope: &mut v8::PinScope<'s, '_>, value: v8::Local<'s, v8::Value>) -> Option<String> {
    let object = value.to_object(scope).filter(|_| value.is_object())?;
    v8::tc_scope!(let tc, scope);
    let key = v8::String::new(tc, "stack")?;
    let stack = object.get(tc, key.into())?;
    if !stack.is_string() {
        return None;
    }
    let stack = stack.to_rust_string_lossy(tc);
    (!stack.trim().is_empty()).then_some(stack)
}

/// The string `run` returned, or an error naming what it returned instead.
pub fn string_result<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    value: v8::Local<'s, v8::Value>,
) -> Result<String, BackendError> {
    if value.is_string() {
        return Ok(value.to_rust_string_lossy(scope));
    }
    let type_name = if value.is_null() {
        "null".to_owned()
    } else {
        value.type_of(scope).to_rust_string_lossy(scope)
    };
    Err(BackendError::Exception {
        message: format!("run returned {type_name}, expected a string"),
        stack: None,
    })
}
