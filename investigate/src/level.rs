//! The severity a log line declares, in the four steps every logging
//! library's levels fold into.

use serde::{Deserialize, Serialize};

/// How severe a line says it is. Ordered by severity: `Debug` is the least
/// and `Error` the most, so the worst of several is their `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// DEBUG, TRACE, FINE.
    Debug,
    /// INFO, NOTICE.
    Info,
    /// WARN, WARNING.
    Warn,
    /// ERROR, ERR, FATAL, CRIT, CRITICAL, PANIC, SEVERE, ALERT, EMERG.
    Error,
}

impl Level {
    /// The level's name as serialised (`debug`, `info`, `warn`, `error`).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        }
    }

    /// The level a word names, in any case (`error`, `WARN`, `Notice`);
    /// `None` for any other word.
    pub fn from_word(word: &str) -> Option<Level> {
        const NAMES: [(&str, Level); 18] = [
            ("error", Level::Error),
            ("err", Level::Error),
            ("fatal", Level::Error),
            ("crit", Level::Error),
            ("critical", Level::Error),
            ("panic", Level::Error),
            ("severe", Level::Error),
            ("alert", Level::Error),
            ("emerg", Level::Error),
            ("emergency", Level::Error),
            ("warn", Level::Warn),
            ("warning", Level::Warn),
            ("info", Level::Info),
            ("notice", Level::Info),
            ("information", Level::Info),
            ("debug", Level::Debug),
            ("trace", Level::Debug),
            ("fine", Level::Debug),
        ];
        NAMES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(word))
            .map(|&(_, level)| level)
    }

    /// The level of a numeric level as bunyan and pino write them (10
    /// trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal).
    pub fn from_number(number: i64) -> Option<Level> {
        match number {
            10..=29 => Some(Level::Debug),
            30..=39 => Some(Level::Info),
            40..=49 => Some(Level::Warn),
            50..=69 => Some(Level::Error),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_into_four_levels() {
        assert_eq!(Level::from_word("ERROR"), Some(Level::Error));
        assert_eq!(Level::from_word("Fatal"), Some(Level::Error));
        assert_eq!(Level::from_word("crit"), Some(Level::Error));
        assert_eq!(Level::from_word("SEVERE"), Some(Level::Error));
        assert_eq!(Level::from_word("warning"), Some(Level::Warn));
        assert_eq!(Level::from_word("NOTICE"), Some(Level::Info));
        assert_eq!(Level::from_word("trace"), Some(Level::Debug));
        assert_eq!(Level::from_word("errors"), None);
        assert_eq!(Level::from_word("information_schema"), None);
        assert_eq!(Level::from_word(""), None);
    }

    #[test]
    fn numbers_follow_pino() {
        assert_eq!(Level::from_number(50), Some(Level::Error));
        assert_eq!(Level::from_number(40), Some(Level::Warn));
        assert_eq!(Level::from_number(30), Some(Level::Info));
        assert_eq!(Level::from_number(20), Some(Level::Debug));
        assert_eq!(Level::from_number(3), None);
    }

    #[test]
    fn the_worst_is_the_greatest() {
        assert!(
            Level::Error > Level::Warn && Level::Warn > Level::Info && Level::Info > Level::Debug
        );
        assert_eq!(
            [Level::Info, Level::Error, Level::Warn].into_iter().max(),
            Some(Level::Error)
        );
        assert_eq!(
            serde_json::to_string(&Level::Warn).ok().as_deref(),
            Some("\"warn\"")
        );
    }
}
