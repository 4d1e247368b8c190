//! A runner for the official test262 suite (a checkout the user provides).
//!
//! Each test file starts with YAML frontmatter (`/*--- … ---*/`) that names
//! the harness files it `includes`, its `flags` and, for tests that must
//! fail, the `negative` phase and error type. The runner follows test262's
//! INTERPRETING.md as far as single-module backends allow:
//!
//! - script tests run once in sloppy mode and once in strict mode (only one
//!   of them with `onlyStrict` / `noStrict`; `raw` tests run sloppy, as
//!   written, with no harness);
//! - backends only load ES modules exporting `run`, so a script test is
//!   wrapped into a module whose `run` evaluates the harness files, then
//!   the test, each with indirect eval — `(0, eval)(src)`, which is global,
//!   sloppy code unless the source starts with `"use strict";` (only the
//!   test gets it: the harness stays global so its functions are globals,
//!   as `asyncTest` needs) — and returns `"ok"` or what went wrong (a
//!   negative test passes when the error's constructor has the expected
//!   name);
//! - `module` tests are loaded as the module itself: an indirect eval of
//!   the harness files, the test, and an appended `run` export; a negative
//!   module test passes when loading fails, before `run`, with the
//!   expected error type;
//! - `async` tests get `doneprintHandle.js`, whose `$DONE` prints
//!   `Test262:AsyncTestComplete` (or `…Failure:…`) through a `print` the
//!   wrapper installs; `run` waits for it by turning the job queue, and the
//!   test passes only if `$DONE()` was called without an error.
//!
//! Tests that need what a single module cannot give are skipped, with the
//! reason: multiple agents (`$262.agent`), other realms, `IsHTMLDDA`, a
//! blocking or non-blocking main thread, module imports of other files.

use crate::features::cold_only;
use crate::pool;
use jsbench_runner::launch::{ProcessOutcome, Supervision, WorkerCommand, run_process};
use jsbench_runner::manifest::{Expected, abbreviate};
use jsbench_runner::protocol::WorkerRequest;
use jsbench_schema::{ConformanceCounts, ConformanceFailure, ConformanceReport, ErrorKind, Phase};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// Problems locating or reading the suite.
#[derive(Debug, thiserror::Error)]
pub enum Test262Error {
    /// No test262 checkout contains the path.
    #[error("{0} is not inside a test262 checkout (no parent folder has both `harness/assert.js` and `test/`)")]
    NotASuite(PathBuf),
    /// A file or folder could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The frontmatter is missing or is not valid YAML of the expected shape.
    #[error("invalid frontmatter: {0}")]
    Frontmatter(String),
}

/// A test's frontmatter (the keys the runner uses).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Metadata {
    /// Harness files to load before the test.
    pub includes: Vec<String>,
    /// `onlyStrict`, `noStrict`, `raw`, `module`, `async`, …
    pub flags: Vec<String>,
    /// What error the test must end with, if it is a negative test.
    pub negative: Option<Negative>,
    /// Language features the test needs.
    pub features: Vec<String>,
}

/// The `negative` key of a test.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Negative {
    /// `parse`, `resolution` or `runtime`.
    pub phase: String,
    /// Constructor name of the expected error (e.g. `SyntaxError`).
    #[serde(rename = "type")]
    pub error_type: String,
}

impl Metadata {
    /// Whether the test has `flag`.
    pub fn has(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }
}

/// Parses the `/*--- … ---*/` frontmatter of a test.
pub fn parse_frontmatter(source: &str) -> Result<Metadata, Test262Error> {
    let start = source
        .find("/*---")
        .ok_or_else(|| Test262Error::Frontmatter("no `/*---` block".into()))?;
    let body = &source[start + 5..];
    let end = body
        .find("---*/")
        .ok_or_else(|| Test262Error::Frontmatter("the `/*---` block is not closed by `---*/`".into()))?;
    serde_yaml_ng::from_str::<Option<Metadata>>(&body[..end])
        .map(Option::unwrap_or_default)
        .map_err(|e| Test262Error::Frontmatter(e.to_string()))
}

