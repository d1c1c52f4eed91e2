//! Sequence findings: the order in which error signals first appeared.
//!
//! Under pressure a team fixes what shouts loudest (the pool is exhausted,
//! so raise the pool), while the order of first appearance often says the
//! loud signal came second. This module states that order for the first
//! few error signals and, when a later one names a resource that commonly
//! runs out as a consequence of something else ([`RESOURCE_TERMS`]), says
//! it is more likely a consequence than the cause. It never says what the
//! cause is: coming first is evidence, not proof.
//!
//! The rule:
//!
//! - The signals considered are those of level error or warning (when no
//!   line of the paste has a level, all of them), that have a time.
//! - Walking them in order of first appearance, the first three that each
//!   begin at least a second after the one before are ordered: two signals
//!   beginning within the same second have no order the log can tell. Each
//!   consecutive pair gives a finding.
//! - If none of those findings names a consequence, the first later signal
//!   naming an exhausted resource gets one more finding, set against the
//!   earliest signal, so a pool running dry a minute into the incident is
//!   not missed because other errors came between.
//! - A consequence is only named when the earlier signal does not itself
//!   name a resource: a pool warning followed by a pool error is one story
//!   told twice, not a cause and its effect.
//! - At most [`MAX_SEQUENCE_FINDINGS`].
//!
//! A signal is named by its component and label ([`Signal::label`]): what
//! its first line says without the request ids around it.
//!
//! The same error signals, each with its first line, are the [`onsets`]
//! the challenge finding sets a team's hypothesis against.

use std::collections::HashMap;

use super::{
    any_level, counts, duration_words, time_of_day, Cited, Finding, FindingKind, Onset,
    MAX_CITED_CHARS, SECOND,
};
use crate::line::LogLine;
use crate::signals::Signal;
use crate::signature::cut;

/// The most sequence findings stated for one paste.
pub const MAX_SEQUENCE_FINDINGS: usize = 3;

/// How many signals, each beginning after the last, have their order
/// stated.
const ORDERED_SIGNALS: usize = 3;

/// The longest message quoted in a statement, in characters; the cited
/// lines carry the rest.
const LABEL_CHARS: usize = 80;

/// Words that name a resource commonly exhausted as a consequence of
/// something else going wrong (slow calls hold connections, threads and
/// memory; work piles up in queues), each with what a statement calls its
/// running out.
///
/// A term is matched in a signal's signature, in lower case, where a word
/// begins, so a stem covers its forms: `exhaust` matches exhausted and
/// exhaustion, `saturat` saturated and saturation, `limit` limits and
/// limited, `queue` queued; `outofmemory` and `oom` catch Java's
/// `OutOfMemoryError` and Kubernetes' `OOMKilled`. `connections` is plural
/// on purpose: "connection timeout" is a failure to reach something, "no
/// available connections" a shortage. Any term in the message is enough to
/// call the signal a consequence; the first term in this order found in
/// the message or the component (`DBPool`) names the resource.
pub const RESOURCE_TERMS: [(&str, &str); 13] = [
    ("pool", "the pool exhaustion"),
    ("connections", "the connection shortage"),
    ("threads", "the thread shortage"),
    ("memory", "the memory pressure"),
    ("outofmemory", "the memory pressure"),
    ("oom", "the memory pressure"),
    ("queue", "the queue build-up"),
    ("backlog", "the backlog"),
    ("too many", "the overload"),
    ("exhaust", "the exhaustion"),
    ("no available", "the shortage"),
    ("limit", "the limit being reached"),
    ("saturat", "the saturation"),
];

/// A signal with its first time.
type Timed<'a> = (&'a Signal, i64);

/// The sequence findings of a paste's lines and their signals (as
/// [`crate::group`] gives them); see the module docs for the rule.
pub fn sequence_findings(lines: &[LogLine], signals: &[Signal]) -> Vec<Finding> {
    let timed = error_signals(lines, signals);
    let mut chain: Vec<usize> = Vec::new();
    for (index, &(_, first)) in timed.iter().enumerate() {
        if chain.len() == ORDERED_SIGNALS {
            break;
        }
        if chain
            .last()
            .is_none_or(|&last| first.saturating_sub(timed[last].1) >= SECOND)
        {
            chain.push(index);
        }
    }

    let mut found: Vec<Finding> = chain
        .windows(2)
        .map(|pair| finding(lines, timed[pair[0]], timed[pair[1]]))
        .collect();
    let named = chain
        .windows(2)
        .any(|pair| consequence(timed[pair[0]].0, timed[pair[1]].0).is_some());
    if let (false, Some(&earliest)) = (named, chain.first()) {
        let start = timed[earliest];
        let later = timed.iter().enumerate().find(|&(index, &(signal, first))| {
            !chain.contains(&index)
                && first.saturating_sub(start.1) >= SECOND
                && consequence(start.0, signal).is_some()
        });
        if let Some((_, &later)) = later {
            found.push(finding(lines, start, later));
        }
    }
    found.truncate(MAX_SEQUENCE_FINDINGS);
    found
}

