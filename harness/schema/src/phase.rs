//! The phases of a worker's life, in the order they run. Results files name
//! them in kebab case (`prepare`, `create`, `load`, `first-call`, `steady`),
//! as version 1 did with plain strings.

use serde::{Deserialize, Serialize};

/// A phase of a worker's life: where a cell's time went and where its
/// error happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Build-time work (e.g. compiling JS to a component).
    Prepare,
    /// Creating the runtime (cold start).
    Create,
    /// Loading (parsing, compiling) the workload module.
    Load,
    /// The first call of `run`.
    FirstCall,
    /// Warm-up and the timed samples.
    Steady,
}

impl Phase {
    /// Every phase, in the order a worker runs them.
    pub const ALL: [Phase; 5] = [
        Phase::Prepare,
        Phase::Create,
        Phase::Load,
        Phase::FirstCall,
        Phase::Steady,
    ];

    /// The kebab-case name used in files and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Prepare => "prepare",
            Phase::Create => "create",
            Phase::Load => "load",
            Phase::FirstCall => "first-call",
            Phase::Steady => "steady",
        }
    }
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not one of the [`Phase`]s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown phase `{0}` (the phases are prepare, create, load, first-call and steady)")]
pub struct UnknownPhase(pub String);

impl std::str::FromStr for Phase {
    type Err = UnknownPhase;

    fn from_str(name: &str) -> Result<Phase, UnknownPhase> {
        Phase::ALL
            .into_iter()
            .find(|p| p.as_str() == name)
            .ok_or_else(|| UnknownPhase(name.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_text_and_serde() {
        for phase in Phase::ALL {
            assert_eq!(phase.to_string().parse::<Phase>(), Ok(phase));
            let json = serde_json::to_string(&phase).unwrap();
            assert_eq!(json, format!("\"{phase}\""));
            assert_eq!(serde_json::from_str::<Phase>(&json).unwrap(), phase);
        }
        assert_eq!(Phase::FirstCall.as_str(), "first-call");
    }

    #[test]
    fn an_unknown_name_is_refused_with_the_name() {
        let err = "warmup".parse::<Phase>().unwrap_err();
        assert_eq!(err, UnknownPhase("warmup".into()));
        assert!(err.to_string().contains("`warmup`"), "{err}");
        assert!("First-Call".parse::<Phase>().is_err(), "names are case-sensitive");
    }
}
