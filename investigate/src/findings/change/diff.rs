//! A config diff read for the values it changed.
//!
//! - A diff line starts (after any indent) with `-` or `+` and holds one
//!   `key: value` or `key=value`, with or without spaces, the key bare or
//!   quoted: YAML, JSON (`"key": 5,`), INI and TOML (`key = 5`), env
//!   files (`KEY=5`, `export KEY=5`). A `#` comment after the value is
//!   dropped; `---` and `+++` file headers, and lines opening a block
//!   (`key:` alone, `key: {`), are no diff lines.
//! - A removed line and an added line of the same key make a pair (the
//!   first removal with the first addition, and so on); a key only added
//!   or only removed is not stated. A pair with the same value is no
//!   change.
//! - Values are numbers when both are a non-negative integer or decimal
//!   with the same unit, or none (`5000`, `0.5`, `30s`, `512MB`): their
//!   ratio is stated, a whole number exactly (`10× lower`), otherwise to
//!   one decimal (`2.5× higher`), "slightly" when that rounds to 1, and
//!   none when either is 0. Any other pair of values is stated as it is
//!   (`false → true`, `5s → 500ms`).
//! - One finding for the whole diff lists the first [`MAX_DIFF_KEYS`]
//!   changed keys in the order of their `-` lines and counts the rest; it
//!   cites the `-` and `+` line of each listed key, up to
//!   [`MAX_CITED_LINES`] lines.

use std::collections::HashMap;

use super::MAX_DIFF_KEYS;
use crate::findings::{Cited, Finding, FindingKind, MAX_CITED_CHARS, MAX_CITED_LINES};
use crate::line::{within_caps, MAX_LINE_BYTES};
use crate::signature::cut;

/// The longest value quoted, in characters.
const VALUE_CHARS: usize = 40;

/// The longest key read, in bytes.
const KEY_BYTES: usize = 100;

/// The most digits a number read may have; more is no setting anyone
/// compares by ratio.
const MAX_DIGITS: usize = 18;

/// One `-` or `+` line of a diff.
#[derive(Debug)]
pub(super) struct Side {
    /// The line's number in the paste, from 1, blank lines counted.
    pub(super) number: usize,
    /// Whether it is a `-` line.
    removed: bool,
    key: String,
    value: String,
    /// The line as pasted, trimmed.
    text: String,
}

/// The diff lines of a paste, in order (at most [`MAX_LINES`] lines, each
/// cut to [`MAX_LINE_BYTES`], as the log lines are).
pub(super) fn read(text: &str) -> Vec<Side> {
    let mut sides = Vec::new();
    for (index, raw) in within_caps(text).enumerate() {
        let line = cut_at_boundary(raw, MAX_LINE_BYTES).trim();
        let removed = match line.chars().next() {
            Some('-') => true,
            Some('+') => false,
            _ => continue,
        };
        if line.starts_with("---") || line.starts_with("+++") {
            continue;
        }
        if let Some((key, value)) = key_value(&line[1..]) {
            sides.push(Side {
                number: index + 1,
                removed,
                key,
                value,
                text: line.chars().map(visible).collect(),
            });
        }
    }
    sides
}

/// The removed and added lines of the same key, paired in order: the
/// first removal with the first addition, and so on.
pub(super) fn pairs(sides: &[Side]) -> Vec<(&Side, &Side)> {
    // Each key's added lines, last first, so the next to pair is popped.
    let mut added: HashMap<&str, Vec<&Side>> = HashMap::new();
    for side in sides.iter().rev().filter(|side| !side.removed) {
        added.entry(side.key.as_str()).or_default().push(side);
    }
    sides
        .iter()
        .filter(|side| side.removed)
        .filter_map(|old| Some((old, added.get_mut(old.key.as_str())?.pop()?)))
        .collect()
}

/// The finding of a diff's changed keys (its [`pairs`]), if any changed.
pub(super) fn finding(pairs: &[(&Side, &Side)]) -> Option<Finding> {
    let changes: Vec<(String, &Side, &Side)> = pairs
        .iter()
        .filter_map(|&(old, new)| Some((change_words(&old.key, &old.value, &new.value)?, old, new)))
        .collect();
    if changes.is_empty() {
        return None;
    }
    let listed: Vec<&str> = changes
        .iter()
        .take(MAX_DIFF_KEYS)
        .map(|(words, _, _)| words.as_str())
        .collect();
    let more = match changes.len().saturating_sub(MAX_DIFF_KEYS) {
        0 => String::new(),
        n => format!("; and {n} more"),
    };
    let keys = match changes.len() {
        1 => "1 key".to_string(),
        n => format!("{n} keys"),
    };
    let statement = format!("The diff changes {keys}: {}{more}.", listed.join("; "));
    let evidence = changes
        .iter()
        .take(MAX_DIFF_KEYS)
        .flat_map(|&(_, old, new)| [old, new])
        .take(MAX_CITED_LINES)
        .map(|side| Cited {
            line: side.number,
            text: cut(side.text.clone(), MAX_CITED_CHARS),
            source: String::new(),
        })
        .collect();
    Some(Finding {
        kind: FindingKind::Change,
        statement,
        evidence,
    })
}

