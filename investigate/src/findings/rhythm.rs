//! Rhythm findings: errors that recur in bursts at a regular interval,
//! and different fixes after which failures resumed as long after each.
//!
//! When failures come back every twenty minutes whatever the team does,
//! no theory about load or a broken component explains them as well as
//! something on a schedule (a job, a cache warming run, a TTL running out)
//! or something that builds up until it tips over (a queue, a leak). The
//! interval is the clue, and a team fixing one burst at a time rarely
//! steps back to see it.
//!
//! The rule for bursts:
//!
//! - The lines considered are the timed lines of level error (when no line
//!   of the paste has a level, all timed lines), in order of time.
//! - A gap of more than [`BURST_GAP_MS`] between two of them starts a new
//!   burst.
//! - With at least three bursts, the intervals between burst starts are
//!   regular when the longest is at most 1.5 times the shortest
//!   ([`MAX_RATIO_TENTHS`]). This rule was chosen over a coefficient of
//!   variation because it can be said in one sentence and checked by eye
//!   against the cited lines, and because with the two to five intervals a
//!   paste usually has, a spread statistic says little more.
//! - The finding cites the first line of each burst (at most
//!   [`MAX_CITED_LINES`]).
//!
//! Fixes that each held for a similar time are the same clue seen from
//! the other side: three unrelated fixes after which failures came back
//! 25, 30 and 20 minutes later reset nothing of their own; the failures
//! keep their own clock. The rule for holds ([`hold_findings`]):
//!
//! - The attempts considered are those that held (`Held`), however read:
//!   from a paste's lines ([`crate::attempts`]) or from a record's
//!   timeline and mitigations; of attempts saying the same thing (the
//!   signature of what was done), the first.
//! - With at least three, the holds are similar when the longest is at
//!   most 1.5 times the shortest, by the same rule and for the same
//!   reasons as the intervals between bursts.
//! - The finding names each fix in a few words and cites each fix's
//!   lines (at most [`MAX_CITED_LINES`]). Two fixes alike are stated by
//!   the mitigation finding, as a state that builds up again; this one
//!   takes over from three, so the idea is stated once.
//!
//! [`rhythm_findings`] gives the rhythm of a paste: its error bursts, or
//! when they show none, the holds of its attempts, so the question is
//! asked once.

use super::mitigation::{attempts, fix_name};
use super::{
    any_level, counts, Attempt, AttemptOutcome, Cited, Finding, FindingKind, HOUR, MAX_CITED_LINES,
    MINUTE,
};
use crate::line::LogLine;
use crate::signature::signature;

/// The longest quiet spell within one burst, in milliseconds: errors more
/// than five minutes apart are separate bursts. Shorter than any schedule
/// worth finding, longer than the pauses between retries in one outage.
pub const BURST_GAP_MS: i64 = 5 * MINUTE;

/// The most the longest interval between burst starts may be, in tenths
/// of the shortest, for them to be regular: 15, that is 1.5 times.
pub const MAX_RATIO_TENTHS: i64 = 15;

/// The fewest bursts that can show a rhythm: two intervals to compare.
const MIN_BURSTS: usize = 3;

/// The fewest fixes whose holds can show a rhythm: with two, the
/// mitigation finding says they reset a state that builds up again.
const MIN_HOLDS: usize = 3;

/// Up to this many intervals are listed one by one; beyond it, their range
/// is given.
const LISTED_INTERVALS: usize = 6;

/// From this shortest interval on, intervals are given in hours.
const HOURS_FROM: i64 = 2 * HOUR;

/// The rhythm findings of a paste's lines: errors recurring at a regular
/// interval, and fixes that each held a similar time before the errors
/// came back; see the module docs for the rules.
pub fn rhythm_findings(lines: &[LogLine]) -> Vec<Finding> {
    rhythm_of(lines, &attempts(lines))
}

/// The rhythm finding of lines and the attempts read with them: their
/// errors' bursts, or when those show none, the attempts' holds. Both end
/// in the same question, asked once.
pub(crate) fn rhythm_of(lines: &[LogLine], attempts: &[Attempt]) -> Vec<Finding> {
    let bursts = burst_findings(lines);
    if bursts.is_empty() {
        hold_findings(attempts)
    } else {
        bursts
    }
}

