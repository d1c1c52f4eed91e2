//! `/account`: who you are and your API tokens, with the server functions
//! that list, make and revoke them. Managing tokens needs a signed-in
//! session, never a token (see `crate::access`).

use crate::error::AppError;
use kb_domain::accounts::ApiToken;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::{auth_status, AccountState};
use crate::pages::FieldError;

/// What creating a token answered: the secret (shown once) or field errors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TokenCreated {
    /// Made; `secret` is never shown again.
    Created {
        /// The token as listed.
        token: ApiToken,
        /// What to put after `Authorization: Bearer`.
        secret: String,
    },
    /// Refused for these fields; nothing was made.
    Refused(kb_domain::ValidationErrors),
}

/// The signed-in person's API tokens, newest first.
#[server]
pub async fn my_api_tokens() -> Result<Vec<ApiToken>, AppError> {
    let ctx = crate::request::request_context().await?;
    let account = signed_in(&ctx)?;
    crate::state::services()?.accounts.tokens(&account).await
}

/// Makes an API token for the signed-in person.
#[server]
pub async fn create_api_token(name: String, scope: String) -> Result<TokenCreated, AppError> {
    let ctx = crate::request::request_context().await?;
    let account = signed_in(&ctx)?;
    match crate::state::services()?
        .accounts
        .create_token(&account, &name, &scope)
        .await
    {
        Ok((token, secret)) => Ok(TokenCreated::Created { token, secret }),
        Err(AppError::Invalid(errors)) => Ok(TokenCreated::Refused(errors)),
        Err(e) => Err(e),
    }
}

/// Revokes one of the signed-in person's tokens.
#[server]
pub async fn revoke_api_token(id: i64) -> Result<(), AppError> {
    let ctx = crate::request::request_context().await?;
    let account = signed_in(&ctx)?;
    crate::state::services()?
        .accounts
        .revoke_token(&account, id)
        .await
}

/// The signed-in account; tokens belong to someone.
#[cfg(feature = "ssr")]
fn signed_in(
    ctx: &crate::context::RequestContext,
) -> Result<kb_domain::accounts::Account, AppError> {
    ctx.account()
        .cloned()
        .ok_or_else(|| AppError::Unauthorized("Sign in to manage API tokens.".to_string()))
}

/// `/account`: who you are and your API tokens.
#[component]
pub fn AccountPage() -> impl IntoView {
    let status = Resource::new(|| (), |_| auth_status());
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| my_api_tokens(),
    );
    let field = move |name: &'static str| {
        move || match create.value().get() {
            Some(Ok(TokenCreated::Refused(errors))) => errors.for_field(name).map(str::to_string),
            _ => None,
        }
    };
    view! {
        <Title text="Your account"/>
        <h1>"Your account"</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match status.await {
                    Ok(AccountState { account: Some(account), .. }) => view! {
                        <p>{format!("Signed in as {} ({}).", account.name, account.role.label())}</p>
                    }.into_any(),
                    _ => view! { <p>"Sign in to see your account."</p> }.into_any(),
                }
            })}
        </Suspense>
        <h2>"API tokens"</h2>
        <p class="hint">
            "A token lets a script use the JSON API as you: send "
            <code>"Authorization: Bearer TOKEN"</code>
            ". A read token can only read; a write token can also write, never more than an editor."
        </p>
        <ActionForm action=create attr:class="account-form">
            <div class="field">
                <label for="token-name">"Name"</label>
                <input id="token-name" name="name" type="text" maxlength="100" placeholder="deploy bot"
                    aria-describedby="token-name-error"/>
                <FieldError id="token-name-error" message=field("name")/>
            </div>
            <div class="field">
                <label for="token-scope">"Scope"</label>
                <select id="token-scope" name="scope">
                    <option value="read">"Read"</option>
                    <option value="write">"Write"</option>
                </select>
                <FieldError id="token-scope-error" message=field("scope")/>
            </div>
            <button type="submit">"Create token"</button>
        </ActionForm>
        {move || match create.value().get() {
            Some(Ok(TokenCreated::Created { token, secret })) => view! {
                <div class="new-token" role="status">
                    <p>{format!("Token “{}” created. Copy it now: it is not shown again.", token.name)}</p>
                    <code class="secret">{secret}</code>
                </div>
            }.into_any(),
            Some(Err(e)) => view! { <p class="field-error" role="alert">{e.to_string()}</p> }.into_any(),
            _ => ().into_any(),
        }}
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match tokens.await {
                    Ok(list) if list.is_empty() => view! { <p>"No tokens yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <table class="tokens">
                            <thead><tr><th>"Name"</th><th>"Scope"</th><th>"Created"</th><th>"Last used"</th><th></th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|t| {
                                    let id = t.id;
                                    let revoked = t.revoked_at.is_some();
                                    view! {
                                        <tr class:revoked=revoked>
                                            <td>{t.name.clone()}</td>
                                            <td>{t.scope.clone()}</td>
                                            <td>{t.created_at.chars().take(10).collect::<String>()}</td>
                                            <td>{t.last_used_at.clone().map(|d| d.chars().take(16).collect::<String>()).unwrap_or_else(|| "never".into())}</td>
                                            <td>{if revoked {
                                                view! { "revoked" }.into_any()
                                            } else {
                                                view! {
                                                    <button type="button" class="secondary"
                                                        on:click=move |_| { revoke.dispatch(RevokeApiToken { id }); }>
                                                        {format!("Revoke {}", t.name)}
                                                    </button>
                                                }.into_any()
                                            }}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(error) => view! { <crate::pages::ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
