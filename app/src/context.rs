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
}

impl RequestContext {
    /// The context of a command-line invocation.
    pub fn command_line() -> Self {
        Self {
            caller: Caller::CommandLine,
        }
    }

    /// A short name for logs and, later, revision authors.
    pub fn actor(&self) -> &'static str {
        match self.caller {
            Caller::LocalAnonymous => "local",
            Caller::CommandLine => "cli",
        }
    }
}

/// Axum middleware: resolves the caller once and attaches it to the request,
/// where server functions and API handlers read it back.
pub async fn resolve_caller(mut request: Request, next: Next) -> Response {
    request.extensions_mut().insert(RequestContext {
        caller: Caller::LocalAnonymous,
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
