//! Resolving `jsbench run`'s settings: the command line, the results file a
//! run resumes, and the profile, into one typed [`RunOptions`], or a typed
//! error. Pure: nothing here reads files or clocks, so every rule is tested
//! on its own.

use crate::cli::{CountersArg, RunArgs};
use jsbench_runner::protocol::{CounterMode, MeasureSettings, Mode};
use jsbench_runner::run::{ProcessPolicy, RunSettings};
use jsbench_schema::{CpuPin, RunConfig};
use std::time::Duration;

/// A named set of measurement settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Profile {
    /// Name recorded in the results (`quick`, `default`, `rigorous`).
    pub name: &'static str,
    /// Input size.
    pub size: &'static str,
    /// Minimum processes per cell.
    pub processes: u32,
    /// Maximum processes per cell.
    pub max_processes: u32,
    /// Wanted relative half-width of a median's interval.
    pub precision: f64,
    /// Warm-up operations.
    pub warmup: u32,
    /// Samples per process.
    pub samples: u32,
    /// Target length of a sample.
    pub sample_ms: f64,
    /// Longest steady-state phase of a process.
    pub max_steady: Duration,
    /// Per-call timeout.
    pub timeout: Duration,
    /// Cells at once.
    pub jobs: usize,
}

/// A smoke run of the whole matrix.
pub const QUICK: Profile = Profile {
    name: "quick",
    size: "small",
    processes: 1,
    max_processes: 1,
    precision: f64::INFINITY,
    warmup: 1,
    samples: 5,
    sample_ms: 1.0,
    max_steady: Duration::from_millis(100),
    timeout: Duration::from_secs(5),
    jobs: 2,
};

/// The default profile.
pub const DEFAULT: Profile = Profile {
    name: "default",
    size: "default",
    processes: 3,
    max_processes: 10,
    precision: 0.02,
    warmup: 3,
    samples: 10,
    sample_ms: 10.0,
    max_steady: Duration::from_secs(1),
    timeout: Duration::from_secs(30),
    jobs: 1,
};

/// More processes and samples, for numbers to publish.
pub const RIGOROUS: Profile = Profile {
    name: "rigorous",
    size: "default",
    processes: 10,
    max_processes: 40,
    precision: 0.01,
    warmup: 10,
    samples: 50,
    sample_ms: 20.0,
    max_steady: Duration::from_secs(10),
    timeout: Duration::from_secs(60),
    jobs: 1,
};

/// Default memory limit per worker.
pub const DEFAULT_MEMORY_LIMIT_MIB: u64 = 2048;

/// Longest per-call timeout accepted: a day (longer is surely a typo).
pub const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 3600);

/// A setting that cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OptionsError {
    /// `--precision` was not a positive percentage.
    #[error("--precision must be a positive percentage (got {0})")]
    Precision(f64),
    /// `--processes` was 0.
    #[error("--processes must be at least 1")]
    NoProcesses,
    /// `--max-processes` below `--processes`.
    #[error("--max-processes ({max}) is below --processes ({min})")]
    MaxBelowMin {
        /// The minimum.
        min: u32,
        /// The maximum.
        max: u32,
    },
    /// `--samples` was 0.
    #[error("--samples must be at least 1 (a process with no samples measures nothing)")]
    NoSamples,
    /// `--jobs` was 0.
    #[error("--jobs must be at least 1")]
    NoJobs,
    /// `--timeout-ms` out of range.
    #[error("--timeout-ms must be between 1 and 86400000 (a day)")]
    Timeout,
    /// `--memory-limit-mib` out of range.
    #[error("--memory-limit-mib must be between 1 and {}", u64::MAX >> 20)]
    MemoryLimit,
    /// `--sample-ms` not positive.
    #[error("--sample-ms must be a positive number")]
    SampleMs,
}

/// Everything a run is measured with: the settings for the runner and the
/// record of them for the results file.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// What the runner uses.
    pub settings: RunSettings,
    /// What the results file records (and `--resume` reads back).
    pub config: RunConfig,
}

