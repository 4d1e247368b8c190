//! `quickjs-bytecode`: the module compiled to QuickJS bytecode at `prepare`
//! time (`JS_WriteObject` of the declared module), kept in the artefact
//! cache (`jsbench_assets::artefact`, kind [`CACHE_KIND`]) and read back at
//! `load` (`JS_ReadObject`) instead of parsing the source.
//!
//! The cache key covers the module's name and source, the QuickJS build
//! and the write flags, so another QuickJS version is another key (a miss,
//! never a stale hit). QuickJS does not validate bytecode it reads, so a
//! file is used only when its SHA-256 sidecar matches; a truncated or
//! altered file is a miss and is compiled again.

use crate::{QUICKJS_VERSION, internal, to_backend_error};
use jsbench_api::{BackendError, BuildCosts, Nanos, WorkloadModule};
use jsbench_assets::artefact::{self, ArtefactCache};
use rquickjs::module::WriteOptions;
use rquickjs::{CatchResultExt, Context, Module, Runtime};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// The backend's name, on the command line and in results.
pub const NAME: &str = "quickjs-bytecode";

/// The artefact-cache folder of QuickJS bytecode.
pub const CACHE_KIND: &str = "quickjs-bytecode";

/// The flag the descriptor reports.
pub(crate) const FLAG: &str = "module loaded from bytecode compiled at prepare time";

/// The bytecode of one module source.
#[derive(Debug, Clone)]
struct Prepared {
    name: String,
    source: String,
    code: Arc<[u8]>,
}

/// The bytecode side of a `quickjs-bytecode` backend: where it caches, and
/// the bytecode prepared last.
#[derive(Debug, Clone)]
pub(crate) struct Bytecode {
    /// Cache root; `None`: the jsbench cache folder.
    root: Option<PathBuf>,
    prepared: Option<Prepared>,
}

/// The write options, fixed: native endianness, source and debug
/// information kept (stack traces keep their lines, `toString` its text).
fn write_options() -> WriteOptions {
    WriteOptions::default()
}

/// The cache key of a module's bytecode for a QuickJS build.
pub fn key(name: &str, source: &str, engine_version: &str) -> String {
    let flags = write_options().to_flag().to_le_bytes();
    artefact::key(&[
        ("name", name.as_bytes()),
        ("source", source.as_bytes()),
        ("quickjs", engine_version.as_bytes()),
        ("write-flags", &flags),
    ])
}

/// Compiles `source` to module bytecode in a scratch runtime.
pub fn compile(name: &str, source: &str) -> Result<Vec<u8>, BackendError> {
    let runtime = Runtime::new().map_err(internal)?;
    let context = Context::full(&runtime).map_err(internal)?;
    context.with(|ctx| {
        let declared = Module::declare(ctx.clone(), name, source)
            .catch(&ctx)
            .map_err(|e| to_backend_error(e, true))?;
        declared
            .write(write_options())
            .catch(&ctx)
            .map_err(|e| to_backend_error(e, false))
    })
}

fn nanos(since: Instant) -> Nanos {
    Nanos::try_from(since.elapsed().as_nanos()).unwrap_or(Nanos::MAX)
}

impl Bytecode {
    pub(crate) fn new(root: Option<PathBuf>) -> Self {
        Bytecode { root, prepared: None }
    }

    fn cache(&self) -> Result<ArtefactCache, BackendError> {
        match &self.root {
            Some(root) => ArtefactCache::open_in(root, CACHE_KIND),
            None => ArtefactCache::open(CACHE_KIND),
        }
        .map_err(|e| BackendError::Internal(format!("the bytecode cache: {e}")))
    }

    /// Finds the module's bytecode in the cache or compiles and stores it.
    pub(crate) fn prepare(&mut self, module: &WorkloadModule) -> Result<BuildCosts, BackendError> {
        let started = Instant::now();
        let cache = self.cache()?;
        let key = key(&module.name, &module.source, QUICKJS_VERSION);
        let cache_error = |e: jsbench_assets::AssetError| BackendError::Internal(format!("the bytecode cache: {e}"));
        let (code, cache_hit, compile_ns) = match cache.read(&key, "qjsbc").map_err(cache_error)? {
            Some((_, code)) => (code, true, None),
            None => {
                let compiling = Instant::now();
                let code = compile(&module.name, &module.source)?;
                let compile_ns = nanos(compiling);
                cache.put(&key, "qjsbc", &code).map_err(cache_error)?;
                (code, false, Some(compile_ns))
            }
        };
        let artefact_bytes = code.len() as u64;
        self.prepared = Some(Prepared {
            name: module.name.clone(),
            source: module.source.clone(),
            code: code.into(),
        });
        Ok(BuildCosts {
            prepare_ns: nanos(started),
            cache_hit,
            compile_ns,
            artefact_bytes: Some(artefact_bytes),
            ..BuildCosts::default()
        })
    }

