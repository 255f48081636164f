//! Server-rendered SVG charts, inline in the page (no scripts, no external fonts), described for
//! screen readers and always followed on the page by its data table: one small, general line and
//! bar chart ([`Chart`]) and the simulator's fan chart ([`fan`]: P10–P90 bands with their P50),
//! sharing one frame, scale and axis code ([`Frame`]). Series differ by dash pattern and marker
//! as well as colour (WCAG 1.4.1). Presentation attributes only (the CSP forbids inline styles).
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

/// The plot area and the value range of a chart: the one scale and axis code of every chart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    /// Width of the view box.
    pub width: f64,
    /// Height of the view box.
    pub height: f64,
    /// Margins: left (y labels), right, top (legend), bottom (x labels).
    pub margins: (f64, f64, f64, f64),
    /// The value at the bottom of the plot.
    pub low: f64,
    /// The value at the top of the plot.
    pub high: f64,
}

impl Frame {
    fn left(&self) -> f64 {
        self.margins.0
    }
    fn right_edge(&self) -> f64 {
        self.width - self.margins.1
    }
    fn top(&self) -> f64 {
        self.margins.2
    }
    fn baseline(&self) -> f64 {
        self.height - self.margins.3
    }
    fn plot_width(&self) -> f64 {
        self.right_edge() - self.left()
    }

    /// The y coordinate of a value.
    pub fn y(&self, v: f64) -> f64 {
        let span = if self.high > self.low {
            self.high - self.low
        } else {
            1.0
        };
        self.baseline() - (v - self.low) / span * (self.baseline() - self.top())
    }

    /// The x coordinate of the middle of slot `i` of `n`.
    pub fn x_mid(&self, i: f64, n: usize) -> f64 {
        self.left() + self.plot_width() * (i + 0.5) / n.max(1) as f64
    }

    /// Opens the `<svg>` with its title and description (named by `aria-labelledby`).
    fn open(&self, s: &mut String, id: &str, title: &str, description: &str) {
        let id = escape(id);
        let _ = write!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
            self.width,
            self.height,
            escape(title),
            escape(description)
        );
    }

    /// Five horizontal grid lines from `low` to `high`, each with its value on the left.
    fn y_axis(&self, s: &mut String) {
        for i in 0..=4 {
            let v = self.low + (self.high - self.low) * f64::from(i) / 4.0;
            let yy = self.y(v);
            let _ = write!(
                s,
                r##"<line x1="{}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#d0d0d0" stroke-width="1"/><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="#222">{}</text>"##,
                self.left(),
                self.right_edge(),
                self.left() - 6.0,
                yy + 4.0,
                number(v)
            );
        }
    }

    /// An x label under slot position `x`.
    fn x_label(&self, s: &mut String, x: f64, label: &str) {
        let _ = write!(
            s,
            r##"<text x="{x:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#222">{}</text>"##,
            self.baseline() + 16.0,
            escape(label)
        );
    }
}

