//! Alert intake: a delivery's way from an alert source to its incident: authenticate it, read it
//! (`kb_intake`), search for what it has been seen as before (as the
//! integration's reader), and apply it in one store transaction.
//!
//! Secrets: a bearer secret is shown once and kept as its SHA-256; a
//! signing secret (PagerDuty, Grafana) is kept to verify. Neither is ever
//! logged or shown again.

use super::integrations::sha256_hex;
use super::{internal, Services};
use crate::context::{Caller, RequestContext};
use crate::error::AppError;
use kb_db::{
    DbError, IntakeEvent, IntakeOutcome, IntakeState, IntakeWrite, Integration, IntegrationSecret,
};
use kb_domain::intake::Suggestion;
use kb_domain::record::{Evidence, TimelineEntry};
use kb_domain::{NewPostmortem, Parts, ValidationErrors};
use kb_intake::{Delivery, GroupState, IntakeError, Settings, Source};
use serde::Serialize;

/// Most past postmortems stored as suggestions on a new incident.
pub const SUGGESTED_POSTMORTEMS: usize = 5;
/// Most patterns likewise.
pub const SUGGESTED_PATTERNS: usize = 3;

/// What a delivery presents to prove where it comes from, as sent.
#[derive(Debug, Default, Clone)]
pub struct Credentials {
    /// `Authorization: Bearer ...`, without the scheme.
    pub bearer: Option<String>,
    /// `X-PagerDuty-Signature`.
    pub pagerduty_signature: Option<String>,
    /// Grafana's signature header.
    pub grafana_signature: Option<String>,
    /// Grafana's timestamp header, when it signs `timestamp:body`.
    pub grafana_timestamp: Option<String>,
}

/// The webhook's answer: `{"incident", "url", "created", "suggestions"}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntakeAnswer {
    /// The incident the delivery belongs to, if it has one.
    pub incident: Option<i64>,
    /// Its page.
    pub url: Option<String>,
    /// Whether this delivery opened it.
    pub created: bool,
    /// "Seen before?", for a new incident.
    pub suggestions: Vec<Suggestion>,
}

/// Equal strings, in time independent of where they differ.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub(crate) fn field_error(field: &str, message: impl Into<String>) -> AppError {
    let mut errors = ValidationErrors::default();
    errors.push(field, message);
    AppError::Invalid(errors)
}

