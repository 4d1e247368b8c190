//! The sandbox matrix: what JavaScript on each backend can reach on the
//! host, found by running `workloads/sandbox/probes.js` once per probe in
//! its own worker process and checking on the host side whether the effect
//! really happened.
//!
//! For every run the host makes a fresh folder with a secret file, names a
//! marker path that does not exist yet, and opens a TCP listener on
//! 127.0.0.1 that answers any request with a tiny HTTP reply. The probe
//! says which API it used; the verdict comes from what the host sees: the
//! secret came back, the marker appeared with the token, the listener was
//! connected to, the worker ended with the probe's exit code, the clock
//! read real time, two fresh runtimes drew different random numbers, or a
//! limit was passed (an engine's own limit error means it held; only the
//! harness stopping the worker from outside means it did not).

use crate::pool;
use jsbench_runner::launch::{ProcessOutcome, Supervision, WorkerCommand, run_process};
use jsbench_runner::manifest::Expected;
use jsbench_runner::protocol::WorkerRequest;
use jsbench_schema::{
    Access, BackendInfo, ErrorKind, Phase, SandboxBackend, SandboxMatrix, SandboxProbe, SandboxResult,
};
use serde::Deserialize;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

/// The exit code the `exit` probe asks for.
pub const EXIT_CODE: i32 = 71;

/// Text no probe returns, so every answer arrives as the worker's
/// wrong-output message (which carries the returned text).
const NEVER: &str = "\u{0}jsbench-sandbox-never";

/// Every probe, in display order: (id, title, description).
pub const PROBES: [(&str, &str, &str); 11] = [
    (
        "file-read",
        "read a file",
        "reads a secret file the host wrote; allowed when its contents come back",
    ),
    (
        "file-write",
        "write a file",
        "writes a token to a new path; allowed when the host finds the file with the token",
    ),
    (
        "env",
        "environment",
        "reads a host environment variable (HOME); allowed when the host's value comes back",
    ),
    (
        "network",
        "TCP connect",
        "connects to a listener jsbench opens on 127.0.0.1; allowed when the listener sees a connection",
    ),
    (
        "spawn",
        "spawn a process",
        "runs /bin/sh to create a marker file; allowed when the host finds it",
    ),
    (
        "exit",
        "exit the process",
        "calls exit(71); allowed when the process running the JavaScript ends with 71",
    ),
    (
        "clock",
        "wall clock",
        "reads Date.now and the finest clock step; allowed when it is the host's real time",
    ),
    (
        "random",
        "host randomness",
        "draws Math.random in two fresh runtimes; allowed when they differ (seeded from the host)",
    ),
    (
        "memory-heap",
        "escape the heap limit",
        "keeps 4x the memory limit in live arrays; denied when the engine stops it with its own error",
    ),
    (
        "memory-buffers",
        "escape via buffers",
        "keeps 4x the memory limit in typed arrays; denied when the engine stops it with its own error",
    ),
    (
        "time-limit",
        "escape the time limit",
        "loops forever; denied when the engine stops the call itself at the timeout",
    ),
];

/// Limits of the probe runs.
#[derive(Debug, Clone, Copy)]
pub struct SandboxSettings {
    /// Per-call timeout.
    pub timeout: Duration,
    /// The engine memory limit given to each backend.
    pub memory_limit: u64,
    /// Worker processes at once.
    pub jobs: usize,
}

impl SandboxSettings {
    /// How much the memory probes try to keep: four times the limit.
    pub fn bomb_mib(&self) -> u64 {
        (self.memory_limit >> 20).max(1) * 4
    }

    /// The harness's own limit on a worker's resident size: well above the
    /// engine's limit and the bomb, so only an engine that does not stop the
    /// bomb itself meets it.
    fn supervision(&self) -> Supervision {
        let mut s = Supervision::for_limits(self.timeout, self.memory_limit);
        s.memory_limit = self.memory_limit.saturating_mul(6).max(1 << 30);
        s
    }
}

/// What a probe answered (see `workloads/sandbox/probes.js`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Answer {
    /// The API it used; `None`: it found none.
    #[serde(default)]
    pub api: Option<String>,
    /// What the API gave back.
    #[serde(default)]
    pub value: Option<String>,
    /// Why the API refused.
    #[serde(default)]
    pub error: Option<String>,
    /// The APIs looked for, when none was found.
    #[serde(default)]
    pub tried: Option<String>,
    /// The clock probe's finest step, in milliseconds.
    #[serde(default)]
    pub step: Option<f64>,
    /// The clock probe's clock.
    #[serde(default)]
    pub source: Option<String>,
    /// The random probe's cryptographic source, if any.
    #[serde(default)]
    pub crypto: Option<String>,
}

