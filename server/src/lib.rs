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
//!
//! Benchmarks and evaluations live in their own crate (`bench/`,
//! `hindsight-bench`), which uses this one through its public paths.
//!
//! `main.rs` only parses the configuration and dispatches, so tests can build
//! the router around a temporary data folder and drive it without a socket.

pub mod cli;
pub mod config;
pub mod http;
pub mod startup;
pub mod users;
