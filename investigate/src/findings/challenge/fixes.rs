//! What the fixes tried say of a hypothesis: one unrelated to it that
//! helped, one related that had no effect or worked, and different fixes
//! that each held about as long (see the rules in the parent module).

use super::super::{duration_words, Attempt, AttemptOutcome, Finding, MINUTE};
use super::words::doing;
use super::{among, and_list, finding, one_line, shared, significant, subject, Claim};

/// The most fixes that helped asked about in one question.
const MAX_ASKED: usize = 2;

/// Words too broad for a fix that had no effect to speak against a
/// hypothesis: raising a database pool says nothing of its locks.
const BROAD_WORDS: &str = "db app server cache deploy config network cluster";

/// Word beginnings of fixes that relieve whatever the cause.
const RELIEF_PREFIXES: &[&str] = &[
    "restart", "reboot", "bounc", "paus", "stop", "halt", "disabl", "kill", "throttl", "drain",
    "shed",
];

/// Word beginnings by which a hypothesis names something on a schedule.
const SCHEDULE_PREFIXES: &[&str] = &[
    "job", "cron", "schedul", "periodic", "interval", "batch", "warm", "every", "nightly",
    "hourly", "timer", "recurr",
];

/// What the fixes say: unrelated ones that helped, a related one that
/// had no effect or worked.
pub(super) fn attempt_finding(claim: &Claim, attempts: &[Attempt]) -> Option<Finding> {
    let mut sentences = Vec::new();
    let mut cited = Vec::new();
    let unrelated: Vec<&Attempt> = attempts
        .iter()
        .filter(|a| helped(a.outcome).is_some() && !relieves(&a.action))
        .filter(|a| shared(claim, &significant(&a.action)).is_empty())
        .take(MAX_ASKED)
        .collect();
    if !unrelated.is_empty() {
        let lead = match subject(&claim.hypothesis.statement) {
            Some(subject) => format!("if {subject} were the cause"),
            None => "if it holds".to_string(),
        };
        let asked: Vec<String> = unrelated
            .iter()
            .map(|a| {
                let how = helped(a.outcome).unwrap_or_default();
                format!("why did {} {how}", doing(&a.action))
            })
            .collect();
        sentences.push(format!("{lead}, {}?", asked.join(", and ")));
        cited.extend(unrelated.iter().flat_map(|a| a.cited.iter().cloned()));
    }
    let specific = |a: &&Attempt| {
        shared(claim, &significant(&a.action))
            .iter()
            .any(|w| !among(BROAD_WORDS, &w.key))
    };
    if let Some(a) = attempts
        .iter()
        .filter(|a| a.outcome == AttemptOutcome::NoEffect)
        .find(specific)
    {
        sentences.push(format!(
            "{} had no effect, which speaks against it.",
            doing(&a.action)
        ));
        cited.extend(a.cited.iter().cloned());
    }
    if let Some(a) = attempts.iter().find(|a| {
        a.outcome == AttemptOutcome::Worked && !shared(claim, &significant(&a.action)).is_empty()
    }) {
        sentences.push(format!("{} worked, which speaks for it.", doing(&a.action)));
        cited.extend(a.cited.iter().cloned());
    }
    (!sentences.is_empty()).then(|| finding(claim, &sentences, cited))
}

/// How a fix helped, as the end of "why did it ...", if it did.
fn helped(outcome: AttemptOutcome) -> Option<String> {
    match outcome {
        AttemptOutcome::Worked => Some("work".to_string()),
        AttemptOutcome::Partly => Some("partly help".to_string()),
        AttemptOutcome::Held(ms) => Some(format!("help for {}", minutes_words(ms))),
        AttemptOutcome::NoEffect | AttemptOutcome::Unknown => None,
    }
}

/// Whether a fix relieves whatever the cause, so helping says nothing.
fn relieves(action: &str) -> bool {
    let lower = action.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).collect();
    let rate_limit = words.contains(&"rate") && words.iter().any(|w| w.starts_with("limit"));
    rate_limit
        || words
            .iter()
            .any(|w| RELIEF_PREFIXES.iter().any(|p| w.starts_with(p)))
}

/// Different fixes that each held about as long: something on a schedule?
pub(super) fn schedule_finding(claim: &Claim, attempts: &[Attempt]) -> Option<Finding> {
    let mut held: Vec<(&Attempt, i64)> = Vec::new();
    for attempt in attempts {
        let AttemptOutcome::Held(ms) = attempt.outcome else {
            continue;
        };
        let action = one_line(&attempt.action).to_lowercase();
        if !held
            .iter()
            .any(|(a, _)| one_line(&a.action).to_lowercase() == action)
        {
            held.push((attempt, ms));
        }
    }
    let shortest = held.iter().map(|&(_, ms)| ms).min()?;
    let longest = held.iter().map(|&(_, ms)| ms).max()?;
    if held.len() < 2 || shortest <= 0 || longest.saturating_mul(10) > shortest.saturating_mul(15) {
        return None;
    }
    // Whole minutes read best; a fix that held under one is given exactly.
    let listed = if minutes(shortest) > 0 {
        let each: Vec<String> = held
            .iter()
            .map(|&(_, ms)| minutes(ms).to_string())
            .collect();
        format!("{} minutes", and_list(&each))
    } else {
        let each: Vec<String> = held.iter().map(|&(_, ms)| duration_words(ms)).collect();
        and_list(&each)
    };
    let fixes = format!(
        "{} different fixes each held for a while ({listed}) before the failures came back",
        held.len(),
    );
    let lower = claim.hypothesis.statement.to_lowercase();
    let scheduled = lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| SCHEDULE_PREFIXES.iter().any(|p| w.starts_with(p)));
    let sentences = if scheduled {
        vec![format!("{fixes}, which fits the recurring cause it names.")]
    } else {
        vec![
            format!("{fixes}."),
            "One faulty component would hardly give unrelated fixes the same reprieve: does the \
             hypothesis explain it, or is something on a schedule (a job, a cache refresh, a \
             batch) behind it?"
                .to_string(),
        ]
    };
    let cited = held
        .iter()
        .flat_map(|(a, _)| a.cited.iter().cloned())
        .collect();
    Some(finding(claim, &sentences, cited))
}

/// Milliseconds as whole minutes, rounded.
fn minutes(ms: i64) -> i64 {
    ms.saturating_add(MINUTE / 2) / MINUTE
}

/// `1 minute`, `20 minutes`; under half a minute, as [`duration_words`].
fn minutes_words(ms: i64) -> String {
    match minutes(ms) {
        0 => duration_words(ms),
        1 => "1 minute".to_string(),
        n => format!("{n} minutes"),
    }
}
