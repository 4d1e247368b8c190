//! The run check of a built probe: run it once, compare what it prints.

use jsbench_supervise::tail_lines as tail;
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs `binary` with `args` once; its trimmed output when it succeeds and
/// prints `expected`, else why not.
pub(crate) fn run_check(binary: &Path, args: &[String], expected: &str) -> Result<String, String> {
    let out = Command::new(binary)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout).trim_end().to_string();
    if !out.status.success() {
        return Err(format!(
            "{} exited with {}: {}",
            binary.display(),
            out.status,
            tail(&String::from_utf8_lossy(&out.stderr), 5)
        ));
    }
    if stdout != expected {
        return Err(format!("printed {stdout:?}, expected {expected:?}"));
    }
    Ok(stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_check_compares_the_output() {
        let echo = Path::new("/bin/echo");
        assert_eq!(run_check(echo, &["42 probe".into()], "42 probe"), Ok("42 probe".into()));
        let wrong = run_check(echo, &["41".into()], "42 probe").unwrap_err();
        assert!(wrong.contains("expected \"42 probe\""), "{wrong}");
        let failing = run_check(Path::new("/bin/false"), &[], "").unwrap_err();
        assert!(failing.contains("exited with"), "{failing}");
        assert!(
            run_check(Path::new("/no/such/probe"), &[], "")
                .unwrap_err()
                .starts_with("cannot run")
        );
    }
}
