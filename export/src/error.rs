//! [`ExportError`]: everything that can go wrong reading or writing a
//! postmortem file, worded for the person who has to fix the file.

use crate::FORMAT_VERSION;

/// Why a file could not be read (or, rarely, a record written).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// The text is not valid JSON or YAML at all.
    #[error("not valid {syntax}{}: {message}", at(*line, *column))]
    Syntax {
        /// `JSON` or `YAML front matter`.
        syntax: &'static str,
        /// 1-based line in the file, when the text has lines.
        line: Option<usize>,
        /// 1-based column.
        column: Option<usize>,
        /// What the parser said, without its own position.
        message: String,
    },
    /// Bytes that are not UTF-8 text, which every format is.
    #[error("not UTF-8 text{}: save the file as UTF-8", at(*line, Some(*column)))]
    NotUtf8 {
        /// 1-based line in the file; none for one line of a JSON Lines
        /// file, whose caller knows the line.
        line: Option<usize>,
        /// 1-based column, in bytes, of the first byte that is not UTF-8.
        column: usize,
    },
    /// Lists and mappings nested deeper than any postmortem needs. Refused
    /// rather than parsed: a parser's work (the YAML one's in particular)
    /// grows faster than the depth.
    #[error("{}lists and mappings are nested more than {limit} deep; a postmortem needs only a few levels", at_line(*line))]
    TooDeep {
        /// 1-based line in the file where the limit is passed, when known.
        line: Option<usize>,
        /// The deepest nesting accepted.
        limit: usize,
    },
    /// A value has the wrong type (a list where a text goes, a word where a
    /// number goes).
    #[error("{}{field}: {message}", at_line(*line))]
    Field {
        /// Dotted, as in validation errors: `hypotheses.0.confidence.1.value`.
        field: String,
        /// 1-based line in the file, when known.
        line: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// A JSON document or line that is not an object (or an array of them).
    #[error("expected a JSON object (one postmortem), found {found}")]
    NotAnObject {
        /// `an array`, `a string`, ...
        found: &'static str,
    },
    /// Front matter that is not `key: value` lines.
    #[error("line 2: the front matter must be `key: value` lines, found {found}")]
    FrontMatterNotAMapping {
        /// `a list`, `a string`, ...
        found: &'static str,
    },
    /// A markdown file that does not start with front matter.
    #[error("line 1: a postmortem in markdown starts with a line `---`, then its front matter")]
    NoFrontMatter,
    /// Front matter opened and never closed.
    #[error("line 1: the front matter is never closed by a line `---`")]
    UnclosedFrontMatter,
    /// A file written by a newer Hindsight.
    #[error("hindsight_format: version {found} is newer than this Hindsight reads ({FORMAT_VERSION}); update Hindsight to import it")]
    NewerFormat {
        /// The version the file says it is.
        found: u64,
    },
    /// One item of a JSON array failed.
    #[error("item {index}: {source}")]
    Item {
        /// 1-based position in the array.
        index: usize,
        /// What was wrong with it.
        source: Box<ExportError>,
    },
    /// A format name nobody knows.
    #[error("unknown format {0:?}: use markdown or json")]
    UnknownFormat(String),
    /// The record could not be written (a bug: every record is writable).
    #[error("cannot write the postmortem: {0}")]
    Write(String),
}

fn at(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(" at line {l}, column {c}"),
        (Some(l), None) => format!(" at line {l}"),
        (None, Some(c)) => format!(" at column {c}"),
        (None, None) => String::new(),
    }
}

fn at_line(line: Option<usize>) -> String {
    line.map(|l| format!("line {l}: ")).unwrap_or_default()
}

/// From a JSON parse of a whole text: `lines` tells whether the text may
/// span lines (a document) or is one line of a JSON Lines file, whose
/// caller knows the line number.
pub(crate) fn json_syntax(e: &serde_json::Error, lines: bool) -> ExportError {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = text.strip_suffix(&suffix).unwrap_or(&text).to_string();
    let line = (lines && e.line() > 0).then_some(e.line());
    if message == RECURSION_LIMIT {
        return ExportError::TooDeep {
            line,
            limit: PARSER_DEPTH,
        };
    }
    ExportError::Syntax {
        syntax: "JSON",
        line,
        column: (e.column() > 0).then_some(e.column()),
        message,
    }
}

