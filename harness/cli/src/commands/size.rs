//! `jsbench size`: what each way of running JavaScript costs on disk and at
//! build time. The measuring is the `jsbench-size` library's; the probes it
//! measures come from the backend registry ([`registry::size_probes`]). This
//! command picks them for the chosen backends, adds the component backend's
//! per-workload artefact sizes (from its own `prepare`, cache hits when
//! `jsbench run` has prepared them, or from a results file with `--from`),
//! merges the reports into the `sizes` section of the results file, and
//! prints the size table the reports render.

use crate::cli::SizeArgs;
use crate::commands::{EXIT_CELL_FAILED, UsageError};
use crate::registry;
use anyhow::{Context, Result};
use jsbench_reports::format::{bytes, duration};
use jsbench_reports::sizes::SizeTable;
use jsbench_schema::{ArtefactSize, Results, RunConfig, SCHEMA_VERSION, SizeKind, SizeReport};
use jsbench_size::settings::{RustcInfo, settings, variant_name};
use jsbench_size::{BuildOptions, Measure, Probe, Progress};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The cache root ([`jsbench_assets::cache_root`]).
fn cache_root() -> Result<PathBuf> {
    Ok(jsbench_assets::cache_root()?)
}

/// Runs `jsbench size`.
pub fn execute(args: SizeArgs) -> Result<ExitCode> {
    let entries = super::run::pick_backends(&args.backends)?;
    if args.jobs == Some(0) {
        return Err(UsageError("--jobs must be at least 1".into()).into());
    }
    let from = match &args.from {
        Some(path) => Some(Results::read(path)?),
        None => None,
    };
    // The probes and the lock file are embedded in the binary, installed in
    // the cache folder.
    let sources = crate::embedded::install_size_probes()?;
    let probes_dir = sources.join("size-probes");
    let wanted: Vec<&str> = entries.iter().map(|e| e.name).collect();
    let (picked, unmatched) = jsbench_size::select(registry::size_probes(&registry::visible(), &probes_dir), &wanted);
    let mut probes = vec![Probe::baseline(probes_dir.join("baseline"))];
    probes.extend(picked);

    let options = build_options(&args, &sources)?;
    let s = &options.settings;
    eprintln!(
        "jsbench size: {} probe build(s), {} (opt-level {}, lto {}, codegen-units {}, strip {}, panic {}), one at a time",
        probes
            .iter()
            .filter(|p| matches!(p.measure, Measure::Program { .. }))
            .count(),
        options.variant,
        s.opt_level,
        s.lto,
        s.codegen_units,
        s.strip,
        s.panic,
    );
    let mut reports = jsbench_size::measure(&probes, &options, &mut Console::default());
    for report in reports.iter_mut() {
        if report.kind == SizeKind::WasmComponent && report.unavailable.is_none() {
            report.artefacts = component_artefacts(report, &entries, from.as_ref(), args.workloads_dir.as_deref());
        }
    }
    let failed = reports.iter().any(jsbench_size::is_failure);
    reports.extend(unmatched.iter().map(|name| jsbench_size::unsupported(name)));

    let mut results = if args.output.exists() {
        Results::read(&args.output)?
    } else {
        new_results()
    };
    jsbench_size::merge(&mut results.sizes, reports.clone());
    results
        .write_atomic(&args.output)
        .with_context(|| format!("writing the sizes to {}", args.output.display()))?;
    if let Some(table) = SizeTable::new(&reports) {
        print!("{}", jsbench_reports::table::render_sizes(&table));
    }
    println!("\nSizes written to {}.", args.output.display());
    Ok(if failed {
        ExitCode::from(EXIT_CELL_FAILED)
    } else {
        ExitCode::SUCCESS
    })
}

/// Where and how the probes are built: in the cache folder, with the
/// workspace's lock file and the variant's release settings.
fn build_options(args: &SizeArgs, sources: &Path) -> Result<BuildOptions> {
    let cache = cache_root()?;
    let variant = variant_name(args.lto);
    Ok(BuildOptions {
        lockfile: sources.join("Cargo.lock"),
        builds_dir: cache.join("size-builds"),
        keep_dir: cache.join("size-probes").join(variant),
        keep_target: args.keep_target,
        settings: settings(args.lto, args.jobs, &RustcInfo::detect()),
        variant: variant.into(),
        env: registry::size_build_env(),
    })
}

/// Progress on stderr: a line per probe, a spinner while cargo builds, and
/// the outcome.
#[derive(Default)]
struct Console {
    spinner: Option<indicatif::ProgressBar>,
}

impl Progress for Console {
    fn probe_started(&mut self, index: usize, total: usize, probe: &Probe) {
        match probe.measure {
            Measure::Program { .. } => eprintln!(
                "[{}/{total}] building probe `{}` from scratch ...",
                index + 1,
                probe.name
            ),
            Measure::Runtime { .. } => eprintln!("[{}/{total}] measuring the `{}` runtime ...", index + 1, probe.name),
        }
    }

    fn compiled(&mut self, crates: u32, last: &str) {
        let spinner = self.spinner.get_or_insert_with(|| {
            let spinner = indicatif::ProgressBar::new_spinner();
            spinner.enable_steady_tick(std::time::Duration::from_millis(200));
            spinner
        });
        spinner.set_message(format!("{crates} crates compiled, last {last}"));
    }

