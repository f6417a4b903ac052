//! `X'WX` with one block of columns whose own part is diagonal (the levels of one factor),
//! kept as that diagonal, its cross part with the other columns, and the other columns' own
//! part; solved and inverted through the Schur complement of the diagonal block.
//!
//! With `D` the diagonal block, `B` the cross part (other columns by levels) and `A` the
//! other columns' part, `X'WX = [[D, B'], [B, A]]`. Eliminating the levels leaves the Schur
//! complement `S = A - B D^-1 B'`, as small as the other columns. With `Bs = B D^-1/2`:
//!
//! - solving for the right-hand side `(f, g)`: `y = S^-1 (g - Bs D^-1/2 f)`,
//!   `x = D^-1/2 (D^-1/2 f - Bs' y)`;
//! - the inverse: `[[D^-1/2 (I + Bs' S^-1 Bs) D^-1/2, -D^-1/2 Bs' S^-1], [., S^-1]]`, each
//!   entry a dot product of length `m` (the other columns), so the variance of every level
//!   comes without the dense inverse.
//!
//! Memory and work grow with `levels x m` (and `m^3`), not with `(levels + m)^2`.

use std::ops::Range;

use faer::linalg::matmul::matmul;
use faer::{Accum, Mat};

use super::{aliased_against, dense_par, SpdFactor};
use crate::error::{Error, Result};

/// Where a column sits in a bordered matrix: the `k`-th level of the diagonal block, or the
/// `r`-th of the other columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// A level of the diagonal block, numbered among the levels.
    Level(usize),
    /// Another column, numbered among the other columns.
    Other(usize),
}

/// `X'WX` with the columns `block` (a factor's levels) kept as a diagonal; see the module's
/// documentation.
///
/// ```
/// use faer::Mat;
/// use rustystats::linalg::BorderedGram;
/// // Columns: intercept, then two levels (rows 2 and 1 of 4, weight 1).
/// let g = BorderedGram::new(3, 1..3, vec![2.0, 1.0], Mat::from_fn(1, 2, |_, k| [2.0, 1.0][k]),
///     Mat::from_fn(1, 1, |_, _| 4.0));
/// assert_eq!(g.get(0, 1), 2.0);
/// assert_eq!(g.get(2, 2), 1.0);
/// assert_eq!(g.get(1, 2), 0.0);
/// ```
#[derive(Debug, Clone)]
pub struct BorderedGram {
    block: Range<usize>,
    ncols: usize,
    /// The diagonal of the block, one entry per level.
    d: Vec<f64>,
    /// Other columns by levels.
    cross: Mat<f64>,
    /// The other columns' own part.
    a: Mat<f64>,
}

impl BorderedGram {
    /// The matrix over `ncols` columns with the columns `block` diagonal (`d`), `cross` its
    /// part with the other columns (in their order) and `a` theirs.
    pub fn new(
        ncols: usize,
        block: Range<usize>,
        d: Vec<f64>,
        cross: Mat<f64>,
        a: Mat<f64>,
    ) -> Self {
        let m = ncols - block.len();
        assert_eq!(d.len(), block.len(), "one diagonal entry per level");
        assert_eq!(
            (cross.nrows(), cross.ncols()),
            (m, block.len()),
            "the cross part"
        );
        assert_eq!((a.nrows(), a.ncols()), (m, m), "the other columns' part");
        BorderedGram {
            block,
            ncols,
            d,
            cross,
            a,
        }
    }

    /// Number of columns.
    pub fn ncols(&self) -> usize {
        self.ncols
    }

    /// The columns kept as a diagonal.
    pub fn block(&self) -> Range<usize> {
        self.block.clone()
    }

    /// Where column `j` sits.
    pub fn part(&self, j: usize) -> Part {
        let b = &self.block;
        if b.contains(&j) {
            Part::Level(j - b.start)
        } else if j < b.start {
            Part::Other(j)
        } else {
            Part::Other(j - b.len())
        }
    }

