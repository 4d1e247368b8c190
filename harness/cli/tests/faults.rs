//! Fault injection on real engines: SIGTERM and SIGKILL of jsbench in the
//! middle of a call on node-pipe, deno-pipe, bun-http, v8 and
//! wasm-component cells leave no process behind (checked in the process
//! table: every process below jsbench at the moment of the signal is
//! gone), a valid results file, and `--resume` completes it with the
//! finished cells byte-identical. Also: two runs on one results file, a
//! full disk, a changed workload on resume, and commands that would
//! "succeed" at nothing.

mod common;

use common::{jsbench, results, run, text};
use jsbench_schema::{Cell, Results};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A workload whose `default` call busies the engine for 1.5 s or more (its
/// first call; a JIT makes later ones faster, Bun's to about 0.2 s) and
/// whose `small` call returns at once. The loop counts (the wasm
/// component's clock does not advance inside a call, so no `Date.now()`
/// loop), with a count per engine: StarlingMonkey's and QuickJS's
/// interpreters are much slower than the JITs here.
fn busy_workload(dir: &Path, backend: &str) -> PathBuf {
    std::fs::write(
        dir.join("busy.js"),
        "export function run(input) { let x = 0; for (let i = 0; i < Number(input); i++) x = (x * 31 + i) | 0; \
         return x === 0.5 ? \"never\" : \"done\"; }\n",
    )
    .unwrap();
    // About 2 s per call on this machine for each (quickjs 16 s and v8
    // 4 s at the runtimes' count, close to the 20 s timeout on a loaded CI
    // machine).
    let count = match backend {
        b if b.starts_with("wasm") => "2500000",
        "quickjs" => "10000000",
        "v8" => "40000000",
        _ => "100000000",
    };
    let manifest = dir.join("busy.toml");
    std::fs::write(
        &manifest,
        format!(
            "name = \"busy\"\ncategory = \"test\"\ndescription = \"busy loop\"\n\
             [sizes.small]\ninput = \"0\"\nexpected = \"done\"\n\
             [sizes.default]\ninput = \"{count}\"\nexpected = \"done\"\n"
        ),
    )
    .unwrap();
    manifest
}

fn start(backend: &str, manifest: &Path, output: &Path) -> Child {
    jsbench()
        .args(["run", "-q", "--quick", "-b", backend, "-w"])
        .arg(manifest)
        .args([
            "-s",
            "small,default",
            "--samples",
            "1",
            "--warmup",
            "0",
            "--timeout-ms",
            "20000",
            "-o",
        ])
        .arg(output)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("jsbench starts")
}

/// `jsbench run -q --quick` with `args`.
fn quick(args: &[&str]) -> std::process::Output {
    let mut all = vec!["run", "-q", "--quick"];
    all.extend_from_slice(args);
    run(&all)
}

fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| !s.rsplit(')').next().unwrap_or("").trim_start().starts_with('Z'))
        .unwrap_or(false)
}