    /// The bytecode of `module`, prepared now if the last `prepare` was of
    /// another module (then counted in `load`).
    pub(crate) fn for_module(&mut self, module: &WorkloadModule) -> Result<Arc<[u8]>, BackendError> {
        let current = self
            .prepared
            .as_ref()
            .is_some_and(|p| p.name == module.name && p.source == module.source);
        if !current {
            self.prepare(module)?;
        }
        self.prepared
            .as_ref()
            .map(|p| Arc::clone(&p.code))
            .ok_or_else(|| jsbench_api::not_ready("load"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsbench_api::{JsBackend, Limits};

    const SOURCE: &str = "function twice(s) { return s + s; }\nexport function run(input) { return twice(input); }\n";

    fn module() -> WorkloadModule {
        WorkloadModule {
            name: "twice".into(),
            source: SOURCE.into(),
            path: None,
        }
    }

    fn run_once(root: &std::path::Path) -> (BuildCosts, String) {
        let mut backend = crate::QuickJsBackend::bytecode_in(root);
        let costs = backend.prepare(&module()).unwrap().expect("bytecode has build costs");
        backend.create(&Limits::default()).unwrap();
        backend.load(&module()).unwrap();
        (costs, backend.call("ab").unwrap())
    }

    #[test]
    fn miss_then_hit() {
        let root = tempfile::tempdir().unwrap();
        let (first, out) = run_once(root.path());
        assert_eq!(out, "abab");
        assert!(!first.cache_hit && first.compile_ns.is_some());
        assert!(first.artefact_bytes.is_some_and(|b| b > 0));
        let (second, out) = run_once(root.path());
        assert_eq!(out, "abab");
        assert!(second.cache_hit, "{second:?}");
        assert_eq!(second.compile_ns, None);
        assert_eq!(second.artefact_bytes, first.artefact_bytes);
    }

    #[test]
    fn another_engine_version_or_source_is_another_key() {
        let k = key("twice", SOURCE, QUICKJS_VERSION);
        assert_ne!(k, key("twice", SOURCE, "0.0.1 (another QuickJS)"));
        assert_ne!(k, key("twice", "export function run() { return ''; }", QUICKJS_VERSION));
        assert_ne!(k, key("thrice", SOURCE, QUICKJS_VERSION));
        // Bytecode stored under another version's key is never read.
        let root = tempfile::tempdir().unwrap();
        let cache = ArtefactCache::open_in(root.path(), CACHE_KIND).unwrap();
        let stale = key("twice", SOURCE, "0.0.1 (another QuickJS)");
        cache.put(&stale, "qjsbc", b"not bytecode of this build").unwrap();
        let (costs, out) = run_once(root.path());
        assert!(!costs.cache_hit);
        assert_eq!(out, "abab");
    }

    #[test]
    fn truncated_or_altered_bytecode_is_compiled_again() {
        let root = tempfile::tempdir().unwrap();
        let (first, _) = run_once(root.path());
        let cache = ArtefactCache::open_in(root.path(), CACHE_KIND).unwrap();
        let path = cache.path(&key("twice", SOURCE, QUICKJS_VERSION), "qjsbc");
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        let (again, out) = run_once(root.path());
        assert!(!again.cache_hit, "a truncated file is a miss");
        assert_eq!(out, "abab");
        // Same length, other bytes (QuickJS would read garbage).
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        std::fs::write(&path, &bytes).unwrap();
        let (again, out) = run_once(root.path());
        assert!(!again.cache_hit, "an altered file is a miss");
        assert_eq!(out, "abab");
        assert_eq!(again.artefact_bytes, first.artefact_bytes);
    }

    #[test]
    fn load_without_prepare_compiles_and_a_new_source_is_prepared_again() {
        let root = tempfile::tempdir().unwrap();
        let mut backend = crate::QuickJsBackend::bytecode_in(root.path());
        backend.create(&Limits::default()).unwrap();
        backend.load(&module()).unwrap();
        assert_eq!(backend.call("x").unwrap(), "xx");
        let other = WorkloadModule {
            source: "export function run(input) { return input.length + ''; }".into(),
            ..module()
        };
        backend.create(&Limits::default()).unwrap();
        backend.load(&other).unwrap();
        assert_eq!(backend.call("abc").unwrap(), "3");
    }

    #[test]
    fn syntax_errors_come_from_prepare() {
        let root = tempfile::tempdir().unwrap();
        let mut backend = crate::QuickJsBackend::bytecode_in(root.path());
        let bad = WorkloadModule {
            source: "export function run( {".into(),
            ..module()
        };
        let error = backend.prepare(&bad).unwrap_err();
        assert!(matches!(error, BackendError::Syntax { .. }), "{error:?}");
    }
}
