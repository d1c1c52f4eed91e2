//! Settings, from flags first and environment variables second.

use clap::{Parser, Subcommand};
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

    /// Database URL (`sqlite:PATH`). Defaults to `hindsight.db` inside the
    /// data folder.
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
    Serve {
        /// Address to listen on [default: 127.0.0.1:3000, or LEPTOS_SITE_ADDR
        /// when run by cargo-leptos].
        #[arg(long, env = "HINDSIGHT_ADDR")]
        addr: Option<SocketAddr>,
    },
    /// Import incidents from a JSON Lines file, one incident per line.
    Import {
        /// The file to read.
        file: PathBuf,
    },
    /// Rebuild the search index from the database.
    Reindex,
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
}
