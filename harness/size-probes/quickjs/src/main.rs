//! Size probe `quickjs`: creates a QuickJS runtime and context, evaluates the
//! script given as the first argument and prints its result as a string.

use std::process::ExitCode;

fn main() -> ExitCode {
    let script = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "[6 * 7, 'probe'].join(' ')".into());
    let result = rquickjs::Runtime::new().and_then(|runtime| {
        let context = rquickjs::Context::full(&runtime)?;
        context.with(|ctx| {
            ctx.eval::<rquickjs::Coerced<String>, _>(script)
                .map(|s| s.0)
        })
    });
    match result {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("quickjs probe: {error}");
            ExitCode::FAILURE
        }
    }
}
