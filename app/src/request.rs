//! How a request becomes a [`RequestContext`]: the cookies (session, owner
//! name), the client's address behind trusted proxies, the middleware that
//! resolves the caller once per request, and reading the context back
//! inside a server function. The only place that knows both HTTP and
//! accounts; the services below it see only the context.

use crate::context::{Caller, RequestContext};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;

/// The files and the health check, which need no one and say nothing
/// about anyone: the caller is not even looked up for them.
pub fn is_static(path: &str) -> bool {
    path == "/healthz" || path.starts_with("/pkg/") || path == "/favicon.ico"
}

/// Where third parties post: alert sources
/// (`/api/v1/intake/{kind}/{integration}`) and chat clients' slash
/// commands (`/api/v1/chat/{client}/{integration}`). Each request proves
/// itself with its integration's secret, not as an account, and carries
/// no cookie: no session or token lookup, no cross-site check.
pub fn is_webhook(path: &str) -> bool {
    path.starts_with("/api/v1/intake/") || path.starts_with("/api/v1/chat/")
}

/// The cookie holding the owner name the browser's person goes by.
pub const NAME_COOKIE: &str = "hindsight_name";

/// The cookie holding a signed-in browser's session token.
pub const SESSION_COOKIE: &str = "hindsight_session";

/// The value of cookie `name` in `headers`, if sent.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// True when the browser reached us over https, directly or through a
/// proxy that says so: session cookies are then marked `Secure`.
pub fn over_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// Who sent a request: the peer, unless the peer is one of `trusted`
/// proxies; then the nearest address in `X-Forwarded-For` (read from the
/// right, as each proxy appends the address it heard from) that is not a
/// trusted proxy. Entries left of it were written by the client and prove
/// nothing, so they are never believed.
pub fn client_ip(
    peer: std::net::IpAddr,
    headers: &HeaderMap,
    trusted: &[std::net::IpAddr],
) -> std::net::IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for hop in forwarded.iter().rev() {
        match hop.parse::<std::net::IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => return ip,
            // Garbage where an address should be: stop at the proxy.
            Err(_) => return peer,
        }
    }
    peer
}

/// The `Set-Cookie` value that signs a browser in with `token` (`None`
/// signs it out). HttpOnly: no script can read it; SameSite=Lax: other
/// sites' forms and scripts do not carry it.
pub fn session_cookie(token: Option<&str>, secure: bool) -> String {
    let (value, max_age) = match token {
        Some(token) => (token, crate::service::accounts::SESSION_LIFETIME.as_secs()),
        None => ("", 0),
    };
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}")
}

/// Axum middleware: resolves the caller once (a live session or API token
/// makes them its account, a token with its role capped by its scope) and attaches it to the request, where server functions and
/// API handlers read it back.
pub async fn resolve_caller(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if is_static(request.uri().path()) || is_webhook(request.uri().path()) {
        // A page's scripts, styles and wasm, and alert deliveries: no
        // session lookup each.
        request.extensions_mut().insert(RequestContext {
            caller: Caller::Anonymous,
            name: None,
            by_token: false,
        });
        return next.run(request).await;
    }
    let headers = request.headers();
    let bearer = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    // A failed lookup is logged where it failed; the request goes on
    // signed out.
    let account = match (bearer, cookie(headers, SESSION_COOKIE)) {
        (Some(secret), _) => state
            .services
            .accounts
            .token_account(secret.trim())
            .await
            .unwrap_or_default(),
        (None, Some(token)) => state
            .services
            .accounts
            .session(token)
            .await
            .unwrap_or_default(),
        (None, None) => None,
    };
    // A token that does not work is refused even on an open instance: the
    // script expected to be someone.
    let bad_token = bearer.is_some() && account.is_none();
    let ctx = match account {
        Some(account) => RequestContext {
            name: Some(account.name.clone()),
            caller: Caller::User(account),
            by_token: bearer.is_some(),
        },
        None => RequestContext {
            // If the accounts cannot be read, fail closed.
            caller: match state.services.accounts.enforced().await {
                Ok(false) if !bad_token => Caller::LocalAnonymous,
                _ => Caller::Anonymous,
            },
            name: cookie(headers, NAME_COOKIE)
                .map(percent_decode)
                .filter(|v| {
                    !v.trim().is_empty() && v.chars().count() <= kb_domain::postmortem::MAX_NAME
                }),
            by_token: false,
        },
    };
    request.extensions_mut().insert(ctx);
    next.run(request).await
}

/// The current request's context, inside a server function.
pub async fn request_context() -> Result<RequestContext, AppError> {
    let axum::Extension(ctx) = leptos_axum::extract::<axum::Extension<RequestContext>>()
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "request without a resolved caller");
            AppError::Internal("the request could not be attributed to a caller".into())
        })?;
    Ok(ctx)
}

/// Whether the current server function call is a plain HTML form post
/// (the browser asks for a page back), not a call from the page's code:
/// such a post is answered with a redirect to a page.
pub fn is_plain_form_post() -> bool {
    leptos::prelude::use_context::<axum::http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(axum::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    })
}

/// Decodes `%XX` escapes (a cookie value written by [`kb_domain::actions::percent_encode`]).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_trusted_proxy_is_believed_and_only_for_the_hop_it_added() {
        let proxy: std::net::IpAddr = "10.0.0.1".parse().unwrap();
        let client: std::net::IpAddr = "203.0.113.7".parse().unwrap();
        let mut headers = HeaderMap::new();
        // The client claims to be 1.2.3.4; the proxy appends what it saw.
        headers.insert("x-forwarded-for", "1.2.3.4, 203.0.113.7".parse().unwrap());
        assert_eq!(client_ip(proxy, &headers, &[proxy]), client);
        // Without the setting, the header is ignored.
        assert_eq!(client_ip(proxy, &headers, &[]), proxy);
        // From anyone else, too.
        assert_eq!(client_ip(client, &headers, &[proxy]), client);
        // No header, or a broken one: the proxy itself.
        assert_eq!(client_ip(proxy, &HeaderMap::new(), &[proxy]), proxy);
        headers.insert("x-forwarded-for", "not an address".parse().unwrap());
        assert_eq!(client_ip(proxy, &headers, &[proxy]), proxy);
    }
}
