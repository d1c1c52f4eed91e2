//! Checks of the HMAC-SHA256 signatures PagerDuty, Grafana and Slack put on
//! what they post, with the secret the integration keeps. All sign the raw
//! body, so the caller must pass the bytes exactly as received.
//!
//! - PagerDuty v3 webhooks: `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>...]`,
//!   one signature per secret of the subscription while a secret is being
//!   rotated; any one matching is enough.
//! - Grafana's webhook contact point (HMAC signature settings): hex in
//!   `X-Grafana-Alerting-Signature` (Grafana's default header name). With a
//!   timestamp header configured, Grafana signs `timestamp + ":" + body`
//!   and sends the Unix time in that header; it has no default name, so the
//!   contact point must be set to [`GRAFANA_TIMESTAMP_HEADER`].
//! - Slack: `X-Slack-Signature: v0=<hex>` of `v0:{timestamp}:{body}`, the
//!   timestamp in `X-Slack-Request-Timestamp`, five minutes at most old.

use crate::labels::hex;
use crate::IntakeError;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The header PagerDuty signs its v3 webhooks in (lowercase, as HTTP
/// libraries normalize names).
pub const PAGERDUTY_SIGNATURE_HEADER: &str = "x-pagerduty-signature";

/// Grafana's default header for the webhook HMAC signature.
pub const GRAFANA_SIGNATURE_HEADER: &str = "x-grafana-alerting-signature";

/// The header Hindsight reads Grafana's signing timestamp from. Grafana
/// has no default: the contact point's "Timestamp Header" must name this
/// one (the name Grafana's own provisioning examples use).
pub const GRAFANA_TIMESTAMP_HEADER: &str = "x-grafana-alerting-timestamp";

/// The header Slack signs its requests in: `v0=<hex>`.
pub const SLACK_SIGNATURE_HEADER: &str = "x-slack-signature";

/// The header holding the Unix time Slack signed a request at.
pub const SLACK_TIMESTAMP_HEADER: &str = "x-slack-request-timestamp";

/// How far a Grafana or Slack signing timestamp may be from now, in seconds, before
/// the delivery is taken for a replay.
pub const MAX_TIMESTAMP_SKEW_SECONDS: i64 = 5 * 60;

type HmacSha256 = Hmac<Sha256>;

fn keyed(secret: &[u8]) -> HmacSha256 {
    // HMAC hashes a key longer than a block and pads a shorter one: any
    // length is valid, and `new_from_slice` only fails for fixed-key MACs.
    <HmacSha256 as KeyInit>::new_from_slice(secret).expect("HMAC accepts keys of any length")
}

/// HMAC-SHA256 of `message` with `secret`, in lowercase hex: what the
/// senders put in their signature headers.
pub fn hmac_sha256_hex(secret: &[u8], message: &[u8]) -> String {
    let mut mac = keyed(secret);
    mac.update(message);
    hex(&mac.finalize().into_bytes())
}

/// Checks a PagerDuty v3 webhook: `header` is the value of
/// `X-PagerDuty-Signature`, `secret` the webhook subscription's secret.
pub fn verify_pagerduty(
    secret: &str,
    header: Option<&str>,
    body: &[u8],
) -> Result<(), IntakeError> {
    let header = header
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .ok_or_else(|| {
            refuse("the X-PagerDuty-Signature header is missing: is this a PagerDuty v3 webhook?")
        })?;
    let secret = signing_secret(secret)?;
    let mut mac = keyed(secret);
    mac.update(body);
    // Entries of other versions are skipped: PagerDuty may add schemes, and
    // a v1 entry alongside them still authenticates the body.
    let mut v1 = 0;
    for entry in header.split(',').map(str::trim) {
        let Some(signature) = entry.strip_prefix("v1=") else {
            continue;
        };
        v1 += 1;
        if let Some(bytes) = unhex(signature) {
            if mac.clone().verify_slice(&bytes).is_ok() {
                return Ok(());
            }
        }
    }
    Err(refuse(if v1 == 0 {
        "X-PagerDuty-Signature holds no v1 signature"
    } else {
        "X-PagerDuty-Signature does not match the body: check the webhook subscription's secret"
    }))
}

/// Checks a Grafana webhook: `signature` from
/// [`GRAFANA_SIGNATURE_HEADER`], `timestamp` from
/// [`GRAFANA_TIMESTAMP_HEADER`] when Grafana sends one, `now_epoch_seconds`
/// the current Unix time.
pub fn verify_grafana(
    secret: &str,
    signature: Option<&str>,
    timestamp: Option<&str>,
    body: &[u8],
    now_epoch_seconds: i64,
) -> Result<(), IntakeError> {
    let signature = present(
        signature,
        "the X-Grafana-Alerting-Signature header is missing: set an HMAC secret on the contact point",
    )?;
    let secret = signing_secret(secret)?;
    let mut mac = keyed(secret);
    if let Some(timestamp) = timestamp.map(str::trim).filter(|t| !t.is_empty()) {
        fresh(timestamp, now_epoch_seconds)?;
        mac.update(timestamp.as_bytes());
        mac.update(b":");
    }
    mac.update(body);
    let bytes =
        unhex(signature).ok_or_else(|| refuse("the Grafana signature is not hexadecimal"))?;
    mac.verify_slice(&bytes).map_err(|_| {
        refuse("the Grafana signature does not match the body: check the contact point's HMAC secret and timestamp header")
    })
}

/// Checks a Slack request (a slash command, an interaction): `signature`
/// from [`SLACK_SIGNATURE_HEADER`] (`v0=<hex>`), `timestamp` from
/// [`SLACK_TIMESTAMP_HEADER`]; Slack signs `v0:{timestamp}:{body}` with the
/// app's signing secret. A timestamp more than five minutes from
/// `now_epoch_seconds` is refused as a replay.
pub fn verify_slack(
    secret: &str,
    signature: Option<&str>,
    timestamp: Option<&str>,
    body: &[u8],
    now_epoch_seconds: i64,
) -> Result<(), IntakeError> {
    let signature = present(
        signature,
        "the X-Slack-Signature header is missing: is this a request from Slack?",
    )?;
    let timestamp = present(timestamp, "the X-Slack-Request-Timestamp header is missing")?;
    fresh(timestamp, now_epoch_seconds)?;
    let secret = signing_secret(secret)?;
    let bytes = signature
        .strip_prefix("v0=")
        .and_then(unhex)
        .ok_or_else(|| refuse("X-Slack-Signature is not a v0 signature in hexadecimal"))?;
    let mut mac = keyed(secret);
    mac.update(b"v0:");
    mac.update(timestamp.as_bytes());
    mac.update(b":");
    mac.update(body);
    mac.verify_slice(&bytes).map_err(|_| {
        refuse("the Slack signature does not match the request: check the app's signing secret")
    })
}

/// Refuses a signing timestamp (Unix seconds) further than
/// [`MAX_TIMESTAMP_SKEW_SECONDS`] from now.
fn fresh(timestamp: &str, now_epoch_seconds: i64) -> Result<(), IntakeError> {
    let sent: i64 = timestamp
        .parse()
        .map_err(|_| refuse("the signing timestamp is not a Unix time in seconds"))?;
    let skew = now_epoch_seconds.abs_diff(sent);
    if skew > MAX_TIMESTAMP_SKEW_SECONDS.unsigned_abs() {
        return Err(refuse(&format!(
            "the signing timestamp is {skew} seconds away from now (at most {MAX_TIMESTAMP_SKEW_SECONDS} allowed): \
             a replay, or a clock out of sync"
        )));
    }
    Ok(())
}

/// A header's value, trimmed, or `missing` when it is absent or empty.
fn present<'a>(value: Option<&'a str>, missing: &str) -> Result<&'a str, IntakeError> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| refuse(missing))
}

