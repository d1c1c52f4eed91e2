//! Attempts read from lines: which lines are attempts to fix, and what a
//! line, or the errors around it, say came of each.

use super::super::change::{lowered, matches_at, names, words, NEGATIONS};
use super::super::{any_level, Attempt, AttemptOutcome, Cited, MINUTE};
use crate::level::Level;
use crate::line::LogLine;

/// What makes a line a mitigation attempt, in the term syntax of
/// [`crate::CHANGE_TERMS`]: `a|b` is either word, `…` up to three words.
pub const MITIGATION_TERMS: [&str; 17] = [
    "restart|restarted|rebooted",
    "rolled back",
    "rollback",
    "reverted",
    "scaled up|out",
    "raised|increased|bumped",
    "flushed",
    "cleared",
    "failed over",
    "failover",
    "disabled",
    "killed",
    "paused|suspended",
    "switched|turned on|off",
    "added … server|servers|replica|replicas|node|nodes|instance|instances",
    "add … server|servers|replica|replicas|node|nodes|instance|instances",
    "server|servers|replica|replicas|node|nodes|instance|instances added",
];

/// The sizes a raise may name; the first in the line is the one named.
pub const SIZED_NOUNS: [&str; 6] = [
    "pool",
    "threads",
    "replicas",
    "workers",
    "connections",
    "heap",
];

/// Words in the attempt's own line that say it had no effect.
pub const NO_EFFECT_TERMS: [&str; 7] = [
    "no effect",
    "did not help",
    "didn't help",
    "no change",
    "no improvement",
    "still failing",
    "not help",
];

/// Words in the attempt's own line that say it partly worked, in the term
/// syntax of [`MITIGATION_TERMS`]: "helped a little", "slightly helped",
/// "oversell slows slightly".
pub const PARTLY_TERMS: [&str; 5] = [
    "partly",
    "partially",
    "somewhat",
    "slightly|little … helped|better|improved|fewer|lower|slower",
    "helped|improved|slowed|slows|reduced|eased … slightly|little",
];

/// Words in the attempt's own line that say it worked.
pub const WORKED_TERMS: [&str; 4] = ["worked", "recovered", "resolved", "fixed"];

/// Words that, followed by a time, say a fix held that long: "worked 25
/// min", "held for 25 minutes", "quiet for about 25 minutes".
pub const HOLD_TERMS: [&str; 7] = [
    "worked", "held", "quiet", "calm", "stable", "helped", "bought",
];

/// How long after an attempt errors are counted to judge it (and as long
/// before it to compare), in milliseconds.
pub const OUTCOME_WINDOW_MS: i64 = 2 * MINUTE;

/// Words between a hold term and its time that leave the time as it is.
const HEDGES: [&str; 9] = [
    "for",
    "about",
    "around",
    "roughly",
    "approximately",
    "approx",
    "nearly",
    "almost",
    "some",
];

/// The attempts among a paste's lines whose outcome can be read, in the
/// order of the lines; see the module docs of `mitigation` for the rules.
pub fn attempts(lines: &[LogLine]) -> Vec<Attempt> {
    let levelled = any_level(lines);
    let mut errors: Vec<(i64, &LogLine)> = lines
        .iter()
        .filter(|line| levelled && line.level == Some(Level::Error))
        .filter_map(|line| Some((line.at?, line)))
        .collect();
    errors.sort_by_key(|&(at, line)| (at, line.number));

    lines
        .iter()
        .filter(|line| line.level != Some(Level::Error) && is_attempt(&line.message))
        .filter_map(|line| judge(line, &errors))
        .collect()
}

/// Whether a message reads as a mitigation attempt.
pub(in crate::findings) fn is_attempt(message: &str) -> bool {
    let lower = lowered(message);
    let words = words(&lower);
    MITIGATION_TERMS.iter().any(|term| match *term {
        "raised|increased|bumped" => {
            names(&words, term) && (sized(&words).is_some() || number_after(&words, "to").is_some())
        }
        _ => names(&words, term),
    })
}

