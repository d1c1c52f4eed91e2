//! The demo postmortems in `server/demo/` are valid records and show every part of
//! a good write-up: a named pattern with symptoms, a hypothesis whose confidence
//! moved, a why-chain, causes at every level, action items and a timeline.

use kb_domain::record::{epoch_seconds, CauseLevel, LearningKind, WriteupStatus};
use kb_domain::{NewPostmortem, PostmortemInput};

/// In the order the demo loader imports them: a file may only link to files
/// before it.
const DEMO_FILES: [&str; 4] = [
    "payment-timeout-cascade",
    "inventory-staging-sync",
    "checkout-redis-cache-warming",
    "flash-sale-oversell",
];

fn load(name: &str) -> NewPostmortem {
    let path = format!("{}/demo/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let input: PostmortemInput =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: not an incident: {e}"));
    input
        .validate()
        .unwrap_or_else(|errors| panic!("{path}: validation errors: {:?}", errors.0))
}

#[test]
fn demo_postmortems_are_valid_and_complete() {
    let mut published = 0;
    for (position, name) in DEMO_FILES.iter().enumerate() {
        let pm = load(name);
        let parts = &pm.parts;

        assert_eq!(
            pm.external_id.as_deref(),
            Some(format!("demo-{name}").as_str()),
            "{name}: id"
        );
        assert!(pm.severity.is_some(), "{name}: severity");
        assert!(!pm.summary.trim().is_empty(), "{name}: summary");
        assert!(!pm.root_cause.trim().is_empty(), "{name}: root cause");
        assert!(!pm.mitigation.trim().is_empty(), "{name}: mitigation");
        assert!(!pm.services.is_empty(), "{name}: services");
        assert!(!pm.labels.is_empty(), "{name}: tags");
        assert!(!parts.teams.is_empty(), "{name}: teams");
        assert!(!parts.authors.is_empty(), "{name}: authors");
        if parts.writeup_status() == WriteupStatus::Published {
            published += 1;
        }

        // The full clock, in order.
        let at = |t: &Option<String>, what: &str| -> i64 {
            t.as_deref()
                .and_then(epoch_seconds)
                .unwrap_or_else(|| panic!("{name}: {what} missing"))
        };
        let started = at(&parts.started_at, "started_at");
        let detected = at(&parts.detected_at, "detected_at");
        let mitigated = at(&parts.mitigated_at, "mitigated_at");
        let resolved = at(&parts.resolved_at, "resolved_at");
        assert!(
            started <= detected && started <= mitigated && mitigated <= resolved,
            "{name}: clock out of order"
        );

        assert!(
            parts.learnings.iter().any(|l| {
                l.kind == LearningKind::Pattern.as_str() && !l.symptoms.trim().is_empty()
            }),
            "{name}: a pattern learning with symptoms"
        );
        assert!(
            parts.hypotheses.iter().any(|h| h.confidence.len() >= 2),
            "{name}: a hypothesis with at least two confidence steps"
        );
        assert!(parts.whys.len() >= 5, "{name}: at least five whys");
        assert!(
            parts.whys.iter().any(|w| w.actionable),
            "{name}: an actionable why"
        );
        for level in CauseLevel::ALL {
            assert!(
                parts.causes.iter().any(|c| c.level == level.as_str()),
                "{name}: a {} cause",
                level.as_str()
            );
        }
        assert!(
            parts.action_items.len() >= 3,
            "{name}: at least three action items"
        );
        assert!(
            parts.timeline.len() >= 6,
            "{name}: at least six timeline entries"
        );
        assert!(
            parts.evidence.len() >= 2,
            "{name}: at least two evidence blocks"
        );
        assert!(
            parts.mitigations.len() >= 2,
            "{name}: at least two mitigation attempts"
        );

        // Links point only at demo postmortems imported before this one.
        for link in &parts.links {
            let earlier = DEMO_FILES[..position]
                .iter()
                .any(|other| link.target == format!("demo-{other}"));
            assert!(
                earlier,
                "{name}: link to {:?} is not an earlier demo postmortem",
                link.target
            );
        }
    }
    assert_eq!(published, 3, "three published, one still in review");
}
