//! Starting points for a new postmortem, and the clean-up of rows a
//! template offered but the author left blank.
//!
//! - **full**: every section, one empty row in each list (five in the
//!   why-chain, one cause per level) and a narrative outline; the editor
//!   shows guidance for each section.
//! - **quick**: the header, clock, impact, summary, cause, fix and action
//!   items; the rest one click away.
//! - **from an existing postmortem**: its structure and wording, without
//!   what belongs to that incident alone (identity, clock, figures, the
//!   state of its action items).

use kb_domain::record::{
    ActionItem, Cause, CauseLevel, Evidence, Hypothesis, Learning, LearningKind, MitigationAttempt,
    TimelineEntry, Why,
};
use kb_domain::PostmortemInput;

/// Which template `/new?template=...` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// Every section, with guidance.
    Full,
    /// The essentials.
    Quick,
}

impl Template {
    /// `quick` → Quick; anything else → Full.
    pub fn from_query(q: Option<&str>) -> Template {
        match q {
            Some("quick") => Template::Quick,
            _ => Template::Full,
        }
    }

    /// The starting draft.
    pub fn input(self) -> PostmortemInput {
        match self {
            Template::Full => full(),
            Template::Quick => PostmortemInput {
                parts: kb_domain::Parts {
                    status: "draft".into(),
                    action_items: vec![ActionItem::default()],
                    ..Default::default()
                },
                ..Default::default()
            },
        }
    }
}

const OUTLINE: &str = "## What happened\n\n\n## How we noticed\n\n\n## How we responded\n\n\n## What went well\n\n\n## What was hard\n";

fn full() -> PostmortemInput {
    let mut input = PostmortemInput::default();
    let p = &mut input.parts;
    p.status = "draft".into();
    p.narrative = OUTLINE.into();
    p.timeline = vec![TimelineEntry::default(); 2];
    p.evidence = vec![Evidence::default()];
    p.hypotheses = vec![Hypothesis::default()];
    p.whys = vec![Why::default(); 5];
    p.causes = [
        CauseLevel::Immediate,
        CauseLevel::Contributing,
        CauseLevel::Systemic,
    ]
    .iter()
    .map(|l| Cause {
        level: l.as_str().into(),
        ..Default::default()
    })
    .collect();
    p.mitigations = vec![MitigationAttempt::default()];
    p.learnings = vec![Learning {
        kind: LearningKind::Pattern.as_str().into(),
        ..Default::default()
    }];
    p.action_items = vec![ActionItem::default(); 2];
    input
}

/// A new draft shaped like `source`: its header, narrative, analysis and
/// lessons as a starting point; not its identity, clock, figures, links
/// or the progress of its action items (those belong to that incident).
pub fn from_existing(source: &PostmortemInput) -> PostmortemInput {
    let mut input = source.clone();
    input.external_id = None;
    input.url = None;
    input.date = None;
    input.title = format!("Copy of {}", source.title);
    let p = &mut input.parts;
    p.status = "draft".into();
    p.started_at = None;
    p.detected_at = None;
    p.mitigated_at = None;
    p.resolved_at = None;
    p.users_affected = None;
    p.requests_failed = None;
    p.money_lost = None;
    p.links.clear();
    for item in &mut p.action_items {
        item.id = None;
        item.status = "open".into();
        item.due = None;
    }
    input
}

/// Gives an empty list section one blank row to write in (editing a part
/// in place that has nothing yet); [`prune`] drops it if left blank.
pub fn ensure_row(input: &mut PostmortemInput, anchor: &str) {
    let p = &mut input.parts;
    fn one<T: Default>(list: &mut Vec<T>) {
        if list.is_empty() {
            list.push(T::default());
        }
    }
    match anchor {
        "timeline" => one(&mut p.timeline),
        "evidence" => one(&mut p.evidence),
        "hypotheses" => one(&mut p.hypotheses),
        "whys" => one(&mut p.whys),
        "causes" => one(&mut p.causes),
        "mitigations" => one(&mut p.mitigations),
        "learnings" => one(&mut p.learnings),
        "action_items" => one(&mut p.action_items),
        "links" => one(&mut p.links),
        _ => {}
    }
}

