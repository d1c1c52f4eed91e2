//! Change findings: a deploy or configuration change shortly before the
//! first error, and what a pasted config diff changed.
//!
//! Most outages follow a change, and the change is the first thing a team
//! under pressure forgets to look at when the loudest alert names
//! something else. This module points at changes that came shortly before
//! the first error, and reads a pasted diff for the values it changed. It
//! never says a change caused anything: coming before is evidence, not
//! proof, so a statement says where to look.
//!
//! The rules:
//!
//! - A change line is a line whose message matches one of
//!   [`CHANGE_TERMS`] (whole words, in any case, some needing a
//!   version-ish token in the same line: `v2.4.2`, `2.4.2`, a git sha),
//!   or holds two versions joined by `->`, `→`, `=>` or `to`
//!   (`v2.4.1 -> v2.4.2`). A term denied by one of [`NEGATIONS`] up to two
//!   words before it ("no deploy today", "not yet deployed") or within it
//!   ("flag x not enabled") does not count; a denial after it ("deploy
//!   skipped") is not caught. Its level is not error, and it is not one of
//!   the `-`/`+` lines of the diff finding.
//! - The first error is the earliest timed line of level error. When no
//!   line of the paste has a level, errors cannot be told from the rest,
//!   and there is no such finding.
//! - A timed change line strictly before the first error, at most
//!   [`CHANGE_WINDOW_MS`] before it, gives a finding quoting the change
//!   line and naming the first error, citing both. Changes after the first
//!   error are not stated. At most [`MAX_CHANGE_FINDINGS`], the nearest to
//!   the first error first; lines saying the same thing (same component
//!   and signature) count once, at their nearest.
//! - A config diff (see `diff`) gives one more finding, with or without
//!   times: the keys whose `-` and `+` lines hold different values, with
//!   the ratio of numeric values (at most [`MAX_DIFF_KEYS`] listed).

mod diff;
#[cfg(test)]
mod diff_tests;

use super::{duration_words, time_of_day, Cited, Finding, FindingKind, MINUTE};
use crate::level::Level;
use crate::line::LogLine;
use crate::signature::cut;

/// How long before the first error a change is stated, in milliseconds.
pub const CHANGE_WINDOW_MS: i64 = 30 * MINUTE;

/// The most change-before-error findings stated for one paste (the diff
/// finding comes on top).
pub const MAX_CHANGE_FINDINGS: usize = 3;

/// The most changed keys a diff finding lists; the rest are counted.
pub const MAX_DIFF_KEYS: usize = 10;

/// What makes a line a change record, each with whether it also needs a
/// version-ish token in the line.
///
/// A term is a sequence of whole words, matched in the lower-cased
/// message; `a|b` is either word, and `…` stands for up to three words of
/// any kind (`feature flag new_checkout enabled`). Words are runs of
/// letters, digits, `_`, `'` and inner `.`, so `deploy_timeout`,
/// `Deployer` and `deploy.yaml` are not `deploy`, and a version is one
/// word. Words that also mean something else in ordinary logs
/// need a version: a lock or a connection is "released", an HTTP
/// connection "upgraded", a migration "applied". `deployment` alone is
/// left out: Kubernetes names every object that way.
pub const CHANGE_TERMS: [(&str, bool); 10] = [
    ("deploy|deployed|deploying|redeploy|redeployed", false),
    ("rollout", false),
    ("rolled|rolling out", false),
    ("helm upgrade", false),
    (
        "config|configuration change|changes|changed|update|updated|reloaded",
        false,
    ),
    ("image … updated", false),
    ("flag|feature … toggled|enabled|disabled", false),
    ("release|released", true),
    ("upgrade|upgraded|upgrading", true),
    ("applied", true),
];

/// Words that say a change term did not happen, up to two words before
/// it or among the words its `…` stands for.
pub const NEGATIONS: [&str; 16] = [
    "no", "not", "never", "nothing", "without", "didn't", "wasn't", "isn't", "hasn't", "haven't",
    "won't", "don't", "doesn't", "skip", "skipped", "skipping",
];

