//! The HTTP side: one router carrying the pages, the server functions, the
//! JSON API and the health check, and the loop that serves it.

pub mod api;
pub mod caching;
pub mod chat;
pub mod intake;
pub mod isolation;
pub mod security;

use anyhow::Context;
use app::error::AppError;
use app::request::resolve_caller;
use app::service::Services;
use app::state::AppState;
use app::{shell, App};
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::Router;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

/// Largest request body accepted anywhere but [`LARGE_BODIES`]. A
/// postmortem with long pasted logs fits easily; anything bigger is refused
/// with 413 before it is read.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// The routes that take more: evidence to investigate is pasted straight
/// from a log, megabytes of it.
/// The browser's calls send the paste form-encoded, which can double its
/// size, hence twice the room.
pub const LARGE_BODIES: &[(&str, usize)] = &[
    ("/api/v1/investigate", api::MAX_EVIDENCE_BYTES),
    (
        <app::pages::investigate::InvestigateEvidence as ServerFn>::PATH,
        2 * api::MAX_EVIDENCE_BYTES,
    ),
    (
        <app::pages::investigate::StartPostmortem as ServerFn>::PATH,
        2 * api::MAX_EVIDENCE_BYTES,
    ),
];

/// How often the server looks for writes made by other processes (a CLI
/// import) and for rebuild requests.
const FOLLOW_EVERY: Duration = Duration::from_secs(1);

/// Every route that is not a page or a server function, with its method:
/// the router is built from this list, and the authorization test walks it.
pub fn routes() -> Vec<(Method, String, MethodRouter<AppState>)> {
    let mut routes = vec![
        (Method::GET, "/healthz".to_string(), get(healthz)),
        (
            Method::GET,
            "/action-items.csv".to_string(),
            get(api::action_items_csv),
        ),
        (
            Method::GET,
            "/insights.csv".to_string(),
            get(api::insights_csv),
        ),
        (
            Method::POST,
            "/api/v1/intake/{kind}/{integration}".to_string(),
            intake::route(),
        ),
        (
            Method::POST,
            "/api/v1/chat/{client}/{integration}".to_string(),
            chat::route(),
        ),
    ];
    routes.extend(
        api::routes()
            .into_iter()
            .map(|(method, path, handler)| (method, format!("/api/v1{path}"), handler)),
    );
    routes
}

/// The whole application as one router, answering to loopback names and
/// addresses only.
pub fn router(state: AppState) -> Router {
    router_for(state, security::AllowedHosts::default())
}

/// The whole application as one router, answering to `hosts`.
pub fn router_for(state: AppState, hosts: security::AllowedHosts) -> Router {
    let pages = generate_route_list(App);
    routes()
        .into_iter()
        .fold(Router::new(), |router, (_, path, handler)| {
            router.route(&path, handler)
        })
        .leptos_routes_with_context(
            &state,
            pages,
            {
                let state = state.clone();
                move || provide_context(state.clone())
            },
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // Layers run bottom-up: the answer is compressed last; foreign
        // host names and cross-site writes are refused, the caller is
        // resolved, then authorized.
        .layer(axum::middleware::from_fn(server_fn_status))
        .layer(axum::middleware::from_fn(app::access::authorize))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            resolve_caller,
        ))
        .layer(axum::middleware::from_fn(security::refuse_cross_site))
        .layer(axum::middleware::from_fn(security::security_headers))
        .layer(axum::middleware::from_fn(caching::cache_headers))
        .layer(axum::middleware::from_fn_with_state(
            hosts,
            security::refuse_foreign_host,
        ))
        .layer(axum::middleware::from_fn(limit_body))
        .layer(axum::middleware::from_fn(isolation::own_reactive_owner))
        .layer(caching::compression())
        .with_state(state)
}

