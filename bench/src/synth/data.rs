//! The generator's vocabulary and failure modes: `data/synth.json`, read
//! once and kept for the life of the process (as `&'static str`, the shape
//! templates are filled from).
//!
//! Word lists (services, teams, regions, ...), the 25 failure modes, and
//! the sentence templates shared by every mode. Templates name placeholders
//! in braces (`{svc}`, `{ms}`); see `Ctx::put`. Changing this file changes
//! the corpus the benchmark figures were measured on (a test says so).

use serde::Deserialize;
use std::sync::LazyLock;

/// One failure mode: its vocabulary and the sentence pools a postmortem is
/// written from.
pub struct Mode {
    /// Short stable key (`conn-pool`), carried in external ids and queries.
    pub key: &'static str,
    /// Whether a datastore (`{dep}`) is among the services involved.
    pub store: bool,
    /// Pattern names.
    pub names: Words,
    pub tags: Words,
    /// Clauses saying what happened ("the pool ran dry").
    pub what: Words,
    pub titles: Words,
    pub symptoms: Words,
    pub causes: Words,
    pub triggers: Words,
    pub fixes: Words,
    pub detection: Words,
    pub actions: Words,
    /// Alert name and description.
    pub alerts: Pairs,
    /// Log level and message.
    pub logs: Pairs,
    /// Hypotheses that turn out right.
    pub hyp: Words,
    /// Hypotheses that turn out wrong.
    pub wrong: Words,
}

/// A list of words or templates.
pub type Words = &'static [&'static str];
/// A list of pairs (alert name and description, log level and message).
pub type Pairs = &'static [(&'static str, &'static str)];

/// Everything in `data/synth.json`.
pub struct Vocab {
    /// Application services.
    pub services: Words,
    pub datastores: Words,
    pub infra: Words,
    pub caches: Words,
    pub teams: Words,
    pub regions: Words,
    pub providers: Words,
    pub tables: Words,
    pub topics: Words,
    pub flags: Words,
    pub action_nouns: Words,
    pub user_actions: Words,
    /// First and last names of people.
    pub first: Words,
    pub last: Words,
    pub effects: Words,
    pub periods: Words,
    pub months: Words,
    pub weekdays: Words,
    pub extra_tags: Words,
    /// The failure modes.
    pub modes: &'static [Mode],
    /// Templates shared by every mode.
    pub openings: Words,
    pub impacts: Words,
    pub contributing: Words,
    pub systemic: Words,
    /// Mitigations that did not work: action and result.
    pub failed_attempts: Pairs,
    /// Lessons: kind, title and text.
    pub lessons: &'static [(&'static str, &'static str, &'static str)],
    pub alert_sources: Words,
    /// Log lines of healthy traffic, and unrelated errors.
    pub noise_logs: Pairs,
    pub other_errors: Pairs,
}

/// The vocabulary, read on first use.
pub fn vocab() -> &'static Vocab {
    static VOCAB: LazyLock<Vocab> = LazyLock::new(|| {
        let raw: Raw = serde_json::from_str(include_str!("../../data/synth.json"))
            .expect("data/synth.json matches the generator's shape");
        raw.into_vocab()
    });
    &VOCAB
}

#[derive(Deserialize)]
struct RawMode {
    key: String,
    store: bool,
    names: Vec<String>,
    tags: Vec<String>,
    what: Vec<String>,
    titles: Vec<String>,
    symptoms: Vec<String>,
    causes: Vec<String>,
    triggers: Vec<String>,
    fixes: Vec<String>,
    detection: Vec<String>,
    actions: Vec<String>,
    alerts: Vec<(String, String)>,
    logs: Vec<(String, String)>,
    hyp: Vec<String>,
    wrong: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    services: Vec<String>,
    datastores: Vec<String>,
    infra: Vec<String>,
    caches: Vec<String>,
    teams: Vec<String>,
    regions: Vec<String>,
    providers: Vec<String>,
    tables: Vec<String>,
    topics: Vec<String>,
    flags: Vec<String>,
    action_nouns: Vec<String>,
    user_actions: Vec<String>,
    first: Vec<String>,
    last: Vec<String>,
    effects: Vec<String>,
    periods: Vec<String>,
    months: Vec<String>,
    weekdays: Vec<String>,
    extra_tags: Vec<String>,
    modes: Vec<RawMode>,
    openings: Vec<String>,
    impacts: Vec<String>,
    contributing: Vec<String>,
    systemic: Vec<String>,
    failed_attempts: Vec<(String, String)>,
    lessons: Vec<(String, String, String)>,
    alert_sources: Vec<String>,
    noise_logs: Vec<(String, String)>,
    other_errors: Vec<(String, String)>,
}

/// Kept for the life of the process: the vocabulary is read once.
fn text(s: String) -> &'static str {
    String::leak(s)
}

fn words(list: Vec<String>) -> Words {
    Vec::leak(list.into_iter().map(text).collect())
}

fn pairs(list: Vec<(String, String)>) -> Pairs {
    Vec::leak(list.into_iter().map(|(a, b)| (text(a), text(b))).collect())
}

impl RawMode {
    fn into_mode(self) -> Mode {
        Mode {
            key: text(self.key),
            store: self.store,
            names: words(self.names),
            tags: words(self.tags),
            what: words(self.what),
            titles: words(self.titles),
            symptoms: words(self.symptoms),
            causes: words(self.causes),
            triggers: words(self.triggers),
            fixes: words(self.fixes),
            detection: words(self.detection),
            actions: words(self.actions),
            alerts: pairs(self.alerts),
            logs: pairs(self.logs),
            hyp: words(self.hyp),
            wrong: words(self.wrong),
        }
    }
}

impl Raw {
    fn into_vocab(self) -> Vocab {
        Vocab {
            services: words(self.services),
            datastores: words(self.datastores),
            infra: words(self.infra),
            caches: words(self.caches),
            teams: words(self.teams),
            regions: words(self.regions),
            providers: words(self.providers),
            tables: words(self.tables),
            topics: words(self.topics),
            flags: words(self.flags),
            action_nouns: words(self.action_nouns),
            user_actions: words(self.user_actions),
            first: words(self.first),
            last: words(self.last),
            effects: words(self.effects),
            periods: words(self.periods),
            months: words(self.months),
            weekdays: words(self.weekdays),
            extra_tags: words(self.extra_tags),
            modes: Vec::leak(self.modes.into_iter().map(RawMode::into_mode).collect()),
            openings: words(self.openings),
            impacts: words(self.impacts),
            contributing: words(self.contributing),
            systemic: words(self.systemic),
            failed_attempts: pairs(self.failed_attempts),
            lessons: Vec::leak(
                self.lessons
                    .into_iter()
                    .map(|(a, b, c)| (text(a), text(b), text(c)))
                    .collect(),
            ),
            alert_sources: words(self.alert_sources),
            noise_logs: pairs(self.noise_logs),
            other_errors: pairs(self.other_errors),
        }
    }
}
