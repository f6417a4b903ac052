//! Predictions with their warnings: values of a spline's variable beyond the training range
//! (the basis is extrapolated there); a linear predictor, or a prediction on the response
//! scale, that is not a finite number is an error.

use std::ops::Deref;

use polars::prelude::DataFrame;

use super::spec::{FactorSpec, ModelSpec};
use super::splines::SplineBasis;
use crate::design::Design;
use crate::error::rows_list;
use crate::error::{Error, Result};
use crate::link::Link;

/// Predictions for new data, one per row, with warnings about them (empty when there are
/// none). Derefs to the values, so `pred[i]`, `pred.iter()` and `&pred` as a `&[f64]` work;
/// `pred.warnings` says, for instance, which rows lie beyond a spline's training range. The
/// command-line tool prints the warnings on standard error; in a notebook the prediction
/// shows its values and then its warnings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Prediction {
    /// The predicted values, one per row of the data.
    pub values: Vec<f64>,
    /// Warnings about the prediction (extrapolated spline rows).
    pub warnings: Vec<String>,
}

impl Prediction {
    /// The values, without the warnings.
    pub fn into_values(self) -> Vec<f64> {
        self.values
    }
}

impl Deref for Prediction {
    type Target = Vec<f64>;
    fn deref(&self) -> &Vec<f64> {
        &self.values
    }
}

impl From<Prediction> for Vec<f64> {
    fn from(p: Prediction) -> Vec<f64> {
        p.values
    }
}

impl PartialEq<Vec<f64>> for Prediction {
    fn eq(&self, other: &Vec<f64>) -> bool {
        &self.values == other
    }
}

impl<'a> IntoIterator for &'a Prediction {
    type Item = &'a f64;
    type IntoIter = std::slice::Iter<'a, f64>;
    fn into_iter(self) -> Self::IntoIter {
        self.values.iter()
    }
}

/// One warning per `bs()` or `ns()` term whose variable has values in `df` beyond the
/// boundary knots (by default the training range). R's `predict` warns for `bs()` ("some 'x'
/// values beyond boundary knots may cause ill-conditioned bases"); for `ns()`, which R
/// extrapolates linearly without a word, the warning is given too, since the curve there is
/// not learned from data. The warning names the term, the range and the rows (1-based).
pub(crate) fn extrapolation_warnings(spec: &ModelSpec, df: &DataFrame) -> Result<Vec<String>> {
    let mut warnings = Vec::new();
    for term in &spec.terms {
        for factor in &term.factors {
            let FactorSpec::Spline { label, expr, basis } = factor else {
                continue;
            };
            let (lo, hi) = match basis {
                SplineBasis::Bs(b) => b.boundary,
                SplineBasis::Ns(b) => b.boundary,
                SplineBasis::Poly(_) => continue,
            };
            let parsed = crate::formula::parse_expression(expr)?;
            let x = super::eval_numeric(&parsed, df, expr)?;
            let outside: Vec<usize> = (0..x.len()).filter(|&i| x[i] < lo || x[i] > hi).collect();
            let Some(&first) = outside.first() else {
                continue;
            };
            let r_says = match basis {
                SplineBasis::Bs(_) => {
                    "as R warns: \"some 'x' values beyond boundary knots may cause \
                     ill-conditioned bases\""
                }
                _ => "R extrapolates ns() linearly there without a warning",
            };
            warnings.push(format!(
                "`{label}`: {expr} is outside the training range [{lo}, {hi}] (the boundary \
                 knots) on {} of {} rows ({}; row {} has {}): the spline is extrapolated \
                 there, so those predictions are not supported by the data ({r_says})",
                outside.len(),
                x.len(),
                rows_list(&outside, &|i| i + 1),
                first + 1,
                x[first]
            ));
        }
    }
    Ok(warnings)
}

/// What to do about a prediction that is not a finite number.
const ADVICE: &str = "a coefficient this large means a damaged model file or a fit that did \
                      not converge: refit and save the model again; otherwise check the \
                      data's values on the rows named";

/// A data value as written in a file: plain for the usual magnitudes, else with an exponent.
fn plain(v: f64) -> String {
    if v == 0.0 || (1e-4..1e15).contains(&v.abs()) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// The design column behind a row's linear predictor that is too large: the column whose
/// term (coefficient times value) is not finite, or else the largest term. Returns the
/// column's index, its name and its value on the row.
fn culprit(i: usize, x: &dyn Design, coefficients: &[f64]) -> (usize, String, f64) {
    let mut row = vec![0.0; x.ncols()];
    x.row(i, &mut row);
    let term = |j: usize| {
        if coefficients[j].is_nan() {
            0.0
        } else {
            coefficients[j] * row[j]
        }
    };
    let j = (0..row.len())
        .find(|&j| !term(j).is_finite())
        .or_else(|| (0..row.len()).max_by(|&a, &b| term(a).abs().total_cmp(&term(b).abs())))
        .unwrap_or(0);
    let name = x.column_names().get(j).cloned().unwrap_or_default();
    (j, name, row.get(j).copied().unwrap_or(0.0))
}

/// An error when the linear predictor is not a finite number on some row: it names the first
/// such row and the design column whose term overflows (a coefficient such as 1e308 in a
/// damaged model file, or a value far beyond the training data). Rows are numbered as in the
/// data file (row 1 is the first data row).
pub(crate) fn check_finite_eta(eta: &[f64], x: &dyn Design, coefficients: &[f64]) -> Result<()> {
    let bad: Vec<usize> = (0..eta.len()).filter(|&i| !eta[i].is_finite()).collect();
    let Some(&i) = bad.first() else {
        return Ok(());
    };
    let (j, name, value) = culprit(i, x, coefficients);
    Err(Error::data(
        Some(&name),
        Some(i),
        format!(
            "the linear predictor is {} on {} of {} rows ({}): the coefficient of `{name}` is \
             {:e} and the value is {}, a term too large for a 64-bit float; {ADVICE}",
            eta[i],
            bad.len(),
            eta.len(),
            rows_list(&bad, &|r| r + 1),
            coefficients[j],
            plain(value),
        ),
    ))
}

/// An error when a prediction on the response scale (the mean, `link.inverse(eta)`) is not a
/// finite number although the linear predictor is: `exp(800)` with a log link, `1 / 0` with
/// the inverse link. It names the first such row, the linear predictor there and the column
/// with the largest term, and says that the link scale still has finite predictions.
pub(crate) fn check_finite_mean(
    mu: &[f64],
    eta: &[f64],
    link: Link,
    x: &dyn Design,
    coefficients: &[f64],
) -> Result<()> {
    let bad: Vec<usize> = (0..mu.len()).filter(|&i| !mu[i].is_finite()).collect();
    let Some(&i) = bad.first() else {
        return Ok(());
    };
    let (j, name, value) = culprit(i, x, coefficients);
    Err(Error::data(
        Some(&name),
        Some(i),
        format!(
            "the prediction on the response scale is {} on {} of {} rows ({}): the linear \
             predictor on row {} is {:e}, beyond what the {link} link maps to a finite mean; \
             its largest term is the coefficient of `{name}`, {:e}, times the value {}; \
             {ADVICE} (predictions on the link scale, `PredictType::Link` or `--type link`, \
             are finite)",
            mu[i],
            bad.len(),
            mu.len(),
            rows_list(&bad, &|r| r + 1),
            i + 1,
            eta[i],
            coefficients[j],
            plain(value),
        ),
    ))
}
