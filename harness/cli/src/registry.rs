//! The backends of this build. They are declared once, in the registry
//! crate (`harness/registry`), re-exported here under the name the commands
//! use; this module adds what the commands share on top of it.

pub use jsbench_registry::*;
use jsbench_schema::BackendInfo;

/// Makes the backends ready to run here (each one-time set-up step once,
/// then each availability check) and describes them for the results; a
/// backend that cannot run is kept, marked unavailable with the reason.
pub fn ready(entries: &[Entry], quiet: bool) -> Vec<BackendInfo> {
    let outcomes = set_up(entries, |entry, step| {
        if !quiet {
            eprintln!("setting up {} ({step:?}) ...", entry.name);
        }
    });
    entries
        .iter()
        .zip(outcomes)
        .map(|(entry, outcome)| entry.info(outcome.err().map(|e| e.to_string())))
        .collect()
}
