//! `jsbench new NAME --entry path`: turns a user's own program (an entry
//! with relative imports and npm packages) into a workload. It bundles the
//! entry, runs it on a reference backend (Node by default) to record the
//! expected output, and writes the manifest beside the entry
//! (`<entry stem>.toml`, so `jsbench run -w path/to/entry.js` finds it),
//! with sizes `small` and `default` on the same input; an output over
//! 1 KiB is recorded as `expected_sha256`.
//!
//! A workload whose outputs differ between two fresh runtimes, or between
//! two calls in one, is refused: its expected output could not be checked.

use crate::commands::UsageError;
use crate::registry;
use anyhow::{Context, Result, bail};
use jsbench_api::{JsBackend, Limits, WorkloadModule};
use jsbench_runner::manifest::{self, Workload};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Outputs longer than this are recorded by their SHA-256.
const EXACT_LIMIT: usize = 1024;

/// Options of `jsbench new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The workload's name (a-z, 0-9 and `-`).
    pub name: String,
    /// The entry module (`.js`, `.mjs`, `.ts`) exporting `run(input)`; its
    /// imports are bundled.
    #[arg(long)]
    pub entry: PathBuf,
    /// A file whose contents are the input of every call.
    #[arg(long, conflicts_with = "input_text")]
    pub input: Option<PathBuf>,
    /// The input of every call, as text (default: empty).
    #[arg(long)]
    pub input_text: Option<String>,
    /// The backend whose outputs become the expected ones.
    #[arg(long, value_enum, default_value_t = Reference::Node)]
    pub reference: Reference,
    /// Category written into the manifest.
    #[arg(long, default_value = "user")]
    pub category: String,
    /// Replace a manifest that is already there.
    #[arg(long)]
    pub force: bool,
}

/// Backends that may record expected outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Reference {
    /// Node.js, over the framed pipe (`node-pipe`).
    Node,
    /// V8 embedded (`v8`).
    V8,
}

impl Reference {
    fn backend(self) -> &'static str {
        match self {
            Reference::Node => "node-pipe",
            Reference::V8 => "v8",
        }
    }
}