/// Resolves the options: each setting comes from the command line, else
/// from the file being resumed, else from the profile. `seed` is used when
/// neither the command line nor the file gives one.
pub fn resolve(args: &RunArgs, from_file: Option<&RunConfig>, seed: u64) -> Result<RunOptions, OptionsError> {
    let profile = profile_for(args, from_file);
    let sizes = if !args.sizes.is_empty() {
        args.sizes.clone()
    } else if let Some(config) = from_file {
        config.sizes.clone()
    } else {
        vec![profile.size.to_string()]
    };
    let timeout = args
        .timeout_ms
        .or(from_file.map(|c| c.timeout_ms))
        .map(Duration::from_millis)
        .unwrap_or(profile.timeout);
    if timeout.is_zero() || timeout > MAX_TIMEOUT {
        return Err(OptionsError::Timeout);
    }
    let memory_limit = match (args.memory_limit_mib, from_file) {
        (Some(mib), _) => mib
            .checked_mul(1 << 20)
            .filter(|b| *b > 0)
            .ok_or(OptionsError::MemoryLimit)?,
        (None, Some(config)) => config.memory_limit,
        (None, None) => DEFAULT_MEMORY_LIMIT_MIB << 20,
    };
    let seed = args.seed.or(from_file.map(|c| c.seed)).unwrap_or(seed);
    let processes = process_policy(args, from_file, &profile)?;
    let sample_ms = args
        .sample_ms
        .or(from_file.and_then(|c| c.sample_ms))
        .unwrap_or(profile.sample_ms);
    if !(sample_ms.is_finite() && sample_ms > 0.0) {
        return Err(OptionsError::SampleMs);
    }
    let samples = args.samples.or(from_file.map(|c| c.samples)).unwrap_or(profile.samples);
    if samples == 0 {
        return Err(OptionsError::NoSamples);
    }
    let jobs = args.jobs.unwrap_or(profile.jobs);
    if jobs == 0 {
        return Err(OptionsError::NoJobs);
    }
    let warmup = args.warmup.or(from_file.map(|c| c.warmup)).unwrap_or(profile.warmup);
    let settings = RunSettings {
        sizes: sizes.clone(),
        processes,
        measure: MeasureSettings {
            warmup_ops: warmup,
            samples,
            sample_target_ns: (sample_ms * 1e6) as u64,
            max_steady_ns: u64::try_from(profile.max_steady.as_nanos()).unwrap_or(u64::MAX),
            mode: Mode::Full,
            counters: match args.counters {
                CountersArg::Off => CounterMode::Off,
                CountersArg::Perf | CountersArg::Callgrind => CounterMode::Perf,
            },
        },
        timeout,
        memory_limit,
        seed,
        jobs,
    };
    let config = RunConfig {
        sizes,
        samples,
        warmup,
        processes: processes.min,
        max_processes: (processes.max != processes.min).then_some(processes.max),
        precision: processes.precision.is_finite().then_some(processes.precision),
        sample_ms: Some(sample_ms),
        timeout_ms: u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
        memory_limit,
        seed,
        profile: profile_name(args, from_file, &profile),
        pin: args.pin.clone().or_else(|| from_file.and_then(|c| c.pin.clone())),
    };
    Ok(RunOptions { settings, config })
}

/// The profile in force: `--quick`, `--rigorous`, the one the resumed file
/// names, or the default.
fn profile_for(args: &RunArgs, from_file: Option<&RunConfig>) -> Profile {
    if args.quick {
        QUICK
    } else if args.rigorous {
        RIGOROUS
    } else {
        from_file.and_then(|c| profile_named(&c.profile)).unwrap_or(DEFAULT)
    }
}

/// The profile name recorded: `custom` once a measurement setting is given.
fn profile_name(args: &RunArgs, from_file: Option<&RunConfig>, profile: &Profile) -> String {
    let customised = args.samples.is_some()
        || args.processes.is_some()
        || args.max_processes.is_some()
        || args.precision.is_some()
        || args.warmup.is_some()
        || args.sample_ms.is_some()
        || args.timeout_ms.is_some();
    match from_file {
        _ if customised => "custom".to_string(),
        Some(config) if !args.quick && !args.rigorous => config.profile.clone(),
        _ => profile.name.to_string(),
    }
}

/// The profile a results file names, if it is a built-in one (`custom` is
/// not: its base is not recorded, so the default profile's sample target
/// and steady-state budget apply unless given again).
fn profile_named(name: &str) -> Option<Profile> {
    [QUICK, DEFAULT, RIGOROUS].into_iter().find(|p| p.name == name)
}

/// The processes per cell: `--processes` alone is an exact count; with
/// `--max-processes` (or from the profile, or the file a run resumes) a
/// minimum, with more for imprecise cells up to the maximum.
fn process_policy(
    args: &RunArgs,
    from_file: Option<&RunConfig>,
    profile: &Profile,
) -> Result<ProcessPolicy, OptionsError> {
    let explicit = args.processes.is_some() || args.max_processes.is_some() || args.precision.is_some();
    let (min, max, precision) = match from_file {
        Some(config) if !explicit && !args.quick && !args.rigorous => (
            config.processes,
            config.max_processes.unwrap_or(config.processes),
            config.precision.unwrap_or(f64::INFINITY),
        ),
        _ => match (args.processes, args.max_processes) {
            (Some(n), None) => (n, n, f64::INFINITY),
            (n, Some(m)) => (n.unwrap_or(profile.processes.min(m)), m, profile.precision),
            (None, None) => (profile.processes, profile.max_processes, profile.precision),
        },
    };
    let precision = match args.precision {
        Some(percent) if percent.is_finite() && percent > 0.0 => percent / 100.0,
        Some(percent) => return Err(OptionsError::Precision(percent)),
        None => precision,
    };
    if min == 0 {
        return Err(OptionsError::NoProcesses);
    }
    if max < min {
        return Err(OptionsError::MaxBelowMin { min, max });
    }
    Ok(ProcessPolicy { min, max, precision })
}

