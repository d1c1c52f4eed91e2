//! The scanners of the stamps that start with a letter: syslog's
//! `Mar 15 09:32:15` and relative times (`T+05:30`).

use super::civil::{
    days_from_civil, days_in_month, into_reference_year, month_from_abbrev, valid_date, DAY, HOUR,
    MINUTE, REFERENCE_YEAR, SECOND,
};
use super::scan::{closes, digit_run, fraction, number, Clock, Found};
use super::{Stamp, StampKind};

/// Syslog's `Mar 15 09:32:15` and `Mar  5 09:32:15`, and with a year after
/// it (ctime, `Mar  5 09:32:15 2024`) a full date.
pub(super) fn syslog(bytes: &[u8], at: usize) -> Found {
    if at > 0 && bytes[at - 1].is_ascii_alphanumeric() {
        return Found::No;
    }
    let Some(month) = bytes.get(at..).and_then(month_from_abbrev) else {
        return Found::No;
    };
    if bytes.get(at + 3) != Some(&b' ') {
        return Found::No;
    }
    // A one-digit day is padded with a second space.
    let day_at = if bytes.get(at + 4) == Some(&b' ') {
        at + 5
    } else {
        at + 4
    };
    let day_digits = digit_run(bytes, day_at);
    if !(1..=2).contains(&day_digits) || (day_at == at + 5 && day_digits != 1) {
        return Found::No;
    }
    let day = number(bytes, day_at, day_digits).unwrap_or(0);
    let clock_at = day_at + day_digits + 1;
    if bytes.get(clock_at - 1) != Some(&b' ') {
        return Found::No;
    }
    let Some(clock) = Clock::read(bytes, clock_at).filter(|clock| clock.second.is_some()) else {
        return Found::No;
    };
    let year = (bytes.get(clock.end) == Some(&b' ') && digit_run(bytes, clock.end + 1) == 4)
        .then(|| number(bytes, clock.end + 1, 4))
        .flatten()
        .map(i64::from)
        .filter(|year| (1970..=2100).contains(year) && closes(bytes, clock.end + 5));
    let end = if year.is_some() {
        clock.end + 5
    } else {
        clock.end
    };
    if !closes(bytes, end) {
        return Found::No;
    }
    let valid = clock.valid()
        && match year {
            Some(year) => valid_date(year, month, day),
            None => day >= 1 && day <= days_in_month(REFERENCE_YEAR, month),
        };
    if !valid {
        return Found::Invalid { end };
    }
    let stamp = match year {
        Some(year) => Stamp {
            kind: StampKind::Absolute,
            ms: days_from_civil(year, month, day) * DAY + clock.ms(),
            span: at..end,
        },
        None => Stamp {
            kind: StampKind::NoYear,
            ms: into_reference_year(month, day, clock.ms()),
            span: at..end,
        },
    };
    Found::Stamp(stamp)
}

/// `T+05:30` (minutes and seconds), `T+1:05:30`, `T+5m`, `T+1h30m`,
/// `T+90s`, `T+250ms`, `T+0`, and the same after `T-`.
pub(super) fn relative(bytes: &[u8], at: usize) -> Found {
    if bytes.get(at) != Some(&b'T') || (at > 0 && bytes[at - 1].is_ascii_alphanumeric()) {
        return Found::No;
    }
    let sign = match bytes.get(at + 1) {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return Found::No,
    };
    let start = at + 2;
    let first = digit_run(bytes, start);
    if !(1..=3).contains(&first) {
        return Found::No;
    }
    let read = if bytes.get(start + first) == Some(&b':') {
        relative_clock(bytes, start, first)
    } else {
        relative_units(bytes, start)
    };
    match read {
        Some((Some(ms), end)) if closes(bytes, end) => Found::Stamp(Stamp {
            kind: StampKind::Relative,
            ms: sign * ms,
            span: at..end,
        }),
        Some((None, end)) if closes(bytes, end) => Found::Invalid { end },
        _ => Found::No,
    }
}

/// `m:ss`, `mm:ss`, `h:mm:ss` (the first field `first` digits long): the
/// milliseconds (`None` when a field is out of range) and the end.
fn relative_clock(bytes: &[u8], start: usize, first: usize) -> Option<(Option<i64>, usize)> {
    let lead = i64::from(number(bytes, start, first)?);
    let middle = i64::from(number(bytes, start + first + 1, 2)?);
    let mut end = start + first + 3;
    let (hours, minutes, seconds) = match (bytes.get(end), number(bytes, end + 1, 2)) {
        (Some(b':'), Some(last)) => {
            end += 3;
            (lead, middle, i64::from(last))
        }
        _ => (0, lead, middle),
    };
    let (milli, end) = fraction(bytes, end, b".");
    let in_range = seconds <= 59 && (hours == 0 || minutes <= 59);
    let ms = in_range.then(|| hours * HOUR + minutes * MINUTE + seconds * SECOND + milli);
    Some((ms, end))
}

/// `5m`, `1h30m`, `90s`, `250ms`, or a bare `0`.
fn relative_units(bytes: &[u8], start: usize) -> Option<(Option<i64>, usize)> {
    let mut at = start;
    let mut total = 0i64;
    loop {
        let digits = digit_run(bytes, at);
        if digits == 0 || digits > 6 {
            break;
        }
        let value = i64::from(number(bytes, at, digits)?);
        let after = at + digits;
        let (unit, len) = match (bytes.get(after), bytes.get(after + 1)) {
            (Some(b'm'), Some(b's')) => (1, 2),
            (Some(b'h'), _) => (HOUR, 1),
            (Some(b'm'), _) => (MINUTE, 1),
            (Some(b's'), _) => (SECOND, 1),
            _ if at == start && value == 0 && digits == 1 => return Some((Some(0), after)),
            _ => return None,
        };
        total += value * unit;
        at = after + len;
    }
    (at > start).then_some((Some(total), at))
}
