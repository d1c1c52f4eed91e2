//! Mitigation findings: each attempt to fix, and what came of it.
//!
//! A team under pressure tries one fix after another and remembers each
//! as "it helped for a while". What the fixes did is evidence: a raised
//! limit that changed nothing says the limit was not the bottleneck, and
//! unrelated fixes that each held about as long say they all reset some
//! state that builds up again.
//!
//! This module owns the attempts as data ([`attempts`], read from lines
//! by `read`) and the findings stated from them ([`attempt_findings`]),
//! whoever read them: a paste's lines, or a record's timeline and
//! mitigations (`crate::record`). The rules:
//!
//! - An attempt is a line, of any level but error, whose message names one
//!   of [`MITIGATION_TERMS`] (whole words, in any case, with the term
//!   syntax and the [`crate::NEGATIONS`] of the change finding: "did not
//!   restart" is no attempt). `raised`, `increased` and `bumped` count only
//!   with a number after `to` or one of [`SIZED_NOUNS`] in the line ("alert
//!   raised" is no attempt).
//! - Its outcome is what the line itself says, when it says one of
//!   [`NO_EFFECT_TERMS`], a hold, [`PARTLY_TERMS`] or [`WORKED_TERMS`] (the
//!   last two not negated), in that order. A hold is one of [`HOLD_TERMS`]
//!   followed by a time: "worked 25 min", "held for 25 minutes", "quiet
//!   for about 25 minutes" is a fix that held that long, then the errors
//!   came back.
//! - Otherwise, when the attempt is timed, the paste has levels and an
//!   error came before it, from the errors around it: at least one error
//!   within [`OUTCOME_WINDOW_MS`] after it, and no fewer than in the same
//!   time before it, is no effect; none in that window and none after is
//!   worked; none in that window but some later is "held" the time from
//!   the attempt to the next error. Fewer errors, but some, says nothing,
//!   and the line is no attempt [`attempts`] gives.
//! - Each attempt with a known outcome gives a finding citing its lines
//!   (and the error that resumed, for a held fix), quoting the sentence of
//!   what was done that names the fix, or all of it. A raise of one of
//!   [`SIZED_NOUNS`] is stated as such ("Raising the pool from 50 to
//!   100"), and when it had no effect adds "the X is not the limit".
//! - Exactly two different attempts (by the signature of what was done)
//!   that each held, the longer at most 1.5 times the shorter, give one
//!   more finding: they reset a state that builds up again. From three on,
//!   the rhythm finding of holds states it instead (`rhythm`), as a
//!   question of schedule, so the idea is stated once.
//! - At most [`MAX_MITIGATION_FINDINGS`], the summary among them.

mod read;
#[cfg(test)]
mod read_tests;

use super::change::{lowered, names, words};
use super::rhythm::similar_holds;
use super::{time_of_day, Attempt, AttemptOutcome, Finding, FindingKind, MAX_CITED_LINES, MINUTE};
use crate::line::LogLine;
use crate::signature::cut;
use read::{number_after, sized};

pub(super) use read::is_attempt;
pub(crate) use read::stated_outcome;
pub use read::{
    attempts, HOLD_TERMS, MITIGATION_TERMS, NO_EFFECT_TERMS, OUTCOME_WINDOW_MS, PARTLY_TERMS,
    SIZED_NOUNS, WORKED_TERMS,
};

/// The most mitigation findings stated for one paste or record.
pub const MAX_MITIGATION_FINDINGS: usize = 5;

/// The longest attempt quoted, in characters.
const QUOTE_CHARS: usize = 80;

/// The longest attempt quoted as a fix's name, in characters.
const NAME_CHARS: usize = 40;

/// The mitigation findings of a paste's lines: [`attempt_findings`] of
/// their [`attempts`].
pub fn mitigation_findings(lines: &[LogLine]) -> Vec<Finding> {
    attempt_findings(&attempts(lines))
}

/// The mitigation findings of attempts, however read: one per attempt
/// whose outcome is known, in their order, and the summary of two fixes
/// that held alike; see the module docs.
pub fn attempt_findings(attempts: &[Attempt]) -> Vec<Finding> {
    let known: Vec<&Attempt> = attempts
        .iter()
        .filter(|attempt| attempt.outcome != AttemptOutcome::Unknown)
        .collect();
    let summary = summary(attempts);
    let room = MAX_MITIGATION_FINDINGS - usize::from(summary.is_some());
    let mut found: Vec<Finding> = known.into_iter().take(room).map(statement).collect();
    found.extend(summary);
    found
}

