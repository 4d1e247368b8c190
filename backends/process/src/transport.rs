//! The two ways of talking to a runtime process, behind one request method.
//!
//! - HTTP: the child serves HTTP/1.1 on 127.0.0.1 on an ephemeral port that
//!   it prints on stdout; one `ureq` agent per child keeps the connection
//!   alive between requests. `POST /load`, `/call`, `/noop`; 200 with the raw
//!   result, or 422 with a JSON error.
//! - Pipe: frames over the child's stdin and stdout, a 4-byte big-endian
//!   length then an operation byte and the payload; replies are `O` + result
//!   or `E` + JSON error. A reader thread turns stdout into frames so a read
//!   can have a deadline.
//!
//! The JavaScript ends are `js/server-http.mjs` and `js/server-pipe.mjs`.

use jsbench_api::BackendError;
use serde::Deserialize;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{ChildStdin, ChildStdout};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

/// Which way requests travel (the schema's type, so results name it alike).
pub use jsbench_api::Transport;

/// The server script's file name in `js/`.
pub(crate) fn script(transport: Transport) -> &'static str {
    match transport {
        Transport::Http => "server-http.mjs",
        Transport::Pipe => "server-pipe.mjs",
    }
}

/// What the child is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    /// Import the module at the path in the payload.
    Load,
    /// Call `run` with the payload.
    Call,
    /// Answer at once.
    Noop,
}

impl Op {
    pub(crate) fn path(self) -> &'static str {
        match self {
            Op::Load => "/load",
            Op::Call => "/call",
            Op::Noop => "/noop",
        }
    }

    pub(crate) fn byte(self) -> u8 {
        match self {
            Op::Load => b'L',
            Op::Call => b'C',
            Op::Noop => b'N',
        }
    }
}

/// A failure reported by the JavaScript side (see `js/common.mjs`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct ScriptError {
    /// `syntax`, `exception`, `result` or `protocol`.
    pub kind: String,
    /// The thrown value as a string, or what went wrong.
    pub message: String,
    /// The JavaScript stack, when there is one.
    #[serde(default)]
    pub stack: Option<String>,
}

/// How a request ended.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// The child answered with a result.
    Done(String),
    /// The child answered with an error.
    Failed(ScriptError),
    /// No answer before the deadline; the child is still running.
    TimedOut,
    /// The connection broke (the child probably died); the text says how.
    Broken(String),
}

/// The requesting side of a transport, bound to one child.
pub(crate) enum Channel {
    Http(HttpChannel),
    Pipe(PipeChannel),
}

impl Channel {
    /// Waits (until `startup`) for the child to say it is ready, and returns
    /// the channel. `Err` carries what went wrong, for `Crashed`.
    pub(crate) fn connect(transport: Transport, stdout: ChildStdout, startup: Duration) -> Result<Channel, String> {
        match transport {
            Transport::Http => HttpChannel::connect(stdout, startup).map(Channel::Http),
            Transport::Pipe => PipeChannel::connect(stdout, startup).map(Channel::Pipe),
        }
    }

    /// Sends one request and waits for its answer until `timeout`.
    pub(crate) fn request(
        &mut self,
        stdin: Option<&mut ChildStdin>,
        op: Op,
        payload: &str,
        timeout: Duration,
    ) -> Outcome {
        match self {
            Channel::Http(http) => http.request(op, payload, timeout),
            Channel::Pipe(pipe) => match stdin {
                Some(stdin) => pipe.request(stdin, op, payload, timeout),
                None => Outcome::Broken("the child's stdin is closed".into()),
            },
        }
    }
}

pub(crate) struct HttpChannel {
    agent: ureq::Agent,
    base: String,
}

