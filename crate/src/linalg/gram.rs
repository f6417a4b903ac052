//! An iteration's `X'WX` over every design column, dense or bordered (a factor of many
//! levels kept as a diagonal, see [`BorderedGram`]), and the factor of its kept part.

use faer::Mat;

use super::{aliased_columns, BorderedFactor, BorderedGram, Covariance, SpdFactor};
use crate::error::Result;

/// `X'WX` over every column of a design.
#[derive(Debug, Clone)]
pub enum Gram {
    /// A dense matrix.
    Dense(Mat<f64>),
    /// One factor's levels kept as a diagonal.
    Bordered(BorderedGram),
}

impl Gram {
    /// Number of columns.
    pub fn ncols(&self) -> usize {
        match self {
            Gram::Dense(g) => g.ncols(),
            Gram::Bordered(b) => b.ncols(),
        }
    }

    /// Entry `(i, j)`.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        match self {
            Gram::Dense(g) => g[(i, j)],
            Gram::Bordered(b) => b.get(i, j),
        }
    }

    /// `G v` on the columns `keep` (ascending; `v` one entry per kept column).
    pub fn product(&self, keep: &[usize], v: &[f64]) -> Vec<f64> {
        match self {
            Gram::Dense(g) => keep
                .iter()
                .map(|&i| {
                    let row = g.col(i);
                    keep.iter().zip(v).map(|(&j, x)| row[j] * x).sum()
                })
                .collect(),
            Gram::Bordered(b) => b.product(keep, v),
        }
    }

    /// `d' G d` on the columns `keep`.
    pub fn quad(&self, keep: &[usize], d: &[f64]) -> f64 {
        self.product(keep, d)
            .iter()
            .zip(d)
            .map(|(a, b)| a * b)
            .sum()
    }

    /// The columns that are linear combinations of earlier ones (R's in-order rule, see
    /// [`aliased_columns`]; a bordered matrix takes its levels first), with the columns in
    /// `skip` left out as if zero (they come back marked aliased).
    pub fn aliased(&self, tol: f64, skip: &[bool]) -> Vec<bool> {
        match self {
            Gram::Dense(g) if skip.iter().any(|&s| s) => {
                let g = Mat::from_fn(g.nrows(), g.ncols(), |i, j| match skip[i] || skip[j] {
                    true => 0.0,
                    false => g[(i, j)],
                });
                aliased_columns(&g, tol)
            }
            Gram::Dense(g) => aliased_columns(g, tol),
            Gram::Bordered(b) => b.aliased(tol, skip),
        }
    }

    /// The factor of the part on the columns `keep` (ascending) plus `ridge` on its
    /// diagonal.
    pub fn factor(&self, keep: &[usize], ridge: &[f64]) -> Result<Factor> {
        match self {
            Gram::Dense(g) => SpdFactor::of_part(g, keep, ridge).map(Factor::Dense),
            Gram::Bordered(b) => b.factor(keep, ridge).map(Factor::Bordered),
        }
    }

    /// The dense matrix, when it is kept as one.
    pub fn dense(&self) -> Option<&Mat<f64>> {
        match self {
            Gram::Dense(g) => Some(g),
            Gram::Bordered(_) => None,
        }
    }

    /// The columns kept as a diagonal, when the matrix is bordered.
    pub fn diagonal_block(&self) -> Option<std::ops::Range<usize>> {
        match self {
            Gram::Dense(_) => None,
            Gram::Bordered(b) => Some(b.block()),
        }
    }
}

/// The Cholesky factor of (part of) a [`Gram`].
pub enum Factor {
    /// Of a dense matrix.
    Dense(SpdFactor),
    /// Of a bordered matrix (through its Schur complement).
    Bordered(BorderedFactor),
}

impl Factor {
    /// Solves `G x = b`.
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        match self {
            Factor::Dense(f) => f.solve(b),
            Factor::Bordered(f) => f.solve(b),
        }
    }

    /// The inverse.
    pub fn inverse(self) -> Covariance {
        match self {
            Factor::Dense(f) => Covariance::Dense(f.inverse()),
            Factor::Bordered(f) => Covariance::Bordered(f.inverse()),
        }
    }
}
