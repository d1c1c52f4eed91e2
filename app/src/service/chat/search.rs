//! `search` and `analyze`: what past incidents say about a text or an
//! ongoing incident, ranked exactly as the search page ranks them for the
//! integration's reader.

use super::{details, not_found, CHAT_PATTERNS, CHAT_POSTMORTEMS};
use crate::context::RequestContext;
use crate::error::AppError;
use crate::service::Services;
use kb_domain::{PostmortemInput, SearchQuery, SearchResponse};
use kb_intake::chat::{Item, Reply, Section, Subject};

/// Diagnostic lessons an `analyze` answer lists at most.
pub const CHAT_LESSONS: usize = 5;

/// Findings an `analyze` answer lists at most; the Investigate panel has
/// the rest, with their lines.
pub const CHAT_FINDINGS: usize = 4;

/// Longest lesson text shown in chat; the page has the rest.
const LESSON_CHARS: usize = 300;

impl Services {
    /// `search <text>`: the top patterns and postmortems.
    pub(super) async fn chat_search(
        &self,
        reader: &RequestContext,
        text: &str,
    ) -> Result<Reply, AppError> {
        let found = self.find(reader, chat_query(text.to_string())).await?;
        let (patterns, postmortems) = self.found_items(found, false);
        Ok(Reply {
            headline: seen_before(patterns.len(), postmortems.len()),
            sections: sections([("Patterns", patterns), ("Past incidents", postmortems)]),
            in_channel: false,
        })
    }

    /// `analyze <text | #id>`: the search answer for pasted evidence, or
    /// for an incident's symptoms (its title, summary and evidence) with
    /// the incident itself left out, and the diagnostic lessons of the
    /// past incidents found: how they were diagnosed.
    pub(super) async fn chat_analyze(
        &self,
        reader: &RequestContext,
        subject: &Subject,
    ) -> Result<(Reply, Option<i64>), AppError> {
        let (text, about) = match subject {
            Subject::Text(text) => (text.clone(), None),
            Subject::Incident(id) => match self.get(reader, *id).await? {
                Some(pm) => (PostmortemInput::from(&pm).symptom_text(), Some(pm)),
                None => return Ok((not_found(*id), None)),
            },
        };
        let found = self
            .answer_without(reader, chat_query(text), about.as_ref().map(|pm| pm.id))
            .await?
            .response(0.0);
        let hits: Vec<i64> = found
            .incidents
            .iter()
            .take(CHAT_POSTMORTEMS)
            .map(|hit| hit.id)
            .collect();
        let (patterns, postmortems) = self.found_items(found, true);
        let lessons = self.diagnostic_lessons(reader, &hits).await?;
        let report = match (&about, subject) {
            (Some(pm), _) => self.investigation_of(reader, pm).await?,
            (None, Subject::Text(text)) => {
                self.investigate_text(reader, text.clone(), String::new())
                    .await?
            }
            (None, Subject::Incident(_)) => kb_investigate::Report::default(),
        };
        let findings = chat_findings(&report);
        let subject = match &about {
            Some(pm) => format!("#{} {}", pm.id, pm.title),
            None => "this evidence".to_string(),
        };
        let headline = if patterns.is_empty() && postmortems.is_empty() {
            format!("Nothing like {subject} has been written up before.")
        } else {
            format!(
                "What past incidents say about {subject}: {}",
                seen_before(patterns.len(), postmortems.len())
            )
        };
        Ok((
            Reply {
                headline,
                sections: sections([
                    ("Patterns", patterns),
                    ("Past incidents", postmortems),
                    ("How they were diagnosed", lessons),
                    ("What the evidence shows", findings),
                ]),
                in_channel: false,
            },
            about.map(|pm| pm.id),
        ))
    }