/// The finding of one attempt.
fn statement(attempt: &Attempt) -> Finding {
    let lower = lowered(&attempt.action);
    let words = words(&lower);
    let noun = raised(&words);
    let what = match noun {
        Some(noun) => {
            let mut what = format!("Raising the {noun}");
            if let Some(from) = number_after(&words, "from") {
                what.push_str(&format!(" from {from}"));
            }
            if let Some(to) = number_after(&words, "to") {
                what.push_str(&format!(" to {to}"));
            }
            what
        }
        None => format!(
            "\"{}\"",
            cut(attempt_sentence(&attempt.action).to_string(), QUOTE_CHARS)
        ),
    };
    let when = attempt
        .at
        .map(|at| format!(" at {}", time_of_day(at)))
        .unwrap_or_default();
    let result = match (attempt.outcome, noun) {
        (AttemptOutcome::NoEffect, Some(noun)) => {
            format!("had no effect: the {noun} is not the limit")
        }
        (AttemptOutcome::NoEffect, None) => "had no effect".to_string(),
        (AttemptOutcome::Partly, _) => "partly helped".to_string(),
        (AttemptOutcome::Worked, _) => "worked".to_string(),
        (AttemptOutcome::Held(ms), _) => {
            format!("held {}, then errors resumed", minutes_words(ms))
        }
        (AttemptOutcome::Unknown, _) => "had no known outcome".to_string(),
    };
    Finding {
        kind: FindingKind::Mitigation,
        statement: format!("{what}{when} {result}."),
        evidence: attempt
            .cited
            .iter()
            .take(MAX_CITED_LINES)
            .cloned()
            .collect(),
    }
}

/// The summary of exactly two different fixes that each held about as
/// long, if there are such.
fn summary(attempts: &[Attempt]) -> Option<Finding> {
    let held = similar_holds(attempts)?;
    let [(first, a), (second, b)] = held.as_slice() else {
        return None;
    };
    let statement = format!(
        "2 different fixes each held about {} ({} and {}): they reset a state that builds up \
         again.",
        minutes_words((first + second) / 2),
        minutes(*first),
        minutes(*second),
    );
    let evidence = a
        .cited
        .iter()
        .chain(&b.cited)
        .take(MAX_CITED_LINES)
        .cloned()
        .collect();
    Some(Finding {
        kind: FindingKind::Mitigation,
        statement,
        evidence,
    })
}

/// The sentence of what was done that names the attempt, so a timeline
/// entry ("Failures back at 16:22. Two more servers added. Quiet for about
/// 20 minutes.") is quoted for its fix; all of it when no one sentence
/// does.
fn attempt_sentence(action: &str) -> &str {
    let mut start = 0;
    let mut sentences = Vec::new();
    for (at, c) in action.char_indices() {
        let next = at + c.len_utf8();
        if matches!(c, '.' | ';' | '!' | '?') && action[next..].starts_with(char::is_whitespace) {
            // A full stop ends the quote; a semicolon is no place to stop.
            let end = if c == ';' { at } else { next };
            sentences.push(&action[start..end]);
            start = next;
        }
    }
    sentences.push(&action[start..]);
    sentences
        .into_iter()
        .map(str::trim)
        .find(|sentence| is_attempt(sentence))
        .filter(|sentence| sentence.len() < action.trim().len())
        .unwrap_or(action)
}

/// The size a raise names (`pool`), if the words raise one of
/// [`SIZED_NOUNS`].
fn raised<'a>(words: &[&'a str]) -> Option<&'a str> {
    sized(words).filter(|_| names(words, "raised|increased|bumped"))
}

/// A fix in a few words, for a list of fixes: `a rolling restart`,
/// `raising the pool`, `adding servers`, `a rollback`; what was done,
/// quoted and cut short, when none of these says it.
pub(super) fn fix_name(action: &str) -> String {
    let lower = lowered(action);
    let words = words(&lower);
    let has = |term: &str| names(&words, term);
    if let Some(noun) = raised(&words) {
        return format!("raising the {noun}");
    }
    if has("rolling restart") {
        return "a rolling restart".to_string();
    }
    if has("restart|restarted|rebooted") {
        return "a restart".to_string();
    }
    if has("rolled back") || has("rollback") || has("reverted") {
        return "a rollback".to_string();
    }
    if has("failed over") || has("failover") {
        return "a failover".to_string();
    }
    if has("scaled up") {
        return "scaling up".to_string();
    }
    if has("scaled out") {
        return "scaling out".to_string();
    }
    if has("flushed") {
        return "a flush".to_string();
    }
    let added = ["server", "replica", "node", "instance"]
        .into_iter()
        .find(|noun| {
            let nouns = format!("{noun}|{noun}s");
            has(&format!("added|add … {nouns}")) || has(&format!("{nouns} added"))
        });
    match added {
        Some(noun) => format!("adding {noun}s"),
        None => format!("\"{}\"", cut(action.to_string(), NAME_CHARS)),
    }
}

/// Milliseconds as whole minutes, rounded.
fn minutes(ms: i64) -> i64 {
    ms.saturating_add(MINUTE / 2) / MINUTE
}

/// `1 minute`, `25 minutes`.
fn minutes_words(ms: i64) -> String {
    match minutes(ms) {
        1 => "1 minute".to_string(),
        n => format!("{n} minutes"),
    }
}
