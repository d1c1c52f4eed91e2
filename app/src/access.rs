//! Who may reach what: the one table of what every server function needs,
//! the rules for pages and the JSON API, and the middleware that enforces
//! them before any handler runs.
//!
//! Deny by default: a server function missing from [`SERVER_FNS`] needs an
//! admin, and the authorization test walks every registered server function
//! and every route, so a new one cannot be forgotten.
//!
//! Until the first administrator exists the instance is open: the person at
//! the machine is setting it up (the server listens on 127.0.0.1 unless told
//! otherwise), and every page says so. From then on, no one is let in
//! without signing in.

use crate::context::{Caller, RequestContext};
use crate::error::AppError;
use crate::pages::{
    account, action_items, admin, editor, home, insights, integrations, investigate, new,
    postmortem, private, search,
};
use crate::request::{is_static, is_webhook};
use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kb_domain::accounts::Role;
use leptos::server_fn::ServerFn;

/// What a request needs from its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Anyone, signed in or not: signing in itself, assets, the health check.
    Public,
    /// A signed-in account with at least this role.
    Role(Role),
    /// A signed-in browser session with at least this role, never an API
    /// token: what changes who can do what (tokens, accounts, groups). A
    /// leaked or read-only token cannot mint itself a stronger one.
    Session(Role),
}

/// Every server function and what it needs. Reads need a viewer, writes an
/// editor; signing in and the setup page's calls are public; managing
/// tokens, accounts and groups needs a session.
pub const SERVER_FNS: &[(&str, Need)] = &[
    (account::AuthStatus::PATH, Need::Public),
    (account::SignIn::PATH, Need::Public),
    (account::SignOut::PATH, Need::Public),
    (account::SetUp::PATH, Need::Public),
    // Your own tokens: any account, signed in with a password.
    (account::MyApiTokens::PATH, Need::Session(Role::Viewer)),
    (account::CreateApiToken::PATH, Need::Session(Role::Viewer)),
    (account::RevokeApiToken::PATH, Need::Session(Role::Viewer)),
    (home::ListPostmortems::PATH, Need::Role(Role::Viewer)),
    (search::SearchPostmortems::PATH, Need::Role(Role::Viewer)),
    // The editor: drawing it reads; saving it writes.
    (editor::DrawEditor::PATH, Need::Role(Role::Viewer)),
    (
        postmortem::GetPostmortemPage::PATH,
        Need::Role(Role::Viewer),
    ),
    (postmortem::RevisionChanges::PATH, Need::Role(Role::Viewer)),
    (postmortem::RestoreRevision::PATH, Need::Role(Role::Editor)),
    (postmortem::DecideSuggestion::PATH, Need::Role(Role::Editor)),
    (postmortem::ChangeStatus::PATH, Need::Role(Role::Editor)),
    (
        investigate::InvestigateEvidence::PATH,
        Need::Role(Role::Viewer),
    ),
    (investigate::DecideFinding::PATH, Need::Role(Role::Editor)),
    (investigate::StartPostmortem::PATH, Need::Role(Role::Editor)),
    (editor::SaveFields::PATH, Need::Role(Role::Editor)),
    // Reads only: a kept draft drawn, the conflict panel, the editor's
    // "seen before?" search and markdown preview.
    (editor::DrawFields::PATH, Need::Role(Role::Viewer)),
    (editor::DrawConflict::PATH, Need::Role(Role::Viewer)),
    (editor::DrawSeenBefore::PATH, Need::Role(Role::Viewer)),
    (new::RenderMarkdown::PATH, Need::Role(Role::Viewer)),
    (
        action_items::ListActionItems::PATH,
        Need::Role(Role::Viewer),
    ),
    (
        action_items::ChangeActionItems::PATH,
        Need::Role(Role::Editor),
    ),
    (
        action_items::ActionItemHistory::PATH,
        Need::Role(Role::Viewer),
    ),
    // Only sets the browser's own "my items" cookie.
    (action_items::SetMyName::PATH, Need::Role(Role::Viewer)),
    (
        action_items::summary::LoadActionSummary::PATH,
        Need::Role(Role::Viewer),
    ),
    (insights::InsightsPage::PATH, Need::Role(Role::Viewer)),
    // A token's role is capped at editor, so none reaches these anyway;
    // the changes say outright that they need a person.
    (admin::ListAccounts::PATH, Need::Role(Role::Admin)),
    (admin::AddAccount::PATH, Need::Session(Role::Admin)),
    (admin::ChangeAccount::PATH, Need::Session(Role::Admin)),
    (private::ListGroups::PATH, Need::Role(Role::Admin)),
    (
        integrations::ListIntegrations::PATH,
        Need::Role(Role::Admin),
    ),
    // Adding one mints a secret: a person, never a token.
    (
        integrations::AddIntegration::PATH,
        Need::Session(Role::Admin),
    ),
    (
        integrations::SetIntegrationEnabled::PATH,
        Need::Session(Role::Admin),
    ),
    (private::CreateGroup::PATH, Need::Session(Role::Admin)),
    (private::SetGroupMember::PATH, Need::Session(Role::Admin)),
    (private::ReadAccessLog::PATH, Need::Role(Role::Admin)),
    (private::ReadChatLog::PATH, Need::Role(Role::Admin)),
];

