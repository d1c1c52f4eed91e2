//! Plain text lines: the prefix a logging library writes before the
//! message (time, level, thread, logger, host and program) taken apart
//! token by token, stopping at the first token that is none of these.
//!
//! A component is only taken from a shape that says it is one: syslog's
//! `host program[pid]:`, a logger name before a separator
//! (`c.e.PaymentService - `, `payments - ERROR - `), a name that looks
//! like a class or service before a colon (`PaymentService:`,
//! `payment-service:`), Python's default `ERROR:payments:`, or a service
//! right after the level (`ERROR payment-service req=… connect timed out`,
//! see [`service`]). A plain word before a colon (`http:`, `Note:`) is
//! left in the message.

use std::borrow::Cow;

use super::{logger_name, Read};
use crate::clock::{read_stamp, Stamp, StampKind};
use crate::level::Level;

/// How many tokens of a line may be prefix.
const HEAD_TOKENS: usize = 10;

/// The field names of a level in `key=value` form.
pub(super) const LEVEL_KEYS: [&str; 4] = ["level", "lvl", "severity", "loglevel"];

/// A text line: its stamp, then its prefix walked for level and component;
/// the message is what follows the prefix.
pub(super) fn read(line: &str) -> Read {
    let stamp = read_stamp(line);
    let text = match &stamp {
        Some(stamp) if in_prefix(line, stamp) => Cow::Owned(format!(
            "{} {}",
            line[..stamp.span.start].trim_end(),
            line[stamp.span.end..].trim_start()
        )),
        _ => Cow::Borrowed(line),
    };
    if let Some(read) = python_default(&text) {
        return Read { stamp, ..read };
    }
    let syslog = stamp.as_ref().is_some_and(|s| s.kind == StampKind::NoYear);
    let head = walk(&text, syslog);
    let message = match text[head.rest..].trim() {
        "" => text.trim(),
        message => message,
    };
    Read {
        level: head.level.or_else(|| keyed_level(&text)),
        component: head.component,
        message: message.to_string(),
        stamp,
    }
}

/// Whether the stamp is part of the line's prefix, and so leaves the
/// message: bracketed, or after nothing but a level, a bracketed field or
/// a syslog priority. A time later in the line is part of what it says.
fn in_prefix(line: &str, stamp: &Stamp) -> bool {
    let before = tokens(&line[..stamp.span.start]);
    line[stamp.span.clone()].starts_with('[')
        || (before.len() <= 2
            && before.iter().all(|&(_, word)| {
                is_separator(word)
                    || bracketed(word).is_some()
                    || level_marker(word).is_some()
                    || glog_level(word).is_some()
            }))
}

/// What the walk over the prefix found, and where the message starts.
struct Head {
    level: Option<Level>,
    component: Option<String>,
    rest: usize,
}

