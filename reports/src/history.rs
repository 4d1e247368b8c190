//! A history of runs in SQLite, keyed by git revision and machine
//! (host name + CPU model), so `jsbench report --history` can draw the
//! median of each cell over time. Adding a run for a revision and machine
//! that is already stored replaces it: the latest run of a revision wins.
//!
//! Each run keeps its whole results file (for re-export) and one row per
//! cell with the figures the trend charts need.

use crate::analysis::{cell_median, estimate_values};
use jsbench_schema::Results;
use jsbench_stats as stats;
use rusqlite::{Connection, params};
use std::path::Path;

/// Version of the database layout (SQLite `user_version`).
const LAYOUT_VERSION: i64 = 2;

/// The columns of the `runs` table (layout 2).
const RUNS_COLUMNS: &str = "
    id INTEGER PRIMARY KEY,
    revision TEXT NOT NULL,
    hostname TEXT NOT NULL,
    cpu_model TEXT NOT NULL,
    started_at TEXT NOT NULL,
    profile TEXT NOT NULL,
    jsbench_version TEXT NOT NULL,
    results TEXT NOT NULL
";

/// Layout 1 allowed one run per revision and machine; layout 2 keeps every
/// run under its own id. Rebuilding `runs` without the UNIQUE constraint
/// (a new table, the rows copied, the old one dropped, the new one renamed)
/// keeps every stored run and its id.
fn migrate_from_1() -> String {
    format!(
        "BEGIN;
CREATE TABLE runs_v2 ({RUNS_COLUMNS});
INSERT INTO runs_v2 SELECT id, revision, hostname, cpu_model, started_at, profile, jsbench_version, results FROM runs;
DROP TABLE runs;
ALTER TABLE runs_v2 RENAME TO runs;
COMMIT;"
    )
}

/// Errors of the history database.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// SQLite failed.
    #[error("history database {path}: {source}")]
    Sqlite {
        /// The database file.
        path: String,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// The file is a database of another layout.
    #[error("history database {path} has layout version {found}, this jsbench uses {LAYOUT_VERSION}")]
    Layout {
        /// The database file.
        path: String,
        /// The version found.
        found: i64,
    },
    /// The results could not be serialised.
    #[error("cannot store the results: {0}")]
    Json(#[from] serde_json::Error),
}

/// An open history database.
pub struct History {
    conn: Connection,
    path: String,
}

/// A stored run, as listed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StoredRun {
    /// Row id.
    pub id: i64,
    /// Git revision (or `unknown@<start time>`).
    pub revision: String,
    /// Host name.
    pub hostname: String,
    /// CPU model.
    pub cpu_model: String,
    /// Start of the run.
    pub started_at: String,
    /// Profile of the run.
    pub profile: String,
    /// Cells stored.
    pub cells: i64,
    /// Cells with a time.
    pub timed_cells: i64,
}

/// One point of a trend: a cell's median in one stored run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TrendPoint {
    /// Run row id.
    pub run_id: i64,
    /// Revision of the run.
    pub revision: String,
    /// Start of the run.
    pub started_at: String,
    /// Backend.
    pub backend: String,
    /// Workload.
    pub workload: String,
    /// Size.
    pub size: String,
    /// Median ns per operation.
    pub median: f64,
    /// Interval of the median, when there were enough samples.
    pub ci_low: Option<f64>,
    /// Interval of the median, when there were enough samples.
    pub ci_high: Option<f64>,
}

/// What `add` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    /// Row id of the run.
    pub id: i64,
    /// Ids of the stored runs of the same revision and machine that were
    /// replaced (only when asked to replace).
    pub replaced: Vec<i64>,
}

/// Layout 2: the tables, created when missing.
fn layout() -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS runs ({RUNS_COLUMNS});
CREATE TABLE IF NOT EXISTS cells (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    backend TEXT NOT NULL,
    workload TEXT NOT NULL,
    size TEXT NOT NULL,
    status TEXT NOT NULL,
    median REAL,
    ci_low REAL,
    ci_high REAL,
    peak_rss INTEGER,
    PRIMARY KEY (run_id, backend, workload, size)
);"
    )
}

