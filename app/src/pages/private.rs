//! The administrator's side of private postmortems: `/admin/groups`
//! (groups a private postmortem can be shared with, and their members)
//! and `/admin/audit` (every read and write of a private postmortem, and
//! every slash command answered in chat).

use crate::error::AppError;
use crate::pages::{ErrorNote, FieldError, FormAnswer, Submitted};
use kb_domain::accounts::{AccessEntry, Group};
use kb_domain::intake::ChatRequest;
use leptos::prelude::*;
use leptos_meta::Title;

/// Every group and its members.
#[server]
pub async fn list_groups() -> Result<Vec<Group>, AppError> {
    let ctx = crate::request::request_context().await?;
    crate::state::services()?.groups(&ctx).await
}

/// Creates a group.
#[server]
pub async fn create_group(name: String) -> Result<Submitted, AppError> {
    let ctx = crate::request::request_context().await?;
    Submitted::answer(crate::state::services()?.create_group(&ctx, &name).await)
}

/// Adds the account named `account` to group `group` (`member`), or takes
/// it out.
#[server]
pub async fn set_group_member(
    group: i64,
    account: String,
    member: bool,
) -> Result<Submitted, AppError> {
    let ctx = crate::request::request_context().await?;
    let services = crate::state::services()?;
    Submitted::answer(
        services
            .set_member(&ctx, group, &account, member)
            .await
            .map(|()| group),
    )
}

/// A page of the audit log, newest first, before entry `before`.
#[server]
pub async fn read_access_log(before: Option<i64>) -> Result<Vec<(i64, AccessEntry)>, AppError> {
    let ctx = crate::request::request_context().await?;
    crate::state::services()?.access_log(&ctx, before).await
}

/// A page of the slash commands answered, newest first, before entry
/// `before`.
#[server]
pub async fn read_chat_log(before: Option<i64>) -> Result<Vec<ChatRequest>, AppError> {
    let ctx = crate::request::request_context().await?;
    crate::state::services()?.chat_requests(&ctx, before).await
}

/// `/admin/groups`.
#[component]
pub fn GroupsPage() -> impl IntoView {
    let create = ServerAction::<CreateGroup>::new();
    let change = ServerAction::<SetGroupMember>::new();
    let created = FormAnswer(create.value().into());
    let changed = FormAnswer(change.value().into());
    let groups = Resource::new(
        move || (create.version().get(), change.version().get()),
        |_| list_groups(),
    );
    view! {
        <Title text="Groups"/>
        <h1>"Groups"</h1>
        <p class="guidance">"A private postmortem can be shared with groups as well as with people: whoever is in the group when someone looks can see it."</p>
        <h2>"New group"</h2>
        <ActionForm action=create attr:class="account-form">
            <div class="field">
                <label for="group-name">"Name"</label>
                <input id="group-name" name="name" type="text" maxlength="100" autocomplete="off"
                    aria-describedby="group-name-error"/>
                <FieldError id="group-name-error" message=created.field("name")/>
            </div>
            <p class="field-error" role="alert">{created.fault()}</p>
            <button type="submit">"Create group"</button>
        </ActionForm>
        <h2>"Members"</h2>
        <FieldError id="member-error" message=changed.field("account")/>
        <p class="field-error" role="alert">{changed.fault()}</p>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match groups.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">"No groups yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="groups">
                            {list.into_iter().map(|g| view! { <GroupRow group=g change/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// One group: its members, each removable, and a field to add one.
#[component]
fn GroupRow(group: Group, change: ServerAction<SetGroupMember>) -> impl IntoView {
    let id = group.id;
    let input_id = format!("add-to-{id}");
    let label = format!("Add to {}", group.name);
    let name = RwSignal::new(String::new());
    view! {
        <li class="group" data-name=group.name.clone()>
            <h3>{group.name.clone()}</h3>
            <ul class="members">
                {group.members.into_iter().map(|m| {
                    let who = m.clone();
                    view! {
                        <li>{m.clone()} " "
                            <button type="button" class="link" on:click=move |_| {
                                change.dispatch(SetGroupMember { group: id, account: who.clone(), member: false });
                            }>{format!("Remove {m}")}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="inline" on:submit=move |ev| {
                ev.prevent_default();
                change.dispatch(SetGroupMember { group: id, account: name.get_untracked(), member: true });
                name.set(String::new());
            }>
                <label for=input_id.clone()>{label}</label>
                <input id=input_id type="text" autocomplete="off" placeholder="account name"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <button type="submit" class="secondary">"Add"</button>
            </form>
        </li>
    }
}

/// `/admin/audit`: reads and writes of private postmortems, then the
/// slash commands answered in chat.
#[component]
pub fn AuditPage() -> impl IntoView {
    let before = RwSignal::new(None::<i64>);
    let entries = Resource::new(move || before.get(), read_access_log);
    view! {
        <Title text="Audit log"/>
        <h1>"Audit log"</h1>
        <p class="guidance">"Every read and write of a private postmortem, newest first. The same person doing the same thing to the same postmortem within a minute is one entry."</p>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">"Nothing recorded."</p> }.into_any(),
                    Ok(list) => {
                        let last = list.last().map(|(id, _)| *id);
                        view! {
                            <table class="audit">
                                <thead><tr><th>"When"</th><th>"Who"</th><th>"Did"</th><th>"Postmortem"</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|(_, e)| view! {
                                        <tr>
                                            <td>{e.at}</td>
                                            <td>{e.who}</td>
                                            <td>{e.action}</td>
                                            <td><a href=format!("/incidents/{}", e.postmortem_id)>
                                                {format!("#{} {}", e.postmortem_id, e.title)}
                                            </a></td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <button type="button" class="secondary" on:click=move |_| before.set(last)>"Older"</button>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
        <ChatLog/>
    }
}

/// The slash commands answered: who asked what kind of thing from which
/// channel, never the text they typed.
#[component]
fn ChatLog() -> impl IntoView {
    let before = RwSignal::new(None::<i64>);
    let requests = Resource::new(move || before.get(), read_chat_log);
    view! {
        <h2 id="chat-commands">"Chat commands"</h2>
        <p class="guidance">"Every slash command Hindsight answered in Slack or Mattermost, newest first: the integration, the channel, who typed it and which subcommand. What they typed is not kept."</p>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match requests.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">"No chat commands yet."</p> }.into_any(),
                    Ok(list) => {
                        let last = list.last().map(|r| r.id);
                        view! {
                            <table class="chat-log">
                                <thead><tr><th>"When"</th><th>"Integration"</th><th>"Channel"</th><th>"Who"</th><th>"Command"</th><th>"Incident"</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|r| {
                                        let channel = if r.channel_name.is_empty() { r.channel_id } else { format!("#{}", r.channel_name) };
                                        view! {
                                            <tr>
                                                <td>{r.at}</td>
                                                <td>{format!("{} ({})", r.integration, r.client)}</td>
                                                <td>{channel}</td>
                                                <td>{r.user_name}</td>
                                                <td>{r.subcommand}</td>
                                                <td>{r.incident_id.map(|id| view! { <a href=format!("/incidents/{id}")>{format!("#{id}")}</a> })}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <button type="button" class="secondary" on:click=move |_| before.set(last)>"Older commands"</button>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
