//! Slash commands from Slack and Mattermost: the form both post, and the
//! subcommand its text asks for. No network and no database: the caller
//! checks the request (`signature::verify_slack`, or Mattermost's token),
//! answers the command, and writes the answer as a [`Reply`] that `reply`
//! formats for each client.

use serde::Deserialize;

mod follow_up;
mod reply;
pub use follow_up::{follow_up_allowed, is_server_address};
pub use reply::{Item, Reply, Section};

use crate::labels::{cut, one_line};
use crate::{IntakeError, MAX_TITLE};

/// Longest text of a command kept, in characters; the rest of a bigger
/// paste is dropped (a search reads its first lines anyway).
pub const MAX_TEXT_CHARS: usize = 20_000;

/// The chat clients, each with its own endpoint
/// (`/api/v1/chat/{client}/{integration}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Client {
    /// Slack: requests signed with the app's signing secret.
    Slack,
    /// Mattermost: requests carrying the command's token.
    Mattermost,
}

impl Client {
    /// The name in URLs, the database and the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Client::Slack => "slack",
            Client::Mattermost => "mattermost",
        }
    }

    /// The name people know it by: `Slack`, `Mattermost`.
    pub fn label(self) -> &'static str {
        match self {
            Client::Slack => "Slack",
            Client::Mattermost => "Mattermost",
        }
    }

    /// The client named `name`, if any.
    pub fn from_name(name: &str) -> Option<Client> {
        match name {
            "slack" => Some(Client::Slack),
            "mattermost" => Some(Client::Mattermost),
            _ => None,
        }
    }
}

/// The fields of a slash command request that Hindsight reads; both clients
/// post them form-encoded under these names, with more that are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct SlashRequest {
    /// Mattermost's command token (Slack's deprecated verification token is
    /// never relied on).
    pub token: String,
    /// The workspace (Slack) or team (Mattermost).
    pub team_id: String,
    /// Where the command was typed.
    pub channel_id: String,
    /// Its name, when the client sends it.
    pub channel_name: String,
    /// Who typed it.
    pub user_id: String,
    /// Their name, shown on what they add to an incident.
    pub user_name: String,
    /// The command as the team named it (`/hindsight`).
    pub command: String,
    /// Everything after the command.
    pub text: String,
    /// Where a late answer is posted.
    pub response_url: String,
    /// Slack's id of the interaction (unused, kept for the audit).
    pub trigger_id: String,
}

impl SlashRequest {
    /// Reads a form-encoded body. Text past [`MAX_TEXT_CHARS`] is dropped.
    pub fn read(body: &[u8]) -> Result<SlashRequest, IntakeError> {
        let mut request: SlashRequest =
            serde_urlencoded::from_bytes(body).map_err(|e| IntakeError::Malformed {
                field: String::new(),
                message: format!("not a slash command form: {e}"),
            })?;
        if let Some((cut, _)) = request.text.char_indices().nth(MAX_TEXT_CHARS) {
            request.text.truncate(cut);
        }
        Ok(request)
    }
}

/// The token a Mattermost request carries: `Authorization: Token <token>`
/// (what Mattermost sends) or else the form's `token` field. The caller
/// compares it with the integration's in constant time. `None` when there
/// is none, or when the two disagree.
pub fn mattermost_token<'a>(authorization: Option<&'a str>, form: &'a str) -> Option<&'a str> {
    let header = authorization
        .map(str::trim)
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("token"))
        .map(|(_, token)| token.trim())
        .filter(|token| !token.is_empty());
    let form = Some(form.trim()).filter(|token| !token.is_empty());
    match (header, form) {
        (Some(header), Some(form)) if header != form => None,
        (header, form) => header.or(form),
    }
}

/// What a command's text asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `search <text>`, or any text that starts with no subcommand.
    Search(String),
    /// `analyze <text | #id>`.
    Analyze(Subject),
    /// `open <title>`.
    Open(String),
    /// `status [#id]`: without an id, the channel's latest ongoing incident.
    Status(Option<i64>),
    /// `note #id <text>`.
    Note(i64, String),
    /// `help`, an empty command, or a subcommand used wrongly (with what
    /// was wrong).
    Help(Option<String>),
}

/// What `analyze` looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// Pasted evidence.
    Text(String),
    /// An incident by its id.
    Incident(i64),
}

/// A command and where its answer goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The command.
    pub command: Command,
    /// Whether the answer is posted for the whole channel (the text began
    /// with `share`) rather than shown to the caller only.
    pub in_channel: bool,
}

