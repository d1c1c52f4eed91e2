//! JSON: one postmortem as a pretty document (with [`FORMAT_KEY`] first),
//! and every postmortem as JSON Lines, one compact object per line and no
//! format key: the corpus format `hindsight import` has always read.
//!
//! Reading accepts a document holding one object or an array of them, and
//! single lines; a type error names its field
//! (`hypotheses.0.confidence.1.value: invalid type: ...`). A document may
//! start with a byte-order mark; a line may not, as only a file's start
//! has one (see [`crate::text::strip_bom`]). Nesting needs no limit here:
//! serde_json refuses more than 128 levels, in time linear in the text.

use crate::error::{json_field, json_kind, json_syntax};
use crate::shape::{check_version, unknown_keys, Header};
use crate::text::without_bom;
use crate::{ExportError, Parsed, FORMAT_KEY, FORMAT_VERSION};
use kb_domain::record::Parts;
use kb_domain::PostmortemInput;
use serde::Serialize;
use serde_json::Value;

/// One postmortem, marked with the format version.
#[derive(Serialize)]
struct Document<'a> {
    hindsight_format: u64,
    #[serde(flatten)]
    record: &'a PostmortemInput,
}

/// One postmortem as a pretty JSON document, ending in a newline.
pub fn write(input: &PostmortemInput) -> Result<String, ExportError> {
    let doc = Document {
        hindsight_format: FORMAT_VERSION,
        record: input,
    };
    let mut text =
        serde_json::to_string_pretty(&doc).map_err(|e| ExportError::Write(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// One postmortem as one line of JSON Lines, without the newline.
pub fn write_line(input: &PostmortemInput) -> Result<String, ExportError> {
    serde_json::to_string(input).map_err(|e| ExportError::Write(e.to_string()))
}

/// A JSON document: one postmortem, or an array of them. `Err` when the
/// text is not JSON at all; otherwise one result per postmortem, so that
/// one bad item does not sink the others.
pub fn read(text: &str) -> Result<Vec<Result<Parsed, ExportError>>, ExportError> {
    let text = without_bom(text);
    let value: Value = serde_json::from_str(text).map_err(|e| json_syntax(&e, true))?;
    Ok(match &value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                read_value(item).map_err(|e| ExportError::Item {
                    index: i + 1,
                    source: Box::new(e),
                })
            })
            .collect(),
        other => vec![read_value(other)],
    })
}

/// One line of a JSON Lines file. Positions in errors are columns: the
/// caller knows the line.
pub fn read_line(line: &str) -> Result<Parsed, ExportError> {
    let value: Value = serde_json::from_str(line).map_err(|e| json_syntax(&e, false))?;
    read_value(&value)
}

/// One postmortem from a parsed JSON value (an API request body).
pub fn read_value(value: &Value) -> Result<Parsed, ExportError> {
    let Value::Object(map) = value else {
        return Err(ExportError::NotAnObject {
            found: json_kind(value),
        });
    };
    check_version(map.get(FORMAT_KEY).and_then(Value::as_u64))?;
    let header: Header = serde_path_to_error::deserialize(value).map_err(json_field)?;
    let parts: Parts = serde_path_to_error::deserialize(value).map_err(json_field)?;
    Ok(Parsed {
        input: header.join(parts),
        unknown_keys: unknown_keys(map.keys().map(String::as_str)),
    })
}

