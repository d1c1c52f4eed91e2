//! The bound on password hashing: at most one hash per core at a time, and
//! a short queue behind them.
//!
//! An argon2id hash holds about 19 MiB for tens of milliseconds by design.
//! Without a bound, forty sign-ins sent at once (no account needed) ran
//! forty hashes side by side and took the server from 160 MB to nearly a
//! gigabyte. Past the queue a request is refused at once ([`AppError::Busy`],
//! 429), never let through unchecked.

use crate::error::AppError;
use crate::service::internal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Hashes allowed to wait for a free core; beyond this they are refused.
pub(crate) const MAX_WAITING: usize = 32;

/// Runs password hashes, a bounded number at once.
#[derive(Debug)]
pub(crate) struct HashGate {
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
}

impl Default for HashGate {
    /// One hash per core, [`MAX_WAITING`] queued.
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        HashGate::new(cores, MAX_WAITING)
    }
}

/// Counts a waiter for as long as it waits, however its wait ends (a
/// request dropped by its client included).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl HashGate {
    /// A gate running `running` hashes at once with `max_waiting` queued.
    pub(crate) fn new(running: usize, max_waiting: usize) -> Self {
        HashGate {
            permits: Arc::new(Semaphore::new(running.max(1))),
            waiting: AtomicUsize::new(0),
            max_waiting,
        }
    }

    /// Runs `work` on a blocking thread once a core is free; refused with
    /// [`AppError::Busy`] when the queue is full.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    tracing::warn!("password hashing queue full; request refused");
                    return Err(AppError::Busy);
                }
                let _waiting = Waiting(&self.waiting);
                self.permits
                    .clone()
                    .acquire_owned()
                    .await
                    .map_err(|e| internal("password hashing stopped", e))?
            }
        };
        // The permit goes with the work: a request dropped mid-hash does
        // not free its core before the hash is done.
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| internal("password hashing stopped", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_than_the_bound_run_at_once_and_the_rest_wait() {
        let gate = Arc::new(HashGate::new(2, 64));
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..40)
            .map(|_| {
                let (gate, running, peak) = (gate.clone(), running.clone(), peak.clone());
                tokio::spawn(async move {
                    gate.run(move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(5));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        // Two at most, and two at some point: the bound is what runs.
        assert_eq!(peak.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn past_the_queue_a_hash_is_refused_not_run() {
        let gate = Arc::new(HashGate::new(1, 2));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let hold = std::sync::Mutex::new(hold);
        // One running, blocked until released.
        let busy = {
            let gate = gate.clone();
            tokio::spawn(async move {
                gate.run(move || {
                    let _ = hold.lock().unwrap().recv();
                })
                .await
            })
        };
        while gate.permits.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        // Two queued behind it.
        let ran = Arc::new(AtomicUsize::new(0));
        let queued: Vec<_> = (0..2)
            .map(|_| {
                let (gate, ran) = (gate.clone(), ran.clone());
                tokio::spawn(async move {
                    gate.run(move || {
                        ran.fetch_add(1, Ordering::SeqCst);
                    })
                    .await
                })
            })
            .collect();
        while gate.waiting.load(Ordering::SeqCst) < 2 {
            tokio::task::yield_now().await;
        }
        // The next one is refused at once, and its work never runs.
        let refused = gate.run(|| panic!("ran past a full queue")).await;
        assert_eq!(refused, Err(AppError::Busy));
        release.send(()).unwrap();
        busy.await.unwrap().unwrap();
        for task in queued {
            task.await.unwrap().unwrap();
        }
        assert_eq!(ran.load(Ordering::SeqCst), 2);
        assert_eq!(gate.waiting.load(Ordering::SeqCst), 0);
    }
}