/// How many words `…` in a term may stand for.
const GAP_WORDS: usize = 3;

/// The longest change message quoted, in characters.
const QUOTE_CHARS: usize = 120;

/// The longest first error named, in characters.
const LABEL_CHARS: usize = 80;

/// The change findings of a paste: its text and its lines as
/// [`crate::read_lines`] gives them from that text (the diff is read from
/// the text, since a diff line is no log line); see the module docs for
/// the rules.
pub fn change_findings(text: &str, lines: &[LogLine]) -> Vec<Finding> {
    let sides = diff::read(text);
    let pairs = diff::pairs(&sides);
    let mut in_diff: Vec<usize> = pairs
        .iter()
        .flat_map(|(old, new)| [old.number, new.number])
        .collect();
    in_diff.sort_unstable();
    let mut found = window_findings(lines, &in_diff);
    found.extend(diff::finding(&pairs));
    found
}

/// The changes before the first error; `in_diff` holds the (ascending)
/// numbers of the diff's lines, which are never change lines.
fn window_findings(lines: &[LogLine], in_diff: &[usize]) -> Vec<Finding> {
    let first = lines
        .iter()
        .filter(|line| line.level == Some(Level::Error))
        .filter_map(|line| Some((line.at?, line)))
        .min_by_key(|&(at, line)| (at, line.number));
    let Some((first_at, error)) = first else {
        return Vec::new();
    };
    let mut changes: Vec<(i64, &LogLine)> = lines
        .iter()
        .filter(|line| line.level != Some(Level::Error))
        .filter_map(|line| Some((line.at?, line)))
        .filter(|&(at, _)| at < first_at && first_at.saturating_sub(at) <= CHANGE_WINDOW_MS)
        .filter(|(_, line)| in_diff.binary_search(&line.number).is_err())
        .filter(|(_, line)| is_change(&line.message))
        .collect();
    changes.sort_by_key(|&(at, line)| (first_at.saturating_sub(at), line.number));

    let mut found: Vec<Finding> = Vec::new();
    let mut said: Vec<&LogLine> = Vec::new();
    for (at, line) in changes {
        if found.len() == MAX_CHANGE_FINDINGS {
            break;
        }
        if said
            .iter()
            .any(|s| s.signature == line.signature && s.component == line.component)
        {
            continue;
        }
        said.push(line);
        let who = match &line.component {
            Some(component) => format!("{component}: "),
            None => String::new(),
        };
        let statement = format!(
            "{who}\"{}\" at {}, {} before the first error ({}, {}): look at what it \
             changed first.",
            cut(line.message.clone(), QUOTE_CHARS),
            time_of_day(at),
            duration_words(first_at.saturating_sub(at)),
            label(error),
            time_of_day(first_at),
        );
        found.push(Finding {
            kind: FindingKind::Change,
            statement,
            evidence: vec![Cited::of(line), Cited::of(error)],
        });
    }
    found
}

/// Whether a message reads as a change record; see [`CHANGE_TERMS`].
pub(super) fn is_change(message: &str) -> bool {
    let lower = lowered(message);
    let words = words(&lower);
    // Terms needing a version, only when one needing none is not there.
    let termed = |versioned: bool| {
        CHANGE_TERMS
            .iter()
            .filter(|&&(_, needs_version)| needs_version == versioned)
            .any(|&(term, _)| names(&words, term))
    };
    termed(false) || (termed(true) && tokens(&lower).any(version)) || upgrade_arrow(&lower)
}

/// A message in lower case, with typographic apostrophes made plain.
pub(super) fn lowered(message: &str) -> String {
    message.to_lowercase().replace('’', "'")
}

