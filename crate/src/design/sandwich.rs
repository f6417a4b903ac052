//! `X' diag(w) X` of a [`BlockDesign`], block pair by block pair.
//!
//! With `D` the dense columns taken together and `C_a` the coded blocks (slot `s_a(i)` and
//! value `v_a(i)`, 1 for a plain categorical, per row), the tiles of one chunk of rows are
//!
//! - `D' W D`: a matrix product (faer) of the chunk;
//! - `C_a' W D`: row `s_a(i)` of the tile gets `v_a(i) w_i D_i`, a scatter-add;
//! - `C_a' W C_a`: diagonal, slot `s_a(i)` gets `w_i v_a(i)^2`;
//! - `C_a' W C_b`: a weighted two-way count, cell `(s_a(i), s_b(i))` gets `w_i v_a(i) v_b(i)`.
//!
//! So a pair of categoricals costs `O(n)` instead of `O(n L_a L_b)`. The tiles are indexed by
//! slot, including the slots that are not columns (the reference level): that keeps the
//! inner loops free of branches; those entries are dropped when the matrix is assembled.

use std::ops::Range;

use faer::linalg::matmul::matmul;
use faer::{Accum, Mat, MatMut, MatRef, Par};

use super::blocks::BlockDesign;
use super::categorical::Coded;
use super::reduce::reduce_chunks;
use super::scatter::{scatter, scatter_rows, SPARE_LEN};
use super::{Design, CHUNK_ROWS};

/// Offsets of the tiles in one chunk's partial vector.
struct Layout {
    /// Number of dense columns; the dense tile `D' W D` is `kd x kd`, column-major, first.
    kd: usize,
    /// `C_a' W D`, `n_slots_a x kd`, row-major.
    cross_dense: Vec<usize>,
    /// The diagonal of `C_a' W C_a`, `n_slots_a`.
    diag: Vec<usize>,
    /// `C_a' W C_b` for `a < b` at `pairs[a * m + b]`, `n_slots_a x n_slots_b`, row-major.
    pairs: Vec<usize>,
    /// Length of the partial vector.
    len: usize,
}