    fn build_finished(&mut self) {
        if let Some(spinner) = self.spinner.take() {
            spinner.finish_and_clear();
        }
    }

    fn build_folder_kept(&mut self, path: &Path) {
        eprintln!("    build folder kept: {}", path.display());
    }

    fn probe_finished(&mut self, report: &SizeReport) {
        if let Some(why) = &report.unavailable {
            eprintln!("    {}: unavailable: {why}", report.name);
        } else if let Some(size) = report.binary_bytes {
            let build = report.build.as_ref().map(|b| {
                format!(
                    ", clean build {} ({} crates)",
                    duration(b.wall as f64),
                    b.crates_compiled
                )
            });
            eprintln!("    {}: {}{}", report.name, bytes(size), build.unwrap_or_default());
        }
    }
}

/// A results file holding only sizes.
fn new_results() -> Results {
    let mut machine = jsbench_runner::machine::describe();
    machine.load_average_end = jsbench_runner::machine::load_average();
    Results {
        schema_version: SCHEMA_VERSION,
        jsbench: crate::build_info::tool_info(),
        machine,
        // No benchmark ran: an empty configuration, named so.
        config: RunConfig {
            sizes: Vec::new(),
            samples: 0,
            warmup: 0,
            processes: 0,
            max_processes: None,
            precision: None,
            sample_ms: None,
            timeout_ms: 0,
            memory_limit: 0,
            seed: 0,
            profile: "size".into(),
            pin: None,
        },
        started_at: super::run::now(),
        finished_at: super::run::now(),
        backends: Vec::new(),
        workloads: Vec::new(),
        cells: Vec::new(),
        features: None,
        sandbox: None,
        density: Vec::new(),
        concurrency: Vec::new(),
        conformance: None,
        sizes: Vec::new(),
        transport_floor: Vec::new(),
    }
}

/// The per-workload component and precompiled sizes of a component probe's
/// backends: from `--from`, else from the backend's `prepare`; a note says
/// which.
fn component_artefacts(
    report: &mut SizeReport,
    entries: &[registry::Entry],
    from: Option<&Results>,
    workloads_dir: Option<&Path>,
) -> Vec<ArtefactSize> {
    if let Some(results) = from {
        report
            .notes
            .push("component sizes from the results file given with --from".into());
        return jsbench_size::artefacts_from_results(results, &report.backends);
    }
    let entry = entries.iter().find(|e| report.backends.iter().any(|b| b == e.name));
    match entry
        .context("the component backend is not in this build")
        .and_then(|e| artefacts_from_prepare(e, workloads_dir))
    {
        Ok((artefacts, misses)) => {
            report.notes.push(format!(
                "component sizes from the backend's prepare ({} of {} from the cache)",
                artefacts.len() - misses,
                artefacts.len()
            ));
            artefacts
        }
        Err(why) => {
            report.notes.push(format!("component sizes unavailable: {why:#}"));
            Vec::new()
        }
    }
}

/// Prepares every default workload on the backend (cache hits when they
/// were prepared before) and collects the sizes it reports, with the number
/// of cache misses.
fn artefacts_from_prepare(entry: &registry::Entry, workloads_dir: Option<&Path>) -> Result<(Vec<ArtefactSize>, usize)> {
    if let Some(setup) = entry.setup {
        setup.run().map_err(|e| anyhow::anyhow!("set-up failed: {e}"))?;
    }
    let dir = super::workloads_dir(workloads_dir)?;
    let suite = jsbench_runner::manifest::load_suite(&dir)
        .with_context(|| format!("loading the workload suite in {}", dir.display()))?;
    let workloads = jsbench_runner::manifest::select(&suite, &[])?;
    let mut backend = (entry.make)();
    let mut out = Vec::new();
    let mut misses = 0;
    // Bundled entries (the realworld suite) are left out: componentizing
    // multi-megabyte bundles is for `jsbench run -w 'realworld/*'`.
    for workload in workloads.iter().filter(|w| w.entry.is_none()) {
        let build = match backend.prepare(&workload.module()) {
            Ok(Some(build)) => build,
            Ok(None) => continue,
            Err(e) => {
                eprintln!("    {}: prepare failed: {e}", workload.name);
                continue;
            }
        };
        if !build.cache_hit {
            misses += 1;
        }
        if let Some(component_bytes) = build.component_bytes {
            out.push(ArtefactSize {
                workload: workload.name.clone(),
                component_bytes,
                precompiled_bytes: build.precompiled_bytes,
            });
        }
    }
    Ok((out, misses))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_results_file_is_a_sizes_only_file() {
        let results = new_results();
        assert_eq!(results.config.profile, "size");
        assert!(results.cells.is_empty() && results.sizes.is_empty());
        let mut with_sizes = results;
        jsbench_size::merge(&mut with_sizes.sizes, vec![jsbench_size::unsupported("javy")]);
        let json = serde_json::to_string(&with_sizes).unwrap();
        let back: Results = serde_json::from_str(&json).unwrap();
        assert_eq!(back.sizes, with_sizes.sizes, "the sizes section survives the file");
    }
}