/// Parses `--pin WORKER:CHILD` (each a CPU list such as `0`, `0,2` or
/// `1-3`) and checks that this machine can place a thread on both.
pub fn parse_pin(text: &str) -> Result<CpuPin, String> {
    use jsbench_supervise::placement::{CpuSet, pin_current_thread};
    let (worker, child) = text
        .split_once(':')
        .ok_or_else(|| format!("`{text}` is not WORKER:CHILD (CPU lists such as `0:1` or `0:1-3`)"))?;
    let worker: CpuSet = worker.parse().map_err(|e| format!("the worker CPUs: {e}"))?;
    let child: CpuSet = child.parse().map_err(|e| format!("the child CPUs: {e}"))?;
    for cpus in [&worker, &child] {
        let cpus = cpus.clone();
        // A scratch thread: the caller's own placement stays as it is.
        std::thread::spawn(move || pin_current_thread(&cpus).map(drop))
            .join()
            .map_err(|_| "checking the CPUs failed".to_string())?
            .map_err(|e| e.to_string())?;
    }
    Ok(CpuPin {
        worker: worker.cpus().to_vec(),
        child: child.cpus().to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    fn args(line: &[&str]) -> RunArgs {
        let mut all = vec!["jsbench", "run"];
        all.extend_from_slice(line);
        match Cli::try_parse_from(all).unwrap().command {
            Command::Run(args) => args,
            _ => unreachable!(),
        }
    }

    fn resolved(line: &[&str]) -> Result<RunOptions, OptionsError> {
        resolve(&args(line), None, 42)
    }

    #[test]
    fn the_default_profile_applies_without_options() {
        let options = resolved(&[]).unwrap();
        assert_eq!(options.config.profile, "default");
        assert_eq!(options.config.sizes, ["default"]);
        assert_eq!(
            options.settings.processes,
            ProcessPolicy {
                min: 3,
                max: 10,
                precision: 0.02
            }
        );
        assert_eq!(options.config.seed, 42);
        assert_eq!(options.settings.timeout, Duration::from_secs(30));
    }

    #[test]
    fn quick_is_one_process_of_small_inputs() {
        let options = resolved(&["--quick"]).unwrap();
        assert_eq!(options.config.profile, "quick");
        assert_eq!(options.config.sizes, ["small"]);
        assert_eq!((options.settings.processes.min, options.settings.processes.max), (1, 1));
        assert_eq!(options.config.max_processes, None);
        assert_eq!(options.config.precision, None);
    }

    #[test]
    fn processes_alone_is_exact_and_with_a_maximum_a_minimum() {
        let exact = resolved(&["--processes", "3"]).unwrap();
        assert_eq!((exact.settings.processes.min, exact.settings.processes.max), (3, 3));
        assert_eq!(exact.config.profile, "custom");
        let range = resolved(&["--max-processes", "2"]).unwrap();
        assert_eq!((range.settings.processes.min, range.settings.processes.max), (2, 2));
        let range = resolved(&["--max-processes", "4"]).unwrap();
        assert_eq!((range.settings.processes.min, range.settings.processes.max), (3, 4));
        let range = resolved(&["--processes", "2", "--max-processes", "9", "--precision", "5"]).unwrap();
        assert_eq!(
            range.settings.processes,
            ProcessPolicy {
                min: 2,
                max: 9,
                precision: 0.05
            }
        );
    }

    #[test]
    fn bad_values_are_typed_errors() {
        assert_eq!(
            resolved(&["--precision", "-1"]).unwrap_err(),
            OptionsError::Precision(-1.0)
        );
        assert_eq!(
            resolved(&["--precision", "0"]).unwrap_err(),
            OptionsError::Precision(0.0)
        );
        assert_eq!(resolved(&["--samples", "0"]).unwrap_err(), OptionsError::NoSamples);
        assert_eq!(resolved(&["--processes", "0"]).unwrap_err(), OptionsError::NoProcesses);
        assert_eq!(resolved(&["--jobs", "0"]).unwrap_err(), OptionsError::NoJobs);
        assert_eq!(resolved(&["--timeout-ms", "0"]).unwrap_err(), OptionsError::Timeout);
        assert_eq!(
            resolved(&["--memory-limit-mib", "0"]).unwrap_err(),
            OptionsError::MemoryLimit
        );
        assert_eq!(resolved(&["--sample-ms", "-2"]).unwrap_err(), OptionsError::SampleMs);
        assert_eq!(
            resolved(&["--processes", "5", "--max-processes", "2"]).unwrap_err(),
            OptionsError::MaxBelowMin { min: 5, max: 2 }
        );
    }

    #[test]
    fn a_resumed_file_supplies_what_the_command_line_does_not() {
        let file = resolved(&[
            "--processes",
            "2",
            "--max-processes",
            "6",
            "--samples",
            "7",
            "--seed",
            "9",
        ])
        .unwrap()
        .config;
        let resumed = resolve(&args(&[]), Some(&file), 1).unwrap();
        assert_eq!(resumed.config, file);
        let overridden = resolve(&args(&["--samples", "3"]), Some(&file), 1).unwrap();
        assert_eq!(overridden.config.samples, 3);
        assert_eq!(overridden.config.seed, 9);
        assert_eq!(overridden.settings.processes.max, 6);
    }
}