/// When each error signal began (as the sequence counts them: error or
/// warning, or every signal when no line declares a level; timed ones
/// only), earliest first, ties in the signals' order: its component, what
/// its first line says ([`LogLine::gist`], cut to [`MAX_CITED_CHARS`]),
/// and that line cited. A signal none of whose lines is among `lines` at
/// its first time has none.
pub fn onsets(lines: &[LogLine], signals: &[Signal]) -> Vec<Onset> {
    let timed = error_signals(lines, signals);
    if timed.is_empty() {
        return Vec::new();
    }
    // One pass over the lines, not one per signal: a paste may hold
    // thousands of each.
    let mut earliest: HashMap<(Option<&str>, &str), &LogLine> = HashMap::new();
    for line in lines {
        let Some(at) = line.at else { continue };
        let key = (line.component.as_deref(), line.signature.as_str());
        let best = earliest.entry(key).or_insert(line);
        if best.at.is_none_or(|best| at < best) {
            *best = line;
        }
    }
    timed
        .into_iter()
        .filter_map(|(signal, first)| {
            let key = (signal.component.as_deref(), signal.signature.as_str());
            let line = earliest.get(&key).filter(|line| line.at == Some(first))?;
            Some(Onset {
                component: signal.component.clone(),
                message: cut(line.gist(), MAX_CITED_CHARS),
                first,
                cited: Cited::of(line),
            })
        })
        .collect()
}

/// The signals that count as errors and have a time, earliest first.
fn error_signals<'a>(lines: &[LogLine], signals: &'a [Signal]) -> Vec<Timed<'a>> {
    let levelled = any_level(lines);
    let mut timed: Vec<Timed> = signals
        .iter()
        .filter(|signal| counts(signal.level, levelled, true))
        .filter_map(|signal| Some((signal, signal.first?)))
        .collect();
    // `group` already orders by first time; sorting again (stably) keeps
    // this correct for signals from anywhere.
    timed.sort_by_key(|&(_, first)| first);
    timed
}

/// The finding that `earlier` began before `later`.
fn finding(lines: &[LogLine], earlier: Timed, later: Timed) -> Finding {
    let mut statement = format!(
        "{} (first {}) began {} before {} (first {})",
        label(earlier.0),
        time_of_day(earlier.1),
        duration_words(later.1.saturating_sub(earlier.1)),
        label(later.0),
        time_of_day(later.1),
    );
    match consequence(earlier.0, later.0) {
        Some(resource) => statement.push_str(&format!(
            ": {resource} is more likely a consequence than the cause."
        )),
        None => statement.push('.'),
    }
    let evidence = [earlier, later]
        .into_iter()
        .filter_map(|timed| first_line(lines, timed))
        .map(Cited::of)
        .collect();
    Finding {
        kind: FindingKind::Sequence,
        statement,
        evidence,
    }
}

/// What `later` names running out, when it more likely follows from
/// `earlier`: it names an exhausted resource and `earlier` names none.
fn consequence(earlier: &Signal, later: &Signal) -> Option<&'static str> {
    if resource(earlier).is_some() {
        return None;
    }
    resource(later)
}

/// The exhausted resource a signal's message names, if any.
pub(super) fn resource(signal: &Signal) -> Option<&'static str> {
    let message = signal.signature.to_lowercase();
    if !RESOURCE_TERMS.iter().any(|(term, _)| names(&message, term)) {
        return None;
    }
    let component = signal.component.as_deref().unwrap_or("").to_lowercase();
    RESOURCE_TERMS
        .iter()
        .find(|(term, _)| names(&message, term) || component.contains(term))
        .map(|&(_, phrase)| phrase)
}

/// Whether `term` occurs in `text` where a word begins.
fn names(text: &str, term: &str) -> bool {
    text.match_indices(term).any(|(at, _)| {
        !text[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
    })
}

/// How a statement names a signal: `component: label`, the label cut to
/// [`LABEL_CHARS`].
fn label(signal: &Signal) -> String {
    let message = cut(signal.label.clone(), LABEL_CHARS);
    match &signal.component {
        Some(component) => format!("{component}: {message}"),
        None => message,
    }
}

/// The line where a signal first appeared in time (its earliest, which in
/// a paste out of order need not be its first in the paste).
fn first_line<'a>(lines: &'a [LogLine], (signal, first): Timed) -> Option<&'a LogLine> {
    lines.iter().find(|line| {
        line.at == Some(first)
            && line.signature == signal.signature
            && line.component == signal.component
    })
}
