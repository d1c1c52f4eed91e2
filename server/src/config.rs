//! Settings, from flags first and environment variables second.

use clap::{Parser, Subcommand};
use kb_domain::accounts::Role;
use kb_export::Format;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Hindsight: a postmortem knowledge base you can search by symptom.
#[derive(Debug, Parser)]
#[command(name = "hindsight", version, about)]
pub struct Cli {
    /// Folder holding the database and the search index; created if missing.
    #[arg(
        long,
        env = "HINDSIGHT_DATA_DIR",
        default_value = "data",
        global = true
    )]
    pub data_dir: PathBuf,

    /// Database URL: `sqlite:PATH`, or `postgres://USER:PASSWORD@HOST:PORT/DB`
    /// for replicas sharing one database (each keeps its index in its own
    /// data folder). Defaults to `hindsight.db` inside the data folder.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,

    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app and the JSON API (the default).
    Serve(ServeArgs),
    /// Import postmortems: a JSON Lines file (one per line), a JSON file (one
    /// object or an array), a markdown file with front matter, or a folder
    /// of such files (by name, not recursive). Postmortems with an `id`
    /// already imported are updated.
    Import {
        /// The file or folder to read.
        path: PathBuf,
    },
    /// Export postmortems as markdown with front matter, or as JSON (one
    /// postmortem) and JSON Lines (all).
    Export {
        /// The postmortem to export, by Hindsight id.
        #[arg(long, required_unless_present = "all", conflicts_with = "all")]
        id: Option<i64>,
        /// Export every postmortem: JSON Lines for json, a folder of .md files
        /// for markdown.
        #[arg(long)]
        all: bool,
        /// `markdown` (or `md`) or `json`.
        #[arg(long, value_name = "markdown|json")]
        format: Format,
        /// Where to write: a file (or, for one postmortem, an existing folder)
        /// [default: standard output]; required for --all --format markdown,
        /// where it is the folder.
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Load six demo postmortems (idempotent: running it again changes
    /// nothing).
    Demo,
    /// Rebuild the search index from the database.
    Reindex,
    /// Copy a whole instance into another, empty database, ids kept:
    /// postmortems with their revisions, action items with their
    /// histories, accounts, groups, access, integrations. For moving from
    /// SQLite to PostgreSQL (or back); each replica then builds its own
    /// search index from the copy when it starts.
    MigrateData {
        /// The database to copy from, e.g. `sqlite:/var/lib/hindsight/hindsight.db`.
        #[arg(long, value_name = "URL")]
        from: String,
        /// The empty database to copy into, e.g. `postgres://hindsight@db/hindsight`.
        #[arg(long, value_name = "URL")]
        to: String,
    },
    /// Search from the command line, as the web UI does.
    Search {
        /// Whatever you would paste into the search box.
        text: String,
        /// Most results to show.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Print the JSON the API returns.
        #[arg(long)]
        json: bool,
    },
    /// Manage accounts. Passwords are read from the first line of standard
    /// input, e.g. `printf '%s\n' "$PASSWORD" | hindsight user add --admin ada`.
    User {
        /// What to do.
        #[command(subcommand)]
        action: UserCommand,
    },
    /// Manage the alert sources that post to the intake. A signing secret
    /// (PagerDuty, Grafana) is read from the first line of standard input;
    /// a bearer secret (Alertmanager, generic) is made and printed once.
    Integration {
        /// What to do.
        #[command(subcommand)]
        action: IntegrationCommand,
    },
}

/// The settings of `serve`.
#[derive(Debug, Default, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:3000, or LEPTOS_SITE_ADDR
    /// when run by cargo-leptos].
    #[arg(long, env = "HINDSIGHT_ADDR")]
    pub addr: Option<SocketAddr>,
    /// Address an action item's tracker key is appended to, making it a
    /// link (`https://jira.example.com/browse/` turns `OPS-12` into
    /// one); a tracker given as a URL is always a link.
    #[arg(long, env = "HINDSIGHT_TRACKER_URL", value_name = "URL", value_parser = tracker_url)]
    pub tracker_url: Option<String>,
    /// A reverse proxy in front of the server (repeat, or
    /// comma-separate in the variable): requests from it are
    /// attributed to the client its `X-Forwarded-For` names, so the
    /// sign-in throttle counts clients, not the proxy.
    #[arg(
        long = "trusted-proxy",
        env = "HINDSIGHT_TRUSTED_PROXIES",
        value_name = "IP",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The address people reach Hindsight at (`https://hindsight.example.com`).
    /// Its host name is one the server answers to; without it (or
    /// `--allowed-host`) only `localhost` and IP addresses are.
    #[arg(long, env = "HINDSIGHT_PUBLIC_URL", value_name = "URL", value_parser = public_url)]
    pub public_url: Option<PublicUrl>,
    /// Another host name the server answers to (repeat, or comma-separate
    /// in the variable). Requests for any other name are refused, so a
    /// page of another site cannot reach the server by pointing its own
    /// name at it (DNS rebinding).
    #[arg(
        long = "allowed-host",
        env = "HINDSIGHT_ALLOWED_HOSTS",
        value_name = "NAME",
        value_delimiter = ',',
        value_parser = host_name
    )]
    pub allowed_hosts: Vec<String>,
}

