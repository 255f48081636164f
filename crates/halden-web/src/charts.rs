//! Server-rendered SVG charts: one small, general line and bar chart, inline in the page (no
//! scripts, no external fonts), described for screen readers and always followed on the page by
//! its data table. Series differ by dash pattern and marker as well as colour (WCAG 1.4.1).
//!
//! ```
//! use halden_web::charts::{Chart, Kind, Series};
//! let chart = Chart {
//!     id: "stock".into(),
//!     title: "Stock".into(),
//!     description: "Persons held at the end of each month".into(),
//!     kind: Kind::Line,
//!     labels: vec!["Jan".into(), "Feb".into()],
//!     series: vec![Series { name: "Prison".into(), values: vec![Some(3.0), Some(4.0)] }],
//!     unit: "persons".into(),
//! };
//! assert!(chart.svg().starts_with("<svg"));
//! ```

use std::fmt::Write as _;

/// Line or bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One line per series over the labels.
    Line,
    /// Grouped bars: one group per label, one bar per series.
    Bar,
}

/// One named series; `None` is a gap.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The name shown in the legend.
    pub name: String,
    /// One value per label.
    pub values: Vec<Option<f64>>,
}

/// A chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// A unique id on the page (for `aria-labelledby`).
    pub id: String,
    /// The title.
    pub title: String,
    /// What it shows, for screen readers.
    pub description: String,
    /// Line or bars.
    pub kind: Kind,
    /// The x labels.
    pub labels: Vec<String>,
    /// The series.
    pub series: Vec<Series>,
    /// The y axis unit.
    pub unit: String,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 48.0;
/// Dark colours, each with at least 4.5:1 contrast on white.
const COLOURS: [&str; 6] = [
    "#1f4e79", "#9a3d00", "#2e6b30", "#6a1b9a", "#7f0000", "#37474f",
];
const DASHES: [&str; 6] = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4"];

/// Escapes text for SVG/XML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A round ceiling for the axis: 1, 2, 2.5 or 5 × 10^k at or above `max`.
fn nice_ceiling(max: f64) -> f64 {
    if !max.is_finite() || max <= 0.0 {
        return 1.0;
    }
    let power = 10_f64.powf(max.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * power >= max {
            return m * power;
        }
    }
    10.0 * power
}

fn number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

impl Chart {
    /// The chart as an inline `<svg>` element.
    pub fn svg(&self) -> String {
        let id = escape(&self.id);
        let n = self.labels.len().max(1);
        let max = self
            .series
            .iter()
            .flat_map(|s| s.values.iter().flatten())
            .fold(0.0_f64, |a, &b| a.max(b));
        let top = nice_ceiling(max);
        let plot_w = WIDTH - LEFT - RIGHT;
        let plot_h = HEIGHT - TOP - BOTTOM;
        let y = |v: f64| TOP + plot_h - (v / top) * plot_h;
        let mut s = String::new();
        let _ = write!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
            escape(&self.title),
            escape(&self.description)
        );
        // Axes and grid.
        for i in 0..=4 {
            let v = top * f64::from(i) / 4.0;
            let yy = y(v);
            let _ = write!(
                s,
                r##"<line x1="{LEFT}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#d0d0d0" stroke-width="1"/><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="#222">{}</text>"##,
                WIDTH - RIGHT,
                LEFT - 6.0,
                yy + 4.0,
                number(v)
            );
        }
        let _ = write!(
            s,
            r##"<text x="4" y="{:.1}" font-size="11" fill="#222">{}</text>"##,
            TOP - 24.0,
            escape(&self.unit)
        );
        let step = n.div_ceil(8).max(1);
        let slot = plot_w / n as f64;
        let x_mid = |i: usize| LEFT + slot * (i as f64 + 0.5);
        for (i, label) in self.labels.iter().enumerate() {
            if i % step == 0 || i + 1 == n {
                let _ = write!(
                    s,
                    r##"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#222">{}</text>"##,
                    x_mid(i),
                    HEIGHT - BOTTOM + 16.0,
                    escape(label)
                );
            }
        }
        // Data.
        let k = self.series.len().max(1);
        for (si, series) in self.series.iter().enumerate() {
            let colour = COLOURS[si % COLOURS.len()];
            let dash = DASHES[si % DASHES.len()];
            match self.kind {
                Kind::Line => {
                    let mut path = String::new();
                    let mut pen_down = false;
                    for (i, v) in series.values.iter().enumerate() {
                        match v {
                            Some(v) => {
                                let _ = write!(
                                    path,
                                    "{}{:.1} {:.1} ",
                                    if pen_down { "L" } else { "M" },
                                    x_mid(i),
                                    y(*v)
                                );
                                pen_down = true;
                            }
                            None => pen_down = false,
                        }
                    }
                    let _ = write!(
                        s,
                        r#"<path d="{}" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>"#,
                        path.trim_end()
                    );
                }
                Kind::Bar => {
                    let bar_w = slot * 0.8 / k as f64;
                    for (i, v) in series.values.iter().enumerate() {
                        if let Some(v) = v {
                            let x = LEFT + slot * i as f64 + slot * 0.1 + bar_w * si as f64;
                            let yy = y(*v);
                            let _ = write!(
                                s,
                                r##"<rect x="{x:.1}" y="{yy:.1}" width="{bar_w:.1}" height="{:.1}" fill="{colour}" stroke="#fff" stroke-width="1"{}><title>{}: {}</title></rect>"##,
                                (TOP + plot_h - yy).max(0.0),
                                if si % 2 == 1 {
                                    r#" fill-opacity="0.75""#
                                } else {
                                    ""
                                },
                                escape(&series.name),
                                number(*v)
                            );
                        }
                    }
                }
            }
            // Legend.
            let lx = LEFT + 150.0 * si as f64;
            let _ = write!(
                s,
                r##"<line x1="{lx:.1}" y1="12" x2="{:.1}" y2="12" stroke="{colour}" stroke-width="{}" stroke-dasharray="{dash}"/><text x="{:.1}" y="16" font-size="12" fill="#222">{}</text>"##,
                lx + 22.0,
                if self.kind == Kind::Bar { 8 } else { 2 },
                lx + 28.0,
                escape(&series.name)
            );
        }
        s.push_str("</svg>");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_rounds_up_and_text_is_escaped() {
        assert_eq!(nice_ceiling(3004.0), 5000.0);
        assert_eq!(nice_ceiling(180.0), 200.0);
        assert_eq!(nice_ceiling(0.0), 1.0);
        let chart = Chart {
            id: "c".into(),
            title: "A <b> & \"c\"".into(),
            description: "d".into(),
            kind: Kind::Bar,
            labels: vec!["x".into(), "y".into()],
            series: vec![Series {
                name: "s".into(),
                values: vec![Some(1.0), None],
            }],
            unit: "u".into(),
        };
        let svg = chart.svg();
        assert!(svg.contains("<title id=\"c-title\">A &lt;b&gt; &amp; &quot;c&quot;</title>"));
        assert_eq!(svg.matches("<rect").count(), 1, "a gap draws no bar");
    }
}
