//! Size probe `deno-core`: creates a deno_core `JsRuntime` the way
//! backends/deno-core does (V8's unprotected platform), runs the script
//! given as the first argument and prints its result as a string.

use deno_core::{JsRuntime, RuntimeOptions, v8};
use std::process::ExitCode;

fn main() -> ExitCode {
    let script = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "[6 * 7, 'probe'].join(' ')".into());
    let mut runtime = JsRuntime::new(RuntimeOptions::default());
    let result = runtime.execute_script("probe", script).ok().and_then(|value| {
        deno_core::scope!(scope, runtime);
        let value = v8::Local::new(scope, value);
        value.to_string(scope).map(|text| text.to_rust_string_lossy(scope))
    });
    match result {
        Some(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("deno-core probe: the script did not compile or threw");
            ExitCode::FAILURE
        }
    }
}
