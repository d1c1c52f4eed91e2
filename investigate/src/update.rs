//! The stakeholder update: a Markdown draft, written from the record, for
//! the responder to edit and send while the incident is on.
//!
//! Whoever runs the incident owes the people waiting an update every few
//! minutes, and writing one from memory under pressure is how updates
//! promise too much. The draft follows the shape of a good one (what
//! happened, what we did, where things stand, how confident we are and
//! why, what we do not know yet, what comes next) and takes every line
//! from the record, so it invents nothing and claims no more than the
//! record does. A section with nothing recorded says so.
//!
//! Text people wrote stays on its own line (after a label or a bullet),
//! folded to one line inside a list so it cannot break the list; nothing
//! in it is escaped.

use kb_domain::record::{
    epoch_seconds, format_minutes, normalize_datetime, ActionStatus, Hypothesis, HypothesisOutcome,
    MitigationResult, Parts, Prevents, TimelineKind,
};

/// What an empty section says.
const NOTHING: &str = "Nothing recorded yet.";

/// The most rows a section lists.
const MAX_ROWS: usize = 8;

/// A Markdown draft of an update for stakeholders from a record's title,
/// summary and parts; see the module docs.
pub fn stakeholder_update(title: &str, summary: &str, parts: &Parts) -> String {
    let leading = leading(&parts.hypotheses);
    let heading = match one_line(title).as_str() {
        "" => "## Update".to_string(),
        title => format!("## Update: {title}"),
    };
    let sections = [
        ("What happened", happened(summary, parts)),
        ("What we did", did(parts)),
        ("Current state", state(parts)),
        ("How confident we are and why", confidence(parts, leading)),
        ("What we do not know yet", unknown(parts, leading)),
        ("Next steps", next(parts)),
    ];
    let mut out = heading;
    out.push('\n');
    for (name, lines) in sections {
        out.push_str(&format!("\n**{name}**\n"));
        if lines.is_empty() {
            out.push_str(NOTHING);
            out.push('\n');
        }
        for line in lines {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// The summary's first paragraph, or else the first alert (or
/// observation) of the timeline.
fn happened(summary: &str, parts: &Parts) -> Vec<String> {
    let paragraph: Vec<String> = summary
        .lines()
        .map(str::trim)
        .skip_while(|line| line.is_empty())
        .take_while(|line| !line.is_empty())
        .map(str::to_string)
        .collect();
    if !paragraph.is_empty() {
        return paragraph;
    }
    let first = |kind: TimelineKind| {
        parts
            .timeline
            .iter()
            .find(|e| TimelineKind::parse(&e.kind) == Some(kind) && !e.text.trim().is_empty())
    };
    let Some(entry) = first(TimelineKind::Alert).or_else(|| first(TimelineKind::Observation))
    else {
        return Vec::new();
    };
    let kind = TimelineKind::parse(&entry.kind).map_or("entry", |k| match k {
        TimelineKind::Alert => "alert",
        _ => "observation",
    });
    let when = match entry.at.trim() {
        "" => String::new(),
        at => format!(", at {}", readable(at)),
    };
    vec![format!("The first {kind}{when}:"), one_line(&entry.text)]
}

/// The mitigations with their results, then the timeline's actions not
/// already listed.
fn did(parts: &Parts) -> Vec<String> {
    let mut lines = Vec::new();
    let mut listed: Vec<String> = Vec::new();
    for m in parts
        .mitigations
        .iter()
        .filter(|m| !m.action.trim().is_empty())
    {
        let result = MitigationResult::parse(&m.result)
            .filter(|r| *r != MitigationResult::Unknown)
            .map_or("Result not known", MitigationResult::label);
        lines.push(format!("- {result}: {}", one_line(&m.action)));
        if !m.note.trim().is_empty() {
            lines.push(format!("  {}", one_line(&m.note)));
        }
        listed.push(one_line(&m.action).to_lowercase());
    }
    let actions = parts.timeline.iter().filter(|e| {
        TimelineKind::parse(&e.kind) == Some(TimelineKind::Action)
            && !e.text.trim().is_empty()
            && !listed.contains(&one_line(&e.text).to_lowercase())
    });
    for entry in actions {
        let at = match entry.at.trim() {
            "" => "Done".to_string(),
            at => readable(at),
        };
        lines.push(format!("- {at}: {}", one_line(&entry.text)));
    }
    capped(lines)
}

/// Where things stand, from the clock.
fn state(parts: &Parts) -> Vec<String> {
    let after = |at: &Option<String>| -> String {
        let start = parts.started_at.as_deref().and_then(epoch_seconds);
        match (start, at.as_deref().and_then(epoch_seconds)) {
            (Some(start), Some(end)) if end >= start => {
                format!(", {} after it started", format_minutes((end - start) / 60))
            }
            _ => String::new(),
        }
    };
    let time = |at: &Option<String>| at.as_deref().map(readable);
    let mut lines = Vec::new();
    match (time(&parts.resolved_at), time(&parts.mitigated_at)) {
        (Some(resolved), _) => {
            lines.push(format!(
                "Resolved at {resolved}{}.",
                after(&parts.resolved_at)
            ));
        }
        (None, Some(mitigated)) => lines.push(format!(
            "Mitigated at {mitigated}{}; not resolved yet.",
            after(&parts.mitigated_at)
        )),
        (None, None) => {
            let started = time(&parts.started_at);
            let detected = time(&parts.detected_at);
            match (started, detected) {
                (Some(s), Some(d)) => lines.push(format!(
                    "Ongoing: started at {s}, detected at {d}; not mitigated yet."
                )),
                (Some(s), None) => {
                    lines.push(format!("Ongoing: started at {s}; not mitigated yet."))
                }
                (None, Some(d)) => {
                    lines.push(format!("Ongoing: detected at {d}; not mitigated yet."))
                }
                (None, None) => {}
            }
        }
    }
    lines
}

/// The leading hypothesis with the note of its latest step, and the ones
/// ruled out.
fn confidence(parts: &Parts, leading: Option<&Hypothesis>) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(h) = leading {
        let confirmed = outcome(h) == Some(HypothesisOutcome::Confirmed);
        let how = match (h.confidence.last(), confirmed) {
            (Some(step), true) => format!("{}%, confirmed", step.value),
            (Some(step), false) => format!("{}%, not confirmed yet", step.value),
            (None, true) => "confirmed".to_string(),
            (None, false) => "no confidence stated yet".to_string(),
        };
        lines.push(format!("Leading hypothesis ({how}):"));
        lines.push(one_line(&h.statement));
        let why = h
            .confidence
            .last()
            .map(|s| one_line(&s.note))
            .filter(|n| !n.is_empty());
        let evidence = first_line(&h.evidence_for);
        match (why, evidence) {
            (Some(note), _) => lines.push(format!("Why: {note}")),
            (None, Some(evidence)) => lines.push(format!("Evidence for it: {evidence}")),
            (None, None) => {}
        }
    }
    let refuted: Vec<&Hypothesis> = parts
        .hypotheses
        .iter()
        .filter(|h| {
            outcome(h) == Some(HypothesisOutcome::Refuted) && !h.statement.trim().is_empty()
        })
        .collect();
    if !refuted.is_empty() {
        lines.push("Ruled out:".to_string());
        lines.extend(
            refuted
                .iter()
                .take(MAX_ROWS)
                .map(|h| format!("- {}", one_line(&h.statement))),
        );
    }
    lines
}

/// Open hypotheses other than the leading one, whys without answers and
/// root causes whose verification question is unanswered.
fn unknown(parts: &Parts, leading: Option<&Hypothesis>) -> Vec<String> {
    let mut lines = Vec::new();
    for h in parts.hypotheses.iter().filter(|h| {
        !h.statement.trim().is_empty()
            && outcome(h).is_none_or(|o| o == HypothesisOutcome::Open)
            && leading.is_none_or(|l| !std::ptr::eq(*h, l))
    }) {
        let at = h
            .confidence
            .last()
            .map(|s| format!(" ({}%)", s.value))
            .unwrap_or_default();
        lines.push(format!("- Still open{at}: {}", one_line(&h.statement)));
    }
    for why in parts
        .whys
        .iter()
        .filter(|w| w.answer.trim().is_empty() && !w.question.trim().is_empty())
    {
        lines.push(format!("- Not answered yet: {}", one_line(&why.question)));
    }
    for cause in parts
        .causes
        .iter()
        .filter(|c| Prevents::parse(&c.prevents).is_none() && !c.statement.trim().is_empty())
    {
        lines.push(format!(
            "- Whether fixing this prevents a recurrence: {}",
            one_line(&cause.statement)
        ));
    }
    capped(lines)
}

/// The action items still to do, with owners and due dates.
fn next(parts: &Parts) -> Vec<String> {
    let lines = parts
        .action_items
        .iter()
        .filter(|a| !a.title.trim().is_empty())
        .filter(|a| match ActionStatus::parse(&a.status) {
            Some(status) => matches!(status, ActionStatus::Open | ActionStatus::InProgress),
            None => a.status.trim().is_empty(),
        })
        .map(|a| {
            let owner = match a.owner.trim() {
                "" => "no owner yet".to_string(),
                owner => format!("owner {owner}"),
            };
            let due = match a.due.as_deref().map(str::trim) {
                Some(due) if !due.is_empty() => format!(", due {due}"),
                _ => String::new(),
            };
            format!("- {} ({owner}{due})", one_line(&a.title))
        })
        .collect();
    capped(lines)
}

/// The hypothesis the team leans to: a confirmed one before an open one,
/// then the highest latest confidence, then the first of equals; never a
/// refuted one.
fn leading(hypotheses: &[Hypothesis]) -> Option<&Hypothesis> {
    let mut best: Option<(&Hypothesis, (bool, i64))> = None;
    for h in hypotheses.iter().filter(|h| {
        outcome(h) != Some(HypothesisOutcome::Refuted) && !h.statement.trim().is_empty()
    }) {
        let rank = (
            outcome(h) == Some(HypothesisOutcome::Confirmed),
            h.confidence.last().map_or(-1, |s| s.value),
        );
        if best.is_none_or(|(_, b)| rank > b) {
            best = Some((h, rank));
        }
    }
    best.map(|(h, _)| h)
}

/// What the team decided about a hypothesis, if anything.
fn outcome(h: &Hypothesis) -> Option<HypothesisOutcome> {
    HypothesisOutcome::parse(&h.outcome)
}

/// A list cut to [`MAX_ROWS`] rows, with how many were left out.
fn capped(mut lines: Vec<String>) -> Vec<String> {
    let rows = lines.iter().filter(|l| l.starts_with("- ")).count();
    if rows <= MAX_ROWS {
        return lines;
    }
    let mut kept = 0;
    let end = lines
        .iter()
        .position(|l| {
            kept += usize::from(l.starts_with("- "));
            kept > MAX_ROWS
        })
        .unwrap_or(lines.len());
    lines.truncate(end);
    lines.push(format!("- and {} more", rows - MAX_ROWS));
    lines
}

/// `2024-01-15T09:30:00Z` → `2024-01-15 09:30 UTC`; other times as
/// written.
fn readable(at: &str) -> String {
    match normalize_datetime(at) {
        Some(n) if n.ends_with(":00Z") => format!("{} {} UTC", &n[..10], &n[11..16]),
        Some(n) => format!("{} {} UTC", &n[..10], &n[11..19]),
        None => one_line(at),
    }
}

/// The first non-blank line of a text, on one line, without a list
/// bullet.
fn first_line(text: &str) -> Option<String> {
    text.lines()
        .map(|l| l.trim().trim_start_matches(['-', '*', '+']).trim())
        .find(|l| !l.is_empty())
        .map(str::to_string)
}

/// Text on one line, its whitespace runs made single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