impl ServeArgs {
    /// Every host name the server answers to besides loopback names and
    /// addresses.
    pub fn host_names(&self) -> Vec<String> {
        self.public_url
            .iter()
            .map(|url| url.host.clone())
            .chain(self.allowed_hosts.iter().cloned())
            .collect()
    }
}

/// `--public-url`: an http(s) address, and the host name in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    /// As given, without a trailing `/`.
    pub url: String,
    /// Its host name, lower case, without port.
    pub host: String,
}

fn public_url(value: &str) -> Result<PublicUrl, String> {
    let value = value.trim().trim_end_matches('/');
    let problem =
        || format!("{value:?} is not an http(s) address such as https://hindsight.example.com");
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or_else(problem)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(problem());
    }
    let host = crate::http::security::host_name(authority).ok_or_else(problem)?;
    let host = host_name(host).map_err(|_| problem())?;
    Ok(PublicUrl {
        url: value.to_string(),
        host,
    })
}

/// A host name as `--allowed-host` takes it: letters, digits, dots and
/// dashes (or an address), lower-cased.
fn host_name(value: &str) -> Result<String, String> {
    let value = value.trim().to_ascii_lowercase();
    if crate::http::security::is_plain_name(&value) {
        Ok(value)
    } else {
        Err(format!(
            "{value:?} is not a host name such as hindsight.example.com"
        ))
    }
}

/// The `user` subcommands.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account (the first administrator too: `--admin`).
    Add {
        /// The name to sign in with.
        name: String,
        /// What the account may do.
        #[arg(long, default_value = "editor", value_parser = parse_role, value_name = "viewer|editor|admin")]
        role: Role,
        /// Same as `--role admin`.
        #[arg(long, conflicts_with = "role")]
        admin: bool,
    },
    /// List the accounts with their roles.
    List,
    /// Set an account's password; every session of theirs ends and every
    /// API token of theirs is revoked.
    Password {
        /// The account's name.
        name: String,
    },
}