    /// The patterns and postmortems of a search as chat items; with
    /// `detection`, each pattern also says how it is noticed.
    fn found_items(&self, found: SearchResponse, detection: bool) -> (Vec<Item>, Vec<Item>) {
        let patterns = found
            .patterns
            .into_iter()
            .take(CHAT_PATTERNS)
            .map(|p| Item {
                url: p.seen_in.first().map(|s| self.link_to(s.id)),
                label: p.name,
                details: details([
                    ("Root cause", p.root_cause),
                    (
                        "Noticed by",
                        if detection {
                            p.detection
                        } else {
                            String::new()
                        },
                    ),
                    ("Resolved by", p.resolution),
                ]),
            })
            .collect();
        let postmortems = found
            .incidents
            .into_iter()
            .take(CHAT_POSTMORTEMS)
            .map(|hit| {
                let mut label = hit.title.clone();
                let when: Vec<&str> = [hit.severity.as_deref(), hit.date.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect();
                if !when.is_empty() {
                    label = format!("{label} ({})", when.join(", "));
                }
                Item {
                    url: Some(self.link_to(hit.id)),
                    label,
                    details: details([("Root cause", hit.root_cause), ("Fixed by", hit.fix)]),
                }
            })
            .collect();
        (patterns, postmortems)
    }

    /// The diagnostic lessons of postmortems `hits` (best match first) as
    /// chat items, at most [`CHAT_LESSONS`].
    async fn diagnostic_lessons(
        &self,
        reader: &RequestContext,
        hits: &[i64],
    ) -> Result<Vec<Item>, AppError> {
        let lessons = self.lessons(reader, hits).await?;
        Ok(lessons
            .into_iter()
            .take(CHAT_LESSONS)
            .map(|lesson| Item {
                label: lesson.title,
                url: Some(self.link_to(lesson.postmortem_id)),
                details: details([
                    ("Lesson", shortened(&lesson.text)),
                    (
                        "From",
                        format!("#{} {}", lesson.postmortem_id, lesson.postmortem_title),
                    ),
                ]),
            })
            .collect())
    }
}

/// The first findings the evidence itself gives (what came first, what
/// changed, what fixes did, rhythms, the hypotheses questioned), as chat
/// items; the knowledge base's own findings are already in the answer.
fn chat_findings(report: &kb_investigate::Report) -> Vec<Item> {
    use kb_investigate::FindingKind::{SeenBefore, WhyChain};
    report
        .findings
        .iter()
        .filter(|s| !matches!(s.finding.kind, SeenBefore | WhyChain))
        .take(CHAT_FINDINGS)
        .map(|s| Item {
            label: s.finding.statement.clone(),
            url: None,
            details: Vec::new(),
        })
        .collect()
}

/// A chat search: as many postmortems and patterns as an answer lists.
fn chat_query(text: String) -> SearchQuery {
    SearchQuery {
        text,
        limit: CHAT_POSTMORTEMS,
        patterns: CHAT_PATTERNS,
        ..SearchQuery::default()
    }
}

/// "Seen before? 2 past incidents and 1 pattern match."
fn seen_before(patterns: usize, postmortems: usize) -> String {
    match (patterns, postmortems) {
        (0, 0) => "Nothing like this has been written up before.".to_string(),
        (p, n) => format!(
            "Seen before? {n} past {} and {p} {} match.",
            if n == 1 { "incident" } else { "incidents" },
            if p == 1 { "pattern" } else { "patterns" }
        ),
    }
}

/// The titled sections that have items, in order.
fn sections<const N: usize>(parts: [(&str, Vec<Item>); N]) -> Vec<Section> {
    parts
        .into_iter()
        .filter(|(_, items)| !items.is_empty())
        .map(|(title, items)| Section {
            title: Some(title.to_string()),
            items,
        })
        .collect()
}

/// A lesson's first paragraph on one line, cut at a word near
/// [`LESSON_CHARS`].
fn shortened(text: &str) -> String {
    let paragraph = text.trim().split("\n\n").next().unwrap_or_default();
    let line = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= LESSON_CHARS {
        return line;
    }
    let cut: String = line.chars().take(LESSON_CHARS).collect();
    match cut.rsplit_once(' ') {
        Some((head, _)) => format!("{head}…"),
        None => format!("{cut}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_lesson_is_cut_at_a_word() {
        let text = format!("{}\n\nsecond paragraph", "word ".repeat(100));
        let short = shortened(&text);
        assert!(short.ends_with("word…"), "{short}");
        assert!(short.chars().count() <= LESSON_CHARS + 1);
        assert!(!short.contains("second"));
        assert_eq!(shortened("  one\nline  "), "one line");
    }

    #[test]
    fn the_headline_counts_in_words() {
        assert_eq!(
            seen_before(1, 2),
            "Seen before? 2 past incidents and 1 pattern match."
        );
        assert_eq!(
            seen_before(0, 0),
            "Nothing like this has been written up before."
        );
    }
}
