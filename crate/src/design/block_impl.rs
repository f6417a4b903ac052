//! [`BlockDesign`] as a [`Design`]: products with `X` and `X'` a tile of rows at a time
//! (dense columns as dot products, coded blocks as gathers and scatter-adds), `X'WX` through
//! [`super::sandwich`], and the per-column facts the solver asks for.

use std::ops::Range;

use faer::Mat;
use rayon::prelude::*;

use super::blocks::{Block, BlockDesign, CodedSpan};
use super::reduce::reduce_chunks;
use super::rows::{add_coded, add_dense, dots};
use super::scatter::{scatter, LANES, SPARE_LEN};
use super::Design;

/// Rows per task in `matvec` (each row is independent, so any tiling gives the same result).
const MATVEC_TILE: usize = 1024;

impl BlockDesign {
    /// The coefficient of every slot of each coded block (0 for slots that are not columns).
    fn slot_tables(&self, beta: &[f64]) -> Vec<Vec<f64>> {
        self.coded_spans()
            .iter()
            .map(|s| {
                let c = self.coded_view(s);
                let mut t = vec![0.0; c.n_slots];
                t[c.skip..].copy_from_slice(&beta[s.col..s.col + c.n_slots - c.skip]);
                t
            })
            .collect()
    }

    /// `out = X[rows] beta` for a tile of rows small enough that `out` stays in the first
    /// cache level while every block adds its part; `tables` from [`Self::slot_tables`].
    fn matvec_tile(&self, beta: &[f64], tables: &[Vec<f64>], rows: Range<usize>, out: &mut [f64]) {
        out.fill(0.0);
        let (start, end) = (rows.start, rows.end);
        let dense: Vec<(&[f64], f64)> = self
            .dense_spans()
            .iter()
            .flat_map(|span| {
                let block = self.dense_block(span);
                (0..span.k).map(move |j| (&block.column(j)[start..end], beta[span.col + j]))
            })
            .filter(|&(_, b)| b != 0.0)
            .collect();
        add_dense(out, &dense);
        let mut plain: Vec<(&[u32], &[f64])> = Vec::with_capacity(self.coded_spans().len());
        // A block whose coefficients are all 0 (every block but the intercept at the null
        // start) adds nothing.
        let nonzero = |t: &Vec<f64>| t.iter().any(|&b| b != 0.0);
        for (span, table) in self
            .coded_spans()
            .iter()
            .zip(tables)
            .filter(|(_, t)| nonzero(t))
        {
            let view = self.coded_view(span);
            let codes = &view.codes[rows.clone()];
            match view.values {
                None => plain.push((codes, table)),
                Some(v) => {
                    let v = &v[rows.clone()];
                    for ((o, &s), &v) in out.iter_mut().zip(codes).zip(v) {
                        *o += table[s as usize] * v;
                    }
                }
            }
        }
        add_coded(out, &plain);
    }

    /// `acc += X[rows]' v` (`v` holds the values of these rows), with `spare` (at least
    /// [`SPARE_LEN`] values) as scratch for the scatter-adds.
    fn transpose_rows(&self, v: &[f64], rows: Range<usize>, acc: &mut [f64], spare: &mut [f64]) {
        for span in self.dense_spans() {
            let block = self.dense_block(span);
            let cols: Vec<&[f64]> = (0..span.k)
                .map(|j| &block.column(j)[rows.clone()])
                .collect();
            dots(&cols, v, &mut acc[span.col..span.col + span.k]);
        }
        let mut sums = Vec::new();
        for span in self.coded_spans() {
            let view = self.coded_view(span);
            sums.clear();
            sums.resize(view.n_slots, 0.0);
            let codes = &view.codes[rows.clone()];
            let slot = |i: usize| codes[i] as usize;
            match view.values {
                None => scatter(&mut sums, spare, v.len(), slot, |i| v[i]),
                Some(x) => {
                    let x = &x[rows.clone()];
                    scatter(&mut sums, spare, v.len(), slot, |i| v[i] * x[i]);
                }
            }
            for (a, s) in acc[span.col..].iter_mut().zip(&sums[view.skip..]) {
                *a += s;
            }
        }
    }
}

