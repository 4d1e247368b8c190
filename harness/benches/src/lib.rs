//! What the criterion benches (`cargo bench -p jsbench-benches`) share: the
//! backends this build benches, the cases they run, and making a backend
//! ready to be measured.
//!
//! The benches drive the same backend crates through the same
//! [`JsBackend`] trait as `jsbench run`, so there is no second copy of
//! engine code. Inputs and expected outputs come from the workload
//! manifests, and every call case checks its output once before it is
//! measured. What differs from `jsbench run` is the method: criterion, in
//! one process, with its own statistics and saved baselines, for quick
//! before/after comparisons while working on a backend.
//!
//! Two facts of the backends shape this crate:
//! - V8's flags are process-wide, so one bench process runs either `v8` or
//!   `v8-jitless`, chosen by [`V8_JITLESS_ENV`] (see [`V8Variant`]).
//! - The process and wasm-component backends need set-up first (`npm ci`,
//!   runtime binaries); a backend whose set-up fails is reported as
//!   unavailable and skipped, never left out silently.
//!
//! The backends, their set-up and their availability come from the one
//! registry (`jsbench-registry`), as in `jsbench run`.
#![deny(missing_docs)]

use jsbench_api::{BackendError, BackendFactory, JsBackend, Limits, WorkloadModule};
use jsbench_registry::Entry;
use jsbench_runner::manifest::{self, Expected, ManifestError};
use std::path::{Path, PathBuf};

/// Environment variable that switches the V8 benches from `v8` (JIT) to
/// `v8-jitless`: `1` (or `true`, `yes`) for jitless; unset, empty, `0`,
/// `false` or `no` for the JIT.
pub const V8_JITLESS_ENV: &str = "JSBENCH_BENCH_V8_JITLESS";

/// Environment variable that turns criterion's plots (and so the graphs of
/// its HTML report) on: `1` for plots. They are off by default because
/// drawing them with the plotters backend costs seconds per benchmark, more
/// than the measurement itself.
pub const PLOTS_ENV: &str = "JSBENCH_BENCH_PLOTS";

/// Reads a yes/no environment value: `1`, `true`, `yes` are yes; unset,
/// empty, `0`, `false`, `no` are no; anything else is an error naming `var`.
pub fn flag_from_env_value(var: &str, value: Option<&str>) -> Result<bool, String> {
    match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        None | Some("" | "0" | "false" | "no") => Ok(false),
        Some("1" | "true" | "yes") => Ok(true),
        Some(other) => Err(format!("{var}={other:?}: use 1 (yes) or 0 (no)")),
    }
}

/// Reads the yes/no environment variable `var` (see [`flag_from_env_value`]).
pub fn flag_from_env(var: &str) -> Result<bool, String> {
    let value = std::env::var_os(var).map(|v| v.to_string_lossy().into_owned());
    flag_from_env_value(var, value.as_deref())
}

/// Environment variable naming the workload suite folder; by default the
/// repository's `workloads/`.
pub const WORKLOADS_DIR_ENV: &str = "JSBENCH_WORKLOADS_DIR";

/// A failure while getting a bench ready; names the backend or manifest.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// A manifest could not be read.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    /// The manifest has no such workload or size.
    #[error("{manifest}: no workload `{workload}` with size `{size}`")]
    MissingCase {
        /// The manifest file.
        manifest: PathBuf,
        /// The workload asked for.
        workload: String,
        /// The size asked for.
        size: String,
    },
    /// A backend phase failed.
    #[error("{backend}: {phase} of `{workload}` failed: {source}")]
    Backend {
        /// Backend name.
        backend: String,
        /// `prepare`, `create`, `load` or `call`.
        phase: &'static str,
        /// Workload name.
        workload: String,
        /// What the backend said.
        source: BackendError,
    },
    /// The check call returned something other than the manifest expects.
    #[error("{backend}: `{workload}` returned `{got}`, expected {expected}")]
    WrongOutput {
        /// Backend name.
        backend: String,
        /// Workload name.
        workload: String,
        /// The output, shortened.
        got: String,
        /// What the manifest expects.
        expected: String,
    },
}

/// Which V8 variant this bench process runs (V8's flags are process-wide,
/// so it cannot run both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V8Variant {
    /// `v8`: V8 with its JIT tiers (the default).
    Jit,
    /// `v8-jitless`: V8 started with `--jitless`.
    Jitless,
}

impl V8Variant {
    /// The variant asked for by the value of [`V8_JITLESS_ENV`] (`None`
    /// when unset); an unknown value is an error rather than a guess.
    pub fn from_env_value(value: Option<&str>) -> Result<V8Variant, String> {
        let jitless = flag_from_env_value(V8_JITLESS_ENV, value)?;
        Ok(if jitless { V8Variant::Jitless } else { V8Variant::Jit })
    }

