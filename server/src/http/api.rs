//! The JSON API under `/api/v1`. Every handler reads its caller from the
//! request context, like the server functions, and calls the same services.
//! Errors are JSON: `{"error": "...", "fields": [{"field", "message"}]}`.
//!
//! Exports are files, not JSON answers: one postmortem as markdown or JSON,
//! all of them as JSON Lines, each as an attachment with a file name, in the
//! formats of [`kb_export`] that `hindsight import` reads back.

use app::context::RequestContext;
use app::error::AppError;
use app::state::AppState;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post, MethodRouter};
use axum::{Extension, Json};
use kb_domain::{FieldError, SearchFilters, SearchQuery};
use kb_export::{ExportError, Format};
use serde::{Deserialize, Serialize};

mod action_items;
mod insights;

pub use action_items::action_items_csv;
use action_items::{get_action_item, list_action_items, patch_action_item};
pub use insights::insights_csv;

/// Every API route with its method, relative to `/api/v1`.
pub fn routes() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    vec![
        (Method::GET, "/search", get(search)),
        (
            Method::POST,
            "/investigate",
            post(investigate).layer(DefaultBodyLimit::max(MAX_EVIDENCE_BYTES)),
        ),
        (Method::POST, "/incidents", post(create_incident)),
        (Method::GET, "/incidents/{id}", get(get_postmortem)),
        (Method::GET, "/incidents/{id}/export", get(export_incident)),
        (
            Method::GET,
            "/incidents/{id}/investigation",
            get(get_investigation),
        ),
        (Method::GET, "/export", get(export_all)),
        (Method::GET, "/insights", get(insights::get_insights)),
        (Method::GET, "/action-items", get(list_action_items)),
        (Method::GET, "/action-items/{id}", get(get_action_item)),
        (
            Method::PATCH,
            "/action-items/{id}",
            patch(patch_action_item),
        ),
    ]
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

impl ApiError {
    fn bad_request(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    fn internal(what: &str, cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "{what}");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: format!("{what}; the server log has the details"),
            fields: Vec::new(),
        }
    }
}

impl From<ExportError> for ApiError {
    /// A request body of the wrong shape: 400, naming the field when one
    /// is to blame, like a validation error.
    fn from(e: ExportError) -> Self {
        let fields = match &e {
            ExportError::Field { field, message, .. } => vec![FieldError {
                field: field.clone(),
                message: message.clone(),
            }],
            ExportError::NewerFormat { .. } => vec![FieldError {
                field: kb_export::FORMAT_KEY.to_string(),
                message: e.to_string(),
            }],
            _ => Vec::new(),
        };
        ApiError {
            status: StatusCode::BAD_REQUEST,
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
    /// Ranked matches to skip [default 0].
    #[serde(default)]
    offset: usize,
    /// Patterns to return, 0 to 10 [default 3].
    patterns: Option<usize>,
    /// Filters: exact values.
    service: Option<String>,
    severity: Option<String>,
    year: Option<String>,
    tag: Option<String>,
    status: Option<String>,
}

/// `GET /api/v1/search?q=TEXT&limit=N&offset=N&patterns=N&service=S&severity=S&year=Y&tag=T&status=S`
async fn search(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params?;
    let nonempty = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
    let query = SearchQuery {
        text: params.q,
        filters: SearchFilters {
            service: nonempty(params.service),
            severity: nonempty(params.severity),
            year: nonempty(params.year),
            tag: nonempty(params.tag),
            status: nonempty(params.status),
        },
        offset: params.offset,
        limit: params.limit.unwrap_or(10),
        patterns: params.patterns.unwrap_or(3),
    };
    let body = state.services.find_json(&ctx, query).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// Largest body `POST /api/v1/investigate` takes: 10 MB of pasted logs
/// with room for JSON's escapes. The reader looks at its first 20,000
/// lines only (`kb_investigate::MAX_LINES`).
pub const MAX_EVIDENCE_BYTES: usize = 16 * 1024 * 1024;

/// The body of `POST /api/v1/investigate`.
#[derive(Deserialize)]
struct InvestigateBody {
    /// The pasted evidence: log lines, alerts, anything.
    text: String,
    /// The team's working hypothesis, to set the findings against.
    #[serde(default)]
    hypothesis: String,
}

/// `POST /api/v1/investigate` with `{"text": "...", "hypothesis": "..."}`
/// (the hypothesis optional): the findings the evidence gives,
/// `{"findings": [{"kind", "statement", "evidence": [{"line", "text"}]}],
/// "lines", "timed", "lanes", "chart", "update"}`. Reads only; a viewer may
/// ask.
async fn investigate(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    body: Result<Json<InvestigateBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(body) = body?;
    let found = state
        .services
        .investigate_text(&ctx, body.text, body.hypothesis)
        .await?;
    Ok(Json(found).into_response())
}

/// `GET /api/v1/incidents/{id}/investigation`: the Investigate panel of a
/// postmortem as JSON, as `POST /investigate` answers, each finding with
/// the `decision` taken on it, if any. 404 for one the caller may not see.
async fn get_investigation(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let found = state.services.investigation(&ctx, id).await?;
    Ok(Json(found).into_response())
}

#[derive(Serialize)]
struct Created {
    id: i64,
}

/// `POST /api/v1/incidents` with an import line (or a JSON export) as the
/// body: 201 and the id. The body is read by the import reader, so a value
/// of the wrong type is a 400 naming its field
/// (`hypotheses.0.confidence.1.value`), like a validation error.
async fn create_incident(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(body) = body?;
    let input = kb_export::json::read_value(&body)?.input;
    let id = state.services.create(&ctx, input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })).into_response())
}

