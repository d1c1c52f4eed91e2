//! Reading real-looking log lines of many shapes.

use super::*;

/// The one line of a paste, read.
fn one(line: &str) -> LogLine {
    let mut lines = read_lines(line);
    assert_eq!(lines.len(), 1, "{line}");
    lines.remove(0)
}

/// Level, component and message of a line.
fn parts(line: &str) -> (Option<Level>, Option<String>, String) {
    let read = one(line);
    (read.level, read.component, read.message)
}

fn expect(
    level: Option<Level>,
    component: Option<&str>,
    message: &str,
) -> (Option<Level>, Option<String>, String) {
    (level, component.map(str::to_string), message.to_string())
}

#[test]
fn the_seed_style() {
    let line = one("[ERROR] 09:32:15 - PaymentService: connection timeout to stripe");
    assert_eq!(line.number, 1);
    assert_eq!(line.at, Some((9 * 3600 + 32 * 60 + 15) * 1000));
    assert_eq!(line.level, Some(Level::Error));
    assert_eq!(line.component.as_deref(), Some("PaymentService"));
    assert_eq!(line.message, "connection timeout to stripe");
    assert_eq!(line.signature, "connection timeout to stripe");
}

#[test]
fn java_logback_and_spring_boot() {
    assert_eq!(
        parts("2024-02-10 11:00:15.123 ERROR [main] c.e.PaymentService - connection timeout"),
        expect(
            Some(Level::Error),
            Some("PaymentService"),
            "connection timeout"
        )
    );
    assert_eq!(
        parts("2024-02-10 11:00:15.123  WARN 12345 --- [nio-8080-exec-1] com.example.web.OrderController : slow request 2300ms"),
        expect(Some(Level::Warn), Some("OrderController"), "slow request 2300ms")
    );
    assert_eq!(
        parts("2024-02-10T11:00:15.123Z ERROR java.lang.NullPointerException: null"),
        expect(
            Some(Level::Error),
            None,
            "java.lang.NullPointerException: null"
        )
    );
}

#[test]
fn go_log_has_no_level_and_a_plain_prefix_is_no_component() {
    let line = one("2024/02/10 11:00:15 http: TLS handshake error from 10.0.0.1:5555: EOF");
    assert_eq!(line.at, Some(1_707_562_815_000));
    assert_eq!((line.level, line.component), (None, None));
    assert_eq!(
        line.message,
        "http: TLS handshake error from 10.0.0.1:5555: EOF"
    );
    assert_eq!(line.signature, "http: TLS handshake error from …: EOF");
}

#[test]
fn python_logging() {
    let line = one("2024-02-10 11:00:15,123 - payments - ERROR - timeout");
    assert_eq!(line.at, Some(1_707_562_815_123));
    assert_eq!(
        (line.level, line.component.as_deref(), line.message.as_str()),
        (Some(Level::Error), Some("payments"), "timeout")
    );
    assert_eq!(
        parts("2024-02-10 11:00:15,123 - app.payments - WARNING - retry 2 of 3"),
        expect(Some(Level::Warn), Some("app.payments"), "retry 2 of 3")
    );
    // Without a level after it, a word before a dash is the message.
    assert_eq!(
        parts("09:32:15 timeout - retrying"),
        expect(None, None, "timeout - retrying")
    );
}

#[test]
fn syslog() {
    let line = one("Mar 15 09:32:15 db-1 postgres[4242]: FATAL: too many connections");
    assert_eq!(
        (line.level, line.component.as_deref(), line.message.as_str()),
        (Some(Level::Error), Some("postgres"), "too many connections")
    );
    assert!(line.at.is_some());
    assert_eq!(
        parts("Mar  5 09:32:15 web-1 kernel: Out of memory: Killed process 1234 (java)"),
        expect(
            None,
            Some("kernel"),
            "Out of memory: Killed process 1234 (java)"
        )
    );
    assert_eq!(
        parts(
            "<13>Mar  5 09:32:15 web-1 sshd[77]: error: maximum authentication attempts exceeded"
        ),
        expect(
            Some(Level::Error),
            Some("sshd"),
            "maximum authentication attempts exceeded"
        )
    );
}

