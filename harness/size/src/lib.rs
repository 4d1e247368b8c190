//! What each way of running JavaScript costs on disk and at build time: the
//! library behind `jsbench size`.
//!
//! The caller describes what to measure as [`Probe`]s (this crate knows no
//! backend by name): a probe program to build from scratch, written against
//! an engine crate, or an installed runtime. A program is copied with the
//! workspace's `Cargo.lock` (so it resolves the very versions the backends
//! use) into a fresh folder with a fresh target folder, its dependencies are
//! fetched (not timed), and a clean `cargo build --release` is timed and its
//! compiled packages counted ([`cargo`]). The release settings are passed as
//! `CARGO_PROFILE_RELEASE_*` and recorded ([`settings`]). The stripped binary
//! is kept, run once to check it works, and the build folder is removed.
//! Builds run one after another so that their times are not distorted by
//! each other. A runtime's executable and its installation are measured as
//! they are ([`runtime`]). Every size is also given as a delta over the
//! baseline program of its variant ([`report`]).
//!
//! Failures never stop the others: each becomes the `unavailable` reason of
//! its [`SizeReport`].
#![deny(missing_docs)]

pub mod cargo;
mod check;
pub mod error;
pub mod lock;
pub mod probe;
pub mod report;
pub mod runtime;
pub mod settings;

pub use cargo::BuildOptions;
pub use error::{InstallError, SizeError};
pub use probe::{
    CheckArgs, Located, Measure, NpmLayout, PROBE_MODULE, PROBE_OUTPUT, PROBE_SCRIPT, Probe, RunCheck, select,
};
pub use report::{artefacts_from_results, empty_report, fill_deltas, merge, unsupported};

use jsbench_schema::{SizeKind, SizeReport};
use std::path::Path;

/// What a caller hears while probes are measured (every hook a no-op by
/// default).
pub trait Progress {
    /// Measuring `probe`, the `index`-th (from 0) of `total`, begins.
    fn probe_started(&mut self, _index: usize, _total: usize, _probe: &Probe) {}
    /// The build has compiled `crates` packages so far, `last` the latest.
    fn compiled(&mut self, _crates: u32, _last: &str) {}
    /// The build ended (well or not).
    fn build_finished(&mut self) {}
    /// The build folder was kept at `path` (`keep_target`).
    fn build_folder_kept(&mut self, _path: &Path) {}
    /// The probe's report is done.
    fn probe_finished(&mut self, _report: &SizeReport) {}
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Default, Clone, Copy)]
pub struct Silent;

impl Progress for Silent {}

/// Measures the probes in order, one at a time, and fills the deltas over
/// the baseline.
pub fn measure(probes: &[Probe], options: &BuildOptions, progress: &mut dyn Progress) -> Vec<SizeReport> {
    let mut reports = Vec::with_capacity(probes.len());
    for (index, probe) in probes.iter().enumerate() {
        progress.probe_started(index, probes.len(), probe);
        let report = measure_one(probe, options, progress);
        progress.probe_finished(&report);
        reports.push(report);
    }
    fill_deltas(&mut reports);
    reports
}

/// Measures one probe; a failure becomes the report's `unavailable` reason.
fn measure_one(probe: &Probe, options: &BuildOptions, progress: &mut dyn Progress) -> SizeReport {
    let variant = match probe.measure {
        Measure::Program { .. } => options.variant.as_str(),
        Measure::Runtime { .. } => "installed",
    };
    let mut report = empty_report(&probe.name, probe.kind(), probe.backends.clone(), variant);
    report.notes = probe.notes.clone();
    let outcome = match &probe.measure {
        Measure::Program {
            dir,
            engine_crates,
            check,
            ..
        } => {
            let program = cargo::Program {
                dir,
                engine_crates,
                check,
            };
            cargo::measure_program(&program, &mut report, options, progress)
        }
        Measure::Runtime { locate, setup, npm } => runtime::measure(&mut report, locate, setup.as_ref(), npm),
    };
    if let Err(error) = outcome {
        report.unavailable = Some(error.to_string());
    }
    report
}

/// Whether a report is a failure of the measurement: a program that should
/// have built but did not, or one whose run check failed. (A runtime that is
/// not installed is not a failure.)
pub fn is_failure(report: &SizeReport) -> bool {
    report.unavailable.is_some() && report.kind != SizeKind::OutOfProcess
        || report.notes.iter().any(|n| n.starts_with("run check failed"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::path::PathBuf;

    #[derive(Default)]
    struct Recorder(Vec<String>);

    impl Progress for Recorder {
        fn probe_started(&mut self, index: usize, total: usize, probe: &Probe) {
            self.0.push(format!("{}/{total} {}", index + 1, probe.name));
        }
        fn probe_finished(&mut self, report: &SizeReport) {
            self.0.push(format!("done {}", report.name));
        }
    }

    fn options(dir: &Path) -> BuildOptions {
        BuildOptions {
            lockfile: dir.join("Cargo.lock"),
            builds_dir: dir.join("builds"),
            keep_dir: dir.join("kept"),
            keep_target: false,
            settings: settings::settings(false, None, &Default::default()),
            variant: "release".into(),
            env: Vec::new(),
        }
    }

    #[test]
    fn a_runtime_is_measured_by_the_callers_locate_and_failures_are_reports() {
        let dir = tempfile::tempdir().unwrap();
        let binary = dir.path().join("rt");
        std::fs::write(&binary, vec![0u8; 321]).unwrap();
        let set_up = std::rc::Rc::new(RefCell::new(false));
        let flag = set_up.clone();
        let runtime = Probe {
            name: "rt".into(),
            backends: vec!["rt-pipe".into()],
            measure: Measure::Runtime {
                locate: Box::new(move || {
                    Ok(Located {
                        binary: binary.clone(),
                        version: "1.2.3".into(),
                    })
                }),
                setup: Some(Box::new(move || {
                    *flag.borrow_mut() = true;
                    Ok(())
                })),
                npm: NpmLayout::default(),
            },
            notes: vec!["a note".into()],
        };
        let missing = Probe {
            name: "gone".into(),
            backends: vec!["gone-http".into()],
            measure: Measure::Runtime {
                locate: Box::new(|| Err("gone is not installed".into())),
                setup: None,
                npm: NpmLayout::default(),
            },
            notes: Vec::new(),
        };
        let no_program = Probe::baseline(dir.path().join("no-such-probe"));
        let mut recorder = Recorder::default();
        let reports = measure(&[runtime, missing, no_program], &options(dir.path()), &mut recorder);
        assert!(*set_up.borrow(), "the set-up ran");
        assert_eq!(reports[0].binary_bytes, Some(321));
        assert_eq!(reports[0].component, "rt 1.2.3");
        assert_eq!(
            (reports[0].kind, reports[0].variant.as_str()),
            (SizeKind::OutOfProcess, "installed")
        );
        assert_eq!(reports[0].notes[0], "a note");
        assert_eq!(reports[1].unavailable.as_deref(), Some("gone is not installed"));
        assert!(!is_failure(&reports[1]), "a missing runtime is no failure");
        let why = reports[2].unavailable.as_deref().unwrap();
        assert!(why.starts_with("reading ") && why.contains("no-such-probe"), "{why}");
        assert!(is_failure(&reports[2]));
        assert_eq!(
            recorder.0,
            [
                "1/3 rt",
                "done rt",
                "2/3 gone",
                "done gone",
                "3/3 baseline",
                "done baseline"
            ]
        );
        assert!(!PathBuf::from(dir.path()).join("kept").exists());
    }
}
