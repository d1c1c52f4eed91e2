//! Why-chain findings: how deep the team's "why?" went, whether it
//! reached the process or decision behind the broken part, and whether
//! each root cause has passed the verification question.
//!
//! A chain that stops at "Redis saturated" leads to more Redis and the
//! same incident at the next catalog growth; the answer that prevents a
//! repeat usually names a process, a plan or a conversation that did not
//! happen. This module owns that reading of the why-chain and the root
//! causes. It judges by words alone, so it asks rather than rules.
//!
//! The rules:
//!
//! - The chain's depth is the number of its rows with an answer; fewer
//!   than [`SHALLOW_DEPTH`] is shallow. Its deepest answer is systemic
//!   when it holds one of [`SYSTEMIC_TERMS`], else technical, and a
//!   technical end asks the next question. Rows asked but not answered
//!   are named. The finding cites every row (source `Why N`, line N, text
//!   its answer, or its question while unanswered).
//! - With no why-chain but root causes, one finding invites the first
//!   why, citing the first root cause. With neither, nothing is said:
//!   a finding needs something to cite.
//! - Each root cause gets the verification question, "if we fix this,
//!   does it prevent a recurrence?", with the team's answer or "not
//!   answered yet" (source `Root cause N`, line N). A "yes" on an
//!   immediate cause (or one without a level) when nothing systemic is
//!   recorded (no systemic cause, no systemic word in a cause or in the
//!   chain's deepest answer) gets a gentle question: fixing only what
//!   broke rarely stops the next one.
//! - At most [`MAX_WHY_CHAIN_FINDINGS`].

use kb_domain::record::{Cause, CauseLevel, Prevents, Why};

use super::challenge::{cite, quote};
use super::{Cited, Finding, FindingKind, MAX_CITED_LINES};

/// A chain with fewer answered levels than this is shallow.
pub const SHALLOW_DEPTH: usize = 3;

/// The most why-chain findings stated for one record.
pub const MAX_WHY_CHAIN_FINDINGS: usize = 8;

/// Words by which an answer names something systemic: how people work,
/// plan, decide and tell each other, not a part that broke. Whole words
/// only (`process`, not `processing`); a term with a space is a phrase.
pub const SYSTEMIC_TERMS: &[&str] = &[
    "process",
    "processes",
    "review",
    "reviews",
    "reviewed",
    "reviewer",
    "policy",
    "policies",
    "plan",
    "plans",
    "planned",
    "planning",
    "communication",
    "communicated",
    "communicate",
    "ownership",
    "owner",
    "owners",
    "owned",
    "training",
    "trained",
    "untrained",
    "guidance",
    "guideline",
    "guidelines",
    "checklist",
    "checklists",
    "culture",
    "cultural",
    "assumption",
    "assumptions",
    "assumed",
    "nobody",
    "told",
    "informed",
    "unaware",
    "staffing",
    "understaffed",
    "incentive",
    "incentives",
    "priority",
    "priorities",
    "prioritised",
    "prioritized",
    "documentation",
    "documented",
    "undocumented",
    "runbook",
    "runbooks",
    "standard",
    "standards",
    "approval",
    "approved",
    "unapproved",
    "oversight",
    "accountability",
    "handoff",
    "hand-off",
    "coordination",
    "cross-team",
    "requirement",
    "requirements",
    "deadline",
    "deadlines",
    "pressure",
    "budget",
    "governance",
    "decision",
    "decided",
    "no one",
    "not aware",
];

/// The longest answer or cause quoted, in characters.
const QUOTE_CHARS: usize = 100;

/// The most unanswered rows named.
const MAX_UNANSWERED: usize = 2;

/// The why-chain findings of a record's whys (outermost first) and root
/// causes; see the module docs.
pub fn why_chain_findings(whys: &[Why], causes: &[Cause]) -> Vec<Finding> {
    let rows: Vec<(usize, &Why)> = whys
        .iter()
        .enumerate()
        .map(|(i, why)| (i + 1, why))
        .filter(|(_, why)| !why.question.trim().is_empty() || !why.answer.trim().is_empty())
        .collect();
    let causes: Vec<(usize, &Cause)> = causes
        .iter()
        .enumerate()
        .map(|(i, cause)| (i + 1, cause))
        .filter(|(_, cause)| !cause.statement.trim().is_empty())
        .collect();
    let deepest = rows
        .iter()
        .rev()
        .find(|(_, why)| !why.answer.trim().is_empty());
    let systemic_known = deepest.is_some_and(|(_, why)| is_systemic(&why.answer))
        || causes.iter().any(|(_, cause)| {
            CauseLevel::parse(&cause.level) == Some(CauseLevel::Systemic)
                || is_systemic(&cause.statement)
        });

    let mut found = Vec::new();
    found.extend(chain_finding(&rows, &causes));
    for &(number, cause) in &causes {
        found.push(verification(number, cause, systemic_known));
    }
    found.truncate(MAX_WHY_CHAIN_FINDINGS);
    found
}

/// Whether a text names something systemic; see [`SYSTEMIC_TERMS`].
pub(super) fn is_systemic(text: &str) -> bool {
    let lower = text.to_lowercase().replace(['\'', '’'], "");
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let spaced = format!(" {} ", words.join(" "));
    SYSTEMIC_TERMS.iter().any(|term| {
        if term.contains(' ') {
            spaced.contains(&format!(" {term} "))
        } else {
            words.contains(term)
        }
    })
}

