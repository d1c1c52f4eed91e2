//! The sign-in throttle: failed sign-ins counted per key (an account and
//! address, or an address) over a sliding window, in memory.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Failed sign-ins allowed for one account from one address per window.
pub(crate) const FAILURES_PER_ACCOUNT: usize = 5;
/// Failed sign-ins allowed from one address, whatever the accounts, per
/// window: someone trying many names.
pub(crate) const FAILURES_PER_ADDRESS: usize = 20;
/// The window the failures are counted in.
pub(crate) const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Failed sign-ins in the last [`FAILURE_WINDOW`], by key. In memory: a
/// restart forgets them, which costs an attacker a restart per few guesses.
#[derive(Debug, Default)]
pub(crate) struct Throttle {
    failures: HashMap<String, Vec<Instant>>,
}

impl Throttle {
    /// Most keys kept; past this the oldest-looking entries are dropped, so
    /// a flood of made-up names cannot grow memory without bound.
    const MAX_KEYS: usize = 100_000;

    /// How long `key` must wait before another try, given `allowed` failures.
    pub(crate) fn wait(&mut self, key: &str, allowed: usize) -> Duration {
        let now = Instant::now();
        let Some(times) = self.failures.get_mut(key) else {
            return Duration::ZERO;
        };
        times.retain(|t| now.duration_since(*t) < FAILURE_WINDOW);
        if times.len() < allowed {
            return Duration::ZERO;
        }
        // The oldest failure in the window leaves it first.
        FAILURE_WINDOW.saturating_sub(now.duration_since(times[0]))
    }

    pub(crate) fn fail(&mut self, key: &str) {
        if self.failures.len() >= Self::MAX_KEYS {
            let now = Instant::now();
            self.failures.retain(|_, times| {
                times
                    .last()
                    .is_some_and(|t| now.duration_since(*t) < FAILURE_WINDOW)
            });
        }
        self.failures
            .entry(key.to_string())
            .or_default()
            .push(Instant::now());
    }

    /// Takes back the latest failure of `key`: an attempt counted before
    /// it was checked, which turned out not to fail.
    pub(crate) fn take_back(&mut self, key: &str) {
        if let Some(times) = self.failures.get_mut(key) {
            times.pop();
            if times.is_empty() {
                self.failures.remove(key);
            }
        }
    }

    pub(crate) fn forget(&mut self, key: &str) {
        self.failures.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_throttle_waits_after_the_allowed_failures() {
        let mut throttle = Throttle::default();
        for _ in 0..3 {
            assert_eq!(throttle.wait("k", 3), Duration::ZERO);
            throttle.fail("k");
        }
        let wait = throttle.wait("k", 3);
        assert!(wait > Duration::from_secs(14 * 60), "{wait:?}");
        assert_eq!(throttle.wait("other", 3), Duration::ZERO);
        throttle.forget("k");
        assert_eq!(throttle.wait("k", 3), Duration::ZERO);
    }
}
