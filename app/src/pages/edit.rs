//! `/incidents/:id/edit`: change a postmortem. The form carries the version
//! it was loaded at; a save on top of an older version than the stored one
//! is refused, both versions are shown, and the refused text stays in the
//! form. Overwriting the other person's save takes a deliberate click.

use crate::error::AppError;
use crate::pages::incident::incident_from_route;
use crate::pages::{ErrorNote, FieldError, FormAnswer, HeaderFields, NotFound, Submitted};
use kb_domain::Incident;
use leptos::prelude::*;
use leptos_meta::Title;

/// Saves the edited header and summary of postmortem `id`, made on top of
/// `version`. The other parts of the record are kept as stored.
///
/// A public endpoint: validated like a new postmortem; a stale `version`
/// answers [`Submitted::Conflict`] with the stored postmortem.
#[server]
pub async fn update_incident(
    id: i64,
    version: i64,
    title: String,
    severity: String,
    services: String,
    summary: String,
) -> Result<Submitted, AppError> {
    let ctx = crate::context::request_context().await?;
    let core = crate::state::core()?;
    let Some(stored) = core.get(&ctx, id).await? else {
        return Err(AppError::NotFound);
    };
    let mut input = kb_domain::IncidentInput::from(&stored);
    input.title = title;
    input.severity = Some(severity);
    input.services = kb_domain::incident::split_list(&services);
    input.summary = summary;
    match core.update_authored(&ctx, id, version, input).await {
        Ok(version) => Ok(Submitted::Saved(version)),
        Err(AppError::Invalid(errors)) => Ok(Submitted::Refused(errors)),
        Err(AppError::Conflict(_)) => match core.get(&ctx, id).await? {
            Some(theirs) => Ok(Submitted::Conflict(Box::new(theirs))),
            None => Err(AppError::NotFound),
        },
        Err(e) => Err(e),
    }
}

/// The edit page.
#[component]
pub fn EditPage() -> impl IntoView {
    let incident = incident_from_route();
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the postmortem…"</p> }>
            {move || Suspend::new(async move {
                match incident.await {
                    Ok(Some(view)) => view! { <EditForm incident=view.incident/> }.into_any(),
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditForm(incident: Incident) -> impl IntoView {
    let save = ServerAction::<UpdateIncident>::new();
    let id = incident.id;
    // The version this edit builds on. It only moves when the author
    // chooses to save over a newer version.
    let base_version = RwSignal::new(incident.version);
    let answer = FormAnswer(Signal::derive(move || save.value().get()));
    answer.leave_when_saved(move |_| format!("/incidents/{id}"));
    let field_error = move |field: &'static str| answer.field(field);
    let general_error = answer.fault();
    let conflict = move || match save.value().get() {
        Some(Ok(Submitted::Conflict(theirs))) => Some(*theirs),
        _ => None,
    };

    view! {
        <Title text=format!("Edit: {}", incident.title)/>
        <h1>"Edit postmortem"</h1>
        {move || conflict().map(|theirs| {
            let their_version = theirs.version;
            let overriding = move || base_version.get() == their_version;
            view! {
                <section class="conflict" role="alert" aria-label="Edit conflict">
                    <h2>{format!("Version {their_version} was saved while you were editing")}</h2>
                    <p>
                        "Your changes were not saved and nothing was overwritten. Your text is still in the form below; "
                        "theirs is here. Merge by hand, or keep yours."
                    </p>
                    <dl class="theirs">
                        <dt>"Their title"</dt>
                        <dd class="their-title">{theirs.title.clone()}</dd>
                        <dt>"Their severity"</dt>
                        <dd>{theirs.severity.map(|s| s.as_str().to_string()).unwrap_or_default()}</dd>
                        <dt>"Their services"</dt>
                        <dd>{theirs.services.join(", ")}</dd>
                        <dt>"Their summary"</dt>
                        <dd><pre class="their-summary">{theirs.summary.clone()}</pre></dd>
                    </dl>
                    <button type="button" class="secondary" disabled=overriding
                        on:click=move |_| base_version.set(their_version)>
                        {move || if overriding() {
                            "Saving will replace their version: press Save"
                        } else {
                            "Keep my version and save over theirs"
                        }}
                    </button>
                </section>
            }
        })}
        <ActionForm action=save attr:class="editor" attr:novalidate=true>
            <input type="hidden" name="id" value=id.to_string()/>
            <input type="hidden" name="version" value=move || base_version.get().to_string()/>
            <HeaderFields
                result=answer.0
                title=incident.title.clone()
                severity=incident.severity
                services=incident.services.join(", ")
            />
            <div class="field">
                <label for="summary">"Summary (markdown)"</label>
                <textarea id="summary" name="summary" rows="14" aria-describedby="summary-error">{incident.summary.clone()}</textarea>
                <FieldError id="summary-error" message=field_error("summary")/>
            </div>
            <p class="error" role="alert">{general_error}</p>
            <div class="actions">
                <button type="submit" disabled=move || save.pending().get()>"Save"</button>
                <a href=format!("/incidents/{id}")>"Cancel"</a>
            </div>
        </ActionForm>
    }
}
