//! The transport floor: what an out-of-process call costs before any
//! workload runs, in three nested parts measured from jsbench's own client
//! (the [`Channel`] every process backend uses), each as single empty round
//! trips:
//!
//! 1. a trivial peer written in Rust over the same transport
//!    ([`serve_peer`], started by the caller as a child process): the
//!    operating system, the pipe or loopback socket, jsbench's client;
//! 2. the runtime's own minimal echo (`js/echo-pipe.mjs`,
//!    `js/echo-http.mjs`): the same server API as jsbench's scripts, no
//!    module, no protocol;
//! 3. jsbench's server script, an empty request
//!    ([`ProcessBackend::noop_round_trip`]).
//!
//! The differences are the runtime's and the protocol's shares; a cell's
//! time per call less the third is the workload's.

use crate::backend::ProcessBackend;
use crate::child::ChildProcess;
use crate::install::js_dir;
use crate::runtime::Runtime;
use crate::transport::{Channel, Op, Outcome, Transport, read_frame};
use jsbench_api::{JsBackend, Limits};
use jsbench_schema::{Summary, TransportFloor};
use std::io::{BufReader, BufWriter, Read, Write};
use std::process::Command;
use std::time::{Duration, Instant};

/// Longest one floor round trip may take before the measurement gives up.
const ROUND_TRIP_TIMEOUT: Duration = Duration::from_secs(10);

/// Longest a peer may take to start.
const STARTUP: Duration = Duration::from_secs(30);

/// How many round trips to time, after how many untimed ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FloorSettings {
    /// Untimed round trips first (connection set-up, JIT warm-up).
    pub warmup: u32,
    /// Timed round trips, each timed alone.
    pub round_trips: u32,
}

impl Default for FloorSettings {
    fn default() -> Self {
        FloorSettings {
            warmup: 500,
            round_trips: 3000,
        }
    }
}

/// Serves the Rust peer of `transport` on this process's stdin and stdout
/// until stdin closes: pipe frames answered with `O` and the same payload,
/// or HTTP requests on an ephemeral 127.0.0.1 port (printed on stdout)
/// answered with their body.
pub fn serve_peer(transport: Transport) -> std::io::Result<()> {
    match transport {
        Transport::Pipe => serve_pipe(std::io::stdin().lock(), std::io::stdout().lock()),
        Transport::Http => serve_http(),
    }
}

fn serve_pipe(input: impl Read, output: impl Write) -> std::io::Result<()> {
    let mut input = BufReader::with_capacity(64 * 1024, input);
    let mut output = BufWriter::with_capacity(64 * 1024, output);
    write_frame(&mut output, &[])?;
    loop {
        let (_, payload) = match read_frame(&mut input) {
            Ok(frame) => frame,
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e),
        };
        write_frame(&mut output, &payload)?;
    }
}

fn write_frame(output: &mut impl Write, payload: &[u8]) -> std::io::Result<()> {
    let length = u32::try_from(payload.len() + 1).map_err(std::io::Error::other)?;
    output.write_all(&length.to_be_bytes())?;
    output.write_all(b"O")?;
    output.write_all(payload)?;
    output.flush()
}

fn serve_http() -> std::io::Result<()> {
    let server = tiny_http::Server::http("127.0.0.1:0").map_err(std::io::Error::other)?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|address| address.port())
        .ok_or_else(|| std::io::Error::other("the server has no IP address"))?;
    println!("{port}");
    std::io::stdout().flush()?;
    // Ends with the parent: a closed stdin stops the process.
    std::thread::spawn(|| {
        let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
        std::process::exit(0);
    });
    for mut request in server.incoming_requests() {
        let mut body = Vec::new();
        request.as_reader().read_to_end(&mut body)?;
        request.respond(tiny_http::Response::from_data(body))?;
    }
    Ok(())
}

/// Measures the three parts for `backend` (a name like `node-pipe`); `peer`
/// gives the command that runs [`serve_peer`] for the backend's transport.
/// A part that cannot be measured is left out and its reason kept in
/// `error`.
pub fn measure(
    backend: &str,
    peer: impl FnOnce(Transport) -> Command,
    settings: FloorSettings,
) -> Option<TransportFloor> {
    let process = ProcessBackend::from_name(backend)?;
    let (runtime, transport) = (process.runtime(), process.transport());
    let peer = peer(transport);
    let mut errors = Vec::new();
    let mut keep = |what: &str, result: Result<Vec<f64>, String>| match result {
        Ok(values) => summarize(&values),
        Err(why) => {
            errors.push(format!("{what}: {why}"));
            None
        }
    };
    let floor = keep("the Rust peer", time_peer(peer, "rust peer", transport, settings));
    let runtime_echo = keep(
        "the runtime's echo",
        echo_command(runtime, transport).and_then(|c| time_peer(c, runtime.engine(), transport, settings)),
    );
    let server_noop = keep("jsbench's server", time_server(process, settings));
    Some(TransportFloor {
        backend: backend.to_string(),
        transport,
        floor,
        runtime_echo,
        server_noop,
        error: (!errors.is_empty()).then(|| errors.join("; ")),
    })
}

