//! Civil dates and timestamps of the generated incidents, in the
//! formats logs and alerts print them.

use super::*;

pub(super) use kb_domain::calendar::{civil_from_days, days_from_civil};

pub(super) fn date_of(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

pub(super) fn hms(secs: i64) -> (i64, i64, i64) {
    let s = secs.rem_euclid(86_400);
    (s / 3600, (s / 60) % 60, s % 60)
}

/// `YYYY-MM-DDTHH:MM:SSZ`
pub(super) fn iso(secs: i64) -> String {
    let (h, mi, s) = hms(secs);
    format!("{}T{h:02}:{mi:02}:{s:02}Z", date_of(secs))
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`
pub(super) fn iso_ms(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (h, mi, s) = hms(secs);
    format!(
        "{}T{h:02}:{mi:02}:{s:02}.{:03}Z",
        date_of(secs),
        ms.rem_euclid(1000)
    )
}

/// `Mar 14 09:32:15`
pub(super) fn syslog_time(secs: i64) -> String {
    let (_, m, d) = civil_from_days(secs.div_euclid(86_400));
    let (h, mi, s) = hms(secs);
    format!(
        "{} {d:2} {h:02}:{mi:02}:{s:02}",
        vocab().months[(m - 1) as usize]
    )
}

pub(super) fn first_day() -> i64 {
    days_from_civil(2019, 1, 1)
}

pub(super) fn last_day() -> i64 {
    days_from_civil(2026, 11, 20)
}
