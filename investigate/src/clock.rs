//! Timestamps in pasted log lines: finding the first one in a line
//! ([`read_stamp`]) and putting the stamps of consecutive lines on one
//! time axis ([`place_times`]).
//!
//! Reading is a left-to-right scan of the line's bytes: at each place where
//! a stamp may begin, the format scanners are tried (`formats` for those
//! starting with a digit, `words` for those starting with a letter, both
//! built on `scan`), and the first that reads a whole, valid stamp wins. A stamp must stand on its own: digits
//! that run on from a version, an address, an identifier or a longer number
//! are not a time. A stamp shaped like a date or time but naming one that
//! does not exist (month 13, 24:00:00, 30 February) is passed over whole, so
//! its time is not read again without its date.

mod civil;
mod formats;
mod place;
#[cfg(test)]
mod place_tests;
mod scan;
#[cfg(test)]
mod tests;
mod words;

use std::ops::Range;

use serde::{Deserialize, Serialize};

pub use place::place_times;

/// What a stamp says about when its line was written, which decides what
/// [`Stamp::ms`] counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StampKind {
    /// A full date and time; any UTC offset written has been applied, and a
    /// time written without one is taken as UTC. `ms` is Unix epoch
    /// milliseconds.
    Absolute,
    /// Month, day and time without a year (syslog). `ms` counts from the
    /// start of 1 January of the leap year 2000, so that 29 February is
    /// kept; [`place_times`] gives it a real year.
    NoYear,
    /// A time of day only. `ms` counts from midnight.
    TimeOfDay,
    /// A time since the start of the incident, `T+mm:ss` and the like. `ms`
    /// counts from T+0 and may be negative (`T-5m`).
    Relative,
}

/// A timestamp found in a line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stamp {
    /// What kind of time this is, and so what `ms` counts from.
    pub kind: StampKind,
    /// Milliseconds, counted as [`StampKind`] says.
    pub ms: i64,
    /// The stamp's bytes in the line, including the brackets when it is
    /// written `[like this]`, so a caller can cut it out.
    pub span: Range<usize>,
}

/// The first timestamp in `line`, if there is one.
///
/// Reads ISO 8601 and RFC 3339 (`2024-02-10T11:00:15.123Z`,
/// `2024-02-10 11:00:15,123`, `2024/02/10 11:00:15`, with `Z`, `+02:00`,
/// `+0200` or ` +0200`), access-log stamps (`10/Oct/2000:13:55:36 -0700`),
/// syslog (`Mar  5 09:32:15`, and ctime's `Mar  5 09:32:15 2024`), times of
/// day (`09:32:15.123`, and `09:32` when whitespace, `]` or the end follows),
/// Unix epoch seconds (10 digits, optionally with a fraction) and
/// milliseconds (13 digits), and relative times (`T+05:30`, `T+1:05:30`,
/// `T+5m`, `T+1h30m`, `T-90s`).
pub fn read_stamp(line: &str) -> Option<Stamp> {
    let bytes = line.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // Only ASCII bytes start a stamp, so spans fall on char boundaries.
        let found = match bytes[at] {
            b'0'..=b'9' => formats::numeric(bytes, at),
            b'A'..=b'Z' => formats::worded(bytes, at),
            _ => scan::Found::No,
        };
        match found {
            scan::Found::Stamp(stamp) => return Some(bracketed(bytes, stamp)),
            scan::Found::Invalid { end } => at = end.max(at + 1),
            scan::Found::No => at += 1,
        }
    }
    None
}

/// Widens the span over the brackets of `[stamp]`, which belong to it.
fn bracketed(bytes: &[u8], mut stamp: Stamp) -> Stamp {
    let Range { start, end } = stamp.span;
    if start > 0 && bytes[start - 1] == b'[' && bytes.get(end) == Some(&b']') {
        stamp.span = start - 1..end + 1;
    }
    stamp
}
