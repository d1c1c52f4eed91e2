//! One module per route; each starts with the server functions it calls.
//!
//! Every server function is a public HTTP endpoint: it resolves the caller
//! through `context::request_context`, then hands the work to `service`,
//! which validates. Keep them thin.

pub mod account;
pub mod action_items;
pub mod admin;
pub mod edit;
pub mod editor;
pub mod home;
pub mod insights;
pub mod integrations;
pub mod investigate;
pub mod new;
pub mod postmortem;
pub mod private;
pub mod search;

use crate::error::AppError;
use kb_domain::postmortem::MAX_TITLE;
use kb_domain::{Severity, ValidationErrors};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// What became of a submitted form.
///
/// A refusal is an expected answer to a form, not a failure of the request:
/// it travels as a success (HTTP 200) carrying what the form must show, so
/// only real faults show up as errors in the browser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Submitted {
    /// Saved: the id of a new postmortem, or the new version of an edited one.
    Saved(i64),
    /// Refused for invalid fields; nothing was saved.
    Refused(ValidationErrors),
    /// Refused because someone else saved version `.0` first; nothing was
    /// overwritten. (The editor fetches that version to show both.)
    Stale(i64),
}

impl Submitted {
    /// A service's answer as a form's: the id when saved, field errors as
    /// a refusal the form shows, and any other error as the fault it is.
    pub fn answer(result: Result<i64, AppError>) -> Result<Submitted, AppError> {
        match result {
            Ok(id) => Ok(Submitted::Saved(id)),
            Err(AppError::Invalid(errors)) => Ok(Submitted::Refused(errors)),
            Err(e) => Err(e),
        }
    }

    /// The field error to show under `field`, if any.
    pub fn field_error(result: &Result<Submitted, AppError>, field: &str) -> Option<String> {
        match result {
            Ok(Submitted::Refused(errors)) => errors.for_field(field).map(str::to_string),
            _ => None,
        }
    }
}

/// The last answer of a form's action, and what the form page derives from
/// it: field errors and a fault message.
#[derive(Clone, Copy)]
pub(crate) struct FormAnswer(pub Signal<Option<Result<Submitted, AppError>>>);

impl FormAnswer {
    /// The error to show under `field`.
    pub fn field(self, field: &'static str) -> impl Fn() -> Option<String> + Send + Sync + Copy {
        move || self.0.get().and_then(|r| Submitted::field_error(&r, field))
    }

    /// A fault (not a refusal) to show above the save button.
    pub fn fault(self) -> impl Fn() -> Option<String> + Send + Sync + Copy {
        move || match self.0.get() {
            Some(Err(e)) => Some(e.to_string()),
            _ => None,
        }
    }
}

/// The header fields the new and edit forms share: title, severity and
/// services, each with its field error from the last submission.
#[component]
pub fn HeaderFields(
    /// The last answer of the form's action.
    #[prop(into)]
    result: Signal<Option<Result<Submitted, AppError>>>,
    /// Initial title.
    #[prop(optional)]
    title: String,
    /// Initially selected severity.
    #[prop(default = None)]
    severity: Option<Severity>,
    /// Initial services, comma-separated.
    #[prop(optional)]
    services: String,
) -> impl IntoView {
    let answer = FormAnswer(result);
    let error = move |field: &'static str| answer.field(field);
    view! {
        <div class="field">
            <label for="title">"Title"</label>
            <input id="title" name="title" type="text" maxlength=MAX_TITLE.to_string() autocomplete="off"
                value=title aria-describedby="title-error"/>
            <FieldError id="title-error" message=error("title")/>
        </div>
        <div class="field">
            <label for="severity">"Severity"</label>
            <select id="severity" name="severity" aria-describedby="severity-error">
                <option value="">"Choose…"</option>
                {Severity::ALL
                    .iter()
                    .map(|s| {
                        let selected = severity == Some(*s);
                        view! { <option value=s.as_str() selected=selected>{s.as_str()}</option> }
                    })
                    .collect_view()}
            </select>
            <FieldError id="severity-error" message=error("severity")/>
        </div>
        <div class="field">
            <label for="services">"Services"</label>
            <input id="services" name="services" type="text" placeholder="payments, checkout"
                value=services aria-describedby="services-hint services-error"/>
            <small id="services-hint">"Separate with commas."</small>
            <FieldError id="services-error" message=error("services")/>
        </div>
    }
}

