//! Signatures: a message with its volatile parts masked, so that lines
//! which differ only in ids, counts, durations, addresses and times group
//! together.
//!
//! The rule, word by word (words split at whitespace; surrounding brackets,
//! quotes and trailing punctuation are kept as they are):
//!
//! - a word without an ASCII digit is kept;
//! - a number of at most three digits standing alone is kept: status codes
//!   (`503`), exit codes and small counts say what happened;
//! - a name with a few digits in it is kept: it starts with a letter, has
//!   at most three digits, no more digits than letters, and no run of four or
//!   more hex digits mixing letters and digits (`http2`, `v2`, `s3`,
//!   `HTTP/1.1`, `sha256`, `db-1`, but not `v2.4.2`, `user12345`, `a716`);
//! - in `key=value` only the value is judged (`user_id=…`, `status=503`);
//! - anything else with a digit (`5000ms`, `48/50`, `10.0.0.1:5555`,
//!   `09:32:15`, `0x7f3a`, uuids, `-1`, `95%`) becomes `…`, and a run of
//!   masked words becomes one `…`.
//!
//! Case is kept. A signature is at most [`MAX_SIGNATURE_CHARS`] characters.

use std::borrow::Cow;

/// The longest signature, in characters (the last is `…` when cut).
pub const MAX_SIGNATURE_CHARS: usize = 120;

/// What a volatile word becomes.
const MASK: &str = "…";

/// The message with its volatile words masked; see the module docs for
/// the rule.
pub fn signature(message: &str) -> String {
    let mut out = String::new();
    for word in message.split_whitespace() {
        let (lead, core, trail) = split_punctuation(word);
        let masked = mask(core);
        if lead.is_empty() && masked == MASK && out.ends_with(MASK) {
            out.push_str(trail);
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(lead);
        out.push_str(&masked);
        out.push_str(trail);
        // Past the limit the cut is settled; a long message need not be
        // read to its end.
        if out.len() > MAX_SIGNATURE_CHARS && out.chars().count() > MAX_SIGNATURE_CHARS {
            break;
        }
    }
    cut(out, MAX_SIGNATURE_CHARS)
}

/// `(took` → (`(`, `took`, ``); `5000ms),` → (``, `5000ms`, `),`).
fn split_punctuation(word: &str) -> (&str, &str, &str) {
    let is_lead = |c: char| matches!(c, '(' | '[' | '{' | '<' | '"' | '\'' | '`');
    let is_trail = |c: char| {
        matches!(
            c,
            ')' | ']' | '}' | '>' | '"' | '\'' | '`' | ',' | ';' | ':' | '.' | '!' | '?'
        )
    };
    let rest = word.trim_start_matches(is_lead);
    let lead = &word[..word.len() - rest.len()];
    let core = rest.trim_end_matches(is_trail);
    (lead, core, &rest[core.len()..])
}

fn mask(core: &str) -> Cow<'_, str> {
    if !has_digit(core) {
        return Cow::Borrowed(core);
    }
    if let Some((key, value)) = core.split_once('=') {
        if !key.is_empty() && !has_digit(key) {
            let quote = if value.starts_with(['"', '\'']) {
                &value[..1]
            } else {
                ""
            };
            let value = &value[quote.len()..];
            let value = if volatile(value) { MASK } else { value };
            return Cow::Owned(format!("{key}={quote}{value}"));
        }
    }
    if volatile(core) {
        Cow::Borrowed(MASK)
    } else {
        Cow::Borrowed(core)
    }
}

fn has_digit(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit())
}

/// Whether a word with a digit in it changes from one line to the next.
fn volatile(word: &str) -> bool {
    if !has_digit(word) {
        return false;
    }
    let all_digits = word.bytes().all(|b| b.is_ascii_digit());
    if all_digits {
        return word.len() > 3;
    }
    !is_name(word)
}

/// `http2`, `v2`, `HTTP/1.1`, `db-1`: a letter first, and digits a small
/// part of it, and no hex id inside.
fn is_name(word: &str) -> bool {
    let starts_with_letter = word.chars().next().is_some_and(char::is_alphabetic);
    let digits = word.bytes().filter(u8::is_ascii_digit).count();
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let hex_id = word
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|part| {
            part.len() >= 4
                && part.bytes().all(|b| b.is_ascii_hexdigit())
                && part.bytes().any(|b| b.is_ascii_digit())
                && part.bytes().any(|b| b.is_ascii_alphabetic())
        });
    starts_with_letter && digits <= 3 && digits <= letters && !hex_id
}

