//! Slash commands from Slack and Mattermost: a request's way from the
//! chat client to its answer. Authenticate it (Slack's signature, or
//! Mattermost's command token), read the form and its subcommand
//! (`kb_intake::chat`), answer as the integration's reader, and record
//! who asked what from which channel.
//!
//! The reader decides what a channel may see: with none, public
//! postmortems only, exactly what a signed-out visitor of an open instance
//! sees; a private postmortem never reaches a channel through an account
//! that may not read it.

use super::intake::{now_epoch, same_secret};
use super::integrations::sha256_hex;
use super::{internal, Services};
use crate::context::RequestContext;
use crate::error::AppError;
use kb_db::{Integration, IntegrationSecret, NewChatRequest};
use kb_intake::chat::{self, Client, Command, Parsed, Reply, SlashRequest};
use kb_intake::signature::verify_slack;
use kb_intake::IntakeError;

mod incident;
mod late;
mod post;
mod search;
mod status;

pub use late::CHAT_DEADLINE;
pub use search::CHAT_LESSONS;

/// Postmortems a `search` answer lists.
pub const CHAT_POSTMORTEMS: usize = 5;
/// Patterns likewise.
pub const CHAT_PATTERNS: usize = 3;

/// What a chat request presents to prove where it comes from, as sent.
#[derive(Debug, Default, Clone)]
pub struct ChatCredentials {
    /// `X-Slack-Signature`.
    pub slack_signature: Option<String>,
    /// `X-Slack-Request-Timestamp`.
    pub slack_timestamp: Option<String>,
    /// `Authorization` (Mattermost: `Token <token>`).
    pub authorization: Option<String>,
}

impl Services {
    /// Answers one slash command for integration `name` of client `kind`:
    /// 404 for an unknown one, 403 disabled, 401 unauthenticated (nothing
    /// read, nothing written), 400 for a body that is no slash command
    /// form; otherwise the answer as the client's JSON.
    pub async fn chat(
        &self,
        kind: &str,
        name: &str,
        credentials: &ChatCredentials,
        body: &[u8],
    ) -> Result<serde_json::Value, AppError> {
        let client = Client::from_name(kind).ok_or(AppError::NotFound)?;
        let (integration, secret) = self.enabled_integration(client.as_str(), name).await?;
        // Slack signs the exact bytes: checked before they are read.
        if client == Client::Slack {
            let IntegrationSecret::Signing(signing) = &secret else {
                return Err(AppError::Internal(
                    "a Slack integration without a signing secret".into(),
                ));
            };
            verify_slack(
                signing,
                credentials.slack_signature.as_deref(),
                credentials.slack_timestamp.as_deref(),
                body,
                now_epoch(),
            )
            .map_err(|e| AppError::Unauthorized(e.to_string()))?;
        }
        let request = SlashRequest::read(body).map_err(|e| match e {
            IntakeError::Malformed { message, .. } => super::intake::field_error("body", message),
            other => AppError::Unauthorized(other.to_string()),
        })?;
        if client == Client::Mattermost {
            let IntegrationSecret::BearerHash(hash) = &secret else {
                return Err(AppError::Internal(
                    "a Mattermost integration without a token".into(),
                ));
            };
            let token =
                chat::mattermost_token(credentials.authorization.as_deref(), &request.token)
                    .ok_or_else(|| {
                        AppError::Unauthorized(
                        "no Mattermost command token (Authorization: Token ..., or the token field)"
                            .into(),
                    )
                    })?;
            if !same_secret(&sha256_hex(token), hash) {
                return Err(AppError::Unauthorized(
                    "the token is not this command's: check the token Mattermost shows for it"
                        .into(),
                ));
            }
        }
        let settings: ChatSettings = serde_json::from_str(&integration.settings)
            .map_err(|e| internal("the integration's settings are unreadable", e))?;
        let call = ChatCall {
            client,
            reader: self.reader(&integration).await?,
            parsed: chat::parse(&request.text),
            integration,
            server: settings.server,
            request,
        };
        match call.follow_up_url() {
            Some(url) => late::answer_in_time(self.clone(), call, url).await,
            None => Ok(self.answer_chat(&call).await?.to_json(client)),
        }
    }

