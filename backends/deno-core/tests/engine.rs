//! deno_core's own behaviour on top of the backend contract: the
//! descriptor, the structured host op, promises on the event loop, module
//! loading and error locations.

use jsbench_api::{BackendError, ErrorKind, JsBackend, Limits, WorkloadModule};
use jsbench_deno_core::DenoCoreBackend;

fn loaded(source: &str) -> Result<DenoCoreBackend, BackendError> {
    let mut b = DenoCoreBackend::new();
    b.create(&Limits::default())?;
    b.load(&WorkloadModule {
        name: "test".into(),
        source: source.into(),
        path: None,
    })?;
    Ok(b)
}

#[test]
fn descriptor_names_v8_deno_core_and_the_flags() {
    let d = DenoCoreBackend::new().descriptor();
    assert_eq!(d.name, "deno-core");
    assert_eq!(d.engine, "V8");
    assert!(d.engine_version.contains("(deno_core 0.413.0)"), "{}", d.engine_version);
    assert!(
        d.engine_version.starts_with(|c: char| c.is_ascii_digit()),
        "{}",
        d.engine_version
    );
    assert!(d.flags.iter().any(|f| f == "--turbo_fast_api_calls"), "{:?}", d.flags);
    assert!(d.capabilities.host_callback && d.capabilities.host_value && d.capabilities.jit);
}

#[test]
fn structured_values_cross_through_serde_v8() {
    let mut b = loaded(
        "export function run() {\n  const a = jsbenchHostValue({ id: 3, name: 'dé😀', tags: ['x', '🚀'], point: { x: 1.5, y: -2 } });\n  return JSON.stringify(a);\n}",
    )
    .unwrap();
    assert_eq!(b.call("").unwrap(), r#"{"id":3,"units":7,"norm":6.25}"#);
    let mut b = loaded("export function run() { return String(jsbenchHostValue({ id: 'x' })); }").unwrap();
    let e = b.call("").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Exception, "{e}");
}

#[test]
fn never_settling_promise_is_an_exception() {
    let mut b = loaded("export function run() { return new Promise(() => {}); }").unwrap();
    let e = b.call("").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Exception, "{e}");
    assert!(e.to_string().contains("never settle"), "{e}");
}

#[test]
fn top_level_await_is_settled_at_load() {
    let mut b =
        loaded("const base = await Promise.resolve('tla');\nexport function run(s) { return base + s; }").unwrap();
    assert_eq!(b.call("!").unwrap(), "tla!");
}

#[test]
fn syntax_error_has_a_location() {
    let e = loaded("export function run() {\n  return 1 +;\n}").err().unwrap();
    match &e {
        BackendError::Syntax { message } => {
            assert!(message.contains("SyntaxError"), "{message}");
            assert!(message.contains("test.js:2:"), "location missing: {message}");
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn imports_are_refused_and_console_never_throws() {
    let e = loaded("import './other.js';\nexport function run() { return ''; }")
        .err()
        .unwrap();
    assert!(e.to_string().contains("imports are not supported"), "{e}");
    let mut b = loaded(
        "export function run() { console.log('x', { a: 1 }); console.error(Symbol('s')); return typeof console.log; }",
    )
    .unwrap();
    assert_eq!(b.call("").unwrap(), "function");
}

#[test]
fn a_runtime_loads_a_second_module() {
    let mut b = loaded("export function run() { return 'one'; }").unwrap();
    b.load(&WorkloadModule {
        name: "test".into(),
        source: "export function run() { return 'two'; }".into(),
        path: None,
    })
    .unwrap();
    assert_eq!(b.call("").unwrap(), "two");
}
