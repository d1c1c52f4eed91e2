//! What alert senders and chat clients post, read into one shape.
//!
//! Owns the wire formats of the four intake sources (Prometheus
//! Alertmanager, Grafana Alerting, PagerDuty v3 webhooks and a generic JSON
//! in the shape of PagerDuty's Events API v2), the check of their
//! signatures, and the mapping from a payload to a [`Delivery`]: which
//! incident it belongs to (the group key), what the incident is called, its
//! severity, services and teams, and the distinct alert states it reports.
//! No database and no HTTP: the caller authenticates bearer secrets, stores
//! the delivery and searches with its text.
//!
//! - `alertmanager`: Alertmanager's webhook (`version` "4"); Grafana's is
//!   the same shape with more fields, read by the same code.
//! - `pagerduty`: v3 webhook events.
//! - `generic`: `summary`, `source`, `severity`, `dedup_key`, `action`.
//! - `signature`: HMAC-SHA256 checks (PagerDuty, Grafana).
//! - `labels`: title, services, teams and severity from labels and settings.
//! - `chat`: Slack's and Mattermost's slash commands, read into a
//!   [`chat::Command`]; Slack's signature is checked in `signature`.

#![warn(missing_docs)]

mod alertmanager;
pub mod chat;
mod generic;
mod labels;
mod pagerduty;
pub mod signature;

use kb_domain::Severity;

/// Largest payload accepted, in bytes; a bigger one is refused with 413
/// before it is read.
pub const MAX_PAYLOAD_BYTES: usize = 1024 * 1024;

/// Longest title an alert gives its incident, in characters.
pub const MAX_TITLE: usize = 200;

/// The kinds of alert source, each with its own endpoint
/// (`/api/v1/intake/{kind}/{integration}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// Prometheus Alertmanager's webhook receiver.
    Alertmanager,
    /// Grafana Alerting's webhook contact point.
    Grafana,
    /// PagerDuty v3 webhook subscriptions.
    Pagerduty,
    /// Any other sender, in the shape of PagerDuty's Events API v2.
    Generic,
}

impl Source {
    /// Every source, in the order the admin page offers them.
    pub const ALL: [Source; 4] = [
        Source::Alertmanager,
        Source::Grafana,
        Source::Pagerduty,
        Source::Generic,
    ];

    /// The name in URLs, the database and the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Alertmanager => "alertmanager",
            Source::Grafana => "grafana",
            Source::Pagerduty => "pagerduty",
            Source::Generic => "generic",
        }
    }

    /// The name people see.
    pub fn label(self) -> &'static str {
        match self {
            Source::Alertmanager => "Alertmanager",
            Source::Grafana => "Grafana",
            Source::Pagerduty => "PagerDuty",
            Source::Generic => "Generic webhook",
        }
    }

    /// Reads a name as written in a URL or on the command line.
    pub fn parse(text: &str) -> Option<Source> {
        Source::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// Whether the sender signs its payloads with a secret it issues (or is
    /// given), which Hindsight must keep to verify them. The others send a
    /// bearer secret, of which only the hash is kept.
    pub fn signs(self) -> bool {
        matches!(self, Source::Grafana | Source::Pagerduty)
    }
}

/// What an integration applies to every alert it receives; an
/// administrator's choice, stored with the integration.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Services every incident from this integration affects, added to
    /// those read from labels.
    pub services: Vec<String>,
    /// Teams likewise.
    pub teams: Vec<String>,
    /// Label names read for services, first found wins per alert.
    pub service_labels: Vec<String>,
    /// Label names read for teams.
    pub team_labels: Vec<String>,
    /// The label (or generic field) holding the sender's severity.
    pub severity_label: String,
    /// The sender's severity names (compared ignoring case) and the
    /// severity each becomes; an unlisted one leaves the severity empty
    /// for a person to set.
    pub severities: Vec<(String, Severity)>,
    /// How long after its incident was resolved a group that fires again
    /// reopens it; later, a new incident is opened, linked to the old one
    /// as an earlier occurrence.
    pub reopen_within_hours: u32,
}

impl Default for Settings {
    fn default() -> Self {
        let sev = |name: &str, s| (name.to_string(), s);
        Settings {
            services: Vec::new(),
            teams: Vec::new(),
            service_labels: ["service", "job", "app", "namespace"]
                .map(String::from)
                .to_vec(),
            team_labels: vec!["team".to_string()],
            severity_label: "severity".to_string(),
            severities: vec![
                sev("critical", Severity::Sev1),
                sev("page", Severity::Sev1),
                sev("p1", Severity::Sev1),
                sev("high", Severity::Sev2),
                sev("error", Severity::Sev2),
                sev("major", Severity::Sev2),
                sev("p2", Severity::Sev2),
                sev("warning", Severity::Sev3),
                sev("warn", Severity::Sev3),
                sev("medium", Severity::Sev3),
                sev("p3", Severity::Sev3),
                sev("info", Severity::Sev4),
                sev("low", Severity::Sev4),
                sev("minor", Severity::Sev4),
                sev("p4", Severity::Sev4),
                sev("p5", Severity::Sev4),
            ],
            reopen_within_hours: 24,
        }
    }
}

