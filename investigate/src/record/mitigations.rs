//! The record's mitigations as attempts, and each attempt kept once when
//! the timeline or the evidence shows it too.
//!
//! - A recorded mitigation's result gives its outcome (worked, partly, no
//!   effect for `failed`), unless its note or action states a hold
//!   ("quiet for about 20 minutes"), which is more precise. With no result
//!   or `unknown`, the outcome the note states, if any.
//! - It is the same attempt as one read from a line when they share at
//!   least two significant words (numbers of two digits or more included:
//!   "pool … 50 to 100"), and at least three or all of the shorter one's.
//!   Words are compared lower-cased, plural and `-ed`/`-ing` endings cut,
//!   stop words and the words of outcomes ("quiet", "minutes") left out; a
//!   compound shares its last part (`cronjob` is a `job`).
//! - Of the two, the one with the more precise outcome is kept: a hold
//!   over any other outcome, any over none, and an outcome the words state
//!   over one judged from the errors around a line. On a tie, the line's,
//!   which has a time. The one kept takes the other's time when it has
//!   none, and cites both.

use kb_domain::record::{MitigationAttempt, MitigationResult};

use super::one_line;
use crate::findings::{stated_outcome, Attempt, AttemptOutcome, Cited, MAX_CITED_CHARS};
use crate::signature::cut;

/// Words that say nothing of what was done.
const STOP_WORDS: [&str; 58] = [
    "about", "after", "again", "all", "also", "and", "any", "are", "back", "before", "but", "each",
    "effect", "error", "errors", "fail", "failed", "failure", "failures", "for", "from", "had",
    "has", "have", "help", "helped", "into", "its", "just", "min", "mins", "minute", "minutes",
    "more", "not", "off", "only", "our", "out", "quiet", "return", "returns", "still", "stop",
    "stopped", "stops", "than", "that", "the", "their", "then", "this", "was", "were", "when",
    "which", "with", "worked",
];

/// The most citations one attempt keeps.
const MAX_ATTEMPT_CITES: usize = 4;

/// The record's mitigations as attempts, each citing its source
/// (`Mitigation 2`, line 1); those with no action are left out.
pub(super) fn recorded(mitigations: &[MitigationAttempt]) -> Vec<Attempt> {
    mitigations
        .iter()
        .enumerate()
        .filter_map(|(index, mitigation)| {
            let action = one_line(&mitigation.action);
            if action.is_empty() {
                return None;
            }
            let note = one_line(&mitigation.note);
            let result = parse_result(&mitigation.result);
            let mut text = match result {
                Some(result) => format!("{action} ({})", result.label().to_lowercase()),
                None => action.clone(),
            };
            if !note.is_empty() {
                text.push_str(&format!(": {note}"));
            }
            Some(Attempt {
                outcome: outcome(result, &action, &note),
                action,
                at: None,
                cited: vec![Cited {
                    line: 1,
                    text: cut(text, MAX_CITED_CHARS),
                    source: format!("Mitigation {}", index + 1),
                }],
            })
        })
        .collect()
}

/// A result by its name (`partial`) or, as a person may have typed it,
/// its label (`Partly worked`).
fn parse_result(text: &str) -> Option<MitigationResult> {
    MitigationResult::parse(text).or_else(|| {
        MitigationResult::ALL
            .iter()
            .copied()
            .find(|result| result.label().eq_ignore_ascii_case(text.trim()))
    })
}

/// A recorded mitigation's outcome: a stated hold, else its result, else
/// what its note states.
fn outcome(result: Option<MitigationResult>, action: &str, note: &str) -> AttemptOutcome {
    let stated = |text: &str| stated_outcome(text).unwrap_or(AttemptOutcome::Unknown);
    let held = [note, action]
        .into_iter()
        .map(stated)
        .find(|outcome| matches!(outcome, AttemptOutcome::Held(_)));
    if let Some(held) = held {
        return held;
    }
    match result {
        Some(MitigationResult::Worked) => AttemptOutcome::Worked,
        Some(MitigationResult::Partial) => AttemptOutcome::Partly,
        Some(MitigationResult::Failed) => AttemptOutcome::NoEffect,
        Some(MitigationResult::Unknown) | None => stated(note),
    }
}

