//! Where a late answer may be posted. A slash command names its
//! `response_url` itself, so a forged or altered request could point
//! Hindsight at any address (an internal service, a metadata endpoint):
//! only the client's own host is allowed.

use super::Client;

/// Slack's host for `response_url`s.
const SLACK_HOOKS: &str = "hooks.slack.com";

/// Whether the answer to a command of `client` may be posted to
/// `response_url`: for Slack, `https://hooks.slack.com/...`; for
/// Mattermost, the server the integration names (`server`, such as
/// `https://chat.example.com`), the same scheme, host and port. Without a
/// server, no Mattermost follow-up is allowed.
pub fn follow_up_allowed(client: Client, response_url: &str, server: Option<&str>) -> bool {
    let Some(target) = origin(response_url) else {
        return false;
    };
    match client {
        Client::Slack => target == Origin::https(SLACK_HOOKS),
        Client::Mattermost => server
            .and_then(origin)
            .is_some_and(|server| server == target),
    }
}

/// Whether `server` can name a Mattermost server for [`follow_up_allowed`]:
/// an absolute `http` or `https` address without credentials.
pub fn is_server_address(server: &str) -> bool {
    origin(server).is_some()
}

/// Scheme, host (lowercase) and port of a URL.
#[derive(Debug, PartialEq, Eq)]
struct Origin {
    https: bool,
    host: String,
    port: u16,
}

impl Origin {
    fn https(host: &str) -> Origin {
        Origin {
            https: true,
            host: host.to_string(),
            port: 443,
        }
    }
}

/// The origin of an absolute `http` or `https` URL; `None` for anything
/// else, and for URLs with credentials (`https://hooks.slack.com@evil/`
/// would otherwise pass for Slack's host).
fn origin(url: &str) -> Option<Origin> {
    let url = url.trim();
    let (https, rest) = if let Some(rest) = strip_prefix_ignore_case(url, "https://") {
        (true, rest)
    } else {
        (false, strip_prefix_ignore_case(url, "http://")?)
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.is_empty() || authority.contains(['@', '\\']) {
        return None;
    }
    let (host, port) = match authority.rsplit_once(':') {
        // Not the inside of an IPv6 literal (`[::1]`).
        Some((host, port)) if !port.contains(']') => (host, port.parse().ok()?),
        _ => (authority, if https { 443 } else { 80 }),
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    Some(Origin { https, host, port })
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slack_answers_only_go_to_slacks_hooks() {
        let ok = "https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN";
        assert!(follow_up_allowed(Client::Slack, ok, None));
        assert!(follow_up_allowed(
            Client::Slack,
            "HTTPS://Hooks.Slack.com./x",
            None
        ));
        for bad in [
            "http://hooks.slack.com/commands/x",
            "https://hooks.slack.com.evil.example/x",
            "https://hooks.slack.com@169.254.169.254/latest",
            "https://hooks.slack.com:8443/x",
            "https://169.254.169.254/latest/meta-data",
            "hooks.slack.com/commands/x",
            "",
        ] {
            assert!(!follow_up_allowed(Client::Slack, bad, None), "{bad}");
        }
    }

    #[test]
    fn mattermost_answers_only_go_to_its_own_server() {
        let server = Some("https://chat.example.com");
        assert!(follow_up_allowed(
            Client::Mattermost,
            "https://chat.example.com/hooks/commands/abc",
            server
        ));
        assert!(follow_up_allowed(
            Client::Mattermost,
            "http://127.0.0.1:8065/hooks/commands/abc",
            Some("http://127.0.0.1:8065")
        ));
        assert!(!follow_up_allowed(
            Client::Mattermost,
            "https://chat.example.com/hooks/x",
            None
        ));
        assert!(!follow_up_allowed(
            Client::Mattermost,
            "https://other.example.com/hooks/x",
            server
        ));
        assert!(!follow_up_allowed(
            Client::Mattermost,
            "http://chat.example.com/hooks/x",
            server
        ));
        assert!(!follow_up_allowed(
            Client::Mattermost,
            "http://127.0.0.1:9999/hooks/x",
            Some("http://127.0.0.1:8065")
        ));
    }
}
