//! The transport floor of a run's process backends (see
//! `jsbench_process::floor`): measured once per run after the cells, one
//! backend after another with nothing else running, from this process on
//! the worker CPUs of `--pin` with its peers on the child CPUs, so it is
//! measured where the cells were.

use jsbench_schema::{BackendInfo, BackendKind, CpuPin, Results, Transport, TransportFloor};
use jsbench_supervise::placement::{self, CpuSet};
use std::process::Command;

/// Untimed and timed round trips per part: a quick run takes fewer.
fn round_trips(quick: bool) -> (u32, u32) {
    if quick { (100, 500) } else { (500, 3000) }
}

/// The available process backends among `backends`, in order.
pub(super) fn candidates(backends: &[BackendInfo]) -> Vec<&BackendInfo> {
    backends
        .iter()
        .filter(|b| b.kind == BackendKind::OutOfProcess && b.unavailable.is_none())
        .collect()
}

/// Measures the floor of each process backend among `backends` into
/// `results` (replacing an older entry of the same backend); `stopped` is
/// asked between backends.
pub(super) fn measure(
    backends: &[BackendInfo],
    pin: Option<&CpuPin>,
    quick: bool,
    quiet: bool,
    results: &mut Results,
    stopped: &dyn Fn() -> bool,
) {
    let candidates = candidates(backends);
    if candidates.is_empty() {
        return;
    }
    let Ok(program) = std::env::current_exe() else {
        eprintln!("warning: the transport floor was not measured: the jsbench executable cannot be found");
        return;
    };
    let (warmup, timed) = round_trips(quick);
    let placed = pin.map(Placed::new);
    for backend in candidates {
        if stopped() {
            break;
        }
        if !quiet {
            eprintln!("measuring the transport floor of {} ...", backend.name);
        }
        let peer = |transport: Transport| {
            let mut peer = Command::new(&program);
            peer.args(["transport-peer", transport.key()]);
            peer
        };
        let Some(floor) = jsbench_registry::transport_floor(&backend.name, peer, warmup, timed) else {
            continue;
        };
        if let Some(error) = &floor.error {
            eprintln!("warning: transport floor of {}: {error}", backend.name);
        }
        keep(&mut results.transport_floor, floor);
    }
    drop(placed);
}

/// Replaces the entry of the same backend, or adds one.
fn keep(floors: &mut Vec<TransportFloor>, floor: TransportFloor) {
    match floors.iter_mut().find(|f| f.backend == floor.backend) {
        Some(old) => *old = floor,
        None => floors.push(floor),
    }
}

/// While alive: this thread on the worker CPUs and the children it starts
/// on the child CPUs; both put back on drop.
struct Placed {
    thread_before: Option<CpuSet>,
    children_before: Option<CpuSet>,
}

impl Placed {
    fn new(pin: &CpuPin) -> Placed {
        let worker = CpuSet::new(pin.worker.clone()).ok();
        let child = CpuSet::new(pin.child.clone()).ok();
        let thread_before = worker.and_then(|cpus| match placement::pin_current_thread(&cpus) {
            Ok(before) => Some(before),
            Err(e) => {
                eprintln!("warning: the transport floor is measured unpinned: {e}");
                None
            }
        });
        let children_before = placement::child_cpus();
        placement::set_child_cpus(child);
        Placed {
            thread_before,
            children_before,
        }
    }
}

impl Drop for Placed {
    fn drop(&mut self) {
        if let Some(before) = &self.thread_before {
            let _ = placement::pin_current_thread(before);
        }
        placement::set_child_cpus(self.children_before.take());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_floor_replaces_the_old_one_of_its_backend() {
        let mut floors = Vec::new();
        let floor = |backend: &str, error: &str| TransportFloor {
            backend: backend.into(),
            transport: Transport::Pipe,
            floor: None,
            runtime_echo: None,
            server_noop: None,
            error: Some(error.into()),
        };
        keep(&mut floors, floor("node-pipe", "old"));
        keep(&mut floors, floor("bun-pipe", "other"));
        keep(&mut floors, floor("node-pipe", "new"));
        let errors: Vec<_> = floors.iter().map(|f| f.error.as_deref()).collect();
        assert_eq!(errors, [Some("new"), Some("other")]);
    }
}