#[test]
fn nginx_access_log_keeps_its_request() {
    let line = one(
        r#"10.0.0.7 - - [10/Oct/2000:13:55:36 -0700] "GET /checkout HTTP/1.1" 502 157 "-" "curl/8.4.0""#,
    );
    assert_eq!(line.at, Some(971_211_336_000));
    assert_eq!((line.level, line.component), (None, None));
    assert_eq!(
        line.message,
        r#"10.0.0.7 - - "GET /checkout HTTP/1.1" 502 157 "-" "curl/8.4.0""#
    );
    // `curl/8.4.0` is a name by the signature rule: three digits, more letters.
    assert_eq!(
        line.signature,
        r#"… - - "GET /checkout HTTP/1.1" 502 157 "-" "curl/8.4.0""#
    );
}

#[test]
fn json_lines() {
    let line = one(
        r#"{"time":"2024-02-10T11:00:15Z","level":"error","msg":"payment declined","service":"payments-api"}"#,
    );
    assert_eq!(line.at, Some(1_707_562_815_000));
    assert_eq!(
        (line.level, line.component.as_deref(), line.message.as_str()),
        (Some(Level::Error), Some("payments-api"), "payment declined")
    );
    let line = one(
        r#"{"level":50,"ts":1707562815.123,"logger":"com.example.Checkout","message":"cart 991 lost"}"#,
    );
    assert_eq!(line.at, Some(1_707_562_815_123));
    assert_eq!(
        (
            line.level,
            line.component.as_deref(),
            line.signature.as_str()
        ),
        (Some(Level::Error), Some("Checkout"), "cart 991 lost")
    );
    assert_eq!(
        parts(
            r#"{"@timestamp":"2024-02-10T11:00:15Z","log":{"level":"WARN"},"error":{"message":"disk 91% full"}}"#
        ),
        expect(Some(Level::Warn), None, "disk 91% full")
    );
    // A message field that is no string is not the message.
    let line = r#"{"level":"info","error":true,"note":"retry at 11:00:20"}"#;
    assert_eq!(parts(line), expect(Some(Level::Info), None, line));
}

#[test]
fn logfmt_lines() {
    let line = one(
        r#"time=2024-02-10T11:00:15Z level=ERROR msg="upstream \"stripe\" timed out" component=gateway"#,
    );
    assert_eq!(line.at, Some(1_707_562_815_000));
    assert_eq!(
        (line.level, line.component.as_deref(), line.message.as_str()),
        (
            Some(Level::Error),
            Some("gateway"),
            r#"upstream "stripe" timed out"#
        )
    );
    // Text with a level field in it is still text.
    assert_eq!(
        parts("09:32:15 worker stopped level=warn code=7"),
        expect(Some(Level::Warn), None, "worker stopped level=warn code=7")
    );
}

#[test]
fn levels_are_whole_decorated_tokens() {
    assert_eq!(parts("ERROR something broke").0, Some(Level::Error));
    assert_eq!(parts("error: something broke").0, Some(Level::Error));
    assert_eq!(parts("<warn> queue deep").0, Some(Level::Warn));
    assert_eq!(parts("[notice] reloaded").0, Some(Level::Info));
    assert_eq!(parts("10:00:01 TRACE enter").0, Some(Level::Debug));
    assert_eq!(
        parts("E0210 11:00:15.123456    1 main.go:42] dial tcp: refused"),
        expect(Some(Level::Error), None, "dial tcp: refused")
    );
    // A level word inside the message is part of it.
    assert_eq!(
        parts("no error found"),
        expect(None, None, "no error found")
    );
    assert_eq!(
        parts("error budget burned"),
        expect(None, None, "error budget burned")
    );
    assert_eq!(parts("errors: 3").0, None);
}

#[test]
fn a_time_later_in_the_line_stays_in_the_message() {
    let line = one("retry scheduled at 09:32:15 for job 7");
    assert_eq!(line.at, Some((9 * 3600 + 32 * 60 + 15) * 1000));
    assert_eq!(line.message, "retry scheduled at 09:32:15 for job 7");
    assert_eq!(line.signature, "retry scheduled at … for job 7");
}

#[test]
fn blank_lines_are_skipped_but_counted() {
    let lines = read_lines("\n  \nfirst\r\n\n\tsecond\n");
    let numbered: Vec<(usize, &str)> = lines
        .iter()
        .map(|l| (l.number, l.message.as_str()))
        .collect();
    assert_eq!(numbered, [(3, "first"), (5, "second")]);
    assert!(read_lines("").is_empty());
}

