//! The `ops` text analyzer shared by indexing, querying and snippet highlighting.
//!
//! It owns how operations text becomes terms: identifiers are split into their
//! words while the whole identifier is kept too (`DBPool` gives `dbpool`, `db`,
//! `pool`; `io.grpc.Status` gives `io.grpc.status`, `io`, `grpc`, `status`), volatile
//! tokens (timestamps, times, UUIDs, long hex ids, IP addresses, long numbers) are
//! dropped so they neither match nor dilute, error and status codes (`503`,
//! `ORA-00060`, `ECONNRESET`, `5xx`) are kept, English stopwords are removed and
//! words are stemmed.
//!
//! Every token keeps the byte offsets of its own text in the original string, so
//! snippet highlights land on the word (or the whole identifier) that matched.
//!
//! Any change to what it emits changes the terms stored in the index, so it must
//! come with a [`SCHEMA_VERSION`](crate::SCHEMA_VERSION) bump, which makes `open`
//! rebuild the index.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::{LazyLock, RwLock};

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy::Index;

/// Name under which the analyzer is registered; the schema's text fields refer to it.
pub(crate) const OPS: &str = "ops";

/// Name of the word-pair analyzer (see [`PairTokenizer`]).
pub(crate) const OPS_PAIRS: &str = "ops_pairs";

/// Tokens longer than this (in bytes) are dropped: they are hashes, base64 blobs and
/// minified junk from pasted logs, which nobody searches for and which bloat the
/// term dictionary. The words of an overlong identifier are still kept.
const MAX_TOKEN_BYTES: usize = 40;

/// Pure numbers with more digits than this are ids, counts or epoch times, not codes.
const MAX_CODE_DIGITS: usize = 4;

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

/// Builds the analyzer.
///
/// Lowercasing, stopwords and stemming happen inside [`OpsTokenizer`] rather than
/// as tantivy filters: one pass with one allocation per token, and stems come from
/// a per-thread cache, because the Snowball stemmer costs about a microsecond a
/// word and snippets re-analyze every hit's text on each search.
pub(crate) fn ops_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(OpsTokenizer)
}

/// A multiply-rotate hash (as rustc's FxHash), eight bytes a step: the keys
/// of a search's own maps are short words, term ids and document addresses,
/// not attacker-chosen keys worth SipHash's cost (a flood of distinct words
/// only resets the bounded caches). SipHash was 4% of a log paste's search.
#[derive(Default)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    fn word(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.word(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.word(u64::from_le_bytes(last));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.word(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.word(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.word(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.word(n as u64);
    }
}

pub(crate) type FastHash = std::hash::BuildHasherDefault<FastHasher>;

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
fn term(raw: &str) -> Option<String> {
    with_term(raw, str::to_owned)
}

/// Calls `f` with the term a raw word becomes (see [`term`]) without copying
/// it: the stem is lent from this thread's cache. `f` must not analyze text
/// itself (the cache is borrowed while it runs).
fn with_term<R>(raw: &str, f: impl FnOnce(&str) -> R) -> Option<R> {
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

/// Registers the analyzer on `index`. Tokenizers are not persisted by tantivy, so
/// every freshly opened or created `Index` needs this before it indexes or searches.
pub(crate) fn register(index: &Index) {
    index.tokenizers().register(OPS, ops_analyzer());
    index.tokenizers().register(OPS_PAIRS, pairs_analyzer());
}

/// Builds the word-pair analyzer.
pub(crate) fn pairs_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(PairTokenizer {
        words: ops_analyzer(),
    })
}

/// Emits each pair of neighbouring words of the [`ops_analyzer`] output as one term
/// (`power supply`, `fail transfer`; stopwords are already gone). A shared pair is a
/// much stronger sign that two texts tell of the same thing than two shared words
/// far apart, and it costs no positions in the index. An identifier counts as one
/// word here: its whole form, not its parts.
#[derive(Clone)]
pub(crate) struct PairTokenizer {
    words: TextAnalyzer,
}

