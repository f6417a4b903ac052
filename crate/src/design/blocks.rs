//! A design matrix made of column blocks: dense columns and categoricals kept as codes.
//!
//! The columns are those of the blocks, in block order. Products are computed block by
//! block, so a categorical with `L` levels costs one lookup per row instead of `L` columns.

use std::ops::Range;

use faer::Mat;
use rayon::prelude::*;

use super::categorical::{gather, CatCatBlock, CatNumBlock, CategoricalBlock, Coded};
use super::reduce::reduce_chunks;
use super::rows::{add_coded, add_dense, dots};
use super::scatter::{scatter, LANES, SPARE_LEN};
use super::values::ColumnValues;
use super::Design;
use crate::error::{Error, Result};

/// Dense numeric columns of equal length, stored column by column.
#[derive(Debug, Clone)]
pub struct DenseColumns {
    n: usize,
    names: Vec<String>,
    data: Vec<ColumnValues>,
}

impl DenseColumns {
    /// Builds the block from named columns of equal length.
    pub fn new(names: Vec<String>, columns: Vec<Vec<f64>>) -> Result<Self> {
        Self::from_values(names, columns.into_iter().map(ColumnValues::from).collect())
    }

    /// Builds the block from named columns of equal length, owned or shared
    /// ([`ColumnValues`]); the values are not copied.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use rustystats::design::{ColumnValues, DenseColumns};
    /// let shared: Arc<[f64]> = Arc::from(vec![0.5, 1.5, 2.5]);
    /// let x = ColumnValues::shared(shared.clone());
    /// let block = DenseColumns::from_values(vec!["x".into()], vec![x]).unwrap();
    /// assert!(std::ptr::eq(block.column(0).as_ptr(), shared.as_ptr()));
    /// ```
    pub fn from_values(names: Vec<String>, columns: Vec<ColumnValues>) -> Result<Self> {
        if names.len() != columns.len() {
            return Err(Error::Shape {
                what: "the list of column names".into(),
                expected: columns.len(),
                found: names.len(),
            });
        }
        let n = columns.first().map_or(0, |c| c.len());
        if let Some((name, col)) = names.iter().zip(&columns).find(|(_, c)| c.len() != n) {
            return Err(Error::Shape {
                what: format!("design column `{name}`"),
                expected: n,
                found: col.len(),
            });
        }
        Ok(DenseColumns {
            n,
            names,
            data: columns,
        })
    }

    /// A single column of ones named `Intercept`.
    pub fn intercept(n: usize) -> Self {
        DenseColumns {
            n,
            names: vec!["Intercept".into()],
            data: vec![vec![1.0; n].into()],
        }
    }

    /// Column `j` as a slice.
    pub fn column(&self, j: usize) -> &[f64] {
        &self.data[j]
    }

    /// Column names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Number of columns.
    pub fn ncols(&self) -> usize {
        self.names.len()
    }

    /// Number of rows.
    pub fn nrows(&self) -> usize {
        self.n
    }

    /// The block restricted to `rows` (each `< nrows()`), in that order.
    pub(crate) fn select_rows(&self, rows: &[usize]) -> Self {
        DenseColumns {
            n: rows.len(),
            names: self.names.clone(),
            data: self
                .data
                .par_iter()
                .map(|col| gather(col, rows).into())
                .collect(),
        }
    }
}

/// One block of columns of a [`BlockDesign`].
#[derive(Debug, Clone)]
pub enum Block {
    /// Dense numeric columns (the intercept, numeric variables, splines, ...).
    Dense(DenseColumns),
    /// A categorical variable, as codes.
    Categorical(CategoricalBlock),
    /// A categorical times a numeric variable, as codes and values.
    CatNum(CatNumBlock),
    /// The interaction of two categoricals, as one code per row.
    CatCat(CatCatBlock),
}

impl Block {
    /// Number of rows.
    pub fn nrows(&self) -> usize {
        match self {
            Block::Dense(b) => b.nrows(),
            Block::Categorical(b) => b.nrows(),
            Block::CatNum(b) => b.nrows(),
            Block::CatCat(b) => b.nrows(),
        }
    }

    /// Column names.
    pub fn names(&self) -> &[String] {
        match self {
            Block::Dense(b) => b.names(),
            Block::Categorical(b) => b.names(),
            Block::CatNum(b) => b.names(),
            Block::CatCat(b) => b.names(),
        }
    }

    /// Number of columns.
    pub fn ncols(&self) -> usize {
        self.names().len()
    }

    /// The block restricted to `rows` (each `< nrows()`), in that order.
    pub(crate) fn select_rows(&self, rows: &[usize]) -> Self {
        match self {
            Block::Dense(b) => Block::Dense(b.select_rows(rows)),
            Block::Categorical(b) => Block::Categorical(b.select_rows(rows)),
            Block::CatNum(b) => Block::CatNum(b.select_rows(rows)),
            Block::CatCat(b) => Block::CatCat(b.select_rows(rows)),
        }
    }