    /// Entry `(i, j)`.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        match (self.part(i), self.part(j)) {
            (Part::Level(k), Part::Level(l)) => {
                if k == l {
                    self.d[k]
                } else {
                    0.0
                }
            }
            (Part::Level(k), Part::Other(r)) | (Part::Other(r), Part::Level(k)) => {
                self.cross[(r, k)]
            }
            (Part::Other(r), Part::Other(s)) => self.a[(r, s)],
        }
    }

    /// `G v` on the columns `keep` (ascending; `v` one entry per kept column).
    pub fn product(&self, keep: &[usize], v: &[f64]) -> Vec<f64> {
        let (lv, ov) = (self.d.len(), self.a.nrows());
        let (mut vl, mut vo) = (vec![0.0; lv], vec![0.0; ov]);
        for (&j, &x) in keep.iter().zip(v) {
            match self.part(j) {
                Part::Level(k) => vl[k] = x,
                Part::Other(r) => vo[r] = x,
            }
        }
        let mut out_o = vec![0.0; ov];
        for (r, o) in out_o.iter_mut().enumerate() {
            *o = (0..ov).map(|s| self.a[(r, s)] * vo[s]).sum::<f64>();
        }
        let mut out_l: Vec<f64> = self.d.iter().zip(&vl).map(|(d, x)| d * x).collect();
        for (k, ol) in out_l.iter_mut().enumerate() {
            let col = self.cross.col(k);
            let mut t = 0.0;
            for r in 0..ov {
                t += col[r] * vo[r];
                out_o[r] += col[r] * vl[k];
            }
            *ol += t;
        }
        keep.iter()
            .map(|&j| match self.part(j) {
                Part::Level(k) => out_l[k],
                Part::Other(r) => out_o[r],
            })
            .collect()
    }

    /// The columns that are linear combinations of earlier ones, by R's in-order rule with
    /// the levels first (see [`super::aliased_columns`]): a level is aliased when its
    /// diagonal is not positive (no rows, or no weight, in it); another column when its part
    /// orthogonal to the levels and to the other columns before it is too small. Columns
    /// with `skip` set are left out (as if zero) and come back marked aliased.
    pub fn aliased(&self, tol: f64, skip: &[bool]) -> Vec<bool> {
        let levels: Vec<usize> = (0..self.d.len())
            .filter(|&k| !skip[self.block.start + k] && self.d[k] > 0.0)
            .collect();
        let others: Vec<usize> = (0..self.a.nrows()).collect();
        let d: Vec<f64> = levels.iter().map(|&k| self.d[k]).collect();
        let (schur, _) = self.schur(&levels, &d, &others);
        let other_col = |r: usize| {
            if r < self.block.start {
                r
            } else {
                r + self.block.len()
            }
        };
        let norms: Vec<f64> = (others.iter())
            .map(|&r| match skip[other_col(r)] {
                true => 0.0,
                false => self.a[(r, r)],
            })
            .collect();
        let other_aliased = aliased_against(&schur, &norms, tol);
        let mut aliased = vec![true; self.ncols];
        for &k in &levels {
            aliased[self.block.start + k] = false;
        }
        for (&r, a) in others.iter().zip(other_aliased) {
            aliased[other_col(r)] = a;
        }
        aliased
    }

    /// `Bs = cross[others, levels] D^-1/2` (with `d` the levels' diagonal) and the Schur
    /// complement `A[others, others] - Bs Bs'`.
    fn schur(&self, levels: &[usize], d: &[f64], others: &[usize]) -> (Mat<f64>, Mat<f64>) {
        let inv_sqrt: Vec<f64> = d.iter().map(|d| 1.0 / d.sqrt()).collect();
        let bs = Mat::from_fn(others.len(), levels.len(), |r, k| {
            self.cross[(others[r], levels[k])] * inv_sqrt[k]
        });
        let mut s = Mat::from_fn(others.len(), others.len(), |r, c| {
            self.a[(others[r], others[c])]
        });
        matmul(
            s.as_mut(),
            Accum::Add,
            bs.as_ref(),
            bs.transpose(),
            -1.0,
            dense_par(),
        );
        (s, bs)
    }

    /// The factor of the matrix on the columns `keep` (ascending) plus `ridge` on their
    /// diagonal; an error when it is not positive definite.
    pub fn factor(&self, keep: &[usize], ridge: &[f64]) -> Result<BorderedFactor> {
        let mut parts = Vec::with_capacity(keep.len());
        let (mut levels, mut d, mut others, mut other_ridge) = (vec![], vec![], vec![], vec![]);
        for (&j, &r) in keep.iter().zip(ridge) {
            match self.part(j) {
                Part::Level(k) => {
                    parts.push(Part::Level(levels.len()));
                    levels.push(k);
                    d.push(self.d[k] + r);
                }
                Part::Other(o) => {
                    parts.push(Part::Other(others.len()));
                    others.push(o);
                    other_ridge.push(r);
                }
            }
        }
        if let Some(k) = d.iter().position(|d| d.is_nan() || *d <= 0.0) {
            return Err(Error::fit(format!(
                "the weighted cross-product matrix is not positive definite: level {} of \
                 the factor with {} levels has no weight at these coefficients",
                levels[k] + 1,
                self.d.len()
            )));
        }
        let (mut schur, bs) = self.schur(&levels, &d, &others);
        for (r, ridge) in other_ridge.iter().enumerate() {
            schur[(r, r)] += ridge;
        }
        Ok(BorderedFactor {
            parts,
            dsq: d.iter().map(|d| d.sqrt()).collect(),
            bs,
            s: SpdFactor::new(&schur)?,
        })
    }
}

