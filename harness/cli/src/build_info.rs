//! What the results record about the jsbench binary itself: its version,
//! and the facts of its build (git revision and dirty flag, rustc, profile)
//! captured by `build.rs` when it was compiled, never read from the disk at
//! run time (a binary built at one commit and run after checking out
//! another still names its own).

use jsbench_schema::ToolInfo;

/// The git revision the binary was built from (`<12 hex digits>`, with
/// `-dirty` when tracked files had changes), if git could tell at build
/// time.
pub const GIT_REVISION: Option<&str> = option_env!("JSBENCH_GIT_REVISION");

/// `rustc --version` of the compiler that built the binary, if known.
pub fn rustc_version() -> Option<&'static str> {
    non_empty(env!("JSBENCH_RUSTC_VERSION"))
}

/// The profile the binary was built with, as cargo tells build scripts:
/// `release` (also for `bench` and profiles inheriting from it) or `debug`.
pub fn profile() -> &'static str {
    env!("JSBENCH_BUILD_PROFILE")
}

fn non_empty(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}

/// The binary's facts for the results file.
pub fn tool_info() -> ToolInfo {
    ToolInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        git_revision: GIT_REVISION.and_then(non_empty).map(str::to_string),
        build_profile: profile().into(),
        rustc: rustc_version().map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_are_well_formed() {
        let info = tool_info();
        assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
        if let Some(rev) = &info.git_revision {
            let hex = rev.strip_suffix("-dirty").unwrap_or(rev);
            assert_eq!(hex.len(), 12, "{rev}");
            assert!(hex.chars().all(|c| c.is_ascii_hexdigit()), "{rev}");
        }
        if let Some(rustc) = &info.rustc {
            assert!(rustc.starts_with("rustc "), "{rustc}");
        }
        assert!(!profile().is_empty());
    }
}
