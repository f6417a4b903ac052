//! Charts of the diagnostics: every result of [`crate::diagnostics`] draws itself with
//! `figure()` (and the residual plot also with `qq_figure()`). Titles and axis labels are
//! always set; traces are named so the legend reads on its own.

use plotly::common::{AxisSide, DashType, ErrorData, ErrorType, Fill, Line, Marker, Mode, Title};
use plotly::layout::{Axis, AxisType, Layout};
use plotly::{Bar, Plot, Scatter};

use super::Figure;
use crate::diagnostics::{
    Calibration, DoubleLift, Lift, Lorenz, OneWay, PartialEffect, PartialEffectKind, ResidualPlot,
};

/// A titled axis.
fn axis(title: &str) -> Axis {
    Axis::new().title(Title::with_text(title))
}

/// A plot with a title and axis labels.
fn plot_with(title: &str, x: Axis, y: Axis) -> Plot {
    let mut plot = Plot::new();
    plot.set_layout(
        Layout::new()
            .title(Title::with_text(title))
            .x_axis(x)
            .y_axis(y),
    );
    plot
}

/// A named line with markers.
fn line<X: serde::Serialize + Clone + 'static>(
    name: &str,
    x: Vec<X>,
    y: Vec<f64>,
) -> Box<Scatter<X, f64>> {
    Scatter::new(x, y).name(name).mode(Mode::LinesMarkers)
}

/// A dashed grey reference line.
fn reference(name: &str, x: Vec<f64>, y: Vec<f64>) -> Box<Scatter<f64, f64>> {
    Scatter::new(x, y)
        .name(name)
        .mode(Mode::Lines)
        .line(Line::new().dash(DashType::Dash).color("grey"))
}

/// Asymmetric error bars from intervals around values.
fn error_bars(value: &[f64], low: &[f64], high: &[f64]) -> ErrorData {
    ErrorData::new(ErrorType::Data)
        .symmetric(false)
        .array(high.iter().zip(value).map(|(h, v)| h - v).collect())
        .array_minus(value.iter().zip(low).map(|(v, l)| v - l).collect())
}

/// Bin numbers as axis labels.
fn bin_labels(bins: impl Iterator<Item = usize>) -> Vec<String> {
    bins.map(|b| b.to_string()).collect()
}

impl OneWay {
    /// The actuaries' one-way chart: exposure bars (right axis) and the actual and expected
    /// rates by level (left axis), the actual rate with the A/E interval as error bars.
    ///
    /// ```
    /// use rustystats::diagnostics::one_way_labels;
    ///
    /// let labels: Vec<String> = ["a", "b"].iter().map(|s| s.to_string()).collect();
    /// let t = one_way_labels("area", &labels, &[1.0, 3.0], &[2.0, 2.0], &[1.0, 1.0], 0.95).unwrap();
    /// let json: serde_json::Value = serde_json::from_str(&t.figure().to_json()).unwrap();
    /// assert_eq!(json["data"].as_array().unwrap().len(), 3);
    /// ```
    pub fn figure(&self) -> Figure {
        let levels: Vec<String> = self.rows.iter().map(|r| r.level.clone()).collect();
        let col = |f: fn(&crate::diagnostics::AeRow) -> f64| {
            self.rows.iter().map(f).collect::<Vec<f64>>()
        };
        let (actual, expected) = (col(|r| r.actual_rate), col(|r| r.expected_rate));
        let low: Vec<f64> = self
            .rows
            .iter()
            .map(|r| r.ae_low * r.expected_rate)
            .collect();
        let high: Vec<f64> = self
            .rows
            .iter()
            .map(|r| r.ae_high * r.expected_rate)
            .collect();
        let title = format!("Actual vs expected by {}", self.variable);
        let mut plot = Plot::new();
        plot.add_trace(
            Bar::new(levels.clone(), col(|r| r.exposure))
                .name("exposure")
                .y_axis("y2")
                .opacity(0.35),
        );
        plot.add_trace(
            line("actual rate", levels.clone(), actual.clone())
                .error_y(error_bars(&actual, &low, &high)),
        );
        plot.add_trace(line("expected rate", levels, expected));
        plot.set_layout(
            Layout::new()
                .title(Title::with_text(&title))
                .x_axis(axis(&self.variable).type_(AxisType::Category))
                .y_axis(axis("rate"))
                .y_axis2(
                    axis("exposure")
                        .overlaying("y")
                        .side(AxisSide::Right)
                        .show_grid(false),
                ),
        );
        Figure::new(title, plot)
    }
}

