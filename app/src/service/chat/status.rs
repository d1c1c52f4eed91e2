//! The answer to `status`: an incident's clock, its leading hypothesis,
//! its open action items, and an update for stakeholders in the shape of
//! seed 001's "CEO update" (what happened, what we did, where things
//! stand, how confident we are, what we do not know yet, what comes
//! next), every line taken from the record, none invented.

use kb_domain::record::{epoch_seconds, format_minutes, Hypothesis, MitigationResult};
use kb_domain::Postmortem;
use kb_intake::chat::{Item, Reply, Section};

/// Open action items listed at most.
const ITEMS: usize = 5;

/// The status of `pm` (whose page is `link`) at `now` (epoch seconds).
pub fn status_reply(pm: &Postmortem, link: String, now: i64) -> Reply {
    let parts = &pm.parts;
    let leading = leading_hypothesis(&pm.parts.hypotheses);
    let open_items: Vec<_> = parts
        .action_items
        .iter()
        .filter(|a| matches!(a.status.as_str(), "open" | "in_progress"))
        .collect();

    let clock = clock_line(pm, now);
    let mut header = vec![("Clock".to_string(), clock.clone())];
    if let Some(sev) = pm.severity {
        header.insert(0, ("Severity".into(), sev.as_str().into()));
    }
    if let Some(h) = leading {
        header.push(("Leading hypothesis".into(), hypothesis_line(h)));
    }
    let mut sections = vec![Section {
        title: None,
        items: vec![Item {
            label: format!("#{} {}", pm.id, pm.title),
            url: Some(link),
            details: header,
        }],
    }];
    if !open_items.is_empty() {
        sections.push(Section {
            title: Some(format!("Open action items ({})", open_items.len())),
            items: open_items
                .iter()
                .take(ITEMS)
                .map(|a| Item {
                    label: a.title.clone(),
                    url: None,
                    details: super::details([
                        ("Owner", a.owner.clone()),
                        ("Due", a.due.clone().unwrap_or_default()),
                    ]),
                })
                .collect(),
        });
    }
    sections.push(Section {
        title: Some("Update for stakeholders".into()),
        items: vec![Item {
            label: pm.title.clone(),
            url: None,
            details: stakeholder_update(pm, leading, &open_items, &clock),
        }],
    });
    Reply {
        headline: if pm.is_ongoing() {
            format!("Incident #{} is ongoing.", pm.id)
        } else {
            format!("Incident #{} is no longer ongoing.", pm.id)
        },
        sections,
        in_channel: false,
    }
}

/// The open hypothesis stated with the most confidence (its latest step),
/// or else the confirmed one.
fn leading_hypothesis(hypotheses: &[Hypothesis]) -> Option<&Hypothesis> {
    let latest = |h: &Hypothesis| h.confidence.last().map_or(0, |s| s.value);
    hypotheses
        .iter()
        .filter(|h| h.outcome == "open")
        .max_by_key(|h| latest(h))
        .or_else(|| hypotheses.iter().find(|h| h.outcome == "confirmed"))
}

/// "DB pool exhausted (40% → 85%)" or "(confirmed)".
fn hypothesis_line(h: &Hypothesis) -> String {
    let steps: Vec<String> = h
        .confidence
        .iter()
        .map(|s| format!("{}%", s.value))
        .collect();
    match (h.outcome.as_str(), steps.is_empty()) {
        ("confirmed", _) => format!("{} (confirmed)", h.statement),
        (_, true) => format!("{} (no confidence stated)", h.statement),
        (_, false) => format!("{} ({})", h.statement, steps.join(" → ")),
    }
}

