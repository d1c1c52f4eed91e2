//! Log lines read from a paste: each line's time, level, component and
//! message, and the message's signature.
//!
//! A line is read as structured when it is a JSON object or all `key=value`
//! pairs (logfmt), by its field names (`fields`); otherwise as text, by
//! taking apart the prefix logging libraries write before the message
//! (`head`). The stamps of all lines are then placed on one time axis
//! together ([`place_times`]), since a time of day means nothing alone.
//!
//! The `key=value` pairs inside a line (`pairs`) give the few words a
//! statement quotes for it ([`LogLine::gist`], by `gist`) and the fields
//! findings compare across lines.

#[cfg(test)]
mod component_tests;
mod fields;
mod gist;
#[cfg(test)]
mod gist_tests;
mod head;
mod pairs;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::clock::{place_times, Stamp};
use crate::level::Level;
use crate::signature::signature;

pub(crate) use fields::meta_key;
pub(crate) use pairs::pairs;

/// The most lines of a paste looked at; later ones are ignored, so a
/// pasted 10 MB log costs no more than its first lines.
pub const MAX_LINES: usize = 20_000;

/// The most bytes of a paste looked at, in whole lines: with
/// [`MAX_LINES`] it bounds the time a reading takes, whatever is pasted
/// (a 16 MiB paste of long lines is read in its first 4 MiB).
pub const MAX_READ_BYTES: usize = 4 * 1024 * 1024;

/// The most bytes of one line looked at (cut on a char boundary): a
/// megabyte-long line is a blob, not a message.
pub const MAX_LINE_BYTES: usize = 2_000;

/// One non-blank line of a paste, read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    /// The line's number in the paste, from 1, blank lines counted.
    pub number: usize,
    /// When it was written, as placed by [`place_times`] among the other
    /// lines; `None` when it has no stamp.
    pub at: Option<i64>,
    /// The level it declares.
    pub level: Option<Level>,
    /// The service, program or logger it comes from, when the line's shape
    /// says so clearly.
    pub component: Option<String>,
    /// What it says, without its time, level and component prefix.
    pub message: String,
    /// The message with volatile words masked ([`signature`]).
    pub signature: String,
}

impl LogLine {
    /// What the line says in a few words, for a statement to quote: the
    /// text of a quoted `error=`, `err=`, `msg=`, `message=` or `reason=`
    /// field, or the message without the `key=value` pairs (request ids,
    /// counts) before and after its words. Not cut: callers cut to their
    /// room.
    pub fn gist(&self) -> String {
        gist::gist(&self.message)
    }
}

/// What one line says, before its time is placed among the others'.
struct Read {
    stamp: Option<Stamp>,
    level: Option<Level>,
    component: Option<String>,
    message: String,
}

/// The non-blank lines of a paste, read (at most [`MAX_LINES`] lines and
/// [`MAX_READ_BYTES`] of the paste, each line cut to [`MAX_LINE_BYTES`]). Control characters other
/// than tab are read as spaces.
pub fn read_lines(text: &str) -> Vec<LogLine> {
    let reads: Vec<(usize, Read)> = raw_lines(text)
        .map(|(number, line)| {
            let read = fields::read(&line).unwrap_or_else(|| head::read(&line));
            (number, read)
        })
        .collect();
    let stamps: Vec<Option<Stamp>> = reads.iter().map(|(_, read)| read.stamp.clone()).collect();
    reads
        .into_iter()
        .zip(place_times(&stamps))
        .map(|((number, read), at)| LogLine {
            number,
            at,
            level: read.level,
            component: read.component,
            signature: signature(&read.message),
            message: read.message,
        })
        .collect()
}

/// The non-blank lines of a paste as [`read_lines`] sees them, before
/// reading: numbered from 1, capped, cut and cleaned the same way, for
/// findings that read more of a line than [`LogLine`] keeps.
pub(crate) fn raw_lines(text: &str) -> impl Iterator<Item = (usize, String)> + '_ {
    within_caps(text).enumerate().filter_map(|(index, raw)| {
        let line = cleaned(cut_at_boundary(raw, MAX_LINE_BYTES));
        (!line.trim().is_empty()).then_some((index + 1, line))
    })
}

/// The lines of `text` a reading looks at: the first [`MAX_LINES`], as
/// long as they come to at most [`MAX_READ_BYTES`].
pub fn within_caps(text: &str) -> impl Iterator<Item = &str> {
    let mut read = 0usize;
    text.lines().take(MAX_LINES).take_while(move |line| {
        read = read.saturating_add(line.len() + 1);
        read <= MAX_READ_BYTES
    })
}

/// The longest prefix of `text` of at most `max` bytes ending on a char
/// boundary.
fn cut_at_boundary(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// `text` with control characters other than tab as spaces, and ANSI
/// escape sequences (`ESC [ 31 m`) as one space: pasted terminal output
/// carries colour codes and carriage returns.
fn cleaned(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            // Parameters and intermediates, up to the final byte.
            for c in chars.by_ref() {
                if ('\u{40}'..='\u{7e}').contains(&c) {
                    break;
                }
            }
            out.push(' ');
        } else if c.is_control() && c != '\t' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// A logger's short name: the class of a Java-style logger
/// (`c.e.PaymentService` → `PaymentService`); any other name whole
/// (`app.payments`, `payments-api`).
fn logger_name(name: &str) -> String {
    let mut segments: Vec<&str> = name.split('.').collect();
    let last = segments.pop().unwrap_or(name);
    let java = !segments.is_empty()
        && segments
            .iter()
            .all(|s| s.starts_with(|c: char| c.is_ascii_lowercase()))
        && last.starts_with(|c: char| c.is_ascii_uppercase());
    if java { last } else { name }.to_string()
}
