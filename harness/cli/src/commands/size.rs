//! `jsbench size`: what each way of running JavaScript costs on disk and at
//! build time.
//!
//! For every embedded backend a minimal embedder program (a "probe", in
//! `harness/size-probes/<name>`) is built from scratch: create the runtime,
//! run one script, print the result, written directly against the engine
//! crate with the versions and features of the backend. A `baseline` probe
//! with no engine is built the same way, and every probe's size is reported
//! as a delta over it. Each probe is copied with the workspace's `Cargo.lock`
//! (so it resolves the very versions the backends use) into a fresh folder
//! with a fresh target folder, its dependencies are fetched (not timed), and
//! a clean `cargo build --release` is timed and its compiled packages
//! counted. The release settings are passed as `CARGO_PROFILE_RELEASE_*` and
//! recorded; `--lto` builds the fat-LTO, one-codegen-unit variant. Builds run
//! one after another so that their times are not distorted by each other.
//! The stripped binary is copied to `<cache>/size-probes/<variant>/`, run
//! once to check it works, and the build folder is removed.
//!
//! The component backend's probe is wasmtime alone; the JS engine lives in
//! each workload's component, whose size (and that of wasmtime's precompiled
//! code) is reported per workload, from the backend's own `prepare` (cache
//! hits when `jsbench run` has prepared them) or from a results file
//! (`--from`). The process backends build nothing: their runtime's
//! executable and its installation are measured as they are.
//!
//! The entries go into the `sizes` section of the results file, merged into
//! the file when it exists.

use crate::cli::SizeArgs;
use crate::commands::{EXIT_CELL_FAILED, UsageError};
use crate::registry;
use anyhow::{Context, Result, bail};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell as TableCell, CellAlignment, Table};
use jsbench_reports::format::{bytes, duration};
use jsbench_schema::{
    ArtefactSize, BuildCost, BuildSettings, Bytes, Results, RunConfig, SCHEMA_VERSION, SizeKind, SizeReport,
};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// The script every JavaScript probe runs, and what it must print.
const PROBE_SCRIPT: &str = "[6 * 7, 'probe'].join(' ')";
/// The expected output of [`PROBE_SCRIPT`].
const PROBE_OUTPUT: &str = "42 probe";
/// The workload module componentized for the component probe's run check.
const PROBE_MODULE: &str = "export function run(input) { return [6 * 7, input].join(' '); }\n";

/// A probe program in `harness/size-probes/`.
type Probe = registry::ProbeProgram;

const BASELINE: Probe = Probe {
    name: "baseline",
    kind: SizeKind::Baseline,
    engine_crates: &[],
};

/// What measures a backend's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// A probe program to build.
    Probe(Probe),
    /// A runtime process (`node`, `deno`, `bun`).
    Runtime(&'static str),
}

/// The probe or runtime behind a backend name (from its registry entry),
/// `None` for names no size measure exists for.
fn target_of(backend: &str) -> Option<Target> {
    registry::find(backend).and_then(|e| e.size).map(|probe| match probe {
        registry::SizeProbe::Program(program) => Target::Probe(program),
        registry::SizeProbe::Runtime(runtime) => Target::Runtime(runtime),
    })
}

/// The release settings of a build variant.
fn settings(lto: bool, jobs: Option<u32>, rustc: &RustcInfo) -> BuildSettings {
    BuildSettings {
        opt_level: "3".into(),
        lto: if lto { "fat" } else { "false" }.into(),
        codegen_units: if lto { 1 } else { 16 },
        strip: "symbols".into(),
        panic: "unwind".into(),
        debug: "false".into(),
        jobs,
        rustc: rustc.version.clone(),
        target: rustc.host.clone(),
    }
}

fn variant_name(lto: bool) -> &'static str {
    if lto { "release-lto" } else { "release" }
}

/// The `CARGO_PROFILE_RELEASE_*` variables that carry `settings`.
fn profile_env(settings: &BuildSettings) -> Vec<(String, String)> {
    [
        ("OPT_LEVEL", settings.opt_level.clone()),
        ("LTO", settings.lto.clone()),
        ("CODEGEN_UNITS", settings.codegen_units.to_string()),
        ("STRIP", settings.strip.clone()),
        ("PANIC", settings.panic.clone()),
        ("DEBUG", settings.debug.clone()),
        ("INCREMENTAL", "false".into()),
    ]
    .into_iter()
    .map(|(k, v)| (format!("CARGO_PROFILE_RELEASE_{k}"), v))
    .collect()
}

/// The compiler cargo will use.
#[derive(Debug, Clone, Default)]
struct RustcInfo {
    version: Option<String>,
    host: String,
}

fn rustc_info() -> RustcInfo {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let Ok(out) = Command::new(rustc).arg("-vV").output() else {
        return RustcInfo::default();
    };
    let text = String::from_utf8_lossy(&out.stdout);
    RustcInfo {
        version: text
            .lines()
            .next()
            .map(str::to_string)
            .filter(|l| l.starts_with("rustc")),
        host: text
            .lines()
            .find_map(|l| l.strip_prefix("host: "))
            .unwrap_or_default()
            .to_string(),
    }
}

/// The source tree jsbench was built from.
fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The cache root: `$JSBENCH_CACHE_DIR`, else `<user cache dir>/jsbench`
/// (the folder the component backend caches in).
fn cache_root() -> Result<PathBuf> {
    match std::env::var_os("JSBENCH_CACHE_DIR") {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => dirs::cache_dir()
            .map(|d| d.join("jsbench"))
            .context("finding the user's cache folder (set JSBENCH_CACHE_DIR)"),
    }
}

