//! `POST /api/v1/chat/{client}/{integration}`: where Slack and Mattermost
//! post slash commands. The body is read as raw bytes (Slack signs the
//! exact bytes sent); the answer is the client's JSON, an error as the
//! rest of the API gives it.

use super::api::ApiError;
use app::service::chat::ChatCredentials;
use app::state::AppState;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{post, MethodRouter};
use axum::Json;
use kb_intake::signature::{SLACK_SIGNATURE_HEADER, SLACK_TIMESTAMP_HEADER};

/// The route, with its own body limit: an oversized request is 413 before
/// it is read.
pub fn route() -> MethodRouter<AppState> {
    post(chat).layer(DefaultBodyLimit::max(kb_intake::MAX_PAYLOAD_BYTES))
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

async fn chat(
    State(state): State<AppState>,
    Path((client, name)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let credentials = ChatCredentials {
        slack_signature: header(&headers, SLACK_SIGNATURE_HEADER),
        slack_timestamp: header(&headers, SLACK_TIMESTAMP_HEADER),
        authorization: header(&headers, "authorization"),
    };
    match state
        .services
        .chat(&client, &name, &credentials, &body)
        .await
    {
        Ok(answer) => Json(answer).into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}
