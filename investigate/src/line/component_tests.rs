//! Components and gists of lines in the shapes services really write:
//! `time LEVEL service fields message`, and what a line says without the
//! ids around it.

use super::*;

/// Level, component and gist of the one line of a paste.
fn said(line: &str) -> (Option<Level>, Option<String>, String) {
    let mut lines = read_lines(line);
    assert_eq!(lines.len(), 1, "{line}");
    let line = lines.remove(0);
    let gist = line.gist();
    (line.level, line.component, gist)
}

fn expect(
    level: Option<Level>,
    component: Option<&str>,
    gist: &str,
) -> (Option<Level>, Option<String>, String) {
    (level, component.map(str::to_string), gist.to_string())
}

/// Component and message of the one line of a paste.
fn component_and_message(line: &str) -> (Option<String>, String) {
    let mut lines = read_lines(line);
    assert_eq!(lines.len(), 1, "{line}");
    let line = lines.remove(0);
    (line.component, line.message)
}

fn both(component: Option<&str>, message: &str) -> (Option<String>, String) {
    (component.map(str::to_string), message.to_string())
}

#[test]
fn a_service_name_after_the_level_is_the_component() {
    let error = Some(Level::Error);
    assert_eq!(
        said("2024-01-15T09:32:15.208Z ERROR payment-service req=pay-7f21c0 processor.authorize attempt=1/4 error=\"connect timed out after 500ms\" host=api.stripe.com"),
        expect(error, Some("payment-service"), "connect timed out after 500ms")
    );
    assert_eq!(
        said("2024-01-15T09:32:18.377Z ERROR orders-db-pool  req=ord-11b4d2 acquire failed: connection pool exhausted (size=50 in_use=50 waiting=61)"),
        expect(error, Some("orders-db-pool"), "acquire failed: connection pool exhausted")
    );
    assert_eq!(
        said("2024-04-12T15:42:06.317Z WARN  checkout req=co-8e41f0 redis dial redis-main:6379: ERR max number of clients reached"),
        expect(
            Some(Level::Warn),
            Some("checkout"),
            "redis dial redis-main:6379: ERR max number of clients reached"
        )
    );
    assert_eq!(
        said("2024-02-10T11:01:45.001Z ERROR event-lib StockMovement handler ran for order=ORD-124 before parent transaction committed (tx=8812af state=in_progress)"),
        expect(
            error,
            Some("event-lib"),
            "StockMovement handler ran for order=ORD-124 before parent transaction committed"
        )
    );
    // The message keeps its fields; only the gist leaves them off.
    assert_eq!(
        component_and_message(
            "2024-01-15T09:32:18.377Z ERROR orders-db-pool  req=ord-11b4d2 acquire failed"
        ),
        both(Some("orders-db-pool"), "req=ord-11b4d2 acquire failed")
    );
    assert_eq!(
        component_and_message("ERROR PaymentClient connect timed out"),
        both(Some("PaymentClient"), "connect timed out")
    );
    assert_eq!(
        component_and_message("[ERROR] c.e.PaymentClient connect timed out"),
        both(Some("PaymentClient"), "connect timed out")
    );
    assert_eq!(
        component_and_message("ERROR payments::stripe connect timed out"),
        both(Some("payments::stripe"), "connect timed out")
    );
}

#[test]
fn a_word_of_the_message_after_the_level_is_no_component() {
    for (line, message) in [
        // Plain words: only taken with fields and then words after them.
        ("ERROR the connection was reset", "the connection was reset"),
        ("ERROR checkout failed", "checkout failed"),
        (
            "ERROR timeout host=db-1 after 500ms",
            "timeout host=db-1 after 500ms",
        ),
        (
            "ERROR failed req=pay-1 for user 7",
            "failed req=pay-1 for user 7",
        ),
        ("ERROR checkout req=co-1 user=7", "checkout req=co-1 user=7"),
        // A plain word before a colon starts the message.
        (
            "ERROR checkout: payment declined",
            "checkout: payment declined",
        ),
        (
            "ERROR http: TLS handshake error",
            "http: TLS handshake error",
        ),
        // Name-shaped words of ordinary text.
        ("ERROR read-only file system", "read-only file system"),
        (
            "ERROR re-auth failed for user 7",
            "re-auth failed for user 7",
        ),
        ("ERROR max_connections exceeded", "max_connections exceeded"),
        ("ERROR config.yaml not found", "config.yaml not found"),
        ("ERROR v1.2 rollout failed", "v1.2 rollout failed"),
        (
            "ERROR TypeError undefined is not a function",
            "TypeError undefined is not a function",
        ),
        (
            "INFO Started Application in 3.2 seconds",
            "Started Application in 3.2 seconds",
        ),
        ("ERROR WebSocket closed: 1006", "WebSocket closed: 1006"),
        // Nothing after it: the name is the message.
        ("ERROR payment-service", "payment-service"),
    ] {
        assert_eq!(component_and_message(line), both(None, message), "{line}");
    }
    // Not directly after the level: part of the message.
    assert_eq!(
        component_and_message("09:32:15 payment-service connect timed out"),
        both(None, "payment-service connect timed out")
    );
    // A name before a colon is a component, as before.
    assert_eq!(
        component_and_message("ERROR payment-service: connect timed out"),
        both(Some("payment-service"), "connect timed out")
    );
}

