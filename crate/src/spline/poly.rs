//! Orthogonal polynomial basis, as R's `stats::poly`.

use super::householder::Householder;
use super::{check_finite, SplineError};

/// A fitted orthogonal polynomial basis: R's `poly(x, degree)` with its `coefs` attribute.
///
/// On the training points the columns are orthonormal and orthogonal to the constant:
/// column `k` is the monic polynomial of degree `k + 1` that is orthogonal (over the training
/// points) to all lower degrees, scaled to unit length. The polynomials satisfy the
/// three-term recurrence
///
/// `p_0 = 1`, `p_1 = x - alpha[0]`,
/// `p_{k+1} = (x - alpha[k]) p_k - (norm2[k+1] / norm2[k]) p_{k-1}`,
///
/// and column `k` is `p_{k+1} / sqrt(norm2[k+2])`. `norm2[0] = 1`, `norm2[1] = n` and
/// `norm2[k + 1]` is the squared length of `p_k` over the training points. [`basis`] uses
/// this recurrence at any `x`, which is what R's `predict()` on a `poly()` term does.
///
/// [`basis`]: OrthoPoly::basis
///
/// ```
/// use rustystats::spline::OrthoPoly;
///
/// let x = [1.0, 2.0, 3.0, 4.0, 5.0];
/// let p = OrthoPoly::fit(&x, 2)?;
/// let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(u, v)| (u - v).abs() < 1e-12);
/// assert!(close(&p.alpha, &[3.0, 3.0]));
/// assert!(close(&p.norm2, &[1.0, 5.0, 10.0, 14.0]));
///
/// let cols = p.basis(&x);
/// // linear column: (x - 3) / sqrt(10)
/// assert!((cols[0][4] - 2.0 / 10f64.sqrt()).abs() < 1e-14);
/// // the columns are orthonormal over the training points
/// let dot: f64 = cols[0].iter().zip(&cols[1]).map(|(a, b)| a * b).sum();
/// let len: f64 = cols[1].iter().map(|a| a * a).sum();
/// assert!(dot.abs() < 1e-14 && (len - 1.0).abs() < 1e-14);
/// # Ok::<(), rustystats::spline::SplineError>(())
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OrthoPoly {
    /// Highest degree; the basis has this many columns.
    pub degree: usize,
    /// Recurrence shifts (`degree` values; R's `coefs$alpha`).
    pub alpha: Vec<f64>,
    /// Squared norms (`degree + 2` values, starting with 1 and n; R's `coefs$norm2`).
    pub norm2: Vec<f64>,
}

/// Sum with compensation (Neumaier), standing in for R's long double accumulators.
fn sum(values: impl Iterator<Item = f64>) -> f64 {
    let (mut s, mut c) = (0.0f64, 0.0f64);
    for v in values {
        let t = s + v;
        c += if s.abs() >= v.abs() {
            (s - t) + v
        } else {
            (v - t) + s
        };
        s = t;
    }
    s + c
}

/// Mean with R's refinement: the plain mean, corrected by the mean of the residuals.
fn mean(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let m = sum(x.iter().copied()) / n;
    m + sum(x.iter().map(|v| v - m)) / n
}

impl OrthoPoly {
    /// Computes the recurrence coefficients as R's `poly(x, degree)` does: centre `x`,
    /// take the Householder QR decomposition of the matrix of powers `1, x, ..., x^degree`,
    /// and read `alpha` and `norm2` off the columns `Q diag(R)` (the orthogonal
    /// polynomials at the training points).
    ///
    /// Errors when `degree` is 0, `x` is empty or holds NaN or infinite values, `x` has
    /// no more distinct values than `degree`, or the powers of `x` are numerically
    /// dependent (for example a tiny spread around a huge mean).
    pub fn fit(x: &[f64], degree: usize) -> Result<OrthoPoly, SplineError> {
        if degree == 0 {
            return Err(SplineError::new(
                "poly(): degree must be at least 1 (got 0); use degree >= 1",
            ));
        }
        check_finite("poly()", x)?;
        let mut sorted = x.to_vec();
        sorted.sort_by(f64::total_cmp);
        sorted.dedup();
        if degree >= sorted.len() {
            return Err(SplineError::new(format!(
                "poly(): degree {degree} needs at least {} distinct x values, but x has {}; \
                 use degree <= {}",
                degree + 1,
                sorted.len(),
                sorted.len().saturating_sub(1).max(1)
            )));
        }
        let xbar = mean(x);
        let xc: Vec<f64> = x.iter().map(|v| v - xbar).collect();
        let powers: Vec<Vec<f64>> = (0..=degree)
            .map(|k| {
                xc.iter()
                    .map(|&v| match k {
                        0 => 1.0,
                        1 => v,
                        2 => v * v,
                        _ => v.powf(k as f64),
                    })
                    .collect()
            })
            .collect();
        let qr = Householder::decompose(powers);
        if let Some(k) = qr.negligible_column() {
            return Err(SplineError::new(format!(
                "poly(): x^{k} is numerically a combination of lower powers of x (x is \
                 nearly constant relative to its mean); use a lower degree or rescale x"
            )));
        }
        let mut norm2 = Vec::with_capacity(degree + 2);
        norm2.push(1.0);
        let mut alpha = Vec::with_capacity(degree);
        for (k, &r) in qr.r_diag().iter().enumerate() {
            // Column k of Q diag(R): the degree-k orthogonal polynomial at the points.
            let mut z = vec![0.0; x.len()];
            z[k] = r;
            qr.apply_q(&mut z);
            let nk = sum(z.iter().map(|v| v * v));
            if k < degree {
                alpha.push(sum(xc.iter().zip(&z).map(|(c, v)| c * (v * v))) / nk + xbar);
            }
            norm2.push(nk);
        }
        Ok(OrthoPoly {
            degree,
            alpha,
            norm2,
        })
    }

    /// Number of basis columns (= `degree`).
    pub fn ncols(&self) -> usize {
        self.degree
    }

    /// The basis at `x`, as `degree` columns, by the three-term recurrence (R's
    /// `predict()` for a `poly()` term). A non-finite `x` gives a row of NaN.
    ///
    /// # Panics
    ///
    /// If `alpha` does not hold `degree` values or `norm2` does not hold `degree + 2`.
    pub fn basis(&self, x: &[f64]) -> Vec<Vec<f64>> {
        let d = self.degree;
        assert!(
            self.alpha.len() == d && self.norm2.len() == d + 2,
            "OrthoPoly of degree {d} needs {d} alpha and {} norm2 values, has {} and {}",
            d + 2,
            self.alpha.len(),
            self.norm2.len()
        );
        let mut cols = vec![vec![0.0; x.len()]; d];
        let mut p = vec![0.0; d + 1];
        for (i, &xi) in x.iter().enumerate() {
            if !xi.is_finite() {
                cols.iter_mut().for_each(|c| c[i] = f64::NAN);
                continue;
            }
            p[0] = 1.0;
            p[1] = xi - self.alpha[0];
            for k in 2..=d {
                p[k] = (xi - self.alpha[k - 1]) * p[k - 1]
                    - (self.norm2[k] / self.norm2[k - 1]) * p[k - 2];
            }
            for (k, col) in cols.iter_mut().enumerate() {
                col[i] = p[k + 1] / self.norm2[k + 2].sqrt();
            }
        }
        cols
    }
}