/// How a test is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// Global code, sloppy mode.
    Sloppy,
    /// Global code prefixed with `"use strict";`.
    Strict,
    /// Module code (always strict).
    Module,
}

impl Mode {
    /// `sloppy`, `strict` or `module`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Sloppy => "sloppy",
            Mode::Strict => "strict",
            Mode::Module => "module",
        }
    }
}

/// The modes a test runs in, from its flags.
pub fn modes(meta: &Metadata) -> Vec<Mode> {
    if meta.has("module") {
        vec![Mode::Module]
    } else if meta.has("raw") || meta.has("noStrict") {
        vec![Mode::Sloppy]
    } else if meta.has("onlyStrict") {
        vec![Mode::Strict]
    } else {
        vec![Mode::Sloppy, Mode::Strict]
    }
}

/// A test262 checkout.
#[derive(Debug, Clone)]
pub struct Suite {
    /// The checkout's root (with `harness/` and `test/`).
    pub root: PathBuf,
    includes: HashMap<String, Result<String, String>>,
}

impl Suite {
    /// Finds the checkout that contains `path` (the root itself, or any
    /// folder or test file inside it).
    pub fn locate(path: &Path) -> Result<Suite, Test262Error> {
        let absolute = std::fs::canonicalize(path).map_err(|source| Test262Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let root = absolute
            .ancestors()
            .find(|dir| dir.join("harness/assert.js").is_file() && dir.join("test").is_dir())
            .ok_or_else(|| Test262Error::NotASuite(path.to_path_buf()))?;
        Ok(Suite {
            root: root.to_path_buf(),
            includes: HashMap::new(),
        })
    }

    /// The folder of the tests.
    pub fn test_dir(&self) -> PathBuf {
        self.root.join("test")
    }

    /// Test files at or under `path` (the whole `test/` folder when `path` is
    /// the root), sorted; `*_FIXTURE.js` files are modules that tests import,
    /// not tests.
    pub fn discover(&self, path: &Path) -> Result<Vec<PathBuf>, Test262Error> {
        let absolute = std::fs::canonicalize(path).map_err(|source| Test262Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let start = if absolute == self.root {
            self.test_dir()
        } else {
            absolute
        };
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(&start).sort_by_file_name() {
            let entry = entry.map_err(|e| Test262Error::Io {
                path: e.path().unwrap_or(&start).to_path_buf(),
                source: e.into_io_error().unwrap_or_else(|| std::io::Error::other("walk error")),
            })?;
            let name = entry.file_name().to_string_lossy();
            if entry.file_type().is_file() && name.ends_with(".js") && !name.ends_with("_FIXTURE.js") {
                files.push(entry.into_path());
            }
        }
        Ok(files)
    }

    /// `path` relative to `test/` (or to the root, for a file outside it).
    pub fn relative(&self, path: &Path) -> String {
        let test_dir = self.test_dir();
        path.strip_prefix(&test_dir)
            .or_else(|_| path.strip_prefix(&self.root))
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// A harness file's text, read once.
    fn include(&mut self, name: &str) -> Result<String, String> {
        let path = self.root.join("harness").join(name);
        self.includes
            .entry(name.to_string())
            .or_insert_with(|| {
                if name.contains("..") {
                    return Err(format!("include `{name}` leaves the harness folder"));
                }
                std::fs::read_to_string(&path).map_err(|e| format!("cannot read include {}: {e}", path.display()))
            })
            .clone()
    }
}

/// One run of one test in one mode: either a module to run, or the reason
/// it is skipped.
#[derive(Debug, Clone)]
pub struct PlannedRun {
    /// Test path relative to `test/`.
    pub test: String,
    /// The mode.
    pub mode: Mode,
    /// The test's frontmatter.
    pub meta: Metadata,
    /// The module to load, or why the run is skipped.
    pub module: Result<String, String>,
}

/// Options of the plan.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Tests needing any of these features are skipped.
    pub skip_features: Vec<String>,
}

/// Features a single module on these backends cannot provide.
const HOST_FEATURES: [(&str, &str); 3] = [
    ("IsHTMLDDA", "needs $262.IsHTMLDDA (a browser host hook)"),
    ("cross-realm", "needs $262.createRealm (other realms)"),
    (
        "host-gc-required",
        "needs $262.gc (a host-triggered garbage collection)",
    ),
];

/// Plans the runs of every test file.
pub fn plan(suite: &mut Suite, files: &[PathBuf], options: &PlanOptions) -> Vec<PlannedRun> {
    let mut runs = Vec::new();
    for file in files {
        let test = suite.relative(file);
        let loaded = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read the test: {e}"))
            .and_then(|source| {
                let meta = parse_frontmatter(&source).map_err(|e| e.to_string())?;
                Ok((source, meta))
            });
        let (source, meta) = match loaded {
            Ok(x) => x,
            Err(reason) => {
                runs.push(PlannedRun {
                    test,
                    mode: Mode::Sloppy,
                    meta: Metadata::default(),
                    module: Err(reason),
                });
                continue;
            }
        };
        let skip = skip_reason(&source, &meta, options);
        for mode in modes(&meta) {
            let module = match &skip {
                Some(reason) => Err(reason.clone()),
                None => wrap(suite, &source, &meta, mode),
            };
            runs.push(PlannedRun {
                test: test.clone(),
                mode,
                meta: meta.clone(),
                module,
            });
        }
    }
    runs
}

fn skip_reason(source: &str, meta: &Metadata, options: &PlanOptions) -> Option<String> {
    for (feature, reason) in HOST_FEATURES {
        if meta.features.iter().any(|f| f == feature) {
            return Some(reason.to_string());
        }
    }
    if let Some(f) = meta.features.iter().find(|f| options.skip_features.contains(f)) {
        return Some(format!("feature {f} skipped by --skip-feature"));
    }
    if meta.has("CanBlockIsTrue") || meta.has("CanBlockIsFalse") {
        return Some("depends on whether the main thread can block (CanBlockIs*)".into());
    }
    if source.contains("$262.agent") {
        return Some("needs $262.agent (several agents)".into());
    }
    if meta.has("module") && imports_other_files(source) {
        return Some("module test imports other files (backends load one module)".into());
    }
    None
}

/// Whether a module's source has a static `import`/`export … from` of
/// another file.
fn imports_other_files(source: &str) -> bool {
    source.lines().any(|line| {
        let line = line.trim_start();
        let statement = line.starts_with("import") || line.starts_with("export");
        statement
            && (line.contains(" from '")
                || line.contains(" from \"")
                || line.contains("from'")
                || line.contains("from\"")
                || line.starts_with("import '")
                || line.starts_with("import \""))
    })
}

/// Globals every wrapped test gets: `print` (which records `$DONE`'s
/// verdict), a minimal `$262`, and the helpers of the wrapper.
///
/// Everything the wrapper does after the test has started goes through
/// intrinsics captured here, before the test runs: a test may replace
/// `Promise.resolve`, `Promise.prototype.then`, `String.prototype.replace`
/// or `JSON.stringify` in its own realm, and must still be judged by the
/// real ones (test262's INTERPRETING.md: the host must not depend on what
/// the test can change). Method calls use `Reflect.apply` on the captured
/// functions, never a property lookup on a shared prototype.
const PRELUDE: &str = r#"var __jsbench_done = null;
var __jsbench_apply = Reflect.apply;
var __jsbench_Promise = Promise;
var __jsbench_resolve = Promise.resolve;
var __jsbench_then = Promise.prototype.then;
var __jsbench_String = String;
var __jsbench_indexOf = String.prototype.indexOf;
var __jsbench_replace = String.prototype.replace;
var __jsbench_toString = Object.prototype.toString;
var __jsbench_eval = eval;
globalThis.print = function (message) {
  var text = __jsbench_String(message);
  if (__jsbench_done === null && __jsbench_apply(__jsbench_indexOf, text, ["Test262:AsyncTest"]) === 0) __jsbench_done = text;
};
globalThis.$262 = {
  global: globalThis,
  evalScript: function (source) { return (0, __jsbench_eval)(source); },
  detachArrayBuffer: function (buffer) {
    if (typeof structuredClone === "function") { structuredClone(buffer, { transfer: [buffer] }); return null; }
    if (typeof ArrayBuffer.prototype.transfer === "function") { buffer.transfer(); return null; }
    throw new TypeError("this backend cannot detach an ArrayBuffer");
  },
  createRealm: function () { throw new TypeError("$262.createRealm is not supported by jsbench"); },
};
function __jsbench_name(e) {
  try {
    if (e !== null && (typeof e === "object" || typeof e === "function") && e.constructor && typeof e.constructor.name === "string") return e.constructor.name;
  } catch (_) {}
  return typeof e;
}
function __jsbench_describe(e) {
  try {
    if (e !== null && typeof e === "object" && "message" in e) return __jsbench_name(e) + ": " + __jsbench_String(e.message);
    return __jsbench_name(e) + " " + __jsbench_String(e);
  } catch (_) {
    try { return "an unprintable " + __jsbench_apply(__jsbench_toString, e, []); } catch (_) { return "an unprintable " + typeof e; }
  }
}
function __jsbench_later(next) {
  __jsbench_apply(__jsbench_then, __jsbench_apply(__jsbench_resolve, __jsbench_Promise, []), [next]);
}
// One promise, settled with a string once `$DONE` has been called: no
// promise is ever resolved with another, which would look up the `then`
// the test may have replaced (and count as one of its calls).
function __jsbench_async_verdict() {
  return new __jsbench_Promise(function (settle) {
    var turns = 0;
    function check() {
      if (__jsbench_done !== null) {
        if (__jsbench_done === "Test262:AsyncTestComplete") return settle("ok");
        var why = __jsbench_apply(__jsbench_replace, __jsbench_done, ["Test262:AsyncTestFailure:", "$DONE got "]);
        return settle("FAIL: " + __jsbench_apply(__jsbench_replace, why, ["Test262Error: Test262Error: ", "Test262Error: "]));
      }
      turns += 1;
      if (turns > 10000) return settle("FAIL: $DONE was not called (10000 job-queue turns after the test)");
      __jsbench_later(check);
    }
    __jsbench_later(check);
  });
}
"#;

/// The module that runs `source` (a test with frontmatter `meta`) in
/// `mode`: the prelude, then either an `eval` of harness + test (scripts)
/// or harness + test inline (modules), then `run`.
pub fn wrap(suite: &mut Suite, source: &str, meta: &Metadata, mode: Mode) -> Result<String, String> {
    let raw = meta.has("raw");
    let mut harness = String::new();
    if !raw {
        let mut names: Vec<String> = vec!["assert.js".into(), "sta.js".into()];
        if meta.has("async") {
            names.push("doneprintHandle.js".into());
        }
        for name in &meta.includes {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        for name in &names {
            harness.push_str(&suite.include(name)?);
            harness.push('\n');
        }
    }
    let is_async = meta.has("async");
    if mode == Mode::Module {
        // A hashbang must stay the first line of the module.
        let (hashbang, body) = match source.strip_prefix("#!") {
            Some(_) => source.split_once('\n').map_or((source, ""), |(h, b)| (h, b)),
            None => ("", source),
        };
        let mut out = String::new();
        if !hashbang.is_empty() {
            out.push_str(hashbang);
            out.push('\n');
        }
        out.push_str(PRELUDE);
        // The harness as global script code, as test262 hosts run it: its
        // functions (`$DONE`, `asyncTest`) are globals, not module bindings.
        if !harness.is_empty() {
            out.push_str(&format!("(0, __jsbench_eval)({});\n", js_string(&harness)));
        }
        out.push_str(body);
        out.push_str(if is_async {
            "\nexport function run() { return __jsbench_async_verdict(); }\n"
        } else {
            "\nexport function run() { return \"ok\"; }\n"
        });
        return Ok(out);
    }
    // The harness runs first, as sloppy global code, so that its functions
    // are globals even when the test is strict (a strict indirect eval
    // keeps its declarations to itself, and `asyncTest` looks for a global
    // `$DONE`); then the test, with the directive in strict mode.
    let mut script = String::new();
    if mode == Mode::Strict {
        script.push_str("\"use strict\";\n");
    }
    script.push_str(source);
    let negative = match &meta.negative {
        Some(n) => format!(
            "{{ phase: {}, type: {} }}",
            js_string(&n.phase),
            js_string(&n.error_type)
        ),
        None => "null".into(),
    };
    Ok(format!(
        "{PRELUDE}
const __jsbench_harness = {harness};
const __jsbench_source = {source};
const __jsbench_negative = {negative};
export function run() {{
  try {{
    (0, __jsbench_eval)(__jsbench_harness);
  }} catch (e) {{
    return \"FAIL: the harness threw \" + __jsbench_describe(e);
  }}
  try {{
    (0, __jsbench_eval)(__jsbench_source);
  }} catch (e) {{
    if (__jsbench_negative === null) return \"FAIL: threw \" + __jsbench_describe(e);
    if (__jsbench_name(e) === __jsbench_negative.type) return \"ok\";
    return \"FAIL: expected \" + __jsbench_negative.type + \" (\" + __jsbench_negative.phase + \"), got \" + __jsbench_describe(e);
  }}
  if (__jsbench_negative !== null) return \"FAIL: expected \" + __jsbench_negative.type + \" (\" + __jsbench_negative.phase + \"), but the test completed\";
  return {tail};
}}
",
        harness = js_string(&harness),
        source = js_string(&script),
        tail = if is_async { "__jsbench_async_verdict()" } else { "\"ok\"" },
    ))
}

/// A JavaScript string literal for `text` (JSON, with the two line
/// separators JSON allows raw escaped too).
fn js_string(text: &str) -> String {
    serde_json::to_string(text)
        .unwrap_or_else(|_| "\"\"".into())
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Whether a run passed: `Ok(())`, or `Err(why)`.
pub type Verdict = Result<(), String>;

/// The verdict of a run from its worker's outcome.
pub fn judge(run: &PlannedRun, outcome: &ProcessOutcome) -> Verdict {
    let error = match (&outcome.error, run.mode, &run.meta.negative) {
        (None, Mode::Module, Some(n)) => {
            return Err(format!(
                "expected {} ({}), but the module loaded and ran",
                n.error_type, n.phase
            ));
        }
        (None, _, _) => return Ok(()),
        (Some(e), _, _) => e,
    };
    let first_line = abbreviate(error.message.lines().next().unwrap_or_default(), 300);
    if error.kind == ErrorKind::WrongOutput {
        let text = crate::features::returned_text(&error.message);
        return Err(text.strip_prefix("FAIL: ").unwrap_or(&text).to_string());
    }
    if let (Mode::Module, Some(n)) = (run.mode, &run.meta.negative) {
        let before_run = error.phase != Phase::FirstCall;
        let typed =
            error.message.contains(&n.error_type) || (error.kind == ErrorKind::Syntax && n.error_type == "SyntaxError");
        if before_run && matches!(error.kind, ErrorKind::Syntax | ErrorKind::Exception) && typed {
            return Ok(());
        }
        return Err(format!(
            "expected {} ({}), got {} in {}: {first_line}",
            n.error_type, n.phase, error.kind, error.phase
        ));
    }
    Err(format!("{} in {}: {first_line}", error.kind, error.phase))
}

/// Settings of a conformance run.
#[derive(Debug, Clone)]
pub struct ConformanceSettings {
    /// Per-test timeout.
    pub timeout: Duration,
    /// Memory limit per worker.
    pub memory_limit: u64,
    /// Worker processes at once.
    pub jobs: usize,
    /// Directory components kept when counting per directory.
    pub depth: usize,
}

/// The directory a test is counted under.
pub fn directory_of(test: &str, depth: usize) -> String {
    let parts: Vec<&str> = test.split('/').collect();
    let dirs = &parts[..parts.len().saturating_sub(1)];
    dirs[..dirs.len().min(depth)].join("/")
}

/// Runs every planned run on every backend (the caller fills in the
/// report's `selection`); `seen` is told of each verdict
/// (backend, run, `Some(result)`, or `None` for a skip) as it comes.
pub fn run_suite(
    suite: &Suite,
    runs: &[PlannedRun],
    backends: &[String],
    settings: &ConformanceSettings,
    command: &WorkerCommand,
    cancel: &AtomicBool,
    seen: &mut dyn FnMut(&str, &PlannedRun, Option<&Verdict>),
) -> ConformanceReport {
    let mut counts: BTreeMap<(usize, String), ConformanceCounts> = BTreeMap::new();
    let mut failures: Vec<ConformanceFailure> = Vec::new();
    let mut skip_reasons: BTreeMap<String, u64> = BTreeMap::new();
    let mut files: BTreeMap<(usize, String), FileOutcome> = BTreeMap::new();
    let mut jobs: Vec<(usize, &PlannedRun, &str)> = Vec::new();
    for (b, backend) in backends.iter().enumerate() {
        for run in runs {
            match &run.module {
                Ok(module) => jobs.push((b, run, module)),
                Err(reason) => {
                    count(&mut counts, backends, settings.depth, b, run).skipped += 1;
                    files.entry((b, run.test.clone())).or_default().skipped = true;
                    if b == 0 {
                        *skip_reasons.entry(reason.clone()).or_default() += 1;
                    }
                    seen(backend, run, None);
                }
            }
        }
    }
    let supervision = Supervision::for_limits(settings.timeout, settings.memory_limit);
    pool::run_jobs(
        &jobs,
        settings.jobs,
        cancel,
        |(b, run, module)| {
            let request = WorkerRequest {
                backend: backends[*b].clone(),
                workload: format!("test262-{}", run.mode.as_str()),
                source: (*module).to_string(),
                module_path: Some(suite.test_dir().join(&run.test).display().to_string()),
                input: String::new(),
                expected: Expected::Exact("ok".into()),
                calls_per_op: 1,
                timeout_ms: u64::try_from(settings.timeout.as_millis()).unwrap_or(u64::MAX),
                memory_limit: settings.memory_limit,
                measure: cold_only(),
            };
            judge(run, &run_process(command, &request, supervision, cancel))
        },
        |i, verdict| {
            let (b, run, _) = jobs[i];
            let file = files.entry((b, run.test.clone())).or_default();
            match &verdict {
                Ok(()) => {
                    file.passed = true;
                    count(&mut counts, backends, settings.depth, b, run).passed += 1;
                }
                Err(message) => {
                    file.failed = true;
                    count(&mut counts, backends, settings.depth, b, run).failed += 1;
                    failures.push(ConformanceFailure {
                        backend: backends[b].clone(),
                        test: run.test.clone(),
                        mode: run.mode.as_str().into(),
                        message: message.clone(),
                    });
                }
            }
            seen(&backends[b], run, Some(&verdict));
        },
    );
    failures.sort_by(|a, b| (&a.backend, &a.test, &a.mode).cmp(&(&b.backend, &b.test, &b.mode)));
    count_files(&mut counts, &files, settings.depth);
    ConformanceReport {
        test262_root: suite.root.display().to_string(),
        selection: String::new(),
        backends: backends.to_vec(),
        directories: counts.into_values().collect(),
        failures,
        skip_reasons,
    }
}

/// How one test file's runs went on one backend.
#[derive(Debug, Clone, Copy, Default)]
struct FileOutcome {
    passed: bool,
    failed: bool,
    skipped: bool,
}

/// Adds the per-file counts, as published test262 results count tests: a
/// file fails when any of its runs (strict, sloppy) fails, passes when it
/// ran and none failed, and is skipped when none of its runs ran.
fn count_files(
    counts: &mut BTreeMap<(usize, String), ConformanceCounts>,
    files: &BTreeMap<(usize, String), FileOutcome>,
    depth: usize,
) {
    for ((b, test), outcome) in files {
        let Some(c) = counts.get_mut(&(*b, directory_of(test, depth))) else {
            continue;
        };
        if outcome.failed {
            c.files_failed += 1;
        } else if outcome.passed {
            c.files_passed += 1;
        } else if outcome.skipped {
            c.files_skipped += 1;
        }
    }
}

/// The counts of `run`'s directory on backend number `b`.
fn count<'a>(
    counts: &'a mut BTreeMap<(usize, String), ConformanceCounts>,
    backends: &[String],
    depth: usize,
    b: usize,
    run: &PlannedRun,
) -> &'a mut ConformanceCounts {
    let directory = directory_of(&run.test, depth);
    counts
        .entry((b, directory.clone()))
        .or_insert_with(|| ConformanceCounts {
            backend: backends[b].clone(),
            directory,
            ..ConformanceCounts::default()
        })
}

/// Totals per backend over every directory, in the report's backend order.
pub fn totals(report: &ConformanceReport) -> Vec<ConformanceCounts> {
    report
        .backends
        .iter()
        .map(|backend| {
            let mut total = ConformanceCounts {
                backend: backend.clone(),
                ..ConformanceCounts::default()
            };
            for c in report.directories.iter().filter(|c| &c.backend == backend) {
                total.passed += c.passed;
                total.failed += c.failed;
                total.skipped += c.skipped;
                total.files_passed += c.files_passed;
                total.files_failed += c.files_failed;
                total.files_skipped += c.files_skipped;
            }
            total
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsbench_schema::CellError;

    const TEST: &str = "// Copyright\n/*---\ndescription: x\nincludes: [compareArray.js]\nflags: [onlyStrict]\nnegative:\n  phase: runtime\n  type: TypeError\nfeatures: [Symbol]\n---*/\nnull.x;\n";

    #[test]
    fn frontmatter_is_read() {
        let meta = parse_frontmatter(TEST).unwrap();
        assert_eq!(meta.includes, ["compareArray.js"]);
        assert!(meta.has("onlyStrict") && !meta.has("raw"));
        assert_eq!(
            meta.negative,
            Some(Negative {
                phase: "runtime".into(),
                error_type: "TypeError".into()
            })
        );
        assert_eq!(meta.features, ["Symbol"]);
        assert_eq!(parse_frontmatter("/*---\n---*/").unwrap(), Metadata::default());
        assert!(parse_frontmatter("no frontmatter").is_err());
        assert!(parse_frontmatter("/*---\nflags: [unclosed\n---*/").is_err());
    }

    #[test]
    fn flags_choose_the_modes() {
        let with = |flags: &[&str]| Metadata {
            flags: flags.iter().map(|f| f.to_string()).collect(),
            ..Metadata::default()
        };
        assert_eq!(modes(&with(&[])), [Mode::Sloppy, Mode::Strict]);
        assert_eq!(modes(&with(&["onlyStrict"])), [Mode::Strict]);
        assert_eq!(modes(&with(&["noStrict"])), [Mode::Sloppy]);
        assert_eq!(modes(&with(&["raw"])), [Mode::Sloppy]);
        assert_eq!(modes(&with(&["module", "async"])), [Mode::Module]);
    }

    #[test]
    fn directories_are_cut_to_the_depth() {
        assert_eq!(directory_of("built-ins/Array/from/a.js", 2), "built-ins/Array");
        assert_eq!(directory_of("built-ins/Array/from/a.js", 9), "built-ins/Array/from");
        assert_eq!(directory_of("a.js", 2), "");
    }

    #[test]
    fn module_imports_are_spotted() {
        assert!(imports_other_files("import { x } from './x_FIXTURE.js';"));
        assert!(imports_other_files("export * from \"./y_FIXTURE.js\";"));
        assert!(imports_other_files("import './z_FIXTURE.js';"));
        assert!(!imports_other_files("export const from = 1;\nimport.meta;"));
    }

    fn suite_with_harness() -> (tempfile::TempDir, Suite) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("harness")).unwrap();
        std::fs::create_dir_all(dir.path().join("test/sub")).unwrap();
        for name in ["assert.js", "sta.js", "doneprintHandle.js", "compareArray.js"] {
            std::fs::write(dir.path().join("harness").join(name), format!("/* {name} */")).unwrap();
        }
        let suite = Suite::locate(&dir.path().join("test/sub")).unwrap();
        (dir, suite)
    }

    #[test]
    fn scripts_are_evaluated_and_modules_inlined() {
        let (_dir, mut suite) = suite_with_harness();
        let meta = parse_frontmatter(TEST).unwrap();
        let strict = wrap(&mut suite, TEST, &meta, Mode::Strict).unwrap();
        assert!(strict.contains("(0, __jsbench_eval)(__jsbench_source)"));
        assert!(
            strict.contains("const __jsbench_source = \"\\\"use strict\\\";\\n// Copyright"),
            "{strict}"
        );
        assert!(
            strict.contains("const __jsbench_harness = \"/* assert.js */"),
            "{strict}"
        );
        assert!(strict.contains("compareArray.js") && strict.contains("type: \"TypeError\""));
        let module_meta = Metadata {
            flags: vec!["module".into(), "async".into()],
            ..Metadata::default()
        };
        let module = wrap(&mut suite, "#!hb\nawait 1;", &module_meta, Mode::Module).unwrap();
        assert!(module.starts_with("#!hb\n"));
        assert!(module.contains("/* doneprintHandle.js */") && module.contains("await 1;"));
        assert!(module.ends_with("export function run() { return __jsbench_async_verdict(); }\n"));
        let raw = Metadata {
            flags: vec!["raw".into()],
            ..Metadata::default()
        };
        assert!(!wrap(&mut suite, "x", &raw, Mode::Sloppy).unwrap().contains("assert.js"));
        let missing = Metadata {
            includes: vec!["nope.js".into()],
            ..Metadata::default()
        };
        assert!(
            wrap(&mut suite, "x", &missing, Mode::Sloppy)
                .unwrap_err()
                .contains("nope.js")
        );
    }

    #[test]
    fn module_negatives_pass_only_on_a_typed_load_error() {
        let run = PlannedRun {
            test: "t.js".into(),
            mode: Mode::Module,
            meta: Metadata {
                flags: vec!["module".into()],
                negative: Some(Negative {
                    phase: "parse".into(),
                    error_type: "SyntaxError".into(),
                }),
                ..Metadata::default()
            },
            module: Ok(String::new()),
        };
        let failed = |kind, phase: Phase, message: &str| ProcessOutcome {
            error: Some(CellError {
                kind,
                phase,
                message: message.into(),
                stack: None,
            }),
            ..ProcessOutcome::default()
        };
        assert!(judge(&run, &failed(ErrorKind::Syntax, Phase::Load, "syntax error: bad")).is_ok());
        assert!(judge(&run, &failed(ErrorKind::Exception, Phase::Load, "TypeError: x")).is_err());
        assert!(judge(&run, &failed(ErrorKind::Timeout, Phase::Load, "SyntaxError?")).is_err());
        assert!(judge(&run, &ProcessOutcome::default()).is_err());
        let script = PlannedRun {
            mode: Mode::Strict,
            meta: Metadata::default(),
            ..run
        };
        assert!(judge(&script, &ProcessOutcome::default()).is_ok());
        let wrong = failed(
            ErrorKind::WrongOutput,
            Phase::FirstCall,
            "wrong output: expected `ok`, got `FAIL: threw x`",
        );
        assert_eq!(judge(&script, &wrong).unwrap_err(), "threw x");
    }
}
