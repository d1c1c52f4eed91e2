//! Investigate: the findings of a postmortem's record or of pasted
//! evidence (`kb_investigate`), with what the rest of the knowledge base
//! knows that bears on them (matching past postmortems, their diagnostic
//! lessons, the record's earlier occurrences), and the decisions people
//! took on them.
//!
//! The reading is CPU work on text that can be megabytes, so it runs off
//! the async threads. The findings are recomputed on every read; only the
//! decisions are stored, and accepting one writes it into the record as a
//! new revision, refused when the page was stale like any other edit.

use super::{internal, Services};
use crate::context::RequestContext;
use crate::error::AppError;
use kb_domain::findings::AcceptInto;
use kb_domain::record::{
    Evidence, EvidenceKind, Hypothesis, HypothesisOutcome, LearningKind, Link, LinkKind,
    TimelineEntry, TimelineKind, Why, MAX_LINE,
};
use kb_domain::{Parts, Postmortem, PostmortemInput, SearchHit, SearchQuery, SearchResponse};
use kb_investigate::{Known, Lesson, Occurrence, PastMatch, Report, Shown};

/// Past postmortems an investigation consults for matches and lessons.
pub const KNOWN_POSTMORTEMS: usize = 5;

/// Lessons quoted at most.
pub const KNOWN_LESSONS: usize = 5;

/// Where an accepted finding goes: the part of the record, and for a
/// hypothesis's evidence which hypothesis (from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    /// The part of the record.
    pub into: AcceptInto,
    /// The hypothesis, for evidence for or against.
    pub hypothesis: Option<usize>,
}

impl Services {
    /// The findings pasted evidence `text` gives, set against the team's
    /// `hypothesis` when one is given. Any text is evidence: what cannot be
    /// read as a log line is left out, never refused.
    pub async fn investigate_text(
        &self,
        ctx: &RequestContext,
        text: String,
        hypothesis: String,
    ) -> Result<Report, AppError> {
        let parts = pasted(text, hypothesis);
        let known = self.known(ctx, &parts, None, None).await?;
        let mut report = read(String::new(), String::new(), String::new(), parts, known).await?;
        // A paste is one source: its lines are numbered as pasted.
        for shown in &mut report.findings {
            for cited in &mut shown.finding.evidence {
                if cited.source.starts_with("Evidence 1") {
                    cited.source.clear();
                }
            }
        }
        Ok(report)
    }

    /// The Investigate panel of postmortem `id`: its record's findings,
    /// each with the decision taken on it, if any.
    pub async fn investigation(&self, ctx: &RequestContext, id: i64) -> Result<Report, AppError> {
        let pm = self.get(ctx, id).await?.ok_or(AppError::NotFound)?;
        self.investigation_of(ctx, &pm).await
    }

    /// [`investigation`](Self::investigation) of a loaded postmortem.
    pub async fn investigation_of(
        &self,
        ctx: &RequestContext,
        pm: &Postmortem,
    ) -> Result<Report, AppError> {
        Ok(self.similar_and_investigation(ctx, pm, 0).await?.1)
    }

