//! Flip findings on store change events and their look-alikes.

use super::*;

/// The flip findings of a paste.
fn flips(paste: &str) -> Vec<Finding> {
    flip_findings(paste, &read_lines(paste))
}

fn statements(found: &[Finding]) -> Vec<&str> {
    found.iter().map(|f| f.statement.as_str()).collect()
}

fn cited_lines(finding: &Finding) -> Vec<usize> {
    finding.evidence.iter().map(|c| c.line).collect()
}

/// A store's inventory change events: a connector app writes 38 from one
/// address and 0 from another, over and over; another SKU is set once.
const STORE: &str = "\
2024-03-07T21:16:02Z inventory_levels/update sku=TR2-BLU-42 location=main available=38 app=\"StockBridge Connection\" src=34.201.18.77 req=7f3c9a21
2024-03-07T21:19:40Z inventory_levels/update sku=TR2-BLU-42 location=main available=0  app=\"StockBridge Connection\" src=18.232.90.14 req=b02e77d5
2024-03-07T21:24:03Z inventory_levels/update sku=TR2-BLU-42 location=main available=38 app=\"StockBridge Connection\" src=34.201.18.77 req=1ac4e630
2024-03-07T21:27:41Z inventory_levels/update sku=TR2-BLU-42 location=main available=0  app=\"StockBridge Connection\" src=18.232.90.14 req=e95d0b12
2024-03-07T21:32:02Z inventory_levels/update sku=TR2-BLU-42 location=main available=38 app=\"StockBridge Connection\" src=34.201.18.77 req=40b8f7aa
2024-03-07T21:35:39Z inventory_levels/update sku=MC-GRY-M   location=main available=0  app=\"StockBridge Connection\" src=18.232.90.14 req=c7e21d09
";

#[test]
fn two_writers_setting_one_level() {
    let found = flips(STORE);
    assert_eq!(
        statements(&found),
        [
            "available of sku=TR2-BLU-42 flipped 4 times between 38 and 0; every 38 came from \
          src=34.201.18.77 and every 0 from src=18.232.90.14: two writers are setting it, and \
          one of them may be unaccounted for."
        ]
    );
    assert_eq!(found[0].kind, FindingKind::Change);
    // The other SKU's line is no part of it, though the location is shared.
    assert_eq!(cited_lines(&found[0]), [1, 2, 3, 4, 5]);
    assert!(found[0].evidence[0].text.contains("available=38"));
}

#[test]
fn the_whole_reading_states_it_as_a_change() {
    let investigation = investigate(STORE);
    let flip: Vec<&Finding> = investigation
        .findings
        .iter()
        .filter(|f| f.statement.contains("flipped"))
        .collect();
    assert_eq!(flip.len(), 1);
    assert_eq!(flip[0].kind, FindingKind::Change);
}

#[test]
fn the_order_is_the_lines_times() {
    // Newest first, as event lists show them: the same flips.
    let reversed: String = STORE.lines().rev().map(|l| format!("{l}\n")).collect();
    let found = flips(&reversed);
    assert_eq!(found.len(), 1);
    assert!(found[0]
        .statement
        .starts_with("available of sku=TR2-BLU-42 flipped 4 times between 38 and 0; every 38"));
    assert_eq!(cited_lines(&found[0]), [6, 5, 4, 3, 2]);
}

#[test]
fn a_counter_going_down_does_not_flip() {
    let paste = "\
2024-03-07T21:16:02Z inventory_levels/update sku=TR2-BLU-42 available=41 src=34.201.18.77
2024-03-07T21:19:40Z inventory_levels/update sku=TR2-BLU-42 available=37 src=18.232.90.14
2024-03-07T21:24:03Z inventory_levels/update sku=TR2-BLU-42 available=30 src=34.201.18.77
2024-03-07T21:27:41Z inventory_levels/update sku=TR2-BLU-42 available=25 src=18.232.90.14
2024-03-07T21:32:02Z inventory_levels/update sku=TR2-BLU-42 available=19 src=34.201.18.77
";
    assert_eq!(flips(paste), []);
}

#[test]
fn one_return_is_not_a_flip() {
    let paste: String = STORE.lines().take(3).map(|l| format!("{l}\n")).collect();
    assert_eq!(flips(&paste), []);
}