/// Whether a `.json` file is really JSON Lines: a first value on one line,
/// followed by more. (Corpus files named `.json` were always read as
/// lines, and still are.) A pretty document followed by junk is not: it is
/// read as a document and its trailing junk reported.
pub fn is_json_lines(text: &str) -> bool {
    let text = without_bom(text);
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<serde::de::IgnoredAny>();
    if !matches!(stream.next(), Some(Ok(_))) {
        return false;
    }
    let end = stream.byte_offset();
    !text[..end].trim().contains('\n') && !text[end..].trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::tests::{adversarial_strings, full_record};

    #[test]
    fn a_full_record_survives_json() {
        let input = full_record();
        let text = write(&input).unwrap();
        assert!(
            text.starts_with("{\n  \"hindsight_format\": 1,\n  \"id\": "),
            "{text}"
        );
        let back = read(&text).unwrap();
        assert_eq!(back.len(), 1);
        let parsed = back.into_iter().next().unwrap().unwrap();
        assert_eq!(parsed.input, input);
        assert!(parsed.unknown_keys.is_empty(), "{:?}", parsed.unknown_keys);

        let line = write_line(&input).unwrap();
        assert!(!line.contains('\n'));
        assert!(!line.contains(FORMAT_KEY));
        assert_eq!(read_line(&line).unwrap().input, input);
    }

    #[test]
    fn a_validated_record_exported_validates_to_itself() {
        let new = full_record().validate().unwrap();
        let text = write(&PostmortemInput::from(&new)).unwrap();
        let back = read(&text).unwrap().remove(0).unwrap();
        assert_eq!(back.input.validate().unwrap(), new);
    }

    #[test]
    fn adversarial_text_survives_json() {
        for s in adversarial_strings() {
            let mut input = full_record();
            input.title = s.clone();
            input.parts.narrative = s.clone();
            input.parts.evidence[0].body = s.clone();
            input.parts.timeline[0].who = s.clone();
            let text = write(&input).unwrap();
            let back = read(&text).unwrap().remove(0).unwrap();
            assert_eq!(back.input, input, "{s:?}");
            assert_eq!(
                read_line(&write_line(&input).unwrap()).unwrap().input,
                input
            );
        }
    }

    #[test]
    fn arrays_give_one_result_per_item() {
        let a = write_line(&PostmortemInput {
            title: "a".into(),
            ..Default::default()
        })
        .unwrap();
        let text =
            format!("[{a}, 7, {{\"title\": \"c\", \"whys\": [{{\"actionable\": \"yes\"}}]}}]");
        let results = read(&text).unwrap();
        assert_eq!(results.len(), 3);
        assert_eq!(results[0].as_ref().unwrap().input.title, "a");
        assert_eq!(
            results[1].as_ref().unwrap_err().to_string(),
            "item 2: expected a JSON object (one postmortem), found a number"
        );
        let third = results[2].as_ref().unwrap_err().to_string();
        assert!(
            third.starts_with("item 3: whys.0.actionable: invalid type"),
            "{third}"
        );
    }

    #[test]
    fn errors_name_the_line_or_the_field() {
        let err = read("{\n  \"title\": \"x\",\n  oops\n}").unwrap_err();
        assert!(
            matches!(err, ExportError::Syntax { line: Some(3), .. }),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .starts_with("not valid JSON at line 3, column 3: "),
            "{err}"
        );

        let err = read_line("{\"title\": ").unwrap_err().to_string();
        assert!(err.starts_with("not valid JSON at column 10: EOF"), "{err}");

        let err = read_line(
            r#"{"title": "x", "hypotheses": [{"confidence": [{"value": 5}, {"value": "high"}]}]}"#,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "hypotheses.0.confidence.1.value: invalid type: string \"high\", expected i64"
        );
        let err = read_line(r#"{"title": ["a"]}"#).unwrap_err().to_string();
        assert!(err.starts_with("title: invalid type: sequence"), "{err}");
        let err = read_line("[1]").unwrap_err().to_string();
        assert!(err.contains("found an array"), "{err}");
    }

    #[test]
    fn unknown_keys_are_reported_and_newer_formats_refused() {
        let parsed = read_line(r#"{"title": "x", "color": "red", "owner": 1}"#).unwrap();
        assert_eq!(parsed.unknown_keys, ["color", "owner"]);
        let err = read_line(r#"{"hindsight_format": 2, "title": 5}"#).unwrap_err();
        assert_eq!(err, ExportError::NewerFormat { found: 2 });
        assert!(read_line(r#"{"hindsight_format": 1, "title": "x"}"#).is_ok());
    }

    #[test]
    fn a_byte_order_mark_may_start_a_document_not_a_line() {
        let doc = "\u{feff}{\"title\": \"a\"}\n";
        assert_eq!(read(doc).unwrap().remove(0).unwrap().input.title, "a");
        let array = "\u{feff}[{\"title\": \"a\"}]";
        assert_eq!(read(array).unwrap().len(), 1);
        assert!(is_json_lines(
            "\u{feff}{\"title\": \"a\"}\n{\"title\": \"b\"}\n"
        ));
        // A line's caller strips it from the file's first line only.
        let err = read_line("\u{feff}{\"title\": \"a\"}").unwrap_err();
        assert!(matches!(err, ExportError::Syntax { .. }), "{err:?}");
    }

    #[test]
    fn deep_nesting_is_refused_by_name() {
        // serde_json's own limit; said the way front matter says it.
        let deep = format!("{{\"title\": {}", "[".repeat(100_000));
        assert_eq!(
            read(&deep).unwrap_err(),
            ExportError::TooDeep {
                line: Some(1),
                limit: 128
            }
        );
        assert_eq!(
            read_line(&deep).unwrap_err().to_string(),
            "lists and mappings are nested more than 128 deep; a postmortem needs only a few levels"
        );
        let closed = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(matches!(
            read_line(&closed).unwrap_err(),
            ExportError::TooDeep { line: None, .. }
        ));
    }

    #[test]
    fn json_lines_named_json_are_recognised() {
        assert!(is_json_lines("{\"title\": \"a\"}\n{\"title\": \"b\"}\n"));
        assert!(is_json_lines("{\"title\": \"a\"}\n{\"title\": \n"));
        assert!(!is_json_lines("{\"title\": \"a\"}\n"));
        assert!(!is_json_lines("{\n  \"title\": \"a\"\n}\n{}"));
        assert!(!is_json_lines("[{\"title\": \"a\"}]"));
        assert!(!is_json_lines("not json"));
    }
}
