//! How deep the flow collections (`[...]`, `{...}`) of YAML front matter
//! nest, bounded before the YAML parser sees the text. The parser's work
//! for each token grows with the flow depth it is at, so front matter of
//! 100,000 `[` took half a minute of CPU before its own recursion limit
//! refused it. (Block collections, nested by indentation or `- - -`, cost
//! it nothing extra; its recursion limit refuses those quickly, see
//! `error::yaml`. JSON needs nothing: serde_json stops at 128 levels, in
//! time linear in the text.)
//!
//! The bound must hold for any text, hostile or not. A `[` opens a
//! collection only where the YAML scanner starts a token, not inside a
//! quoted, plain or block scalar or a comment; and where a plain or block
//! scalar ends depends on the indentation of the collections around it.
//! Rather than re-implement YAML, the scan follows every reading the
//! scanner might take: it keeps a set of states (the kind of text it is in,
//! and the flow depth), and where the next step depends on what it does not
//! track (does this scalar go on on the next line, or does a token start
//! there?), it keeps both. The scanner's own reading is always in the set,
//! so the deepest state bounds the parser's depth; the set holds one bit per
//! depth per kind of text, so the scan is linear. The price is that text
//! that some reading takes for more than [`MAX_FLOW_DEPTH`] open brackets is
//! refused: a block text (`|`) whose lines, read as YAML, leave that many
//! `[` or `{` open, which no postmortem needs.

use crate::ExportError;

/// The deepest flow nesting accepted. A postmortem written by Hindsight
/// has none (its lists are block lists); a hand-written one, a few.
pub(crate) const MAX_FLOW_DEPTH: usize = 64;

/// What kind of text the scanner is in, as the YAML scanner sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Between tokens: where `[` and `{` open a collection.
    Token,
    /// In a plain (unquoted) scalar.
    Plain,
    /// In a plain scalar, after blanks or a line break.
    PlainSpace,
    /// In a `'single-quoted'` scalar.
    Single,
    /// After a `'` in a single-quoted scalar: its end, or `''`.
    SingleEnd,
    /// In a `"double-quoted"` scalar.
    Double,
    /// After a `\` in a double-quoted scalar.
    DoubleEscape,
    /// In a `#` comment, or a `%` directive.
    Comment,
    /// In an `&anchor` or `*alias` name.
    Anchor,
    /// In a `!tag`.
    Tag,
    /// On the line of a block scalar's `|` or `>`.
    ScalarHeader,
    /// In a block scalar's lines (block context only).
    Scalar,
    /// On a document marker (`---`, `...`), two characters left.
    Marker2,
    /// On a document marker, one character left.
    Marker1,
}

const KINDS: [Kind; 14] = [
    Kind::Token,
    Kind::Plain,
    Kind::PlainSpace,
    Kind::Single,
    Kind::SingleEnd,
    Kind::Double,
    Kind::DoubleEscape,
    Kind::Comment,
    Kind::Anchor,
    Kind::Tag,
    Kind::ScalarHeader,
    Kind::Scalar,
    Kind::Marker2,
    Kind::Marker1,
];

/// The flow depths a reading in one kind of text may be at: bit `d` is
/// depth `d`, bit 0 the block context.
type Depths = u128;

/// The first depth refused.
const TOO_DEEP: Depths = 1 << (MAX_FLOW_DEPTH + 1);

/// For each kind of text, the depths some reading is at.
type States = [Depths; KINDS.len()];

/// `Ok` when no reading of `yaml` nests flow collections more than
/// [`MAX_FLOW_DEPTH`] deep; otherwise the error names the line, counting
/// the first line of `yaml` as the file's `first_line`.
pub(crate) fn check(yaml: &str, first_line: usize) -> Result<(), ExportError> {
    // The parser drops a byte-order mark at the start as it reads the
    // encoding, so the column after it is still the first.
    let yaml = crate::text::without_bom(yaml);
    let mut states: States = [0; KINDS.len()];
    states[Kind::Token as usize] = 1;
    let mut line = first_line;
    let mut line_start = true;
    for (i, c) in yaml.char_indices() {
        let rest = &yaml[i..];
        let here = Here {
            c,
            next: rest[c.len_utf8()..].chars().next(),
            rest,
            line_start,
        };
        let mut next: States = [0; KINDS.len()];
        for kind in KINDS {
            let depths = states[kind as usize];
            if depths != 0 {
                step(kind, depths, &here, &mut next);
            }
        }
        if next.iter().any(|d| d & TOO_DEEP != 0) {
            return Err(ExportError::TooDeep {
                line: Some(line),
                limit: MAX_FLOW_DEPTH,
            });
        }
        states = next;
        line_start = is_break(c);
        if c == '\n' {
            line += 1;
        }
    }
    Ok(())
}

