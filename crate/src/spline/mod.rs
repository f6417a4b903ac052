//! Spline and orthogonal-polynomial bases that reproduce R's `splines::bs`,
//! `splines::ns` and `stats::poly`.
//!
//! These are the bases behind formula terms such as `bs(x, df = 5)`, `ns(x, df = 4)` and
//! `poly(x, 2)`. Each basis is split into two steps, like R's `makepredictcall` mechanism:
//!
//! 1. `fit` looks at the training data once and fixes the basis *state*: the knots and
//!    boundary knots of a spline, or the recurrence coefficients of an orthogonal polynomial.
//!    The state is kept in public fields, so a fitted model can store it.
//! 2. `basis` evaluates the basis at any `x` using only that state, so new data at
//!    prediction time gets exactly the columns R's `predict()` would give, including for
//!    points beyond the boundary knots.
//!
//! The result of `basis` is column-major: a `Vec` of columns, each as long as `x`.
//!
//! Agreement with R 4.2 is checked against reference values written by
//! `tests/r/make_spline_refs.R` (absolute differences below 1e-10 for every basis value,
//! at the training points and beyond the boundary, and below 1e-12 for knots).
//!
//! Differences from R, all deliberate:
//! * R drops `NA` values before fitting and returns `NA` rows; here `fit` rejects non-finite
//!   values with an error, and `basis` returns a row of `NaN` for a non-finite `x`.
//! * Where R warns that `df` is too small and silently uses fewer knots, `fit` returns an
//!   error.
//! * An interior knot equal to the upper boundary knot makes R return `NaN` (`bs`) or fail
//!   (`ns`); here `fit` returns an error. An interior knot equal to the lower boundary knot
//!   is accepted, as in R.
//!
//! ```
//! use rustystats::spline::{BSpline, NaturalSpline, OrthoPoly};
//!
//! let x: Vec<f64> = (0..50).map(|i| (i as f64 * 0.37).sin() * 10.0 + 40.0).collect();
//! let bs = BSpline::fit(&x, Some(5), None, 3, None)?;
//! let ns = NaturalSpline::fit(&x, Some(4), None, None)?;
//! let po = OrthoPoly::fit(&x, 2)?;
//! assert_eq!(bs.basis(&x).len(), 5);
//! assert_eq!(ns.basis(&[25.0, 40.0, 60.0]).len(), 4);
//! assert_eq!(po.basis(&x)[1].len(), x.len());
//! # Ok::<(), rustystats::spline::SplineError>(())
//! ```

mod bspline;
mod design;
mod householder;
mod natural;
mod poly;
mod quantile;
#[cfg(test)]
mod tests;

pub use bspline::BSpline;
pub use natural::NaturalSpline;
pub use poly::OrthoPoly;

use std::fmt;

/// Why a basis could not be set up.
///
/// The message names the function (`bs()`, `ns()` or `poly()`), says what is wrong and what
/// to do about it.
///
/// ```
/// use rustystats::spline::BSpline;
///
/// let err = BSpline::fit(&[1.0, 2.0, 3.0, 4.0], Some(2), None, 3, None).unwrap_err();
/// assert_eq!(err.message, "bs(): df = 2 is less than degree 3; use df >= 3");
/// assert_eq!(err.to_string(), err.message);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplineError {
    /// Human-readable description of the problem and how to fix it.
    pub message: String,
}

impl SplineError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        SplineError {
            message: message.into(),
        }
    }
}

impl fmt::Display for SplineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SplineError {}

/// Rejects empty input and non-finite values.
pub(crate) fn check_finite(func: &str, x: &[f64]) -> Result<(), SplineError> {
    if x.is_empty() {
        return Err(SplineError::new(format!(
            "{func}: x is empty; at least two distinct values are needed"
        )));
    }
    if let Some((i, v)) = x.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(SplineError::new(format!(
            "{func}: x[{i}] = {v} is not finite; remove or impute missing and infinite values \
             before building the basis"
        )));
    }
    Ok(())
}

/// Resolves the boundary knots: the given pair (sorted, as R does) or the range of `x`.
pub(crate) fn resolve_boundary(
    func: &str,
    x: &[f64],
    boundary: Option<(f64, f64)>,
) -> Result<(f64, f64), SplineError> {
    match boundary {
        Some((a, b)) => {
            if !a.is_finite() || !b.is_finite() {
                return Err(SplineError::new(format!(
                    "{func}: boundary knots ({a}, {b}) must be finite numbers"
                )));
            }
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            if lo == hi {
                return Err(SplineError::new(format!(
                    "{func}: both boundary knots are {lo}; give two different values"
                )));
            }
            Ok((lo, hi))
        }
        None => {
            let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if lo == hi {
                return Err(SplineError::new(format!(
                    "{func}: x has only one distinct value ({lo}); a spline needs at least \
                     two distinct values, or give the boundary knots explicitly"
                )));
            }
            Ok((lo, hi))
        }
    }
}

/// Chooses the interior knots the way `bs()` and `ns()` do.
///
/// Explicit knots win (and are checked against the boundary); otherwise `n_interior` knots
/// are placed at quantiles of the `x` values inside the boundary.
pub(crate) fn interior_knots(
    func: &str,
    x: &[f64],
    knots: Option<Vec<f64>>,
    n_interior: usize,
    (lo, hi): (f64, f64),
) -> Result<Vec<f64>, SplineError> {
    let mut knots = match knots {
        Some(k) => {
            if let Some(v) = k.iter().find(|v| !v.is_finite()) {
                return Err(SplineError::new(format!(
                    "{func}: knot {v} is not finite; give finite knots"
                )));
            }
            if let Some(v) = k.iter().find(|&&v| v < lo || v > hi) {
                return Err(SplineError::new(format!(
                    "{func}: knot {v} is outside the boundary knots [{lo}, {hi}]; move it \
                     inside or widen the boundary"
                )));
            }
            k
        }
        None if n_interior == 0 => Vec::new(),
        None => {
            let mut inside: Vec<f64> = x.iter().copied().filter(|&v| v >= lo && v <= hi).collect();
            if inside.is_empty() {
                return Err(SplineError::new(format!(
                    "{func}: no x value lies within the boundary knots [{lo}, {hi}], so no \
                     knots can be placed at quantiles; give the knots or a wider boundary"
                )));
            }
            inside.sort_by(f64::total_cmp);
            quantile::quantiles_type7(&inside, &quantile::inner_probs(n_interior))
        }
    };
    knots.sort_by(f64::total_cmp);
    if knots.last() == Some(&hi) {
        return Err(SplineError::new(format!(
            "{func}: an interior knot equals the upper boundary knot {hi}, which leaves the \
             basis undefined there (R returns NaN or fails); use fewer knots (smaller df), \
             knots below {hi}, or a larger upper boundary"
        )));
    }
    Ok(knots)
}