    /// The variant asked for by the environment.
    pub fn from_env() -> Result<V8Variant, String> {
        let jitless = flag_from_env(V8_JITLESS_ENV)?;
        Ok(if jitless { V8Variant::Jitless } else { V8Variant::Jit })
    }

    /// The backend name of the variant.
    pub fn backend_name(self) -> &'static str {
        match self {
            V8Variant::Jit => "v8",
            V8Variant::Jitless => "v8-jitless",
        }
    }
}

/// A backend the benches can measure.
#[derive(Clone, Copy)]
pub struct Subject {
    /// Backend name, the last part of each benchmark id (`create/quickjs`).
    pub name: &'static str,
    make: BackendFactory,
}

impl Subject {
    /// A subject built by `make`.
    pub fn new(name: &'static str, make: BackendFactory) -> Subject {
        Subject { name, make }
    }

    /// A new backend, with nothing created yet.
    pub fn make(&self) -> Box<dyn JsBackend> {
        (self.make)()
    }
}

impl From<&Entry> for Subject {
    fn from(entry: &Entry) -> Subject {
        Subject::new(entry.name, entry.make)
    }
}

/// The registry's backends that one bench process can run, in `jsbench
/// list` order: of backends that share process-wide state (V8's flags),
/// only the one named `preferred` (or the first of them).
pub fn entries(preferred: &str) -> Vec<Entry> {
    one_per_process(jsbench_registry::visible(), preferred)
}

fn one_per_process(entries: Vec<Entry>, preferred: &str) -> Vec<Entry> {
    let chosen = |group: &str| {
        let mut members = entries.iter().filter(|e| e.one_per_process == Some(group));
        let first = members.clone().next().map(|e| e.name);
        members.find(|e| e.name == preferred).map(|e| e.name).or(first)
    };
    entries
        .iter()
        .filter(|e| e.one_per_process.is_none_or(|group| chosen(group) == Some(e.name)))
        .copied()
        .collect()
}

/// The backends of this build with `v8` as the V8 variant, made ready to
/// run here by the registry's set-up (each step once, then availability).
/// Returns the ready ones and, for the others, why they cannot run.
pub fn subjects(v8: V8Variant) -> (Vec<Subject>, Vec<(&'static str, String)>) {
    let entries = entries(v8.backend_name());
    let outcomes = jsbench_registry::set_up(&entries, |_, _| {});
    let mut ready = Vec::new();
    let mut unavailable = Vec::new();
    for (entry, outcome) in entries.iter().zip(outcomes) {
        match outcome {
            Ok(()) => ready.push(Subject::from(entry)),
            Err(why) => unavailable.push((entry.name, why.to_string())),
        }
    }
    (ready, unavailable)
}

/// Where a call case comes from: a workload and size of a manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseSpec {
    /// Criterion group name (the first part of the benchmark id).
    pub group: &'static str,
    /// Manifest path, relative to the workloads folder.
    pub manifest: &'static str,
    /// Workload name in the manifest.
    pub workload: &'static str,
    /// Size name in the manifest.
    pub size: &'static str,
}

/// The call cases, in the order they run. `call-empty` also supplies the
/// module of the `create` and `load` benches.
pub const CALL_CASES: [CaseSpec; 4] = [
    CaseSpec {
        group: "call-empty",
        manifest: "embedding/empty-call.toml",
        workload: "empty-call",
        size: "small",
    },
    CaseSpec {
        group: "echo-1kb",
        manifest: "embedding/echo.toml",
        workload: "echo-1kb",
        size: "small",
    },
    CaseSpec {
        group: "echo-64kb",
        manifest: "embedding/echo.toml",
        workload: "echo-64kb",
        size: "small",
    },
    CaseSpec {
        group: "fib-small",
        manifest: "compute/fib.toml",
        workload: "fib",
        size: "small",
    },
];

/// A call case ready to run: a module, one input and what it must return.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Criterion group name.
    pub group: &'static str,
    /// The workload module.
    pub module: WorkloadModule,
    /// The input of every call.
    pub input: String,
    /// What every call must return.
    pub expected: Expected,
}

/// The workload suite folder: [`WORKLOADS_DIR_ENV`] if set, otherwise the
/// repository's `workloads/`.
pub fn workloads_dir() -> PathBuf {
    match std::env::var_os(WORKLOADS_DIR_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../workloads"),
    }
}

