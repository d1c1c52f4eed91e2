//! The swimlane chart: one lane per signal, a mark at each time its lines
//! were written, drawn as SVG on the server so it reads without
//! JavaScript, and the same figures as rows for a table beside it (screen
//! readers, copying).
//!
//! The SVG is injected into the page as markup, and every label in it
//! comes from an untrusted paste: all text goes through [`escape`], and the
//! drawing uses presentation attributes and classes only (no `style`, no
//! script, no links), so the page's content security policy needs nothing
//! more.

use serde::{Deserialize, Serialize};

use crate::findings::time_of_day;
use crate::signals::Signal;
use crate::signature::cut;

/// The most lanes drawn; later signals are left out of the chart (the
/// table says how many).
pub const MAX_LANES: usize = 12;

/// The longest lane label in the chart, in characters.
const LABEL_CHARS: usize = 34;

/// Chart geometry, in SVG user units.
const WIDTH: i64 = 760;
const LABEL_WIDTH: i64 = 250;
const PLOT_LEFT: i64 = LABEL_WIDTH + 10;
const PLOT_RIGHT: i64 = WIDTH - 20;
const LANE_HEIGHT: i64 = 28;
const TOP: i64 = 10;
const AXIS_HEIGHT: i64 = 30;

/// One lane of the chart, as a table row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lane {
    /// What the signal says, with its component (`payment-service:
    /// connect timed out after 500ms`).
    pub label: String,
    /// Its level (`error`, `warn`, …), if the lines declare one.
    pub level: Option<String>,
    /// When it first appeared (`HH:MM:SS`).
    pub first: String,
    /// When it last appeared (`HH:MM:SS`).
    pub last: String,
    /// How many lines.
    pub count: usize,
}

/// The lanes of the timed signals (at most [`MAX_LANES`], earliest first)
/// and their chart; no timed signal gives no lanes and an empty chart.
/// Signals that read the same (their signatures differ only in what the
/// label leaves out, such as a request id's prefix) share one lane.
pub fn swimlanes(signals: &[Signal]) -> (Vec<Lane>, String) {
    let mut merged: Vec<(String, Signal)> = Vec::new();
    for signal in signals.iter().filter(|s| s.first.is_some()) {
        let name = label(signal);
        let full = merged.len() >= MAX_LANES;
        match merged.iter_mut().find(|(n, _)| *n == name) {
            Some((_, lane)) => {
                lane.first = lane.first.min(signal.first);
                lane.last = lane.last.max(signal.last);
                lane.level = lane.level.max(signal.level);
                lane.count += signal.count;
                // Sorted once below: a paste can hold thousands of
                // signals that read the same.
                lane.times.extend(&signal.times);
            }
            None if !full => merged.push((name, signal.clone())),
            None => {}
        }
    }
    for (_, lane) in &mut merged {
        lane.times.sort_unstable();
    }
    let timed: Vec<&Signal> = merged.iter().map(|(_, s)| s).collect();
    let lanes: Vec<Lane> = merged
        .iter()
        .map(|(name, s)| Lane {
            label: name.clone(),
            level: s.level.map(|l| l.as_str().to_string()),
            first: s.first.map(time_of_day).unwrap_or_default(),
            last: s.last.map(time_of_day).unwrap_or_default(),
            count: s.count,
        })
        .collect();
    let chart = if timed.is_empty() {
        String::new()
    } else {
        draw(&timed, &lanes)
    };
    (lanes, chart)
}

/// A signal's label: its component and what it says.
fn label(signal: &Signal) -> String {
    let said = signal.label.as_str();
    match &signal.component {
        Some(component) => format!("{component}: {said}"),
        None => said.to_string(),
    }
}

fn draw(timed: &[&Signal], lanes: &[Lane]) -> String {
    let start = timed.iter().filter_map(|s| s.first).min().unwrap_or(0);
    let end = timed.iter().filter_map(|s| s.last).max().unwrap_or(start);
    let span = (end - start).max(1);
    let x = |at: i64| PLOT_LEFT + (at - start).saturating_mul(PLOT_RIGHT - PLOT_LEFT) / span;
    let height = TOP + LANE_HEIGHT * timed.len() as i64 + AXIS_HEIGHT;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"swimlanes\" viewBox=\"0 0 {WIDTH} {height}\" \
         role=\"img\" aria-label=\"When each signal appeared, {} to {}\">",
        time_of_day(start),
        time_of_day(end)
    );
    for (row, (signal, lane)) in timed.iter().zip(lanes).enumerate() {
        let y = TOP + LANE_HEIGHT * row as i64 + LANE_HEIGHT / 2;
        let level = lane.level.as_deref().unwrap_or("none");
        svg.push_str(&format!(
            // No `<title>` per lane: the page has exactly one title, and
            // the table beside the chart carries the same figures.
            "<g class=\"lane level-{}\">\
             <text class=\"lane-label\" x=\"0\" y=\"{}\">{}</text>\
             <line class=\"lane-span\" x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/>",
            escape(level),
            y + 4,
            escape(&cut(lane.label.clone(), LABEL_CHARS)),
            x(signal.first.unwrap_or(start)),
            x(signal.last.unwrap_or(start)),
        ));
        let mut drawn = Vec::new();
        for &at in &signal.times {
            let cx = x(at);
            // Marks closer than a unit apart draw as one, so a lane has
            // at most one mark per unit of the plot's width.
            if drawn.last() != Some(&cx) {
                drawn.push(cx);
                svg.push_str(&format!(
                    "<rect class=\"mark\" x=\"{}\" y=\"{}\" width=\"3\" height=\"14\"/>",
                    cx - 1,
                    y - 7
                ));
            }
        }
        svg.push_str("</g>");
    }
    let axis = TOP + LANE_HEIGHT * timed.len() as i64 + 8;
    svg.push_str(&format!(
        "<g class=\"axis\"><line x1=\"{PLOT_LEFT}\" y1=\"{axis}\" x2=\"{PLOT_RIGHT}\" y2=\"{axis}\"/>\
         <text x=\"{PLOT_LEFT}\" y=\"{}\">{}</text>\
         <text x=\"{PLOT_RIGHT}\" y=\"{}\" text-anchor=\"end\">{}</text></g></svg>",
        axis + 16,
        time_of_day(start),
        axis + 16,
        time_of_day(end),
    ));
    svg
}

/// Text made safe for SVG markup, element content and attribute values
/// alike.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Not allowed in XML at all.
            c if c.is_control() && c != '\t' && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
#[path = "chart_tests.rs"]
mod tests;