impl HttpChannel {
    fn connect(stdout: ChildStdout, startup: Duration) -> Result<HttpChannel, String> {
        let (tx, rx) = mpsc::channel();
        // Reads the port line, then drains stdout so the child never blocks
        // on a full pipe.
        std::thread::Builder::new()
            .name("http child stdout".into())
            .spawn(move || {
                let mut reader = BufReader::new(stdout);
                let mut line = String::new();
                let first = reader.read_line(&mut line).map(|_| line);
                let _ = tx.send(first);
                let _ = std::io::copy(&mut reader, &mut std::io::sink());
            })
            .map_err(|e| format!("cannot start a thread: {e}"))?;
        let line = match rx.recv_timeout(startup) {
            Ok(Ok(line)) if !line.is_empty() => line,
            Ok(Ok(_)) | Err(RecvTimeoutError::Disconnected) => return Err("exited before it was ready".into()),
            Ok(Err(e)) => return Err(format!("reading its stdout failed: {e}")),
            Err(RecvTimeoutError::Timeout) => {
                return Err(format!("did not print its port within {} s", startup.as_secs()));
            }
        };
        let port: u16 = line
            .trim()
            .parse()
            .map_err(|_| format!("printed {:?} instead of a port", line.trim()))?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // Loopback only: never through a proxy from the environment.
            .proxy(None)
            .max_idle_connections(2)
            .max_idle_connections_per_host(2)
            // Calls can be minutes apart; the servers keep idle connections.
            .max_idle_age(Duration::from_secs(24 * 3600))
            .build()
            .into();
        Ok(HttpChannel {
            agent,
            base: format!("http://127.0.0.1:{port}"),
        })
    }

    fn request(&mut self, op: Op, payload: &str, timeout: Duration) -> Outcome {
        let url = format!("{}{}", self.base, op.path());
        let sent = self
            .agent
            .post(&url)
            .header("content-type", "text/plain; charset=utf-8")
            .config()
            .timeout_global(Some(timeout))
            .build()
            .send(payload.as_bytes());
        let mut response = match sent {
            Ok(response) => response,
            Err(ureq::Error::Timeout(_)) => return Outcome::TimedOut,
            Err(e) => return Outcome::Broken(e.to_string()),
        };
        let status = response.status().as_u16();
        let body = match response.body_mut().with_config().limit(u64::MAX).read_to_string() {
            Ok(body) => body,
            Err(ureq::Error::Timeout(_)) => return Outcome::TimedOut,
            Err(e) => return Outcome::Broken(format!("reading the answer: {e}")),
        };
        match status {
            200 => Outcome::Done(body),
            422 => parse_error(&body),
            other => Outcome::Broken(format!("unexpected HTTP status {other}: {body}")),
        }
    }
}

/// A frame from the child: status byte and payload.
type Frame = (u8, Vec<u8>);

pub(crate) struct PipeChannel {
    frames: Receiver<std::io::Result<Frame>>,
}

impl PipeChannel {
    fn connect(stdout: ChildStdout, startup: Duration) -> Result<PipeChannel, String> {
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("pipe child stdout".into())
            .spawn(move || {
                let mut reader = BufReader::with_capacity(64 * 1024, stdout);
                loop {
                    let frame = read_frame(&mut reader);
                    let end = frame.is_err();
                    if tx.send(frame).is_err() || end {
                        break;
                    }
                }
            })
            .map_err(|e| format!("cannot start a thread: {e}"))?;
        let channel = PipeChannel { frames: rx };
        match channel.receive(startup) {
            Outcome::Done(_) => Ok(channel),
            Outcome::TimedOut => Err(format!("did not say it was ready within {} s", startup.as_secs())),
            Outcome::Failed(e) => Err(format!("failed to start: {}", e.message)),
            Outcome::Broken(why) => Err(format!("exited before it was ready ({why})")),
        }
    }

