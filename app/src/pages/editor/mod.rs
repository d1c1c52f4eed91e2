//! The postmortem editor, shared by `/new`, `/incidents/:id/edit` and the
//! sections edited in place on a postmortem's page: the whole record (or
//! one section) as one HTML form, drawn on the server, saved in one
//! request.
//!
//! The server draws the form ([`draw`], [`sections`], [`fields`]); each
//! control is named by its field path, which `kb_domain::postmortem::form`
//! reads back into the record. The browser runs a small client
//! ([`client`]) over that HTML: rows added, moved and removed in place,
//! markdown previews, "Seen before?", the save and its refusals. The
//! record's types and views never reach the wasm.
//!
//! Nothing typed is lost: the whole editor's draft is kept in the
//! browser's local storage as it changes (offered back after a crash or
//! a closed tab), leaving with unsaved changes asks first, and a refused
//! save (invalid fields, or a newer version saved by someone else) leaves
//! the text where it was.

#[cfg(feature = "hydrate")]
mod client;
#[cfg(feature = "ssr")]
mod draw;
#[cfg(all(test, feature = "ssr"))]
mod draw_tests;
#[cfg(feature = "ssr")]
mod fields;
#[cfg(feature = "ssr")]
pub(crate) mod sections;
#[cfg(feature = "ssr")]
pub mod templates;

use crate::error::AppError;
use crate::pages::Submitted;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Form fields as the browser posts them: `(field path, value)` in
/// document order.
pub type Fields = Vec<(String, String)>;

/// An editor as the server drew it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrawnEditor {
    /// The postmortem's title (empty for a template).
    pub title: String,
    /// The version the form edits (0 for a new postmortem).
    pub version: i64,
    /// The form, as HTML.
    pub html: String,
}

/// The editor for a new postmortem (`id` None: from `template` `quick` or
/// `full`, or from postmortem `from`'s structure), for postmortem `id`,
/// or for its section `section` alone. `None` when the postmortem does
/// not exist, the reader may not see it, or the section is unknown.
#[server]
pub async fn draw_editor(
    id: Option<i64>,
    section: Option<String>,
    template: Option<String>,
    from: Option<i64>,
) -> Result<Option<DrawnEditor>, AppError> {
    use kb_domain::PostmortemInput;
    use sections::Shown;
    use templates::Template;
    let ctx = crate::request::request_context().await?;
    let services = crate::state::services()?;
    let stored = |id| {
        let (services, ctx) = (&services, &ctx);
        async move {
            Ok::<_, AppError>(
                services
                    .get(ctx, id)
                    .await?
                    .map(|p| (p.version, PostmortemInput::from(&p))),
            )
        }
    };
    let Some(id) = id else {
        let target = draw::Target {
            id: None,
            version: 0,
        };
        let (input, shown) = match from {
            Some(from) => match stored(from).await? {
                Some((_, source)) => (templates::from_existing(&source), Shown::All),
                None => return Ok(None),
            },
            None => match Template::from_query(template.as_deref()) {
                Template::Quick => (Template::Quick.input(), Shown::Quick),
                Template::Full => (Template::Full.input(), Shown::All),
            },
        };
        return Ok(Some(DrawnEditor {
            title: input.title.clone(),
            version: 0,
            html: draw::whole(&target, &input, shown),
        }));
    };
    let Some((version, mut input)) = stored(id).await? else {
        return Ok(None);
    };
    let html = match section {
        None => draw::whole(
            &draw::Target {
                id: Some(id),
                version,
            },
            &input,
            Shown::All,
        ),
        Some(anchor) => {
            templates::ensure_row(&mut input, &anchor);
            match draw::section(id, version, &anchor, &input) {
                Some(html) => html,
                None => return Ok(None),
            }
        }
    };
    Ok(Some(DrawnEditor {
        title: input.title,
        version,
        html,
    }))
}

