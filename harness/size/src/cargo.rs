//! Clean builds of probe programs: copy the probe with the workspace's
//! `Cargo.lock` into a fresh folder, fetch its dependencies (not timed), time
//! a clean `cargo build --release` with the settings passed as
//! `CARGO_PROFILE_RELEASE_*` in a clean environment, count the packages it
//! compiles from cargo's JSON messages, keep the binary and run it once.

use crate::Progress;
use crate::check::run_check;
use crate::error::{IoContext, Result, SizeError};
use crate::lock::{locked_versions, package_name};
use crate::probe::{CheckArgs, RunCheck};
use crate::settings::profile_env;
use jsbench_schema::{BuildCost, BuildSettings, SizeReport};
use jsbench_supervise::tail_lines as tail;
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Where and how probes are built.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The lock file that pins the versions the backends are built with
    /// (copied into each probe when it exists).
    pub lockfile: PathBuf,
    /// Where the build folders are made (each removed after its build).
    pub builds_dir: PathBuf,
    /// Where the built binaries are kept.
    pub keep_dir: PathBuf,
    /// Keep each build folder (and its target folder) too.
    pub keep_target: bool,
    /// The release settings.
    pub settings: BuildSettings,
    /// The variant name of these settings (`release`, `release-lto`).
    pub variant: String,
    /// Variables added to cargo's otherwise clean environment (e.g. where a
    /// `-sys` crate finds a prebuilt library).
    pub env: Vec<(String, String)>,
}

/// The outcome of one clean build.
struct Built {
    executable: PathBuf,
    wall: Duration,
    crates_compiled: u32,
    /// `name version` of the engine crates, from the resolved lock file.
    versions: Vec<String>,
}

/// A probe program to build: its folder, the crates that name what it
/// links, and its run check.
pub(crate) struct Program<'a> {
    pub dir: &'a Path,
    pub engine_crates: &'a [String],
    pub check: &'a RunCheck,
}

/// Builds, keeps and checks one probe program, filling `report`.
pub(crate) fn measure_program(
    program: &Program<'_>,
    report: &mut SizeReport,
    options: &BuildOptions,
    progress: &mut dyn Progress,
) -> Result<()> {
    let builds = &options.builds_dir;
    std::fs::create_dir_all(builds).doing("creating", builds)?;
    let work = tempfile::Builder::new()
        .prefix(&format!("{}-{}-", report.name, options.variant))
        .tempdir_in(builds)
        .doing("creating a build folder in", builds)?;
    let built = build(program, work.path(), options, progress);
    if options.keep_target {
        progress.build_folder_kept(&work.keep());
    }
    let built = built?;

    std::fs::create_dir_all(&options.keep_dir).doing("creating", &options.keep_dir)?;
    let file_name = built.executable.file_name().unwrap_or(std::ffi::OsStr::new("probe"));
    let kept = options.keep_dir.join(file_name);
    std::fs::copy(&built.executable, &kept).doing("copying the probe executable to", &kept)?;
    let size = std::fs::metadata(&kept).doing("reading", &kept)?.len();
    report.binary = Some(kept.display().to_string());
    report.binary_bytes = Some(size);
    report.component = built.versions.join(", ");
    report.build = Some(BuildCost {
        wall: u64::try_from(built.wall.as_nanos()).unwrap_or(u64::MAX),
        crates_compiled: built.crates_compiled,
        settings: options.settings.clone(),
    });
    // The build folder (and its target folder) goes when `work` drops.
    check(program.check, &kept, builds, report);
    Ok(())
}

/// Runs the probe's check; a failure is a `run check failed` note, a check
/// that could not be prepared a `run check not done` one.
fn check(check: &RunCheck, binary: &Path, scratch_in: &Path, report: &mut SizeReport) {
    let scratch = tempfile::Builder::new().prefix("check-").tempdir_in(scratch_in);
    let args = match (&check.args, &scratch) {
        (CheckArgs::Fixed(args), _) => Ok(args.clone()),
        (CheckArgs::Prepared(prepare), Ok(dir)) => prepare(dir.path()),
        (CheckArgs::Prepared(_), Err(e)) => Err(format!("creating a scratch folder: {e}")),
    };
    match args {
        Ok(args) => match run_check(binary, &args, &check.expected) {
            Ok(output) => report.run_output = Some(output),
            Err(why) => report.notes.push(format!("run check failed: {why}")),
        },
        // A caller's preparation may fail with a whole tool's output: its
        // last lines say why.
        Err(why) => report.notes.push(format!("run check not done: {}", tail(&why, 5))),
    }
}