    /// The `limit` postmortems most like `pm` (the page's similar panel,
    /// as [`similar`](Services::similar) gives them) and its Investigate
    /// panel, from one search: both ask the index the same question.
    pub async fn similar_and_investigation(
        &self,
        ctx: &RequestContext,
        pm: &Postmortem,
        limit: usize,
    ) -> Result<(Vec<SearchHit>, Report), AppError> {
        let symptoms = PostmortemInput::from(pm).symptom_text();
        let found = if symptoms.trim().is_empty() {
            None
        } else {
            let query = SearchQuery {
                text: symptoms,
                limit: limit.max(KNOWN_POSTMORTEMS),
                patterns: KNOWN_POSTMORTEMS,
                ..SearchQuery::default()
            };
            Some(
                self.answer_without(ctx, query, Some(pm.id))
                    .await?
                    .response(0.0),
            )
        };
        let similar = found
            .as_ref()
            .map(|f| f.incidents.iter().take(limit).cloned().collect())
            .unwrap_or_default();
        let known = self.known(ctx, &pm.parts, Some(pm), found).await?;
        let mut report = read(
            pm.title.clone(),
            pm.summary.clone(),
            pm.impact.clone(),
            pm.parts.clone(),
            known,
        )
        .await?;
        let decisions = self
            .store
            .finding_decisions(pm.id)
            .await
            .map_err(|e| internal("could not read the decisions on findings", e))?;
        for shown in &mut report.findings {
            shown.decision = decisions
                .iter()
                .rev()
                .find(|d| {
                    d.kind == shown.finding.kind.as_str() && d.statement == shown.finding.statement
                })
                .cloned();
        }
        Ok((similar, report))
    }

    /// Accepts finding (`kind`, `statement`) of postmortem `id` into
    /// `target` (a new revision on top of `expected_version`), or dismisses
    /// it (`target` none). The finding must be one the panel shows now.
    /// Returns the postmortem's version after it.
    pub async fn decide_finding(
        &self,
        ctx: &RequestContext,
        id: i64,
        expected_version: i64,
        kind: &str,
        statement: &str,
        target: Option<Target>,
    ) -> Result<i64, AppError> {
        let pm = self.get(ctx, id).await?.ok_or(AppError::NotFound)?;
        let report = self.investigation_of(ctx, &pm).await?;
        let shown = shown(&report, kind, statement, "reload the page")?;
        let mut version = pm.version;
        if let Some(target) = target {
            let mut input = PostmortemInput::from(&pm);
            if accept(&mut input.parts, &shown.finding, target, &ctx.actor())? {
                version = self
                    .update(
                        ctx,
                        id,
                        expected_version,
                        &input.validate()?,
                        "finding accepted",
                    )
                    .await?;
            }
        }
        self.store
            .decide_finding(
                id,
                kind,
                statement,
                target.map(|t| t.into.as_str()),
                &ctx.actor(),
            )
            .await
            .map_err(|e| internal("could not record the decision", e))?;
        tracing::info!(id, kind, accepted = target.is_some(), actor = %ctx.actor(), "finding decided");
        Ok(version)
    }

    /// Starts a draft postmortem titled `title` from pasted evidence: the
    /// paste as its evidence, the hypothesis, and finding (`kind`,
    /// `statement`) as the first level of its why-chain. Returns its id.
    pub async fn start_from_finding(
        &self,
        ctx: &RequestContext,
        title: String,
        text: String,
        hypothesis: String,
        kind: &str,
        statement: &str,
    ) -> Result<i64, AppError> {
        let report = self
            .investigate_text(ctx, text.clone(), hypothesis.clone())
            .await?;
        let shown = shown(&report, kind, statement, "investigate again")?;
        let mut input = PostmortemInput {
            title,
            parts: pasted(text, hypothesis),
            ..PostmortemInput::default()
        };
        let target = Target {
            into: AcceptInto::Why,
            hypothesis: None,
        };
        accept(&mut input.parts, &shown.finding, target, &ctx.actor())?;
        let id = self.create(ctx, input).await?;
        self.store
            .decide_finding(
                id,
                kind,
                statement,
                Some(target.into.as_str()),
                &ctx.actor(),
            )
            .await
            .map_err(|e| internal("could not record the decision", e))?;
        Ok(id)
    }

