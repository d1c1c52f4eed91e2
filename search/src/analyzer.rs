//! The text analyzer shared by indexing, querying and snippet highlighting.
//!
//! It lives in its own module because it is expected to be replaced by a richer
//! ops-text analyzer (one that keeps `500`, `p99`, `us-east-1` and `OOMKilled`
//! meaningful). Any change to what it emits changes the terms stored in the index,
//! so it must come with a [`SCHEMA_VERSION`](crate::SCHEMA_VERSION) bump, which makes
//! `open` rebuild the index.

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};
use tantivy::Index;

/// Name under which the analyzer is registered; the schema's text fields refer to it.
pub(crate) const OPS: &str = "ops";

/// Tokens longer than this (in bytes) are dropped: they are hashes, base64 blobs and
/// minified junk from pasted logs, which nobody searches for and which bloat the
/// term dictionary.
const MAX_TOKEN_BYTES: usize = 40;

/// Builds the analyzer.
pub(crate) fn ops_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Registers the analyzer on `index`. Tokenizers are not persisted by tantivy, so
/// every freshly opened or created `Index` needs this before it indexes or searches.
pub(crate) fn register(index: &Index) {
    index.tokenizers().register(OPS, ops_analyzer());
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
    use super::tokens;

    #[test]
    fn lowercases_and_stems() {
        assert_eq!(
            tokens("Database Connections TIMED out"),
            ["databas", "connect", "time", "out"]
        );
    }

    #[test]
    fn drops_overlong_tokens() {
        let sha = "a".repeat(64);
        assert_eq!(
            tokens(&format!("commit {sha} reverted")),
            ["commit", "revert"]
        );
    }

    #[test]
    fn punctuation_yields_nothing() {
        assert!(tokens("[]{}^~*:! -- ...").is_empty());
    }
}
