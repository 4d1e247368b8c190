//! What `jsbench size` measures for each backend: the [`SizeProbe`] of each
//! registry [`Entry`], turned into the size library's [`Probe`]s. Backends
//! that name the same probe (`v8`, `v8-jitless`; the six process backends'
//! three runtimes) share one figure.

use crate::{Entry, ProbeCheck, ProbeProgram, SetupStep, SizeProbe};
use jsbench_size::{CheckArgs, Measure, Probe, RunCheck};
use std::path::Path;

/// The size probes of `entries`, one per probe name, each standing for
/// every backend that names it. Program probes are folders of
/// `probes_dir` (`harness/size-probes`).
pub fn size_probes(entries: &[Entry], probes_dir: &Path) -> Vec<Probe> {
    let mut probes: Vec<Probe> = Vec::new();
    for entry in entries {
        let Some(size) = entry.size else { continue };
        match probes.iter_mut().find(|p| p.name == size.name()) {
            Some(probe) => probe.backends.push(entry.name.into()),
            None => probes.push(probe(size, entry.name, probes_dir)),
        }
    }
    probes
}

fn probe(size: SizeProbe, backend: &str, probes_dir: &Path) -> Probe {
    let (measure, note) = match size {
        SizeProbe::Program(program) => (program_measure(program, probes_dir), program.note),
        SizeProbe::Runtime(runtime) => (runtime_measure(runtime), None),
    };
    Probe {
        name: size.name().into(),
        backends: vec![backend.into()],
        measure,
        notes: note.into_iter().map(str::to_string).collect(),
    }
}

fn program_measure(program: ProbeProgram, probes_dir: &Path) -> Measure {
    let check = match program.check {
        ProbeCheck::Script => RunCheck::script(),
        ProbeCheck::Component => RunCheck {
            args: CheckArgs::Prepared(Box::new(probe_component)),
            expected: jsbench_size::PROBE_OUTPUT.into(),
        },
    };
    Measure::Program {
        dir: probes_dir.join(program.name),
        kind: program.kind,
        engine_crates: program.engine_crates.iter().map(|c| c.to_string()).collect(),
        check,
    }
}

/// Componentizes the size tool's probe module in `dir` with the component
/// backend's own ComponentizeJS, for the component probe's run check; the
/// probe's arguments.
fn probe_component(dir: &Path) -> Result<Vec<String>, String> {
    #[cfg(feature = "wasm")]
    {
        let component = dir.join("probe.wasm");
        jsbench_wasm::componentize(jsbench_size::PROBE_MODULE, &component)
            .map_err(|e| format!("componentizing the probe module failed: {e}"))?;
        Ok(vec![component.display().to_string(), "probe".into()])
    }
    #[cfg(not(feature = "wasm"))]
    Err(format!(
        "unsupported: this jsbench was built without the wasm backend (probe in {})",
        dir.display()
    ))
}

/// An installed runtime of the process backends, as they find it; its
/// set-up (`npm ci` for Deno and Bun) is theirs, run like `jsbench run` does.
fn runtime_measure(runtime: &'static str) -> Measure {
    // The npm packages a runtime comes in: its own, and its platform
    // binaries' scope.
    let scopes = match runtime {
        "deno" => vec!["@deno".to_string()],
        "bun" => vec!["@oven".to_string()],
        _ => Vec::new(),
    };
    Measure::Runtime {
        locate: Box::new(move || locate_runtime(runtime)),
        setup: Some(Box::new(|| SetupStep::ProcessRuntimes.run().map_err(|e| e.to_string()))),
        npm: jsbench_size::NpmLayout {
            packages: vec![runtime.to_string()],
            scopes,
        },
    }
}

/// The executable and version of the runtime called `runtime`, as the
/// process backends find it.
fn locate_runtime(runtime: &str) -> Result<jsbench_size::Located, String> {
    #[cfg(feature = "process")]
    {
        let rt = jsbench_process::Runtime::ALL
            .into_iter()
            .find(|r| r.key() == runtime)
            .ok_or_else(|| format!("unknown runtime {runtime}"))?;
        let found = rt.locate().map_err(|e| e.to_string())?;
        Ok(jsbench_size::Located {
            binary: found.binary.clone(),
            version: found.version.clone(),
        })
    }
    #[cfg(not(feature = "process"))]
    Err(format!(
        "unsupported: this jsbench was built without the process backends ({runtime})"
    ))
}

