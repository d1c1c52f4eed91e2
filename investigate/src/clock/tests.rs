//! Reading the timestamps of real-looking log lines.

use super::civil::{days_from_civil, into_reference_year, DAY, HOUR, MINUTE, SECOND};
use super::*;

/// Unix milliseconds of a UTC date and time.
pub(super) fn utc(date: (i64, u32, u32), hour: i64, minute: i64, second: i64, milli: i64) -> i64 {
    days_from_civil(date.0, date.1, date.2) * DAY
        + hour * HOUR
        + minute * MINUTE
        + second * SECOND
        + milli
}

pub(super) fn time_of_day(hour: i64, minute: i64, second: i64) -> i64 {
    hour * HOUR + minute * MINUTE + second * SECOND
}

/// The stamp's kind and milliseconds, and its text.
fn read(line: &str) -> Option<(StampKind, i64, &str)> {
    read_stamp(line).map(|stamp| (stamp.kind, stamp.ms, &line[stamp.span]))
}

pub(super) const FEB_10: (i64, u32, u32) = (2024, 2, 10);

#[test]
fn java_logback() {
    let line = "2024-02-10 11:00:15.123 ERROR [main] c.e.PaymentService - connection timeout";
    assert_eq!(
        read(line),
        Some((
            StampKind::Absolute,
            1_707_562_815_123,
            "2024-02-10 11:00:15.123"
        ))
    );
}

#[test]
fn go_log() {
    let line = "2024/02/10 11:00:15 http: TLS handshake error from 10.0.0.1:5555: EOF";
    assert_eq!(
        read(line),
        Some((
            StampKind::Absolute,
            1_707_562_815_000,
            "2024/02/10 11:00:15"
        ))
    );
}

#[test]
fn python_logging() {
    let line = "2024-02-10 11:00:15,123 - payments - ERROR - timeout";
    assert_eq!(
        read(line),
        Some((
            StampKind::Absolute,
            1_707_562_815_123,
            "2024-02-10 11:00:15,123"
        ))
    );
}

#[test]
fn rfc3339_variants() {
    let cases = [
        ("2024-02-10T11:00:15.123Z boom", utc(FEB_10, 11, 0, 15, 123)),
        ("2024-02-10T11:00:15Z", utc(FEB_10, 11, 0, 15, 0)),
        ("2024-02-10T11:00:15+02:00 boom", utc(FEB_10, 9, 0, 15, 0)),
        ("2024-02-10T11:00:15-0530 boom", utc(FEB_10, 16, 30, 15, 0)),
        ("2024-02-10T11:00:15+02 boom", utc(FEB_10, 9, 0, 15, 0)),
        ("2024-02-10 11:00:15 +0100 boom", utc(FEB_10, 10, 0, 15, 0)),
        (
            "2024-02-10 11:00:15.001 UTC [42] FATAL",
            utc(FEB_10, 11, 0, 15, 1),
        ),
        (
            "2024-02-10T11:00:15.123456789Z",
            utc(FEB_10, 11, 0, 15, 123),
        ),
        ("2024-02-10t11:00z", utc(FEB_10, 11, 0, 0, 0)),
        (
            "[2024-02-10 11:00:15] worker started",
            utc(FEB_10, 11, 0, 15, 0),
        ),
        (
            "2024-02-29T00:00:00Z leap day",
            utc((2024, 2, 29), 0, 0, 0, 0),
        ),
        (
            "2016-12-31T23:59:60Z leap second",
            utc((2017, 1, 1), 0, 0, 0, 0),
        ),
    ];
    for (line, ms) in cases {
        let stamp = read_stamp(line).unwrap_or_else(|| panic!("no stamp in {line:?}"));
        assert_eq!((stamp.kind, stamp.ms), (StampKind::Absolute, ms), "{line}");
    }
}

#[test]
fn the_span_covers_the_offset_and_any_brackets() {
    let line = "[2024-02-10 11:00:15] worker started";
    assert_eq!(read_stamp(line).map(|s| s.span), Some(0..21));
    let line = "at 2024-02-10T11:00:15+02:00: worker started";
    assert_eq!(
        read(line).map(|(_, _, text)| text),
        Some("2024-02-10T11:00:15+02:00")
    );
}

