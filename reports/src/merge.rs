//! Merging results files from several machines or shards into one: cells,
//! backends and workloads are unioned. The same cell in two files is an
//! error unless the caller prefers the first or the last one; the metadata
//! (machine, config, tool) of the first file is kept and every difference is
//! reported as a warning, since the schema has one machine per file.

use jsbench_schema::{Results, SCHEMA_VERSION};

/// What to do when two files have the same (backend, workload, size).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefer {
    /// Refuse to merge.
    Error,
    /// Keep the cell of the earlier file.
    First,
    /// Keep the cell of the later file.
    Last,
}

/// Errors merging.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// Nothing to merge.
    #[error("merge needs at least one results file")]
    Empty,
    /// A cell is in two files.
    #[error(
        "cell {backend} / {workload} ({size}) is in both {first} and {second}; \
         pass --prefer last (or first) to keep one of them"
    )]
    Clash {
        /// Backend.
        backend: String,
        /// Workload.
        workload: String,
        /// Size.
        size: String,
        /// The earlier file.
        first: String,
        /// The later file.
        second: String,
    },
}

/// The merged results and what differed between the inputs.
#[derive(Debug)]
pub struct Merged {
    /// The union.
    pub results: Results,
    /// Differences worth knowing (machines, configs, revisions).
    pub warnings: Vec<String>,
}

/// Merges `(name, results)` pairs in order; names are used in messages.
pub fn merge(inputs: Vec<(String, Results)>, prefer: Prefer) -> Result<Merged, MergeError> {
    let mut inputs = inputs.into_iter();
    let (first_name, mut merged) = inputs.next().ok_or(MergeError::Empty)?;
    merged.schema_version = SCHEMA_VERSION;
    let mut origin: Vec<String> = vec![first_name.clone(); merged.cells.len()];
    let mut warnings = Vec::new();
    for (name, other) in inputs {
        let differs = |what: &str, a: String, b: String, warnings: &mut Vec<String>| {
            if a != b {
                warnings.push(format!("{what} differs: {first_name} has {a}, {name} has {b}"));
            }
        };
        differs(
            "machine",
            format!("{} ({})", merged.machine.hostname, merged.machine.cpu_model),
            format!("{} ({})", other.machine.hostname, other.machine.cpu_model),
            &mut warnings,
        );
        differs(
            "git revision",
            format!("{:?}", merged.jsbench.git_revision),
            format!("{:?}", other.jsbench.git_revision),
            &mut warnings,
        );
        differs(
            "profile",
            merged.config.profile.clone(),
            other.config.profile.clone(),
            &mut warnings,
        );
        for backend in other.backends {
            if !merged.backends.iter().any(|b| b.name == backend.name) {
                merged.backends.push(backend);
            }
        }
        for workload in other.workloads {
            if !merged.workloads.iter().any(|w| w.name == workload.name) {
                merged.workloads.push(workload);
            }
        }
        for size in other.config.sizes {
            if !merged.config.sizes.contains(&size) {
                merged.config.sizes.push(size);
            }
        }
        if other.started_at < merged.started_at {
            merged.started_at = other.started_at;
        }
        if other.finished_at > merged.finished_at {
            merged.finished_at = other.finished_at;
        }
        for size in other.sizes {
            if !merged
                .sizes
                .iter()
                .any(|s| s.name == size.name && s.variant == size.variant)
            {
                merged.sizes.push(size);
            }
        }
        if merged.features.is_none() {
            merged.features = other.features;
        }
        if merged.conformance.is_none() {
            merged.conformance = other.conformance;
        }
        for cell in other.cells {
            let existing = merged
                .cells
                .iter()
                .position(|c| c.backend == cell.backend && c.workload == cell.workload && c.size == cell.size);
            match (existing, prefer) {
                (None, _) => {
                    merged.cells.push(cell);
                    origin.push(name.clone());
                }
                (Some(_), Prefer::First) => {}
                (Some(i), Prefer::Last) => {
                    merged.cells[i] = cell;
                    origin[i] = name.clone();
                }
                (Some(i), Prefer::Error) => {
                    return Err(MergeError::Clash {
                        backend: cell.backend,
                        workload: cell.workload,
                        size: cell.size,
                        first: origin[i].clone(),
                        second: name,
                    });
                }
            }
        }
    }
    // A stable order (the plan's sorted order) so merged shards diff cleanly.
    merged.cells.sort_by(|a, b| {
        (a.backend.as_str(), a.workload.as_str(), a.size.as_str()).cmp(&(
            b.backend.as_str(),
            b.workload.as_str(),
            b.size.as_str(),
        ))
    });
    warnings.dedup();
    Ok(Merged {
        results: merged,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::fixture;

    #[test]
    fn unions_cells_and_backends() {
        let a = fixture(&[("a", "w", &[1.0, 1.0, 1.0])]);
        let b = fixture(&[("b", "w", &[2.0, 2.0, 2.0]), ("a", "x", &[3.0, 3.0, 3.0])]);
        let m = merge(vec![("a.json".into(), a), ("b.json".into(), b)], Prefer::Error).unwrap();
        assert_eq!(m.results.cells.len(), 3);
        let names: Vec<&str> = m.results.backends.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert!(m.warnings.is_empty(), "{:?}", m.warnings);
    }

    #[test]
    fn a_clash_is_an_error_unless_a_side_is_preferred() {
        let a = fixture(&[("a", "w", &[1.0, 1.0, 1.0])]);
        let mut b = fixture(&[("a", "w", &[2.0, 2.0, 2.0])]);
        b.machine.hostname = "other".into();
        let inputs = || vec![("a.json".to_string(), a.clone()), ("b.json".to_string(), b.clone())];
        let err = merge(inputs(), Prefer::Error).unwrap_err();
        assert!(
            err.to_string().contains("a.json") && err.to_string().contains("--prefer last"),
            "{err}"
        );
        let last = merge(inputs(), Prefer::Last).unwrap();
        assert_eq!(last.results.cells[0].processes[0].samples[0], 2.0);
        assert!(last.warnings.iter().any(|w| w.contains("machine")));
        let first = merge(inputs(), Prefer::First).unwrap();
        assert_eq!(first.results.cells[0].processes[0].samples[0], 1.0);
        assert!(matches!(merge(vec![], Prefer::Error), Err(MergeError::Empty)));
    }
}