/// The key and value of a diff line's content (after its `-` or `+`).
pub(super) fn key_value(content: &str) -> Option<(String, String)> {
    let content = uncommented(content).trim();
    let content = content.strip_suffix(',').unwrap_or(content).trim_end();
    let content = content
        .strip_prefix("export ")
        .unwrap_or(content)
        .trim_start();
    let (key, rest) = match content.chars().next()? {
        quote @ ('"' | '\'') => {
            let inner = &content[1..];
            let end = inner.find(quote)?;
            (&inner[..end], inner[end + 1..].trim_start())
        }
        _ => {
            let at = content.find([':', '='])?;
            (content[..at].trim_end(), &content[at..])
        }
    };
    let value = rest.strip_prefix([':', '='])?.trim();
    let keyed = key.len() <= KEY_BYTES
        && key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    // A block opens (`key:`, `key: {`, `key: |`), it holds no value.
    let block = value.is_empty() || matches!(value, "{" | "[" | "|" | ">" | "|-" | ">-");
    (keyed && !block).then(|| (key.to_string(), unquoted(value).to_string()))
}

/// `content` without a `#` comment: a `#` after whitespace, outside
/// quotes.
fn uncommented(content: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (at, c) in content.char_indices() {
        match (quote, c) {
            (Some(open), _) if c == open => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') if previous.is_whitespace() => return &content[..at],
            _ => {}
        }
        previous = c;
    }
    content
}

/// A value without the quotes around it.
fn unquoted(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}

/// How a pair of values of `key` reads: `pool_size 50 → 100 (2× higher)`;
/// `None` when they are the same.
fn change_words(key: &str, old: &str, new: &str) -> Option<String> {
    let ratio = match (number(old), number(new)) {
        (Some((a, a_places, a_unit)), Some((b, b_places, b_unit))) if a_unit == b_unit => {
            // Both scaled to the same decimal places, so compared exactly.
            let places = a_places.max(b_places);
            let a = a * 10i128.pow(places - a_places);
            let b = b * 10i128.pow(places - b_places);
            if a == b {
                return None;
            }
            ratio_words(a, b)
        }
        _ if old == new => return None,
        _ => None,
    };
    let shown = |value: &str| match value {
        "" => "\"\"".to_string(),
        value => cut(value.to_string(), VALUE_CHARS),
    };
    let mut words = format!("{key} {} → {}", shown(old), shown(new));
    if let Some(ratio) = ratio {
        words.push_str(&format!(" ({ratio})"));
    }
    Some(words)
}

/// A non-negative number with an optional unit (`5000`, `0.5`, `30s`,
/// `512 MB`): its digits as an integer, its decimal places and its unit.
fn number(value: &str) -> Option<(i128, u32, &str)> {
    let end = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (digits, unit) = (&value[..end], value[end..].trim_start());
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let shaped = !whole.is_empty()
        && plain(whole)
        && plain(fraction)
        && (digits.len() == whole.len() || !fraction.is_empty())
        && whole.len() + fraction.len() <= MAX_DIGITS
        && unit.len() <= 5
        && unit.chars().all(|c| c.is_ascii_alphabetic() || c == '%');
    if !shaped {
        return None;
    }
    let scaled = format!("{whole}{fraction}").parse().ok()?;
    Some((scaled, u32::try_from(fraction.len()).ok()?, unit))
}

/// How `new` compares with `old`: `10× lower`, `2.5× higher`; `None` when
/// either is 0.
fn ratio_words(old: i128, new: i128) -> Option<String> {
    if old == 0 || new == 0 {
        return None;
    }
    let (big, small, way) = if new < old {
        (old, new, "lower")
    } else {
        (new, old, "higher")
    };
    if big % small == 0 {
        return Some(format!("{}× {way}", big / small));
    }
    // Tenths, rounded half up.
    let tenths = (big * 20 + small) / (2 * small);
    Some(match tenths {
        10 => format!("slightly {way}"),
        _ => format!("{}.{}× {way}", tenths / 10, tenths % 10),
    })
}

/// Control characters other than tab as spaces, as log lines read them.
fn visible(c: char) -> char {
    if c.is_control() && c != '\t' {
        ' '
    } else {
        c
    }
}

/// The longest prefix of `text` of at most `max` bytes ending on a char
/// boundary.
fn cut_at_boundary(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