/// Drops rows whose every written field is blank. Choices (a kind, a
/// level) do not count as writing: templates preset them. Answers where
/// each kept row was, for [`Kept::original`].
pub fn prune(input: &mut PostmortemInput) -> Kept {
    let blank = |s: &str| s.trim().is_empty();
    let p = &mut input.parts;
    let mut kept = Kept::default();
    kept.keep("timeline", &mut p.timeline, |r| {
        !(blank(&r.at) && blank(&r.text) && blank(&r.who))
    });
    kept.keep("evidence", &mut p.evidence, |r| {
        !(blank(&r.caption) && blank(&r.body))
    });
    kept.keep("hypotheses", &mut p.hypotheses, |r| {
        !(blank(&r.statement)
            && blank(&r.evidence_for)
            && blank(&r.evidence_against)
            && r.confidence.is_empty())
    });
    kept.keep("whys", &mut p.whys, |r| {
        !(blank(&r.question) && blank(&r.answer))
    });
    kept.keep("causes", &mut p.causes, |r| {
        !(blank(&r.statement) && blank(&r.evidence) && r.confidence.is_none())
    });
    kept.keep("mitigations", &mut p.mitigations, |r| {
        !(blank(&r.action) && blank(&r.note))
    });
    kept.keep("learnings", &mut p.learnings, |r| {
        ![
            &r.title,
            &r.text,
            &r.symptoms,
            &r.root_cause,
            &r.detection,
            &r.resolution,
        ]
        .iter()
        .all(|s| blank(s))
    });
    kept.keep("action_items", &mut p.action_items, |r| {
        !(blank(&r.title)
            && blank(&r.owner)
            && blank(&r.tracker)
            && blank(&r.expected_effect)
            && r.due.as_deref().is_none_or(blank))
    });
    kept.keep("links", &mut p.links, |r| {
        !(blank(&r.target) && blank(&r.note))
    });
    if p.narrative.trim() == OUTLINE.trim() {
        p.narrative.clear();
    }
    kept
}

/// Where the rows [`prune`] kept were in the form, list by list: the
/// form still shows the blank rows, so a refusal of `timeline.2.at` must
/// point at the row the author sees.
#[derive(Debug, Default)]
pub struct Kept(Vec<(&'static str, Vec<usize>)>);

impl Kept {
    fn keep<T>(&mut self, list: &'static str, rows: &mut Vec<T>, written: impl Fn(&T) -> bool) {
        let mut at = Vec::new();
        let mut i = 0;
        rows.retain(|r| {
            let keep = written(r);
            if keep {
                at.push(i);
            }
            i += 1;
            keep
        });
        self.0.push((list, at));
    }

    /// `field` (a path into the pruned record) as a path into the form.
    pub fn original(&self, field: &str) -> String {
        let mut parts = field.splitn(3, '.');
        let (Some(list), Some(index)) = (parts.next(), parts.next()) else {
            return field.to_string();
        };
        let row = self
            .0
            .iter()
            .find(|(name, _)| *name == list)
            .zip(index.parse::<usize>().ok())
            .and_then(|((_, at), i)| at.get(i));
        match (row, parts.next()) {
            (Some(row), Some(rest)) => format!("{list}.{row}.{rest}"),
            (Some(row), None) => format!("{list}.{row}"),
            (None, _) => field.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_untouched_full_template_prunes_to_nothing_but_its_choices() {
        let mut input = Template::Full.input();
        prune(&mut input);
        assert_eq!(input.parts.timeline.len(), 0);
        assert_eq!(input.parts.causes.len(), 0);
        assert_eq!(input.parts.learnings.len(), 0);
        assert!(input.parts.narrative.is_empty());
        assert_eq!(input.parts.status, "draft");
    }

    #[test]
    fn written_rows_survive() {
        let mut input = Template::Full.input();
        input.parts.whys[2].question = "Why did the pool run dry?".into();
        let kept = prune(&mut input);
        assert_eq!(input.parts.whys.len(), 1);
        assert_eq!(kept.original("whys.0.question"), "whys.2.question");
        assert_eq!(kept.original("whys.0"), "whys.2");
        assert_eq!(kept.original("title"), "title");
        assert_eq!(kept.original("whys.7.answer"), "whys.7.answer");
    }
}
