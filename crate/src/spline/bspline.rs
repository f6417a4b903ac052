//! B-spline basis, as R's `splines::bs`.

use super::design::KnotSequence;
use super::{check_finite, interior_knots, resolve_boundary, SplineError};

/// A fitted B-spline basis: the state R keeps in the attributes of a `bs()` matrix.
///
/// Inside the boundary knots the columns are the B-splines of the given degree on the knot
/// sequence made of the boundary knots (each repeated `degree + 1` times) and the interior
/// knots. Without an intercept the first B-spline is dropped, so the columns do not sum to
/// one and the basis can sit next to a model intercept.
///
/// Beyond the boundary knots each column continues as the polynomial piece of its end
/// interval (R's `bs()` behaviour): the value is the Taylor polynomial of degree `degree`
/// taken at a pivot a quarter of the way into the end interval.
///
/// ```
/// use rustystats::spline::BSpline;
///
/// let age: Vec<f64> = (18..=90).map(f64::from).collect();
/// // bs(age, df = 5): cubic, two interior knots at the 1/3 and 2/3 quantiles
/// let bs = BSpline::fit(&age, Some(5), None, 3, None)?;
/// assert_eq!(bs.interior_knots, vec![42.0, 66.0]);
/// assert_eq!(bs.boundary, (18.0, 90.0));
/// assert_eq!(bs.ncols(), 5);
///
/// // New data, one point beyond the upper boundary knot
/// let cols = bs.basis(&[30.0, 95.0]);
/// assert_eq!(cols.len(), 5);
/// assert_eq!(cols[0].len(), 2);
/// # Ok::<(), rustystats::spline::SplineError>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BSpline {
    /// Polynomial degree of the pieces (3 = cubic).
    pub degree: usize,
    /// Interior knots, sorted (R's `attr(, "knots")`).
    pub interior_knots: Vec<f64>,
    /// Lower and upper boundary knots (R's `attr(, "Boundary.knots")`).
    pub boundary: (f64, f64),
    /// Whether the first B-spline is kept (R's `intercept` argument).
    pub intercept: bool,
}

impl BSpline {
    /// Sets up the basis as R's
    /// `bs(x, df, knots, degree, intercept = FALSE, Boundary.knots)` does.
    ///
    /// * `boundary`: the boundary knots; `None` means the range of `x`. Training values
    ///   beyond a given boundary are allowed; their rows are extrapolated.
    /// * `knots`: interior knots, used as given (sorted). They must lie within the
    ///   boundary. `df` is then ignored, as in R.
    /// * `df` (when `knots` is `None`): the number of columns; `df - degree` interior
    ///   knots are placed at type-7 quantiles of the `x` values within the boundary, at
    ///   probabilities `1/(m+1), ..., m/(m+1)` for `m` knots. Without `df` and `knots`
    ///   there are no interior knots (`degree` columns).
    ///
    /// Errors when `degree` is 0, `df < degree`, `x` is empty or holds NaN or infinite
    /// values, `x` has fewer than two distinct values (without a boundary), a knot lies
    /// outside the boundary or on the upper boundary knot.
    pub fn fit(
        x: &[f64],
        df: Option<usize>,
        knots: Option<Vec<f64>>,
        degree: usize,
        boundary: Option<(f64, f64)>,
    ) -> Result<BSpline, SplineError> {
        Self::fit_with_intercept(x, df, knots, degree, boundary, false)
    }

