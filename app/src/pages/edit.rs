//! `/incidents/:id/edit`: change a postmortem in the editor. The edit
//! carries the version it was loaded at; saving on top of an older version
//! than the stored one is refused, both versions are shown, and the refused
//! text stays in the editor. Overwriting the other person's save takes a
//! deliberate click.

use crate::pages::editor::{Editor, Target};
use crate::pages::postmortem::{by_route_id, get_postmortem};
use crate::pages::{ErrorNote, NotFound};
use kb_domain::PostmortemInput;
use leptos::prelude::*;
use leptos_meta::Title;

/// The edit page.
#[component]
pub fn EditPage() -> impl IntoView {
    let postmortem = by_route_id(get_postmortem);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the postmortem…"</p> }>
            {move || Suspend::new(async move {
                match postmortem.await {
                    Ok(Some(record)) => {
                        let target = Target::Existing { id: record.id, version: record.version };
                        let initial = PostmortemInput::from(record.input);
                        view! {
                            <Title text=format!("Edit: {}", initial.title)/>
                            <h1>"Edit postmortem"</h1>
                            <Editor target initial previews=record.previews/>
                        }
                        .into_any()
                    }
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}
