//! `/sign-in`, `/setup` (the first administrator, only while there is none),
//! `/account` (your API tokens, in [`tokens`]) and the header's account menu
//! with signing out.
//!
//! The session cookie is set by the server functions here (HttpOnly, so no
//! script ever sees the token); after signing in or out the page is loaded
//! afresh, so every part of it is rendered for the new caller.

use crate::error::AppError;
use crate::pages::{FieldError, FormAnswer, Submitted};
use kb_domain::accounts::Account;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

mod tokens;
pub use tokens::{
    create_api_token, my_api_tokens, revoke_api_token, AccountPage, CreateApiToken, MyApiTokens,
    RevokeApiToken, TokenCreated,
};

/// Who is signed in, and whether the instance still waits for its first
/// administrator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountState {
    /// The signed-in account, if any.
    pub account: Option<Account>,
    /// True while no administrator exists (`/setup` is open).
    pub setup_open: bool,
}

/// The caller's account and whether setup is open.
#[server]
pub async fn auth_status() -> Result<AccountState, AppError> {
    let ctx = crate::request::request_context().await?;
    let services = crate::state::services()?;
    Ok(AccountState {
        account: ctx.account().cloned(),
        setup_open: services.accounts.setup_open().await?,
    })
}

/// Signs in: a wrong name or password, or too many failures, is a refusal
/// shown on the form (field `form`); success sets the session cookie.
#[server]
pub async fn sign_in(name: String, password: String) -> Result<Submitted, AppError> {
    let services = crate::state::services()?;
    let address = server::client_address().await;
    match services.accounts.sign_in(&name, &password, &address).await {
        Ok((account, token)) => {
            server::set_session_cookie(Some(&token.0)).await;
            Ok(Submitted::Saved(account.id))
        }
        Err(e @ (AppError::Unauthorized(_) | AppError::TooManyAttempts(_) | AppError::Busy)) => {
            let mut errors = kb_domain::ValidationErrors::default();
            errors.push("form", server::capitalised(&e.to_string()));
            Ok(Submitted::Refused(errors))
        }
        Err(e) => Err(e),
    }
}

/// Signs out: ends the session and clears the cookie.
#[server]
pub async fn sign_out() -> Result<(), AppError> {
    let headers: axum::http::HeaderMap = leptos_axum::extract().await.unwrap_or_default();
    if let Some(token) = crate::request::cookie(&headers, crate::request::SESSION_COOKIE) {
        crate::state::services()?.accounts.sign_out(token).await?;
    }
    server::set_session_cookie(None).await;
    Ok(())
}

/// Creates the first administrator and signs them in; refused once one
/// exists.
#[server]
pub async fn set_up(
    name: String,
    password: String,
    confirm: String,
) -> Result<Submitted, AppError> {
    let services = crate::state::services()?;
    match services.accounts.set_up(&name, &password, &confirm).await {
        Ok((account, token)) => {
            server::set_session_cookie(Some(&token.0)).await;
            Ok(Submitted::Saved(account.id))
        }
        Err(AppError::Invalid(errors)) => Ok(Submitted::Refused(errors)),
        Err(e @ AppError::Forbidden(_)) => {
            let mut errors = kb_domain::ValidationErrors::default();
            errors.push("form", e.to_string());
            Ok(Submitted::Refused(errors))
        }
        Err(e) => Err(e),
    }
}

#[cfg(feature = "ssr")]
mod server {
    use axum::extract::ConnectInfo;
    use axum::http::{header, HeaderMap, HeaderValue};
    use std::net::SocketAddr;

    /// The client's IP address, for the sign-in throttle: the peer, or
    /// the client a trusted proxy names (`unknown` when the server runs
    /// without connection info, as in router tests).
    pub async fn client_address() -> String {
        let Ok(ConnectInfo(addr)) = leptos_axum::extract::<ConnectInfo<SocketAddr>>().await else {
            return "unknown".to_string();
        };
        let headers: HeaderMap = leptos_axum::extract().await.unwrap_or_default();
        let trusted = leptos::prelude::use_context::<crate::state::AppState>()
            .map(|state| state.trusted_proxies)
            .unwrap_or_default();
        crate::request::client_ip(addr.ip(), &headers, &trusted).to_string()
    }

