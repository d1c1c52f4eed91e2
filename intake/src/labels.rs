//! What every source needs once read: cleaning and cutting sender text,
//! picking services, teams and severity from labels and [`Settings`],
//! RFC 3339 times to UTC, a stable key for alerts without a fingerprint,
//! the search text, and the errors that name a payload field.

use crate::{IntakeError, Settings};
use kb_domain::calendar::civil_from_days;
use kb_domain::record::{epoch_seconds, normalize_datetime};
use kb_domain::Severity;
use serde::{Deserialize, Deserializer};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Longest timeline text an event gives, in characters.
pub(crate) const MAX_EVENT_TEXT: usize = 300;

/// Longest search text a delivery gives, in characters.
pub(crate) const MAX_SEARCH_TEXT: usize = 20_000;

/// A refusal naming the payload field at fault.
pub(crate) fn malformed(field: &str, message: &str) -> IntakeError {
    IntakeError::Malformed {
        field: field.to_string(),
        message: message.to_string(),
    }
}

/// A field the contract requires: present, and not blank once trimmed.
pub(crate) fn required<'a>(value: Option<&'a str>, field: &str) -> Result<&'a str, IntakeError> {
    match value.map(str::trim) {
        None => Err(malformed(field, "is required")),
        Some("") => Err(malformed(field, "must not be empty")),
        Some(v) => Ok(v),
    }
}

/// Deserializes `null` as the default: Go senders marshal an empty map as
/// `null` as readily as `{}`.
pub(crate) fn null_as_default<'de, D, T>(de: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(de)?.unwrap_or_default())
}

