//! The release settings a probe is built with, the compiler that builds it,
//! and the `CARGO_PROFILE_RELEASE_*` variables that carry the settings.

use jsbench_schema::BuildSettings;
use std::process::Command;

/// The compiler cargo will use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RustcInfo {
    /// `rustc 1.95.0 (…)`, when `rustc -vV` answered.
    pub version: Option<String>,
    /// The host triple (empty when unknown).
    pub host: String,
}

impl RustcInfo {
    /// Asks `$RUSTC` (else `rustc`) with `-vV`; unknown fields stay empty.
    pub fn detect() -> Self {
        let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
        match Command::new(rustc).arg("-vV").output() {
            Ok(out) => Self::parse(&String::from_utf8_lossy(&out.stdout)),
            Err(_) => Self::default(),
        }
    }

    /// Reads the output of `rustc -vV`.
    pub fn parse(text: &str) -> Self {
        RustcInfo {
            version: text
                .lines()
                .next()
                .map(str::to_string)
                .filter(|l| l.starts_with("rustc")),
            host: text
                .lines()
                .find_map(|l| l.strip_prefix("host: "))
                .unwrap_or_default()
                .to_string(),
        }
    }
}

/// The release settings of a build variant: plain release (opt-level 3,
/// 16 codegen units, stripped, unwinding), or with `lto` fat LTO and one
/// codegen unit.
pub fn settings(lto: bool, jobs: Option<u32>, rustc: &RustcInfo) -> BuildSettings {
    BuildSettings {
        opt_level: "3".into(),
        lto: if lto { "fat" } else { "false" }.into(),
        codegen_units: if lto { 1 } else { 16 },
        strip: "symbols".into(),
        panic: "unwind".into(),
        debug: "false".into(),
        jobs,
        rustc: rustc.version.clone(),
        target: rustc.host.clone(),
    }
}

/// The name of a build variant in the reports.
pub fn variant_name(lto: bool) -> &'static str {
    if lto { "release-lto" } else { "release" }
}

/// The `CARGO_PROFILE_RELEASE_*` variables that carry `settings`.
pub fn profile_env(settings: &BuildSettings) -> Vec<(String, String)> {
    [
        ("OPT_LEVEL", settings.opt_level.clone()),
        ("LTO", settings.lto.clone()),
        ("CODEGEN_UNITS", settings.codegen_units.to_string()),
        ("STRIP", settings.strip.clone()),
        ("PANIC", settings.panic.clone()),
        ("DEBUG", settings.debug.clone()),
        ("INCREMENTAL", "false".into()),
    ]
    .into_iter()
    .map(|(k, v)| (format!("CARGO_PROFILE_RELEASE_{k}"), v))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lto_variant_is_fat_with_one_codegen_unit() {
        let rustc = RustcInfo::parse("rustc 1.95.0 (abc 2026-01-01)\nbinary: rustc\nhost: x86_64-unknown-linux-gnu\n");
        assert_eq!(rustc.version.as_deref(), Some("rustc 1.95.0 (abc 2026-01-01)"));
        assert_eq!(rustc.host, "x86_64-unknown-linux-gnu");
        let plain = settings(false, None, &rustc);
        let lto = settings(true, Some(2), &rustc);
        assert_eq!((plain.lto.as_str(), plain.codegen_units), ("false", 16));
        assert_eq!((lto.lto.as_str(), lto.codegen_units, lto.jobs), ("fat", 1, Some(2)));
        assert_eq!((variant_name(false), variant_name(true)), ("release", "release-lto"));
        let env = profile_env(&lto);
        assert!(env.contains(&("CARGO_PROFILE_RELEASE_LTO".into(), "fat".into())));
        assert!(env.contains(&("CARGO_PROFILE_RELEASE_CODEGEN_UNITS".into(), "1".into())));
        assert!(env.contains(&("CARGO_PROFILE_RELEASE_INCREMENTAL".into(), "false".into())));
        assert_eq!(RustcInfo::parse("garbage"), RustcInfo::default());
    }
}
