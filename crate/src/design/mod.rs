//! The design-matrix abstraction: the solver needs only `X b`, `X' v` and `X' diag(w) X`.
//!
//! Row reductions run over fixed chunks of [`CHUNK_ROWS`] rows with rayon and are summed in
//! chunk order, so results do not depend on the number of threads.

mod block_impl;
mod blocks;
mod categorical;
mod dense;
mod reduce;
mod rows;
mod sandwich;
mod sandwich_slots;
mod scatter;
#[cfg(test)]
mod tests_blocks;
mod tiles;
mod values;

pub use blocks::{Block, BlockDesign, DenseColumns};
pub use categorical::{CatCatBlock, CatNumBlock, CategoricalBlock};
pub use dense::DenseDesign;
pub use values::ColumnValues;

pub(crate) use reduce::{chunked_sum, column_moments};

use std::ops::Range;

use faer::Mat;

use crate::linalg::BorderedGram;

/// Rows per parallel chunk. Fixed, so that sums are the same for any thread count.
pub const CHUNK_ROWS: usize = 4096;

/// Rows of a chunk that a pass over the rows takes at a time when it reads them twice (`X b`,
/// then `X'` of something computed from it): their part of the design then stays in the
/// second cache level between the two reads (120 KB with 10 numeric columns and 10
/// categoricals).
pub const TILE_ROWS: usize = 1024;

