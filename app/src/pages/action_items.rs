//! `/action-items`: every postmortem's action items in one list, filtered
//! and sorted by the URL (so a view can be shared or bookmarked), with the
//! counts per status on top, overdue items marked, status, owner and due
//! date changed inline or for a selection at once, each item's history,
//! and the CSV of the current view. `/action-items/summary`: where things
//! stand, overall and per team and service.

use crate::error::AppError;
use crate::pages::{ErrorNote, Submitted};
use kb_domain::actions::{
    ActionChange, ActionFilters, ActionItemPage, ActionItemRow, ActionPatch, ActionSort,
    ActionStats, ActionSummary, DueFilter, GroupStats,
};
use kb_domain::record::{ActionKind, ActionStatus, Priority};
use kb_domain::ValidationErrors;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What the list answers: a page, or why the filters were refused (a
/// normal answer, not a fault: the page shows it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ItemsAnswer {
    /// The items, with the caller's owner name when known ("my items").
    Page(Box<ActionItemPage>, Option<String>),
    /// Unknown filter values, by query key.
    Refused(ValidationErrors),
}

/// A page of action items under `filters` (validated here).
#[server(input = leptos::server_fn::codec::Json)]
pub async fn list_action_items(filters: ActionFilters) -> Result<ItemsAnswer, AppError> {
    let ctx = crate::context::request_context().await?;
    let core = crate::state::core()?;
    let page_size = kb_domain::actions::ITEMS_PER_PAGE;
    match core.action_items(&ctx, &filters, page_size).await {
        Ok(page) => Ok(ItemsAnswer::Page(Box::new(page), ctx.name.clone())),
        Err(AppError::Invalid(errors)) => Ok(ItemsAnswer::Refused(errors)),
        Err(e) => Err(e),
    }
}

/// Changes items (each naming the version it was made on), all or
/// nothing. Invalid values and stale versions are refusals.
#[server(input = leptos::server_fn::codec::Json)]
pub async fn change_action_items(changes: Vec<(i64, ActionPatch)>) -> Result<Submitted, AppError> {
    let ctx = crate::context::request_context().await?;
    let result = crate::state::core()?
        .change_action_items(&ctx, &changes)
        .await;
    match result {
        Ok(changed) => Ok(Submitted::Saved(changed.len() as i64)),
        Err(AppError::Invalid(e)) => Ok(Submitted::Refused(e)),
        Err(e @ AppError::StaleItem { .. }) => Ok(Submitted::Refused(ValidationErrors(vec![
            kb_domain::FieldError {
                field: "version".into(),
                message: e.to_string(),
            },
        ]))),
        Err(e) => Err(e),
    }
}

/// Every recorded change of action item `id`.
#[server]
pub async fn action_item_history(id: i64) -> Result<Vec<ActionChange>, AppError> {
    let ctx = crate::context::request_context().await?;
    crate::state::core()?.action_item_history(&ctx, id).await
}

/// Remembers (in a cookie) the owner name the person goes by, for "my
/// items": until accounts exist, that is who the person is.
#[server]
pub async fn set_my_name(name: String) -> Result<Submitted, AppError> {
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > kb_domain::incident::MAX_NAME {
        return Ok(Submitted::Refused(ValidationErrors(vec![
            kb_domain::FieldError {
                field: "name".into(),
                message: format!(
                    "your name as items name their owner, 1 to {} characters",
                    kb_domain::incident::MAX_NAME
                ),
            },
        ])));
    }
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        crate::context::NAME_COOKIE,
        kb_domain::actions::percent_encode(&name)
    );
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::HeaderValue::from_str(&cookie),
    ) {
        response.append_header(axum::http::header::SET_COOKIE, value);
    }
    Ok(Submitted::Saved(1))
}

/// The numbers for managers.
#[server]
pub async fn load_action_summary() -> Result<ActionSummary, AppError> {
    let ctx = crate::context::request_context().await?;
    crate::state::core()?.action_summary(&ctx).await
}

