//! The results as CSV, one line per cell, for spreadsheets and scripts:
//! the median and its 95 % interval in nanoseconds, the ratios to the
//! fastest and to the baseline backend, counts, and the error of a cell
//! without a time. Written with the `csv` crate, so quoting is right.

use crate::analysis::Analysis;
use jsbench_schema::Results;
use serde::Serialize;

/// Why the CSV could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the CSV: {0}")]
pub struct CsvError(#[from] ::csv::Error);

/// One line of the CSV (its field names are the header).
#[derive(Debug, Serialize)]
struct Line<'a> {
    backend: &'a str,
    workload: &'a str,
    size: &'a str,
    category: &'a str,
    status: String,
    median_ns: Option<f64>,
    ci_low_ns: Option<f64>,
    ci_high_ns: Option<f64>,
    vs_fastest: Option<f64>,
    vs_baseline: Option<f64>,
    baseline: &'a str,
    samples: Option<u64>,
    processes: usize,
    instructions: Option<f64>,
    error: String,
}

/// Renders every cell of `results` as CSV, in the matrix's order.
pub fn render(results: &Results, analysis: &Analysis) -> Result<String, CsvError> {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    for row in &analysis.rows {
        for m in &row.cells {
            let Some(cell) = results.cell(&m.backend, &row.workload, &row.size) else {
                continue;
            };
            let status = serde_json::to_value(cell.status)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default();
            let error = cell.error.as_ref().map(crate::format::error_line).unwrap_or_default();
            writer.serialize(Line {
                backend: &m.backend,
                workload: &row.workload,
                size: &row.size,
                category: &row.category,
                status,
                median_ns: m.median,
                ci_low_ns: m.ci.map(|i| i.low),
                ci_high_ns: m.ci.map(|i| i.high),
                vs_fastest: m.vs_fastest,
                vs_baseline: m.vs_baseline,
                baseline: &analysis.baseline,
                samples: cell.summary.map(|s| s.count),
                processes: cell.processes.len(),
                instructions: cell.instructions,
                error,
            })?;
        }
    }
    let bytes = writer.into_inner().map_err(|e| CsvError(e.into_error().into()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, tests::fixture};

    #[test]
    fn parses_back_with_one_record_per_cell() {
        let mut r = fixture(&[
            ("a", "w1", &[10.0, 10.0, 10.0]),
            ("b", "w1", &[20.0, 20.0, 20.0]),
            ("b", "w2", &[]),
        ]);
        if let Some(e) = r.cells[2].error.as_mut() {
            e.message = "comma, \"quote\"\nsecond line".into();
        }
        let text = render(&r, &analyze(&r, Some("b")).unwrap()).unwrap();
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        let header = reader.headers().unwrap().clone();
        assert_eq!(&header[0], "backend");
        let records: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), 3);
        let field =
            |rec: &::csv::StringRecord, name: &str| rec[header.iter().position(|h| h == name).unwrap()].to_string();
        assert_eq!(field(&records[0], "median_ns").parse::<f64>().unwrap(), 10.0);
        assert_eq!(field(&records[0], "vs_baseline").parse::<f64>().unwrap(), 0.5);
        assert_eq!(field(&records[1], "vs_fastest").parse::<f64>().unwrap(), 2.0);
        assert_eq!(field(&records[2], "status"), "failed");
        assert_eq!(field(&records[2], "median_ns"), "");
        assert!(field(&records[2], "error").contains("comma, \"quote\""), "{text}");
    }
}