impl Tokenizer for PairTokenizer {
    type TokenStream<'a> = OpsTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> OpsTokenStream {
        let mut words: Vec<Token> = Vec::new();
        let mut stream = self.words.token_stream(text);
        while let Some(token) = stream.next() {
            // Parts of an identifier lie inside the whole one that precedes them.
            if words
                .last()
                .is_some_and(|last| token.offset_from < last.offset_to)
            {
                continue;
            }
            words.push(token.clone());
        }
        let tokens = words
            .windows(2)
            .enumerate()
            .map(|(position, pair)| Token {
                offset_from: pair[0].offset_from,
                offset_to: pair[1].offset_to,
                position,
                text: format!("{} {}", pair[0].text, pair[1].text),
                position_length: 1,
            })
            .collect();
        OpsTokenStream { tokens, next: 0 }
    }
}

/// Splits text into identifier-aware tokens (case kept; later filters lowercase).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct OpsTokenizer;

/// The tokens of one text, computed up front (texts are at most a postmortem).
pub(crate) struct OpsTokenStream {
    tokens: Vec<Token>,
    /// Index of the current token plus one; 0 before the first `advance`.
    next: usize,
}

impl Tokenizer for OpsTokenizer {
    type TokenStream<'a> = OpsTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> OpsTokenStream {
        OpsTokenStream {
            tokens: tokenize(text),
            next: 0,
        }
    }
}

impl TokenStream for OpsTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// Characters that join the words of one identifier (`a.b`, `a-b`, `a_b`, `a:b`).
fn is_joiner(c: char) -> bool {
    matches!(c, '.' | '-' | '_' | ':')
}

/// Cuts `text` into raw chunks (alphanumerics and joiners), trims joiners off their
/// ends, drops volatile chunks and emits each remaining chunk with its words.
fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    scan(text, |offset_from, offset_to, position, raw| {
        if let Some(text) = term(raw) {
            out.push(Token {
                offset_from,
                offset_to,
                position,
                text,
                position_length: 1,
            });
        }
    });
    out
}

/// The terms of `text` in the order the analyzer emits them, each as its
/// byte range in `text` and the term lent to `f` (not copied): for cutting
/// snippets, which analyze every hit's text on each search and only look
/// the terms up.
pub(crate) fn for_each_term(text: &str, mut f: impl FnMut(usize, usize, &str)) {
    scan(text, |offset_from, offset_to, _, raw| {
        with_term(raw, |term| f(offset_from, offset_to, term));
    });
}

/// Calls `emit(offset_from, offset_to, position, raw word)` for each word the
/// analyzer turns into a term (or drops, as a stopword or overlong word).
fn scan(text: &str, mut emit: impl FnMut(usize, usize, usize, &str)) {
    let mut position = 0;
    let mut start = None;
    for (at, c) in text.char_indices().chain([(text.len(), ' ')]) {
        let inside = c.is_alphanumeric() || is_joiner(c);
        match (start, inside) {
            (None, true) => start = Some(at),
            (Some(from), false) => {
                chunk(text, from, at, &mut position, &mut emit);
                start = None;
            }
            _ => {}
        }
    }
}

/// Emits the words of `text[from..to]`.
fn chunk(
    text: &str,
    from: usize,
    to: usize,
    position: &mut usize,
    emit: &mut impl FnMut(usize, usize, usize, &str),
) {
    let raw = &text[from..to];
    let trimmed_start = raw.trim_start_matches(is_joiner);
    let from = from + (raw.len() - trimmed_start.len());
    let word = trimmed_start.trim_end_matches(is_joiner);
    if word.is_empty() || is_volatile(word) {
        return;
    }
    // An overlong word without joiners is a blob (base64, a hash), not an identifier
    // whose words are worth keeping.
    if word.len() > MAX_TOKEN_BYTES && !word.contains(is_joiner) {
        return;
    }
    let mut push = |offset: usize, len: usize, position: usize| {
        emit(
            from + offset,
            from + offset + len,
            position,
            &word[offset..offset + len],
        );
    };
    // Most words are plain words: no joiners, no case change inside.
    let plain = word
        .bytes()
        .skip(1)
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if plain {
        push(0, word.len(), *position);
        *position += 1;
        return;
    }
    let mut parts = 0;
    words(word, |_, _| parts += 1);
    // A version or a decimal (`1.2.3`, `0.5`) is one value, not words.
    let numeric = word.chars().all(|c| c.is_ascii_digit() || c == '.');
    if parts <= 1 || numeric {
        push(0, word.len(), *position);
        *position += 1;
        return;
    }
    // The whole identifier shares its position with its first word, like a synonym.
    push(0, word.len(), *position);
    words(word, |offset, len| {
        let part = &word[offset..offset + len];
        // Inside an identifier a long number is a shard or build id; drop it. Five
        // digits are still a code (`ORA-00060`).
        if part.chars().all(|c| c.is_ascii_digit()) && len > MAX_CODE_DIGITS + 1 {
            return;
        }
        push(offset, len, *position);
        *position += 1;
    });
}

