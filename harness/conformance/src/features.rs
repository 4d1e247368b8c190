//! The language-feature matrix: probe modules, their metadata, and the
//! verdict of each backend on each probe.
//!
//! A probe is an ES module in `workloads/features/` whose `run(input)`
//! returns `"ok"` only when its feature behaves correctly, and otherwise a
//! short description of what was wrong (or throws). Its metadata is a header
//! of `//` comments at the top of the file:
//!
//! ```js
//! // edition: ES2020
//! // feature: Optional chaining
//! // checks: a?.b, a?.[k] and f?.() short-circuit on null and undefined
//! export function run(input) { ... }
//! ```
//!
//! The folder holds no `.toml`, so the benchmark suite never picks probes up.
//! A probe whose syntax the engine cannot parse gets a syntax error, which
//! the matrix shows as "unsupported (syntax)"; a probe that finds a built-in
//! absent answers `missing: <name>`.

use crate::pool;
use jsbench_runner::launch::{ProcessOutcome, Supervision, WorkerCommand, run_process};
use jsbench_runner::manifest::Expected;
use jsbench_runner::protocol::{MeasureSettings, Mode, WorkerRequest};
use jsbench_schema::{BackendInfo, ErrorKind, FeatureMatrix, FeatureProbe, FeatureResult, FeatureStatus};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// What a probe answers when its feature works.
pub const OK: &str = "ok";
/// How a probe's answer starts when a built-in it checks is absent.
pub const MISSING: &str = "missing:";

/// A problem with the probe folder or a probe's header.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// A file or folder could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A probe's header lacks a key or has an unknown one.
    #[error("{path}: {message}")]
    Header {
        /// The probe.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Two probes have the same file stem.
    #[error("probe `{id}` is defined twice: {first} and {second}")]
    Duplicate {
        /// The id.
        id: String,
        /// First file.
        first: PathBuf,
        /// Second file.
        second: PathBuf,
    },
    /// A probe filter matched nothing.
    #[error("no feature probe matches `{0}`")]
    NoMatch(String),
}

/// A probe: its metadata and its source.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    /// Metadata, as recorded in results.
    pub info: FeatureProbe,
    /// The module source.
    pub source: String,
}

/// Editions in display order; anything else sorts after them.
const EDITIONS: [&str; 15] = [
    "ES2015", "ES2016", "ES2017", "ES2018", "ES2019", "ES2020", "ES2021", "ES2022", "ES2023", "ES2024", "ES2025",
    "ES2026", "ECMA-402", "host", "proposal",
];

/// Sort key of an edition name: its place in [`EDITIONS`].
pub fn edition_rank(edition: &str) -> usize {
    EDITIONS.iter().position(|e| *e == edition).unwrap_or(EDITIONS.len())
}

/// Reads the `// key: value` header of a probe: `edition` and `feature` are
/// required, `checks` is optional.
pub fn parse_header(text: &str, path: &Path) -> Result<(String, String, String), ProbeError> {
    let header = |message: String| ProbeError::Header {
        path: path.to_path_buf(),
        message,
    };
    let (mut edition, mut feature, mut checks) = (None, None, String::new());
    let body = text
        .strip_prefix("#!")
        .map_or(text, |rest| rest.split_once('\n').map_or("", |(_, b)| b));
    for line in body.lines() {
        let Some(comment) = line.trim().strip_prefix("//") else {
            break;
        };
        let Some((key, value)) = comment.split_once(':') else {
            continue;
        };
        let value = value.trim().to_string();
        match key.trim() {
            "edition" => edition = Some(value),
            "feature" => feature = Some(value),
            "checks" => checks = value,
            other => {
                return Err(header(format!(
                    "unknown header key `{other}` (known: edition, feature, checks)"
                )));
            }
        }
    }
    let edition = edition.ok_or_else(|| header("the header has no `// edition: ESxxxx` line".into()))?;
    if edition_rank(&edition) == EDITIONS.len() {
        return Err(header(format!(
            "unknown edition `{edition}` (known: {})",
            EDITIONS.join(", ")
        )));
    }
    let feature = feature.ok_or_else(|| header("the header has no `// feature: <name>` line".into()))?;
    Ok((edition, feature, checks))
}

/// Loads every `*.js` probe under `dir`, sorted by edition, then feature.
pub fn load_probes(dir: &Path) -> Result<Vec<Probe>, ProbeError> {
    let mut probes: Vec<Probe> = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| ProbeError::Io {
            path: e.path().unwrap_or(dir).to_path_buf(),
            source: e.into_io_error().unwrap_or_else(|| std::io::Error::other("walk error")),
        })?;
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "js") {
            continue;
        }
        let source = std::fs::read_to_string(path).map_err(|source| ProbeError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let (edition, feature, description) = parse_header(&source, path)?;
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(other) = probes.iter().find(|p| p.info.id == id) {
            return Err(ProbeError::Duplicate {
                id,
                first: PathBuf::from(&other.info.path),
                second: path.to_path_buf(),
            });
        }
        probes.push(Probe {
            info: FeatureProbe {
                id,
                edition,
                feature,
                description,
                path: path.display().to_string(),
            },
            source,
        });
    }
    probes.sort_by(|a, b| {
        (edition_rank(&a.info.edition), a.info.feature.to_lowercase())
            .cmp(&(edition_rank(&b.info.edition), b.info.feature.to_lowercase()))
    });
    Ok(probes)
}