/// Copies the probe with the lock file into `work`, fetches its
/// dependencies, then times a clean release build.
fn build(program: &Program<'_>, work: &Path, options: &BuildOptions, progress: &mut dyn Progress) -> Result<Built> {
    let package = package_name(program.dir)?;
    let copy = work.join("src");
    copy_tree(program.dir, &copy).doing("copying the probe", program.dir)?;
    // The workspace's lock pins the versions the backends are built with;
    // cargo drops the entries the probe does not use.
    if options.lockfile.is_file() {
        std::fs::copy(&options.lockfile, copy.join("Cargo.lock")).doing("copying", &options.lockfile)?;
    }
    let manifest = copy.join("Cargo.toml");
    let target_dir = work.join("target");

    let out = cargo(&copy, &target_dir, options)
        .arg("fetch")
        .arg("--manifest-path")
        .arg(&manifest)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|source| spawn_error("cargo fetch", source))?;
    if !out.status.success() {
        return Err(SizeError::Fetch {
            stderr_tail: tail(&String::from_utf8_lossy(&out.stderr), 15),
        });
    }

    let mut build = cargo(&copy, &target_dir, options);
    build
        .args([
            "build",
            "--release",
            "--locked",
            "--message-format=json-render-diagnostics",
        ])
        .arg("--manifest-path")
        .arg(&manifest);
    if let Some(jobs) = options.settings.jobs {
        build.arg("-j").arg(jobs.to_string());
    }
    build.stdout(Stdio::piped()).stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = build.spawn().map_err(|source| spawn_error("cargo build", source))?;
    let stderr = child.stderr.take();
    // Drain stderr on its own thread so that cargo never blocks on it.
    let stderr_thread = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = stderr {
            let _ = pipe.read_to_string(&mut text);
        }
        text
    });
    let mut artifacts = ArtifactCounter::default();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(std::io::Result::ok) {
            if let Some(name) = artifacts.feed(&line, &package) {
                progress.compiled(artifacts.count(), &name);
            }
        }
    }
    let status = child.wait().map_err(|source| spawn_error("cargo build", source))?;
    let wall = started.elapsed();
    progress.build_finished();
    let stderr_text = stderr_thread.join().unwrap_or_default();
    if !status.success() {
        return Err(SizeError::Build {
            status,
            stderr_tail: tail(&stderr_text, 25),
        });
    }
    let crates_compiled = artifacts.count();
    let executable = artifacts.executable.ok_or(SizeError::NoExecutable { package })?;
    let lock = std::fs::read_to_string(copy.join("Cargo.lock")).unwrap_or_default();
    Ok(Built {
        executable,
        wall,
        crates_compiled,
        versions: locked_versions(&lock, program.engine_crates),
    })
}

fn spawn_error(program: &str, source: std::io::Error) -> SizeError {
    SizeError::Spawn {
        program: program.into(),
        source,
    }
}

/// A cargo command with a clean environment: no flags, wrappers or profile
/// overrides from the caller, only this build's settings and the options'
/// variables. It runs in the probe's copy, so that no `.cargo/config.toml`
/// of the caller's folder applies (cargo reads those from the working folder
/// up), only the user's own in `CARGO_HOME`.
fn cargo(cwd: &Path, target_dir: &Path, options: &BuildOptions) -> Command {
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
    command.envs(profile_env(&options.settings));
    command.envs(options.env.iter().map(|(k, v)| (k, v)));
    command
}

/// Counts packages compiled in cargo's JSON messages and finds the probe's
/// executable.
#[derive(Debug, Default)]
struct ArtifactCounter {
    packages: HashSet<String>,
    executable: Option<PathBuf>,
}

impl ArtifactCounter {
    /// Reads one line of `--message-format=json` output; returns the target
    /// name when the line is a freshly compiled artefact.
    fn feed(&mut self, line: &str, probe_package: &str) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
            counter.feed(line, "jsbench-size-quickjs");
        }
        assert_eq!(counter.count(), 2);
        assert_eq!(
            counter.executable,
            Some(PathBuf::from("/t/release/jsbench-size-quickjs"))
        );
    }

    #[test]
    fn copy_tree_skips_build_leftovers() {
        let from = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(from.path().join("src")).unwrap();
        std::fs::create_dir_all(from.path().join("target/release")).unwrap();
        std::fs::write(from.path().join("Cargo.toml"), "[package]").unwrap();
        std::fs::write(from.path().join("Cargo.lock"), "old").unwrap();
        std::fs::write(from.path().join("src/main.rs"), "fn main() {}").unwrap();
        let to = tempfile::tempdir().unwrap();
        copy_tree(from.path(), &to.path().join("copy")).unwrap();
        let copy = to.path().join("copy");
        assert!(copy.join("Cargo.toml").is_file() && copy.join("src/main.rs").is_file());
        assert!(!copy.join("target").exists() && !copy.join("Cargo.lock").exists());
    }

    #[test]
    fn cargo_runs_with_a_clean_environment_and_the_settings() {
        let options = BuildOptions {
            lockfile: PathBuf::new(),
            builds_dir: PathBuf::new(),
            keep_dir: PathBuf::new(),
            keep_target: false,
            settings: crate::settings::settings(true, None, &Default::default()),
            variant: "release-lto".into(),
            env: vec![("EXTRA".into(), "1".into())],
        };
        let command = cargo(Path::new("/w"), Path::new("/t"), &options);
        let envs: Vec<(String, Option<String>)> = command
            .get_envs()
            .map(|(k, v)| (k.to_string_lossy().into(), v.map(|v| v.to_string_lossy().into())))
            .collect();
        assert!(envs.contains(&("RUSTFLAGS".into(), None)), "removed");
        assert!(envs.contains(&("CARGO_TARGET_DIR".into(), Some("/t".into()))));
        assert!(envs.contains(&("CARGO_PROFILE_RELEASE_LTO".into(), Some("fat".into()))));
        assert!(envs.contains(&("EXTRA".into(), Some("1".into()))));
        assert_eq!(command.get_current_dir(), Some(Path::new("/w")));
    }
}