/// Trimmed, without ASCII control characters other than newline; tabs and
/// carriage returns become spaces so the words they separated stay apart.
pub(crate) fn clean(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' | '\r' => Some(' '),
            c if c.is_ascii_control() => None,
            c => Some(c),
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// [`clean`], on one line: titles and timeline texts are single lines.
pub(crate) fn one_line(text: &str) -> String {
    clean(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` in at most `max` characters, cut on a character boundary and
/// marked with an ellipsis when something was left out.
pub(crate) fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

/// The value of the first of `names` present (and not blank) in `labels`.
pub(crate) fn first_label<'a>(
    labels: &'a BTreeMap<String, String>,
    names: &[String],
) -> Option<&'a str> {
    names.iter().find_map(|name| {
        labels
            .get(name.trim())
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    })
}

/// Appends `value`, cleaned, unless blank or already there.
pub(crate) fn push_unique(list: &mut Vec<String>, value: &str) {
    let value = one_line(value);
    if !value.is_empty() && !list.contains(&value) {
        list.push(value);
    }
}

/// `found` followed by the integration's own `extra`, deduplicated in order.
pub(crate) fn with_settings(found: Vec<String>, extra: &[String]) -> Vec<String> {
    let mut all = Vec::with_capacity(found.len() + extra.len());
    for value in found.iter().chain(extra) {
        push_unique(&mut all, value);
    }
    all
}

/// The sender's severity name as the integration maps it, ignoring case.
pub(crate) fn map_severity(value: &str, settings: &Settings) -> Option<Severity> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    settings
        .severities
        .iter()
        .find(|(name, _)| name.trim().eq_ignore_ascii_case(value))
        .map(|(_, severity)| *severity)
}

/// A link the pages may put in an `href`: only http(s), so a payload
/// cannot smuggle a `javascript:` URL into the incident.
pub(crate) fn web_url(text: Option<&str>) -> Option<String> {
    let url = text?.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let web = lower.starts_with("http://") || lower.starts_with("https://");
    (web && !url.chars().any(|c| c.is_ascii_control() || c == ' ')).then(|| url.to_string())
}

/// An RFC 3339 time (fractions and any offset, `+01:00`, `+0100` or `Z`)
/// as `YYYY-MM-DDTHH:MM:SSZ` in UTC. Go's zero time, which Alertmanager
/// sends for "not ended", is no time at all.
pub(crate) fn utc_time(text: &str) -> Option<String> {
    let t = text.trim();
    if !t.is_ascii() || t.len() < 16 {
        return None;
    }
    let (local, offset) = split_offset(t)?;
    let local = match local.find('.') {
        Some(dot) if dot > 10 => {
            let fraction = &local[dot + 1..];
            if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            &local[..dot]
        }
        _ => local,
    };
    let plain = normalize_datetime(local)?;
    if plain.starts_with("0001-01-01") {
        return None;
    }
    let seconds = epoch_seconds(&plain)? - offset;
    let (y, m, d) = civil_from_days(seconds.div_euclid(86_400));
    let s = seconds.rem_euclid(86_400);
    (1..=9999).contains(&y).then(|| {
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            s / 3_600,
            (s / 60) % 60,
            s % 60
        )
    })
}

/// The time without its zone, and the zone's offset east of UTC in seconds.
fn split_offset(t: &str) -> Option<(&str, i64)> {
    if let Some(local) = t.strip_suffix(['Z', 'z']) {
        return Some((local, 0));
    }
    // The date's own hyphens end at index 10; a sign after them is a zone.
    let Some(at) = t[11..].rfind(['+', '-']).map(|i| i + 11) else {
        return Some((t, 0));
    };
    let (local, zone) = t.split_at(at);
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
    if !(digits.len() == 2 || digits.len() == 4) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i64 = digits[..2].parse().ok()?;
    let minutes: i64 = digits
        .get(2..)
        .filter(|m| !m.is_empty())
        .map_or(Ok(0), str::parse)
        .ok()?;
    (hours <= 23 && minutes <= 59).then_some((local, sign * (hours * 3_600 + minutes * 60)))
}

/// Lowercase hexadecimal of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// A key for an alert sent without a fingerprint: the same labels give the
/// same key on every delivery, so repeats stay repeats.
pub(crate) fn labels_key(labels: &BTreeMap<String, String>) -> String {
    let mut hasher = Sha256::new();
    for (name, value) in labels {
        hasher.update(format!("{name}={value}\n").as_bytes());
    }
    let mut key = hex(&hasher.finalize());
    key.truncate(16);
    key
}

/// The lines "seen before?" searches with: cleaned, each once, capped.
#[derive(Default)]
pub(crate) struct SearchText {
    lines: Vec<String>,
}

impl SearchText {
    /// Adds `text` (which may span lines) unless blank or already there.
    pub(crate) fn push(&mut self, text: &str) {
        let text = clean(text);
        if !text.is_empty() && !self.lines.contains(&text) {
            self.lines.push(text);
        }
    }

    /// The lines joined by newlines.
    pub(crate) fn finish(self) -> String {
        cut(&self.lines.join("\n"), MAX_SEARCH_TEXT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_become_utc_whatever_their_zone_and_fraction() {
        let cases = [
            (
                "2026-03-10T15:06:45.502+01:00",
                Some("2026-03-10T14:06:45Z"),
            ),
            (
                "2026-03-10T14:07:30.118734291Z",
                Some("2026-03-10T14:07:30Z"),
            ),
            ("2015-07-17T08:42:58.315+0000", Some("2015-07-17T08:42:58Z")),
            ("2024-12-31T23:30:00-01:00", Some("2025-01-01T00:30:00Z")),
            ("2024-03-01T00:15:00+02:00", Some("2024-02-29T22:15:00Z")),
            (" 2026-03-10T14:08:02Z ", Some("2026-03-10T14:08:02Z")),
            ("2026-03-10 14:08", Some("2026-03-10T14:08:00Z")),
            ("0001-01-01T00:00:00Z", None),
            ("2026-03-10T14:08:02+25:00", None),
            ("2026-03-10T14:08:02.Z", None),
            ("2026-02-30T14:08:02Z", None),
            ("yesterday", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(utc_time(text).as_deref(), want, "{text:?}");
        }
    }

    #[test]
    fn text_is_cleaned_and_cut_on_character_boundaries() {
        assert_eq!(clean("  a\u{7}b\tc\r\nd \u{1b}[31m "), "ab c \nd [31m");
        assert_eq!(one_line(" two\nlines\u{0}  here "), "two lines here");
        let long = "é".repeat(50);
        let cut_text = cut(&long, 10);
        assert_eq!(cut_text.chars().count(), 10);
        assert!(cut_text.ends_with('…'));
        assert_eq!(cut("short", 10), "short");
    }

    #[test]
    fn labels_settings_and_severities() {
        let labels: BTreeMap<String, String> = [("job", "api"), ("service", " "), ("app", "web")]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .into();
        let settings = Settings::default();
        assert_eq!(first_label(&labels, &settings.service_labels), Some("api"));
        let found = vec!["payments".to_string(), "api".to_string()];
        let extra = ["api".to_string(), " checkout ".to_string()];
        assert_eq!(
            with_settings(found, &extra),
            ["payments", "api", "checkout"]
        );
        assert_eq!(map_severity("CRITICAL", &settings), Some(Severity::Sev1));
        assert_eq!(map_severity(" Warning ", &settings), Some(Severity::Sev3));
        assert_eq!(map_severity("catastrophic", &settings), None);
        assert_eq!(map_severity("", &settings), None);
    }

    #[test]
    fn only_web_links_are_kept() {
        let ok = Some("https://grafana.example.com/d/x?orgId=1");
        assert_eq!(web_url(ok).as_deref(), ok);
        assert_eq!(
            web_url(Some(" HTTP://a.b/ ")).as_deref(),
            Some("HTTP://a.b/")
        );
        assert_eq!(web_url(Some("javascript:alert(1)")), None);
        assert_eq!(web_url(Some("")), None);
        assert_eq!(web_url(None), None);
    }

    #[test]
    fn label_keys_are_stable_and_differ_by_labels() {
        let a: BTreeMap<String, String> = [("alertname".into(), "X".into())].into();
        let b: BTreeMap<String, String> = [("alertname".into(), "Y".into())].into();
        assert_eq!(labels_key(&a), labels_key(&a.clone()));
        assert_eq!(labels_key(&a).len(), 16);
        assert_ne!(labels_key(&a), labels_key(&b));
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
    }

    #[test]
    fn search_text_keeps_each_line_once_and_is_capped() {
        let mut text = SearchText::default();
        text.push("Pool exhausted");
        text.push(" Pool exhausted ");
        text.push("");
        text.push("x".repeat(30_000).as_str());
        let done = text.finish();
        assert!(done.starts_with("Pool exhausted\nxxx"));
        assert_eq!(done.chars().count(), MAX_SEARCH_TEXT);
    }
}
