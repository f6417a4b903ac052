//! Linear algebra for the solver: rank detection on the weighted cross-product matrix and
//! symmetric positive-definite solves with faer.

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::cholesky::llt;
use faer::linalg::matmul::triangular::{self, BlockStructure};
use faer::reborrow::{Reborrow, ReborrowMut};
use faer::{Accum, Mat, Par};

use crate::error::{Error, Result};

mod bordered;
mod covariance;
mod gram;

pub use bordered::{BorderedCov, BorderedFactor, BorderedGram, Part};
pub use covariance::Covariance;
pub use gram::{Factor, Gram};

/// The smallest squared ratio (orthogonal part / column norm) that a cross-product matrix
/// resolves. An exactly dependent column leaves rounding noise in its pivot: measured here
/// from 1e-15 to 2e-13 of its squared norm (categorical cells summing to the intercept, 6000
/// rows, summed in blocks or by a matrix product), more with more rows. R's 1e-7 on norms is
/// 1e-14 on squares, inside that noise; pivots below this floor count as aliased, so columns
/// whose independent part is under ~3e-6 of their norm are dropped (R drops under 1e-7).
pub const GRAM_ROUNDING: f64 = 1e-11;

/// Columns of a panel eliminated together by [`aliased_columns`]: the panel's own work is
/// scalar, the update of the columns after it one matrix product.
const PANEL: usize = 64;

/// Marks the columns of a Gram matrix `G = X' W X` that are (numerically) linear combinations
/// of earlier columns.
///
/// Columns are visited in order, as R's limited-pivoting QR (`dqrdc2`) does: column `j` is
/// aliased when the squared norm of its part orthogonal to the kept earlier columns is at most
/// `tol^2` times its own squared norm (R's `lm` uses `tol = 1e-7` on norms), or at most
/// [`GRAM_ROUNDING`] times it. Aliased columns
/// keep their place in the output; the caller drops them from the solve.
///
/// That squared norm is the pivot of a Cholesky factorization of `G` in column order that
/// skips the aliased columns; the factorization runs by panels of [`PANEL`] columns, each
/// panel's update of the later columns a (lower-triangular) matrix product.
pub fn aliased_columns(g: &Mat<f64>, tol: f64) -> Vec<bool> {
    let norms: Vec<f64> = (0..g.nrows()).map(|j| g[(j, j)]).collect();
    aliased_against(g, &norms, tol)
}

/// [`aliased_columns`] with each pivot judged against `norms[j]` instead of `g[(j, j)]`: for
/// `g` a Schur complement (columns already made orthogonal to others eliminated before
/// them), `norms` the columns' own squared norms.
pub fn aliased_against(g: &Mat<f64>, norms: &[f64], tol: f64) -> Vec<bool> {
    let p = g.nrows();
    let thresh = (tol * tol).max(GRAM_ROUNDING);
    // Column j of `a` becomes column j of the factor (zero when aliased), rows j.. of it;
    // the columns after the current panel hold G minus the earlier panels' updates.
    let mut a = g.clone();
    let mut aliased = vec![false; p];
    for k0 in (0..p).step_by(PANEL) {
        let k1 = (k0 + PANEL).min(p);
        for j in k0..k1 {
            aliased[j] = eliminate_column(&mut a, j, k0, &aliased, norms[j], thresh);
        }
        if k1 < p {
            let (done, mut later) = a.as_mut().split_at_col_mut(k1);
            let panel = done.rb().submatrix(k1, k0, p - k1, k1 - k0);
            triangular::matmul(
                later.rb_mut().submatrix_mut(k1, 0, p - k1, p - k1),
                BlockStructure::TriangularLower,
                Accum::Add,
                panel,
                BlockStructure::Rectangular,
                panel.transpose(),
                BlockStructure::Rectangular,
                -1.0,
                dense_par(),
            );
        }
    }
    aliased
}

/// Column `j` of the factor in `a` (rows `j..`), from the panel's earlier columns `k0..j`;
/// whether it is aliased (its pivot at most `thresh` times `gjj`, or NaN), when it is left zero.
fn eliminate_column(
    a: &mut Mat<f64>,
    j: usize,
    k0: usize,
    aliased: &[bool],
    gjj: f64,
    thresh: f64,
) -> bool {
    let (left, mut right) = a.as_mut().split_at_col_mut(j);
    let left = left.rb();
    let col = right.rb_mut().col_mut(0).try_as_col_major_mut();
    let col = &mut col
        .expect("a column of an owned matrix is contiguous")
        .as_slice_mut()[j..];
    for k in (k0..j).filter(|&k| !aliased[k]) {
        let lk = left.col(k).try_as_col_major();
        let lk = &lk
            .expect("a column of an owned matrix is contiguous")
            .as_slice()[j..];
        let ljk = lk[0];
        if ljk != 0.0 {
            for (c, l) in col.iter_mut().zip(lk) {
                *c -= l * ljk;
            }
        }
    }
    let d = col[0];
    // NaN compares false: a NaN pivot counts as aliased.
    if gjj.is_nan() || d.is_nan() || gjj <= 0.0 || d <= thresh * gjj {
        col.fill(0.0);
        return true;
    }
    let ljj = d.sqrt();
    for c in col.iter_mut() {
        *c /= ljj;
    }
    false
}

