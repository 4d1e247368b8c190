//! Size probe `boa`: creates a Boa context, evaluates the script given as the
//! first argument and prints its result as a string.

use boa_engine::{Context, Source};
use std::process::ExitCode;

fn main() -> ExitCode {
    let script = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "[6 * 7, 'probe'].join(' ')".into());
    let mut context = Context::default();
    let result = context
        .eval(Source::from_bytes(script.as_bytes()))
        .and_then(|value| value.to_string(&mut context));
    match result {
        Ok(text) => {
            println!("{}", text.to_std_string_escaped());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("boa probe: {error}");
            ExitCode::FAILURE
        }
    }
}
