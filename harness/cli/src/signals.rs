//! Stopping a run cleanly on SIGINT, SIGTERM and SIGHUP: the first signal
//! sets the cancel flag the runner polls (running workers and their
//! children are ended, finished cells are kept), a second one ends jsbench
//! at once. Either way the exit code is 128 + the signal's number.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

/// The signals that stop a run.
pub const STOP_SIGNALS: [i32; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

/// The cancel flag of a command and the signal that set it.
#[derive(Clone)]
pub struct Stop {
    cancel: Arc<AtomicBool>,
    signal: Arc<AtomicI32>,
}

impl Stop {
    /// Starts listening for the stop signals.
    pub fn install() -> anyhow::Result<Self> {
        let stop = Stop {
            cancel: Arc::new(AtomicBool::new(false)),
            signal: Arc::new(AtomicI32::new(0)),
        };
        let mut signals = signal_hook::iterator::Signals::new(STOP_SIGNALS)
            .map_err(|e| anyhow::anyhow!("cannot install the signal handlers: {e}"))?;
        let seen = stop.clone();
        std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                for signal in signals.forever() {
                    if seen.signal.swap(signal, Ordering::SeqCst) != 0 {
                        // Asked twice: do not wait for workers to end.
                        std::process::exit(128 + signal);
                    }
                    seen.cancel.store(true, Ordering::SeqCst);
                }
            })
            .map_err(|e| anyhow::anyhow!("cannot start the signal thread: {e}"))?;
        Ok(stop)
    }

    /// The flag the runner polls.
    pub fn flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.cancel)
    }

    /// Whether a stop signal arrived.
    pub fn stopped(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    /// The exit code for the signal that arrived (128 + its number).
    pub fn exit_code(&self) -> Option<u8> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            signal => u8::try_from(128 + signal).ok(),
        }
    }

    /// The name of the signal that arrived, for messages.
    pub fn signal_name(&self) -> &'static str {
        jsbench_supervise::signal_name(self.signal.load(Ordering::SeqCst))
    }
}
