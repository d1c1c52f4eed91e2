//! Signals: the lines of a paste grouped by what they say (their
//! component and signature), so a thousand timeouts read as one thing that
//! happened a thousand times.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::level::Level;
use crate::line::LogLine;
use crate::signature::cut;

/// The most line numbers a signal keeps.
pub const MAX_SIGNAL_LINES: usize = 20;

/// The longest example message and label a signal keeps, in characters.
pub const MAX_EXAMPLE_CHARS: usize = 200;

/// The most times a signal keeps; `count`, `first` and `last` still cover
/// all its lines.
pub const MAX_SIGNAL_TIMES: usize = 500;

/// Lines that say the same thing from the same component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signal {
    /// The signature the lines share.
    pub signature: String,
    /// The component the lines share.
    pub component: Option<String>,
    /// The most severe level among the lines.
    pub level: Option<Level>,
    /// The earliest placed time among the lines.
    pub first: Option<i64>,
    /// The latest placed time among the lines.
    pub last: Option<i64>,
    /// The placed times of the first [`MAX_SIGNAL_TIMES`] timed lines, in
    /// the paste's order (untimed lines have none), to draw when it
    /// happened; [`Signal::first`], [`Signal::last`] and
    /// [`Signal::count`] cover all the lines.
    #[serde(default)]
    pub times: Vec<i64>,
    /// How many lines.
    pub count: usize,
    /// The numbers of the first [`MAX_SIGNAL_LINES`] lines.
    pub lines: Vec<usize>,
    /// The message of the first line, cut to [`MAX_EXAMPLE_CHARS`].
    pub example: String,
    /// What the first line says in a few words ([`LogLine::gist`]), cut
    /// to [`MAX_EXAMPLE_CHARS`]: how statements and charts name the
    /// signal, after its component.
    #[serde(default)]
    pub label: String,
}