/// The character being read, and what the steps need around it.
struct Here<'a> {
    c: char,
    next: Option<char>,
    /// The text from `c` on.
    rest: &'a str,
    /// Whether `c` is in the first column.
    line_start: bool,
}

impl Here<'_> {
    /// A document marker: `---` or `...` in the first column, then a blank.
    fn is_marker(&self) -> bool {
        self.line_start
            && (self.rest.starts_with("---") || self.rest.starts_with("..."))
            && blankz(self.rest[3..].chars().next())
    }
}

fn add(states: &mut States, kind: Kind, depths: Depths) {
    states[kind as usize] |= depths;
}

/// Line breaks, as YAML 1.1 (and so libyaml) counts them.
fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t')
}

/// A blank, a break or the end of the text.
fn blankz(c: Option<char>) -> bool {
    c.is_none_or(|c| is_blank(c) || is_break(c) || c == '\0')
}

/// Characters a tag goes on through, whatever else they could be.
fn is_tag_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_;/?:@&=+$.%!~*'()<>".contains(c)
}

/// The readings `depths` in text of `kind`, after `here.c`, into `next`.
fn step(kind: Kind, depths: Depths, here: &Here, next: &mut States) {
    let c = here.c;
    let block = depths & 1;
    match kind {
        Kind::Token => token(depths, here, next),
        Kind::Plain | Kind::PlainSpace => match c {
            // A document marker ends a plain scalar.
            '-' | '.' if here.is_marker() => token(depths, here, next),
            // A plain scalar may go on on the next line (when indented
            // more than its collection: not tracked), or end there.
            _ if is_break(c) => {
                add(next, Kind::PlainSpace, depths);
                add(next, Kind::Token, block);
            }
            _ if is_blank(c) => add(next, Kind::PlainSpace, depths),
            '#' if kind == Kind::PlainSpace => add(next, Kind::Comment, depths),
            ':' if blankz(here.next) => add(next, Kind::Token, depths),
            // In a flow collection these end the scalar; in the block
            // context they are part of it.
            '[' | ']' | '{' | '}' | ',' => {
                add(next, Kind::Plain, block);
                token(depths & !1, here, next);
            }
            _ => add(next, Kind::Plain, depths),
        },
        Kind::Single => match c {
            '\'' => add(next, Kind::SingleEnd, depths),
            _ => add(next, Kind::Single, depths),
        },
        Kind::SingleEnd => match c {
            '\'' => add(next, Kind::Single, depths),
            _ => token(depths, here, next),
        },
        Kind::Double => match c {
            '\\' => add(next, Kind::DoubleEscape, depths),
            '"' => add(next, Kind::Token, depths),
            _ => add(next, Kind::Double, depths),
        },
        Kind::DoubleEscape => add(next, Kind::Double, depths),
        Kind::Comment => match c {
            _ if is_break(c) => add(next, Kind::Token, depths),
            _ => add(next, Kind::Comment, depths),
        },
        Kind::Anchor => match c {
            _ if c.is_ascii_alphanumeric() || c == '_' || c == '-' => {
                add(next, Kind::Anchor, depths);
            }
            _ => token(depths, here, next),
        },
        Kind::Tag => match c {
            _ if is_blank(c) || is_break(c) => add(next, Kind::Token, depths),
            // Part of some tags, a token after others.
            '[' | ']' | ',' => {
                add(next, Kind::Tag, depths);
                token(depths, here, next);
            }
            _ if is_tag_char(c) => add(next, Kind::Tag, depths),
            _ => token(depths, here, next),
        },
        // Where a block scalar ends depends on indentation: any line may
        // be its last.
        Kind::ScalarHeader | Kind::Scalar => {
            if is_break(c) {
                add(next, Kind::Scalar, depths);
                add(next, Kind::Token, depths);
            } else {
                add(next, kind, depths);
            }
        }
        Kind::Marker2 => add(next, Kind::Marker1, depths),
        Kind::Marker1 => add(next, Kind::Token, depths),
    }
}

