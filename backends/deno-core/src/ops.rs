//! The harness's host environment as deno_core ops: `jsbenchHost` (the
//! host callback), `jsbenchHostValue` (a structured host call through
//! serde_v8) and the native side of the harness `console`, installed as
//! globals by a bootstrap script before any workload runs.

use deno_core::{Extension, OpDecl, op2};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// `jsbenchHost(s)`: the harness's host function (see
/// [`jsbench_api::host_callback`]).
#[op2]
#[string]
fn op_jsbench_host(#[string] arg: &str) -> String {
    jsbench_api::host_callback(arg)
}

/// The argument of `jsbenchHostValue` (workloads/embedding/host-value.js).
#[derive(Debug, Deserialize)]
struct Record {
    id: u32,
    name: String,
    tags: Vec<String>,
    point: Point,
}

#[derive(Debug, Deserialize)]
struct Point {
    x: f64,
    y: f64,
}

/// The answer of `jsbenchHostValue`: the record's id, the UTF-16 length of
/// its name and tags, and x² + y² of its point.
#[derive(Debug, Serialize, PartialEq)]
struct Summary {
    id: u32,
    units: usize,
    norm: f64,
}

fn summarise(record: &Record) -> Summary {
    let units = |s: &str| s.encode_utf16().count();
    Summary {
        id: record.id,
        units: units(&record.name) + record.tags.iter().map(|t| units(t)).sum::<usize>(),
        norm: record.point.x * record.point.x + record.point.y * record.point.y,
    }
}

/// `jsbenchHostValue(record)`: a structured value in and out through
/// serde_v8 (a record that does not fit is a TypeError in JavaScript).
#[op2]
#[serde]
fn op_jsbench_host_value(#[serde] record: Record) -> Summary {
    summarise(&record)
}

/// One console line (see [`jsbench_api::console_print`]).
#[op2(fast)]
fn op_jsbench_print(#[string] line: &str) {
    jsbench_api::console_print(line);
}

const OPS: &[OpDecl] = &[op_jsbench_host(), op_jsbench_host_value(), op_jsbench_print()];

/// The extension that registers the ops.
pub(crate) fn extension() -> Extension {
    Extension {
        name: "jsbench",
        ops: Cow::Borrowed(OPS),
        ..Default::default()
    }
}

/// Installs the globals: `jsbenchHost` calls the op on `${s}` (ToString,
/// as backends/v8 converts its argument: a Symbol throws),
/// `jsbenchHostValue` is the structured op itself, and the console prelude
/// takes its print function off the global object.
pub(crate) fn bootstrap_script() -> String {
    format!(
        "(() => {{\n  const {{ op_jsbench_host, op_jsbench_host_value, op_jsbench_print }} = Deno.core.ops;\n  \
         globalThis.{host} = (s) => op_jsbench_host(`${{s}}`);\n  \
         globalThis.{value} = op_jsbench_host_value;\n  \
         globalThis.{print} = (line) => op_jsbench_print(line);\n}})();\n{prelude}",
        host = jsbench_api::HOST_CALLBACK_NAME,
        value = jsbench_api::HOST_VALUE_NAME,
        print = jsbench_api::CONSOLE_PRINT_NAME,
        prelude = jsbench_api::CONSOLE_PRELUDE,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_counts_utf16_units() {
        let record = Record {
            id: 7,
            name: "dé😀".into(),
            tags: vec!["x".into(), "🚀".into()],
            point: Point { x: 1.5, y: -2.0 },
        };
        assert_eq!(
            summarise(&record),
            Summary {
                id: 7,
                units: 7,
                norm: 6.25
            }
        );
    }
}