/// The lines grouped by (component, signature).
///
/// Signals with a time come first, earliest `first` first (ties in the
/// order of their first line); signals none of whose lines has a time
/// follow, in the order of their first line in the paste.
pub fn group(lines: &[LogLine]) -> Vec<Signal> {
    let mut signals: Vec<Signal> = Vec::new();
    let mut index: HashMap<(Option<&str>, &str), usize> = HashMap::new();
    for line in lines {
        let key = (line.component.as_deref(), line.signature.as_str());
        let at = *index.entry(key).or_insert_with(|| {
            signals.push(Signal {
                signature: line.signature.clone(),
                component: line.component.clone(),
                level: None,
                first: None,
                last: None,
                times: Vec::new(),
                count: 0,
                lines: Vec::new(),
                example: cut(line.message.clone(), MAX_EXAMPLE_CHARS),
                label: cut(line.gist(), MAX_EXAMPLE_CHARS),
            });
            signals.len() - 1
        });
        let signal = &mut signals[at];
        signal.count += 1;
        if signal.lines.len() < MAX_SIGNAL_LINES {
            signal.lines.push(line.number);
        }
        signal.level = signal.level.max(line.level);
        if let Some(time) = line.at {
            if signal.times.len() < MAX_SIGNAL_TIMES {
                signal.times.push(time);
            }
            signal.first = Some(signal.first.map_or(time, |first| first.min(time)));
            signal.last = Some(signal.last.map_or(time, |last| last.max(time)));
        }
    }
    // Stable, so equal times keep the order of first lines.
    signals.sort_by_key(|signal| (signal.first.is_none(), signal.first));
    signals
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::line::read_lines;

    #[test]
    fn repeated_lines_become_one_signal() {
        let paste = "\
[ERROR] 09:32:15 - PaymentService: connection timeout after 5000ms
[WARN] 09:32:16 - PaymentService: pool 48/50 in use
[ERROR] 09:32:17 - PaymentService: connection timeout after 3000ms
[INFO] 09:32:18 - CheckoutService: connection timeout after 3000ms
[INFO] 09:32:19 - PaymentService: connection timeout after 1000ms
";
        let signals = group(&read_lines(paste));
        assert_eq!(signals.len(), 3);
        let timeout = &signals[0];
        assert_eq!(timeout.signature, "connection timeout after …");
        assert_eq!(timeout.component.as_deref(), Some("PaymentService"));
        assert_eq!(timeout.count, 3);
        assert_eq!(timeout.lines, [1, 3, 5]);
        assert_eq!(timeout.level, Some(Level::Error));
        assert_eq!(timeout.example, "connection timeout after 5000ms");
        let second = |s: i64| Some((9 * 3600 + 32 * 60 + s) * 1000);
        assert_eq!((timeout.first, timeout.last), (second(15), second(19)));
        assert_eq!(signals[1].signature, "pool … in use");
        assert_eq!(signals[1].level, Some(Level::Warn));
        assert_eq!(signals[2].component.as_deref(), Some("CheckoutService"));
    }

    #[test]
    fn signals_are_ordered_by_their_earliest_time_then_untimed_in_paste_order() {
        let paste = "\
untimed first
2024-02-10T11:00:10Z ERROR late one
2024-02-10T11:00:05Z ERROR early one
untimed second
2024-02-10T11:00:01Z ERROR late one
";
        let signals = group(&read_lines(paste));
        let order: Vec<&str> = signals.iter().map(|s| s.signature.as_str()).collect();
        assert_eq!(
            order,
            ["late one", "early one", "untimed first", "untimed second"]
        );
        assert_eq!(signals[0].first, Some(1_707_562_801_000));
        assert_eq!(signals[0].last, Some(1_707_562_810_000));
        assert_eq!(signals[0].lines, [2, 5]);
    }

    #[test]
    fn only_twenty_lines_are_kept_but_all_are_counted() {
        let paste = "ERROR: disk full on volume 1234\n".repeat(30);
        let signals = group(&read_lines(&paste));
        assert_eq!(signals.len(), 1);
        assert_eq!(signals[0].count, 30);
        assert_eq!(signals[0].lines, (1..=20).collect::<Vec<_>>());
        assert_eq!(
            (signals[0].first, signals[0].level),
            (None, Some(Level::Error))
        );
    }

    #[test]
    fn times_are_kept_in_paste_order_up_to_the_cap() {
        let paste = "\
[ERROR] 09:32:17 - PaymentService: connection timeout after 500ms
untimed line
[ERROR] 09:32:15 - PaymentService: connection timeout after 800ms
ERROR PaymentService: connection timeout after 100ms
";
        let signals = group(&read_lines(paste));
        let second = |s: i64| (9 * 3600 + 32 * 60 + s) * 1000;
        assert_eq!(signals[0].times, [second(17), second(15)]);
        assert_eq!(signals[0].count, 3);

        let many: String = (0..MAX_SIGNAL_TIMES + 100)
            .map(|i| {
                format!(
                    "[ERROR] 10:{:02}:{:02} - db: pool exhausted\n",
                    i / 60,
                    i % 60
                )
            })
            .collect();
        let signals = group(&read_lines(&many));
        assert_eq!(signals[0].times.len(), MAX_SIGNAL_TIMES);
        assert_eq!(signals[0].count, MAX_SIGNAL_TIMES + 100);
        // First and last still span every line.
        let minute = |m: i64, s: i64| (10 * 3600 + m * 60 + s) * 1000;
        assert_eq!(signals[0].last, Some(minute(9, 59)));
        assert_eq!(signals[0].times.last().copied(), Some(minute(8, 19)));
    }

    #[test]
    fn labels_say_what_the_first_line_says() {
        let paste = "\
2024-01-15T09:32:15.208Z ERROR payment-service req=pay-7f21c0 error=\"connect timed out after 500ms\"
2024-01-15T09:32:15.731Z ERROR payment-service req=pay-80aa13 error=\"connect timed out after 500ms\"
";
        let signals = group(&read_lines(paste));
        assert_eq!(signals.len(), 1);
        assert_eq!(signals[0].label, "connect timed out after 500ms");
        assert_eq!(
            signals[0].example,
            "req=pay-7f21c0 error=\"connect timed out after 500ms\""
        );
    }

    #[test]
    fn examples_are_cut() {
        let paste = format!("ERROR: {}", "long words ".repeat(40));
        let signals = group(&read_lines(&paste));
        assert_eq!(signals[0].example.chars().count(), MAX_EXAMPLE_CHARS);
        assert_eq!(signals[0].label.chars().count(), MAX_EXAMPLE_CHARS);
        assert!(group(&[]).is_empty());
    }
}
