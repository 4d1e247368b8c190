//! The V8 mirror decision of `harness/v8-mirror.sh` (run by
//! `harness/setup.sh`): `.cargo/v8-mirror.toml`, and through the project's
//! `.cargo/config.toml` cargo's `RUSTY_V8_MIRROR`, exist exactly when the
//! prebuilt V8 of the locked v8 version is beside the project. A clone
//! without `../shared` must build with the v8 crate's normal download, so
//! the variable must then be unset (v8 150.4.0 has no fallback). The
//! download itself cannot be tested here; the decision can.

use std::path::{Path, PathBuf};
use std::process::Command;

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A project folder `<tmp>/project` with the real script, lock file and
/// cargo config, and a tiny crate below it (`probe/`, so that its own lock
/// file does not replace the project's) that prints `RUSTY_V8_MIRROR`.
fn layout() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    for sub in ["harness/tools", ".cargo", "probe/src"] {
        std::fs::create_dir_all(project.join(sub)).unwrap();
    }
    let copy = |from: &str| std::fs::copy(project_root().join(from), project.join(from)).unwrap();
    copy("harness/v8-mirror.sh");
    copy("Cargo.lock");
    copy(".cargo/config.toml");
    // The config's rustc wrapper and C compiler (which keep paths out of
    // binaries) live in the project too.
    for tool in ["harness/tools/rustc-remap", "harness/tools/cc-remap"] {
        copy(tool);
    }
    std::fs::write(
        project.join("probe/Cargo.toml"),
        "[package]\nname = \"mirror-probe\"\nversion = \"0.1.0\"\nedition = \"2024\"\n[workspace]\n",
    )
    .unwrap();
    std::fs::write(
        project.join("probe/src/main.rs"),
        "fn main() { print!(\"{}\", std::env::var(\"RUSTY_V8_MIRROR\").unwrap_or_default()); }\n",
    )
    .unwrap();
    (dir, project)
}

fn decide(project: &Path) -> String {
    let out = Command::new("bash")
        .arg("harness/v8-mirror.sh")
        .current_dir(project)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `RUSTY_V8_MIRROR` as cargo sets it, through the project's config, for
/// a program run in `project/probe`.
fn cargo_mirror(project: &Path) -> String {
    let out = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--offline"])
        .current_dir(project.join("probe"))
        .env_remove("RUSTY_V8_MIRROR")
        .env("CARGO_TARGET_DIR", project.join("target"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn locked_v8() -> String {
    let lock = std::fs::read_to_string(project_root().join("Cargo.lock")).unwrap();
    let after = lock
        .split("name = \"v8\"\nversion = \"")
        .nth(1)
        .expect("v8 in Cargo.lock");
    after.split('"').next().unwrap().to_string()
}

#[test]
fn the_mirror_is_set_exactly_where_the_prebuilt_v8_is() {
    let (dir, project) = layout();
    let config = project.join(".cargo/v8-mirror.toml");

    // No ../shared: no setting, so the crate downloads.
    assert!(decide(&project).contains("downloads"));
    assert!(!config.exists());
    assert_eq!(cargo_mirror(&project), "");

    // Another version's folder only: still no setting.
    let mirror = dir.path().join("shared/rusty_v8");
    std::fs::create_dir_all(mirror.join("v0.0.1")).unwrap();
    decide(&project);
    assert!(!config.exists());

    // The locked version beside the project: cargo points the crate at it.
    std::fs::create_dir_all(mirror.join(format!("v{}", locked_v8()))).unwrap();
    assert!(decide(&project).contains("prebuilt V8"));
    assert!(config.exists());
    let set = PathBuf::from(cargo_mirror(&project));
    assert_eq!(set.canonicalize().unwrap(), mirror.canonicalize().unwrap());

    // The folder gone again (a clone moved elsewhere): the setting goes too.
    std::fs::remove_dir_all(&mirror).unwrap();
    decide(&project);
    assert!(!config.exists());
    assert_eq!(cargo_mirror(&project), "");
}