/// Keeps the probes whose id or edition matches one of `selectors` (all
/// when there are none). A selector that matches nothing is an error.
pub fn select(probes: Vec<Probe>, selectors: &[String]) -> Result<Vec<Probe>, ProbeError> {
    if selectors.is_empty() {
        return Ok(probes);
    }
    for s in selectors {
        if !probes.iter().any(|p| matches(p, s)) {
            return Err(ProbeError::NoMatch(s.clone()));
        }
    }
    Ok(probes
        .into_iter()
        .filter(|p| selectors.iter().any(|s| matches(p, s)))
        .collect())
}

fn matches(probe: &Probe, selector: &str) -> bool {
    probe.info.id == selector || probe.info.edition.eq_ignore_ascii_case(selector)
}

/// Limits of one probe run.
#[derive(Debug, Clone, Copy)]
pub struct ProbeSettings {
    /// Per-call timeout.
    pub timeout: Duration,
    /// Memory limit of a worker.
    pub memory_limit: u64,
    /// Worker processes at once.
    pub jobs: usize,
}

/// The worker request that runs `probe` once, cold, on `backend`.
pub fn request_for(probe: &Probe, backend: &str, settings: &ProbeSettings) -> WorkerRequest {
    WorkerRequest {
        backend: backend.to_string(),
        workload: format!("feature-{}", probe.info.id),
        source: probe.source.clone(),
        module_path: Some(probe.info.path.clone()),
        input: String::new(),
        expected: Expected::Exact(OK.into()),
        calls_per_op: 1,
        timeout_ms: u64::try_from(settings.timeout.as_millis()).unwrap_or(u64::MAX),
        memory_limit: settings.memory_limit,
        measure: cold_only(),
    }
}

/// Measurement settings for a single cold call.
pub fn cold_only() -> MeasureSettings {
    MeasureSettings {
        warmup_ops: 0,
        samples: 0,
        sample_target_ns: 0,
        max_steady_ns: 0,
        mode: Mode::ColdOnly,
        ..MeasureSettings::default()
    }
}

/// The text a probe returned, from the worker's wrong-output message.
pub fn returned_text(message: &str) -> String {
    let prefix = format!("wrong output: expected `{OK}`, got `");
    message
        .strip_prefix(&prefix)
        .and_then(|rest| rest.strip_suffix('`'))
        .unwrap_or(message)
        .to_string()
}

/// The verdict of `backend` on `probe` from its worker's outcome.
pub fn classify(backend: &str, probe: &str, outcome: &ProcessOutcome) -> FeatureResult {
    let phases = &outcome.run.phases;
    let nanos = [phases.create, phases.load, phases.first_call]
        .into_iter()
        .try_fold(0u64, |sum, p| p.map(|n| sum.saturating_add(n)));
    let (status, error_kind, detail) = match &outcome.error {
        None => (FeatureStatus::Supported, None, None),
        Some(e) if e.kind == ErrorKind::WrongOutput => {
            let text = returned_text(&e.message);
            let status = if text.starts_with(MISSING) {
                FeatureStatus::Missing
            } else {
                FeatureStatus::Wrong
            };
            (status, None, Some(text))
        }
        Some(e) => (FeatureStatus::Error, Some(e.kind), Some(first_lines(&e.message, 3))),
    };
    FeatureResult {
        backend: backend.to_string(),
        probe: probe.to_string(),
        status,
        error_kind,
        detail,
        nanos,
    }
}

fn first_lines(text: &str, n: usize) -> String {
    text.lines().take(n).collect::<Vec<_>>().join("\n")
}

