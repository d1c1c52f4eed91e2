//! The figures of the insights page, computed from facts about
//! postmortems: pure functions, so each figure's definition is the code
//! and its tests, whatever store or page asks.
//!
//! - `stats`: the median and 90th percentile every section uses, by
//!   nearest rank (always a value that was observed).
//! - `calibration`: how well stated confidence matched outcomes (Brier
//!   score, a reliability table, per person).
//! - `incidents`: incidents per month by severity, retrospective
//!   coverage and time to publish.
//! - `recurrence`: links to earlier occurrences, repeated patterns, time
//!   between recurrences, and recurrences after a prevention item closed.
//! - `items`: action items opened and closed, completion, overdue, days
//!   to close, per kind, priority, team and service.
//! - `clock`: time to detect, mitigate and resolve, per month and severity,
//!   missing times counted as missing.

pub mod calibration;
pub mod clock;
pub mod incidents;
pub mod items;
pub mod recurrence;
pub mod stats;

pub use calibration::{Bin, Calibration, Forecast, PersonScore};
pub use clock::{Clock, ClockFacts, ClockRow, Measure};
pub use incidents::{IncidentFacts, IncidentMonth, Incidents};
pub use items::{Completion, ItemFacts, ItemMonth, ItemsSection};
pub use recurrence::{RecurredAfterFix, Recurrence, RepeatedPattern};