impl Layout {
    fn new(kd: usize, views: &[Coded<'_>]) -> Self {
        let m = views.len();
        let mut len = kd * kd;
        let mut take = |size: usize| {
            let off = len;
            len += size;
            off
        };
        let cross_dense = views.iter().map(|v| take(v.n_slots * kd)).collect();
        let diag = views.iter().map(|v| take(v.n_slots)).collect();
        let mut pairs = vec![0; m * m];
        for a in 0..m {
            for b in a + 1..m {
                pairs[a * m + b] = take(views[a].n_slots * views[b].n_slots);
            }
        }
        Layout {
            kd,
            cross_dense,
            diag,
            pairs,
            len,
        }
    }
}

/// Buffers of one task, reused across the chunks it runs.
struct Scratch {
    /// `w_i D_i`, one row per row of the chunk (row-major, `kd` wide).
    wd: Vec<f64>,
    /// `w_i v_a(i)` for each coded block with values, `CHUNK_ROWS` each.
    wv: Vec<f64>,
    /// Interleaved copies of small tiles (see [`super::scatter`]).
    spare: Vec<f64>,
}

/// `X' diag(w) X` for a block design.
pub(crate) fn block_sandwich(x: &BlockDesign, w: &[f64]) -> Mat<f64> {
    assert_eq!(w.len(), x.nrows(), "sandwich: one weight per row");
    let views: Vec<Coded<'_>> = x.coded_spans().iter().map(|s| x.coded_view(s)).collect();
    let kd = x.dense_cols().len();
    let lay = Layout::new(kd, &views);
    // Index into `Scratch::wv` of each coded block that has values.
    let mut n_valued = 0;
    let valued: Vec<Option<usize>> = views
        .iter()
        .map(|v| {
            v.values.map(|_| {
                n_valued += 1;
                n_valued - 1
            })
        })
        .collect();
    let total = reduce_chunks(
        x.nrows(),
        lay.len,
        || Scratch {
            wd: vec![0.0; CHUNK_ROWS * kd],
            wv: vec![0.0; CHUNK_ROWS * n_valued],
            spare: vec![0.0; SPARE_LEN],
        },
        |scratch, rows, part| chunk_tiles(x, &views, &valued, &lay, w, scratch, rows, part),
    );
    assemble(x, &views, &lay, &total)
}

/// The tiles of one chunk of rows, written into `part` (zeroed).
#[allow(clippy::too_many_arguments)]
fn chunk_tiles(
    x: &BlockDesign,
    views: &[Coded<'_>],
    valued: &[Option<usize>],
    lay: &Layout,
    w: &[f64],
    scratch: &mut Scratch,
    rows: Range<usize>,
    part: &mut [f64],
) {
    let len = rows.len();
    let kd = lay.kd;
    let wc = &w[rows.clone()];

    // Dense x dense: D_c' (W D_c), one product per dense block (rows of the tile).
    let wd = &mut scratch.wd[..len * kd];
    if kd > 0 {
        for span in x.dense_spans() {
            let block = x.dense_block(span);
            for j in 0..span.k {
                let col = &block.column(j)[rows.clone()];
                let pos = span.pos + j;
                for ((r, &xi), &wi) in wd.chunks_exact_mut(kd).zip(col).zip(wc) {
                    r[pos] = xi * wi;
                }
            }
        }
        let rhs = MatRef::from_row_major_slice(wd, len, kd);
        let mut gram = MatMut::from_column_major_slice_mut(&mut part[..kd * kd], kd, kd);
        for span in x.dense_spans() {
            let lhs = x.dense_block(span).view().subrows(rows.start, len);
            matmul(
                gram.as_mut().subrows_mut(span.pos, span.k),
                Accum::Replace,
                lhs.transpose(),
                rhs,
                1.0,
                Par::Seq,
            );
        }
    }
    let wd = &scratch.wd[..len * kd];

    // w v_a for the blocks with values.
    for (view, slot) in views.iter().zip(valued) {
        if let (Some(v), Some(k)) = (view.values, *slot) {
            let wv = &mut scratch.wv[k * CHUNK_ROWS..k * CHUNK_ROWS + len];
            for ((o, &vi), &wi) in wv.iter_mut().zip(&v[rows.clone()]).zip(wc) {
                *o = vi * wi;
            }
        }
    }
    let wv = &scratch.wv;
    let weights = |a: usize| -> &[f64] {
        match valued[a] {
            Some(k) => &wv[k * CHUNK_ROWS..k * CHUNK_ROWS + len],
            None => wc,
        }
    };

    let spare = &mut scratch.spare;
    for (a, view) in views.iter().enumerate() {
        let codes = &view.codes[rows.clone()];
        let slot = |i: usize| codes[i] as usize;
        let values = view.values.map(|v| &v[rows.clone()]);
        let wa = weights(a);

        let diag = &mut part[lay.diag[a]..lay.diag[a] + view.n_slots];
        match values {
            None => scatter(diag, spare, len, slot, |i| wa[i]),
            Some(v) => scatter(diag, spare, len, slot, |i| wa[i] * v[i]),
        }

        if kd > 0 {
            let off = lay.cross_dense[a];
            let tile = &mut part[off..off + view.n_slots * kd];
            match values {
                None => scatter_rows(tile, spare, kd, wd, slot, |_| 1.0),
                Some(v) => scatter_rows(tile, spare, kd, wd, slot, |i| v[i]),
            }
        }

        for (b, other) in views.iter().enumerate().skip(a + 1) {
            let off = lay.pairs[a * views.len() + b];
            let width = other.n_slots;
            let tile = &mut part[off..off + view.n_slots * width];
            let codes_b = &other.codes[rows.clone()];
            let cell = |i: usize| codes[i] as usize * width + codes_b[i] as usize;
            match other.values.map(|v| &v[rows.clone()]) {
                None => scatter(tile, spare, len, cell, |i| wa[i]),
                Some(v) => scatter(tile, spare, len, cell, |i| wa[i] * v[i]),
            }
        }
    }
}

/// Places the summed tiles into the `p x p` matrix, dropping the slots that are not columns.
fn assemble(x: &BlockDesign, views: &[Coded<'_>], lay: &Layout, total: &[f64]) -> Mat<f64> {
    let p = x.ncols();
    let kd = lay.kd;
    let dense_cols = x.dense_cols();
    let mut g = Mat::<f64>::zeros(p, p);
    // Symmetrize the dense tile exactly so factorizations see a symmetric matrix.
    for (r, &gr) in dense_cols.iter().enumerate() {
        for (c, &gc) in dense_cols.iter().enumerate() {
            g[(gr, gc)] = 0.5 * (total[r + c * kd] + total[c + r * kd]);
        }
    }
    let spans = x.coded_spans();
    for (a, (view, span)) in views.iter().zip(spans).enumerate() {
        let col = |s: usize| span.col + s - view.skip;
        for s in view.skip..view.n_slots {
            g[(col(s), col(s))] = total[lay.diag[a] + s];
            let row = &total[lay.cross_dense[a] + s * kd..lay.cross_dense[a] + (s + 1) * kd];
            for (&gc, &t) in dense_cols.iter().zip(row) {
                g[(col(s), gc)] = t;
                g[(gc, col(s))] = t;
            }
        }
        for (b, (other, span_b)) in views.iter().zip(spans).enumerate().skip(a + 1) {
            let off = lay.pairs[a * views.len() + b];
            for sa in view.skip..view.n_slots {
                for sb in other.skip..other.n_slots {
                    let t = total[off + sa * other.n_slots + sb];
                    let cb = span_b.col + sb - other.skip;
                    g[(col(sa), cb)] = t;
                    g[(cb, col(sa))] = t;
                }
            }
        }
    }
    g
}
