//! Size probe `v8`: initialises V8 the way backends/v8 does (the unprotected
//! default platform), creates an isolate and a context, runs the script given
//! as the first argument and prints its result as a string.

use std::process::ExitCode;

fn main() -> ExitCode {
    let script = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "[6 * 7, 'probe'].join(' ')".into());
    let platform = v8::new_unprotected_default_platform(0, false).make_shared();
    v8::V8::initialize_platform(platform);
    v8::V8::initialize();
    let result = {
        let isolate = &mut v8::Isolate::new(v8::CreateParams::default());
        v8::scope!(let scope, isolate);
        let context = v8::Context::new(scope, Default::default());
        let scope = &mut v8::ContextScope::new(scope, context);
        v8::String::new(scope, &script)
            .and_then(|code| v8::Script::compile(scope, code, None))
            .and_then(|script| script.run(scope))
            .and_then(|value| value.to_string(scope))
            .map(|text| text.to_rust_string_lossy(scope))
    };
    // SAFETY: every isolate is gone; V8 is not used after this.
    unsafe {
        v8::V8::dispose();
    }
    v8::V8::dispose_platform();
    match result {
        Some(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("v8 probe: the script did not compile or threw");
            ExitCode::FAILURE
        }
    }
}
