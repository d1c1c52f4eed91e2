//! The one error type every server function returns.
//!
//! It crosses the wire, so it carries only what the user may see: field
//! errors, "not found", or a generic message. Causes are logged on the
//! server where they happen (see `service`).

use kb_domain::ValidationErrors;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What a server function can fail with, as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The input broke a rule; each field says which.
    #[error("please correct the highlighted fields: {0}")]
    Invalid(ValidationErrors),
    /// The postmortem does not exist.
    #[error("not found")]
    NotFound,
    /// Someone else saved this postmortem after the edit began; the edit
    /// was refused and nothing was overwritten.
    #[error("someone else saved version {0} of this postmortem while you were editing; nothing was overwritten")]
    Conflict(i64),
    /// Someone else changed this action item after the change began; the
    /// change was refused and nothing was written.
    #[error("action item {id} was changed by someone else meanwhile (now version {current}); nothing was changed: reload and try again")]
    StaleItem {
        /// The item.
        id: i64,
        /// Its version now.
        current: i64,
    },
    /// The request needs a signed-in person (or a wrong name or password
    /// was given); the text says which.
    #[error("{0}")]
    Unauthorized(String),
    /// The caller may not do this; the text says why.
    #[error("{0}")]
    Forbidden(String),
    /// Too many failed sign-ins: wait this many seconds.
    #[error("too many failed sign-ins; try again in {} minute(s)", .0.div_ceil(60))]
    TooManyAttempts(u64),
    /// The server is busy with the same kind of work (checking passwords)
    /// and refused this request rather than queue it; nothing was done.
    #[error("the server is busy; try again in a moment")]
    Busy,
    /// The request itself was malformed (a server function's arguments
    /// could not be read); the text says what was wrong.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Something failed on the server; the log has the cause.
    #[error("{0}")]
    Internal(String),
    /// The request never reached the function (network, encoding).
    #[error("request failed: {0}")]
    Transport(String),
}

impl AppError {
    /// The HTTP status this error deserves, for the JSON API.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid(_) => 400,
            AppError::NotFound => 404,
            AppError::Conflict(_) | AppError::StaleItem { .. } => 409,
            AppError::Unauthorized(_) => 401,
            AppError::Forbidden(_) => 403,
            AppError::TooManyAttempts(_) | AppError::Busy => 429,
            AppError::BadRequest(_) => 400,
            AppError::Internal(_) => 500,
            AppError::Transport(_) => 502,
        }
    }

    /// The field error for `field`, when this is a validation failure.
    pub fn field(&self, field: &str) -> Option<String> {
        match self {
            AppError::Invalid(errors) => errors.for_field(field).map(str::to_string),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The request's body or query could not be read as the
            // function's arguments: the caller's fault. (A server never
            // decodes a result, so there a decoding failure is always the
            // request's; in the browser it is the answer's.)
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::BadRequest(value.to_string())
            }
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(_) => AppError::BadRequest(value.to_string()),
            _ => AppError::Transport(value.to_string()),
        }
    }
}

impl From<ValidationErrors> for AppError {
    fn from(e: ValidationErrors) -> Self {
        AppError::Invalid(e)
    }
}