impl Design for BlockDesign {
    fn nrows(&self) -> usize {
        self.rows()
    }

    fn ncols(&self) -> usize {
        self.names().len()
    }

    fn column_names(&self) -> &[String] {
        self.names()
    }

    fn matvec(&self, beta: &[f64], out: &mut [f64]) {
        assert_eq!(
            beta.len(),
            self.ncols(),
            "matvec: one coefficient per column"
        );
        assert_eq!(out.len(), self.rows(), "matvec: one output per row");
        let tables = self.slot_tables(beta);
        out.par_chunks_mut(MATVEC_TILE)
            .enumerate()
            .for_each(|(c, chunk)| {
                let start = c * MATVEC_TILE;
                self.matvec_tile(beta, &tables, start..start + chunk.len(), chunk);
            });
    }

    fn transpose_matvec(&self, v: &[f64], out: &mut [f64]) {
        assert_eq!(v.len(), self.rows(), "transpose_matvec: one value per row");
        assert_eq!(
            out.len(),
            self.ncols(),
            "transpose_matvec: one output per column"
        );
        let total = reduce_chunks(
            self.rows(),
            self.ncols(),
            || vec![0.0; SPARE_LEN],
            |spare, rows, part| self.transpose_rows(&v[rows.clone()], rows, part, spare),
        );
        out.copy_from_slice(&total);
    }

    fn matvec_rows(&self, beta: &[f64], rows: Range<usize>, out: &mut [f64]) {
        let tables = self.slot_tables(beta);
        for (k, chunk) in out.chunks_mut(MATVEC_TILE).enumerate() {
            let start = rows.start + k * MATVEC_TILE;
            self.matvec_tile(beta, &tables, start..start + chunk.len(), chunk);
        }
    }

    fn transpose_matvec_rows(&self, v: &[f64], rows: Range<usize>, acc: &mut [f64]) {
        // Scratch for the scatter-adds, only as large as this design's tables need.
        let slots = self
            .coded_spans()
            .iter()
            .map(|s| self.coded_view(s).n_slots)
            .max();
        let len = (LANES * slots.unwrap_or(0)).min(SPARE_LEN);
        self.transpose_rows(v, rows, acc, &mut vec![0.0; len]);
    }

    fn sandwich(&self, w: &[f64]) -> Mat<f64> {
        super::sandwich::block_sandwich(self, w)
    }

    fn weighted_squares(&self, w: &[f64], center: &[f64]) -> Vec<f64> {
        block_squares(self, w, center)
    }

    fn diagonal_block(&self) -> Option<Range<usize>> {
        let width = |s: &CodedSpan| {
            let v = self.coded_view(s);
            v.n_slots - v.skip
        };
        let widest = self
            .coded_spans()
            .iter()
            .max_by_key(|s| (width(s), std::cmp::Reverse(s.col)))?;
        Some(widest.col..widest.col + width(widest))
    }

    fn sandwich_bordered(&self, w: &[f64], block: Range<usize>) -> crate::linalg::BorderedGram {
        super::sandwich::block_sandwich_bordered(self, w, block)
    }