/// Reads one entry of a severity mapping, `VALUE=SEVn` (`disaster=SEV1`),
/// as the command line and the admin page take it.
pub fn parse_severity_mapping(text: &str) -> Result<(String, Severity), String> {
    let (value, severity) = text
        .split_once('=')
        .filter(|(value, _)| !value.trim().is_empty())
        .ok_or_else(|| format!("{text:?} is not VALUE=SEVn, such as disaster=SEV1"))?;
    let severity = severity.trim().parse().map_err(|e| format!("{e}"))?;
    Ok((value.trim().to_lowercase(), severity))
}

/// What a delivery says about its incident as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupState {
    /// Something is firing (a new or repeated trigger, a reopen).
    Firing,
    /// Everything in the group has resolved.
    Resolved,
    /// Neither: an acknowledgement, a note, a priority change.
    Unchanged,
}

/// One distinct alert state a delivery reports. The store keeps the last
/// `(state, at)` per `key` in a group: an event equal to it is a repeat and
/// changes nothing; a different one adds a timeline entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The alert's identity within its group: Alertmanager's fingerprint,
    /// PagerDuty's event id, the generic `dedup_key`.
    pub key: String,
    /// Its state as the sender names it (`firing`, `resolved`,
    /// `incident.acknowledged`, `trigger`...).
    pub state: String,
    /// When it happened, normalized to `YYYY-MM-DDTHH:MM:SSZ`, when the
    /// sender says.
    pub at: Option<String>,
    /// The timeline entry's text: what fired or changed, in one line.
    pub text: String,
    /// Who the timeline entry names: the sender, or the person acting in
    /// it (a PagerDuty agent).
    pub who: String,
}

/// A payload, read: everything the store needs to open or update the
/// incident it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// Which incident: Alertmanager/Grafana `groupKey`, the PagerDuty
    /// incident id, the generic `dedup_key`.
    pub group_key: String,
    /// A title for a new incident: the alert name and its summary.
    pub title: String,
    /// Mapped by [`Settings::severities`]; `None` when unknown.
    pub severity: Option<Severity>,
    /// From labels and [`Settings::services`], deduplicated, in order.
    pub services: Vec<String>,
    /// From labels and [`Settings::teams`].
    pub teams: Vec<String>,
    /// When the earliest alert started, normalized.
    pub started_at: Option<String>,
    /// Where the alert lives at the sender (`generatorURL`, `externalURL`,
    /// PagerDuty's `html_url`).
    pub source_url: Option<String>,
    /// What the delivery says about the incident as a whole.
    pub state: GroupState,
    /// The distinct alert states it reports, in payload order.
    pub events: Vec<Event>,
    /// What "seen before?" searches for: alert names, summaries,
    /// descriptions and the labels that describe the failure.
    pub search_text: String,
}

/// Why a payload was refused. Every variant is the sender's fault (400),
/// except [`IntakeError::Signature`] (401).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IntakeError {
    /// The body is not JSON, or not the shape this source sends; `field`
    /// names where (`alerts[0].labels`), empty when the whole body is wrong.
    #[error("{}{message}", if field.is_empty() { String::new() } else { format!("{field}: ") })]
    Malformed {
        /// Where in the payload, in the dotted path serde reports.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The signature is missing or does not match the body.
    #[error("{0}")]
    Signature(String),
}

/// Reads `body` as `source` sends it. `Ok(None)` is a payload that is
/// valid but says nothing Hindsight records (a PagerDuty event type it
/// does not know, a service event): accepted and ignored.
pub fn read(
    source: Source,
    body: &[u8],
    settings: &Settings,
) -> Result<Option<Delivery>, IntakeError> {
    match source {
        Source::Alertmanager | Source::Grafana => {
            alertmanager::read(source, body, settings).map(Some)
        }
        Source::Pagerduty => pagerduty::read(body, settings),
        Source::Generic => generic::read(body, settings).map(Some),
    }
}

/// Parses `body` as JSON into `T`, naming the field at fault.
fn parse_json<'a, T: serde::Deserialize<'a>>(body: &'a [u8]) -> Result<T, IntakeError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = e.path().to_string();
        let field = if field == "." { String::new() } else { field };
        IntakeError::Malformed {
            field,
            message: e.inner().to_string(),
        }
    })?;
    // `deserialize` stops after the first value: without this, anything
    // after it (a second object, a truncated retry) would pass unread.
    de.end().map_err(|e| IntakeError::Malformed {
        field: String::new(),
        message: e.to_string(),
    })?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_mappings_name_a_value_and_a_severity() {
        assert_eq!(
            parse_severity_mapping(" Disaster = sev1 "),
            Ok(("disaster".to_string(), Severity::Sev1))
        );
        assert!(parse_severity_mapping("disaster").is_err());
        assert!(parse_severity_mapping("=SEV1").is_err());
        assert!(parse_severity_mapping("disaster=SEV9").is_err());
    }
}
