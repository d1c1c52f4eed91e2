//! `hindsight user ...`: accounts from the command line, for the operator of
//! the machine (whoever can read the data folder). The way to make the first
//! administrator without a browser, and to reset a lost password.

use crate::config::UserCommand;
use anyhow::{bail, Context};
use kb_domain::accounts::Role;
use std::io::{BufRead, IsTerminal};
use std::path::Path;

/// Runs one `user` subcommand against the data folder.
pub async fn run(
    data_dir: &Path,
    database_url: Option<&str>,
    action: UserCommand,
) -> anyhow::Result<()> {
    let services = crate::startup::open(data_dir, database_url).await?;
    match action {
        UserCommand::Add { name, role, admin } => {
            let role = if admin { Role::Admin } else { role };
            let password = read_password()?;
            let account = services.accounts.add(&name, &password, role).await?;
            println!("added {} ({})", account.name, account.role.as_str());
        }
        UserCommand::List => {
            for (account, disabled) in services.accounts.list().await? {
                let state = if disabled { "\tdisabled" } else { "" };
                println!("{}\t{}{state}", account.name, account.role.as_str());
            }
        }
        UserCommand::Password { name } => {
            let password = read_password()?;
            services.accounts.set_password(&name, &password).await?;
            println!("password of {name} changed; their sessions have ended and their API tokens are revoked");
        }
    }
    Ok(())
}

/// The password: the first line of standard input. Piped in normally; typed
/// at a terminal it would be shown, so the prompt says so.
fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password (shown as you type; pipe it in to avoid that): ");
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        bail!("no password on standard input");
    }
    Ok(password)
}