/// Calls `f(offset, len)` for each word of an identifier, in order: split at
/// joiners and at case changes (`DBPool` → `DB`, `Pool`; `readTimeout` →
/// `read`, `Timeout`). Letters and digits stay together (`p99`, `5xx`,
/// `http2`). Allocates nothing: a pasted log has an identifier every few
/// words.
fn words(word: &str, mut f: impl FnMut(usize, usize)) {
    let mut start: Option<usize> = None;
    // Only read once a word has started, when it is the word's last letter.
    let mut prev = ' ';
    let mut chars = word.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if is_joiner(c) {
            if let Some(from) = start.take() {
                f(from, at - from);
            }
        } else if let Some(from) = start {
            let next = chars.peek().map(|&(_, c)| c);
            let boundary = c.is_uppercase()
                && (prev.is_lowercase()
                    || (prev.is_uppercase() && next.is_some_and(char::is_lowercase)));
            if boundary {
                f(from, at - from);
                start = Some(at);
            }
        } else {
            start = Some(at);
        }
        prev = c;
    }
    if let Some(from) = start {
        f(from, word.len() - from);
    }
}

/// Whether `word` (already trimmed of joiners) changes from one occurrence of an
/// incident to the next and so identifies nothing: dates and times, UUIDs, long
/// hex ids, IP addresses, long numbers.
pub(crate) fn is_volatile(word: &str) -> bool {
    let bytes = word.as_bytes();
    let digits = bytes.iter().filter(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return false;
    }
    // Long numbers, also with separators (`1234567`, `12.345.678`).
    if bytes
        .iter()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b','))
    {
        let is_ipv4 = word.split('.').count() == 4;
        return digits > MAX_CODE_DIGITS || is_ipv4;
    }
    // ISO dates and timestamps: `2024-05-01`, `2024-05-01T12:00:03.123Z`.
    if bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
        && bytes[8..10].iter().all(u8::is_ascii_digit)
    {
        return true;
    }
    // Times (`12:03`, `12:03:04.5`), IPv4 with port (`10.0.0.1:8080`): digits and
    // separators only, with at least one colon.
    if bytes
        .iter()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b':'))
    {
        return true;
    }
    // IPv6 (`fe80::1`, `2001:db8:0:0:0:0:2:1`): hex groups and at least two colons.
    if bytes.iter().filter(|&&b| b == b':').count() >= 2
        && bytes.iter().all(|b| b.is_ascii_hexdigit() || *b == b':')
    {
        return true;
    }
    // UUIDs and other hex ids: long runs of hex digits mixing letters and digits
    // (`3f2b9c1e-...`, `a1b2c3d4e5f6`). Words such as `deadbeef` or `decade` have no
    // digits and stay.
    let hex_run = word.split(|c: char| is_joiner(c)).any(|part| {
        part.len() >= 8
            && part.bytes().all(|b| b.is_ascii_hexdigit())
            && part.bytes().any(|b| b.is_ascii_digit())
    });
    if hex_run {
        return true;
    }
    false
}