impl History {
    /// Opens (creating if needed) the database at `path`.
    pub fn open(path: &Path) -> Result<History, HistoryError> {
        let shown = path.display().to_string();
        let sql = |source| HistoryError::Sqlite {
            path: shown.clone(),
            source,
        };
        let conn = Connection::open(path).map_err(sql)?;
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(sql)?;
        let has_tables: bool = conn
            .query_row("SELECT count(*) FROM sqlite_master WHERE name = 'runs'", [], |r| {
                r.get::<_, i64>(0)
            })
            .map_err(sql)?
            > 0;
        if has_tables && found == 1 {
            conn.execute_batch(&migrate_from_1()).map_err(sql)?;
        } else if has_tables && found != LAYOUT_VERSION {
            return Err(HistoryError::Layout { path: shown, found });
        }
        conn.execute_batch(&layout()).map_err(sql)?;
        conn.pragma_update(None, "user_version", LAYOUT_VERSION).map_err(sql)?;
        Ok(History { conn, path: shown })
    }

    fn sql(&self, source: rusqlite::Error) -> HistoryError {
        HistoryError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Stores a run under a new id. With `replace`, the stored runs of the
    /// same revision and machine are removed first; otherwise every run is
    /// kept.
    pub fn add(&mut self, results: &Results, replace: bool) -> Result<Added, HistoryError> {
        let revision = results
            .jsbench
            .git_revision
            .clone()
            .unwrap_or_else(|| format!("unknown@{}", results.started_at));
        let text = serde_json::to_string(results)?;
        let path = self.path.clone();
        let sql = |source| HistoryError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        let mut old: Vec<i64> = Vec::new();
        if replace {
            let mut find = tx
                .prepare("SELECT id FROM runs WHERE revision = ?1 AND hostname = ?2 AND cpu_model = ?3")
                .map_err(sql)?;
            let ids = find
                .query_map(
                    params![revision, results.machine.hostname, results.machine.cpu_model],
                    |r| r.get(0),
                )
                .map_err(sql)?;
            for id in ids {
                old.push(id.map_err(sql)?);
            }
        }
        for id in &old {
            tx.execute("DELETE FROM cells WHERE run_id = ?1", [id]).map_err(sql)?;
            tx.execute("DELETE FROM runs WHERE id = ?1", [id]).map_err(sql)?;
        }
        tx.execute(
            "INSERT INTO runs (revision, hostname, cpu_model, started_at, profile, jsbench_version, results)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                revision,
                results.machine.hostname,
                results.machine.cpu_model,
                results.started_at,
                results.config.profile,
                results.jsbench.version,
                text
            ],
        )
        .map_err(sql)?;
        let id = tx.last_insert_rowid();
        {
            let mut insert = tx
                .prepare(
                    "INSERT OR REPLACE INTO cells (run_id, backend, workload, size, status, median, ci_low, ci_high, peak_rss)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )
                .map_err(sql)?;
            for cell in &results.cells {
                let median = cell_median(cell);
                let ci = median.and_then(|_| stats::median_interval(&estimate_values(cell)));
                let status = serde_json::to_value(cell.status)?
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                let peak = cell
                    .processes
                    .iter()
                    .filter_map(|p| p.memory.peak_rss)
                    .max()
                    .and_then(|b| i64::try_from(b).ok());
                insert
                    .execute(params![
                        id,
                        cell.backend,
                        cell.workload,
                        cell.size,
                        status,
                        median,
                        ci.map(|c| c.low),
                        ci.map(|c| c.high),
                        peak
                    ])
                    .map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)?;
        Ok(Added { id, replaced: old })
    }

    /// Every stored run, oldest first.
    pub fn list(&self) -> Result<Vec<StoredRun>, HistoryError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT r.id, r.revision, r.hostname, r.cpu_model, r.started_at, r.profile,
                        count(c.run_id), count(c.median)
                 FROM runs r LEFT JOIN cells c ON c.run_id = r.id
                 GROUP BY r.id ORDER BY r.started_at, r.id",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(StoredRun {
                    id: r.get(0)?,
                    revision: r.get(1)?,
                    hostname: r.get(2)?,
                    cpu_model: r.get(3)?,
                    started_at: r.get(4)?,
                    profile: r.get(5)?,
                    cells: r.get(6)?,
                    timed_cells: r.get(7)?,
                })
            })
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.sql(e))
    }

    /// The medians of every timed cell over the stored runs of one machine,
    /// oldest run first.
    pub fn trends(&self, hostname: &str, cpu_model: &str) -> Result<Vec<TrendPoint>, HistoryError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT r.id, r.revision, r.started_at, c.backend, c.workload, c.size, c.median, c.ci_low, c.ci_high
                 FROM runs r JOIN cells c ON c.run_id = r.id
                 WHERE r.hostname = ?1 AND r.cpu_model = ?2 AND c.median IS NOT NULL
                 ORDER BY r.started_at, r.id",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map(params![hostname, cpu_model], |r| {
                Ok(TrendPoint {
                    run_id: r.get(0)?,
                    revision: r.get(1)?,
                    started_at: r.get(2)?,
                    backend: r.get(3)?,
                    workload: r.get(4)?,
                    size: r.get(5)?,
                    median: r.get(6)?,
                    ci_low: r.get(7)?,
                    ci_high: r.get(8)?,
                })
            })
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.sql(e))
    }
}