/// Runs every probe on every backend (unavailable backends get an
/// `unavailable` verdict without a worker), `settings.jobs` workers at a
/// time; `seen` gets each verdict as it comes.
pub fn run_matrix(
    probes: &[Probe],
    backends: &[BackendInfo],
    settings: &ProbeSettings,
    command: &WorkerCommand,
    cancel: &AtomicBool,
    seen: &mut dyn FnMut(&FeatureResult),
) -> FeatureMatrix {
    let mut results: Vec<Option<FeatureResult>> = Vec::new();
    let mut jobs: Vec<(usize, &BackendInfo, &Probe)> = Vec::new();
    for backend in backends {
        for probe in probes {
            match &backend.unavailable {
                Some(reason) => {
                    let result = FeatureResult {
                        backend: backend.name.clone(),
                        probe: probe.info.id.clone(),
                        status: FeatureStatus::Unavailable,
                        error_kind: Some(ErrorKind::Unsupported),
                        detail: Some(format!("unavailable: {reason}")),
                        nanos: None,
                    };
                    seen(&result);
                    results.push(Some(result));
                }
                None => {
                    jobs.push((results.len(), backend, probe));
                    results.push(None);
                }
            }
        }
    }
    let supervision = Supervision::for_limits(settings.timeout, settings.memory_limit);
    pool::run_jobs(
        &jobs,
        settings.jobs,
        cancel,
        |(_, backend, probe)| {
            let outcome = run_process(
                command,
                &request_for(probe, &backend.name, settings),
                supervision,
                cancel,
            );
            classify(&backend.name, &probe.info.id, &outcome)
        },
        |i, result| {
            seen(&result);
            results[jobs[i].0] = Some(result);
        },
    );
    FeatureMatrix {
        probes: probes.iter().map(|p| p.info.clone()).collect(),
        results: results.into_iter().flatten().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsbench_schema::CellError;

    #[test]
    fn header_gives_edition_feature_and_checks() {
        let text = "// edition: ES2020\n// feature: Optional chaining\n// checks: a?.b\nexport function run() {}\n";
        let (e, f, c) = parse_header(text, Path::new("p.js")).unwrap();
        assert_eq!(
            (e.as_str(), f.as_str(), c.as_str()),
            ("ES2020", "Optional chaining", "a?.b")
        );
        let hashbang = "#!/usr/bin/env node\n// edition: ES2023\n// feature: Hashbang\nexport function run() {}\n";
        assert_eq!(parse_header(hashbang, Path::new("h.js")).unwrap().0, "ES2023");
    }

    #[test]
    fn header_errors_name_the_file() {
        let err = parse_header("// feature: X\n", Path::new("dir/p.js")).unwrap_err();
        assert!(
            err.to_string().contains("dir/p.js") && err.to_string().contains("edition"),
            "{err}"
        );
        let err = parse_header("// edition: ES1999\n// feature: X\n", Path::new("p.js")).unwrap_err();
        assert!(err.to_string().contains("ES1999"), "{err}");
        let err = parse_header("// edition: ES2015\n// feture: X\n", Path::new("p.js")).unwrap_err();
        assert!(err.to_string().contains("feture"), "{err}");
    }

    #[test]
    fn probes_load_sorted_by_edition_and_reject_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        std::fs::create_dir_all(dir.path().join("b")).unwrap();
        std::fs::write(dir.path().join("a/late.js"), "// edition: ES2022\n// feature: Late\n").unwrap();
        std::fs::write(dir.path().join("b/early.js"), "// edition: ES2015\n// feature: Early\n").unwrap();
        std::fs::write(dir.path().join("b/notes.md"), "not a probe").unwrap();
        let probes = load_probes(dir.path()).unwrap();
        let ids: Vec<&str> = probes.iter().map(|p| p.info.id.as_str()).collect();
        assert_eq!(ids, ["early", "late"]);
        assert_eq!(select(probes.clone(), &["es2022".into()]).unwrap().len(), 1);
        assert!(matches!(select(probes, &["nope".into()]), Err(ProbeError::NoMatch(_))));
        std::fs::write(dir.path().join("b/late.js"), "// edition: ES2015\n// feature: Again\n").unwrap();
        assert!(matches!(load_probes(dir.path()), Err(ProbeError::Duplicate { .. })));
    }

    fn outcome(error: Option<(ErrorKind, &str)>) -> ProcessOutcome {
        ProcessOutcome {
            error: error.map(|(kind, message)| CellError {
                kind,
                phase: jsbench_schema::Phase::FirstCall,
                message: message.into(),
                stack: None,
            }),
            ..ProcessOutcome::default()
        }
    }

    #[test]
    fn outcomes_become_verdicts() {
        assert_eq!(classify("b", "p", &outcome(None)).status, FeatureStatus::Supported);
        let wrong = classify(
            "b",
            "p",
            &outcome(Some((
                ErrorKind::WrongOutput,
                "wrong output: expected `ok`, got `at(-1) gave 3`",
            ))),
        );
        assert_eq!(wrong.status, FeatureStatus::Wrong);
        assert_eq!(wrong.detail.as_deref(), Some("at(-1) gave 3"));
        let missing = classify(
            "b",
            "p",
            &outcome(Some((
                ErrorKind::WrongOutput,
                "wrong output: expected `ok`, got `missing: Intl`",
            ))),
        );
        assert_eq!(missing.status, FeatureStatus::Missing);
        let syntax = classify(
            "b",
            "p",
            &outcome(Some((ErrorKind::Syntax, "syntax error: unexpected token"))),
        );
        assert_eq!(
            (syntax.status, syntax.error_kind),
            (FeatureStatus::Error, Some(ErrorKind::Syntax))
        );
    }
}
