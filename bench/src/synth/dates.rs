//! Civil dates and timestamps of the generated incidents, in the
//! formats logs and alerts print them.

use super::*;

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub(super) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count.
pub(super) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

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
