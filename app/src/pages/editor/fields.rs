//! The editor's controls as the server draws them. Each is named by its
//! dotted field path (`timeline.7.at`): the name the form posts
//! (`kb_domain::postmortem::form`) and the path validation reports its
//! errors under. Its element id is the same path with dashes
//! (`timeline-7-at`) and its error line's id adds `-error`, which is how
//! the browser finds where to show a refusal.
//!
//! A control's drawn value is its default (`value`, `selected`,
//! `checked`, a textarea's text): the browser compares what is typed with
//! it to know whether the draft has unsaved changes.

use leptos::prelude::*;

/// A one-line text input.
pub fn text(label: &'static str, field: &str, value: &str, placeholder: &'static str) -> AnyView {
    let (id, error_id) = ids(field);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id name=field.to_string() type="text" autocomplete="off" placeholder=placeholder
                value=value.to_string() aria-describedby=error_id.clone()/>
            <p class="field-error" id=error_id role="alert"></p>
        </div>
    }
    .into_any()
}

/// A number input; empty means "not given".
pub fn number(label: &'static str, field: &str, value: Option<i64>, max: Option<i64>) -> AnyView {
    let (id, error_id) = ids(field);
    view! {
        <div class="field number">
            <label for=id.clone()>{label}</label>
            <input id=id name=field.to_string() type="number" inputmode="numeric" min="0"
                max=max.map(|m| m.to_string())
                value=value.map(|v| v.to_string()).unwrap_or_default()
                aria-describedby=error_id.clone()/>
            <p class="field-error" id=error_id role="alert"></p>
        </div>
    }
    .into_any()
}

/// A choice among a closed set of values (`(stored name, label)` pairs),
/// and the one a blank value stands for (as validation reads it).
pub fn choice(
    label: &'static str,
    field: &str,
    (options, blank): (Vec<(&'static str, &'static str)>, &'static str),
    value: &str,
) -> AnyView {
    let (id, error_id) = ids(field);
    let value = if value.trim().is_empty() {
        blank
    } else {
        value
    }
    .to_string();
    view! {
        <div class="field choice">
            <label for=id.clone()>{label}</label>
            <select id=id name=field.to_string() aria-describedby=error_id.clone()>
                {options
                    .into_iter()
                    .map(|(name, text)| view! { <option value=name selected=value == name>{text}</option> })
                    .collect_view()}
            </select>
            <p class="field-error" id=error_id role="alert"></p>
        </div>
    }
    .into_any()
}

/// A checkbox.
pub fn check(label: &'static str, field: &str, checked: bool) -> AnyView {
    let (id, _) = ids(field);
    view! {
        <div class="field check">
            <input id=id.clone() name=field.to_string() type="checkbox" checked=checked/>
            <label for=id>{label}</label>
        </div>
    }
    .into_any()
}

/// Text kept verbatim (evidence): monospace, no preview, no trimming.
pub fn verbatim(label: &'static str, field: &str, value: &str) -> AnyView {
    let (id, error_id) = ids(field);
    view! {
        <div class="field verbatim">
            <label for=id.clone()>{label}</label>
            <textarea id=id name=field.to_string() rows="6" spellcheck="false"
                aria-describedby=error_id.clone()>{textarea_text(value)}</textarea>
            <p class="field-error" id=error_id role="alert"></p>
        </div>
    }
    .into_any()
}

/// A markdown field and its preview, drawn by the same renderer and
/// sanitizer as the saved page; the browser asks for a new preview as
/// the text changes. The label reads "{label} (markdown)" and the preview
/// region "Preview of {label}".
pub fn markdown(label: &'static str, field: &str, value: &str, rows: u32) -> AnyView {
    let (id, error_id) = ids(field);
    let empty = value.trim().is_empty();
    let preview = if empty {
        view! { <p class="hint">"The preview appears as you type."</p> }.into_any()
    } else {
        view! { <div class="markdown" inner_html=kb_markdown::to_html(value)></div> }.into_any()
    };
    view! {
        <div class="field markdown-field">
            <label for=id.clone()>{format!("{label} (markdown)")}</label>
            <div class="split">
                <textarea id=id name=field.to_string() rows=rows data-preview=""
                    aria-describedby=error_id.clone()>{textarea_text(value)}</textarea>
                <section class="preview" class:empty=empty aria-label=format!("Preview of {label}")
                    aria-live="polite">{preview}</section>
            </div>
            <p class="field-error" id=error_id role="alert"></p>
        </div>
    }
    .into_any()
}

/// A textarea's content as drawn. Leptos writes a textarea's children as
/// they are (it is raw text to the HTML parser, up to `</textarea>`), so
/// the text is escaped here: typed `</textarea><script>` must stay text.
/// The parser drops one newline right after `<textarea>`, so one is put
/// there for it to drop, and text that starts with a newline keeps it.
fn textarea_text(value: &str) -> String {
    format!("\n{}", crate::escape_html(value))
}

/// The element id of the control for `field` (its path with dashes), and
/// of its error line.
fn ids(field: &str) -> (String, String) {
    let id = field.replace('.', "-");
    let error = format!("{id}-error");
    (id, error)
}
