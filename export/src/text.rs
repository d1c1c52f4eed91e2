//! Files as text: every format is UTF-8, read from bytes here so that a file
//! (or one line of a JSON Lines file) that is not UTF-8 becomes an
//! [`ExportError`] naming where, not an I/O failure that stops an import;
//! and the byte-order mark some editors put at the start of a file is
//! dropped.

use crate::ExportError;

/// The UTF-8 byte-order mark, as text.
pub(crate) const BOM: char = '\u{feff}';

/// `bytes` without a leading UTF-8 byte-order mark. Only the start of a
/// file may have one: elsewhere it is a character like any other.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// A whole file's bytes as text, without a leading byte-order mark. The
/// error names the line and column (in bytes) of the first byte that is
/// not UTF-8.
pub fn decode_file(bytes: &[u8]) -> Result<&str, ExportError> {
    let bytes = strip_bom(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        ExportError::NotUtf8 {
            line: Some(before.iter().filter(|&&b| b == b'\n').count() + 1),
            column: before.len() - line_start + 1,
        }
    })
}

/// One line of a JSON Lines file as text; the caller knows the line, the
/// error names the column (in bytes). A byte-order mark is left in: a
/// file's first line goes through [`strip_bom`] first.
pub fn decode_line(bytes: &[u8]) -> Result<&str, ExportError> {
    std::str::from_utf8(bytes).map_err(|e| ExportError::NotUtf8 {
        line: None,
        column: e.valid_up_to() + 1,
    })
}

/// `text` without a leading byte-order mark, for readers given text that
/// did not come through [`decode_file`].
pub(crate) fn without_bom(text: &str) -> &str {
    text.strip_prefix(BOM).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_dropped_at_the_start_only() {
        assert_eq!(
            decode_file(b"\xEF\xBB\xBF{\"a\": 1}\n").unwrap(),
            "{\"a\": 1}\n"
        );
        assert_eq!(decode_file(b"plain").unwrap(), "plain");
        // Only one, and only at the start.
        assert_eq!(
            decode_file(b"\xEF\xBB\xBF\xEF\xBB\xBFx").unwrap(),
            "\u{feff}x"
        );
        assert_eq!(decode_file(b"x\xEF\xBB\xBF").unwrap(), "x\u{feff}");
        assert_eq!(decode_line(b"\xEF\xBB\xBF{}").unwrap(), "\u{feff}{}");
        assert_eq!(strip_bom(b"\xEF\xBB\xBF{}"), b"{}");
        assert_eq!(strip_bom(b"\xEF\xBB"), b"\xEF\xBB");
        assert_eq!(without_bom("\u{feff}---\n"), "---\n");
    }

    #[test]
    fn bytes_that_are_not_utf8_are_located() {
        // Latin-1 "café" on the third line, after a multi-byte character.
        let err =
            decode_file(b"---\ntitle: \xC3\xA9t\xC3\xA9\nsummary: caf\xE9\n---\n").unwrap_err();
        assert_eq!(
            err,
            ExportError::NotUtf8 {
                line: Some(3),
                column: 13
            }
        );
        assert_eq!(
            err.to_string(),
            "not UTF-8 text at line 3, column 13: save the file as UTF-8"
        );
        // The line numbers are the file's, after a byte-order mark too.
        let err = decode_file(b"\xEF\xBB\xBF\xFF").unwrap_err();
        assert_eq!(
            err,
            ExportError::NotUtf8 {
                line: Some(1),
                column: 1
            }
        );
        // A truncated character at the very end.
        let err = decode_file(b"ok\n\xE2\x82").unwrap_err();
        assert_eq!(
            err,
            ExportError::NotUtf8 {
                line: Some(2),
                column: 1
            }
        );

        let err = decode_line(b"{\"title\": \"caf\xE9\"}").unwrap_err();
        assert_eq!(
            err.to_string(),
            "not UTF-8 text at column 15: save the file as UTF-8"
        );
    }
}
