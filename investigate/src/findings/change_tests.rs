//! Change findings on pastes modelled on real incidents.

use super::change::{is_change, version};
use super::*;

/// The change findings of a paste, read as [`investigate`] reads it.
fn changes(paste: &str) -> Vec<Finding> {
    change_findings(paste, &read_lines(paste))
}

fn statements(found: &[Finding]) -> Vec<&str> {
    found.iter().map(|f| f.statement.as_str()).collect()
}

fn cited_lines(finding: &Finding) -> Vec<usize> {
    finding.evidence.iter().map(|c| c.line).collect()
}

/// A payments release shortens the timeouts to the card processor; a
/// couple of minutes later calls to it start timing out and the database
/// pool runs dry.
const RELEASE_THEN_TIMEOUTS: &str = "\
[INFO] 09:30:00 - Deployer: payment-service v2.4.2 rolled out (note: updated timeout configs)
[INFO] 09:31:40 - CheckoutService: basket 4411 sent for payment
[ERROR] 09:32:15 - PaymentService: connection timeout to stripe after 500ms
[ERROR] 09:32:16 - PaymentService: connection timeout to stripe after 500ms
[ERROR] 09:32:18 - DBPool: no available connections (50 of 50 busy)
";

#[test]
fn a_release_two_minutes_before_the_timeouts() {
    let found = changes(RELEASE_THEN_TIMEOUTS);
    assert_eq!(
        statements(&found),
        [
            "\"Deployer: payment-service v2.4.2 rolled out (note: updated timeout configs)\" \
             at 09:30:00, 2 min 15 s before the first error (PaymentService: connection \
             timeout to stripe after 500ms, 09:32:15): look at what it changed first."
        ]
    );
    assert_eq!(found[0].kind, FindingKind::Change);
    assert_eq!(cited_lines(&found[0]), [1, 3]);
    // Nothing here claims the change was the cause.
    assert!(!found[0].statement.contains("caus"));
}

#[test]
fn the_window_is_thirty_minutes_before_the_first_error() {
    let at = |deploy: &str| {
        changes(&format!(
            "[INFO] {deploy} - ci: deployed payments build 8812\n\
             [ERROR] 10:00:00 - PaymentService: card processor timed out\n"
        ))
    };
    assert_eq!(at("09:15:00").len(), 0, "45 minutes before");
    assert_eq!(at("09:29:59").len(), 0, "a second too early");
    let edge = at("09:30:00");
    assert_eq!(edge.len(), 1);
    assert!(edge[0].statement.contains("30 min before the first error"));
    assert!(at("09:59:59")[0]
        .statement
        .contains("1 s before the first error"));
    // At the same time, or after, is not before.
    assert_eq!(at("10:00:00").len(), 0);
    assert_eq!(at("10:02:00").len(), 0);
}

#[test]
fn a_rollback_after_the_first_error_is_not_stated() {
    let paste = "\
[ERROR] 09:32:15 - PaymentService: connection timeout to stripe after 500ms
[INFO] 09:34:10 - ops: kubectl rollout undo deployment/payment-service
[INFO] 09:34:50 - ops: payment-service v2.4.1 redeployed
[ERROR] 09:35:00 - PaymentService: connection timeout to stripe after 500ms
";
    assert_eq!(changes(paste), []);
}

#[test]
fn without_levels_no_line_is_the_first_error() {
    let paste = "\
09:30:00 payment-service v2.4.2 deployed
09:32:15 payment calls to stripe timing out
";
    assert_eq!(changes(paste), []);
    // A deploy that failed is the first error, not a change before it.
    let failed = "\
[ERROR] 09:30:00 - ci: deploy of payment-service v2.4.2 failed
[ERROR] 09:30:30 - PaymentService: connection timeout to stripe
";
    assert_eq!(changes(failed), []);
}

#[test]
fn nearest_changes_first_at_most_three_each_said_once() {
    let paste = "\
2024-03-02T13:40:00Z INFO helm: helm upgrade search ./charts/search
2024-03-02T13:50:00Z INFO flags: feature flag new_checkout enabled for 10%
2024-03-02T13:55:00Z INFO ops: payment-service 2.4.1 → 2.4.2
2024-03-02T13:56:00Z INFO k8s: deployment.apps/payments image updated
2024-03-02T13:57:00Z INFO k8s: deployment.apps/payments image updated
2024-03-02T13:58:00Z INFO web: no deploy today, freeze in place
2024-03-02T14:00:00Z ERROR PaymentService: card processor timed out
";
    let found = changes(paste);
    assert_eq!(found.len(), MAX_CHANGE_FINDINGS);
    let cited: Vec<Vec<usize>> = found.iter().map(cited_lines).collect();
    // The image update said twice counts once, at its nearest; the line
    // denying a deploy is none; the helm upgrade is fourth, left out.
    assert_eq!(cited, [vec![5, 7], vec![3, 7], vec![2, 7]]);
    assert!(
        found[0].statement.starts_with(
            "\"k8s: deployment.apps/payments image updated\" at 13:57:00, 3 min before"
        ),
        "{}",
        found[0].statement
    );
}

