//! The primitives the format scanners share: where a stamp may begin and
//! end, fixed-width numbers, fractions of a second, clock times and UTC
//! offsets.

use super::civil::{HOUR, MINUTE, SECOND};
use super::Stamp;

/// What a scanner made of one place in a line.
pub(super) enum Found {
    /// No stamp of this format starts here.
    No,
    /// Something shaped like a stamp that names no real time ends at `end`;
    /// the scan goes on past it so that its parts are not read alone.
    Invalid { end: usize },
    /// A stamp.
    Stamp(Stamp),
}

/// Whether a stamp may begin at `at`: not in the middle of a word, a
/// number, a version (`v2.4.2`), an address (`10.0.0.1:8080`), a path or
/// a longer run of colons (a MAC address).
pub(super) fn opens(bytes: &[u8], at: usize) -> bool {
    at == 0
        || !matches!(
            bytes[at - 1],
            b'0'..=b'9'
                | b'A'..=b'Z'
                | b'a'..=b'z'
                | b'.'
                | b':'
                | b'_'
                | b'/'
                | b'-'
                | b'+'
                | b'#'
                | b'%'
                | b'$'
                | b'@'
        )
}

/// Whether a stamp may end at `end`: the text after it does not carry on
/// the word or number (`10:30:00:00`, `12:00:15.3.1`, `11:00:15abc`).
pub(super) fn closes(bytes: &[u8], end: usize) -> bool {
    match bytes.get(end) {
        None => true,
        Some(b'.') => !bytes.get(end + 1).is_some_and(u8::is_ascii_digit),
        // `at 11:00:15: boom` ends the stamp; `11:00:15:07` does not.
        Some(b':') => !bytes.get(end + 1).is_some_and(u8::is_ascii_alphanumeric),
        Some(&byte) => !(byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'/' | b'%' | b'@')),
    }
}

/// The value of exactly `len` ASCII digits at `at`.
pub(super) fn number(bytes: &[u8], at: usize, len: usize) -> Option<u32> {
    let digits = bytes.get(at..at + len)?;
    digits.iter().try_fold(0u32, |value, &byte| {
        byte.is_ascii_digit()
            .then(|| value * 10 + u32::from(byte - b'0'))
    })
}

/// How many ASCII digits run from `at`.
pub(super) fn digit_run(bytes: &[u8], at: usize) -> usize {
    bytes.get(at..).map_or(0, |rest| {
        rest.iter().take_while(|b| b.is_ascii_digit()).count()
    })
}

/// A fraction of a second at `at` (`.5`, `,123`, `.123456789`, with a
/// separator from `separators`): its milliseconds, digits past the third
/// dropped, and where it ends. Nothing there gives `(0, at)`.
pub(super) fn fraction(bytes: &[u8], at: usize, separators: &[u8]) -> (i64, usize) {
    let Some(separator) = bytes.get(at) else {
        return (0, at);
    };
    let digits = digit_run(bytes, at + 1);
    if !separators.contains(separator) || digits == 0 {
        return (0, at);
    }
    let milli = (0..3).fold(0, |milli, k| {
        let digit = if k < digits {
            bytes[at + 1 + k] - b'0'
        } else {
            0
        };
        milli * 10 + i64::from(digit)
    });
    (milli, at + 1 + digits)
}

/// `hh:mm`, `hh:mm:ss` or `hh:mm:ss.fff`, two digits a field, not yet
/// checked for range.
pub(super) struct Clock {
    pub(super) hour: u32,
    pub(super) minute: u32,
    pub(super) second: Option<u32>,
    pub(super) milli: i64,
    pub(super) end: usize,
}

impl Clock {
    pub(super) fn read(bytes: &[u8], at: usize) -> Option<Clock> {
        let hour = number(bytes, at, 2)?;
        if bytes.get(at + 2) != Some(&b':') {
            return None;
        }
        let minute = number(bytes, at + 3, 2)?;
        let mut clock = Clock {
            hour,
            minute,
            second: None,
            milli: 0,
            end: at + 5,
        };
        if bytes.get(clock.end) == Some(&b':') {
            if let Some(second) = number(bytes, clock.end + 1, 2) {
                clock.second = Some(second);
                (clock.milli, clock.end) = fraction(bytes, clock.end + 3, b".,");
            }
        }
        Some(clock)
    }

    /// Hours to 23, minutes to 59, seconds to 60 (a leap second).
    pub(super) fn valid(&self) -> bool {
        self.hour <= 23 && self.minute <= 59 && self.second.unwrap_or(0) <= 60
    }

    pub(super) fn ms(&self) -> i64 {
        i64::from(self.hour) * HOUR
            + i64::from(self.minute) * MINUTE
            + i64::from(self.second.unwrap_or(0)) * SECOND
            + self.milli
    }
}

/// A UTC offset at `at`: `Z`, `+02:00`, `+0200`, `+02`, ` -0700` as
/// access logs write it, or ` UTC` / ` GMT` as PostgreSQL does. Gives the offset in milliseconds (`None` when out
/// of range) and where it ends; no offset gives `(Some(0), at)`.
pub(super) fn zone(bytes: &[u8], at: usize) -> (Option<i64>, usize) {
    match bytes.get(at) {
        Some(b'Z' | b'z') => return (Some(0), at + 1),
        Some(b' ')
            if matches!(bytes.get(at + 1), Some(b'+' | b'-')) && digit_run(bytes, at + 2) == 4 =>
        {
            return signed_offset(bytes, at + 1, false);
        }
        Some(b'+' | b'-') if digit_run(bytes, at + 1) >= 2 => {
            return signed_offset(bytes, at, true)
        }
        Some(b' ')
            if matches!(bytes.get(at + 1..at + 4), Some(b"UTC" | b"GMT"))
                && closes(bytes, at + 4) =>
        {
            return (Some(0), at + 4);
        }
        _ => {}
    }
    (Some(0), at)
}

/// `+hh`, `+hhmm` or (when `colon` is allowed) `+hh:mm` at `at`.
pub(super) fn signed_offset(bytes: &[u8], at: usize, colon: bool) -> (Option<i64>, usize) {
    let sign = if bytes[at] == b'-' { -1 } else { 1 };
    let hours = number(bytes, at + 1, 2).unwrap_or(0);
    let mut end = at + 3;
    let mut minutes = 0;
    if colon && bytes.get(end) == Some(&b':') {
        if let Some(value) = number(bytes, end + 1, 2) {
            minutes = value;
            end += 3;
        }
    } else if let Some(value) = number(bytes, end, 2) {
        minutes = value;
        end += 2;
    }
    let offset = (hours <= 23 && minutes <= 59)
        .then(|| sign * (i64::from(hours) * HOUR + i64::from(minutes) * MINUTE));
    (offset, end)
}