impl Chart {
    /// The chart as an inline `<svg>` element.
    pub fn svg(&self) -> String {
        let n = self.labels.len().max(1);
        let max = self
            .series
            .iter()
            .flat_map(|s| s.values.iter().flatten())
            .fold(0.0_f64, |a, &b| a.max(b));
        let frame = Frame {
            width: WIDTH,
            height: HEIGHT,
            margins: (LEFT, RIGHT, TOP, BOTTOM),
            low: 0.0,
            high: nice_ceiling(max),
        };
        let plot_h = frame.baseline() - frame.top();
        let y = |v: f64| frame.y(v);
        let mut s = String::new();
        frame.open(&mut s, &self.id, &self.title, &self.description);
        frame.y_axis(&mut s);
        let _ = write!(
            s,
            r##"<text x="4" y="{:.1}" font-size="11" fill="#222">{}</text>"##,
            TOP - 24.0,
            escape(&self.unit)
        );
        let step = n.div_ceil(8).max(1);
        let slot = frame.plot_width() / n as f64;
        let x_mid = |i: usize| frame.x_mid(i as f64, n);
        for (i, label) in self.labels.iter().enumerate() {
            if i % step == 0 || i + 1 == n {
                frame.x_label(&mut s, x_mid(i), label);
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

/// One line of a fan chart: its label, colour, and per month P10, P50, P90.
#[derive(Debug, Clone, PartialEq)]
pub struct FanLine<'a> {
    /// Legend text.
    pub label: &'a str,
    /// Stroke and band colour.
    pub colour: &'static str,
    /// P10 per month.
    pub p10: Vec<f64>,
    /// P50 per month.
    pub p50: Vec<f64>,
    /// P90 per month.
    pub p90: Vec<f64>,
}

/// A fan chart: for each line a P10–P90 band and its P50, months on x (a tick a year,
/// `year_label 0`, `year_label 1` …), the value on y. The y range covers every band (below 0 for
/// a policy delta), from 0 unless the values sit far above it.
pub fn fan(
    id: &str,
    title: &str,
    description: &str,
    year_label: &str,
    lines: &[FanLine<'_>],
) -> String {
    let months = lines.iter().map(|l| l.p50.len()).max().unwrap_or(0).max(1);
    let mut low = lines
        .iter()
        .flat_map(|l| l.p10.iter())
        .copied()
        .fold(f64::INFINITY, f64::min);
    let mut high = lines
        .iter()
        .flat_map(|l| l.p90.iter())
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    if !low.is_finite() || !high.is_finite() {
        (low, high) = (0.0, 1.0);
    }
    if low > 0.0 && low < 0.5 * high {
        low = 0.0;
    }
    if high - low < 1.0 {
        high = low + 1.0;
    }
    let pad = (high - low) * 0.05;
    let frame = Frame {
        width: 720.0,
        height: 300.0,
        margins: (64.0, RIGHT, TOP, 40.0),
        low: low - pad,
        high: high + pad,
    };
    let x = |m: f64| frame.x_mid(m, months);
    let mut s = String::new();
    frame.open(&mut s, id, title, description);
    frame.y_axis(&mut s);
    for year in 0..=(months / 12) {
        let xx = x((year * 12) as f64 - 0.5);
        let _ = write!(
            s,
            r##"<line x1="{xx:.1}" y1="{:.1}" x2="{xx:.1}" y2="{:.1}" stroke="#595959"/>"##,
            frame.baseline(),
            frame.baseline() + 5.0
        );
        frame.x_label(&mut s, xx, &format!("{year_label} {year}"));
    }
    for line in lines {
        let mut band = String::new();
        for (m, v) in line.p90.iter().enumerate() {
            let _ = write!(band, "{:.1},{:.1} ", x(m as f64), frame.y(*v));
        }
        for (m, v) in line.p10.iter().enumerate().rev() {
            let _ = write!(band, "{:.1},{:.1} ", x(m as f64), frame.y(*v));
        }
        let _ = write!(
            s,
            r##"<polygon points="{}" fill="{}" fill-opacity="0.2" stroke="none"/>"##,
            band.trim_end(),
            line.colour
        );
        let median: Vec<String> = line
            .p50
            .iter()
            .enumerate()
            .map(|(m, v)| format!("{:.1},{:.1}", x(m as f64), frame.y(*v)))
            .collect();
        let _ = write!(
            s,
            r##"<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>"##,
            median.join(" "),
            line.colour
        );
    }
    for (i, line) in lines.iter().enumerate() {
        let lx = frame.left() + 10.0 + 220.0 * i as f64;
        let _ = write!(
            s,
            r##"<rect x="{lx}" y="6" width="14" height="10" fill="{}"/><text x="{:.1}" y="16" font-size="12" fill="#222">{} (P50, P10–P90)</text>"##,
            line.colour,
            lx + 18.0,
            escape(line.label)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fan_chart_is_an_accessible_svg_with_a_band_and_a_median() {
        let svg = fan(
            "c",
            "Total <stock>",
            "desc",
            "year",
            &[FanLine {
                label: "baseline",
                colour: "#1d4f91",
                p10: vec![1.0, 2.0],
                p50: vec![2.0, 3.0],
                p90: vec![3.0, 4.0],
            }],
        );
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(r#"aria-labelledby="c-title c-desc""#));
        assert!(svg.contains("Total &lt;stock&gt;"));
        assert_eq!(svg.matches("<polygon").count(), 1);
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert!(!svg.contains("style="));
    }

    #[test]
    fn a_delta_below_zero_is_inside_the_fan_chart() {
        // P10 −50 … P90 10: range −50 − 3 to 10 + 3 (5 % padding of 60); the lowest grid line
        // is at −53, and every band point lies inside the plot.
        let svg = fan(
            "d",
            "Delta",
            "desc",
            "year",
            &[FanLine {
                label: "total",
                colour: "#1d4f91",
                p10: vec![-50.0],
                p50: vec![-20.0],
                p90: vec![10.0],
            }],
        );
        assert!(svg.contains(">-53<"), "{svg}");
        assert!(svg.contains(">13<"), "{svg}");
    }

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
