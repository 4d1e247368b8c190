//! The transport floor of the process backends (what an out-of-process call
//! costs before its workload: see `jsbench_process::floor`), reached through
//! the registry so the harness needs no dependency on the process crate.

use jsbench_schema::{Transport, TransportFloor};
use std::process::Command;

/// Times `round_trips` single empty round trips (after `warmup` untimed
/// ones) to the Rust peer that `peer` starts for the backend's transport,
/// the runtime's minimal echo and jsbench's server script, for the process
/// backend `name`. `None`: `name` is not a process backend of this build.
pub fn transport_floor(
    name: &str,
    peer: impl FnOnce(Transport) -> Command,
    warmup: u32,
    round_trips: u32,
) -> Option<TransportFloor> {
    #[cfg(feature = "process")]
    {
        let settings = jsbench_process::floor::FloorSettings { warmup, round_trips };
        jsbench_process::floor::measure(name, peer, settings)
    }
    #[cfg(not(feature = "process"))]
    {
        let _ = (name, warmup, round_trips);
        drop(peer);
        None
    }
}

/// Serves the trivial Rust peer of `transport` on stdin and stdout until
/// stdin closes (the child that `peer` of [`transport_floor`] runs).
pub fn serve_transport_peer(transport: Transport) -> std::io::Result<()> {
    #[cfg(feature = "process")]
    {
        jsbench_process::floor::serve_peer(transport)
    }
    #[cfg(not(feature = "process"))]
    {
        let _ = transport;
        Err(std::io::Error::other("this build has no process backends"))
    }
}
