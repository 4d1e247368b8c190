//! What the caller asks to measure: a list of [`Probe`]s, each naming the
//! backends it stands for, where its program lives and what it measures.
//! This crate knows no backend by name; the caller (the CLI's backend
//! registry) describes them, and [`select`] picks the probes for the
//! backends a user asked for.

use jsbench_schema::SizeKind;
use std::path::{Path, PathBuf};

/// The script every JavaScript probe program runs once after its build.
pub const PROBE_SCRIPT: &str = "[6 * 7, 'probe'].join(' ')";
/// The expected output of [`PROBE_SCRIPT`].
pub const PROBE_OUTPUT: &str = "42 probe";
/// A workload module that prints [`PROBE_OUTPUT`] for the input `probe`,
/// for probes that run a workload module rather than a script (a caller
/// turns it into what its probe runs, e.g. a component).
pub const PROBE_MODULE: &str = "export function run(input) { return [6 * 7, input].join(' '); }\n";

/// Where a runtime's executable is and which version it is, as found by the
/// caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The executable.
    pub binary: PathBuf,
    /// Its version (`20.20.2`).
    pub version: String,
}

/// Makes the arguments of a run check in a scratch folder (e.g. a component
/// built from [`PROBE_MODULE`]); an error skips the check with a note.
pub type PrepareCheck = Box<dyn Fn(&Path) -> Result<Vec<String>, String>>;

/// How a built probe is run once to check that it works.
pub enum CheckArgs {
    /// These arguments.
    Fixed(Vec<String>),
    /// Arguments the caller prepares when the check runs.
    Prepared(PrepareCheck),
}

/// A run of the built probe and the output it must print.
pub struct RunCheck {
    /// Its arguments.
    pub args: CheckArgs,
    /// Its expected standard output (trailing whitespace ignored).
    pub expected: String,
}

impl RunCheck {
    /// Runs [`PROBE_SCRIPT`], expecting [`PROBE_OUTPUT`]: the check of a
    /// probe that embeds a JavaScript engine.
    pub fn script() -> Self {
        RunCheck {
            args: CheckArgs::Fixed(vec![PROBE_SCRIPT.into()]),
            expected: PROBE_OUTPUT.into(),
        }
    }
}

/// Which npm package folders make up a runtime's installation, when its
/// executable lies in a `node_modules` folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NpmLayout {
    /// Package folders directly under `node_modules` (`deno`).
    pub packages: Vec<String>,
    /// Scopes whose every package belongs to the runtime (`@deno`, for its
    /// platform packages).
    pub scopes: Vec<String>,
}

/// Finds a runtime's executable.
pub type Locate = Box<dyn Fn() -> Result<Located, String>>;
/// A one-time set-up before measuring (e.g. `npm ci`).
pub type Setup = Box<dyn Fn() -> Result<(), String>>;

/// What a probe measures.
pub enum Measure {
    /// A program to build from scratch, in the folder `dir` (a Cargo
    /// package with one binary).
    Program {
        /// The program's folder.
        dir: PathBuf,
        /// [`SizeKind::Baseline`], [`SizeKind::Embedded`] or
        /// [`SizeKind::WasmComponent`].
        kind: SizeKind,
        /// Crates whose locked versions say what the program links.
        engine_crates: Vec<String>,
        /// The run after the build.
        check: RunCheck,
    },
    /// An installed runtime: its executable and its installation.
    Runtime {
        /// Finds the executable.
        locate: Locate,
        /// Runs before it is located.
        setup: Option<Setup>,
        /// Its npm packages, when installed with npm.
        npm: NpmLayout,
    },
}

/// One thing to measure.
pub struct Probe {
    /// The report's name (`quickjs`, `node`).
    pub name: String,
    /// The backends the figure stands for (`v8` and `v8-jitless`).
    pub backends: Vec<String>,
    /// What is measured.
    pub measure: Measure,
    /// Remarks for the report (shared binaries, what is left out).
    pub notes: Vec<String>,
}

impl Probe {
    /// The program without an engine that every other size is a delta over:
    /// it prints `baseline: <its argument>`.
    pub fn baseline(dir: PathBuf) -> Self {
        Probe {
            name: "baseline".into(),
            backends: Vec::new(),
            measure: Measure::Program {
                dir,
                kind: SizeKind::Baseline,
                engine_crates: Vec::new(),
                check: RunCheck {
                    args: CheckArgs::Fixed(vec![PROBE_SCRIPT.into()]),
                    expected: format!("baseline: {PROBE_SCRIPT}"),
                },
            },
            notes: Vec::new(),
        }
    }

    /// The report kind of this probe.
    pub fn kind(&self) -> SizeKind {
        match &self.measure {
            Measure::Program { kind, .. } => *kind,
            Measure::Runtime { .. } => SizeKind::OutOfProcess,
        }
    }
}

/// The probes that stand for any of `wanted` (in the order the first of
/// their backends is wanted), each with its backends narrowed to the wanted
/// ones, and the wanted names no probe stands for.
pub fn select(probes: Vec<Probe>, wanted: &[&str]) -> (Vec<Probe>, Vec<String>) {
    let mut picked: Vec<(usize, Probe)> = probes
        .into_iter()
        .filter_map(|mut probe| {
            probe.backends.retain(|b| wanted.contains(&b.as_str()));
            let first = wanted.iter().position(|w| probe.backends.iter().any(|b| b == w))?;
            probe
                .backends
                .sort_by_key(|b| wanted.iter().position(|w| w == b).unwrap_or(usize::MAX));
            Some((first, probe))
        })
        .collect();
    picked.sort_by_key(|(first, _)| *first);
    let unmatched = wanted
        .iter()
        .filter(|w| !picked.iter().any(|(_, p)| p.backends.iter().any(|b| b == *w)))
        .map(|w| w.to_string())
        .collect();
    (picked.into_iter().map(|(_, p)| p).collect(), unmatched)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program(name: &str, backends: &[&str]) -> Probe {
        Probe {
            name: name.into(),
            backends: backends.iter().map(|b| b.to_string()).collect(),
            measure: Measure::Program {
                dir: PathBuf::from(name),
                kind: SizeKind::Embedded,
                engine_crates: Vec::new(),
                check: RunCheck::script(),
            },
            notes: Vec::new(),
        }
    }

    #[test]
    fn select_groups_backends_onto_their_probe_in_the_wanted_order() {
        let probes = vec![program("v8", &["v8", "v8-jitless"]), program("quickjs", &["quickjs"])];
        let (picked, unmatched) = select(probes, &["quickjs", "v8-jitless", "mock", "v8"]);
        let names: Vec<(&str, Vec<String>)> = picked.iter().map(|p| (p.name.as_str(), p.backends.clone())).collect();
        assert_eq!(
            names,
            vec![
                ("quickjs", vec!["quickjs".to_string()]),
                ("v8", vec!["v8-jitless".to_string(), "v8".to_string()])
            ]
        );
        assert_eq!(unmatched, vec!["mock".to_string()]);
    }

    #[test]
    fn select_drops_probes_no_wanted_backend_uses() {
        let probes = vec![program("v8", &["v8", "v8-jitless"]), program("boa", &["boa"])];
        let (picked, unmatched) = select(probes, &["v8-jitless"]);
        assert_eq!(picked.len(), 1);
        assert_eq!(picked[0].backends, vec!["v8-jitless".to_string()]);
        assert!(unmatched.is_empty());
        assert_eq!(Probe::baseline("b".into()).kind(), SizeKind::Baseline);
    }
}
