//! Keeps each request's reactive state its own. Leptos holds "the current
//! reactive owner" in a thread-local: a page render sets it to the page's
//! root and leaves it set when it yields, and the next request polled on
//! that thread (a static file, a server function) builds its owner under
//! it and reads the page's contexts as if they were its own. The static
//! file handler then took the page's response headers (its content
//! security policy) into the file's answer. Every request here runs each
//! poll under an owner of its own, with nothing above it.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use leptos::prelude::Owner;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Runs the rest of the stack for `request` under a fresh root owner,
/// restored around every poll.
pub async fn own_reactive_owner(request: Request, next: Next) -> Response {
    let owner = Owner::new_root(None);
    Isolated {
        owner,
        inner: Box::pin(next.run(request)),
    }
    .await
}

struct Isolated<F> {
    owner: Owner,
    inner: Pin<Box<F>>,
}

impl<F: Future> Future for Isolated<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        // `with` puts back whichever owner was current before, so what the
        // inner stack sets does not outlive this poll either.
        this.owner.with(|| this.inner.as_mut().poll(cx))
    }
}
