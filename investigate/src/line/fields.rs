//! Structured lines: a JSON object, or nothing but logfmt `key=value`
//! pairs (Go's slog and logrus text), read by their field names.

use serde_json::{Map, Value};

use super::head::LEVEL_KEYS;
use super::{logger_name, Read};
use crate::clock::read_stamp;
use crate::level::Level;

/// Field names of the time, in the order they are looked for.
const TIME_KEYS: [&str; 10] = [
    "time",
    "ts",
    "timestamp",
    "@timestamp",
    "t",
    "@t",
    "date",
    "datetime",
    "eventTime",
    "asctime",
];

/// Field names of the level, beyond those of text lines' `level=`.
const MORE_LEVEL_KEYS: [&str; 5] = [
    "levelname",
    "log.level",
    "@l",
    "level_name",
    "severity_text",
];

/// Field names of the component; those naming a logger give its short name.
const COMPONENT_KEYS: [&str; 10] = [
    "service",
    "service.name",
    "component",
    "app",
    "application",
    "logger",
    "logger_name",
    "logger.name",
    "log.logger",
    "loggerName",
];

/// Field names of the message, in the order they are looked for.
const MESSAGE_KEYS: [&str; 7] = [
    "msg",
    "message",
    "@m",
    "error",
    "error.message",
    "err",
    "event",
];

/// A field's name and text; `quoted` when it was a string (a JSON number
/// or `true` is no message).
struct Field {
    key: String,
    text: String,
    quoted: bool,
}

/// The line read by its fields, when it is structured.
pub(super) fn read(line: &str) -> Option<Read> {
    let fields = json(line).or_else(|| logfmt(line))?;
    let find = |keys: &[&str]| {
        keys.iter().find_map(|&key| {
            fields
                .iter()
                .find(|field| field.key == key && !field.text.trim().is_empty())
        })
    };
    let stamp = TIME_KEYS
        .iter()
        .filter_map(|&key| fields.iter().find(|field| field.key == key))
        .find_map(|field| read_stamp(&field.text))
        .or_else(|| read_stamp(line));
    let level = find(&LEVEL_KEYS)
        .or_else(|| find(&MORE_LEVEL_KEYS))
        .and_then(|field| match field.text.parse::<i64>() {
            Ok(number) if !field.quoted => Level::from_number(number),
            _ => Level::from_word(field.text.trim()),
        });
    let component = find(&COMPONENT_KEYS).map(|field| {
        let name = field.text.trim();
        if field.key.to_ascii_lowercase().contains("logger") {
            logger_name(name)
        } else {
            name.to_string()
        }
    });
    let message = MESSAGE_KEYS
        .iter()
        .find_map(|&key| {
            fields
                .iter()
                .find(|f| f.key == key && f.quoted && !f.text.trim().is_empty())
        })
        .map_or_else(
            || line.trim().to_string(),
            |field| field.text.trim().to_string(),
        );
    Some(Read {
        stamp,
        level,
        component,
        message,
    })
}

/// The fields of a JSON object line, nested objects one level deep as
/// `outer.inner` (`error.message`, `log.level`, `service.name`). The object
/// may follow a prefix (a container runtime's `… stderr F {…}`) when it
/// has a level or message field.
fn json(line: &str) -> Option<Vec<Field>> {
    let line = line.trim();
    let prefixed = !line.starts_with('{');
    let object = if prefixed {
        line.find(" {")
            .map(|at| &line[at + 1..])
            .filter(|o| o.ends_with('}'))?
    } else {
        line
    };
    let object: Map<String, Value> = serde_json::from_str(object).ok()?;
    let mut fields = Vec::new();
    for (key, value) in object {
        match value {
            Value::Object(inner) => {
                for (inner_key, value) in inner {
                    fields.extend(json_field(format!("{key}.{inner_key}"), value));
                }
            }
            value => fields.extend(json_field(key, value)),
        }
    }
    (!prefixed || telling(&fields)).then_some(fields)
}

/// The fields of a JSON object line as `(key, text)`, when it is one.
pub(super) fn json_pairs(line: &str) -> Option<Vec<(String, String)>> {
    let fields = json(line)?;
    Some(
        fields
            .into_iter()
            .map(|field| (field.key, field.text))
            .collect(),
    )
}

/// Whether a field holds a line's time, level or message rather than
/// something the line is about.
pub(crate) fn meta_key(key: &str) -> bool {
    TIME_KEYS.contains(&key)
        || LEVEL_KEYS.iter().any(|name| name.eq_ignore_ascii_case(key))
        || MORE_LEVEL_KEYS.contains(&key)
        || MESSAGE_KEYS.contains(&key)
}

/// Whether the fields name a level or a message, which a line of bare
/// `key=value` pairs or a JSON object after text must, to be read as fields.
fn telling(fields: &[Field]) -> bool {
    fields.iter().any(|field| {
        let key = field.key.as_str();
        LEVEL_KEYS.contains(&key) || MORE_LEVEL_KEYS.contains(&key) || MESSAGE_KEYS.contains(&key)
    })
}

fn json_field(key: String, value: Value) -> Option<Field> {
    match value {
        Value::String(text) => Some(Field {
            key,
            text,
            quoted: true,
        }),
        Value::Number(number) => Some(Field {
            key,
            text: number.to_string(),
            quoted: false,
        }),
        Value::Bool(flag) => Some(Field {
            key,
            text: flag.to_string(),
            quoted: false,
        }),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// The fields of a line made only of `key=value` pairs (values bare or
/// double-quoted with backslash escapes), when it has a level or message.
fn logfmt(line: &str) -> Option<Vec<Field>> {
    let bytes = line.as_bytes();
    let mut fields = Vec::new();
    let mut at = 0;
    loop {
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        if at == bytes.len() {
            break;
        }
        let key_len = bytes[at..]
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'@' | b'-'))
            .count();
        if key_len == 0 || bytes.get(at + key_len) != Some(&b'=') {
            return None;
        }
        let key = line[at..at + key_len].to_string();
        at += key_len + 1;
        let (text, quoted) = if bytes.get(at) == Some(&b'"') {
            let (text, end) = quoted_value(line, at + 1)?;
            at = end;
            (text, true)
        } else {
            let len = bytes[at..]
                .iter()
                .take_while(|b| !b.is_ascii_whitespace())
                .count();
            let text = line[at..at + len].to_string();
            at += len;
            (text, false)
        };
        fields.push(Field { key, text, quoted });
    }
    // A bare logfmt message is a string all the same.
    for field in &mut fields {
        field.quoted |= MESSAGE_KEYS.contains(&field.key.as_str());
    }
    (fields.len() >= 2 && telling(&fields)).then_some(fields)
}

/// A double-quoted value starting after its opening quote at `from`: its
/// text and the byte after its closing quote; `None` when it never closes.
pub(super) fn quoted_value(line: &str, from: usize) -> Option<(String, usize)> {
    let mut text = String::new();
    let mut escaped = false;
    for (offset, c) in line[from..].char_indices() {
        match (escaped, c) {
            (true, 'n' | 't') => text.push(' '),
            (true, c) => text.push(c),
            (false, '\\') => {}
            (false, '"') => return Some((text, from + offset + 1)),
            (false, c) => text.push(c),
        }
        escaped = !escaped && c == '\\';
    }
    None
}