fn summarize(values: &[f64]) -> Option<Summary> {
    let mut summary = jsbench_stats::summarize(values)?;
    summary.p50 = jsbench_stats::quantile(values, 0.5);
    summary.p95 = jsbench_stats::quantile(values, 0.95);
    summary.p99 = jsbench_stats::quantile(values, 0.99);
    Some(summary)
}

/// The command that runs the runtime's minimal echo script.
fn echo_command(runtime: Runtime, transport: Transport) -> Result<Command, String> {
    let installed = runtime.locate().map_err(|e| e.to_string())?;
    let dir = js_dir().map_err(|e| e.to_string())?;
    let script = dir.join(match transport {
        Transport::Http => "echo-http.mjs",
        Transport::Pipe => "echo-pipe.mjs",
    });
    if !script.is_file() {
        return Err(format!("{} is missing", script.display()));
    }
    let flags = runtime.flags(Limits::default().memory_limit);
    Ok(runtime.command(installed, &flags, &script, &dir))
}

/// Starts `command` as a peer speaking `transport` and times empty round
/// trips to it.
fn time_peer(command: Command, label: &str, transport: Transport, settings: FloorSettings) -> Result<Vec<f64>, String> {
    let (mut process, stdout) = ChildProcess::spawn(command, label).map_err(|e| e.to_string())?;
    let mut channel =
        Channel::connect(transport, stdout, STARTUP).map_err(|why| format!("{why}; {}", process.stderr_tail()))?;
    let mut once = || match channel.request(process.stdin(), Op::Noop, "", ROUND_TRIP_TIMEOUT) {
        Outcome::Done(_) => Ok(()),
        Outcome::Failed(e) => Err(e.message),
        Outcome::TimedOut => Err(format!("no answer within {} s", ROUND_TRIP_TIMEOUT.as_secs())),
        Outcome::Broken(why) => Err(why),
    };
    time(settings, &mut once)
}

/// Times empty requests to jsbench's server script on a fresh child.
fn time_server(mut process: ProcessBackend, settings: FloorSettings) -> Result<Vec<f64>, String> {
    process.create(&Limits::default()).map_err(|e| e.to_string())?;
    let mut once = || process.noop_round_trip().map_err(|e| e.to_string());
    time(settings, &mut once)
}

fn time(settings: FloorSettings, once: &mut dyn FnMut() -> Result<(), String>) -> Result<Vec<f64>, String> {
    for _ in 0..settings.warmup {
        once()?;
    }
    let mut values = Vec::with_capacity(settings.round_trips as usize);
    for _ in 0..settings.round_trips {
        let start = Instant::now();
        once()?;
        values.push(start.elapsed().as_nanos() as f64);
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pipe_peer_answers_every_frame_with_its_payload() {
        let mut input = Vec::new();
        for payload in [&b""[..], b"abc"] {
            input.extend_from_slice(&u32::try_from(payload.len() + 1).unwrap().to_be_bytes());
            input.push(b'N');
            input.extend_from_slice(payload);
        }
        let mut output = Vec::new();
        serve_pipe(&input[..], &mut output).unwrap();
        let mut reader = &output[..];
        assert_eq!(read_frame(&mut reader).unwrap(), (b'O', Vec::new()), "ready");
        assert_eq!(read_frame(&mut reader).unwrap(), (b'O', Vec::new()));
        assert_eq!(read_frame(&mut reader).unwrap(), (b'O', b"abc".to_vec()));
        assert!(reader.is_empty());
    }

    #[test]
    fn a_failing_round_trip_ends_the_timing_with_its_reason() {
        let mut calls = 0;
        let mut once = || {
            calls += 1;
            if calls > 3 { Err("gone".to_string()) } else { Ok(()) }
        };
        let settings = FloorSettings {
            warmup: 1,
            round_trips: 10,
        };
        assert_eq!(time(settings, &mut once), Err("gone".to_string()));
        let mut fine = || Ok(());
        assert_eq!(time(settings, &mut fine).map(|v| v.len()), Ok(10));
    }
}