/// The readings `depths` at the start of a token, after `here.c`.
fn token(depths: Depths, here: &Here, next: &mut States) {
    if depths == 0 {
        return;
    }
    let c = here.c;
    let block = depths & 1;
    let flow = depths & !1;
    match c {
        _ if is_blank(c) || is_break(c) => add(next, Kind::Token, depths),
        '\u{feff}' if here.line_start => add(next, Kind::Token, depths),
        '#' => add(next, Kind::Comment, depths),
        '[' | '{' => add(next, Kind::Token, depths << 1),
        // At depth 0 a stray `]` changes nothing (the parser refuses it).
        ']' | '}' => add(next, Kind::Token, (depths >> 1) | block),
        ',' => add(next, Kind::Token, depths),
        // A document marker (in a flow collection the parser refuses it,
        // but the scanner reads it all the same).
        '-' | '.' if here.is_marker() => add(next, Kind::Marker2, depths),
        '-' if blankz(here.next) => add(next, Kind::Token, depths),
        // Always indicators in a flow collection; in the block context
        // only before a blank.
        '?' | ':' if blankz(here.next) => add(next, Kind::Token, depths),
        '?' | ':' => {
            add(next, Kind::Token, flow);
            add(next, Kind::Plain, block);
        }
        '*' | '&' => add(next, Kind::Anchor, depths),
        '!' => add(next, Kind::Tag, depths),
        // Block scalars exist in the block context only.
        '|' | '>' => {
            add(next, Kind::ScalarHeader, block);
            add(next, Kind::Plain, flow);
        }
        '\'' => add(next, Kind::Single, depths),
        '"' => add(next, Kind::Double, depths),
        '%' if here.line_start => add(next, Kind::Comment, depths),
        _ => add(next, Kind::Plain, depths),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_ok(yaml: &str) -> bool {
        check(yaml, 2).is_ok()
    }

    #[test]
    fn deep_flow_collections_are_refused_with_their_line() {
        let deep = format!("title: t\nservices: {}\n", "[".repeat(100_000));
        assert_eq!(
            check(&deep, 2).unwrap_err(),
            ExportError::TooDeep {
                line: Some(3),
                limit: MAX_FLOW_DEPTH
            }
        );
        let err = check(&"{".repeat(100_000), 2).unwrap_err().to_string();
        assert_eq!(
            err,
            "line 2: lists and mappings are nested more than 64 deep; a postmortem needs only a few levels"
        );
        // One per line, mixed, with blanks and comments between.
        assert!(!depth_ok(&"- [ # a comment\n  {a: \n".repeat(40)));

        let at_limit = format!("a: {}{}\n", "[".repeat(64), "]".repeat(64));
        assert!(depth_ok(&at_limit));
        let over = format!("a: {}{}\n", "[".repeat(65), "]".repeat(65));
        assert!(!depth_ok(&over));
        // Siblings are not depth.
        assert!(depth_ok(&format!(
            "a: [{}]\n",
            "[1], {b: 2}, ".repeat(1_000)
        )));
    }

    #[test]
    fn brackets_in_scalars_and_comments_are_text() {
        let texts = [
            format!("title: a {}\n", "[".repeat(200)),
            format!("title: '{}'\n", "[{".repeat(200)),
            format!("title: \"{}\"\n", "\\e[31m red \\\"[".repeat(200)),
            format!("title: t # {}\n", "[".repeat(200)),
            format!("body: |-\n  {}\n  more\nx: 1\n", "a [".repeat(200)),
            format!("k: [\"{}\", '{}']\n", "[".repeat(200), "]'' [".repeat(200)),
            format!("services: [a, b] # {}\n", "{".repeat(200)),
            format!("a: !tag x{}\n", "[".repeat(200)),
        ];
        for text in texts {
            assert!(depth_ok(&text), "{text}");
        }
    }

    #[test]
    fn brackets_that_may_open_collections_count() {
        let cases = [
            // After a quoted scalar ends (`''` is an escaped quote).
            format!("a: 'x''' {}\n", "[".repeat(100)),
            // A document marker starts a new document, on the same line.
            format!("a: 1\n--- {}\n", "[".repeat(100)),
            format!("a: 1\n... {}\n", "[".repeat(100)),
            // A block scalar ends at a less indented line.
            format!("- a: |\n      text\n  b: {}\n", "[".repeat(100)),
            // So does a plain scalar.
            format!("a: text\n  more\nb: {}\n", "{".repeat(100)),
            // A comment ends at any YAML line break.
            format!("a: # x\u{2028}{}\n", "[".repeat(100)),
            // In a flow collection a quote inside a plain scalar is text,
            // and does not hide the brackets after it.
            format!("a: [{}\n", "b\" [".repeat(100)),
            // After an anchor, a tag, or a byte-order mark in the first
            // column, a token starts.
            format!("a: &x {}\n", "[".repeat(100)),
            format!("a: !t {}\n", "[".repeat(100)),
            format!("\u{feff}{}\n", "[".repeat(100)),
        ];
        for text in cases {
            assert!(!depth_ok(&text), "{text}");
        }
    }
}