/// Walks the prefix of `text` (the stamp already cut out), `syslog` when
/// the stamp was syslog's, so a host and program follow.
fn walk(text: &str, syslog: bool) -> Head {
    let tokens = tokens(text);
    let mut head = Head {
        level: None,
        component: None,
        rest: 0,
    };
    let mut glog = false;
    let mut host = false;
    // A name right after the level is the component in the `time level
    // service message` shape; anywhere else it is part of the message.
    let mut after_level = false;
    // Syslog's host is its first word, after any `<13>` priority.
    let mut first_word = true;
    for (k, &(start, word)) in tokens.iter().enumerate() {
        let next = tokens.get(k + 1).map(|&(_, word)| word);
        let after = tokens.get(k + 2).map(|&(_, word)| word);
        let syslog_host = syslog && first_word;
        first_word &= is_separator(word) || bracketed(word).is_some();
        let program_here = host || syslog_host;
        let level_before = head.level;
        let taken = if is_separator(word) {
            true
        } else if let (None, Some(level)) = (head.level, glog_level(word).filter(|_| k == 0)) {
            head.level = Some(level);
            glog = true;
            true
        } else if let (None, Some(level)) = (head.level, level_marker(word)) {
            head.level = Some(level);
            true
        } else if let (true, None, Some(name)) = (
            after_level,
            &head.component,
            service(word, &tokens[k + 1..]),
        ) {
            head.component = Some(name);
            true
        } else if let (None, Some(name)) = (&head.component, program(word, program_here)) {
            head.component = Some(name.to_string());
            true
        } else if syslog_host && next.is_some_and(|next| program(next, true).is_some()) {
            host = true;
            true
        } else if bracketed(word).is_some() {
            true
        } else if let (None, Some(name)) = (&head.component, logger(word, next, after)) {
            head.component = Some(name);
            true
        } else if let (None, Some(name)) = (
            &head.component,
            word.strip_suffix(':').filter(|name| named(name)),
        ) {
            head.component = Some(logger_name(name));
            true
        } else {
            let number = word.bytes().all(|b| b.is_ascii_digit());
            // Spring Boot's `12345 ---` pid; glog's thread id and `file.go:42]`;
            // after a level, zap's caller `client.go:42` and nginx's
            // `1234#1234: *5` process, thread and connection.
            (number && (glog || next.is_some_and(is_separator)))
                || (glog && word.ends_with(']'))
                || (head.level.is_some() && (caller(word) || nginx_ids(word)))
        };
        if !taken {
            head.rest = start;
            return head;
        }
        after_level = head.level.is_some() && level_before.is_none();
        head.rest = start + word.len();
    }
    head
}

/// The first [`HEAD_TOKENS`] whitespace-separated tokens with their byte
/// offsets.
fn tokens(text: &str) -> Vec<(usize, &str)> {
    let mut tokens = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices() {
        if !c.is_whitespace() {
            start.get_or_insert(at);
            continue;
        }
        if let Some(from) = start.take() {
            tokens.push((from, &text[from..at]));
            if tokens.len() == HEAD_TOKENS {
                return tokens;
            }
        }
    }
    if let Some(from) = start {
        tokens.push((from, &text[from..]));
    }
    tokens
}

/// `-`, `--`, `---`, `|`, `:`, `>>`, `=>`: punctuation between fields.
fn is_separator(word: &str) -> bool {
    !word.is_empty()
        && word
            .chars()
            .all(|c| matches!(c, '-' | '|' | ':' | '>' | '=' | '*' | '—' | '–' | '•' | '~'))
}

/// The inside of `[main]`, `(worker-3)`, `<13>`, `{req}`.
fn bracketed(word: &str) -> Option<&str> {
    let close = match word.chars().next()? {
        '[' => ']',
        '(' => ')',
        '<' => '>',
        '{' => '}',
        _ => return None,
    };
    let inner = word.get(1..)?.strip_suffix(close)?;
    (!inner.is_empty()).then_some(inner)
}

/// A level as a prefix writes it: `[ERROR]`, `ERROR`, `<warn>`, `Error:`,
/// `level=error`. A lower-case word alone (`error`) is left to the message.
fn level_marker(word: &str) -> Option<Level> {
    let bare = word.strip_suffix(':').unwrap_or(word);
    if let Some(inner) = bracketed(bare) {
        return Level::from_word(inner.trim());
    }
    if let Some((key, value)) = bare.split_once('=') {
        let keyed = LEVEL_KEYS.iter().any(|name| name.eq_ignore_ascii_case(key));
        return keyed
            .then(|| Level::from_word(value.trim_matches(['"', '\''])))
            .flatten();
    }
    let level = Level::from_word(bare)?;
    let shouted = bare.bytes().all(|b| b.is_ascii_uppercase());
    (shouted || bare.len() != word.len()).then_some(level)
}

/// glog's `E0210`: severity letter, month and day.
fn glog_level(word: &str) -> Option<Level> {
    let (letter, date) = word.split_at_checked(1)?;
    if date.len() != 4 || !date.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match letter {
        "I" => Some(Level::Info),
        "W" => Some(Level::Warn),
        "E" | "F" => Some(Level::Error),
        _ => None,
    }
}

