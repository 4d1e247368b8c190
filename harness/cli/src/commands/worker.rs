//! `jsbench worker`: the child side of a cell. Reads one request on
//! stdin, runs it, and streams events on stdout (see the runner's
//! `protocol` module). Not meant to be run by hand.

use crate::cli::WorkerArgs;
use crate::registry;
use anyhow::{Context, Result};
use jsbench_runner::protocol::WorkerRequest;
use jsbench_runner::worker::{EventSink, run_worker};
use std::io::Read;
use std::process::ExitCode;

/// Runs the worker.
pub fn execute(_args: WorkerArgs) -> Result<ExitCode> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .context("reading the worker request from stdin")?;
    let request: WorkerRequest = serde_json::from_str(&text).context("parsing the worker request")?;
    let entry = registry::find(&request.backend)
        .ok_or_else(|| anyhow::anyhow!("this build has no backend called `{}`", request.backend))?;
    let mut backend = (entry.make)();
    let sink = EventSink::new(Box::new(std::io::stdout()));
    let code = run_worker(backend.as_mut(), &request, &sink);
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(1)))
}
