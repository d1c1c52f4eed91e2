//! Challenge findings: the team's hypotheses set against the other
//! findings, as the questions an investigator would ask.
//!
//! A team under pressure settles on its first explanation and reads every
//! new fact in its favour. This module owns the reading the other way
//! round, and the word matching it rests on (also used by the other
//! record findings): for each hypothesis, what in the evidence speaks
//! against it or for it. It never rules: a statement says what "speaks
//! against" or "for", and asks.
//!
//! The rules:
//!
//! - A hypothesis is read for its significant words: stop words and words
//!   that name no subject ("cause", "error", "slow") left out, plurals
//!   and `-ing`/`-ed` cut, synonyms folded (`database`, `postgres` and
//!   `db` are one word; so are `deploy`, `release` and `rolled`).
//!   Component names are split at `-`, `_`, `.` and case changes
//!   (`DBPool` is `db` and `pool`). A hypothesis with no significant word
//!   (`Something else`) is not challenged.
//! - Open hypotheses (outcome `open`, empty or unknown) come first, then
//!   the others in record order, their statement saying what the team
//!   decided, since the panel is also read after the fact. At most
//!   [`MAX_CHALLENGE_FINDINGS`].
//! - Onsets: when the earliest error signal shares no word with the
//!   hypothesis (its component's words, or its message's words other than
//!   the generic ones such as `connection` or `timeout`) but a later one
//!   does, the hypothesis may name a consequence. When it names the
//!   earliest of two or more by a word no later one has, that speaks for
//!   it.
//! - Attempts: a fix sharing no word with it that still helped asks why,
//!   if the hypothesis were right, it helped. Fixes that relieve whatever
//!   the cause (a restart, a pause, switching something off, rate
//!   limiting) are not asked about. A fix sharing a specific word with it
//!   (not a broad one such as `db` or `server`) that had no effect speaks
//!   against it; a fix sharing any word that worked speaks for it.
//! - Two or more different fixes that each held, the longest at most 1.5
//!   times the shortest, ask whether something on a schedule is behind
//!   it, unless the hypothesis names one (`job`, `cron`, `every`, ...).
//! - Changes (findings of kind change): a config diff whose keys the
//!   hypothesis names, or a deploy sharing a word with a hypothesis about
//!   a change (a deploy, a release, a configuration), speaks for it;
//!   otherwise the first change asks whether the hypothesis explains it.
//! - Lessons: the [`MAX_LESSONS`] sharing the most words with it are
//!   quoted with the postmortem they come from.
//!
//! Every finding cites the hypothesis first (source `Hypothesis N`, line
//! N), then the lines of what it was set against.
//!
//! - `words`: the word matching, and the wording helpers the other record
//!   findings share.
//! - `fixes`: the rules on attempts and on fixes that each held.

use std::cmp::Reverse;

use kb_domain::record::{Hypothesis, HypothesisOutcome};

mod fixes;
mod words;

use super::change::version;
use super::{
    duration_words, time_of_day, Attempt, Cited, Finding, FindingKind, Lesson, Onset,
    MAX_CITED_LINES,
};
use words::subject;
pub(super) use words::{and_list, capitalized, cite, one_line, quote, significant, stem, Word};

/// The most challenge findings stated for one record.
pub const MAX_CHALLENGE_FINDINGS: usize = 12;

/// The most lessons quoted against one hypothesis.
pub const MAX_LESSONS: usize = 2;

/// The longest hypothesis, lesson or line quoted, in characters.
const QUOTE_CHARS: usize = 100;

/// Message words too common in error lines to tie an onset to a
/// hypothesis (a component's words always count).
const WEAK_WORDS: &str =
    "connection timeout request response wait available unavailable refused reset retry latency call";

/// A hypothesis being challenged.
struct Claim<'a> {
    number: usize,
    hypothesis: &'a Hypothesis,
    words: Vec<Word>,
}

/// The challenge findings of a record's hypotheses, set against the error
/// onsets, the fixes tried, the change findings and the lessons of
/// earlier postmortems; see the module docs.
pub fn challenge_findings(
    hypotheses: &[Hypothesis],
    onsets: &[Onset],
    attempts: &[Attempt],
    changes: &[Finding],
    lessons: &[Lesson],
) -> Vec<Finding> {
    let mut order: Vec<usize> = (0..hypotheses.len()).collect();
    order.sort_by_key(|&i| (!is_open(&hypotheses[i]), i));
    let mut onsets: Vec<&Onset> = onsets.iter().collect();
    onsets.sort_by_key(|onset| onset.first);

    let mut found = Vec::new();
    for i in order {
        if found.len() >= MAX_CHALLENGE_FINDINGS {
            break;
        }
        let hypothesis = &hypotheses[i];
        let claim = Claim {
            number: i + 1,
            hypothesis,
            words: significant(&hypothesis.statement),
        };
        if claim.words.is_empty() {
            continue;
        }
        found.extend(onset_finding(&claim, &onsets));
        found.extend(fixes::attempt_finding(&claim, attempts));
        found.extend(fixes::schedule_finding(&claim, attempts));
        found.extend(change_finding(&claim, changes));
        found.extend(lesson_finding(&claim, lessons));
    }
    found.truncate(MAX_CHALLENGE_FINDINGS);
    found
}