/// What the host saw during one probe run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Seen {
    /// The secret file's contents.
    pub secret: String,
    /// The token the write probe should write.
    pub token: String,
    /// What is at the marker path after the run, if anything.
    pub marker: Option<String>,
    /// Connections the listener accepted during the run.
    pub connections: usize,
    /// The host's value of the environment variable the probe reads.
    pub env_value: Option<String>,
    /// The host's wall clock when the run ended, in ms since the epoch.
    pub host_now_ms: u64,
    /// The engine memory limit, in MiB.
    pub limit_mib: u64,
}

/// The targets of one run: a folder with the secret, a marker path and a
/// listener; dropping it stops the listener and removes the folder.
struct Targets {
    dir: tempfile::TempDir,
    secret: String,
    token: String,
    port: u16,
    connections: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    listener: Option<std::thread::JoinHandle<()>>,
}

impl Targets {
    fn new() -> std::io::Result<Targets> {
        let dir = tempfile::Builder::new().prefix("jsbench-sandbox-").tempdir()?;
        let nonce = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let secret = format!("secret-{nonce:x}");
        let token = format!("token-{nonce:x}");
        std::fs::write(dir.path().join("secret.txt"), &secret)?;
        let listener = TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let connections = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (connections, stop) = (Arc::clone(&connections), Arc::clone(&stop));
            std::thread::spawn(move || serve(&listener, &connections, &stop))
        };
        Ok(Targets {
            dir,
            secret,
            token,
            port,
            connections,
            stop,
            listener: Some(thread),
        })
    }

    fn file(&self) -> PathBuf {
        self.dir.path().join("secret.txt")
    }

    fn marker(&self) -> PathBuf {
        self.dir.path().join("marker.txt")
    }

    fn input(&self, probe: &str, settings: &SandboxSettings) -> String {
        serde_json::json!({
            "probe": probe,
            "file": self.file(),
            "marker": self.marker(),
            "token": self.token,
            "env": ENV_NAME,
            "port": self.port,
            "bomb_mib": settings.bomb_mib(),
        })
        .to_string()
    }

    fn seen(&self, settings: &SandboxSettings) -> Seen {
        Seen {
            secret: self.secret.clone(),
            token: self.token.clone(),
            marker: std::fs::read_to_string(self.marker()).ok(),
            connections: self.connections.load(Ordering::SeqCst),
            env_value: std::env::var(ENV_NAME).ok(),
            host_now_ms: now_ms(),
            limit_mib: (settings.memory_limit >> 20).max(1),
        }
    }
}

impl Drop for Targets {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.listener.take() {
            let _ = thread.join();
        }
    }
}

/// The environment variable the `env` probe reads.
const ENV_NAME: &str = "HOME";

