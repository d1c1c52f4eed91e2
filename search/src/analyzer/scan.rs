//! Text cut into raw words: runs of alphanumerics and joiners, identifiers
//! split into their words, and volatile tokens (times, ids, addresses)
//! dropped.

use super::MAX_TOKEN_BYTES;

/// Pure numbers with more digits than this are ids, counts or epoch times, not codes.
const MAX_CODE_DIGITS: usize = 4;

/// Characters that join the words of one identifier (`a.b`, `a-b`, `a_b`, `a:b`).
fn is_joiner(c: char) -> bool {
    matches!(c, '.' | '-' | '_' | ':')
}

/// Calls `emit(offset_from, offset_to, position, raw word)` for each word the
/// analyzer turns into a term (or drops, as a stopword or overlong word).
pub(super) fn scan(text: &str, mut emit: impl FnMut(usize, usize, usize, &str)) {
    let mut position = 0;
    let mut start = None;
    for (at, c) in text.char_indices().chain([(text.len(), ' ')]) {
        let inside = c.is_alphanumeric() || is_joiner(c);
        match (start, inside) {
            (None, true) => start = Some(at),
            (Some(from), false) => {
                chunk(text, from, at, &mut position, &mut emit);
                start = None;
            }
            _ => {}
        }
    }
}

/// Emits the words of `text[from..to]`.
fn chunk(
    text: &str,
    from: usize,
    to: usize,
    position: &mut usize,
    emit: &mut impl FnMut(usize, usize, usize, &str),
) {
    let raw = &text[from..to];
    let trimmed_start = raw.trim_start_matches(is_joiner);
    let from = from + (raw.len() - trimmed_start.len());
    let word = trimmed_start.trim_end_matches(is_joiner);
    if word.is_empty() || is_volatile(word) {
        return;
    }
    // An overlong word without joiners is a blob (base64, a hash), not an identifier
    // whose words are worth keeping.
    if word.len() > MAX_TOKEN_BYTES && !word.contains(is_joiner) {
        return;
    }
    let mut push = |offset: usize, len: usize, position: usize| {
        emit(
            from + offset,
            from + offset + len,
            position,
            &word[offset..offset + len],
        );
    };
    // Most words are plain words: no joiners, no case change inside.
    let plain = word
        .bytes()
        .skip(1)
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if plain {
        push(0, word.len(), *position);
        *position += 1;
        return;
    }
    let mut parts = 0;
    words(word, |_, _| parts += 1);
    // A version or a decimal (`1.2.3`, `0.5`) is one value, not words.
    let numeric = word.chars().all(|c| c.is_ascii_digit() || c == '.');
    if parts <= 1 || numeric {
        push(0, word.len(), *position);
        *position += 1;
        return;
    }
    // The whole identifier shares its position with its first word, like a synonym.
    let first = *position;
    push(0, word.len(), first);
    words(word, |offset, len| {
        let part = &word[offset..offset + len];
        // Inside an identifier a long number is a shard or build id; drop it. Five
        // digits are still a code (`ORA-00060`).
        if part.chars().all(|c| c.is_ascii_digit()) && len > MAX_CODE_DIGITS + 1 {
            return;
        }
        push(offset, len, *position);
        *position += 1;
    });
    // After the words, so these too lie inside the whole identifier (pairs
    // skip them).
    names(word, |offset, len| {
        emit(
            from + offset,
            from + offset + len,
            first,
            &word[offset..offset + len],
        );
    });
    acronyms(word, |offset, len, acronym| {
        emit(from + offset, from + offset + len, first, acronym);
    });
}

/// Calls `f(offset, len)` for the names inside a dotted identifier that
/// two reports of one failure share whatever the package, the version or
/// the line: each class name (`java.net.UnknownHostException` gives
/// `UnknownHostException`, as another report may write it) and each
/// method with its class, a stack frame without its line
/// (`org.apache.hadoop.hdfs.DFSClient.create` gives `DFSClient.create`).
fn names(word: &str, mut f: impl FnMut(usize, usize)) {
    let mut segments: Vec<(usize, &str)> = Vec::new();
    let mut start = 0;
    for part in word.split('.') {
        segments.push((start, part));
        start += part.len() + 1;
    }
    if segments.len() < 2 {
        return;
    }
    let is_class = |part: &str| {
        let mut parts = 0;
        words(part, |_, _| parts += 1);
        part.starts_with(|c: char| c.is_ascii_uppercase()) && parts >= 2
    };
    let is_method = |part: &str| part.starts_with(|c: char| c.is_ascii_lowercase());
    for (at, &(offset, part)) in segments.iter().enumerate() {
        if !is_class(part) && !part.starts_with(|c: char| c.is_ascii_uppercase()) {
            continue;
        }
        match segments.get(at + 1) {
            Some(&(next, method)) if is_method(method) && at + 2 == segments.len() => {
                if offset > 0 {
                    f(offset, next + method.len() - offset);
                }
                if is_class(part) {
                    f(offset, part.len());
                }
            }
            _ if is_class(part) && part.len() < word.len() => f(offset, part.len()),
            _ => {}
        }
    }
}