/// Where the clock stands: running for how long, or how long each stage
/// took; the times missing say so.
fn clock_line(pm: &Postmortem, now: i64) -> String {
    let parts = &pm.parts;
    let Some(started) = parts.started_at.as_deref() else {
        return "no start time recorded".into();
    };
    let durations = parts.durations();
    let mut line = format!("started {started}");
    if let Some(m) = durations.to_detect {
        line.push_str(&format!(", detected after {}", format_minutes(m)));
    }
    if let Some(m) = durations.to_mitigate {
        line.push_str(&format!(", mitigated after {}", format_minutes(m)));
    }
    match (durations.to_resolve, epoch_seconds(started)) {
        (Some(m), _) => line.push_str(&format!(", resolved after {}", format_minutes(m))),
        (None, Some(start)) if now >= start => line.push_str(&format!(
            ", running for {}",
            format_minutes((now - start) / 60)
        )),
        _ => {}
    }
    line
}

/// The six lines of the update, each from the record.
fn stakeholder_update(
    pm: &Postmortem,
    leading: Option<&Hypothesis>,
    open_items: &[&kb_domain::record::ActionItem],
    clock: &str,
) -> Vec<(String, String)> {
    let parts = &pm.parts;
    let first = |text: &str| -> Option<String> {
        let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
        Some(line.to_string())
    };
    let happened = first(&pm.summary)
        .or_else(|| first(&pm.impact))
        .unwrap_or_else(|| format!("{} (no summary written yet)", pm.title));
    let did: Vec<String> = parts
        .mitigations
        .iter()
        .map(|m| {
            let result = MitigationResult::parse(&m.result)
                .map(MitigationResult::label)
                .unwrap_or("result unknown");
            format!("{}: {}", m.action, result.to_lowercase())
        })
        .collect();
    let did = if did.is_empty() {
        first(&pm.mitigation).unwrap_or_else(|| "no mitigation recorded yet".into())
    } else {
        did.join("; ")
    };
    let state = if parts.resolved_at.is_some() {
        "resolved".to_string()
    } else if parts.mitigated_at.is_some() {
        "mitigated, not yet resolved".to_string()
    } else {
        "not yet mitigated".to_string()
    };
    let confidence = match leading {
        Some(h) => hypothesis_line(h),
        None => "no hypothesis recorded yet".into(),
    };
    let unknown: Vec<&str> = parts
        .hypotheses
        .iter()
        .filter(|h| h.outcome == "open" && leading.is_none_or(|l| !std::ptr::eq(*h, l)))
        .map(|h| h.statement.as_str())
        .collect();
    let unknown = match (unknown.is_empty(), pm.root_cause.trim().is_empty()) {
        (false, _) => format!("still open: {}", unknown.join("; ")),
        (true, true) => "the root cause is not established".into(),
        (true, false) => "nothing recorded as open".into(),
    };
    let next = if open_items.is_empty() {
        "no open action items".to_string()
    } else {
        open_items
            .iter()
            .take(ITEMS)
            .map(|a| a.title.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    [
        ("What happened", happened),
        ("What we did", did),
        ("Current state", format!("{state} ({clock})")),
        ("How confident", confidence),
        ("What we do not know yet", unknown),
        ("Next steps", next),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kb_domain::record::{ActionItem, ConfidenceStep, MitigationAttempt, Parts};

    fn incident() -> Postmortem {
        Postmortem {
            id: 7,
            external_id: None,
            title: "Checkout failing".into(),
            severity: Some(kb_domain::Severity::Sev2),
            date: Some("2024-03-15".into()),
            summary: "\nPayments time out for a third of checkouts.\nMore.".into(),
            impact: String::new(),
            root_cause: String::new(),
            mitigation: String::new(),
            services: vec![],
            labels: vec![],
            url: None,
            parts: Parts {
                status: "draft".into(),
                started_at: Some("2024-03-15T14:00:00Z".into()),
                detected_at: Some("2024-03-15T14:02:00Z".into()),
                hypotheses: vec![
                    Hypothesis {
                        statement: "DB pool exhausted".into(),
                        confidence: vec![ConfidenceStep {
                            value: 70,
                            note: String::new(),
                            ..Default::default()
                        }],
                        outcome: "open".into(),
                        ..Default::default()
                    },
                    Hypothesis {
                        statement: "Gateway timeout cut by the deploy".into(),
                        confidence: vec![
                            ConfidenceStep {
                                value: 40,
                                note: String::new(),
                                ..Default::default()
                            },
                            ConfidenceStep {
                                value: 95,
                                note: String::new(),
                                ..Default::default()
                            },
                        ],
                        outcome: "open".into(),
                        ..Default::default()
                    },
                    Hypothesis {
                        statement: "Card network outage".into(),
                        outcome: "refuted".into(),
                        ..Default::default()
                    },
                ],
                mitigations: vec![MitigationAttempt {
                    action: "Raised the pool from 50 to 100".into(),
                    result: "failed".into(),
                    note: String::new(),
                }],
                action_items: vec![
                    ActionItem {
                        title: "Roll back payment-service".into(),
                        owner: "sam".into(),
                        status: "in_progress".into(),
                        ..Default::default()
                    },
                    ActionItem {
                        title: "Already done".into(),
                        status: "done".into(),
                        ..Default::default()
                    },
                ],
                ..Parts::default()
            },
            version: 3,
            created_at: String::new(),
            updated_at: String::new(),
            published_by: None,
            published_at: None,
            related: vec![],
        }
    }

    fn details(reply: &Reply, section: usize) -> Vec<(String, String)> {
        reply.sections[section].items[0].details.clone()
    }

    #[test]
    fn the_status_is_read_from_the_record() {
        // 14:47:30, 47 minutes after the start.
        let now = epoch_seconds("2024-03-15T14:47:30Z").unwrap();
        let reply = status_reply(&incident(), "https://h.example/incidents/7".into(), now);
        assert_eq!(reply.headline, "Incident #7 is ongoing.");
        let head = details(&reply, 0);
        assert_eq!(head[0], ("Severity".into(), "SEV2".into()));
        assert_eq!(
            head[1].1,
            "started 2024-03-15T14:00:00Z, detected after 2 min, running for 47 min"
        );
        assert_eq!(
            head[2],
            (
                "Leading hypothesis".into(),
                "Gateway timeout cut by the deploy (40% → 95%)".into()
            )
        );
        // Only the open items.
        assert_eq!(
            reply.sections[1].title.as_deref(),
            Some("Open action items (1)")
        );
        assert_eq!(
            reply.sections[1].items[0].label,
            "Roll back payment-service"
        );
        let update = details(&reply, 2);
        let line = |k: &str| update.iter().find(|(key, _)| key == k).unwrap().1.clone();
        assert_eq!(
            line("What happened"),
            "Payments time out for a third of checkouts."
        );
        assert_eq!(
            line("What we did"),
            "Raised the pool from 50 to 100: did not work"
        );
        assert!(line("Current state").starts_with("not yet mitigated (started"));
        assert_eq!(
            line("How confident"),
            "Gateway timeout cut by the deploy (40% → 95%)"
        );
        // The other open hypothesis, not the refuted one.
        assert_eq!(
            line("What we do not know yet"),
            "still open: DB pool exhausted"
        );
        assert_eq!(line("Next steps"), "Roll back payment-service");
    }

    #[test]
    fn an_empty_record_says_what_is_missing() {
        let mut pm = incident();
        pm.summary.clear();
        pm.parts = Parts::default();
        let reply = status_reply(&pm, "/incidents/7".into(), 0);
        assert_eq!(reply.headline, "Incident #7 is no longer ongoing.");
        assert_eq!(details(&reply, 0)[1].1, "no start time recorded");
        let update = details(&reply, 1);
        let line = |k: &str| update.iter().find(|(key, _)| key == k).unwrap().1.clone();
        assert_eq!(
            line("What happened"),
            "Checkout failing (no summary written yet)"
        );
        assert_eq!(line("What we did"), "no mitigation recorded yet");
        assert_eq!(line("How confident"), "no hypothesis recorded yet");
        assert_eq!(
            line("What we do not know yet"),
            "the root cause is not established"
        );
        assert_eq!(line("Next steps"), "no open action items");
    }
}