/// Runs `text` through `analyzer` and returns the token texts.
#[cfg(test)]
pub(crate) fn tokens(text: &str) -> Vec<String> {
    let mut analyzer = ops_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Token texts with the original text each one points at.
    fn spans(text: &str) -> Vec<(String, &str)> {
        let mut analyzer = ops_analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push((
                token.text.clone(),
                &text[token.offset_from..token.offset_to],
            ));
        }
        out
    }

    #[test]
    fn lowercases_stems_and_drops_stopwords() {
        assert_eq!(
            tokens("The Database Connections TIMED out"),
            ["databas", "connect", "time"]
        );
    }

    #[test]
    fn drops_overlong_tokens() {
        let blob = "Zq".repeat(32);
        assert_eq!(
            tokens(&format!("commit {blob} reverted")),
            ["commit", "revert"]
        );
    }

    #[test]
    fn punctuation_yields_nothing() {
        assert!(tokens("[]{}^~*:! -- ...").is_empty());
    }

    #[test]
    fn splits_identifiers_and_keeps_the_whole() {
        assert_eq!(tokens("DBPool"), ["dbpool", "db", "pool"]);
        assert_eq!(
            tokens("payment-service"),
            ["payment-servic", "payment", "servic"]
        );
        assert_eq!(
            tokens("stripe_read_timeout"),
            ["stripe_read_timeout", "stripe", "read", "timeout"]
        );
        assert_eq!(
            tokens("io.grpc.Status"),
            ["io.grpc.status", "io", "grpc", "status"]
        );
        assert_eq!(
            tokens("readTimeoutMs"),
            ["readtimeoutm", "read", "timeout", "ms"]
        );
    }

    #[test]
    fn offsets_point_at_the_original_words() {
        let line = "WARN HikariPool-1 - Connection is not available";
        let got = spans(line);
        assert!(
            got.contains(&("hikaripool-1".into(), "HikariPool-1")),
            "{got:?}"
        );
        assert!(got.contains(&("hikari".into(), "Hikari")), "{got:?}");
        assert!(got.contains(&("pool".into(), "Pool")), "{got:?}");
        assert!(got.contains(&("connect".into(), "Connection")), "{got:?}");
    }

    #[test]
    fn keeps_error_and_status_codes() {
        assert_eq!(
            tokens("HTTP 503 from upstream; ORA-00060 deadlock; read ECONNRESET; 5xx spike"),
            [
                "http",
                "503",
                "upstream",
                "ora-00060",
                "ora",
                "00060",
                "deadlock",
                "read",
                "econnreset",
                "5xx",
                "spike"
            ]
        );
    }

    #[test]
    fn masks_volatile_tokens() {
        let line = "2024-03-09T04:12:55.201Z ERROR req=6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b \
                    host 10.42.7.19:8443 peer fe80::1ff:fe23:4567:890a took 183492 ms \
                    at 04:12:55 trace a3f9c2e1b7d4";
        assert_eq!(
            tokens(line),
            ["error", "req", "host", "peer", "took", "ms", "trace"]
        );
    }

    #[test]
    fn alert_line_keeps_its_words() {
        let alert = "[FIRING:1] KubePodCrashLooping checkout-api-7d9f (OOMKilled) p99 > 2s";
        assert_eq!(
            tokens(alert),
            [
                "firing:1",
                "fire",
                "1",
                "kubepodcrashloop",
                "kube",
                "pod",
                "crash",
                "loop",
                "checkout-api-7d9f",
                "checkout",
                "api",
                "7d9f",
                "oomkil",
                "oom",
                "kill",
                "p99",
                "2s"
            ]
        );
    }

    #[test]
    fn pairs_of_neighbouring_words() {
        let mut analyzer = pairs_analyzer();
        let mut stream =
            analyzer.token_stream("The DBPool was exhausted at 2024-05-01T10:00Z by checkout-api");
        let mut got = Vec::new();
        while let Some(token) = stream.next() {
            got.push(token.text.clone());
        }
        assert_eq!(got, ["dbpool exhaust", "exhaust checkout-api"]);
    }

    #[test]
    fn words_of_identifiers() {
        let split = |w: &str| -> Vec<String> {
            let mut out = Vec::new();
            words(w, |at, len| out.push(w[at..at + len].to_string()));
            out
        };
        assert_eq!(split("HTTPServerError"), ["HTTP", "Server", "Error"]);
        assert_eq!(split("us-east-1"), ["us", "east", "1"]);
        assert_eq!(split("p99"), ["p99"]);
        assert_eq!(split("readTimeout"), ["read", "Timeout"]);
        assert_eq!(split("io.grpc.Status"), ["io", "grpc", "Status"]);
        assert_eq!(split("-DBPool_"), ["DB", "Pool"]);
        assert_eq!(split("ÉtatRéseau"), ["État", "Réseau"]);
    }

    #[test]
    fn volatile_classification() {
        for word in [
            "2024-05-01",
            "12:03:04",
            "192.168.0.1",
            "2001:db8::2:1",
            "123456",
            "0a1b2c3d4e5f",
        ] {
            assert!(is_volatile(word), "{word}");
        }
        for word in ["503", "ORA-00060", "deadbeef", "us-east-1", "v1.2.3", "p99"] {
            assert!(!is_volatile(word), "{word}");
        }
    }
}
