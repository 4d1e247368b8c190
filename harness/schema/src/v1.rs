//! Reading version-1 files: the JSON of a version-1 results file is
//! converted to version 2 before it is deserialised, so every reader
//! (`report`, `compare`, `merge`, `history`, `show`, `run --resume`) gets
//! version-2 types.
//!
//! What the conversion does, cell by cell:
//! - `error.phase` must name a [`Phase`]; another name is an error naming
//!   the file and the cell (version 2 would not know where the error was).
//! - `extra["prepare.*"]` becomes the cell's [`BuildCosts`]: `cache_hit`
//!   1.0/0.0 becomes a bool, `*_ms` figures nanoseconds, a `0` step time
//!   (version 1's "came from the cache") `None`. Version 1 gave every
//!   backend `prepare.cache_hit = 0` even with no build-time work, so a cell
//!   with only that figure gets no build costs.
//! - `extra["instructions"]` becomes `instructions`.
//! - each process's `counters` (`source` a string or null, `unavailable` a
//!   reason or null) becomes a [`CounterSource`](crate::CounterSource), or
//!   no counters where neither was set.
//!
//! Figures of `extra` with no version-2 field stay in `extra`. Anything
//! that is not of the shape version 1 wrote is left as it is, for the
//! deserialiser to report with the file's name.

use crate::{Bytes, Nanos, Phase, SCHEMA_VERSION, SchemaError};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// Prefix of the figures version 1 kept from `prepare` in a cell's `extra`.
const PREPARE: &str = "prepare.";
/// Version 1's key of the instruction count in a cell's `extra`.
const INSTRUCTIONS: &str = "instructions";

/// Converts a parsed version-1 file to version 2 in place.
pub(crate) fn upgrade(raw: &mut Value, path: &str) -> Result<(), SchemaError> {
    if let Some(cells) = raw.get_mut("cells").and_then(Value::as_array_mut) {
        for cell in cells.iter_mut().filter_map(Value::as_object_mut) {
            upgrade_cell(cell, path)?;
        }
    }
    if let Some(file) = raw.as_object_mut() {
        file.insert("schema_version".into(), SCHEMA_VERSION.into());
    }
    Ok(())
}

fn upgrade_cell(cell: &mut Map<String, Value>, path: &str) -> Result<(), SchemaError> {
    let name = cell_name(cell);
    if let Some(phase) = cell.get("error").and_then(|e| e.get("phase")).and_then(Value::as_str) {
        phase.parse::<Phase>().map_err(|source| SchemaError::UnknownPhase {
            path: path.to_string(),
            cell: name.clone(),
            source,
        })?;
    }
    let mut first_prepare = None;
    if let Some(processes) = cell.get_mut("processes").and_then(Value::as_array_mut) {
        first_prepare = processes
            .first()
            .and_then(|p| p.get("phases"))
            .and_then(|p| p.get("prepare"))
            .and_then(Value::as_u64);
        for process in processes.iter_mut().filter_map(Value::as_object_mut) {
            if let Some(counters) = process.get_mut("counters") {
                *counters = upgrade_counters(counters.take(), path, &name)?;
            }
        }
    }
    let Some(extra) = cell.remove("extra") else {
        return Ok(());
    };
    let Ok(mut figures) = BTreeMap::<String, f64>::deserialize(&extra) else {
        cell.insert("extra".into(), extra);
        return Ok(());
    };
    if let Some(instructions) = figures.remove(INSTRUCTIONS) {
        cell.insert("instructions".into(), instructions.into());
    }
    if let Some(build) = take_build_costs(&mut figures, first_prepare) {
        cell.insert("build".into(), build);
    }
    let rest: Map<String, Value> = figures.into_iter().map(|(k, v)| (k, v.into())).collect();
    cell.insert("extra".into(), Value::Object(rest));
    Ok(())
}

/// `backend/workload/size`, for messages.
fn cell_name(cell: &Map<String, Value>) -> String {
    let part = |key: &str| cell.get(key).and_then(Value::as_str).unwrap_or("?");
    format!("{}/{}/{}", part("backend"), part("workload"), part("size"))
}

/// The `prepare.*` figures, removed from `figures`, as version-2 build
/// costs; `None` when the backend did no build-time work.
fn take_build_costs(figures: &mut BTreeMap<String, f64>, first_prepare: Option<Nanos>) -> Option<Value> {
    let mut take = |name: &str| figures.remove(&format!("{PREPARE}{name}"));
    let cache_hit = take("cache_hit");
    let prepare_ms = take("prepare_ms");
    let componentize_ms = take("componentize_ms");
    let compile_ms = take("compile_ms");
    let component_bytes = take("component_bytes");
    let precompiled_bytes = take("precompiled_bytes");
    let built = [
        prepare_ms,
        componentize_ms,
        compile_ms,
        component_bytes,
        precompiled_bytes,
    ]
    .iter()
    .any(Option::is_some);
    let cache_hit = cache_hit.is_some_and(|hit| hit != 0.0);
    if !built && !cache_hit {
        return None;
    }
    // A step that did not run (its artefact was cached) was written as 0.
    let step = |ms: Option<f64>| ms.filter(|ms| *ms > 0.0).map(nanos_of_ms);
    Some(json!({
        "prepare_ns": prepare_ms.map(nanos_of_ms).or(first_prepare).unwrap_or(0),
        "cache_hit": cache_hit,
        "componentize_ns": step(componentize_ms),
        "compile_ns": step(compile_ms),
        "component_bytes": component_bytes.map(whole_bytes),
        "precompiled_bytes": precompiled_bytes.map(whole_bytes),
    }))
}