    /// Answers `call` and records that it was answered.
    async fn answer_chat(&self, call: &ChatCall) -> Result<Reply, AppError> {
        let (mut reply, incident_id) = self.chat_answer(call).await?;
        reply.in_channel = call.parsed.in_channel;
        let request = &call.request;
        let subcommand = subcommand(&call.parsed.command);
        self.store
            .record_chat_request(&NewChatRequest {
                integration_id: call.integration.id,
                team_id: &request.team_id,
                channel_id: &request.channel_id,
                channel_name: &request.channel_name,
                user_id: &request.user_id,
                user_name: &request.user_name,
                subcommand,
                incident_id,
            })
            .await
            .map_err(|e| internal("could not record the chat request", e))?;
        tracing::info!(
            integration = call.integration.name,
            client = call.client.as_str(),
            subcommand,
            "chat command answered"
        );
        Ok(reply)
    }

    /// The slash commands answered, newest first, a page at a time
    /// before entry `before` (the audit log's second part).
    pub async fn chat_requests(
        &self,
        _ctx: &RequestContext,
        before: Option<i64>,
    ) -> Result<Vec<kb_domain::intake::ChatRequest>, AppError> {
        self.store
            .chat_requests(before, super::private::LOG_PAGE)
            .await
            .map_err(|e| internal("could not read the chat requests", e))
    }

    /// The answer to `call`'s command, as its reader may see things, and
    /// the incident it was about.
    async fn chat_answer(&self, call: &ChatCall) -> Result<(Reply, Option<i64>), AppError> {
        let reader = &call.reader;
        match &call.parsed.command {
            Command::Search(text) => Ok((self.chat_search(reader, text).await?, None)),
            Command::Analyze(subject) => self.chat_analyze(reader, subject).await,
            Command::Open(title) => self.chat_open(call, title).await,
            Command::Status(id) => self.chat_status(call, *id).await,
            Command::Note(id, text) => self.chat_note(call, *id, text).await,
            Command::Help(problem) => {
                Ok((chat::help(&call.request.command, problem.as_deref()), None))
            }
        }
    }
}

/// One authenticated slash command, ready to be answered.
#[derive(Debug, Clone)]
struct ChatCall {
    client: Client,
    integration: Integration,
    /// Mattermost's server, where late answers may go.
    server: Option<String>,
    /// Who the answer is for, as Hindsight sees it.
    reader: RequestContext,
    request: SlashRequest,
    parsed: Parsed,
}

impl ChatCall {
    /// The chat user as timeline entries name them: `alice (slack)`.
    fn who(&self) -> String {
        format!(
            "{} ({})",
            self.request.user_name.trim(),
            self.client.as_str()
        )
    }

    /// Where a late answer may be posted: the request's `response_url`
    /// when it is on the client's own host.
    fn follow_up_url(&self) -> Option<String> {
        let url = self.request.response_url.trim();
        chat::follow_up_allowed(self.client, url, self.server.as_deref()).then(|| url.to_string())
    }
}

/// A chat integration's settings.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ChatSettings {
    /// Mattermost's server address.
    server: Option<String>,
}

/// The named details that have text, in order.
fn details<const N: usize>(pairs: [(&str, String); N]) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

/// A one-line answer.
fn notice(text: &str) -> Reply {
    Reply {
        headline: text.to_string(),
        sections: vec![],
        in_channel: false,
    }
}

/// The answer for an id the chat account may not see or that does not
/// exist: the same words for both.
fn not_found(id: i64) -> Reply {
    notice(&format!("No incident #{id} is visible to this command."))
}

/// The subcommand's name, as the audit log keeps it.
fn subcommand(command: &Command) -> &'static str {
    match command {
        Command::Search(_) => "search",
        Command::Analyze(_) => "analyze",
        Command::Open(_) => "open",
        Command::Status(_) => "status",
        Command::Note(..) => "note",
        Command::Help(_) => "help",
    }
}
