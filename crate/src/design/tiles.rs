//! Where the tiles of `X' W X` of a block design sit (see [`super::sandwich`]), the buffers
//! of the tasks that fill them, and the dense tile `D' W D` of a chunk of rows: shared by the
//! chunked kernel ([`super::sandwich`]) and the slot-by-slot one ([`super::sandwich_slots`]).

use std::ops::Range;

use faer::linalg::matmul::matmul;
use faer::{Accum, MatMut, MatRef, Par};

use super::blocks::BlockDesign;
use super::categorical::Coded;
use super::CHUNK_ROWS;

/// Rows of a chunk whose coded tiles are filled together: their per-row buffers (`kd + m`
/// values a row) then stay in the first cache levels next to the tiles they update.
pub(super) const CODED_TILE_ROWS: usize = 256;

/// Where a coded block's tiles are.
#[derive(Clone, Copy)]
pub(super) struct CodedTiles {
    /// Its first global slot, and the first one after it.
    pub first: usize,
    pub end: usize,
    /// Where its pair rows `C_a' W [C_{a+1} .. C_m]` start (from `Layout::pairs`), and their
    /// width (`n_slots - end`).
    pub row0: usize,
    pub width: usize,
}

/// Where the tiles sit in one chunk's partial vector.
///
/// Slots of all coded blocks are numbered together ("global slots"): block `a` has the
/// global slots `blocks[a].first..blocks[a].end`, `n_slots` in all.
pub(super) struct Layout {
    /// Number of dense columns; `D' W D` (`kd x kd`, column-major) comes first.
    pub kd: usize,
    pub n_slots: usize,
    pub blocks: Vec<CodedTiles>,
    /// `C' W D` for all coded blocks, `n_slots x kd`, row-major, at this offset.
    pub cross_dense: usize,
    /// The diagonal of every `C_a' W C_a`, `n_slots` long, at this offset.
    pub diag: usize,
    /// The pair tiles from this offset on.
    pub pairs: usize,
    /// Length of the partial vector.
    pub len: usize,
}

impl Layout {
    pub fn new(kd: usize, views: &[Coded<'_>]) -> Self {
        let n_slots: usize = views.iter().map(|v| v.n_slots).sum();
        let cross_dense = kd * kd;
        let diag = cross_dense + n_slots * kd;
        let pairs = diag + n_slots;
        let mut blocks = Vec::with_capacity(views.len());
        let (mut first, mut pair_len) = (0, 0);
        for v in views {
            let end = first + v.n_slots;
            let width = n_slots - end;
            blocks.push(CodedTiles {
                first,
                end,
                row0: pair_len,
                width,
            });
            pair_len += v.n_slots * width;
            first = end;
        }
        Layout {
            kd,
            n_slots,
            blocks,
            cross_dense,
            diag,
            pairs,
            len: pairs + pair_len,
        }
    }

    /// Index, from `pairs`, of the cell (slot `sa` of block `a`, global slot `gb`), `gb` in a
    /// later block.
    pub fn pair(&self, a: usize, sa: usize, gb: usize) -> usize {
        let t = &self.blocks[a];
        t.row0 + sa * t.width + gb - t.end
    }
}

/// Buffers of one task, reused across the chunks it runs.
pub(super) struct Scratch {
    /// The chunk of `D`, column by column.
    pub d: Vec<f64>,
    /// `w_i D_i` of a chunk, row by row (`kd` wide).
    pub wd: Vec<f64>,
    /// The global slot of each coded block, one row per row of a tile (`m` wide).
    pub slots: Vec<u32>,
    /// `f_a(i)` of each coded block, laid out as `slots`; only when some block has values.
    pub values: Vec<f64>,
}

impl Scratch {
    /// Buffers for `kd` dense columns and `m` coded blocks (`valued`: some block has values).
    pub fn new(kd: usize, m: usize, valued: bool) -> Self {
        Scratch {
            d: vec![0.0; CHUNK_ROWS * kd],
            wd: vec![0.0; CHUNK_ROWS * kd],
            slots: vec![0; CODED_TILE_ROWS * m],
            values: vec![0.0; if valued { CODED_TILE_ROWS * m } else { 0 }],
        }
    }
}

/// `D' W D` of the chunk `rows` into `gram` (`kd x kd`), leaving the chunk of `D` in `d`
/// (column-major) and `w_i D_i` in `wd` (row-major, `kd` wide, as the coded tiles read it).
pub(super) fn dense_gram(
    x: &BlockDesign,
    w: &[f64],
    d: &mut [f64],
    wd: &mut [f64],
    rows: Range<usize>,
    gram: &mut [f64],
) {
    let kd = x.dense_cols().len();
    if kd == 0 {
        return;
    }
    let len = rows.len();
    let wc = &w[rows.clone()];
    let (start, end) = (rows.start, rows.end);
    let cols = x.dense_spans().iter().flat_map(|span| {
        let block = x.dense_block(span);
        (0..span.k).map(move |j| &block.column(j)[start..end])
    });
    let cols: Vec<&[f64]> = cols.collect();
    for (col, dj) in cols.iter().zip(d.chunks_exact_mut(len)) {
        dj.copy_from_slice(col);
    }
    weighted_rows(&cols, wc, wd);
    let lhs = MatRef::from_column_major_slice(d, len, kd);
    let rhs = MatRef::from_row_major_slice(wd, len, kd);
    let gram = MatMut::from_column_major_slice_mut(gram, kd, kd);
    matmul(gram, Accum::Replace, lhs.transpose(), rhs, 1.0, Par::Seq);
}

/// `wd[i kd + j] = w[i] cols[j][i]`: the rows of `W D`, one after another (`kd` the number
/// of columns), compiled for each small `kd`.
fn weighted_rows(cols: &[&[f64]], w: &[f64], wd: &mut [f64]) {
    macro_rules! by_width {
        ($($k:literal)*) => {
            match cols.len() {
                $($k => weighted_rows_k::<$k>(cols.try_into().expect("width"), w, wd),)*
                kd => {
                    for (j, col) in cols.iter().enumerate() {
                        for ((o, &x), &wi) in wd[j..].iter_mut().step_by(kd).zip(*col).zip(w) {
                            *o = x * wi;
                        }
                    }
                }
            }
        };
    }
    by_width!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
}

/// [`weighted_rows`] for `KD` columns: eight rows at a time, each column's eight values read
/// together and written across the eight rows.
fn weighted_rows_k<const KD: usize>(cols: &[&[f64]; KD], w: &[f64], wd: &mut [f64]) {
    const B: usize = 8;
    let n = w.len();
    let whole = n - n % B;
    let (body, tail) = wd[..n * KD].split_at_mut(whole * KD);
    for ((b, wb), ob) in w[..whole]
        .chunks_exact(B)
        .enumerate()
        .zip(body.chunks_exact_mut(B * KD))
    {
        let wb: &[f64; B] = wb.try_into().expect("block");
        for (j, col) in cols.iter().enumerate() {
            let c: &[f64; B] = col[b * B..(b + 1) * B].try_into().expect("block");
            for (r, o) in ob.chunks_exact_mut(KD).enumerate() {
                o[j] = c[r] * wb[r];
            }
        }
    }
    for (i, o) in (whole..n).zip(tail.chunks_exact_mut(KD)) {
        for (o, col) in o.iter_mut().zip(cols) {
            *o = col[i] * w[i];
        }
    }
}
