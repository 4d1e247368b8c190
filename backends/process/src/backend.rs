//! [`ProcessBackend`]: one runtime × one transport behind [`JsBackend`].
//!
//! The backend owns at most one child at a time. A call that times out kills
//! it, and a child that dies is reaped; either way the next `load`, `call` or
//! [`noop_round_trip`](ProcessBackend::noop_round_trip) starts a fresh child
//! with the same limits and, for `call`, loads the same module again, so one
//! bad call does not end a benchmark run.

use crate::child::ChildProcess;
use crate::install::js_dir;
use crate::runtime::Runtime;
use crate::transport::{Channel, Op, Outcome, Transport, to_backend_error};
use jsbench_api::{
    BackendError, BackendKind, Bytes, Capabilities, Descriptor, JsBackend, Limits, WorkloadModule, not_ready,
};
use std::path::PathBuf;
use std::time::Duration;

/// Longest a child may take to start and say it is ready.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);

/// Set by the first statement of every module we write, so the server can
/// tell a module that failed to parse from one that threw while evaluating
/// (see `js/common.mjs`). Kept on the module's first line, so line numbers
/// in messages stay right.
const EVALUATION_MARKER: &str = "globalThis.__jsbench_evaluation_started=true;";

/// A JavaScript runtime in a child process, called over a transport.
pub struct ProcessBackend {
    // First, so the child is killed and reaped before its folder goes.
    live: Option<Live>,
    runtime: Runtime,
    transport: Transport,
    limits: Option<Limits>,
    module: Option<Loaded>,
    dir: Option<tempfile::TempDir>,
    loads: u64,
    sandboxed: bool,
}

/// The suffix of a backend name that runs the runtime under its permission
/// model (`node-pipe-sandboxed`).
pub const SANDBOXED_SUFFIX: &str = "-sandboxed";

struct Live {
    channel: Channel,
    process: ChildProcess,
}

/// The module the child has (or should have) imported.
struct Loaded {
    /// The file the child imports.
    file: PathBuf,
    /// How to name it in messages instead of the temporary file.
    shown: String,
}

impl ProcessBackend {
    /// A backend for `runtime` over `transport`; nothing starts until
    /// [`create`](JsBackend::create).
    pub fn new(runtime: Runtime, transport: Transport) -> Self {
        ProcessBackend {
            live: None,
            runtime,
            transport,
            limits: None,
            module: None,
            dir: None,
            loads: 0,
            sandboxed: false,
        }
    }

    /// The same backend with the runtime under its permission model (see
    /// [`Runtime::can_sandbox`]): reading only the server scripts and the
    /// workload's folder, nothing else granted. `None` for a runtime that
    /// has no permission model (Bun).
    pub fn sandboxed(mut self) -> Option<Self> {
        self.sandboxed = true;
        self.runtime.can_sandbox().then_some(self)
    }

    /// Whether the runtime runs under its permission model.
    pub fn is_sandboxed(&self) -> bool {
        self.sandboxed
    }