#[test]
fn request_ids_are_no_entities() {
    // Each request is on one line: nothing is set twice.
    let paste = "\
21:16:02 update req=7f3c9a21 available=38 src=34.201.18.77
21:19:40 update req=b02e77d5 available=0 src=18.232.90.14
21:24:03 update req=1ac4e630 available=38 src=34.201.18.77
21:27:41 update req=e95d0b12 available=0 src=18.232.90.14
21:32:02 update req=40b8f7aa available=38 src=34.201.18.77
";
    assert_eq!(flips(paste), []);
}

#[test]
fn one_writer_alternating_is_stated_softly() {
    let paste = "\
21:16:02 update sku=TR2-BLU-42 available=38 src=34.201.18.77
21:19:40 update sku=TR2-BLU-42 available=0 src=34.201.18.77
21:24:03 update sku=TR2-BLU-42 available=38 src=34.201.18.77
21:27:41 update sku=TR2-BLU-42 available=0 src=34.201.18.77
";
    assert_eq!(
        statements(&flips(paste)),
        [
            "available of sku=TR2-BLU-42 flipped 3 times between 38 and 0: the values alternate, \
          which can mean two writers are setting it; no field of these lines tells them apart."
        ]
    );
    // No writer field at all, no times: the paste's order.
    let paste = "\
flag set flag=new_checkout enabled=true
flag set flag=new_checkout enabled=false
flag set flag=new_checkout enabled=true
flag set flag=new_checkout enabled=false
flag set flag=new_checkout enabled=true
";
    let found = flips(paste);
    assert_eq!(found.len(), 1);
    assert!(found[0].statement.starts_with(
        "enabled of flag=new_checkout flipped 4 times between true and false: the values alternate"
    ));
}

#[test]
fn states_alternate_by_design() {
    // A circuit breaker opening and closing is no fight over a value.
    let paste = "\
10:00:00 breaker=stripe state=open
10:00:30 breaker=stripe state=closed
10:01:00 breaker=stripe state=open
10:01:30 breaker=stripe state=closed
";
    assert_eq!(flips(paste), []);
    // Words other than on/off alternate softly only with a writer behind each.
    let paste = "\
10:00:00 account=acme plan=pro
10:00:30 account=acme plan=free
10:01:00 account=acme plan=pro
10:01:30 account=acme plan=free
";
    assert_eq!(flips(paste), []);
    let with_writers = "\
10:00:00 account=acme plan=pro actor=billing-sync
10:00:30 account=acme plan=free actor=crm-import
10:01:00 account=acme plan=pro actor=billing-sync
10:01:30 account=acme plan=free actor=crm-import
";
    assert_eq!(
        statements(&flips(with_writers)),
        [
            "plan of account=acme flipped 3 times between pro and free; every pro came from \
          actor=billing-sync and every free from actor=crm-import: two writers are setting it, \
          and one of them may be unaccounted for."
        ]
    );
}

#[test]
fn a_writer_must_split_the_values_cleanly() {
    // 18.232.90.14 wrote both values: no clean split.
    let paste = "\
21:16:02 update sku=TR2-BLU-42 available=38 src=34.201.18.77
21:19:40 update sku=TR2-BLU-42 available=0 src=18.232.90.14
21:24:03 update sku=TR2-BLU-42 available=38 src=18.232.90.14
21:27:41 update sku=TR2-BLU-42 available=0 src=18.232.90.14
";
    let found = flips(paste);
    assert_eq!(found.len(), 1);
    assert!(found[0]
        .statement
        .contains("no field of these lines tells them apart"));
}