/// Whether `key` is the key of one of `words`.
fn among(words: &str, key: &str) -> bool {
    words.split_whitespace().any(|w| stem(w) == key)
}

/// Whether the team still tests a hypothesis.
fn is_open(hypothesis: &Hypothesis) -> bool {
    !matches!(
        HypothesisOutcome::parse(&hypothesis.outcome),
        Some(HypothesisOutcome::Confirmed | HypothesisOutcome::Refuted)
    )
}

/// A challenge finding: the hypothesis named, then `sentences`, citing
/// the hypothesis and then `cited`.
fn finding(claim: &Claim, sentences: &[String], cited: Vec<Cited>) -> Finding {
    let hypothesis = claim.hypothesis;
    let decided = match HypothesisOutcome::parse(&hypothesis.outcome) {
        Some(HypothesisOutcome::Confirmed) => ", confirmed by the team",
        Some(HypothesisOutcome::Refuted) => ", refuted by the team",
        _ => "",
    };
    let body: Vec<String> = sentences
        .iter()
        .enumerate()
        .map(|(i, s)| if i == 0 { s.clone() } else { capitalized(s) })
        .collect();
    let statement = format!(
        "Hypothesis {} (\"{}\"{decided}): {}",
        claim.number,
        quote(&hypothesis.statement, QUOTE_CHARS),
        body.join(" ")
    );
    let number = claim.number;
    let mut evidence = vec![cite(
        format!("Hypothesis {number}"),
        number,
        &hypothesis.statement,
    )];
    for line in cited {
        if evidence.len() < MAX_CITED_LINES && !evidence.contains(&line) {
            evidence.push(line);
        }
    }
    Finding {
        kind: FindingKind::Challenge,
        statement,
        evidence,
    }
}

/// The claim's words whose keys are among `keys`.
fn shared<'a>(claim: &'a Claim, keys: &[Word]) -> Vec<&'a Word> {
    claim
        .words
        .iter()
        .filter(|w| keys.iter().any(|k| k.key == w.key))
        .collect()
}

/// The words as the claim wrote them.
fn written(words: &[&Word]) -> Vec<String> {
    words.iter().map(|w| w.written.clone()).collect()
}

/// What the onsets say: the hypothesis names only later errors, or the
/// earliest.
fn onset_finding(claim: &Claim, onsets: &[&Onset]) -> Option<Finding> {
    let first = *onsets.first()?;
    let named_first = shared(claim, &onset_words(first));
    if !named_first.is_empty() {
        // A word every later signal also has (the affected service's
        // name, "stock" in an inventory incident) says nothing about
        // which came first.
        let later: Vec<Word> = onsets[1..].iter().flat_map(|o| onset_words(o)).collect();
        let distinctive = named_first
            .iter()
            .any(|w| !later.iter().any(|k| k.key == w.key));
        if onsets.len() < 2 || !distinctive {
            return None;
        }
        let said = format!(
            "it names the earliest error signal ({}, first {}), which speaks for it.",
            onset_label(first),
            time_of_day(first.first)
        );
        return Some(finding(claim, &[said], vec![first.cited.clone()]));
    }
    let (later, names) = onsets
        .iter()
        .filter(|o| o.first > first.first)
        .find_map(|o| {
            let names = written(&shared(claim, &onset_words(o)));
            (!names.is_empty()).then_some((*o, names))
        })?;
    let said = format!(
        "it names {}, but the errors it names ({}, first {}) begin {} after those of {} \
         (first {}), which it does not name: are they a consequence rather than the cause?",
        and_list(&names),
        onset_label(later),
        time_of_day(later.first),
        duration_words(later.first.saturating_sub(first.first)),
        onset_label(first),
        time_of_day(first.first),
    );
    Some(finding(
        claim,
        &[said],
        vec![later.cited.clone(), first.cited.clone()],
    ))
}

/// An onset's words: its component's, and its message's but the generic.
fn onset_words(onset: &Onset) -> Vec<Word> {
    let mut words = onset
        .component
        .as_deref()
        .map(significant)
        .unwrap_or_default();
    words.extend(
        significant(&onset.message)
            .into_iter()
            .filter(|w| !among(WEAK_WORDS, &w.key)),
    );
    words
}

/// `orders-db-pool: "No available connections"`.
fn onset_label(onset: &Onset) -> String {
    let message = quote(&onset.message, 60);
    match &onset.component {
        Some(component) => format!("{component}: \"{message}\""),
        None => format!("\"{message}\""),
    }
}