/// Seconds since 1970, now.
pub fn now_epoch() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `YYYY-MM-DDTHH:MM:SSZ` of an epoch second.
pub fn timestamp(secs: i64) -> String {
    let (y, m, d) = kb_domain::calendar::civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

impl Services {
    /// Takes one delivery for integration `name` of `kind`: 404 for an
    /// unknown one, 403 disabled, 401 unauthenticated, 400 malformed;
    /// otherwise the incident it opened or added to.
    pub async fn intake(
        &self,
        kind: &str,
        name: &str,
        credentials: &Credentials,
        body: &[u8],
    ) -> Result<IntakeAnswer, AppError> {
        let source = Source::parse(kind).ok_or(AppError::NotFound)?;
        let (integration, secret) = self.enabled_integration(source.as_str(), name).await?;
        authenticate(source, &secret, credentials, body)?;
        let settings: Settings = serde_json::from_str(&integration.settings)
            .map_err(|e| internal("the integration's settings are unreadable", e))?;
        let delivery = match kb_intake::read(source, body, &settings) {
            Ok(Some(delivery)) => delivery,
            Ok(None) => {
                return Ok(IntakeAnswer {
                    incident: None,
                    url: None,
                    created: false,
                    suggestions: Vec::new(),
                })
            }
            Err(IntakeError::Malformed { field, message }) => {
                let field = if field.is_empty() {
                    "body".to_string()
                } else {
                    field
                };
                return Err(field_error(&field, message));
            }
            Err(e @ IntakeError::Signature(_)) => {
                return Err(AppError::Unauthorized(e.to_string()))
            }
        };
        let now = timestamp(now_epoch());
        let write = self.intake_write(source, &integration, &settings, &delivery, body, now);
        let (outcome, mut suggestions) = self
            .apply_with_suggestions(&integration, write, &delivery.search_text)
            .await?;
        let (incident, created) = match outcome {
            IntakeOutcome::Opened { id, .. } => (Some(id), true),
            IntakeOutcome::Updated { id, .. } => (Some(id), false),
            IntakeOutcome::Unchanged { id } => (id, false),
            IntakeOutcome::NeedsSuggestions => {
                return Err(AppError::Internal("the alert could not be applied".into()))
            }
        };
        if !created {
            suggestions.clear();
        }
        if matches!(
            outcome,
            IntakeOutcome::Opened { .. } | IntakeOutcome::Updated { .. }
        ) {
            tracing::info!(?outcome, integration = name, "alert applied");
            // The answer does not wait for the index; the follower would
            // catch up within a second anyway.
            let services = self.clone();
            tokio::spawn(async move { services.reindex_after_write().await });
        }
        Ok(IntakeAnswer {
            incident,
            url: incident.map(|id| self.link_to(id)),
            created,
            suggestions,
        })
    }

    /// Applies `write`, with the "seen before?" suggestions for
    /// `search_text` when it opens an incident (searched only then).
    /// Returns what it did and the suggestions stored.
    pub(crate) async fn apply_with_suggestions(
        &self,
        integration: &Integration,
        mut write: IntakeWrite,
        search_text: &str,
    ) -> Result<(IntakeOutcome, Vec<Suggestion>), AppError> {
        let mut suggestions = Vec::new();
        if self.may_open(&write).await? {
            suggestions = self.seen_before(integration, search_text).await?;
            write.suggestions = Some(suggestions.clone());
        }
        let mut outcome = self.apply(&write).await?;
        if outcome == IntakeOutcome::NeedsSuggestions {
            // The group changed between the look and the write (another
            // delivery of it resolved or removed its incident).
            suggestions = self.seen_before(integration, search_text).await?;
            write.suggestions = Some(suggestions.clone());
            outcome = self.apply(&write).await?;
        }
        Ok((outcome, suggestions))
    }

    /// Integration `name` of `kind` with its secret, for a request that
    /// names it: 404 when there is none, 403 when it is disabled.
    pub(crate) async fn enabled_integration(
        &self,
        kind: &str,
        name: &str,
    ) -> Result<(Integration, IntegrationSecret), AppError> {
        let (integration, secret) = self
            .store
            .integration_for_intake(kind, name)
            .await
            .map_err(|e| internal("could not look up the integration", e))?
            .ok_or(AppError::NotFound)?;
        if !integration.enabled {
            return Err(AppError::Forbidden(format!(
                "the integration {name} is disabled"
            )));
        }
        Ok((integration, secret))
    }

    /// The address of postmortem `id`'s page: absolute behind a public URL.
    pub fn link_to(&self, id: i64) -> String {
        let base = self
            .public_url
            .as_deref()
            .unwrap_or("")
            .trim_end_matches('/');
        format!("{base}/incidents/{id}")
    }

    async fn apply(&self, write: &IntakeWrite) -> Result<IntakeOutcome, AppError> {
        self.store.apply_intake(write).await.map_err(|e| match e {
            DbError::Invalid { field, message } => field_error(&field, message),
            other => internal("could not store the alert", other),
        })
    }

    /// Whether this delivery would open an incident: worth a search.
    async fn may_open(&self, write: &IntakeWrite) -> Result<bool, AppError> {
        let group = self
            .store
            .group_incident(write.integration_id, &write.group_key)
            .await
            .map_err(|e| internal("could not look up the alert group", e))?;
        Ok(kb_db::opens_incident(group.as_ref(), write))
    }

    /// "Seen before?": the best postmortems and patterns for the alert's
    /// text, as the integration's reader sees them.
    async fn seen_before(
        &self,
        integration: &Integration,
        text: &str,
    ) -> Result<Vec<Suggestion>, AppError> {
        let reader = self.reader(integration).await?;
        let query = kb_domain::SearchQuery {
            text: text.to_string(),
            limit: SUGGESTED_POSTMORTEMS,
            patterns: SUGGESTED_PATTERNS,
            ..kb_domain::SearchQuery::default()
        };
        let found = self.find(&reader, query).await?;
        let patterns = found.patterns.into_iter().filter_map(|p| {
            let source = p.seen_in.first()?;
            Some(Suggestion {
                position: 0,
                target_id: source.id,
                title: source.title.clone(),
                pattern: Some(p.name),
                score: f64::from(p.score),
                matched: p.matched.join(", "),
                root_cause: p.root_cause,
                fix: p.resolution,
                state: "open".into(),
            })
        });
        let incidents = found.incidents.into_iter().map(|hit| Suggestion {
            position: 0,
            target_id: hit.id,
            matched: hit.match_line(),
            title: hit.title,
            pattern: None,
            score: f64::from(hit.score),
            root_cause: hit.root_cause,
            fix: hit.fix,
            state: "open".into(),
        });
        let mut all: Vec<Suggestion> = patterns
            .take(SUGGESTED_PATTERNS)
            .chain(incidents.take(SUGGESTED_POSTMORTEMS))
            .collect();
        for (position, s) in all.iter_mut().enumerate() {
            s.position = position as i64;
        }
        Ok(all)
    }

    /// The integration's reader as a caller: its account, or someone who
    /// sees public postmortems only.
    pub(crate) async fn reader(
        &self,
        integration: &Integration,
    ) -> Result<RequestContext, AppError> {
        let account = match &integration.reader {
            Some(name) => self
                .store
                .account_for_sign_in(name)
                .await
                .map_err(|e| internal("could not look up the reader", e))?
                .filter(|a| !a.disabled)
                .map(|a| a.account),
            None => None,
        };
        Ok(RequestContext {
            caller: account.map_or(Caller::Anonymous, Caller::User),
            name: None,
            by_token: false,
        })
    }

    /// The store's instructions for a delivery.
    fn intake_write(
        &self,
        source: Source,
        integration: &Integration,
        settings: &Settings,
        delivery: &Delivery,
        body: &[u8],
        now: String,
    ) -> IntakeWrite {
        let author = format!("{}:{}", source.as_str(), integration.name);
        let events = delivery
            .events
            .iter()
            .map(|e| IntakeEvent {
                key: e.key.clone(),
                state: e.state.clone(),
                at: e.at.clone(),
                entry: TimelineEntry {
                    at: e.at.clone().unwrap_or_else(|| now.clone()),
                    kind: "alert".into(),
                    text: e.text.clone(),
                    who: e.who.clone(),
                },
            })
            .collect();
        let opening = NewPostmortem {
            title: delivery.title.clone(),
            severity: delivery.severity,
            date: Some(now[..10].to_string()),
            services: delivery.services.clone(),
            url: delivery.source_url.clone(),
            summary: String::new(),
            parts: Parts {
                status: "draft".into(),
                teams: delivery.teams.clone(),
                started_at: delivery.started_at.clone().or_else(|| Some(now.clone())),
                detected_at: Some(now.clone()),
                ..Parts::default()
            },
            ..NewPostmortem::default()
        };
        IntakeWrite {
            integration_id: integration.id,
            group_key: delivery.group_key.clone(),
            reopen_within_secs: i64::from(settings.reopen_within_hours) * 3600,
            state: match delivery.state {
                GroupState::Firing => IntakeState::Firing,
                GroupState::Resolved => IntakeState::Resolved,
                GroupState::Unchanged => IntakeState::Unchanged,
            },
            events,
            evidence: Some(payload_evidence(source, body, &now)),
            opening,
            suggestions: None,
            author,
            now,
        }
    }
}

/// Checks the delivery's secret or signature against the integration's.
fn authenticate(
    source: Source,
    secret: &IntegrationSecret,
    credentials: &Credentials,
    body: &[u8],
) -> Result<(), AppError> {
    let refused = |why: &str| Err(AppError::Unauthorized(why.to_string()));
    match (source, secret) {
        (_, IntegrationSecret::BearerHash(hash)) => match &credentials.bearer {
            Some(bearer) if same_secret(&sha256_hex(bearer.trim()), hash) => Ok(()),
            Some(_) => refused("the bearer secret is wrong"),
            None => {
                refused("an Authorization: Bearer header with the integration's secret is needed")
            }
        },
        (Source::Pagerduty, IntegrationSecret::Signing(secret)) => {
            kb_intake::signature::verify_pagerduty(
                secret,
                credentials.pagerduty_signature.as_deref(),
                body,
            )
            .map_err(|e| AppError::Unauthorized(e.to_string()))
        }
        (_, IntegrationSecret::Signing(secret)) => {
            if credentials.grafana_signature.is_none() {
                // Grafana can send the secret as a bearer credential instead.
                return match &credentials.bearer {
                    Some(bearer) if same_secret(bearer.trim(), secret) => Ok(()),
                    _ => refused("a signature (or the secret as a bearer credential) is needed"),
                };
            }
            kb_intake::signature::verify_grafana(
                secret,
                credentials.grafana_signature.as_deref(),
                credentials.grafana_timestamp.as_deref(),
                body,
                now_epoch(),
            )
            .map_err(|e| AppError::Unauthorized(e.to_string()))
        }
    }
}

/// The payload as evidence, verbatim (cut only past the record's limit).
fn payload_evidence(source: Source, body: &[u8], now: &str) -> Evidence {
    let text = String::from_utf8_lossy(body);
    let max = kb_domain::postmortem::MAX_TEXT;
    let (body, caption) = match text.char_indices().nth(max) {
        Some((cut, _)) => (
            text[..cut].to_string(),
            format!(
                "{} payload received {now} (first {max} characters of {} bytes)",
                source.label(),
                body.len()
            ),
        ),
        None => (
            text.into_owned(),
            format!("{} payload received {now}", source.label()),
        ),
    };
    Evidence {
        kind: "alert".into(),
        caption,
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_seconds() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(1_707_562_815), "2024-02-10T11:00:15Z");
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}