/// Reads the case `spec` from its manifest under `workloads`.
pub fn load_case(workloads: &Path, spec: &CaseSpec) -> Result<Case, BenchError> {
    let path = workloads.join(spec.manifest);
    let missing = || BenchError::MissingCase {
        manifest: path.clone(),
        workload: spec.workload.to_string(),
        size: spec.size.to_string(),
    };
    let workloads = manifest::load_manifest(&path)?;
    let workload = workloads.iter().find(|w| w.name == spec.workload).ok_or_else(missing)?;
    let size = workload.sizes.get(spec.size).ok_or_else(missing)?;
    Ok(Case {
        group: spec.group,
        module: workload.module(),
        input: size.input.clone(),
        expected: size.expected.clone(),
    })
}

/// The limits of every bench runtime: the harness's defaults.
pub fn limits() -> Limits {
    Limits::default()
}

fn phase_error(
    subject: &Subject,
    phase: &'static str,
    module: &WorkloadModule,
) -> impl FnOnce(BackendError) -> BenchError {
    let backend = subject.name.to_string();
    let workload = module.name.clone();
    move |source| BenchError::Backend {
        backend,
        phase,
        workload,
        source,
    }
}

/// A new backend with `module` prepared (build-time work such as
/// componentizing, cached by the wasm-component backend) and no runtime
/// yet: what the `create` bench times `create` on.
pub fn prepared(subject: &Subject, module: &WorkloadModule) -> Result<Box<dyn JsBackend>, BenchError> {
    let mut backend = subject.make();
    backend
        .prepare(module)
        .map_err(phase_error(subject, "prepare", module))?;
    Ok(backend)
}

/// Runs `create` on a prepared backend.
pub fn create(subject: &Subject, backend: &mut dyn JsBackend, module: &WorkloadModule) -> Result<(), BenchError> {
    backend
        .create(&limits())
        .map_err(phase_error(subject, "create", module))
}

/// Runs `load` on a created backend.
pub fn load(subject: &Subject, backend: &mut dyn JsBackend, module: &WorkloadModule) -> Result<(), BenchError> {
    backend.load(module).map_err(phase_error(subject, "load", module))
}

/// A backend with a fresh runtime and nothing loaded: what the `load`
/// bench times `load` on.
pub fn created(subject: &Subject, module: &WorkloadModule) -> Result<Box<dyn JsBackend>, BenchError> {
    let mut backend = prepared(subject, module)?;
    create(subject, backend.as_mut(), module)?;
    Ok(backend)
}

/// A backend with `case`'s module loaded and one call checked against the
/// manifest: what the call benches time `call` on.
pub fn checked(subject: &Subject, case: &Case) -> Result<Box<dyn JsBackend>, BenchError> {
    let mut backend = created(subject, &case.module)?;
    load(subject, backend.as_mut(), &case.module)?;
    let output = call(subject, backend.as_mut(), case)?;
    if !case.expected.matches(&output) {
        return Err(BenchError::WrongOutput {
            backend: subject.name.to_string(),
            workload: case.module.name.clone(),
            got: manifest::abbreviate(&output, 80),
            expected: case.expected.describe(),
        });
    }
    Ok(backend)
}

