//! The JSON API under `/api/v1`. Every handler reads its caller from the
//! request context, like the server functions, and calls the same services.
//! Errors are JSON: `{"error": "...", "fields": [{"field", "message"}]}`.

use app::context::RequestContext;
use app::error::AppError;
use app::state::AppState;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use kb_domain::{FieldError, IncidentInput};
use serde::{Deserialize, Serialize};

/// The API routes, relative to `/api/v1`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/search", get(search))
        .route("/incidents", post(create_incident))
        .route("/incidents/{id}", get(get_incident))
}

/// An API failure, rendered as JSON with a fitting status.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    fields: Vec<FieldError>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    fields: &'a [FieldError],
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: &self.message,
            fields: &self.fields,
        };
        (self.status, Json(body)).into_response()
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let fields = match &e {
            AppError::Invalid(errors) => errors.0.clone(),
            _ => Vec::new(),
        };
        ApiError {
            status,
            message: e.to_string(),
            fields,
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        // Keeps axum's status (400, 413, 415, 422) and its explanation.
        ApiError {
            status: r.status(),
            message: r.body_text(),
            fields: Vec::new(),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: r.body_text(),
            fields: Vec::new(),
        }
    }
}

/// Query of `GET /search`.
#[derive(Debug, Deserialize)]
pub struct SearchParams {
    /// The pasted text; absent or empty gives no results.
    #[serde(default)]
    q: String,
    /// Most hits, 1 to 100 [default 10].
    limit: Option<usize>,
}

/// `GET /api/v1/search?q=TEXT&limit=N`
async fn search(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params?;
    let response = state
        .core
        .search(&ctx, &params.q, params.limit.unwrap_or(10))
        .await?;
    Ok(Json(response).into_response())
}

#[derive(Serialize)]
struct Created {
    id: i64,
}

/// `POST /api/v1/incidents` with an import line as the body: 201 and the id.
async fn create_incident(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    body: Result<Json<IncidentInput>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(input) = body?;
    let id = state.core.create(&ctx, input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })).into_response())
}

/// `GET /api/v1/incidents/{id}`
async fn get_incident(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let Ok(id) = id.parse::<i64>() else {
        return Err(AppError::NotFound.into());
    };
    match state.core.get(&ctx, id).await? {
        Some(incident) => Ok(Json(incident).into_response()),
        None => Err(AppError::NotFound.into()),
    }
}