/// Writes the manifest of a new workload.
pub fn execute(args: NewArgs) -> Result<ExitCode> {
    let entry =
        std::fs::canonicalize(&args.entry).map_err(|e| UsageError(format!("entry {}: {e}", args.entry.display())))?;
    let manifest_path = entry.with_extension("toml");
    if manifest_path.exists() && !args.force {
        return Err(UsageError(format!(
            "{} exists already; pass --force to replace it",
            manifest_path.display()
        ))
        .into());
    }
    let dir = entry.parent().unwrap_or(Path::new("/"));
    let input = input_line(&args, dir)?;
    let draft = manifest_text(&args, &entry, &input, "expected = \"\"");
    let mut workload = parse(&draft, &manifest_path)?;
    jsbench_runner::entry::bundle_workload(&mut workload);
    if let Some(error) = &workload.bundle_error {
        bail!("{}", error.message);
    }
    let size = &workload.sizes["small"];
    let output = reference_output(args.reference.backend(), &workload, &size.input)?;
    let expected = if output.len() > EXACT_LIMIT {
        format!(
            "expected_sha256 = {}",
            toml_string(&manifest::sha256_hex(output.as_bytes()))
        )
    } else {
        format!("expected = {}", toml_string(&output))
    };
    let text = manifest_text(&args, &entry, &input, &expected);
    // What is written must read back as what was measured.
    parse(&text, &manifest_path)?;
    std::fs::write(&manifest_path, &text).with_context(|| format!("writing {}", manifest_path.display()))?;
    let bundle = workload.bundle.as_ref().map(|b| b.bytes).unwrap_or_default();
    println!(
        "wrote {} (bundle {bundle} bytes; output {} bytes from {}); run it with: jsbench run -w {}",
        manifest_path.display(),
        output.len(),
        args.reference.backend(),
        entry.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn parse(text: &str, path: &Path) -> Result<Workload> {
    let mut workloads = manifest::parse_manifest(text, path)?;
    workloads.pop().context("the manifest defines no workload")
}

/// The manifest's `input = …` line: a file relative to the manifest's
/// folder (absolute when outside it), or the text.
fn input_line(args: &NewArgs, dir: &Path) -> Result<String> {
    let Some(file) = &args.input else {
        return Ok(format!(
            "input = {}",
            toml_string(args.input_text.as_deref().unwrap_or(""))
        ));
    };
    let file = std::fs::canonicalize(file).map_err(|e| UsageError(format!("input {}: {e}", file.display())))?;
    let shown = file.strip_prefix(dir).unwrap_or(&file);
    Ok(format!(
        "input = {{ file = {} }}",
        toml_string(&shown.to_string_lossy())
    ))
}

fn manifest_text(args: &NewArgs, entry: &Path, input: &str, expected: &str) -> String {
    let file = entry.file_name().unwrap_or_default().to_string_lossy();
    let description = format!("{} (made by `jsbench new` from {file})", args.name);
    let mut text = format!(
        "name = {}\ncategory = {}\ndescription = {}\nentry = {}\n",
        toml_string(&args.name),
        toml_string(&args.category),
        toml_string(&description),
        toml_string(&file)
    );
    for size in ["small", "default"] {
        text.push_str(&format!("\n[sizes.{size}]\n{input}\n{expected}\n"));
    }
    text
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The output of `run(input)` on the reference backend, after checking
/// that it is deterministic: two calls in one runtime and one call in a
/// second, fresh runtime must agree.
fn reference_output(name: &str, workload: &Workload, input: &str) -> Result<String> {
    let entry = registry::find(name).with_context(|| format!("this build has no backend `{name}`"))?;
    let info = registry::ready(std::slice::from_ref(&entry), true);
    if let Some(reason) = info.first().and_then(|i| i.unavailable.as_ref()) {
        bail!("the reference backend {name} is unavailable: {reason}");
    }
    let module = workload.module();
    let mut first = fresh(&entry, &module)?;
    let one = call(&mut *first, input, name, &workload.name)?;
    let two = call(&mut *first, input, name, &workload.name)?;
    drop(first);
    let mut second = fresh(&entry, &module)?;
    let three = call(&mut *second, input, name, &workload.name)?;
    check_deterministic(&workload.name, &one, &two, &three)?;
    Ok(one)
}

fn fresh(entry: &registry::Entry, module: &WorkloadModule) -> Result<Box<dyn JsBackend>> {
    let mut backend = (entry.make)();
    backend
        .prepare(module)
        .with_context(|| format!("preparing on {}", entry.name))?;
    backend
        .create(&Limits::default())
        .with_context(|| format!("starting {}", entry.name))?;
    backend
        .load(module)
        .with_context(|| format!("loading the bundle on {}", entry.name))?;
    Ok(backend)
}

fn call(backend: &mut dyn JsBackend, input: &str, backend_name: &str, workload: &str) -> Result<String> {
    backend
        .call(input)
        .with_context(|| format!("running workload `{workload}` on {backend_name}"))
}

/// Refuses a workload whose outputs differ, naming it and the two outputs.
fn check_deterministic(workload: &str, one: &str, two: &str, three: &str) -> Result<()> {
    let differ = |a: &str, b: &str, when: &str| -> Result<()> {
        if a == b {
            return Ok(());
        }
        Err(UsageError(format!(
            "workload `{workload}` is not deterministic: {when} gave different outputs ({} and {}); a workload's output must depend on its input only (no clock, no Math.random, no state kept between calls)",
            manifest::abbreviate(a, 60),
            manifest::abbreviate(b, 60)
        ))
        .into())
    };
    differ(one, two, "two calls in one runtime")?;
    differ(one, three, "two fresh runtimes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differing_outputs_are_refused_naming_the_workload() {
        assert!(check_deterministic("w", "a", "a", "a").is_ok());
        let calls = check_deterministic("w", "a", "b", "a").unwrap_err().to_string();
        assert!(
            calls.contains("workload `w` is not deterministic: two calls in one runtime"),
            "{calls}"
        );
        let runs = check_deterministic("w", "a", "a", "c").unwrap_err().to_string();
        assert!(runs.contains("two fresh runtimes"), "{runs}");
    }

    #[test]
    fn the_manifest_reads_back_with_both_sizes() {
        let dir = tempfile::tempdir().unwrap();
        let entry = dir.path().join("main.ts");
        std::fs::write(&entry, "export function run(i: string) { return i; }").unwrap();
        let args = NewArgs {
            name: "mine".into(),
            entry: entry.clone(),
            input: None,
            input_text: Some("a \"quoted\" input".into()),
            reference: Reference::Node,
            category: "user".into(),
            force: false,
        };
        let input = input_line(&args, dir.path()).unwrap();
        let text = manifest_text(&args, &entry, &input, &format!("expected = {}", toml_string("x")));
        let workload = parse(&text, &dir.path().join("main.toml")).unwrap();
        assert_eq!(workload.entry.unwrap().shown, "main.ts");
        assert_eq!(workload.sizes["small"].input, "a \"quoted\" input");
        assert!(workload.sizes["default"].expected.matches("x"));
    }
}
