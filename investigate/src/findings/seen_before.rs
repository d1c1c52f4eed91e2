//! Seen-before findings: past postmortems that match, and how the impact
//! of a recurring problem changed from one occurrence to the next.
//!
//! The knowledge base exists so that the next responder finds what
//! happened before and what fixed it. The caller looks up the matches and
//! the linked earlier occurrences ([`Known`]); this module owns how they
//! are stated. A recurrence is itself evidence: the earlier fixes did not
//! prevent it, and an impact that grows each time says the cause scales
//! with something, which the statement leaves the team to name.
//!
//! The rules:
//!
//! - Each of the first [`MAX_PAST_MATCHES`] matches gives a finding: its
//!   title, what it matched on, its patterns and what fixed it, as
//!   recorded, and asks whether it applies (source `Postmortem #id`).
//! - The earlier occurrences, oldest first, and this record's impact text
//!   are read for quantities: a number and its unit (the one or two words
//!   after it, `12 oversold units`; or a currency sign before it or a
//!   unit stuck to it, `$4,700`, `45%`, `234ms`). A number ending in
//!   punctuation (`Jan 15:`) has no words for a unit. The unit found in
//!   the most texts (at least two) makes a series, one value per text
//!   (its first with that unit).
//! - The series grows when its last value is at least 1.5 times the mean
//!   of the ones before, "with each occurrence" only when every value is
//!   larger than the one before and there are three or more; it shrinks
//!   when the last is at most the mean divided by 1.5; otherwise it holds
//!   steady. Nothing is said of why: traffic, season or size are for the
//!   team to find.
//! - Earlier occurrences without a common quantity still give one finding
//!   naming them.

use super::challenge::{and_list, cite, quote};
use super::{Cited, Finding, FindingKind, Known, Occurrence, MAX_CITED_LINES};

/// The most matching past postmortems stated.
pub const MAX_PAST_MATCHES: usize = 3;

/// The longest title or text quoted, in characters.
const QUOTE_CHARS: usize = 100;

/// The most earlier occurrences named in the statement.
const MAX_NAMED: usize = 5;

/// Words that end a unit: a unit is made of the words before them.
const NOT_UNIT: &[&str] = &[
    "a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "per", "the", "to", "was",
    "were", "with",
];

/// A number in a text, with its unit.
#[derive(Debug, Clone)]
struct Quantity {
    /// Its value.
    value: f64,
    /// The number as written, with a sign or unit stuck to it (`$4,700`,
    /// `45%`).
    written: String,
    /// The words after it that name its unit (`oversold units`); empty
    /// when the unit is stuck to the number.
    unit: String,
    /// The keys its unit matches by (`oversold`, `unit`; `$`, `%`).
    keys: Vec<String>,
}

/// The seen-before findings of what the knowledge base knows and this
/// record's impact text; see the module docs.
pub fn seen_before_findings(known: &Known, impact: &str) -> Vec<Finding> {
    let mut found: Vec<Finding> = known
        .matches
        .iter()
        .take(MAX_PAST_MATCHES)
        .map(|past| {
            let mut statement = format!(
                "Seen before: #{} (\"{}\")",
                past.id,
                quote(&past.title, QUOTE_CHARS)
            );
            if !past.why.trim().is_empty() {
                statement.push_str(&format!(" matches on {}", quote(&past.why, QUOTE_CHARS)));
            }
            let patterns: Vec<String> = past
                .patterns
                .iter()
                .filter(|p| !p.trim().is_empty())
                .map(|p| format!("\"{}\"", quote(p, QUOTE_CHARS)))
                .collect();
            match patterns.len() {
                0 => {}
                1 => statement.push_str(&format!("; its pattern: {}", patterns[0])),
                _ => statement.push_str(&format!("; its patterns: {}", and_list(&patterns))),
            }
            if !past.fixed_by.trim().is_empty() {
                statement.push_str(&format!(
                    "; what fixed it: \"{}\"",
                    quote(&past.fixed_by, QUOTE_CHARS)
                ));
            }
            statement.push_str(". Does it apply here?");
            Finding {
                kind: FindingKind::SeenBefore,
                statement,
                evidence: vec![cite(format!("Postmortem #{}", past.id), 1, &past.title)],
            }
        })
        .collect();
    found.extend(recurrence(&known.earlier, impact));
    found
}