/// Pages anyone may open: the ways in.
pub const PUBLIC_PAGES: &[&str] = &["/sign-in", "/setup"];

/// API requests that are posted but only read: any viewer may make them.
const API_READS: &[&str] = &["/api/v1/investigate"];

/// What `method path` needs.
pub fn need(method: &Method, path: &str) -> Need {
    if let Some((_, need)) = SERVER_FNS.iter().find(|(p, _)| *p == path) {
        return *need;
    }
    if is_static(path) {
        return Need::Public;
    }
    if is_webhook(path) && method == Method::POST {
        // Authenticated by the integration's own secret or signature.
        return Need::Public;
    }
    if path.starts_with("/api/v1/") {
        // The JSON API: reading is viewing, anything else is editing, but
        // for the reads that take a body too big for a query string.
        return if method == Method::GET || method == Method::HEAD || API_READS.contains(&path) {
            Need::Role(Role::Viewer)
        } else {
            Need::Role(Role::Editor)
        };
    }
    if path.starts_with("/api/") {
        // A server function not in the table: only an admin, so forgetting
        // one locks it rather than opening it.
        return Need::Role(Role::Admin);
    }
    if PUBLIC_PAGES.contains(&path) {
        return Need::Public;
    }
    if path == "/admin" || path.starts_with("/admin/") {
        return Need::Role(Role::Admin);
    }
    if method == Method::GET || method == Method::HEAD {
        // Pages and the CSV export: reading.
        Need::Role(Role::Viewer)
    } else {
        Need::Role(Role::Admin)
    }
}

/// Whether `ctx` may do what `need` asks; the refusal says why.
pub fn check(ctx: &RequestContext, need: Need) -> Result<(), AppError> {
    let role = match need {
        Need::Public => return Ok(()),
        Need::Role(role) => role,
        Need::Session(_) if ctx.by_token => {
            return Err(AppError::Forbidden(
                "API tokens cannot do this; sign in with your password.".to_string(),
            ))
        }
        Need::Session(role) => role,
    };
    match &ctx.caller {
        Caller::LocalAnonymous | Caller::CommandLine => Ok(()),
        Caller::Anonymous => Err(AppError::Unauthorized(
            "Sign in to use Hindsight.".to_string(),
        )),
        Caller::User(account) if account.role.includes(role) => Ok(()),
        Caller::User(account) => Err(AppError::Forbidden(format!(
            "{} accounts cannot do this; it needs the {} role.",
            account.role.label(),
            role.as_str()
        ))),
    }
}

/// Axum middleware, after [`crate::request::resolve_caller`]: refuses what
/// the caller may not do. A signed-out browser asking for a page is sent to
/// sign in (and back afterwards); server functions and the API get 401 or
/// 403 with a JSON error.
pub async fn authorize(request: Request, next: Next) -> Response {
    let need = need(request.method(), request.uri().path());
    let Some(ctx) = request.extensions().get::<RequestContext>() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    match check(ctx, need) {
        Ok(()) => next.run(request).await,
        Err(refusal) => {
            let path = request.uri().path();
            let is_page = !path.starts_with("/api/")
                && (request.method() == Method::GET || request.method() == Method::HEAD);
            if is_page && ctx.caller == Caller::Anonymous {
                let next_url = request
                    .uri()
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/");
                let target = format!(
                    "/sign-in?next={}",
                    kb_domain::actions::percent_encode(next_url)
                );
                return (StatusCode::SEE_OTHER, [(header::LOCATION, target)]).into_response();
            }
            let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::FORBIDDEN);
            let body = serde_json::json!({ "error": refusal.to_string() });
            (status, axum::Json(body)).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_server_functions_need_an_admin() {
        assert_eq!(
            need(&Method::POST, "/api/not_in_the_table123"),
            Need::Role(Role::Admin)
        );
        assert_eq!(need(&Method::POST, "/incidents/1"), Need::Role(Role::Admin));
    }

    #[test]
    fn the_api_needs_an_editor_to_write_and_a_viewer_to_read() {
        assert_eq!(
            need(&Method::GET, "/api/v1/incidents/1"),
            Need::Role(Role::Viewer)
        );
        assert_eq!(
            need(&Method::PATCH, "/api/v1/action-items/1"),
            Need::Role(Role::Editor)
        );
        assert_eq!(need(&Method::GET, "/sign-in"), Need::Public);
        assert_eq!(need(&Method::GET, "/incidents/1"), Need::Role(Role::Viewer));
    }
}