/// The parallelism of the dense factorizations and products: work split into this many
/// parts whatever the number of threads, so that results do not depend on it (faer splits
/// by the number it is given; rayon runs the parts on the threads it has).
pub const DENSE_TASKS: usize = 2;

/// [`DENSE_TASKS`] as faer's parallelism.
pub fn dense_par() -> Par {
    Par::rayon(DENSE_TASKS)
}

/// A Cholesky factorization of a symmetric positive-definite matrix, equilibrated by its
/// diagonal (`D^-1/2 A D^-1/2`) for accuracy with badly scaled columns.
pub struct SpdFactor {
    /// The lower factor of the equilibrated matrix.
    l: Mat<f64>,
    scale: Vec<f64>,
}

impl SpdFactor {
    /// Factors `a`. An error when it is not numerically positive definite.
    pub fn new(a: &Mat<f64>) -> Result<Self> {
        let all: Vec<usize> = (0..a.nrows()).collect();
        Self::of_part(a, &all, &vec![0.0; all.len()])
    }

    /// Factors `a[keep, keep] + diag(ridge)` (`ridge` one number per kept column) without
    /// copying the part out of `a` first.
    pub fn of_part(a: &Mat<f64>, keep: &[usize], ridge: &[f64]) -> Result<Self> {
        let p = keep.len();
        let entry = |r: usize, c: usize| {
            let v = a[(keep[r], keep[c])];
            if r == c {
                v + ridge[r]
            } else {
                v
            }
        };
        let scale: Vec<f64> = (0..p)
            .map(|r| {
                let d = entry(r, r);
                if d > 0.0 {
                    1.0 / d.sqrt()
                } else {
                    1.0
                }
            })
            .collect();
        let mut l = Mat::from_fn(p, p, |r, c| entry(r, c) * scale[r] * scale[c]);
        let par = dense_par();
        let params = Default::default();
        let req = llt::factor::cholesky_in_place_scratch::<f64>(p, par, params);
        let mut buffer = MemBuffer::new(req);
        let factored = llt::factor::cholesky_in_place(
            l.as_mut(),
            Default::default(),
            par,
            MemStack::new(&mut buffer),
            params,
        );
        factored.map_err(|_| {
            Error::fit(
                "the weighted cross-product matrix is not positive definite \
                 (the design is numerically singular at these weights)",
            )
        })?;
        Ok(SpdFactor { l, scale })
    }

    /// Solves `A x = b`.
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        let p = b.len();
        let mut x = Mat::from_fn(p, 1, |i, _| b[i] * self.scale[i]);
        let par = dense_par();
        let req = llt::solve::solve_in_place_scratch::<f64>(p, 1, par);
        let mut buffer = MemBuffer::new(req);
        let stack = MemStack::new(&mut buffer);
        llt::solve::solve_in_place(self.l.as_ref(), x.as_mut(), par, stack);
        (0..p).map(|i| x[(i, 0)] * self.scale[i]).collect()
    }

    /// `A^-1`.
    pub fn inverse(&self) -> Mat<f64> {
        let p = self.scale.len();
        let mut inv = Mat::zeros(p, p);
        let par = dense_par();
        let mut buffer = MemBuffer::new(llt::inverse::inverse_scratch::<f64>(p, par));
        let stack = MemStack::new(&mut buffer);
        llt::inverse::inverse(inv.as_mut(), self.l.as_ref(), par, stack);
        // The inverse is written in its lower triangle.
        Mat::from_fn(p, p, |i, j| {
            let v = if i >= j { inv[(i, j)] } else { inv[(j, i)] };
            v * self.scale[i] * self.scale[j]
        })
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
    fn finds_dependent_columns_across_panels() {
        // 150 columns (three panels): pseudo-random columns, except a zero column, copies and
        // sums of earlier columns in later panels, and a column aliased only through one that
        // is itself kept after an aliased one.
        let n = 400;
        let mut state = 12345u64;
        let mut draw = || {
            state = crate::stats::splitmix64(state);
            (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        let mut cols: Vec<Vec<f64>> = (0..150).map(|_| (0..n).map(|_| draw()).collect()).collect();
        let expected_aliased = [5, 70, 71, 130, 149];
        cols[5] = vec![0.0; n];
        cols[70] = cols[3].clone();
        cols[71] = (0..n).map(|i| cols[10][i] - 2.0 * cols[64][i]).collect();
        cols[130] = (0..n)
            .map(|i| cols[69][i] + cols[72][i] + cols[129][i])
            .collect();
        cols[149] = (0..n).map(|i| 1e3 * cols[0][i]).collect();
        let g = Mat::from_fn(150, 150, |a, b| {
            (0..n).map(|i| cols[a][i] * cols[b][i]).sum()
        });
        let aliased = aliased_columns(&g, 1e-7);
        let found: Vec<usize> = (0..150).filter(|&j| aliased[j]).collect();
        assert_eq!(found, expected_aliased);
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
