//! Natural cubic spline basis, as R's `splines::ns`.

use super::design::KnotSequence;
use super::householder::Householder;
use super::{check_finite, interior_knots, resolve_boundary, SplineError};

/// A fitted natural cubic spline basis: the state R keeps in the attributes of an `ns()`
/// matrix.
///
/// A natural cubic spline is a cubic spline whose second derivative vanishes at both
/// boundary knots, so it is linear beyond them. The basis is built like R's: take the cubic
/// B-spline basis (without the first B-spline unless `intercept`), and the 2-row matrix
/// `C` of its second derivatives at the two boundary knots. A Householder QR decomposition
/// `C' = QR` (LINPACK conventions, as R's `qr()`) gives an orthogonal `Q` whose columns
/// after the first two span the null space of `C`; the basis is the B-spline basis times
/// those columns. Beyond the boundary each B-spline is continued linearly (value plus
/// slope at the boundary knot) before the same projection.
///
/// ```
/// use rustystats::spline::NaturalSpline;
///
/// let x: Vec<f64> = (1..=100).map(|i| f64::from(i) / 10.0).collect();
/// // ns(x, df = 3): two interior knots at the 1/3 and 2/3 quantiles
/// let ns = NaturalSpline::fit(&x, Some(3), None, None)?;
/// assert_eq!(ns.interior_knots.len(), 2);
/// assert_eq!(ns.ncols(), 3);
///
/// // Linear beyond the upper boundary knot: equal steps give equal differences.
/// let cols = ns.basis(&[11.0, 12.0, 13.0]);
/// for c in &cols {
///     assert!(((c[2] - c[1]) - (c[1] - c[0])).abs() < 1e-12);
/// }
/// # Ok::<(), rustystats::spline::SplineError>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NaturalSpline {
    /// Interior knots, sorted (R's `attr(, "knots")`).
    pub interior_knots: Vec<f64>,
    /// Lower and upper boundary knots (R's `attr(, "Boundary.knots")`).
    pub boundary: (f64, f64),
    /// Whether the basis includes the constant (R's `intercept` argument).
    pub intercept: bool,
}

impl NaturalSpline {
    /// Sets up the basis as R's `ns(x, df, knots, intercept = FALSE, Boundary.knots)` does.
    ///
    /// * `boundary`: the boundary knots; `None` means the range of `x`. Training values
    ///   beyond a given boundary are allowed; their rows are extrapolated linearly.
    /// * `knots`: interior knots, used as given (sorted); they must lie within the boundary
    ///   and below the upper boundary knot. `df` is then ignored, as in R.
    /// * `df` (when `knots` is `None`): the number of columns; `df - 1` interior knots are
    ///   placed at type-7 quantiles of the `x` values within the boundary. Without `df`
    ///   and `knots` there are no interior knots (one column).
    ///
    /// Errors when `df` is 0, `x` is empty or holds NaN or infinite values, `x` has fewer
    /// than two distinct values (without a boundary), or a knot is outside the boundary or
    /// on the upper boundary knot.
    pub fn fit(
        x: &[f64],
        df: Option<usize>,
        knots: Option<Vec<f64>>,
        boundary: Option<(f64, f64)>,
    ) -> Result<NaturalSpline, SplineError> {
        Self::fit_with_intercept(x, df, knots, boundary, false)
    }

    /// As [`NaturalSpline::fit`], with R's `intercept` argument: when `true` the basis also
    /// spans the constant, and `df` counts it (`df - 2` interior knots).
    ///
    /// ```
    /// use rustystats::spline::NaturalSpline;
    ///
    /// let x: Vec<f64> = (0..30).map(f64::from).collect();
    /// let ns = NaturalSpline::fit_with_intercept(&x, Some(4), None, None, true)?;
    /// assert_eq!((ns.interior_knots.len(), ns.ncols()), (2, 4));
    /// # Ok::<(), rustystats::spline::SplineError>(())
    /// ```
    pub fn fit_with_intercept(
        x: &[f64],
        df: Option<usize>,
        knots: Option<Vec<f64>>,
        boundary: Option<(f64, f64)>,
        intercept: bool,
    ) -> Result<NaturalSpline, SplineError> {
        const F: &str = "ns()";
        check_finite(F, x)?;
        let boundary = resolve_boundary(F, x, boundary)?;
        let n_interior = match (&knots, df) {
            (None, Some(df)) => {
                let min_df = 1 + usize::from(intercept);
                if df < min_df {
                    let what = if intercept { " with an intercept" } else { "" };
                    return Err(SplineError::new(format!(
                        "{F}: df = {df} is too small{what}; use df >= {min_df}"
                    )));
                }
                df - min_df
            }
            _ => 0,
        };
        let interior_knots = interior_knots(F, x, knots, n_interior, boundary)?;
        Ok(NaturalSpline {
            interior_knots,
            boundary,
            intercept,
        })
    }

    /// Number of basis columns: interior knots + 1 (+ 1 with the intercept).
    pub fn ncols(&self) -> usize {
        self.interior_knots.len() + 1 + usize::from(self.intercept)
    }

    /// The basis at `x`, as columns (each of length `x.len()`).
    ///
    /// Equals R's `predict(ns_object, x)`, including the linear continuation beyond the
    /// boundary knots. A non-finite `x` gives a row of NaN.
    pub fn basis(&self, x: &[f64]) -> Vec<Vec<f64>> {
        let ks = KnotSequence::clamped(self.boundary, &self.interior_knots, 4);
        let (lo, hi) = self.boundary;
        let skip = usize::from(!self.intercept);
        let n_full = ks.n_basis();
        let p = n_full - skip;

        // Null space of the boundary second-derivative constraints.
        let constraints = vec![
            ks.row(lo, 2)[skip..].to_vec(),
            ks.row(hi, 2)[skip..].to_vec(),
        ];
        let qr = Householder::decompose(constraints);

        // Value and slope at each boundary knot, for the linear continuation.
        let ends = |b: f64| (ks.row(b, 0), ks.row(b, 1));
        let left = x.iter().any(|&v| v < lo).then(|| ends(lo));
        let right = x.iter().any(|&v| v > hi).then(|| ends(hi));

        let mut cols = vec![vec![0.0; x.len()]; p - 2];
        let mut row = vec![0.0; n_full];
        for (i, &xi) in x.iter().enumerate() {
            if !xi.is_finite() {
                cols.iter_mut().for_each(|c| c[i] = f64::NAN);
                continue;
            }
            let end = if xi < lo {
                left.as_ref().map(|e| (e, xi - lo))
            } else if xi > hi {
                right.as_ref().map(|e| (e, xi - hi))
            } else {
                None
            };
            match end {
                Some(((value, slope), h)) => {
                    for (r, (v, s)) in row.iter_mut().zip(value.iter().zip(slope)) {
                        *r = v + h * s;
                    }
                }
                None => {
                    ks.row_into(xi, 0, &mut row);
                }
            }
            let y = &mut row[skip..];
            qr.apply_qt(y);
            for (col, v) in cols.iter_mut().zip(&y[2..]) {
                col[i] = *v;
            }
        }
        cols
    }
}
