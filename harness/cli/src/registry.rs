//! The backends this build of jsbench has, by name. Each backend crate sits
//! behind a cargo feature; this is the one place that maps names to them,
//! and to the size probe that measures each ([`size_probes`]).

use jsbench_api::{BackendFactory, JsBackend};
use jsbench_schema::{BackendInfo, SizeKind};
use jsbench_size::{Measure, Probe, RunCheck};
use std::path::Path;

/// A backend this build can run.
pub struct Entry {
    /// Name on the command line.
    pub name: &'static str,
    /// Builds the backend.
    pub make: BackendFactory,
    /// Why it cannot run on this machine, checked in the harness before any
    /// worker starts (e.g. a missing runtime binary).
    pub availability: fn(&str) -> Result<(), String>,
    /// One-time set-up run by the harness before workers start (e.g. `npm ci`).
    pub setup: Option<fn() -> Result<(), String>>,
    /// Hidden from the default selection (test doubles).
    pub hidden: bool,
}

fn always(_: &str) -> Result<(), String> {
    Ok(())
}

fn mock() -> Box<dyn JsBackend> {
    Box::new(jsbench_api::mock::MockBackend::new())
}

#[cfg(feature = "quickjs")]
fn quickjs() -> Box<dyn JsBackend> {
    Box::new(jsbench_quickjs::QuickJsBackend::new())
}

#[cfg(feature = "boa")]
fn boa() -> Box<dyn JsBackend> {
    Box::new(jsbench_boa::BoaBackend::new())
}

#[cfg(feature = "wasm")]
fn wasm_setup() -> Result<(), String> {
    jsbench_wasm::ensure_installed().map_err(|e| e.to_string())
}

#[cfg(feature = "process")]
fn process_availability(name: &str) -> Result<(), String> {
    jsbench_process::availability(name).map_err(|e| e.to_string())
}

#[cfg(feature = "process")]
fn process_setup() -> Result<(), String> {
    jsbench_process::ensure_installed().map_err(|e| e.to_string())
}

/// Node is the system one: its backends need the scripts, not `npm ci`.
#[cfg(feature = "process")]
fn node_setup() -> Result<(), String> {
    jsbench_process::ensure_scripts().map_err(|e| e.to_string())
}

/// Every backend of this build, in display order.
pub fn entries() -> Vec<Entry> {
    let mut all = Vec::new();
    #[cfg(feature = "quickjs")]
    all.push(Entry {
        name: "quickjs",
        make: quickjs,
        availability: always,
        setup: None,
        hidden: false,
    });
    #[cfg(feature = "boa")]
    all.push(Entry {
        name: "boa",
        make: boa,
        availability: always,
        setup: None,
        hidden: false,
    });
    #[cfg(feature = "v8")]
    {
        all.push(Entry {
            name: jsbench_v8::NAME_JIT,
            make: jsbench_v8::V8Backend::boxed_jit,
            availability: always,
            setup: None,
            hidden: false,
        });
        all.push(Entry {
            name: jsbench_v8::NAME_JITLESS,
            make: jsbench_v8::V8Backend::boxed_jitless,
            availability: always,
            setup: None,
            hidden: false,
        });
    }
    #[cfg(feature = "wasm")]
    all.push(Entry {
        name: "wasm-component",
        make: jsbench_wasm::factory,
        availability: always,
        setup: Some(wasm_setup),
        hidden: false,
    });
    #[cfg(feature = "process")]
    for (name, make) in jsbench_process::backends() {
        all.push(Entry {
            name,
            make,
            availability: process_availability,
            setup: Some(if name.starts_with("node-") {
                node_setup as fn() -> Result<(), String>
            } else {
                process_setup
            }),
            hidden: false,
        });
    }
    all.push(Entry {
        name: "mock",
        make: mock,
        availability: always,
        setup: None,
        hidden: true,
    });
    all
}

/// The entry called `name`.
pub fn find(name: &str) -> Option<Entry> {
    entries().into_iter().find(|e| e.name == name)
}

