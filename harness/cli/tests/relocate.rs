//! The binary runs without its source tree: copied elsewhere, started from
//! `/` with an empty cache folder, it installs its embedded workloads and
//! scripts there and measures.

mod common;

use common::{cell, results, text};
use jsbench_schema::CellStatus;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A copy of the jsbench binary in a folder of its own.
fn copied_binary(dir: &Path) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let copy = bin.join("jsbench");
    std::fs::copy(env!("CARGO_BIN_EXE_jsbench"), &copy).unwrap();
    copy
}

/// The copy, run from `/` with `cache` as its cache folder.
fn relocated(binary: &Path, cache: &Path) -> Command {
    let mut command = Command::new(binary);
    command
        .current_dir("/")
        .env("JSBENCH_CACHE_DIR", cache)
        .env_remove("JSBENCH_NODE")
        .env_remove("JSBENCH_DENO")
        .env_remove("JSBENCH_BUN");
    command
}

/// Runs a command of the copied binary. A copy just written can be "busy"
/// for a moment (ETXTBSY): a process forked by another test thread while
/// the copy was open for writing holds that descriptor until it execs.
fn run_copy(command: &mut Command) -> std::process::Output {
    for _ in 0..100 {
        match command.output() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other.expect("the copied jsbench runs"),
        }
    }
    panic!("the copied binary stayed busy (ETXTBSY) for 2 s")
}

fn node_works() -> bool {
    Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn a_copied_binary_finds_its_workloads_and_runs_from_an_empty_cache() {
    let dir = tempfile::tempdir().unwrap();
    let binary = copied_binary(dir.path());
    let cache = dir.path().join("cache");

    let list = run_copy(relocated(&binary, &cache).arg("list"));
    assert!(list.status.success(), "{}", text(&list));
    let stdout = String::from_utf8_lossy(&list.stdout);
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../workloads");
    let manifests = jsbench_runner::manifest::load_suite(&source).unwrap().len();
    assert!(
        stdout.contains(&format!("Workloads ({manifests}):")),
        "the whole suite is listed: {stdout}"
    );
    assert!(stdout.contains("fib"), "{stdout}");
    let installed: Vec<String> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        installed
            .iter()
            .any(|n| n.starts_with("workloads-") && !n.ends_with(".lock")),
        "the suite is installed in the cache: {installed:?}"
    );

    let mut backends = vec!["quickjs"];
    if node_works() {
        backends.push("node-pipe");
    }
    let output = dir.path().join("r.json");
    let run = relocated(&binary, &cache)
        .args([
            "run",
            "--quick",
            "--quiet",
            "-w",
            "fib",
            "-b",
            &backends.join(","),
            "-o",
        ])
        .arg(&output)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run));
    let results = results(&output);
    for backend in &backends {
        let cell = cell(&results, backend, "fib");
        assert_eq!(cell.status, CellStatus::Ok, "{backend}: {cell:?}");
    }
    let fib = results
        .workloads
        .iter()
        .find(|w| w.name == "fib")
        .expect("fib recorded");
    assert!(
        Path::new(&fib.manifest).starts_with(&cache),
        "the manifest is the installed one: {}",
        fib.manifest
    );
}

#[test]
fn a_tampered_installed_suite_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let binary = copied_binary(dir.path());
    let cache = dir.path().join("cache");
    let show = run_copy(relocated(&binary, &cache).args(["setup", "--show"]));
    assert!(show.status.success(), "{}", text(&show));
    let stdout = String::from_utf8_lossy(&show.stdout);
    let suite = stdout
        .lines()
        .find_map(|l| l.strip_prefix("workloads:"))
        .map(|p| PathBuf::from(p.trim()))
        .expect("setup --show names the workloads folder");
    assert!(suite.starts_with(&cache) && !suite.exists(), "--show installs nothing");

    let list = run_copy(relocated(&binary, &cache).arg("list"));
    assert!(list.status.success(), "{}", text(&list));
    let fib = suite.join("compute/fib.toml");
    let original = std::fs::read_to_string(&fib).unwrap();
    std::fs::write(&fib, "broken = [").unwrap();
    let list = run_copy(relocated(&binary, &cache).arg("list"));
    assert!(
        list.status.success(),
        "a changed file is extracted again: {}",
        text(&list)
    );
    assert_eq!(std::fs::read_to_string(&fib).unwrap(), original);
}

/// Where the checkout is, as cargo and the build scripts see it.
fn checkout_paths() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut paths = vec![root.canonicalize().unwrap().display().to_string()];
    // `CARGO_MANIFEST_DIR` without the `..`: the logical path, which can
    // differ from the canonical one behind a symlink.
    if let Some(logical) = Path::new(env!("CARGO_MANIFEST_DIR")).parent().and_then(Path::parent) {
        paths.push(logical.display().to_string());
    }
    paths.dedup();
    paths
}

#[test]
fn the_binary_names_no_path_of_its_checkout() {
    // The rustc and C-compiler wrappers of `.cargo/config.toml` remap the
    // checkout's path; without them generated code that build scripts put
    // under target/ (cranelift's, QuickJS's C) would carry it.
    let binary = std::fs::read(env!("CARGO_BIN_EXE_jsbench")).unwrap();
    for path in checkout_paths() {
        let needle = format!("{path}/");
        let found = binary.windows(needle.len()).position(|w| w == needle.as_bytes());
        let context = found.map(|at| String::from_utf8_lossy(&binary[at..(at + 160).min(binary.len())]).into_owned());
        assert_eq!(context, None, "the binary contains the checkout's path {path}");
    }
}