/// Renders the list of stored runs as a terminal table.
pub fn render_list(runs: &[StoredRun]) -> String {
    use comfy_table::presets::UTF8_FULL_CONDENSED;
    if runs.is_empty() {
        return "No runs stored yet; add one with `jsbench history add results.json`.\n".into();
    }
    let mut table = comfy_table::Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_header(vec!["id", "revision", "machine", "started", "profile", "cells (timed)"]);
    for r in runs {
        table.add_row(vec![
            r.id.to_string(),
            r.revision.clone(),
            format!("{} ({})", r.hostname, r.cpu_model),
            r.started_at.clone(),
            r.profile.clone(),
            format!("{} ({})", r.cells, r.timed_cells),
        ]);
    }
    format!("{table}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::fixture;

    #[test]
    fn add_list_replace_and_trend() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.sqlite");
        let mut h = History::open(&path).unwrap();
        let mut first = fixture(&[("a", "w", &[10.0, 11.0, 12.0]), ("a", "x", &[])]);
        first.jsbench.git_revision = Some("r1".into());
        first.started_at = "2026-01-01T00:00:00Z".into();
        let mut second = fixture(&[("a", "w", &[20.0, 21.0, 22.0])]);
        second.jsbench.git_revision = Some("r2".into());
        second.started_at = "2026-01-02T00:00:00Z".into();
        assert!(h.add(&first, false).unwrap().replaced.is_empty());
        let second_id = h.add(&second, false).unwrap().id;
        // The same revision and machine again is a run of its own...
        let mut one_cell = second.clone();
        one_cell.started_at = "2026-01-03T00:00:00Z".into();
        let third = h.add(&one_cell, false).unwrap();
        assert!(third.replaced.is_empty());
        assert_ne!(third.id, second_id);
        assert_eq!(h.list().unwrap().len(), 3);
        // ...unless replacing is asked for.
        let fourth = h.add(&second, true).unwrap();
        assert_eq!(fourth.replaced, vec![second_id, third.id]);
        drop(h);
        let h = History::open(&path).unwrap();
        let runs = h.list().unwrap();
        assert_eq!(runs.len(), 2);
        assert_eq!((runs[0].cells, runs[0].timed_cells), (2, 1));
        let trend = h.trends("box", "cpu").unwrap();
        let medians: Vec<(String, f64)> = trend.iter().map(|p| (p.revision.clone(), p.median)).collect();
        assert_eq!(medians, [("r1".to_string(), 11.0), ("r2".to_string(), 21.0)]);
        assert!(h.trends("elsewhere", "cpu").unwrap().is_empty());
        assert!(render_list(&runs).contains("r2"));
    }

    #[test]
    fn a_foreign_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.sqlite");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE runs (x); PRAGMA user_version = 7;")
            .unwrap();
        drop(conn);
        let err = History::open(&path).err().unwrap();
        assert!(err.to_string().contains("layout version 7"), "{err}");
    }

    #[test]
    fn a_layout_1_database_is_migrated_keeping_its_runs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.sqlite");
        let conn = Connection::open(&path).unwrap();
        let v1 = layout().replace(
            "results TEXT NOT NULL\n)",
            "results TEXT NOT NULL,\n    UNIQUE (revision, hostname, cpu_model)\n)",
        );
        assert!(v1.contains("UNIQUE"), "the test builds a layout-1 table");
        conn.execute_batch(&v1).unwrap();
        conn.execute_batch(
            "INSERT INTO runs VALUES (5, 'r1', 'box', 'cpu', '2026-01-01T00:00:00Z', 'quick', '0.1.0', '{}');
             PRAGMA user_version = 1;",
        )
        .unwrap();
        drop(conn);
        let mut h = History::open(&path).unwrap();
        assert_eq!(h.list().unwrap().len(), 1);
        let mut run = fixture(&[("a", "w", &[10.0, 11.0, 12.0])]);
        run.jsbench.git_revision = Some("r1".into());
        h.add(&run, false).unwrap();
        assert_eq!(
            h.list().unwrap().len(),
            2,
            "the same revision and machine is stored again"
        );
    }
}