/// The finding on the chain as a whole, or the invitation to start one.
fn chain_finding(rows: &[(usize, &Why)], causes: &[(usize, &Cause)]) -> Option<Finding> {
    if rows.is_empty() {
        let &(number, cause) = causes.first()?;
        return Some(Finding {
            kind: FindingKind::WhyChain,
            statement: format!(
                "No why-chain is recorded yet: ask why \"{}\" happened, then why again, until \
                 the answer names a process or a decision rather than a part.",
                quote(&cause.statement, QUOTE_CHARS)
            ),
            evidence: vec![cause_cite(number, cause)],
        });
    }
    let answered: Vec<&(usize, &Why)> = rows
        .iter()
        .filter(|(_, why)| !why.answer.trim().is_empty())
        .collect();
    let depth = answered.len();
    let mut evidence: Vec<Cited> = rows.iter().map(|&(n, why)| why_cite(n, why)).collect();
    let mut sentences = Vec::new();
    match answered.last() {
        None => sentences.push(format!(
            "The why-chain asks \"{}\" but has no answer yet.",
            quote(&rows[0].1.question, QUOTE_CHARS)
        )),
        Some(&&(_, deepest)) => {
            let levels = if depth == 1 { "level" } else { "levels" };
            let head = if depth < SHALLOW_DEPTH {
                format!("The why-chain is shallow ({depth} {levels})")
            } else {
                format!("The why-chain goes {depth} {levels} deep")
            };
            let end = quote(&deepest.answer, QUOTE_CHARS);
            if is_systemic(&deepest.answer) && depth < SHALLOW_DEPTH {
                sentences.push(format!(
                    "{head}, though its deepest answer names something systemic (\"{end}\"): \
                     were steps skipped on the way there?"
                ));
            } else if is_systemic(&deepest.answer) {
                sentences.push(format!("{head} and reaches a systemic cause (\"{end}\")."));
            } else {
                sentences.push(format!(
                    "{head} and stops at a technical cause (\"{end}\"): what let that happen, \
                     and which process, review, plan or communication missed it?"
                ));
                let systemic = causes
                    .iter()
                    .find(|(_, c)| CauseLevel::parse(&c.level) == Some(CauseLevel::Systemic));
                if let Some(&(number, cause)) = systemic {
                    sentences.push(format!(
                        "Root cause {number} is systemic (\"{}\"): does the chain lead there?",
                        quote(&cause.statement, QUOTE_CHARS)
                    ));
                    evidence.push(cause_cite(number, cause));
                }
            }
        }
    }
    if depth > 0 {
        for &(number, why) in rows
            .iter()
            .filter(|(_, why)| why.answer.trim().is_empty())
            .take(MAX_UNANSWERED)
        {
            sentences.push(format!(
                "Why {number} (\"{}\") has no answer yet.",
                quote(&why.question, QUOTE_CHARS)
            ));
        }
    }
    // The last row may be a systemic cause pushed after the rows: keep it.
    if evidence.len() > MAX_CITED_LINES {
        let last = evidence.len() - 1;
        evidence.swap(MAX_CITED_LINES - 1, last);
        evidence.truncate(MAX_CITED_LINES);
    }
    Some(Finding {
        kind: FindingKind::WhyChain,
        statement: sentences.join(" "),
        evidence,
    })
}

/// The verification question of a root cause and the team's answer.
fn verification(number: usize, cause: &Cause, systemic_known: bool) -> Finding {
    let level = CauseLevel::parse(&cause.level);
    let named = match level {
        Some(level) => format!(
            "Root cause {number} (\"{}\", {})",
            quote(&cause.statement, QUOTE_CHARS),
            level.label().to_lowercase()
        ),
        None => format!(
            "Root cause {number} (\"{}\")",
            quote(&cause.statement, QUOTE_CHARS)
        ),
    };
    let answer = match Prevents::parse(&cause.prevents) {
        Some(Prevents::Yes) => {
            let shallow_fix = matches!(level, None | Some(CauseLevel::Immediate));
            if shallow_fix && !systemic_known {
                "The team answered yes. With nothing systemic recorded, what would stop the \
                 next incident like it, by another path?"
            } else {
                "The team answered yes."
            }
        }
        Some(Prevents::Partly) => "The team answered partly: what would the rest take?",
        Some(Prevents::No) => {
            "The team answered no: what else would bring it back, and is that a root cause too?"
        }
        None => "Not answered yet.",
    };
    Finding {
        kind: FindingKind::WhyChain,
        statement: format!("{named}: if we fix this, does it prevent a recurrence? {answer}"),
        evidence: vec![cause_cite(number, cause)],
    }
}

/// A why cited: its answer, or its question while unanswered.
fn why_cite(number: usize, why: &Why) -> Cited {
    let text = match why.answer.trim() {
        "" => &why.question,
        answer => answer,
    };
    cite(format!("Why {number}"), number, text)
}

/// A root cause cited.
fn cause_cite(number: usize, cause: &Cause) -> Cited {
    cite(format!("Root cause {number}"), number, &cause.statement)
}
