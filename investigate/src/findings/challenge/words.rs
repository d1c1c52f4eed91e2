//! The words of hypotheses, fixes, log lines and lessons, read so that
//! they can be matched (`database`, `DB` and `orders-db-pool` share `db`),
//! and the small wording helpers the record findings share: a quote on
//! one line, a list in words, a cited row of a record.

use super::super::change::version;
use super::super::{Cited, MAX_CITED_CHARS};
use crate::signature::cut;

/// The longest quote of an action that is not in the past tense.
const QUOTE_CHARS: usize = 100;

/// The longest subject a hypothesis is read to have (`the database`).
const SUBJECT_WORDS: usize = 5;

/// Words that carry no subject, dropped before matching: grammar, and the
/// words every hypothesis and log line uses.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "again",
    "ago",
    "all",
    "also",
    "always",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "back",
    "be",
    "because",
    "been",
    "before",
    "being",
    "big",
    "bottleneck",
    "but",
    "by",
    "can",
    "caus",
    "cause",
    "com",
    "could",
    "did",
    "do",
    "does",
    "down",
    "due",
    "during",
    "each",
    "else",
    "error",
    "every",
    "fail",
    "failur",
    "failure",
    "first",
    "for",
    "from",
    "get",
    "got",
    "had",
    "has",
    "have",
    "having",
    "high",
    "hour",
    "how",
    "if",
    "in",
    "into",
    "is",
    "issu",
    "issue",
    "it",
    "its",
    "just",
    "large",
    "last",
    "like",
    "low",
    "many",
    "may",
    "might",
    "min",
    "minut",
    "minute",
    "more",
    "most",
    "ms",
    "much",
    "never",
    "new",
    "no",
    "not",
    "now",
    "of",
    "often",
    "on",
    "one",
    "only",
    "or",
    "other",
    "our",
    "out",
    "problem",
    "reason",
    "root",
    "same",
    "sec",
    "second",
    "service",
    "should",
    "slow",
    "small",
    "so",
    "some",
    "something",
    "still",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "to",
    "too",
    "two",
    "up",
    "usually",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "which",
    "while",
    "who",
    "why",
    "will",
    "with",
    "would",
    "yet",
];

/// Synonyms folded into one key: the key, and its words.
const SYNONYMS: &[(&str, &str)] = &[
    (
        "db",
        "database databases db dbs postgres postgresql pg mysql sql rds",
    ),
    ("connection", "connection connections conn conns"),
    ("timeout", "timeout timeouts timed"),
    (
        "deploy",
        "deploy deploys deployed deploying deployment deployments redeploy redeployed release \
         released rollout rolled rollback revert reverted",
    ),
    ("cache", "cache caches cached caching"),
    (
        "server",
        "server servers host hosts instance instances machine machines",
    ),
    ("app", "app apps application applications"),
    (
        "config",
        "config configs configuration configurations setting settings",
    ),
    ("lock", "lock locks locked locking"),
];

/// Words that end the subject of a hypothesis (`The database` `is` ...).
const SUBJECT_ENDS: &[&str] = &[
    "is", "are", "was", "were", "has", "have", "had", "caused", "causes", "cause", "too", "can't",
    "cannot", "could", "does", "doesn't", "did", "didn't", "not", "ran", "runs", "hit", "hits",
    "got", "became", "failed", "fails", "leaks", "leaked", "broke", "breaks",
];

/// A significant word: the key it matches by, and how the text wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::findings) struct Word {
    pub(in crate::findings) key: String,
    pub(in crate::findings) written: String,
}

/// The subject of a hypothesis, when it reads as one (`The database is
/// the bottleneck` → `the database`).
pub(super) fn subject(statement: &str) -> Option<String> {
    let words: Vec<&str> = statement.split_whitespace().collect();
    let end = words.iter().position(|w| {
        let bare = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
        SUBJECT_ENDS.contains(&bare.to_lowercase().as_str())
    })?;
    if end == 0 || end > SUBJECT_WORDS {
        return None;
    }
    let mut words: Vec<String> = words[..end].iter().map(|w| w.to_string()).collect();
    if matches!(
        words[0].as_str(),
        "The" | "A" | "An" | "Our" | "This" | "That" | "Its" | "Their"
    ) {
        words[0] = words[0].to_lowercase();
    }
    let subject = words.join(" ");
    let subject = subject.trim_end_matches([',', ':', ';']).to_string();
    (!significant(&subject).is_empty()).then_some(subject)
}

