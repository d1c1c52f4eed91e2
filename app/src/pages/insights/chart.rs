//! Bar charts as SVG, drawn on the server: no charting script reaches the
//! browser. Each chart is an image with a name for screen readers; its
//! numbers are in the table beside it.

use std::fmt::Write as _;

/// One series: its name (for the legend), CSS class (its colour) and a
/// value per label.
pub struct Series<'a> {
    pub name: &'a str,
    pub class: &'a str,
    pub values: Vec<f64>,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 36.0;
const BOTTOM: f64 = 24.0;

fn escape(text: &str) -> String {
    crate::escape_html(text)
}

/// Bars per label: side by side, or (`stacked`) one on the other.
pub fn bars(title: &str, labels: &[String], series: &[Series], stacked: bool) -> String {
    let per_label: Vec<f64> = (0..labels.len())
        .map(|i| {
            let values = series
                .iter()
                .map(|s| s.values.get(i).copied().unwrap_or(0.0));
            if stacked {
                values.sum()
            } else {
                values.fold(0.0, f64::max)
            }
        })
        .collect();
    let top = per_label.iter().copied().fold(0.0, f64::max).max(1.0);
    let plot_w = WIDTH - LEFT;
    let plot_h = HEIGHT - BOTTOM - 8.0;
    let slot = plot_w / labels.len().max(1) as f64;
    let mut svg = format!(
        "<svg class=\"ins-chart\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" preserveAspectRatio=\"xMinYMin meet\">",
        escape(title)
    );
    let _ = write!(
        svg,
        "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{y}\" x2=\"{WIDTH}\" y2=\"{y}\"/><text class=\"tick\" x=\"{x}\" y=\"12\" text-anchor=\"end\">{}</text>",
        format_value(top),
        y = HEIGHT - BOTTOM,
        x = LEFT - 4.0,
    );
    for (i, label) in labels.iter().enumerate() {
        let x0 = LEFT + slot * i as f64;
        let mut base = HEIGHT - BOTTOM;
        let width = if stacked {
            slot * 0.7
        } else {
            slot * 0.7 / series.len().max(1) as f64
        };
        for (k, s) in series.iter().enumerate() {
            let v = s.values.get(i).copied().unwrap_or(0.0);
            let h = v / top * plot_h;
            let x = if stacked {
                x0 + slot * 0.15
            } else {
                x0 + slot * 0.15 + width * k as f64
            };
            let y = if stacked {
                base - h
            } else {
                HEIGHT - BOTTOM - h
            };
            if h > 0.0 {
                let _ = write!(
                    svg,
                    "<rect class=\"{}\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{width:.1}\" height=\"{h:.1}\"/>",
                    s.class
                );
            }
            if stacked {
                base -= h;
            }
        }
        // Every label when few, else every third.
        if labels.len() <= 12 || i % 3 == 0 {
            let _ = write!(
                svg,
                "<text class=\"tick\" x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                x0 + slot / 2.0,
                HEIGHT - 8.0,
                escape(label)
            );
        }
    }
    svg.push_str("</svg>");
    let legend: String = series
        .iter()
        .map(|s| {
            format!(
                "<li><span class=\"swatch {}\"></span>{}</li>",
                s.class,
                escape(s.name)
            )
        })
        .collect();
    format!("<figure class=\"insight-chart\">{svg}<ul class=\"legend\">{legend}</ul></figure>")
}

/// The reliability diagram: stated confidence (across) against how often
/// such forecasts came true (up), a dot per band with forecasts, and the
/// diagonal a calibrated forecaster would lie on.
pub fn reliability(title: &str, points: &[(f64, f64)]) -> String {
    let size = 200.0;
    let pad = 28.0;
    let scale = |v: f64| v / 100.0 * (size - pad);
    let mut svg = format!(
        "<svg class=\"ins-chart reliability\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {size} {size}\">",
        escape(title)
    );
    let _ = write!(
        svg,
        "<line class=\"axis\" x1=\"{pad}\" y1=\"{b}\" x2=\"{size}\" y2=\"{b}\"/><line class=\"axis\" x1=\"{pad}\" y1=\"0\" x2=\"{pad}\" y2=\"{b}\"/><line class=\"diagonal\" x1=\"{pad}\" y1=\"{b}\" x2=\"{size}\" y2=\"0\"/>\
         <text class=\"tick\" x=\"{pad}\" y=\"{t}\">0</text><text class=\"tick\" x=\"{r}\" y=\"{t}\" text-anchor=\"end\">100% stated</text><text class=\"tick\" x=\"2\" y=\"10\">100%</text>",
        b = size - pad,
        t = size - 10.0,
        r = size,
    );
    for (stated, observed) in points {
        let _ = write!(
            svg,
            "<circle class=\"dot\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\"/>",
            pad + scale(*stated),
            size - pad - scale(*observed)
        );
    }
    svg.push_str("</svg>");
    format!("<figure class=\"insight-chart\">{svg}</figure>")
}

fn format_value(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_per_value_scaled_to_the_largest_and_names_escaped() {
        let labels = vec!["2026-01".to_string(), "2026-02".to_string()];
        let svg = bars(
            "Incidents <per> month",
            &labels,
            &[
                Series {
                    name: "SEV1",
                    class: "sev1",
                    values: vec![1.0, 0.0],
                },
                Series {
                    name: "SEV2",
                    class: "sev2",
                    values: vec![1.0, 2.0],
                },
            ],
            true,
        );
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains("aria-label=\"Incidents &lt;per&gt; month\""));
        // The tallest stack (2) fills the plot: 168 units high.
        assert!(svg.contains("height=\"168.0\""), "{svg}");
        assert!(!svg.contains("<per>"));
        let dots = reliability("r", &[(75.0, 100.0), (20.0, 0.0)]);
        assert_eq!(dots.matches("<circle").count(), 2);
    }
}