/// The factor of a [`BorderedGram`] on some of its columns: the levels' square-root
/// diagonal, `Bs` and the Cholesky factor of the Schur complement.
pub struct BorderedFactor {
    /// Where each kept column sits (levels and other columns numbered among the kept).
    parts: Vec<Part>,
    dsq: Vec<f64>,
    bs: Mat<f64>,
    s: SpdFactor,
}

impl BorderedFactor {
    /// Solves `G x = b` (one entry per kept column).
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        let (lv, ov) = (self.dsq.len(), self.bs.nrows());
        let (mut f, mut g) = (vec![0.0; lv], vec![0.0; ov]);
        for (p, &x) in self.parts.iter().zip(b) {
            match *p {
                Part::Level(k) => f[k] = x / self.dsq[k],
                Part::Other(r) => g[r] = x,
            }
        }
        for (k, &fk) in f.iter().enumerate() {
            let col = self.bs.col(k);
            for (r, gr) in g.iter_mut().enumerate() {
                *gr -= col[r] * fk;
            }
        }
        let y = self.s.solve(&g);
        for (k, fk) in f.iter_mut().enumerate() {
            let col = self.bs.col(k);
            let t: f64 = (0..ov).map(|r| col[r] * y[r]).sum();
            *fk = (*fk - t) / self.dsq[k];
        }
        self.parts
            .iter()
            .map(|p| match *p {
                Part::Level(k) => f[k],
                Part::Other(r) => y[r],
            })
            .collect()
    }

    /// The inverse, kept in its bordered form.
    pub fn inverse(self) -> BorderedCov {
        BorderedCov::from_parts(self.parts, self.dsq, self.bs, self.s.inverse(), 1.0)
    }
}

/// The inverse of a [`BorderedGram`] on its kept columns (times `scale`), entry by entry
/// from the levels' square-root diagonal `dsq`, `Bs`, `V = S^-1` and `U = V Bs`; see the
/// module's documentation.
#[derive(Debug, Clone)]
pub struct BorderedCov {
    parts: Vec<Part>,
    dsq: Vec<f64>,
    bs: Mat<f64>,
    u: Mat<f64>,
    v: Mat<f64>,
    scale: f64,
}

impl BorderedCov {
    /// The inverse from its pieces (`v` the inverse of the Schur complement); `U` is
    /// computed from them.
    pub fn from_parts(
        parts: Vec<Part>,
        dsq: Vec<f64>,
        bs: Mat<f64>,
        v: Mat<f64>,
        scale: f64,
    ) -> Self {
        let mut u = Mat::zeros(bs.nrows(), bs.ncols());
        matmul(
            u.as_mut(),
            Accum::Replace,
            v.as_ref(),
            bs.as_ref(),
            1.0,
            dense_par(),
        );
        BorderedCov {
            parts,
            dsq,
            bs,
            u,
            v,
            scale,
        }
    }

