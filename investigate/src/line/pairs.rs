//! The `key=value` pairs inside a line, wherever they stand: the words a
//! gist drops or quotes, and the fields a finding compares across lines.
//!
//! A message is scanned into items, each a pair or a plain word. A pair
//! starts where a word starts (after any opening brackets), its key made
//! of identifier characters, its value bare (up to whitespace, closing
//! brackets and trailing `,`/`;` left off) or double-quoted with backslash
//! escapes (spanning whitespace). A quote that never closes makes the word
//! plain, so a cut-off line reads as words.

use super::fields::{json_pairs, quoted_value};

/// The most items one message is scanned into: a line is at most
/// [`super::MAX_LINE_BYTES`] long, so this only bounds pathological input.
const MAX_ITEMS: usize = 400;

/// A word or a `key=value` pair of a message, where it stands.
pub(super) struct Item<'a> {
    /// Its bytes in the message, brackets and punctuation included.
    pub(super) span: (usize, usize),
    /// The pair, when it is one.
    pub(super) pair: Option<Pair<'a>>,
    /// Opening minus closing round brackets in it, for telling whether a
    /// run of pairs closes a bracket opened before it.
    pub(super) depth: i32,
}

/// A `key=value` pair.
pub(super) struct Pair<'a> {
    pub(super) key: &'a str,
    pub(super) value: String,
    /// Whether the value was double-quoted.
    pub(super) quoted: bool,
}

/// The items of a message, in order.
pub(super) fn items(text: &str) -> Vec<Item<'_>> {
    let bytes = text.as_bytes();
    let mut items = Vec::new();
    let mut at = 0;
    while items.len() < MAX_ITEMS {
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        if at >= bytes.len() {
            break;
        }
        let item = pair_at(text, at).unwrap_or_else(|| {
            let end = word_end(bytes, at);
            Item {
                span: (at, end),
                pair: None,
                depth: depth(&text[at..end]),
            }
        });
        at = item.span.1;
        items.push(item);
    }
    items
}

/// The byte after the word starting at `at`.
fn word_end(bytes: &[u8], at: usize) -> usize {
    at + bytes[at..]
        .iter()
        .take_while(|b| !b.is_ascii_whitespace())
        .count()
}

/// `(` minus `)` in a word.
fn depth(word: &str) -> i32 {
    word.bytes().fold(0, |depth, b| match b {
        b'(' => depth + 1,
        b')' => depth - 1,
        _ => depth,
    })
}

/// The pair starting at `at` (after any opening brackets), if one does.
fn pair_at(text: &str, at: usize) -> Option<Item<'_>> {
    let bytes = text.as_bytes();
    let open = bytes[at..]
        .iter()
        .take_while(|&&b| matches!(b, b'(' | b'['))
        .count();
    let key_start = at + open;
    let key_len = bytes[key_start..]
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'@'))
        .count();
    let first = *bytes.get(key_start)?;
    let eq = key_start + key_len;
    if key_len == 0
        || !(first.is_ascii_alphabetic() || first == b'_')
        || bytes.get(eq) != Some(&b'=')
    {
        return None;
    }
    let key = &text[key_start..eq];
    // Brackets inside a quoted value are text, not structure.
    let (value, quoted, tail, end) = if bytes.get(eq + 1) == Some(&b'"') {
        let (value, close) = quoted_value(text, eq + 2)?;
        // Whatever sticks to the closing quote (`")`, `",`) belongs to it.
        (value, true, close, word_end(bytes, close))
    } else {
        let end = word_end(bytes, eq + 1);
        let value = text[eq + 1..end].trim_end_matches([')', ']', ',', ';']);
        if value.is_empty() {
            return None;
        }
        (value.to_string(), false, eq + 1, end)
    };
    Some(Item {
        span: (at, end),
        pair: Some(Pair { key, value, quoted }),
        depth: depth(&text[at..key_start]) + depth(&text[tail..end]),
    })
}

/// The fields of a line, as `(key, value)`: those of a JSON object line
/// in key order (nested objects one level deep as `outer.inner`),
/// otherwise every `key=value` pair in it in the order they stand.
pub(crate) fn pairs(line: &str) -> Vec<(String, String)> {
    if let Some(pairs) = json_pairs(line) {
        return pairs;
    }
    items(line)
        .into_iter()
        .filter_map(|item| item.pair)
        .map(|pair| (pair.key.to_string(), pair.value))
        .collect()
}
