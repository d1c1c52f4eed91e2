//! What changed between two versions of a postmortem, field by field, for
//! the history view and the edit-conflict panel.
//!
//! Records are compared through their JSON shape, flattened to dotted paths
//! (`timeline.2.text`), so a new part of the record is covered without
//! touching this module. Server only: both are drawn there.

use kb_domain::PostmortemInput;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One field that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// Dotted path, e.g. `hypotheses.0.confidence.1.value`.
    pub path: String,
    /// For people: `Hypotheses 1 · confidence 2 · value`.
    pub label: String,
    /// Text before; empty when the field was added.
    pub before: String,
    /// Text after; empty when it was removed.
    pub after: String,
}

/// Every differing field of `before` and `after`, in the record's order.
/// Action item ids are bookkeeping, not content, and are left out.
pub fn changes(before: &PostmortemInput, after: &PostmortemInput) -> Vec<FieldChange> {
    let a = flatten(before);
    let b = flatten(after);
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (path, _) in a.iter().chain(b.iter()) {
        if !seen.insert(path.clone()) {
            continue;
        }
        let find = |list: &[(String, String)]| {
            list.iter()
                .find(|(p, _)| p == path)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let (x, y) = (find(&a), find(&b));
        if x != y {
            out.push(FieldChange {
                label: label(path),
                path: path.clone(),
                before: x,
                after: y,
            });
        }
    }
    out
}

fn flatten(input: &PostmortemInput) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Ok(value) = serde_json::to_value(input) {
        walk("", &value, &mut out);
    }
    out
}

fn walk(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    let join = |key: &str| {
        if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        }
    };
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "id" && prefix.starts_with("action_items.") {
                    continue;
                }
                walk(&join(k), v, out);
            }
        }
        // Lists of names read better as one line than as one field each.
        Value::Array(items) if items.iter().all(Value::is_string) => {
            let names: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            out.push((prefix.to_string(), names.join(", ")));
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(&join(&i.to_string()), v, out);
            }
        }
        Value::Null => out.push((prefix.to_string(), String::new())),
        Value::String(s) => out.push((prefix.to_string(), s.clone())),
        Value::Bool(b) => out.push((prefix.to_string(), if *b { "yes" } else { "no" }.into())),
        Value::Number(n) => out.push((prefix.to_string(), n.to_string())),
    }
}

/// `timeline.2.text` → `Timeline 3 · text`.
pub fn label(path: &str) -> String {
    let mut out = String::new();
    for (i, part) in path.split('.').enumerate() {
        if let Ok(n) = part.parse::<usize>() {
            out.push_str(&format!(" {}", n + 1));
            continue;
        }
        if i > 0 {
            out.push_str(" · ");
        }
        let words = match part {
            "id" => "external id".to_string(),
            "labels" => "tags".to_string(),
            "whys" => "why-chain".to_string(),
            other => other.replace('_', " "),
        };
        if i == 0 {
            let mut chars = words.chars();
            if let Some(c) = chars.next() {
                out.extend(c.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push_str(&words);
        }
    }
    out
}

/// One line of a line diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineOp {
    /// In both.
    Same,
    /// Only in the old text.
    Removed,
    /// Only in the new text.
    Added,
}

/// Line diff by longest common subsequence. Texts too large to diff
/// cheaply are shown as all removed, then all added.
pub fn lines(before: &str, after: &str) -> Vec<(LineOp, String)> {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    if a.len().saturating_mul(b.len()) > 250_000 {
        return a
            .iter()
            .map(|l| (LineOp::Removed, l.to_string()))
            .chain(b.iter().map(|l| (LineOp::Added, l.to_string())))
            .collect();
    }
    // lcs[i][j]: common length of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push((LineOp::Same, a[i].to_string()));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push((LineOp::Added, b[j].to_string()));
            j += 1;
        } else {
            out.push((LineOp::Removed, a[i].to_string()));
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kb_domain::record::{ActionItem, TimelineEntry};

    #[test]
    fn reports_changed_rows_by_path_and_skips_item_ids() {
        let mut a = PostmortemInput {
            title: "Pool ran dry".into(),
            ..Default::default()
        };
        a.parts.timeline.push(TimelineEntry {
            at: "T+01:00".into(),
            text: "alert".into(),
            ..Default::default()
        });
        a.parts.action_items.push(ActionItem {
            id: Some(4),
            title: "add alert".into(),
            ..Default::default()
        });
        let mut b = a.clone();
        b.parts.timeline[0].text = "alert fired".into();
        b.parts.action_items[0].id = None;
        b.services = vec!["payments".into()];
        let got = changes(&a, &b);
        let paths: Vec<_> = got.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["services", "timeline.0.text"]);
        assert_eq!(got[1].label, "Timeline 1 · text");
        assert_eq!(got[1].after, "alert fired");
    }

    #[test]
    fn line_diff_keeps_common_lines() {
        let d = lines("a\nb\nc", "a\nx\nc");
        assert_eq!(
            d,
            vec![
                (LineOp::Same, "a".into()),
                (LineOp::Added, "x".into()),
                (LineOp::Removed, "b".into()),
                (LineOp::Same, "c".into()),
            ]
        );
    }
}
