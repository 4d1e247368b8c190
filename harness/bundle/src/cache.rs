//! Bundles in the artefact cache (`<cache>/bundles/`), in two steps:
//!
//! - an index entry, keyed by the entry's path and the options, lists the
//!   input files of the last bundle built from that entry
//!   (`<key>.inputs.json`);
//! - the bundle itself (`<key>.mjs`) is keyed by the bytes of every one of
//!   those inputs (with their paths relative to the entry), the project's
//!   lock file, the esbuild version, the bundling script and the options.
//!
//! So a change to any input, a new package version or another esbuild is a
//! miss, and a hit needs neither Node nor esbuild: only the inputs are read
//! and hashed. An import added to a file changes that file, so the list of
//! inputs is never stale on a hit.

use crate::{BundleError, BundleRequest, Bundled, esbuild, toolchain};
use jsbench_assets::artefact::{self, ArtefactCache};
use std::path::{Path, PathBuf};

/// The artefact kind (folder of the cache) bundles live in.
pub const KIND: &str = "bundles";
/// Lock files whose bytes go into the key, nearest first.
const LOCK_FILES: [&str; 4] = [
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
];

/// Bundles `request.entry`, from the cache when it can (see the module
/// doc), in the user's cache folder.
pub fn bundle(request: &BundleRequest) -> Result<Bundled, BundleError> {
    bundle_in(&ArtefactCache::open(KIND)?, request)
}

/// [`bundle`] with the given artefact cache.
pub fn bundle_in(cache: &ArtefactCache, request: &BundleRequest) -> Result<Bundled, BundleError> {
    let entry = std::fs::canonicalize(&request.entry).map_err(|_| BundleError::MissingEntry(request.entry.clone()))?;
    let request = BundleRequest {
        entry,
        external: {
            let mut external = request.external.clone();
            external.sort();
            external.dedup();
            external
        },
    };
    let index = index_key(&request);
    if let Some(hit) = lookup(cache, &index, &request)? {
        return Ok(hit);
    }
    let script = toolchain::ensure_installed()?;
    let built = esbuild::build(&script, &request)?;
    let key = content_key(&request, &built.inputs, &built.version)?;
    let stored = cache.put(&key, "mjs", built.code.as_bytes())?;
    let listed = serde_json::to_vec(&built.inputs).unwrap_or_default();
    cache.put(&index, "inputs.json", &listed)?;
    Ok(Bundled {
        sha256: artefact::sha256_hex(built.code.as_bytes()),
        bytes: stored.bytes,
        path: stored.path,
        inputs: built.inputs.len(),
        esbuild_version: built.version,
        cache_hit: false,
        code: built.code,
    })
}

/// The bundle of the inputs listed for this entry, when those inputs are
/// all still there and their bundle is cached.
fn lookup(cache: &ArtefactCache, index: &str, request: &BundleRequest) -> Result<Option<Bundled>, BundleError> {
    let Some((_, listed)) = cache.read(index, "inputs.json")? else {
        return Ok(None);
    };
    let Ok(inputs) = serde_json::from_slice::<Vec<PathBuf>>(&listed) else {
        return Ok(None);
    };
    let version = toolchain::pinned_version();
    let Ok(key) = content_key(request, &inputs, &version) else {
        // An input is gone: build again, which says what is missing.
        return Ok(None);
    };
    let Some((cached, bytes)) = cache.read(&key, "mjs")? else {
        return Ok(None);
    };
    let Ok(code) = String::from_utf8(bytes) else {
        return Ok(None);
    };
    Ok(Some(Bundled {
        sha256: artefact::sha256_hex(code.as_bytes()),
        bytes: cached.bytes,
        path: cached.path,
        inputs: inputs.len(),
        esbuild_version: version,
        cache_hit: true,
        code,
    }))
}

fn options_text(request: &BundleRequest) -> String {
    format!("external={}", request.external.join("\n"))
}

fn index_key(request: &BundleRequest) -> String {
    let entry = request.entry.to_string_lossy();
    let options = options_text(request);
    artefact::key(&[
        ("index-of", entry.as_bytes()),
        ("options", options.as_bytes()),
        ("script", toolchain::SCRIPT_SOURCE.as_bytes()),
    ])
}