    /// As [`BSpline::fit`], with R's `intercept` argument: when `true` the first B-spline is
    /// kept, and `df` counts it (`df - degree - 1` interior knots).
    ///
    /// ```
    /// use rustystats::spline::BSpline;
    ///
    /// let x: Vec<f64> = (0..20).map(f64::from).collect();
    /// let bs = BSpline::fit_with_intercept(&x, Some(5), None, 3, None, true)?;
    /// assert_eq!(bs.interior_knots.len(), 1);
    /// // with the intercept column the B-splines sum to one inside the boundary
    /// let cols = bs.basis(&[3.3]);
    /// let total: f64 = cols.iter().map(|c| c[0]).sum();
    /// assert!((total - 1.0).abs() < 1e-12);
    /// # Ok::<(), rustystats::spline::SplineError>(())
    /// ```
    pub fn fit_with_intercept(
        x: &[f64],
        df: Option<usize>,
        knots: Option<Vec<f64>>,
        degree: usize,
        boundary: Option<(f64, f64)>,
        intercept: bool,
    ) -> Result<BSpline, SplineError> {
        const F: &str = "bs()";
        if degree == 0 {
            return Err(SplineError::new(
                "bs(): degree must be at least 1 (got 0); use degree = 1 for a piecewise \
                 linear basis, or a step function via cut() for piecewise constants",
            ));
        }
        check_finite(F, x)?;
        let boundary = resolve_boundary(F, x, boundary)?;
        let n_interior = match (&knots, df) {
            (None, Some(df)) => {
                let min_df = degree + usize::from(intercept);
                if df < min_df {
                    let what = if intercept {
                        format!("degree {degree} + 1 (intercept)")
                    } else {
                        format!("degree {degree}")
                    };
                    return Err(SplineError::new(format!(
                        "{F}: df = {df} is less than {what}; use df >= {min_df}"
                    )));
                }
                df - min_df
            }
            _ => 0,
        };
        let interior_knots = interior_knots(F, x, knots, n_interior, boundary)?;
        Ok(BSpline {
            degree,
            interior_knots,
            boundary,
            intercept,
        })
    }

    /// Number of basis columns: interior knots + degree (+ 1 with the intercept).
    pub fn ncols(&self) -> usize {
        self.interior_knots.len() + self.degree + usize::from(self.intercept)
    }

    /// The basis at `x`, as columns (each of length `x.len()`).
    ///
    /// Equals R's `predict(bs_object, x)`: B-spline values inside the boundary knots and
    /// the polynomial continuation beyond them. A non-finite `x` gives a row of NaN.
    pub fn basis(&self, x: &[f64]) -> Vec<Vec<f64>> {
        let order = self.degree + 1;
        let ks = KnotSequence::clamped(self.boundary, &self.interior_knots, order);
        let t = ks.knots();
        let (lo, hi) = self.boundary;
        let n_full = ks.n_basis();
        let skip = usize::from(!self.intercept);
        let mut cols = vec![vec![0.0; x.len()]; n_full - skip];

        // Pivots a quarter of the way from each boundary knot to the next distinct knot
        // position of the sequence (R's choice); the end polynomial is the same anywhere
        // on that interval, and an inner pivot avoids the one-sided derivative at the knot.
        let left_pivot = 0.75 * lo + 0.25 * t[order];
        let right_pivot = 0.75 * hi + 0.25 * t[t.len() - order - 1];
        let left = x
            .iter()
            .any(|&v| v < lo)
            .then(|| self.taylor(&ks, left_pivot));
        let right = x
            .iter()
            .any(|&v| v > hi)
            .then(|| self.taylor(&ks, right_pivot));

        let mut row = vec![0.0; n_full];
        for (i, &xi) in x.iter().enumerate() {
            if !xi.is_finite() {
                row.iter_mut().for_each(|v| *v = f64::NAN);
            } else if xi < lo {
                extrapolate(
                    left.as_deref().unwrap_or_default(),
                    xi - left_pivot,
                    &mut row,
                );
            } else if xi > hi {
                extrapolate(
                    right.as_deref().unwrap_or_default(),
                    xi - right_pivot,
                    &mut row,
                );
            } else {
                ks.row_into(xi, 0, &mut row);
            }
            for (col, v) in cols.iter_mut().zip(&row[skip..]) {
                col[i] = *v;
            }
        }
        cols
    }

    /// Taylor coefficients at `pivot`: row `d` holds the `d`-th derivatives of all
    /// B-splines divided by `d!`.
    fn taylor(&self, ks: &KnotSequence, pivot: f64) -> Vec<Vec<f64>> {
        let mut factorial = 1.0;
        (0..=self.degree)
            .map(|d| {
                if d > 0 {
                    factorial *= d as f64;
                }
                ks.row(pivot, d)
                    .into_iter()
                    .map(|v| v / factorial)
                    .collect()
            })
            .collect()
    }
}

/// Evaluates the Taylor polynomials with coefficient rows `coef` at offset `h` from the
/// pivot, summing the terms in increasing degree (as R's matrix product does).
fn extrapolate(coef: &[Vec<f64>], h: f64, row: &mut [f64]) {
    let powers: Vec<f64> = (0..coef.len())
        .map(|d| if d == 0 { 1.0 } else { h.powf(d as f64) })
        .collect();
    for (j, out) in row.iter_mut().enumerate() {
        *out = coef
            .iter()
            .zip(&powers)
            .fold(0.0, |acc, (c, p)| acc + p * c[j]);
    }
}
