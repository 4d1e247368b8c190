//! Workload manifests: the TOML files that name a workload, its module, its
//! input sizes and its expected outputs (see `workloads/FORMAT.md`), and
//! discovery of workloads by name, path or glob.

use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A problem with a manifest or a workload reference; always names the file.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// A file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The TOML did not parse or did not match the manifest format.
    #[error("{path}: invalid manifest: {message}")]
    Invalid {
        /// The manifest.
        path: PathBuf,
        /// What is wrong, with line and column where known.
        message: String,
    },
    /// A workload name, path or glob matched nothing.
    #[error("no workload matches `{0}` (see `jsbench list`)")]
    NoMatch(String),
    /// Two manifests define the same workload name.
    #[error("workload `{name}` is defined twice: in {first} and in {second}")]
    Duplicate {
        /// The name.
        name: String,
        /// First manifest.
        first: PathBuf,
        /// Second manifest.
        second: PathBuf,
    },
}

/// How the input of one size is built.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum InputSpec {
    /// A literal string.
    Literal(String),
    /// `repeat` repeated and cut to exactly `length` bytes.
    Repeat {
        /// The ASCII text to repeat.
        repeat: String,
        /// Length of the input in bytes.
        length: usize,
    },
    /// The contents of a file, relative to the manifest's folder.
    File {
        /// The file.
        file: PathBuf,
    },
}

/// The expected output of every call.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Expected {
    /// Exactly this text.
    Exact(String),
    /// Text whose SHA-256 (lowercase hex) is this.
    Sha256(String),
}

impl Expected {
    /// Whether `output` is the expected output.
    pub fn matches(&self, output: &str) -> bool {
        match self {
            Expected::Exact(text) => output == text,
            Expected::Sha256(hash) => sha256_hex(output.as_bytes()).eq_ignore_ascii_case(hash),
        }
    }

    /// A short description of what was expected, for error messages.
    pub fn describe(&self) -> String {
        match self {
            Expected::Exact(text) => format!("`{}`", abbreviate(text, 120)),
            Expected::Sha256(hash) => format!("output with SHA-256 {hash}"),
        }
    }
}

/// Lowercase hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Cuts long text for messages, on a character boundary.
pub fn abbreviate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars).collect();
    format!("{cut}… ({} bytes in all)", text.len())
}

/// One input size of a workload, as written in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizeSpec {
    /// How the input is built.
    pub input: InputSpec,
    /// Exact expected output.
    #[serde(default)]
    pub expected: Option<String>,
    /// SHA-256 of the expected output.
    #[serde(default)]
    pub expected_sha256: Option<String>,
    /// Calls that make one timed operation.
    #[serde(default)]
    pub calls: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkload {
    name: String,
    category: String,
    description: String,
    #[serde(default)]
    module: Option<PathBuf>,
    #[serde(default)]
    entry: Option<PathBuf>,
    #[serde(default)]
    external: Vec<String>,
    #[serde(default)]
    inspired_by: Option<String>,
    #[serde(default)]
    requires: Vec<String>,
    sizes: BTreeMap<String, SizeSpec>,
}

/// A manifest holding several workloads as `[[workload]]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMany {
    workload: Vec<RawWorkload>,
}

/// A capability a workload needs from its backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// The global host function `jsbenchHost`.
    HostCallback,
    /// The global structured host function `jsbenchHostValue`.
    HostValue,
    /// Settling a Promise returned by `run`.
    Promises,
}

impl Requirement {
    fn parse(text: &str) -> Option<Requirement> {
        match text {
            "host_callback" => Some(Requirement::HostCallback),
            "host_value" => Some(Requirement::HostValue),
            "promises" => Some(Requirement::Promises),
            _ => None,
        }
    }

    /// Whether a backend with these capabilities meets the requirement.
    pub fn met_by(self, capabilities: &jsbench_schema::Capabilities) -> bool {
        match self {
            Requirement::HostCallback => capabilities.host_callback,
            Requirement::HostValue => capabilities.host_value,
            Requirement::Promises => capabilities.promises,
        }
    }

