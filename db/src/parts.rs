//! The record's lists that have no identity of their own, one child table
//! each: timeline, evidence, hypotheses (with their confidence steps),
//! whys, root causes, mitigation attempts and learnings.
//!
//! A save replaces each list whole, in the author's order (`position`). A
//! read loads each table once for a whole page of postmortems and groups
//! the rows in Rust, so reading n postmortems costs the same number of
//! queries as reading one. [`Page::grouped`] is that step, shared with
//! [`crate::action_items`] and [`crate::links`].

use crate::sql;
use crate::Result;
use kb_domain::record::{
    Cause, ConfidenceStep, Evidence, Hypothesis, Learning, MitigationAttempt, Parts, TimelineEntry,
    Why,
};
use kb_domain::Postmortem;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Row};
use std::collections::HashMap;

/// Completes a child-table query: the rows of the page's postmortems (the
/// one bind is a JSON array of their ids), grouped by postmortem and in the
/// author's order.
macro_rules! of_page {
    ($select:expr) => {
        concat!(
            $select,
            " where postmortem_id in (select cast(value as bigint) from json_each(?))
              order by postmortem_id, position"
        )
    };
}
pub(crate) use of_page;

/// A page of postmortems being read: their rows, each child table filling
/// its part, and their ids as the JSON array the child queries select by.
pub(crate) struct Page<'a> {
    ids: String,
    /// The postmortems, in the page's order.
    pub(crate) postmortems: &'a mut [Postmortem],
}

impl<'a> Page<'a> {
    /// The page of `postmortems`.
    pub(crate) fn new(postmortems: &'a mut [Postmortem]) -> Result<Self> {
        let ids: Vec<i64> = postmortems.iter().map(|p| p.id).collect();
        Ok(Page {
            ids: serde_json::to_string(&ids)?,
            postmortems,
        })
    }

    /// The page's ids as a JSON array.
    pub(crate) fn ids(&self) -> &str {
        &self.ids
    }

    /// Runs `sql` with the page's ids and groups the mapped rows by their
    /// `postmortem_id` column, keeping the query's order within each group.
    pub(crate) async fn grouped<T>(
        &self,
        conn: &mut AnyConnection,
        sql: &'static str,
        map: impl Fn(&AnyRow) -> Result<T>,
    ) -> Result<HashMap<i64, Vec<T>>> {
        let rows = sql::query(sql)
            .bind(&self.ids)
            .fetch_all(&mut *conn)
            .await?;
        let mut out: HashMap<i64, Vec<T>> = HashMap::new();
        for r in &rows {
            out.entry(r.try_get("postmortem_id")?)
                .or_default()
                .push(map(r)?);
        }
        Ok(out)
    }
}

/// The rows grouped under `id`, or none.
pub(crate) fn take<T>(groups: &mut HashMap<i64, Vec<T>>, id: i64) -> Vec<T> {
    groups.remove(&id).unwrap_or_default()
}

