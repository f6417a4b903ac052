//! A design matrix made of column blocks: dense columns and categoricals kept as codes.
//!
//! The columns are those of the blocks, in block order. Products are computed block by
//! block, so a categorical with `L` levels costs one lookup per row instead of `L` columns.

use rayon::prelude::*;

use super::categorical::{gather, CatCatBlock, CatNumBlock, CategoricalBlock, Coded};
use super::values::ColumnValues;
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

    /// The number of rows (as `Design::nrows`).
    pub(crate) fn rows(&self) -> usize {
        self.n
    }

    /// The column names (as `Design::column_names`).
    pub(crate) fn names(&self) -> &[String] {
        &self.names
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
