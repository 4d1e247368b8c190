//! A small pool that runs jobs on a few threads (each job starts one worker
//! process) and hands every result back to the calling thread, in the order
//! they finish, so progress can be shown and results saved as they come.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

/// Runs `work` on every job with `threads` threads; `done` sees each result
/// (with the job's index) on the calling thread as soon as it is ready.
/// Jobs not started when `cancel` is set are not run.
pub fn run_jobs<J, R, W, D>(jobs: &[J], threads: usize, cancel: &AtomicBool, work: W, mut done: D)
where
    J: Sync,
    R: Send,
    W: Fn(&J) -> R + Sync,
    D: FnMut(usize, R),
{
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1).min(jobs.len().max(1)) {
            let tx = tx.clone();
            let (next, work) = (&next, &work);
            scope.spawn(move || {
                loop {
                    if cancel.load(Ordering::Relaxed) {
                        return;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { return };
                    if tx.send((i, work(job))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        for (i, result) in rx {
            done(i, result);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_job_runs_once_and_reports_its_index() {
        let jobs: Vec<u32> = (0..50).collect();
        let mut seen = vec![None; jobs.len()];
        run_jobs(
            &jobs,
            3,
            &AtomicBool::new(false),
            |j| j * 2,
            |i, r| {
                assert!(seen[i].is_none());
                seen[i] = Some(r);
            },
        );
        assert!(seen.iter().enumerate().all(|(i, r)| *r == Some(i as u32 * 2)));
    }

    #[test]
    fn a_cancelled_pool_starts_nothing() {
        let mut count = 0;
        run_jobs(&[1, 2, 3], 2, &AtomicBool::new(true), |j| *j, |_, _| count += 1);
        assert_eq!(count, 0);
    }
}
