//! The sandbox matrix written by `jsbench sandbox`: what JavaScript on each
//! backend can reach on the host (files, environment, network, processes,
//! the host's exit, clock and randomness) and whether the memory and time
//! limits hold, each found by running a probe and checking on the host
//! side whether its effect really happened.

use serde::{Deserialize, Serialize};

/// What JavaScript on each backend can reach, one verdict per (backend,
/// probe).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SandboxMatrix {
    /// The probes, in display order.
    pub probes: Vec<SandboxProbe>,
    /// The backends, in display order, with the flags each ran with.
    pub backends: Vec<SandboxBackend>,
    /// One entry per (backend, probe).
    pub results: Vec<SandboxResult>,
    /// The engine memory limit the probes ran under, in bytes.
    pub memory_limit: u64,
    /// The per-call time limit the probes ran under, in milliseconds.
    pub timeout_ms: u64,
}

/// One capability the probes try.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SandboxProbe {
    /// Identifier (`file-read`, `network`, …).
    pub id: String,
    /// What is tried, in a few words (the column title).
    pub title: String,
    /// What the probe does and how the host checks it, in one sentence.
    pub description: String,
}

/// A backend as the sandbox matrix ran it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SandboxBackend {
    /// Backend name.
    pub name: String,
    /// The engine or runtime flags in effect (the permission flags of a
    /// sandboxed process backend among them).
    #[serde(default)]
    pub flags: Vec<String>,
    /// Why the backend could not run here, when it could not.
    #[serde(default)]
    pub unavailable: Option<String>,
}

/// What one backend's JavaScript could do with one capability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SandboxResult {
    /// Backend name.
    pub backend: String,
    /// Probe id.
    pub probe: String,
    /// The verdict.
    pub access: Access,
    /// How it was reached or refused: the API used and what the host saw,
    /// or the engine's own message.
    pub detail: String,
}

/// The verdict of a sandbox probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Access {
    /// The JavaScript did it, and the host saw the effect (or, for the
    /// limits, the JavaScript went past them).
    Allowed,
    /// An API for it exists but refused (a permission error), the effect
    /// never reached the host, or the limit held.
    Denied,
    /// The runtime has no API for it at all.
    Absent,
    /// The probe could not tell (its worker failed another way); the
    /// detail says how.
    Error,
    /// The backend cannot run on this machine.
    Unavailable,
}

impl Access {
    /// The kebab-case name used in files and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Allowed => "allowed",
            Access::Denied => "denied",
            Access::Absent => "absent",
            Access::Error => "error",
            Access::Unavailable => "unavailable",
        }
    }
}

impl std::fmt::Display for Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl SandboxMatrix {
    /// The verdict of `backend` on `probe`, if it was asked for.
    pub fn result(&self, backend: &str, probe: &str) -> Option<&SandboxResult> {
        self.results.iter().find(|r| r.backend == backend && r.probe == probe)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_round_trips_in_kebab_case() {
        for access in [
            Access::Allowed,
            Access::Denied,
            Access::Absent,
            Access::Error,
            Access::Unavailable,
        ] {
            let text = serde_json::to_string(&access).expect("serializes");
            assert_eq!(text, format!("\"{access}\""));
            assert_eq!(serde_json::from_str::<Access>(&text).expect("parses"), access);
        }
    }
}
