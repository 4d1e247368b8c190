//! Deterministic instruction counts with valgrind's callgrind: a worker run
//! under `valgrind --tool=callgrind` with collection switched on only inside
//! the worker's `measured_call` (the calls of timed samples), so the total
//! is the instructions of exactly those calls, whatever else the machine is
//! doing. JIT engines write code at run time, hence `--smc-check=all`.

use crate::launch::WorkerCommand;
use std::path::Path;

/// Why callgrind cannot be used here, if it cannot.
pub fn availability() -> Result<(), String> {
    match std::process::Command::new("valgrind").arg("--version").output() {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(format!(
            "valgrind --version failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Err(e) => Err(format!(
            "valgrind is not installed ({e}); install the Debian package `valgrind` (bash harness/setup.sh --test)"
        )),
    }
}

/// The worker command wrapped in callgrind, writing its counts to `out`.
pub fn wrap(worker: &WorkerCommand, out: &Path) -> WorkerCommand {
    let mut args = vec![
        "--tool=callgrind".to_string(),
        "--collect-atstart=no".into(),
        "--toggle-collect=*measured_call*".into(),
        "--smc-check=all".into(),
        "--error-limit=no".into(),
        "--quiet".into(),
        format!("--callgrind-out-file={}", out.display()),
        worker.program.display().to_string(),
    ];
    args.extend(worker.args.iter().cloned());
    WorkerCommand {
        program: "valgrind".into(),
        args,
    }
}

/// The instruction total of a callgrind output file (its `totals:` or
/// `summary:` line).
pub fn total_instructions(text: &str) -> Option<u64> {
    text.lines()
        .rev()
        .find_map(|l| l.strip_prefix("totals:").or_else(|| l.strip_prefix("summary:")))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_totals_line() {
        let text = "version: 1\ncmd: x\nevents: Ir\nfn=(1) f\n3 5\nsummary: 1234\ntotals: 1234\n";
        assert_eq!(total_instructions(text), Some(1234));
        assert_eq!(total_instructions("events: Ir\n"), None);
    }

    #[test]
    fn wraps_the_worker() {
        let w = WorkerCommand {
            program: "/bin/jsbench".into(),
            args: vec!["worker".into()],
        };
        let c = wrap(&w, Path::new("/tmp/cg.out"));
        assert_eq!(c.program, Path::new("valgrind"));
        assert!(c.args.contains(&"--toggle-collect=*measured_call*".to_string()));
        assert_eq!(&c.args[c.args.len() - 2..], ["/bin/jsbench", "worker"]);
    }
}
