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
//! - [`eval`]: `hindsight eval`, search quality on the shared corpus.
//! - [`bench_actions`]: `hindsight bench-actions`, the Action items page
//!   over 50,000 synthetic items.
//!
//! `main.rs` only parses the configuration and dispatches, so tests can build
//! the router around a temporary data folder and drive it without a socket.

pub mod bench;
pub mod bench_actions;
pub mod cli;
pub mod config;
pub mod eval;
pub mod http;
pub mod startup;
pub mod synth;
pub mod users;