    /// What the knowledge base knows that bears on an investigation: the
    /// postmortems best matching its symptoms (`found`, the search already
    /// made; without it, the record's evidence and hypotheses are searched)
    /// other than `pm` itself, their diagnostic lessons, and `pm`'s linked
    /// earlier occurrences, oldest first. Only what the reader may see.
    async fn known(
        &self,
        ctx: &RequestContext,
        parts: &Parts,
        pm: Option<&Postmortem>,
        found: Option<SearchResponse>,
    ) -> Result<Known, AppError> {
        let found = match found {
            Some(found) => Some(found),
            None => {
                let text = search_text(parts);
                if text.trim().is_empty() {
                    None
                } else {
                    let query = SearchQuery {
                        text,
                        limit: KNOWN_POSTMORTEMS,
                        patterns: KNOWN_POSTMORTEMS,
                        ..SearchQuery::default()
                    };
                    Some(
                        self.answer_without(ctx, query, pm.map(|p| p.id))
                            .await?
                            .response(0.0),
                    )
                }
            }
        };
        let mut known = Known::default();
        if let Some(found) = found {
            // Postmortems the record already links are in it, not news.
            let linked = |id: i64| pm.is_some_and(|p| p.related.iter().any(|r| r.id == id));
            for hit in found
                .incidents
                .iter()
                .filter(|hit| !linked(hit.id))
                .take(KNOWN_POSTMORTEMS)
            {
                known.matches.push(PastMatch {
                    id: hit.id,
                    title: hit.title.clone(),
                    patterns: found
                        .patterns
                        .iter()
                        .filter(|p| p.seen_in.iter().any(|s| s.id == hit.id))
                        .map(|p| p.name.clone())
                        .collect(),
                    why: hit
                        .signals
                        .iter()
                        .map(|s| s.text.clone())
                        .collect::<Vec<_>>()
                        .join("; "),
                    fixed_by: hit.fix.clone(),
                });
            }
            let ids: Vec<i64> = known.matches.iter().map(|m| m.id).collect();
            known.lessons = self.lessons(ctx, &ids).await?;
        }
        if let Some(pm) = pm {
            for related in &pm.related {
                if !related.outgoing || related.kind != LinkKind::EarlierOccurrence.as_str() {
                    continue;
                }
                if let Some(earlier) = self.get(ctx, related.id).await? {
                    known.earlier.push(Occurrence {
                        id: earlier.id,
                        title: earlier.title.clone(),
                        date: earlier.date.clone(),
                        impact: earlier.impact.clone(),
                    });
                }
            }
            known.earlier.sort_by(|a, b| a.date.cmp(&b.date));
        }
        Ok(known)
    }

    /// The diagnostic lessons of past postmortems `ids`, best match first,
    /// at most [`KNOWN_LESSONS`].
    pub(crate) async fn lessons(
        &self,
        ctx: &RequestContext,
        ids: &[i64],
    ) -> Result<Vec<Lesson>, AppError> {
        let mut lessons = Vec::new();
        for &id in ids {
            let Some(pm) = self.get(ctx, id).await? else {
                continue;
            };
            let diagnostic = pm
                .parts
                .learnings
                .iter()
                .filter(|l| l.kind == LearningKind::Diagnostic.as_str());
            for lesson in diagnostic {
                lessons.push(Lesson {
                    title: lesson.title.clone(),
                    text: lesson.text.clone(),
                    postmortem_id: pm.id,
                    postmortem_title: pm.title.clone(),
                });
                if lessons.len() == KNOWN_LESSONS {
                    return Ok(lessons);
                }
            }
        }
        Ok(lessons)
    }
}

/// The finding (`kind`, `statement`) the panel shows now: a decision is
/// only taken on what a person saw, never on a statement sent alone.
fn shown<'a>(
    report: &'a Report,
    kind: &str,
    statement: &str,
    then: &str,
) -> Result<&'a Shown, AppError> {
    report
        .findings
        .iter()
        .find(|s| s.finding.kind.as_str() == kind && s.finding.statement == statement)
        .ok_or_else(|| {
            invalid(
                "finding",
                &format!("this finding is no longer shown; {then}"),
            )
        })
}

/// Reads a record off the async threads.
async fn read(
    title: String,
    summary: String,
    impact: String,
    parts: Parts,
    known: Known,
) -> Result<Report, AppError> {
    tokio::task::spawn_blocking(move || {
        kb_investigate::report(&title, &summary, &impact, &parts, &known)
    })
    .await
    .map_err(|e| internal("the investigation failed", e))
}