/// The finding of the earlier occurrences: the trend of a quantity they
/// share with this one, or else their names.
fn recurrence(earlier: &[Occurrence], impact: &str) -> Option<Finding> {
    if earlier.is_empty() {
        return None;
    }
    let mut texts: Vec<(Option<&Occurrence>, &str)> = earlier
        .iter()
        .map(|o| (Some(o), o.impact.as_str()))
        .collect();
    if !impact.trim().is_empty() {
        texts.push((None, impact));
    }
    let read: Vec<Vec<Quantity>> = texts.iter().map(|(_, t)| quantities(t)).collect();
    let mut evidence: Vec<Cited> = Vec::new();
    let Some(series) = series(&read) else {
        let named: Vec<String> = earlier.iter().take(MAX_NAMED).map(occurrence).collect();
        let more = match earlier.len().saturating_sub(MAX_NAMED) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        let count = match earlier.len() {
            1 => "1 earlier occurrence is linked".to_string(),
            n => format!("{n} earlier occurrences are linked"),
        };
        evidence.extend(earlier.iter().map(occurrence_cite));
        evidence.truncate(MAX_CITED_LINES);
        return Some(Finding {
            kind: FindingKind::SeenBefore,
            statement: format!(
                "This has happened before: {count} ({}{more}). What did the fixes then leave \
                 in place?",
                named.join("; ")
            ),
            evidence,
        });
    };
    let values: Vec<String> = series.iter().map(|&(_, q)| q.written.clone()).collect();
    let &(_, last) = series.last()?;
    let unit = match last.unit.as_str() {
        "" => String::new(),
        unit => format!(" {unit}"),
    };
    let listed = match values.as_slice() {
        [rest @ .., end] => format!("{}, then {end}{unit}", rest.join(", ")),
        [] => String::new(),
    };
    let whose: Vec<String> = series
        .iter()
        .map(|&(i, _)| match texts[i].0 {
            Some(o) => match &o.date {
                Some(date) => format!("#{} on {date}", o.id),
                None => format!("#{}", o.id),
            },
            None => "this incident".to_string(),
        })
        .collect();
    let trend = trend(&series.iter().map(|(_, q)| q.value).collect::<Vec<_>>());
    for &(i, _) in &series {
        evidence.push(match texts[i].0 {
            Some(o) => occurrence_cite(o),
            None => cite("Impact".to_string(), 1, impact),
        });
    }
    evidence.truncate(MAX_CITED_LINES);
    Some(Finding {
        kind: FindingKind::SeenBefore,
        statement: format!(
            "The same problem recurs: {listed} ({}): {trend}",
            whose.join(", ")
        ),
        evidence,
    })
}

/// `#12 "Oversold jackets" (2024-01-15)`.
fn occurrence(o: &Occurrence) -> String {
    match &o.date {
        Some(date) => format!("#{} \"{}\" on {date}", o.id, quote(&o.title, QUOTE_CHARS)),
        None => format!("#{} \"{}\"", o.id, quote(&o.title, QUOTE_CHARS)),
    }
}

/// An earlier occurrence cited: its impact, or its title if it recorded
/// none.
fn occurrence_cite(o: &Occurrence) -> Cited {
    let text = if o.impact.trim().is_empty() {
        &o.title
    } else {
        &o.impact
    };
    cite(format!("Postmortem #{}", o.id), 1, text)
}

/// What the values do, in words, with the question it raises.
fn trend(values: &[f64]) -> String {
    let Some((&last, before)) = values.split_last() else {
        return String::new();
    };
    if before.is_empty() {
        return String::new();
    }
    let mean = before.iter().sum::<f64>() / before.len() as f64;
    let rising = values.windows(2).all(|pair| pair[1] > pair[0]);
    if mean <= 0.0 && last > 0.0 {
        "it grows. What makes it larger this time?".to_string()
    } else if last >= mean * 1.5 && mean > 0.0 {
        let times = format!("{:.1}", last / mean);
        let times = times.strip_suffix(".0").unwrap_or(&times);
        let each = if rising && values.len() >= 3 {
            " with each occurrence"
        } else {
            ""
        };
        format!(
            "it grows{each}, the latest about {times}× the mean of the earlier ones. What makes \
             it larger this time?"
        )
    } else if last * 1.5 <= mean {
        "it shrinks. What made it smaller this time?".to_string()
    } else {
        "it holds steady. What keeps bringing it back?".to_string()
    }
}

