//! deno_core's errors (`CoreError`, `JsError`) as the harness's typed
//! [`BackendError`]s.

use deno_core::error::{CoreError, CoreErrorKind, JsError};
use jsbench_api::BackendError;

/// Why a phase stopped: a reportable error, or termination of execution
/// (the caller knows from its flags whether by the watchdog or the
/// near-heap-limit callback); the `v8` backend's, so [`jsbench_v8::end_phase`]
/// ends phases of both the same way.
pub(crate) use jsbench_v8::Failure;

/// A thrown value as an `Exception`: `Name: message` for errors, the value
/// itself (after "uncaught non-Error value: ") for anything else, as
/// backends/v8 reports them.
pub(crate) fn exception(js: &JsError) -> BackendError {
    let message = match (&js.name, &js.message) {
        (Some(name), Some(message)) => format!("{name}: {message}"),
        (Some(name), None) => name.clone(),
        _ => format!("uncaught non-Error value: {}", uncaught(&js.exception_message)),
    };
    BackendError::Exception {
        message,
        stack: js.stack.clone().filter(|s| !s.trim().is_empty()),
    }
}

/// `exception_message` without deno_core's "Uncaught " prefix.
fn uncaught(message: &str) -> &str {
    let message = message.strip_prefix("Uncaught ").unwrap_or(message);
    message.strip_prefix("(in promise) ").unwrap_or(message)
}

/// A failed module load: a SyntaxError at compile time is a `Syntax` error
/// with its location, anything else (a refused import) an exception.
pub(crate) fn load_failure(error: CoreError) -> Failure {
    match &*error.0 {
        CoreErrorKind::Js(js) if js.name.as_deref() == Some("SyntaxError") => {
            let mut message = exception_text(js);
            if let Some(location) = js.frames.first().and_then(|f| f.maybe_format_location()) {
                message = format!("{message} (at {location})");
            }
            Failure::Error(BackendError::Syntax { message })
        }
        _ => core_failure(error),
    }
}

fn exception_text(js: &JsError) -> String {
    match exception(js) {
        BackendError::Exception { message, .. } => message,
        other => other.to_string(),
    }
}

/// Any other failure of deno_core: thrown values, terminated execution, a
/// promise the event loop can never settle.
pub(crate) fn core_failure(error: CoreError) -> Failure {
    match *error.0 {
        CoreErrorKind::Js(js) => Failure::Error(exception(&js)),
        CoreErrorKind::ExecutionTerminated | CoreErrorKind::EvaluateDynamicImportedModule => Failure::Terminated,
        CoreErrorKind::PendingPromiseResolution => Failure::Error(BackendError::Exception {
            message: "run returned a Promise that can never settle (the event loop has nothing left to run)".into(),
            stack: None,
        }),
        CoreErrorKind::CouldNotExecute { error, .. } => core_failure(CoreError(error)),
        CoreErrorKind::JsBox(e) => Failure::Error(BackendError::Exception {
            message: e.to_string(),
            stack: None,
        }),
        other => Failure::Error(BackendError::Internal(format!("deno_core: {other}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncaught_prefixes_are_dropped() {
        assert_eq!(uncaught("Uncaught 42"), "42");
        assert_eq!(uncaught("Uncaught (in promise) 42"), "42");
        assert_eq!(uncaught("42"), "42");
    }
}
