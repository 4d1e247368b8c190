//! The three JavaScript runtimes: where their binaries are, what version they
//! are, and the command line that starts one of our server scripts on them.
//!
//! Node.js is the system one (on `PATH`). Deno and Bun come from their npm
//! packages, installed into `node_modules` of [`js_dir`] by
//! [`ensure_installed`](crate::ensure_installed). Each can be overridden with
//! an environment variable naming a binary (`JSBENCH_NODE`, `JSBENCH_DENO`,
//! `JSBENCH_BUN`), and Deno and Bun fall back to `PATH`.

use crate::install::js_dir;
use jsbench_api::Bytes;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// A JavaScript runtime that runs as a separate process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Runtime {
    /// Node.js (V8), from `PATH`.
    Node,
    /// Deno (V8), from the `deno` npm package.
    Deno,
    /// Bun (JavaScriptCore), from the `bun` npm package.
    Bun,
}

/// Why a runtime (and so its backends) cannot be used on this machine.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unavailable(pub String);

/// A runtime binary that answered `--version`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    /// The binary that is run.
    pub binary: PathBuf,
    /// Its version, without prefixes (e.g. `20.20.2`).
    pub version: String,
}

impl Runtime {
    /// All runtimes, in the order backends are listed.
    pub const ALL: [Runtime; 3] = [Runtime::Node, Runtime::Deno, Runtime::Bun];

    /// Short name, the first part of backend names (`node`, `deno`, `bun`).
    pub fn key(self) -> &'static str {
        match self {
            Runtime::Node => "node",
            Runtime::Deno => "deno",
            Runtime::Bun => "bun",
        }
    }

    /// Engine name shown in results.
    pub fn engine(self) -> &'static str {
        match self {
            Runtime::Node => "Node.js",
            Runtime::Deno => "Deno",
            Runtime::Bun => "Bun",
        }
    }

    /// Whether the runtime enforces a heap limit itself. Node and Deno pass
    /// `--max-old-space-size` to V8; Bun (JavaScriptCore) has no such limit,
    /// so the harness has to watch memory from outside.
    pub fn enforces_memory_limit(self) -> bool {
        !matches!(self, Runtime::Bun)
    }

    /// Whether [`ensure_installed`](crate::ensure_installed) is what provides
    /// the binary: Deno and Bun, unless an environment variable names one.
    pub(crate) fn installed_by_npm(self) -> bool {
        !matches!(self, Runtime::Node) && std::env::var_os(self.env_override()).is_none()
    }

    fn env_override(self) -> &'static str {
        match self {
            Runtime::Node => "JSBENCH_NODE",
            Runtime::Deno => "JSBENCH_DENO",
            Runtime::Bun => "JSBENCH_BUN",
        }
    }

    /// Finds the binary and asks its version, once per process; a failure is
    /// not remembered, so installing the runtime later makes it available.
    pub fn locate(self) -> Result<&'static Installed, Unavailable> {
        static FOUND: [OnceLock<Installed>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
        let slot = &FOUND[self as usize];
        if let Some(found) = slot.get() {
            return Ok(found);
        }
        let found = self.probe()?;
        Ok(slot.get_or_init(|| found))
    }

    fn probe(self) -> Result<Installed, Unavailable> {
        if let Some(binary) = std::env::var_os(self.env_override()) {
            return ask_version(self, Path::new(&binary)).map_err(|why| {
                Unavailable(format!(
                    "{} (from {}): {why}",
                    Path::new(&binary).display(),
                    self.env_override()
                ))
            });
        }
        let mut tried = Vec::new();
        for binary in self.candidates() {
            match ask_version(self, &binary) {
                Ok(found) => return Ok(found),
                Err(why) => tried.push(format!("{}: {why}", binary.display())),
            }
        }
        let hint = match self {
            Runtime::Node => "install Node.js and put `node` on PATH".to_string(),
            Runtime::Deno | Runtime::Bun => match js_dir() {
                Ok(dir) => format!(
                    "run `jsbench setup` (or jsbench_process::ensure_installed), which runs `npm ci` in {}",
                    dir.display()
                ),
                Err(why) => why.to_string(),
            },
        };
        let tried = if tried.is_empty() {
            "nothing found".to_string()
        } else {
            tried.join("; ")
        };
        Err(Unavailable(format!(
            "no working {} binary ({tried}); {hint}",
            self.key()
        )))
    }

    /// Where the binary may be, best first; only existing files.
    fn candidates(self) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let modules = js_dir().map(|dir| dir.join("node_modules"));
        match (self, modules) {
            (Runtime::Node, _) | (_, Err(_)) => {}
            // The packages' install scripts move the binary out of the
            // platform package into the main one; without them (for example
            // `npm ci --ignore-scripts`) it stays in the platform package.
            (Runtime::Deno, Ok(modules)) => {
                found.push(modules.join("deno").join("deno"));
                found.extend(platform_binaries(&modules.join("@deno"), Path::new("deno")));
            }
            (Runtime::Bun, Ok(modules)) => {
                found.push(modules.join("bun").join("bin").join("bun.exe"));
                found.extend(platform_binaries(&modules.join("@oven"), &Path::new("bin").join("bun")));
            }
        }
        found.extend(on_path(self.key()));
        found.retain(|p| p.is_file());
        found
    }

    /// The runtime's own command-line flags for a server script: permissions
    /// (Deno) and the heap limit (Node, Deno).
    pub(crate) fn flags(self, memory_limit: Bytes) -> Vec<String> {
        let mib = (memory_limit >> 20).max(1);
        match self {
            Runtime::Node => vec![format!("--max-old-space-size={mib}")],
            Runtime::Deno => vec![
                "run".into(),
                "--no-config".into(),
                "--allow-read".into(),
                "--allow-net=127.0.0.1".into(),
                format!("--v8-flags=--max-old-space-size={mib}"),
            ],
            Runtime::Bun => vec!["run".into()],
        }
    }

    /// Whether the runtime has a permission model jsbench can run it under
    /// (Node's `--experimental-permission`, Deno's default of no
    /// permissions); Bun has none.
    pub fn can_sandbox(self) -> bool {
        !matches!(self, Runtime::Bun)
    }

    /// The command-line flags of the hardened setting a plugin host would
    /// use: the permission model on, reading allowed only in `scripts` (the
    /// server scripts, which Node must read and Deno loads as the main
    /// module's graph) and `modules` (where the workload module is written),
    /// and nothing else granted. `None` for Bun, which has no permission
    /// model. Node 20's model does not cover the network or environment
    /// variables; the sandbox matrix shows what that leaves open.
    pub(crate) fn sandboxed_flags(self, memory_limit: Bytes, scripts: &Path, modules: &Path) -> Option<Vec<String>> {
        let mib = (memory_limit >> 20).max(1);
        match self {
            Runtime::Node => Some(vec![
                "--experimental-permission".into(),
                format!("--allow-fs-read={}/", scripts.display()),
                format!("--allow-fs-read={}/", modules.display()),
                format!("--max-old-space-size={mib}"),
            ]),
            Runtime::Deno => Some(vec![
                "run".into(),
                "--no-config".into(),
                "--no-prompt".into(),
                format!("--allow-read={}", modules.display()),
                format!("--v8-flags=--max-old-space-size={mib}"),
            ]),
            Runtime::Bun => None,
        }
    }

    /// The command that runs `script` with `flags`, quiet and colourless.
    pub(crate) fn command(self, installed: &Installed, flags: &[String], script: &Path, cwd: &Path) -> Command {
        let mut command = Command::new(&installed.binary);
        command.args(flags).arg(script).current_dir(cwd);
        command.env("NO_COLOR", "1").env_remove("FORCE_COLOR");
        match self {
            Runtime::Node => {
                command.env_remove("NODE_OPTIONS");
            }
            Runtime::Deno => {
                command.env("DENO_NO_UPDATE_CHECK", "1").env("DENO_NO_PROMPT", "1");
            }
            Runtime::Bun => {
                command.env("DO_NOT_TRACK", "1");
            }
        }
        command
    }
}

