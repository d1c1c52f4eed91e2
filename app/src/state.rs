//! The state every request shares: built once at start-up by the server.

use crate::service::Services;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

/// What server functions and API handlers reach through context.
#[derive(Clone)]
pub struct AppState {
    /// Where the compiled site lives and how it is served.
    pub leptos_options: LeptosOptions,
    /// The services over store and index.
    pub services: Services,
    /// Reverse proxies whose `X-Forwarded-For` names the client (see
    /// [`crate::request::client_ip`]); empty: the peer is the client.
    pub trusted_proxies: std::sync::Arc<Vec<std::net::IpAddr>>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The services, inside a server function.
pub fn services() -> Result<Services, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>()
        .map(|s| s.services)
        .ok_or_else(|| crate::error::AppError::Internal("server state is missing".into()))
}