    /// The manifest spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Requirement::HostCallback => "host_callback",
            Requirement::HostValue => "host_value",
            Requirement::Promises => "promises",
        }
    }
}

/// A workload, validated and ready to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    /// Unique name.
    pub name: String,
    /// Category.
    pub category: String,
    /// One line on what it measures.
    pub description: String,
    /// Credit to the classic benchmark that inspired it.
    pub inspired_by: Option<String>,
    /// Capabilities it needs.
    pub requires: Vec<Requirement>,
    /// The manifest it came from.
    pub manifest: PathBuf,
    /// The module file.
    pub module_path: PathBuf,
    /// The module's source.
    pub source: String,
    /// Sizes by name.
    pub sizes: BTreeMap<String, Size>,
    /// For a workload given as an `entry` with imports: what to bundle.
    /// Until [`crate::entry::bundle_entries`] runs, `source` is empty.
    pub entry: Option<Entry>,
    /// The bundle made of `entry`, once made.
    pub bundle: Option<jsbench_schema::BundleInfo>,
    /// Why `entry` could not be bundled: every cell of the workload fails
    /// with this error.
    pub bundle_error: Option<jsbench_schema::CellError>,
}

/// A workload's entry module, bundled with its imports before it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The entry file.
    pub path: PathBuf,
    /// As the manifest names it (relative to the manifest's folder).
    pub shown: String,
    /// Imports the manifest marks external (left in the bundle as imports).
    pub external: Vec<String>,
}

/// One size of a workload, with its input built.
#[derive(Debug, Clone, PartialEq)]
pub struct Size {
    /// The input string.
    pub input: String,
    /// What every call must return.
    pub expected: Expected,
    /// Calls per timed operation.
    pub calls_per_op: u64,
}

/// Categories that run only when asked for by name, glob or path: they
/// test the harness rather than measure engines.
pub const OPT_IN_CATEGORIES: [&str; 1] = ["hostile"];

impl Workload {
    /// Whether the workload is left out of the default selection.
    pub fn is_opt_in(&self) -> bool {
        OPT_IN_CATEGORIES.contains(&self.category.as_str())
    }

    /// The module as backends take it.
    pub fn module(&self) -> jsbench_api::WorkloadModule {
        jsbench_api::WorkloadModule {
            name: self.name.clone(),
            source: self.source.clone(),
            path: Some(self.module_path.clone()),
        }
    }

    /// SHA-256 of what the manifest says of the workload: its requirements
    /// and every size's input, expected output and calls per operation. Two
    /// runs with the same module and the same definition measure the same
    /// thing.
    pub fn definition_sha256(&self) -> String {
        let mut text = String::new();
        for r in &self.requires {
            text.push_str(r.as_str());
            text.push('\0');
        }
        for (name, size) in &self.sizes {
            let expected = serde_json::to_string(&size.expected).unwrap_or_default();
            text.push_str(&format!("{name}\0{}\0{expected}\0{}\0", size.input, size.calls_per_op));
        }
        sha256_hex(text.as_bytes())
    }

    /// What the results file records about the workload.
    pub fn info(&self) -> jsbench_schema::WorkloadInfo {
        jsbench_schema::WorkloadInfo {
            name: self.name.clone(),
            category: self.category.clone(),
            description: self.description.clone(),
            manifest: self.manifest.display().to_string(),
            source_sha256: sha256_hex(self.source.as_bytes()),
            definition_sha256: Some(self.definition_sha256()),
            module_bytes: Some(self.source.len() as u64),
            bundle: self.bundle.clone(),
        }
    }
}