/// Runs `jsbench size`.
pub fn execute(args: SizeArgs) -> Result<ExitCode> {
    let entries = super::run::pick_backends(&args.backends)?;
    if args.jobs == Some(0) {
        return Err(UsageError("--jobs must be at least 1".into()).into());
    }
    let from = match &args.from {
        Some(path) => Some(Results::read(path)?),
        None => None,
    };

    // What to measure, in order, with the backends each stands for.
    let mut targets: Vec<(Target, Vec<String>)> = vec![(Target::Probe(BASELINE), Vec::new())];
    let mut unmatched = Vec::new();
    for entry in &entries {
        match target_of(entry.name) {
            Some(target) => match targets.iter_mut().find(|(t, _)| *t == target) {
                Some((_, names)) => names.push(entry.name.to_string()),
                None => targets.push((target, vec![entry.name.to_string()])),
            },
            None => unmatched.push(entry.name.to_string()),
        }
    }

    let rustc = rustc_info();
    let settings = settings(args.lto, args.jobs, &rustc);
    let cache = cache_root()?;
    let context = BuildContext {
        probes_dir: project_root().join("harness/size-probes"),
        lockfile: project_root().join("Cargo.lock"),
        builds_dir: cache.join("size-builds"),
        keep_dir: cache.join("size-probes").join(variant_name(args.lto)),
        keep_target: args.keep_target,
        settings: settings.clone(),
        variant: variant_name(args.lto),
    };
    eprintln!(
        "jsbench size: {} probe build(s), {} (opt-level {}, lto {}, codegen-units {}, strip {}, panic {}), one at a time",
        targets.iter().filter(|(t, _)| matches!(t, Target::Probe(_))).count(),
        context.variant,
        settings.opt_level,
        settings.lto,
        settings.codegen_units,
        settings.strip,
        settings.panic,
    );

    let mut reports: Vec<SizeReport> = Vec::new();
    let mut failed = false;
    let total = targets.len();
    for (index, (target, backends)) in targets.iter().enumerate() {
        let report = match target {
            Target::Probe(probe) => {
                eprintln!(
                    "[{}/{total}] building probe `{}` from scratch ...",
                    index + 1,
                    probe.name
                );
                let mut report = context.measure(probe, backends);
                if probe.kind == SizeKind::WasmComponent && report.unavailable.is_none() {
                    add_component_figures(&mut report, &entries, from.as_ref(), args.workloads_dir.as_deref());
                }
                report
            }
            Target::Runtime(runtime) => {
                eprintln!("[{}/{total}] measuring the `{runtime}` runtime ...", index + 1);
                measure_runtime(runtime, backends, &entries)
            }
        };
        if let Some(why) = &report.unavailable {
            eprintln!("    {}: unavailable: {why}", report.name);
        } else if let Some(size) = report.binary_bytes {
            let build = report.build.as_ref().map(|b| {
                format!(
                    ", clean build {} ({} crates)",
                    duration(b.wall as f64),
                    b.crates_compiled
                )
            });
            eprintln!("    {}: {}{}", report.name, bytes(size), build.unwrap_or_default());
        }
        failed |= report.unavailable.is_some() && report.kind != SizeKind::OutOfProcess
            || report.notes.iter().any(|n| n.starts_with("run check failed"));
        reports.push(report);
    }
    for name in unmatched {
        reports.push(SizeReport {
            unavailable: Some(format!("unsupported: no size measure for backend `{name}`")),
            ..empty_report(&name, SizeKind::Embedded, vec![name.clone()], "-")
        });
    }
    fill_deltas(&mut reports);

    let mut results = if args.output.exists() {
        Results::read(&args.output)?
    } else {
        new_results()
    };
    merge(&mut results.sizes, reports.clone());
    results
        .write_atomic(&args.output)
        .with_context(|| format!("writing the sizes to {}", args.output.display()))?;
    print!("{}", render(&reports));
    println!("\nSizes written to {}.", args.output.display());
    Ok(if failed {
        ExitCode::from(EXIT_CELL_FAILED)
    } else {
        ExitCode::SUCCESS
    })
}

/// A report with only its identity filled in.
fn empty_report(name: &str, kind: SizeKind, backends: Vec<String>, variant: &str) -> SizeReport {
    SizeReport {
        name: name.to_string(),
        kind,
        backends,
        variant: variant.to_string(),
        component: String::new(),
        binary: None,
        binary_bytes: None,
        delta_bytes: None,
        install_bytes: None,
        build: None,
        run_output: None,
        artefacts: Vec::new(),
        notes: Vec::new(),
        unavailable: None,
        measured_at: super::run::now(),
    }
}

/// A results file holding only sizes.
fn new_results() -> Results {
    let mut machine = jsbench_runner::machine::describe();
    machine.load_average_end = jsbench_runner::machine::load_average();
    Results {
        schema_version: SCHEMA_VERSION,
        jsbench: super::run::tool_info(),
        machine,
        // No benchmark ran: an empty configuration, named so.
        config: RunConfig {
            sizes: Vec::new(),
            samples: 0,
            warmup: 0,
            processes: 0,
            max_processes: None,
            precision: None,
            sample_ms: None,
            timeout_ms: 0,
            memory_limit: 0,
            seed: 0,
            profile: "size".into(),
        },
        started_at: super::run::now(),
        finished_at: super::run::now(),
        backends: Vec::new(),
        workloads: Vec::new(),
        cells: Vec::new(),
        features: None,
        conformance: None,
        sizes: Vec::new(),
    }
}