/// Waits (bounded) until the `small` cell is finished in the file and the
/// `default` cell's worker has been running its call for a while; returns
/// every process below jsbench then.
fn wait_mid_call(child: &mut Child, output: &Path, backend: &str) -> Vec<u32> {
    let deadline = Instant::now() + Duration::from_secs(180);
    let mut since: Option<Instant> = None;
    loop {
        assert!(
            Instant::now() < deadline,
            "{backend}: the run never reached the busy call"
        );
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{backend}: jsbench ended early with {status}");
        }
        let small_done = Results::read(output).is_ok_and(|r| {
            r.cell(backend, "busy", "small")
                .is_some_and(|c| !c.processes.is_empty())
        });
        let tree = jsbench_supervise::procfs::process_tree(child.id());
        // A worker, and for process backends its runtime child.
        let wanted = if backend.contains('-') && !backend.starts_with("wasm") {
            3
        } else {
            2
        };
        if small_done && tree.len() >= wanted {
            let started = *since.get_or_insert_with(Instant::now);
            // Past create and load, well inside the 1.5 s call.
            if started.elapsed() > Duration::from_millis(600) {
                return tree.into_iter().skip(1).collect();
            }
        } else {
            since = None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn assert_all_gone(pids: &[u32], backend: &str, signal: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while pids.iter().any(|p| alive(*p)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let left: Vec<String> = pids
        .iter()
        .filter(|p| alive(**p))
        .map(|p| {
            std::fs::read_to_string(format!("/proc/{p}/cmdline"))
                .unwrap_or_default()
                .replace('\0', " ")
        })
        .collect();
    assert!(
        left.is_empty(),
        "{backend}: after {signal} of jsbench these processes are left: {left:?}"
    );
}

fn signal_case(backend: &str, signal: i32) {
    let name = if signal == libc::SIGTERM { "SIGTERM" } else { "SIGKILL" };
    let dir = tempfile::tempdir().unwrap();
    let manifest = busy_workload(dir.path(), backend);
    let output = dir.path().join("r.json");
    let mut child = start(backend, &manifest, &output);
    let below = wait_mid_call(&mut child, &output, backend);
    // SAFETY: plain kill(2) of our own child.
    assert_eq!(unsafe { libc::kill(child.id() as i32, signal) }, 0);
    let status = child.wait().unwrap();
    assert_all_gone(&below, backend, name);
    use std::os::unix::process::ExitStatusExt;
    if signal == libc::SIGTERM {
        assert_eq!(
            status.code(),
            Some(128 + libc::SIGTERM),
            "{backend}: SIGTERM is a clean stop"
        );
    } else {
        assert_eq!(status.signal(), Some(libc::SIGKILL));
    }
    let before = results(&output);
    let small = serde_json::to_string(
        before
            .cell(backend, "busy", "small")
            .expect("the finished cell is kept"),
    )
    .unwrap();
    assert!(
        before
            .cell(backend, "busy", "default")
            .is_none_or(|c| c.processes.is_empty()),
        "{backend}: the interrupted call is not recorded as measured"
    );
    let resumed = run(&["run", "-q", "--resume", output.to_str().unwrap()]);
    let errors: Vec<_> = Results::read(&output)
        .map(|r| r.cells.into_iter().filter_map(|c| c.error).collect())
        .unwrap_or_default();
    assert!(resumed.status.success(), "{backend}: {}\n{errors:?}", text(&resumed));
    let after = results(&output);
    let small_after = serde_json::to_string(after.cell(backend, "busy", "small").unwrap()).unwrap();
    assert_eq!(small, small_after, "{backend}: a finished cell is kept byte for byte");
    let done: &Cell = after.cell(backend, "busy", "default").expect("resume ran the rest");
    assert_eq!(done.error, None, "{backend}");
    assert!(!done.processes.is_empty());
}

fn available(backend: &str) -> bool {
    let list = run(&["list"]);
    let line = String::from_utf8_lossy(&list.stdout)
        .lines()
        .find(|l| l.split_whitespace().next() == Some(backend))
        .map(str::to_string);
    match line {
        Some(l) if !l.contains("unavailable") => true,
        _ => {
            // CI installs every runtime; a machine without one says so.
            eprintln!("skipping {backend}: not available here");
            false
        }
    }
}

macro_rules! signal_tests {
    ($($name:ident: $backend:literal,)*) => {
        mod signals {
            use super::*;
            $(
                #[test]
                fn $name() {
                    if available($backend) {
                        signal_case($backend, libc::SIGTERM);
                        signal_case($backend, libc::SIGKILL);
                    }
                }
            )*
        }
    };
}

signal_tests! {
    node_pipe: "node-pipe",
    deno_pipe: "deno-pipe",
    bun_http: "bun-http",
    v8: "v8",
    wasm_component: "wasm-component",
}

#[test]
fn a_second_run_on_the_same_file_is_refused_while_the_first_runs() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = busy_workload(dir.path(), "quickjs");
    let output = dir.path().join("r.json");
    let first = start("quickjs", &manifest, &output);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !output.exists() {
        assert!(Instant::now() < deadline, "the first run never wrote its file");
        std::thread::sleep(Duration::from_millis(20));
    }
    for extra in [&[][..], &["--force"][..]] {
        let mut args = vec![
            "run",
            "-q",
            "--quick",
            "-b",
            "quickjs",
            "-w",
            "fib",
            "-o",
            output.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let second = run(&args);
        assert_eq!(second.status.code(), Some(2), "{}", text(&second));
        assert!(String::from_utf8_lossy(&second.stderr).contains("is being written by another jsbench run"));
    }
    let first = first.wait_with_output().unwrap();
    assert!(
        first.status.success(),
        "the first run is not disturbed: {}",
        text(&first)
    );
    let file = results(&output);
    assert!(
        file.cell("quickjs", "busy", "default")
            .is_some_and(|c| c.error.is_none())
    );
    assert!(
        file.cells.iter().all(|c| c.workload == "busy"),
        "no cell of the refused run"
    );
}

/// A tmpfs of a few pages, mounted for the test (needs root, as CI is).
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(dir: &Path) -> Option<SmallDisk> {
        let at = dir.join("disk");
        std::fs::create_dir(&at).unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(&at)
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(SmallDisk(at))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_is_a_clear_error_and_keeps_the_previous_file() {
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = SmallDisk::mount(dir.path()) else {
        eprintln!("skipping: cannot mount a tmpfs here (not root)");
        return;
    };
    let output = disk.0.join("r.json");
    let first = quick(&["-b", "quickjs", "-w", "fib", "-o", output.to_str().unwrap()]);
    assert!(first.status.success(), "{}", text(&first));
    let previous = std::fs::read(&output).unwrap();
    // Fill what is left of the disk.
    let mut filler = std::fs::File::create(disk.0.join("filler")).unwrap();
    let block = vec![0u8; 4096];
    while std::io::Write::write_all(&mut filler, &block).is_ok() {}
    drop(filler);
    let second = quick(&[
        "-b",
        "quickjs",
        "-w",
        "fib,richards",
        "-o",
        output.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(second.status.code(), Some(3), "{}", text(&second));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(stderr.contains("r.json"), "the message names the file: {stderr}");
    assert_eq!(std::fs::read(&output).unwrap(), previous, "the previous file is intact");
    let temporaries: Vec<_> = std::fs::read_dir(&disk.0)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp."))
        .collect();
    assert!(temporaries.is_empty(), "no temporary file is left: {temporaries:?}");
}

#[test]
fn resume_refuses_a_changed_module_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = common::workload(dir.path(), "echoer", "export function run(i) { return i; }", "a", "a");
    let output = dir.path().join("r.json");
    let m = manifest.to_str().unwrap();
    let o = output.to_str().unwrap();
    let first = quick(&["-b", "quickjs,boa", "-w", m, "-o", o]);
    assert!(first.status.success(), "{}", text(&first));
    std::fs::write(
        dir.path().join("echoer.js"),
        "export function run(i) { return String(i); }",
    )
    .unwrap();
    let refused = run(&["run", "-q", "--resume", o]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("the module of workload `echoer` changed"), "{stderr}");
    assert_eq!(results(&output), results(&output), "the file is readable");
    let forced = run(&["run", "-q", "--resume", o, "--force"]);
    assert!(forced.status.success(), "{}", text(&forced));
    let file = results(&output);
    assert_eq!(file.cells.len(), 2);
    let info = file.workloads.iter().find(|w| w.name == "echoer").unwrap();
    assert_eq!(
        info.source_sha256,
        jsbench_runner::manifest::sha256_hex(b"export function run(i) { return String(i); }")
    );
}

#[test]
fn commands_that_measure_or_match_nothing_do_not_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name).display().to_string();
    // An empty shard.
    let shard = quick(&["-b", "quickjs", "-w", "fib", "--shard", "2/2", "-o", &out("s.json")]);
    assert_eq!(shard.status.code(), Some(4), "{}", text(&shard));
    assert!(String::from_utf8_lossy(&shard.stderr).contains("shard 2/2 of a 1-cell plan is empty"));
    // Every cell unsupported: a workload that imports.
    let imports = dir.path().join("imports");
    std::fs::create_dir(&imports).unwrap();
    let m = common::workload(
        &imports,
        "importer",
        "import \"./x.js\";\nexport function run(i) { return i; }",
        "a",
        "a",
    );
    let none = quick(&["-b", "quickjs,v8", "-w", m.to_str().unwrap(), "-o", &out("i.json")]);
    assert_eq!(none.status.code(), Some(4), "{}", text(&none));
    let file = results(Path::new(&out("i.json")));
    for cell in &file.cells {
        let message = &cell.error.as_ref().unwrap().message;
        assert!(message.contains("imports `./x.js` (line 1"), "{message}");
        assert!(message.contains("must be one self-contained ES module"), "{message}");
    }
    // A size typo.
    let typo = quick(&["-b", "quickjs", "-w", "fib", "-s", "hueg", "-o", &out("t.json")]);
    assert_eq!(typo.status.code(), Some(2), "{}", text(&typo));
    assert!(String::from_utf8_lossy(&typo.stderr).contains("no selected workload has the size `hueg`"));
    // A comparison of files with no cell in common.
    for (name, w) in [("a.json", "fib"), ("b.json", "richards")] {
        let r = quick(&["-b", "quickjs", "-w", w, "-o", &out(name)]);
        assert!(r.status.success(), "{}", text(&r));
    }
    let compare = run(&["compare", &out("a.json"), &out("b.json")]);
    assert_eq!(compare.status.code(), Some(4), "{}", text(&compare));
    assert!(String::from_utf8_lossy(&compare.stderr).contains("no measured cell in common"));
    // A missing workloads folder.
    let list = run(&["list", "--workloads-dir", "/nonexistent"]);
    assert_eq!(list.status.code(), Some(2), "{}", text(&list));
}

#[test]
fn partial_cells_are_marked_in_show_check_and_compare() {
    let dir = tempfile::tempdir().unwrap();
    let o = dir.path().join("p.json");
    let r = quick(&["-b", "quickjs", "-w", "fib", "-o", o.to_str().unwrap()]);
    assert!(r.status.success(), "{}", text(&r));
    // As an interrupted run of 10 processes per cell leaves it.
    let mut file = results(&o);
    file.config.processes = 10;
    file.write_atomic(&o).unwrap();
    let show = run(&["show", o.to_str().unwrap()]);
    let shown = String::from_utf8_lossy(&show.stdout);
    assert!(shown.contains("PARTIAL 1/10"), "{shown}");
    assert!(shown.contains("partial: 1 of 10 processes"), "{shown}");
    let check = run(&["check", o.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(1), "{}", text(&check));
    assert!(
        String::from_utf8_lossy(&check.stdout).contains("partial: 1 of 10 processes"),
        "{}",
        text(&check)
    );
    let compare = run(&["compare", o.to_str().unwrap(), o.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&compare.stdout).contains("partial"),
        "{}",
        text(&compare)
    );
}

#[test]
fn output_rules_refuse_clobbering_and_allow_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let o = dir.path().join("r.json");
    let first = quick(&["-b", "quickjs", "-w", "fib", "-o", o.to_str().unwrap()]);
    assert!(first.status.success(), "{}", text(&first));
    let kept = std::fs::read(&o).unwrap();
    let again = quick(&["-b", "quickjs", "-w", "fib", "-o", o.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("use `--resume"),
        "{}",
        text(&again)
    );
    assert_eq!(std::fs::read(&o).unwrap(), kept);
    let dev = quick(&["-b", "quickjs", "-w", "fib", "-o", "/dev/full", "--force"]);
    assert_eq!(dev.status.code(), Some(2), "{}", text(&dev));
    let stdout = run(&["run", "--quick", "-b", "quickjs", "-w", "fib", "-o", "-"]);
    assert!(stdout.status.success(), "{}", text(&stdout));
    let parsed = Results::from_json(&String::from_utf8_lossy(&stdout.stdout), "stdout").expect("stdout is the JSON");
    assert_eq!(parsed.cells.len(), 1);
    assert!(
        String::from_utf8_lossy(&stdout.stderr).contains("fib (small)"),
        "the table goes to stderr"
    );
    assert!(!Path::new("-").exists());
}

#[test]
fn every_backend_gives_workloads_the_same_console() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = common::workload(
        dir.path(),
        "console-use",
        "export function run(input) { console.log(\"a\", { b: 1 }); console.info(1); console.warn([2]); \
         console.error(\"e\"); console.debug(null); console.trace(\"t\"); \
         return typeof console.log === \"function\" ? input : \"no console\"; }",
        "x",
        "x",
    );
    let backends = "quickjs,boa,v8,v8-jitless,wasm-component,node-pipe,deno-pipe,bun-pipe";
    let o = dir.path().join("c.json");
    let r = quick(&[
        "-b",
        backends,
        "-w",
        manifest.to_str().unwrap(),
        "-o",
        o.to_str().unwrap(),
    ]);
    let file = results(&o);
    for cell in &file.cells {
        let unavailable = file
            .backends
            .iter()
            .any(|b| b.name == cell.backend && b.unavailable.is_some());
        if !unavailable {
            assert_eq!(cell.error, None, "{}: {}", cell.backend, text(&r));
        }
    }
    assert_eq!(file.cells.len(), 8);
}
