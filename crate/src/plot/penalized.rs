//! Charts of penalized fits: the coefficient path ([`CoefficientPath`]) and the
//! cross-validation curve ([`CvCurve`]).
//!
//! Both put alpha on a log axis that decreases to the right: the strongest penalty (no
//! coefficient) on the left, the model growing as one reads to the right, in the order the
//! path is fitted. Alphas that are not above 0 cannot be placed on a log axis and are left
//! out (the title says so).

use plotly::common::{DashType, ErrorData, ErrorType, Marker, Mode, Title};
use plotly::layout::{Annotation, Axis, AxisType, Layout, Shape, ShapeLine, ShapeType};
use plotly::{Plot, Scatter};

use super::Figure;
use crate::model::{CvFit, PathFit};

/// The axis title of both charts.
const ALPHA_AXIS: &str = "alpha (log scale, decreasing to the right)";

/// Names a design gives its intercept column.
const INTERCEPT_NAMES: [&str; 2] = ["Intercept", "(Intercept)"];

/// A labelled vertical line at an alpha.
#[derive(Debug, Clone, PartialEq)]
struct Mark {
    alpha: f64,
    label: String,
}

/// The log-scale x axis over the positive alphas, reversed (largest on the left), with a
/// little room at both ends.
fn alpha_axis(alphas: &[f64]) -> Axis {
    let logs = alphas.iter().filter(|a| **a > 0.0).map(|a| a.log10());
    let (lo, hi) = logs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
        (lo.min(x), hi.max(x))
    });
    let axis = Axis::new()
        .title(Title::with_text(ALPHA_AXIS))
        .type_(AxisType::Log);
    if lo.is_finite() && hi.is_finite() {
        let pad = 0.03 * (hi - lo).max(0.1);
        // A log axis's range is in log10 units; from high to low reverses it.
        axis.range(vec![hi + pad, lo - pad])
    } else {
        axis
    }
}

/// The positions of the positive alphas (the only ones a log axis can show).
fn positive(alphas: &[f64]) -> Vec<usize> {
    (0..alphas.len()).filter(|&i| alphas[i] > 0.0).collect()
}

/// The title, noting alphas left out.
fn titled(title: &str, alphas: &[f64]) -> String {
    // `a > 0` is false for NaN too.
    let left_out = alphas.len() - positive(alphas).len();
    match left_out {
        0 => title.to_string(),
        k => format!("{title} ({k} alpha(s) <= 0 not shown)"),
    }
}

/// The layout with a title, the alpha axis, a y axis title and the marks as dotted vertical
/// lines over the whole height, labelled at the top.
fn layout(title: &str, alphas: &[f64], y_title: &str, marks: &[Mark]) -> Layout {
    let mut shapes = Vec::new();
    let mut labels = Vec::new();
    for m in marks.iter().filter(|m| m.alpha > 0.0) {
        // A shape on a log axis is placed by the data value, an annotation by its log10.
        shapes.push(
            Shape::new()
                .shape_type(ShapeType::Line)
                .x_ref("x")
                .y_ref("paper")
                .x0(m.alpha)
                .x1(m.alpha)
                .y0(0.0)
                .y1(1.0)
                .line(
                    ShapeLine::new()
                        .color("grey")
                        .width(1.5)
                        .dash(DashType::Dot),
                ),
        );
        labels.push(
            Annotation::new()
                .x_ref("x")
                .y_ref("paper")
                .x(m.alpha.log10())
                .y(1.0)
                .y_anchor(plotly::common::Anchor::Bottom)
                .text(&m.label)
                .show_arrow(false),
        );
    }
    Layout::new()
        .title(Title::with_text(title))
        .x_axis(alpha_axis(alphas))
        .y_axis(Axis::new().title(Title::with_text(y_title)))
        .shapes(shapes)
        .annotations(labels)
}