    /// The pieces [`BorderedCov::from_parts`] takes: where each column sits, the levels'
    /// square-root diagonal, `Bs`, `S^-1` and the scale.
    pub fn parts(&self) -> (&[Part], &[f64], &Mat<f64>, &Mat<f64>, f64) {
        (&self.parts, &self.dsq, &self.bs, &self.v, self.scale)
    }

    /// Number of columns.
    pub fn dim(&self) -> usize {
        self.parts.len()
    }

    /// The same matrix times `f`.
    pub fn scaled(mut self, f: f64) -> Self {
        self.scale *= f;
        self
    }

    /// Entry `(i, j)`.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        let m = self.v.nrows();
        let unscaled = match (self.parts[i], self.parts[j]) {
            (Part::Level(k), Part::Level(l)) => {
                let (b, u) = (self.bs.col(k), self.u.col(l));
                let t: f64 = (0..m).map(|r| b[r] * u[r]).sum();
                (f64::from(u8::from(k == l)) + t) / (self.dsq[k] * self.dsq[l])
            }
            (Part::Level(k), Part::Other(r)) | (Part::Other(r), Part::Level(k)) => {
                -self.u[(r, k)] / self.dsq[k]
            }
            (Part::Other(r), Part::Other(s)) => self.v[(r, s)],
        };
        unscaled * self.scale
    }

    /// `x' C x` (`x` one entry per column): with `z = D^-1/2 x_levels` and `t = Bs z`, it is
    /// `z'z + (t - x_others)' V (t - x_others)`, so a row with one level costs `O(m^2)`.
    pub fn quad_form(&self, x: &[f64]) -> f64 {
        let m = self.v.nrows();
        let mut e = vec![0.0; m];
        let mut zz = 0.0;
        for (p, &xi) in self.parts.iter().zip(x) {
            match *p {
                Part::Level(k) if xi != 0.0 => {
                    let z = xi / self.dsq[k];
                    zz += z * z;
                    let col = self.bs.col(k);
                    for (r, er) in e.iter_mut().enumerate() {
                        *er += col[r] * z;
                    }
                }
                Part::Level(_) => {}
                Part::Other(r) => e[r] -= xi,
            }
        }
        let mut q = 0.0;
        for s in 0..m {
            let vs = self.v.col(s);
            q += e[s] * (0..m).map(|r| vs[r] * e[r]).sum::<f64>();
        }
        (zz + q) * self.scale
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::aliased_columns;

    /// A bordered matrix from rows: an intercept, a numeric, a block of `levels` levels and a
    /// second factor of 3 levels after it (both with their reference level dropped;
    /// `empty_level`: a block column without rows).
    fn example(levels: usize, n: usize, empty_level: Option<usize>) -> (BorderedGram, Mat<f64>) {
        let mut state = 99u64;
        let mut draw = || {
            state = crate::stats::splitmix64(state);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        // Columns: 0 intercept, 1 numeric, 2..2+levels the block, then 2 columns of factor b.
        let p = 2 + levels + 2;
        let mut g = Mat::<f64>::zeros(p, p);
        for _ in 0..n {
            let mut x = vec![0.0; p];
            x[0] = 1.0;
            x[1] = draw() * 3.0 - 1.0;
            // Level 0 is the reference (no column); column k is level k + 1.
            let level = (draw() * (levels + 1) as f64) as usize;
            if level > 0 && Some(level - 1) != empty_level {
                x[2 + level - 1] = 1.0;
            }
            let b = (draw() * 3.0) as usize;
            if b > 0 {
                x[2 + levels + b - 1] = 1.0;
            }
            let w = 0.5 + draw();
            for i in 0..p {
                for j in 0..p {
                    g[(i, j)] += w * x[i] * x[j];
                }
            }
        }
        let block = 2..2 + levels;
        let others: Vec<usize> = (0..p).filter(|j| !block.contains(j)).collect();
        let d = block.clone().map(|j| g[(j, j)]).collect();
        let cross = Mat::from_fn(others.len(), levels, |r, k| g[(others[r], 2 + k)]);
        let a = Mat::from_fn(others.len(), others.len(), |r, s| g[(others[r], others[s])]);
        (BorderedGram::new(p, block, d, cross, a), g)
    }

    #[test]
    fn entries_products_solves_and_inverse_match_the_dense_matrix() {
        let (b, g) = example(40, 2000, None);
        let p = g.nrows();
        for i in 0..p {
            for j in 0..p {
                assert_eq!(b.get(i, j), g[(i, j)]);
            }
        }
        // Leave out one level and one other column, as aliased columns would be.
        let keep: Vec<usize> = (0..p).filter(|&j| j != 7 && j != p - 1).collect();
        let v: Vec<f64> = keep.iter().map(|&j| (j as f64 * 0.37).sin()).collect();
        let dense_gv: Vec<f64> = (keep.iter())
            .map(|&i| keep.iter().zip(&v).map(|(&j, x)| g[(i, j)] * x).sum())
            .collect();
        for (a, e) in b.product(&keep, &v).iter().zip(&dense_gv) {
            assert!((a - e).abs() < 1e-10 * e.abs().max(1.0));
        }
        let ridge: Vec<f64> = keep.iter().map(|&j| 0.1 * (j % 3) as f64).collect();
        let f = b.factor(&keep, &ridge).unwrap();
        let mut sub = crate::linalg::submatrix(&g, &keep);
        for (r, x) in ridge.iter().enumerate() {
            sub[(r, r)] += x;
        }
        let dense = SpdFactor::new(&sub).unwrap();
        for (a, e) in f.solve(&v).iter().zip(dense.solve(&v)) {
            assert!((a - e).abs() < 1e-10 * e.abs().max(1.0), "{a} vs {e}");
        }
        let inv = dense.inverse();
        let cov = f.inverse().scaled(2.0);
        for i in 0..keep.len() {
            for j in 0..keep.len() {
                let e = 2.0 * inv[(i, j)];
                assert!((cov.get(i, j) - e).abs() < 1e-10 * e.abs().max(1e-3));
            }
        }
        let x: Vec<f64> = (0..keep.len())
            .map(|i| {
                if i == 5 || !(2..=40).contains(&i) {
                    1.0 + i as f64 * 0.1
                } else {
                    0.0
                }
            })
            .collect();
        let expected: f64 = (0..keep.len())
            .map(|i| {
                (0..keep.len())
                    .map(|j| x[i] * cov.get(i, j) * x[j])
                    .sum::<f64>()
            })
            .sum();
        assert!((cov.quad_form(&x) - expected).abs() < 1e-10 * expected);
    }

    #[test]
    fn aliasing_matches_the_in_order_rule_when_the_block_comes_first() {
        // An empty level is aliased; so is a column equal to a sum of levels (the block's
        // first 10 levels' indicator), as the dense in-order rule finds it.
        let (b, g) = example(30, 1500, Some(4));
        let p = g.nrows();
        let mut g2 = Mat::<f64>::zeros(p + 1, p + 1);
        for i in 0..p {
            for j in 0..p {
                g2[(i, j)] = g[(i, j)];
            }
        }
        // The new last column is the sum of levels 0..10: its products are sums of theirs.
        let sum_of = |i: usize| (2..12).map(|j| g[(i, j)]).sum::<f64>();
        for i in 0..p {
            g2[(i, p)] = sum_of(i);
            g2[(p, i)] = sum_of(i);
        }
        g2[(p, p)] = (2..12).map(sum_of).sum();
        let others: Vec<usize> = (0..=p).filter(|j| !(2..32).contains(j)).collect();
        let bordered = BorderedGram::new(
            p + 1,
            2..32,
            (2..32).map(|j| g2[(j, j)]).collect(),
            Mat::from_fn(others.len(), 30, |r, k| g2[(others[r], 2 + k)]),
            Mat::from_fn(others.len(), others.len(), |r, s| {
                g2[(others[r], others[s])]
            }),
        );
        let expected = aliased_columns(&g2, 1e-7);
        let found = bordered.aliased(1e-7, &vec![false; p + 1]);
        assert_eq!(found, expected);
        let flagged: Vec<usize> = (0..=p).filter(|&j| found[j]).collect();
        assert_eq!(flagged, vec![2 + 4, p]);
        let _ = b;
    }
}
