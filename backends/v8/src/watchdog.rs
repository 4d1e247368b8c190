//! The per-call timeout: one thread per runtime that terminates execution
//! in the isolate when a call runs past its deadline.
//!
//! Calls can take about a microsecond, so arming and disarming must not cost
//! a thread or a wake-up each: they take an uncontended lock and write a
//! deadline. The thread sleeps until the deadline it last saw and, on waking,
//! looks at the current one; since deadlines only move later, it only needs
//! waking when it sleeps with no deadline at all (idle) or a later one.
//! Termination and disarming happen under the same lock, so a call either
//! learns that it was terminated or is guaranteed not to be.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What the watchdog does at a deadline; in production, terminating V8.
pub trait Terminate: Send + 'static {
    /// Stops the running call (must be callable from another thread).
    fn terminate(&self);
}

impl Terminate for v8::IsolateHandle {
    fn terminate(&self) {
        // False only if the isolate is gone, and then nothing is running.
        let _ = self.terminate_execution();
    }
}

#[derive(Debug)]
struct State {
    /// Deadline of the call in progress; `None` when no call is running.
    deadline: Option<Instant>,
    /// The call in progress was terminated.
    fired: bool,
    /// What the thread is sleeping towards while it waits for the lock's
    /// condition: `None` = idle, until woken.
    asleep_until: Option<Instant>,
    shutdown: bool,
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is plain data that stays consistent even if a holder
        // panicked, so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A thread that terminates calls that run past their deadline.
pub struct Watchdog {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Watchdog {
    /// Starts the thread; `target` is what it stops at a deadline.
    pub fn start(target: impl Terminate) -> std::io::Result<Self> {
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                deadline: None,
                fired: false,
                asleep_until: None,
                shutdown: false,
            }),
            wake: Condvar::new(),
        });
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("jsbench-v8-watchdog".into())
            .spawn(move || watch(&thread_shared, &target))?;
        Ok(Watchdog {
            shared,
            thread: Some(thread),
        })
    }

    /// Starts timing a call that may run for `timeout`.
    pub fn arm(&self, timeout: Duration) {
        let now = Instant::now();
        // A timeout too large to represent means no deadline worth keeping.
        let Some(deadline) = now.checked_add(timeout) else {
            return;
        };
        let mut state = self.shared.lock();
        state.deadline = Some(deadline);
        state.fired = false;
        let sleeps_past = state.asleep_until.is_none_or(|until| until > deadline);
        drop(state);
        if sleeps_past {
            self.shared.wake.notify_one();
        }
    }

    /// Stops timing the call; returns whether it was terminated.
    pub fn disarm(&self) -> bool {
        let mut state = self.shared.lock();
        state.deadline = None;
        std::mem::take(&mut state.fired)
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.shared.lock().shutdown = true;
        self.shared.wake.notify_one();
        if let Some(thread) = self.thread.take() {
            // A panic in the watchdog thread has nothing left to report.
            let _ = thread.join();
        }
    }
}

fn watch(shared: &Shared, target: &dyn Terminate) {
    let mut state = shared.lock();
    loop {
        if state.shutdown {
            return;
        }
        match state.deadline {
            Some(deadline) if !state.fired => {
                let now = Instant::now();
                if now >= deadline {
                    target.terminate();
                    state.fired = true;
                    continue;
                }
                state.asleep_until = Some(deadline);
                state = shared
                    .wake
                    .wait_timeout(state, deadline - now)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
            // No call, or one already terminated: wait for the next arm.
            _ => {
                state.asleep_until = None;
                state = shared.wake.wait(state).unwrap_or_else(PoisonError::into_inner);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[derive(Clone, Default)]
    struct Count(Arc<AtomicUsize>);

    impl Terminate for Count {
        fn terminate(&self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn fires_once_at_the_deadline() {
        let count = Count::default();
        let dog = Watchdog::start(count.clone()).unwrap();
        let started = Instant::now();
        dog.arm(Duration::from_millis(50));
        while count.0.load(Ordering::SeqCst) == 0 {
            assert!(started.elapsed() < Duration::from_secs(5), "watchdog never fired");
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(started.elapsed() >= Duration::from_millis(50));
        std::thread::sleep(Duration::from_millis(100));
        assert!(dog.disarm());
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn quick_calls_never_fire() {
        let count = Count::default();
        let dog = Watchdog::start(count.clone()).unwrap();
        for _ in 0..100_000 {
            dog.arm(Duration::from_millis(200));
            assert!(!dog.disarm());
        }
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(count.0.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn a_shorter_deadline_wakes_a_sleeping_watchdog() {
        let count = Count::default();
        let dog = Watchdog::start(count.clone()).unwrap();
        dog.arm(Duration::from_secs(3600));
        assert!(!dog.disarm());
        std::thread::sleep(Duration::from_millis(20));
        let started = Instant::now();
        dog.arm(Duration::from_millis(30));
        while count.0.load(Ordering::SeqCst) == 0 {
            assert!(started.elapsed() < Duration::from_secs(5), "watchdog never fired");
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(dog.disarm());
    }
}
