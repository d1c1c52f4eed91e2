//! Investigate: `/investigate` (findings from evidence pasted without a
//! postmortem) and the Investigate panel every postmortem page shows.
//! Each finding is stated with the lines it rests on; an editor accepts
//! it into the record or dismisses it.
//!
//! The panel is drawn on the server ([`panel`]) and injected as HTML, so
//! the browser bundle carries no code for it and it reads without
//! JavaScript.

#[cfg(feature = "ssr")]
pub mod panel;

use crate::error::AppError;
use crate::pages::{ErrorNote, Submitted};
use leptos::prelude::*;
use leptos_meta::Title;

/// The Investigate panel of pasted evidence `text` set against
/// `hypothesis`, as HTML ([`panel`]), with "start a postmortem" buttons
/// for an editor.
#[server]
pub async fn investigate_evidence(text: String, hypothesis: String) -> Result<String, AppError> {
    let ctx = crate::request::request_context().await?;
    let report = crate::state::services()?
        .investigate_text(&ctx, text, hypothesis)
        .await?;
    let may = crate::access::check(
        &ctx,
        crate::access::Need::Role(kb_domain::accounts::Role::Editor),
    )
    .is_ok();
    Ok(panel::panel_html(report, None, may))
}

/// Accepts finding (`kind`, `statement`) of postmortem `id` into `into`
/// (an `AcceptInto` name; evidence names its hypothesis, from 0, after a
/// colon, `evidence_for:0`, or in `hypothesis`), on top of `version`; or
/// dismisses it when `decision` is `dismiss` or `into` is empty.
///
/// The panel's forms post here without JavaScript: such a post is
/// answered with a redirect back to the postmortem, whose address says
/// why a refused decision was not saved (`?refused=stale`).
#[server]
pub async fn decide_finding(
    id: i64,
    version: i64,
    kind: String,
    statement: String,
    into: String,
    hypothesis: Option<usize>,
    decision: Option<String>,
) -> Result<Submitted, AppError> {
    use crate::service::investigate::Target;
    use kb_domain::findings::AcceptInto;
    let ctx = crate::request::request_context().await?;
    let dismiss = decision.as_deref() == Some("dismiss") || (decision.is_none() && into.is_empty());
    let target = if dismiss {
        Ok(None)
    } else {
        let (into, hypothesis) = match into.split_once(':') {
            Some((into, n)) => (into, n.parse().ok()),
            None => (into.as_str(), hypothesis),
        };
        match AcceptInto::parse(into) {
            Some(into) => Ok(Some(Target { into, hypothesis })),
            None => Err(refusal("into", "choose where it goes")),
        }
    };
    let answer = match target {
        Ok(target) => super::postmortem::answer(
            crate::state::services()?
                .decide_finding(&ctx, id, version, &kind, &statement, target)
                .await,
        ),
        Err(refused) => Ok(Submitted::Refused(refused)),
    };
    super::postmortem::back_to_page(id, &answer, "finding", "investigate-heading");
    answer
}

/// Starts a draft postmortem titled `title` from pasted evidence, with
/// finding (`kind`, `statement`) as the first level of its why-chain.
#[server]
pub async fn start_postmortem(
    title: String,
    text: String,
    hypothesis: String,
    kind: String,
    statement: String,
) -> Result<Submitted, AppError> {
    let ctx = crate::request::request_context().await?;
    Submitted::answer(
        crate::state::services()?
            .start_from_finding(&ctx, title, text, hypothesis, &kind, &statement)
            .await,
    )
}

#[cfg(feature = "ssr")]
fn refusal(field: &str, message: &str) -> kb_domain::ValidationErrors {
    let mut errors = kb_domain::ValidationErrors::default();
    errors.push(field, message);
    errors
}

/// The name a finding's kind is shown by.
#[cfg(feature = "ssr")]
pub fn kind_label(kind: kb_investigate::FindingKind) -> &'static str {
    use kb_investigate::FindingKind;
    match kind {
        FindingKind::Sequence => "Sequence",
        FindingKind::Change => "Change",
        FindingKind::Rhythm => "Rhythm",
        FindingKind::Mitigation => "Mitigation",
        FindingKind::Challenge => "Hypothesis challenged",
        FindingKind::SeenBefore => "Seen before",
        FindingKind::WhyChain => "Why-chain",
        FindingKind::Confidence => "Confidence",
    }
}

/// `/investigate`: paste evidence, name the working hypothesis, read the
/// findings; start a postmortem from one of them.
#[component]
pub fn InvestigatePage() -> impl IntoView {
    let run = ServerAction::<InvestigateEvidence>::new();
    let start = ServerAction::<StartPostmortem>::new();
    let text = RwSignal::new(String::new());
    let hypothesis = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(Submitted::Saved(id))) = start.value().get() {
            let navigate = leptos_router::hooks::use_navigate();
            navigate(&format!("/incidents/{id}"), Default::default());
        }
    });
    // The panel is HTML from the server; its "start" buttons carry the
    // finding they start from.
    let start_from = move |ev: leptos::ev::MouseEvent| {
        let finding =
            crate::pages::acted_on(&ev, "button.start-from", &["data-kind", "data-statement"]);
        if let Some([kind, statement]) = finding.as_deref() {
            start.dispatch(StartPostmortem {
                title: title.get_untracked(),
                text: text.get_untracked(),
                hypothesis: hypothesis.get_untracked(),
                kind: kind.clone(),
                statement: statement.clone(),
            });
        }
    };
    let may = crate::can_write().0;
    view! {
        <Title text="Investigate"/>
        <h1>"Investigate"</h1>
        <p class="guidance">"Paste what you have: log lines, alerts, a config diff, notes with times. Hindsight reads the order things began in, changes before the first error, fixes and how long they held, and rhythms, each with the lines it rests on, and sets them against your working hypothesis."</p>
        <form class="investigate-form" on:submit=move |ev| {
            ev.prevent_default();
            run.dispatch(InvestigateEvidence { text: text.get_untracked(), hypothesis: hypothesis.get_untracked() });
        }>
            <div class="field">
                <label for="evidence">"Evidence"</label>
                <textarea id="evidence" name="text" rows="12" spellcheck="false"
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </div>
            <div class="field">
                <label for="hypothesis">"Working hypothesis (optional)"</label>
                <input id="hypothesis" name="hypothesis" type="text" maxlength="500" autocomplete="off"
                    placeholder="The database is the bottleneck"
                    prop:value=move || hypothesis.get() on:input=move |ev| hypothesis.set(event_target_value(&ev))/>
            </div>
            <button type="submit" disabled=move || run.pending().get()>"Investigate"</button>
        </form>
        {move || match run.value().get() {
            None => ().into_any(),
            Some(Err(error)) => view! { <ErrorNote error/> }.into_any(),
            Some(Ok(html)) => view! {
                {may.then(|| view! {
                    <div class="field start-title">
                        <label for="start-title">"Title for a new postmortem"</label>
                        <input id="start-title" type="text" maxlength="200" autocomplete="off"
                            aria-describedby="start-title-error"
                            prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
                        <p class="error" id="start-title-error" role="alert">{move || start.value().get().as_ref().and_then(|r| Submitted::field_error(r, "title"))}</p>
                    </div>
                })}
                <div on:click=start_from inner_html=html></div>
            }.into_any(),
        }}
    }
}