/// Refuses a body over the route's limit ([`MAX_BODY_BYTES`], or its own
/// in [`LARGE_BODIES`]) with 413: at once when its length is declared,
/// otherwise as soon as the reader passes the limit.
async fn limit_body(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let path = request.uri().path();
    let limit = LARGE_BODIES
        .iter()
        .find(|(large, _)| *large == path)
        .map_or(MAX_BODY_BYTES, |(_, limit)| *limit);
    let declared = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return (StatusCode::PAYLOAD_TOO_LARGE, "length limit exceeded").into_response();
    }
    // Extractors answer 413 when the limited body stops them.
    let (parts, body) = request.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, limit));
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}

/// Gives a server function's error the status its [`AppError`] deserves
/// (400 for arguments that cannot be read, 404, 409, 429...), as the JSON
/// API does: server_fn answers every error 500, which tells a client
/// nothing and makes its mistakes look like the server's faults.
async fn server_fn_status(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = request.uri().path();
    let server_fn = path.starts_with("/api/") && !path.starts_with("/api/v1/");
    let response = next.run(request).await;
    if !server_fn || response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // An error is a short JSON value; anything longer is left as it is.
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "error too long to send\n",
        )
            .into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status()).unwrap_or(parts.status);
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// `GET /healthz`: 200 when the database and the index answer, 503 if not.
async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.services.health().await {
        Ok(()) => (StatusCode::OK, "ok\n"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable\n"),
    }
}

/// The state for a server on `services`, with Leptos settings from the
/// environment cargo-leptos provides (or its defaults).
pub fn app_state(services: Services, addr: Option<SocketAddr>) -> anyhow::Result<AppState> {
    let mut leptos_options = get_configuration(None)
        .context("cannot read the Leptos configuration")?
        .leptos_options;
    if let Some(addr) = addr {
        leptos_options.site_addr = addr;
    }
    // cargo-leptos bakes the output name in at build time; a plain `cargo
    // build` (tests, clippy) does not, and the pages would then point at
    // `/pkg/.js`.
    if leptos_options.output_name.is_empty() {
        leptos_options.output_name = "hindsight".into();
    }
    // A release build names its files by their content and lists the
    // names in a file beside the binary; cargo-leptos says so in the
    // environment, a binary started on its own finds the file.
    if !leptos_options.hash_files {
        leptos_options.hash_files = std::env::current_exe()
            .ok()
            .and_then(|exe| Some(exe.parent()?.join(&*leptos_options.hash_file)))
            .is_some_and(|file| file.is_file());
    }
    Ok(AppState {
        leptos_options,
        services,
        trusted_proxies: Default::default(),
    })
}

/// Opens the data folder and serves until Ctrl-C or SIGTERM, as `args`
/// say: where to listen, which names to answer to, which proxies to
/// believe, where tracker keys link to.
pub async fn serve_forever(
    data_dir: &Path,
    database_url: Option<&str>,
    args: crate::config::ServeArgs,
) -> anyhow::Result<()> {
    let mut services = crate::startup::open(data_dir, database_url).await?;
    let hosts = security::AllowedHosts::new(args.host_names());
    services.tracker_url = args.tracker_url.clone();
    services.public_url = args.public_url.as_ref().map(|u| u.url.clone());
    let mut state = app_state(services, args.addr)?;
    state.trusted_proxies = std::sync::Arc::new(args.trusted_proxies);
    let addr = state.leptos_options.site_addr;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    tracing::info!(
        "Hindsight on http://{} (data in {})",
        listener.local_addr()?,
        data_dir.display()
    );
    serve(listener, state, hosts, shutdown_signal()).await
}

/// Serves `state` on `listener` until `shutdown` completes, with the index
/// follower running beside it.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    hosts: security::AllowedHosts,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let follower = tokio::spawn(state.services.indexer.clone().follow(FOLLOW_EVERY));
    // The insights facts are read once now, not by the first reader of the
    // page (seconds at 100k postmortems); later writes are read as they
    // come.
    let services = state.services.clone();
    tokio::spawn(async move {
        if let Err(e) = services.insight_facts.catch_up(&services.store).await {
            tracing::warn!(error = %e, "could not read the insights facts; the page will try again");
        }
    });
    let result = axum::serve(
        listener,
        router_for(state, hosts).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    follower.abort();
    result.context("server failed")
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