/// Saves an editor's form: creates a postmortem (`id` None) or updates
/// postmortem `id` on top of `version`, the whole record or only its
/// section `section` (the rest stays as stored).
///
/// JSON-encoded: the fields are a list of pairs. Refusals are answers,
/// not errors (see [`Submitted`]); a refused field is named by its path
/// in the form, blank rows counted.
#[server(input = leptos::server_fn::codec::Json)]
pub async fn save_fields(
    id: Option<i64>,
    version: i64,
    section: Option<String>,
    fields: Fields,
) -> Result<Submitted, AppError> {
    let ctx = crate::request::request_context().await?;
    let services = crate::state::services()?;
    let mut input = form_record(&ctx, id, section.as_deref()).await?;
    if let Err(errors) = kb_domain::postmortem::form::apply_fields(&mut input, &fields) {
        return Ok(Submitted::Refused(errors));
    }
    let kept = templates::prune(&mut input);
    let result = match id {
        None => services.create_authored(&ctx, input).await,
        Some(id) => services.update_authored(&ctx, id, version, input).await,
    };
    match result {
        Ok(saved) => Ok(Submitted::Saved(saved)),
        Err(AppError::Invalid(errors)) => Ok(Submitted::Refused(kb_domain::ValidationErrors(
            errors
                .0
                .into_iter()
                .map(|e| kb_domain::FieldError {
                    field: kept.original(&e.field),
                    message: e.message,
                })
                .collect(),
        ))),
        Err(AppError::Conflict(theirs)) => Ok(Submitted::Stale(theirs)),
        Err(e) => Err(e),
    }
}

/// The record a form's fields are applied to: for postmortem `id`, the
/// stored one with what the form shows cleared (what it does not show,
/// such as its external id, stays); for a new one, an empty record.
#[cfg(feature = "ssr")]
async fn form_record(
    ctx: &crate::context::RequestContext,
    id: Option<i64>,
    section: Option<&str>,
) -> Result<kb_domain::PostmortemInput, AppError> {
    use kb_domain::postmortem::form;
    let mut input = match id {
        Some(id) => crate::state::services()?
            .get(ctx, id)
            .await?
            .map(|p| kb_domain::PostmortemInput::from(&p))
            .ok_or(AppError::NotFound)?,
        None => kb_domain::PostmortemInput::default(),
    };
    match section {
        None => form::clear_all(&mut input),
        Some(anchor) if form::clear_section(&mut input, anchor) => {}
        Some(anchor) => {
            return Err(AppError::BadRequest(format!(
                "there is no section named {anchor:.40}"
            )))
        }
    }
    Ok(input)
}

/// Every section drawn on `fields` (a draft kept in the browser, brought
/// back): the server draws it, as it draws every form.
#[server(input = leptos::server_fn::codec::Json)]
pub async fn draw_fields(fields: Fields) -> Result<String, AppError> {
    crate::request::request_context().await?;
    let mut input = kb_domain::PostmortemInput::default();
    // A draft from an older version may name a field that is gone: what
    // can be read is brought back.
    let _ = kb_domain::postmortem::form::apply_fields(&mut input, &fields);
    Ok(draw::sections_only(&input))
}

/// After a save of postmortem `id` was refused as stale: what is stored
/// now next to `fields` (the whole record, or section `section` on top of
/// what is stored), as the conflict panel's HTML; `None` when the
/// postmortem is gone or hidden.
#[server(input = leptos::server_fn::codec::Json)]
pub async fn draw_conflict(
    id: i64,
    section: Option<String>,
    fields: Fields,
) -> Result<Option<String>, AppError> {
    let ctx = crate::request::request_context().await?;
    let Some(theirs) = crate::state::services()?.get(&ctx, id).await? else {
        return Ok(None);
    };
    let (version, theirs) = (theirs.version, kb_domain::PostmortemInput::from(&theirs));
    let mut mine = form_record(&ctx, Some(id), section.as_deref()).await?;
    let _ = kb_domain::postmortem::form::apply_fields(&mut mine, &fields);
    templates::prune(&mut mine);
    Ok(Some(draw::conflict(version, &theirs, &mine)))
}

