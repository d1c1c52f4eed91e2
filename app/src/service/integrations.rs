//! Integrations: the alert sources allowed to post to the intake, added
//! (with a secret shown once), listed, disabled and enabled again.

use super::accounts::hex;
use super::intake::field_error;
use super::{internal, Services};
use crate::context::RequestContext;
use crate::error::AppError;
use kb_db::{DbError, Integration, IntegrationSecret, NewIntegration};
use kb_intake::chat::Client;
use kb_intake::{Settings, Source};
use sha2::{Digest, Sha256};

/// An integration as added: the secret is in it this once.
#[derive(Debug, Clone)]
pub struct AddedIntegration {
    /// Its id.
    pub id: i64,
    /// The path senders post to.
    pub endpoint: String,
    /// The bearer secret to give the sender, when Hindsight made one.
    pub secret: Option<String>,
}

/// A new bearer secret: 256 random bits in hex, prefixed like API tokens
/// so a leaked one is recognisable.
fn new_secret() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| internal("no randomness for a secret", e))?;
    Ok(format!("hsi_{}", hex(&bytes)))
}

pub(crate) fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// An integration name fits in a URL path segment.
fn check_name(name: &str) -> Result<(), AppError> {
    let ok = (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(field_error(
            "name",
            "use 1 to 64 letters, digits, '-' or '_' (it is part of the endpoint's path)",
        ))
    }
}

impl Services {
    /// Adds an integration. `signing_secret` is the sender's (PagerDuty
    /// issues one, Grafana is given one); a bearer source gets a new
    /// secret, returned this once. `reader` names the account whose view
    /// "seen before?" searches with; without one, public postmortems only.
    pub async fn add_integration(
        &self,
        ctx: &RequestContext,
        kind: &str,
        name: &str,
        signing_secret: Option<String>,
        reader: Option<&str>,
        settings: &Settings,
    ) -> Result<AddedIntegration, AppError> {
        let source = Source::parse(kind).ok_or_else(|| {
            field_error(
                "kind",
                "choose one of alertmanager, grafana, pagerduty, generic",
            )
        })?;
        check_name(name)?;
        let (secret, shown) = match (source.signs(), signing_secret) {
            (true, Some(s)) if !s.trim().is_empty() => {
                (IntegrationSecret::Signing(s.trim().to_string()), None)
            }
            (true, _) => {
                return Err(field_error(
                    "secret",
                    format!(
                        "{} signs its webhooks: give the secret it uses",
                        source.label()
                    ),
                ))
            }
            (false, _) => {
                let secret = new_secret()?;
                (
                    IntegrationSecret::BearerHash(sha256_hex(&secret)),
                    Some(secret),
                )
            }
        };
        let reader_account_id = self.reader_account(reader).await?;
        let settings = serde_json::to_string(settings)
            .map_err(|e| internal("could not store the settings", e))?;
        let id = self
            .store_integration(NewIntegration {
                kind: source.as_str(),
                name,
                secret,
                settings: &settings,
                reader_account_id,
                created_by: &ctx.actor(),
            })
            .await?;
        Ok(AddedIntegration {
            id,
            endpoint: format!("/api/v1/intake/{}/{name}", source.as_str()),
            secret: shown,
        })
    }

    /// Adds a chat integration: a Slack app's signing secret (kept, to
    /// verify its requests) or a Mattermost command's token (kept as its
    /// SHA-256). `server`, for Mattermost, is the server's address, the
    /// only host a late answer is posted to. `reader` is the account the
    /// commands search and act as; without one, public postmortems only.
    pub async fn add_chat_integration(
        &self,
        ctx: &RequestContext,
        client: Client,
        name: &str,
        secret: &str,
        reader: Option<&str>,
        server: Option<&str>,
    ) -> Result<AddedIntegration, AppError> {
        check_name(name)?;
        let secret = secret.trim();
        if secret.is_empty() {
            return Err(field_error(
                "secret",
                match client {
                    Client::Slack => {
                        "give the Slack app's signing secret (Basic Information, App Credentials)"
                    }
                    Client::Mattermost => "give the token Mattermost shows for the slash command",
                },
            ));
        }
        let secret = match client {
            Client::Slack => IntegrationSecret::Signing(secret.to_string()),
            Client::Mattermost => IntegrationSecret::BearerHash(sha256_hex(secret)),
        };
        let server = server.map(str::trim).filter(|s| !s.is_empty());
        if let Some(server) = server {
            if client != Client::Mattermost || !kb_intake::chat::is_server_address(server) {
                return Err(field_error(
                    "server",
                    "a Mattermost server's address, such as https://chat.example.com",
                ));
            }
        }
        let reader_account_id = self.reader_account(reader).await?;
        let settings = serde_json::json!({ "server": server }).to_string();
        let id = self
            .store_integration(NewIntegration {
                kind: client.as_str(),
                name,
                secret,
                settings: &settings,
                reader_account_id,
                created_by: &ctx.actor(),
            })
            .await?;
        Ok(AddedIntegration {
            id,
            endpoint: format!("/api/v1/chat/{}/{name}", client.as_str()),
            secret: None,
        })
    }

    /// Stores `new` (a name in use is a field error) and logs who added
    /// what; never the secret.
    async fn store_integration(&self, new: NewIntegration<'_>) -> Result<i64, AppError> {
        let id = self
            .store
            .create_integration(&new)
            .await
            .map_err(|e| match e {
                DbError::IntegrationExists(_) => field_error("name", e.to_string()),
                other => internal("could not add the integration", other),
            })?;
        tracing::info!(
            id,
            kind = new.kind,
            name = new.name,
            actor = new.created_by,
            "integration added"
        );
        Ok(id)
    }

    /// The id of the enabled account `reader` names, if it names one.
    async fn reader_account(&self, reader: Option<&str>) -> Result<Option<i64>, AppError> {
        match reader.map(str::trim).filter(|r| !r.is_empty()) {
            None => Ok(None),
            Some(name) => match self.store.account_for_sign_in(name).await {
                Ok(Some(found)) if !found.disabled => Ok(Some(found.account.id)),
                Ok(_) => Err(field_error(
                    "reader",
                    format!("no enabled account named {name}"),
                )),
                Err(e) => Err(internal("could not look up the reader", e)),
            },
        }
    }

    /// Every integration, by name.
    pub async fn integrations(&self) -> Result<Vec<Integration>, AppError> {
        self.store
            .integrations()
            .await
            .map_err(|e| internal("could not list the integrations", e))
    }

    /// Turns an integration off (or on again): a disabled one answers 403.
    pub async fn set_integration_enabled(
        &self,
        ctx: &RequestContext,
        name: &str,
        enabled: bool,
    ) -> Result<(), AppError> {
        match self.store.set_integration_enabled(name, enabled).await {
            Ok(()) => {
                tracing::info!(name, enabled, actor = %ctx.actor(), "integration changed");
                Ok(())
            }
            Err(DbError::NotFound) => Err(AppError::NotFound),
            Err(e) => Err(internal("could not change the integration", e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fit_a_path_segment() {
        assert!(check_name("prod-alerts_1").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name("a/b").is_err());
        assert!(check_name(&"x".repeat(65)).is_err());
    }
}