    fn coded(&self) -> Option<Coded<'_>> {
        match self {
            Block::Dense(_) => None,
            Block::Categorical(b) => Some(b.coded()),
            Block::CatNum(b) => Some(b.coded()),
            Block::CatCat(b) => Some(b.coded()),
        }
    }
}

impl From<DenseColumns> for Block {
    fn from(b: DenseColumns) -> Self {
        Block::Dense(b)
    }
}

impl From<CategoricalBlock> for Block {
    fn from(b: CategoricalBlock) -> Self {
        Block::Categorical(b)
    }
}

impl From<CatNumBlock> for Block {
    fn from(b: CatNumBlock) -> Self {
        Block::CatNum(b)
    }
}

impl From<CatCatBlock> for Block {
    fn from(b: CatCatBlock) -> Self {
        Block::CatCat(b)
    }
}

/// Where a dense block sits: its first column in the design.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DenseSpan {
    pub block: usize,
    pub col: usize,
    pub k: usize,
}

/// Where a coded block sits: its first column in the design.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CodedSpan {
    pub block: usize,
    pub col: usize,
}

/// A design matrix made of [`Block`]s; its columns are those of the blocks, in order.
///
/// ```
/// use rustystats::design::{BlockDesign, CategoricalBlock, DenseColumns, Design};
/// let g = CategoricalBlock::new(vec![0, 1, 2, 1], 3, true, vec!["gb".into(), "gc".into()])
///     .unwrap();
/// let x = BlockDesign::new(vec![DenseColumns::intercept(4).into(), g.into()]).unwrap();
/// let mut out = vec![0.0; 4];
/// x.matvec(&[1.0, 10.0, 100.0], &mut out);
/// assert_eq!(out, vec![1.0, 11.0, 101.0, 11.0]);
/// ```
#[derive(Debug, Clone)]
pub struct BlockDesign {
    n: usize,
    blocks: Vec<Block>,
    names: Vec<String>,
    dense: Vec<DenseSpan>,
    /// Design column of each dense column, in dense-group order.
    dense_cols: Vec<usize>,
    coded: Vec<CodedSpan>,
}

impl BlockDesign {
    /// Builds the design; every block must have the same number of rows (the codes were
    /// checked when each block was built).
    pub fn new(blocks: Vec<Block>) -> Result<Self> {
        let n = blocks.first().map_or(0, Block::nrows);
        let mut names = Vec::new();
        let (mut dense, mut dense_cols, mut coded) = (Vec::new(), Vec::new(), Vec::new());
        for (b, block) in blocks.iter().enumerate() {
            if block.nrows() != n {
                return Err(Error::Shape {
                    what: format!(
                        "design block {} (columns `{}`...)",
                        b + 1,
                        block.names().first().map_or("", String::as_str)
                    ),
                    expected: n,
                    found: block.nrows(),
                });
            }
            let col = names.len();
            match block {
                Block::Dense(d) => {
                    dense.push(DenseSpan {
                        block: b,
                        col,
                        k: d.ncols(),
                    });
                    dense_cols.extend(col..col + d.ncols());
                }
                _ => coded.push(CodedSpan { block: b, col }),
            }
            names.extend_from_slice(block.names());
        }
        Ok(BlockDesign {
            n,
            blocks,
            names,
            dense,
            dense_cols,
            coded,
        })
    }

    /// The blocks, in column order.
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    /// The design of the first `k` columns. A dense block may be cut; a coded block must be
    /// taken whole (its columns belong to one term).
    ///
    /// ```
    /// use rustystats::design::{BlockDesign, DenseColumns, Design};
    /// let d = DenseColumns::new(vec!["a".into(), "b".into()], vec![vec![1.0], vec![2.0]])
    ///     .unwrap();
    /// let x = BlockDesign::new(vec![d.into()]).unwrap();
    /// assert_eq!(x.leading(1).unwrap().column_names(), &["a"]);
    /// ```
    pub fn leading(&self, k: usize) -> Result<BlockDesign> {
        let mut blocks = Vec::new();
        let mut used = 0;
        for block in &self.blocks {
            let w = block.ncols();
            if used == k {
                break;
            } else if used + w <= k {
                blocks.push(block.clone());
                used += w;
            } else if let Block::Dense(d) = block {
                let m = k - used;
                let columns = d.data[..m].to_vec();
                blocks.push(DenseColumns::from_values(d.names()[..m].to_vec(), columns)?.into());
                used = k;
            } else {
                return Err(Error::model(format!(
                    "the first {k} design columns end inside the coded block of `{}`",
                    block.names().first().map_or("", String::as_str)
                )));
            }
        }
        if used < k {
            return Err(Error::Shape {
                what: "the leading columns of a design".into(),
                expected: k,
                found: used,
            });
        }
        BlockDesign::new(blocks)
    }

    pub(crate) fn dense_spans(&self) -> &[DenseSpan] {
        &self.dense
    }

    pub(crate) fn dense_cols(&self) -> &[usize] {
        &self.dense_cols
    }