/// The coefficient path: one line per coefficient other than the intercept (and other than
/// columns aliased all along the path) against alpha, with optional vertical marks. Hovering
/// a line shows the coefficient's name, the alpha and the estimate.
///
/// ```
/// use rustystats::design::DenseDesign;
/// use rustystats::family::Family;
/// use rustystats::model::{fit_path, Alphas, ElasticNet, GlmData, GlmOptions, PathOptions};
/// use rustystats::plot::CoefficientPath;
///
/// let x = DenseDesign::from_columns(
///     vec!["Intercept".into(), "x".into(), "z".into()],
///     vec![vec![1.0; 6], vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0], vec![1.0, 0.0, 1.0, 0.0, 1.0, 0.0]],
/// )?;
/// let y = [1.0, 2.0, 2.0, 4.0, 7.0, 9.0];
/// let data = GlmData { x: &x, y: &y, weights: None, offset: None };
/// let popts = PathOptions { net: ElasticNet::new(0.0, 1.0), alphas: Alphas::Auto { n: 20, min_ratio: None } };
/// let path = fit_path(&data, Family::Poisson, None, &popts, &GlmOptions::default())?;
/// let fig = CoefficientPath::new(&path).marks(&[path.alphas[10]]).figure();
/// let json: serde_json::Value = serde_json::from_str(&fig.to_json()).unwrap();
/// assert_eq!(json["data"].as_array().unwrap().len(), 2); // x and z
/// assert_eq!(json["layout"]["shapes"].as_array().unwrap().len(), 1);
/// # Ok::<(), rustystats::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct CoefficientPath<'a> {
    path: &'a PathFit,
    marks: Vec<Mark>,
}

impl<'a> CoefficientPath<'a> {
    /// The chart of `path`, without marks.
    pub fn new(path: &'a PathFit) -> Self {
        CoefficientPath {
            path,
            marks: Vec::new(),
        }
    }

    /// The chart of a cross-validation's path with `alpha_min` and `alpha_1se` marked.
    pub fn from_cv(cv: &'a CvFit) -> Self {
        CoefficientPath::new(&cv.path)
            .mark(cv.alpha_min(), "alpha_min")
            .mark(cv.alpha_1se(), "alpha_1se")
    }

    /// Adds a vertical mark at each of `alphas`, labelled `alpha = value`.
    pub fn marks(mut self, alphas: &[f64]) -> Self {
        for &alpha in alphas {
            self = self.mark(alpha, format!("alpha = {alpha:.3e}"));
        }
        self
    }

    /// Adds a vertical mark at `alpha` with a label.
    pub fn mark(mut self, alpha: f64, label: impl Into<String>) -> Self {
        self.marks.push(Mark {
            alpha,
            label: label.into(),
        });
        self
    }

    /// The figure.
    pub fn figure(&self) -> Figure {
        let path = self.path;
        let rows = positive(&path.alphas);
        let x: Vec<f64> = rows.iter().map(|&i| path.alphas[i]).collect();
        let title = titled(
            &format!("Coefficient path ({} alphas)", path.alphas.len()),
            &path.alphas,
        );
        let mut plot = Plot::new();
        for (j, name) in path.names.iter().enumerate() {
            let y: Vec<f64> = rows.iter().map(|&i| path.coefficients[i][j]).collect();
            if INTERCEPT_NAMES.contains(&name.as_str()) || y.iter().all(|b| b.is_nan()) {
                continue;
            }
            plot.add_trace(
                Scatter::new(x.clone(), y)
                    .name(name)
                    .mode(Mode::Lines)
                    .hover_template(
                        "%{fullData.name}<br>alpha %{x:.4g}<br>estimate %{y:.4g}<extra></extra>",
                    ),
            );
        }
        plot.set_layout(layout(
            &title,
            &path.alphas,
            "coefficient (original scale)",
            &self.marks,
        ));
        Figure::new(title, plot)
    }
}

