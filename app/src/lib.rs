//! Hindsight's user interface: pages, components and the server functions
//! they call. Compiled twice: with `ssr` into the server, with `hydrate` into
//! the browser's wasm.
//!
//! # Layout
//! - [`pages`]: one module per route, its server functions at the top.
//! - [`components`]: pieces several pages use.
//! - [`error`]: [`error::AppError`], the error every server function returns.
//! - ssr only, from the bottom up: `context` (who is asking, plain data),
//!   `service` (the work behind every server function, API route and CLI
//!   command; knows nothing of HTTP), `state` (what requests share),
//!   `request` (a request's caller, cookies, client address) and `access`
//!   (the one table of who may reach what, enforced before any handler).
// No `missing_docs` here: `#[component]` and `#[server]` generate public
// structs whose fields cannot carry docs.

pub mod components;
#[cfg(feature = "ssr")]
pub mod diff;
pub mod error;
pub mod pages;
pub mod routes;

#[cfg(feature = "ssr")]
pub mod access;
#[cfg(feature = "ssr")]
pub mod context;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::{path, Lazy, SsrMode};

/// Whether the person may write (an editor or admin, or anyone on an
/// instance without accounts yet): pages leave out the controls that
/// would only be refused. The server decides from the request; the page
/// carries the answer in a `<meta>` so the browser hydrates the same view.
/// Only what is shown depends on it: every write is still checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CanWrite(pub bool);

/// Marks the page as hydrated once the calling component is (effects run
/// only in the browser, after hydration): browser tests wait for it before
/// they type. Each page calls it, not the shell, as a page's code arrives
/// after the shell's (`routes`).
pub fn mark_hydrated() {
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

/// The `<meta>` carrying [`CanWrite`] to the browser.
const CAN_WRITE_META: &str = "hindsight-can-write";

/// [`CanWrite`] for this page, from the request on the server and from the
/// page's `<meta>` in the browser.
pub fn can_write() -> CanWrite {
    if let Some(known) = use_context::<CanWrite>() {
        return known;
    }
    #[cfg(feature = "ssr")]
    let may = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<context::RequestContext>().cloned())
        .is_some_and(|ctx| {
            access::check(&ctx, access::Need::Role(kb_domain::accounts::Role::Editor)).is_ok()
        });
    #[cfg(not(feature = "ssr"))]
    let may = document()
        .query_selector(&format!("meta[name={CAN_WRITE_META}]"))
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .is_some_and(|v| v == "true");
    CanWrite(may)
}

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    let may = can_write().0;
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name=CAN_WRITE_META content=if may { "true" } else { "false" }/>
                <AutoReload options=options.clone()/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                // Hydration waits for the browser to be idle (2 s at most):
                // the server-rendered page is readable first, and the
                // wasm's download and start do not compete with it.
                <HydrationScripts options defer=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Sets the page's content security policy: scripts only from this site
/// or inline with this render's nonce (Leptos puts it on its hydration and
/// streaming scripts), wasm allowed to compile, styles only from this site,
/// no plugins, no framing, forms only to this site. Images may come from
/// https too: postmortems embed graphs. A script injected into user text
/// (already removed by the sanitizer) would have no nonce and not run.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    let Some(nonce) = leptos::nonce::use_nonce() else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data: https:; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::HeaderValue::from_str(&policy),
    ) {
        response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The document title for a page titled `page`. On the server it is
/// escaped: leptos_meta writes the server's `<title>` into the head as it
/// is given, and a postmortem's title is whatever its author typed
/// (`</title><meta http-equiv=refresh ...>` would otherwise be markup). In
/// the browser it is set as `document.title`, which is text already.
fn page_title(page: String) -> String {
    let title = if page.is_empty() {
        "Hindsight".to_string()
    } else {
        format!("{page} · Hindsight")
    };
    #[cfg(feature = "ssr")]
    let title = escape_html(&title);
    title
}

/// `text` with the characters that mean something in HTML replaced by
/// their entities.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The application: navigation and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // No `<link rel=preload>` for the page's wasm chunks: Leptos adds them
    // at high priority, and on a slow phone link they competed with the
    // page's own paint (largest paint 2.4 s later on the search page).
    // Hydration waits for an idle browser anyway and fetches them then.
    // The lazy functions record what they would preload in the nearest
    // `PrefetchLazyFn`; this one is never read.
    #[cfg(feature = "ssr")]
    provide_context(leptos::PrefetchLazyFn::default());
    let may = can_write();
    provide_context(may);
    view! {
        <Title formatter=page_title/>
        <Router>
            <header class="topbar">
                <A href="/" attr:class="brand">"Hindsight"</A>
                <nav aria-label="Main">
                    <A href="/">"Postmortems"</A>
                    <A href="/search">"Search"</A>
                    <A href="/investigate">"Investigate"</A>
                    <A href="/action-items">"Action items"</A>
                    <A href="/insights">"Insights"</A>
                    {may.0.then(|| view! { <A href="/new">"New postmortem"</A> })}
                </nav>
                <pages::account::AccountMenu/>
            </header>
            <main>
                <Routes fallback=|| view! { <pages::NotFound/> }>
                    <Route path=path!("/") view={Lazy::<routes::Home>::new()}/>
                    // Async: the editor arrives in the page as sent. Streamed
                    // out of order, it came in a template a script moved
                    // into place, so a phone painted it only once the
                    // scripts had run (seconds on a slow one).
                    <Route
                        path=path!("/new")
                        view={Lazy::<routes::New>::new()}
                        ssr=SsrMode::Async
                    />
                    // Async: the status code (404 for a missing postmortem)
                    // is known only once the data has loaded; out-of-order
                    // streaming would already have sent a 200.
                    <Route
                        path=path!("/incidents/:id")
                        view={Lazy::<routes::Postmortem>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/incidents/:id/edit")
                        view={Lazy::<routes::Edit>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/search") view={Lazy::<routes::Search>::new()}/>
                    <Route path=path!("/investigate") view={Lazy::<routes::Investigate>::new()}/>
                    <Route path=path!("/sign-in") view={Lazy::<routes::SignIn>::new()}/>
                    <Route path=path!("/setup") view={Lazy::<routes::Setup>::new()}/>
                    <Route path=path!("/account") view={Lazy::<routes::Account>::new()}/>
                    <Route path=path!("/admin/users") view={Lazy::<routes::Users>::new()}/>
                    <Route path=path!("/admin/groups") view={Lazy::<routes::Groups>::new()}/>
                    <Route
                        path=path!("/admin/integrations")
                        view={Lazy::<routes::Integrations>::new()}
                    />
                    <Route path=path!("/admin/audit") view={Lazy::<routes::Audit>::new()}/>
                    <Route path=path!("/action-items") view={Lazy::<routes::ActionItems>::new()}/>
                    <Route path=path!("/insights") view={Lazy::<routes::Insights>::new()}/>
                    <Route
                        path=path!("/action-items/summary")
                        view={Lazy::<routes::ActionSummary>::new()}
                    />
                </Routes>
            </main>
        </Router>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn a_title_cannot_close_the_title_element() {
        let title = page_title("T</title><meta http-equiv=\"refresh\" content=\"0\">&".into());
        assert_eq!(
            title,
            "T&lt;/title&gt;&lt;meta http-equiv=&quot;refresh&quot; content=&quot;0&quot;&gt;&amp; · Hindsight"
        );
        assert_eq!(page_title(String::new()), "Hindsight");
    }
}