/// The series of a unit most texts share: (text index, its quantity).
fn series(read: &[Vec<Quantity>]) -> Option<Vec<(usize, &Quantity)>> {
    // Candidate keys, the latest text's first: its unit names the series.
    let mut keys: Vec<&str> = Vec::new();
    for quantities in read.iter().rev() {
        for key in quantities.iter().flat_map(|q| &q.keys) {
            if !keys.contains(&key.as_str()) {
                keys.push(key);
            }
        }
    }
    let with = |key: &str| -> Vec<(usize, &Quantity)> {
        read.iter()
            .enumerate()
            .filter_map(|(i, qs)| Some((i, qs.iter().find(|q| q.keys.iter().any(|k| k == key))?)))
            .collect()
    };
    let mut best: Option<Vec<(usize, &Quantity)>> = None;
    for key in keys {
        let found = with(key);
        if found.len() >= 2 && best.as_ref().is_none_or(|b| found.len() > b.len()) {
            best = Some(found);
        }
    }
    best
}

/// The quantities of a text; see the module docs.
fn quantities(text: &str) -> Vec<Quantity> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut found = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        // Markdown emphasis (`**47 customers**`) is not part of a number.
        let token = token.trim_start_matches(['(', '[', '~', '≈', '*', '_']);
        let (sign, rest) = match token.chars().next() {
            Some(c @ ('$' | '€' | '£' | '¥')) => (Some(c), &token[c.len_utf8()..]),
            _ => (None, token),
        };
        let digits_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
            .unwrap_or(rest.len());
        let (number, suffix) = rest.split_at(digits_end);
        let (number, ended) = match number.strip_suffix([',', '.']) {
            Some(n) => (n, true),
            None => (number, false),
        };
        let Ok(value) = number.replace(',', "").parse::<f64>() else {
            continue;
        };
        if !number.starts_with(|c: char| c.is_ascii_digit()) || !value.is_finite() {
            continue;
        }
        let suffix_unit = suffix.trim_end_matches([',', '.', ';', ':', ')', ']', '*', '_']);
        let sign = sign.map(String::from).unwrap_or_default();
        let (written, unit, keys) = match (sign.as_str(), suffix_unit) {
            ("", "") if ended || !suffix.is_empty() => continue,
            ("", "") => {
                let unit = words_after(&tokens[i + 1..]);
                let keys = unit_keys(&unit);
                (number.to_string(), unit, keys)
            }
            ("", stuck) if stuck.chars().all(|c| c.is_alphabetic() || c == '%') => (
                format!("{number}{stuck}"),
                String::new(),
                vec![stuck.to_lowercase()],
            ),
            (sign, _) if !sign.is_empty() => (
                format!("{sign}{number}"),
                String::new(),
                vec![sign.to_string()],
            ),
            _ => continue,
        };
        if keys.is_empty() {
            continue;
        }
        found.push(Quantity {
            value,
            written,
            unit,
            keys,
        });
    }
    found
}

/// The one or two words after a number that name its unit.
fn words_after(tokens: &[&str]) -> String {
    let mut unit: Vec<&str> = Vec::new();
    for token in tokens.iter().take(2) {
        let word = token.trim_end_matches([',', '.', ';', ':', ')', ']', '!', '?', '*', '_']);
        let lower = word.to_lowercase();
        if word.is_empty()
            || !word.chars().all(|c| c.is_alphabetic() || c == '-')
            || NOT_UNIT.contains(&lower.as_str())
        {
            break;
        }
        unit.push(word);
        if word.len() != token.len() {
            break;
        }
    }
    unit.join(" ")
}

/// The keys a unit matches by: each word, lower case, a plural `s` cut.
fn unit_keys(unit: &str) -> Vec<String> {
    unit.split_whitespace()
        .map(|word| {
            let lower = word.to_lowercase();
            match lower.strip_suffix('s') {
                Some(stem) if stem.len() > 2 && !stem.ends_with('s') => stem.to_string(),
                _ => lower,
            }
        })
        .collect()
}
