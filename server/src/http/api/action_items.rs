//! The action-item routes of the JSON API: the list with the Action items
//! page's filters (JSON or CSV), one item with its history, and a checked
//! change to one item.

use super::{attachment, ApiError};
use app::context::RequestContext;
use app::error::AppError;
use app::state::AppState;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use kb_domain::actions::{ActionFilters, ActionPatch, ITEMS_PER_PAGE};
use kb_domain::FieldError;
use serde::Serialize;

/// The query of the action-item routes as filters: the same reading as
/// the Action items page's URL.
fn action_filters(pairs: &[(String, String)]) -> ActionFilters {
    ActionFilters::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// `GET /api/v1/action-items?status=&owner=&team=&service=&kind=&priority=&due=&postmortem=&recurred=1&mine=1&sort=&page=N&limit=N[&format=csv]`:
/// `{"rows", "total", "counts", "filters", "today", "page_size"}`, or the
/// CSV of every matching item with `format=csv`. Unknown values are 400,
/// naming the parameter.
pub(super) async fn list_action_items(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    params: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(pairs) = params?;
    let value = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    match value("format") {
        None | Some("" | "json") => {}
        Some("csv") => return action_items_csv_of(&state, &ctx, &pairs).await,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "unknown format {other:?}: use json or csv"
            )))
        }
    }
    let limit = match value("limit") {
        None => ITEMS_PER_PAGE,
        Some(l) => l
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=1_000).contains(n))
            .ok_or_else(|| ApiError::bad_request("limit is a number from 1 to 1000"))?,
    };
    let page = state
        .services
        .action_items(&ctx, &action_filters(&pairs), limit)
        .await?;
    Ok(Json(page).into_response())
}

/// `GET /action-items.csv?<filters>`: the Action items page's current view
/// as a CSV file (every page of it).
pub async fn action_items_csv(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    params: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(pairs) = params?;
    action_items_csv_of(&state, &ctx, &pairs).await
}

async fn action_items_csv_of(
    state: &AppState,
    ctx: &RequestContext,
    pairs: &[(String, String)],
) -> Result<Response, ApiError> {
    let (rows, today) = state
        .services
        .action_items_export(ctx, &action_filters(pairs))
        .await?;
    let body = app::service::actions::csv(&rows, &today);
    Ok(attachment(
        "text/csv; charset=utf-8",
        &format!("action-items-{today}.csv"),
        body,
    ))
}

/// An action item with its history.
#[derive(Serialize)]
struct ItemWithHistory {
    #[serde(flatten)]
    item: kb_domain::actions::ActionItemRow,
    history: Vec<kb_domain::actions::ActionChange>,
}

fn item_id(id: &str) -> Result<i64, ApiError> {
    id.parse::<i64>().map_err(|_| AppError::NotFound.into())
}

/// `GET /api/v1/action-items/{id}`: the item and its history (who, when,
/// field, from, to), or 404.
pub(super) async fn get_action_item(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = item_id(&id)?;
    let item = state
        .services
        .action_item(&ctx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let history = state.services.action_item_history(&ctx, id).await?;
    Ok(Json(ItemWithHistory { item, history }).into_response())
}

/// `PATCH /api/v1/action-items/{id}` with `{"version", "status"?, "owner"?,
/// "due"?}`: the item as changed. `version` is the item's version the
/// change is based on; a stale one is 409 and changes nothing. Bad values
/// are 400 with a message per field; an unknown item is 404.
pub(super) async fn patch_action_item(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    Path(id): Path<String>,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<Response, ApiError> {
    let id = item_id(&id)?;
    let Json(body) = body?;
    if !body.get("version").is_some_and(serde_json::Value::is_i64) {
        return Err(ApiError {
            status: StatusCode::BAD_REQUEST,
            message: "say which version of the item the change is based on".into(),
            fields: vec![FieldError {
                field: "version".into(),
                message: "required: the item's version, a whole number".into(),
            }],
        });
    }
    let patch: ActionPatch = serde_json::from_value(body)
        .map_err(|e| ApiError::bad_request(format!("not an action-item change: {e}")))?;
    let item = state.services.change_action_item(&ctx, id, &patch).await?;
    Ok(Json(item).into_response())
}