/// Reads every workload in one manifest file.
pub fn load_manifest(path: &Path) -> Result<Vec<Workload>, ManifestError> {
    let text = std::fs::read_to_string(path).map_err(|source| ManifestError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_manifest(&text, path)
}

/// Parses a manifest's text; `path` locates the module and data files and
/// names the file in errors.
pub fn parse_manifest(text: &str, path: &Path) -> Result<Vec<Workload>, ManifestError> {
    let invalid = |message: String| ManifestError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    // Parse as a TOML table first so syntax errors keep their line numbers,
    // then as one of the two manifest shapes.
    let table: toml::Table = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
    let raw: Vec<RawWorkload> = if table.contains_key("workload") {
        toml::from_str::<RawMany>(text)
            .map_err(|e| invalid(e.message().to_string()))?
            .workload
    } else {
        vec![toml::from_str::<RawWorkload>(text).map_err(|e| invalid(e.message().to_string()))?]
    };
    if raw.is_empty() {
        return Err(invalid("no workloads defined".into()));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut seen: Vec<&str> = Vec::new();
    for w in &raw {
        if seen.contains(&w.name.as_str()) {
            return Err(invalid(format!(
                "two [[workload]] tables are named `{}`; workload names must be unique",
                w.name
            )));
        }
        seen.push(&w.name);
    }
    raw.into_iter()
        .map(|w| validate(w, path, dir).map_err(invalid))
        .collect()
}

/// The modules a workload's source imports statically (`import … from "x"`,
/// `import "x"`, `export … from "x"`), with their line numbers. A workload
/// must be one self-contained module, so each of these is a reason not to
/// run it, said the same way on every backend.
pub fn static_imports(source: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut in_comment = false;
    let lines: Vec<&str> = source.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let text = line.trim_start();
        if in_comment {
            in_comment = !text.contains("*/");
            continue;
        }
        if text.starts_with("/*") && !text.contains("*/") {
            in_comment = true;
            continue;
        }
        let statement = if let Some(rest) = text.strip_prefix("import") {
            // Not `import(` (dynamic) nor `import.meta`.
            rest.starts_with([' ', '\t', '{', '*', '"', '\''])
        } else if let Some(rest) = text.strip_prefix("export") {
            // `export { … } from "x"` or `export * from "x"`.
            rest.trim_start().starts_with(['{', '*'])
        } else {
            false
        };
        if !statement {
            continue;
        }
        // The specifier may be on a later line of a multi-line import list.
        let tail: String = lines[i..lines.len().min(i + 50)].join("\n");
        if let Some(specifier) = specifier_of(&tail) {
            found.push((i + 1, specifier));
        }
    }
    found
}

/// The quoted module specifier of an import or re-export statement: right
/// after `import`, or after `from`, before the statement ends.
fn specifier_of(statement: &str) -> Option<String> {
    let quoted = |text: &str| -> Option<String> {
        let text = text.trim_start();
        let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let rest = &text[1..];
        Some(rest[..rest.find(quote)?].to_string())
    };
    if let Some(rest) = statement.strip_prefix("import")
        && let Some(s) = quoted(rest)
    {
        return Some(s);
    }
    let end = statement.find(';').unwrap_or(statement.len());
    let head = &statement[..end];
    let from = head.rfind("from")?;
    quoted(&head[from + 4..])
}

fn validate(raw: RawWorkload, manifest: &Path, dir: &Path) -> Result<Workload, String> {
    let name = raw.name;
    let context = |m: String| format!("workload `{name}`: {m}");
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(format!(
            "workload name `{name}` must be non-empty and use only a-z, 0-9 and `-`"
        ));
    }
    let requires = raw
        .requires
        .iter()
        .map(|r| {
            Requirement::parse(r).ok_or_else(|| {
                context(format!(
                    "unknown requirement `{r}` (known: host_callback, host_value, promises)"
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(entry) = raw.entry {
        if raw.module.is_some() {
            return Err(context("give `module` or `entry`, not both".into()));
        }
        let path = dir.join(&entry);
        if !path.is_file() {
            return Err(context(format!("cannot read entry {}: no such file", path.display())));
        }
        let shown = entry.display().to_string();
        let entry = Entry {
            path: path.clone(),
            shown,
            external: raw.external,
        };
        return finish(
            name,
            raw.category,
            raw.description,
            raw.inspired_by,
            requires,
            raw.sizes,
            manifest,
            dir,
            path,
            String::new(),
            Some(entry),
        );
    }
    if !raw.external.is_empty() {
        return Err(context("`external` needs an `entry` (only an entry is bundled)".into()));
    }
    let module_file = match raw.module {
        Some(m) => m,
        None => {
            let stem = manifest
                .file_stem()
                .ok_or_else(|| context("manifest has no file name".into()))?;
            PathBuf::from(stem).with_extension("js")
        }
    };
    let module_path = dir.join(&module_file);
    let source = std::fs::read_to_string(&module_path)
        .map_err(|e| context(format!("cannot read module {}: {e}", module_path.display())))?;
    finish(
        name,
        raw.category,
        raw.description,
        raw.inspired_by,
        requires,
        raw.sizes,
        manifest,
        dir,
        module_path,
        source,
        None,
    )
}

/// The rest of [`validate`]: the sizes, then the workload.
#[allow(clippy::too_many_arguments)]
fn finish(
    name: String,
    category: String,
    description: String,
    inspired_by: Option<String>,
    requires: Vec<Requirement>,
    raw_sizes: BTreeMap<String, SizeSpec>,
    manifest: &Path,
    dir: &Path,
    module_path: PathBuf,
    source: String,
    entry: Option<Entry>,
) -> Result<Workload, String> {
    let context = |m: String| format!("workload `{name}`: {m}");
    if raw_sizes.is_empty() {
        return Err(context("no [sizes] defined (needs at least `small`)".into()));
    }
    let mut sizes = BTreeMap::new();
    for (size_name, spec) in raw_sizes {
        let size = build_size(&spec, dir).map_err(|m| context(format!("size `{size_name}`: {m}")))?;
        sizes.insert(size_name, size);
    }
    Ok(Workload {
        name,
        category,
        description,
        inspired_by,
        requires,
        manifest: manifest.to_path_buf(),
        module_path,
        source,
        sizes,
        entry,
        bundle: None,
        bundle_error: None,
    })
}

fn build_size(spec: &SizeSpec, dir: &Path) -> Result<Size, String> {
    let input = match &spec.input {
        InputSpec::Literal(text) => text.clone(),
        InputSpec::Repeat { repeat, length } => {
            if repeat.is_empty() || !repeat.is_ascii() {
                return Err("`repeat` must be non-empty ASCII text".into());
            }
            if *length > 256 << 20 {
                return Err(format!("`length` {length} is over the 256 MiB input limit"));
            }
            repeat.chars().cycle().take(*length).collect()
        }
        InputSpec::File { file } => {
            let path = dir.join(file);
            std::fs::read_to_string(&path).map_err(|e| format!("cannot read input file {}: {e}", path.display()))?
        }
    };
    let expected = match (&spec.expected, &spec.expected_sha256) {
        (Some(text), None) => Expected::Exact(text.clone()),
        (None, Some(hash)) => {
            if hash.len() != 64 || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(format!("`expected_sha256` must be 64 hex digits, got `{hash}`"));
            }
            Expected::Sha256(hash.to_ascii_lowercase())
        }
        (Some(_), Some(_)) => return Err("give `expected` or `expected_sha256`, not both".into()),
        (None, None) => return Err("missing `expected` or `expected_sha256`".into()),
    };
    let calls_per_op = spec.calls.unwrap_or(1);
    if calls_per_op == 0 {
        return Err("`calls` must be at least 1".into());
    }
    Ok(Size {
        input,
        expected,
        calls_per_op,
    })
}

/// Every manifest (`*.toml`) below a folder, sorted.
pub fn find_manifests(root: &Path) -> Result<Vec<PathBuf>, ManifestError> {
    let pattern = root.join("**").join("*.toml");
    let pattern = pattern.to_string_lossy();
    let mut found: Vec<PathBuf> = glob::glob(&pattern)
        .map_err(|e| ManifestError::Invalid {
            path: root.to_path_buf(),
            message: e.to_string(),
        })?
        .filter_map(Result::ok)
        // npm packages installed beside entries are not workloads.
        .filter(|path| !path.components().any(|c| c.as_os_str() == "node_modules"))
        .collect();
    found.sort();
    Ok(found)
}

/// Loads the whole suite below `root`, rejecting duplicate names.
pub fn load_suite(root: &Path) -> Result<Vec<Workload>, ManifestError> {
    let mut all: Vec<Workload> = Vec::new();
    for manifest in find_manifests(root)? {
        for workload in load_manifest(&manifest)? {
            push_unique(&mut all, workload)?;
        }
    }
    Ok(all)
}

fn push_unique(all: &mut Vec<Workload>, workload: Workload) -> Result<(), ManifestError> {
    if let Some(existing) = all.iter().find(|w| w.name == workload.name) {
        return Err(ManifestError::Duplicate {
            name: workload.name,
            first: existing.manifest.clone(),
            second: workload.manifest,
        });
    }
    all.push(workload);
    Ok(())
}

/// The file names a module selector (`-w path/to/main.js`) may end with.
pub const MODULE_EXTENSIONS: [&str; 5] = [".js", ".mjs", ".cjs", ".ts", ".mts"];

/// Picks workloads by selectors: a name or glob over names from the suite
/// (`fib`, `echo-*`, `compute/*` by category), or a path to a `.toml`
/// manifest or a `.js` module with a manifest beside it.
pub fn select(suite: &[Workload], selectors: &[String]) -> Result<Vec<Workload>, ManifestError> {
    if selectors.is_empty() {
        return Ok(suite.iter().filter(|w| !w.is_opt_in()).cloned().collect());
    }
    let mut chosen: Vec<Workload> = Vec::new();
    for selector in selectors {
        let path = Path::new(selector);
        let is_module = MODULE_EXTENSIONS.iter().any(|ext| selector.ends_with(ext));
        let is_path = selector.ends_with(".toml") || is_module;
        let matched: Vec<Workload> = if is_path {
            let manifest = if is_module {
                path.with_extension("toml")
            } else {
                path.to_path_buf()
            };
            if is_module && !path.exists() && !manifest.exists() {
                return Err(ManifestError::Io {
                    path: path.to_path_buf(),
                    source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such module file"),
                });
            }
            if !manifest.exists() {
                return Err(ManifestError::Io {
                    path: manifest,
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "no manifest found (a module needs a .toml manifest beside it, see workloads/FORMAT.md)",
                    ),
                });
            }
            let all = load_manifest(&manifest)?;
            if is_module {
                // Only the workloads of that manifest that use this module
                // (or have it as their entry).
                let module = path.file_name();
                all.into_iter()
                    .filter(|w| w.entry.as_ref().map_or(&w.module_path, |e| &e.path).file_name() == module)
                    .collect()
            } else {
                all
            }
        } else {
            let pattern = glob::Pattern::new(selector).map_err(|e| ManifestError::Invalid {
                path: PathBuf::from(selector),
                message: format!("bad workload pattern: {e}"),
            })?;
            suite
                .iter()
                .filter(|w| pattern.matches(&w.name) || pattern.matches(&format!("{}/{}", w.category, w.name)))
                .cloned()
                .collect()
        };
        if matched.is_empty() {
            return Err(ManifestError::NoMatch(selector.clone()));
        }
        for w in matched {
            if !chosen.iter().any(|c| c.name == w.name && c.manifest == w.manifest) {
                push_unique(&mut chosen, w)?;
            }
        }
    }
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    const FIB: &str = r#"
name = "fib"
category = "compute"
description = "fib"
[sizes.small]
input = "10"
expected = "55"
[sizes.default]
input = { repeat = "ab", length = 5 }
expected_sha256 = "AB"
"#;

    #[test]
    fn parses_single_and_many() {
        let good = FIB.replace("\"AB\"", &format!("\"{}\"", sha256_hex(b"ababa")));
        let dir = dir_with(&[
            ("a/fib.toml", &good),
            ("a/fib.js", "export function run(){}"),
            (
                "b/echo.toml",
                "[[workload]]\nname='e1'\ncategory='x'\ndescription='d'\nmodule='e.js'\n[workload.sizes.small]\ninput={file='in.txt'}\nexpected='x'\ncalls=3\n\
                 [[workload]]\nname='e2'\ncategory='x'\ndescription='d'\nmodule='e.js'\n[workload.sizes.small]\ninput=''\nexpected=''\n",
            ),
            ("b/e.js", "export function run(s){return s}"),
            ("b/in.txt", "hello"),
        ]);
        let suite = load_suite(dir.path()).unwrap();
        let names: Vec<_> = suite.iter().map(|w| w.name.as_str()).collect();
        assert_eq!(names, ["fib", "e1", "e2"]);
        assert_eq!(suite[0].sizes["default"].input, "ababa");
        assert!(suite[0].sizes["default"].expected.matches("ababa"));
        assert!(!suite[0].sizes["default"].expected.matches("abab"));
        assert_eq!(suite[1].sizes["small"].input, "hello");
        assert_eq!(suite[1].sizes["small"].calls_per_op, 3);
        assert_eq!(select(&suite, &["e*".into()]).unwrap().len(), 2);
        assert_eq!(select(&suite, &["compute/*".into()]).unwrap().len(), 1);
        assert!(matches!(
            select(&suite, &["nope".into()]),
            Err(ManifestError::NoMatch(_))
        ));
    }

    #[test]
    fn errors_name_the_file_and_the_problem() {
        let cases: &[(&str, &str)] = &[
            ("name = \n", "invalid manifest"),
            (&FIB.replace("expected_sha256 = \"AB\"", ""), "missing `expected`"),
            (&FIB.replace("\"AB\"", "\"zz\""), "64 hex digits"),
            (&FIB.replace("category", "kategory"), "category"),
            (&FIB.replace("name = \"fib\"", "name = \"Fib!\""), "a-z"),
            (&format!("requires = [\"gpu\"]\n{FIB}"), "unknown requirement"),
        ];
        for (text, needle) in cases {
            let dir = dir_with(&[("fib.toml", text), ("fib.js", "")]);
            let err = load_manifest(&dir.path().join("fib.toml")).unwrap_err().to_string();
            assert!(err.contains("fib.toml"), "{err}");
            assert!(err.contains(needle), "expected `{needle}` in: {err}");
        }
        let dir = dir_with(&[("fib.toml", FIB)]);
        let err = load_manifest(&dir.path().join("fib.toml")).unwrap_err().to_string();
        assert!(err.contains("cannot read module"), "{err}");
    }

    #[test]
    fn duplicate_names_are_rejected() {
        let dir = dir_with(&[
            ("a/fib.toml", &FIB.replace("expected_sha256 = \"AB\"", "expected='x'")),
            ("a/fib.js", ""),
            ("b/fib.toml", &FIB.replace("expected_sha256 = \"AB\"", "expected='x'")),
            ("b/fib.js", ""),
        ]);
        assert!(matches!(load_suite(dir.path()), Err(ManifestError::Duplicate { .. })));
    }

    proptest! {
        // Whatever the bytes, parsing gives a workload or an error naming the file; never a panic.
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
            let dir = dir_with(&[("w.js", "")]);
            if let Err(e) = parse_manifest(&text, &dir.path().join("w.toml")) {
                prop_assert!(e.to_string().contains("w.toml"));
            }
        }

        #[test]
        fn mutated_manifests_never_panic(cut in 0usize..200, insert in "[\\[\\]=\"{}a-z0-9 \\n]{0,8}") {
            let dir = dir_with(&[("fib.js", "")]);
            let mut text = FIB.to_string();
            let at = cut.min(text.len());
            text.insert_str(at, &insert);
            let _ = parse_manifest(&text, &dir.path().join("fib.toml"));
        }
    }

    #[test]
    fn static_imports_are_found_with_their_lines() {
        let source = "// import x from 'no'\nimport a from \"./a.js\";\nimport \"./side.js\";\nimport {\n  b,\n  c,\n} from 'pkg';\nexport * from \"./re.js\";\nexport { d };\nconst m = import.meta;\nconst e = await import(\"./dyn.js\");\nexport function run(i) { return i; }\n/*\nimport z from 'commented';\n*/\n";
        let found = static_imports(source);
        assert_eq!(
            found,
            vec![
                (2, "./a.js".to_string()),
                (3, "./side.js".to_string()),
                (4, "pkg".to_string()),
                (8, "./re.js".to_string()),
            ]
        );
        assert!(static_imports("export function run(input) { return input; }").is_empty());
    }

    #[test]
    fn an_entry_is_kept_for_bundling_and_selected_by_its_path() {
        let base = "name = \"app\"\ncategory = \"user\"\ndescription = \"d\"\n[sizes.small]\ninput = \"a\"\nexpected = \"a\"\n";
        let dir = dir_with(&[
            ("src/main.ts", "import './x';"),
            (
                "src/main.toml",
                &format!("entry = \"main.ts\"\nexternal = [\"fs\"]\n{base}"),
            ),
        ]);
        let manifest = dir.path().join("src/main.toml");
        let workload = &load_manifest(&manifest).unwrap()[0];
        let entry = workload.entry.as_ref().unwrap();
        assert_eq!(entry.path, dir.path().join("src/main.ts"));
        assert_eq!(
            (entry.shown.as_str(), entry.external.as_slice()),
            ("main.ts", &["fs".to_string()][..])
        );
        assert!(workload.source.is_empty(), "the source is the bundle, made later");
        let by_path = dir.path().join("src/main.ts").display().to_string();
        assert_eq!(select(&[], &[by_path]).unwrap().len(), 1);
        // A module path that names nothing says so, not "no manifest".
        let gone = dir.path().join("src/gone.js").display().to_string();
        let err = select(&[], std::slice::from_ref(&gone)).unwrap_err().to_string();
        assert!(err.contains(&gone) && err.contains("no such module file"), "{err}");
        let bare = dir.path().join("src/main.ts");
        std::fs::rename(dir.path().join("src/main.toml"), dir.path().join("src/other.toml")).unwrap();
        let err = select(&[], &[bare.display().to_string()]).unwrap_err().to_string();
        assert!(err.contains("no manifest found"), "{err}");
        std::fs::rename(dir.path().join("src/other.toml"), dir.path().join("src/main.toml")).unwrap();
        for (text, needle) in [
            (format!("entry = \"main.ts\"\nmodule = \"main.ts\"\n{base}"), "not both"),
            (format!("external = [\"fs\"]\n{base}"), "needs an `entry`"),
            (format!("entry = \"gone.js\"\n{base}"), "cannot read entry"),
        ] {
            let err = parse_manifest(&text, &manifest).unwrap_err().to_string();
            assert!(err.contains(needle), "expected `{needle}` in: {err}");
        }
    }

    #[test]
    fn two_workloads_of_one_name_in_a_manifest_are_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("m.js"), "export function run(i) { return i; }").unwrap();
        let text = "[[workload]]\nname = \"twice\"\ncategory = \"compute\"\ndescription = \"d\"\nmodule = \"m.js\"\n[workload.sizes.small]\ninput = \"a\"\nexpected = \"a\"\n[[workload]]\nname = \"twice\"\ncategory = \"compute\"\ndescription = \"d\"\nmodule = \"m.js\"\n[workload.sizes.small]\ninput = \"b\"\nexpected = \"b\"\n";
        let path = dir.path().join("m.toml");
        let err = parse_manifest(text, &path).unwrap_err();
        assert!(
            err.to_string().contains("two [[workload]] tables are named `twice`"),
            "{err}"
        );
    }
}
