//! Alertmanager's webhook payload (`version` "4") and Grafana Alerting's,
//! which is the same shape (`version` "1") with `orgId`, `title`, `state`,
//! `message` and per-alert `values`, `valueString` and URLs added. One
//! payload is one alert group: the group is the incident, each alert in
//! it an event keyed by its fingerprint.

use crate::labels::{
    cut, first_label, labels_key, malformed, map_severity, null_as_default, one_line, push_unique,
    required, utc_time, web_url, with_settings, SearchText, MAX_EVENT_TEXT,
};
use crate::{parse_json, Delivery, Event, GroupState, IntakeError, Settings, Source, MAX_TITLE};
use serde::Deserialize;
use std::collections::BTreeMap;

type Labels = BTreeMap<String, String>;

// Required fields are `Option`s checked by hand, so that a missing one is
// reported by its own path rather than as "missing field" on its parent.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Payload {
    group_key: Option<String>,
    status: Option<Status>,
    receiver: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    common_labels: Labels,
    #[serde(default, deserialize_with = "null_as_default")]
    common_annotations: Labels,
    #[serde(rename = "externalURL")]
    external_url: Option<String>,
    alerts: Option<Vec<Alert>>,
    /// Grafana: the rendered notification title and message.
    title: Option<String>,
    message: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Alert {
    status: Option<Status>,
    labels: Option<Labels>,
    #[serde(default, deserialize_with = "null_as_default")]
    annotations: Labels,
    starts_at: Option<String>,
    ends_at: Option<String>,
    #[serde(rename = "generatorURL")]
    generator_url: Option<String>,
    fingerprint: Option<String>,
    #[serde(rename = "panelURL")]
    panel_url: Option<String>,
    #[serde(rename = "dashboardURL")]
    dashboard_url: Option<String>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Status {
    Firing,
    Resolved,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Firing => "firing",
            Status::Resolved => "resolved",
        }
    }
}

/// An alert whose required fields are known to be there.
struct Checked<'a> {
    status: Status,
    labels: &'a Labels,
    alert: &'a Alert,
}

/// Reads an Alertmanager (or, with `source` Grafana, a Grafana) payload.
pub(crate) fn read(
    source: Source,
    body: &[u8],
    settings: &Settings,
) -> Result<Delivery, IntakeError> {
    let payload: Payload = parse_json(body)?;
    let group_key = required(payload.group_key.as_deref(), "groupKey")?.to_string();
    let status = payload
        .status
        .ok_or_else(|| malformed("status", "is required: firing or resolved"))?;
    let alerts = payload
        .alerts
        .as_deref()
        .ok_or_else(|| malformed("alerts", "is required"))?;
    if alerts.is_empty() {
        return Err(malformed("alerts", "at least one alert is needed"));
    }
    let mut checked = Vec::with_capacity(alerts.len());
    for (i, alert) in alerts.iter().enumerate() {
        let field = |name: &str| format!("alerts[{i}].{name}");
        let status = alert
            .status
            .ok_or_else(|| malformed(&field("status"), "is required: firing or resolved"))?;
        let labels = alert
            .labels
            .as_ref()
            .ok_or_else(|| malformed(&field("labels"), "is required"))?;
        checked.push(Checked {
            status,
            labels,
            alert,
        });
    }

    let receiver = payload
        .receiver
        .as_deref()
        .map(one_line)
        .unwrap_or_default();
    let who = if receiver.is_empty() {
        source.label().to_string()
    } else {
        format!("{} ({receiver})", source.label())
    };
    let message = payload.message.as_deref();
    let events = checked
        .iter()
        .map(|a| Event {
            key: match a.alert.fingerprint.as_deref().map(str::trim) {
                Some(fingerprint) if !fingerprint.is_empty() => fingerprint.to_string(),
                _ => labels_key(a.labels),
            },
            state: a.status.as_str().to_string(),
            at: match a.status {
                Status::Firing => a.alert.starts_at.as_deref(),
                Status::Resolved => a.alert.ends_at.as_deref(),
            }
            .and_then(utc_time),
            text: event_text(a, message, settings),
            who: who.clone(),
        })
        .collect();

    let mut services = Vec::new();
    let mut teams = Vec::new();
    for a in &checked {
        if let Some(service) = first_label(a.labels, &settings.service_labels) {
            push_unique(&mut services, service);
        }
        if let Some(team) = first_label(a.labels, &settings.team_labels) {
            push_unique(&mut teams, team);
        }
    }
    let first = checked[0].alert;
    // The generator links the rule that fired; the panel and dashboard
    // (Grafana) and Alertmanager itself are fallbacks.
    let source_url = [
        &first.generator_url,
        &first.panel_url,
        &first.dashboard_url,
        &payload.external_url,
    ]
    .into_iter()
    .find_map(|url| web_url(url.as_deref()));
    Ok(Delivery {
        group_key,
        title: title(&payload, &checked, &receiver, source),
        severity: severity(&payload.common_labels, &checked, settings),
        services: with_settings(services, &settings.services),
        teams: with_settings(teams, &settings.teams),
        started_at: checked
            .iter()
            .filter_map(|a| a.alert.starts_at.as_deref().and_then(utc_time))
            .min(),
        source_url,
        state: match status {
            Status::Firing => GroupState::Firing,
            Status::Resolved => GroupState::Resolved,
        },
        events,
        search_text: search_text(&checked, message, settings),
    })
}

