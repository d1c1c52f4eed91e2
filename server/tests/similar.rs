//! "Similar incidents" from a whole postmortem: a long text whose rarest
//! words (request ids, one-off numbers, product names) are its own still
//! finds the postmortems that share its failure.

mod common;

use app::context::RequestContext;
use kb_domain::PostmortemInput;

/// Identifiers no other postmortem has: what a real write-up is full of.
fn unique_ids(seed: u64, n: usize) -> String {
    let mut x = seed;
    (0..n)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            match i % 3 {
                0 => format!("req-{x:016x}"),
                1 => format!("Zorvex{}", x % 1_000_003),
                _ => format!("ticket KQ{}", x % 97_001),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn postmortem(title: &str, summary: String) -> PostmortemInput {
    PostmortemInput {
        title: title.into(),
        summary,
        ..Default::default()
    }
}

#[tokio::test]
async fn a_postmortem_full_of_unique_identifiers_finds_the_one_that_shares_its_failure() {
    let app = common::app().await;
    let services = &app.state.services;
    let ctx = RequestContext::command_line();
    let earlier = services
        .create(
            &ctx,
            postmortem(
                "Checkout timeouts: the ledger connection pool ran dry",
                "The ledger service timed out talking to its database; retries held \
                 connections, the connection pool was exhausted and checkout failed."
                    .into(),
            ),
        )
        .await
        .unwrap();
    for (n, title) in [
        "Certificate expiry on the edge",
        "A typo on the status page",
    ]
    .iter()
    .enumerate()
    {
        let text = format!("Unrelated: {title}. {}", unique_ids(n as u64 + 7, 30));
        services
            .create(&ctx, postmortem(title, text))
            .await
            .unwrap();
    }
    // The same failure, written up with hundreds of identifiers of its own.
    let later = postmortem(
        "Checkout failing again",
        format!(
            "The ledger service timed out; the connection pool was exhausted. \
             Affected requests: {}",
            unique_ids(99, 400)
        ),
    );
    let later_id = services.create(&ctx, later.clone()).await.unwrap();
    services.reindex_after_write().await;

    let similar = services
        .similar(&ctx, &later, Some(later_id), 5)
        .await
        .unwrap();
    let ids: Vec<i64> = similar.iter().map(|h| h.id).collect();
    assert_eq!(ids.first(), Some(&earlier), "{similar:#?}");
    assert!(!ids.contains(&later_id), "never itself");
}

/// A pasted stack trace finds the write-up of the same failure through the
/// JSON API, which says what the match rests on: the exception, the frame
/// and the message, not just shared words.
#[tokio::test]
async fn a_pasted_trace_finds_its_failure_and_says_what_it_shares() {
    let app = common::app().await;
    let id = app
        .create(serde_json::json!({
            "title": "Scheduler crash on an empty queue name",
            "summary": "The scheduler died with IllegalStateException in \
                        FairScheduler.assignContainer when a queue name was blank.",
        }))
        .await;
    app.create(serde_json::json!({
        "title": "Scheduler slow under load",
        "summary": "The scheduler fell behind; queue assignments took seconds.",
    }))
    .await;
    let paste = "scheduler crashed again\n\
        java.lang.IllegalStateException: queue name is blank\n\
        \tat org.apache.hadoop.yarn.server.scheduler.FairScheduler.assignContainer(FairScheduler.java:812)\n\
        \tat org.apache.hadoop.yarn.server.scheduler.FairScheduler.nodeUpdate(FairScheduler.java:1003)";
    let uri = format!("/api/v1/search?q={}&limit=5", common::encode(paste));
    let body = app.get(&uri).await.json();
    let top = &body["incidents"][0];
    assert_eq!(top["id"], id, "{body}");
    assert_eq!(
        top["signals"],
        serde_json::json!([
            {"kind": "exception", "text": "IllegalStateException"},
            {"kind": "frame", "text": "FairScheduler.assignContainer"},
            // "a queue name was blank": the same words in order.
            {"kind": "message", "text": "queue name is blank"},
        ])
    );
    assert_eq!(body["incidents"][1]["signals"], serde_json::json!([]));
}
