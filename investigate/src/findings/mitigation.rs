//! Mitigation findings: each attempt to fix, and what came of it.
//!
//! A team under pressure tries one fix after another and remembers each
//! as "it helped for a while". What the fixes did is evidence: a raised
//! limit that changed nothing says the limit was not the bottleneck, and
//! unrelated fixes that each held about as long say they all reset some
//! state that builds up again.
//!
//! The rules:
//!
//! - An attempt is a line, of any level but error, whose message names one
//!   of [`MITIGATION_TERMS`] (whole words, in any case, with the term
//!   syntax and the [`crate::NEGATIONS`] of the change finding: "did not restart"
//!   is no attempt). `raised`, `increased` and `bumped` count only with a
//!   number after `to` or one of [`SIZED_NOUNS`] in the line ("alert
//!   raised" is no attempt).
//! - Its outcome is what the line itself says, when it says one of
//!   [`NO_EFFECT_TERMS`], [`PARTLY_TERMS`] or [`WORKED_TERMS`] (the last two
//!   not negated); "worked 25 min" or "held for 25 minutes" is a fix that
//!   held that long.
//! - Otherwise, when the attempt is timed, the paste has levels and an
//!   error came before it, from the errors around it: at least one error
//!   within [`OUTCOME_WINDOW_MS`] after it, and no fewer than in the same
//!   time before it, is no effect; none in that window and none after is
//!   worked; none in that window but some later is "held" the time from
//!   the attempt to the next error. Fewer errors, but some, says nothing.
//! - Each attempt with an outcome gives a finding citing its line (and the
//!   error that resumed, for a held fix). A raise of one of
//!   [`SIZED_NOUNS`] that had no effect adds "the X is not the limit".
//! - Two or more different attempts (component and signature) that each
//!   held, the longest at most 1.5 times the shortest, give one more
//!   finding: they reset a state that builds up again.
//! - At most [`MAX_MITIGATION_FINDINGS`], the summary among them.

use super::change::{lowered, matches_at, names, words};
use super::rhythm::and_list;
use super::{any_level, time_of_day, Cited, Finding, FindingKind, MAX_CITED_LINES, MINUTE};
use crate::level::Level;
use crate::line::LogLine;
use crate::signature::cut;

/// What makes a line a mitigation attempt, in the term syntax of
/// [`crate::CHANGE_TERMS`]: `a|b` is either word, `…` up to three words.
pub const MITIGATION_TERMS: [&str; 14] = [
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
    "added … server|servers|replica|replicas|node|nodes|instance|instances",
    "add … server|servers|replica|replicas|node|nodes|instance|instances",
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

/// Words in the attempt's own line that say it partly worked.
pub const PARTLY_TERMS: [&str; 3] = ["partly", "partially", "somewhat"];

/// Words in the attempt's own line that say it worked.
pub const WORKED_TERMS: [&str; 4] = ["worked", "recovered", "resolved", "fixed"];

/// How long after an attempt errors are counted to judge it (and as long
/// before it to compare), in milliseconds.
pub const OUTCOME_WINDOW_MS: i64 = 2 * MINUTE;

/// The most mitigation findings stated for one paste.
pub const MAX_MITIGATION_FINDINGS: usize = 5;

/// The longest attempt message quoted, in characters.
const QUOTE_CHARS: usize = 80;

/// What came of an attempt.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Outcome {
    NoEffect,
    Partly,
    Worked,
    /// Held this many milliseconds, then errors resumed.
    Held(i64),
}

/// An attempt with a known outcome.
struct Attempt<'a> {
    line: &'a LogLine,
    outcome: Outcome,
    /// The first error after a held fix, when read from the errors.
    resumed: Option<&'a LogLine>,
}

/// The mitigation findings of a paste's lines; see the module docs.
pub fn mitigation_findings(lines: &[LogLine]) -> Vec<Finding> {
    let levelled = any_level(lines);
    let mut errors: Vec<(i64, &LogLine)> = lines
        .iter()
        .filter(|line| levelled && line.level == Some(Level::Error))
        .filter_map(|line| Some((line.at?, line)))
        .collect();
    errors.sort_by_key(|&(at, line)| (at, line.number));

    let attempts: Vec<Attempt> = lines
        .iter()
        .filter(|line| line.level != Some(Level::Error) && is_attempt(&line.message))
        .filter_map(|line| judge(line, &errors))
        .collect();

    let summary = summary(&attempts);
    let room = MAX_MITIGATION_FINDINGS - usize::from(summary.is_some());
    let mut found: Vec<Finding> = attempts.iter().take(room).map(statement).collect();
    found.extend(summary);
    found
}

/// Whether a message reads as a mitigation attempt.
pub(super) fn is_attempt(message: &str) -> bool {
    let lower = lowered(message);
    let words = words(&lower);
    MITIGATION_TERMS.iter().any(|term| match *term {
        "raised|increased|bumped" => {
            names(&words, term) && (sized(&words).is_some() || number_after(&words, "to").is_some())
        }
        _ => names(&words, term),
    })
}

