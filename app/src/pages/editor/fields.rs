//! Form controls bound to one field of the draft: a getter signal and a
//! setter callback instead of a form name, so the same control serves a
//! header field and a field of row 7 of the timeline. Not generic over
//! the closures: each control is compiled once for all 65 fields, which
//! keeps the editor's wasm small. Each is named by its
//! dotted field path (`timeline.7.at`), the path validation reports errors
//! under; its element id is the same path with dashes (`timeline-7-at`),
//! so the two can never disagree.

use super::Errors;
use crate::pages::debounced;
use crate::pages::new::RenderMarkdown;
use leptos::prelude::*;

/// A one-line text input.
#[component]
pub fn Text(
    /// Visible label.
    label: &'static str,
    /// Dotted field path: the error's key, and (dashed) the element id.
    field: String,
    /// Current value.
    #[prop(into)]
    get: Signal<String>,
    /// Called on every keystroke.
    #[prop(into)]
    set: Callback<String>,
    /// Field errors of the last save.
    errors: Errors,
    /// Guidance shown in the empty field.
    #[prop(optional)]
    placeholder: &'static str,
) -> impl IntoView {
    let id = element_id(&field);
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id type="text" autocomplete="off" placeholder=placeholder
                prop:value=get aria-describedby=error_id.clone()
                on:input=move |ev| set.run(event_target_value(&ev))/>
            <p class="field-error" id=error_id role="alert">{move || errors.get(&field)}</p>
        </div>
    }
    .into_any()
}

/// A number input; an empty or unreadable entry means "not given".
#[component]
pub fn Number(
    label: &'static str,
    field: String,
    #[prop(into)] get: Signal<Option<i64>>,
    #[prop(into)] set: Callback<Option<i64>>,
    errors: Errors,
    #[prop(optional)] min: Option<i64>,
    #[prop(optional)] max: Option<i64>,
) -> impl IntoView {
    let id = element_id(&field);
    let error_id = format!("{id}-error");
    view! {
        <div class="field number">
            <label for=id.clone()>{label}</label>
            <input id=id type="number" inputmode="numeric"
                min=min.map(|m| m.to_string()) max=max.map(|m| m.to_string())
                prop:value=move || get.get().map(|v| v.to_string()).unwrap_or_default()
                aria-describedby=error_id.clone()
                on:input=move |ev| set.run(event_target_value(&ev).trim().parse().ok())/>
            <p class="field-error" id=error_id role="alert">{move || errors.get(&field)}</p>
        </div>
    }
    .into_any()
}

/// A choice among a closed set of values (`(stored name, label)` pairs).
#[component]
pub fn Choice(
    label: &'static str,
    field: String,
    options: Vec<(&'static str, &'static str)>,
    #[prop(into)] get: Signal<String>,
    #[prop(into)] set: Callback<String>,
    errors: Errors,
) -> impl IntoView {
    let id = element_id(&field);
    let error_id = format!("{id}-error");
    view! {
        <div class="field choice">
            <label for=id.clone()>{label}</label>
            <select id=id aria-describedby=error_id.clone()
                on:change=move |ev| set.run(event_target_value(&ev))>
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        view! { <option value=value selected=move || get.with(|v| v == value)>{text}</option> }
                    })
                    .collect_view()}
            </select>
            <p class="field-error" id=error_id role="alert">{move || errors.get(&field)}</p>
        </div>
    }
    .into_any()
}

/// A checkbox.
#[component]
pub fn Check(
    label: &'static str,
    field: String,
    #[prop(into)] get: Signal<bool>,
    #[prop(into)] set: Callback<bool>,
) -> impl IntoView {
    let id = element_id(&field);
    view! {
        <div class="field check">
            <input id=id.clone() type="checkbox" prop:checked=get
                on:change=move |ev| set.run(event_target_checked(&ev))/>
            <label for=id>{label}</label>
        </div>
    }
    .into_any()
}

/// Text kept verbatim (evidence): monospace, no preview, no trimming.
#[component]
pub fn Verbatim(
    label: &'static str,
    field: String,
    #[prop(into)] get: Signal<String>,
    #[prop(into)] set: Callback<String>,
    errors: Errors,
    #[prop(optional)] placeholder: &'static str,
) -> impl IntoView {
    let id = element_id(&field);
    let error_id = format!("{id}-error");
    view! {
        <div class="field verbatim">
            <label for=id.clone()>{label}</label>
            <textarea id=id rows="6" spellcheck="false" placeholder=placeholder
                prop:value=get aria-describedby=error_id.clone()
                on:input=move |ev| set.run(event_target_value(&ev))></textarea>
            <p class="field-error" id=error_id role="alert">{move || errors.get(&field)}</p>
        </div>
    }
    .into_any()
}

/// A markdown field with a live preview rendered by the server's own
/// renderer and sanitizer, so it matches the saved page exactly.
#[component]
pub fn Markdown(
    /// The field's name; the label reads "{label} (markdown)" and the
    /// preview region "Preview of {label}".
    label: &'static str,
    field: String,
    #[prop(into)] get: Signal<String>,
    #[prop(into)] set: Callback<String>,
    errors: Errors,
    #[prop(optional)] placeholder: &'static str,
    #[prop(default = 6)] rows: u32,
) -> impl IntoView {
    let preview = ServerAction::<RenderMarkdown>::new();
    let update_preview = debounced(250, move |text: String| {
        preview.dispatch(RenderMarkdown { markdown: text });
    });
    // A field that starts with text (an edit, a template) shows its preview
    // at once, not only after the first keystroke: drawn by the server
    // with the page when it could, else asked for.
    let drawn = use_context::<super::Previews>().and_then(|p| p.of(&field));
    let initial = get.get_untracked();
    if drawn.is_none() && !initial.trim().is_empty() {
        Effect::new(move |done: Option<()>| {
            if done.is_none() {
                preview.dispatch(RenderMarkdown {
                    markdown: initial.clone(),
                });
            }
        });
    }
    let id = element_id(&field);
    let error_id = format!("{id}-error");
    let has_text = move || get.with(|text| !text.trim().is_empty());
    view! {
        <div class="field markdown-field">
            <label for=id.clone()>{format!("{label} (markdown)")}</label>
            <div class="split">
                <textarea id=id rows=rows placeholder=placeholder
                    prop:value=get aria-describedby=error_id.clone()
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        update_preview(text.clone());
                        set.run(text);
                    }></textarea>
                <section class="preview" aria-label=format!("Preview of {label}") aria-live="polite"
                    class:empty=move || !has_text()>
                    {move || match preview.value().get() {
                        None => match drawn.clone() {
                            Some(html) => view! { <div class="markdown" inner_html=html></div> }.into_any(),
                            None => view! { <p class="hint">"The preview appears as you type."</p> }.into_any(),
                        },
                        // Sanitized by kb-markdown on the server, the only
                        // HTML this app ever injects.
                        Some(Ok(html)) => view! { <div class="markdown" inner_html=html></div> }.into_any(),
                        Some(Err(e)) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                    }}
                </section>
            </div>
            <p class="field-error" id=error_id role="alert">{move || errors.get(&field)}</p>
        </div>
    }
    .into_any()
}

/// The element id of the control for `field`: its path with dashes.
fn element_id(field: &str) -> String {
    field.replace('.', "-")
}
