//! The index's view of a postmortem ([`IndexDoc`]): each part of the record
//! in the field that says what it is, with the one-line cause and fix that
//! results show.

use kb_domain::Postmortem;
use kb_search::{IndexDoc, IndexPattern};

/// What caused it, in a line, for search results: the root-cause section, else
/// the first immediate cause, else any cause, else a pattern's root cause.
fn cause_line(i: &Postmortem) -> String {
    let p = &i.parts;
    let immediate = kb_domain::record::CauseLevel::Immediate.as_str();
    let candidates = [
        Some(kb_markdown::to_text(&i.root_cause)),
        p.causes
            .iter()
            .find(|c| c.level == immediate)
            .or(p.causes.first())
            .map(|c| c.statement.clone()),
        p.learnings
            .iter()
            .find(|l| !l.root_cause.trim().is_empty())
            .map(|l| kb_markdown::to_text(&l.root_cause)),
    ];
    first_line(candidates)
}

/// What fixed it, in a line: the mitigation section, else the last attempt
/// that worked, else a pattern's resolution.
fn fix_line(i: &Postmortem) -> String {
    let p = &i.parts;
    let worked = kb_domain::record::MitigationResult::Worked.as_str();
    let candidates = [
        Some(kb_markdown::to_text(&i.mitigation)),
        p.mitigations
            .iter()
            .rev()
            .find(|m| m.result == worked)
            .map(|m| m.action.clone()),
        p.learnings
            .iter()
            .find(|l| !l.resolution.trim().is_empty())
            .map(|l| kb_markdown::to_text(&l.resolution)),
    ];
    first_line(candidates)
}

/// The first non-empty text, up to its first paragraph break.
fn first_line(candidates: impl IntoIterator<Item = Option<String>>) -> String {
    candidates
        .into_iter()
        .flatten()
        .map(|text| text.trim().to_string())
        .find(|text| !text.is_empty())
        .map(|text| text.split("\n\n").next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

/// The index's view of a postmortem: each part of the record in the field
/// that says what it is, so search can weigh what was seen (patterns'
/// symptoms, evidence) above the story around it. Markdown becomes plain
/// text; evidence stays verbatim.
pub(super) fn to_doc(i: Postmortem) -> IndexDoc {
    let p = &i.parts;
    let md = |parts: &mut Vec<String>, text: &str| {
        if !text.trim().is_empty() {
            parts.push(kb_markdown::to_text(text));
        }
    };
    let plain = |parts: &mut Vec<String>, text: &str| {
        if !text.trim().is_empty() {
            parts.push(text.to_string());
        }
    };
    let mut symptoms = Vec::new();
    for l in &p.learnings {
        md(&mut symptoms, &l.symptoms);
    }
    for e in &p.evidence {
        plain(&mut symptoms, &e.caption);
        plain(&mut symptoms, &e.body);
    }
    let mut narrative = Vec::new();
    md(&mut narrative, &p.narrative);
    for h in &p.hypotheses {
        plain(&mut narrative, &h.statement);
        md(&mut narrative, &h.evidence_for);
        md(&mut narrative, &h.evidence_against);
    }
    for l in &p.learnings {
        plain(&mut narrative, &l.title);
        md(&mut narrative, &l.text);
    }
    let mut timeline = Vec::new();
    for e in &p.timeline {
        md(&mut timeline, &e.text);
    }
    let mut causes = Vec::new();
    for c in &p.causes {
        plain(&mut causes, &c.statement);
        md(&mut causes, &c.evidence);
    }
    for w in &p.whys {
        plain(&mut causes, &format!("{} {}", w.question, w.answer));
    }
    for l in &p.learnings {
        md(&mut causes, &l.root_cause);
    }
    let mut resolution = Vec::new();
    for m in &p.mitigations {
        plain(&mut resolution, &m.action);
        md(&mut resolution, &m.note);
    }
    for l in &p.learnings {
        md(&mut resolution, &l.detection);
        md(&mut resolution, &l.resolution);
    }
    for a in &p.action_items {
        plain(
            &mut resolution,
            &format!("{} {}", a.title, a.expected_effect),
        );
    }
    let join = |parts: Vec<String>| parts.join("\n\n");
    let is_pattern = |l: &&kb_domain::record::Learning| {
        l.kind == kb_domain::record::LearningKind::Pattern.as_str()
    };
    let patterns = p
        .learnings
        .iter()
        .filter(is_pattern)
        .map(|l| IndexPattern {
            name: l.title.clone(),
            symptoms: kb_markdown::to_text(&l.symptoms),
            root_cause: kb_markdown::to_text(&l.root_cause),
            detection: kb_markdown::to_text(&l.detection),
            resolution: kb_markdown::to_text(&l.resolution),
        })
        .collect();
    IndexDoc {
        cause_line: cause_line(&i),
        fix_line: fix_line(&i),
        patterns,
        status: (!p.status.is_empty()).then(|| p.status.clone()),
        id: i.id,
        external_id: i.external_id.clone(),
        title: i.title.clone(),
        summary: kb_markdown::to_text(&i.summary),
        impact: kb_markdown::to_text(&i.impact),
        root_cause: kb_markdown::to_text(&i.root_cause),
        mitigation: kb_markdown::to_text(&i.mitigation),
        symptoms: join(symptoms),
        narrative: join(narrative),
        timeline: join(timeline),
        causes: join(causes),
        resolution: join(resolution),
        services: i.services.clone(),
        teams: p.teams.clone(),
        labels: i.labels.clone(),
        severity: i.severity.map(|s| s.as_str().to_string()),
        date: i.date.clone(),
    }
}
