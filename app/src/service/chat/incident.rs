//! The subcommands about one incident: `open` one from the channel,
//! `status` of one, `note` on one's timeline. Writing needs the
//! integration's reader to be an editor; an incident the reader may not
//! see is answered exactly like one that does not exist.

use super::status::status_reply;
use super::{details, internal, not_found, notice, ChatCall};
use crate::access::Need;
use crate::context::RequestContext;
use crate::error::AppError;
use crate::service::intake::{now_epoch, timestamp};
use crate::service::Services;
use kb_db::{IntakeEvent, IntakeOutcome, IntakeState, IntakeWrite};
use kb_domain::accounts::Role;
use kb_domain::record::TimelineEntry;
use kb_domain::{NewPostmortem, Parts, PostmortemInput};
use kb_intake::chat::{self, Item, Reply, Section, SlashRequest};

impl Services {
    /// `status [#id]`: without an id, the ongoing incident this channel
    /// talked about last.
    pub(super) async fn chat_status(
        &self,
        call: &ChatCall,
        id: Option<i64>,
    ) -> Result<(Reply, Option<i64>), AppError> {
        let reader = &call.reader;
        let id = match id {
            Some(id) => Some(id),
            None => self.channel_incident(reader, &call.request).await?,
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
            Some(pm) => Ok((status_reply(&pm, self.link_to(id), now_epoch()), Some(id))),
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
    pub(super) async fn chat_note(
        &self,
        call: &ChatCall,
        id: i64,
        text: &str,
    ) -> Result<(Reply, Option<i64>), AppError> {
        let reader = &call.reader;
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
            if !may_write(reader) {
                return Ok((read_only(), Some(id)));
            }
            let mut input = PostmortemInput::from(&pm);
            input.parts.timeline.push(TimelineEntry {
                at: timestamp(now_epoch()),
                kind: "observation".into(),
                text: text.trim().to_string(),
                who: call.who(),
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

    /// `open <title>`: an ongoing incident, opened as the alert intake
    /// opens one (through the integration, with its "seen before?"
    /// suggestions stored), its timeline saying who opened it from which
    /// channel. The same title opened again in the same channel while it
    /// runs answers with the incident already open.
    pub(super) async fn chat_open(
        &self,
        call: &ChatCall,
        title: &str,
    ) -> Result<(Reply, Option<i64>), AppError> {
        if !may_write(&call.reader) {
            return Ok((read_only(), None));
        }
        let request = &call.request;
        let now = timestamp(now_epoch());
        let channel = match request.channel_name.trim() {
            "" => request.channel_id.trim().to_string(),
            name => format!("#{name}"),
        };
        let opened = TimelineEntry {
            at: now.clone(),
            kind: "action".into(),
            text: format!(
                "Opened from {} channel {channel} by {}.",
                call.client.label(),
                request.user_name.trim()
            ),
            who: call.who(),
        };
        let write = IntakeWrite {
            integration_id: call.integration.id,
            group_key: chat::channel_group_key(&request.team_id, &request.channel_id, title),
            now: now.clone(),
            reopen_within_secs: 0,
            state: IntakeState::Firing,
            events: vec![IntakeEvent {
                key: "opened".into(),
                state: "firing".into(),
                at: None,
                entry: opened,
            }],
            evidence: None,
            opening: NewPostmortem {
                title: title.to_string(),
                date: Some(now[..10].to_string()),
                parts: Parts {
                    status: "draft".into(),
                    started_at: Some(now.clone()),
                    detected_at: Some(now.clone()),
                    ..Parts::default()
                },
                ..NewPostmortem::default()
            },
            suggestions: None,
            author: format!("{}:{}", call.client.as_str(), call.integration.name),
        };
        let (outcome, suggestions) = self
            .apply_with_suggestions(&call.integration, write, title)
            .await?;
        let (id, headline) = match outcome {
            IntakeOutcome::Opened { id, .. } => (id, format!("Opened #{id} {title}.")),
            IntakeOutcome::Updated { id, .. } | IntakeOutcome::Unchanged { id: Some(id) } => (
                id,
                format!("#{id} {title} is already open in this channel."),
            ),
            IntakeOutcome::Unchanged { id: None } | IntakeOutcome::NeedsSuggestions => {
                return Err(internal(
                    "could not open the incident",
                    format!("{outcome:?} for a firing chat opening"),
                ))
            }
        };
        if matches!(
            outcome,
            IntakeOutcome::Opened { .. } | IntakeOutcome::Updated { .. }
        ) {
            tracing::info!(
                id,
                integration = call.integration.name,
                "incident opened from chat"
            );
            let services = self.clone();
            tokio::spawn(async move { services.reindex_after_write().await });
        }
        let mut sections = vec![Section {
            title: None,
            items: vec![Item {
                label: format!("#{id} {title}"),
                url: Some(self.link_to(id)),
                details: vec![(
                    "Next".into(),
                    format!(
                        "{command} note #{id} <what you see>, {command} status #{id}",
                        command = request.command.trim()
                    ),
                )],
            }],
        }];
        if !suggestions.is_empty() {
            sections.push(Section {
                title: Some("Seen before?".into()),
                items: suggestions
                    .into_iter()
                    .map(|s| Item {
                        label: match &s.pattern {
                            Some(pattern) => {
                                format!("{pattern} (pattern, in #{} {})", s.target_id, s.title)
                            }
                            None => format!("#{} {}", s.target_id, s.title),
                        },
                        url: Some(self.link_to(s.target_id)),
                        details: details([("Root cause", s.root_cause), ("Fixed by", s.fix)]),
                    })
                    .collect(),
            });
        }
        Ok((
            Reply {
                headline,
                sections,
                in_channel: false,
            },
            Some(id),
        ))
    }
}

/// Whether `reader` may write postmortems.
fn may_write(reader: &RequestContext) -> bool {
    crate::access::check(reader, Need::Role(Role::Editor)).is_ok()
}

/// The answer when the integration's reader may not write.
fn read_only() -> Reply {
    notice(
        "This command answers as an account that may not write. An administrator \
         can give its integration an editor account as its reader.",
    )
}
