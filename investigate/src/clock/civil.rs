//! Calendar arithmetic on top of `kb_domain::calendar`: milliseconds,
//! the reference year of syslog stamps, and the checks that turn away
//! dates and times that do not exist.

use kb_domain::calendar;

/// Milliseconds in a second, minute, hour and day.
pub(crate) const SECOND: i64 = 1_000;
pub(crate) const MINUTE: i64 = 60 * SECOND;
pub(crate) const HOUR: i64 = 60 * MINUTE;
pub(crate) const DAY: i64 = 24 * HOUR;

/// The year a syslog stamp's month and day are counted in: a leap year, so
/// that 29 February, which syslog writes in leap years, is kept.
pub(crate) const REFERENCE_YEAR: i64 = 2000;

/// Days from 1970-01-01 to the given date ([`kb_domain::calendar`], the
/// one place dates are counted). A day past the end of its month runs on
/// into the next one, which [`in_year`] relies on for 29 February.
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    calendar::days_from_civil(year, i64::from(month), i64::from(day))
}

/// The date `days` after 1970-01-01, as (year, month, day).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let (year, month, day) = calendar::civil_from_days(days);
    // Both are small by construction (1..=12 and 1..=31).
    (year, month as u32, day as u32)
}

pub(crate) fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub(crate) fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Whether the date exists: month 1 to 12, day within its month.
pub(crate) fn valid_date(year: i64, month: u32, day: u32) -> bool {
    (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)
}

/// The month of an English three-letter abbreviation, as syslog and access
/// logs write it (`Mar` or `MAR`; `mar` is more likely a word).
pub(crate) fn month_from_abbrev(text: &[u8]) -> Option<u32> {
    const MONTHS: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    let [first, second, third] = *text.get(..3)? else {
        return None;
    };
    let capitalised = first.is_ascii_uppercase()
        && ((second.is_ascii_lowercase() && third.is_ascii_lowercase())
            || (second.is_ascii_uppercase() && third.is_ascii_uppercase()));
    if !capitalised {
        return None;
    }
    let lower = [
        first.to_ascii_lowercase(),
        second.to_ascii_lowercase(),
        third.to_ascii_lowercase(),
    ];
    let index = MONTHS.iter().position(|month| **month == lower)?;
    u32::try_from(index + 1).ok()
}

/// Milliseconds since the start of [`REFERENCE_YEAR`] for a month, day and
/// time of day: how a syslog stamp without a year is held.
pub(crate) fn into_reference_year(month: u32, day: u32, time_ms: i64) -> i64 {
    let days = days_from_civil(REFERENCE_YEAR, month, day) - days_from_civil(REFERENCE_YEAR, 1, 1);
    days * DAY + time_ms
}

/// A value from [`into_reference_year`] as an instant in `year` (Unix
/// milliseconds). 29 February in a common year becomes 1 March.
pub(crate) fn in_year(year: i64, reference_ms: i64) -> i64 {
    let start = days_from_civil(REFERENCE_YEAR, 1, 1);
    let (_, month, day) = civil_from_days(start + reference_ms.div_euclid(DAY));
    days_from_civil(year, month, day) * DAY + reference_ms.rem_euclid(DAY)
}

/// The UTC year of a Unix millisecond instant.
pub(crate) fn year_of(ms: i64) -> i64 {
    civil_from_days(ms.div_euclid(DAY)).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates_count_from_the_epoch() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        // 2024-02-10T11:00:15Z is 1707562815 s.
        assert_eq!(
            days_from_civil(2024, 2, 10) * 86_400 + 11 * 3600 + 15,
            1_707_562_815
        );
    }

    #[test]
    fn days_round_trip_over_four_centuries() {
        for days in (-800_000..800_000).step_by(37) {
            let (year, month, day) = civil_from_days(days);
            assert!(valid_date(year, month, day), "{year}-{month}-{day}");
            assert_eq!(days_from_civil(year, month, day), days);
        }
    }

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert!(is_leap(2024) && is_leap(2000));
        assert!(!is_leap(1900) && !is_leap(2023));
        assert!(valid_date(2024, 2, 29));
        assert!(!valid_date(2023, 2, 29));
        assert!(!valid_date(2024, 2, 30));
        assert!(!valid_date(2024, 13, 1));
        assert!(!valid_date(2024, 4, 31));
        assert!(!valid_date(2024, 1, 0));
    }

    #[test]
    fn month_abbreviations_want_a_capital() {
        assert_eq!(month_from_abbrev(b"Mar"), Some(3));
        assert_eq!(month_from_abbrev(b"DEC"), Some(12));
        assert_eq!(month_from_abbrev(b"mar"), None);
        assert_eq!(month_from_abbrev(b"MAr"), None);
        assert_eq!(month_from_abbrev(b"Foo"), None);
        assert_eq!(month_from_abbrev(b"Ma"), None);
    }

    #[test]
    fn a_day_without_a_year_is_placed_in_any_year() {
        let reference = into_reference_year(3, 15, 9 * HOUR);
        assert_eq!(
            in_year(2024, reference),
            days_from_civil(2024, 3, 15) * DAY + 9 * HOUR
        );
        assert_eq!(
            in_year(2023, reference),
            days_from_civil(2023, 3, 15) * DAY + 9 * HOUR
        );
        let leap_day = into_reference_year(2, 29, 0);
        assert_eq!(in_year(2023, leap_day), days_from_civil(2023, 3, 1) * DAY);
        assert_eq!(year_of(in_year(2019, leap_day)), 2019);
    }
}