/// The attempt of a line, with its outcome from its own words or from the
/// errors around it; `None` when neither says one.
fn judge(line: &LogLine, errors: &[(i64, &LogLine)]) -> Option<Attempt> {
    let attempt = |outcome, resumed: Option<&LogLine>| Attempt {
        action: line.message.clone(),
        at: line.at,
        outcome,
        cited: std::iter::once(line)
            .chain(resumed)
            .map(Cited::of)
            .collect(),
    };
    if let Some(outcome) = stated_outcome(&line.message) {
        return Some(attempt(outcome, None));
    }
    let at = line.at?;
    if !errors.iter().any(|&(t, _)| t < at) {
        return None;
    }
    let within = |from: i64, to: i64| {
        errors
            .iter()
            .filter(|&&(t, _)| from <= t && t <= to)
            .count()
    };
    let before = within(at - OUTCOME_WINDOW_MS, at - 1);
    let after = within(at + 1, at + OUTCOME_WINDOW_MS);
    if after > 0 {
        return (after >= before).then(|| attempt(AttemptOutcome::NoEffect, None));
    }
    Some(match errors.iter().find(|&&(t, _)| t > at) {
        None => attempt(AttemptOutcome::Worked, None),
        Some(&(t, error)) => attempt(AttemptOutcome::Held(t - at), Some(error)),
    })
}

/// The outcome a text states itself, if it does: no effect, a hold of
/// some time, partly, or worked, in that order of precedence.
pub(crate) fn stated_outcome(text: &str) -> Option<AttemptOutcome> {
    let lower = lowered(text);
    let words = words(&lower);
    let says = |terms: &[&str]| {
        terms.iter().any(|term| {
            let pattern: Vec<&str> = term.split(' ').collect();
            (0..words.len()).any(|at| matches_at(&words, at, &pattern))
        })
    };
    if says(&NO_EFFECT_TERMS) {
        return Some(AttemptOutcome::NoEffect);
    }
    if let Some(ms) = held_ms(&words) {
        return Some(AttemptOutcome::Held(ms));
    }
    if PARTLY_TERMS.iter().any(|term| names(&words, term)) {
        return Some(AttemptOutcome::Partly);
    }
    WORKED_TERMS
        .iter()
        .any(|term| names(&words, term))
        .then_some(AttemptOutcome::Worked)
}

/// The time, in milliseconds, the words say a fix held: one of
/// [`HOLD_TERMS`], not denied, then any of the hedges ("for about"), then
/// a number of minutes or hours (`25 min`, `25min`, `1 hour`).
fn held_ms(words: &[&str]) -> Option<i64> {
    (0..words.len()).find_map(|at| {
        if !HOLD_TERMS.contains(&words[at])
            || words[at.saturating_sub(2)..at]
                .iter()
                .any(|w| NEGATIONS.contains(w))
        {
            return None;
        }
        let rest = &words[at + 1..];
        let skip = rest.iter().take_while(|w| HEDGES.contains(w)).count();
        match &rest[skip..] {
            [amount, unit, ..] => duration(amount, unit).or_else(|| duration(amount, "")),
            [amount] => duration(amount, ""),
            [] => None,
        }
    })
}

/// `25` `min`, or `25min` with an empty `unit`: milliseconds, for a whole
/// number of minutes or hours from 1 to 10,080 (a week in minutes; more
/// is no hold anyone writes down).
fn duration(amount: &str, unit: &str) -> Option<i64> {
    let digits = amount.bytes().take_while(u8::is_ascii_digit).count();
    let (number, glued) = amount.split_at(digits);
    let unit = if glued.is_empty() { unit } else { glued };
    let count: i64 = number.parse().ok().filter(|n| (1..=10_080).contains(n))?;
    let scale = match unit {
        "m" | "min" | "mins" | "minute" | "minutes" => MINUTE,
        "h" | "hr" | "hrs" | "hour" | "hours" => 60 * MINUTE,
        _ => return None,
    };
    Some(count * scale)
}

/// The first of [`SIZED_NOUNS`] in the words.
pub(super) fn sized<'a>(words: &[&'a str]) -> Option<&'a str> {
    words.iter().copied().find(|w| SIZED_NOUNS.contains(w))
}

/// The number right after the word `word`.
pub(super) fn number_after<'a>(words: &[&'a str], word: &str) -> Option<&'a str> {
    words
        .windows(2)
        .find(|pair| pair[0] == word && pair[1].bytes().all(|b| b.is_ascii_digit()))
        .map(|pair| pair[1])
}