/// Sets each report's delta over the baseline of its variant.
fn fill_deltas(reports: &mut [SizeReport]) {
    let baselines: BTreeMap<String, Bytes> = reports
        .iter()
        .filter(|r| r.kind == SizeKind::Baseline)
        .filter_map(|r| Some((r.variant.clone(), r.binary_bytes?)))
        .collect();
    for report in reports.iter_mut() {
        if let (Some(size), Some(base)) = (report.binary_bytes, baselines.get(&report.variant)) {
            report.delta_bytes = Some(size as i64 - *base as i64);
        }
    }
}

/// Puts `new` into `existing`, replacing entries of the same name and
/// variant.
fn merge(existing: &mut Vec<SizeReport>, new: Vec<SizeReport>) {
    for report in new {
        match existing
            .iter_mut()
            .find(|r| r.name == report.name && r.variant == report.variant)
        {
            Some(slot) => *slot = report,
            None => existing.push(report),
        }
    }
}

/// Where and how probes are built.
struct BuildContext {
    probes_dir: PathBuf,
    lockfile: PathBuf,
    builds_dir: PathBuf,
    keep_dir: PathBuf,
    keep_target: bool,
    settings: BuildSettings,
    variant: &'static str,
}

/// The outcome of one clean build.
struct Built {
    executable: PathBuf,
    wall: std::time::Duration,
    crates_compiled: u32,
    /// `name version` of the engine crates, from the resolved lock file.
    versions: Vec<String>,
}

impl BuildContext {
    /// Builds, keeps and checks one probe; failures become `unavailable`.
    fn measure(&self, probe: &Probe, backends: &[String]) -> SizeReport {
        let mut report = empty_report(probe.name, probe.kind, backends.to_vec(), self.variant);
        if probe.name == "v8" {
            report
                .notes
                .push("v8 and v8-jitless are one binary: --jitless is a V8 flag set at run time".into());
        }
        if probe.kind == SizeKind::WasmComponent {
            report.notes.push(
                "wasmtime (cranelift, component model, WASI p2) only: the JS engine \
                 (StarlingMonkey) ships inside each workload's component, see artefacts"
                    .into(),
            );
        }
        match self.build_and_keep(probe, &mut report) {
            Ok(()) => {}
            Err(error) => {
                report.unavailable = Some(format!("{error:#}"));
            }
        }
        report
    }

    fn build_and_keep(&self, probe: &Probe, report: &mut SizeReport) -> Result<()> {
        std::fs::create_dir_all(&self.builds_dir).with_context(|| format!("creating {}", self.builds_dir.display()))?;
        let work = tempfile::Builder::new()
            .prefix(&format!("{}-{}-", probe.name, self.variant))
            .tempdir_in(&self.builds_dir)
            .with_context(|| format!("creating a build folder in {}", self.builds_dir.display()))?;
        let built = self.build(probe, work.path());
        if self.keep_target {
            let kept = work.keep();
            eprintln!("    build folder kept: {}", kept.display());
        }
        let built = built?;

        std::fs::create_dir_all(&self.keep_dir).with_context(|| format!("creating {}", self.keep_dir.display()))?;
        let file_name = built
            .executable
            .file_name()
            .context("the probe executable has no file name")?;
        let kept = self.keep_dir.join(file_name);
        std::fs::copy(&built.executable, &kept)
            .with_context(|| format!("copying {} to {}", built.executable.display(), kept.display()))?;
        let size = std::fs::metadata(&kept)
            .with_context(|| format!("reading {}", kept.display()))?
            .len();
        report.binary = Some(kept.display().to_string());
        report.binary_bytes = Some(size);
        report.component = built.versions.join(", ");
        report.build = Some(BuildCost {
            wall: u64::try_from(built.wall.as_nanos()).unwrap_or(u64::MAX),
            crates_compiled: built.crates_compiled,
            settings: self.settings.clone(),
        });
        // The folder (and its target folder) goes when `work` drops.
        let check = match probe.kind {
            SizeKind::WasmComponent => match probe_component(&self.builds_dir) {
                Ok((_dir, component)) => {
                    run_check(&kept, &[component.display().to_string(), "probe".into()], PROBE_OUTPUT)
                }
                Err(why) => {
                    report.notes.push(format!("run check not done: {why:#}"));
                    return Ok(());
                }
            },
            SizeKind::Baseline => run_check(&kept, &[PROBE_SCRIPT.into()], &format!("baseline: {PROBE_SCRIPT}")),
            _ => run_check(&kept, &[PROBE_SCRIPT.into()], PROBE_OUTPUT),
        };
        record_check(report, check);
        Ok(())
    }

