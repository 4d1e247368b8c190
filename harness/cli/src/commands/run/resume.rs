//! Continuing a results file (`jsbench run --resume`): which workloads and
//! backends it ran, and whether they are still the same code. Cells of a
//! changed workload module, workload definition or backend version would
//! mix measurements of different code in one median, so such a resume is
//! refused, naming what changed, unless `--force` starts those cells afresh.

use crate::commands::UsageError;
use anyhow::Result;
use jsbench_runner::manifest::{self, Workload};
use jsbench_schema::{BackendInfo, Results, WorkloadInfo};
use std::fmt;
use std::path::Path;

/// Something that differs between a results file and this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A workload's module source changed.
    Module {
        /// The workload.
        workload: String,
    },
    /// A workload's manifest definition (inputs, outputs) changed.
    Definition {
        /// The workload.
        workload: String,
    },
    /// A backend's engine version or flags changed.
    Backend {
        /// The backend.
        backend: String,
        /// What the file recorded.
        was: String,
        /// What runs now.
        now: String,
    },
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Module { workload } => write!(f, "the module of workload `{workload}` changed"),
            Change::Definition { workload } => {
                write!(
                    f,
                    "the manifest definition (inputs or expected outputs) of workload `{workload}` changed"
                )
            }
            Change::Backend { backend, was, now } => write!(f, "backend `{backend}` was {was} and is now {now}"),
        }
    }
}

/// What differs between the file and the workloads and backends of this run.
pub fn changes(file: &Results, workloads: &[WorkloadInfo], backends: &[BackendInfo]) -> Vec<Change> {
    let mut found = Vec::new();
    for now in workloads {
        let Some(was) = file.workloads.iter().find(|w| w.name == now.name) else {
            continue;
        };
        if was.source_sha256 != now.source_sha256 {
            found.push(Change::Module {
                workload: now.name.clone(),
            });
        } else if let (Some(a), Some(b)) = (&was.definition_sha256, &now.definition_sha256)
            && a != b
        {
            found.push(Change::Definition {
                workload: now.name.clone(),
            });
        }
    }
    for now in backends.iter().filter(|b| b.unavailable.is_none()) {
        let Some(was) = file
            .backends
            .iter()
            .find(|b| b.name == now.name && b.unavailable.is_none())
        else {
            continue;
        };
        let describe = |b: &BackendInfo| format!("{} {} (flags: {})", b.engine, b.engine_version, b.flags.join(" "));
        if was.engine_version != now.engine_version || was.flags != now.flags {
            found.push(Change::Backend {
                backend: now.name.clone(),
                was: describe(was),
                now: describe(now),
            });
        }
    }
    found
}

/// Refuses the changes, or with `force` drops the cells they touch so they
/// run again from scratch; the file's records of workloads then take this
/// run's.
pub fn reconcile(file: &mut Results, changed: &[Change], force: bool, path: &Path) -> Result<usize> {
    if changed.is_empty() {
        return Ok(0);
    }
    if !force {
        let list: Vec<String> = changed.iter().map(|c| format!("  - {c}")).collect();
        return Err(UsageError(format!(
            "cannot resume {}: it was measured with other code, and one cell must not mix the two:\n{}\n\
             Use --force to run the affected cells again from scratch, or start a new results file.",
            path.display(),
            list.join("\n")
        ))
        .into());
    }
    let before = file.cells.len();
    file.cells.retain(|cell| {
        !changed.iter().any(|c| match c {
            Change::Module { workload } | Change::Definition { workload } => &cell.workload == workload,
            Change::Backend { backend, .. } => &cell.backend == backend,
        })
    });
    Ok(before - file.cells.len())
}