    fn request(&mut self, stdin: &mut ChildStdin, op: Op, payload: &str, timeout: Duration) -> Outcome {
        let Ok(length) = u32::try_from(payload.len() + 1) else {
            return Outcome::Broken(format!("a payload of {} bytes does not fit in a frame", payload.len()));
        };
        // One write for the whole frame: small requests cost one syscall.
        let mut frame = Vec::with_capacity(payload.len() + 5);
        frame.extend_from_slice(&length.to_be_bytes());
        frame.push(op.byte());
        frame.extend_from_slice(payload.as_bytes());
        if let Err(e) = stdin.write_all(&frame).and_then(|()| stdin.flush()) {
            return Outcome::Broken(format!("writing the request: {e}"));
        }
        self.receive(timeout)
    }

    fn receive(&self, timeout: Duration) -> Outcome {
        match self.frames.recv_timeout(timeout) {
            Ok(Ok((b'O', payload))) => match String::from_utf8(payload) {
                Ok(text) => Outcome::Done(text),
                Err(e) => Outcome::Done(String::from_utf8_lossy(e.as_bytes()).into_owned()),
            },
            Ok(Ok((b'E', payload))) => parse_error(&String::from_utf8_lossy(&payload)),
            Ok(Ok((other, _))) => Outcome::Broken(format!("unknown reply status byte {other}")),
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                Outcome::Broken("the child closed its stdout".into())
            }
            Ok(Err(e)) => Outcome::Broken(format!("reading the reply: {e}")),
            Err(RecvTimeoutError::Timeout) => Outcome::TimedOut,
            Err(RecvTimeoutError::Disconnected) => Outcome::Broken("the child closed its stdout".into()),
        }
    }
}

pub(crate) fn read_frame(reader: &mut impl Read) -> std::io::Result<Frame> {
    let mut head = [0u8; 4];
    reader.read_exact(&mut head)?;
    let length = u32::from_be_bytes(head) as usize;
    if length == 0 {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "empty frame"));
    }
    let mut status = [0u8; 1];
    reader.read_exact(&mut status)?;
    let mut payload = vec![0u8; length - 1];
    reader.read_exact(&mut payload)?;
    Ok((status[0], payload))
}

fn parse_error(body: &str) -> Outcome {
    match serde_json::from_str::<ScriptError>(body) {
        Ok(error) => Outcome::Failed(error),
        Err(e) => Outcome::Broken(format!("malformed error reply ({e}): {body}")),
    }
}

/// Maps an error from the JavaScript side to the backend's error kinds.
pub(crate) fn to_backend_error(error: ScriptError) -> BackendError {
    match error.kind.as_str() {
        "syntax" => BackendError::Syntax { message: error.message },
        "exception" => BackendError::Exception {
            message: error.message,
            stack: error.stack,
        },
        "result" => BackendError::Exception {
            message: error.message,
            stack: None,
        },
        _ => BackendError::Internal(format!("server script: {}", error.message)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip() {
        let bytes = [0, 0, 0, 4, b'O', b'a', b'b', b'c', 0, 0, 0, 1, b'E'];
        let mut reader = &bytes[..];
        assert_eq!(read_frame(&mut reader).ok(), Some((b'O', b"abc".to_vec())));
        assert_eq!(read_frame(&mut reader).ok(), Some((b'E', Vec::new())));
        assert!(read_frame(&mut reader).is_err());
    }

    #[test]
    fn script_errors_map_to_kinds() {
        let Outcome::Failed(e) =
            parse_error(r#"{"ok":false,"kind":"exception","message":"Error: boom","stack":"at x"}"#)
        else {
            panic!("not parsed");
        };
        assert_eq!(
            to_backend_error(e),
            BackendError::Exception {
                message: "Error: boom".into(),
                stack: Some("at x".into())
            }
        );
        let Outcome::Failed(e) = parse_error(r#"{"kind":"syntax","message":"SyntaxError: x","stack":null}"#) else {
            panic!("not parsed");
        };
        assert_eq!(to_backend_error(e).kind(), jsbench_api::ErrorKind::Syntax);
        assert!(matches!(parse_error("nope"), Outcome::Broken(_)));
    }
}