    /// Copies the probe with the workspace lock file into `work`, fetches its
    /// dependencies, then times a clean release build.
    fn build(&self, probe: &Probe, work: &Path) -> Result<Built> {
        let source = self.probes_dir.join(probe.name);
        let copy = work.join("src");
        copy_tree(&source, &copy).with_context(|| format!("copying the probe {}", source.display()))?;
        // The workspace's lock pins the versions the backends are built
        // with; cargo drops the entries the probe does not use.
        if self.lockfile.is_file() {
            std::fs::copy(&self.lockfile, copy.join("Cargo.lock"))
                .with_context(|| format!("copying {}", self.lockfile.display()))?;
        }
        let manifest = copy.join("Cargo.toml");
        let target_dir = work.join("target");

        let mut fetch = self.cargo(&copy, &target_dir);
        fetch.arg("fetch").arg("--manifest-path").arg(&manifest);
        let out = fetch
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .context("running cargo fetch")?;
        if !out.status.success() {
            bail!(
                "cargo fetch failed: {}",
                tail(&String::from_utf8_lossy(&out.stderr), 15)
            );
        }

        let mut build = self.cargo(&copy, &target_dir);
        build
            .args([
                "build",
                "--release",
                "--locked",
                "--message-format=json-render-diagnostics",
            ])
            .arg("--manifest-path")
            .arg(&manifest);
        if let Some(jobs) = self.settings.jobs {
            build.arg("-j").arg(jobs.to_string());
        }
        build.stdout(Stdio::piped()).stderr(Stdio::piped());
        let started = Instant::now();
        let mut child = build.spawn().context("starting cargo build")?;
        let stderr = child.stderr.take();
        // Drain stderr on its own thread so that cargo never blocks on it.
        let stderr_thread = std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut pipe) = stderr {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        });
        let spinner = indicatif::ProgressBar::new_spinner();
        spinner.enable_steady_tick(std::time::Duration::from_millis(200));
        let mut artifacts = ArtifactCounter::default();
        if let Some(stdout) = child.stdout.take() {
            for line in BufReader::new(stdout).lines().map_while(std::io::Result::ok) {
                if let Some(name) = artifacts.feed(&line, probe_package(probe)) {
                    spinner.set_message(format!("{} crates compiled, last {name}", artifacts.count()));
                }
            }
        }
        let status = child.wait().context("waiting for cargo build")?;
        let wall = started.elapsed();
        spinner.finish_and_clear();
        let stderr_text = stderr_thread.join().unwrap_or_default();
        if !status.success() {
            bail!("cargo build failed ({status}): {}", tail(&stderr_text, 25));
        }
        let crates_compiled = artifacts.count();
        let executable = artifacts
            .executable
            .context("cargo build reported no executable for the probe")?;
        let lock = std::fs::read_to_string(copy.join("Cargo.lock")).unwrap_or_default();
        let versions = locked_versions(&lock, probe.engine_crates);
        Ok(Built {
            executable,
            wall,
            crates_compiled,
            versions,
        })
    }

    /// A cargo command with a clean environment: no flags, wrappers or
    /// profile overrides from the caller, only this build's settings. It
    /// runs in the probe's copy, so that no `.cargo/config.toml` of the
    /// caller's folder applies (cargo reads those from the working folder up),
    /// only the user's own in `CARGO_HOME`.
    fn cargo(&self, cwd: &Path, target_dir: &Path) -> Command {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command.current_dir(cwd);
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy();
            if key.starts_with("CARGO_PROFILE_") || key.starts_with("CARGO_BUILD_") {
                command.env_remove(key.as_ref());
            }
        }
        for key in [
            "RUSTFLAGS",
            "CARGO_ENCODED_RUSTFLAGS",
            "RUSTC_WRAPPER",
            "RUSTC_WORKSPACE_WRAPPER",
            "CARGO_INCREMENTAL",
            "CARGO_TARGET_DIR",
        ] {
            command.env_remove(key);
        }
        command.env("CARGO_TARGET_DIR", target_dir);
        command.envs(profile_env(&self.settings));
        // The probe lives outside the project, where `.cargo/config.toml`
        // does not reach: point the v8 crate at the prebuilt V8 beside the
        // project ourselves, as that file does for the workspace.
        if std::env::var_os("RUSTY_V8_MIRROR").is_none() {
            let mirror = project_root().join("../shared/rusty_v8");
            if let Ok(mirror) = mirror.canonicalize() {
                command
                    .env("RUSTY_V8_MIRROR", mirror)
                    .env("RUSTY_V8_MIRROR_FALLBACK", "1");
            }
        }
        command
    }
}

/// The package name of a probe's Cargo.toml.
fn probe_package(probe: &Probe) -> String {
    format!("jsbench-size-{}", probe.name)
}

/// Counts packages compiled in cargo's JSON messages and finds the probe's
/// executable.
#[derive(Debug, Default)]
struct ArtifactCounter {
    packages: HashSet<String>,
    executable: Option<PathBuf>,
}

impl ArtifactCounter {
    /// Reads one line of `--message-format=json` output; returns the package
    /// name when the line is a freshly compiled artefact.
    fn feed(&mut self, line: &str, probe_package: String) -> Option<String> {
        let message: serde_json::Value = serde_json::from_str(line).ok()?;
        if message.get("reason")?.as_str()? != "compiler-artifact" {
            return None;
        }
        let target = message.get("target")?;
        let name = target.get("name")?.as_str()?.to_string();
        if let Some(exe) = message.get("executable").and_then(serde_json::Value::as_str)
            && target.get("kind")?.as_array()?.iter().any(|k| k == "bin")
            && name.replace('_', "-") == probe_package
        {
            self.executable = Some(PathBuf::from(exe));
        }
        if message.get("fresh").and_then(serde_json::Value::as_bool) == Some(true) {
            return None;
        }
        let id = message.get("package_id")?.as_str()?.to_string();
        self.packages.insert(id);
        Some(name)
    }

    fn count(&self) -> u32 {
        u32::try_from(self.packages.len()).unwrap_or(u32::MAX)
    }
}

/// `name version` for each of `crates` in a Cargo.lock (every version of a
/// crate that appears more than once).
fn locked_versions(lock: &str, crates: &[&str]) -> Vec<String> {
    let Ok(parsed) = lock.parse::<toml::Table>() else {
        return Vec::new();
    };
    let packages = parsed
        .get("package")
        .and_then(toml::Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut found = Vec::new();
    for wanted in crates {
        for package in &packages {
            let name = package.get("name").and_then(toml::Value::as_str);
            let version = package.get("version").and_then(toml::Value::as_str);
            if let (Some(name), Some(version)) = (name, version)
                && name == *wanted
            {
                found.push(format!("{name} {version}"));
            }
        }
    }
    found
}

/// Copies a probe's source (its manifest and `src/`), skipping anything a
/// build may have left there.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name == "target" || name == "Cargo.lock" {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            copy_tree(&entry.path(), &to.join(&name))?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(&name))?;
        }
    }
    Ok(())
}