    /// The backend called `name` (e.g. `node-pipe`), if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        let (plain, sandboxed) = match name.strip_suffix(SANDBOXED_SUFFIX) {
            Some(plain) => (plain, true),
            None => (name, false),
        };
        let (runtime, transport) = plain.split_once('-')?;
        let runtime = Runtime::ALL.into_iter().find(|r| r.key() == runtime)?;
        let transport = Transport::ALL.into_iter().find(|t| t.key() == transport)?;
        let backend = ProcessBackend::new(runtime, transport);
        if sandboxed { backend.sandboxed() } else { Some(backend) }
    }

    /// The backend's name: runtime and transport (e.g. `deno-http`), and
    /// [`SANDBOXED_SUFFIX`] under the permission model.
    pub fn name(&self) -> String {
        let suffix = if self.sandboxed { SANDBOXED_SUFFIX } else { "" };
        format!("{}-{}{suffix}", self.runtime.key(), self.transport.key())
    }

    /// The runtime's flags for a module folder `modules` (shown as a
    /// placeholder before the folder exists).
    fn runtime_flags(&self, memory_limit: Bytes, modules: Option<&std::path::Path>) -> Vec<String> {
        if !self.sandboxed {
            return self.runtime.flags(memory_limit);
        }
        let scripts = js_dir().unwrap_or_else(|_| PathBuf::from("<server scripts>"));
        let modules = modules.map_or_else(|| PathBuf::from("<workload folder>"), |p| p.to_path_buf());
        self.runtime
            .sandboxed_flags(memory_limit, &scripts, &modules)
            .unwrap_or_else(|| self.runtime.flags(memory_limit))
    }

    /// The runtime.
    pub fn runtime(&self) -> Runtime {
        self.runtime
    }

    /// The transport.
    pub fn transport(&self) -> Transport {
        self.transport
    }

    /// The running child's process id, if one is running.
    pub fn child_pid(&self) -> Option<u32> {
        self.live.as_ref().map(|live| live.process.pid())
    }

    /// One empty request and its answer: the transport's fixed cost per
    /// call, without the workload. HTTP: `POST /noop` with an empty body on
    /// the kept-alive connection; pipe: one `N` frame and its `O` reply. The
    /// child answers without touching the loaded module, so this is what
    /// every `call` pays on top of `run` itself (plus copying the input and
    /// the result). Needs [`create`](JsBackend::create) first; a dead child
    /// is restarted like for `call`.
    pub fn noop_round_trip(&mut self) -> Result<(), BackendError> {
        self.ensure_live("noop_round_trip")?;
        self.send(Op::Noop, "", "an empty round trip").map(drop)
    }

    fn limits(&self, what: &str) -> Result<Limits, BackendError> {
        self.limits.ok_or_else(|| not_ready(what))
    }

    /// Starts a fresh child (ending any old one) and waits until it is ready.
    fn spawn(&mut self) -> Result<(), BackendError> {
        self.live = None;
        let limits = self.limits("create")?;
        let installed = self
            .runtime
            .locate()
            .map_err(|why| BackendError::Unsupported(format!("unavailable: {why}")))?;
        let script = js_dir()
            .map_err(crate::install::internal)?
            .join(crate::transport::script(self.transport));
        if !script.is_file() {
            return Err(BackendError::Internal(format!(
                "server script {} is missing: jsbench_process::ensure_installed() installs it",
                script.display()
            )));
        }
        let dir = match &self.dir {
            Some(dir) => dir.path().to_path_buf(),
            None => {
                let dir = tempfile::Builder::new()
                    .prefix("jsbench-process-")
                    .tempdir()
                    .map_err(|e| BackendError::Internal(format!("cannot make a temporary folder: {e}")))?;
                let path = dir.path().to_path_buf();
                self.dir = Some(dir);
                path
            }
        };
        let flags = self.runtime_flags(limits.memory_limit, Some(&dir));
        let command = self.runtime.command(installed, &flags, &script, &dir);
        let (mut process, stdout) = ChildProcess::spawn(command, self.runtime.engine())?;
        match Channel::connect(self.transport, stdout, STARTUP_TIMEOUT) {
            Ok(channel) => {
                self.live = Some(Live { channel, process });
                Ok(())
            }
            Err(why) => Err(process.death("startup", &why)),
        }
    }

    /// Makes sure a child is running, restarting it (and reloading the
    /// module) after a timeout or crash.
    fn ensure_live(&mut self, what: &str) -> Result<(), BackendError> {
        self.limits(what)?;
        if self.live.is_some() {
            return Ok(());
        }
        self.spawn()?;
        if let Some(file) = self.module.as_ref().map(|m| m.file.clone()) {
            self.send(
                Op::Load,
                &file.to_string_lossy(),
                "reloading the module after a restart",
            )?;
        }
        Ok(())
    }

    /// One request; on a timeout or a broken connection the child is ended.
    fn send(&mut self, op: Op, payload: &str, during: &str) -> Result<String, BackendError> {
        let limit = self.limits(during)?.call_timeout;
        let Some(live) = self.live.as_mut() else {
            return Err(not_ready(during));
        };
        let outcome = live.channel.request(live.process.stdin(), op, payload, limit);
        match outcome {
            Outcome::Done(result) => Ok(result),
            Outcome::Failed(error) => Err(self.rename(to_backend_error(error))),
            Outcome::TimedOut => {
                // Dropping the child kills and reaps it.
                self.live = None;
                Err(BackendError::Timeout { limit })
            }
            Outcome::Broken(why) => {
                let error = live.process.death(during, &why);
                self.live = None;
                Err(error)
            }
        }
    }

    /// Names the workload instead of its temporary file in messages.
    fn rename(&self, error: BackendError) -> BackendError {
        let Some(module) = &self.module else {
            return error;
        };
        let file = module.file.to_string_lossy();
        let url = format!("file://{file}");
        let fix = |text: String| text.replace(&url, &module.shown).replace(file.as_ref(), &module.shown);
        match error {
            BackendError::Syntax { message } => BackendError::Syntax { message: fix(message) },
            BackendError::Exception { message, stack } => BackendError::Exception {
                message: fix(message),
                stack: stack.map(fix),
            },
            other => other,
        }
    }

    /// Writes the module source where the child can import it, under a name
    /// never used before: runtimes cache modules by URL.
    fn write_module(&mut self, module: &WorkloadModule) -> Result<PathBuf, BackendError> {
        let Some(dir) = &self.dir else {
            return Err(not_ready("load"));
        };
        self.loads += 1;
        let stem: String = module
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let file = dir.path().join(format!("{stem}-{}.mjs", self.loads));
        std::fs::write(&file, with_marker(&module.source))
            .map_err(|e| BackendError::Internal(format!("cannot write {}: {e}", file.display())))?;
        Ok(file)
    }
}

/// The source with [`EVALUATION_MARKER`] in front, on the same line (after a
/// `#!` line, which must stay first).
fn with_marker(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + EVALUATION_MARKER.len());
    match source.strip_prefix("#!") {
        Some(rest) => match rest.find('\n') {
            Some(i) => {
                let end = i + 3;
                out.push_str(&source[..end]);
                out.push_str(EVALUATION_MARKER);
                out.push_str(&source[end..]);
            }
            None => {
                out.push_str(source);
                out.push('\n');
                out.push_str(EVALUATION_MARKER);
            }
        },
        None => {
            out.push_str(EVALUATION_MARKER);
            out.push_str(source);
        }
    }
    out
}

