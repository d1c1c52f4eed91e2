//! The Hindsight binary's library half: configuration, start-up, the HTTP
//! router (pages, server functions, JSON API) and the command-line tools.
//!
//! # Layout
//! - [`config`]: command-line flags and environment variables.
//! - [`startup`]: opening the data folder (database, then index).
//! - [`http`]: the router and the server loop; `http::api` holds the JSON API.
//! - [`cli`]: `import` (JSON Lines, JSON, Markdown, folders), `export`,
//!   `demo`, `reindex` and `search`.
//! - [`users`]: `user add`, `user list`, `user password`.
//! - [`integrations`]: `integration add`, `list`, `disable`, `enable`.
//!
//! Benchmarks and evaluations live in their own crate (`bench/`,
//! `hindsight-bench`), which uses this one through its public paths.
//!
//! `main.rs` only parses the configuration and dispatches, so tests can build
//! the router around a temporary data folder and drive it without a socket.

pub mod cli;
pub mod config;
pub mod http;
pub mod integrations;
pub mod startup;
pub mod users;

/// Sends the log to standard error, filtered by `RUST_LOG` (default: info,
/// with the database's and the index's own chatter at warn).
pub fn log_to_stderr() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
                tracing_subscriber::EnvFilter::new("info,sqlx=warn,tantivy=warn")
            }),
        )
        .with_writer(std::io::stderr)
        .init();
}