/// Replaces every list of postmortem `id` with those of `parts`.
pub(crate) async fn write(conn: &mut AnyConnection, id: i64, parts: &Parts) -> Result<()> {
    // Confidence steps go with their hypothesis (on delete cascade).
    for clear in [
        "delete from timeline_entry where postmortem_id = ?",
        "delete from evidence where postmortem_id = ?",
        "delete from hypothesis where postmortem_id = ?",
        "delete from why_step where postmortem_id = ?",
        "delete from root_cause where postmortem_id = ?",
        "delete from mitigation_attempt where postmortem_id = ?",
        "delete from learning where postmortem_id = ?",
    ] {
        sql::query(clear).bind(id).execute(&mut *conn).await?;
    }

    insert_rows(
        conn,
        "insert into timeline_entry (postmortem_id, position, at, kind, text_md, who)
         values (?, ?, ?, ?, ?, ?)",
        id,
        &parts.timeline,
        |q, e| q.bind(&e.at).bind(&e.kind).bind(&e.text).bind(&e.who),
    )
    .await?;
    insert_rows(
        conn,
        "insert into evidence (postmortem_id, position, kind, caption, body)
         values (?, ?, ?, ?, ?)",
        id,
        &parts.evidence,
        |q, e| q.bind(&e.kind).bind(&e.caption).bind(&e.body),
    )
    .await?;

    for (pos, h) in positions(&parts.hypotheses) {
        let hypothesis_id: i64 = sql::query_scalar(
            "insert into hypothesis (postmortem_id, position, statement, evidence_for_md,
                                     evidence_against_md, outcome)
             values (?, ?, ?, ?, ?, ?) returning hypothesis_id",
        )
        .bind(id)
        .bind(pos)
        .bind(&h.statement)
        .bind(&h.evidence_for)
        .bind(&h.evidence_against)
        .bind(&h.outcome)
        .fetch_one(&mut *conn)
        .await?;
        insert_rows(
            conn,
            "insert into hypothesis_confidence (hypothesis_id, position, value, note, stated_by)
             values (?, ?, ?, ?, ?)",
            hypothesis_id,
            &h.confidence,
            |q, step| q.bind(step.value).bind(&step.note).bind(&step.by),
        )
        .await?;
    }

    insert_rows(
        conn,
        "insert into why_step (postmortem_id, position, question, answer, actionable)
         values (?, ?, ?, ?, ?)",
        id,
        &parts.whys,
        |q, w| {
            q.bind(&w.question)
                .bind(&w.answer)
                .bind(i64::from(w.actionable))
        },
    )
    .await?;
    insert_rows(
        conn,
        "insert into root_cause (postmortem_id, position, level, statement, confidence,
                                 evidence_md, prevents)
         values (?, ?, ?, ?, ?, ?, ?)",
        id,
        &parts.causes,
        |q, c| {
            q.bind(&c.level)
                .bind(&c.statement)
                .bind(c.confidence)
                .bind(&c.evidence)
                .bind(&c.prevents)
        },
    )
    .await?;
    insert_rows(
        conn,
        "insert into mitigation_attempt (postmortem_id, position, action, result, note_md)
         values (?, ?, ?, ?, ?)",
        id,
        &parts.mitigations,
        |q, m| q.bind(&m.action).bind(&m.result).bind(&m.note),
    )
    .await?;
    insert_rows(
        conn,
        "insert into learning (postmortem_id, position, kind, title, text_md, symptoms_md,
                               root_cause_md, detection_md, resolution_md)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        id,
        &parts.learnings,
        |q, l| {
            q.bind(&l.kind)
                .bind(&l.title)
                .bind(&l.text)
                .bind(&l.symptoms)
                .bind(&l.root_cause)
                .bind(&l.detection)
                .bind(&l.resolution)
        },
    )
    .await?;
    Ok(())
}