impl JsBackend for ProcessBackend {
    fn descriptor(&self) -> Descriptor {
        let engine_version = match self.runtime.locate() {
            Ok(installed) => installed.version.clone(),
            Err(why) => format!("unavailable: {why}"),
        };
        let limits = self.limits.unwrap_or_default();
        Descriptor {
            name: self.name(),
            engine: self.runtime.engine().to_string(),
            engine_version,
            kind: BackendKind::OutOfProcess,
            capabilities: Capabilities {
                interrupt: true,
                memory_limit: self.runtime.enforces_memory_limit(),
                engine_memory: true,
                host_callback: false,
                host_value: false,
                promises: true,
                jit: true,
            },
            flags: self
                .runtime_flags(limits.memory_limit, self.dir.as_ref().map(|d| d.path()))
                .into_iter()
                .filter(|f| f.starts_with('-'))
                .collect(),
        }
    }

    fn create(&mut self, limits: &Limits) -> Result<(), BackendError> {
        self.limits = Some(*limits);
        self.module = None;
        self.spawn()
    }

    fn load(&mut self, module: &WorkloadModule) -> Result<(), BackendError> {
        self.limits("load")?;
        // Dropped first, so a restart does not reload the old module.
        self.module = None;
        self.ensure_live("load")?;
        let file = self.write_module(module)?;
        let shown = match &module.path {
            Some(path) => path.display().to_string(),
            None => format!("{}.js", module.name),
        };
        let loaded = Loaded { file, shown };
        let path = loaded.file.to_string_lossy().into_owned();
        // Kept before the answer so error messages name the workload.
        self.module = Some(loaded);
        match self.send(Op::Load, &path, "load") {
            Ok(_) => Ok(()),
            Err(error) => {
                self.module = None;
                Err(error)
            }
        }
    }

    fn call(&mut self, input: &str) -> Result<String, BackendError> {
        if self.module.is_none() {
            return Err(not_ready("call"));
        }
        self.ensure_live("call")?;
        self.send(Op::Call, input, "call")
    }

    fn engine_memory(&mut self) -> Option<Bytes> {
        self.live.as_ref().and_then(|live| live.process.peak_rss())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in crate::BACKEND_NAMES {
            let backend = ProcessBackend::from_name(name).expect("known name");
            assert_eq!(backend.name(), name);
        }
        assert!(ProcessBackend::from_name("node").is_none());
        assert!(ProcessBackend::from_name("node-smoke").is_none());
        let sandboxed = ProcessBackend::from_name("deno-pipe-sandboxed").expect("deno has permissions");
        assert!(sandboxed.is_sandboxed());
        assert_eq!(sandboxed.name(), "deno-pipe-sandboxed");
        assert!(ProcessBackend::from_name("bun-pipe-sandboxed").is_none());
    }

    #[test]
    fn sandboxed_flags_grant_only_reading_the_scripts_and_the_module() {
        let deno = ProcessBackend::from_name("deno-pipe-sandboxed").expect("known");
        let flags = deno.runtime_flags(64 << 20, Some(std::path::Path::new("/tmp/m")));
        assert!(flags.contains(&"--allow-read=/tmp/m".to_string()), "{flags:?}");
        assert!(
            !flags.iter().any(|f| f.starts_with("--allow-net") || f == "--allow-all"),
            "{flags:?}"
        );
        let node = ProcessBackend::from_name("node-pipe-sandboxed").expect("known");
        let flags = node.runtime_flags(64 << 20, None);
        assert!(flags.contains(&"--experimental-permission".to_string()), "{flags:?}");
        assert!(
            flags.contains(&"--allow-fs-read=<workload folder>/".to_string()),
            "{flags:?}"
        );
        assert!(
            !flags.iter().any(|f| f.starts_with("--allow-child-process")),
            "{flags:?}"
        );
    }

    #[test]
    fn marker_keeps_lines() {
        assert_eq!(
            with_marker("export const a = 1;\n"),
            format!("{EVALUATION_MARKER}export const a = 1;\n")
        );
        assert_eq!(
            with_marker("#!/bin/x\nlet a;\n"),
            format!("#!/bin/x\n{EVALUATION_MARKER}let a;\n")
        );
        assert_eq!(with_marker("#!/bin/x"), format!("#!/bin/x\n{EVALUATION_MARKER}"));
    }

    #[test]
    fn calls_before_create_are_refused() {
        let mut backend = ProcessBackend::new(Runtime::Node, Transport::Pipe);
        assert_eq!(
            backend.call("x").map_err(|e| e.kind()),
            Err(jsbench_api::ErrorKind::Internal)
        );
        assert_eq!(
            backend.noop_round_trip().map_err(|e| e.kind()),
            Err(jsbench_api::ErrorKind::Internal)
        );
        assert!(backend.child_pid().is_none());
    }
}