/// A paste read as a record: one evidence block and the team's hypothesis.
fn pasted(text: String, hypothesis: String) -> Parts {
    let mut parts = Parts {
        evidence: vec![Evidence {
            kind: EvidenceKind::Log.as_str().to_string(),
            caption: "Pasted evidence".to_string(),
            body: text,
        }],
        ..Parts::default()
    };
    if !hypothesis.trim().is_empty() {
        parts.hypotheses.push(Hypothesis {
            statement: hypothesis.trim().to_string(),
            outcome: HypothesisOutcome::Open.as_str().to_string(),
            ..Hypothesis::default()
        });
    }
    parts
}

/// The text a record's matches are searched by when it has no symptom
/// text of its own: its evidence and hypotheses.
fn search_text(parts: &Parts) -> String {
    let mut text = String::new();
    for evidence in &parts.evidence {
        text.push_str(&evidence.body);
        text.push('\n');
    }
    for hypothesis in &parts.hypotheses {
        text.push_str(&hypothesis.statement);
        text.push('\n');
    }
    text
}

/// Writes `finding` into `parts` at `target`; false when it is there
/// already (accepting twice adds nothing).
fn accept(
    parts: &mut Parts,
    finding: &kb_investigate::Finding,
    target: Target,
    actor: &str,
) -> Result<bool, AppError> {
    let statement = finding.statement.trim();
    match target.into {
        AcceptInto::EvidenceFor | AcceptInto::EvidenceAgainst => {
            let Some(hypothesis) = target.hypothesis.and_then(|n| parts.hypotheses.get_mut(n))
            else {
                return Err(invalid("hypothesis", "choose the hypothesis it speaks to"));
            };
            let field = if target.into == AcceptInto::EvidenceFor {
                &mut hypothesis.evidence_for
            } else {
                &mut hypothesis.evidence_against
            };
            if field.contains(statement) {
                return Ok(false);
            }
            if !field.trim().is_empty() {
                field.push('\n');
            }
            field.push_str(&format!("- {statement}"));
        }
        AcceptInto::Timeline => {
            if parts.timeline.iter().any(|e| e.text == statement) {
                return Ok(false);
            }
            parts.timeline.push(TimelineEntry {
                at: crate::service::actions::now_utc(),
                kind: TimelineKind::Observation.as_str().to_string(),
                text: statement.to_string(),
                who: format!("Investigate, accepted by {actor}"),
            });
        }
        AcceptInto::Why => {
            let (question, answer) = if statement.ends_with('?') {
                (statement.to_string(), String::new())
            } else {
                (
                    "What does the evidence show?".to_string(),
                    statement.to_string(),
                )
            };
            let question: String = question.chars().take(MAX_LINE).collect();
            if parts
                .whys
                .iter()
                .any(|w| w.question == question && w.answer == answer)
            {
                return Ok(false);
            }
            parts.whys.push(Why {
                question,
                answer,
                actionable: false,
            });
        }
        AcceptInto::Link => {
            let Some(target) = finding
                .evidence
                .iter()
                .find_map(|c| c.source.strip_prefix("Postmortem "))
            else {
                return Err(invalid(
                    "finding",
                    "only a finding about an earlier postmortem can become a link",
                ));
            };
            if parts.links.iter().any(|l| l.target == target) {
                return Ok(false);
            }
            parts.links.push(Link {
                target: target.to_string(),
                kind: LinkKind::EarlierOccurrence.as_str().to_string(),
                note: "Accepted from the Investigate panel.".to_string(),
            });
        }
    }
    Ok(true)
}

fn invalid(field: &str, message: &str) -> AppError {
    let mut errors = kb_domain::ValidationErrors::default();
    errors.push(field, message);
    AppError::Invalid(errors)
}
