//! What the tuned V8 backends (`v8-codecache`, `v8-snapshot`) share: the
//! artefact cache folder they keep their files in, the cache key parts of
//! this V8 build, and the module a prepared artefact belongs to.

use jsbench_api::{BackendError, Nanos, WorkloadModule};
use jsbench_assets::artefact::ArtefactCache;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Longest a module's top level may run while an artefact is built at
/// `prepare` time (which has no per-call limit of its own).
pub(crate) const PREPARE_TIMEOUT: Duration = Duration::from_secs(60);

/// The artefact cache `kind` below `root`, or below the jsbench cache
/// folder when `root` is `None`.
pub(crate) fn cache(root: Option<&PathBuf>, kind: &str) -> Result<ArtefactCache, BackendError> {
    match root {
        Some(root) => ArtefactCache::open_in(root, kind),
        None => ArtefactCache::open(kind),
    }
    .map_err(cache_error)
}

/// A failure of the artefact cache, as the backend reports it.
pub(crate) fn cache_error(e: jsbench_assets::AssetError) -> BackendError {
    BackendError::Internal(format!("the V8 artefact cache: {e}"))
}

/// The engine part of a cache key: the V8 version and its flags.
pub(crate) fn engine_key(jitless: bool) -> String {
    format!("{} {}", crate::v8_version(), crate::platform::flags(jitless).join(" "))
}

/// Whether `module` is the one an artefact was prepared for.
pub(crate) fn same_module(a: &WorkloadModule, b: &WorkloadModule) -> bool {
    a.name == b.name && a.source == b.source && a.path == b.path
}

/// Nanoseconds since `since`.
pub(crate) fn nanos(since: Instant) -> Nanos {
    Nanos::try_from(since.elapsed().as_nanos()).unwrap_or(Nanos::MAX)
}