#[test]
fn java_logback() {
    assert_eq!(
        said("2024-01-15 09:32:15,208 ERROR [main] c.e.PaymentClient - Payment authorization failed: java.net.SocketTimeoutException: connect timed out"),
        expect(
            Some(Level::Error),
            Some("PaymentClient"),
            "Payment authorization failed: java.net.SocketTimeoutException: connect timed out"
        )
    );
    assert_eq!(
        said("2024-01-15 09:32:15,208 WARN  [http-nio-8080-exec-4] com.example.orders.OrderService - order=ORD-124 retrying reservation (attempt=2)"),
        expect(Some(Level::Warn), Some("OrderService"), "retrying reservation")
    );
}

#[test]
fn go_zap_logrus_and_slog() {
    // zap's console encoder: tabs, logger name, caller, message, fields.
    assert_eq!(
        said("2024-01-15T09:32:15.208Z\tERROR\tpayments\tstripe/client.go:88\tauthorize failed\t{\"req\": \"pay-7f21c0\", \"error\": \"dial tcp 3.18.12.63:443: i/o timeout\"}"),
        expect(
            Some(Level::Error),
            Some("payments"),
            "authorize failed: dial tcp 3.18.12.63:443: i/o timeout"
        )
    );
    assert_eq!(
        said("2024-01-15T09:32:15.208Z\tWARN\tstripe/client.go:88\tslow authorize\t{\"took\": \"2.3s\"}"),
        expect(Some(Level::Warn), None, "slow authorize")
    );
    // logrus and slog text: all fields, the message is msg.
    assert_eq!(
        said("time=\"2024-01-15T09:32:15Z\" level=error msg=\"authorize failed\" error=\"dial tcp: i/o timeout\" req=pay-1"),
        expect(Some(Level::Error), None, "authorize failed")
    );
    assert_eq!(
        said("time=2024-01-15T09:32:15Z level=WARN sku=TR2-BLU-42 available=0"),
        expect(Some(Level::Warn), None, "sku=TR2-BLU-42 available=0")
    );
}

#[test]
fn python_logging() {
    // basicConfig's default format.
    assert_eq!(
        said("ERROR:payments.stripe:authorize failed: read timeout"),
        expect(
            Some(Level::Error),
            Some("payments.stripe"),
            "authorize failed: read timeout"
        )
    );
    assert_eq!(
        said("WARNING:root:disk 91% full"),
        expect(Some(Level::Warn), None, "disk 91% full")
    );
    // `%(asctime)s %(levelname)s %(name)s %(message)s`.
    assert_eq!(
        said("2024-01-15 09:32:15,208 ERROR payments.stripe authorize failed for order=ORD-9"),
        expect(
            Some(Level::Error),
            Some("payments.stripe"),
            "authorize failed for order=ORD-9"
        )
    );
    // A colon that is no format.
    assert_eq!(said("ERROR: disk full").2, "disk full");
}

#[test]
fn nginx_error_and_access_logs() {
    let line = "2024/01/15 09:32:15 [error] 1234#1234: *5 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.7, server: shop.example.com, request: \"GET /checkout HTTP/1.1\", upstream: \"http://10.0.1.4:8080/checkout\", host: \"shop.example.com\"";
    assert_eq!(
        said(line),
        expect(
            Some(Level::Error),
            None,
            "connect() failed (111: Connection refused) while connecting to upstream"
        )
    );
    assert!(component_and_message(line)
        .1
        .starts_with("connect() failed"));
    assert_eq!(
        said(
            r#"10.0.0.7 - - [15/Jan/2024:09:32:15 +0000] "POST /api/checkout HTTP/1.1" 502 157 "-" "Mozilla/5.0""#
        ),
        expect(None, None, r#""POST /api/checkout HTTP/1.1" 502"#)
    );
}

#[test]
fn syslog_and_json() {
    assert_eq!(
        said("Jan 15 09:32:15 web-1 payment-service[812]: req=pay-7f21c0 error=\"connect timed out after 500ms\""),
        expect(None, Some("payment-service"), "connect timed out after 500ms")
    );
    assert_eq!(
        said(
            r#"{"ts":"2024-01-15T09:32:15Z","level":"error","service":"payment-service","msg":"authorize failed","error":"connect timed out"}"#
        ),
        expect(
            Some(Level::Error),
            Some("payment-service"),
            "authorize failed"
        )
    );
}

#[test]
fn requests_group_by_what_failed_not_by_their_ids() {
    let paste = "\
2024-01-15T09:32:15.208Z ERROR payment-service req=pay-7f21c0 processor.authorize attempt=1/4 error=\"connect timed out after 500ms\" host=api.stripe.com
2024-01-15T09:32:15.731Z ERROR payment-service req=pay-80aa13 processor.authorize attempt=2/4 error=\"connect timed out after 500ms\" host=api.stripe.com
2024-01-15T09:32:16.102Z ERROR payment-service req=pay-1c0e9b processor.authorize attempt=1/4 error=\"read timeout after 3000ms\" host=api.stripe.com
";
    let lines = read_lines(paste);
    assert_eq!(lines[0].signature, lines[1].signature);
    assert_ne!(lines[0].signature, lines[2].signature);
    let gists: Vec<String> = lines.iter().map(LogLine::gist).collect();
    assert_eq!(
        gists,
        [
            "connect timed out after 500ms",
            "connect timed out after 500ms",
            "read timeout after 3000ms"
        ]
    );
}