/// What the change findings say: one the hypothesis names, or else the
/// first it does not.
fn change_finding(claim: &Claim, changes: &[Finding]) -> Option<Finding> {
    let changes: Vec<(&Finding, String, Option<String>, Vec<Word>)> = changes
        .iter()
        .filter(|f| f.kind == FindingKind::Change)
        .map(|f| {
            let (quoted, gap) = read_change(f);
            let mut words = significant(&quoted);
            for key in ["deploy", "config"] {
                words.push(Word {
                    key: key.to_string(),
                    written: key.to_string(),
                });
            }
            (f, quoted, gap, words)
        })
        .collect();
    // A diff's words are the settings it changed, so naming one speaks
    // for it; a deploy's note names subjects ("processor timeouts"), so
    // only a hypothesis about a change is spoken for, and one sharing a
    // subject alone ("the processor is down") is asked instead.
    let named = changes.iter().find_map(|c| {
        let names = shared(claim, &c.3);
        let about_change =
            c.2.is_none() || names.iter().any(|w| w.key == "deploy" || w.key == "config");
        (!names.is_empty() && about_change).then(|| (c, written(&names)))
    });
    let ((change, quoted, gap, _), names) = match named {
        Some((c, names)) => (c, Some(names)),
        None => (changes.first()?, None),
    };
    let what = change_noun(quoted);
    let quoted = quote(quoted, QUOTE_CHARS);
    let said = match (gap, names) {
        (Some(gap), Some(names)) => format!(
            "{what} came {gap} before the first error (\"{quoted}\"), and the hypothesis \
             names what it touched ({}): that speaks for it.",
            and_list(&names)
        ),
        (None, Some(names)) => format!(
            "the evidence holds a change (\"{quoted}\"), and the hypothesis names what it \
             touched ({}): that speaks for it.",
            and_list(&names)
        ),
        (Some(gap), None) => format!(
            "{what} came {gap} before the first error (\"{quoted}\"): does the hypothesis \
             explain it?"
        ),
        (None, None) => format!(
            "the evidence holds a change (\"{quoted}\") that the hypothesis does not mention: \
             does it explain it?"
        ),
    };
    Some(finding(claim, &[said], change.evidence.clone()))
}

/// What a change finding quotes, and how long before the first error it
/// came when it says so (`… at 09:30:00, 2 min 15 s before the first
/// error …`); a diff finding is quoted whole.
fn read_change(change: &Finding) -> (String, Option<String>) {
    let Some(end) = change.statement.find(" before the first error") else {
        return (change.statement.clone(), None);
    };
    let head = &change.statement[..end];
    let gap = head
        .rsplit(", ")
        .next()
        .filter(|gap| gap.len() < 20 && gap.starts_with(|c: char| c.is_ascii_digit()))
        .map(str::to_string);
    let quoted = change
        .evidence
        .first()
        .map_or_else(|| head.to_string(), |c| c.text.clone());
    (quoted, gap)
}

/// `a deploy`, `a configuration change` or `a change`.
fn change_noun(quoted: &str) -> &'static str {
    let words = significant(quoted);
    let has = |key: &str| words.iter().any(|w| w.key == key);
    let versioned = quoted.split_whitespace().any(|t| {
        t.split([':', '@', '=', '(', ')'])
            .any(|p| version(p.trim_end_matches([',', '.'])))
    });
    if has("deploy") || versioned {
        "a deploy"
    } else if has("config") {
        "a configuration change"
    } else {
        "a change"
    }
}

/// The lessons of earlier postmortems that share the most words with it.
fn lesson_finding(claim: &Claim, lessons: &[Lesson]) -> Option<Finding> {
    let mut scored: Vec<(usize, usize, &Lesson)> = lessons
        .iter()
        .enumerate()
        .map(|(i, lesson)| {
            let words = significant(&format!("{} {}", lesson.title, lesson.text));
            (shared(claim, &words).len(), i, lesson)
        })
        .filter(|&(score, _, _)| score > 0)
        .collect();
    scored.sort_by_key(|&(score, i, _)| (Reverse(score), i));
    scored.truncate(MAX_LESSONS);
    let quoted: Vec<String> = scored
        .iter()
        .map(|&(_, _, l)| {
            format!(
                "\"{}\" (#{} \"{}\")",
                quote(lesson_words(l), QUOTE_CHARS),
                l.postmortem_id,
                quote(&l.postmortem_title, 60)
            )
        })
        .collect();
    let said = match quoted.as_slice() {
        [] => return None,
        [one] => format!("an earlier postmortem learned {one}. Does it hold here?"),
        more => format!(
            "earlier postmortems learned {}. Do they hold here?",
            more.join("; and ")
        ),
    };
    let cited = scored
        .iter()
        .map(|&(_, i, l)| {
            let line = lessons[..i]
                .iter()
                .filter(|o| o.postmortem_id == l.postmortem_id)
                .count()
                + 1;
            cite(
                format!("Postmortem #{}", l.postmortem_id),
                line,
                lesson_words(l),
            )
        })
        .collect();
    Some(finding(claim, &[said], cited))
}

/// A lesson in one line: its title, or else its text's first line.
fn lesson_words(lesson: &Lesson) -> &str {
    match lesson.title.trim() {
        "" => lesson
            .text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or(""),
        title => title,
    }
}