/// The `integration` subcommands.
#[derive(Debug, Subcommand)]
pub enum IntegrationCommand {
    /// Add an integration; prints its endpoint (and its secret, once).
    Add {
        /// `alertmanager`, `grafana`, `pagerduty` or `generic`; or a chat
        /// client's slash command, `slack` or `mattermost` (its signing
        /// secret or token is read on standard input).
        kind: String,
        /// Its name: the last part of its endpoint.
        name: String,
        /// The account whose view "seen before?" searches with [default:
        /// public postmortems only].
        #[arg(long, value_name = "ACCOUNT")]
        reader: Option<String>,
        /// A service every incident it opens affects (repeatable).
        #[arg(long = "service", value_name = "NAME")]
        services: Vec<String>,
        /// A team every incident it opens belongs to (repeatable).
        #[arg(long = "team", value_name = "NAME")]
        teams: Vec<String>,
        /// Hours after resolving during which a group that fires again
        /// reopens its incident rather than opening a new one.
        #[arg(long, default_value_t = 24, value_name = "HOURS")]
        reopen_within_hours: u32,
        /// A sender's severity and the one it becomes (`disaster=SEV1`),
        /// before the built-in mapping (repeatable).
        #[arg(long = "severity", value_name = "VALUE=SEVn", value_parser = kb_intake::parse_severity_mapping)]
        severities: Vec<(String, kb_domain::Severity)>,
        /// A label to read services from, instead of service, job, app and
        /// namespace (repeatable).
        #[arg(long = "service-label", value_name = "LABEL")]
        service_labels: Vec<String>,
        /// Mattermost: the server's address (`https://chat.example.com`),
        /// the only host a late answer is posted to.
        #[arg(long, value_name = "URL")]
        server: Option<String>,
    },
    /// List the integrations.
    List,
    /// Stop accepting an integration's deliveries (403).
    Disable {
        /// Its name.
        name: String,
    },
    /// Accept an integration's deliveries again.
    Enable {
        /// Its name.
        name: String,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| format!("one of {}", Role::names()))
}

/// A tracker address: an http(s) URL, refused at start rather than
/// silently giving no links.
fn tracker_url(value: &str) -> Result<String, String> {
    let value = value.trim();
    kb_domain::actions::tracker_url(value)
        .map(str::to_string)
        .ok_or_else(|| {
            format!("{value:?} is not an http(s) address such as https://jira.example.com/browse/")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serve_args(args: &[&str]) -> Result<ServeArgs, clap::Error> {
        let cli = Cli::try_parse_from(["hindsight", "serve"].iter().chain(args))?;
        match cli.command {
            Some(Command::Serve(args)) => Ok(args),
            other => panic!("not serve: {other:?}"),
        }
    }

    fn serve(args: &[&str]) -> Result<Option<String>, clap::Error> {
        serve_args(args).map(|a| a.tracker_url)
    }

    #[test]
    fn the_names_served_come_from_the_public_url_and_the_allowed_hosts() {
        let args = serve_args(&[
            "--public-url",
            "https://Hindsight.Example.com:8443/",
            "--allowed-host",
            "kb.internal,Other.Example",
        ])
        .unwrap();
        assert_eq!(
            args.public_url.as_ref().unwrap().url,
            "https://Hindsight.Example.com:8443"
        );
        assert_eq!(
            args.host_names(),
            ["hindsight.example.com", "kb.internal", "other.example"]
        );
        for bad in [
            "hindsight.example.com",
            "ftp://x.example",
            "https://user@evil.example",
            "https://",
            "https://bad host",
        ] {
            assert!(serve_args(&["--public-url", bad]).is_err(), "{bad}");
        }
        assert!(serve_args(&["--allowed-host", "evil.example/x"]).is_err());
    }

    #[test]
    fn trusted_proxies_are_addresses() {
        let cli = Cli::try_parse_from([
            "hindsight",
            "serve",
            "--trusted-proxy",
            "10.0.0.1",
            "--trusted-proxy",
            "::1",
        ])
        .unwrap();
        match cli.command {
            Some(Command::Serve(ServeArgs {
                trusted_proxies, ..
            })) => {
                assert_eq!(trusted_proxies.len(), 2);
                assert_eq!(trusted_proxies[0].to_string(), "10.0.0.1");
            }
            other => panic!("not serve: {other:?}"),
        }
        assert!(Cli::try_parse_from(["hindsight", "serve", "--trusted-proxy", "proxy"]).is_err());
    }

    #[test]
    fn the_tracker_address_is_a_flag_and_must_be_http() {
        assert_eq!(
            serve(&["--tracker-url", " https://jira.example/browse/ "]).unwrap(),
            Some("https://jira.example/browse/".to_string())
        );
        let refused = serve(&["--tracker-url", "jira.example/browse"]).unwrap_err();
        assert!(
            refused.to_string().contains("not an http(s) address"),
            "{refused}"
        );
    }
}
