//! The one list of jsbench backends. Each backend is declared here once, as
//! an [`Entry`]: its name (the constant its descriptor uses), its kind, its
//! factory, how to tell whether it can run on this machine, the one-time
//! set-up step it needs and how `jsbench size` measures it. The `jsbench`
//! binary (run, worker, list, features, conformance, size), the criterion
//! benches and the tests all take their backends from [`entries`].
//!
//! Each backend crate sits behind a cargo feature of this crate (all on by
//! default); `jsbench` and `jsbench-benches` forward theirs here.
//!
//! Set-up steps have an identity ([`SetupStep`]), so that [`set_up`] runs
//! each one once however many backends share it (six process backends, one
//! `npm ci`).
#![deny(missing_docs)]

use jsbench_api::{BackendFactory, BackendKind};
use jsbench_schema::{BackendInfo, SizeKind};
use std::path::PathBuf;

mod floor;
mod size;
pub use floor::{serve_transport_peer, transport_floor};
pub use size::{size_build_env, size_probes};

/// Why a backend cannot run on this machine (shown as `unavailable: …`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unavailable(pub String);

/// A one-time set-up step run by the harness before any worker starts.
/// Backends that need the same step name the same variant, and
/// [`set_up`] runs it once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetupStep {
    /// The server scripts of the Node backends, extracted into the cache
    /// folder (Node is the system one: no `npm ci`).
    NodeScripts,
    /// The server scripts and `npm ci` of the Deno and Bun packages.
    ProcessRuntimes,
    /// `npm ci` of ComponentizeJS for the wasm-component backend.
    ComponentizeJs,
}

impl SetupStep {
    /// Runs the step; `Err` says why the backends that need it cannot run.
    pub fn run(self) -> Result<(), Unavailable> {
        let unavailable = |e: &dyn std::fmt::Display| Unavailable(e.to_string());
        match self {
            #[cfg(feature = "process")]
            SetupStep::NodeScripts => jsbench_process::ensure_scripts().map_err(|e| unavailable(&e)),
            #[cfg(feature = "process")]
            SetupStep::ProcessRuntimes => jsbench_process::ensure_installed().map_err(|e| unavailable(&e)),
            #[cfg(feature = "wasm")]
            SetupStep::ComponentizeJs => jsbench_wasm::ensure_installed().map_err(|e| unavailable(&e)),
            #[allow(unreachable_patterns)]
            other => Err(unavailable(&format!(
                "{other:?}: this build has no backend that needs it"
            ))),
        }
    }

    /// Where the step installs its files (below the cache folder), and what
    /// they are, for `jsbench setup`.
    pub fn location(self) -> Result<(PathBuf, &'static str), Unavailable> {
        let unavailable = |e: &dyn std::fmt::Display| Unavailable(e.to_string());
        match self {
            #[cfg(feature = "process")]
            SetupStep::NodeScripts | SetupStep::ProcessRuntimes => jsbench_process::js_dir()
                .map(|dir| (dir, "server scripts; Deno and Bun in node_modules"))
                .map_err(|e| unavailable(&e)),
            #[cfg(feature = "wasm")]
            SetupStep::ComponentizeJs => jsbench_wasm::toolchain_dir()
                .map(|dir| (dir, "ComponentizeJS"))
                .map_err(|e| unavailable(&e)),
            #[allow(unreachable_patterns)]
            other => Err(unavailable(&format!(
                "{other:?}: this build has no backend that needs it"
            ))),
        }
    }
}

/// The set-up steps the backends in `entries` need, each once, in order.
pub fn steps(entries: &[Entry]) -> Vec<SetupStep> {
    let mut steps: Vec<SetupStep> = Vec::new();
    for step in entries.iter().filter_map(|e| e.setup) {
        if !steps.contains(&step) {
            steps.push(step);
        }
    }
    steps
}

/// How a built size probe is checked: the script every engine probe runs,
/// or a component made from the probe module by the wasm backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeCheck {
    /// Runs the probe script ([`jsbench_size::RunCheck::script`]).
    Script,
    /// Componentizes the probe module and runs the component.
    Component,
}