/// The rhythm finding of lines whose errors recur at a regular interval,
/// if they do.
fn burst_findings(lines: &[LogLine]) -> Vec<Finding> {
    let levelled = any_level(lines);
    let mut errors: Vec<(i64, &LogLine)> = lines
        .iter()
        .filter(|line| counts(line.level, levelled, false))
        .filter_map(|line| Some((line.at?, line)))
        .collect();
    // Pastes are not always in time order (several files, sorted by host).
    errors.sort_by_key(|&(at, line)| (at, line.number));

    let mut starts: Vec<(i64, &LogLine)> = Vec::new();
    let mut previous: Option<i64> = None;
    for (at, line) in errors {
        if previous.is_none_or(|previous| at.saturating_sub(previous) > BURST_GAP_MS) {
            starts.push((at, line));
        }
        previous = Some(at);
    }
    if starts.len() < MIN_BURSTS {
        return Vec::new();
    }

    let intervals: Vec<i64> = starts
        .windows(2)
        .map(|pair| pair[1].0.saturating_sub(pair[0].0))
        .collect();
    let shortest = intervals.iter().copied().min().unwrap_or(0);
    let longest = intervals.iter().copied().max().unwrap_or(0);
    if longest.saturating_mul(10) > shortest.saturating_mul(MAX_RATIO_TENTHS) {
        return Vec::new();
    }

    let unit = Unit::for_shortest(shortest);
    let mean = intervals.iter().sum::<i64>() / intervals.len() as i64;
    let listed = if intervals.len() > LISTED_INTERVALS {
        let (low, high) = (unit.amount(shortest), unit.amount(longest));
        if low == high {
            low
        } else {
            format!("{low} to {high}")
        }
    } else {
        let amounts: Vec<String> = intervals.iter().map(|&ms| unit.amount(ms)).collect();
        and_list(&amounts)
    };
    // Without levels nothing says these lines are errors.
    let what = if levelled { "Errors" } else { "The lines" };
    let statement = format!(
        "{what} came in {} bursts, {listed} {} apart (about every {} {}): look for \
         something on a schedule or something that accumulates (jobs, cache warming, \
         TTLs, queues).",
        starts.len(),
        unit.name(),
        unit.amount(mean),
        unit.name(),
    );
    let evidence = starts
        .iter()
        .take(MAX_CITED_LINES)
        .map(|&(_, line)| Cited::of(line))
        .collect();
    vec![Finding {
        kind: FindingKind::Rhythm,
        statement,
        evidence,
    }]
}

/// The rhythm finding of fixes that each held a similar time, if three or
/// more different ones did; see the module docs for the rule.
pub fn hold_findings(attempts: &[Attempt]) -> Vec<Finding> {
    let Some(held) = similar_holds(attempts).filter(|held| held.len() >= MIN_HOLDS) else {
        return Vec::new();
    };
    let shortest = held.iter().map(|&(ms, _)| ms).min().unwrap_or(0);
    let unit = Unit::for_shortest(shortest);
    let amounts: Vec<String> = held.iter().map(|&(ms, _)| unit.amount(ms)).collect();
    let names: Vec<String> = held.iter().map(|(_, a)| fix_name(&a.action)).collect();
    let statement = format!(
        "Failures resumed {} {} after {} different fixes ({}): look for something on a \
         schedule or something that accumulates (jobs, cache warming, TTLs, queues).",
        and_list(&amounts),
        unit.name(),
        count_words(held.len()),
        names.join(", "),
    );
    let evidence = held
        .iter()
        .flat_map(|(_, attempt)| attempt.cited.iter().cloned())
        .take(MAX_CITED_LINES)
        .collect();
    vec![Finding {
        kind: FindingKind::Rhythm,
        statement,
        evidence,
    }]
}

/// The different attempts that held, with how long, when there are two or
/// more and the longest held at most 1.5 times the shortest
/// ([`MAX_RATIO_TENTHS`]); of attempts saying the same thing, the first.
pub(super) fn similar_holds(attempts: &[Attempt]) -> Option<Vec<(i64, &Attempt)>> {
    let mut held: Vec<(i64, &Attempt, String)> = Vec::new();
    for attempt in attempts {
        let AttemptOutcome::Held(ms) = attempt.outcome else {
            continue;
        };
        let said = signature(&attempt.action);
        if !held.iter().any(|(_, _, other)| *other == said) {
            held.push((ms, attempt, said));
        }
    }
    let shortest = held.iter().map(|&(ms, _, _)| ms).min()?;
    let longest = held.iter().map(|&(ms, _, _)| ms).max()?;
    if held.len() < 2
        || shortest <= 0
        || longest.saturating_mul(10) > shortest.saturating_mul(MAX_RATIO_TENTHS)
    {
        return None;
    }
    Some(
        held.into_iter()
            .map(|(ms, attempt, _)| (ms, attempt))
            .collect(),
    )
}

/// `three`, `four`, ... `ten`; digits from 11 on.
fn count_words(count: usize) -> String {
    const WORDS: [&str; 11] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    WORDS
        .get(count)
        .map_or_else(|| count.to_string(), |word| (*word).to_string())
}

/// The unit intervals are given in.
#[derive(Clone, Copy)]
enum Unit {
    /// Whole minutes. Bursts are more than five minutes apart, so never
    /// fewer than five; holds come three or more to a list: always plural.
    Minutes,
    /// Hours to a tenth, when even the shortest interval is
    /// [`HOURS_FROM`] or more: always plural.
    Hours,
}

impl Unit {
    fn for_shortest(shortest: i64) -> Unit {
        if shortest >= HOURS_FROM {
            Unit::Hours
        } else {
            Unit::Minutes
        }
    }

    fn name(self) -> &'static str {
        match self {
            Unit::Minutes => "minutes",
            Unit::Hours => "hours",
        }
    }

    /// `ms` in this unit, rounded: `20`, `2.5`.
    fn amount(self, ms: i64) -> String {
        match self {
            Unit::Minutes => (ms.saturating_add(MINUTE / 2) / MINUTE).to_string(),
            Unit::Hours => {
                let tenths = ms.saturating_add(HOUR / 20) / (HOUR / 10);
                match tenths % 10 {
                    0 => (tenths / 10).to_string(),
                    tenth => format!("{}.{tenth}", tenths / 10),
                }
            }
        }
    }
}

/// `20`, `20 and 21`, `20, 21 and 19`.
pub(super) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