/// "Seen before?" for a draft: past postmortems whose symptoms match
/// `fields` (the [`is_symptom`] fields), as HTML; `exclude` is the
/// postmortem being edited.
#[server(input = leptos::server_fn::codec::Json)]
pub async fn draw_seen_before(exclude: Option<i64>, fields: Fields) -> Result<String, AppError> {
    let ctx = crate::request::request_context().await?;
    let mut input = kb_domain::PostmortemInput::default();
    let symptoms: Fields = fields.into_iter().filter(|(f, _)| is_symptom(f)).collect();
    let _ = kb_domain::postmortem::form::apply_fields(&mut input, &symptoms);
    let text = input.symptom_text();
    // A few words are needed before a match means anything.
    if text.split_whitespace().count() < 2 {
        return Ok(String::new());
    }
    let hits = crate::state::services()?
        .similar_to(&ctx, text, exclude, 5)
        .await?;
    Ok(draw::seen_before(hits))
}

/// Whether the form field `field` is part of a draft's symptoms
/// (`PostmortemInput::symptom_text`): title, summary, impact, a
/// learning's symptoms, a piece of evidence.
pub fn is_symptom(field: &str) -> bool {
    matches!(field, "title" | "summary" | "impact")
        || (field.starts_with("learnings.") && field.ends_with(".symptoms"))
        || (field.starts_with("evidence.") && field.ends_with(".body"))
}

/// How a section is named on its save button ("Save Timeline").
pub fn section_title(anchor: &str) -> &'static str {
    match anchor {
        "header" => "header",
        "access" => "who can see it",
        _ => crate::pages::postmortem::PARTS
            .iter()
            .find(|(_, a)| *a == anchor)
            .map(|(title, _)| *title)
            .unwrap_or("section"),
    }
}

/// The line under the clock ("Time to detect: 7 min · ..."), drawn with
/// the form and redrawn in the browser as the times change.
pub fn durations_line(p: &kb_domain::Parts) -> String {
    let d = p.durations();
    let show = |m: Option<i64>| {
        m.map(kb_domain::record::format_minutes)
            .unwrap_or_else(|| "—".into())
    };
    format!(
        "Time to detect: {} · to mitigate: {} · to resolve: {}",
        show(d.to_detect),
        show(d.to_mitigate),
        show(d.to_resolve)
    )
}

/// The whole editor, as [`draw_editor`] drew it: the page leaves for the
/// postmortem once saved.
#[component]
pub fn Editor(drawn: DrawnEditor) -> impl IntoView {
    let host = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    {
        let navigate = leptos_router::hooks::use_navigate();
        Effect::new(move |_| {
            if let Some(root) = host.get() {
                let navigate = navigate.clone();
                client::attach(
                    root.into(),
                    std::rc::Rc::new(move |id| {
                        let to = format!("/incidents/{id}");
                        navigate(&to, Default::default());
                    }),
                    None,
                );
            }
        });
    }
    view! { <div class="editor-host" node_ref=host inner_html=drawn.html></div> }
}

/// One section's editor, as [`draw_editor`] drew it, in place:
/// `saved` runs once it is saved, `cancel` when the author gives up.
#[component]
pub fn SectionForm(drawn: DrawnEditor, saved: Callback<()>, cancel: Callback<()>) -> impl IntoView {
    let host = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(root) = host.get() {
            client::attach(
                root.into(),
                std::rc::Rc::new(move |_| saved.run(())),
                Some(std::rc::Rc::new(move || cancel.run(()))),
            );
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (saved, cancel);
    view! { <div class="in-place" node_ref=host inner_html=drawn.html></div> }
}
