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
//!
//! This module holds the two analyzers and their tokenizers; `scan` cuts text
//! into words and identifiers and drops volatile tokens, `stem` turns a word
//! into its term (stopwords, stemming, the stem caches), and `hash` is the
//! fast hasher of the crate's own maps.

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy::Index;

mod hash;
mod scan;
mod stem;
#[cfg(test)]
mod tests;

pub(crate) use hash::{FastHash, FastHasher};
use scan::scan;
use stem::{term, with_term};

/// Name under which the analyzer is registered; the schema's text fields refer to it.
pub(crate) const OPS: &str = "ops";

/// Name of the word-pair analyzer (see [`PairTokenizer`]).
pub(crate) const OPS_PAIRS: &str = "ops_pairs";

/// Tokens longer than this (in bytes) are dropped: they are hashes, base64 blobs and
/// minified junk from pasted logs, which nobody searches for and which bloat the
/// term dictionary. The words of an overlong identifier are still kept.
const MAX_TOKEN_BYTES: usize = 40;

/// Builds the analyzer.
///
/// Lowercasing, stopwords and stemming happen inside [`OpsTokenizer`] rather than
/// as tantivy filters: one pass with one allocation per token, and stems come from
/// a per-thread cache, because the Snowball stemmer costs about a microsecond a
/// word and snippets re-analyze every hit's text on each search.
pub(crate) fn ops_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(OpsTokenizer)
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