#[test]
fn structured_lines_count_their_fields() {
    let json = r#"{"time":"2024-03-07T21:16:02Z","msg":"inventory set","sku":"TR2-BLU-42","available":38,"source":{"ip":"34.201.18.77"}}
{"time":"2024-03-07T21:19:40Z","msg":"inventory set","sku":"TR2-BLU-42","available":0,"source":{"ip":"18.232.90.14"}}
{"time":"2024-03-07T21:24:03Z","msg":"inventory set","sku":"TR2-BLU-42","available":38,"source":{"ip":"34.201.18.77"}}
{"time":"2024-03-07T21:27:41Z","msg":"inventory set","sku":"TR2-BLU-42","available":0,"source":{"ip":"18.232.90.14"}}
"#;
    let found = flips(json);
    assert_eq!(found.len(), 1);
    // `source.ip` is no writer field by name: the softer statement.
    assert!(found[0]
        .statement
        .starts_with("available of sku=TR2-BLU-42 flipped 3 times between 38 and 0: "));
    let logfmt = "\
time=2024-03-07T21:16:02Z level=info msg=\"inventory set\" sku=TR2-BLU-42 available=38 host=sync-a
time=2024-03-07T21:19:40Z level=info msg=\"inventory set\" sku=TR2-BLU-42 available=0 host=sync-b
time=2024-03-07T21:24:03Z level=info msg=\"inventory set\" sku=TR2-BLU-42 available=38 host=sync-a
time=2024-03-07T21:27:41Z level=info msg=\"inventory set\" sku=TR2-BLU-42 available=0 host=sync-b
";
    let found = flips(logfmt);
    assert_eq!(found.len(), 1);
    assert!(found[0]
        .statement
        .contains("every 38 came from host=sync-a and every 0 from host=sync-b"));
    assert_eq!(found[0].evidence[0].text, "inventory set");
}

#[test]
fn at_most_two_findings_each_citing_at_most_ten_lines() {
    let mut paste = String::new();
    for (n, sku) in ["A-1", "B-2", "C-3"].iter().enumerate() {
        for i in 0..15 {
            let (value, src) = if i % 2 == 0 {
                (5, "10.0.0.1")
            } else {
                (0, "10.0.0.2")
            };
            paste.push_str(&format!(
                "2024-03-07T2{n}:{i:02}:00Z update sku={sku} available={value} src={src}\n"
            ));
        }
    }
    let found = flips(&paste);
    assert_eq!(found.len(), MAX_FLIP_FINDINGS);
    assert!(found[0]
        .statement
        .starts_with("available of sku=A-1 flipped 14 times"));
    assert!(found[1]
        .statement
        .starts_with("available of sku=B-2 flipped 14 times"));
    assert_eq!(found[0].evidence.len(), MAX_CITED_LINES);
}

#[test]
fn values_with_spaces_are_quoted() {
    let paste = "\
10:00:00 store=\"North Shop\" banner=\"Summer sale\" writer=cms
10:00:30 store=\"North Shop\" banner=\"\" writer=legacy-cron
10:01:00 store=\"North Shop\" banner=\"Summer sale\" writer=cms
10:01:30 store=\"North Shop\" banner=\"\" writer=legacy-cron
";
    // The empty value is no value: nothing alternates.
    assert_eq!(flips(paste), []);
    let paste = paste.replace("banner=\"\"", "banner=none");
    assert_eq!(
        statements(&flips(&paste)),
        ["banner of store=\"North Shop\" flipped 3 times between \"Summer sale\" and none; every \
          \"Summer sale\" came from writer=cms and every none from writer=legacy-cron: two \
          writers are setting it, and one of them may be unaccounted for."]
    );
}

#[test]
fn big_and_odd_pastes_stay_cheap_and_safe() {
    // 20,000 lines, each with a dozen fields, a few hundred entities.
    let paste: String = (0..20_000)
        .map(|i| {
            format!(
                "2024-03-07T{:02}:{:02}:{:02}Z update sku=S-{} location=main available={} \
                 app=sync src=10.0.{}.1 req=r{i:08x} a=1 b=2 c={} d=x{} e=y f=z\n",
                i / 3600 % 24,
                i / 60 % 60,
                i % 60,
                i % 300,
                (i * 7) % 50,
                i % 3,
                i % 11,
                i % 13
            )
        })
        .collect();
    let _ = flips(&paste);
    for text in [
        "",
        "=",
        "a=b",
        "{\"a\":1}",
        "a=b c=d\n",
        "\u{0}=\u{1}\n\u{ff}",
    ] {
        assert_eq!(flips(text), []);
    }
    let binary = String::from_utf8_lossy(&[b'a', b'=', 0xff, b' ', b'b', b'=', 0x00]).into_owned();
    assert_eq!(flips(&binary.repeat(10)), []);
}
