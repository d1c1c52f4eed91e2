//! The story's sections: the header (title, severity, services, status),
//! the clock and the impact.

use super::super::fields::{choice, markdown, number, text};
use super::part;
use kb_domain::record::WriteupStatus;
use kb_domain::{PostmortemInput, Severity};
use leptos::prelude::*;

pub(super) fn header(d: &PostmortemInput) -> AnyView {
    let mut severities = vec![("", "Choose…")];
    severities.extend(Severity::ALL.iter().map(|s| (s.as_str(), s.as_str())));
    let p = &d.parts;
    let body = view! {
        {text("Title", "title", &d.title, "What users saw, in a few words")}
        <div class="grid">
            {choice("Severity", "severity", (severities, ""), d.severity.as_deref().unwrap_or_default())}
            {choice("Write-up status", "status", opts!(WriteupStatus), &p.status)}
        </div>
        <div class="grid">
            {text("Services", "services", &d.services.join(", "), "payments, checkout")}
            {text("Teams", "teams", &p.teams.join(", "), "payments-oncall")}
            {text("Tags", "labels", &d.labels.join(", "), "config-change, redis")}
            {text("Authors", "authors", &p.authors.join(", "), "")}
        </div>
    };
    part(
        "header",
        "Header",
        "Name the incident by its effect, not its cause (\"Checkout failing every 20 minutes\"). Severity is how bad it was for users.",
        false,
        body.into_any(),
    )
}

pub(super) fn clock(d: &PostmortemInput) -> AnyView {
    let p = &d.parts;
    let time = |t: &Option<String>| t.clone().unwrap_or_default();
    let body = view! {
        <div class="grid">
            {text("Started", "started_at", &time(&p.started_at), "2024-03-15 14:02")}
            {text("Detected", "detected_at", &time(&p.detected_at), "")}
            {text("Mitigated", "mitigated_at", &time(&p.mitigated_at), "")}
            {text("Resolved", "resolved_at", &time(&p.resolved_at), "")}
        </div>
        <p class="durations" aria-live="polite">{super::super::durations_line(p)}</p>
    };
    part(
        "clock",
        "Clock",
        "Times in UTC as YYYY-MM-DD HH:MM. The time to detect, mitigate and resolve follows from them.",
        false,
        body.into_any(),
    )
}

pub(super) fn impact(d: &PostmortemInput) -> AnyView {
    let p = &d.parts;
    let body = view! {
        <div class="grid">
            {number("Users affected", "users_affected", p.users_affected, None)}
            {number("Requests or orders failed", "requests_failed", p.requests_failed, None)}
            {number("Money lost", "money_lost", p.money_lost, None)}
            {text("Currency", "currency", p.currency.as_deref().unwrap_or_default(), "USD")}
        </div>
        {markdown("Impact", "impact", &d.impact, 4)}
    };
    part(
        "impact",
        "Impact",
        "Who and what was affected, in numbers where you have them.",
        false,
        body.into_any(),
    )
}