/// `text` cut to `max` characters, the last then being `…`.
pub(crate) fn cut(text: String, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text,
        Some(_) => {
            let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
            cut.push_str(MASK);
            cut
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_counts_group() {
        assert_eq!(
            signature("timeout after 5000ms"),
            signature("timeout after 3000ms")
        );
        assert_eq!(signature("timeout after 5000ms"), "timeout after …");
        assert_eq!(
            signature("pool 50/50 in use"),
            signature("pool 48/50 in use")
        );
        assert_eq!(signature("pool 48/50 in use"), "pool … in use");
        assert_eq!(signature("took 1.5s"), "took …");
        assert_eq!(signature("disk at 95%"), signature("disk at 97%"));
    }

    #[test]
    fn short_numbers_stay() {
        assert_eq!(signature("upstream returned 503"), "upstream returned 503");
        assert_ne!(
            signature("upstream returned 503"),
            signature("upstream returned 502")
        );
        assert_eq!(
            signature("Service Unavailable (503)"),
            "Service Unavailable (503)"
        );
        assert_eq!(signature("order 12345 failed"), "order … failed");
        assert_eq!(
            signature("status=503 user_id=12345"),
            "status=503 user_id=…"
        );
    }

    #[test]
    fn names_with_digits_stay() {
        for word in [
            "http2", "v2", "s3", "HTTP/1.1", "sha256", "db-1", "utf8", "log4j", "TLSv1.3",
        ] {
            assert_eq!(signature(word), word);
        }
        for word in [
            "v2.4.2",
            "user12345",
            "a716",
            "0x7f3a",
            "-1",
            "req-8f3a9c",
            "12ab",
        ] {
            assert_eq!(signature(word), "…", "{word}");
        }
    }

    #[test]
    fn addresses_ids_and_times_are_masked() {
        assert_eq!(
            signature("TLS handshake error from 10.0.0.1:5555: EOF"),
            "TLS handshake error from …: EOF"
        );
        assert_eq!(
            signature("request 123e4567-e89b-12d3-a456-426614174000 failed at 09:32:15"),
            "request … failed at …"
        );
        assert_eq!(
            signature("request a716e89b-e29b-41d4-a716-446655440000 failed"),
            "request … failed"
        );
    }

    #[test]
    fn runs_of_masks_collapse() {
        assert_eq!(signature("at 2024-02-10 11:00:15,123 retry"), "at … retry");
        assert_eq!(signature("[10/Oct/2000:13:55:36 -0700] GET"), "[…] GET");
        assert_eq!(signature("ids 1234, 5678 gone"), "ids …, … gone");
    }

    #[test]
    fn case_and_words_are_kept() {
        assert_eq!(
            signature("Connection  Refused\tby peer"),
            "Connection Refused by peer"
        );
        assert_ne!(
            signature("Connection refused"),
            signature("connection refused")
        );
        assert_eq!(signature(""), "");
    }

    #[test]
    fn signatures_are_cut() {
        let long = "word ".repeat(100);
        let cut = signature(&long);
        assert_eq!(cut.chars().count(), MAX_SIGNATURE_CHARS);
        assert!(cut.ends_with('…'));
        let exact = "x".repeat(MAX_SIGNATURE_CHARS);
        assert_eq!(signature(&exact), exact);
        assert_eq!(
            signature(&"é".repeat(200)).chars().count(),
            MAX_SIGNATURE_CHARS
        );
        // Stopping early gives what masking it all and cutting would.
        let words = "timeout after 5000ms on 10.0.0.1:5555 ".repeat(30);
        let whole: Vec<String> = words
            .split_whitespace()
            .map(|w| mask(w).into_owned())
            .collect();
        assert_eq!(
            signature(&words),
            super::cut(whole.join(" "), MAX_SIGNATURE_CHARS)
        );
        let exact = format!("{} 1234", "y".repeat(MAX_SIGNATURE_CHARS - 2));
        assert_eq!(signature(&exact), exact.replace("1234", "…"));
    }
}