/// Workloads of a resumed run: those given on the command line, else the
/// ones the file records (by name from the suite, or from the manifest the
/// file names when they are not in the suite).
pub fn workloads(file: &Results, suite: &[Workload], selectors: &[String]) -> Result<Vec<Workload>> {
    if !selectors.is_empty() {
        return Ok(manifest::select(suite, selectors)?);
    }
    let mut chosen = Vec::new();
    for info in &file.workloads {
        let found = match suite.iter().find(|w| w.name == info.name) {
            Some(w) => Some(w.clone()),
            None => manifest::load_manifest(Path::new(&info.manifest))
                .ok()
                .and_then(|all| all.into_iter().find(|w| w.name == info.name)),
        };
        let workload = found.ok_or_else(|| {
            UsageError(format!(
                "workload `{}` of the results file is neither in the suite nor in {}; give --workload to choose again",
                info.name, info.manifest
            ))
        })?;
        chosen.push(workload);
    }
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsbench_schema::{BackendKind, Capabilities, Cell, CellStatus, Machine, RunConfig};

    fn workload(name: &str, source: &str, definition: &str) -> WorkloadInfo {
        WorkloadInfo {
            name: name.into(),
            category: "compute".into(),
            description: String::new(),
            manifest: "m.toml".into(),
            source_sha256: source.into(),
            definition_sha256: Some(definition.into()),
            module_bytes: None,
            bundle: None,
        }
    }

    fn backend(name: &str, version: &str) -> BackendInfo {
        BackendInfo {
            name: name.into(),
            engine: "QuickJS".into(),
            engine_version: version.into(),
            kind: BackendKind::Embedded,
            capabilities: Capabilities::default(),
            flags: Vec::new(),
            unavailable: None,
            baseline_memory: None,
        }
    }

    fn cell(backend: &str, workload: &str) -> Cell {
        Cell::new(backend, workload, "small", CellStatus::Ok)
    }

    fn file() -> Results {
        Results {
            schema_version: jsbench_schema::SCHEMA_VERSION,
            jsbench: crate::build_info::tool_info(),
            machine: Machine::default(),
            config: RunConfig {
                sizes: vec!["small".into()],
                samples: 3,
                warmup: 1,
                processes: 1,
                max_processes: None,
                precision: None,
                sample_ms: None,
                timeout_ms: 1000,
                memory_limit: 1 << 30,
                seed: 7,
                profile: "custom".into(),
                pin: None,
            },
            started_at: String::new(),
            finished_at: String::new(),
            backends: vec![backend("quickjs", "1")],
            workloads: vec![workload("fib", "a", "d"), workload("sort", "b", "d")],
            cells: vec![cell("quickjs", "fib"), cell("quickjs", "sort")],
            features: None,
            sandbox: None,
            density: Vec::new(),
            concurrency: Vec::new(),
            conformance: None,
            sizes: Vec::new(),
            transport_floor: Vec::new(),
        }
    }

    #[test]
    fn unchanged_code_resumes() {
        let file = file();
        assert!(changes(&file, &file.workloads.clone(), &file.backends.clone()).is_empty());
    }

    #[test]
    fn each_kind_of_change_is_named() {
        let file = file();
        let now = [
            workload("fib", "a2", "d"),
            workload("sort", "b", "d2"),
            workload("new", "x", "y"),
        ];
        let found = changes(&file, &now, &[backend("quickjs", "2")]);
        assert_eq!(
            found.iter().map(ToString::to_string).collect::<Vec<_>>(),
            vec![
                "the module of workload `fib` changed".to_string(),
                "the manifest definition (inputs or expected outputs) of workload `sort` changed".to_string(),
                "backend `quickjs` was QuickJS 1 (flags: ) and is now QuickJS 2 (flags: )".to_string(),
            ]
        );
    }

    #[test]
    fn changes_are_refused_unless_forced_which_drops_their_cells() {
        let mut file = file();
        let changed = [Change::Module { workload: "fib".into() }];
        let before = file.cells.len();
        let err = reconcile(&mut file, &changed, false, Path::new("r.json")).unwrap_err();
        assert!(
            err.to_string().contains("the module of workload `fib` changed"),
            "{err}"
        );
        assert_eq!(file.cells.len(), before, "a refusal changes nothing");
        let dropped = reconcile(&mut file, &changed, true, Path::new("r.json")).unwrap();
        assert!(file.cells.iter().all(|c| c.workload != "fib"));
        assert_eq!(dropped, before - file.cells.len());
    }
}