fn nanos_of_ms(ms: f64) -> Nanos {
    // `as` saturates: a negative or NaN figure becomes 0.
    (ms * 1e6).round() as Nanos
}

fn whole_bytes(bytes: f64) -> Bytes {
    bytes.round() as Bytes
}

/// Version 1's counters: the source and the reason as optional strings.
#[derive(Deserialize)]
struct CountersV1 {
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    instructions: Option<f64>,
    #[serde(default)]
    cycles: Option<f64>,
    #[serde(default)]
    unavailable: Option<String>,
}

fn upgrade_counters(counters: Value, path: &str, cell: &str) -> Result<Value, SchemaError> {
    let Ok(old) = CountersV1::deserialize(&counters) else {
        return Ok(counters);
    };
    if let Some(reason) = old.unavailable {
        return Ok(json!({ "source": "unavailable", "reason": reason }));
    }
    match old.source.as_deref() {
        // Version 1 wrote counts only with a source: nothing was measured.
        None => Ok(Value::Null),
        Some(source @ ("perf" | "callgrind")) => Ok(json!({
            "source": source,
            "instructions": old.instructions,
            "cycles": old.cycles,
        })),
        Some(other) => Err(SchemaError::UnknownCounterSource {
            path: path.to_string(),
            cell: cell.to_string(),
            found: other.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use crate::{BuildCosts, CellStatus, CounterSource, Counters, ErrorKind, Phase, Results, SchemaError};

    /// Written by hand in the version-1 layout: every kind of figure and
    /// counter version 1 wrote, a failed and an unsupported cell.
    const WASM: &str = include_str!("../fixtures/v1-handmade.json");
    /// Written by the version-1 jsbench: `jsbench run --quick -b
    /// quickjs,wasm-component -w fib` (the component cached, no PMU).
    const RUN: &str = include_str!("../fixtures/v1-run-quickjs-wasm.json");
    /// Written by the version-1 jsbench: `jsbench run --quick -b quickjs -w
    /// fib --counters callgrind`.
    const CALLGRIND: &str = include_str!("../fixtures/v1-run-callgrind.json");

    fn read(text: &str) -> Results {
        Results::from_json(text, "v1.json").expect("a version-1 file is read")
    }

    #[test]
    fn prepare_figures_become_build_costs() {
        let r = read(WASM);
        assert_eq!(r.schema_version, crate::SCHEMA_VERSION);
        let built = r.cell("wasm-component", "fib", "small").unwrap();
        assert_eq!(
            built.build,
            Some(BuildCosts {
                prepare_ns: 1_499_750_000,
                cache_hit: false,
                componentize_ns: Some(650_250_000),
                compile_ns: Some(800_500_000),
                component_bytes: Some(11_534_336),
                precompiled_bytes: Some(30_408_704),
                ..BuildCosts::default()
            })
        );
        assert!(built.extra.is_empty(), "{:?}", built.extra);
        let cached = r.cell("wasm-component", "echo", "small").unwrap().build.unwrap();
        assert!(cached.cache_hit);
        assert_eq!((cached.componentize_ns, cached.compile_ns), (None, None));
        assert_eq!(cached.prepare_ns, 2_500_000);
        // `prepare.cache_hit = 0` alone: a backend with no build-time work.
        assert_eq!(r.cell("quickjs", "fib", "small").unwrap().build, None);
    }

    #[test]
    fn files_the_version_1_jsbench_wrote_are_read() {
        let r = read(RUN);
        let wasm = r.cell("wasm-component", "fib", "small").unwrap();
        assert_eq!(
            wasm.build,
            Some(BuildCosts {
                prepare_ns: 260_742,
                cache_hit: true,
                componentize_ns: None,
                compile_ns: None,
                component_bytes: Some(11_973_708),
                precompiled_bytes: Some(37_051_264),
                ..BuildCosts::default()
            })
        );
        let quickjs = r.cell("quickjs", "fib", "small").unwrap();
        assert_eq!(quickjs.build, None);
        for cell in [wasm, quickjs] {
            assert!(cell.extra.is_empty(), "{:?}", cell.extra);
            assert_eq!(cell.instructions, None);
            let counters = cell.processes[0].counters.as_ref().unwrap();
            assert!(
                matches!(&counters.source, CounterSource::Unavailable { reason } if reason.contains("perf_event_open")),
                "{counters:?}"
            );
        }

        let r = read(CALLGRIND);
        let counted = r.cell("quickjs", "fib", "small").unwrap();
        assert_eq!(counted.instructions, Some(901574.3333333334));
        let counters = counted.processes[0].counters.as_ref().unwrap();
        assert_eq!(counters.source, CounterSource::Callgrind);
        assert_eq!(counters.instructions, counted.instructions);
        assert!(counted.build.is_none() && counted.extra.is_empty());
        for text in [RUN, CALLGRIND] {
            let r = read(text);
            let again = serde_json::to_string(&r).unwrap();
            assert_eq!(Results::from_json(&again, "v2.json").unwrap(), r);
        }
    }

    #[test]
    fn instructions_and_counters_are_typed() {
        let r = read(WASM);
        let perf = r.cell("wasm-component", "fib", "small").unwrap();
        assert_eq!(perf.instructions, Some(12001.0));
        assert_eq!(
            perf.processes[0].counters,
            Some(Counters {
                source: CounterSource::Perf,
                instructions: Some(12000.5),
                cycles: Some(9000.25),
            })
        );
        let callgrind = r.cell("wasm-component", "echo", "small").unwrap();
        let counted = callgrind.processes[0].counters.as_ref().unwrap();
        assert_eq!(counted.source, CounterSource::Callgrind);
        assert_eq!((counted.instructions, counted.cycles), (Some(5000.0), None));
        assert_eq!(r.cell("quickjs", "fib", "small").unwrap().processes[0].counters, None);
        let boa = r.cell("boa", "fib", "small").unwrap();
        assert_eq!(
            boa.processes[0].counters,
            Some(Counters::unavailable(
                "unavailable because perf_event_open for hardware instructions failed"
            ))
        );
        assert_eq!(boa.instructions, None);
        assert_eq!(boa.extra.get("custom_figure"), Some(&7.0), "unknown figures are kept");
    }

    #[test]
    fn error_phases_parse() {
        let r = read(WASM);
        let failed = r.cell("quickjs", "fib", "small").unwrap();
        assert_eq!(failed.status, CellStatus::Failed);
        let error = failed.error.as_ref().unwrap();
        assert_eq!((error.kind, error.phase), (ErrorKind::Timeout, Phase::FirstCall));
        let unsupported = r.cell("v8", "fib", "small").unwrap();
        assert_eq!(unsupported.error.as_ref().unwrap().phase, Phase::Create);
        assert!(unsupported.processes.is_empty() && unsupported.build.is_none());
    }

    #[test]
    fn a_converted_file_round_trips_as_version_2() {
        let r = read(WASM);
        let text = serde_json::to_string_pretty(&r).unwrap();
        assert!(text.contains("\"schema_version\": 2"), "{text}");
        assert!(!text.contains("prepare.cache_hit"), "{text}");
        assert_eq!(Results::from_json(&text, "v2.json").unwrap(), r);
    }

    #[test]
    fn an_unknown_phase_is_an_error_naming_the_file_and_cell() {
        let text = WASM.replace("\"first-call\"", "\"warm-up\"");
        let err = Results::from_json(&text, "old-run.json").unwrap_err();
        assert!(matches!(err, SchemaError::UnknownPhase { .. }), "{err}");
        let message = err.to_string();
        assert!(message.contains("old-run.json"), "{message}");
        assert!(message.contains("quickjs/fib/small"), "{message}");
        assert!(message.contains("`warm-up`"), "{message}");
    }

    #[test]
    fn an_unknown_counter_source_is_an_error_naming_the_file() {
        let text = WASM.replace("\"source\": \"callgrind\"", "\"source\": \"rdtsc\"");
        let err = Results::from_json(&text, "old-run.json").unwrap_err();
        assert!(matches!(err, SchemaError::UnknownCounterSource { .. }), "{err}");
        let message = err.to_string();
        assert!(message.contains("old-run.json") && message.contains("wasm-component/echo/small"));
        assert!(message.contains("`rdtsc`"), "{message}");
    }

    #[test]
    fn a_wrong_shape_is_left_to_the_deserialiser() {
        let text = WASM.replace("\"custom_figure\": 7.0", "\"custom_figure\": \"seven\"");
        let err = Results::from_json(&text, "odd.json").unwrap_err();
        assert!(matches!(err, SchemaError::Malformed { .. }), "{err}");
        assert!(err.to_string().contains("odd.json"), "{err}");
        let mut v: serde_json::Value = serde_json::from_str(WASM).unwrap();
        v["cells"] = 3.into();
        let err = Results::from_json(&v.to_string(), "odd.json").unwrap_err();
        assert!(matches!(err, SchemaError::Malformed { .. }), "{err}");
    }
}