/// The outcome of an attempt, from its own line or from the errors.
fn judge<'a>(line: &'a LogLine, errors: &[(i64, &'a LogLine)]) -> Option<Attempt<'a>> {
    let stated = |outcome| Attempt {
        line,
        outcome,
        resumed: None,
    };
    if let Some(outcome) = stated_outcome(&line.message) {
        return Some(stated(outcome));
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
        return (after >= before).then(|| stated(Outcome::NoEffect));
    }
    Some(match errors.iter().find(|&&(t, _)| t > at) {
        None => stated(Outcome::Worked),
        Some(&(t, error)) => Attempt {
            line,
            outcome: Outcome::Held(t - at),
            resumed: Some(error),
        },
    })
}

/// The outcome a line states itself, if it does.
fn stated_outcome(message: &str) -> Option<Outcome> {
    let lower = lowered(message);
    let words = words(&lower);
    let says = |terms: &[&str]| {
        terms.iter().any(|term| {
            let pattern: Vec<&str> = term.split(' ').collect();
            (0..words.len()).any(|at| matches_at(&words, at, &pattern))
        })
    };
    if says(&NO_EFFECT_TERMS) {
        return Some(Outcome::NoEffect);
    }
    if let Some(minutes) = held_minutes(&words) {
        return Some(Outcome::Held(minutes.saturating_mul(MINUTE)));
    }
    if PARTLY_TERMS.iter().any(|term| names(&words, term)) {
        return Some(Outcome::Partly);
    }
    WORKED_TERMS
        .iter()
        .any(|term| names(&words, term))
        .then_some(Outcome::Worked)
}

/// `worked 25 min`, `held for 25 minutes`: the minutes a line says a fix
/// held.
fn held_minutes(words: &[&str]) -> Option<i64> {
    let at = words.iter().position(|w| matches!(*w, "worked" | "held"))?;
    let rest = &words[at + 1..];
    let rest = rest.strip_prefix(&["for"]).unwrap_or(rest);
    match rest {
        [number, unit, ..] if matches!(*unit, "min" | "mins" | "minute" | "minutes") => {
            number.parse().ok()
        }
        _ => None,
    }
}

/// The first of [`SIZED_NOUNS`] in the words.
fn sized<'a>(words: &[&'a str]) -> Option<&'a str> {
    words.iter().copied().find(|w| SIZED_NOUNS.contains(w))
}

/// The number right after the word `word`.
fn number_after<'a>(words: &[&'a str], word: &str) -> Option<&'a str> {
    words
        .windows(2)
        .find(|pair| pair[0] == word && pair[1].bytes().all(|b| b.is_ascii_digit()))
        .map(|pair| pair[1])
}

/// The finding of one attempt.
fn statement(attempt: &Attempt) -> Finding {
    let line = attempt.line;
    let lower = lowered(&line.message);
    let words = words(&lower);
    let raised = names(&words, "raised|increased|bumped");
    let noun = sized(&words).filter(|_| raised);
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
        None => {
            let who = line
                .component
                .as_ref()
                .map(|c| format!("{c}: "))
                .unwrap_or_default();
            format!("{who}\"{}\"", cut(line.message.clone(), QUOTE_CHARS))
        }
    };
    let when = line
        .at
        .map(|at| format!(" at {}", time_of_day(at)))
        .unwrap_or_default();
    let result = match (attempt.outcome, noun) {
        (Outcome::NoEffect, Some(noun)) => format!("had no effect: the {noun} is not the limit"),
        (Outcome::NoEffect, None) => "had no effect".to_string(),
        (Outcome::Partly, _) => "partly helped".to_string(),
        (Outcome::Worked, _) => "worked".to_string(),
        (Outcome::Held(ms), _) => format!("held {}, then errors resumed", minutes_words(ms)),
    };
    let mut evidence = vec![Cited::of(line)];
    evidence.extend(attempt.resumed.map(Cited::of));
    Finding {
        kind: FindingKind::Mitigation,
        statement: format!("{what}{when} {result}."),
        evidence,
    }
}

/// The summary of different fixes that each held about as long, if any.
fn summary(attempts: &[Attempt]) -> Option<Finding> {
    let mut held: Vec<(i64, &Attempt)> = Vec::new();
    for attempt in attempts {
        let Outcome::Held(ms) = attempt.outcome else {
            continue;
        };
        let same = |other: &&Attempt| {
            other.line.signature == attempt.line.signature
                && other.line.component == attempt.line.component
        };
        if !held.iter().map(|(_, a)| a).any(same) {
            held.push((ms, attempt));
        }
    }
    let shortest = held.iter().map(|&(ms, _)| ms).min()?;
    let longest = held.iter().map(|&(ms, _)| ms).max()?;
    if held.len() < 2 || longest.saturating_mul(10) > shortest.saturating_mul(15) {
        return None;
    }
    let mean = held.iter().map(|&(ms, _)| ms).sum::<i64>() / held.len() as i64;
    let each: Vec<String> = held
        .iter()
        .map(|&(ms, _)| minutes(ms).to_string())
        .collect();
    let statement = format!(
        "{} different fixes each held about {} ({}): they reset a state that builds up again.",
        held.len(),
        minutes_words(mean),
        and_list(&each),
    );
    let evidence = held
        .iter()
        .flat_map(|(_, a)| std::iter::once(a.line).chain(a.resumed))
        .take(MAX_CITED_LINES)
        .map(Cited::of)
        .collect();
    Some(Finding {
        kind: FindingKind::Mitigation,
        statement,
        evidence,
    })
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
