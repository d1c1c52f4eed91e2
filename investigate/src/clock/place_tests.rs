//! Placing the stamps of consecutive lines on one axis: dates carried
//! forward and backward, midnight and new year crossed, relative times kept
//! apart.

use super::civil::{DAY, MINUTE, SECOND};
use super::tests::{time_of_day, utc, FEB_10};
use super::*;

fn stamps(lines: &[&str]) -> Vec<Option<Stamp>> {
    lines.iter().map(|line| read_stamp(line)).collect()
}

#[test]
fn absolute_stamps_stay_and_mixed_zones_order() {
    let placed = place_times(&stamps(&[
        "2024-02-10T11:00:15+02:00 a",
        "2024-02-10T10:00:00Z b",
        "no time here",
    ]));
    assert_eq!(
        placed,
        [
            Some(utc(FEB_10, 9, 0, 15, 0)),
            Some(utc(FEB_10, 10, 0, 0, 0)),
            None
        ]
    );
    assert!(placed[0] < placed[1]);
}

#[test]
fn times_of_day_take_the_date_before_them() {
    let placed = place_times(&stamps(&[
        "2024-02-10T11:00:15Z start",
        "11:05:00 next",
        "11:04:00 late line",
    ]));
    assert_eq!(
        placed,
        [
            Some(utc(FEB_10, 11, 0, 15, 0)),
            Some(utc(FEB_10, 11, 5, 0, 0)),
            Some(utc(FEB_10, 11, 4, 0, 0))
        ]
    );
}

#[test]
fn times_of_day_cross_midnight() {
    let placed = place_times(&stamps(&[
        "23:59:58 a",
        "no time",
        "00:00:03 b",
        "00:00:04 c",
    ]));
    assert_eq!(placed[0], Some(time_of_day(23, 59, 58)));
    assert_eq!(placed[1], None);
    assert_eq!(
        placed[2].zip(placed[0]).map(|(b, a)| b - a),
        Some(5 * SECOND)
    );
    assert_eq!(placed[3], Some(DAY + 4 * SECOND));

    let placed = place_times(&stamps(&["2024-02-10T23:59:58Z a", "00:00:03 b"]));
    assert_eq!(placed[1], Some(utc((2024, 2, 11), 0, 0, 3, 0)));
}

#[test]
fn times_of_day_before_the_first_date_are_placed_backwards() {
    let placed = place_times(&stamps(&[
        "23:59:58 a",
        "00:00:01 b",
        "2024-02-11T00:00:05Z c",
        "00:00:06 d",
    ]));
    assert_eq!(
        placed,
        [
            Some(utc(FEB_10, 23, 59, 58, 0)),
            Some(utc((2024, 2, 11), 0, 0, 1, 0)),
            Some(utc((2024, 2, 11), 0, 0, 5, 0)),
            Some(utc((2024, 2, 11), 0, 0, 6, 0)),
        ]
    );
}

#[test]
fn syslog_dates_take_a_year() {
    let placed = place_times(&stamps(&[
        "Dec 31 23:59:59 h a: x",
        "2024-12-31T23:59:59.5Z b",
        "Dec 31 23:59:59 h a: y",
        "Jan  1 00:00:01 h a: z",
        "00:00:02 w",
    ]));
    assert_eq!(
        placed,
        [
            Some(utc((2024, 12, 31), 23, 59, 59, 0)),
            Some(utc((2024, 12, 31), 23, 59, 59, 500)),
            Some(utc((2024, 12, 31), 23, 59, 59, 0)),
            Some(utc((2025, 1, 1), 0, 0, 1, 0)),
            Some(utc((2025, 1, 1), 0, 0, 2, 0)),
        ]
    );
    let placed = place_times(&stamps(&["Mar 15 09:32:15 h a: x"]));
    assert_eq!(placed, [Some(utc((1970, 3, 15), 9, 32, 15, 0))]);
}

#[test]
fn relative_times_are_their_own_axis() {
    let placed = place_times(&stamps(&["T+0 deploy", "T+05:00 alert", "note"]));
    assert_eq!(placed, [Some(0), Some(5 * MINUTE), None]);
    let placed = place_times(&stamps(&["T+0 deploy", "2024-02-10T11:00:00Z alert"]));
    assert_eq!(placed, [None, Some(utc(FEB_10, 11, 0, 0, 0))]);
}

#[test]
fn nothing_in_nothing_out() {
    assert!(place_times(&[]).is_empty());
    assert_eq!(place_times(&[None, None]), [None, None]);
}
