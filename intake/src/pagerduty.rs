//! PagerDuty v3 webhook events: `{"event": {id, event_type, resource_type,
//! occurred_at, agent, client, data}}`, one event per delivery. The
//! incident events PagerDuty documents become deliveries for the incident
//! they concern; anything else (service events, `pagey.ping`, types added
//! later) is valid but says nothing to record.
//!
//! `data` is the incident itself for most types; for notes
//! (`incident.annotated`), responder requests and status updates it is that
//! object, and the incident is the reference in `data.incident`.

use crate::labels::{
    cut, malformed, map_severity, null_as_default, one_line, push_unique, required, utc_time,
    web_url, with_settings, SearchText, MAX_EVENT_TEXT,
};
use crate::{parse_json, Delivery, Event, GroupState, IntakeError, Settings, MAX_TITLE};
use serde::Deserialize;

/// The incident event types of PagerDuty's v3 webhook documentation.
const INCIDENT_EVENTS: [&str; 13] = [
    "incident.acknowledged",
    "incident.annotated",
    "incident.delegated",
    "incident.escalated",
    "incident.priority_updated",
    "incident.reassigned",
    "incident.reopened",
    "incident.resolved",
    "incident.responder.added",
    "incident.responder.replied",
    "incident.status_update_published",
    "incident.triggered",
    "incident.unacknowledged",
];

#[derive(Deserialize)]
struct Envelope {
    event: Option<Outbound>,
}

#[derive(Deserialize)]
struct Outbound {
    id: Option<String>,
    event_type: Option<String>,
    resource_type: Option<String>,
    occurred_at: Option<String>,
    agent: Option<Reference>,
    // Its shape depends on the event type: read only once the type is known.
    #[serde(default)]
    data: serde_json::Value,
}

/// PagerDuty's references (`user_reference`, `service_reference`...).
#[derive(Deserialize)]
struct Reference {
    id: Option<String>,
    summary: Option<String>,
    html_url: Option<String>,
}

#[derive(Deserialize)]
struct Data {
    id: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    number: Option<u64>,
    title: Option<String>,
    html_url: Option<String>,
    created_at: Option<String>,
    urgency: Option<String>,
    service: Option<Reference>,
    #[serde(default, deserialize_with = "null_as_default")]
    teams: Vec<Reference>,
    priority: Option<Reference>,
    /// The incident a note, responder request or status update is about.
    incident: Option<Reference>,
    /// A note's text.
    content: Option<String>,
    /// A status update's or responder request's text.
    message: Option<String>,
    /// The responder asked.
    user: Option<Reference>,
}