/// A field's error message, announced to screen readers when it appears.
#[component]
pub fn FieldError(
    id: &'static str,
    message: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> impl IntoView {
    view! { <p class="field-error" id=id role="alert">{message}</p> }
}

/// The page for an unknown address or a postmortem that does not exist.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    crate::mark_hydrated();
    view! {
        <Title text="Not found"/>
        <section class="empty">
            <h1>"Not found"</h1>
            <p>"Nothing lives at this address. " <a href="/">"Back to the postmortems"</a></p>
        </section>
    }
}

/// The label of a stored name of a closed set (`in_progress` → "In
/// progress"); an unknown name as it is. Only pages drawn on the server
/// show such names.
#[cfg(feature = "ssr")]
pub(crate) fn label<E: Copy>(
    parse: fn(&str) -> Option<E>,
    label: fn(E) -> &'static str,
    text: &str,
) -> String {
    parse(text).map(label).unwrap_or(text).to_string()
}

/// `(stored name, label)` of every value of a closed set, for a choice.
pub(crate) fn options<E: Copy + 'static>(
    all: &'static [E],
    name: fn(E) -> &'static str,
    label: fn(E) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|v| (name(*v), label(*v))).collect()
}

/// A failed load, in words.
#[component]
pub fn ErrorNote(error: AppError) -> impl IntoView {
    view! { <p class="error" role="alert">{error.to_string()}</p> }
}

/// The values of `attributes` on the element matching `selector` that the
/// event `ev` (a click, a change) happened on or inside, if it did: how a
/// page acts on the controls of HTML the server drew. Nothing on the
/// server (nobody clicks).
pub(crate) fn acted_on(
    ev: &leptos::ev::Event,
    selector: &str,
    attributes: &[&str],
) -> Option<Vec<String>> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
        let element = target.closest(selector).ok()??;
        attributes
            .iter()
            .map(|name| element.get_attribute(name))
            .collect()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (ev, selector, attributes);
        None
    }
}

/// Shows or hides what the server-drawn button `button_id` opens (the
/// element its `aria-controls` names), its text following (`labels`:
/// closed, open). The first time it opens, `fetch` fills it (or the
/// element inside it marked `data-fill`) with the HTML it answers.
pub(crate) fn toggle_fetched<F>(
    button_id: &str,
    labels: (&'static str, &'static str),
    fetch: impl FnOnce() -> F,
) where
    F: std::future::Future<Output = Result<String, AppError>> + 'static,
{
    #[cfg(feature = "hydrate")]
    {
        let doc = document();
        let Some(button) = doc.get_element_by_id(button_id) else {
            return;
        };
        let Some(panel) = button
            .get_attribute("aria-controls")
            .and_then(|id| doc.get_element_by_id(&id))
        else {
            return;
        };
        let open = button.get_attribute("aria-expanded").as_deref() == Some("true");
        let _ = button.set_attribute("aria-expanded", if open { "false" } else { "true" });
        button.set_text_content(Some(if open { labels.0 } else { labels.1 }));
        if open {
            let _ = panel.set_attribute("hidden", "");
            return;
        }
        let _ = panel.remove_attribute("hidden");
        if panel.has_attribute("data-loaded") {
            return;
        }
        let _ = panel.set_attribute("data-loaded", "");
        let fill = panel
            .query_selector("[data-fill]")
            .ok()
            .flatten()
            .unwrap_or_else(|| panel.clone());
        fill.set_text_content(Some("Loading…"));
        let answer = fetch();
        leptos::task::spawn_local(async move {
            match answer.await {
                Ok(html) => fill.set_inner_html(&html),
                Err(error) => {
                    let _ = panel.remove_attribute("data-loaded");
                    fill.set_text_content(Some(&error.to_string()));
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (button_id, labels, fetch);
}

/// Runs `f` once typing has paused for `ms` milliseconds; each call cancels
/// the previous pending one. On the server it does nothing (nobody types).
pub(crate) fn debounced(
    ms: u64,
    f: impl Fn(String) + Clone + 'static,
) -> impl Fn(String) + 'static {
    // Not `new_local`: the component also renders on the server's
    // multi-threaded runtime, where a thread-bound value dropped on another
    // thread panics. A timeout handle is a plain number, safe to share.
    let pending = StoredValue::new(None::<leptos::leptos_dom::helpers::TimeoutHandle>);
    // A timer still pending when the page goes away (the user saved and
    // left) must not fire into the page's disposed signals and actions.
    on_cleanup(move || {
        if let Some(Some(handle)) = pending.try_get_value() {
            handle.clear();
        }
    });
    move |value: String| {
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let f = f.clone();
        let handle =
            set_timeout_with_handle(move || f(value), std::time::Duration::from_millis(ms)).ok();
        pending.set_value(handle);
    }
}
