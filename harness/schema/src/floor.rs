//! What an out-of-process call costs before any JavaScript runs: the
//! transport floor, measured once per run for each process backend, and
//! the CPU placement a run asked for.

use crate::Summary;
use serde::{Deserialize, Serialize};

/// How a process backend talks to its runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Transport {
    /// HTTP/1.1 over loopback TCP, keep-alive.
    Http,
    /// Length-prefixed frames over the child's stdin and stdout.
    Pipe,
}

impl Transport {
    /// Both transports.
    pub const ALL: [Transport; 2] = [Transport::Http, Transport::Pipe];

    /// Short name, the last part of backend names (`http`, `pipe`).
    pub fn key(self) -> &'static str {
        match self {
            Transport::Http => "http",
            Transport::Pipe => "pipe",
        }
    }
}

/// One process backend's fixed cost per call, in three nested parts, each
/// the latency of single empty round trips (ns) from jsbench's own client:
///
/// - `floor`: to a trivial peer written in Rust over the same transport
///   (the operating system, the loopback or pipe, jsbench's client);
/// - `runtime_echo`: to the runtime's own minimal echo with no module and
///   no jsbench server (the floor plus the runtime's I/O and event loop);
/// - `server_noop`: to jsbench's server script in the runtime, an empty
///   request (the echo plus jsbench's protocol: framing, dispatch, queue).
///
/// A call of the backend on a workload is then floor + runtime + protocol +
/// workload, the last part being the cell's time per call less
/// `server_noop`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransportFloor {
    /// The process backend (e.g. `node-pipe`).
    pub backend: String,
    /// Its transport.
    pub transport: Transport,
    /// Round trips to the Rust peer.
    #[serde(default)]
    pub floor: Option<Summary>,
    /// Round trips to the runtime's minimal echo.
    #[serde(default)]
    pub runtime_echo: Option<Summary>,
    /// Empty requests to jsbench's server script.
    #[serde(default)]
    pub server_noop: Option<Summary>,
    /// Why a part is missing, when one is.
    #[serde(default)]
    pub error: Option<String>,
}

/// Where a run placed its worker processes and the runtime processes they
/// start (`--pin`), as CPU numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CpuPin {
    /// CPUs of the worker processes (and of jsbench's transport-floor
    /// client).
    pub worker: Vec<usize>,
    /// CPUs of the processes a worker starts (the Node, Deno and Bun
    /// children of the process backends).
    pub child: Vec<usize>,
}
