//! With the demo postmortems loaded, the pastes an on-call engineer would
//! make for each of the four incidents find that incident first, through
//! the same search the UI runs.

mod common;

use app::context::RequestContext;

async fn top(core: &app::service::Core, paste: &str) -> String {
    let hits = core
        .search(&RequestContext::command_line(), paste, 5)
        .await
        .unwrap();
    hits.incidents
        .first()
        .and_then(|h| h.external_id.clone())
        .unwrap_or_default()
}

#[tokio::test]
async fn each_demo_incident_is_found_first_by_its_symptoms() {
    let t = common::app().await;
    let core = &t.state.core;
    hindsight::cli::load_demo(core).await.unwrap();

    let alert = "[FIRING] PaymentTimeouts: payment-service p99 latency above 5s\n\
                 payment requests timing out; error: connection pool exhausted (50/50 in use)";
    assert_eq!(top(core, alert).await, "demo-payment-timeout-cascade");

    let logs = "2024-02-10T11:00:15.120Z INFO reservation req=8f2a sku=SKU-FLASH-2024-001 checking stock: 1 available\n\
                2024-02-10T11:00:15.121Z INFO reservation req=91bc sku=SKU-FLASH-2024-001 checking stock: 1 available\n\
                2024-02-10T11:00:15.130Z INFO reservation req=8f2a reserved qty=1\n\
                2024-02-10T11:00:15.131Z INFO reservation req=91bc reserved qty=1";
    assert_eq!(top(core, logs).await, "demo-flash-sale-oversell");

    assert_eq!(
        top(
            core,
            "checkout fails every 20 minutes, Redis connections saturated"
        )
        .await,
        "demo-checkout-redis-cache-warming"
    );
    assert_eq!(
        top(core, "inventory values keep flipping between two systems").await,
        "demo-inventory-staging-sync"
    );
}