/// A probe program in `harness/size-probes/`, built by `jsbench size`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProbeProgram {
    /// Folder name under `harness/size-probes/`, and the `name` of its report.
    pub name: &'static str,
    /// What the probe stands for in the size table.
    pub kind: SizeKind,
    /// Crates whose locked versions describe what the probe links.
    pub engine_crates: &'static [&'static str],
    /// The run that checks the built probe works.
    pub check: ProbeCheck,
    /// A remark for the size report (what the figure leaves out).
    pub note: Option<&'static str>,
}

/// How `jsbench size` measures a backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeProbe {
    /// A minimal embedder program to build from scratch. Backends that
    /// share one binary (`v8`, `v8-jitless`) name the same program.
    Program(ProbeProgram),
    /// A runtime executable measured as installed (`node`, `deno`, `bun`).
    Runtime(&'static str),
}

impl SizeProbe {
    /// The probe's report name; backends with the same name share a figure.
    pub fn name(&self) -> &'static str {
        match self {
            SizeProbe::Program(program) => program.name,
            SizeProbe::Runtime(runtime) => runtime,
        }
    }
}

/// A backend of this build.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// Name on the command line and in results: the constant the backend's
    /// descriptor uses.
    pub name: &'static str,
    /// Which way of running JavaScript it is (also in its descriptor).
    pub kind: BackendKind,
    /// Builds the backend.
    pub make: BackendFactory,
    /// Why it cannot run on this machine (e.g. a missing runtime binary),
    /// checked after its set-up step.
    pub availability: fn(&str) -> Result<(), Unavailable>,
    /// One-time set-up the harness runs before workers start.
    pub setup: Option<SetupStep>,
    /// How `jsbench size` measures it; `None`: no size measure.
    pub size: Option<SizeProbe>,
    /// Backends with the same key set process-wide engine state (V8's
    /// flags): one process can run only one of them (the workers do; an
    /// in-process user such as the benches picks one).
    pub one_per_process: Option<&'static str>,
    /// Not in the default selection of `run` (test doubles, and the
    /// sandboxed process variants, which only `jsbench sandbox` picks by
    /// default); listed, and run when named with `-b`.
    pub hidden: bool,
}

