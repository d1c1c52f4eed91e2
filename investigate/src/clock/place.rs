//! Putting the stamps of consecutive lines on one time axis, so that a
//! time of day or a syslog date can be compared with a full timestamp.

use super::civil::{in_year, year_of, DAY};
use super::{Stamp, StampKind};

/// Half a day: how far a time of day may step back before it is read as
/// the next day.
const HALF_DAY: i64 = DAY / 2;

/// About half a year: how far a syslog date may step back before it is
/// read as the next year.
const HALF_YEAR: i64 = 183 * DAY;

/// The year given to syslog dates when nothing in the paste says which
/// year it is; 1970 keeps them on the same axis as times of day with no date.
const FALLBACK_YEAR: i64 = 1970;

/// The stamps of consecutive lines as milliseconds on one axis, line for
/// line; a line without a stamp gets `None`.
///
/// - Absolute stamps keep their Unix milliseconds.
/// - A time of day takes the (UTC) date of the nearest time placed before
///   it, and the next day when that would put it more than 12 hours before
///   that time: `23:59:58` then `00:00:03` are 5 s apart. A time of day
///   that steps forward stays on the same day, even by more than 12 hours.
/// - A syslog date takes the year of the nearest time placed before it,
///   and the next year when that would put it more than half a year before
///   that time (December, then January).
/// - Lines before the first absolute stamp are placed backwards from it by
///   the same rules mirrored, so a time of day just before
///   `2024-02-11T00:00:05Z` can fall on 10 February.
/// - With no absolute stamp at all, times of day start on day 0
///   (1970-01-01) and syslog dates in 1970.
/// - Relative stamps (`T+05:00`) are their own axis: when every stamp is
///   relative they keep their milliseconds since T+0; mixed with clock
///   times they get `None`, as nothing says where T+0 falls.
pub fn place_times(stamps: &[Option<Stamp>]) -> Vec<Option<i64>> {
    let only_relative = stamps
        .iter()
        .flatten()
        .all(|stamp| stamp.kind == StampKind::Relative);
    let mut placed: Vec<Option<i64>> = stamps
        .iter()
        .map(|stamp| match stamp {
            Some(Stamp {
                kind: StampKind::Absolute,
                ms,
                ..
            }) => Some(*ms),
            Some(Stamp {
                kind: StampKind::Relative,
                ms,
                ..
            }) if only_relative => Some(*ms),
            _ => None,
        })
        .collect();
    let first_absolute = stamps
        .iter()
        .position(|stamp| matches!(stamp, Some(s) if s.kind == StampKind::Absolute));

    let start = first_absolute.unwrap_or(0);
    let mut previous = first_absolute.and_then(|at| placed[at]);
    for (stamp, slot) in stamps[start..].iter().zip(&mut placed[start..]) {
        let Some(stamp) = stamp else { continue };
        let time = match stamp.kind {
            StampKind::Absolute => stamp.ms,
            StampKind::TimeOfDay => time_after(previous, stamp.ms),
            StampKind::NoYear => date_after(previous, stamp.ms),
            StampKind::Relative => continue,
        };
        *slot = Some(time);
        previous = Some(time);
    }

    if let Some(first) = first_absolute {
        let mut next = stamps[first].as_ref().map_or(0, |stamp| stamp.ms);
        for (stamp, slot) in stamps[..first].iter().zip(&mut placed[..first]).rev() {
            let Some(stamp) = stamp else { continue };
            let time = match stamp.kind {
                StampKind::TimeOfDay => time_before(next, stamp.ms),
                StampKind::NoYear => date_before(next, stamp.ms),
                // Before the first absolute stamp there is none, and
                // relative stamps are not on this axis.
                StampKind::Absolute | StampKind::Relative => continue,
            };
            *slot = Some(time);
            next = time;
        }
    }
    placed
}

/// A time of day placed after `previous`.
fn time_after(previous: Option<i64>, time_of_day: i64) -> i64 {
    let Some(previous) = previous else {
        return time_of_day;
    };
    let candidate = previous.div_euclid(DAY) * DAY + time_of_day;
    if candidate < previous - HALF_DAY {
        candidate + DAY
    } else {
        candidate
    }
}

/// A time of day placed before `next`.
fn time_before(next: i64, time_of_day: i64) -> i64 {
    let candidate = next.div_euclid(DAY) * DAY + time_of_day;
    if candidate > next + HALF_DAY {
        candidate - DAY
    } else {
        candidate
    }
}

/// A syslog date placed after `previous`.
fn date_after(previous: Option<i64>, reference_ms: i64) -> i64 {
    let Some(previous) = previous else {
        return in_year(FALLBACK_YEAR, reference_ms);
    };
    let year = year_of(previous);
    let candidate = in_year(year, reference_ms);
    if candidate < previous - HALF_YEAR {
        in_year(year + 1, reference_ms)
    } else {
        candidate
    }
}

/// A syslog date placed before `next`.
fn date_before(next: i64, reference_ms: i64) -> i64 {
    let year = year_of(next);
    let candidate = in_year(year, reference_ms);
    if candidate > next + HALF_YEAR {
        in_year(year - 1, reference_ms)
    } else {
        candidate
    }
}
