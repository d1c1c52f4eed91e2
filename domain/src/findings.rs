//! What people did with the Investigate panel's findings: accepted one
//! into the record, or dismissed it. The findings themselves are computed
//! from the record on every read (crate `kb-investigate`); only these
//! decisions are stored, keyed by the finding's kind and statement.

use serde::{Deserialize, Serialize};

text_enum! {
    /// Where an accepted finding goes in the record.
    AcceptInto {
        /// A hypothesis's evidence for it.
        EvidenceFor = "evidence_for", "Evidence for a hypothesis";
        /// A hypothesis's evidence against it.
        EvidenceAgainst = "evidence_against", "Evidence against a hypothesis";
        /// A timeline entry (an observation).
        Timeline = "timeline", "Timeline entry";
        /// A level of the why-chain.
        Why = "why", "Why-chain level";
        /// A link to an earlier occurrence.
        Link = "link", "Earlier-occurrence link";
    }
}

/// A decision on one finding of a postmortem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingDecision {
    /// The finding's kind as the API names it (`sequence`, `challenge`).
    pub kind: String,
    /// The finding's statement, as shown when it was judged.
    pub statement: String,
    /// `accepted` or `dismissed`.
    pub decision: String,
    /// Where an accepted finding went ([`AcceptInto`] name); empty for a
    /// dismissal.
    pub accepted_into: String,
    /// Who decided.
    pub who: String,
    /// When, UTC.
    pub at: String,
}