/// The cross-validation curve: the mean held-out deviance against alpha with ±1 standard
/// error bars, and vertical lines at `alpha_min` and `alpha_1se`. Hovering a point shows the
/// number of nonzero coefficients there.
///
/// ```
/// use rustystats::design::DenseDesign;
/// use rustystats::family::Family;
/// use rustystats::model::{fit_path, Alphas, CvFit, ElasticNet, GlmData, GlmOptions, PathOptions};
/// use rustystats::plot::CvCurve;
///
/// let x = DenseDesign::from_columns(
///     vec!["Intercept".into(), "x".into()],
///     vec![vec![1.0; 5], vec![0.0, 1.0, 2.0, 3.0, 4.0]],
/// )?;
/// let y = [1.0, 1.0, 2.0, 4.0, 5.0];
/// let data = GlmData { x: &x, y: &y, weights: None, offset: None };
/// let popts = PathOptions { net: ElasticNet::new(0.0, 1.0), alphas: Alphas::Auto { n: 3, min_ratio: None } };
/// let path = fit_path(&data, Family::Poisson, None, &popts, &GlmOptions::default())?;
/// let cv = CvFit::new(path, vec![vec![3.0, 2.0, 2.5], vec![3.0, 1.0, 1.5]], vec![2.0, 3.0])?;
/// let json: serde_json::Value = serde_json::from_str(&CvCurve::new(&cv).figure().to_json()).unwrap();
/// assert_eq!(json["data"].as_array().unwrap().len(), 1);
/// assert_eq!(json["layout"]["shapes"].as_array().unwrap().len(), 2);
/// # Ok::<(), rustystats::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct CvCurve<'a> {
    cv: &'a CvFit,
}

impl<'a> CvCurve<'a> {
    /// The chart of `cv`.
    pub fn new(cv: &'a CvFit) -> Self {
        CvCurve { cv }
    }