    fn constant_column(&self) -> Option<usize> {
        if self.rows() == 0 {
            return None;
        }
        let dense = self.dense_spans().iter().find_map(|span| {
            let block = self.dense_block(span);
            (0..span.k)
                .find(|&j| block.column(j).iter().all(|&x| x == 1.0))
                .map(|j| span.col + j)
        });
        // A coded column is 1 in every row when every row is in its slot (a categorical with
        // one level, kept) and it has no values other than 1.
        let coded = self.coded_spans().iter().find_map(|span| {
            let view = self.coded_view(span);
            let s = view.codes[0];
            let constant = s as usize >= view.skip
                && view.codes.iter().all(|&c| c == s)
                && view.values.is_none_or(|v| v.iter().all(|&x| x == 1.0));
            constant.then(|| span.col + s as usize - view.skip)
        });
        match (dense, coded) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn nonnegative_columns(&self) -> Vec<bool> {
        let mut nonnegative = vec![true; self.ncols()];
        for span in self.dense_spans() {
            let block = self.dense_block(span);
            for j in 0..span.k {
                nonnegative[span.col + j] = block.column(j).iter().all(|&x| x >= 0.0);
            }
        }
        // Indicator columns are 0 or 1; a categorical-by-numeric column holds the values of
        // its level's rows.
        for span in self.coded_spans() {
            let view = self.coded_view(span);
            if let Some(values) = view.values {
                for (&s, &v) in view.codes.iter().zip(values) {
                    let s = s as usize;
                    if v < 0.0 && s >= view.skip {
                        nonnegative[span.col + s - view.skip] = false;
                    }
                }
            }
        }
        nonnegative
    }

    fn reference_levels(&self) -> Vec<(String, Vec<(usize, f64)>)> {
        let Some(one) = self.constant_column() else {
            return Vec::new();
        };
        self.coded_spans()
            .iter()
            .filter_map(|span| match &self.blocks()[span.block] {
                Block::Categorical(b) if b.coded().skip == 1 => {
                    let names = b.names();
                    // "Area[B]" names the factor "Area".
                    let factor = names.first()?.split('[').next()?.to_string();
                    let mut combination = vec![(one, 1.0)];
                    combination.extend((0..names.len()).map(|j| (span.col + j, -1.0)));
                    Some((factor, combination))
                }
                _ => None,
            })
            .collect()
    }

    fn select_rows(&self, rows: &[usize]) -> Option<Box<dyn Design>> {
        if rows.iter().any(|&i| i >= self.rows()) {
            return None;
        }
        let blocks = self
            .blocks()
            .par_iter()
            .map(|b| b.select_rows(rows))
            .collect();
        Some(Box::new(BlockDesign::new(blocks).ok()?))
    }

    fn row(&self, i: usize, out: &mut [f64]) {
        out.fill(0.0);
        for span in self.dense_spans() {
            let block = self.dense_block(span);
            for j in 0..span.k {
                out[span.col + j] = block.column(j)[i];
            }
        }
        for span in self.coded_spans() {
            let view = self.coded_view(span);
            let s = view.codes[i] as usize;
            if s >= view.skip {
                out[span.col + s - view.skip] = view.values.map_or(1.0, |v| v[i]);
            }
        }
    }
}

/// [`Design::weighted_squares`] column by column: a dense column directly; a coded block's
/// column (slot `s`, value `f`, 1 for a plain level) from its slot's sums `S1 = sum w f` and
/// `S2 = sum w f^2` over its rows and the total weight `W`, as `S2 - 2 c S1 + c^2 W` (the
/// rows outside the slot are 0 in that column). One pass over each block's codes.
fn block_squares(x: &BlockDesign, w: &[f64], center: &[f64]) -> Vec<f64> {
    let n = x.nrows();
    let total = super::chunked_sum(n, |i| w[i]);
    let mut out = vec![0.0; x.ncols()];
    for span in x.dense_spans() {
        let block = x.dense_block(span);
        for j in 0..span.k {
            let (col, c) = (block.column(j), center[span.col + j]);
            out[span.col + j] = super::chunked_sum(n, |i| w[i] * (col[i] - c) * (col[i] - c));
        }
    }
    for span in x.coded_spans() {
        let view = x.coded_view(span);
        let (mut s1, mut s2) = (vec![0.0; view.n_slots], vec![0.0; view.n_slots]);
        for (i, &code) in view.codes.iter().enumerate() {
            let f = view.values.map_or(1.0, |v| v[i]);
            s1[code as usize] += w[i] * f;
            s2[code as usize] += w[i] * f * f;
        }
        for s in view.skip..view.n_slots {
            let j = span.col + s - view.skip;
            let c = center[j];
            out[j] = s2[s] - 2.0 * c * s1[s] + c * c * total;
        }
    }
    out
}