/// The attempts read from lines and the recorded ones, each attempt once,
/// timed ones first in order of time; see the module docs.
pub(super) fn merge(mut from_lines: Vec<Attempt>, recorded: Vec<Attempt>) -> Vec<Attempt> {
    let words: Vec<Vec<String>> = from_lines.iter().map(|a| significant(&a.action)).collect();
    let mut kept: Vec<Attempt> = Vec::new();
    for attempt in recorded {
        let own = significant(&attempt.action);
        let best = words
            .iter()
            .enumerate()
            .filter_map(|(index, theirs)| Some((shared(&own, theirs)?, index)))
            .max_by_key(|&(count, index)| (count, std::cmp::Reverse(index)));
        match best {
            Some((_, index)) => fold(&mut from_lines[index], attempt),
            None => kept.push(attempt),
        }
    }
    from_lines.extend(kept);
    // Stable: untimed attempts keep their order, after the timed ones.
    from_lines.sort_by_key(|attempt| (attempt.at.is_none(), attempt.at));
    from_lines
}

/// Folds a recorded attempt into the same attempt read from a line.
fn fold(line: &mut Attempt, recorded: Attempt) {
    let judged = stated_outcome(&line.action) != Some(line.outcome);
    let mut cited = recorded.cited;
    if precision(recorded.outcome, false) > precision(line.outcome, judged) {
        line.action = recorded.action;
        line.outcome = recorded.outcome;
        cited.append(&mut line.cited);
        line.cited = cited;
    } else {
        line.cited.append(&mut cited);
    }
    line.cited.truncate(MAX_ATTEMPT_CITES);
}

/// How precise an outcome is: a hold, then any other, then none; one
/// judged from the errors around a line ranks below the same stated.
fn precision(outcome: AttemptOutcome, judged: bool) -> u8 {
    let rank = match outcome {
        AttemptOutcome::Held(_) => 4,
        AttemptOutcome::Unknown => 0,
        _ => 2,
    };
    rank - u8::from(judged && rank > 0)
}

/// How many significant words two attempts share, when that makes them
/// the same attempt.
fn shared(ours: &[String], theirs: &[String]) -> Option<usize> {
    // A compound ends with its head: `cronjob` is a `job`, `dbpool` a
    // `pool`; a number is only itself (150 is no 50).
    let number = |word: &str| word.bytes().all(|b| b.is_ascii_digit());
    let alike = |a: &String, b: &String| {
        a == b || (!number(a) && !number(b) && (a.ends_with(b.as_str()) || b.ends_with(a.as_str())))
    };
    let count = ours
        .iter()
        .filter(|word| theirs.iter().any(|other| alike(word, other)))
        .count();
    let shorter = ours.len().min(theirs.len());
    (count >= 2 && count >= shorter.min(3)).then_some(count)
}

/// The significant words of what was done, each once: lower case, endings
/// cut, no stop words, numbers of two digits or more.
fn significant(action: &str) -> Vec<String> {
    let lower = action.to_lowercase();
    let mut words: Vec<String> = Vec::new();
    for word in lower.split(|c: char| !c.is_alphanumeric()) {
        let number = word.bytes().all(|b| b.is_ascii_digit());
        let keep = if number {
            word.len() >= 2
        } else {
            word.chars().count() >= 3 && !STOP_WORDS.contains(&word)
        };
        let stem = if number { word.to_string() } else { stem(word) };
        if keep && !words.contains(&stem) {
            words.push(stem);
        }
    }
    words
}

/// A word without a plural, `-ed` or `-ing` ending, or a final `e`, so
/// `restarted` is `restart` and `raise` and `raised` are `rais`; a stem
/// keeps at least three letters.
fn stem(word: &str) -> String {
    let mut stem = word;
    for ending in ["ing", "ed", "es", "s"] {
        if let Some(rest) = stem.strip_suffix(ending) {
            if rest.chars().count() >= 3 {
                stem = rest;
                break;
            }
        }
    }
    if let Some(rest) = stem.strip_suffix('e') {
        if rest.chars().count() >= 3 {
            stem = rest;
        }
    }
    stem.to_string()
}