/// Syslog's `program[pid]:`, and `program:` when `plain` (right after a
/// syslog host).
fn program(word: &str, plain: bool) -> Option<&str> {
    let word = word.strip_suffix(':')?;
    let name = match word.strip_suffix(']').and_then(|w| w.split_once('[')) {
        Some((name, pid)) if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) => name,
        Some(_) => return None,
        None if plain => word,
        None => return None,
    };
    let identifier = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    identifier.then_some(name)
}

/// A logger before a separator: a class or service name
/// (`c.e.PaymentService -`), or any plain name when a level follows the
/// separator (Python's `payments - ERROR -`).
fn logger(word: &str, next: Option<&str>, after: Option<&str>) -> Option<String> {
    if !next.is_some_and(is_separator) {
        return None;
    }
    let plain = word.starts_with(|c: char| c.is_ascii_alphabetic())
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let python = plain && after.is_some_and(|after| level_marker(after).is_some());
    (python || named(word)).then(|| logger_name(word))
}

/// Whether a word looks like the name of a class, logger or service:
/// identifier characters, and an inner capital (`PaymentService`) or parts
/// joined by `.`, `_`, `-` or `::` (`c.e.Payments`, `payment-service`,
/// Rust's `payments::stripe`). Exception names (`TypeError`,
/// `java.io.IOException`) are what failed, not where.
fn named(word: &str) -> bool {
    let word = &word.replace("::", ".");
    let identifier = word.starts_with(|c: char| c.is_ascii_alphabetic())
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '$'));
    let inner_capital = word.chars().skip(1).any(|c| c.is_ascii_uppercase())
        && word.chars().any(|c| c.is_ascii_lowercase());
    let joined = word.contains(['.', '_', '-']) && !word.ends_with(['.', '_', '-']);
    let exception = ["Exception", "Error", "Throwable"]
        .iter()
        .any(|end| word.ends_with(end));
    identifier && (2..=80).contains(&word.len()) && (inner_capital || joined) && !exception
}

/// A component named right after the level without a colon
/// (`ERROR payment-service req=… connect timed out`), given the tokens
/// after it.
///
/// A name that looks like one (`payment-service`, `PaymentClient`,
/// `c.e.PaymentClient`) is taken unless it reads as a word of the message
/// ([`wordish`]). A plain lower-case word is taken only when `key=value`
/// fields follow it and words after those (`checkout req=co-8e41 redis
/// dial …`), or a caller's `file.go:42` does: a plain word alone is as
/// likely the message's first (`timeout host=db-1`). Nothing is taken
/// when nothing follows.
fn service(word: &str, after: &[(usize, &str)]) -> Option<String> {
    let next = after.first()?.1;
    if word.ends_with(':') || is_separator(next) {
        return None;
    }
    if named(word) {
        return (!wordish(word)).then(|| logger_name(word));
    }
    let plain = (2..=40).contains(&word.len())
        && word.starts_with(|c: char| c.is_ascii_lowercase())
        && word
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let verb = word.ends_with("ed") || word.ends_with("ing");
    let fields_then_words = is_pair(next) && after.iter().any(|&(_, w)| !is_pair(w));
    (plain && !verb && !PLAIN_WORDS.contains(&word) && (fields_then_words || caller(next)))
        .then(|| word.to_string())
}

/// Lower-case words that begin messages more often than they name a
/// service, even with fields after them.
const PLAIN_WORDS: [&str; 12] = [
    "the", "a", "an", "no", "not", "error", "timeout", "request", "response", "retry", "unable",
    "cannot",
];

/// Parts of hyphenated words of ordinary English (`read-only`,
/// `re-auth`, `sign-in`, `out-of-memory`) and of config keys
/// (`max_connections`): a joined name with one of these is a word of the
/// message, not a service.
const ENGLISH_PARTS: [&str; 32] = [
    "a", "all", "an", "and", "anti", "by", "co", "de", "e", "end", "high", "in", "long", "low",
    "max", "min", "multi", "non", "of", "off", "on", "only", "or", "out", "per", "pre", "re",
    "read", "self", "the", "to", "up",
];