    pub(crate) fn coded_spans(&self) -> &[CodedSpan] {
        &self.coded
    }

    pub(crate) fn dense_block(&self, span: &DenseSpan) -> &DenseColumns {
        match &self.blocks[span.block] {
            Block::Dense(d) => d,
            _ => unreachable!("a dense span points at a dense block"),
        }
    }

    pub(crate) fn coded_view(&self, span: &CodedSpan) -> Coded<'_> {
        self.blocks[span.block]
            .coded()
            .expect("a coded span points at a coded block")
    }
}

/// Rows per task in `matvec` (each row is independent, so any tiling gives the same result).
const MATVEC_TILE: usize = 1024;

impl BlockDesign {
    /// The coefficient of every slot of each coded block (0 for slots that are not columns).
    fn slot_tables(&self, beta: &[f64]) -> Vec<Vec<f64>> {
        self.coded
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
            .dense
            .iter()
            .flat_map(|span| {
                let block = self.dense_block(span);
                (0..span.k).map(move |j| (&block.column(j)[start..end], beta[span.col + j]))
            })
            .filter(|&(_, b)| b != 0.0)
            .collect();
        add_dense(out, &dense);
        let mut plain: Vec<(&[u32], &[f64])> = Vec::with_capacity(self.coded.len());
        // A block whose coefficients are all 0 (every block but the intercept at the null
        // start) adds nothing.
        let nonzero = |t: &Vec<f64>| t.iter().any(|&b| b != 0.0);
        for (span, table) in self.coded.iter().zip(tables).filter(|(_, t)| nonzero(t)) {
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
        for span in &self.dense {
            let block = self.dense_block(span);
            let cols: Vec<&[f64]> = (0..span.k)
                .map(|j| &block.column(j)[rows.clone()])
                .collect();
            dots(&cols, v, &mut acc[span.col..span.col + span.k]);
        }
        let mut sums = Vec::new();
        for span in &self.coded {
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
        self.n
    }

    fn ncols(&self) -> usize {
        self.names.len()
    }

    fn column_names(&self) -> &[String] {
        &self.names
    }

    fn matvec(&self, beta: &[f64], out: &mut [f64]) {
        assert_eq!(
            beta.len(),
            self.ncols(),
            "matvec: one coefficient per column"
        );
        assert_eq!(out.len(), self.n, "matvec: one output per row");
        let tables = self.slot_tables(beta);
        out.par_chunks_mut(MATVEC_TILE)
            .enumerate()
            .for_each(|(c, chunk)| {
                let start = c * MATVEC_TILE;
                self.matvec_tile(beta, &tables, start..start + chunk.len(), chunk);
            });
    }

    fn transpose_matvec(&self, v: &[f64], out: &mut [f64]) {
        assert_eq!(v.len(), self.n, "transpose_matvec: one value per row");
        assert_eq!(
            out.len(),
            self.ncols(),
            "transpose_matvec: one output per column"
        );
        let total = reduce_chunks(
            self.n,
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
        let slots = self.coded.iter().map(|s| self.coded_view(s).n_slots).max();
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
            .coded
            .iter()
            .max_by_key(|s| (width(s), std::cmp::Reverse(s.col)))?;
        Some(widest.col..widest.col + width(widest))
    }

    fn sandwich_bordered(&self, w: &[f64], block: Range<usize>) -> crate::linalg::BorderedGram {
        super::sandwich::block_sandwich_bordered(self, w, block)
    }

    fn constant_column(&self) -> Option<usize> {
        if self.n == 0 {
            return None;
        }
        let dense = self.dense.iter().find_map(|span| {
            let block = self.dense_block(span);
            (0..span.k)
                .find(|&j| block.column(j).iter().all(|&x| x == 1.0))
                .map(|j| span.col + j)
        });
        // A coded column is 1 in every row when every row is in its slot (a categorical with
        // one level, kept) and it has no values other than 1.
        let coded = self.coded.iter().find_map(|span| {
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
        for span in &self.dense {
            let block = self.dense_block(span);
            for j in 0..span.k {
                nonnegative[span.col + j] = block.column(j).iter().all(|&x| x >= 0.0);
            }
        }
        // Indicator columns are 0 or 1; a categorical-by-numeric column holds the values of
        // its level's rows.
        for span in &self.coded {
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
        self.coded
            .iter()
            .filter_map(|span| match &self.blocks[span.block] {
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
        if rows.iter().any(|&i| i >= self.n) {
            return None;
        }
        let blocks = self
            .blocks
            .par_iter()
            .map(|b| b.select_rows(rows))
            .collect();
        Some(Box::new(BlockDesign::new(blocks).ok()?))
    }

    fn row(&self, i: usize, out: &mut [f64]) {
        out.fill(0.0);
        for span in &self.dense {
            let block = self.dense_block(span);
            for j in 0..span.k {
                out[span.col + j] = block.column(j)[i];
            }
        }
        for span in &self.coded {
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