/// `GET /api/v1/incidents/{id}`
async fn get_postmortem(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let Ok(id) = id.parse::<i64>() else {
        return Err(AppError::NotFound.into());
    };
    match state.services.get(&ctx, id).await? {
        Some(postmortem) => Ok(Json(postmortem).into_response()),
        None => Err(AppError::NotFound.into()),
    }
}

/// Query of the export routes.
#[derive(Debug, Deserialize)]
pub struct ExportParams {
    /// `markdown` (or `md`) or `json` [default: json].
    format: Option<String>,
}

impl ExportParams {
    fn format(&self) -> Result<Format, ApiError> {
        match &self.format {
            None => Ok(Format::Json),
            Some(f) => f
                .parse()
                .map_err(|e: ExportError| ApiError::bad_request(e.to_string())),
        }
    }
}

/// A file to download: its type and name. (The name is ASCII by
/// construction, see `kb_export::slug`, so it needs no `filename*`.)
fn attachment(content_type: &str, file_name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /api/v1/incidents/{id}/export?format=markdown|json`: the postmortem
/// as a file. 400 for an unknown format, 404 for an unknown id.
async fn export_incident(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<String>,
    params: Result<Query<ExportParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params?;
    let format = params.format()?;
    let Ok(id) = id.parse::<i64>() else {
        return Err(AppError::NotFound.into());
    };
    let Some(postmortem) = state.services.get(&ctx, id).await? else {
        return Err(AppError::NotFound.into());
    };
    let body = format
        .write(&crate::cli::export_record(&postmortem))
        .map_err(|e| ApiError::internal("could not export the postmortem", e))?;
    let name = kb_export::file_name(id, &postmortem.title, format);
    Ok(attachment(format.content_type(), &name, body))
}

/// Name of the file `GET /export` offers.
pub const EXPORT_ALL_FILE: &str = "hindsight-export.jsonl";

/// `GET /api/v1/export?format=json`: every postmortem, oldest first, as JSON
/// Lines (`application/x-ndjson`), the file `hindsight import` reads.
/// Markdown is one file per postmortem, a folder: the command line writes
/// that (`hindsight export --all --format markdown --out DIR`).
async fn export_all(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    params: Result<Query<ExportParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params?;
    if params.format()? == Format::Markdown {
        return Err(ApiError::bad_request(
            "markdown makes one file per postmortem: export one at a time \
             (/api/v1/incidents/{id}/export?format=markdown), all as format=json, \
             or a folder with `hindsight export --all --format markdown --out DIR`",
        ));
    }
    let mut body = String::new();
    for id in crate::cli::all_ids(&state.services, &ctx).await? {
        // One deleted since the listing is simply left out.
        let Some(postmortem) = state.services.get(&ctx, id).await? else {
            continue;
        };
        let line = kb_export::json::write_line(&crate::cli::export_record(&postmortem))
            .map_err(|e| ApiError::internal("could not export the postmortems", e))?;
        body.push_str(&line);
        body.push('\n');
    }
    Ok(attachment("application/x-ndjson", EXPORT_ALL_FILE, body))
}
