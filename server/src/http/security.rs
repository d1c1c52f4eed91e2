//! Browser-facing protections every response gets: refusal of requests
//! for a host name the server does not answer to (DNS rebinding), of
//! cross-site state changes (CSRF), and the security headers. The pages'
//! own content security policy, which needs each render's nonce, is set by
//! `app::shell`; here every other response gets a strict default. What
//! caches may keep is [`super::caching`]'s.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The policy of responses that are not pages (JSON, CSV, files): nothing
/// in them may run or load anything, nor be framed.
const NON_PAGE_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// The host names the server answers to. Loopback names and IP addresses
/// always: a page of another site can only reach the server under a name
/// its own DNS controls, which is never an address. Any other name (the
/// public URL's, `--allowed-host`) only when configured.
#[derive(Debug, Clone, Default)]
pub struct AllowedHosts(Arc<Vec<String>>);

impl AllowedHosts {
    /// Loopback names, addresses, and `names` (host names, any case, no
    /// port).
    pub fn new(names: impl IntoIterator<Item = String>) -> Self {
        AllowedHosts(Arc::new(
            names.into_iter().map(|n| n.to_ascii_lowercase()).collect(),
        ))
    }

    /// Whether a request whose `Host` is `host` (`name[:port]`) is for us.
    pub fn allows(&self, host: &str) -> bool {
        let Some(name) = host_name(host) else {
            return false;
        };
        let name = name.to_ascii_lowercase();
        name == "localhost" || name.parse::<std::net::IpAddr>().is_ok() || self.0.contains(&name)
    }
}

/// The name part of a `Host` value (or a URL's authority): `name`,
/// `name:port`, `[v6]:port`. `None` for anything else (a path, a user
/// part, spaces).
pub(crate) fn host_name(host: &str) -> Option<&str> {
    let name = if let Some(rest) = host.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        if !(after.is_empty() || after.strip_prefix(':').is_some_and(is_port)) {
            return None;
        }
        v6
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if is_port(port) => name,
            Some(_) => return None,
            None => host,
        }
    };
    is_plain_name(name).then_some(name)
}

/// Whether `name` can be a host name or address: letters, digits, dots,
/// dashes (and colons, for IPv6), nothing else.
pub(crate) fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'))
}

fn is_port(port: &str) -> bool {
    !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit())
}

/// Refuses a request for a host name the server does not answer to, with
/// 421 (Misdirected Request), before anything else reads it. A request
/// without a `Host` (HTTP/1.0, a test calling the router) names no site
/// and passes: every browser sends one.
pub async fn refuse_foreign_host(
    State(hosts): State<AllowedHosts>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .map(|v| v.to_str().unwrap_or(""))
        .or_else(|| request.uri().authority().map(|a| a.as_str()));
    if let Some(host) = host {
        if !hosts.allows(host) {
            tracing::warn!(
                host,
                path = request.uri().path(),
                "request for a host name this server does not answer to refused"
            );
            return (
                StatusCode::MISDIRECTED_REQUEST,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "This server does not answer to that name. Its operator can add it \
                 with --public-url or --allowed-host.\n",
            )
                .into_response();
        }
    }
    next.run(request).await
}

/// Refuses a state-changing request that a browser says comes from another
/// site. Session cookies are already `SameSite=Lax` (not sent on other
/// sites' POSTs); this is the second lock, and covers browsers or proxies
/// that drop the attribute. Requests without these headers (curl, scripts
/// with a token) carry no ambient cookie to abuse and pass.
pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    // Alert sources and chat clients are other sites by nature, and carry
    // no cookie to abuse; their own secret authenticates them.
    let webhook = app::request::is_webhook(request.uri().path());
    if !safe && !webhook && is_cross_site(request.headers()) {
        tracing::warn!(
            path = request.uri().path(),
            "cross-site state change refused"
        );
        let body = serde_json::json!({
            "error": "This request came from another site and was refused."
        });
        return (StatusCode::FORBIDDEN, axum::Json(body)).into_response();
    }
    next.run(request).await
}

fn is_cross_site(headers: &HeaderMap) -> bool {
    // Fetch metadata, sent by every current browser, says it outright.
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    // Older browsers: compare the Origin's host with the Host asked for.
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (origin, host) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => {
            let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            !origin_host.eq_ignore_ascii_case(host)
        }
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// How long a browser that reached us over https keeps to https: a year.
const HSTS: &str = "max-age=31536000";

/// Adds the security headers to every response; a response that reached
/// the browser over https tells it to use https from then on.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let https = app::request::over_https(request.headers());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(NON_PAGE_POLICY));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_addresses_and_configured_names_are_ours() {
        let none = AllowedHosts::default();
        for ours in [
            "localhost",
            "LOCALHOST:3000",
            "127.0.0.1",
            "127.0.0.1:3917",
            "[::1]:3000",
            "[::1]",
            "10.1.2.3:80",
        ] {
            assert!(none.allows(ours), "{ours}");
        }
        for foreign in [
            "rebind.evil.example",
            "rebind.evil.example:3000",
            "127.0.0.1.evil.example:3000",
            "localhost.evil.example",
            "hindsight.example.com",
            "",
            ":3000",
            "localhost:port",
            "localhost:3000:3000x",
            "user@localhost",
            "localhost/x",
            "[::1]x",
            "local host",
        ] {
            assert!(!none.allows(foreign), "{foreign:?}");
        }
        let named = AllowedHosts::new(["Hindsight.Example.com".to_string()]);
        assert!(named.allows("hindsight.example.com"));
        assert!(named.allows("HINDSIGHT.example.com:443"));
        assert!(!named.allows("evil.example"));
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn other_sites_are_told_apart_from_this_one() {
        assert!(!is_cross_site(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!is_cross_site(&headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(is_cross_site(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(is_cross_site(&headers(&[
            ("origin", "null"),
            ("host", "a")
        ])));
        assert!(!is_cross_site(&headers(&[("host", "127.0.0.1:3000")])));
    }
}
