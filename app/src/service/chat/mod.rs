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

use super::intake::{now_epoch, same_secret, timestamp};
use super::integrations::sha256_hex;
use super::{internal, Services};
use crate::access::Need;
use crate::context::RequestContext;
use crate::error::AppError;
use kb_db::{IntegrationSecret, NewChatRequest};
use kb_domain::accounts::Role;
use kb_domain::record::TimelineEntry;
use kb_domain::{PostmortemInput, SearchQuery};
use kb_intake::chat::{self, Client, Command, Item, Reply, Section, SlashRequest};
use kb_intake::signature::verify_slack;
use kb_intake::IntakeError;

mod status;

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
        let parsed = chat::parse(&request.text);
        let reader = self.reader(&integration).await?;
        let (mut reply, incident_id) = self
            .chat_answer(client, &reader, &request, &parsed.command)
            .await?;
        reply.in_channel = parsed.in_channel;
        self.store
            .record_chat_request(&NewChatRequest {
                integration_id: integration.id,
                team_id: &request.team_id,
                channel_id: &request.channel_id,
                channel_name: &request.channel_name,
                user_id: &request.user_id,
                user_name: &request.user_name,
                subcommand: subcommand(&parsed.command),
                incident_id,
            })
            .await
            .map_err(|e| internal("could not record the chat request", e))?;
        tracing::info!(
            integration = name,
            client = client.as_str(),
            subcommand = subcommand(&parsed.command),
            "chat command answered"
        );
        Ok(reply.to_json(client))
    }

    /// The newest `limit` slash commands answered, newest first.
    pub async fn chat_requests(&self, limit: i64) -> Result<Vec<kb_db::ChatRequest>, AppError> {
        self.store
            .chat_requests(limit)
            .await
            .map_err(|e| internal("could not read the chat requests", e))
    }

    /// The answer to `command`, as `reader` may see things, and the
    /// incident it was about.
    async fn chat_answer(
        &self,
        client: Client,
        reader: &RequestContext,
        request: &SlashRequest,
        command: &Command,
    ) -> Result<(Reply, Option<i64>), AppError> {
        match command {
            Command::Search(text) => Ok((self.chat_search(reader, text).await?, None)),
            Command::Help(problem) => Ok((chat::help(&request.command, problem.as_deref()), None)),
            Command::Status(id) => self.chat_status(reader, request, *id).await,
            Command::Note(id, text) => self.chat_note(client, reader, request, *id, text).await,
            other => Ok((
                chat::help(
                    &request.command,
                    Some(&format!(
                        "{} is not available in this version yet",
                        subcommand(other)
                    )),
                ),
                None,
            )),
        }
    }

    /// `status [#id]`: without an id, the ongoing incident this channel
    /// talked about last.
    async fn chat_status(
        &self,
        reader: &RequestContext,
        request: &SlashRequest,
        id: Option<i64>,
    ) -> Result<(Reply, Option<i64>), AppError> {
        let id = match id {
            Some(id) => Some(id),
            None => self.channel_incident(reader, request).await?,
        };
        let Some(id) = id else {
            return Ok((
                notice(
                    "No ongoing incident is known in this channel: ask with its id, such as status #12.",
                ),
                None,
            ));
        };
        match self.get(reader, id).await? {
            Some(pm) => Ok((
                status::status_reply(&pm, self.link_to(id), now_epoch()),
                Some(id),
            )),
            None => Ok((not_found(id), None)),
        }
    }

    /// The ongoing incident channel `request` talked about last, that
    /// `reader` may see.
    async fn channel_incident(
        &self,
        reader: &RequestContext,
        request: &SlashRequest,
    ) -> Result<Option<i64>, AppError> {
        let ids = self
            .store
            .channel_incidents(&request.team_id, &request.channel_id, 20)
            .await
            .map_err(|e| internal("could not read the channel's incidents", e))?;
        for id in ids {
            if self
                .get(reader, id)
                .await?
                .is_some_and(|pm| pm.is_ongoing())
            {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// `note #id <text>`: an observation on the incident's timeline, by
    /// the chat user, written as the integration's reader (who must be an
    /// editor). A save that lost a race with another is made again on top
    /// of it.
    async fn chat_note(
        &self,
        client: Client,
        reader: &RequestContext,
        request: &SlashRequest,
        id: i64,
        text: &str,
    ) -> Result<(Reply, Option<i64>), AppError> {
        for _ in 0..3 {
            let Some(pm) = self.get(reader, id).await? else {
                return Ok((not_found(id), None));
            };
            if !pm.is_ongoing() {
                return Ok((
                    notice(&format!(
                        "#{id} is not an ongoing incident: notes go on incidents whose clock runs."
                    )),
                    Some(id),
                ));
            }
            if crate::access::check(reader, Need::Role(Role::Editor)).is_err() {
                return Ok((
                    notice(
                        "This command answers as an account that may not write. An administrator \
                         can give its integration an editor account as its reader.",
                    ),
                    Some(id),
                ));
            }
            let mut input = PostmortemInput::from(&pm);
            input.parts.timeline.push(TimelineEntry {
                at: timestamp(now_epoch()),
                kind: "observation".into(),
                text: text.trim().to_string(),
                who: format!("{} ({})", request.user_name.trim(), client.as_str()),
            });
            let new = match input.validate() {
                Ok(new) => new,
                Err(errors) => {
                    let why: Vec<String> = errors.0.iter().map(|e| e.message.clone()).collect();
                    return Ok((
                        notice(&format!("The note was not added: {}", why.join("; "))),
                        Some(id),
                    ));
                }
            };
            match self
                .update(reader, id, pm.version, &new, "note added from chat")
                .await
            {
                Ok(_) => {
                    return Ok((
                        Reply {
                            headline: format!("Noted on #{id} {}.", pm.title),
                            sections: vec![Section {
                                title: None,
                                items: vec![Item {
                                    label: text.trim().to_string(),
                                    url: Some(self.link_to(id)),
                                    details: vec![],
                                }],
                            }],
                            in_channel: false,
                        },
                        Some(id),
                    ))
                }
                Err(AppError::Conflict(_)) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(AppError::Internal(
            "the incident kept changing while the note was added".into(),
        ))
    }

    /// `search <text>`: the top patterns and postmortems, ranked as the
    /// search page ranks them for this text and reader.
    async fn chat_search(&self, reader: &RequestContext, text: &str) -> Result<Reply, AppError> {
        let found = self
            .find(
                reader,
                SearchQuery {
                    text: text.to_string(),
                    limit: CHAT_POSTMORTEMS,
                    patterns: CHAT_PATTERNS,
                    ..SearchQuery::default()
                },
            )
            .await?;
        let patterns: Vec<Item> = found
            .patterns
            .into_iter()
            .take(CHAT_PATTERNS)
            .map(|p| Item {
                url: p.seen_in.first().map(|s| self.link_to(s.id)),
                label: p.name,
                details: details([("Root cause", p.root_cause), ("Resolved by", p.resolution)]),
            })
            .collect();
        let postmortems: Vec<Item> = found
            .incidents
            .into_iter()
            .take(CHAT_POSTMORTEMS)
            .map(|hit| {
                let mut label = hit.title.clone();
                let when: Vec<&str> = [hit.severity.as_deref(), hit.date.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect();
                if !when.is_empty() {
                    label = format!("{label} ({})", when.join(", "));
                }
                Item {
                    url: Some(self.link_to(hit.id)),
                    label,
                    details: details([("Root cause", hit.root_cause), ("Fixed by", hit.fix)]),
                }
            })
            .collect();
        let headline = match (patterns.len(), postmortems.len()) {
            (0, 0) => "Nothing like this has been written up before.".to_string(),
            (p, n) => format!(
                "Seen before? {n} past {} and {p} {} match.",
                if n == 1 { "incident" } else { "incidents" },
                if p == 1 { "pattern" } else { "patterns" }
            ),
        };
        let sections = [("Patterns", patterns), ("Past incidents", postmortems)]
            .into_iter()
            .filter(|(_, items)| !items.is_empty())
            .map(|(title, items)| Section {
                title: Some(title.to_string()),
                items,
            })
            .collect();
        Ok(Reply {
            headline,
            sections,
            in_channel: false,
        })
    }
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