fn url(f: &ActionFilters) -> String {
    format!("/action-items{}", f.query_string())
}

/// The Action items page.
#[component]
pub fn ActionItemsPage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        let q = query.read();
        ActionFilters::from_pairs(
            [
                "status",
                "owner",
                "team",
                "service",
                "kind",
                "priority",
                "due",
                "postmortem",
                "sort",
                "recurred",
                "mine",
                "page",
            ]
            .into_iter()
            .filter_map(|k| q.get(k).map(|v| (k, v)))
            .collect::<Vec<_>>()
            .iter()
            .map(|(k, v)| (*k, v.as_str())),
        )
    });
    // Bumped after every change, so the list (and its counts) reload.
    let changed = RwSignal::new(0u32);
    let items = Resource::new(
        move || (filters.get(), changed.get()),
        |(f, _)| list_action_items(f),
    );
    view! {
        <Title text="Action items"/>
        <section class="intro action-intro">
            <h1>"Action items"</h1>
            <p><a href="/action-items/summary">"Where things stand, per team and service"</a></p>
        </section>
        // Transition: after a change the list reloads in place, keeping the
        // old rows on screen until the new ones arrive.
        <Transition fallback=|| view! { <p class="loading">"Loading action items…"</p> }>
            {move || Suspend::new(async move {
                match items.await {
                    Ok(ItemsAnswer::Page(page, me)) => view! { <Items page=*page me changed/> }.into_any(),
                    Ok(ItemsAnswer::Refused(errors)) => view! {
                        <p class="error" role="alert">{format!("These filters cannot be shown: {errors}")}</p>
                        <p><a href="/action-items">"Show every action item"</a></p>
                    }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A `<select>` of a filter, offering "any" and `values` (name, label).
fn filter_select(
    key: &'static str,
    label: &'static str,
    current: Option<String>,
    values: Vec<(&'static str, &'static str)>,
    any: &'static str,
) -> impl IntoView {
    let id = format!("filter-{key}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=key>
                <option value="">{any}</option>
                {values.into_iter().map(|(v, l)| {
                    let selected = current.as_deref() == Some(v);
                    view! { <option value=v selected=selected>{l}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

fn filter_text(key: &'static str, label: &'static str, current: Option<String>) -> impl IntoView {
    let id = format!("filter-{key}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id name=key type="text" value=current.unwrap_or_default()/>
        </div>
    }
}

fn names<E: Copy + 'static>(
    all: &'static [E],
    name: fn(E) -> &'static str,
    label: fn(E) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|e| (name(*e), label(*e))).collect()
}

#[component]
fn Items(page: ActionItemPage, me: Option<String>, changed: RwSignal<u32>) -> impl IntoView {
    let f = page.filters.clone();
    let today = page.today.clone();
    let pages = ((page.total + page.page_size - 1) / page.page_size).max(1);
    let current = f.page;
    let selected = RwSignal::new(BTreeSet::<i64>::new());
    let change = ServerAction::<ChangeActionItems>::new();
    Effect::new(move |_| {
        if let Some(Ok(Submitted::Saved(_))) = change.value().get() {
            selected.set(BTreeSet::new());
            changed.update(|n| *n += 1);
        }
    });
    let refusal = move || match change.value().get() {
        Some(Ok(Submitted::Refused(e))) => Some(format!("Not changed: {e}")),
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    let versions: Vec<(i64, i64)> = page.rows.iter().map(|r| (r.id, r.version)).collect();
    let all_count: i64 = page.counts.iter().map(|c| c.count).sum();
    let csv = format!("/action-items.csv{}", f.on_page(1).query_string());
    view! {
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
        <form method="get" action="/action-items" class="action-filters" aria-label="Filters">
            {filter_select("status", "Status", f.status.clone(), names(ActionStatus::ALL, ActionStatus::as_str, ActionStatus::label), "Any status")}
            {filter_select("due", "Due", f.due.clone(), names(DueFilter::ALL, DueFilter::as_str, DueFilter::label), "Any date")}
            {filter_select("kind", "Kind", f.kind.clone(), names(ActionKind::ALL, ActionKind::as_str, ActionKind::label), "Any kind")}
            {filter_select("priority", "Priority", f.priority.clone(), names(Priority::ALL, Priority::as_str, Priority::label), "Any priority")}
            {filter_text("owner", "Owner", f.owner.clone())}
            {filter_text("team", "Team", f.team.clone())}
            {filter_text("service", "Service", f.service.clone())}
            {filter_text("postmortem", "Postmortem id", f.postmortem.clone())}
            {filter_select("sort", "Sort by", f.sort.clone(), names(ActionSort::ALL, ActionSort::as_str, ActionSort::label), "Due date")}
            <div class="field check">
                <input id="filter-recurred" name="recurred" type="checkbox" value="1" checked=f.recurred/>
                <label for="filter-recurred">"Closed, then the incident recurred"</label>
            </div>
            {f.mine.then(|| view! { <input type="hidden" name="mine" value="1"/> })}
            <button type="submit">"Apply filters"</button>
            <a href="/action-items" class="button secondary">"Clear"</a>
        </form>
        <p class="view-links">
            <a href=csv download rel="external">"Export CSV"</a>
            " · "
            <MyItems me f=f.clone()/>
        </p>
        <p class="count" role="status">{format!("{} action items", page.total)}</p>
        <p class="error" role="alert">{refusal}</p>
        <BulkBar selected versions=versions.clone() change/>
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
                        {page.rows.into_iter().map(|r| {
                            view! { <ItemRow r today=today.clone() selected change/> }
                        }).collect_view()}
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
}

/// "My items" when the person's owner name is known; otherwise a field to
/// say it.
#[component]
fn MyItems(me: Option<String>, f: ActionFilters) -> impl IntoView {
    let set = ServerAction::<SetMyName>::new();
    Effect::new(move |_| {
        if let Some(Ok(Submitted::Saved(_))) = set.value().get() {
            // The cookie is set; show the person's own items.
            let _ = window().location().set_href("/action-items?mine=1");
        }
    });
    match me {
        Some(name) => view! {
            <a href=url(&f.with("mine", if f.mine { None } else { Some("1") })) class:current=f.mine>
                {if f.mine { "All owners".to_string() } else { format!("My items ({name})") }}
            </a>
        }.into_any(),
        None => {
            let name = RwSignal::new(String::new());
            view! {
                <span class="my-name">
                    <label for="my-name">"My items: I am "</label>
                    <input id="my-name" type="text" placeholder="owner name" maxlength="100"
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                    <button type="button" class="secondary"
                        on:click=move |_| { set.dispatch(SetMyName { name: name.get_untracked() }); }>
                        "Show my items"
                    </button>
                    <span class="error" role="alert">{move || match set.value().get() {
                        Some(Ok(Submitted::Refused(e))) => Some(e.to_string()),
                        Some(Err(e)) => Some(e.to_string()),
                        _ => None,
                    }}</span>
                </span>
            }.into_any()
        }
    }
}

/// Changes every selected item at once.
#[component]
fn BulkBar(
    selected: RwSignal<BTreeSet<i64>>,
    versions: Vec<(i64, i64)>,
    change: ServerAction<ChangeActionItems>,
) -> impl IntoView {
    let status = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let versions = StoredValue::new(versions);
    let apply = move |_| {
        let chosen = selected.get_untracked();
        let text = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
        let changes = versions
            .get_value()
            .into_iter()
            .filter(|(id, _)| chosen.contains(id))
            .map(|(id, version)| {
                (
                    id,
                    ActionPatch {
                        version,
                        status: text(status),
                        owner: text(owner),
                        due: text(due),
                    },
                )
            })
            .collect();
        change.dispatch(ChangeActionItems { changes });
    };
    view! {
        <div class="bulk" role="group" aria-label="Change the selected items">
            <span>{move || format!("{} selected", selected.with(|s| s.len()))}</span>
            <label for="bulk-status">"Status"</label>
            <select id="bulk-status" on:change=move |ev| status.set(event_target_value(&ev))>
                <option value="">"Keep"</option>
                {ActionStatus::ALL.iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
            </select>
            <label for="bulk-owner">"Owner"</label>
            <input id="bulk-owner" type="text" placeholder="keep" on:input=move |ev| owner.set(event_target_value(&ev))/>
            <label for="bulk-due">"Due"</label>
            <input id="bulk-due" type="date" on:input=move |ev| due.set(event_target_value(&ev))/>
            <button type="button" on:click=apply
                disabled=move || change.pending().get() || selected.with(|s| s.is_empty())>
                "Apply to selected"
            </button>
        </div>
    }
}

/// One item: its fields, changed in place, and its history on demand.
#[component]
fn ItemRow(
    r: ActionItemRow,
    today: String,
    selected: RwSignal<BTreeSet<i64>>,
    change: ServerAction<ChangeActionItems>,
) -> impl IntoView {
    let (id, version) = (r.id, r.version);
    let overdue = r.is_overdue(&today);
    let send = move |patch: ActionPatch| {
        change.dispatch(ChangeActionItems {
            changes: vec![(id, ActionPatch { version, ..patch })],
        });
    };
    let history = ServerAction::<ActionItemHistory>::new();
    let open = RwSignal::new(false);
    let title = r.title.clone();
    let tracker = r.tracker.clone();
    let tracker_view = match r.tracker_link.clone() {
        Some(u) => {
            view! { <a href=u rel="noopener noreferrer nofollow">{tracker.clone()}</a> }.into_any()
        }
        None => tracker.clone().into_any(),
    };
    let current_status = r.status.clone();
    view! {
        <tr class:overdue=overdue class:closed=r.is_closed() data-item=id>
            <td>
                <input type="checkbox" aria-label=format!("Select {title}")
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selected.update(|s| { if on { s.insert(id); } else { s.remove(&id); } });
                    }/>
            </td>
            <td>
                <span class="item-title">{r.title.clone()}</span>
                {overdue.then(|| view! { " " <span class="badge overdue-badge">"Overdue"</span> })}
                <small class="from">
                    <a href=format!("/incidents/{}", r.postmortem_id)>{r.postmortem_title.clone()}</a>
                    {(!r.teams.is_empty()).then(|| format!(" · {}", r.teams.join(", ")))}
                </small>
            </td>
            <td>
                <input type="text" class="inline" value=r.owner.clone() aria-label=format!("Owner of {title}")
                    on:change=move |ev| send(ActionPatch { owner: Some(event_target_value(&ev)), ..Default::default() })/>
            </td>
            <td>
                <input type="date" class="inline" value=r.due.clone().unwrap_or_default() aria-label=format!("Due date of {title}")
                    on:change=move |ev| send(ActionPatch { due: Some(event_target_value(&ev)), ..Default::default() })/>
            </td>
            <td>{ActionItemRowLabels::priority(&r.priority)}</td>
            <td>
                <select aria-label=format!("Status of {title}")
                    on:change=move |ev| send(ActionPatch { status: Some(event_target_value(&ev)), ..Default::default() })>
                    {ActionStatus::ALL.iter().map(|s| {
                        let here = current_status == s.as_str();
                        view! { <option value=s.as_str() selected=here>{s.label()}</option> }
                    }).collect_view()}
                </select>
            </td>
            <td>{ActionItemRowLabels::kind(&r.kind)}</td>
            <td>{tracker_view}</td>
            <td>
                <button type="button" class="link" aria-expanded=move || open.get().to_string()
                    aria-label=format!("History of {title}")
                    on:click=move |_| {
                        let now = !open.get_untracked();
                        open.set(now);
                        if now { history.dispatch(ActionItemHistory { id }); }
                    }>
                    {move || if open.get() { "Hide" } else { "History" }}
                </button>
            </td>
        </tr>
        {move || open.get().then(|| view! {
            <tr class="item-history">
                <td colspan="9">
                    {move || match history.value().get() {
                        Some(Ok(list)) => view! { <HistoryList list/> }.into_any(),
                        Some(Err(error)) => view! { <ErrorNote error/> }.into_any(),
                        None => view! { <p class="loading">"Loading the history…"</p> }.into_any(),
                    }}
                </td>
            </tr>
        })}
    }
}

/// Labels of stored names, for display.
struct ActionItemRowLabels;

impl ActionItemRowLabels {
    fn priority(v: &str) -> String {
        Priority::parse(v)
            .map(|p| p.label())
            .unwrap_or(v)
            .to_string()
    }
    fn kind(v: &str) -> String {
        ActionKind::parse(v)
            .map(|k| k.label())
            .unwrap_or(v)
            .to_string()
    }
}

/// An item's recorded changes, oldest first.
#[component]
fn HistoryList(list: Vec<ActionChange>) -> impl IntoView {
    let shown = |field: &str, v: &str| -> String {
        if v.is_empty() {
            return "—".into();
        }
        match field {
            "status" | "created" => ActionStatus::parse(v)
                .map(|s| s.label())
                .unwrap_or(v)
                .to_string(),
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
}

/// `/action-items/summary`: open and overdue counts, completion rate and
/// median days to close, overall and per team and service.
#[component]
pub fn ActionSummaryPage() -> impl IntoView {
    let summary = Resource::new(|| (), |_| load_action_summary());
    view! {
        <Title text="Action items: where things stand"/>
        <section class="intro">
            <h1>"Where action items stand"</h1>
            <p><a href="/action-items">"All action items"</a></p>
        </section>
        <Suspense fallback=|| view! { <p class="loading">"Counting…"</p> }>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok(s) => view! {
                        <StatsTable caption="Overall" rows=vec![GroupStats { name: "All items".into(), stats: s.all.clone() }] group=None/>
                        <StatsTable caption="Per team" rows=s.teams.clone() group=Some("team")/>
                        <StatsTable caption="Per service" rows=s.services.clone() group=Some("service")/>
                        <p class="hint">{format!("Overdue as of {} (UTC). Completion: done out of all items but those marked won't do.", s.today)}</p>
                    }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StatsTable(
    caption: &'static str,
    rows: Vec<GroupStats>,
    group: Option<&'static str>,
) -> impl IntoView {
    let cell = |s: &ActionStats| {
        (
            s.completion_rate
                .map(|r| format!("{:.0}%", r * 100.0))
                .unwrap_or_else(|| "—".into()),
            s.median_days_to_close
                .map(|d| format!("{d:.1}"))
                .unwrap_or_else(|| "—".into()),
        )
    };
    view! {
        <table class="stats" aria-label=caption>
            <caption>{caption}</caption>
            <thead><tr><th></th><th>"Open"</th><th>"Overdue"</th><th>"Done"</th><th>"Won't do"</th><th>"Completion"</th><th>"Median days to close"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|g| {
                    let (rate, days) = cell(&g.stats);
                    let late = g.stats.overdue > 0;
                    let name = match group {
                        Some(key) => view! {
                            <a href=url(&ActionFilters::default().with(key, Some(&g.name)))>{g.name.clone()}</a>
                        }.into_any(),
                        None => g.name.clone().into_any(),
                    };
                    view! {
                        <tr>
                            <th scope="row">{name}</th>
                            <td>{g.stats.open}</td>
                            <td class:overdue=late>{g.stats.overdue}</td>
                            <td>{g.stats.done}</td>
                            <td>{g.stats.wont_do}</td>
                            <td>{rate}</td>
                            <td>{days}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
