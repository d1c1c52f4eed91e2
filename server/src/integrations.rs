//! `hindsight integration ...`: the alert sources allowed to post to the
//! intake and the chat clients' slash commands, from the command line,
//! for the operator of the machine.

use crate::config::IntegrationCommand;
use anyhow::{anyhow, bail, Context};
use app::context::RequestContext;
use kb_intake::chat::Client;
use kb_intake::{Settings, Source};
use std::io::{BufRead, IsTerminal};
use std::path::Path;

/// Runs one `integration` subcommand against the data folder.
pub async fn run(
    data_dir: &Path,
    database_url: Option<&str>,
    action: IntegrationCommand,
) -> anyhow::Result<()> {
    let services = crate::startup::open(data_dir, database_url).await?;
    let ctx = RequestContext::command_line();
    match action {
        IntegrationCommand::Add {
            kind,
            name,
            reader,
            services: defaults,
            teams,
            reopen_within_hours,
            severities,
            service_labels,
            server,
        } => {
            if let Some(client) = Client::from_name(&kind) {
                let secret = read_secret(match client {
                    Client::Slack => "the Slack app's signing secret",
                    Client::Mattermost => "the slash command's token",
                })?;
                let added = services
                    .add_chat_integration(
                        &ctx,
                        client,
                        &name,
                        &secret,
                        reader.as_deref(),
                        server.as_deref(),
                    )
                    .await?;
                let base = services.public_url.clone().unwrap_or_default();
                println!("added {} slash command {name}", client.as_str());
                println!("request URL: {base}{}", added.endpoint);
                return Ok(());
            }
            let source = Source::parse(&kind).ok_or_else(|| {
                anyhow!("unknown kind {kind:?}: use alertmanager, grafana, pagerduty, generic, slack or mattermost")
            })?;
            let signing = if source.signs() {
                Some(read_secret(&format!(
                    "{}'s signing secret",
                    source.label()
                ))?)
            } else {
                None
            };
            let mut settings = Settings {
                services: defaults,
                teams,
                reopen_within_hours,
                ..Settings::default()
            };
            // The operator's mapping comes first: the first match wins.
            settings.severities.splice(0..0, severities);
            if !service_labels.is_empty() {
                settings.service_labels = service_labels;
            }
            let added = services
                .add_integration(&ctx, &kind, &name, signing, reader.as_deref(), &settings)
                .await?;
            let base = services.public_url.clone().unwrap_or_default();
            println!("added {} integration {name}", source.label());
            println!("endpoint: POST {base}{}", added.endpoint);
            if let Some(secret) = added.secret {
                println!("secret (shown only now; send it as Authorization: Bearer): {secret}");
            }
        }
        IntegrationCommand::List => {
            for i in services.integrations().await? {
                let state = if i.enabled { "enabled" } else { "disabled" };
                let reader = i.reader.as_deref().unwrap_or("(public only)");
                println!(
                    "{}\t{}\t{state}\treader {reader}\t{} incidents\tadded by {} at {}",
                    i.name, i.kind, i.incidents, i.created_by, i.created_at
                );
            }
        }
        IntegrationCommand::Disable { name } => {
            services.set_integration_enabled(&ctx, &name, false).await?;
            println!("disabled {name}: its deliveries are refused with 403");
        }
        IntegrationCommand::Enable { name } => {
            services.set_integration_enabled(&ctx, &name, true).await?;
            println!("enabled {name}");
        }
    }
    Ok(())
}

/// A secret (`what` says which): the first line of standard input.
fn read_secret(what: &str) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("{what} (shown as you type; pipe it in to avoid that): ");
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("cannot read the secret from standard input")?;
    let secret = line.trim().to_string();
    if secret.is_empty() {
        bail!("no secret on standard input");
    }
    Ok(secret)
}
