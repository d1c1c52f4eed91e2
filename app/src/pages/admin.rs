//! `/admin/users`: the administrator's list of accounts, where people are
//! added, given a role, and disabled (which ends their sessions at once).

use crate::error::AppError;
use crate::pages::{ErrorNote, FieldError, FormAnswer, Submitted};
use kb_domain::accounts::{Account, Role};
use leptos::prelude::*;
use leptos_meta::Title;

/// Every account with whether it is disabled, by name.
#[server]
pub async fn list_accounts() -> Result<Vec<(Account, bool)>, AppError> {
    crate::state::services()?.accounts.list().await
}

/// Adds an account.
#[server]
pub async fn add_account(
    name: String,
    password: String,
    role: String,
) -> Result<Submitted, AppError> {
    let Some(role) = Role::parse(&role) else {
        let mut errors = kb_domain::ValidationErrors::default();
        errors.push("role", format!("The role is one of {}.", Role::names()));
        return Ok(Submitted::Refused(errors));
    };
    let added = crate::state::services()?
        .accounts
        .add(&name, &password, role)
        .await;
    Submitted::answer(added.map(|account| account.id))
}

/// Changes an account's role or whether it is disabled.
#[server]
pub async fn change_account(
    id: i64,
    role: Option<String>,
    disabled: Option<bool>,
) -> Result<Submitted, AppError> {
    let services = crate::state::services()?;
    let changed = services
        .accounts
        .change(id, role.as_deref(), disabled)
        .await;
    Submitted::answer(changed.map(|()| id))
}

/// `/admin/users`.
#[component]
pub fn UsersPage() -> impl IntoView {
    let add = ServerAction::<AddAccount>::new();
    let change = ServerAction::<ChangeAccount>::new();
    let added = FormAnswer(add.value().into());
    let changed = FormAnswer(change.value().into());
    let accounts = Resource::new(
        move || (add.version().get(), change.version().get()),
        |_| list_accounts(),
    );
    view! {
        <Title text="Accounts"/>
        <h1>"Accounts"</h1>
        <h2>"Add someone"</h2>
        <ActionForm action=add attr:class="account-form">
            <div class="field">
                <label for="new-name">"Name"</label>
                <input id="new-name" name="name" type="text" maxlength="100" autocomplete="off"
                    aria-describedby="name-error"/>
                <FieldError id="name-error" message=added.field("name")/>
            </div>
            <div class="field">
                <label for="new-password">"Password"</label>
                <input id="new-password" name="password" type="password" autocomplete="new-password"
                    aria-describedby="password-error"/>
                <FieldError id="password-error" message=added.field("password")/>
            </div>
            <div class="field">
                <label for="new-role">"Role"</label>
                <select id="new-role" name="role">
                    {Role::ALL.iter().map(|r| view! {
                        <option value=r.as_str() selected=*r == Role::Editor>{r.label()}</option>
                    }).collect_view()}
                </select>
                <FieldError id="role-error" message=added.field("role")/>
            </div>
            <p class="field-error" role="alert">{added.fault()}</p>
            <button type="submit">"Add account"</button>
        </ActionForm>
        <h2>"Everyone"</h2>
        <FieldError id="change-error" message=changed.field("form")/>
        <p class="field-error" role="alert">{changed.fault()}</p>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match accounts.await {
                    Ok(list) => view! {
                        <table class="accounts">
                            <thead><tr><th>"Name"</th><th>"Role"</th><th>"State"</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|(account, disabled)| {
                                    let id = account.id;
                                    let label = format!("Role of {}", account.name);
                                    let toggle = if disabled { "Enable" } else { "Disable" };
                                    view! {
                                        <tr class:disabled=disabled data-name=account.name.clone()>
                                            <td>{account.name.clone()}</td>
                                            <td>
                                                <select aria-label=label on:change=move |ev| {
                                                    change.dispatch(ChangeAccount {
                                                        id,
                                                        role: Some(event_target_value(&ev)),
                                                        disabled: None,
                                                    });
                                                }>
                                                    {Role::ALL.iter().map(|r| view! {
                                                        <option value=r.as_str() selected=*r == account.role>{r.label()}</option>
                                                    }).collect_view()}
                                                </select>
                                            </td>
                                            <td>
                                                {if disabled { "Disabled" } else { "Enabled" }}
                                                " "
                                                <button type="button" class="secondary" on:click=move |_| {
                                                    change.dispatch(ChangeAccount { id, role: None, disabled: Some(!disabled) });
                                                }>{format!("{toggle} {}", account.name)}</button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
