//! The scanners of the stamps that start with a digit: ISO 8601 and RFC
//! 3339, access logs, times of day and Unix epochs; and the dispatch to
//! them and to those that start with a letter (`words`).

use super::civil::{days_from_civil, month_from_abbrev, valid_date, DAY, SECOND};
use super::scan::{closes, digit_run, fraction, number, opens, zone, Clock, Found};
use super::words::{relative, syslog};
use super::{Stamp, StampKind};

/// Tries the stamps that start with a digit.
pub(super) fn numeric(bytes: &[u8], at: usize) -> Found {
    for scanner in [iso, access, time_of_day, epoch] {
        match scanner(bytes, at) {
            Found::No => continue,
            found => return found,
        }
    }
    Found::No
}

/// Tries the stamps that start with a capital letter.
pub(super) fn worded(bytes: &[u8], at: usize) -> Found {
    match syslog(bytes, at) {
        Found::No => relative(bytes, at),
        found => found,
    }
}

/// `2024-02-10T11:00:15.123Z`, `2024-02-10 11:00:15,123`,
/// `2024/02/10 11:00:15`, `2024-02-10T11:00+02:00`.
fn iso(bytes: &[u8], at: usize) -> Found {
    let Some(year) = number(bytes, at, 4) else {
        return Found::No;
    };
    let separator = bytes.get(at + 4).copied();
    if !matches!(separator, Some(b'-' | b'/')) || !opens(bytes, at) {
        return Found::No;
    }
    let (Some(month), Some(day)) = (number(bytes, at + 5, 2), number(bytes, at + 8, 2)) else {
        return Found::No;
    };
    if bytes.get(at + 7).copied() != separator
        || !matches!(bytes.get(at + 10), Some(b'T' | b't' | b' '))
    {
        return Found::No;
    }
    let Some(clock) = Clock::read(bytes, at + 11) else {
        return Found::No;
    };
    dated(bytes, at, (i64::from(year), month, day), &clock)
}

/// The access-log stamp of nginx and Apache: `10/Oct/2000:13:55:36 -0700`.
fn access(bytes: &[u8], at: usize) -> Found {
    let Some(day) = number(bytes, at, 2) else {
        return Found::No;
    };
    let month = bytes.get(at + 3..).and_then(month_from_abbrev);
    let year = number(bytes, at + 7, 4);
    let shaped = bytes.get(at + 2) == Some(&b'/')
        && bytes.get(at + 6) == Some(&b'/')
        && bytes.get(at + 11) == Some(&b':')
        && opens(bytes, at);
    let (Some(month), Some(year), true) = (month, year, shaped) else {
        return Found::No;
    };
    let Some(clock) = Clock::read(bytes, at + 12).filter(|clock| clock.second.is_some()) else {
        return Found::No;
    };
    dated(bytes, at, (i64::from(year), month, day), &clock)
}

/// The end shared by the dated stamps: the zone after `clock`, the stamp's
/// close, and the instant, when the date and time exist.
fn dated(bytes: &[u8], at: usize, (year, month, day): (i64, u32, u32), clock: &Clock) -> Found {
    let (offset, end) = zone(bytes, clock.end);
    if !closes(bytes, end) {
        return Found::No;
    }
    match offset {
        Some(offset) if valid_date(year, month, day) && clock.valid() => Found::Stamp(Stamp {
            kind: StampKind::Absolute,
            ms: days_from_civil(year, month, day) * DAY + clock.ms() - offset,
            span: at..end,
        }),
        _ => Found::Invalid { end },
    }
}

/// `09:32:15`, `09:32:15.123`, `09:32:15 PM`, and `09:32` when whitespace,
/// `]` or the end of the line follows (so `10:30-11:00` and `3:1` are not
/// times).
fn time_of_day(bytes: &[u8], at: usize) -> Found {
    if !opens(bytes, at) {
        return Found::No;
    }
    let Some(mut clock) = Clock::read(bytes, at) else {
        return Found::No;
    };
    let mut end = clock.end;
    if let Some((pm, after)) = meridiem(bytes, end) {
        if (1..=12).contains(&clock.hour) {
            clock.hour = clock.hour % 12 + if pm { 12 } else { 0 };
            end = after;
        }
    }
    let ends = if clock.second.is_some() || end != clock.end {
        closes(bytes, end)
    } else {
        bytes
            .get(end)
            .is_none_or(|&byte| byte.is_ascii_whitespace() || byte == b']')
    };
    if !ends {
        Found::No
    } else if !clock.valid() {
        Found::Invalid { end }
    } else {
        Found::Stamp(Stamp {
            kind: StampKind::TimeOfDay,
            ms: clock.ms(),
            span: at..end,
        })
    }
}

/// ` AM`, `PM`, ` pm` at `at`: whether it is afternoon, and where it ends.
fn meridiem(bytes: &[u8], at: usize) -> Option<(bool, usize)> {
    let start = if bytes.get(at) == Some(&b' ') {
        at + 1
    } else {
        at
    };
    let pm = match bytes.get(start)?.to_ascii_uppercase() {
        b'A' => false,
        b'P' => true,
        _ => return None,
    };
    let end = start + 2;
    (bytes.get(start + 1)?.eq_ignore_ascii_case(&b'M') && closes(bytes, end)).then_some((pm, end))
}

/// Unix seconds (10 digits, optionally `.123`) or milliseconds (13 digits),
/// standing alone or as a JSON value (`"ts":1707562815`).
fn epoch(bytes: &[u8], at: usize) -> Found {
    let digits = digit_run(bytes, at);
    if !matches!(digits, 10 | 13) || bytes[at] == b'0' {
        return Found::No;
    }
    let json_value = at >= 2 && bytes[at - 1] == b':' && bytes[at - 2] == b'"';
    if !(opens(bytes, at) || json_value) {
        return Found::No;
    }
    // Never more than 13 digits, so no overflow.
    let value = bytes[at..at + digits]
        .iter()
        .fold(0i64, |value, byte| value * 10 + i64::from(byte - b'0'));
    // A comma after epoch seconds is a list, not a fraction.
    let (milli, end) = fraction(bytes, at + digits, b".");
    if !closes(bytes, end) {
        return Found::No;
    }
    let ms = if digits == 10 {
        value * SECOND + milli
    } else {
        value
    };
    Found::Stamp(Stamp {
        kind: StampKind::Absolute,
        ms,
        span: at..end,
    })
}
