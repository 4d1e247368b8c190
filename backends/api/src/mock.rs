//! A backend that runs no JavaScript, for testing the harness without an
//! engine. Its behaviour is chosen by the module source, so harness tests can
//! provoke every error kind and every timing shape through ordinary workloads.
//!
//! The module source is read as directives, one per line:
//! - `echo`: `run` returns its input (the default);
//! - `const TEXT`: `run` returns `TEXT`;
//! - `syntax-error`, `throw MESSAGE`, `oom`, `crash`, `hang`, `unsupported`:
//!   fail in `load` (syntax error) or in every call the given way;
//!   `hang` sleeps past any deadline, as an engine without interrupts would;
//! - `sleep-us N`: each call sleeps N microseconds;
//! - `jitter-us N`: each call also sleeps a varying 0..N microseconds, so
//!   samples spread (for stability checks).
//! - `process-step-us N FILE`: every process that loads the module appends a
//!   line to `FILE`; the k-th process sleeps k·N extra microseconds per call,
//!   so each process runs at its own speed (a cell whose processes disagree,
//!   as a JIT's or a heap's do), deterministically.
//! - `fail-after N`: calls after the first N throw.

use crate::{BackendError, BackendKind, Bytes, Capabilities, Descriptor, JsBackend, Limits, WorkloadModule};
use std::time::Duration;

/// The mock backend's name (hidden from the default selection).
pub const NAME: &str = "mock";

/// The mock backend; see the module documentation for its directives.
#[derive(Debug, Default)]
pub struct MockBackend {
    limits: Option<Limits>,
    program: Option<Program>,
    calls: u64,
}

#[derive(Debug, Default, Clone)]
struct Program {
    constant: Option<String>,
    failure: Option<Failure>,
    sleep: Duration,
    jitter_us: u64,
    fail_after: Option<u64>,
}

#[derive(Debug, Clone)]
enum Failure {
    Throw(String),
    Oom,
    Crash,
    Hang,
    Unsupported,
}

impl MockBackend {
    /// A fresh mock backend.
    pub fn new() -> Self {
        Self::default()
    }

    fn parse(source: &str) -> Result<Program, BackendError> {
        let mut program = Program::default();
        for line in source
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("//"))
        {
            let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
            let number = || {
                rest.trim().parse::<u64>().map_err(|_| BackendError::Syntax {
                    message: format!("mock: `{word}` needs a number, got `{rest}`"),
                })
            };
            match word {
                "echo" => program.constant = None,
                "const" => program.constant = Some(rest.to_string()),
                "syntax-error" => {
                    return Err(BackendError::Syntax {
                        message: "mock: syntax-error directive".into(),
                    });
                }
                "throw" => program.failure = Some(Failure::Throw(rest.to_string())),
                "oom" => program.failure = Some(Failure::Oom),
                "crash" => program.failure = Some(Failure::Crash),
                "hang" => program.failure = Some(Failure::Hang),
                "unsupported" => program.failure = Some(Failure::Unsupported),
                "sleep-us" => program.sleep = Duration::from_micros(number()?),
                "jitter-us" => program.jitter_us = number()?,
                "process-step-us" => {
                    let (step, file) = rest.trim().split_once(' ').ok_or_else(|| BackendError::Syntax {
                        message: format!("mock: `process-step-us` needs a number and a file, got `{rest}`"),
                    })?;
                    let step: u64 = step.parse().map_err(|_| BackendError::Syntax {
                        message: format!("mock: `process-step-us` needs a number, got `{step}`"),
                    })?;
                    let order = Self::count_process(file.trim())?;
                    program.sleep += Duration::from_micros(step.saturating_mul(order));
                }
                "fail-after" => program.fail_after = Some(number()?),
                other => {
                    return Err(BackendError::Syntax {
                        message: format!("mock: unknown directive `{other}`"),
                    });
                }
            }
        }
        Ok(program)
    }

    /// Appends a line to `file` and returns how many lines it has now: the
    /// order of this process among those that loaded the module.
    fn count_process(file: &str) -> Result<u64, BackendError> {
        use std::io::Write;
        let io = |e: std::io::Error| BackendError::Internal(format!("mock: process counter {file}: {e}"));
        let mut counter = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(file)
            .map_err(io)?;
        counter.write_all(b"process\n").map_err(io)?;
        let text = std::fs::read_to_string(file).map_err(io)?;
        Ok(text.lines().count() as u64)
    }
}