/// The subcommands as `help` lists them: usage and what it does.
const USAGE: &[(&str, &str)] = &[
    (
        "search <text>",
        "past incidents and patterns like this (also any text without a subcommand)",
    ),
    (
        "analyze <text | #id>",
        "what the evidence says, for pasted lines or an ongoing incident",
    ),
    ("open <title>", "open an ongoing incident from this channel"),
    (
        "status [#id]",
        "an incident's clock, leading hypothesis, open actions and an update for stakeholders",
    ),
    (
        "note #id <text>",
        "add an observation to an incident's timeline",
    ),
    ("help", "this list"),
];

/// The answer to `help`, or to a subcommand used wrongly (`problem` says
/// how). `command` is the command as the team named it (`/hindsight`).
pub fn help(command: &str, problem: Option<&str>) -> Reply {
    let command = if command.trim().is_empty() {
        "/hindsight"
    } else {
        command.trim()
    };
    Reply {
        headline: match problem {
            Some(problem) => format!("{problem}. What {command} can do:"),
            None => format!("What {command} can do:"),
        },
        sections: vec![Section {
            title: None,
            items: USAGE
                .iter()
                .map(|(usage, what)| Item {
                    label: format!("{command} {usage}"),
                    url: None,
                    details: vec![("What".into(), (*what).into())],
                })
                .chain(std::iter::once(Item {
                    label: format!("{command} share <subcommand> ..."),
                    url: None,
                    details: vec![(
                        "What".into(),
                        "post the answer for the whole channel".into(),
                    )],
                }))
                .collect(),
        }],
        in_channel: false,
    }
}

/// Reads the text of a slash command: `[share] <subcommand> <arguments>`.
pub fn parse(text: &str) -> Parsed {
    let text = text.trim();
    let (in_channel, text) = match split_word(text) {
        (first, rest) if first.eq_ignore_ascii_case("share") => (true, rest),
        _ => (false, text),
    };
    Parsed {
        command: command(text),
        in_channel,
    }
}

fn command(text: &str) -> Command {
    let (word, rest) = split_word(text);
    match word.to_ascii_lowercase().as_str() {
        "" | "help" => Command::Help(None),
        "search" if rest.is_empty() => Command::Help(Some("search needs some text".into())),
        "search" => Command::Search(rest.to_string()),
        "analyze" | "analyse" => match incident_id(rest) {
            Some((id, "")) => Command::Analyze(Subject::Incident(id)),
            _ if rest.is_empty() => {
                Command::Help(Some("analyze needs evidence or an incident's #id".into()))
            }
            _ => Command::Analyze(Subject::Text(rest.to_string())),
        },
        "open" if rest.is_empty() => Command::Help(Some("open needs a title".into())),
        "open" => Command::Open(cut(&one_line(rest), MAX_TITLE)),
        "status" => match incident_id(rest) {
            Some((id, "")) => Command::Status(Some(id)),
            None if rest.is_empty() => Command::Status(None),
            _ => Command::Help(Some("status takes an incident's #id or nothing".into())),
        },
        "note" => match incident_id(rest) {
            Some((id, note)) if !note.is_empty() => Command::Note(id, note.to_string()),
            _ => Command::Help(Some("note needs an incident's #id and the text".into())),
        },
        _ => Command::Search(text.to_string()),
    }
}

/// The alert group an incident opened from a channel belongs to: the same
/// title opened again in the same channel while the incident runs is that
/// incident, not a second one (a double-sent command, two people typing
/// it); anywhere else, or under another title, it is another.
pub fn channel_group_key(team_id: &str, channel_id: &str, title: &str) -> String {
    let title = title.to_lowercase();
    let title: Vec<&str> = title.split_whitespace().collect();
    format!("chat:{team_id}:{channel_id}:{}", title.join(" "))
}

/// The first word of `text` and the rest, trimmed.
fn split_word(text: &str) -> (&str, &str) {
    match text.split_once(char::is_whitespace) {
        Some((word, rest)) => (word, rest.trim()),
        None => (text, ""),
    }
}

