//! The figures of the insights page, computed from facts about
//! postmortems: pure functions, so each figure's definition is the code
//! and its tests, whatever store or page asks.
//!
//! - `stats`: the median and 90th percentile every section uses, by
//!   nearest rank (always a value that was observed).
//! - `calibration`: how well stated confidence matched outcomes (Brier
//!   score, a reliability table, per person).
//! - `clock`: time to detect, mitigate and resolve, per month and severity,
//!   missing times counted as missing.

pub mod calibration;
pub mod clock;
pub mod stats;

pub use calibration::{Bin, Calibration, Forecast, PersonScore};
pub use clock::{Clock, ClockFacts, ClockRow, Measure};
