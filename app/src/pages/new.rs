//! `/new`: write a postmortem (title, severity, services, markdown summary)
//! with a live preview rendered by the same code that renders saved ones.

use crate::error::AppError;
use crate::pages::Submitted;
use crate::pages::{debounced, FieldError, FormAnswer, HeaderFields};
use leptos::prelude::*;
use leptos_meta::Title;

/// Creates a postmortem from the form.
///
/// A public endpoint: the service validates every field (title required,
/// severity one of SEV1–SEV4, size limits) and refuses with field errors.
#[server]
pub async fn create_incident(
    title: String,
    severity: String,
    services: String,
    summary: String,
) -> Result<Submitted, AppError> {
    let ctx = crate::context::request_context().await?;
    let input = kb_domain::IncidentInput {
        title,
        severity: Some(severity),
        services: kb_domain::incident::split_list(&services),
        summary,
        ..Default::default()
    };
    match crate::state::core()?.create_authored(&ctx, input).await {
        Ok(id) => Ok(Submitted::Saved(id)),
        Err(AppError::Invalid(errors)) => Ok(Submitted::Refused(errors)),
        Err(e) => Err(e),
    }
}

/// Renders markdown exactly as a saved postmortem shows it (sanitized), for
/// the live preview. Pure: reads and writes nothing. Text over the field
/// limit is previewed up to the limit (saving it is refused anyway).
#[server]
pub async fn render_markdown(markdown: String) -> Result<String, AppError> {
    let limit = kb_domain::incident::MAX_TEXT;
    let text: String = markdown.chars().take(limit).collect();
    Ok(kb_markdown::to_html(&text))
}

/// The form for a new postmortem.
#[component]
pub fn NewPage() -> impl IntoView {
    let create = ServerAction::<CreateIncident>::new();
    let preview = ServerAction::<RenderMarkdown>::new();
    let answer = FormAnswer(Signal::derive(move || create.value().get()));
    answer.leave_when_saved(|id| format!("/incidents/{id}"));
    let field_error = move |field: &'static str| answer.field(field);
    let general_error = answer.fault();
    let update_preview = debounced(250, move |text: String| {
        preview.dispatch(RenderMarkdown { markdown: text });
    });

    view! {
        <Title text="New postmortem"/>
        <h1>"New postmortem"</h1>
        <ActionForm action=create attr:class="editor" attr:novalidate=true>
            <HeaderFields result=answer.0/>
            <div class="field split">
                <div>
                    <label for="summary">"Summary (markdown)"</label>
                    <textarea id="summary" name="summary" rows="12"
                        aria-describedby="summary-error"
                        on:input=move |ev| update_preview(event_target_value(&ev))
                    ></textarea>
                    <FieldError id="summary-error" message=field_error("summary")/>
                </div>
                <section class="preview" aria-label="Preview" aria-live="polite">
                    <h2>"Preview"</h2>
                    {move || match preview.value().get() {
                        None => view! { <p class="hint">"Start typing to see the summary rendered."</p> }.into_any(),
                        // Sanitized by kb-markdown on the server, the only
                        // HTML this app ever injects.
                        Some(Ok(html)) => view! { <div class="markdown" inner_html=html></div> }.into_any(),
                        Some(Err(e)) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }}
                </section>
            </div>
            <p class="error" role="alert">{general_error}</p>
            <button type="submit" disabled=move || create.pending().get()>"Save postmortem"</button>
        </ActionForm>
    }
}
