//! Postmortems: one failure mode each, its sentences filled from one
//! `Ctx`, with the record's every part.

use super::*;

/// Makes postmortems, one after another, from one seed.
pub struct Generator {
    rng: Rng,
    seed: u64,
    made: usize,
    /// The external id of the latest postmortem of each mode, for links.
    last_of_mode: Vec<Option<String>>,
}

impl Generator {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Generator {
        Generator {
            rng: Rng::new(seed),
            seed,
            made: 0,
            last_of_mode: vec![None; vocab().modes.len()],
        }
    }

    /// The failure mode of a postmortem made by this module, from its
    /// external id (`synth-SEED-NNNNNN-MODE`).
    pub fn mode_of(external_id: &str) -> Option<&str> {
        let mut parts = external_id.splitn(4, '-');
        (parts.next()? == "synth").then_some(())?;
        parts.next()?;
        parts.next()?;
        parts.next()
    }

    /// The next postmortem.
    pub fn next_incident(&mut self) -> PostmortemInput {
        let n = self.made;
        self.made += 1;
        let r = &mut self.rng;
        let mode_ix = r.below(vocab().modes.len());
        let m = &vocab().modes[mode_ix];

        let day = r.range(first_day(), last_day());
        let start = day * 86_400 + r.range(0, 86_399);
        let mut c = Ctx::new(r, start);
        c.what = c.any(m.what, r);

        let detected = start + r.range(30, 20 * 60);
        let mitigated = detected + r.range(4 * 60, 150 * 60);
        let resolved = mitigated + r.range(0, 240 * 60);
        let mclock = {
            let (h, mi, _) = hms(mitigated);
            format!("{h:02}:{mi:02}")
        };

        let severity = match r.below(10) {
            0 => "SEV1",
            1..=3 => "SEV2",
            4..=7 => "SEV3",
            _ => "SEV4",
        };
        let status = match r.below(20) {
            0..=3 => "draft",
            4..=6 => "in_review",
            _ => "published",
        };

        let title = capitalize(&c.any(m.titles, r));

        // Summary: what happened and what it looked like, then the fix.
        let opening = capitalize(&c.any(vocab().openings, r));
        let how_many = if r.chance(0.5) { 1 } else { 2 };
        let symptoms = r.some(m.symptoms, how_many);
        let symptom_text: Vec<String> = symptoms.iter().map(|s| c.fill(s, r)).collect();
        let fix = c.any(m.fixes, r);
        let lead = r.pick(&[
            "Mitigated at {mclock} UTC: ",
            "Impact ended at {mclock} UTC. ",
            "",
            "The fix: ",
        ]);
        let summary = format!(
            "{opening} {}\n\n{}{fix}",
            symptom_text.join(" "),
            lead.replace("{mclock}", &mclock)
        );
        let impact = c.any(vocab().impacts, r);
        let cause = c.any(m.causes, r);
        let trigger = c.any(m.triggers, r);
        let root_cause = match r.below(3) {
            0 => format!("{cause}\n\nTrigger: {trigger}"),
            1 => format!("{cause} {trigger}"),
            _ => format!("**Trigger.** {trigger}\n\n**Cause.** {cause}"),
        };
        let mitigation = if r.chance(0.5) {
            format!("{fix} Full recovery was confirmed at {}.", iso(resolved))
        } else {
            fix.clone()
        };

        // Services, teams, tags.
        let mut services = vec![c.svc.to_string()];
        if m.store {
            services.push(c.dep.to_string());
        }
        if r.chance(0.5) {
            services.push(c.svc2.to_string());
        }
        let mut teams = vec![c.team.to_string()];
        if r.chance(0.4) {
            teams.push(r.pick(vocab().teams).to_string());
        }
        let k = r.range(2, 4) as usize;
        let mut labels: Vec<String> = r.some(m.tags, k).iter().map(|t| t.to_string()).collect();
        if r.chance(0.4) {
            labels.push(r.pick(vocab().extra_tags).to_string());
        }
        let on_call = person(r);
        let mut authors = vec![on_call.clone()];
        if r.chance(0.5) {
            authors.push(person(r));
        }

        // Timeline: alert, then a subset of the story, then the fix and the end.
        let alert = r.pick(m.alerts);
        let alert_name = alert.0;
        let source = r.pick(vocab().alert_sources);
        let wrong = c.any(m.wrong, r);
        let story: Vec<(&str, String, String)> = vec![
            (
                "communication",
                format!(
                    "Incident declared as {severity} in #inc-{}-{}; {on_call} is incident commander.",
                    c.day.replace('-', ""),
                    c.svc
                ),
                on_call.clone(),
            ),
            ("observation", symptom_text[0].clone(), on_call.clone()),
            (
                "decision",
                format!("Suspected first: {wrong} Checked dashboards to rule it in or out."),
                on_call.clone(),
            ),
            ("observation", format!("Found the cause: {}", c.what), person(r)),
            (
                "communication",
                format!(
                    "Status page updated: degraded {} in {}.",
                    c.action_noun, c.region
                ),
                "support".to_string(),
            ),
        ];
        let keep = r.range(1, 5) as usize;
        let middle = r.some(&[0usize, 1, 2, 3, 4], keep);
        let mut timeline = vec![TimelineEntry {
            at: iso(detected),
            kind: "alert".into(),
            text: format!("{alert_name} fired for {}.", c.svc),
            who: source.to_string(),
        }];
        let span = (mitigated - detected).max(60);
        for (i, ix) in middle.iter().enumerate() {
            let (kind, text, who) = &story[*ix];
            let t = detected + span * (i as i64 + 1) / (keep as i64 + 2);
            let at = if r.chance(0.3) {
                kb_domain::record::format_relative(t - start)
            } else {
                iso(t)
            };
            timeline.push(TimelineEntry {
                at,
                kind: kind.to_string(),
                text: text.clone(),
                who: who.clone(),
            });
        }
        timeline.push(TimelineEntry {
            at: iso(mitigated - 30),
            kind: "action".into(),
            text: fix.clone(),
            who: person(r),
        });
        if r.chance(0.6) {
            timeline.push(TimelineEntry {
                at: iso(resolved),
                kind: "observation".into(),
                text: "Metrics back to baseline; incident resolved.".into(),
                who: on_call.clone(),
            });
        }

        // Evidence: the alert, log lines, maybe a second excerpt.
        let alert_ms = detected * 1000 + r.range(0, 999);
        let mut evidence = vec![Evidence {
            kind: "alert".into(),
            caption: format!("The {alert_name} page that opened the incident"),
            body: alert_text(m, alert, &c, r, alert_ms),
        }];
        let n_ev = r.range(1, 3);
        for i in 1..n_ev {
            let lines = r.range(2, 5) as usize;
            let from_ms = start * 1000 + r.range(0, 60_000);
            evidence.push(Evidence {
                kind: "log".into(),
                caption: if i == 1 {
                    format!("{} logs around {} UTC", c.svc, c.clock)
                } else {
                    "More log lines from the same minute".into()
                },
                body: log_excerpt(m, &c, r, from_ms, lines),
            });
        }

        // Hypotheses: one that held, one that did not.
        let hyp = c.any(m.hyp, r);
        let first = r.range(40, 75);
        let mut hypotheses = vec![Hypothesis {
            statement: hyp,
            confidence: vec![
                ConfidenceStep {
                    value: first,
                    note: "Timing matches the first errors.".into(),
                    ..Default::default()
                },
                ConfidenceStep {
                    value: r.range(90, 99),
                    note: "Confirmed by the fix.".into(),
                    ..Default::default()
                },
            ],
            evidence_for: symptom_text.last().cloned().unwrap_or_default(),
            evidence_against: String::new(),
            outcome: "confirmed".into(),
        }];
        if r.chance(0.7) {
            hypotheses.insert(
                0,
                Hypothesis {
                    statement: wrong,
                    confidence: vec![ConfidenceStep {
                        value: r.range(10, 50),
                        note: "First idea on the bridge.".into(),
                        ..Default::default()
                    }],
                    evidence_for: String::new(),
                    evidence_against: format!("Dashboards for {} were normal throughout.", c.svc2),
                    outcome: "refuted".into(),
                },
            );
        }

        // Causes.
        let mut causes = vec![Cause {
            level: "immediate".into(),
            statement: cause.clone(),
            confidence: Some(r.range(70, 100)),
            evidence: String::new(),
            prevents: String::new(),
        }];
        if r.chance(0.7) {
            causes.push(Cause {
                level: "contributing".into(),
                statement: c.any(vocab().contributing, r),
                confidence: None,
                evidence: String::new(),
                prevents: String::new(),
            });
        }
        if r.chance(0.3) {
            causes.push(Cause {
                level: "systemic".into(),
                statement: c.any(vocab().systemic, r),
                confidence: None,
                evidence: String::new(),
                prevents: String::new(),
            });
        }

        // What was tried.
        let mut mitigations = Vec::new();
        if r.chance(0.4) {
            let (action, result) = r.pick(vocab().failed_attempts);
            mitigations.push(MitigationAttempt {
                action: c.fill(action, r),
                result: result.into(),
                note: String::new(),
            });
        }
        mitigations.push(MitigationAttempt {
            action: fix.clone(),
            result: "worked".into(),
            note: String::new(),
        });

        // Learnings: a named pattern for about a third.
        let mut learnings = Vec::new();
        if r.below(3) == 0 {
            let sym = r.some(m.symptoms, 2);
            learnings.push(Learning {
                kind: "pattern".into(),
                title: r.pick(m.names).to_string(),
                text: String::new(),
                symptoms: sym
                    .iter()
                    .map(|s| c.fill(s, r))
                    .collect::<Vec<_>>()
                    .join(" "),
                root_cause: c.any(m.causes, r),
                detection: c.any(m.detection, r),
                resolution: c.any(m.fixes, r),
            });
        } else if r.chance(0.5) {
            let (kind, title, text) = r.pick(vocab().lessons);
            learnings.push(Learning {
                kind: kind.into(),
                title: title.into(),
                text: c.fill(text, r),
                ..Learning::default()
            });
        }

        // Follow-ups.
        let n_items = r.range(1, 3) as usize;
        let action_items = r
            .some(m.actions, n_items)
            .into_iter()
            .map(|a| ActionItem {
                id: None,
                title: c.fill(a, r),
                owner: person(r),
                due: Some(date_of((day + r.range(14, 90)) * 86_400)),
                priority: r.pick(&["high", "medium", "low"]).into(),
                status: r
                    .pick(&["open", "in_progress", "done", "done", "wont_do"])
                    .into(),
                kind: r.pick(&["prevent", "detect", "mitigate", "process"]).into(),
                tracker: format!(
                    "{}-{}",
                    r.pick(&["OPS", "SRE", "PLAT", "INC"]),
                    r.range(100, 9_999)
                ),
                expected_effect: String::new(),
            })
            .collect();

        // A link to an earlier postmortem of the same kind, sometimes.
        let external_id = format!("synth-{}-{n:06}-{}", self.seed, m.key);
        let mut links = Vec::new();
        if let Some(earlier) = &self.last_of_mode[mode_ix] {
            if r.chance(0.1) {
                links.push(Link {
                    target: earlier.clone(),
                    kind: "earlier_occurrence".into(),
                    note: "Same failure mode.".into(),
                });
            }
        }
        self.last_of_mode[mode_ix] = Some(external_id.clone());

        let narrative = if r.chance(0.5) {
            format!(
                "{on_call} was on call for {}. The first theory was: {} It did not fit the evidence, and attention moved to {}.",
                c.team,
                hypotheses[0].statement,
                c.svc
            )
        } else {
            String::new()
        };

        let money = r.chance(0.3).then(|| r.range(100, 250_000));
        PostmortemInput {
            external_id: Some(external_id),
            title,
            severity: Some(severity.into()),
            date: Some(c.day.clone()),
            summary,
            impact,
            root_cause,
            mitigation,
            services,
            labels,
            url: r
                .chance(0.4)
                .then(|| format!("https://wiki.example.com/postmortems/{}-{n}", c.day)),
            parts: kb_domain::record::Parts {
                status: status.into(),
                teams,
                authors,
                started_at: Some(iso(start)),
                detected_at: Some(iso(detected)),
                mitigated_at: Some(iso(mitigated)),
                resolved_at: Some(iso(resolved)),
                users_affected: r.chance(0.6).then(|| r.range(10, 500_000)),
                requests_failed: r.chance(0.5).then(|| r.range(100, 5_000_000)),
                money_lost: money,
                currency: money.map(|_| "USD".to_string()),
                narrative,
                timeline,
                evidence,
                hypotheses,
                whys: Vec::new(),
                causes,
                mitigations,
                learnings,
                action_items,
                links,
                access: Default::default(),
            },
        }
    }
}
