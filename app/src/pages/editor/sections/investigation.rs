//! The investigation's sections: timeline, evidence, hypotheses with their
//! confidence over time, the five whys, causes and mitigations tried.

use super::super::fields::{check, choice, markdown, number, text, verbatim};
use super::{more, part, rows, RowKind};
use kb_domain::record::{
    Cause, CauseLevel, ConfidenceStep, Evidence, EvidenceKind, Hypothesis, HypothesisOutcome,
    MitigationAttempt, MitigationResult, Prevents, TimelineEntry, TimelineKind, Why,
};
use kb_domain::PostmortemInput;
use leptos::prelude::*;

pub(super) const TIMELINE: RowKind<TimelineEntry> = RowKind {
    kind: "timeline",
    noun: "timeline entry",
    draw: |p, r| {
        view! {
            <div class="grid">
                {text("Time", &format!("{p}.at"), &r.at, "T+05:00")}
                {choice("Kind", &format!("{p}.kind"), opts!(TimelineKind), &r.kind)}
                {text("Who", &format!("{p}.who"), &r.who, "")}
            </div>
            {text("What happened", &format!("{p}.text"), &r.text, "")}
        }
        .into_any()
    },
};

pub(super) const EVIDENCE: RowKind<Evidence> = RowKind {
    kind: "evidence",
    noun: "evidence",
    draw: |p, r| {
        view! {
            <div class="grid">
                {choice("Kind", &format!("{p}.kind"), opts!(EvidenceKind), &r.kind)}
                {text("Caption", &format!("{p}.caption"), &r.caption, "")}
            </div>
            {verbatim("Material", &format!("{p}.body"), &r.body)}
        }
        .into_any()
    },
};

pub(super) const HYPOTHESIS: RowKind<Hypothesis> = RowKind {
    kind: "hypotheses",
    noun: "hypothesis",
    draw: |p, r| {
        view! {
            <div class="grid">
                {text("Hypothesis", &format!("{p}.statement"), &r.statement, "")}
                {choice("Outcome", &format!("{p}.outcome"), opts!(HypothesisOutcome), &r.outcome)}
            </div>
            <fieldset class="confidence">
                <legend>"Confidence as it changed"</legend>
                {rows(&format!("{p}.confidence"), &CONFIDENCE, &r.confidence)}
            </fieldset>
            {markdown("Evidence for", &format!("{p}.evidence_for"), &r.evidence_for, 3)}
            {markdown("Evidence against", &format!("{p}.evidence_against"), &r.evidence_against, 3)}
        }
        .into_any()
    },
};

/// A step of a hypothesis's confidence: its value is named by the step's
/// own path (`hypotheses.0.confidence.1`), as validation reports it.
pub(super) const CONFIDENCE: RowKind<ConfidenceStep> = RowKind {
    kind: "confidence",
    noun: "confidence step",
    draw: |p, r| {
        view! {
            {number("Confidence %", p, Some(r.value), Some(100))}
            {text("What changed it", &format!("{p}.note"), &r.note, "")}
            {text("Stated by", &format!("{p}.by"), &r.by, "who said it")}
        }
        .into_any()
    },
};

pub(super) const WHY: RowKind<Why> = RowKind {
    kind: "whys",
    noun: "why",
    draw: |p, r| {
        view! {
            {text("Why?", &format!("{p}.question"), &r.question, "Why did …?")}
            {text("Because", &format!("{p}.answer"), &r.answer, "")}
            {check("Something actionable was found here", &format!("{p}.actionable"), r.actionable)}
        }
        .into_any()
    },
};

pub(super) const CAUSE: RowKind<Cause> = RowKind {
    kind: "causes",
    noun: "cause",
    draw: |p, r| {
        let mut answers = vec![("", "Not answered yet")];
        answers.extend(crate::pages::options(
            Prevents::ALL,
            Prevents::as_str,
            Prevents::label,
        ));
        view! {
            <div class="grid">
                {choice("Level", &format!("{p}.level"), opts!(CauseLevel), &r.level)}
                {number("Confidence %", &format!("{p}.confidence"), r.confidence, Some(100))}
                {choice("If we fix this, does it prevent a recurrence?", &format!("{p}.prevents"), (answers, ""), &r.prevents)}
            </div>
            {text("Cause", &format!("{p}.statement"), &r.statement, "")}
            {markdown("Evidence", &format!("{p}.evidence"), &r.evidence, 3)}
        }
        .into_any()
    },
};

pub(super) const MITIGATION: RowKind<MitigationAttempt> = RowKind {
    kind: "mitigations",
    noun: "attempt",
    draw: |p, r| {
        view! {
            <div class="grid">
                {text("What was tried", &format!("{p}.action"), &r.action, "")}
                {choice("Result", &format!("{p}.result"), opts!(MitigationResult), &r.result)}
            </div>
            {markdown("Notes", &format!("{p}.note"), &r.note, 2)}
        }
        .into_any()
    },
};

pub(super) fn timeline(d: &PostmortemInput, hidden: bool) -> AnyView {
    part(
        "timeline",
        "Timeline",
        "What happened when. Use an absolute time (YYYY-MM-DD HH:MM) or T+mm:ss from the start; entries are sorted on save.",
        hidden,
        rows("timeline", &TIMELINE, &d.parts.timeline),
    )
}

pub(super) fn evidence(d: &PostmortemInput, hidden: bool) -> AnyView {
    part(
        "evidence",
        "Evidence",
        "Paste alert text, log lines, metric readings and config diffs exactly as they were. They are kept verbatim and searched.",
        hidden,
        rows("evidence", &EVIDENCE, &d.parts.evidence),
    )
}

pub(super) fn hypotheses(d: &PostmortemInput, hidden: bool) -> AnyView {
    part(
        "hypotheses",
        "Hypotheses",
        "Every explanation the team considered, and how confident you were as evidence came in (for example 40%, then 85%). Refuted ones teach as much as the confirmed one.",
        hidden,
        rows("hypotheses", &HYPOTHESIS, &d.parts.hypotheses),
    )
}

pub(super) fn whys(d: &PostmortemInput, hidden: bool) -> AnyView {
    part(
        "whys",
        "Why-chain",
        "Ask why, answer, and ask why of the answer, until you reach something you can act on. Mark that level.",
        hidden,
        rows("whys", &WHY, &d.parts.whys),
    )
}

pub(super) fn causes(d: &PostmortemInput, quick: bool) -> AnyView {
    let body = view! {
        {markdown("Root cause in short", "root_cause", &d.root_cause, 3)}
        {more(quick, rows("causes", &CAUSE, &d.parts.causes))}
    };
    part(
        "causes",
        "Root causes",
        "The immediate cause (what broke), contributing causes (what made it possible or worse) and the systemic cause (why the system allowed it), each with your confidence and the evidence.",
        false,
        body.into_any(),
    )
}

pub(super) fn mitigations(d: &PostmortemInput, quick: bool) -> AnyView {
    let body = view! {
        {markdown("What fixed it", "mitigation", &d.mitigation, 3)}
        {more(quick, rows("mitigations", &MITIGATION, &d.parts.mitigations))}
    };
    part(
        "mitigations",
        "Resolution and attempts",
        "What finally fixed it, and every attempt on the way, including those that did not help.",
        false,
        body.into_any(),
    )
}