/// The last `lines` lines of a text.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Runs a kept probe once and compares its output.
fn run_check(binary: &Path, args: &[String], expected: &str) -> Result<String, String> {
    let out = Command::new(binary)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout).trim_end().to_string();
    if !out.status.success() {
        return Err(format!(
            "{} exited with {}: {}",
            binary.display(),
            out.status,
            tail(&String::from_utf8_lossy(&out.stderr), 5)
        ));
    }
    if stdout != expected {
        return Err(format!("printed {stdout:?}, expected {expected:?}"));
    }
    Ok(stdout)
}

fn record_check(report: &mut SizeReport, check: Result<String, String>) {
    match check {
        Ok(output) => report.run_output = Some(output),
        Err(why) => report.notes.push(format!("run check failed: {why}")),
    }
}

/// Componentizes [`PROBE_MODULE`] with the component backend's own
/// ComponentizeJS script, for the component probe to run.
fn probe_component(builds_dir: &Path) -> Result<(tempfile::TempDir, PathBuf)> {
    registry::SetupStep::ComponentizeJs
        .run()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let wasm = project_root().join("backends/wasm");
    let dir = tempfile::Builder::new()
        .prefix("component-probe-")
        .tempdir_in(builds_dir)
        .context("creating a folder for the probe component")?;
    let source = dir.path().join("probe.mjs");
    std::fs::write(&source, PROBE_MODULE).context("writing the probe module")?;
    let component = dir.path().join("probe.wasm");
    let out = Command::new("node")
        .arg(wasm.join("js/componentize.mjs"))
        .arg(&source)
        .arg(wasm.join("wit/workload.wit"))
        .arg("workload")
        .arg(&component)
        .stdin(Stdio::null())
        .output()
        .context("running node (ComponentizeJS)")?;
    if !out.status.success() {
        bail!(
            "componentizing the probe module failed: {}",
            tail(&String::from_utf8_lossy(&out.stderr), 5)
        );
    }
    Ok((dir, component))
}

/// Adds the per-workload component and precompiled sizes to the component
/// probe's report: from `--from`, else from the backend's `prepare`.
fn add_component_figures(
    report: &mut SizeReport,
    entries: &[registry::Entry],
    from: Option<&Results>,
    workloads_dir: Option<&Path>,
) {
    let artefacts = match from {
        Some(results) => {
            report
                .notes
                .push("component sizes from the results file given with --from".into());
            artefacts_from_results(results, "wasm-component")
        }
        None => match artefacts_from_prepare(entries, workloads_dir) {
            Ok((artefacts, misses)) => {
                report.notes.push(format!(
                    "component sizes from the backend's prepare ({} of {} from the cache)",
                    artefacts.len() - misses,
                    artefacts.len()
                ));
                artefacts
            }
            Err(why) => {
                report.notes.push(format!("component sizes unavailable: {why:#}"));
                Vec::new()
            }
        },
    };
    if let Some(median) = median(artefacts.iter().map(|a| a.component_bytes).collect()) {
        report.notes.push(format!(
            "median component {} ({} workloads): binary + component = {}",
            bytes(median),
            artefacts.len(),
            bytes(report.binary_bytes.unwrap_or(0) + median)
        ));
    }
    report.artefacts = artefacts;
}

/// Per-workload component figures recorded by `jsbench run`.
fn artefacts_from_results(results: &Results, backend: &str) -> Vec<ArtefactSize> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for cell in results.cells.iter().filter(|c| c.backend == backend) {
        let Some(component) = cell.extra.get("prepare.component_bytes") else {
            continue;
        };
        if seen.insert(cell.workload.clone()) {
            out.push(ArtefactSize {
                workload: cell.workload.clone(),
                component_bytes: *component as Bytes,
                precompiled_bytes: cell.extra.get("prepare.precompiled_bytes").map(|b| *b as Bytes),
            });
        }
    }
    out
}

/// Prepares every default workload on the component backend (cache hits
/// when they were prepared before) and collects the sizes it reports.
fn artefacts_from_prepare(
    entries: &[registry::Entry],
    workloads_dir: Option<&Path>,
) -> Result<(Vec<ArtefactSize>, usize)> {
    let entry = entries
        .iter()
        .find(|e| e.kind == jsbench_schema::BackendKind::WasmComponent)
        .context("the wasm-component backend is not in this build")?;
    if let Some(setup) = entry.setup {
        setup.run().map_err(|e| anyhow::anyhow!("set-up failed: {e}"))?;
    }
    let dir = super::workloads_dir(workloads_dir);
    let suite = jsbench_runner::manifest::load_suite(&dir)
        .with_context(|| format!("loading the workload suite in {}", dir.display()))?;
    let workloads = jsbench_runner::manifest::select(&suite, &[])?;
    let mut backend = (entry.make)();
    let mut out = Vec::new();
    let mut misses = 0;
    for workload in &workloads {
        let prepared = match backend.prepare(&workload.module()) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("    {}: prepare failed: {e}", workload.name);
                continue;
            }
        };
        if !prepared.cache_hit {
            misses += 1;
        }
        let figure = |name: &str| {
            prepared
                .figures
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| *v as Bytes)
        };
        if let Some(component) = figure("component_bytes") {
            out.push(ArtefactSize {
                workload: workload.name.clone(),
                component_bytes: component,
                precompiled_bytes: figure("precompiled_bytes"),
            });
        }
    }
    Ok((out, misses))
}