/// `#12 rest` (or `12 rest`) as the id and the rest.
fn incident_id(text: &str) -> Option<(i64, &str)> {
    let (word, rest) = split_word(text);
    let digits = word.strip_prefix('#').unwrap_or(word);
    let id: i64 = digits.parse().ok().filter(|id| *id > 0)?;
    Some((id, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_channel_group_is_its_title_in_any_case_and_spacing() {
        assert_eq!(
            channel_group_key("T1", "C1", "Checkout  is DOWN"),
            channel_group_key("T1", "C1", "checkout is down")
        );
        assert_ne!(
            channel_group_key("T1", "C1", "checkout is down"),
            channel_group_key("T1", "C2", "checkout is down")
        );
        let long = parse(&format!("open {}", "x".repeat(500)));
        let Command::Open(title) = long.command else {
            panic!("{long:?}")
        };
        assert_eq!(title.chars().count(), MAX_TITLE);
    }

    #[test]
    fn subcommands_and_their_arguments() {
        let cases = [
            ("", Command::Help(None)),
            ("help", Command::Help(None)),
            (
                "search redis timeouts",
                Command::Search("redis timeouts".into()),
            ),
            // Anything else is a search, as typed.
            ("redis timeouts", Command::Search("redis timeouts".into())),
            ("analyze #12", Command::Analyze(Subject::Incident(12))),
            (
                "analyze pool exhausted at 09:32",
                Command::Analyze(Subject::Text("pool exhausted at 09:32".into())),
            ),
            (
                "open Checkout is down",
                Command::Open("Checkout is down".into()),
            ),
            // A title is one line of at most MAX_TITLE characters.
            (
                "open Checkout\n is   down",
                Command::Open("Checkout is down".into()),
            ),
            ("status", Command::Status(None)),
            ("status #7", Command::Status(Some(7))),
            ("STATUS 7", Command::Status(Some(7))),
            (
                "note #7 rolled back v2.4.2",
                Command::Note(7, "rolled back v2.4.2".into()),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text).command, expected, "{text:?}");
            assert!(!parse(text).in_channel);
        }
    }

    #[test]
    fn a_subcommand_used_wrongly_answers_with_help() {
        for text in [
            "open",
            "search",
            "analyze",
            "note #7",
            "note seven it",
            "status soon",
            "status #0",
        ] {
            assert!(
                matches!(parse(text).command, Command::Help(Some(_))),
                "{text:?}"
            );
        }
    }

    #[test]
    fn help_lists_every_subcommand_under_the_teams_name() {
        let reply = help("/kb", Some("open needs a title"));
        assert_eq!(reply.headline, "open needs a title. What /kb can do:");
        let labels: Vec<&str> = reply.sections[0]
            .items
            .iter()
            .map(|i| i.label.as_str())
            .collect();
        for sub in [
            "search", "analyze", "open", "status", "note", "help", "share",
        ] {
            assert!(
                labels.iter().any(|l| l.starts_with(&format!("/kb {sub}"))),
                "{sub}: {labels:?}"
            );
        }
        assert!(!reply.in_channel);
        assert_eq!(help("", None).headline, "What /hindsight can do:");
    }

    #[test]
    fn share_posts_in_the_channel() {
        let parsed = parse("share status #3");
        assert_eq!(parsed.command, Command::Status(Some(3)));
        assert!(parsed.in_channel);
        assert_eq!(parse("  Share  ").command, Command::Help(None));
    }

    #[test]
    fn mattermosts_token_from_the_header_or_the_form() {
        assert_eq!(
            mattermost_token(Some("Token abc123"), "abc123"),
            Some("abc123")
        );
        assert_eq!(mattermost_token(Some("token abc123"), ""), Some("abc123"));
        assert_eq!(mattermost_token(None, "abc123"), Some("abc123"));
        assert_eq!(mattermost_token(Some("Bearer abc123"), ""), None);
        assert_eq!(mattermost_token(Some("Token abc123"), "other"), None);
        assert_eq!(mattermost_token(Some("Token "), " "), None);
    }

    #[test]
    fn the_form_both_clients_post_is_read() {
        let body = b"token=tok&team_id=T1&channel_id=C2&channel_name=incident-42&user_id=U3\
            &user_name=ada&command=%2Fhindsight&text=status+%237&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2Fx\
            &trigger_id=1.2.3&unknown_field=ignored";
        let request = SlashRequest::read(body).unwrap();
        assert_eq!(request.command, "/hindsight");
        assert_eq!(request.text, "status #7");
        assert_eq!(request.channel_name, "incident-42");
        assert_eq!(request.response_url, "https://hooks.slack.com/commands/x");
        assert_eq!(SlashRequest::read(b"").unwrap(), SlashRequest::default());
        let long = format!("text={}", "a".repeat(MAX_TEXT_CHARS + 10));
        assert_eq!(
            SlashRequest::read(long.as_bytes()).unwrap().text.len(),
            MAX_TEXT_CHARS
        );
    }
}
