//! The whole Investigate panel of a record: every kind of finding in the
//! issue's order, the swimlane chart of its evidence, and the stakeholder
//! update drafted from it, with room for the decision someone took on
//! each finding (filled by the caller, which stores them).

use kb_domain::findings::FindingDecision;
use kb_domain::Parts;
use serde::{Deserialize, Serialize};

use crate::chart::{swimlanes, Lane};
use crate::findings::{
    challenge_findings, confidence_findings, seen_before_findings, why_chain_findings, Finding,
    FindingKind, Known,
};
use crate::record::investigate_record;
use crate::signals::group;
use crate::update::stakeholder_update;

/// Where the timeline's lines are in a reading; the chart draws the
/// evidence, whose lines say what the systems did.
const TIMELINE: &str = "Timeline";

/// A record's Investigate panel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The findings: sequence, change, rhythm, mitigation, challenge, seen
    /// before, why-chain, confidence.
    pub findings: Vec<Shown>,
    /// Lines read.
    pub lines: usize,
    /// Of those, lines whose time could be read.
    pub timed: usize,
    /// The chart's lanes, as table rows.
    pub lanes: Vec<Lane>,
    /// The swimlane chart, SVG markup (empty without timed lines).
    pub chart: String,
    /// The stakeholder update drafted from the record, in Markdown.
    pub update: String,
}

/// A finding and the decision taken on it, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shown {
    /// The finding.
    #[serde(flatten)]
    pub finding: Finding,
    /// Accepted into the record or dismissed, by whom and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<FindingDecision>,
}

/// Reads a record (`title`, `summary`, `impact` and its `parts`) with what
/// the rest of the knowledge base knows (`known`) into its panel.
pub fn report(title: &str, summary: &str, impact: &str, parts: &Parts, known: &Known) -> Report {
    let read = investigate_record(parts);
    let mut findings = read.investigation.findings;
    let changes: Vec<Finding> = findings
        .iter()
        .filter(|f| f.kind == FindingKind::Change)
        .cloned()
        .collect();
    findings.extend(challenge_findings(
        &parts.hypotheses,
        &read.onsets,
        &read.attempts,
        &changes,
        &known.lessons,
    ));
    findings.extend(seen_before_findings(known, impact));
    findings.extend(why_chain_findings(&parts.whys, &parts.causes));
    findings.extend(confidence_findings(&parts.hypotheses));
    findings.sort_by_key(|f| rank(f.kind));

    let reading = &read.reading;
    let of_evidence: Vec<_> = reading
        .lines
        .iter()
        .filter(|l| reading.locate(l.number).is_some_and(|(s, _)| s != TIMELINE))
        .cloned()
        .collect();
    let mut drawn = if of_evidence.iter().any(|l| l.at.is_some()) {
        of_evidence
    } else {
        reading.lines.clone()
    };
    // Where the logs declare levels, unlevelled timed lines are tables
    // and notes (a metric per minute), not signals.
    if drawn.iter().any(|l| l.level.is_some()) {
        drawn.retain(|l| l.level.is_some());
    }
    let (lanes, chart) = swimlanes(&group(&drawn));
    Report {
        findings: findings
            .into_iter()
            .map(|finding| Shown {
                finding,
                decision: None,
            })
            .collect(),
        lines: read.investigation.lines,
        timed: read.investigation.timed,
        lanes,
        chart,
        update: stakeholder_update(title, summary, parts),
    }
}

/// The panel's order of kinds: what the evidence shows first, then what
/// it says about the team's reasoning.
fn rank(kind: FindingKind) -> u8 {
    match kind {
        FindingKind::Sequence => 0,
        FindingKind::Change => 1,
        FindingKind::Rhythm => 2,
        FindingKind::Mitigation => 3,
        FindingKind::Challenge => 4,
        FindingKind::SeenBefore => 5,
        FindingKind::WhyChain => 6,
        FindingKind::Confidence => 7,
    }
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
