//! The timeline read as lines: each entry placed at its time, with a level
//! by its kind.

use kb_domain::calendar::civil_from_days;
use kb_domain::record::{epoch_seconds, relative_seconds, TimelineEntry, TimelineKind};

use super::one_line;
use crate::level::Level;
use crate::line::{LogLine, MAX_LINE_BYTES};
use crate::signature::signature;

/// Seconds in a day.
const DAY_SECONDS: i64 = 86_400;

/// A timeline, read.
pub(super) struct Timeline {
    /// One text line per entry (at most the budget), numbered from 1.
    pub(super) rendered: Vec<String>,
    /// The lines of the entries that are read (not communications).
    pub(super) lines: Vec<LogLine>,
    /// The numbers of the lines that are no attempt (not actions).
    pub(super) not_attempts: Vec<usize>,
    /// The earliest time written as a date, in Unix milliseconds.
    pub(super) first_dated: Option<i64>,
}

/// Reads at most `budget` entries; `start` is the record's start, in Unix
/// seconds, which relative times count from.
pub(super) fn read(entries: &[TimelineEntry], start: Option<i64>, budget: usize) -> Timeline {
    let mut timeline = Timeline {
        rendered: Vec::new(),
        lines: Vec::new(),
        not_attempts: Vec::new(),
        first_dated: None,
    };
    for (index, entry) in entries.iter().take(budget).enumerate() {
        let number = index + 1;
        let dated = epoch_seconds(&entry.at);
        let seconds = match relative_seconds(&entry.at) {
            // Without the start, nothing says where T+0 falls.
            Some(offset) => start.map(|start| start.saturating_add(offset)),
            None => dated,
        };
        if let Some(dated) = dated {
            let ms = dated.saturating_mul(1_000);
            timeline.first_dated = Some(timeline.first_dated.map_or(ms, |first| first.min(ms)));
        }
        let message = cut_bytes(one_line(&entry.text), MAX_LINE_BYTES);
        timeline
            .rendered
            .push(render(seconds, &entry.at, &message, &entry.who));

        let kind = TimelineKind::parse(&entry.kind);
        if kind == Some(TimelineKind::Communication) || message.is_empty() {
            continue;
        }
        if kind != Some(TimelineKind::Action) {
            timeline.not_attempts.push(number);
        }
        let level = match kind {
            Some(TimelineKind::Alert) => Level::Error,
            _ => Level::Info,
        };
        timeline.lines.push(LogLine {
            number,
            at: seconds.map(|s| s.saturating_mul(1_000)),
            level: Some(level),
            component: None,
            signature: signature(&message),
            message,
        });
    }
    timeline
}

/// An entry as one text line: `2024-04-12T15:17:00Z <text> (<who>)`, the
/// time as written when it cannot be placed.
fn render(seconds: Option<i64>, at: &str, message: &str, who: &str) -> String {
    let stamp = match seconds {
        Some(seconds) => iso(seconds),
        None => match one_line(at) {
            at if at.is_empty() => "(no time)".to_string(),
            at => at,
        },
    };
    let who = one_line(who);
    match who.is_empty() {
        true => format!("{stamp} {message}"),
        false => format!("{stamp} {message} ({who})"),
    }
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`.
pub(super) fn iso(seconds: i64) -> String {
    let (days, in_day) = (
        seconds.div_euclid(DAY_SECONDS),
        seconds.rem_euclid(DAY_SECONDS),
    );
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        in_day / 3_600,
        in_day % 3_600 / 60,
        in_day % 60
    )
}

/// The longest prefix of `text` of at most `max` bytes ending on a char
/// boundary.
fn cut_bytes(mut text: String, max: usize) -> String {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text
}