/// What a GLM solver needs from a design matrix.
pub trait Design: Sync {
    /// Number of rows (observations).
    fn nrows(&self) -> usize;
    /// Number of columns (coefficients).
    fn ncols(&self) -> usize;
    /// Column names, one per column.
    fn column_names(&self) -> &[String];
    /// `out = X beta`.
    fn matvec(&self, beta: &[f64], out: &mut [f64]);
    /// `out = X' v`.
    fn transpose_matvec(&self, v: &[f64], out: &mut [f64]);
    /// `out = X[rows] beta`: the rows `rows` only (`out.len() == rows.len()`). The default
    /// goes through [`Design::row`].
    fn matvec_rows(&self, beta: &[f64], rows: Range<usize>, out: &mut [f64]) {
        let mut x = vec![0.0; self.ncols()];
        for (o, i) in out.iter_mut().zip(rows) {
            self.row(i, &mut x);
            *o = x.iter().zip(beta).map(|(x, b)| x * b).sum();
        }
    }
    /// `acc += X[rows]' v`: the rows `rows` only (`v.len() == rows.len()`, `acc` one entry
    /// per column). The default goes through [`Design::row`].
    fn transpose_matvec_rows(&self, v: &[f64], rows: Range<usize>, acc: &mut [f64]) {
        let mut x = vec![0.0; self.ncols()];
        for (&vi, i) in v.iter().zip(rows) {
            self.row(i, &mut x);
            for (a, x) in acc.iter_mut().zip(&x) {
                *a += x * vi;
            }
        }
    }
    /// `out = X' diag(w) X v` without forming `X' diag(w) X`: each tile of [`TILE_ROWS`] rows
    /// gives `X v` on its rows and, while they are in cache, their part of `X' (w * X v)`, so
    /// the design is read from memory once (see [`Design::matvec_rows`]).
    ///
    /// ```
    /// use rustystats::design::{DenseDesign, Design};
    /// let x = DenseDesign::from_columns(
    ///     vec!["a".into(), "b".into()],
    ///     vec![vec![1.0, 1.0, 1.0], vec![0.0, 1.0, 2.0]],
    /// )
    /// .unwrap();
    /// let mut out = vec![0.0; 2];
    /// x.weighted_product(&[1.0, 1.0], &[1.0, 2.0, 1.0], &mut out);
    /// // X v = (1, 2, 3); w * X v = (1, 4, 3); X' of that = (8, 10).
    /// assert_eq!(out, [8.0, 10.0]);
    /// ```
    fn weighted_product(&self, v: &[f64], w: &[f64], out: &mut [f64]) {
        assert_eq!(
            w.len(),
            self.nrows(),
            "weighted_product: one weight per row"
        );
        let total = reduce::reduce_chunks(
            self.nrows(),
            self.ncols(),
            || vec![0.0; TILE_ROWS],
            |u, rows, part| {
                for start in rows.clone().step_by(TILE_ROWS) {
                    let tile = start..(start + TILE_ROWS).min(rows.end);
                    let u = &mut u[..tile.len()];
                    self.matvec_rows(v, tile.clone(), u);
                    for (u, &w) in u.iter_mut().zip(&w[tile.clone()]) {
                        *u *= w;
                    }
                    self.transpose_matvec_rows(u, tile, part);
                }
            },
        );
        out.copy_from_slice(&total);
    }
    /// `X' diag(w) X`, a `ncols x ncols` symmetric matrix.
    fn sandwich(&self, w: &[f64]) -> Mat<f64>;
    /// `X_S' diag(w) X_S` for the columns `S = cols` (in that order): the part of
    /// [`Design::sandwich`] that coordinate descent needs on its active set. The default
    /// takes the product `X' diag(w) X e_j` of each column in `cols` when they are few, and
    /// the full `X' diag(w) X` otherwise.
    ///
    /// ```
    /// use rustystats::design::{DenseDesign, Design};
    /// let x = DenseDesign::from_columns(
    ///     vec!["a".into(), "b".into(), "c".into()],
    ///     vec![vec![1.0, 1.0], vec![0.0, 2.0], vec![3.0, 1.0]],
    /// )
    /// .unwrap();
    /// let g = x.sandwich_columns(&[1.0, 0.5], &[2, 1]);
    /// // c'Wc = 9 + 0.5, c'Wb = 0 + 0.5 * 2, b'Wb = 0.5 * 4.
    /// assert_eq!((g[(0, 0)], g[(0, 1)], g[(1, 1)]), (9.5, 1.0, 2.0));
    /// ```
    fn sandwich_columns(&self, w: &[f64], cols: &[usize]) -> Mat<f64> {
        // One weighted product costs about an eighth of a full X'WX.
        if cols.len() * 8 >= self.ncols() {
            let g = self.sandwich(w);
            return Mat::from_fn(cols.len(), cols.len(), |a, b| g[(cols[a], cols[b])]);
        }
        let (mut e, mut out) = (vec![0.0; self.ncols()], vec![0.0; self.ncols()]);
        let mut g = Mat::zeros(cols.len(), cols.len());
        for (b, &j) in cols.iter().enumerate() {
            e[j] = 1.0;
            self.weighted_product(&e, w, &mut out);
            e[j] = 0.0;
            for (a, &i) in cols.iter().enumerate() {
                g[(a, b)] = out[i];
            }
        }
        g
    }
    /// The columns of the widest block whose own part of `X' diag(w) X` is diagonal for
    /// any weights (the levels of a factor, each row in at most one of them), if the design
    /// knows of one. The solver keeps such a block as a diagonal when it is wide
    /// ([`Design::sandwich_bordered`]). The default knows of none.
    fn diagonal_block(&self) -> Option<Range<usize>> {
        None
    }
    /// `X' diag(w) X` with the columns `block` (from [`Design::diagonal_block`]) kept as a
    /// diagonal, without a `p x p` matrix. The default forms [`Design::sandwich`] and takes
    /// its parts.
    ///
    /// ```
    /// use rustystats::design::{BlockDesign, CategoricalBlock, DenseColumns, Design};
    /// let g = CategoricalBlock::new(vec![0, 1, 2, 1], 3, true, vec!["gb".into(), "gc".into()])
    ///     .unwrap();
    /// let x = BlockDesign::new(vec![DenseColumns::intercept(4).into(), g.into()]).unwrap();
    /// let block = x.diagonal_block().unwrap();
    /// assert_eq!(block, 1..3);
    /// let b = x.sandwich_bordered(&[1.0; 4], block);
    /// assert_eq!((b.get(1, 1), b.get(1, 0), b.get(1, 2)), (2.0, 2.0, 0.0));
    /// ```
    fn sandwich_bordered(&self, w: &[f64], block: Range<usize>) -> BorderedGram {
        let g = self.sandwich(w);
        let (p, levels) = (self.ncols(), block.len());
        let others: Vec<usize> = (0..p).filter(|j| !block.contains(j)).collect();
        BorderedGram::new(
            p,
            block.clone(),
            block.clone().map(|j| g[(j, j)]).collect(),
            Mat::from_fn(others.len(), levels, |r, k| g[(others[r], block.start + k)]),
            Mat::from_fn(others.len(), others.len(), |r, s| g[(others[r], others[s])]),
        )
    }
    /// `sum_i w_i (x_ij - center_j)^2` for every column `j` (the weighted spread of each
    /// column about `center`, as penalized fits standardize). The default reads every row
    /// through [`Design::row`].
    ///
    /// ```
    /// use rustystats::design::{DenseDesign, Design};
    /// let x = DenseDesign::from_columns(vec!["a".into()], vec![vec![1.0, 3.0]]).unwrap();
    /// assert_eq!(x.weighted_squares(&[1.0, 2.0], &[2.0]), vec![3.0]);
    /// ```
    fn weighted_squares(&self, w: &[f64], center: &[f64]) -> Vec<f64> {
        reduce::reduce_chunks(
            self.nrows(),
            self.ncols(),
            || vec![0.0; self.ncols()],
            |row, rows, part| {
                for i in rows {
                    self.row(i, row);
                    for ((s, v), m) in part.iter_mut().zip(row.iter()).zip(center) {
                        *s += w[i] * (v - m) * (v - m);
                    }
                }
            },
        )
    }
    /// Row `i` as a dense vector (used for per-row quantities such as hat values).
    fn row(&self, i: usize, out: &mut [f64]);
    /// The rows `rows` (in that order) as a design of their own, or `None` when an index is
    /// out of range or the design cannot be subset. IRLS uses it for an approximate `X'WX`
    /// from a sample of rows in its early iterations (the solver's `IrlsOptions::sample_rows`);
    /// the default returns `None`, which turns that off.
    fn select_rows(&self, rows: &[usize]) -> Option<Box<dyn Design>> {
        let _ = rows;
        None
    }
    /// Whether each column has no negative entry. IRLS uses it to prove that a coefficient has
    /// no finite estimate (a factor level without events, the solver's `Diverging`), which it
    /// only looks for when a fit does not settle. The default reads every row through [`Design::row`].
    fn nonnegative_columns(&self) -> Vec<bool> {
        let mut nonnegative = vec![true; self.ncols()];
        let mut x = vec![0.0; self.ncols()];
        for i in 0..self.nrows() {
            self.row(i, &mut x);
            for (ok, &v) in nonnegative.iter_mut().zip(&x) {
                *ok &= v >= 0.0;
            }
        }
        nonnegative
    }
    /// Combinations of columns that make the indicator of a factor's reference level: the
    /// intercept minus the factor's columns, under treatment coding. Each is a name (the
    /// factor's) and `(column, coefficient)` pairs. IRLS tests them, as it tests single
    /// columns, for a level without events (the solver's `Diverging`).
    /// The default has none.
    fn reference_levels(&self) -> Vec<(String, Vec<(usize, f64)>)> {
        Vec::new()
    }
    /// The first column that is 1 in every row (the intercept), if any. The default computes
    /// `X e_j` for each column in turn (one product with the design per column); the designs
    /// here read their columns instead.
    fn constant_column(&self) -> Option<usize> {
        let (n, p) = (self.nrows(), self.ncols());
        let mut e = vec![0.0; p];
        let mut col = vec![0.0; n];
        (0..p).find(|&j| {
            e[j] = 1.0;
            self.matvec(&e, &mut col);
            e[j] = 0.0;
            n > 0 && col.iter().all(|&v| v == 1.0)
        })
    }
}

/// Sums per-chunk partial results in chunk order (deterministic for any thread count).
pub(crate) fn sum_in_order(parts: Vec<Vec<f64>>, len: usize) -> Vec<f64> {
    let mut total = vec![0.0; len];
    for part in parts {
        for (t, p) in total.iter_mut().zip(&part) {
            *t += p;
        }
    }
    total
}