/// The key over everything the bundle depends on; an error when an input
/// cannot be read. Paths go in relative to the project (the folder of the
/// lock file, else the entry's), so one project in two places, such as the
/// suite installed by two builds, shares its bundles.
fn content_key(request: &BundleRequest, inputs: &[PathBuf], version: &str) -> Result<String, BundleError> {
    let entry_dir = request.entry.parent().unwrap_or(Path::new("/"));
    let lock_path = nearest_lock_file(entry_dir);
    let base = lock_path.as_deref().and_then(Path::parent).unwrap_or(entry_dir);
    let options = options_text(request);
    let lock = lock_path
        .as_ref()
        .map(|path| std::fs::read(path).map_err(BundleError::io("reading", path)))
        .transpose()?
        .unwrap_or_default();
    let entry_name = request
        .entry
        .strip_prefix(base)
        .unwrap_or(&request.entry)
        .to_string_lossy()
        .into_owned();
    let mut owned: Vec<(String, Vec<u8>)> = vec![
        ("entry".into(), entry_name.into_bytes()),
        ("options".into(), options.into_bytes()),
        ("esbuild".into(), version.as_bytes().to_vec()),
        ("script".into(), toolchain::SCRIPT_SOURCE.as_bytes().to_vec()),
        ("lock".into(), lock),
    ];
    for input in inputs {
        let bytes = std::fs::read(input).map_err(BundleError::io("reading", input))?;
        let shown = input.strip_prefix(base).unwrap_or(input).to_string_lossy().into_owned();
        owned.push((format!("input {shown}"), bytes));
    }
    let parts: Vec<(&str, &[u8])> = owned.iter().map(|(l, b)| (l.as_str(), b.as_slice())).collect();
    Ok(artefact::key(&parts))
}

/// The lock file of the project the entry belongs to: the first one found
/// walking up from its folder.
pub fn nearest_lock_file(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .flat_map(|dir| LOCK_FILES.iter().map(move |name| dir.join(name)))
        .find(|path| path.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn request(dir: &Path) -> BundleRequest {
        BundleRequest {
            entry: dir.join("src/main.js").canonicalize().unwrap(),
            external: Vec::new(),
        }
    }

    #[test]
    fn the_key_follows_every_input_the_lock_file_and_the_version() {
        let dir = project(&[
            ("package-lock.json", "{}"),
            ("src/main.js", "import './a.js'"),
            ("src/a.js", "a"),
        ]);
        let req = request(dir.path());
        let inputs = vec![req.entry.clone(), dir.path().join("src/a.js").canonicalize().unwrap()];
        let key = content_key(&req, &inputs, "1").unwrap();
        assert_eq!(key, content_key(&req, &inputs, "1").unwrap());
        assert_ne!(key, content_key(&req, &inputs, "2").unwrap(), "esbuild version");
        std::fs::write(dir.path().join("src/a.js"), "b").unwrap();
        let after_edit = content_key(&req, &inputs, "1").unwrap();
        assert_ne!(key, after_edit, "an input's bytes");
        std::fs::write(dir.path().join("package-lock.json"), "{\"v\":2}").unwrap();
        assert_ne!(after_edit, content_key(&req, &inputs, "1").unwrap(), "the lock file");
        let external = BundleRequest {
            external: vec!["fs".into()],
            ..req.clone()
        };
        assert_ne!(
            content_key(&req, &inputs, "1").unwrap(),
            content_key(&external, &inputs, "1").unwrap(),
            "the options"
        );
        std::fs::remove_file(dir.path().join("src/a.js")).unwrap();
        assert!(content_key(&req, &inputs, "1").is_err(), "a missing input is no key");
    }

    #[test]
    fn a_cached_bundle_is_found_without_esbuild_and_missed_after_an_edit() {
        let dir = project(&[("src/main.js", "export const x = 1;"), ("src/a.js", "a")]);
        let root = tempfile::tempdir().unwrap();
        let cache = ArtefactCache::open_in(root.path(), KIND).unwrap();
        let req = request(dir.path());
        let inputs = vec![req.entry.clone()];
        let index = index_key(&req);
        assert_eq!(lookup(&cache, &index, &req).unwrap(), None);
        let key = content_key(&req, &inputs, &toolchain::pinned_version()).unwrap();
        cache.put(&key, "mjs", b"bundled").unwrap();
        cache
            .put(&index, "inputs.json", &serde_json::to_vec(&inputs).unwrap())
            .unwrap();
        let hit = lookup(&cache, &index, &req).unwrap().unwrap();
        assert!(hit.cache_hit);
        assert_eq!(hit.code, "bundled");
        assert_eq!(hit.sha256, artefact::sha256_hex(b"bundled"));
        std::fs::write(&req.entry, "export const x = 2;").unwrap();
        assert_eq!(lookup(&cache, &index, &req).unwrap(), None, "an edited input is a miss");
    }

    #[test]
    fn the_nearest_lock_file_wins() {
        let dir = project(&[
            ("package-lock.json", "outer"),
            ("inner/yarn.lock", "inner"),
            ("inner/src/x", ""),
        ]);
        let found = nearest_lock_file(&dir.path().join("inner/src")).unwrap();
        assert_eq!(found, dir.path().join("inner/yarn.lock"));
        assert_eq!(nearest_lock_file(Path::new("/nonexistent/x")), None);
    }
}
