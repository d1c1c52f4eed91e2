//! An evidence body read as lines, as a paste is, then placed on the
//! record's time axis.

use super::timeline::iso;
use crate::clock::{read_stamp, StampKind};
use crate::line::{read_lines, within_caps, LogLine};

/// From this time on (1971-01-01, in Unix milliseconds) a line's time was
/// read from a date. Earlier ones are times of day counted from day 0, or
/// relative times, as [`crate::place_times`] places a paste that gives no
/// date; no incident in a postmortem happened in 1970.
const DATED_FROM: i64 = 365 * 86_400 * 1_000;

/// An evidence body, read.
pub(super) struct Body<'a> {
    /// Its text lines (at most the budget), as written.
    pub(super) raw: Vec<&'a str>,
    /// Its lines, numbered within the body.
    pub(super) lines: Vec<LogLine>,
}

/// Reads at most `budget` text lines of a body.
pub(super) fn read(body: &str, budget: usize) -> Body<'_> {
    let raw: Vec<&str> = within_caps(body).take(budget).collect();
    let lines = read_lines(&raw.join("\n"));
    Body { raw, lines }
}

impl Body<'_> {
    /// The earliest time read from a date, in Unix milliseconds.
    pub(super) fn first_dated(&self) -> Option<i64> {
        self.lines
            .iter()
            .filter_map(|line| line.at)
            .filter(|&at| at >= DATED_FROM)
            .min()
    }

    /// Places a body that gives no date on the record's axis: relative
    /// times (`T+05:00`) from the start when `started` (the anchor is then
    /// the start), otherwise none; times of day and syslog dates after the
    /// anchor, as if the body began with it. Without an anchor nothing in
    /// the record is dated, and times stay as read.
    pub(super) fn place(&mut self, anchor: Option<i64>, started: bool) {
        let timed: Vec<&LogLine> = self.lines.iter().filter(|l| l.at.is_some()).collect();
        if timed.is_empty() || self.first_dated().is_some() {
            return;
        }
        let Some(anchor) = anchor else { return };
        let relative = timed.iter().all(|line| {
            self.raw
                .get(line.number - 1)
                .and_then(|raw| read_stamp(raw))
                .is_some_and(|stamp| stamp.kind == StampKind::Relative)
        });
        if relative {
            for line in &mut self.lines {
                line.at = line
                    .at
                    .filter(|_| started)
                    .map(|at| anchor.saturating_add(at));
            }
            return;
        }
        let text = format!("{}\n{}", iso(anchor.div_euclid(1_000)), self.raw.join("\n"));
        self.lines = read_lines(&text)
            .into_iter()
            .filter(|line| line.number > 1)
            .map(|mut line| {
                line.number -= 1;
                line
            })
            .collect();
    }
}
