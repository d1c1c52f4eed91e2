//! `GET /api/v1/insights` and `GET /insights.csv`: the insights page's
//! figures for the caller (what they may see), for a period and filters:
//! `from`, `to` (`YYYY-MM`, the last twelve months by default), `service`,
//! `team`, `severity`.

use super::{attachment, ApiError};
use app::context::RequestContext;
use app::service::insights::{csv, InsightsQuery};
use app::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};

/// The figures as JSON, one object per section: `incidents`, `clock`,
/// `recurrence`, `action_items`, `calibration` (`brier`, `bins`,
/// `forecasts`, `people`) and `learning`. A field that cannot be read is a
/// 400 naming it.
pub(super) async fn get_insights(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    params: Result<Query<InsightsQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    Ok(Json(figures(&state, &ctx, params).await?).into_response())
}

async fn figures(
    state: &AppState,
    ctx: &RequestContext,
    params: Result<Query<InsightsQuery>, QueryRejection>,
) -> Result<kb_domain::insights::Insights, ApiError> {
    let Query(query) = params?;
    Ok(state.services.insights(ctx, &query).await?)
}

/// The same figures as CSV, one row per figure.
pub async fn insights_csv(
    State(state): State<AppState>,
    Extension(ctx): Extension<RequestContext>,
    params: Result<Query<InsightsQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let insights = figures(&state, &ctx, params).await?;
    let name = format!(
        "insights-{}-{}.csv",
        insights.months.first().map_or("", String::as_str),
        insights.months.last().map_or("", String::as_str)
    );
    Ok(attachment("text/csv; charset=utf-8", &name, csv(&insights)))
}