fn refuse(message: &str) -> IntakeError {
    IntakeError::Signature(message.to_string())
}

/// An empty secret would make every forger's signature computable.
fn signing_secret(secret: &str) -> Result<&[u8], IntakeError> {
    if secret.is_empty() {
        return Err(refuse("this integration has no signing secret configured"));
    }
    Ok(secret.as_bytes())
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    if text.is_empty() || !text.len().is_multiple_of(2) {
        return None;
    }
    let digit = |b: u8| char::from(b).to_digit(16).map(|d| d as u8);
    text.chunks(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec-payments-0b7d41";
    const BODY: &[u8] = include_bytes!("../tests/fixtures/pagerduty-triggered.json");
    const NOW: i64 = 1_773_151_682;

    #[test]
    fn hmac_matches_the_rfc_4231_vector() {
        // RFC 4231 test case 2.
        assert_eq!(
            hmac_sha256_hex(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn pagerduty_good_signature_passes() {
        let header = format!("v1={}", hmac_sha256_hex(SECRET.as_bytes(), BODY));
        assert_eq!(verify_pagerduty(SECRET, Some(&header), BODY), Ok(()));
        let upper = header.to_uppercase().replacen("V1=", "v1=", 1);
        assert_eq!(verify_pagerduty(SECRET, Some(&upper), BODY), Ok(()));
    }

    #[test]
    fn pagerduty_one_bit_changed_body_fails() {
        let header = format!("v1={}", hmac_sha256_hex(SECRET.as_bytes(), BODY));
        let mut tampered = BODY.to_vec();
        let i = tampered.len() / 2;
        tampered[i] ^= 0x01;
        let err = verify_pagerduty(SECRET, Some(&header), &tampered).unwrap_err();
        assert!(
            matches!(&err, IntakeError::Signature(m) if m.contains("does not match")),
            "{err}"
        );
    }

    #[test]
    fn pagerduty_rotation_accepts_the_second_signature() {
        let old = hmac_sha256_hex(b"the-retired-secret", BODY);
        let new = hmac_sha256_hex(SECRET.as_bytes(), BODY);
        let header = format!("v1={old},v2=abcdef, v1={new}");
        assert_eq!(verify_pagerduty(SECRET, Some(&header), BODY), Ok(()));
        let only_old = format!("v1={old}");
        assert!(verify_pagerduty(SECRET, Some(&only_old), BODY).is_err());
    }

    #[test]
    fn pagerduty_missing_header_or_no_v1_fails() {
        let missing = verify_pagerduty(SECRET, None, BODY).unwrap_err();
        assert!(missing
            .to_string()
            .contains("X-PagerDuty-Signature header is missing"));
        assert!(verify_pagerduty(SECRET, Some("  "), BODY).is_err());
        let other = verify_pagerduty(SECRET, Some("v0=abcd"), BODY).unwrap_err();
        assert!(other.to_string().contains("no v1 signature"));
        assert!(verify_pagerduty(SECRET, Some("v1=zz"), BODY).is_err());
        let header = format!("v1={}", hmac_sha256_hex(b"", BODY));
        assert!(verify_pagerduty("", Some(&header), BODY).is_err());
    }

    #[test]
    fn grafana_signature_over_the_body_alone() {
        let body = include_bytes!("../tests/fixtures/grafana-firing.json");
        let signature = hmac_sha256_hex(SECRET.as_bytes(), body);
        assert_eq!(
            verify_grafana(SECRET, Some(&signature), None, body, NOW),
            Ok(())
        );
        assert_eq!(
            verify_grafana(SECRET, Some(&signature), Some(""), body, NOW),
            Ok(())
        );
        let err = verify_grafana("another-secret", Some(&signature), None, body, NOW).unwrap_err();
        assert!(matches!(err, IntakeError::Signature(_)));
        assert!(verify_grafana(SECRET, None, None, body, NOW).is_err());
        assert!(verify_grafana(SECRET, Some("not hex"), None, body, NOW).is_err());
    }

    #[test]
    fn grafana_signature_with_timestamp_signs_timestamp_colon_body() {
        let body = include_bytes!("../tests/fixtures/grafana-firing.json");
        let sent = (NOW - 42).to_string();
        let signed = [sent.as_bytes(), b":", body].concat();
        let signature = hmac_sha256_hex(SECRET.as_bytes(), &signed);
        assert_eq!(
            verify_grafana(SECRET, Some(&signature), Some(&sent), body, NOW),
            Ok(())
        );
        // The same signature without its timestamp, or over the body alone
        // with a timestamp sent, does not pass.
        assert!(verify_grafana(SECRET, Some(&signature), None, body, NOW).is_err());
        let body_only = hmac_sha256_hex(SECRET.as_bytes(), body);
        assert!(verify_grafana(SECRET, Some(&body_only), Some(&sent), body, NOW).is_err());
        let other_time = (NOW - 41).to_string();
        assert!(verify_grafana(SECRET, Some(&signature), Some(&other_time), body, NOW).is_err());
    }

    #[test]
    fn grafana_stale_or_future_timestamps_are_refused() {
        let body = include_bytes!("../tests/fixtures/grafana-firing.json");
        for sent in [NOW - 301, NOW + 301, 0] {
            let sent = sent.to_string();
            let signed = [sent.as_bytes(), b":", body].concat();
            let signature = hmac_sha256_hex(SECRET.as_bytes(), &signed);
            let err = verify_grafana(SECRET, Some(&signature), Some(&sent), body, NOW).unwrap_err();
            assert!(err.to_string().contains("seconds away from now"), "{err}");
        }
        let edge = (NOW - 300).to_string();
        let signed = [edge.as_bytes(), b":", body].concat();
        let signature = hmac_sha256_hex(SECRET.as_bytes(), &signed);
        assert_eq!(
            verify_grafana(SECRET, Some(&signature), Some(&edge), body, NOW),
            Ok(())
        );
        let bad = verify_grafana(SECRET, Some(&signature), Some("soon"), body, NOW).unwrap_err();
        assert!(bad.to_string().contains("not a Unix time"));
    }

    /// The worked example of Slack's "Verifying requests from Slack": a
    /// slash command's exact body, timestamp and signing secret.
    const SLACK_DOC_SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
    const SLACK_DOC_TIMESTAMP: &str = "1531420618";
    const SLACK_DOC_BODY: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    const SLACK_DOC_SIGNATURE: &str =
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    #[test]
    fn slacks_worked_example_verifies() {
        let now = 1_531_420_618 + 60;
        let check = |secret: &str, signature: &str, timestamp: &str, body: &str, now: i64| {
            verify_slack(
                secret,
                Some(signature),
                Some(timestamp),
                body.as_bytes(),
                now,
            )
        };
        let doc = (
            SLACK_DOC_SECRET,
            SLACK_DOC_SIGNATURE,
            SLACK_DOC_TIMESTAMP,
            SLACK_DOC_BODY,
        );
        assert_eq!(check(doc.0, doc.1, doc.2, doc.3, now), Ok(()));
        // Another secret, body, timestamp or signature: refused.
        assert!(check("another-secret", doc.1, doc.2, doc.3, now).is_err());
        let changed = doc.3.replace("text=&", "text=x&");
        assert!(check(doc.0, doc.1, doc.2, &changed, now).is_err());
        assert!(check(doc.0, doc.1, "1531420619", doc.3, now).is_err());
        assert!(check(doc.0, &doc.1.replace("v0=a2", "v0=b2"), doc.2, doc.3, now).is_err());
        assert!(check(doc.0, &doc.1.replace("v0=", "v1="), doc.2, doc.3, now).is_err());
        // Replays: more than five minutes either way.
        assert!(check(doc.0, doc.1, doc.2, doc.3, 1_531_420_618 + 301).is_err());
        assert!(check(doc.0, doc.1, doc.2, doc.3, 1_531_420_618 - 301).is_err());
        assert_eq!(
            check(doc.0, doc.1, doc.2, doc.3, 1_531_420_618 + 300),
            Ok(())
        );
        // Missing headers and an empty secret.
        let body = doc.3.as_bytes();
        assert!(verify_slack(doc.0, None, Some(doc.2), body, now).is_err());
        assert!(verify_slack(doc.0, Some(doc.1), None, body, now).is_err());
        assert!(verify_slack("", Some(doc.1), Some(doc.2), body, now).is_err());
    }
}