    /// Adds the `Set-Cookie` header that signs the browser in (or out).
    pub async fn set_session_cookie(token: Option<&str>) {
        let headers: HeaderMap = leptos_axum::extract().await.unwrap_or_default();
        let cookie = crate::request::session_cookie(token, crate::request::over_https(&headers));
        if let (Some(response), Ok(value)) = (
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
            HeaderValue::from_str(&cookie),
        ) {
            response.append_header(header::SET_COOKIE, value);
        }
    }

    /// `text` with a capital first letter, as a sentence on a form.
    pub fn capitalised(text: &str) -> String {
        let mut chars = text.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }
    }
}

/// Where to go after signing in: the `next` query value when it is a path
/// on this site, else `/`. Browsers forgive a lot in a URL (they drop tabs
/// and newlines, read `\\` as `/`, and `//host` or `/\\host` is another
/// site), so rather than refuse the tricks one by one, only a plain path is
/// accepted: a `/` not followed by `/` or `\\`, and nothing but the
/// characters a URL's path and query are made of.
pub fn after_sign_in(next: Option<String>) -> String {
    let plain = |n: &str| {
        let mut bytes = n.bytes();
        bytes.next() == Some(b'/')
            && !matches!(bytes.next(), Some(b'/' | b'\\'))
            && n.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/%?#".contains(&b))
    };
    next.filter(|n| plain(n)).unwrap_or_else(|| "/".to_string())
}

/// Loads `to` afresh once `answer` says the form went through.
fn reload_when_saved(answer: FormAnswer, to: impl Fn() -> String + 'static) {
    Effect::new(move |_| {
        if let Some(Ok(Submitted::Saved(_))) = answer.0.get() {
            let _ = window().location().set_href(&to());
        }
    });
}

/// `/sign-in`.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let action = ServerAction::<SignIn>::new();
    let answer = FormAnswer(action.value().into());
    reload_when_saved(answer, move || {
        after_sign_in(query.read_untracked().get("next"))
    });
    let status = Resource::new(|| (), |_| auth_status());
    view! {
        <Title text="Sign in"/>
        <h1>"Sign in"</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match status.await {
                    Ok(AccountState { account: Some(account), .. }) => view! {
                        <p class="hint">{format!("You are signed in as {}.", account.name)}</p>
                    }.into_any(),
                    Ok(AccountState { setup_open: true, .. }) => view! {
                        <p class="hint">
                            "No administrator exists yet. "
                            <a href="/setup">"Set up the first administrator"</a>
                            "."
                        </p>
                    }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
        <ActionForm action attr:class="account-form">
            <div class="field">
                <label for="name">"Name"</label>
                <input id="name" name="name" type="text" autocomplete="username" required
                    maxlength="100"/>
            </div>
            <div class="field">
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password"
                    autocomplete="current-password" required/>
            </div>
            <FieldError id="form-error" message=answer.field("form")/>
            <p class="field-error" role="alert">{answer.fault()}</p>
            <button type="submit" disabled=move || action.pending().get()>"Sign in"</button>
        </ActionForm>
    }
}

