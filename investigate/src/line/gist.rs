//! A line's gist: the few words a statement quotes for what the line
//! says.
//!
//! Structured text puts what happened in a field (`error="connect timed
//! out"`) among request ids and counts, or between them (`req=ord-11b4
//! acquire failed (size=50 in_use=50)`). A statement that quotes the whole
//! message buries the point; the cited line keeps the rest. The rule, in
//! order:
//!
//! - An access log line (`"GET /checkout HTTP/1.1" 502`) is its request
//!   and status.
//! - A double-quoted `msg=`/`message=` field, an `error=`/`err=`/`reason=`
//!   field, or both as `msg: error`, in the message or in a JSON object
//!   ending it (Go's zap), is what the line says.
//! - Otherwise the message without the pairs before its first word and
//!   after its last (with a bracket of pairs closing it; not after `for`,
//!   `to` and the like, whose object they are), nor nginx's `, client:
//!   …, server: …` context.
//! - A message of nothing but pairs keeps them, less its time and level.

use super::fields::{json_pairs, meta_key};
use super::pairs::{items, Item};

/// Fields saying what happened, first found first.
const SAID_KEYS: [&str; 2] = ["msg", "message"];

/// Fields saying what went wrong, first found first.
const ERROR_KEYS: [&str; 3] = ["error", "err", "reason"];

/// Words after which a pair finishes the sentence rather than adds to it.
const JOINING_WORDS: [&str; 16] = [
    "for", "of", "to", "on", "in", "at", "by", "with", "from", "as", "and", "or", "into", "is",
    "was", "the",
];

/// HTTP methods that open an access log's request.
const METHODS: [&str; 7] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

/// The gist of a message; see the module docs.
pub(super) fn gist(message: &str) -> String {
    if let Some(request) = access_request(message) {
        return request;
    }
    // nginx's error log appends where the request came from and went.
    let text = message
        .find(", client: ")
        .map_or(message, |at| &message[..at]);
    let (text, json) = trailing_json(text);
    let items = items(text);
    let json = json.unwrap_or_default();
    let words = || tidy(&without_pairs(text, &items));
    let said = field(&items, &json, &SAID_KEYS).map(str::to_string);
    // zap writes what happened as words and what went wrong as a field.
    let said = said.or_else(|| (!json.is_empty()).then(words).flatten());
    let error = field(&items, &json, &ERROR_KEYS);
    let gist = match (said, error) {
        (Some(said), Some(error)) if said != error => Some(format!("{said}: {error}")),
        (Some(said), _) => Some(said),
        (None, error) => error.map(str::to_string),
    };
    gist.and_then(|gist| tidy(&gist))
        .or_else(words)
        .unwrap_or_else(|| message.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `"GET /checkout HTTP/1.1" 502`, from an access log line.
fn access_request(text: &str) -> Option<String> {
    let open = text.match_indices('"').find(|&(at, _)| {
        let rest = &text[at + 1..];
        METHODS.iter().any(|method| {
            rest.strip_prefix(method)
                .is_some_and(|r| r.starts_with(' '))
        })
    })?;
    let start = open.0;
    let close = start + 1 + text[start + 1..].find('"')?;
    let status = text[close + 1..].split_whitespace().next()?;
    let code = status.len() == 3 && status.bytes().all(|b| b.is_ascii_digit());
    code.then(|| format!("{} {status}", &text[start..=close]))
}

/// The text without a JSON object ending it, and that object's fields.
fn trailing_json(text: &str) -> (&str, Option<Vec<(String, String)>>) {
    if !text.trim_end().ends_with('}') {
        return (text, None);
    }
    // The object starts at a brace after whitespace; a few tries find it
    // unless the text before it is itself full of braces.
    let starts = text
        .char_indices()
        .filter(|&(at, c)| c == '{' && text[..at].ends_with(char::is_whitespace))
        .take(4);
    for (at, _) in starts {
        if let Some(fields) = json_pairs(&text[at..]) {
            return (&text[..at], Some(fields));
        }
    }
    (text, None)
}

/// The first non-empty field of `keys`: double-quoted in the text, or in
/// the JSON object ending it.
fn field<'a>(items: &'a [Item], json: &'a [(String, String)], keys: &[&str]) -> Option<&'a str> {
    let named = |key: &str| keys.iter().any(|k| k.eq_ignore_ascii_case(key));
    let quoted = items
        .iter()
        .filter_map(|item| item.pair.as_ref())
        .find(|pair| pair.quoted && !pair.value.trim().is_empty() && named(pair.key))
        .map(|pair| pair.value.trim());
    quoted.or_else(|| {
        json.iter()
            .find(|(key, value)| !value.trim().is_empty() && named(key))
            .map(|(_, value)| value.trim())
    })
}

/// The text from its first word to its last, leaving off the pairs
/// before and after; all pairs but the time and level when it has no
/// word.
fn without_pairs<'a>(text: &'a str, items: &[Item]) -> std::borrow::Cow<'a, str> {
    let Some(start) = items.iter().position(|item| item.pair.is_none()) else {
        let kept: Vec<&str> = items
            .iter()
            .filter(|item| item.pair.as_ref().is_some_and(|pair| !meta_key(pair.key)))
            .map(|item| &text[item.span.0..item.span.1])
            .collect();
        return kept.join(" ").into();
    };
    let last_word = items
        .iter()
        .rposition(|item| item.pair.is_none())
        .unwrap_or(start);
    // Pairs after the last word go when they close every bracket they
    // open: `(size=50 in_use=50)` does, `in_use=50)` after `(pool full`
    // does not.
    // After `for`, `to` and the like the pair is the words' object:
    // `authorize failed for order=ORD-9` would read cut off without it.
    let last = text[items[last_word].span.0..items[last_word].span.1].to_ascii_lowercase();
    let end = (last_word + 1..items.len())
        .find(|&from| balanced(&items[from..]) && !JOINING_WORDS.contains(&last.as_str()))
        .unwrap_or(items.len());
    text[items[start].span.0..items[end - 1].span.1].into()
}

/// Whether brackets in the items close in order and all close.
fn balanced(items: &[Item]) -> bool {
    let mut depth = 0;
    for item in items {
        depth += item.depth;
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

/// Whitespace runs as one space, and no separator left dangling at the
/// end; `None` when nothing is left.
fn tidy(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    let trimmed = joined.trim_end_matches([',', ';', ':', '-', '|', ' ']);
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}