/// The words of a lower-cased message: runs of letters, digits, `_`, `'`
/// and inner `.`.
pub(super) fn words(lower: &str) -> Vec<&str> {
    lower
        .split(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '\'' | '.')))
        .map(|word| word.trim_matches(['\'', '.']))
        .filter(|word| !word.is_empty())
        .collect()
}

/// Whether a term is in `words`, not right after a negation.
pub(super) fn names(words: &[&str], term: &str) -> bool {
    let pattern: Vec<&str> = term.split(' ').collect();
    (0..words.len()).any(|at| {
        matches_at(words, at, &pattern)
            && !words[at.saturating_sub(2)..at]
                .iter()
                .any(|word| NEGATIONS.contains(word))
    })
}

/// Whether `pattern` (words of a term) matches `words` from `at` on.
pub(super) fn matches_at(words: &[&str], at: usize, pattern: &[&str]) -> bool {
    match pattern.split_first() {
        None => true,
        // The words skipped may not deny it: "flag x not enabled".
        Some((&"…", rest)) => (0..=GAP_WORDS).any(|skip| {
            words
                .iter()
                .skip(at)
                .take(skip)
                .all(|w| !NEGATIONS.contains(w))
                && matches_at(words, at + skip, rest)
        }),
        Some((alternatives, rest)) => {
            words
                .get(at)
                .is_some_and(|word| alternatives.split('|').any(|a| a == *word))
                && matches_at(words, at + 1, rest)
        }
    }
}

/// Two versions joined by an arrow or `to`: `v2.4.1 -> v2.4.2`.
fn upgrade_arrow(lower: &str) -> bool {
    let spaced = lower
        .replace("->", " -> ")
        .replace('→', " -> ")
        .replace("=>", " -> ");
    let words: Vec<&str> = spaced.split_whitespace().collect();
    words.windows(3).any(|w| {
        matches!(w[1], "->" | "to") && pieces(w[0]).any(version) && pieces(w[2]).any(version)
    })
}

/// The pieces of a message's whitespace-separated words that may be
/// versions.
fn tokens(lower: &str) -> impl Iterator<Item = &str> {
    lower.split_whitespace().flat_map(pieces)
}

/// A word split where an image tag or a key joins a version on
/// (`payments:v2.4.2`, `app@2.4.2`, `sha=1a2b3c4`), trimmed of brackets,
/// quotes and a closing full stop.
fn pieces(word: &str) -> impl Iterator<Item = &str> {
    word.split([':', '@', '/', '=', ','])
        .map(|piece| piece.trim_matches(|c: char| "()[]{}\"';".contains(c)))
        .map(|piece| piece.strip_suffix('.').unwrap_or(piece))
}

/// Whether a piece looks like a version: `v` and one to four dotted
/// numbers (`v2`, `v2.4.2`), three dotted numbers (`2.4.2`; two could be
/// a decimal, four an IP address), either with a `-rc1` or `+build`
/// suffix, or a git sha (7 to 40 hex digits, with a digit and a letter).
pub(super) fn version(piece: &str) -> bool {
    let (bare, prefixed) = match piece.strip_prefix(['v', 'V']) {
        Some(rest) => (rest, true),
        None => (piece, false),
    };
    let core = bare.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    let numeric = parts
        .iter()
        .all(|part| (1..=9).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()));
    let dotted = numeric
        && if prefixed {
            parts.len() <= 4
        } else {
            parts.len() == 3
        };
    let sha = (7..=40).contains(&piece.len())
        && piece.bytes().all(|b| b.is_ascii_hexdigit())
        && piece.bytes().any(|b| b.is_ascii_digit())
        && piece.bytes().any(|b| b.is_ascii_alphabetic());
    dotted || sha
}

/// How a statement names the first error: `Component: message`, the
/// message cut to [`LABEL_CHARS`].
fn label(line: &LogLine) -> String {
    let message = cut(line.gist(), LABEL_CHARS);
    match &line.component {
        Some(component) => format!("{component}: {message}"),
        None => message,
    }
}
