//! `/admin/integrations`: the alert sources that post to the intake and
//! the chat clients' slash commands, added here (a secret Hindsight makes
//! shown once, one the sender gives never shown again), listed with their
//! endpoints, turned off and on.

// The add form's fields are the server function's arguments, one each;
// #[server] copies them into functions it generates, where an allowance
// on the function does not reach.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::pages::{ErrorNote, FieldError, FormAnswer, Submitted};
use kb_domain::intake::IntegrationAdded;
#[cfg(feature = "ssr")]
use kb_domain::intake::IntegrationRow;
use leptos::prelude::*;
use leptos_meta::Title;

/// Every integration, by name, as the HTML table the page injects (the
/// browser has no code for it); each row's Enable or Disable button
/// carries the integration's name and the state it asks for.
#[server]
pub async fn list_integrations() -> Result<String, AppError> {
    use leptos::tachys::view::RenderHtml;
    let services = crate::state::services()?;
    let rows = services.integrations().await?;
    let rows: Vec<IntegrationRow> = rows
        .into_iter()
        .map(|i| {
            let settings: kb_intake::Settings =
                serde_json::from_str(&i.settings).unwrap_or_default();
            let defaults = settings
                .services
                .iter()
                .chain(&settings.teams)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            let path = if kb_intake::chat::Client::from_name(&i.kind).is_some() {
                "chat"
            } else {
                "intake"
            };
            IntegrationRow {
                endpoint: format!("/api/v1/{path}/{}/{}", i.kind, i.name),
                name: i.name,
                kind: i.kind,
                enabled: i.enabled,
                reader: i.reader,
                defaults,
                incidents: i.incidents,
                added: format!(
                    "{} on {}",
                    i.created_by,
                    &i.created_at[..10.min(i.created_at.len())]
                ),
            }
        })
        .collect();
    Ok(view! { <IntegrationTable rows/> }.to_html())
}

