//! `POST /api/v1/intake/{kind}/{integration}`: where alert sources post.
//! The body is read as raw bytes (signatures cover the exact bytes sent),
//! at most [`kb_intake::MAX_PAYLOAD_BYTES`]; the answer is JSON, an error
//! as the rest of the API gives it.

use super::api::ApiError;
use app::service::intake::Credentials;
use app::state::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{post, MethodRouter};
use axum::Json;
use kb_intake::signature::{
    GRAFANA_SIGNATURE_HEADER, GRAFANA_TIMESTAMP_HEADER, PAGERDUTY_SIGNATURE_HEADER,
};

/// The route, with its own body limit: an oversized payload is 413 before
/// it is read.
pub fn route() -> MethodRouter<AppState> {
    post(intake).layer(DefaultBodyLimit::max(kb_intake::MAX_PAYLOAD_BYTES))
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

async fn intake(
    State(state): State<AppState>,
    Path((kind, name)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let credentials = Credentials {
        bearer: header(&headers, "authorization").and_then(|v| {
            let (scheme, secret) = v.split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| secret.to_string())
        }),
        pagerduty_signature: header(&headers, PAGERDUTY_SIGNATURE_HEADER),
        grafana_signature: header(&headers, GRAFANA_SIGNATURE_HEADER),
        grafana_timestamp: header(&headers, GRAFANA_TIMESTAMP_HEADER),
    };
    match state
        .services
        .intake(&kind, &name, &credentials, &body)
        .await
    {
        Ok(answer) => Json(answer).into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}
