//! What follows from the incident: learnings, action items, links to other
//! postmortems, and who can see it.

use super::super::fields::{Check, Choice, Markdown, Text};
use super::super::Errors;
use super::{Part, Rows};
use crate::pages::options;
use kb_domain::record::{ActionKind, ActionStatus, LearningKind, LinkKind, Priority};
use kb_domain::PostmortemInput;
use leptos::prelude::*;

#[component]
pub fn Learnings(draft: RwSignal<PostmortemInput>, errors: Errors) -> impl IntoView {
    view! {
        <Part id="learnings" title="Learnings" guidance="A pattern is what the next on-call engineer will recognise: give it a name and describe its symptoms the way they would paste them (alert names, error messages). Other lessons: diagnostic, process, cultural.">
            <Rows draft list=list_ops!(learnings) name="learnings" noun="learning" row=move |i| {
                let (k_g, k_s, k_f) = row!(draft, learnings, i, kind);
                let (t_g, t_s, t_f) = row!(draft, learnings, i, title);
                let (x_g, x_s, x_f) = row!(draft, learnings, i, text);
                let (s_g, s_s, s_f) = row!(draft, learnings, i, symptoms);
                let (r_g, r_s, r_f) = row!(draft, learnings, i, root_cause);
                let (d_g, d_s, d_f) = row!(draft, learnings, i, detection);
                let (f_g, f_s, f_f) = row!(draft, learnings, i, resolution);
                let pattern = move || draft.with(|d| d.parts.learnings.get(i).is_some_and(|l| l.kind == LearningKind::Pattern.as_str()));
                view! {
                    <div class="grid">
                        <Choice label="Kind" field=k_f options=opts!(LearningKind) get=k_g set=k_s errors/>
                        <Text label="Name or lesson" field=t_f get=t_g set=t_s errors/>
                    </div>
                    <Show when=pattern fallback=move || view! {
                        <Markdown label="Lesson" field=x_f.clone() get=x_g set=x_s errors rows=3/>
                    }>
                        <Markdown label="Symptoms" field=s_f.clone() get=s_g set=s_s errors rows=3/>
                        <Markdown label="Pattern root cause" field=r_f.clone() get=r_g set=r_s errors rows=2/>
                        <Markdown label="How to detect it" field=d_f.clone() get=d_g set=d_s errors rows=2/>
                        <Markdown label="How to resolve it" field=f_f.clone() get=f_g set=f_s errors rows=2/>
                    </Show>
                }
                .into_any()
            }/>
        </Part>
    }
    .into_any()
}

#[component]
pub fn ActionItems(draft: RwSignal<PostmortemInput>, errors: Errors) -> impl IntoView {
    view! {
        <Part id="action_items" title="Action items" guidance="Follow-ups that would have prevented this, shortened it or caught it sooner. Each needs an owner and a due date to get done.">
            <Rows draft list=list_ops!(action_items) name="action_items" noun="action item" row=move |i| {
                let (t_g, t_s, t_f) = row!(draft, action_items, i, title);
                let (o_g, o_s, o_f) = row!(draft, action_items, i, owner);
                let (d_g, d_s) = super::row_lens(
                    draft,
                    i,
                    |d, i| d.parts.action_items.get(i).and_then(|r| r.due.clone()).unwrap_or_default(),
                    |d, i, v: String| if let Some(r) = d.parts.action_items.get_mut(i) { r.due = (!v.trim().is_empty()).then_some(v); },
                );
                let (p_g, p_s, p_f) = row!(draft, action_items, i, priority);
                let (s_g, s_s, s_f) = row!(draft, action_items, i, status);
                let (k_g, k_s, k_f) = row!(draft, action_items, i, kind);
                let (x_g, x_s, x_f) = row!(draft, action_items, i, tracker);
                let (e_g, e_s, e_f) = row!(draft, action_items, i, expected_effect);
                view! {
                    <Text label="Action" field=t_f get=t_g set=t_s errors/>
                    <div class="grid">
                        <Text label="Owner" field=o_f get=o_g set=o_s errors/>
                        <Text label="Due" field=format!("action_items.{i}.due") get=d_g set=d_s errors placeholder="YYYY-MM-DD"/>
                        <Choice label="Priority" field=p_f options=opts!(Priority) get=p_g set=p_s errors/>
                        <Choice label="Status" field=s_f options=opts!(ActionStatus) get=s_g set=s_s errors/>
                        <Choice label="Kind" field=k_f options=opts!(ActionKind) get=k_g set=k_s errors/>
                        <Text label="Tracker" field=x_f get=x_g set=x_s errors placeholder="OPS-123 or a link"/>
                    </div>
                    <Text label="Expected effect" field=e_f get=e_g set=e_s errors/>
                }
                .into_any()
            }/>
        </Part>
    }
    .into_any()
}

#[component]
pub fn Links(draft: RwSignal<PostmortemInput>, errors: Errors) -> impl IntoView {
    view! {
        <Part id="links" title="Links" guidance="Earlier occurrences of the same problem and related incidents: #12 for postmortem 12, or its external id. The link shows on both postmortems.">
            <Rows draft list=list_ops!(links) name="links" noun="link" row=move |i| {
                let (t_g, t_s, t_f) = row!(draft, links, i, target);
                let (k_g, k_s, k_f) = row!(draft, links, i, kind);
                let (n_g, n_s, n_f) = row!(draft, links, i, note);
                view! {
                    <div class="grid">
                        <Text label="Postmortem" field=t_f get=t_g set=t_s errors placeholder="#12"/>
                        <Choice label="Relation" field=k_f options=opts!(LinkKind) get=k_g set=k_s errors/>
                        <Text label="Why" field=n_f get=n_g set=n_s errors/>
                    </div>
                }
                .into_any()
            }/>
        </Part>
    }
    .into_any()
}

/// Who may see the postmortem. Shown in every editor, beside the header:
/// it is the one setting whose mistake cannot be taken back by an edit
/// (whoever saw it, saw it).
#[component]
pub fn Visibility(draft: RwSignal<PostmortemInput>, errors: Errors) -> impl IntoView {
    let private = move || draft.with(|d| d.parts.access.private);
    let set_private = move |v: bool| draft.update(|d| d.parts.access.private = v);
    let (u_g, u_s) = names!(draft, parts.access.users);
    let (g_g, g_s) = names!(draft, parts.access.groups);
    view! {
        <Part id="access" title="Who can see it" guidance="Everyone who can sign in, unless it is private: then only the people and groups named here, and admins. To anyone else a private postmortem does not exist: it is left out of lists, search, counts, links and exports. Reads and writes of it are written to the audit log.">
            <Check label="Private" field="access.private".into() get=private set=set_private/>
            <Show when=private>
                <div class="grid">
                    <Text label="People" field="access.users".into() get=u_g set=u_s errors placeholder="account names, comma-separated"/>
                    <Text label="Groups" field="access.groups".into() get=g_g set=g_s errors placeholder="group names, comma-separated"/>
                </div>
            </Show>
        </Part>
    }
    .into_any()
}
