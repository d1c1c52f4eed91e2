//! The generic JSON any sender can post, in the shape of PagerDuty's
//! Events API v2 so existing senders fit: flat (`summary`, `source`,
//! `severity`, `dedup_key`, `action`...) or nested as the Events API sends
//! it (`event_action`, `dedup_key` and `links` at the top, the rest in
//! `payload`, `details` as `custom_details`). The `dedup_key` is the
//! incident; each delivery is one event of it.

use crate::labels::{
    cut, malformed, map_severity, one_line, required, utc_time, web_url, with_settings, SearchText,
    MAX_EVENT_TEXT,
};
use crate::{parse_json, Delivery, Event, GroupState, IntakeError, Settings, Source, MAX_TITLE};
use serde::Deserialize;
use serde_json::Value;

/// The fields both shapes share.
struct Fields {
    summary: Option<String>,
    source: Option<String>,
    severity: Option<String>,
    timestamp: Option<String>,
    component: Option<String>,
    group: Option<String>,
    class: Option<String>,
}

// Written out twice rather than `#[serde(flatten)]`, which buffers the
// fields and loses the path of a wrong type.
#[derive(Deserialize)]
struct Generic {
    summary: Option<String>,
    source: Option<String>,
    severity: Option<String>,
    timestamp: Option<String>,
    component: Option<String>,
    group: Option<String>,
    class: Option<String>,
    dedup_key: Option<String>,
    action: Option<String>,
    details: Option<Value>,
    links: Option<Vec<Link>>,
    // The Events API v2 envelope.
    event_action: Option<String>,
    payload: Option<Payload>,
    client: Option<String>,
    client_url: Option<String>,
}

#[derive(Deserialize)]
struct Payload {
    summary: Option<String>,
    source: Option<String>,
    severity: Option<String>,
    timestamp: Option<String>,
    component: Option<String>,
    group: Option<String>,
    class: Option<String>,
    custom_details: Option<Value>,
}

#[derive(Deserialize)]
struct Link {
    href: Option<String>,
}

/// The severities of the Events API.
const SEVERITIES: [&str; 4] = ["critical", "error", "warning", "info"];

/// Reads a generic (or Events API v2) event.
pub(crate) fn read(body: &[u8], settings: &Settings) -> Result<Delivery, IntakeError> {
    let event: Generic = parse_json(body)?;
    let nested = event.payload.is_some();
    // Errors name fields as the sender wrote them: `payload.severity` in
    // the Events API shape.
    let field = |name: &str| {
        if nested {
            format!("payload.{name}")
        } else {
            name.to_string()
        }
    };
    let (fields, details) = match event.payload {
        Some(p) => {
            let fields = Fields {
                summary: p.summary,
                source: p.source,
                severity: p.severity,
                timestamp: p.timestamp,
                component: p.component,
                group: p.group,
                class: p.class,
            };
            (fields, p.custom_details)
        }
        None => {
            let fields = Fields {
                summary: event.summary,
                source: event.source,
                severity: event.severity,
                timestamp: event.timestamp,
                component: event.component,
                group: event.group,
                class: event.class,
            };
            (fields, event.details)
        }
    };
    let dedup_key = required(event.dedup_key.as_deref(), "dedup_key")?.to_string();
    let (action_field, action) = match (&event.event_action, &event.action) {
        (Some(a), _) => ("event_action", a.as_str()),
        (None, Some(a)) => ("action", a.as_str()),
        (None, None) => ("action", "trigger"),
    };
    let action = action.trim().to_ascii_lowercase();
    let state = match action.as_str() {
        "trigger" => GroupState::Firing,
        "acknowledge" => GroupState::Unchanged,
        "resolve" => GroupState::Resolved,
        _ => {
            return Err(malformed(
                action_field,
                "must be trigger, acknowledge or resolve",
            ))
        }
    };
    let text = |value: &Option<String>| value.as_deref().map(one_line).filter(|v| !v.is_empty());
    let summary = text(&fields.summary);
    if summary.is_none() && state == GroupState::Firing {
        return Err(malformed(&field("summary"), "is required to trigger"));
    }
    let sent_severity = match text(&fields.severity) {
        Some(s) if SEVERITIES.contains(&s.to_ascii_lowercase().as_str()) => Some(s),
        Some(_) => {
            return Err(malformed(
                &field("severity"),
                "must be critical, error, warning or info",
            ))
        }
        None => None,
    };
    let at = match text(&fields.timestamp) {
        Some(t) => Some(utc_time(&t).ok_or_else(|| {
            malformed(
                &field("timestamp"),
                "must be an RFC 3339 time, e.g. 2026-03-10T14:06:45Z",
            )
        })?),
        None => None,
    };

    // The integration may name a detail holding its own severity scale.
    let label = settings.severity_label.trim();
    let custom = details
        .as_ref()
        .filter(|_| label != "severity")
        .and_then(|d| d.get(label)?.as_str());
    let severity = custom
        .and_then(|s| map_severity(s, settings))
        .or_else(|| map_severity(sent_severity.as_deref()?, settings));

    let source = text(&fields.source);
    let title = summary
        .clone()
        .unwrap_or_else(|| format!("Alert {}", one_line(&dedup_key)));
    let verb = match state {
        GroupState::Firing => "Triggered",
        GroupState::Unchanged => "Acknowledged",
        GroupState::Resolved => "Resolved",
    };
    let mut line = format!("{verb}: {title}");
    if let Some(source) = &source {
        line.push_str(&format!(" (source: {source})"));
    }
    let mut search = SearchText::default();
    for value in [
        &summary,
        &source,
        &text(&fields.component),
        &text(&fields.group),
        &text(&fields.class),
    ] {
        search.push(value.as_deref().unwrap_or_default());
    }
    if let Some(details) = &details {
        push_details(&mut search, None, details);
    }
    let first_link = event
        .links
        .iter()
        .flatten()
        .find_map(|l| web_url(l.href.as_deref()));
    Ok(Delivery {
        title: cut(&title, MAX_TITLE),
        severity,
        services: with_settings(
            text(&fields.component).into_iter().collect(),
            &settings.services,
        ),
        teams: with_settings(text(&fields.group).into_iter().collect(), &settings.teams),
        started_at: at.clone().filter(|_| state == GroupState::Firing),
        source_url: first_link.or_else(|| web_url(event.client_url.as_deref())),
        state,
        events: vec![Event {
            key: dedup_key.clone(),
            state: action,
            at,
            text: cut(&line, MAX_EVENT_TEXT),
            who: text(&event.client).unwrap_or_else(|| Source::Generic.label().to_string()),
        }],
        search_text: search.finish(),
        group_key: dedup_key,
    })
}

/// `details` as `key: value` lines, nested keys dotted, so a search finds
/// the words of any value.
fn push_details(search: &mut SearchText, key: Option<&str>, value: &Value) {
    match value {
        Value::Object(map) => {
            for (name, inner) in map {
                let path = key.map_or_else(|| name.clone(), |k| format!("{k}.{name}"));
                push_details(search, Some(&path), inner);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| push_details(search, key, item)),
        Value::Null => {}
        Value::String(s) => search.push(&label_value(key, s)),
        other => search.push(&label_value(key, &other.to_string())),
    }
}

fn label_value(key: Option<&str>, value: &str) -> String {
    key.map_or_else(|| value.to_string(), |k| format!("{k}: {value}"))
}

#[cfg(test)]
mod tests;
