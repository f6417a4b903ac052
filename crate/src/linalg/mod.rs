//! Linear algebra for the solver: rank detection on the weighted cross-product matrix and
//! symmetric positive-definite solves with faer.

use faer::linalg::solvers::{DenseSolveCore, Llt, Solve};
use faer::{Mat, Side};

use crate::error::{Error, Result};

/// The smallest squared ratio (orthogonal part / column norm) that a cross-product matrix
/// resolves. An exactly dependent column leaves rounding noise in its pivot: measured here
/// from 1e-15 to 2e-13 of its squared norm (categorical cells summing to the intercept, 6000
/// rows, summed in blocks or by a matrix product), more with more rows. R's 1e-7 on norms is
/// 1e-14 on squares, inside that noise; pivots below this floor count as aliased, so columns
/// whose independent part is under ~3e-6 of their norm are dropped (R drops under 1e-7).
pub const GRAM_ROUNDING: f64 = 1e-11;

/// Marks the columns of a Gram matrix `G = X' W X` that are (numerically) linear combinations
/// of earlier columns.
///
/// Columns are visited in order, as R's limited-pivoting QR (`dqrdc2`) does: column `j` is
/// aliased when the squared norm of its part orthogonal to the kept earlier columns is at most
/// `tol^2` times its own squared norm (R's `lm` uses `tol = 1e-7` on norms), or at most
/// [`GRAM_ROUNDING`] times it. Aliased columns
/// keep their place in the output; the caller drops them from the solve.
pub fn aliased_columns(g: &Mat<f64>, tol: f64) -> Vec<bool> {
    let p = g.nrows();
    let mut l = Mat::<f64>::zeros(p, p);
    let mut aliased = vec![false; p];
    let thresh = (tol * tol).max(GRAM_ROUNDING);
    for j in 0..p {
        let gjj = g[(j, j)];
        let mut d = gjj;
        for k in 0..j {
            if !aliased[k] {
                d -= l[(j, k)] * l[(j, k)];
            }
        }
        // NaN compares false: a NaN pivot counts as aliased.
        if gjj.is_nan() || d.is_nan() || gjj <= 0.0 || d <= thresh * gjj {
            aliased[j] = true;
            continue;
        }
        let ljj = d.sqrt();
        l[(j, j)] = ljj;
        for i in j + 1..p {
            let mut s = g[(i, j)];
            for k in 0..j {
                if !aliased[k] {
                    s -= l[(i, k)] * l[(j, k)];
                }
            }
            l[(i, j)] = s / ljj;
        }
    }
    aliased
}

/// A Cholesky factorization of a symmetric positive-definite matrix, equilibrated by its
/// diagonal (`D^-1/2 A D^-1/2`) for accuracy with badly scaled columns.
pub struct SpdFactor {
    llt: Llt<f64>,
    scale: Vec<f64>,
}

impl SpdFactor {
    /// Factors `a`. An error when it is not numerically positive definite.
    pub fn new(a: &Mat<f64>) -> Result<Self> {
        let p = a.nrows();
        let scale: Vec<f64> = (0..p)
            .map(|i| {
                let d = a[(i, i)];
                if d > 0.0 {
                    1.0 / d.sqrt()
                } else {
                    1.0
                }
            })
            .collect();
        let scaled = Mat::from_fn(p, p, |i, j| a[(i, j)] * scale[i] * scale[j]);
        let llt = scaled.llt(Side::Lower).map_err(|_| {
            Error::fit(
                "the weighted cross-product matrix is not positive definite \
                 (the design is numerically singular at these weights)",
            )
        })?;
        Ok(SpdFactor { llt, scale })
    }

    /// Solves `A x = b`.
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        let p = b.len();
        let rhs = Mat::from_fn(p, 1, |i, _| b[i] * self.scale[i]);
        let x = self.llt.solve(rhs);
        (0..p).map(|i| x[(i, 0)] * self.scale[i]).collect()
    }

    /// `A^-1`.
    pub fn inverse(&self) -> Mat<f64> {
        let inv = self.llt.inverse();
        let p = self.scale.len();
        Mat::from_fn(p, p, |i, j| inv[(i, j)] * self.scale[i] * self.scale[j])
    }
}

/// The submatrix of `a` on the rows and columns in `keep`.
pub fn submatrix(a: &Mat<f64>, keep: &[usize]) -> Mat<f64> {
    Mat::from_fn(keep.len(), keep.len(), |i, j| a[(keep[i], keep[j])])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_a_column_that_repeats_a_sum_of_others() {
        // x2 = x0 + x1 exactly: aliased; x3 independent.
        let rows: Vec<[f64; 4]> = (0..10)
            .map(|i| {
                let a = 1.0;
                let b = i as f64;
                [a, b, a + b, ((i * i) % 7) as f64]
            })
            .collect();
        let g = Mat::from_fn(4, 4, |i, j| rows.iter().map(|r| r[i] * r[j]).sum());
        assert_eq!(aliased_columns(&g, 1e-7), vec![false, false, true, false]);
    }

    #[test]
    fn solve_and_inverse_agree() {
        let a = Mat::from_fn(3, 3, |i, j| if i == j { 4.0 + i as f64 } else { 1.0 });
        let f = SpdFactor::new(&a).unwrap();
        let x = f.solve(&[1.0, 2.0, 3.0]);
        for i in 0..3 {
            let ax: f64 = (0..3).map(|j| a[(i, j)] * x[j]).sum();
            assert!((ax - (i + 1) as f64).abs() < 1e-12);
        }
        let inv = f.inverse();
        let x2: Vec<f64> = (0..3)
            .map(|i| (0..3).map(|j| inv[(i, j)] * (j + 1) as f64).sum())
            .collect();
        for i in 0..3 {
            assert!((x[i] - x2[i]).abs() < 1e-12);
        }
    }
}