impl JsBackend for MockBackend {
    fn descriptor(&self) -> Descriptor {
        Descriptor {
            name: NAME.into(),
            engine: "mock".into(),
            engine_version: env!("CARGO_PKG_VERSION").into(),
            kind: BackendKind::Mock,
            capabilities: Capabilities {
                interrupt: false,
                memory_limit: false,
                engine_memory: true,
                host_callback: false,
                host_value: false,
                promises: false,
                jit: false,
            },
            flags: vec![],
        }
    }

    fn create(&mut self, limits: &Limits) -> Result<(), BackendError> {
        self.limits = Some(*limits);
        Ok(())
    }

    fn load(&mut self, module: &WorkloadModule) -> Result<(), BackendError> {
        if self.limits.is_none() {
            return Err(crate::not_ready("load"));
        }
        self.program = Some(Self::parse(&module.source)?);
        Ok(())
    }

    fn call(&mut self, input: &str) -> Result<String, BackendError> {
        let program = self.program.as_ref().ok_or_else(|| crate::not_ready("call"))?;
        self.calls += 1;
        if !program.sleep.is_zero() {
            std::thread::sleep(program.sleep);
        }
        if program.jitter_us > 0 {
            // A cheap deterministic spread: calls alternate between short and long.
            let spread = (self.calls * 7919) % (program.jitter_us + 1);
            std::thread::sleep(Duration::from_micros(spread));
        }
        if let Some(n) = program.fail_after
            && self.calls > n
        {
            return Err(BackendError::Exception {
                message: format!("mock: failing after {n} calls"),
                stack: None,
            });
        }
        match &program.failure {
            None => {}
            Some(Failure::Throw(m)) => {
                return Err(BackendError::Exception {
                    message: m.clone(),
                    stack: Some("    at run (mock)".into()),
                });
            }
            Some(Failure::Oom) => {
                return Err(BackendError::OutOfMemory {
                    message: "mock: oom directive".into(),
                });
            }
            Some(Failure::Crash) => std::process::abort(),
            Some(Failure::Hang) => loop {
                std::thread::sleep(Duration::from_secs(3600));
            },
            Some(Failure::Unsupported) => {
                return Err(BackendError::Unsupported("mock: unsupported directive".into()));
            }
        }
        Ok(program.constant.clone().unwrap_or_else(|| input.to_string()))
    }

    fn engine_memory(&mut self) -> Option<Bytes> {
        Some(4096)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(source: &str) -> Result<MockBackend, BackendError> {
        let mut b = MockBackend::new();
        b.create(&Limits::default())?;
        b.load(&WorkloadModule {
            name: "t".into(),
            source: source.into(),
            path: None,
        })?;
        Ok(b)
    }

    #[test]
    fn echoes_by_default_and_returns_constants() {
        assert_eq!(loaded("").unwrap().call("hi").unwrap(), "hi");
        assert_eq!(loaded("const 42").unwrap().call("hi").unwrap(), "42");
    }

    #[test]
    fn directives_give_typed_errors() {
        assert_eq!(loaded("syntax-error").unwrap_err().kind(), crate::ErrorKind::Syntax);
        assert_eq!(loaded("bogus").unwrap_err().kind(), crate::ErrorKind::Syntax);
        let e = loaded("throw boom").unwrap().call("").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Exception);
        assert!(e.to_string().contains("boom"));
        assert_eq!(
            loaded("oom").unwrap().call("").unwrap_err().kind(),
            crate::ErrorKind::OutOfMemory
        );
    }

    #[test]
    fn fail_after_counts_calls() {
        let mut b = loaded("fail-after 2").unwrap();
        assert!(b.call("a").is_ok());
        assert!(b.call("a").is_ok());
        assert!(b.call("a").is_err());
    }

    #[test]
    fn call_before_load_is_an_error_not_a_panic() {
        let mut b = MockBackend::new();
        assert_eq!(b.call("x").unwrap_err().kind(), crate::ErrorKind::Internal);
    }
}
