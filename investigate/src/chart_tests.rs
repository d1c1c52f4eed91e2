use super::*;
use crate::line::read_lines;
use crate::signals::group;

const PASTE: &str = "\
2024-01-15T09:32:15Z ERROR payment-service connect timed out after 500ms
2024-01-15T09:32:16Z ERROR payment-service connect timed out after 500ms
2024-01-15T09:32:18Z ERROR orders-db-pool acquire failed: connection pool exhausted
2024-01-15T09:33:00Z ERROR orders-db-pool acquire failed: connection pool exhausted
";

fn chart(text: &str) -> (Vec<Lane>, String) {
    swimlanes(&group(&read_lines(text)))
}

#[test]
fn each_signal_is_a_lane_with_its_times() {
    let (lanes, svg) = chart(PASTE);
    assert_eq!(lanes.len(), 2);
    assert_eq!(lanes[0].first, "09:32:15");
    assert_eq!(lanes[0].last, "09:32:16");
    assert_eq!(lanes[0].count, 2);
    assert_eq!(lanes[1].first, "09:32:18");
    assert_eq!(lanes[1].last, "09:33:00");
    assert!(svg.starts_with("<svg"), "{svg}");
    assert!(svg.ends_with("</svg>"), "{svg}");
    assert_eq!(svg.matches("class=\"lane ").count(), 2, "{svg}");
    assert_eq!(svg.matches("class=\"mark\"").count(), 4, "{svg}");
    assert!(
        svg.contains(">09:32:15</text>") && svg.contains(">09:33:00</text>"),
        "{svg}"
    );
}

#[test]
fn untimed_text_draws_nothing() {
    let (lanes, svg) = chart("no time here\nnor here");
    assert!(lanes.is_empty());
    assert!(svg.is_empty());
}

#[test]
fn markup_in_a_paste_is_escaped() {
    let (lanes, svg) = chart(
        "2024-01-15T09:32:15Z ERROR web <script>alert(\"x\")</script> & 'quoted'\n\
         2024-01-15T09:32:16Z ERROR web <img src=x onerror=alert(1)>\n",
    );
    assert!(!lanes.is_empty());
    assert!(!svg.contains("<script"), "{svg}");
    assert!(!svg.contains("<img"), "{svg}");
    assert!(svg.contains("&lt;script&gt;"), "{svg}");
    // Only the chart's own elements open tags.
    for tag in svg.split('<').skip(1) {
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphabetic() || *c == '/')
            .collect();
        assert!(
            ["svg", "/svg", "g", "/g", "text", "/text", "line", "rect"].contains(&name.as_str()),
            "unexpected tag {name:?} in {svg}"
        );
    }
}

#[test]
fn lanes_are_capped() {
    let text: String = (0..40)
        .map(|n| {
            format!(
                "2024-01-15T09:{:02}:00Z ERROR svc{n} failure number {n} of its own kind\n",
                n % 60
            )
        })
        .collect();
    let (lanes, _) = chart(&text);
    assert_eq!(lanes.len(), MAX_LANES);
}

#[test]
fn escape_covers_markup_and_control_characters() {
    assert_eq!(escape("a<b>&\"'\u{0}"), "a&lt;b&gt;&amp;&quot;&#39; ");
}