/// Accepts connections until `stop`, counting them and answering any bytes
/// with a minimal HTTP reply (so `fetch` completes).
fn serve(listener: &TcpListener, connections: &AtomicUsize, stop: &AtomicBool) {
    while !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((mut stream, _)) => {
                connections.fetch_add(1, Ordering::SeqCst);
                let _ = stream.set_nonblocking(false);
                let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
                let mut buf = [0u8; 1024];
                if matches!(stream.read(&mut buf), Ok(n) if n > 0) {
                    let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
                }
            }
            Err(_) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The text a probe returned, from the worker's wrong-output message.
fn returned(message: &str) -> Option<&str> {
    message
        .split_once(", got `")
        .map(|(_, rest)| rest.strip_suffix('`').unwrap_or(rest))
}

/// The verdict on one run of `probe` from its worker's outcome and what
/// the host saw. (`random` is judged over two runs by [`judge_random`].)
pub fn classify(probe: &str, outcome: &ProcessOutcome, seen: &Seen) -> (Access, String) {
    // What the host saw overrides anything the JavaScript said.
    if let Some(effect) = host_effect(probe, seen) {
        return (Access::Allowed, effect);
    }
    let Some(error) = &outcome.error else {
        return (Access::Error, "the probe's worker ended without an answer".into());
    };
    if error.kind != ErrorKind::WrongOutput {
        let (access, detail) = limit_verdict(probe, error.kind, &error.message);
        // The probe catches every JavaScript exception, so a capability
        // probe whose call failed anyway failed inside the engine (a wasm
        // component built without the capability traps): the effect never
        // reached the host.
        let capability = !matches!(probe, "memory-heap" | "memory-buffers" | "time-limit" | "exit");
        if access == Access::Error
            && capability
            && error.phase == Phase::FirstCall
            && matches!(error.kind, ErrorKind::Crashed | ErrorKind::Exception)
        {
            let first = error.message.lines().next().unwrap_or_default();
            return (
                Access::Denied,
                format!("the attempt failed inside the engine and never reached the host: {first}"),
            );
        }
        return (access, detail);
    }
    let text = returned(&error.message).unwrap_or(&error.message);
    let answer: Answer = match serde_json::from_str(text) {
        Ok(answer) => answer,
        Err(_) => return (Access::Error, format!("unreadable probe answer: {text}")),
    };
    judge_answer(probe, &answer, seen)
}

/// The effect of `probe` the host found itself, if any.
fn host_effect(probe: &str, seen: &Seen) -> Option<String> {
    match probe {
        "file-write" if seen.marker.as_deref() == Some(seen.token.as_str()) => {
            Some("the host found the token written to a new file".into())
        }
        "spawn" if seen.marker.is_some() => Some("the host found the marker file /bin/sh wrote".into()),
        "network" if seen.connections > 0 => Some(format!(
            "jsbench's listener on 127.0.0.1 accepted {} connection(s)",
            seen.connections
        )),
        _ => None,
    }
}

/// A worker that failed other than by answering: the limit probes' and the
/// exit probe's verdicts, an error for the rest.
fn limit_verdict(probe: &str, kind: ErrorKind, message: &str) -> (Access, String) {
    let first = message.lines().next().unwrap_or_default();
    let outside = first.contains("did not stop the call itself") || first.contains("resident size");
    match (probe, kind) {
        ("exit", ErrorKind::Crashed) if first.contains(&format!("code {EXIT_CODE}")) => (
            Access::Allowed,
            format!("the process running the JavaScript ended: {first}"),
        ),
        ("time-limit", ErrorKind::Timeout) | ("memory-heap" | "memory-buffers", ErrorKind::OutOfMemory) if outside => (
            Access::Allowed,
            format!("the engine did not stop it; only the harness stopping the process from outside did: {first}"),
        ),
        ("time-limit", ErrorKind::Timeout) => (Access::Denied, format!("stopped at the limit: {first}")),
        ("memory-heap" | "memory-buffers", ErrorKind::OutOfMemory) => {
            (Access::Denied, format!("stopped at the limit: {first}"))
        }
        ("memory-heap" | "memory-buffers" | "time-limit", ErrorKind::Crashed) => (
            Access::Denied,
            format!("the limit held, but by ending the whole process: {first}"),
        ),
        _ => (Access::Error, format!("{kind}: {first}")),
    }
}

/// The verdict from a probe's answer, checked against what the host saw.
fn judge_answer(probe: &str, answer: &Answer, seen: &Seen) -> (Access, String) {
    let Some(api) = &answer.api else {
        let tried = answer.tried.as_deref().unwrap_or("every API the probe knows");
        return (Access::Absent, format!("no API for it (looked for {tried})"));
    };
    if let Some(error) = &answer.error {
        return (Access::Denied, format!("{api} refused: {error}"));
    }
    let value = answer.value.as_deref().unwrap_or_default();
    match probe {
        "file-read" if value == seen.secret => (Access::Allowed, format!("{api} read the secret file")),
        "env" if Some(value) == seen.env_value.as_deref() => {
            (Access::Allowed, format!("{api} gave the host's {ENV_NAME}"))
        }
        "exit" => (Access::Denied, format!("{api} returned; the process kept running")),
        "clock" => judge_clock(answer, value, seen),
        "memory-heap" | "memory-buffers" => (
            Access::Allowed,
            format!("{value} with a limit of {} MiB", seen.limit_mib),
        ),
        _ => (
            Access::Denied,
            format!("{api} answered `{value}`, but the host saw no effect"),
        ),
    }
}

fn judge_clock(answer: &Answer, value: &str, seen: &Seen) -> (Access, String) {
    let step = match (answer.step, answer.source.as_deref()) {
        (Some(step), Some(source)) => format!("; {source} steps by {}", step_text(step)),
        (None, Some(source)) if source != "Date.now" => format!("; {source}"),
        _ => String::new(),
    };
    match value.parse::<f64>() {
        Ok(ms) if (ms - seen.host_now_ms as f64).abs() < 300_000.0 => {
            (Access::Allowed, format!("Date.now is the host's time{step}"))
        }
        _ => (
            Access::Denied,
            format!("Date.now is not the host's time: {value}{step}"),
        ),
    }
}

fn step_text(ms: f64) -> String {
    if ms >= 1.0 {
        format!("{ms:.0} ms")
    } else if ms >= 0.001 {
        format!("{:.0} µs", ms * 1000.0)
    } else {
        format!("{:.0} ns", ms * 1e6)
    }
}

/// The `random` verdict from its two runs: allowed when two fresh runtimes
/// drew different numbers.
pub fn judge_random(first: &ProcessOutcome, second: &ProcessOutcome) -> (Access, String) {
    let answer = |o: &ProcessOutcome| -> Option<Answer> {
        let e = o.error.as_ref().filter(|e| e.kind == ErrorKind::WrongOutput)?;
        serde_json::from_str(returned(&e.message)?).ok()
    };
    match (answer(first), answer(second)) {
        (Some(a), Some(b)) => {
            let crypto = a.crypto.clone().unwrap_or_default();
            if a.value == b.value {
                (
                    Access::Denied,
                    format!(
                        "two fresh runtimes drew the same Math.random values: seeded without host entropy ({crypto})"
                    ),
                )
            } else {
                (
                    Access::Allowed,
                    format!("fresh runtimes draw different values ({crypto})"),
                )
            }
        }
        _ => {
            let failed = [first, second].into_iter().find_map(|o| o.error.as_ref());
            let text = failed.map_or_else(|| "no answer".to_string(), |e| format!("{}: {}", e.kind, e.message));
            (Access::Error, text.lines().next().unwrap_or_default().to_string())
        }
    }
}

/// The worker request for one probe run.
fn request_for(module: &(String, PathBuf), backend: &str, input: String, settings: &SandboxSettings) -> WorkerRequest {
    WorkerRequest {
        backend: backend.to_string(),
        workload: "sandbox-probes".into(),
        source: module.0.clone(),
        module_path: Some(module.1.display().to_string()),
        input,
        expected: Expected::Exact(NEVER.into()),
        calls_per_op: 1,
        timeout_ms: u64::try_from(settings.timeout.as_millis()).unwrap_or(u64::MAX),
        memory_limit: settings.memory_limit,
        measure: crate::features::cold_only(),
    }
}

/// One probe run: fresh targets, the worker, what the host saw.
fn run_once(
    module: &(String, PathBuf),
    backend: &str,
    probe: &str,
    settings: &SandboxSettings,
    command: &WorkerCommand,
    cancel: &AtomicBool,
) -> Result<(ProcessOutcome, Seen), String> {
    let targets = Targets::new().map_err(|e| format!("cannot set up the probe's targets: {e}"))?;
    let request = request_for(module, backend, targets.input(probe, settings), settings);
    let outcome = run_process(command, &request, settings.supervision(), cancel);
    // The listener may still be answering a late connection.
    std::thread::sleep(Duration::from_millis(20));
    Ok((outcome, targets.seen(settings)))
}

/// Reads the probe module.
pub fn load_module(path: &Path) -> std::io::Result<(String, PathBuf)> {
    Ok((std::fs::read_to_string(path)?, path.to_path_buf()))
}

/// Runs every probe on every backend (unavailable backends get an
/// `unavailable` verdict without a worker), `settings.jobs` workers at a
/// time; `seen` gets each verdict as it comes.
pub fn run_matrix(
    module: &(String, PathBuf),
    backends: &[BackendInfo],
    settings: &SandboxSettings,
    command: &WorkerCommand,
    cancel: &AtomicBool,
    done: &mut dyn FnMut(&SandboxResult),
) -> SandboxMatrix {
    let mut results: Vec<Option<SandboxResult>> = Vec::new();
    // (result slot, backend, probe); `random` runs twice.
    let mut jobs: Vec<(usize, &str, &str)> = Vec::new();
    for backend in backends {
        for (probe, _, _) in PROBES {
            if let Some(reason) = &backend.unavailable {
                let result = SandboxResult {
                    backend: backend.name.clone(),
                    probe: probe.into(),
                    access: Access::Unavailable,
                    detail: format!("unavailable: {reason}"),
                };
                done(&result);
                results.push(Some(result));
                continue;
            }
            let runs = if probe == "random" { 2 } else { 1 };
            for _ in 0..runs {
                jobs.push((results.len(), &backend.name, probe));
            }
            results.push(None);
        }
    }
    let mut pending: Vec<Option<ProcessOutcome>> = vec![None; results.len()];
    pool::run_jobs(
        &jobs,
        settings.jobs,
        cancel,
        |(_, backend, probe)| run_once(module, backend, probe, settings, command, cancel),
        |i, ran| {
            let (slot, backend, probe) = jobs[i];
            let (access, detail) = match ran {
                Err(why) => (Access::Error, why),
                Ok((outcome, _)) if probe == "random" => match pending[slot].take() {
                    None => {
                        pending[slot] = Some(outcome);
                        return;
                    }
                    Some(first) => judge_random(&first, &outcome),
                },
                Ok((outcome, seen)) => classify(probe, &outcome, &seen),
            };
            let result = SandboxResult {
                backend: backend.to_string(),
                probe: probe.to_string(),
                access,
                detail,
            };
            done(&result);
            results[slot] = Some(result);
        },
    );
    SandboxMatrix {
        probes: PROBES
            .iter()
            .map(|(id, title, description)| SandboxProbe {
                id: (*id).into(),
                title: (*title).into(),
                description: (*description).into(),
            })
            .collect(),
        backends: backends
            .iter()
            .map(|b| SandboxBackend {
                name: b.name.clone(),
                flags: b.flags.clone(),
                unavailable: b.unavailable.clone(),
            })
            .collect(),
        results: results.into_iter().flatten().collect(),
        memory_limit: settings.memory_limit,
        timeout_ms: u64::try_from(settings.timeout.as_millis()).unwrap_or(u64::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsbench_schema::CellError;

    fn failed(kind: ErrorKind, message: &str) -> ProcessOutcome {
        ProcessOutcome {
            error: Some(CellError {
                kind,
                phase: Phase::FirstCall,
                message: message.into(),
                stack: None,
            }),
            ..ProcessOutcome::default()
        }
    }

    fn answered(json: &str) -> ProcessOutcome {
        failed(
            ErrorKind::WrongOutput,
            &format!("wrong output: expected `x`, got `{json}`"),
        )
    }

    fn seen() -> Seen {
        Seen {
            secret: "s3cret".into(),
            token: "tok".into(),
            env_value: Some("/root".into()),
            host_now_ms: 1_000_000_000,
            limit_mib: 128,
            ..Seen::default()
        }
    }

    #[test]
    fn allowed_only_when_the_host_sees_the_effect() {
        let s = seen();
        let read = answered(r#"{"api":"fs.readFileSync","value":"s3cret"}"#);
        assert_eq!(classify("file-read", &read, &s).0, Access::Allowed);
        // An answer that is not the file's contents (a virtual file system).
        let other = answered(r#"{"api":"fs.readFileSync","value":"something else"}"#);
        assert_eq!(classify("file-read", &other, &s).0, Access::Denied);
        // The probe claims it connected; the listener saw nothing.
        let claimed = answered(r#"{"api":"net.connect","value":"connected"}"#);
        assert_eq!(classify("network", &claimed, &s).0, Access::Denied);
        // The listener saw a connection, though the call then timed out.
        let connected = Seen {
            connections: 1,
            ..seen()
        };
        let timed_out = failed(ErrorKind::Timeout, "timed out after 3000 ms");
        assert_eq!(classify("network", &timed_out, &connected).0, Access::Allowed);
        let marker = Seen {
            marker: Some("tok".into()),
            ..seen()
        };
        assert_eq!(
            classify("file-write", &answered(r#"{"api":"x","value":"written"}"#), &marker).0,
            Access::Allowed
        );
    }

    #[test]
    fn absent_and_denied_come_from_the_answer() {
        let s = seen();
        let none = answered(r#"{"api":null,"tried":"Deno, node:fs"}"#);
        let (access, detail) = classify("file-read", &none, &s);
        assert_eq!(access, Access::Absent);
        assert!(detail.contains("Deno, node:fs"), "{detail}");
        let refused = answered(r#"{"api":"Deno.readTextFileSync","error":"NotCapable: Requires read access"}"#);
        let (access, detail) = classify("file-read", &refused, &s);
        assert_eq!(access, Access::Denied);
        assert!(detail.contains("NotCapable"), "{detail}");
        assert_eq!(
            classify("env", &answered(r#"{"api":"process.env","value":"/root"}"#), &s).0,
            Access::Allowed
        );
        assert_eq!(
            classify(
                "exit",
                &answered(r#"{"api":"process.exit","value":"exit returned"}"#),
                &s
            )
            .0,
            Access::Denied
        );
        assert_eq!(classify("file-read", &answered("not json"), &s).0, Access::Error);
    }

    #[test]
    fn limits_hold_only_when_the_engine_stops_the_code() {
        let s = seen();
        let engine = failed(ErrorKind::OutOfMemory, "out of memory: heap limit reached");
        assert_eq!(classify("memory-heap", &engine, &s).0, Access::Denied);
        let outside = failed(
            ErrorKind::OutOfMemory,
            "the worker's resident size (with any runtime process it started) reached 1100 MiB, over the memory limit of 1024 MiB; it was stopped",
        );
        assert_eq!(classify("memory-buffers", &outside, &s).0, Access::Allowed);
        let kept = answered(r#"{"api":"Uint8Array","value":"kept 512 MiB of typed arrays"}"#);
        let (access, detail) = classify("memory-buffers", &kept, &s);
        assert_eq!(access, Access::Allowed);
        assert!(detail.contains("limit of 128 MiB"), "{detail}");
        let stopped = failed(ErrorKind::Timeout, "timed out after 3000 ms");
        assert_eq!(classify("time-limit", &stopped, &s).0, Access::Denied);
        let watchdog = failed(
            ErrorKind::Timeout,
            "timed out after 3000 ms; the worker process was stopped because Boa did not stop the call itself",
        );
        assert_eq!(classify("time-limit", &watchdog, &s).0, Access::Allowed);
        let exited = failed(
            ErrorKind::Crashed,
            "the worker process exited with code 71 during first-call",
        );
        assert_eq!(classify("exit", &exited, &s).0, Access::Allowed);
        let other = failed(
            ErrorKind::Crashed,
            "the worker process exited with code 3 during first-call",
        );
        assert_eq!(classify("exit", &other, &s).0, Access::Error);
        // A capability attempt that fails inside the engine never reached
        // the host; failing to load the probes says nothing.
        let trapped = failed(
            ErrorKind::Crashed,
            "crashed: wasm trap: wasm `unreachable` instruction executed",
        );
        assert_eq!(classify("network", &trapped, &s).0, Access::Denied);
        let mut syntax = failed(ErrorKind::Syntax, "syntax error");
        assert_eq!(classify("network", &syntax, &s).0, Access::Error);
        if let Some(e) = syntax.error.as_mut() {
            e.kind = ErrorKind::Crashed;
            e.phase = Phase::Load;
        }
        assert_eq!(classify("network", &syntax, &s).0, Access::Error);
    }

    #[test]
    fn clock_and_random_are_judged_against_the_host() {
        let s = seen();
        let real = answered(r#"{"api":"Date.now","value":"1000000500","step":0.001,"source":"performance.now"}"#);
        let (access, detail) = classify("clock", &real, &s);
        assert_eq!(access, Access::Allowed);
        assert!(detail.contains("1 µs"), "{detail}");
        let frozen = answered(r#"{"api":"Date.now","value":"0"}"#);
        assert_eq!(classify("clock", &frozen, &s).0, Access::Denied);
        let a = answered(r#"{"api":"Math.random","value":"0.1,0.2","crypto":"no crypto"}"#);
        let b = answered(r#"{"api":"Math.random","value":"0.3,0.4","crypto":"no crypto"}"#);
        assert_eq!(judge_random(&a, &b).0, Access::Allowed);
        assert_eq!(judge_random(&a, &a.clone()).0, Access::Denied);
        assert_eq!(judge_random(&a, &failed(ErrorKind::Crashed, "boom")).0, Access::Error);
    }

    #[test]
    fn targets_listen_count_and_clean_up() {
        let targets = Targets::new().expect("targets");
        let dir = targets.dir.path().to_path_buf();
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", targets.port)).expect("connects");
        stream.write_all(b"GET / HTTP/1.1\r\n\r\n").expect("writes");
        let mut reply = String::new();
        let _ = stream.read_to_string(&mut reply);
        assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
        let settings = SandboxSettings {
            timeout: Duration::from_secs(1),
            memory_limit: 64 << 20,
            jobs: 1,
        };
        let seen = targets.seen(&settings);
        assert_eq!(seen.connections, 1);
        assert_eq!(std::fs::read_to_string(targets.file()).expect("secret"), seen.secret);
        assert!(targets.input("env", &settings).contains("\"bomb_mib\":256"));
        drop(targets);
        assert!(!dir.exists());
    }
}
