//! Recent search answers, so a search asked again costs a lookup: a team
//! pasting the same alert during an incident, a results page reloaded or
//! shared, the browser asking again as someone types and deletes.
//!
//! Entries belong to one view of the index (a searcher generation,
//! [`SearchIndex::generation`](crate::SearchIndex::generation)): any commit or
//! merge the reader picks up empties the cache, so a cached answer is always
//! the answer the index gives now.
//!
//! The cache holds whatever the caller makes of an answer (`V`): the server
//! keeps the answer as pages and the API see it, with its JSON, so a repeated
//! search costs neither the search nor the rendering.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::search::{Filters, SearchRequest};

/// Entries kept unless [`ResultCache::set_capacity`] says otherwise.
pub const DEFAULT_ENTRIES: usize = 256;

/// Everything a search's answer depends on besides the index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    text: String,
    filters: Filters,
    offset: usize,
    limit: usize,
    patterns: usize,
    exclude: Vec<i64>,
}

impl Key {
    fn of(request: &SearchRequest<'_>) -> Key {
        Key {
            text: request.text.to_owned(),
            filters: request.filters.clone(),
            offset: request.offset,
            limit: request.limit,
            patterns: request.patterns,
            exclude: request.exclude.to_vec(),
        }
    }
}

struct Entries<V> {
    generation: u64,
    results: HashMap<Key, Arc<V>>,
    /// Oldest first; the first to go when full.
    order: VecDeque<Key>,
}

impl<V> Entries<V> {
    fn new(generation: u64) -> Self {
        Entries {
            generation,
            results: HashMap::new(),
            order: VecDeque::new(),
        }
    }
}

/// A bounded first-in, first-out cache of search answers, of
/// [`DEFAULT_ENTRIES`] unless [`ResultCache::set_capacity`] says otherwise.
pub struct ResultCache<V> {
    capacity: AtomicUsize,
    entries: Mutex<Entries<V>>,
}

impl<V> Default for ResultCache<V> {
    fn default() -> Self {
        ResultCache {
            capacity: AtomicUsize::new(DEFAULT_ENTRIES),
            entries: Mutex::new(Entries::new(0)),
        }
    }
}

impl<V> std::fmt::Debug for ResultCache<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResultCache")
            .field("capacity", &self.capacity.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl<V> ResultCache<V> {
    /// Keeps at most `entries` results; 0 turns the cache off.
    pub fn set_capacity(&self, entries: usize) {
        self.capacity.store(entries, Ordering::Relaxed);
        let mut held = self.lock();
        while held.order.len() > entries {
            evict_oldest(&mut held);
        }
    }

    /// The cached answer to `request` in index view `generation`.
    pub fn get(&self, generation: u64, request: &SearchRequest<'_>) -> Option<Arc<V>> {
        if self.capacity.load(Ordering::Relaxed) == 0 {
            return None;
        }
        let held = self.lock();
        if held.generation != generation {
            return None;
        }
        held.results.get(&Key::of(request)).cloned()
    }

    /// Remembers `results` as the answer to `request` in view `generation`.
    pub fn put(&self, generation: u64, request: &SearchRequest<'_>, results: Arc<V>) {
        let capacity = self.capacity.load(Ordering::Relaxed);
        if capacity == 0 {
            return;
        }
        let mut held = self.lock();
        if held.generation != generation {
            // Another view: what is held answers for an index that changed
            // (or, for an older view's late answer, one already replaced).
            if generation < held.generation {
                return;
            }
            *held = Entries::new(generation);
        }
        let key = Key::of(request);
        if held.results.contains_key(&key) {
            return;
        }
        while held.order.len() >= capacity {
            evict_oldest(&mut held);
        }
        held.order.push_back(key.clone());
        held.results.insert(key, results);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries<V>> {
        // The entries are only a cache: after a panic elsewhere they are
        // still consistent enough to use (each insert is whole).
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn evict_oldest<V>(entries: &mut Entries<V>) {
    if let Some(oldest) = entries.order.pop_front() {
        entries.results.remove(&oldest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(total: usize) -> Arc<usize> {
        Arc::new(total)
    }

    #[test]
    fn answers_only_the_same_request_in_the_same_view() {
        let cache = ResultCache::<usize>::default();
        let disk = SearchRequest::new("disk full", 10);
        cache.put(1, &disk, results(3));
        assert_eq!(*cache.get(1, &disk).unwrap(), 3);
        assert!(cache.get(2, &disk).is_none(), "another view of the index");
        assert!(cache.get(1, &SearchRequest::new("disk full", 20)).is_none());
        let filtered = SearchRequest {
            filters: Filters {
                severity: Some("SEV1".into()),
                ..Filters::default()
            },
            ..SearchRequest::new("disk full", 10)
        };
        assert!(cache.get(1, &filtered).is_none());
    }

    #[test]
    fn a_new_view_empties_it_and_a_late_old_answer_is_dropped() {
        let cache = ResultCache::<usize>::default();
        let disk = SearchRequest::new("disk full", 10);
        cache.put(1, &disk, results(3));
        cache.put(2, &SearchRequest::new("dns", 10), results(1));
        assert!(cache.get(1, &disk).is_none());
        cache.put(1, &disk, results(3));
        assert!(cache.get(2, &disk).is_none());
        assert_eq!(*cache.get(2, &SearchRequest::new("dns", 10)).unwrap(), 1);
    }

    #[test]
    fn stays_within_its_capacity_oldest_out_first() {
        let cache = ResultCache::<usize>::default();
        cache.set_capacity(2);
        let texts = ["a", "b", "c"];
        for (at, text) in texts.iter().enumerate() {
            cache.put(1, &SearchRequest::new(text, 10), results(at));
        }
        assert!(cache.get(1, &SearchRequest::new("a", 10)).is_none());
        assert!(cache.get(1, &SearchRequest::new("b", 10)).is_some());
        assert!(cache.get(1, &SearchRequest::new("c", 10)).is_some());
        cache.set_capacity(0);
        assert!(cache.get(1, &SearchRequest::new("c", 10)).is_none());
    }
}
