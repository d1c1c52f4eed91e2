//! Answers that take longer than a chat client waits. Slack shows an error
//! when a slash command is not answered within 3 seconds; an answer not
//! ready by [`Services::chat_deadline`] is acknowledged at once, and
//! posted to the request's `response_url` when it is (only to the
//! client's own host: see `kb_intake::chat::follow_up_allowed`).

use super::{notice, post, ChatCall};
use crate::error::AppError;
use crate::service::Services;
use std::time::Duration;
use tokio::sync::oneshot;

/// How long an answer may take before it is acknowledged and posted
/// later: Slack's 3 seconds, less room for the network.
pub const CHAT_DEADLINE: Duration = Duration::from_millis(2500);

/// What the client shows while the answer is on its way.
const WORKING: &str = "Looking into it: the answer follows here in a moment.";

/// `call`'s answer if it is ready within the deadline; otherwise an
/// acknowledgement now, and the answer (or what went wrong) posted to
/// `url` when it is ready. The work is never cancelled: a slow answer is
/// still recorded and sent.
pub(super) async fn answer_in_time(
    services: Services,
    call: ChatCall,
    url: String,
) -> Result<serde_json::Value, AppError> {
    let client = call.client;
    let deadline = services.chat_deadline;
    let (answered, mut answer) = oneshot::channel();
    tokio::spawn(async move {
        let result = services.answer_chat(&call).await;
        // The receiver is gone once the request has been acknowledged.
        let Err(unsent) = answered.send(result) else {
            return;
        };
        let reply = unsent.unwrap_or_else(|e| notice(&format!("Hindsight could not answer: {e}")));
        let host = post::host(&url);
        match post::post_json(&url, &reply.to_json(client)).await {
            Ok(status) if (200..300).contains(&status) => {
                tracing::info!(host, status, "late chat answer posted")
            }
            Ok(status) => tracing::warn!(host, status, "the chat client refused a late answer"),
            // The URL itself is a credential for the channel: only its host
            // is logged.
            Err(e) => tracing::warn!(host, error = %e, "could not post a late chat answer"),
        }
    });
    // A zero deadline acknowledges at once: a timer of zero still waits
    // for the timer driver's next turn, in which a quick answer may win.
    if !deadline.is_zero() {
        match tokio::time::timeout(deadline, &mut answer).await {
            Ok(Ok(result)) => return result.map(|reply| reply.to_json(client)),
            Ok(Err(_)) => {
                return Err(AppError::Internal(
                    "the answer was lost; the server log has the details".into(),
                ))
            }
            Err(_) => {}
        }
    }
    // Closed first, so an answer is either taken here or posted by the
    // task, never both and never neither.
    answer.close();
    match answer.try_recv() {
        Ok(result) => result.map(|reply| reply.to_json(client)),
        Err(_) => Ok(notice(WORKING).to_json(client)),
    }
}