#[test]
fn quoted_changes_are_cut() {
    let paste = format!(
        "[INFO] 08:00:00 - deployer: deployed {}\n[ERROR] 08:01:00 - api: down\n",
        "long words ".repeat(20)
    );
    let found = changes(&paste);
    let quoted = found[0].statement.split('"').nth(1).unwrap_or_default();
    assert_eq!(quoted.chars().count(), 120);
    assert!(quoted.ends_with('…'));
}

#[test]
fn change_records_are_recognised() {
    let changes = [
        "payment-service v2.4.2 deployed",
        "Deploying payments to production",
        "kubectl rollout restart deployment/payments",
        "rolled out payments 1a2b3c4",
        "helm upgrade payments ./chart --install",
        "deployment.apps/payments image updated",
        "image payments:2.4.2 successfully updated",
        "Feature flag new_checkout toggled",
        "flag fast_refunds disabled by alice",
        "config change: stripe timeouts shortened",
        "Configuration updated from git",
        "released v2.4.2 to production",
        "upgraded postgres from 15.4.0 to 15.5.0",
        "applied 9fceb02d0ae598e95dc970b74767f19372d61af8",
        "payment-service v2.4.1 -> v2.4.2 (minor)",
        "payments: 2.4.1=>2.4.2",
        "web moved from v1.8.0 to v1.8.1",
    ];
    for message in changes {
        assert!(is_change(message), "{message}");
    }
    let not_changes = [
        // Negated.
        "no deploy today",
        "we did not deploy anything",
        "nothing deployed since Friday",
        "flag new_checkout not enabled",
        "no config changes this week",
        // Other words, or the term without a version.
        "Deployer started",
        "deploy_timeout exceeded",
        "deployment payments has 2 unavailable replicas",
        "connection released back to pool",
        "Upgrade: websocket",
        "migration applied",
        "lock released after 8.5s",
        // No two versions on either side of an arrow.
        "retry 1 -> 2",
        "pool 50 to 100",
    ];
    for message in not_changes {
        assert!(!is_change(message), "{message}");
    }
}

#[test]
fn versions_git_shas_and_look_alikes() {
    for piece in ["v2.4.2", "2.4.2", "V2", "v1.2.3.4", "2.4.2-rc1", "1a2b3c4"] {
        assert!(version(piece), "{piece}");
    }
    assert!(version("9fceb02d0ae598e95dc970b74767f19372d61af8"));
    for piece in [
        "8.5",
        "10.0.0.1",
        "2024-01-15",
        "deadbeef",
        "1234567",
        "1a2b3c",
        "v",
        "v2.x",
        "9fceb02d0ae598e95dc970b74767f19372d61af8a",
    ] {
        assert!(!version(piece), "{piece}");
    }
}

#[test]
fn a_line_denying_a_deploy_is_no_change() {
    let paste = "\
[INFO] 09:20:00 - release-bot: no deploy today, the freeze holds
[ERROR] 09:32:15 - PaymentService: connection timeout to stripe
";
    assert_eq!(changes(paste), []);
}

#[test]
fn investigate_states_sequence_then_change_then_rhythm() {
    // A release, then a cascade that comes back three times, twenty
    // minutes apart, and the config diff that shipped with the release.
    let mut paste = String::from("[INFO] 13:50:00 - ci: payments v3.0.1 deployed\n");
    for start in ["14:00", "14:20", "14:40"] {
        paste.push_str(&format!(
            "[ERROR] {start}:01 - PaymentService: connection timeout to stripe\n\
             [ERROR] {start}:04 - DBPool: no available connections\n"
        ));
    }
    paste.push_str("-connect_timeout_ms: 2000\n+connect_timeout_ms: 250\n");
    let found = investigate(&paste).findings;
    let kinds: Vec<FindingKind> = found.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            FindingKind::Sequence,
            FindingKind::Change,
            FindingKind::Change,
            FindingKind::Rhythm
        ]
    );
    assert!(found[1]
        .statement
        .contains("10 min 1 s before the first error"));
    assert!(found[2].statement.contains("2000 → 250 (8× lower)"));
}
