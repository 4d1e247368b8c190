//! Records the facts of this build for the results metadata, so the binary
//! never has to look at its source tree at run time: the compiler
//! (`JSBENCH_RUSTC_VERSION`), the profile (`JSBENCH_BUILD_PROFILE`) and the
//! git revision with a dirty flag (`JSBENCH_GIT_REVISION`, left unset when
//! git or the repository is not there, e.g. in a packaged crate).
//!
//! The script reruns when HEAD moves (`.git/HEAD`, the ref it points to,
//! `packed-refs`) or the index changes (staging, and `git status` refreshing
//! it), not on every build.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = output(Command::new(rustc).arg("--version")).unwrap_or_default();
    println!("cargo::rustc-env=JSBENCH_RUSTC_VERSION={version}");
    let profile = std::env::var("PROFILE").unwrap_or_default();
    println!("cargo::rustc-env=JSBENCH_BUILD_PROFILE={profile}");
    println!("cargo::rerun-if-env-changed=RUSTC");
    println!("cargo::rerun-if-changed=build.rs");

    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    if let Some(revision) = git_revision(&manifest_dir) {
        println!("cargo::rustc-env=JSBENCH_GIT_REVISION={revision}");
    }
}

/// `<short hash>[-dirty]` of the repository holding `dir`, watching the
/// files that change when it does.
fn git_revision(dir: &Path) -> Option<String> {
    // No optional locks: `git status` must not rewrite the index it is
    // watched through.
    let git = |args: &[&str]| {
        output(
            Command::new("git")
                .env("GIT_OPTIONAL_LOCKS", "0")
                .arg("-C")
                .arg(dir)
                .args(args),
        )
    };
    // With worktrees, HEAD and the index live in the worktree's git folder,
    // branch refs in the common one.
    let git_dir = absolute(dir, &git(&["rev-parse", "--git-dir"])?);
    let common_dir = absolute(dir, &git(&["rev-parse", "--git-common-dir"])?);
    watch(&git_dir.join("HEAD"));
    watch(&git_dir.join("index"));
    watch(&common_dir.join("packed-refs"));
    if let Some(reference) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watch(&common_dir.join(reference));
    }
    let revision = git(&["rev-parse", "--short=12", "HEAD"])?;
    let dirty = git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    Some(if dirty { format!("{revision}-dirty") } else { revision })
}

fn absolute(base: &Path, path: &str) -> PathBuf {
    let path = Path::new(path);
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    }
}

fn watch(path: &Path) {
    if path.exists() {
        println!("cargo::rerun-if-changed={}", path.display());
    }
}

/// The trimmed stdout of a command that succeeded.
fn output(command: &mut Command) -> Option<String> {
    let out = command.output().ok().filter(|o| o.status.success())?;
    Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
}
