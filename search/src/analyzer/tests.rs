//! What the analyzers emit: stems, identifiers and their words, codes kept,
//! volatile tokens dropped, offsets, and word pairs.

use super::scan::{is_volatile, words};
use super::*;

/// Token texts with the original text each one points at.
fn spans(text: &str) -> Vec<(String, &str)> {
    let mut analyzer = ops_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push((
            token.text.clone(),
            &text[token.offset_from..token.offset_to],
        ));
    }
    out
}

#[test]
fn lowercases_stems_and_drops_stopwords() {
    assert_eq!(
        tokens("The Database Connections TIMED out"),
        ["databas", "connect", "time"]
    );
}

#[test]
fn drops_overlong_tokens() {
    let blob = "Zq".repeat(32);
    assert_eq!(
        tokens(&format!("commit {blob} reverted")),
        ["commit", "revert"]
    );
}

#[test]
fn punctuation_yields_nothing() {
    assert!(tokens("[]{}^~*:! -- ...").is_empty());
}

#[test]
fn splits_identifiers_and_keeps_the_whole() {
    assert_eq!(tokens("DBPool"), ["dbpool", "db", "pool"]);
    assert_eq!(
        tokens("payment-service"),
        ["payment-servic", "payment", "servic"]
    );
    assert_eq!(
        tokens("stripe_read_timeout"),
        ["stripe_read_timeout", "stripe", "read", "timeout"]
    );
    assert_eq!(
        tokens("io.grpc.Status"),
        ["io.grpc.status", "io", "grpc", "status"]
    );
    assert_eq!(
        tokens("readTimeoutMs"),
        ["readtimeoutm", "read", "timeout", "ms"]
    );
}

#[test]
fn offsets_point_at_the_original_words() {
    let line = "WARN HikariPool-1 - Connection is not available";
    let got = spans(line);
    assert!(
        got.contains(&("hikaripool-1".into(), "HikariPool-1")),
        "{got:?}"
    );
    assert!(got.contains(&("hikari".into(), "Hikari")), "{got:?}");
    assert!(got.contains(&("pool".into(), "Pool")), "{got:?}");
    assert!(got.contains(&("connect".into(), "Connection")), "{got:?}");
}

#[test]
fn keeps_error_and_status_codes() {
    assert_eq!(
        tokens("HTTP 503 from upstream; ORA-00060 deadlock; read ECONNRESET; 5xx spike"),
        [
            "http",
            "503",
            "upstream",
            "ora-00060",
            "ora",
            "00060",
            "deadlock",
            "read",
            "econnreset",
            "5xx",
            "spike"
        ]
    );
}

#[test]
fn masks_volatile_tokens() {
    let line = "2024-03-09T04:12:55.201Z ERROR req=6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b \
                host 10.42.7.19:8443 peer fe80::1ff:fe23:4567:890a took 183492 ms \
                at 04:12:55 trace a3f9c2e1b7d4";
    assert_eq!(
        tokens(line),
        ["error", "req", "host", "peer", "took", "ms", "trace"]
    );
}

#[test]
fn alert_line_keeps_its_words() {
    let alert = "[FIRING:1] KubePodCrashLooping checkout-api-7d9f (OOMKilled) p99 > 2s";
    assert_eq!(
        tokens(alert),
        [
            "firing:1",
            "fire",
            "1",
            "kubepodcrashloop",
            "kube",
            "pod",
            "crash",
            "loop",
            "kpcl",
            "checkout-api-7d9f",
            "checkout",
            "api",
            "7d9f",
            "oomkil",
            "oom",
            "kill",
            "p99",
            "2s"
        ]
    );
}

#[test]
fn pairs_of_neighbouring_words() {
    let mut analyzer = pairs_analyzer();
    let mut stream =
        analyzer.token_stream("The DBPool was exhausted at 2024-05-01T10:00Z by checkout-api");
    let mut got = Vec::new();
    while let Some(token) = stream.next() {
        got.push(token.text.clone());
    }
    assert_eq!(got, ["dbpool exhaust", "exhaust checkout-api"]);
}

#[test]
fn words_of_identifiers() {
    let split = |w: &str| -> Vec<String> {
        let mut out = Vec::new();
        words(w, |at, len| out.push(w[at..at + len].to_string()));
        out
    };
    assert_eq!(split("HTTPServerError"), ["HTTP", "Server", "Error"]);
    assert_eq!(split("us-east-1"), ["us", "east", "1"]);
    assert_eq!(split("p99"), ["p99"]);
    assert_eq!(split("readTimeout"), ["read", "Timeout"]);
    assert_eq!(split("io.grpc.Status"), ["io", "grpc", "Status"]);
    assert_eq!(split("-DBPool_"), ["DB", "Pool"]);
    assert_eq!(split("ÉtatRéseau"), ["État", "Réseau"]);
}

#[test]
fn volatile_classification() {
    for word in [
        "2024-05-01",
        "12:03:04",
        "192.168.0.1",
        "2001:db8::2:1",
        "123456",
        "0a1b2c3d4e5f",
    ] {
        assert!(is_volatile(word), "{word}");
    }
    for word in ["503", "ORA-00060", "deadbeef", "us-east-1", "v1.2.3", "p99"] {
        assert!(!is_volatile(word), "{word}");
    }
}

#[test]
fn names_in_a_dotted_identifier_are_terms_of_their_own() {
    // As another report writes it, without the package.
    let class = tokens("UnknownHostException")[0].clone();
    let terms = tokens("java.net.UnknownHostException");
    assert!(terms.contains(&class), "{terms:?}");
    // A frame without its package and line.
    let method = tokens("DFSClient.create")[0].clone();
    let frame = tokens("at org.apache.hadoop.hdfs.DFSClient.create(DFSClient.java:12)");
    assert!(frame.contains(&method), "{frame:?}");
    assert!(frame.contains(&"dfsclient".to_string()), "{frame:?}");
    // A plain dotted name gives nothing more than its words.
    assert_eq!(
        tokens("io.grpc.status"),
        vec!["io.grpc.status", "io", "grpc", "status"]
    );
}

#[test]
fn capitalised_names_also_give_their_acronym() {
    assert!(tokens("ResourceManager").contains(&"rm".to_string()));
    assert!(tokens("java.lang.NullPointerException").contains(&"npe".to_string()));
    // Not from names with a word in capitals, nor from plain words.
    assert!(!tokens("DBPool").contains(&"dp".to_string()));
    assert_eq!(tokens("Manager"), vec!["manag"]);
}
