//! Times of a postmortem's clock and timeline: parsing and normalizing UTC
//! timestamps, times relative to the start (`T+5m`), and the timeline's order.

use super::TimelineEntry;
use crate::postmortem::is_calendar_date;

/// `YYYY-MM-DD HH:MM`, `YYYY-MM-DDTHH:MM:SS`, optionally ending in `Z`
/// (all times are UTC) → `YYYY-MM-DDTHH:MM:SSZ`.
pub fn normalize_datetime(text: &str) -> Option<String> {
    let t = text.trim();
    let t = t
        .strip_suffix('Z')
        .or_else(|| t.strip_suffix('z'))
        .unwrap_or(t);
    if t.len() < 16 || !t.is_char_boundary(10) {
        return None;
    }
    let (date, rest) = t.split_at(10);
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    if !is_calendar_date(date) {
        return None;
    }
    let parts: Vec<&str> = rest.split(':').collect();
    let num = |s: &str, max: u32| -> Option<u32> {
        (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
            .filter(|v| *v <= max)
    };
    let (h, m, s) = match parts.as_slice() {
        [h, m] => (num(h, 23)?, num(m, 59)?, 0),
        [h, m, s] => (num(h, 23)?, num(m, 59)?, num(s, 59)?),
        _ => return None,
    };
    Some(format!("{date}T{h:02}:{m:02}:{s:02}Z"))
}

/// Seconds since 1970 of a normalized (or any accepted) date-time.
pub fn epoch_seconds(text: &str) -> Option<i64> {
    let n = normalize_datetime(text)?;
    let y: i64 = n[0..4].parse().ok()?;
    let mo: i64 = n[5..7].parse().ok()?;
    let d: i64 = n[8..10].parse().ok()?;
    let h: i64 = n[11..13].parse().ok()?;
    let mi: i64 = n[14..16].parse().ok()?;
    let s: i64 = n[17..19].parse().ok()?;
    let days = crate::calendar::days_from_civil(y, mo, d);
    Some(days * 86_400 + h * 3_600 + mi * 60 + s)
}

/// `T+mm:ss`, `T+hh:mm:ss` or `T-mm:ss` → signed seconds from the start.
pub fn relative_seconds(text: &str) -> Option<i64> {
    let t = text.trim();
    let rest = t.strip_prefix(['T', 't'])?;
    let (sign, rest) = match rest.as_bytes().first()? {
        b'+' => (1, &rest[1..]),
        b'-' => (-1, &rest[1..]),
        _ => return None,
    };
    let parts: Vec<&str> = rest.split(':').collect();
    let num = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let secs = match parts.as_slice() {
        [m, s] => {
            let s = num(s).filter(|s| *s < 60)?;
            num(m)? * 60 + s
        }
        [h, m, s] => {
            let m = num(m).filter(|m| *m < 60)?;
            let s = num(s).filter(|s| *s < 60)?;
            num(h)? * 3_600 + m * 60 + s
        }
        _ => return None,
    };
    Some(sign * secs)
}

/// Signed seconds → `T+mm:ss` (or `T+h:mm:ss` past an hour).
pub fn format_relative(seconds: i64) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    if s >= 3_600 {
        format!("T{sign}{}:{:02}:{:02}", s / 3_600, (s / 60) % 60, s % 60)
    } else {
        format!("T{sign}{:02}:{:02}", s / 60, s % 60)
    }
}

/// Orders entries by when they happened. Relative entries are placed from
/// the start time when there is one; without it they come first, in their
/// own order. Entries with unreadable times keep their place at the end.
pub fn sort_timeline(entries: &mut [TimelineEntry], started_at: Option<&str>) {
    let start = started_at.and_then(epoch_seconds);
    let key = |e: &TimelineEntry| -> (u8, i64) {
        match (relative_seconds(&e.at), epoch_seconds(&e.at), start) {
            (Some(off), _, Some(st)) => (1, st + off),
            (Some(off), _, None) => (0, off),
            (None, Some(abs), _) => (1, abs),
            (None, None, _) => (2, 0),
        }
    };
    entries.sort_by_key(key);
}
