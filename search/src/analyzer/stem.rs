//! A raw word to its term: lowercased, stopwords dropped, stemmed, with the
//! stems cached per thread and shared between threads.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::{LazyLock, RwLock};

use super::{FastHash, MAX_TOKEN_BYTES};

/// Words too common in English to say anything about an incident. Removing them
/// matters for long pasted queries: without it "the", "of" and "was" are hundreds
/// of optional clauses that reward whatever document is shortest.
const STOPWORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him",
    "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "may", "me",
    "more", "most", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or",
    "other", "our", "ours", "out", "over", "own", "same", "she", "should", "so", "some", "such",
    "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this",
    "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what",
    "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you",
    "your", "yours",
];

static STOPWORD_SET: LazyLock<HashSet<&'static str, FastHash>> =
    LazyLock::new(|| STOPWORDS.iter().copied().collect());

/// Distinct words whose stems a thread remembers; the cache is dropped and
/// started again past this, so memory stays bounded whatever the input.
const STEM_CACHE_WORDS: usize = 100_000;

/// A thread's stems by lowercase word (`None` for a stopword), with the
/// buffer words are lowercased in: one thread-local lookup per word.
#[derive(Default)]
struct Stems {
    by_word: HashMap<String, Option<String>, FastHash>,
    lower: String,
}

thread_local! {
    static STEMS: RefCell<Stems> = RefCell::new(Stems::default());
}

/// The term a raw word becomes: `None` for overlong words and stopwords,
/// otherwise its lowercase English stem.
pub(super) fn term(raw: &str) -> Option<String> {
    with_term(raw, str::to_owned)
}

/// Calls `f` with the term a raw word becomes (see [`term`]) without copying
/// it: the stem is lent from this thread's cache. `f` must not analyze text
/// itself (the cache is borrowed while it runs).
pub(super) fn with_term<R>(raw: &str, f: impl FnOnce(&str) -> R) -> Option<R> {
    if raw.len() > MAX_TOKEN_BYTES {
        return None;
    }
    STEMS.with(|stems| {
        let stems = &mut *stems.borrow_mut();
        // Lowercased into a buffer the thread keeps: a heap string per word
        // was a fifth of the time spent cutting snippets. Stopwords are
        // cached as `None`, so a word costs one lookup whatever it is.
        stems.lower.clear();
        if raw.is_ascii() {
            stems.lower.push_str(raw);
            stems.lower.make_ascii_lowercase();
        } else {
            // `str::to_lowercase` knows a word-final sigma; chars alone do not.
            stems.lower.push_str(&raw.to_lowercase());
        }
        let lower = stems.lower.as_str();
        if let Some(stem) = stems.by_word.get(lower) {
            return stem.as_deref().map(f);
        }
        let stem = (!STOPWORD_SET.contains(lower)).then(|| shared_stem(lower));
        let result = stem.as_deref().map(f);
        if stems.by_word.len() >= STEM_CACHE_WORDS {
            stems.by_word.clear();
        }
        stems.by_word.insert(lower.to_owned(), stem);
        result
    })
}

/// Stems every thread has computed. Searches run on whichever blocking
/// thread is free, and a thread's own cache starts cold: without this, a
/// search on a fresh thread stemmed every word again (a third more time at
/// 100k postmortems). Threads still read their own cache first, so the lock
/// is only taken for words a thread has not seen.
static SHARED_STEMS: LazyLock<RwLock<HashMap<String, String, FastHash>>> =
    LazyLock::new(RwLock::default);

fn shared_stem(lower: &str) -> String {
    if let Some(stem) = SHARED_STEMS
        .read()
        .ok()
        .and_then(|shared| shared.get(lower).cloned())
    {
        return stem;
    }
    let stem = frostem::Stemmer::new(frostem::Algorithm::English)
        .stem(lower)
        .into_owned();
    // A poisoned lock only costs the sharing; the stem is right either way.
    if let Ok(mut shared) = SHARED_STEMS.write() {
        if shared.len() >= STEM_CACHE_WORDS {
            shared.clear();
        }
        shared.insert(lower.to_owned(), stem.clone());
    }
    stem
}