/// File name extensions: `config.yaml not found` names a file, not where
/// the line comes from.
const EXTENSIONS: [&str; 16] = [
    "yaml", "yml", "json", "toml", "ini", "conf", "cfg", "xml", "txt", "log", "csv", "sql", "sh",
    "html", "pem", "lock",
];

/// Technical words with an inner capital that begin messages
/// (`WebSocket closed`) and name no service.
const CAMEL_WORDS: [&str; 10] = [
    "WebSocket",
    "WebSockets",
    "JavaScript",
    "TypeScript",
    "GraphQL",
    "OAuth",
    "OAuth2",
    "OpenSSL",
    "OpenID",
    "NaN",
];

/// Whether a name-shaped word reads as a word of the message: a
/// lower-case joined word with an English part, a file name, a version
/// (`v1.2`) or a technical word ([`CAMEL_WORDS`]).
fn wordish(word: &str) -> bool {
    if CAMEL_WORDS.contains(&word) {
        return true;
    }
    let lower = word.bytes().all(|b| !b.is_ascii_uppercase());
    let version = word
        .split('.')
        .skip(1)
        .any(|part| part.starts_with(|c: char| c.is_ascii_digit()));
    let file = word.contains('.')
        && word
            .rsplit('.')
            .next()
            .is_some_and(|ext| EXTENSIONS.contains(&ext));
    let english = lower
        && word
            .split(['-', '_', '.'])
            .any(|part| ENGLISH_PARTS.contains(&part));
    english || file || version
}

/// `key=value`, as logfmt fields in a text line write them.
fn is_pair(word: &str) -> bool {
    word.split_once('=').is_some_and(|(key, value)| {
        !value.is_empty()
            && key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    })
}

/// Source file extensions of a caller (`client.go:42`).
const SOURCES: [&str; 16] = [
    "go", "py", "rs", "java", "kt", "scala", "js", "ts", "rb", "php", "c", "cc", "cpp", "h", "cs",
    "ex",
];

/// A caller as zap and others write it: `payments/client.go:42`.
fn caller(word: &str) -> bool {
    let Some((file, line)) = word.rsplit_once(':') else {
        return false;
    };
    let line_number = !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit());
    let source = file
        .rsplit_once('.')
        .is_some_and(|(name, ext)| !name.is_empty() && SOURCES.contains(&ext));
    line_number && source
}

/// nginx's error log ids: `1234#1234:` (process and thread) and `*5`
/// (connection).
fn nginx_ids(word: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(connection) = word.strip_prefix('*') {
        return digits(connection);
    }
    word.strip_suffix(':')
        .and_then(|ids| ids.split_once('#'))
        .is_some_and(|(process, thread)| digits(process) && digits(thread))
}

/// Python's default format, `ERROR:payments.api:message` (the root
/// logger, `root`, names no component).
fn python_default(text: &str) -> Option<Read> {
    let mut parts = text.trim_start().splitn(3, ':');
    let (level, name, message) = (parts.next()?, parts.next()?, parts.next()?);
    let shouted = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"].contains(&level);
    let logger = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    if !shouted || !logger || message.trim().is_empty() {
        return None;
    }
    Some(Read {
        stamp: None,
        level: Level::from_word(level),
        component: (name != "root").then(|| name.to_string()),
        message: message.trim().to_string(),
    })
}

/// `level=error` anywhere in the line, for text with logfmt fields in it.
fn keyed_level(text: &str) -> Option<Level> {
    text.split_whitespace().find_map(|word| {
        let (key, value) = word.split_once('=')?;
        LEVEL_KEYS
            .iter()
            .any(|name| name.eq_ignore_ascii_case(key))
            .then(|| Level::from_word(value.trim_matches(['"', '\'', ',', ';'])))
            .flatten()
    })
}
