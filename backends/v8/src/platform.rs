//! Process-wide V8 set-up: flags and platform, done once per process.
//!
//! V8 reads its flags when the platform is initialised and must not see them
//! change afterwards, so the variant (JIT or jitless) is fixed by the first
//! [`init_process`] call; a later call asking for the other variant is an
//! error rather than a silent mix-up of results.

use jsbench_api::BackendError;
use std::sync::OnceLock;

/// The variant the process was initialised with, and the platform (kept so
/// that pending platform tasks can be pumped while a promise settles).
struct Process {
    jitless: bool,
    platform: v8::SharedRef<v8::Platform>,
}

static PROCESS: OnceLock<Process> = OnceLock::new();

/// Why V8 could not be set up for this process.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InitError {
    /// The process already runs the other variant; V8 flags cannot change
    /// once the platform is initialised.
    #[error(
        "V8 was already initialised {} in this process; {} needs a process of its own",
        variant(*.initialised),
        variant(*.requested)
    )]
    VariantMismatch {
        /// Whether the process was initialised jitless.
        initialised: bool,
        /// Whether the caller asked for jitless.
        requested: bool,
    },
}

fn variant(jitless: bool) -> &'static str {
    if jitless { "jitless (--jitless)" } else { "with the JIT" }
}

impl From<InitError> for BackendError {
    fn from(e: InitError) -> Self {
        BackendError::Internal(e.to_string())
    }
}

/// The V8 flags each variant runs with (as reported in the descriptor).
pub(crate) fn flags(jitless: bool) -> Vec<String> {
    if jitless {
        vec!["--jitless".to_owned()]
    } else {
        Vec::new()
    }
}

/// Sets V8's flags for the variant and initialises V8, once per process.
///
/// Idempotent: calling it again with the same `jitless` does nothing. Calling
/// it with the other value is an error, since V8's flags are process-wide and
/// frozen after initialisation. Call it early (e.g. at worker start-up); the
/// backend's `create` calls it as well.
pub fn init_process(jitless: bool) -> Result<(), BackendError> {
    let process = PROCESS.get_or_init(|| {
        let flags = flags(jitless);
        if !flags.is_empty() {
            v8::V8::set_flags_from_string(&flags.join(" "));
        }
        // The unprotected platform: the protected one (memory protection keys)
        // requires every thread that uses V8 to descend from the thread that
        // initialised it, which a library cannot promise (test threads, for
        // one, are siblings).
        let platform = v8::new_unprotected_default_platform(0, false).make_shared();
        v8::V8::initialize_platform(platform.clone());
        v8::V8::initialize();
        Process { jitless, platform }
    });
    if process.jitless == jitless {
        Ok(())
    } else {
        Err(InitError::VariantMismatch {
            initialised: process.jitless,
            requested: jitless,
        }
        .into())
    }
}

/// Runs one pending platform task for `isolate`, if there is one (e.g. a
/// delayed task some promise waits on). Returns whether a task ran.
pub(crate) fn pump_one_task(isolate: &v8::Isolate) -> bool {
    match PROCESS.get() {
        Some(process) => v8::Platform::pump_message_loop(&process.platform, isolate, false),
        None => false,
    }
}

/// The V8 version linked into this crate (e.g. `15.2.x.y`).
pub fn v8_version() -> &'static str {
    v8::V8::get_version()
}