/// Names of the visible backends.
pub fn visible_names() -> Vec<&'static str> {
    entries().into_iter().filter(|e| !e.hidden).map(|e| e.name).collect()
}

/// What the results record about a backend; `unavailable` carries the reason
/// it cannot run here.
pub fn info(entry: &Entry, unavailable: Option<String>) -> BackendInfo {
    let descriptor = (entry.make)().descriptor();
    BackendInfo {
        name: descriptor.name,
        engine: descriptor.engine,
        engine_version: descriptor.engine_version,
        kind: descriptor.kind,
        capabilities: descriptor.capabilities,
        flags: descriptor.flags,
        unavailable,
        baseline_memory: None,
    }
}

/// A probe program in `<probes_dir>/<name>` that stands for `backends`.
fn program(
    probes_dir: &Path,
    name: &str,
    backends: &[&str],
    kind: SizeKind,
    crates: &[&str],
    check: RunCheck,
) -> Probe {
    Probe {
        name: name.into(),
        backends: backends.iter().map(|b| b.to_string()).collect(),
        measure: Measure::Program {
            dir: probes_dir.join(name),
            kind,
            engine_crates: crates.iter().map(|c| c.to_string()).collect(),
            check,
        },
        notes: Vec::new(),
    }
}

/// What `jsbench size` measures for each backend of this build: a minimal
/// embedder program in `probes_dir` (`harness/size-probes`) written against
/// the engine crate, or the runtime a process backend starts. Backends that
/// share a binary share a probe.
pub fn size_probes(probes_dir: &Path) -> Vec<Probe> {
    let mut all = Vec::new();
    #[cfg(feature = "quickjs")]
    all.push(program(
        probes_dir,
        "quickjs",
        &["quickjs"],
        SizeKind::Embedded,
        &["rquickjs", "rquickjs-sys"],
        RunCheck::script(),
    ));
    #[cfg(feature = "boa")]
    all.push(program(
        probes_dir,
        "boa",
        &["boa"],
        SizeKind::Embedded,
        &["boa_engine"],
        RunCheck::script(),
    ));
    #[cfg(feature = "v8")]
    {
        let backends = [jsbench_v8::NAME_JIT, jsbench_v8::NAME_JITLESS];
        let mut v8 = program(
            probes_dir,
            "v8",
            &backends,
            SizeKind::Embedded,
            &["v8"],
            RunCheck::script(),
        );
        v8.notes
            .push("v8 and v8-jitless are one binary: --jitless is a V8 flag set at run time".into());
        all.push(v8);
    }
    #[cfg(feature = "wasm")]
    {
        let check = RunCheck {
            args: jsbench_size::CheckArgs::Prepared(Box::new(wasm_probe_component)),
            expected: jsbench_size::PROBE_OUTPUT.into(),
        };
        let crates = ["wasmtime", "wasmtime-wasi"];
        let mut wasm = program(
            probes_dir,
            "wasm-component",
            &["wasm-component"],
            SizeKind::WasmComponent,
            &crates,
            check,
        );
        wasm.notes.push(
            "wasmtime (cranelift, component model, WASI p2) only: the JS engine \
             (StarlingMonkey) ships inside each workload's component, see artefacts"
                .into(),
        );
        all.push(wasm);
    }
    #[cfg(feature = "process")]
    all.extend(runtime_probes());
    all
}

/// One probe per runtime of the process backends, standing for every
/// backend that starts it.
#[cfg(feature = "process")]
fn runtime_probes() -> Vec<Probe> {
    use jsbench_process::{ProcessBackend, Runtime};
    Runtime::ALL
        .into_iter()
        .map(|runtime| {
            let backends = jsbench_process::BACKEND_NAMES
                .into_iter()
                .filter(|name| ProcessBackend::from_name(name).is_some_and(|b| b.runtime() == runtime))
                .map(str::to_string)
                .collect();
            // The npm packages a runtime comes in: its own, and its
            // platform binaries' scope.
            let scopes = match runtime {
                Runtime::Deno => vec!["@deno".to_string()],
                Runtime::Bun => vec!["@oven".to_string()],
                Runtime::Node => Vec::new(),
            };
            Probe {
                name: runtime.key().into(),
                backends,
                measure: Measure::Runtime {
                    locate: Box::new(move || {
                        let found = runtime.locate().map_err(|e| e.to_string())?;
                        Ok(jsbench_size::Located {
                            binary: found.binary.clone(),
                            version: found.version.clone(),
                        })
                    }),
                    // The runtimes' set-up (npm ci for Deno and Bun) is the
                    // process backends' own, run like `jsbench run` does.
                    setup: Some(Box::new(process_setup)),
                    npm: jsbench_size::NpmLayout {
                        packages: vec![runtime.key().to_string()],
                        scopes,
                    },
                },
                notes: Vec::new(),
            }
        })
        .collect()
}