#[test]
fn json_logs() {
    let line = r#"{"time":"2024-02-10T11:00:15.5Z","level":"error","msg":"timeout"}"#;
    assert_eq!(
        read(line),
        Some((
            StampKind::Absolute,
            utc(FEB_10, 11, 0, 15, 500),
            "2024-02-10T11:00:15.5Z"
        ))
    );
    let line = r#"{"ts":1707562815,"level":"error"}"#;
    assert_eq!(
        read(line),
        Some((StampKind::Absolute, 1_707_562_815_000, "1707562815"))
    );
    let line = r#"{"ts":1707562815.123,"level":"error"}"#;
    assert_eq!(
        read(line),
        Some((StampKind::Absolute, 1_707_562_815_123, "1707562815.123"))
    );
    let line = r#"{"level":"warn", "ts": 1707562815123, "msg":"slow"}"#;
    assert_eq!(
        read(line),
        Some((StampKind::Absolute, 1_707_562_815_123, "1707562815123"))
    );
}

#[test]
fn epochs_stand_alone() {
    assert_eq!(
        read("1707562815 payment failed").map(|s| s.1),
        Some(1_707_562_815_000)
    );
    assert_eq!(
        read("ts=1707562815123 level=error").map(|s| s.1),
        Some(1_707_562_815_123)
    );
    for line in [
        "order 17075628151 failed",
        "order-1707562815 failed",
        "id v1707562815",
        "trace 1707562815abc",
        "phone 0707562815",
        "host:1707562815 down",
        "1.1707562815",
        "170756281",
    ] {
        assert_eq!(read_stamp(line), None, "{line}");
    }
}

#[test]
fn nginx_access_log() {
    let line =
        r#"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326"#;
    let stamp = read_stamp(line).expect("a stamp");
    assert_eq!(stamp.kind, StampKind::Absolute);
    assert_eq!(stamp.ms, 971_211_336_000);
    assert_eq!(&line[stamp.span], "[10/Oct/2000:13:55:36 -0700]");
}

#[test]
fn syslog_has_no_year() {
    let line = "Mar 15 09:32:15 db-1 postgres[4242]: FATAL: too many connections";
    assert_eq!(
        read(line),
        Some((
            StampKind::NoYear,
            into_reference_year(3, 15, time_of_day(9, 32, 15)),
            "Mar 15 09:32:15"
        ))
    );
    let line = "Mar  5 09:32:15 web-1 kernel: Out of memory";
    assert_eq!(
        read(line),
        Some((
            StampKind::NoYear,
            into_reference_year(3, 5, time_of_day(9, 32, 15)),
            "Mar  5 09:32:15"
        ))
    );
    assert_eq!(
        read("Feb 29 00:00:00 h x").map(|s| s.0),
        Some(StampKind::NoYear)
    );
}

#[test]
fn ctime_has_a_year() {
    let line = "Sat Mar  5 09:32:15 2024 worker exited";
    assert_eq!(
        read(line),
        Some((
            StampKind::Absolute,
            utc((2024, 3, 5), 9, 32, 15, 0),
            "Mar  5 09:32:15 2024"
        ))
    );
}

#[test]
fn the_seed_style_and_other_times_of_day() {
    let line = "[ERROR] 09:32:15 - PaymentService: connection timeout to stripe";
    assert_eq!(
        read(line),
        Some((StampKind::TimeOfDay, time_of_day(9, 32, 15), "09:32:15"))
    );
    assert_eq!(
        read("09:32:15.123 boom").map(|s| s.1),
        Some(time_of_day(9, 32, 15) + 123)
    );
    assert_eq!(read("[09:32:15] boom").map(|s| s.2), Some("[09:32:15]"));
    assert_eq!(
        read("09:32 - deploy").map(|s| s.1),
        Some(time_of_day(9, 32, 0))
    );
    assert_eq!(read("[09:32] deploy").map(|s| s.2), Some("[09:32]"));
    assert_eq!(
        read("rollback at 23:05").map(|s| s.1),
        Some(time_of_day(23, 5, 0))
    );
    assert_eq!(
        read("09:32:15 PM boom").map(|s| s.1),
        Some(time_of_day(21, 32, 15))
    );
    assert_eq!(
        read("12:10:00 am boom").map(|s| s.1),
        Some(time_of_day(0, 10, 0))
    );
    assert_eq!(
        read("I0210 11:00:15.123456 1 main.go:42] ok").map(|s| s.2),
        Some("11:00:15.123456")
    );
}