/// One call of `case`'s input.
pub fn call(subject: &Subject, backend: &mut dyn JsBackend, case: &Case) -> Result<String, BenchError> {
    backend
        .call(&case.input)
        .map_err(phase_error(subject, "call", &case.module))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsbench_api::mock::MockBackend;

    fn mock() -> Subject {
        Subject::new("mock", || Box::new(MockBackend::new()))
    }

    fn case(source: &str, input: &str, expected: &str) -> Case {
        Case {
            group: "test",
            module: WorkloadModule {
                name: "w".into(),
                source: source.into(),
                path: None,
            },
            input: input.into(),
            expected: Expected::Exact(expected.into()),
        }
    }

    #[test]
    fn v8_variant_comes_from_the_environment_value() {
        assert_eq!(V8Variant::from_env_value(None), Ok(V8Variant::Jit));
        assert_eq!(V8Variant::from_env_value(Some("")), Ok(V8Variant::Jit));
        assert_eq!(V8Variant::from_env_value(Some("0")), Ok(V8Variant::Jit));
        assert_eq!(V8Variant::from_env_value(Some("1")), Ok(V8Variant::Jitless));
        assert_eq!(V8Variant::from_env_value(Some("TRUE")), Ok(V8Variant::Jitless));
        let err = V8Variant::from_env_value(Some("jit")).unwrap_err();
        assert!(err.contains(V8_JITLESS_ENV), "{err}");
        assert_eq!(V8Variant::Jitless.backend_name(), "v8-jitless");
        assert_eq!(flag_from_env_value(PLOTS_ENV, Some(" yes ")), Ok(true));
        assert!(
            flag_from_env_value(PLOTS_ENV, Some("2"))
                .unwrap_err()
                .starts_with(PLOTS_ENV)
        );
    }

    #[test]
    fn one_v8_variant_per_process() {
        for variant in [V8Variant::Jit, V8Variant::Jitless] {
            let all = entries(variant.backend_name());
            for (i, e) in all.iter().enumerate() {
                assert!(all[..i].iter().all(|o| o.name != e.name), "{} twice", e.name);
                assert_eq!(Subject::from(e).make().descriptor().name, e.name);
            }
            let other = match variant {
                V8Variant::Jit => V8Variant::Jitless,
                V8Variant::Jitless => V8Variant::Jit,
            };
            assert!(all.iter().all(|e| e.name != other.backend_name()));
            #[cfg(feature = "v8")]
            assert!(all.iter().any(|e| e.name == variant.backend_name()));
        }
    }

    #[test]
    fn a_shared_process_group_keeps_the_preferred_member_or_the_first() {
        let member = |name: &'static str, group: Option<&'static str>| Entry {
            name,
            one_per_process: group,
            ..jsbench_registry::find("mock").unwrap()
        };
        let all = || {
            vec![
                member("a", None),
                member("x1", Some("x")),
                member("x2", Some("x")),
                member("y1", Some("y")),
            ]
        };
        let names = |kept: Vec<Entry>| kept.iter().map(|e| e.name).collect::<Vec<_>>();
        assert_eq!(names(one_per_process(all(), "x2")), ["a", "x2", "y1"]);
        assert_eq!(names(one_per_process(all(), "none")), ["a", "x1", "y1"]);
    }

    #[test]
    fn every_case_loads_from_the_suite() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../workloads");
        for spec in &CALL_CASES {
            let case = load_case(&dir, spec).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(case.group, spec.group);
            assert!(case.module.source.contains("export function run"), "{}", spec.workload);
        }
        let empty = load_case(&dir, &CALL_CASES[0]).unwrap();
        assert_eq!(empty.input, "");
        assert_eq!(empty.expected, Expected::Exact(String::new()));
        let fib = load_case(&dir, &CALL_CASES[3]).unwrap();
        assert_eq!(
            (fib.input.as_str(), fib.expected.clone()),
            ("15", Expected::Exact("610".into()))
        );
        assert_eq!(load_case(&dir, &CALL_CASES[1]).unwrap().input.len(), 1024);
    }

    #[test]
    fn a_missing_workload_or_size_names_the_manifest() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../workloads");
        let spec = CaseSpec {
            group: "x",
            manifest: "compute/fib.toml",
            workload: "fib",
            size: "huge",
        };
        let err = load_case(&dir, &spec).unwrap_err().to_string();
        assert!(err.contains("fib.toml") && err.contains("huge"), "{err}");
        let spec = CaseSpec {
            workload: "nope",
            size: "small",
            ..spec
        };
        assert!(matches!(load_case(&dir, &spec), Err(BenchError::MissingCase { .. })));
    }

    #[test]
    fn checked_backend_answers_the_case() {
        let case = case("echo", "abc", "abc");
        let mut backend = checked(&mock(), &case).unwrap();
        assert_eq!(call(&mock(), backend.as_mut(), &case).unwrap(), "abc");
    }

    #[test]
    fn wrong_output_is_caught_before_measuring() {
        let err = checked(&mock(), &case("const 42", "15", "610")).err().unwrap();
        assert!(
            matches!(&err, BenchError::WrongOutput { got, .. } if got == "42"),
            "{err}"
        );
        assert!(err.to_string().contains("`610`"), "{err}");
    }

    #[test]
    fn failures_name_backend_phase_and_workload() {
        let err = checked(&mock(), &case("syntax-error", "", "")).err().unwrap();
        assert!(matches!(&err, BenchError::Backend { phase: "load", .. }), "{err}");
        let err = checked(&mock(), &case("throw boom", "", "")).err().unwrap().to_string();
        assert!(
            err.starts_with("mock: call of `w` failed") && err.contains("boom"),
            "{err}"
        );
    }

    #[test]
    fn created_backend_has_no_module_yet() {
        let c = case("echo", "", "");
        let mut backend = created(&mock(), &c.module).unwrap();
        assert!(call(&mock(), backend.as_mut(), &c).is_err());
        load(&mock(), backend.as_mut(), &c.module).unwrap();
        assert_eq!(call(&mock(), backend.as_mut(), &c).unwrap(), "");
    }
}