impl Entry {
    /// What the results record about the backend; `unavailable` carries
    /// the reason it cannot run here.
    pub fn info(&self, unavailable: Option<String>) -> BackendInfo {
        let descriptor = (self.make)().descriptor();
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
}

fn always(_: &str) -> Result<(), Unavailable> {
    Ok(())
}

fn mock() -> Entry {
    Entry {
        name: jsbench_api::mock::NAME,
        kind: BackendKind::Mock,
        make: || Box::new(jsbench_api::mock::MockBackend::new()),
        availability: always,
        setup: None,
        size: None,
        one_per_process: None,
        hidden: true,
    }
}

#[cfg(feature = "quickjs")]
fn quickjs() -> Entry {
    Entry {
        name: jsbench_quickjs::NAME,
        kind: BackendKind::Embedded,
        make: || Box::new(jsbench_quickjs::QuickJsBackend::new()),
        availability: always,
        setup: None,
        size: Some(SizeProbe::Program(ProbeProgram {
            name: "quickjs",
            kind: SizeKind::Embedded,
            engine_crates: &["rquickjs", "rquickjs-sys"],
            check: ProbeCheck::Script,
            note: None,
        })),
        one_per_process: None,
        hidden: false,
    }
}

/// `quickjs-bytecode`: the QuickJS engine and binary, modules loaded from
/// bytecode compiled at prepare time.
#[cfg(feature = "quickjs")]
fn quickjs_bytecode() -> Entry {
    Entry {
        name: jsbench_quickjs::bytecode::NAME,
        make: || Box::new(jsbench_quickjs::QuickJsBackend::bytecode()),
        ..quickjs()
    }
}

#[cfg(feature = "boa")]
fn boa() -> Entry {
    Entry {
        name: jsbench_boa::NAME,
        kind: BackendKind::Embedded,
        make: || Box::new(jsbench_boa::BoaBackend::new()),
        availability: always,
        setup: None,
        size: Some(SizeProbe::Program(ProbeProgram {
            name: "boa",
            kind: SizeKind::Embedded,
            engine_crates: &["boa_engine"],
            check: ProbeCheck::Script,
            note: None,
        })),
        one_per_process: None,
        hidden: false,
    }
}

/// Both V8 variants: jitless is a flag set at run time, so one size probe.
#[cfg(feature = "v8")]
fn v8() -> [Entry; 2] {
    let entry = |name, make| Entry {
        name,
        kind: BackendKind::Embedded,
        make,
        availability: always,
        setup: None,
        size: Some(SizeProbe::Program(ProbeProgram {
            name: "v8",
            kind: SizeKind::Embedded,
            engine_crates: &["v8"],
            check: ProbeCheck::Script,
            note: Some("v8 and v8-jitless are one binary: --jitless is a V8 flag set at run time"),
        })),
        one_per_process: Some("v8"),
        hidden: false,
    };
    [
        entry(jsbench_v8::NAME_JIT, jsbench_v8::V8Backend::boxed_jit as BackendFactory),
        entry(jsbench_v8::NAME_JITLESS, jsbench_v8::V8Backend::boxed_jitless),
    ]
}

/// The tuned V8 backends: the `v8` engine and flags (JIT on), started
/// from a code cache or a startup snapshot made at prepare time.
#[cfg(feature = "v8")]
fn v8_tuned() -> [Entry; 2] {
    let [jit, _] = v8();
    [
        Entry {
            name: jsbench_v8::codecache::NAME,
            make: jsbench_v8::CodeCacheBackend::boxed,
            ..jit
        },
        Entry {
            name: jsbench_v8::snapshot::NAME,
            make: jsbench_v8::SnapshotBackend::boxed,
            ..jit
        },
    ]
}

#[cfg(feature = "wasm")]
fn wasm() -> Entry {
    Entry {
        name: jsbench_wasm::NAME,
        kind: BackendKind::WasmComponent,
        make: jsbench_wasm::factory,
        availability: always,
        setup: Some(SetupStep::ComponentizeJs),
        size: Some(SizeProbe::Program(ProbeProgram {
            name: "wasm-component",
            kind: SizeKind::WasmComponent,
            engine_crates: &["wasmtime", "wasmtime-wasi"],
            check: ProbeCheck::Component,
            note: Some(
                "wasmtime (cranelift, component model, WASI p2) only: the JS engine \
                 (StarlingMonkey) ships inside each workload's component, see artefacts",
            ),
        })),
        one_per_process: None,
        hidden: false,
    }
}

/// `wasm-component-pooled`: the component backend with wasmtime's pooling
/// allocator and copy-on-write memory images (same binary, same probe).
#[cfg(feature = "wasm")]
fn wasm_pooled() -> Entry {
    Entry {
        name: jsbench_wasm::pooled::NAME,
        make: jsbench_wasm::factory_pooled,
        ..wasm()
    }
}

/// Node, Deno and Bun, each over HTTP and a pipe.
#[cfg(feature = "process")]
fn process() -> Vec<Entry> {
    fn availability(name: &str) -> Result<(), Unavailable> {
        jsbench_process::availability(name).map_err(|e| Unavailable(e.to_string()))
    }
    jsbench_process::backends()
        .into_iter()
        .map(|(name, make)| Entry {
            name,
            kind: BackendKind::OutOfProcess,
            make,
            availability,
            // Node is the system one; Deno and Bun come from npm.
            setup: Some(
                match jsbench_process::ProcessBackend::from_name(name).map(|b| b.runtime()) {
                    Some(jsbench_process::Runtime::Node) => SetupStep::NodeScripts,
                    _ => SetupStep::ProcessRuntimes,
                },
            ),
            size: jsbench_process::ProcessBackend::from_name(name).map(|b| SizeProbe::Runtime(b.runtime().key())),
            one_per_process: None,
            // The permission-model variants measure the same engines as
            // their plain rows; the sandbox matrix is where they matter.
            hidden: name.ends_with(jsbench_process::SANDBOXED_SUFFIX),
        })
        .collect()
}

/// V8 through deno_core: it initialises V8 itself, with its own flags, so
/// it shares the `v8` process key; and its tuned variant, started from a
/// deno_core snapshot made at prepare time.
#[cfg(feature = "deno-core")]
fn deno_core() -> [Entry; 2] {
    let plain = Entry {
        name: jsbench_deno_core::NAME,
        kind: BackendKind::Embedded,
        make: jsbench_deno_core::DenoCoreBackend::boxed,
        availability: always,
        setup: None,
        size: Some(SizeProbe::Program(ProbeProgram {
            name: "deno-core",
            kind: SizeKind::Embedded,
            engine_crates: &["deno_core", "v8"],
            check: ProbeCheck::Script,
            note: Some("the same V8 as the v8 probe, with deno_core's ops, module loader and tokio event loop"),
        })),
        one_per_process: Some("v8"),
        hidden: false,
    };
    [
        plain,
        Entry {
            name: jsbench_deno_core::snapshot::NAME,
            make: jsbench_deno_core::SnapshotBackend::boxed,
            ..plain
        },
    ]
}

/// Every backend of this build, in display order (the hidden mock last).
pub fn entries() -> Vec<Entry> {
    #[allow(unused_mut)]
    let mut all = Vec::new();
    #[cfg(feature = "quickjs")]
    all.push(quickjs());
    #[cfg(feature = "quickjs")]
    all.push(quickjs_bytecode());
    #[cfg(feature = "boa")]
    all.push(boa());
    #[cfg(feature = "v8")]
    all.extend(v8());
    #[cfg(feature = "deno-core")]
    all.extend(deno_core());
    #[cfg(feature = "v8")]
    all.extend(v8_tuned());
    #[cfg(feature = "wasm")]
    all.push(wasm());
    #[cfg(feature = "wasm")]
    all.push(wasm_pooled());
    #[cfg(feature = "process")]
    all.extend(process());
    all.push(mock());
    all
}

/// The entry called `name`.
pub fn find(name: &str) -> Option<Entry> {
    entries().into_iter().find(|e| e.name == name)
}

/// The backends of the default selection (every entry but test doubles).
pub fn visible() -> Vec<Entry> {
    entries().into_iter().filter(|e| !e.hidden).collect()
}

/// Names of the visible backends.
pub fn visible_names() -> Vec<&'static str> {
    visible().into_iter().map(|e| e.name).collect()
}

