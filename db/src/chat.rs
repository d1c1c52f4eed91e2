//! The record of slash commands answered (`chat_request`): who asked what
//! kind of thing from which channel, through which integration.

use crate::sql;
use crate::{Result, Store};
use kb_domain::intake::ChatRequest;
use sqlx::Row;

/// One slash command to record.
#[derive(Debug, Clone)]
pub struct NewChatRequest<'a> {
    /// The integration it came through.
    pub integration_id: i64,
    /// The client's workspace or team.
    pub team_id: &'a str,
    /// Where it was typed.
    pub channel_id: &'a str,
    /// The channel's name, when the client sent it.
    pub channel_name: &'a str,
    /// Who typed it, by the client's id.
    pub user_id: &'a str,
    /// And by name.
    pub user_name: &'a str,
    /// `search`, `analyze`, `open`, `status`, `note` or `help`.
    pub subcommand: &'a str,
    /// The incident it was about, if any.
    pub incident_id: Option<i64>,
}

impl Store {
    /// Records one answered slash command.
    pub async fn record_chat_request(&self, new: &NewChatRequest<'_>) -> Result<()> {
        sql::query(
            "insert into chat_request
                 (integration_id, team_id, channel_id, channel_name, user_id, user_name,
                  subcommand, incident_id)
             values (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(new.integration_id)
        .bind(new.team_id)
        .bind(new.channel_id)
        .bind(new.channel_name)
        .bind(new.user_id)
        .bind(new.user_name)
        .bind(new.subcommand)
        .bind(new.incident_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The incidents channel `channel_id` of team `team_id` talked about
    /// (opened, noted, asked the status of), most recent first, each once;
    /// at most `limit`.
    pub async fn channel_incidents(
        &self,
        team_id: &str,
        channel_id: &str,
        limit: i64,
    ) -> Result<Vec<i64>> {
        Ok(sql::query_scalar(
            "select incident_id from chat_request
              where team_id = ? and channel_id = ? and incident_id is not null
              group by incident_id order by max(chat_request_id) desc limit ?",
        )
        .bind(team_id)
        .bind(channel_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The newest `limit` slash commands recorded before entry `before`
    /// (all, without it), newest first.
    pub async fn chat_requests(&self, before: Option<i64>, limit: i64) -> Result<Vec<ChatRequest>> {
        let rows = sql::query(
            "select c.chat_request_id, c.at, i.kind, i.name as integration, c.channel_id,
                    c.channel_name, c.user_id, c.user_name, c.subcommand, c.incident_id
               from chat_request c join integration i on i.integration_id = c.integration_id
              where c.chat_request_id < ?
              order by c.chat_request_id desc limit ?",
        )
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ChatRequest {
                    id: r.try_get("chat_request_id")?,
                    at: r.try_get("at")?,
                    client: r.try_get("kind")?,
                    integration: r.try_get("integration")?,
                    channel_id: r.try_get("channel_id")?,
                    channel_name: r.try_get("channel_name")?,
                    user_id: r.try_get("user_id")?,
                    user_name: r.try_get("user_name")?,
                    subcommand: r.try_get("subcommand")?,
                    incident_id: r.try_get("incident_id")?,
                })
            })
            .collect()
    }
}