/// Variables the probe builds need from this build's backends: the v8
/// crate takes the prebuilt V8 beside the project where it exists (see
/// harness/v8-mirror.sh); `cargo run` passes that setting on in
/// `RUSTY_V8_MIRROR`, and a jsbench run directly from the project folder
/// looks beside it.
pub fn size_build_env() -> Vec<(String, String)> {
    if !cfg!(any(feature = "v8", feature = "deno-core")) {
        return Vec::new();
    }
    mirror_env(
        std::env::var_os("RUSTY_V8_MIRROR").as_deref(),
        Path::new("../shared/rusty_v8"),
    )
}

/// `RUSTY_V8_MIRROR` for the probe builds: nothing when the variable is
/// already set (the builds inherit it), the folder `beside` when it exists,
/// and nothing otherwise: since v8 150.4.0 a mirror without the files fails
/// the build, where leaving the variable unset downloads the library.
fn mirror_env(inherited: Option<&std::ffi::OsStr>, beside: &Path) -> Vec<(String, String)> {
    match (inherited, beside.canonicalize()) {
        (None, Ok(mirror)) if mirror.is_dir() => vec![("RUSTY_V8_MIRROR".into(), mirror.display().to_string())],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsbench_schema::SizeKind;
    use std::path::PathBuf;

    fn project_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    fn probes_dir() -> PathBuf {
        project_root().join("harness/size-probes")
    }

    fn all_probes() -> Vec<Probe> {
        size_probes(&crate::visible(), &probes_dir())
    }

    /// The probe each name lands on (`None` for no probe).
    fn probe_of(name: &str) -> Option<(String, SizeKind)> {
        let (picked, _) = jsbench_size::select(all_probes(), &[name]);
        picked.first().map(|p| (p.name.clone(), p.kind()))
    }

    #[test]
    fn the_mirror_is_passed_on_only_where_it_exists() {
        let dir = tempfile::tempdir().unwrap();
        let mirror = dir.path().join("shared/rusty_v8");
        assert_eq!(mirror_env(None, &mirror), []);
        std::fs::create_dir_all(&mirror).unwrap();
        let canonical = mirror.canonicalize().unwrap().display().to_string();
        assert_eq!(mirror_env(None, &mirror), [("RUSTY_V8_MIRROR".to_string(), canonical)]);
        // An inherited setting reaches the builds by itself.
        assert_eq!(mirror_env(Some("/elsewhere".as_ref()), &mirror), []);
    }

    #[test]
    fn backends_map_to_probes_and_runtimes() {
        if cfg!(feature = "v8") {
            assert_eq!(probe_of("v8-jitless"), probe_of("v8"));
            assert!(probe_of("v8").is_some());
        }
        if cfg!(feature = "quickjs") {
            assert_eq!(probe_of("quickjs"), Some(("quickjs".into(), SizeKind::Embedded)));
        }
        if cfg!(feature = "process") {
            assert_eq!(probe_of("deno-pipe"), Some(("deno".into(), SizeKind::OutOfProcess)));
            assert_eq!(probe_of("node-http"), Some(("node".into(), SizeKind::OutOfProcess)));
        }
        assert_eq!(probe_of("nodejs"), None);
        assert_eq!(probe_of("mock"), None);
        // Every visible backend has a size measure.
        let (_, unmatched) = jsbench_size::select(all_probes(), &crate::visible_names());
        assert!(unmatched.is_empty(), "{unmatched:?}");
    }

    #[test]
    fn shared_probes_name_every_backend_once() {
        for probe in all_probes() {
            let mut names = probe.backends.clone();
            names.dedup();
            assert_eq!(names, probe.backends, "{}", probe.name);
        }
        if cfg!(feature = "process") {
            let deno = all_probes().into_iter().find(|p| p.name == "deno").unwrap();
            assert_eq!(deno.backends, ["deno-http", "deno-pipe"]);
        }
    }

    #[test]
    fn every_probe_has_a_folder() {
        let mut probes = all_probes();
        probes.push(Probe::baseline(probes_dir().join("baseline")));
        for probe in probes {
            if let Measure::Program { dir, .. } = &probe.measure {
                let package = jsbench_size::lock::package_name(dir).unwrap();
                assert_eq!(package, format!("jsbench-size-{}", probe.name), "{}", dir.display());
            }
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
        assert_eq!(
            line(&probe("deno-core"), "deno_core ="),
            line(&read("backends/deno-core/Cargo.toml"), "deno_core =")
        );
        let wasm = read("backends/wasm/Cargo.toml");
        for key in ["wasmtime =", "wasmtime-wasi ="] {
            assert_eq!(line(&probe("wasm-component"), key), line(&wasm, key));
        }
    }
}