fn median(mut values: Vec<Bytes>) -> Option<Bytes> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2),
    }
}

/// Measures a runtime process's executable and installation.
fn measure_runtime(runtime: &'static str, backends: &[String], entries: &[registry::Entry]) -> SizeReport {
    let mut report = empty_report(runtime, SizeKind::OutOfProcess, backends.to_vec(), "installed");
    // The runtimes' set-up (npm ci for Deno and Bun) is the process
    // backends' own, run once like `jsbench run` does.
    if let Some(entry) = entries.iter().find(|e| backends.iter().any(|b| b == e.name))
        && let Some(setup) = entry.setup
        && let Err(why) = setup.run()
    {
        report.unavailable = Some(format!("set-up failed: {why}"));
        return report;
    }
    match locate_runtime(runtime) {
        Ok((binary, version)) => {
            report.component = format!("{runtime} {version}");
            let real = binary.canonicalize().unwrap_or(binary.clone());
            match std::fs::metadata(&real) {
                Ok(meta) => {
                    report.binary_bytes = Some(meta.len());
                    report.binary = Some(real.display().to_string());
                }
                Err(e) => {
                    report.unavailable = Some(format!("cannot read {}: {e}", real.display()));
                    return report;
                }
            }
            match install_size(runtime, &real) {
                Ok((size, how)) => {
                    report.install_bytes = Some(size);
                    report.notes.push(how);
                }
                Err(why) => report.notes.push(format!("install size unavailable: {why}")),
            }
        }
        Err(why) => report.unavailable = Some(why),
    }
    report
}

fn locate_runtime(runtime: &str) -> Result<(PathBuf, String), String> {
    registry::locate_runtime(runtime).map_err(|e| e.to_string())
}

/// The installed size of a runtime: its npm package folders when the binary
/// is one of them, else the installed size of the Debian package that owns
/// it. Returns the size and how it was found.
fn install_size(runtime: &str, binary: &Path) -> Result<(Bytes, String), String> {
    if let Some(modules) = node_modules_of(binary) {
        let scope = match runtime {
            "deno" => Some("@deno"),
            "bun" => Some("@oven"),
            _ => None,
        };
        let mut folders = vec![modules.join(runtime)];
        if let Some(scope) = scope
            && let Ok(dir) = std::fs::read_dir(modules.join(scope))
        {
            let mut platform: Vec<PathBuf> = dir.flatten().map(|e| e.path()).collect();
            platform.sort();
            folders.extend(platform);
        }
        folders.retain(|f| f.is_dir());
        let mut seen = HashSet::new();
        let mut total = 0;
        for folder in &folders {
            total += tree_size(folder, &mut seen).map_err(|e| format!("reading {}: {e}", folder.display()))?;
        }
        let names: Vec<String> = folders
            .iter()
            .filter_map(|f| f.strip_prefix(&modules).ok())
            .map(|f| f.display().to_string())
            .collect();
        return Ok((total, format!("install = npm packages {}", names.join(" + "))));
    }
    let owner = Command::new("dpkg-query")
        .arg("-S")
        .arg(binary)
        .output()
        .map_err(|e| format!("not in node_modules and dpkg-query cannot run: {e}"))?;
    if !owner.status.success() {
        return Err(format!(
            "{} belongs to no npm package and no Debian package",
            binary.display()
        ));
    }
    let text = String::from_utf8_lossy(&owner.stdout);
    let package = text
        .lines()
        .next()
        .and_then(|l| l.split(':').next())
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .ok_or_else(|| format!("dpkg-query -S gave no package for {}", binary.display()))?
        .to_string();
    let size = Command::new("dpkg-query")
        .args(["-W", "-f=${Installed-Size}", &package])
        .output()
        .map_err(|e| format!("dpkg-query: {e}"))?;
    let kib: u64 = String::from_utf8_lossy(&size.stdout)
        .trim()
        .parse()
        .map_err(|_| format!("dpkg-query gave no installed size for {package}"))?;
    Ok((
        kib * 1024,
        format!("install = Debian package {package} (Installed-Size, KiB as the package states it)"),
    ))
}

/// The `node_modules` folder a path is inside, if any.
fn node_modules_of(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .find(|a| a.file_name().is_some_and(|n| n == "node_modules"))
        .map(Path::to_path_buf)
}

/// Bytes of the regular files under `dir` (symbolic links not followed,
/// hard links counted once), like `du -sb --apparent-size`.
fn tree_size(dir: &Path, seen: &mut HashSet<(u64, u64)>) -> std::io::Result<Bytes> {
    use std::os::unix::fs::MetadataExt;
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let meta = entry.path().symlink_metadata()?;
        if meta.is_dir() {
            total += tree_size(&entry.path(), seen)?;
        } else if meta.is_file() && seen.insert((meta.dev(), meta.ino())) {
            total += meta.len();
        }
    }
    Ok(total)
}