/// Makes each backend ready to run here: its availability check (a
/// missing runtime skips the set-up it would need), then its set-up step
/// (each step once, however many backends share it; a failed step fails
/// them all). Returns, in `entries` order, why each backend cannot run, or
/// `Ok`. `announce` is told before a step runs.
pub fn set_up(entries: &[Entry], announce: impl FnMut(&Entry, SetupStep)) -> Vec<Result<(), Unavailable>> {
    set_up_with(entries, announce, SetupStep::run)
}

/// [`set_up`] with the step runner given (tests count the runs).
fn set_up_with(
    entries: &[Entry],
    mut announce: impl FnMut(&Entry, SetupStep),
    mut run: impl FnMut(SetupStep) -> Result<(), Unavailable>,
) -> Vec<Result<(), Unavailable>> {
    let mut done: Vec<(SetupStep, Result<(), Unavailable>)> = Vec::new();
    let mut outcome = |entry: &Entry| -> Result<(), Unavailable> {
        (entry.availability)(entry.name)?;
        let Some(step) = entry.setup else {
            return Ok(());
        };
        if let Some((_, result)) = done.iter().find(|(s, _)| *s == step) {
            return result.clone();
        }
        announce(entry, step);
        let result = run(step).map_err(|e| Unavailable(format!("set-up failed: {e}")));
        done.push((step, result.clone()));
        result
    };
    entries.iter().map(&mut outcome).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn names_and_kinds_are_unique_and_match_descriptors() {
        let all = entries();
        for (i, e) in all.iter().enumerate() {
            assert!(all[..i].iter().all(|o| o.name != e.name), "{} twice", e.name);
            let d = (e.make)().descriptor();
            assert_eq!(d.name, e.name);
            assert_eq!(d.kind, e.kind, "{}", e.name);
        }
        assert!(find("mock").is_some());
        assert!(!visible_names().contains(&"mock"));
        assert!(find("nope").is_none());
    }

    #[test]
    fn size_probes_match_kinds() {
        for e in entries() {
            match (e.kind, e.size) {
                (BackendKind::OutOfProcess, Some(SizeProbe::Runtime(rt))) => {
                    assert!(e.name.starts_with(rt), "{}", e.name)
                }
                (BackendKind::Embedded, Some(SizeProbe::Program(p))) => assert_eq!(p.kind, SizeKind::Embedded),
                (BackendKind::WasmComponent, Some(SizeProbe::Program(p))) => {
                    assert_eq!(p.kind, SizeKind::WasmComponent)
                }
                (BackendKind::Mock, None) => {}
                other => panic!("{}: size probe {other:?} does not fit", e.name),
            }
        }
    }

    fn fake(name: &'static str, setup: Option<SetupStep>, available: bool) -> Entry {
        Entry {
            name,
            setup,
            availability: if available {
                always
            } else {
                |name| Err(Unavailable(format!("{name} is missing")))
            },
            ..mock()
        }
    }

    #[test]
    fn each_set_up_step_runs_once_and_its_failure_is_shared() {
        let entries = [
            fake("a", Some(SetupStep::ProcessRuntimes), true),
            fake("b", None, true),
            fake("c", Some(SetupStep::ProcessRuntimes), false),
            fake("d", Some(SetupStep::ComponentizeJs), true),
            fake("e", Some(SetupStep::ComponentizeJs), true),
            fake("f", Some(SetupStep::NodeScripts), false),
        ];
        let runs = Cell::new(0);
        let mut announced = Vec::new();
        let outcomes = set_up_with(
            &entries,
            |e, _| announced.push(e.name),
            |step| {
                runs.set(runs.get() + 1);
                match step {
                    SetupStep::ProcessRuntimes => Ok(()),
                    SetupStep::ComponentizeJs => Err(Unavailable("npm failed".into())),
                    SetupStep::NodeScripts => panic!("only an unavailable backend needs it: it must not run"),
                }
            },
        );
        assert_eq!(runs.get(), 2);
        assert_eq!(announced, ["a", "d"]);
        assert_eq!(outcomes[0], Ok(()));
        assert_eq!(outcomes[1], Ok(()));
        // Unavailable before its (shared, successful) step.
        assert_eq!(outcomes[2], Err(Unavailable("c is missing".into())));
        let failed = Err(Unavailable("set-up failed: npm failed".into()));
        assert_eq!(outcomes[3], failed);
        assert_eq!(outcomes[4], failed);
        assert_eq!(outcomes[5], Err(Unavailable("f is missing".into())));
        assert_eq!(
            steps(&entries),
            [
                SetupStep::ProcessRuntimes,
                SetupStep::ComponentizeJs,
                SetupStep::NodeScripts
            ]
        );
    }

    #[test]
    fn info_comes_from_the_descriptor() {
        let info = mock().info(Some("why".into()));
        assert_eq!(info.name, "mock");
        assert_eq!(info.kind, BackendKind::Mock);
        assert_eq!(info.unavailable.as_deref(), Some("why"));
    }

    #[cfg(feature = "v8")]
    #[test]
    fn v8_variants_share_a_process_key_and_a_probe() {
        let jit = find(jsbench_v8::NAME_JIT).unwrap();
        let jitless = find(jsbench_v8::NAME_JITLESS).unwrap();
        assert_eq!(jit.one_per_process, Some("v8"));
        assert_eq!(jit.one_per_process, jitless.one_per_process);
        assert_eq!(jit.size, jitless.size);
    }
}
