//! What alerts leave for people to see: the "seen before?" suggestions
//! stored on an incident an alert opened, and the ongoing incidents the
//! home page lists above the rest.

use serde::{Deserialize, Serialize};

/// A past postmortem (or one of its patterns) the search matched when an
/// alert opened this incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// Its place in the list, best first; names it in accept and dismiss.
    pub position: i64,
    /// The past postmortem.
    pub target_id: i64,
    /// Its title now.
    pub title: String,
    /// The pattern's name, when the match was one of its patterns.
    pub pattern: Option<String>,
    /// The search score.
    pub score: f64,
    /// The words the alert and the target share.
    pub matched: String,
    /// The target's root cause, as the search gave it.
    pub root_cause: String,
    /// What fixed it.
    pub fix: String,
    /// `open`, `accepted` (now an earlier-occurrence link) or `dismissed`.
    pub state: String,
}

/// An incident whose clock runs: started, not resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OngoingIncident {
    /// The postmortem.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// SEV1–SEV4, if known.
    pub severity: Option<crate::Severity>,
    /// When it started, `YYYY-MM-DDTHH:MM:SSZ`.
    pub started_at: String,
    /// The integration that opened it (`alertmanager:prod`), if an alert did.
    pub source: Option<String>,
    /// The best open suggestion's title and id, if any.
    pub best_match: Option<(i64, String)>,
}

/// A slash command answered, as the audit log shows it: never its text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatRequest {
    /// Its place in the log, for paging.
    pub id: i64,
    /// When, RFC 3339 UTC.
    pub at: String,
    /// The integration's client (`slack`, `mattermost`).
    pub client: String,
    /// The integration's name.
    pub integration: String,
    /// The channel's id.
    pub channel_id: String,
    /// Its name, when the client sent it.
    pub channel_name: String,
    /// The chat user's id.
    pub user_id: String,
    /// The chat user's name.
    pub user_name: String,
    /// `search`, `analyze`, `open`, `status`, `note` or `help`.
    pub subcommand: String,
    /// The incident it was about, if any.
    pub incident_id: Option<i64>,
}

/// An integration as the admin page lists it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationRow {
    /// Its name.
    pub name: String,
    /// `alertmanager`, `grafana`, `pagerduty` or `generic`.
    pub kind: String,
    /// The path senders post to.
    pub endpoint: String,
    /// Whether it accepts deliveries.
    pub enabled: bool,
    /// Whose view "seen before?" searches with; `None`: public only.
    pub reader: Option<String>,
    /// Default services and teams, comma-separated.
    pub defaults: String,
    /// Incidents it has opened.
    pub incidents: i64,
    /// Who added it, and when.
    pub added: String,
}

/// The answer to adding an integration: the secret is in it this once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum IntegrationAdded {
    /// Added: the endpoint, and the bearer secret when Hindsight made one.
    Added {
        /// The path senders post to.
        endpoint: String,
        /// The secret to configure in the sender.
        secret: Option<String>,
    },
    /// Refused for these fields; nothing was added.
    Refused(crate::ValidationErrors),
}