/// The terminal table of a set of size reports.
pub fn render(reports: &[SizeReport]) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_header(vec![
        "probe / runtime",
        "backends",
        "variant",
        "binary",
        "vs baseline",
        "installed",
        "clean build",
        "crates",
        "links",
    ]);
    let right = |text: String| TableCell::new(text).set_alignment(CellAlignment::Right);
    for r in reports {
        let mut row = vec![
            TableCell::new(&r.name),
            TableCell::new(r.backends.join(", ")),
            TableCell::new(&r.variant),
        ];
        if let Some(why) = &r.unavailable {
            let first = why.lines().next().unwrap_or_default();
            let text = if first.starts_with("unsupported") {
                first.to_string()
            } else {
                format!("unavailable: {first}")
            };
            row.push(TableCell::new(text));
            table.add_row(row);
            continue;
        }
        row.push(right(r.binary_bytes.map(bytes).unwrap_or_else(|| "-".into())));
        row.push(right(match (r.kind, r.delta_bytes) {
            (SizeKind::Baseline, _) => "-".into(),
            (_, Some(d)) if d >= 0 => format!("+{}", bytes(d as u64)),
            (_, Some(d)) => format!("-{}", bytes(d.unsigned_abs())),
            (_, None) => "-".into(),
        }));
        row.push(right(r.install_bytes.map(bytes).unwrap_or_else(|| "-".into())));
        row.push(right(
            r.build
                .as_ref()
                .map(|b| duration(b.wall as f64))
                .unwrap_or_else(|| "-".into()),
        ));
        row.push(right(
            r.build
                .as_ref()
                .map(|b| b.crates_compiled.to_string())
                .unwrap_or_else(|| "-".into()),
        ));
        row.push(TableCell::new(&r.component));
        table.add_row(row);
    }
    let mut out = table.to_string();
    out.push('\n');
    if let Some(settings) = reports.iter().find_map(|r| r.build.as_ref().map(|b| &b.settings)) {
        out.push_str(&format!(
            "Probe builds: opt-level {}, lto {}, codegen-units {}, strip {}, panic {}, debug {}, jobs {}, {} on {}.\n",
            settings.opt_level,
            settings.lto,
            settings.codegen_units,
            settings.strip,
            settings.panic,
            settings.debug,
            settings
                .jobs
                .map(|j| j.to_string())
                .unwrap_or_else(|| "cargo default".into()),
            settings.rustc.as_deref().unwrap_or("rustc ?"),
            settings.target,
        ));
    }
    for r in reports {
        for note in &r.notes {
            out.push_str(&format!("  {}: {note}\n", r.name));
        }
        if !r.artefacts.is_empty() {
            let components: Vec<Bytes> = r.artefacts.iter().map(|a| a.component_bytes).collect();
            let precompiled: Vec<Bytes> = r.artefacts.iter().filter_map(|a| a.precompiled_bytes).collect();
            let span = |v: &[Bytes]| match (v.iter().min(), median(v.to_vec()), v.iter().max()) {
                (Some(min), Some(med), Some(max)) => {
                    format!("{} / {} / {}", bytes(*min), bytes(med), bytes(*max))
                }
                _ => "-".into(),
            };
            out.push_str(&format!(
                "  {}: per workload (min / median / max of {}): component {}, precompiled {}\n",
                r.name,
                r.artefacts.len(),
                span(&components),
                span(&precompiled)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_map_to_probes_and_runtimes() {
        assert_eq!(target_of("v8-jitless"), target_of("v8"));
        assert!(matches!(target_of("quickjs"), Some(Target::Probe(p)) if p.name == "quickjs"));
        assert_eq!(target_of("deno-pipe"), Some(Target::Runtime("deno")));
        assert_eq!(target_of("node-http"), Some(Target::Runtime("node")));
        assert_eq!(target_of("nodejs"), None);
        assert_eq!(target_of("mock"), None);
    }

    #[test]
    fn every_probe_has_a_folder() {
        let programs = registry::entries().into_iter().filter_map(|e| match e.size {
            Some(registry::SizeProbe::Program(program)) => Some(program),
            _ => None,
        });
        for probe in programs.chain([BASELINE]) {
            let manifest = project_root()
                .join("harness/size-probes")
                .join(probe.name)
                .join("Cargo.toml");
            let text = std::fs::read_to_string(&manifest).unwrap();
            assert!(
                text.contains(&format!("name = \"{}\"", probe_package(&probe))),
                "{}",
                manifest.display()
            );
        }
    }

    #[test]
    fn probes_pin_the_backends_versions() {
        // The probes must link what the backends link: same versions and
        // features as the workspace and backend manifests.
        let read = |p: &str| std::fs::read_to_string(project_root().join(p)).unwrap();
        let workspace = read("Cargo.toml");
        let probe = |n: &str| read(&format!("harness/size-probes/{n}/Cargo.toml"));
        let line = |text: &str, key: &str| {
            text.lines()
                .find(|l| l.starts_with(key))
                .map(str::to_string)
                .unwrap_or_default()
        };
        assert_eq!(line(&probe("quickjs"), "rquickjs ="), line(&workspace, "rquickjs ="));
        assert_eq!(line(&probe("boa"), "boa_engine ="), line(&workspace, "boa_engine ="));
        assert_eq!(
            line(&probe("v8"), "v8 ="),
            line(&read("backends/v8/Cargo.toml"), "v8 =")
        );
        let wasm = read("backends/wasm/Cargo.toml");
        for key in ["wasmtime =", "wasmtime-wasi ="] {
            assert_eq!(line(&probe("wasm-component"), key), line(&wasm, key));
        }
    }

    #[test]
    fn counts_fresh_compiles_once_per_package_and_finds_the_binary() {
        let mut counter = ArtifactCounter::default();
        let lines = [
            r#"{"reason":"compiler-artifact","package_id":"a 1.0","target":{"name":"build-script-build","kind":["custom-build"]},"executable":null,"fresh":false}"#,
            r#"{"reason":"compiler-artifact","package_id":"a 1.0","target":{"name":"a","kind":["lib"]},"executable":null,"fresh":false}"#,
            r#"{"reason":"compiler-artifact","package_id":"b 1.0","target":{"name":"b","kind":["lib"]},"executable":null,"fresh":true}"#,
            r#"{"reason":"build-script-executed","package_id":"a 1.0"}"#,
            r#"{"reason":"compiler-artifact","package_id":"p 0.1","target":{"name":"jsbench-size-quickjs","kind":["bin"]},"executable":"/t/release/jsbench-size-quickjs","fresh":false}"#,
            "not json",
        ];
        for line in lines {
            counter.feed(line, "jsbench-size-quickjs".into());
        }
        assert_eq!(counter.count(), 2);
        assert_eq!(
            counter.executable,
            Some(PathBuf::from("/t/release/jsbench-size-quickjs"))
        );
    }

    #[test]
    fn reads_versions_from_a_lock_file() {
        let lock = r#"
version = 4
[[package]]
name = "rquickjs"
version = "0.14.0"
[[package]]
name = "other"
version = "1.0.0"
[[package]]
name = "rquickjs-sys"
version = "0.14.0"
"#;
        assert_eq!(
            locked_versions(lock, &["rquickjs", "rquickjs-sys"]),
            vec!["rquickjs 0.14.0", "rquickjs-sys 0.14.0"]
        );
        assert!(locked_versions("not toml [", &["x"]).is_empty());
    }

    fn report(name: &str, kind: SizeKind, variant: &str, size: Option<Bytes>) -> SizeReport {
        SizeReport {
            binary_bytes: size,
            ..empty_report(name, kind, Vec::new(), variant)
        }
    }

    #[test]
    fn deltas_are_over_the_baseline_of_the_same_variant() {
        let mut reports = vec![
            report("baseline", SizeKind::Baseline, "release", Some(400)),
            report("quickjs", SizeKind::Embedded, "release", Some(1400)),
            report("boa", SizeKind::Embedded, "release-lto", Some(900)),
            report("tiny", SizeKind::Embedded, "release", Some(100)),
            report("v8", SizeKind::Embedded, "release", None),
        ];
        fill_deltas(&mut reports);
        let deltas: Vec<Option<i64>> = reports.iter().map(|r| r.delta_bytes).collect();
        assert_eq!(deltas, vec![Some(0), Some(1000), None, Some(-300), None]);
    }

    #[test]
    fn merge_replaces_same_name_and_variant() {
        let mut existing = vec![
            report("quickjs", SizeKind::Embedded, "release", Some(1)),
            report("quickjs", SizeKind::Embedded, "release-lto", Some(2)),
        ];
        merge(
            &mut existing,
            vec![
                report("quickjs", SizeKind::Embedded, "release", Some(3)),
                report("boa", SizeKind::Embedded, "release", Some(4)),
            ],
        );
        let sizes: Vec<(String, String, Option<Bytes>)> = existing
            .iter()
            .map(|r| (r.name.clone(), r.variant.clone(), r.binary_bytes))
            .collect();
        assert_eq!(
            sizes,
            vec![
                ("quickjs".into(), "release".into(), Some(3)),
                ("quickjs".into(), "release-lto".into(), Some(2)),
                ("boa".into(), "release".into(), Some(4)),
            ]
        );
    }

    #[test]
    fn tree_size_counts_hard_links_once_and_skips_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("a"), vec![0u8; 1000]).unwrap();
        std::fs::write(dir.path().join("sub/b"), vec![0u8; 24]).unwrap();
        std::fs::hard_link(dir.path().join("a"), dir.path().join("sub/a-again")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("a"), dir.path().join("link")).unwrap();
        assert_eq!(tree_size(dir.path(), &mut HashSet::new()).unwrap(), 1024);
    }

    #[test]
    fn artefacts_come_from_prepare_figures_once_per_workload() {
        let text = std::fs::read_to_string(project_root().join("harness/schema/src/lib.rs")).unwrap();
        assert!(text.contains("pub sizes: Vec<SizeReport>"));
        let mut results = new_results();
        for (workload, size) in [("fib", "small"), ("fib", "default"), ("echo", "small")] {
            let mut extra = BTreeMap::new();
            extra.insert("prepare.component_bytes".to_string(), 100.0);
            if workload == "fib" {
                extra.insert("prepare.precompiled_bytes".to_string(), 300.0);
            }
            results.cells.push(jsbench_schema::Cell {
                backend: "wasm-component".into(),
                workload: workload.into(),
                size: size.into(),
                status: jsbench_schema::CellStatus::Ok,
                error: None,
                processes: Vec::new(),
                summary: None,
                extra,
            });
        }
        let artefacts = artefacts_from_results(&results, "wasm-component");
        assert_eq!(artefacts.len(), 2);
        assert_eq!(artefacts[0].precompiled_bytes, Some(300));
        assert_eq!(artefacts[1].precompiled_bytes, None);
        assert_eq!(median(vec![3, 1, 2]), Some(2));
        assert_eq!(median(vec![4, 1, 2, 3]), Some(2));
        assert_eq!(median(Vec::new()), None);
    }

    #[test]
    fn unavailable_and_unsupported_rows_say_so() {
        let mut r = report("v8", SizeKind::Embedded, "release", None);
        r.unavailable = Some("cargo build failed".into());
        let mut u = report("javy", SizeKind::Embedded, "-", None);
        u.unavailable = Some("unsupported: no size measure for backend `javy`".into());
        let text = render(&[r, u]);
        assert!(text.contains("unavailable: cargo build failed"), "{text}");
        assert!(text.contains("unsupported: no size measure"), "{text}");
    }
}
