//! With the demo postmortems loaded, the pastes an on-call engineer would
//! make for each of the four fully written-up incidents find that incident
//! first, and its named pattern first among the patterns, through the same
//! search the UI runs. The two short January oversells, backfilled from
//! support tickets, name no pattern and must not push the flash sale down;
//! a support agent's words find all three oversells first.

mod common;

use app::context::RequestContext;

/// The external id of the first postmortem and the name of the first
/// pattern, as the search page asks for them.
async fn top(services: &app::service::Services, paste: &str) -> (String, String) {
    let query = kb_domain::SearchQuery {
        text: paste.to_string(),
        limit: 10,
        patterns: 3,
        ..Default::default()
    };
    let response = services
        .find(&RequestContext::command_line(), query)
        .await
        .unwrap();
    let incident = response
        .incidents
        .first()
        .and_then(|h| h.external_id.clone())
        .unwrap_or_default();
    let pattern = response
        .patterns
        .first()
        .map(|p| p.name.clone())
        .unwrap_or_default();
    (incident, pattern)
}

/// The external ids of the postmortems a paste finds, best first.
async fn hits(services: &app::service::Services, paste: &str) -> Vec<String> {
    let query = kb_domain::SearchQuery {
        text: paste.to_string(),
        limit: 10,
        ..Default::default()
    };
    let response = services
        .find(&RequestContext::command_line(), query)
        .await
        .unwrap();
    response
        .incidents
        .iter()
        .filter_map(|h| h.external_id.clone())
        .collect()
}

fn expect(incident: &str, pattern: &str) -> (String, String) {
    (incident.to_string(), pattern.to_string())
}

#[tokio::test]
async fn each_demo_incident_is_found_first_by_its_symptoms() {
    let t = common::app().await;
    let services = &t.state.services;
    hindsight::cli::load_demo(services).await.unwrap();

    let alert = "[FIRING] PaymentTimeouts: payment-service p99 latency above 5s\n\
                 payment requests timing out; error: connection pool exhausted (50/50 in use)";
    assert_eq!(
        top(services, alert).await,
        expect(
            "demo-payment-timeout-cascade",
            "The Tight-Timeout Retry Storm"
        )
    );

    let logs = "2024-02-10T11:00:15.120Z INFO reservation req=8f2a sku=SKU-FLASH-2024-001 checking stock: 1 available\n\
                2024-02-10T11:00:15.121Z INFO reservation req=91bc sku=SKU-FLASH-2024-001 checking stock: 1 available\n\
                2024-02-10T11:00:15.130Z INFO reservation req=8f2a reserved qty=1\n\
                2024-02-10T11:00:15.131Z INFO reservation req=91bc reserved qty=1";
    assert_eq!(
        top(services, logs).await,
        expect("demo-flash-sale-oversell", "Two Readers, One Jacket")
    );

    assert_eq!(
        top(
            services,
            "checkout fails every 20 minutes, Redis connections saturated"
        )
        .await,
        expect(
            "demo-checkout-redis-cache-warming",
            "The Clockwork Noisy Neighbour"
        )
    );
    assert_eq!(
        top(
            services,
            "inventory values keep flipping between two systems"
        )
        .await,
        expect("demo-inventory-staging-sync", "The Staging Ghost Writer")
    );

    // A support agent's words find the three oversells before anything else.
    let mut oversells = hits(services, "oversold jackets refunded").await;
    oversells.truncate(3);
    oversells.sort();
    assert_eq!(
        oversells,
        [
            "demo-flash-sale-oversell",
            "demo-oversell-2024-01-15",
            "demo-oversell-2024-01-28"
        ]
    );
}
