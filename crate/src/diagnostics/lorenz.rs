//! The ordered Lorenz curve and the Gini index of a rating model.

use super::bins::TieGroups;
use super::{check_rows, check_weights, thin_indices};
use crate::error::{Error, Result};

/// The most points kept on a Lorenz curve for plotting.
pub const MAX_CURVE_POINTS: usize = 1000;

/// The ordered Lorenz curve and its Gini index.
///
/// Rows are sorted by the predicted rate `expected / exposure`, lowest first; rows with equal
/// predicted rates are pooled into one step (the model cannot order them, so the result does
/// not depend on the row order). The curve joins `(0, 0)` and, after each group, the
/// cumulative share of exposure (x) and of actual (y); it ends at `(1, 1)`.
///
/// `gini = 1 - 2 · (area under the curve)` by the trapezoid rule. **0 means the model ranks
/// no better than random** (the curve is the diagonal); a useful model puts low-rate risks
/// first, so the curve sags below the diagonal and the Gini is **positive**; a negative Gini
/// means the ordering is worse than random. The maximum is below 1 and depends on the data.
/// Rows with zero exposure have no rate and are left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Lorenz {
    /// Cumulative exposure share at the curve points (thinned to at most
    /// [`MAX_CURVE_POINTS`], ends kept).
    pub exposure_share: Vec<f64>,
    /// Cumulative actual share at the same points.
    pub actual_share: Vec<f64>,
    /// The Gini index, from the full curve.
    pub gini: f64,
    /// Rows used (positive exposure).
    pub rows: usize,
}

/// The ordered Lorenz curve of `actual` by the predicted rate `expected / exposure`.
///
/// ```
/// use rustystats::diagnostics::lorenz;
///
/// // A model that ranks perfectly: the Gini is positive.
/// let l = lorenz(&[0.0, 0.0, 1.0, 3.0], &[0.1, 0.2, 0.9, 2.0], &[1.0; 4]).unwrap();
/// assert!(l.gini > 0.5);
/// assert_eq!(l.exposure_share.first(), Some(&0.0));
/// assert_eq!(l.actual_share.last(), Some(&1.0));
/// ```
pub fn lorenz(actual: &[f64], expected: &[f64], exposure: &[f64]) -> Result<Lorenz> {
    check_rows(&[
        ("actual", actual),
        ("expected", expected),
        ("exposure", exposure),
    ])?;
    check_weights("exposure", exposure)?;
    let rate: Vec<f64> = expected
        .iter()
        .zip(exposure)
        .map(|(e, x)| if *x > 0.0 { e / x } else { 0.0 })
        .collect();
    let tg = TieGroups::new(&rate, exposure);
    let total_x: f64 = tg.order.iter().map(|&i| exposure[i]).sum();
    let total_a: f64 = tg.order.iter().map(|&i| actual[i]).sum();
    if total_a == 0.0 {
        return Err(Error::data(
            Some("actual"),
            None,
            "the actual total is 0 (no claims), so the Lorenz curve and Gini are undefined",
        ));
    }
    let mut xs = Vec::with_capacity(tg.groups.len() + 1);
    let mut ys = Vec::with_capacity(tg.groups.len() + 1);
    xs.push(0.0);
    ys.push(0.0);
    let (mut cx, mut ca) = (0.0, 0.0);
    for &(a, b) in &tg.groups {
        for &i in &tg.order[a..b] {
            cx += exposure[i];
            ca += actual[i];
        }
        xs.push(cx / total_x);
        ys.push(ca / total_a);
    }
    // The last point is (1, 1) up to rounding; make it exact.
    if let (Some(x), Some(y)) = (xs.last_mut(), ys.last_mut()) {
        *x = 1.0;
        *y = 1.0;
    }
    let area: f64 = (1..xs.len())
        .map(|k| (xs[k] - xs[k - 1]) * (ys[k] + ys[k - 1]) / 2.0)
        .sum();
    let keep = thin_indices(xs.len(), MAX_CURVE_POINTS);
    Ok(Lorenz {
        exposure_share: keep.iter().map(|&k| xs[k]).collect(),
        actual_share: keep.iter().map(|&k| ys[k]).collect(),
        gini: 1.0 - 2.0 * area,
        rows: tg.order.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_ordering_gives_zero_and_reversal_flips_the_sign() {
        // Constant predictions: one group, the curve is the diagonal.
        let l = lorenz(&[1.0, 0.0, 3.0], &[1.0; 3], &[1.0; 3]).unwrap();
        assert!(l.gini.abs() < 1e-15);
        let actual = [0.0, 1.0, 2.0, 5.0];
        let good = lorenz(&actual, &[1.0, 2.0, 3.0, 4.0], &[1.0; 4]).unwrap();
        let bad = lorenz(&actual, &[4.0, 3.0, 2.0, 1.0], &[1.0; 4]).unwrap();
        assert!(good.gini > 0.0);
        assert!((good.gini + bad.gini).abs() < 1e-12);
    }

    #[test]
    fn curve_is_monotone_and_thinned() {
        let n = 5000;
        let e: Vec<f64> = (0..n).map(|i| ((i * 7919) % n) as f64 + 1.0).collect();
        let a: Vec<f64> = (0..n).map(|i| (i % 5) as f64).collect();
        let l = lorenz(&a, &e, &vec![1.0; n]).unwrap();
        assert!(l.exposure_share.len() <= MAX_CURVE_POINTS);
        assert!(l.exposure_share.windows(2).all(|w| w[0] < w[1]));
        assert!(l.actual_share.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(l.rows, n);
    }

    #[test]
    fn zero_exposure_rows_are_left_out_and_no_claims_is_an_error() {
        let l = lorenz(&[1.0, 5.0, 2.0], &[1.0, 9.0, 2.0], &[1.0, 0.0, 1.0]).unwrap();
        assert_eq!(l.rows, 2);
        assert!(lorenz(&[0.0; 3], &[1.0; 3], &[1.0; 3]).is_err());
    }
}