/// A fix as the thing done: `Added 2 servers` → `adding 2 servers`; an
/// action not in the past tense is quoted.
pub(super) fn doing(action: &str) -> String {
    let action = one_line(action);
    let (first, rest) = action.split_once(' ').unwrap_or((&action, ""));
    let lower = first.to_lowercase();
    let plain = lower.chars().all(|c| c.is_ascii_alphabetic());
    let stem = if !plain || lower.len() <= 4 {
        None
    } else if let Some(stem) = lower.strip_suffix("ied") {
        Some(format!("{stem}y"))
    } else {
        lower.strip_suffix("ed").map(str::to_string)
    };
    match stem {
        Some(stem) if rest.is_empty() => format!("{stem}ing"),
        Some(stem) => format!("{stem}ing {rest}"),
        None if lower.ends_with("ing") && plain => action.to_lowercase(),
        None => format!("\"{}\"", cut(action, QUOTE_CHARS)),
    }
}

/// The significant words of a text, each once, in order; see the module
/// docs.
pub(in crate::findings) fn significant(text: &str) -> Vec<Word> {
    let mut found: Vec<Word> = Vec::new();
    let mut add = |key: String, written: &str| {
        if !found.iter().any(|w| w.key == key) {
            found.push(Word {
                key,
                written: written.to_string(),
            });
        }
    };
    let raw = text.split(|c: char| {
        c.is_whitespace() || !(c.is_alphanumeric() || matches!(c, '\'' | '’' | '.' | '-' | '_'))
    });
    for token in raw {
        let token = token.trim_matches(|c: char| !c.is_alphanumeric());
        let token = token
            .strip_suffix("'s")
            .or_else(|| token.strip_suffix("’s"))
            .unwrap_or(token);
        if token.is_empty() || token.contains(['\'', '’']) {
            continue;
        }
        if version(token) && token.contains('.') {
            add(token.trim_start_matches(['v', 'V']).to_string(), token);
            continue;
        }
        for piece in token.split(['.', '-', '_']).flat_map(camel_pieces) {
            let lower = piece.to_lowercase();
            if lower.chars().count() < 2
                || lower.chars().any(|c| c.is_numeric())
                || STOP_WORDS.contains(&lower.as_str())
            {
                continue;
            }
            let key = stem(&lower);
            if !STOP_WORDS.contains(&key.as_str()) {
                add(key, piece);
            }
        }
    }
    found
}

/// A word cut where its case changes: `DBPool` → `DB`, `Pool`.
fn camel_pieces(word: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut cuts = vec![0];
    for k in 1..chars.len() {
        let (at, c) = chars[k];
        let before = chars[k - 1].1;
        let lower_next = chars.get(k + 1).is_some_and(|&(_, n)| n.is_lowercase());
        if c.is_uppercase() && (before.is_lowercase() || (before.is_uppercase() && lower_next)) {
            cuts.push(at);
        }
    }
    cuts.push(word.len());
    cuts.windows(2)
        .map(|pair| &word[pair[0]..pair[1]])
        .filter(|piece| !piece.is_empty())
        .collect()
}

/// A lower-case word's key: its synonym group, or the word with a plural
/// and an `-ing` or `-ed` cut (`queues`, `queued` → `queu`).
pub(in crate::findings) fn stem(lower: &str) -> String {
    let synonym = |word: &str| {
        SYNONYMS
            .iter()
            .find(|(_, words)| words.split_whitespace().any(|w| w == word))
            .map(|(key, _)| key.to_string())
    };
    if let Some(key) = synonym(lower) {
        return key;
    }
    let mut word = lower.to_string();
    if word.len() > 4 && word.ends_with("ies") {
        word.truncate(word.len() - 3);
        word.push('y');
    } else if word.len() > 3
        && word.ends_with('s')
        && !["ss", "us", "is"].iter().any(|end| word.ends_with(end))
    {
        word.pop();
    }
    if word.len() > 5 && word.ends_with("ing") {
        word.truncate(word.len() - 3);
    } else if word.len() > 4 && word.ends_with("ed") {
        word.truncate(word.len() - 2);
    }
    if word.len() > 4 && word.ends_with('e') {
        word.pop();
    }
    synonym(&word).unwrap_or(word)
}

/// The citation of a row of a record.
pub(in crate::findings) fn cite(source: String, line: usize, text: &str) -> Cited {
    Cited {
        line,
        text: cut(one_line(text), MAX_CITED_CHARS),
        source,
    }
}

/// Text on one line, its whitespace runs made single spaces.
pub(in crate::findings) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text on one line, cut to `max` characters.
pub(in crate::findings) fn quote(text: &str, max: usize) -> String {
    cut(one_line(text), max)
}

/// `a`, `a and b`, `a, b and c`.
pub(in crate::findings) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A sentence with its first letter in upper case.
pub(in crate::findings) fn capitalized(sentence: &str) -> String {
    let mut chars = sentence.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
