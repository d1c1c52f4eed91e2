//! Alerts into incidents: a delivery opens, updates, resolves or reopens
//! the incident its group belongs to, in one transaction with its
//! timeline entries, evidence, suggestions and change-log entry.
//!
//! The caller reads the payload and builds an [`IntakeWrite`]; this module
//! decides, under the write lock, what it does to the stored incident:
//! which of its alert states are new (a repeat changes nothing), whether
//! the group has an incident, and whether a resolved one reopens or a new
//! one is opened.

use crate::postmortem::{self, log_change, record_revision, Filter};
use crate::sql;
use crate::{ChangeOp, Result, Store};
use kb_domain::intake::Suggestion;
use kb_domain::record::{epoch_seconds, sort_timeline, Evidence, Link, TimelineEntry};
use kb_domain::NewPostmortem;
use sqlx::{AnyConnection, Row};

/// Most timeline entries alerts add to one incident: a storm leaves room
/// for the people writing it up (the record holds 500).
pub const MAX_ALERT_ENTRIES: usize = 400;
/// Most payloads kept as evidence on one incident.
pub const MAX_ALERT_EVIDENCE: usize = 50;

/// What a delivery says about its incident as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntakeState {
    /// Something fires.
    Firing,
    /// Everything resolved.
    Resolved,
    /// Neither (an acknowledgement, a note).
    Unchanged,
}

/// One alert state of a delivery, with the timeline entry it adds when new.
#[derive(Debug, Clone, PartialEq)]
pub struct IntakeEvent {
    /// The alert's identity in its group.
    pub key: String,
    /// Its state as the sender names it.
    pub state: String,
    /// When, as the sender says.
    pub at: Option<String>,
    /// The entry added when this state is new.
    pub entry: TimelineEntry,
}

/// Everything one delivery may write.
#[derive(Debug, Clone)]
pub struct IntakeWrite {
    /// The integration it came through.
    pub integration_id: i64,
    /// Its alert group.
    pub group_key: String,
    /// When it arrived, `YYYY-MM-DDTHH:MM:SSZ`.
    pub now: String,
    /// How long after resolving a firing group reopens its incident.
    pub reopen_within_secs: i64,
    /// What it says about the incident.
    pub state: IntakeState,
    /// Its alert states.
    pub events: Vec<IntakeEvent>,
    /// The payload, kept verbatim when the delivery changes anything
    /// (a chat command's form is not kept: it may hold a token).
    pub evidence: Option<Evidence>,
    /// What a new incident starts as: header, clock, source link.
    pub opening: NewPostmortem,
    /// The matches for a new incident, best first (their own positions
    /// and states are ignored); `None` when not searched yet.
    pub suggestions: Option<Vec<Suggestion>>,
    /// The revision's author (`alertmanager:prod`).
    pub author: String,
}

/// What a delivery did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntakeOutcome {
    /// A new incident; `earlier` is the resolved one it recurs after.
    Opened {
        /// The new postmortem.
        id: i64,
        /// Its change-log entry.
        seq: i64,
        /// The group's earlier incident, linked as an earlier occurrence.
        earlier: Option<i64>,
    },
    /// The group's incident gained entries, resolved or reopened.
    Updated {
        /// The postmortem.
        id: i64,
        /// Its change-log entry.
        seq: i64,
    },
    /// Nothing new: a repeat, a redelivery, or a resolution of a group
    /// without an incident.
    Unchanged {
        /// The group's incident, if it has one.
        id: Option<i64>,
    },
    /// The delivery opens an incident and carried no suggestions: search,
    /// then send it again with them.
    NeedsSuggestions,
}

/// Where a group stands, for deciding before the write whether to search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupIncident {
    /// The group's incident.
    pub postmortem_id: i64,
    /// When it resolved, if it has.
    pub resolved_at: Option<String>,
}

impl Store {
    /// The incident of `group_key` of an integration, if there is one.
    pub async fn group_incident(
        &self,
        integration_id: i64,
        group_key: &str,
    ) -> Result<Option<GroupIncident>> {
        let mut conn = self.pool.acquire().await?;
        group_incident(&mut conn, integration_id, group_key).await
    }

