//! The severity scale. SEV1 is the worst.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How bad an incident was, SEV1 (worst) to SEV4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Severity {
    /// Critical: broad outage or data loss.
    Sev1,
    /// Major: a core journey is degraded for many users.
    Sev2,
    /// Minor: limited impact or a workaround exists.
    Sev3,
    /// Low: cosmetic, internal, or a near miss.
    Sev4,
}

impl Severity {
    /// Every severity, worst first; the order forms offer them in.
    pub const ALL: [Severity; 4] = [Self::Sev1, Self::Sev2, Self::Sev3, Self::Sev4];

    /// The canonical label, e.g. `SEV2`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sev1 => "SEV1",
            Self::Sev2 => "SEV2",
            Self::Sev3 => "SEV3",
            Self::Sev4 => "SEV4",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not one of SEV1–SEV4.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSeverity(pub String);

impl fmt::Display for UnknownSeverity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown severity {:?}: use SEV1, SEV2, SEV3 or SEV4",
            self.0
        )
    }
}

impl std::error::Error for UnknownSeverity {}

impl FromStr for Severity {
    type Err = UnknownSeverity;

    /// Accepts `SEV2`, `sev2`, `Sev 2` and a bare `2`: people type all of them.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let lower = compact.to_ascii_lowercase();
        let digits = lower.strip_prefix("sev").unwrap_or(&lower);
        match digits {
            "1" => Ok(Self::Sev1),
            "2" => Ok(Self::Sev2),
            "3" => Ok(Self::Sev3),
            "4" => Ok(Self::Sev4),
            _ => Err(UnknownSeverity(s.to_string())),
        }
    }
}

impl TryFrom<String> for Severity {
    type Error = UnknownSeverity;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Severity> for String {
    fn from(s: Severity) -> String {
        s.as_str().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_spellings_people_use() {
        for s in ["SEV2", "sev2", "Sev 2", "2", " SEV2 "] {
            assert_eq!(s.parse::<Severity>(), Ok(Severity::Sev2), "{s:?}");
        }
    }

    #[test]
    fn refuses_anything_else() {
        for s in ["", "SEV0", "SEV5", "sev", "critical", "22"] {
            assert!(s.parse::<Severity>().is_err(), "{s:?}");
        }
    }

    #[test]
    fn serializes_as_canonical_label() {
        assert_eq!(serde_json::to_string(&Severity::Sev1).unwrap(), "\"SEV1\"");
        assert!(serde_json::from_str::<Severity>("\"SEV9\"").is_err());
    }
}