impl Lift {
    /// Actual and predicted rate by bin of predicted rate.
    pub fn figure(&self) -> Figure {
        let x = bin_labels(self.bins.iter().map(|b| b.bin));
        let title = format!(
            "Lift chart (top/bottom actual rate {:.2})",
            self.top_to_bottom()
        );
        let mut plot = plot_with(
            &title,
            axis("bin of predicted rate (equal exposure)").type_(AxisType::Category),
            axis("rate"),
        );
        plot.add_trace(line(
            "actual rate",
            x.clone(),
            self.bins.iter().map(|b| b.actual_rate).collect(),
        ));
        plot.add_trace(line(
            "predicted rate",
            x,
            self.bins.iter().map(|b| b.expected_rate).collect(),
        ));
        Figure::new(title, plot)
    }
}

impl DoubleLift {
    /// Actual, model A and model B relative rates by bin of the ratio A / B.
    pub fn figure(&self) -> Figure {
        let x = bin_labels(self.bins.iter().map(|b| b.bin));
        let title = format!("Double lift: {} vs {}", self.name_a, self.name_b);
        let mut plot = plot_with(
            &title,
            axis(&format!(
                "bin of {} / {} (equal exposure)",
                self.name_a, self.name_b
            ))
            .type_(AxisType::Category),
            axis("rate relative to the overall rate"),
        );
        plot.add_trace(line(
            "actual",
            x.clone(),
            self.bins.iter().map(|b| b.actual_relative).collect(),
        ));
        plot.add_trace(line(
            &self.name_a,
            x.clone(),
            self.bins.iter().map(|b| b.a_relative).collect(),
        ));
        plot.add_trace(line(
            &self.name_b,
            x,
            self.bins.iter().map(|b| b.b_relative).collect(),
        ));
        Figure::new(title, plot)
    }
}

impl Lorenz {
    /// The ordered Lorenz curve with the diagonal; the Gini is in the title.
    pub fn figure(&self) -> Figure {
        let title = format!("Ordered Lorenz curve (Gini {:.4})", self.gini);
        let mut plot = plot_with(
            &title,
            axis("cumulative share of exposure (lowest predicted rate first)"),
            axis("cumulative share of actual"),
        );
        plot.add_trace(
            Scatter::new(self.exposure_share.clone(), self.actual_share.clone())
                .name("model")
                .mode(Mode::Lines),
        );
        plot.add_trace(reference("random", vec![0.0, 1.0], vec![0.0, 1.0]));
        Figure::new(title, plot)
    }
}

impl Calibration {
    /// Mean actual against mean predicted by bin, with intervals, and the 45° line.
    pub fn figure(&self) -> Figure {
        let pred: Vec<f64> = self.bins.iter().map(|b| b.mean_predicted).collect();
        let act: Vec<f64> = self.bins.iter().map(|b| b.mean_actual).collect();
        let low: Vec<f64> = self.bins.iter().map(|b| b.low).collect();
        let high: Vec<f64> = self.bins.iter().map(|b| b.high).collect();
        let lo = pred
            .iter()
            .chain(&act)
            .copied()
            .fold(f64::INFINITY, f64::min);
        let hi = pred
            .iter()
            .chain(&act)
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let title = "Calibration: mean actual vs mean predicted";
        let mut plot = plot_with(title, axis("mean predicted"), axis("mean actual"));
        plot.add_trace(
            Scatter::new(pred, act.clone())
                .name("bins")
                .mode(Mode::Markers)
                .error_y(error_bars(&act, &low, &high)),
        );
        if lo.is_finite() && hi.is_finite() {
            plot.add_trace(reference("actual = predicted", vec![lo, hi], vec![lo, hi]));
        }
        Figure::new(title, plot)
    }
}