    /// The figure.
    pub fn figure(&self) -> Figure {
        let cv = self.cv;
        let alphas = &cv.path.alphas;
        let rows = positive(alphas);
        let pick = |v: &[f64]| -> Vec<f64> { rows.iter().map(|&i| v[i]).collect() };
        let hover: Vec<String> = rows
            .iter()
            .map(|&i| format!("{} nonzero", cv.path.nonzero[i]))
            .collect();
        let title = titled(
            &format!("Cross-validated deviance ({} folds)", cv.fold_loss.len()),
            alphas,
        );
        let mut plot = Plot::new();
        plot.add_trace(
            Scatter::new(pick(alphas), pick(&cv.cv_mean))
                .name("mean ± 1 s.e.")
                .mode(Mode::Markers)
                .marker(Marker::new().size(6).color("#d62728"))
                .error_y(ErrorData::new(ErrorType::Data).array(pick(&cv.cv_se)))
                .text_array(hover)
                .hover_template("alpha %{x:.4g}<br>cv %{y:.5g}<br>%{text}<extra></extra>"),
        );
        let marks = [
            Mark {
                alpha: cv.alpha_min(),
                label: "alpha_min".into(),
            },
            Mark {
                alpha: cv.alpha_1se(),
                label: "alpha_1se".into(),
            },
        ];
        let y_title = "mean held-out deviance per unit weight";
        plot.set_layout(layout(&title, alphas, y_title, &marks));
        Figure::new(title, plot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Alphas;
    use serde_json::Value;

    /// A Poisson lasso path over `alphas`, with a column named `w<b>`.
    fn path(alphas: Alphas) -> PathFit {
        crate::model::tiny_poisson_path(alphas, true)
    }

    fn json(fig: &Figure) -> Value {
        serde_json::from_str(&fig.to_json()).unwrap()
    }

    #[test]
    fn coefficient_path_has_a_line_per_coefficient_and_a_reversed_log_axis() {
        let p = path(Alphas::Auto {
            n: 15,
            min_ratio: None,
        });
        let v = json(&CoefficientPath::new(&p).figure());
        let data = v["data"].as_array().unwrap();
        let names: Vec<&str> = data.iter().map(|t| t["name"].as_str().unwrap()).collect();
        assert_eq!(names, vec!["x", "z", "w<b>"]);
        assert_eq!(data[0]["x"].as_array().unwrap().len(), 15);
        assert_eq!(data[0]["y"][0], serde_json::json!(0.0));
        assert!(data[0]["hovertemplate"]
            .as_str()
            .unwrap()
            .contains("%{fullData.name}"));
        let axis = &v["layout"]["xaxis"];
        assert_eq!(axis["type"], "log");
        let range = axis["range"].as_array().unwrap();
        assert!(range[0].as_f64().unwrap() > p.alphas[0].log10());
        assert!(range[1].as_f64().unwrap() < p.alphas[14].log10());
        assert!(axis["title"]["text"]
            .as_str()
            .unwrap()
            .contains("decreasing to the right"));
        assert!(v["layout"]
            .get("shapes")
            .is_none_or(|s| s.as_array().unwrap().is_empty()));
    }

    #[test]
    fn marks_are_vertical_lines_labelled_at_the_top() {
        let mut p = path(Alphas::Given(vec![1.0, 0.1, 0.01, 0.001]));
        p.alphas[3] = 0.0; // as a path of given alphas ending in 0 would be
        let fig = CoefficientPath::new(&p)
            .marks(&[0.1])
            .mark(0.01, "chosen")
            .mark(0.0, "not drawable")
            .figure();
        assert!(fig.title().contains("1 alpha(s) <= 0 not shown"));
        let v = json(&fig);
        assert_eq!(v["data"][0]["x"].as_array().unwrap().len(), 3);
        let shapes = v["layout"]["shapes"].as_array().unwrap();
        assert_eq!(shapes.len(), 2);
        assert_eq!(shapes[1]["x0"], serde_json::json!(0.01));
        assert_eq!(shapes[1]["yref"], "paper");
        let labels = v["layout"]["annotations"].as_array().unwrap();
        assert_eq!(labels[1]["text"], "chosen");
        assert!((labels[1]["x"].as_f64().unwrap() + 2.0).abs() < 1e-12);
        assert_eq!(labels[0]["text"], "alpha = 1.000e-1");
    }

    #[test]
    fn cv_curve_has_error_bars_and_both_choices() {
        let p = path(Alphas::Auto {
            n: 10,
            min_ratio: None,
        });
        let losses = |shift: f64| -> Vec<f64> {
            (0..10)
                .map(|a| 2.0 + ((a as f64 - 6.0) / 3.0).powi(2) + shift)
                .collect()
        };
        let cv = CvFit::new(p, vec![losses(-0.5), losses(0.5)], vec![1.0, 1.0]).unwrap();
        let fig = CvCurve::new(&cv).figure();
        assert_eq!(fig.title(), "Cross-validated deviance (2 folds)");
        let v = json(&fig);
        let data = v["data"].as_array().unwrap();
        assert_eq!(data.len(), 1);
        assert_eq!(data[0]["error_y"]["array"].as_array().unwrap().len(), 10);
        assert_eq!(
            data[0]["error_y"]["array"][6],
            serde_json::json!(cv.cv_se[6])
        );
        assert_eq!(
            data[0]["text"][6],
            format!("{} nonzero", cv.path.nonzero[6])
        );
        let shapes = v["layout"]["shapes"].as_array().unwrap();
        assert_eq!(shapes[0]["x0"], serde_json::json!(cv.alpha_min()));
        assert_eq!(shapes[1]["x0"], serde_json::json!(cv.alpha_1se()));
        let labels = v["layout"]["annotations"].as_array().unwrap();
        assert_eq!(labels[0]["text"], "alpha_min");
        assert_eq!(labels[1]["text"], "alpha_1se");
        let from_cv = json(&CoefficientPath::from_cv(&cv).figure());
        assert_eq!(from_cv["layout"]["shapes"].as_array().unwrap().len(), 2);
    }
}