/// Fills these lists of every incident in the page (`ids`: their ids as a
/// JSON array).
pub(crate) async fn read(conn: &mut AnyConnection, page: &mut Page<'_>) -> Result<()> {
    let mut timeline = page
        .grouped(
            conn,
            of_page!("select postmortem_id, at, kind, text_md, who from timeline_entry"),
            |r| {
                Ok(TimelineEntry {
                    at: r.try_get("at")?,
                    kind: r.try_get("kind")?,
                    text: r.try_get("text_md")?,
                    who: r.try_get("who")?,
                })
            },
        )
        .await?;

    let mut evidence = page
        .grouped(
            conn,
            of_page!("select postmortem_id, kind, caption, body from evidence"),
            |r| {
                Ok(Evidence {
                    kind: r.try_get("kind")?,
                    caption: r.try_get("caption")?,
                    body: r.try_get("body")?,
                })
            },
        )
        .await?;

    let mut steps = confidence_steps(conn, page.ids()).await?;
    let mut hypotheses = page
        .grouped(
            conn,
            of_page!(
                "select postmortem_id, hypothesis_id, statement, evidence_for_md,
                    evidence_against_md, outcome
               from hypothesis"
            ),
            |r| Ok((r.try_get::<i64, _>("hypothesis_id")?, hypothesis(r)?)),
        )
        .await?;

    let mut whys = page
        .grouped(
            conn,
            of_page!("select postmortem_id, question, answer, actionable from why_step"),
            |r| {
                Ok(Why {
                    question: r.try_get("question")?,
                    answer: r.try_get("answer")?,
                    actionable: sql::flag(r, "actionable")?,
                })
            },
        )
        .await?;

    let mut causes = page
        .grouped(
            conn,
            of_page!(
                "select postmortem_id, level, statement, confidence, evidence_md, prevents
                 from root_cause"
            ),
            |r| {
                Ok(Cause {
                    level: r.try_get("level")?,
                    statement: r.try_get("statement")?,
                    confidence: r.try_get("confidence")?,
                    evidence: r.try_get("evidence_md")?,
                    prevents: r.try_get("prevents")?,
                })
            },
        )
        .await?;

    let mut mitigations = page
        .grouped(
            conn,
            of_page!("select postmortem_id, action, result, note_md from mitigation_attempt"),
            |r| {
                Ok(MitigationAttempt {
                    action: r.try_get("action")?,
                    result: r.try_get("result")?,
                    note: r.try_get("note_md")?,
                })
            },
        )
        .await?;

    let mut learnings = page
        .grouped(
            conn,
            of_page!(
                "select postmortem_id, kind, title, text_md, symptoms_md, root_cause_md,
                    detection_md, resolution_md
               from learning"
            ),
            |r| {
                Ok(Learning {
                    kind: r.try_get("kind")?,
                    title: r.try_get("title")?,
                    text: r.try_get("text_md")?,
                    symptoms: r.try_get("symptoms_md")?,
                    root_cause: r.try_get("root_cause_md")?,
                    detection: r.try_get("detection_md")?,
                    resolution: r.try_get("resolution_md")?,
                })
            },
        )
        .await?;

    for inc in page.postmortems.iter_mut() {
        let p = &mut inc.parts;
        p.timeline = take(&mut timeline, inc.id);
        p.evidence = take(&mut evidence, inc.id);
        p.hypotheses = take(&mut hypotheses, inc.id)
            .into_iter()
            .map(|(hypothesis_id, mut h)| {
                h.confidence = take(&mut steps, hypothesis_id);
                h
            })
            .collect();
        p.whys = take(&mut whys, inc.id);
        p.causes = take(&mut causes, inc.id);
        p.mitigations = take(&mut mitigations, inc.id);
        p.learnings = take(&mut learnings, inc.id);
    }
    Ok(())
}

/// The confidence steps of the page's hypotheses, by hypothesis id, oldest
/// first.
async fn confidence_steps(
    conn: &mut AnyConnection,
    ids: &str,
) -> Result<HashMap<i64, Vec<ConfidenceStep>>> {
    let rows = sql::query(
        "select c.hypothesis_id, c.value, c.note, c.stated_by
           from hypothesis_confidence c
           join hypothesis h on h.hypothesis_id = c.hypothesis_id
          where h.postmortem_id in (select cast(value as bigint) from json_each(?))
          order by c.hypothesis_id, c.position",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?;
    let mut out: HashMap<i64, Vec<ConfidenceStep>> = HashMap::new();
    for r in &rows {
        out.entry(r.try_get("hypothesis_id")?)
            .or_default()
            .push(ConfidenceStep {
                value: r.try_get("value")?,
                note: r.try_get("note")?,
                by: r.try_get("stated_by")?,
            });
    }
    Ok(out)
}

fn hypothesis(r: &AnyRow) -> Result<Hypothesis> {
    Ok(Hypothesis {
        statement: r.try_get("statement")?,
        confidence: Vec::new(),
        evidence_for: r.try_get("evidence_for_md")?,
        evidence_against: r.try_get("evidence_against_md")?,
        outcome: r.try_get("outcome")?,
    })
}

/// Rows with their `position` column value.
/// An insert of one child row, its parent and position bound.
pub(crate) type Insert = sqlx::query::Query<'static, Any, <Any as sqlx::Database>::Arguments>;

/// Inserts `rows`, in order, with `sql`: its first two parameters are the
/// parent (`parent`, a postmortem or a hypothesis) and the row's position;
/// `bind` adds the row's own values. Every list of the record is saved
/// this way, after its old rows are deleted.
pub(crate) async fn insert_rows<T>(
    conn: &mut AnyConnection,
    sql: &'static str,
    parent: i64,
    rows: &[T],
    bind: impl Fn(Insert, &T) -> Insert,
) -> Result<()> {
    for (position, row) in positions(rows) {
        bind(sql::query(sql).bind(parent).bind(position), row)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub(crate) fn positions<T>(rows: &[T]) -> impl Iterator<Item = (i64, &T)> {
    rows.iter().enumerate().map(|(i, row)| (i as i64, row))
}
