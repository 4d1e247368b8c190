//! What the tuned V8 backends (`v8-codecache`, `v8-snapshot`, and
//! `deno-core-snapshot` on the same V8) share: the artefact cache folder
//! they keep their files in, the cache key parts of this V8 build, the
//! module a prepared artefact belongs to, and the blobs kept for the life
//! of the process.

use jsbench_api::{BackendError, BuildCosts, Bytes, Nanos, WorkloadModule};
use jsbench_assets::artefact::ArtefactCache;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Longest a module's top level may run while an artefact is built at
/// `prepare` time (which has no per-call limit of its own).
pub const PREPARE_TIMEOUT: Duration = Duration::from_secs(60);

/// The artefact cache `kind` below `root`, or below the jsbench cache
/// folder when `root` is `None`.
pub fn cache(root: Option<&PathBuf>, kind: &str) -> Result<ArtefactCache, BackendError> {
    match root {
        Some(root) => ArtefactCache::open_in(root, kind),
        None => ArtefactCache::open(kind),
    }
    .map_err(cache_error)
}

/// A failure of the artefact cache, as the backend reports it.
pub fn cache_error(e: jsbench_assets::AssetError) -> BackendError {
    BackendError::Internal(format!("the V8 artefact cache: {e}"))
}

/// The engine part of a cache key: the V8 version and the flags of the
/// `v8` backends.
pub fn engine_key(jitless: bool) -> String {
    format!("{} {}", crate::v8_version(), crate::platform::flags(jitless).join(" "))
}

/// Whether `module` is the one an artefact was prepared for.
pub fn same_module(a: &WorkloadModule, b: &WorkloadModule) -> bool {
    a.name == b.name && a.source == b.source && a.path == b.path
}

/// Nanoseconds since `since`.
pub fn nanos(since: Instant) -> Nanos {
    Nanos::try_from(since.elapsed().as_nanos()).unwrap_or(Nanos::MAX)
}

/// `blob`, kept for the life of the process under `key`: an isolate reads
/// its snapshot in place, and creating one from a borrowed blob copies
/// nothing. Each distinct key is kept once (a second blob under a kept key
/// is dropped and the first returned).
pub fn kept(key: &str, blob: Vec<u8>) -> &'static [u8] {
    static KEPT: Mutex<Option<HashMap<String, &'static [u8]>>> = Mutex::new(None);
    let mut kept = KEPT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let kept = kept.get_or_insert_with(HashMap::new);
    kept.entry(key.to_string())
        .or_insert_with(|| Box::leak(blob.into_boxed_slice()))
}

/// The cache key of an artefact of `module`: its name, origin (the file it
/// came from) and source, then `engine`'s labelled parts (the engine's
/// version, flags and whatever else the artefact depends on).
pub fn module_key(module: &WorkloadModule, engine: &[(&str, &[u8])]) -> String {
    let origin = module
        .path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("name", module.name.as_bytes()),
        ("origin", origin.as_bytes()),
        ("source", module.source.as_bytes()),
    ];
    parts.extend_from_slice(engine);
    jsbench_assets::artefact::key(&parts)
}

/// A start-up snapshot from the artefact cache `kind` (below `root`, see
/// [`cache`]) under `key`, or made by `build` and stored when it is
/// missing, damaged (its checksum fails) or not `valid`; kept for the life
/// of the process ([`kept`]), with what it cost.
pub fn cached_snapshot(
    root: Option<&PathBuf>,
    kind: &str,
    key: &str,
    ext: &str,
    valid: impl Fn(&[u8]) -> bool,
    build: impl FnOnce() -> Result<Vec<u8>, BackendError>,
) -> Result<(&'static [u8], BuildCosts), BackendError> {
    let started = Instant::now();
    let cache = cache(root, kind)?;
    let (blob, cache_hit, compile_ns) = match cache.read(key, ext).map_err(cache_error)? {
        Some((_, bytes)) if valid(&bytes) => (bytes, true, None),
        _ => {
            let building = Instant::now();
            let bytes = build()?;
            let compile_ns = nanos(building);
            cache.put(key, ext, &bytes).map_err(cache_error)?;
            (bytes, false, Some(compile_ns))
        }
    };
    let costs = BuildCosts {
        prepare_ns: nanos(started),
        cache_hit,
        compile_ns,
        artefact_bytes: Some(blob.len() as Bytes),
        ..BuildCosts::default()
    };
    Ok((kept(key, blob), costs))
}