    /// Applies a delivery: one transaction for the incident, its entries,
    /// evidence, alert states, suggestions and change-log entry.
    pub async fn apply_intake(&self, write: &IntakeWrite) -> Result<IntakeOutcome> {
        let mut tx = self.write().await?;
        let group = group_incident(&mut tx, write.integration_id, &write.group_key).await?;
        let fresh = fresh_events(&mut tx, write).await?;
        let outcome = match group {
            Some(g) if !reopens_as_new(&g, write) => {
                if fresh.is_empty() && !changes_clock(&g, write.state) {
                    return Ok(IntakeOutcome::Unchanged {
                        id: Some(g.postmortem_id),
                    });
                }
                let seq = update(&mut tx, g.postmortem_id, write, &fresh).await?;
                IntakeOutcome::Updated {
                    id: g.postmortem_id,
                    seq,
                }
            }
            earlier => {
                if write.state == IntakeState::Resolved || fresh.is_empty() {
                    // Nothing fires: no incident to open.
                    return Ok(IntakeOutcome::Unchanged {
                        id: earlier.map(|g| g.postmortem_id),
                    });
                }
                let Some(suggestions) = &write.suggestions else {
                    return Ok(IntakeOutcome::NeedsSuggestions);
                };
                let earlier = earlier.map(|g| g.postmortem_id);
                let (id, seq) = open(&mut tx, write, earlier, suggestions).await?;
                IntakeOutcome::Opened { id, seq, earlier }
            }
        };
        remember_states(&mut tx, write).await?;
        tx.commit().await?;
        Ok(outcome)
    }
}

async fn group_incident(
    conn: &mut AnyConnection,
    integration_id: i64,
    group_key: &str,
) -> Result<Option<GroupIncident>> {
    let row = sql::query(
        "select g.postmortem_id, p.resolved_at from intake_group g
           join postmortem p on p.postmortem_id = g.postmortem_id
          where g.integration_id = ? and g.group_key = ?",
    )
    .bind(integration_id)
    .bind(group_key)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(GroupIncident {
            postmortem_id: r.try_get("postmortem_id")?,
            resolved_at: r.try_get("resolved_at")?,
        })
    })
    .transpose()
}

/// Whether `write` opens an incident for a group that has `group`: a
/// group without one, unless nothing fires. The caller searches for
/// suggestions only then; [`Store::apply_intake`] decides the same way.
pub fn opens_incident(group: Option<&GroupIncident>, write: &IntakeWrite) -> bool {
    match group {
        None => write.state != IntakeState::Resolved,
        Some(group) => reopens_as_new(group, write),
    }
}

/// A resolved incident whose group fires again after the reopen window
/// gets a successor instead of being reopened.
fn reopens_as_new(group: &GroupIncident, write: &IntakeWrite) -> bool {
    let (Some(resolved), IntakeState::Firing) = (&group.resolved_at, write.state) else {
        return false;
    };
    match (epoch_seconds(resolved), epoch_seconds(&write.now)) {
        (Some(resolved), Some(now)) => now - resolved > write.reopen_within_secs,
        _ => false,
    }
}

/// Whether the delivery moves the incident's clock even without new alert
/// states: a resolution of an unresolved incident, a firing of a resolved one.
fn changes_clock(group: &GroupIncident, state: IntakeState) -> bool {
    match state {
        IntakeState::Resolved => group.resolved_at.is_none(),
        IntakeState::Firing => group.resolved_at.is_some(),
        IntakeState::Unchanged => false,
    }
}

/// The delivery's events whose state differs from the last one stored for
/// their alert (and from each other: a payload may repeat an alert).
async fn fresh_events<'w>(
    conn: &mut AnyConnection,
    write: &'w IntakeWrite,
) -> Result<Vec<&'w IntakeEvent>> {
    let rows = sql::query(
        "select alert_key, state, at from intake_alert
          where integration_id = ? and group_key = ?",
    )
    .bind(write.integration_id)
    .bind(&write.group_key)
    .fetch_all(&mut *conn)
    .await?;
    let mut seen = std::collections::HashMap::new();
    for r in &rows {
        let key: String = r.try_get("alert_key")?;
        let state: String = r.try_get("state")?;
        let at: Option<String> = r.try_get("at")?;
        seen.insert(key, (state, at));
    }
    let mut fresh = Vec::new();
    for event in &write.events {
        let now = (event.state.clone(), event.at.clone());
        if seen.get(&event.key) != Some(&now) {
            seen.insert(event.key.clone(), now);
            fresh.push(event);
        }
    }
    Ok(fresh)
}

