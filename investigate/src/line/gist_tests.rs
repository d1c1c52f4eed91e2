//! Gists of messages: the quoted field, or the words without the pairs
//! around them.

use super::gist::gist;
use super::pairs::pairs;

#[test]
fn a_quoted_field_is_what_the_line_says() {
    assert_eq!(
        gist("req=pay-7f21c0 processor.authorize attempt=1/4 error=\"connect timed out after 500ms\" host=api.stripe.com"),
        "connect timed out after 500ms"
    );
    assert_eq!(
        gist("sync aborted reason=\"token expired\""),
        "token expired"
    );
    assert_eq!(gist("err=\"EOF\" retrying"), "EOF");
    // What happened and what went wrong, both.
    assert_eq!(
        gist("msg=\"authorize failed\" err=\"dial tcp: i/o timeout\" req=pay-1"),
        "authorize failed: dial tcp: i/o timeout"
    );
    assert_eq!(
        gist("message=\"upstream \\\"stripe\\\" timed out\""),
        "upstream \"stripe\" timed out"
    );
    // A bare value is no text to quote: `error=true` says nothing.
    assert_eq!(gist("cart lost error=true"), "cart lost");
    // An empty field says nothing either.
    assert_eq!(gist("error=\"\" worker stopped"), "worker stopped");
}

#[test]
fn pairs_around_the_words_are_left_off() {
    assert_eq!(
        gist("req=ord-11b4d2 acquire failed: connection pool exhausted (size=50 in_use=50 waiting=61)"),
        "acquire failed: connection pool exhausted"
    );
    assert_eq!(
        gist("StockMovement handler ran for order=ORD-124 before parent transaction committed (tx=8812af state=in_progress)"),
        "StockMovement handler ran for order=ORD-124 before parent transaction committed"
    );
    assert_eq!(gist("req=1 lost connection, retry=3"), "lost connection");
    assert_eq!(gist("worker stopped level=warn code=7"), "worker stopped");
    // A pair the words end on is their object.
    assert_eq!(
        gist("authorize failed for order=ORD-9"),
        "authorize failed for order=ORD-9"
    );
    // A bracket opened by the words stays whole.
    assert_eq!(
        gist("pool full (after 3 tries, in_use=50)"),
        "pool full (after 3 tries, in_use=50)"
    );
    // Words without pairs are kept as they are, spaces tidied.
    assert_eq!(
        gist("connection  timeout to stripe after 500ms"),
        "connection timeout to stripe after 500ms"
    );
    assert_eq!(
        gist("no available connections (50 of 50 busy)"),
        "no available connections (50 of 50 busy)"
    );
}

#[test]
fn a_message_of_pairs_keeps_them_less_time_and_level() {
    assert_eq!(
        gist("time=2024-01-15T09:32:15Z level=error sku=TR2-BLU-42 available=0"),
        "sku=TR2-BLU-42 available=0"
    );
    assert_eq!(gist("ts=1 level=info"), "ts=1 level=info");
}

#[test]
fn odd_messages_keep_their_text() {
    assert_eq!(
        gist("error=\"connect timed out"),
        "error=\"connect timed out"
    );
    for text in [
        "=",
        "a=",
        "(",
        "(((",
        ")",
        "x=\"\\",
        "{",
        "}",
        " { } ",
        "\"GET ",
        "\"GET /\" 5",
        "a=b)",
        "(a=b",
        "é=ü",
        "=\"x\"",
    ] {
        let said = gist(text);
        assert!(!said.is_empty(), "{text:?}");
    }
    let long = "k=v ".repeat(1_000);
    assert!(gist(&long).len() <= long.len());
}

#[test]
fn fields_of_a_line() {
    let owned = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|&(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    assert_eq!(
        pairs("2024-03-07T21:16:02Z inventory_levels/update sku=TR2-BLU-42 available=38 app=\"StockBridge Connection\" src=34.201.18.77"),
        owned(&[
            ("sku", "TR2-BLU-42"),
            ("available", "38"),
            ("app", "StockBridge Connection"),
            ("src", "34.201.18.77"),
        ])
    );
    assert_eq!(
        pairs(r#"{"sku":"TR2-BLU-42","available":38,"source":{"ip":"18.232.90.14"}}"#),
        owned(&[
            ("available", "38"),
            ("sku", "TR2-BLU-42"),
            ("source.ip", "18.232.90.14"),
        ])
    );
    assert_eq!(
        pairs("done (tx=8812af, state=in_progress)"),
        owned(&[("tx", "8812af"), ("state", "in_progress")])
    );
    assert!(pairs("no fields = here").is_empty());
}