/// `/setup`: the first administrator.
#[component]
pub fn SetupPage() -> impl IntoView {
    let action = ServerAction::<SetUp>::new();
    let answer = FormAnswer(action.value().into());
    reload_when_saved(answer, || "/".to_string());
    let status = Resource::new(|| (), |_| auth_status());
    view! {
        <Title text="Set up"/>
        <h1>"Set up Hindsight"</h1>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match status.await {
                    Ok(AccountState { setup_open: true, .. }) => view! {
                        <p class="hint">
                            "Create the first administrator. They can then add everyone else."
                        </p>
                        <ActionForm action attr:class="account-form">
                            <div class="field">
                                <label for="name">"Name"</label>
                                <input id="name" name="name" type="text" autocomplete="username"
                                    maxlength="100" aria-describedby="name-error"/>
                                <FieldError id="name-error" message=answer.field("name")/>
                            </div>
                            <div class="field">
                                <label for="password">"Password"</label>
                                <input id="password" name="password" type="password"
                                    autocomplete="new-password" aria-describedby="password-hint password-error"/>
                                <small id="password-hint">{format!(
                                    "At least {} characters.",
                                    kb_domain::accounts::MIN_PASSWORD
                                )}</small>
                                <FieldError id="password-error" message=answer.field("password")/>
                            </div>
                            <div class="field">
                                <label for="confirm">"Password again"</label>
                                <input id="confirm" name="confirm" type="password"
                                    autocomplete="new-password" aria-describedby="confirm-error"/>
                                <FieldError id="confirm-error" message=answer.field("confirm")/>
                            </div>
                            <FieldError id="form-error" message=answer.field("form")/>
                            <p class="field-error" role="alert">{answer.fault()}</p>
                            <button type="submit" disabled=move || action.pending().get()>
                                "Create administrator"
                            </button>
                        </ActionForm>
                    }.into_any(),
                    Ok(_) => view! {
                        <p>"An administrator exists already. " <a href="/sign-in">"Sign in"</a> "."</p>
                    }.into_any(),
                    Err(error) => view! { <crate::pages::ErrorNote error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The header's account corner: who is signed in and a sign-out button,
/// or a link to sign in.
#[component]
pub fn AccountMenu() -> impl IntoView {
    let status = Resource::new(|| (), |_| auth_status());
    let out = ServerAction::<SignOut>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = out.value().get() {
            let _ = window().location().set_href("/sign-in");
        }
    });
    view! {
        <div class="account-menu">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(AccountState { account: Some(account), .. }) => view! {
                            {(account.role == kb_domain::accounts::Role::Admin)
                                .then(|| view! {
                                    // A menu that opens without script and
                                    // keeps the header one row on a phone.
                                    <details class="admin-menu">
                                        <summary>"Admin"</summary>
                                        <div class="menu">
                                            <a href="/admin/users">"Accounts"</a>
                                            <a href="/admin/groups">"Groups"</a>
                                            <a href="/admin/integrations">"Integrations"</a>
                                            <a href="/admin/audit">"Audit log"</a>
                                        </div>
                                    </details>
                                })}
                            <a href="/account" class="signed-in" title=account.role.label()>{account.name}</a>
                            <button type="button" class="secondary"
                                on:click=move |_| { out.dispatch(SignOut {}); }>
                                "Sign out"
                            </button>
                        }.into_any(),
                        Ok(AccountState { setup_open: true, .. }) => view! {
                            <a href="/setup" class="open-warning"
                                title="Until an administrator exists, anyone who reaches this server can read and change everything.">
                                "No accounts yet: set up an administrator"
                            </a>
                        }.into_any(),
                        _ => view! { <a href="/sign-in">"Sign in"</a> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_followed_after_sign_in() {
        for ok in [
            "/incidents/3",
            "/",
            "/search?q=db%20pool&severity=SEV1",
            "/action-items?owner=alice#top",
            "/%2F/x",
        ] {
            assert_eq!(after_sign_in(Some(ok.into())), ok);
        }
        // Every way to name another site (as the query value arrives,
        // already decoded once), and broken input: home instead.
        for bad in [
            "//evil.example",
            "//evil.example/x",
            "/\\evil.example",
            "/\t/evil.example",
            "/\t/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "\t//evil.example",
            " /evil.example",
            "/ /evil.example",
            "/\u{0}/evil.example",
            "/\\/evil.example",
            "/x\\..\\..\\/evil.example",
            "https://evil.example",
            "https:evil.example",
            "http:/evil.example",
            "javascript:alert(1)",
            "evil.example",
            "%2F%2Fevil.example",
            "/\u{3000}/evil.example",
            "/\u{ff0f}evil.example",
            "",
        ] {
            assert_eq!(after_sign_in(Some(bad.into())), "/", "{bad:?}");
        }
        assert_eq!(after_sign_in(None), "/");
    }
}