async fn remember_states(conn: &mut AnyConnection, write: &IntakeWrite) -> Result<()> {
    for event in &write.events {
        sql::query(
            "insert into intake_alert (integration_id, group_key, alert_key, state, at)
             values (?, ?, ?, ?, ?)
             on conflict (integration_id, group_key, alert_key)
             do update set state = excluded.state, at = excluded.at",
        )
        .bind(write.integration_id)
        .bind(&write.group_key)
        .bind(&event.key)
        .bind(&event.state)
        .bind(&event.at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Adds the fresh entries and the payload to the record and moves its
/// clock; one new revision.
async fn update(
    conn: &mut AnyConnection,
    id: i64,
    write: &IntakeWrite,
    fresh: &[&IntakeEvent],
) -> Result<i64> {
    let current = postmortem::load(conn, Filter::Id(id))
        .await?
        .pop()
        .ok_or(crate::DbError::NotFound)?;
    let mut record = current.content();
    let parts = &mut record.parts;
    let reopened = write.state == IntakeState::Firing && parts.resolved_at.is_some();
    if reopened {
        parts.resolved_at = None;
        parts.timeline.push(TimelineEntry {
            at: write.now.clone(),
            kind: "alert".into(),
            text: "Reopened: the alert group fired again.".into(),
            who: write.author.clone(),
        });
    }
    if write.state == IntakeState::Resolved && parts.resolved_at.is_none() {
        let mut at = resolved_at(write, fresh);
        // A sender's end time before the start or the detection (a clock
        // off, an end set by hand, a resolution sent before the firing
        // arrived) would break the clock validation keeps: the arrival it
        // is, and never before a time already on the record.
        let floor = [&parts.started_at, &parts.detected_at, &parts.mitigated_at]
            .into_iter()
            .flatten()
            .filter_map(|t| epoch_seconds(t).map(|s| (s, t)))
            .max();
        if let Some((floor, text)) = floor {
            if epoch_seconds(&at).is_none_or(|a| a < floor) {
                at = if epoch_seconds(&write.now).is_some_and(|n| n >= floor) {
                    write.now.clone()
                } else {
                    text.clone()
                };
            }
        }
        parts.mitigated_at.get_or_insert_with(|| at.clone());
        parts.resolved_at = Some(at);
    }
    add_alerts(&mut record, write, fresh);
    postmortem::update(conn, id, &record, &write.author).await?;
    record_revision(conn, id, current.version + 1, &write.author, &record).await?;
    log_change(conn, id, ChangeOp::Upsert).await
}

/// The latest time a resolution says, else the arrival.
fn resolved_at(write: &IntakeWrite, fresh: &[&IntakeEvent]) -> String {
    fresh
        .iter()
        .filter_map(|e| e.at.clone())
        .max()
        .unwrap_or_else(|| write.now.clone())
}

/// Appends the fresh events' entries and the payload, within the caps.
fn add_alerts(record: &mut NewPostmortem, write: &IntakeWrite, fresh: &[&IntakeEvent]) {
    if fresh.is_empty() {
        return;
    }
    let parts = &mut record.parts;
    let alert_entries = parts.timeline.iter().filter(|e| e.kind == "alert").count();
    let room = MAX_ALERT_ENTRIES.saturating_sub(alert_entries);
    parts
        .timeline
        .extend(fresh.iter().take(room).map(|e| e.entry.clone()));
    sort_timeline(&mut parts.timeline, parts.started_at.as_deref());
    let kept = parts.evidence.iter().filter(|e| e.kind == "alert").count();
    if let Some(evidence) = write
        .evidence
        .as_ref()
        .filter(|_| kept < MAX_ALERT_EVIDENCE)
    {
        parts.evidence.push(evidence.clone());
    }
}

/// Opens the group's incident (a successor of `earlier`, if given) with
/// its suggestions.
async fn open(
    conn: &mut AnyConnection,
    write: &IntakeWrite,
    earlier: Option<i64>,
    suggestions: &[Suggestion],
) -> Result<(i64, i64)> {
    let mut record = write.opening.clone();
    let fresh: Vec<&IntakeEvent> = write.events.iter().collect();
    add_alerts(&mut record, write, &fresh);
    if let Some(earlier) = earlier {
        record.parts.links.push(Link {
            target: format!("#{earlier}"),
            kind: "earlier_occurrence".into(),
            note: "The same alert group, resolved before this one fired.".into(),
        });
        // The old incident's alert states belong to it; this one starts
        // from the delivery that opened it.
        sql::query("delete from intake_alert where integration_id = ? and group_key = ?")
            .bind(write.integration_id)
            .bind(&write.group_key)
            .execute(&mut *conn)
            .await?;
    }
    let (id, stored) = postmortem::insert(conn, &record, &write.author).await?;
    record_revision(conn, id, 1, &write.author, &stored).await?;
    sql::query(
        "insert into intake_group (integration_id, group_key, postmortem_id, opened_at)
         values (?, ?, ?, ?)
         on conflict (integration_id, group_key)
         do update set postmortem_id = excluded.postmortem_id, opened_at = excluded.opened_at",
    )
    .bind(write.integration_id)
    .bind(&write.group_key)
    .bind(id)
    .bind(&write.now)
    .execute(&mut *conn)
    .await?;
    // Their positions are their order here, whatever they say.
    for (position, s) in suggestions.iter().enumerate() {
        sql::query(
            "insert into suggestion
                 (postmortem_id, position, target_id, pattern, score, matched, root_cause, fix)
             values (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(position as i64)
        .bind(s.target_id)
        .bind(&s.pattern)
        .bind(s.score)
        .bind(&s.matched)
        .bind(&s.root_cause)
        .bind(&s.fix)
        .execute(&mut *conn)
        .await?;
    }
    let seq = log_change(conn, id, ChangeOp::Upsert).await?;
    Ok((id, seq))
}
