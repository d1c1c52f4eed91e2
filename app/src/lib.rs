//! Hindsight's user interface: pages, components and the server functions
//! they call. Compiled twice: with `ssr` into the server, with `hydrate` into
//! the browser's wasm.
//!
//! # Layout
//! - [`pages`]: one module per route, its server functions at the top.
//! - [`components`]: pieces several pages use.
//! - [`error`]: [`error::AppError`], the error every server function returns.
//! - `context`, `state`, `service` (ssr only): who is asking, the shared
//!   state, and the work behind every server function, API route and CLI
//!   command.
// No `missing_docs` here: `#[component]` and `#[server]` generate public
// structs whose fields cannot carry docs.

pub mod components;
pub mod diff;
pub mod error;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod context;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::{path, SsrMode};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: navigation and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects run only in the browser, so this marks the page as hydrated:
    // browser tests wait for it before they type.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/hindsight.css"/>
        <Title formatter=|page: String| {
            if page.is_empty() { "Hindsight".to_string() } else { format!("{page} · Hindsight") }
        }/>
        <Router>
            <header class="topbar">
                <A href="/" attr:class="brand">"Hindsight"</A>
                <nav aria-label="Main">
                    <A href="/">"Postmortems"</A>
                    <A href="/search">"Search"</A>
                    <A href="/action-items">"Action items"</A>
                    <A href="/new">"New postmortem"</A>
                </nav>
            </header>
            <main>
                <Routes fallback=|| view! { <pages::NotFound/> }>
                    <Route path=path!("/") view=pages::home::HomePage/>
                    <Route path=path!("/new") view=pages::new::NewPage/>
                    // Async: the status code (404 for a missing postmortem)
                    // is known only once the data has loaded; out-of-order
                    // streaming would already have sent a 200.
                    <Route
                        path=path!("/incidents/:id")
                        view=pages::incident::IncidentPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/incidents/:id/edit")
                        view=pages::edit::EditPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/search") view=pages::search::SearchPage/>
                    <Route path=path!("/action-items") view=pages::action_items::ActionItemsPage/>
                    <Route
                        path=path!("/action-items/summary")
                        view=pages::action_items::summary::ActionSummaryPage
                    />
                </Routes>
            </main>
        </Router>
    }
}