/// The table of integrations.
#[cfg(feature = "ssr")]
#[component]
fn IntegrationTable(rows: Vec<IntegrationRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="hint">"None yet."</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="integrations">
                <thead><tr>
                    <th>"Name"</th><th>"Source"</th><th>"Endpoint"</th><th>"Searches as"</th>
                    <th>"Defaults"</th><th>"Incidents"</th><th>"Added"</th><th>"State"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|i| {
                        let toggle = if i.enabled { "Disable" } else { "Enable" };
                        view! {
                            <tr data-name=i.name.clone() class:disabled=!i.enabled>
                                <td>{i.name.clone()}</td>
                                <td>{i.kind}</td>
                                <td><code>{i.endpoint}</code></td>
                                <td>{i.reader.unwrap_or_else(|| "public only".into())}</td>
                                <td>{i.defaults}</td>
                                <td>{i.incidents}</td>
                                <td>{i.added}</td>
                                <td>
                                    {if i.enabled { "Enabled" } else { "Disabled" }}" "
                                    <button type="button" class="secondary toggle-integration"
                                        data-name=i.name.clone() data-enable=(!i.enabled).to_string()>
                                        {format!("{toggle} {}", i.name)}
                                    </button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Adds an integration. `secret` is the sender's signing secret (PagerDuty,
/// Grafana, Slack) or Mattermost's command token; `services` and `teams`
/// are comma-separated; `severities` maps the sender's names before the
/// built-in mapping (`disaster=SEV1, ...`); `server` is a Mattermost
/// server's address.
#[server]
pub async fn add_integration(
    kind: String,
    name: String,
    secret: Option<String>,
    reader: Option<String>,
    services: Option<String>,
    teams: Option<String>,
    severities: Option<String>,
    server: Option<String>,
) -> Result<IntegrationAdded, AppError> {
    let ctx = crate::request::request_context().await?;
    if let Some(client) = kb_intake::chat::Client::from_name(&kind) {
        let added = crate::state::services()?
            .add_chat_integration(
                &ctx,
                client,
                name.trim(),
                secret.as_deref().unwrap_or(""),
                reader.as_deref(),
                server.as_deref(),
            )
            .await;
        return match added {
            Ok(added) => Ok(IntegrationAdded::Added {
                endpoint: added.endpoint,
                secret: None,
            }),
            Err(AppError::Invalid(errors)) => Ok(IntegrationAdded::Refused(errors)),
            Err(e) => Err(e),
        };
    }
    let list = |text: Option<String>| -> Vec<String> {
        text.unwrap_or_default()
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let mut mapped = Vec::new();
    for pair in list(severities) {
        match kb_intake::parse_severity_mapping(&pair) {
            Ok(mapping) => mapped.push(mapping),
            Err(message) => {
                let mut errors = kb_domain::ValidationErrors::default();
                errors.push("severities", message);
                return Ok(IntegrationAdded::Refused(errors));
            }
        }
    }
    let mut settings = kb_intake::Settings {
        services: list(services),
        teams: list(teams),
        ..kb_intake::Settings::default()
    };
    // The administrator's mapping first: the first match wins.
    settings.severities.splice(0..0, mapped);
    let secret = secret.filter(|s| !s.trim().is_empty());
    match crate::state::services()?
        .add_integration(
            &ctx,
            &kind,
            name.trim(),
            secret,
            reader.as_deref(),
            &settings,
        )
        .await
    {
        Ok(added) => Ok(IntegrationAdded::Added {
            endpoint: added.endpoint,
            secret: added.secret,
        }),
        Err(AppError::Invalid(errors)) => Ok(IntegrationAdded::Refused(errors)),
        Err(e) => Err(e),
    }
}

/// Turns an integration off or on.
#[server]
pub async fn set_integration_enabled(name: String, enabled: bool) -> Result<Submitted, AppError> {
    let ctx = crate::request::request_context().await?;
    let changed = crate::state::services()?
        .set_integration_enabled(&ctx, &name, enabled)
        .await;
    Submitted::answer(changed.map(|()| 0))
}

/// `/admin/integrations`.
#[component]
pub fn IntegrationsPage() -> impl IntoView {
    let add = ServerAction::<AddIntegration>::new();
    let change = ServerAction::<SetIntegrationEnabled>::new();
    let changed = FormAnswer(change.value().into());
    let integrations = Resource::new(
        move || (add.version().get(), change.version().get()),
        |_| list_integrations(),
    );
    let refused = move |field: &'static str| {
        move || match add.value().get() {
            Some(Ok(IntegrationAdded::Refused(errors))) => {
                errors.for_field(field).map(str::to_string)
            }
            _ => None,
        }
    };
    let fault = move || match add.value().get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    // The table is HTML from the server; its buttons say what they ask.
    let toggle = move |ev: leptos::ev::MouseEvent| {
        let asked = crate::pages::acted_on(
            &ev,
            "button.toggle-integration",
            &["data-name", "data-enable"],
        );
        if let Some([name, enable]) = asked.as_deref() {
            change.dispatch(SetIntegrationEnabled {
                name: name.clone(),
                enabled: enable == "true",
            });
        }
    };
    view! {
        <Title text="Integrations"/>
        <h1>"Integrations"</h1>
        <p class="hint">
            "Alert sources post here; each new alert group opens an ongoing incident with what it has been seen as before. "
            "Alertmanager and generic senders get a secret to send as "<code>"Authorization: Bearer"</code>
            "; PagerDuty and Grafana sign with the secret they use, given here. "
            "A Slack or Mattermost slash command answers in the channel: give the Slack app's signing secret or the command's token, "
            "and set the command's request URL to the endpoint shown."
        </p>
        {move || match add.value().get() {
            Some(Ok(IntegrationAdded::Added { endpoint, secret })) => Some(view! {
                <div class="added-secret" role="status">
                    <p>"Added. Point the sender at "<code>{format!("POST {endpoint}")}</code>"."</p>
                    {secret.map(|s| view! {
                        <p>"Its secret, shown only now: "<code class="secret">{s}</code></p>
                    })}
                </div>
            }),
            _ => None,
        }}
        <h2>"Add an integration"</h2>
        <ActionForm action=add attr:class="integration-form">
            <div class="field">
                <label for="int-kind">"Source"</label>
                <select id="int-kind" name="kind">
                    {source_kinds().into_iter().map(|(value, label)| view! {
                        <option value=value>{label}</option>
                    }).collect_view()}
                </select>
                <FieldError id="kind-error" message=refused("kind")/>
            </div>
            <div class="field">
                <label for="int-name">"Name"</label>
                <input id="int-name" name="name" type="text" maxlength="64" autocomplete="off"
                    pattern="[A-Za-z0-9_\\-]+" aria-describedby="int-name-error"/>
                <FieldError id="int-name-error" message=refused("name")/>
            </div>
            <TextField name="secret" label="Signing secret (PagerDuty, Grafana, Slack) or command token (Mattermost)" kind="password" error=refused("secret")/>
            <TextField name="reader" label="Search as (account; empty: public postmortems only)" error=refused("reader")/>
            <TextField name="services" label="Default services (comma-separated)" error=refused("services")/>
            <TextField name="teams" label="Default teams (comma-separated)" error=refused("teams")/>
            <TextField name="severities" label="Severity mapping before the built-in one (e.g. disaster=SEV1, average=SEV3)" error=refused("severities")/>
            <TextField name="server" label="Mattermost server, where late answers go (e.g. https://chat.example.com)" error=refused("server")/>
            <p class="field-error" role="alert">{fault}</p>
            <button type="submit">"Add integration"</button>
        </ActionForm>
        <h2>"Every integration"</h2>
        <p class="field-error" role="alert">{changed.fault()}</p>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match integrations.await {
                    Ok(html) => view! { <div on:click=toggle inner_html=html></div> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A labelled text input of the form with its field error.
#[component]
fn TextField(
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    error: impl Fn() -> Option<String> + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let id = format!("int-{name}");
    let error_id = format!("int-{name}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id name=name type=kind autocomplete="off" aria-describedby=error_id.clone()/>
            <p class="field-error" id=error_id role="alert">{error}</p>
        </div>
    }
}

/// The source kinds the form offers (the wasm side does not link
/// `kb_intake`, so they are listed here).
fn source_kinds() -> [(&'static str, &'static str); 6] {
    [
        ("alertmanager", "Prometheus Alertmanager"),
        ("grafana", "Grafana Alerting"),
        ("pagerduty", "PagerDuty (v3 webhooks)"),
        ("generic", "Generic JSON (Events API v2 shape)"),
        ("slack", "Slack slash command"),
        ("mattermost", "Mattermost slash command"),
    ]
}