impl ResidualPlot {
    /// Residuals against fitted values (thinned to at most 5000 points) with the zero line.
    pub fn figure(&self) -> Figure {
        let name = self.kind.name();
        let title = format!("{name} residuals vs fitted");
        let mut plot = plot_with(
            &title,
            axis("fitted mean"),
            axis(&format!("{name} residual")),
        );
        plot.add_trace(
            Scatter::new(self.fitted.clone(), self.residuals.clone())
                .name("rows")
                .mode(Mode::Markers)
                .marker(Marker::new().size(4).opacity(0.5)),
        );
        let lo = self.fitted.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = self
            .fitted
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        plot.add_trace(reference("zero", vec![lo, hi], vec![0.0, 0.0]));
        Figure::new(title, plot)
    }

    /// The normal QQ plot of the residuals with R's `qqline`.
    pub fn qq_figure(&self) -> Figure {
        let q = &self.qq;
        let title = format!("Normal QQ plot of {} residuals", self.kind.name());
        let mut plot = plot_with(
            &title,
            axis("theoretical normal quantile"),
            axis("sample quantile"),
        );
        plot.add_trace(
            Scatter::new(q.theoretical.clone(), q.sample.clone())
                .name("residuals")
                .mode(Mode::Markers)
                .marker(Marker::new().size(4)),
        );
        let (a, b) = (
            q.theoretical.first().copied().unwrap_or(-1.0),
            q.theoretical.last().copied().unwrap_or(1.0),
        );
        plot.add_trace(reference(
            "QQ line",
            vec![a, b],
            vec![q.intercept + q.slope * a, q.intercept + q.slope * b],
        ));
        Figure::new(title, plot)
    }
}

impl PartialEffect {
    /// A numeric effect as a line with its interval as a band; a categorical effect as
    /// points with error bars. For relativities call `.relativities()?.figure()`.
    pub fn figure(&self) -> Figure {
        let scale = if self.relativity {
            "relativity"
        } else {
            "effect (link scale)"
        };
        let title = format!("Partial effect of {}", self.variable);
        match &self.kind {
            PartialEffectKind::Numeric(points) => {
                let x: Vec<f64> = points.iter().map(|p| p.x).collect();
                let col = |f: fn(&crate::diagnostics::EffectPoint) -> f64| {
                    points.iter().map(f).collect::<Vec<f64>>()
                };
                let band = Line::new().width(0.0);
                let mut plot = plot_with(&title, axis(&self.variable), axis(scale));
                plot.add_trace(
                    Scatter::new(x.clone(), col(|p| p.low))
                        .name("lower")
                        .mode(Mode::Lines)
                        .line(band.clone())
                        .show_legend(false),
                );
                plot.add_trace(
                    Scatter::new(x.clone(), col(|p| p.high))
                        .name(format!("{}% interval", self.conf_level * 100.0))
                        .mode(Mode::Lines)
                        .line(band)
                        .fill(Fill::ToNextY)
                        .fill_color("rgba(31, 119, 180, 0.2)"),
                );
                plot.add_trace(
                    Scatter::new(x, col(|p| p.fit))
                        .name(scale)
                        .mode(Mode::Lines),
                );
                Figure::new(title, plot)
            }
            PartialEffectKind::Categorical(levels) => {
                let x: Vec<String> = levels.iter().map(|l| l.level.clone()).collect();
                let est: Vec<f64> = levels.iter().map(|l| l.estimate).collect();
                let low: Vec<f64> = levels.iter().map(|l| l.low).collect();
                let high: Vec<f64> = levels.iter().map(|l| l.high).collect();
                let mut plot = plot_with(
                    &title,
                    axis(&self.variable).type_(AxisType::Category),
                    axis(scale),
                );
                plot.add_trace(
                    Scatter::new(x, est.clone())
                        .name(scale)
                        .mode(Mode::Markers)
                        .error_y(error_bars(&est, &low, &high)),
                );
                Figure::new(title, plot)
            }
        }
    }
}
