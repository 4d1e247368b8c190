//! `jsbench worker`: the child side of a cell. Reads one request on
//! stdin, runs it, and streams events on stdout (see the runner's
//! `protocol` module). Not meant to be run by hand; neither is
//! `jsbench transport-peer`, the Rust peer of the transport floor.

use crate::cli::{TransportArg, TransportPeerArgs, WorkerArgs};
use crate::registry;
use anyhow::{Context, Result};
use jsbench_runner::protocol::{Mode, WorkerRequest};
use jsbench_runner::worker::{EventSink, run_worker};
use std::io::Read;
use std::process::ExitCode;

/// Runs the worker.
pub fn execute(args: WorkerArgs) -> Result<ExitCode> {
    // The runtime processes of the process backends go where `--pin` says.
    jsbench_supervise::placement::set_child_cpus(args.child_cpus);
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .context("reading the worker request from stdin")?;
    let request: WorkerRequest = serde_json::from_str(&text).context("parsing the worker request")?;
    let entry = registry::find(&request.backend)
        .ok_or_else(|| anyhow::anyhow!("this build has no backend called `{}`", request.backend))?;
    let sink = EventSink::new(Box::new(std::io::stdout()));
    let code = match request.measure.mode {
        Mode::Density { .. } => jsbench_runner::density::run_density(&entry.make, &request, &sink),
        Mode::Concurrency { .. } => jsbench_runner::concurrency::run_concurrency(&entry.make, &request, &sink),
        _ => {
            let mut backend = (entry.make)();
            run_worker(backend.as_mut(), &request, &sink)
        }
    };
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(1)))
}

/// Serves the transport floor's Rust peer until stdin closes.
pub fn transport_peer(args: TransportPeerArgs) -> Result<ExitCode> {
    let transport = match args.transport {
        TransportArg::Pipe => jsbench_schema::Transport::Pipe,
        TransportArg::Http => jsbench_schema::Transport::Http,
    };
    jsbench_registry::serve_transport_peer(transport).context("serving the transport-floor peer")?;
    Ok(ExitCode::SUCCESS)
}
