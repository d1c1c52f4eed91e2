//! The demo postmortems in `server/demo/` are valid records. The four full
//! write-ups show every part of a good one: a named pattern with symptoms, a
//! hypothesis whose confidence moved, a why-chain, causes at every level,
//! action items and a timeline. The two backfilled ones, the January
//! oversells the flash sale links as earlier occurrences, are short records
//! written later from support tickets, and say so.

use kb_domain::record::{
    epoch_seconds, ActionStatus, CauseLevel, LearningKind, LinkKind, WriteupStatus,
};
use kb_domain::{NewPostmortem, PostmortemInput, Severity};

/// What a demo postmortem is, and so which checks it must pass.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// A complete write-up.
    Full,
    /// A short record of an earlier occurrence, written after the fact.
    Backfilled,
}

/// In the order the demo loader imports them: a file may only link to files
/// before it.
const DEMO_FILES: [(&str, Kind); 6] = [
    ("payment-timeout-cascade", Kind::Full),
    ("inventory-staging-sync", Kind::Full),
    ("checkout-redis-cache-warming", Kind::Full),
    ("oversell-2024-01-15", Kind::Backfilled),
    ("oversell-2024-01-28", Kind::Backfilled),
    ("flash-sale-oversell", Kind::Full),
];

fn of(kind: Kind) -> impl Iterator<Item = &'static str> {
    DEMO_FILES
        .iter()
        .filter(move |(_, k)| *k == kind)
        .map(|(name, _)| *name)
}

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
fn the_list_is_the_loaders() {
    let loaded: Vec<String> = hindsight::cli::DEMO
        .iter()
        .map(|(file, _)| file.trim_end_matches(".json").to_string())
        .collect();
    let listed: Vec<&str> = DEMO_FILES.iter().map(|(name, _)| *name).collect();
    assert_eq!(loaded, listed);
}

#[test]
fn every_demo_postmortem_is_valid_and_links_only_back() {
    for (position, (name, _)) in DEMO_FILES.iter().enumerate() {
        let pm = load(name);
        assert_eq!(
            pm.external_id.as_deref(),
            Some(format!("demo-{name}").as_str()),
            "{name}: id"
        );
        assert!(pm.severity.is_some(), "{name}: severity");
        assert!(!pm.summary.trim().is_empty(), "{name}: summary");
        assert!(!pm.impact.trim().is_empty(), "{name}: impact");
        assert!(!pm.root_cause.trim().is_empty(), "{name}: root cause");
        assert!(!pm.mitigation.trim().is_empty(), "{name}: mitigation");
        assert!(!pm.services.is_empty(), "{name}: services");
        assert!(!pm.labels.is_empty(), "{name}: tags");
        assert!(!pm.parts.teams.is_empty(), "{name}: teams");
        assert!(!pm.parts.authors.is_empty(), "{name}: authors");

        // Links point only at demo postmortems imported before this one.
        for link in &pm.parts.links {
            let earlier = DEMO_FILES[..position]
                .iter()
                .any(|(other, _)| link.target == format!("demo-{other}"));
            assert!(
                earlier,
                "{name}: link to {:?} is not an earlier demo postmortem",
                link.target
            );
        }
    }
}

#[test]
fn the_full_demo_postmortems_are_complete() {
    let mut published = 0;
    for name in of(Kind::Full) {
        let pm = load(name);
        let parts = &pm.parts;

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
    }
    assert_eq!(published, 3, "three published, one still in review");
}

/// The number of customers an impact text opens with
/// (`- **12 customers** bought ...`), as the Investigate trend reads it.
fn customers(impact: &str) -> Option<i64> {
    let rest = impact.strip_prefix("- **")?;
    let (number, rest) = rest.split_once(' ')?;
    rest.starts_with("customers**")
        .then(|| number.parse().ok())
        .flatten()
}

/// The backfilled records have a smaller, explicit set of checks: low
/// severity, published, dated, saying they were written later from the
/// support tickets, an impact that opens with its customer count (which
/// matches `users_affected`), a short timeline and only closed action items:
/// the open work lives on the flash sale's review.
#[test]
fn the_backfilled_demo_postmortems_are_short_honest_records() {
    for name in of(Kind::Backfilled) {
        let pm = load(name);
        let parts = &pm.parts;

        assert!(
            matches!(pm.severity, Some(Severity::Sev3 | Severity::Sev4)),
            "{name}: low severity, not {:?}",
            pm.severity
        );
        assert_eq!(
            parts.writeup_status(),
            WriteupStatus::Published,
            "{name}: published"
        );
        let day = name.trim_start_matches("oversell-");
        assert_eq!(pm.date.as_deref(), Some(day), "{name}: date");

        assert!(
            pm.labels.iter().any(|l| l == "backfilled"),
            "{name}: tagged backfilled"
        );
        let summary = pm.summary.split_whitespace().collect::<Vec<_>>().join(" ");
        for needed in ["support tickets", "no incident was opened"] {
            assert!(
                summary.contains(needed),
                "{name}: the summary says how it was written ({needed:?})"
            );
        }

        let count = customers(&pm.impact)
            .unwrap_or_else(|| panic!("{name}: impact opens with its customers"));
        assert_eq!(parts.users_affected, Some(count), "{name}: users affected");

        assert!(
            parts.timeline.len() >= 2,
            "{name}: at least two timeline entries"
        );
        assert!(
            parts
                .causes
                .iter()
                .any(|c| c.level == CauseLevel::Immediate.as_str()),
            "{name}: the cause as understood now"
        );
        assert!(
            !parts.action_items.is_empty(),
            "{name}: what was done at the time"
        );
        assert!(
            parts
                .action_items
                .iter()
                .all(|a| a.status == ActionStatus::Done.as_str()),
            "{name}: only done action items"
        );
    }
}

/// The flash sale names both January oversells as earlier occurrences, the
/// second names the first, and their impacts read 12, 8, then 47 customers.
#[test]
fn the_oversells_are_linked_as_earlier_occurrences() {
    let earlier = |name: &str| -> Vec<String> {
        load(name)
            .parts
            .links
            .iter()
            .filter(|l| l.kind == LinkKind::EarlierOccurrence.as_str())
            .map(|l| l.target.clone())
            .collect()
    };
    assert_eq!(
        earlier("flash-sale-oversell"),
        ["demo-oversell-2024-01-15", "demo-oversell-2024-01-28"]
    );
    assert_eq!(earlier("oversell-2024-01-28"), ["demo-oversell-2024-01-15"]);
    assert!(earlier("oversell-2024-01-15").is_empty());
    assert!(
        load("flash-sale-oversell")
            .parts
            .links
            .iter()
            .any(|l| l.target == "demo-inventory-staging-sync"),
        "the flash sale keeps its related link"
    );

    let counts: Vec<Option<i64>> = [
        "oversell-2024-01-15",
        "oversell-2024-01-28",
        "flash-sale-oversell",
    ]
    .iter()
    .map(|name| customers(&load(name).impact))
    .collect();
    assert_eq!(counts, [Some(12), Some(8), Some(47)]);
}
