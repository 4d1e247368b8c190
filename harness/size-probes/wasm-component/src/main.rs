//! Size probe `wasm-component`: a wasmtime engine configured like
//! backends/wasm (component model, epoch interruption), a WASI preview 2
//! linker, and one call of the `run(input: string) -> string` export of the
//! component given as the first argument (a ComponentizeJS component, `.wasm`,
//! compiled here with Cranelift). Prints the result.
//!
//! Usage: `jsbench-size-wasm-component <component.wasm> [input]`

use std::process::ExitCode;
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Config, Engine, Store};
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

struct Host {
    wasi: WasiCtx,
    table: ResourceTable,
}

impl WasiView for Host {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

fn run(component: &str, input: &str) -> wasmtime::Result<String> {
    let mut config = Config::new();
    config.wasm_component_model(true);
    config.epoch_interruption(true);
    let engine = Engine::new(&config)?;
    let mut linker = Linker::<Host>::new(&engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    let component = Component::from_file(&engine, component)?;
    let host = Host {
        wasi: WasiCtxBuilder::new().inherit_stderr().build(),
        table: ResourceTable::new(),
    };
    let mut store = Store::new(&engine, host);
    store.set_epoch_deadline(u64::MAX / 2);
    let instance = linker.instantiate(&mut store, &component)?;
    let run = instance.get_typed_func::<(&str,), (String,)>(&mut store, "run")?;
    let (out,) = run.call(&mut store, (input,))?;
    run.post_return(&mut store)?;
    Ok(out)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(component) = args.next() else {
        eprintln!("usage: jsbench-size-wasm-component <component.wasm> [input]");
        return ExitCode::from(2);
    };
    let input = args.next().unwrap_or_else(|| "probe".into());
    match run(&component, &input) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("wasm-component probe: {error:#}");
            ExitCode::FAILURE
        }
    }
}