/// Most words an acronym is made of (`HorizontalPodAutoscaler`, `hpa`); a
/// longer name is not shortened in practice.
const MAX_ACRONYM: usize = 5;

/// Calls `f(offset, len, acronym)` for each part of `word` between joiners
/// that is a name of capitalised words (`ResourceManager`,
/// `NullPointerException`), with the acronym people write for it (`RM`,
/// `NPE`): reports and alerts say `RM` where a stack trace says
/// `ResourceManager`, and each must find the other. Parts with a word in
/// capitals (`DBPool`, `HTTPServer`) or digits are left alone: their
/// initials are not how anyone abbreviates them.
fn acronyms(word: &str, mut f: impl FnMut(usize, usize, &str)) {
    let mut start = 0;
    for part in word.split(is_joiner) {
        let offset = start;
        start += part.len() + 1;
        if part.len() < 4 || !part.starts_with(|c: char| c.is_ascii_uppercase()) {
            continue;
        }
        let mut initials = String::new();
        let mut capitalised = true;
        words(part, |at, len| {
            let w = &part[at..at + len];
            let mut chars = w.chars();
            let first = chars.next().unwrap_or(' ');
            capitalised &=
                first.is_ascii_uppercase() && len > 1 && chars.all(|c| c.is_ascii_lowercase());
            initials.push(first);
        });
        if capitalised && (2..=MAX_ACRONYM).contains(&initials.len()) {
            f(offset, part.len(), &initials);
        }
    }
}

/// Calls `f(offset, len)` for each word of an identifier, in order: split at
/// joiners and at case changes (`DBPool` → `DB`, `Pool`; `readTimeout` →
/// `read`, `Timeout`). Letters and digits stay together (`p99`, `5xx`,
/// `http2`). Allocates nothing: a pasted log has an identifier every few
/// words.
pub(super) fn words(word: &str, mut f: impl FnMut(usize, usize)) {
    let mut start: Option<usize> = None;
    // Only read once a word has started, when it is the word's last letter.
    let mut prev = ' ';
    let mut chars = word.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if is_joiner(c) {
            if let Some(from) = start.take() {
                f(from, at - from);
            }
        } else if let Some(from) = start {
            let next = chars.peek().map(|&(_, c)| c);
            let boundary = c.is_uppercase()
                && (prev.is_lowercase()
                    || (prev.is_uppercase() && next.is_some_and(char::is_lowercase)));
            if boundary {
                f(from, at - from);
                start = Some(at);
            }
        } else {
            start = Some(at);
        }
        prev = c;
    }
    if let Some(from) = start {
        f(from, word.len() - from);
    }
}

/// Whether `word` (already trimmed of joiners) changes from one occurrence of an
/// incident to the next and so identifies nothing: dates and times, UUIDs, long
/// hex ids, IP addresses, long numbers.
pub(super) fn is_volatile(word: &str) -> bool {
    let bytes = word.as_bytes();
    let digits = bytes.iter().filter(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return false;
    }
    // Long numbers, also with separators (`1234567`, `12.345.678`).
    if bytes
        .iter()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b','))
    {
        let is_ipv4 = word.split('.').count() == 4;
        return digits > MAX_CODE_DIGITS || is_ipv4;
    }
    // ISO dates and timestamps: `2024-05-01`, `2024-05-01T12:00:03.123Z`.
    if bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
        && bytes[8..10].iter().all(u8::is_ascii_digit)
    {
        return true;
    }
    // Times (`12:03`, `12:03:04.5`), IPv4 with port (`10.0.0.1:8080`): digits and
    // separators only, with at least one colon.
    if bytes
        .iter()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b':'))
    {
        return true;
    }
    // IPv6 (`fe80::1`, `2001:db8:0:0:0:0:2:1`): hex groups and at least two colons.
    if bytes.iter().filter(|&&b| b == b':').count() >= 2
        && bytes.iter().all(|b| b.is_ascii_hexdigit() || *b == b':')
    {
        return true;
    }
    // UUIDs and other hex ids: long runs of hex digits mixing letters and digits
    // (`3f2b9c1e-...`, `a1b2c3d4e5f6`). Words such as `deadbeef` or `decade` have no
    // digits and stay.
    let hex_run = word.split(|c: char| is_joiner(c)).any(|part| {
        part.len() >= 8
            && part.bytes().all(|b| b.is_ascii_hexdigit())
            && part.bytes().any(|b| b.is_ascii_digit())
    });
    if hex_run {
        return true;
    }
    false
}