#[test]
fn times_are_placed_across_lines() {
    let lines = read_lines("2024-02-10T23:59:58Z start\n00:00:03 next\nno time\n");
    let day = 86_400_000;
    let start = 1_707_609_598_000;
    assert_eq!(lines[0].at, Some(start));
    assert_eq!(lines[1].at, Some(start + 5_000));
    assert_eq!(lines[2].at, None);
    assert_eq!(start % day, (23 * 3600 + 59 * 60 + 58) * 1000);
}

#[test]
fn control_characters_are_spaces() {
    let line = one("\u{1b}[31mERROR\u{1b}[0m disk\u{0}full\u{7f}now");
    assert_eq!(line.level, Some(Level::Error));
    assert_eq!(line.message, "disk full now");
    assert!(!line.message.contains(char::is_control));
    let line = one("a\tb");
    assert_eq!(line.message, "a\tb");
}

#[test]
fn huge_and_odd_pastes_stay_cheap_and_safe() {
    let long = format!("ERROR {}", "é".repeat(1_000_000));
    let line = one(&long);
    assert!(line.message.len() <= MAX_LINE_BYTES);
    assert!(line.signature.chars().count() <= crate::MAX_SIGNATURE_CHARS);

    let many = "ERROR x\n".repeat(MAX_LINES + 500);
    let lines = read_lines(&many);
    assert_eq!(lines.len(), MAX_LINES);
    assert_eq!(lines.last().map(|l| l.number), Some(MAX_LINES));

    let binary =
        String::from_utf8_lossy(&[0xff, 0xfe, 0x00, 0x01, b'\n', 0x9f, 0x92, 0x96]).into_owned();
    for line in read_lines(&binary) {
        assert!(!line.message.contains(char::is_control));
    }
    for text in [
        "{",
        "{\"level\":",
        "level=",
        "key=\"unclosed",
        "[",
        "T+",
        "Mar",
        "2024-02-10T",
    ] {
        let _ = read_lines(text);
    }
}

#[test]
fn cutting_respects_char_boundaries() {
    assert_eq!(cut_at_boundary("aé", 2), "a");
    assert_eq!(cut_at_boundary("abc", 10), "abc");
    assert_eq!(cut_at_boundary("", 0), "");
}

#[test]
fn logger_names_shorten_only_java_style() {
    assert_eq!(logger_name("c.e.PaymentService"), "PaymentService");
    assert_eq!(
        logger_name("com.example.web.OrderController"),
        "OrderController"
    );
    assert_eq!(logger_name("app.payments"), "app.payments");
    assert_eq!(logger_name("PaymentService"), "PaymentService");
    assert_eq!(logger_name("api.example.Com"), "Com");
}

#[test]
fn lines_serialise() {
    let line = one("[WARN] 09:32:15 - PaymentService: slow");
    let json = serde_json::to_value(&line).ok();
    assert_eq!(
        json.as_ref().and_then(|j| j["level"].as_str()),
        Some("warn")
    );
    let back: Option<LogLine> = json.and_then(|j| serde_json::from_value(j).ok());
    assert_eq!(back, Some(line));
}

#[test]
fn postgres_rust_and_container_prefixes() {
    assert_eq!(
        parts("2024-02-10 11:00:21.001 UTC [4242] FATAL:  remaining connection slots are reserved"),
        expect(
            Some(Level::Error),
            None,
            "remaining connection slots are reserved"
        )
    );
    assert_eq!(
        parts("2024-02-10T11:00:15.123Z ERROR payments::stripe: connection timeout"),
        expect(
            Some(Level::Error),
            Some("payments::stripe"),
            "connection timeout"
        )
    );
    let line =
        one(r#"2024-02-10T11:00:15.5Z stderr F {"level":"error","msg":"boom","app":"cart"}"#);
    assert_eq!(line.at, Some(1_707_562_815_500));
    assert_eq!(
        (line.level, line.component.as_deref(), line.message.as_str()),
        (Some(Level::Error), Some("cart"), "boom")
    );
    // JSON after text that names no level or message is part of the text.
    assert_eq!(
        parts(r#"INFO payload {"a":1}"#),
        expect(Some(Level::Info), None, r#"payload {"a":1}"#)
    );
}

#[test]
fn a_paste_is_read_up_to_its_byte_cap_in_whole_lines() {
    let line = format!("2024-01-15T09:32:15Z ERROR web {}\n", "x".repeat(1_000));
    let text = line.repeat(MAX_READ_BYTES / line.len() + 100);
    let lines = read_lines(&text);
    assert_eq!(lines.len(), MAX_READ_BYTES / line.len());
    assert!(lines.iter().all(|l| l.message.len() > 1_000));
}