fn alertname(labels: &Labels) -> Option<&str> {
    labels
        .get("alertname")
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
}

fn summary(annotations: &Labels) -> Option<&str> {
    ["summary", "description"].into_iter().find_map(|name| {
        annotations
            .get(name)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
    })
}

/// `PaymentTimeouts firing: <summary> (service=payment-service, ...)`.
fn event_text(a: &Checked, message: Option<&str>, settings: &Settings) -> String {
    let mut text = format!(
        "{} {}",
        alertname(a.labels).unwrap_or("Alert"),
        a.status.as_str()
    );
    if let Some(summary) = summary(&a.alert.annotations).or(message) {
        text.push_str(": ");
        text.push_str(summary);
    }
    // What tells this alert from its siblings: services first, then the
    // rest by name; the alert name, severity and team are said elsewhere.
    let skip = |name: &str| {
        name == "alertname"
            || name == settings.severity_label.trim()
            || settings.team_labels.iter().any(|t| t == name)
    };
    let mut names: Vec<&str> = settings
        .service_labels
        .iter()
        .map(String::as_str)
        .filter(|n| a.labels.contains_key(*n))
        .collect();
    for name in a.labels.keys() {
        if !names.contains(&name.as_str()) {
            names.push(name);
        }
    }
    let pairs: Vec<String> = names
        .into_iter()
        .filter(|n| !skip(n))
        .filter_map(|n| {
            let value = one_line(a.labels.get(n)?);
            (!value.is_empty()).then(|| format!("{n}={}", cut(&value, 64)))
        })
        .take(4)
        .collect();
    if !pairs.is_empty() {
        text.push_str(&format!(" ({})", pairs.join(", ")));
    }
    cut(&one_line(&text), MAX_EVENT_TEXT)
}

/// `PaymentTimeouts and 1 more: <summary>`, or the receiver when the
/// payload names nothing.
fn title(payload: &Payload, alerts: &[Checked], receiver: &str, source: Source) -> String {
    let mut names: Vec<&str> = Vec::new();
    for a in alerts {
        if let Some(name) = alertname(a.labels) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    let name = alertname(&payload.common_labels)
        .or(names.first().copied())
        .map(|name| match names.len() {
            0 | 1 => name.to_string(),
            n => format!("{name} and {} more", n - 1),
        });
    let line = |s: &str| Some(one_line(s)).filter(|s| !s.is_empty());
    let summary = payload
        .common_annotations
        .get("summary")
        .and_then(|s| line(s))
        .or_else(|| {
            alerts
                .iter()
                .find_map(|a| a.alert.annotations.get("summary").and_then(|s| line(s)))
        })
        .or_else(|| payload.title.as_deref().and_then(line));
    let title = match (name.as_deref().and_then(line), summary) {
        (Some(name), Some(summary)) => format!("{name}: {summary}"),
        (Some(name), None) => name,
        (None, Some(summary)) => summary,
        (None, None) if receiver.is_empty() => format!("Alert from {}", source.label()),
        (None, None) => format!("Alert from {receiver}"),
    };
    cut(&title, MAX_TITLE)
}

/// The common severity label when it maps, else the worst alert's.
fn severity(
    common: &Labels,
    alerts: &[Checked],
    settings: &Settings,
) -> Option<kb_domain::Severity> {
    let label = settings.severity_label.trim();
    let mapped = |labels: &Labels| labels.get(label).and_then(|v| map_severity(v, settings));
    // SEV1 orders first: the worst is the least.
    mapped(common).or_else(|| alerts.iter().filter_map(|a| mapped(a.labels)).min())
}

/// Alert names, annotations that are prose rather than links, the service
/// labels and Grafana's message.
fn search_text(alerts: &[Checked], message: Option<&str>, settings: &Settings) -> String {
    let mut text = SearchText::default();
    for a in alerts {
        if let Some(name) = alertname(a.labels) {
            text.push(name);
        }
        for value in a.alert.annotations.values() {
            if web_url(Some(value)).is_none() {
                text.push(value);
            }
        }
        for name in &settings.service_labels {
            if let Some(value) = a.labels.get(name) {
                text.push(value);
            }
        }
    }
    if let Some(message) = message {
        text.push(message);
    }
    text.finish()
}

#[cfg(test)]
mod tests;