/// Componentizes the size tool's probe module with the component backend's
/// own ComponentizeJS script in `dir`, for the component probe's run check;
/// the probe's arguments.
#[cfg(feature = "wasm")]
fn wasm_probe_component(dir: &Path) -> Result<Vec<String>, String> {
    let component = dir.join("probe.wasm");
    jsbench_wasm::componentize(jsbench_size::PROBE_MODULE, &component)
        .map_err(|e| format!("componentizing the probe module failed: {e}"))?;
    Ok(vec![component.display().to_string(), "probe".into()])
}

/// Variables the probe builds need from this build's backends: the v8 crate
/// finds the prebuilt V8 beside the project through `.cargo/config.toml`,
/// which does not reach the probes' build folders, so it is passed on.
pub fn size_build_env() -> Vec<(String, String)> {
    let mut env = Vec::new();
    if cfg!(feature = "v8") && std::env::var_os("RUSTY_V8_MIRROR").is_none() {
        // `cargo run` passes the workspace's setting on; run directly from
        // the project folder, look beside it.
        let mirror = Path::new("../shared/rusty_v8");
        if let Ok(mirror) = mirror.canonicalize() {
            env.push(("RUSTY_V8_MIRROR".into(), mirror.display().to_string()));
            env.push(("RUSTY_V8_MIRROR_FALLBACK".into(), "1".into()));
        }
    }
    env
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_match_descriptors() {
        let all = entries();
        for (i, e) in all.iter().enumerate() {
            assert!(all[..i].iter().all(|o| o.name != e.name), "{} twice", e.name);
            assert_eq!((e.make)().descriptor().name, e.name);
        }
        assert!(find("mock").is_some());
        assert!(!visible_names().contains(&"mock"));
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;
    use std::path::PathBuf;

    fn project_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    fn probes_dir() -> PathBuf {
        project_root().join("harness/size-probes")
    }

    /// The probe each name lands on (`None` for no probe).
    fn probe_of(name: &str) -> Option<(String, SizeKind)> {
        let (picked, _) = jsbench_size::select(size_probes(&probes_dir()), &[name]);
        picked.first().map(|p| (p.name.clone(), p.kind()))
    }

    #[test]
    fn backends_map_to_probes_and_runtimes() {
        assert_eq!(probe_of("v8-jitless"), probe_of("v8"));
        assert_eq!(probe_of("quickjs"), Some(("quickjs".into(), SizeKind::Embedded)));
        assert_eq!(probe_of("deno-pipe"), Some(("deno".into(), SizeKind::OutOfProcess)));
        assert_eq!(probe_of("node-http"), Some(("node".into(), SizeKind::OutOfProcess)));
        assert_eq!(probe_of("nodejs"), None);
        assert_eq!(probe_of("mock"), None);
        // Every visible backend has a size measure.
        let names = visible_names();
        let (_, unmatched) = jsbench_size::select(size_probes(&probes_dir()), &names);
        assert!(unmatched.is_empty(), "{unmatched:?}");
    }

    #[test]
    fn every_probe_has_a_folder() {
        let mut probes = size_probes(&probes_dir());
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
        let wasm = read("backends/wasm/Cargo.toml");
        for key in ["wasmtime =", "wasmtime-wasi ="] {
            assert_eq!(line(&probe("wasm-component"), key), line(&wasm, key));
        }
    }
}
