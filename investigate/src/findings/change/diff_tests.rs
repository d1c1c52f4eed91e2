//! Config diffs read for the values they changed.

use super::diff::key_value;
use crate::findings::{change_findings, Finding, FindingKind, MAX_CITED_LINES};
use crate::line::read_lines;

/// The change findings of a paste.
fn changes(paste: &str) -> Vec<Finding> {
    change_findings(paste, &read_lines(paste))
}

/// The one statement of a paste's findings, or why not.
fn stated(paste: &str) -> String {
    match changes(paste).as_slice() {
        [one] => one.statement.clone(),
        other => format!("{} findings", other.len()),
    }
}

fn cited_lines(finding: &Finding) -> Vec<usize> {
    finding.evidence.iter().map(|c| c.line).collect()
}

#[test]
fn a_yaml_diff_with_ratios_and_a_flag() {
    let paste = "\
diff --git a/payments/stripe.yaml b/payments/stripe.yaml
--- a/payments/stripe.yaml
+++ b/payments/stripe.yaml
@@ -3,6 +3,6 @@ stripe:
-  stripe_connect_timeout_ms: 5000
-  pool_size: 50
-  fast_failover: false
+  stripe_connect_timeout_ms: 500   # \"shorter, so we fail over sooner\"
+  pool_size: 100
+  fast_failover: true
   region: eu-west-1
";
    let found = changes(paste);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, FindingKind::Change);
    assert_eq!(
        found[0].statement,
        "The diff changes 3 keys: stripe_connect_timeout_ms 5000 → 500 (10× lower); \
         pool_size 50 → 100 (2× higher); fast_failover false → true."
    );
    // Each key's removed then added line; the file headers are not cited.
    assert_eq!(cited_lines(&found[0]), [5, 8, 6, 9, 7, 10]);
    assert_eq!(
        found[0].evidence[1].text,
        "+  stripe_connect_timeout_ms: 500   # \"shorter, so we fail over sooner\""
    );
}

#[test]
fn json_env_ini_and_toml_lines_with_units_and_decimals() {
    let paste = "\
-  \"read_timeout\": \"30s\",
+  \"read_timeout\": \"3s\",
-DB_POOL=50
+DB_POOL=125
- max_body = 512MB
+ max_body = 1024MB
-export CACHE_TTL=300
+export CACHE_TTL=45
-sample_ratio:0.5
+sample_ratio:0.25
-mode = 'strict'
+mode = 'lenient'
";
    assert_eq!(
        stated(paste),
        "The diff changes 6 keys: read_timeout 30s → 3s (10× lower); DB_POOL 50 → 125 \
         (2.5× higher); max_body 512MB → 1024MB (2× higher); CACHE_TTL 300 → 45 (6.7× \
         lower); sample_ratio 0.5 → 0.25 (2× lower); mode strict → lenient."
    );
}

#[test]
fn no_ratio_across_units_or_from_zero_and_slightly_near_one() {
    let paste = "\
-interval: 5s
-retries: 0
-weight: 1000
+interval: 500ms
+retries: 3
+weight: 1010
";
    assert_eq!(
        stated(paste),
        "The diff changes 3 keys: interval 5s → 500ms; retries 0 → 3; weight 1000 → 1010 \
         (slightly higher)."
    );
}

#[test]
fn unchanged_keys_headers_and_lone_sides_say_nothing() {
    let unchanged = "\
--- a/app.env
+++ b/app.env
-RETRIES=3
+RETRIES=3
-timeout_ms: 5000
+timeout_ms: 5000.0
";
    assert_eq!(changes(unchanged), []);
    // A key only added, or only removed, is not a change of value.
    let lone = "-legacy_mode: true\n+new_router: true\n";
    assert_eq!(changes(lone), []);
    // A list of bullets is no diff.
    let bullets = "- Deployer: rolled out v2.4.2\n- Pager: woke alice\n";
    assert_eq!(changes(bullets), []);
}

#[test]
fn a_key_changed_twice_pairs_in_order() {
    let paste = "-timeout: 30\n-timeout: 60\n+timeout: 10\n+timeout: 60\n";
    assert_eq!(
        stated(paste),
        "The diff changes 1 key: timeout 30 → 10 (3× lower)."
    );
}

#[test]
fn ten_keys_listed_the_rest_counted() {
    let paste: String = (0..12)
        .map(|i| format!("-key_{i}: {}\n+key_{i}: {}\n", i + 1, 2 * (i + 1)))
        .collect();
    let found = changes(&paste);
    assert_eq!(found.len(), 1);
    assert!(found[0]
        .statement
        .starts_with("The diff changes 12 keys: key_0 1 → 2"));
    assert!(found[0]
        .statement
        .ends_with("key_9 10 → 20 (2× higher); and 2 more."));
    assert_eq!(found[0].evidence.len(), MAX_CITED_LINES);
}

#[test]
fn diff_lines_are_not_read_as_change_records() {
    // The removed and added release lines carry times, but they are the
    // diff's, stated by the diff finding.
    let paste = "\
-release: v2.4.1 at 09:30:00
+release: v2.4.2 at 09:30:00
[ERROR] 09:32:15 - PaymentService: connection timeout to stripe
";
    assert_eq!(
        stated(paste),
        "The diff changes 1 key: release v2.4.1 at 09:30:00 → v2.4.2 at 09:30:00."
    );
}

#[test]
fn key_value_shapes() {
    let read = |content: &str| key_value(content);
    let pair = |key: &str, value: &str| Some((key.to_string(), value.to_string()));
    assert_eq!(read(" pool_size: 50"), pair("pool_size", "50"));
    assert_eq!(read("pool_size:50"), pair("pool_size", "50"));
    assert_eq!(read(" \"pool\": {"), None);
    assert_eq!(read(" stripe:"), None);
    assert_eq!(read(" 'name' = 'payments'"), pair("name", "payments"));
    assert_eq!(read(" color: \"#fff\" # brand"), pair("color", "#fff"));
    assert_eq!(read(" password: \"\""), pair("password", ""));
    assert_eq!(read(" 09:30:00 deployed"), None);
    assert_eq!(read(" two words: x"), None);
    assert_eq!(read(" url=http://a:8080/x"), pair("url", "http://a:8080/x"));
}
