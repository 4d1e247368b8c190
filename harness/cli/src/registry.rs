//! The backends this build of jsbench has, by name. Each backend crate sits
//! behind a cargo feature; this is the one place that maps names to them.

use jsbench_api::{BackendFactory, JsBackend};
use jsbench_schema::BackendInfo;

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