#[test]
fn only_abbreviated_months_are_syslog() {
    assert_eq!(
        read("March 15 09:32:15 x").map(|s| s.0),
        Some(StampKind::TimeOfDay)
    );
    assert_eq!(
        read("Marc 15 09:32:15 x").map(|s| s.0),
        Some(StampKind::TimeOfDay)
    );
    assert_eq!(
        read("at 09:32:15: worker stopped").map(|s| s.2),
        Some("09:32:15")
    );
}

#[test]
fn relative_times() {
    let cases = [
        ("T+05:30 paged the on-call", 5 * MINUTE + 30 * SECOND),
        ("T+1:05:30 rolled back", HOUR + 5 * MINUTE + 30 * SECOND),
        ("T+5m first alert", 5 * MINUTE),
        ("T+1h30m resolved", 90 * MINUTE),
        ("T+250ms", 250),
        ("T+0 deploy", 0),
        ("T-90s config pushed", -90 * SECOND),
        ("(T+02:00) error rate up", 2 * MINUTE),
    ];
    for (line, ms) in cases {
        let stamp = read_stamp(line).unwrap_or_else(|| panic!("no stamp in {line:?}"));
        assert_eq!((stamp.kind, stamp.ms), (StampKind::Relative, ms), "{line}");
    }
    assert_eq!(read_stamp("AT+05:30"), None);
    assert_eq!(read_stamp("T+5min"), None);
}

#[test]
fn lines_without_a_time() {
    for line in [
        "",
        "connection refused",
        "   ",
        "ERROR something broke",
        "Caused by: java.io.IOException",
    ] {
        assert_eq!(read_stamp(line), None, "{line:?}");
    }
}

#[test]
fn things_that_are_not_times() {
    for line in [
        "upgraded to v2.4.2 today",
        "connect to 10.0.0.1:8080 refused",
        "connect to 10.0.0.10:22 refused",
        "ratio 3:1",
        "port 5432",
        "request 123e4567-e89b-12d3-a456-426614174000 failed",
        "trace 550e8400-e29b-41d4-a716-446655440000",
        "build 20240210",
        "mac aa:bb:cc:12:34:56",
        "10:30:00:00 timecode",
        "range 10:30-11:00",
        "a.b:12:30:00",
        "version 12:30.1",
        "ipv6 fe80::12:34",
        "may 15 09:32:15x",
        "sum 09:32:15abc",
    ] {
        assert_eq!(read_stamp(line), None, "{line}");
    }
}

#[test]
fn impossible_dates_and_times_are_not_read() {
    for line in [
        "2024-13-10 11:00:15 boom",
        "2024-02-30T10:00:00Z boom",
        "2023-02-29T10:00:00Z boom",
        "2024-02-10 24:00:00 boom",
        "2024-02-10 11:60:00 boom",
        "2024-02-10T11:00:00+25:00 boom",
        "32/Oct/2000:13:55:36 -0700",
        "Feb 30 10:00:00 host boom",
        "Apr 31 10:00:00 host boom",
        "at 24:00:00",
        "at 12:61",
        "T+05:75",
    ] {
        assert_eq!(read_stamp(line), None, "{line}");
    }
}

#[test]
fn the_first_stamp_wins() {
    let line = "09:32:15 retry scheduled for 2024-02-10T11:00:00Z";
    assert_eq!(read(line).map(|s| s.0), Some(StampKind::TimeOfDay));
    let line = "2024-13-01 11:00:15 bad date, then 09:00:00";
    assert_eq!(read(line).map(|s| s.2), Some("09:00:00"));
}
