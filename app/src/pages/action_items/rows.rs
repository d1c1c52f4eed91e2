//! The list drawn on the server: the counts per status, the filters, the
//! view links and one row per item, its fields changed in place (at the
//! version the page showed) by the page's code, which listens on the
//! table; and an item's history, drawn when it is asked for.

use super::controls::FilterForm;
use super::{url, DrawnItems, SetMyName};
use crate::pages::label;
use kb_domain::actions::{ActionChange, ActionFilters, ActionItemPage, ActionItemRow};
use kb_domain::record::{ActionKind, ActionStatus, Priority};
use kb_domain::ValidationErrors;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos::tachys::view::RenderHtml;

/// The page of items for someone who goes by `me` (if known); `may` (an
/// editor) gets controls, a viewer the values.
pub(super) fn draw(page: ActionItemPage, me: Option<String>, may: bool) -> DrawnItems {
    let f = page.filters.clone();
    let pages = ((page.total + page.page_size - 1) / page.page_size).max(1);
    let current = f.page;
    let all_count: i64 = page.counts.iter().map(|c| c.count).sum();
    let csv = format!("/action-items.csv{}", f.on_page(1).query_string());
    let versions = page.rows.iter().map(|r| (r.id(), r.version)).collect();
    let top = view! {
        <nav class="status-counts" aria-label="Counts per status">
            <a href=url(&f.with("status", None)) class:current=f.status.is_none()>
                "All " <span class="count" data-status="all">{all_count}</span>
            </a>
            {page.counts.iter().map(|c| {
                let label = ActionStatus::parse(&c.status).map(|s| s.label()).unwrap_or("?");
                let here = f.status.as_deref() == Some(c.status.as_str());
                view! {
                    <a href=url(&f.with("status", Some(&c.status))) class:current=here>
                        {label} " " <span class="count" data-status=c.status.clone()>{c.count}</span>
                    </a>
                }
            }).collect_view()}
        </nav>
        <FilterForm f=f.clone()/>
        <div class="view-links">
            <a href=csv download rel="external">"Export CSV"</a>
            " · "
            {my_items(me, &f)}
        </div>
        <p class="count" role="status">{format!("{} action items", page.total)}</p>
    }
    .to_html();
    let today = page.today;
    let table = view! {
        {if page.rows.is_empty() {
            view! { <p class="empty">"No action items match these filters."</p> }.into_any()
        } else {
            view! {
                <table class="action-items tracking">
                    <thead><tr>
                        <th><span class="visually-hidden">"Select"</span></th>
                        <th>"Action"</th><th>"Owner"</th><th>"Due"</th><th>"Priority"</th>
                        <th>"Status"</th><th>"Kind"</th><th>"Tracker"</th><th>"History"</th>
                    </tr></thead>
                    <tbody>
                        {page.rows.into_iter().map(|r| row(r, &today, may)).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <nav class="pager" aria-label="Pages">
            {(current > 1).then(|| view! { <a href=url(&f.on_page(current - 1))>"← Previous"</a> })}
            <span>{format!("Page {current} of {pages}")}</span>
            {(current < pages).then(|| view! { <a href=url(&f.on_page(current + 1))>"Next →"</a> })}
        </nav>
    }
    .to_html();
    DrawnItems {
        top,
        table,
        versions,
    }
}

/// Filters the list cannot show, said as such.
pub(super) fn refused(errors: ValidationErrors) -> DrawnItems {
    DrawnItems {
        top: view! {
            <p class="error" role="alert">{format!("These filters cannot be shown: {errors}")}</p>
            <p><a href="/action-items">"Show every action item"</a></p>
        }
        .to_html(),
        table: String::new(),
        versions: Vec::new(),
    }
}

/// "My items" when the person's owner name is known; otherwise a form to
/// say it (a plain post: the answer sets a cookie and shows their items).
fn my_items(me: Option<String>, f: &ActionFilters) -> AnyView {
    match me {
        Some(name) => view! {
            <a href=url(&f.with("mine", if f.mine { None } else { Some("1") })) class:current=f.mine>
                {if f.mine { "All owners".to_string() } else { format!("My items ({name})") }}
            </a>
        }
        .into_any(),
        None => view! {
            <form class="my-name" method="post" action=SetMyName::PATH>
                <label for="my-name">"My items: I am "</label>
                <input id="my-name" name="name" type="text" placeholder="owner name" maxlength="100"
                    required pattern=".*\\S.*" title="your name as items name their owner"/>
                " "
                <button class="secondary">"Show my items"</button>
            </form>
        }
        .into_any(),
    }
}

/// One item: its fields, each control marked with what it changes
/// (`data-field`) in a row that carries the item's id and version.
fn row(r: ActionItemRow, today: &str, may: bool) -> impl IntoView {
    let (id, version) = (r.id(), r.version);
    let overdue = r.is_overdue(today);
    let closed = r.is_closed();
    let read_only = !may;
    let item = r.item;
    let title = item.title.clone();
    let tracker_view = match r.tracker_link {
        Some(u) => {
            view! { <a href=u rel="noopener noreferrer nofollow">{item.tracker.clone()}</a> }
                .into_any()
        }
        None => item.tracker.clone().into_any(),
    };
    view! {
        <tr class:overdue=overdue class:closed=closed data-item=id data-version=version>
            <td class="select">
                <input type="checkbox" data-select aria-label=format!("Select {title}") disabled=read_only/>
            </td>
            <td class="action">
                <span class="item-title">{item.title.clone()}</span>
                {overdue.then(|| view! { " " <span class="badge overdue-badge">"Overdue"</span> })}
                <small class="from">
                    <a href=format!("/incidents/{}", r.postmortem_id)>{r.postmortem_title}</a>
                    {(!r.teams.is_empty()).then(|| format!(" · {}", r.teams.join(", ")))}
                </small>
            </td>
            <td data-label="Owner">
                <input type="text" class="inline" data-field="owner" value=item.owner.clone()
                    aria-label=format!("Owner of {title}") disabled=read_only/>
            </td>
            <td data-label="Due">
                <input type="date" class="inline" data-field="due" value=item.due.clone().unwrap_or_default()
                    aria-label=format!("Due date of {title}") disabled=read_only/>
            </td>
            <td data-label="Priority">{label(Priority::parse, Priority::label, &item.priority)}</td>
            <td data-label="Status">
                <select data-field="status" aria-label=format!("Status of {title}") disabled=read_only>
                    {ActionStatus::ALL.iter().map(|s| {
                        let here = item.status == s.as_str();
                        view! { <option value=s.as_str() selected=here>{s.label()}</option> }
                    }).collect_view()}
                </select>
            </td>
            <td data-label="Kind">{label(ActionKind::parse, ActionKind::label, &item.kind)}</td>
            <td data-label="Tracker">{tracker_view}</td>
            <td class="history-toggle">
                <button type="button" class="link" id=format!("history-of-{id}") data-history=id
                    aria-expanded="false" aria-controls=format!("item-history-{id}")
                    aria-label=format!("History of {title}")>"History"</button>
            </td>
        </tr>
        <tr class="item-history" id=format!("item-history-{id}") hidden>
            <td colspan="9" data-fill></td>
        </tr>
    }
}

/// An item's recorded changes, oldest first, as HTML.
pub(super) fn history(list: Vec<ActionChange>) -> String {
    let shown = |field: &str, v: &str| -> String {
        match (v, field) {
            ("", _) => "—".into(),
            (_, "status" | "created") => label(ActionStatus::parse, ActionStatus::label, v),
            _ => v.to_string(),
        }
    };
    view! {
        <ol class="changes item-changes" aria-label="Item history">
            {list.into_iter().map(|c| {
                let what = if c.field == "created" {
                    format!("created as {}", shown("created", &c.to))
                } else {
                    format!("{}: {} → {}", c.field, shown(&c.field, &c.from), shown(&c.field, &c.to))
                };
                view! { <li>{format!("{} · {} · {what}", c.changed_at, c.changed_by)}</li> }
            }).collect_view()}
        </ol>
    }
    .to_html()
}
