//! Who is asking: the one place every server function and API route learns
//! its caller, so access control can later be added here and nowhere else.

use crate::error::AppError;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

/// The caller of a request, as far as Hindsight knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// Before accounts exist, everyone reaching the server is the local
    /// operator, with every right.
    LocalAnonymous,
    /// The command line, run by whoever can read the data folder.
    CommandLine,
}

/// Everything a service needs to know about the request it serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestContext {
    /// Who is asking.
    pub caller: Caller,
    /// The name the person goes by as an action-item owner. Until accounts
    /// exist this is what they told Hindsight (the [`NAME_COOKIE`] cookie);
    /// "my items" are the items with this owner.
    pub name: Option<String>,
}

/// The cookie holding the owner name the browser's person goes by.
pub const NAME_COOKIE: &str = "hindsight_name";

impl RequestContext {
    /// The context of a command-line invocation.
    pub fn command_line() -> Self {
        Self {
            caller: Caller::CommandLine,
            name: None,
        }
    }

    /// A short name for logs and, later, revision authors.
    pub fn actor(&self) -> &'static str {
        match self.caller {
            Caller::LocalAnonymous => "local",
            Caller::CommandLine => "cli",
        }
    }

    /// Who to record as having made a change: the person's name when
    /// known, else [`RequestContext::actor`].
    pub fn who(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| self.actor().to_string())
    }
}

/// Axum middleware: resolves the caller once and attaches it to the request,
/// where server functions and API handlers read it back.
pub async fn resolve_caller(mut request: Request, next: Next) -> Response {
    let name = request
        .headers()
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == NAME_COOKIE)
        .map(|(_, v)| percent_decode(v))
        .filter(|v| !v.trim().is_empty() && v.chars().count() <= kb_domain::incident::MAX_NAME);
    request.extensions_mut().insert(RequestContext {
        caller: Caller::LocalAnonymous,
        name,
    });
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