/// How serde_json and yaml_serde say a text nests deeper than they read.
const RECURSION_LIMIT: &str = "recursion limit exceeded";

/// The nesting serde_json and yaml_serde read (their recursion limit).
const PARSER_DEPTH: usize = 128;

/// From a JSON value of the wrong shape, naming the field.
pub(crate) fn json_field(e: serde_path_to_error::Error<serde_json::Error>) -> ExportError {
    let field = dotted_path(e.path());
    let inner = e.into_inner();
    field_error(field, None, inner.to_string())
}

fn dotted_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        if !out.is_empty() {
            out.push('.');
        }
        match segment {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } => out.push_str(key),
            Segment::Enum { variant } => out.push_str(variant),
            Segment::Unknown => out.push('?'),
        }
    }
    out
}

fn field_error(field: String, line: Option<usize>, message: String) -> ExportError {
    if field.is_empty() {
        // A type error at the top: the record as a whole is of the wrong
        // kind. Said as a syntax problem, which is what it looks like.
        return ExportError::Syntax {
            syntax: "JSON",
            line,
            column: None,
            message,
        };
    }
    ExportError::Field {
        field,
        line,
        message,
    }
}

/// From a YAML parse of front matter that starts on file line
/// `first_line`: positions become the file's, and the field path the
/// dotted form validation uses.
pub(crate) fn yaml(e: &yaml_serde::Error, first_line: usize) -> ExportError {
    let text = e.to_string();
    let offset = first_line - 1;
    let Some(loc) = e.location() else {
        let (field, message) = split_path(&text);
        return match field {
            Some(field) => ExportError::Field {
                field,
                line: None,
                message: message.to_string(),
            },
            None => ExportError::Syntax {
                syntax: "YAML front matter",
                line: None,
                column: None,
                message: text,
            },
        };
    };
    // The message ends with (or, for parser errors, contains) its own
    // position, relative to the front matter; keep the rest, with any other
    // line it mentions moved to the file's numbering.
    let own = format!(" at line {} column {}", loc.line(), loc.column());
    let message = shift_lines(&text.replacen(&own, "", 1), offset);
    let line = loc.line() + offset;
    if message == RECURSION_LIMIT {
        // Block collections: cheap to parse, so left to the parser's own
        // limit (flow ones are refused before, see `crate::nesting`).
        return ExportError::TooDeep {
            line: Some(line),
            limit: PARSER_DEPTH,
        };
    }
    match split_path(&message) {
        (Some(field), rest) => ExportError::Field {
            field,
            line: Some(line),
            message: rest.to_string(),
        },
        (None, _) => ExportError::Syntax {
            syntax: "YAML front matter",
            line: Some(line),
            column: Some(loc.column()),
            message,
        },
    }
}

/// `hypotheses[0].confidence[1].value: invalid type` → the dotted field and
/// the rest, when the message starts with a path.
fn split_path(message: &str) -> (Option<String>, &str) {
    let Some((head, rest)) = message.split_once(": ") else {
        return (None, message);
    };
    let is_path = !head.is_empty()
        && head
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'));
    if !is_path {
        return (None, message);
    }
    let dotted = head.replace('[', ".").replace(']', "");
    (Some(dotted), rest)
}

/// Adds `offset` to every `line N` in `text`.
fn shift_lines(text: &str, offset: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("line ") {
        out.push_str(&rest[..i + 5]);
        rest = &rest[i + 5..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        match rest[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&(n + offset).to_string()),
            Err(_) => out.push_str(&rest[..digits]),
        }
        rest = &rest[digits..];
    }
    out.push_str(rest);
    out
}

/// What kind of JSON value this is, for messages.
pub(crate) fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_moved_to_the_file() {
        assert_eq!(
            shift_lines("x at line 2 column 1, while at line 10", 1),
            "x at line 3 column 1, while at line 11"
        );
        assert_eq!(
            shift_lines("a line without number", 3),
            "a line without number"
        );
    }

    #[test]
    fn paths_become_dotted_fields() {
        assert_eq!(
            split_path("hypotheses[0].confidence[1].value: invalid type: string"),
            (
                Some("hypotheses.0.confidence.1.value".to_string()),
                "invalid type: string"
            )
        );
        assert_eq!(split_path("invalid type: string").0, None);
    }
}
