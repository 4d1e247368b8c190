//! Helpers shared by the integration tests: backends that skip with a
//! printed reason when their runtime is missing, modules, and /proc checks.

#![allow(dead_code)]

use jsbench_api::{Limits, WorkloadModule};
use jsbench_process::{ProcessBackend, availability, ensure_installed};
use std::sync::Once;
use std::time::Duration;

/// The backend called `name`, or `None` (with `unavailable: …` printed) when
/// its runtime is missing here. Node is required: its backends never skip.
pub fn backend(name: &str) -> Option<ProcessBackend> {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        if let Err(e) = ensure_installed() {
            println!("installing Deno and Bun failed, their backends will be unavailable: {e}");
        }
    });
    if let Err(why) = availability(name) {
        assert!(!name.starts_with("node-"), "{name} must be available: {why}");
        println!("{name}: unavailable: {why}");
        return None;
    }
    Some(ProcessBackend::from_name(name).expect("a known backend name"))
}

/// Limits with the given call timeout and 512 MiB of memory.
pub fn limits(timeout: Duration) -> Limits {
    Limits {
        call_timeout: timeout,
        memory_limit: 512 << 20,
    }
}

/// A module called `name` with `source`.
pub fn module(name: &str, source: &str) -> WorkloadModule {
    WorkloadModule {
        name: name.to_string(),
        source: source.to_string(),
        path: None,
    }
}

/// State letter and parent pid of `pid`, from /proc, while it exists.
pub fn proc_state(pid: u32) -> Option<(char, u32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, after) = stat.rsplit_once(')')?;
    let mut fields = after.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let parent = fields.next()?.parse().ok()?;
    Some((state, parent))
}

/// CPU time (user + system, in clock ticks) used so far by `pid`.
pub fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, after) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // After the name: state is field 3 of stat, utime 14 and stime 15.
    let user: u64 = fields.get(11)?.parse().ok()?;
    let system: u64 = fields.get(12)?.parse().ok()?;
    Some(user + system)
}

/// Panics if `pid` is a zombie child of this process.
pub fn assert_reaped(pid: u32) {
    if let Some((state, parent)) = proc_state(pid) {
        assert!(
            !(state == 'Z' && parent == std::process::id()),
            "child {pid} was left a zombie"
        );
    }
}

/// Children of this process that are zombies.
pub fn zombie_children() -> Vec<u32> {
    let me = std::process::id();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()))
        .filter(|&pid| matches!(proc_state(pid), Some(('Z', parent)) if parent == me))
        .collect()
}
