//! `/incidents/:id/edit`: change a postmortem in the editor. The edit
//! carries the version it was loaded at; saving on top of an older version
//! than the stored one is refused, both versions are shown, and the refused
//! text stays in the editor. Overwriting the other person's save takes a
//! deliberate click.

use crate::pages::editor::{draw_editor, Editor};
use crate::pages::postmortem::by_route_id;
use crate::pages::{ErrorNote, NotFound};
use leptos::prelude::*;
use leptos_meta::Title;

/// The edit page.
#[component]
pub fn EditPage() -> impl IntoView {
    let drawn = by_route_id(|id| draw_editor(Some(id), None, None, None));
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the postmortem…"</p> }>
            {move || Suspend::new(async move {
                match drawn.await {
                    Ok(Some(drawn)) => view! {
                        <Title text=format!("Edit: {}", drawn.title)/>
                        <h1>"Edit postmortem"</h1>
                        <Editor drawn/>
                    }
                    .into_any(),
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}
