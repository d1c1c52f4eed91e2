//! An answer to a slash command, written once and formatted for each
//! client: Slack's Block Kit (`mrkdwn` text, `<url|label>` links, `&`, `<`
//! and `>` escaped) and Mattermost's markdown (`[label](url)` links,
//! markdown characters in what users wrote escaped), each with
//! `response_type` `ephemeral` or `in_channel`.

use serde_json::{json, Value};

use super::Client;

/// Slack shows at most this many characters in one text section.
const SLACK_SECTION_CHARS: usize = 3000;

/// Slack takes at most 50 blocks in a message.
const SLACK_BLOCKS: usize = 50;

/// An answer: a headline and sections, each a list of items.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reply {
    /// One line saying what this is ("3 past incidents match").
    pub headline: String,
    /// The parts, in order.
    pub sections: Vec<Section>,
    /// Posted for the whole channel rather than shown to the caller only.
    pub in_channel: bool,
}

/// A titled part of a [`Reply`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Section {
    /// Its title, if any ("Patterns").
    pub title: Option<String>,
    /// Its items, each shown as a bullet.
    pub items: Vec<Item>,
}

/// One item: a label (a link when it has a URL) and lines of detail.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Item {
    /// What it is ("Checkout timeouts", "SEV2").
    pub label: String,
    /// Where it is, absolute.
    pub url: Option<String>,
    /// Named details ("Root cause", "Fixed by"), shown in order.
    pub details: Vec<(String, String)>,
}

impl Reply {
    /// The JSON body `client` expects as the answer.
    pub fn to_json(&self, client: Client) -> Value {
        match client {
            Client::Slack => self.slack(),
            Client::Mattermost => self.mattermost(),
        }
    }

    fn response_type(&self) -> &'static str {
        if self.in_channel {
            "in_channel"
        } else {
            "ephemeral"
        }
    }

    fn slack(&self) -> Value {
        let mut blocks = vec![json!({
            "type": "section",
            "text": {"type": "mrkdwn", "text": cut(&format!("*{}*", slack_text(&self.headline)), SLACK_SECTION_CHARS)},
        })];
        for section in &self.sections {
            if blocks.len() + 1 >= SLACK_BLOCKS {
                break;
            }
            let mut text = String::new();
            if let Some(title) = &section.title {
                text.push_str(&format!("*{}*\n", slack_text(title)));
            }
            for item in &section.items {
                let label = match &item.url {
                    Some(url) => format!("<{}|{}>", slack_text(url), slack_text(&item.label)),
                    None => slack_text(&item.label),
                };
                text.push_str(&format!("• {label}\n"));
                for (name, value) in &item.details {
                    text.push_str(&format!(
                        "    _{}:_ {}\n",
                        slack_text(name),
                        slack_text(value)
                    ));
                }
            }
            blocks.push(json!({"type": "divider"}));
            blocks.push(json!({
                "type": "section",
                "text": {"type": "mrkdwn", "text": cut(text.trim_end(), SLACK_SECTION_CHARS)},
            }));
        }
        json!({
            "response_type": self.response_type(),
            // Shown in notifications, and by clients without blocks.
            "text": self.headline,
            "blocks": blocks,
        })
    }

    fn mattermost(&self) -> Value {
        let mut text = format!("**{}**\n", markdown_text(&self.headline));
        for section in &self.sections {
            text.push('\n');
            if let Some(title) = &section.title {
                text.push_str(&format!("#### {}\n", markdown_text(title)));
            }
            for item in &section.items {
                let label = match &item.url {
                    Some(url) => format!("[{}]({url})", markdown_text(&item.label)),
                    None => markdown_text(&item.label),
                };
                text.push_str(&format!("- {label}\n"));
                for (name, value) in &item.details {
                    text.push_str(&format!(
                        "  *{}:* {}\n",
                        markdown_text(name),
                        markdown_text(value)
                    ));
                }
            }
        }
        json!({
            "response_type": self.response_type(),
            "text": text.trim_end(),
        })
    }
}

/// Text for Slack's `mrkdwn`: the three characters Slack asks to escape.
fn slack_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Text for Mattermost's markdown, shown as written: markdown's
/// punctuation escaped, lines joined (a user's title cannot start a list).
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '|' | '<' | '>' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// `text` cut to at most `max` characters, with an ellipsis when cut.
fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max.saturating_sub(1)) {
        Some((at, _)) if text.chars().count() > max => format!("{}…", &text[..at]),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply() -> Reply {
        Reply {
            headline: "2 past incidents match <redis & cache>".into(),
            sections: vec![Section {
                title: Some("Past incidents".into()),
                items: vec![Item {
                    label: "Checkout *fails* every 20 minutes".into(),
                    url: Some("https://kb.example/incidents/3".into()),
                    details: vec![("Fixed by".into(), "Moved the job to its own Redis".into())],
                }],
            }],
            in_channel: false,
        }
    }

    #[test]
    fn slack_gets_block_kit_with_escaped_text_and_links() {
        let json = reply().to_json(Client::Slack);
        assert_eq!(json["response_type"], "ephemeral");
        assert_eq!(json["text"], "2 past incidents match <redis & cache>");
        let blocks = json["blocks"].as_array().unwrap();
        assert_eq!(blocks[0]["text"]["type"], "mrkdwn");
        assert_eq!(
            blocks[0]["text"]["text"],
            "*2 past incidents match &lt;redis &amp; cache&gt;*"
        );
        assert_eq!(blocks[1]["type"], "divider");
        assert_eq!(
            blocks[2]["text"]["text"],
            "*Past incidents*\n• <https://kb.example/incidents/3|Checkout *fails* every 20 minutes>\n    _Fixed by:_ Moved the job to its own Redis"
        );
    }

    #[test]
    fn mattermost_gets_markdown_with_what_users_wrote_escaped() {
        let json = Reply {
            in_channel: true,
            ..reply()
        }
        .to_json(Client::Mattermost);
        assert_eq!(json["response_type"], "in_channel");
        assert_eq!(
            json["text"],
            "**2 past incidents match \\<redis & cache\\>**\n\n#### Past incidents\n\
             - [Checkout \\*fails\\* every 20 minutes](https://kb.example/incidents/3)\n  \
             *Fixed by:* Moved the job to its own Redis"
        );
    }

    #[test]
    fn long_sections_are_cut_to_what_slack_shows() {
        let mut long = reply();
        long.sections[0].items[0].details[0].1 = "x".repeat(5000);
        let json = long.to_json(Client::Slack);
        let text = json["blocks"][2]["text"]["text"].as_str().unwrap();
        assert_eq!(text.chars().count(), SLACK_SECTION_CHARS);
        assert!(text.ends_with('…'));
    }
}