fn platform_binaries(scope: &Path, inside: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(scope) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries.flatten().map(|e| e.path().join(inside)).collect();
    found.sort();
    found
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path: OsString = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn ask_version(runtime: Runtime, binary: &Path) -> Result<Installed, String> {
    let output = Command::new(binary)
        .arg("--version")
        .env("NO_COLOR", "1")
        .env("DENO_NO_UPDATE_CHECK", "1")
        .output()
        .map_err(|e| format!("cannot run it: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("`--version` failed ({}): {}", output.status, stderr.trim()));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let version =
        parse_version(runtime, &text).ok_or_else(|| format!("unexpected `--version` output {:?}", text.trim()))?;
    Ok(Installed {
        binary: binary.to_path_buf(),
        version,
    })
}

/// `v20.1.0` (node), `deno 2.1.0 (stable, …)` (deno), `1.2.3` (bun).
fn parse_version(runtime: Runtime, text: &str) -> Option<String> {
    let first = text.lines().next()?.trim();
    let word = match runtime {
        Runtime::Node => first.strip_prefix('v')?,
        Runtime::Deno => first.strip_prefix("deno ")?.split_whitespace().next()?,
        Runtime::Bun => first.split_whitespace().next()?,
    };
    word.starts_with(|c: char| c.is_ascii_digit()).then(|| word.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse() {
        assert_eq!(parse_version(Runtime::Node, "v20.20.2\n").as_deref(), Some("20.20.2"));
        assert_eq!(
            parse_version(
                Runtime::Deno,
                "deno 2.9.6 (stable, release, x86_64-unknown-linux-gnu)\nv8 15.0\n"
            )
            .as_deref(),
            Some("2.9.6")
        );
        assert_eq!(parse_version(Runtime::Bun, "1.4.5\n").as_deref(), Some("1.4.5"));
        assert_eq!(parse_version(Runtime::Bun, "Error: bun is not installed\n"), None);
        assert_eq!(parse_version(Runtime::Node, ""), None);
    }

    #[test]
    fn heap_limit_flags() {
        assert_eq!(Runtime::Node.flags(1 << 30), vec!["--max-old-space-size=1024"]);
        assert!(
            Runtime::Deno
                .flags(64 << 20)
                .contains(&"--v8-flags=--max-old-space-size=64".to_string())
        );
        assert_eq!(Runtime::Node.flags(1000), vec!["--max-old-space-size=1"]);
        assert!(!Runtime::Bun.enforces_memory_limit());
    }
}