/// Reads a v3 webhook event; `Ok(None)` for events not about an incident.
pub(crate) fn read(body: &[u8], settings: &Settings) -> Result<Option<Delivery>, IntakeError> {
    let envelope: Envelope = parse_json(body)?;
    let event = envelope
        .event
        .ok_or_else(|| malformed("event", "is required: PagerDuty v3 webhooks send one event"))?;
    let event_id = required(event.id.as_deref(), "event.id")?.to_string();
    let kind = required(event.event_type.as_deref(), "event.event_type")?;
    let resource = event.resource_type.as_deref().map(str::trim);
    if resource.is_some_and(|r| r != "incident") || !INCIDENT_EVENTS.contains(&kind) {
        return Ok(None);
    }
    if event.data.is_null() {
        return Err(malformed("event.data", "is required for incident events"));
    }
    let data: Data = serde_path_to_error::deserialize(event.data).map_err(|e| {
        let path = e.path().to_string();
        IntakeError::Malformed {
            field: if path == "." {
                "event.data".to_string()
            } else {
                format!("event.data.{path}")
            },
            message: e.inner().to_string(),
        }
    })?;

    let reference = data
        .incident
        .as_ref()
        .filter(|_| data.kind.as_deref() != Some("incident"));
    let group_key = match reference {
        Some(incident) => required(incident.id.as_deref(), "event.data.incident.id")?,
        None => required(data.id.as_deref(), "event.data.id")?,
    }
    .to_string();
    let number = data
        .number
        .map_or_else(|| group_key.clone(), |n| format!("#{n}"));
    let named = |r: &Option<Reference>| {
        r.as_ref()
            .and_then(|r| r.summary.as_deref())
            .map(one_line)
            .filter(|s| !s.is_empty())
    };
    let title = data
        .title
        .as_deref()
        .or(reference.and_then(|r| r.summary.as_deref()))
        .map(one_line)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| format!("PagerDuty incident {number}"));
    let agent = named(&event.agent);

    let mut teams = Vec::new();
    for team in &data.teams {
        push_unique(&mut teams, team.summary.as_deref().unwrap_or_default());
    }
    let service = named(&data.service);
    let mut search = SearchText::default();
    search.push(&title);
    for text in [
        service.as_deref(),
        data.content.as_deref(),
        data.message.as_deref(),
    ] {
        search.push(text.unwrap_or_default());
    }
    Ok(Some(Delivery {
        title: cut(&title, MAX_TITLE),
        // A priority is the responders' own judgement; urgency is the
        // service's default, so it only stands in.
        severity: named(&data.priority)
            .and_then(|p| map_severity(&p, settings))
            .or_else(|| map_severity(data.urgency.as_deref()?, settings)),
        services: with_settings(service.into_iter().collect(), &settings.services),
        teams: with_settings(teams, &settings.teams),
        started_at: data.created_at.as_deref().and_then(utc_time),
        source_url: web_url(reference.and_then(|r| r.html_url.as_deref()))
            .or_else(|| web_url(data.html_url.as_deref())),
        state: match kind {
            "incident.triggered" | "incident.reopened" => GroupState::Firing,
            "incident.resolved" => GroupState::Resolved,
            _ => GroupState::Unchanged,
        },
        events: vec![Event {
            key: event_id,
            state: kind.to_string(),
            at: event.occurred_at.as_deref().and_then(utc_time),
            text: event_text(kind, &data, &number, &title, agent.as_deref()),
            who: agent.unwrap_or_else(|| "PagerDuty".to_string()),
        }],
        search_text: search.finish(),
        group_key,
    }))
}

/// `Incident #1024 triggered: <title>`, `... acknowledged by <agent>`.
fn event_text(kind: &str, data: &Data, number: &str, title: &str, agent: Option<&str>) -> String {
    let incident = format!("Incident {number}");
    let by = agent.map(|a| format!(" by {a}")).unwrap_or_default();
    let said = |text: &Option<String>| text.as_deref().map(one_line).filter(|t| !t.is_empty());
    let text = match kind {
        "incident.triggered" => format!("{incident} triggered: {title}"),
        "incident.annotated" => match said(&data.content) {
            Some(note) => format!("Note on incident {number}{by}: {note}"),
            None => format!("{incident} annotated{by}"),
        },
        "incident.status_update_published" => match said(&data.message) {
            Some(update) => format!("Status update on incident {number}{by}: {update}"),
            None => format!("{incident} status update published{by}"),
        },
        "incident.priority_updated" => {
            match data.priority.as_ref().and_then(|p| said(&p.summary)) {
                Some(priority) => format!("{incident} priority set to {priority}{by}"),
                None => format!("{incident} priority removed{by}"),
            }
        }
        "incident.responder.added" | "incident.responder.replied" => {
            let verb = if kind.ends_with("added") {
                "responder requested"
            } else {
                "responder replied"
            };
            match data.user.as_ref().and_then(|u| said(&u.summary)) {
                Some(user) => format!("{incident} {verb}: {user}{by}"),
                None => format!("{incident} {verb}{by}"),
            }
        }
        _ => {
            let verb = kind
                .trim_start_matches("incident.")
                .replace(['_', '.'], " ");
            format!("{incident} {verb}{by}")
        }
    };
    cut(&one_line(&text), MAX_EVENT_TEXT)
}

#[cfg(test)]
mod tests;
