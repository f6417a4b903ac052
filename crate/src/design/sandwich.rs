//! `X' diag(w) X` of a [`BlockDesign`], block pair by block pair.
//!
//! With `D` the dense columns taken together and `C_a` the coded blocks (slot `s_a(i)` and
//! value `f_a(i)`, 1 for a plain categorical, per row), the tiles of one chunk of rows are
//!
//! - `D' W D`: a matrix product (faer) of the chunk;
//! - `C_a' W D`: row `s_a(i)` of the tile gets `f_a(i) w_i D_i`, a scatter-add;
//! - `C_a' W C_a`: diagonal, slot `s_a(i)` gets `w_i f_a(i)^2`;
//! - `C_a' W C_b`: a weighted two-way count, cell `(s_a(i), s_b(i))` gets
//!   `w_i f_a(i) f_b(i)`.
//!
//! So a pair of categoricals costs `O(n)` instead of `O(n L_a L_b)`. The coded tiles are
//! filled in one pass over the rows, all blocks at once: the updates of one row go to
//! different tiles and do not wait on each other, where a pass per tile would chain each
//! update to the previous one through memory (a small table is hit at the same place again
//! and again). Tiles are indexed by slot, including the slots that are not columns (the
//! reference level): that keeps the inner loops free of branches; those entries are dropped
//! when the matrix is assembled.

use std::ops::Range;

use faer::linalg::matmul::matmul;
use faer::{Accum, Mat, MatMut, MatRef, Par};

use super::blocks::BlockDesign;
use super::categorical::Coded;
use super::reduce::reduce_chunks;
use super::Design;

/// Rows of a chunk processed together: the per-row buffers (`kd + m` values a row) then stay
/// in the first cache levels next to the tiles they update.
const TILE_ROWS: usize = 1024;

/// Where the tiles sit in one chunk's partial vector.
///
/// Slots of all coded blocks are numbered together ("global slots"): block `a` has the
/// global slots `slot_off[a]..slot_off[a + 1]`, `n_slots` in all.
struct Layout {
    /// Number of dense columns; `D' W D` (`kd x kd`, column-major) comes first.
    kd: usize,
    /// First global slot of each coded block, then `n_slots`.
    slot_off: Vec<usize>,
    n_slots: usize,
    /// `C' W D` for all coded blocks, `n_slots x kd`, row-major, at this offset.
    cross_dense: usize,
    /// The diagonal of every `C_a' W C_a`, `n_slots` long, at this offset.
    diag: usize,
    /// The pair tiles from this offset on: block `a` owns the rows `C_a' W [C_{a+1} ..
    /// C_m]`, `slot count of a x (n_slots - slot_off[a + 1])`, row-major, starting at
    /// `pairs + pair_rows[a]`.
    pairs: usize,
    pair_rows: Vec<usize>,
    /// Length of the partial vector.
    len: usize,
}

impl Layout {
    fn new(kd: usize, views: &[Coded<'_>]) -> Self {
        let mut slot_off = vec![0];
        for v in views {
            slot_off.push(slot_off.last().unwrap() + v.n_slots);
        }
        let n_slots = *slot_off.last().unwrap();
        let cross_dense = kd * kd;
        let diag = cross_dense + n_slots * kd;
        let pairs = diag + n_slots;
        let mut pair_rows = Vec::with_capacity(views.len());
        let mut len = 0;
        for (a, v) in views.iter().enumerate() {
            pair_rows.push(len);
            len += v.n_slots * (n_slots - slot_off[a + 1]);
        }
        Layout {
            kd,
            slot_off,
            n_slots,
            cross_dense,
            diag,
            pairs,
            pair_rows,
            len: pairs + len,
        }
    }

    /// Index, from `pairs`, of the cell (slot `sa` of block `a`, global slot `gb`), `gb` in a
    /// later block.
    fn pair(&self, a: usize, sa: usize, gb: usize) -> usize {
        let end = self.slot_off[a + 1];
        self.pair_rows[a] + sa * (self.n_slots - end) + gb - end
    }
}

/// Buffers of one task, reused across the chunks it runs.
struct Scratch {
    /// `w_i D_i`, one row per row of the chunk (row-major, `kd` wide).
    wd: Vec<f64>,
    /// The global slot of each coded block, one row per row of the chunk (`m` wide).
    slots: Vec<u32>,
    /// `f_a(i)` of each coded block, laid out as `slots`; only when some block has values.
    values: Vec<f64>,
}

/// `X' diag(w) X` for a block design.
pub(crate) fn block_sandwich(x: &BlockDesign, w: &[f64]) -> Mat<f64> {
    assert_eq!(w.len(), x.nrows(), "sandwich: one weight per row");
    let views: Vec<Coded<'_>> = x.coded_spans().iter().map(|s| x.coded_view(s)).collect();
    let kd = x.dense_cols().len();
    let m = views.len();
    let lay = Layout::new(kd, &views);
    let valued = views.iter().any(|v| v.values.is_some());
    let total = reduce_chunks(
        x.nrows(),
        lay.len,
        || Scratch {
            wd: vec![0.0; TILE_ROWS * kd],
            slots: vec![0; TILE_ROWS * m],
            values: vec![0.0; if valued { TILE_ROWS * m } else { 0 }],
        },
        |scratch, rows, part| {
            // Tiles of a few hundred rows keep the per-row buffers in the first cache levels.
            for start in rows.clone().step_by(TILE_ROWS) {
                let tile = start..(start + TILE_ROWS).min(rows.end);
                tile_products(x, &views, &lay, w, scratch, tile, part);
            }
        },
    );
    assemble(x, &views, &lay, &total)
}

/// Adds the products of the rows `rows` (a tile of a chunk) to the chunk's partial.
fn tile_products(
    x: &BlockDesign,
    views: &[Coded<'_>],
    lay: &Layout,
    w: &[f64],
    scratch: &mut Scratch,
    rows: Range<usize>,
    part: &mut [f64],
) {
    let (kd, m, len) = (lay.kd, views.len(), rows.len());
    dense_tiles(x, w, &mut scratch.wd, rows.clone(), &mut part[..kd * kd]);
    if m == 0 {
        return;
    }
    let wd = &scratch.wd[..len * kd];
    let slots = &mut scratch.slots[..len * m];
    for (a, view) in views.iter().enumerate() {
        let first = lay.slot_off[a] as u32;
        let codes = &view.codes[rows.clone()];
        for (g, &c) in slots[a..].iter_mut().step_by(m).zip(codes) {
            *g = first + c;
        }
    }
    let wc = &w[rows.clone()];
    if scratch.values.is_empty() {
        coded_tiles::<false>(lay, slots, &[], wc, wd, part);
    } else {
        let values = &mut scratch.values[..len * m];
        for (a, view) in views.iter().enumerate() {
            let f = values[a..].iter_mut().step_by(m);
            match view.values {
                Some(v) => f.zip(&v[rows.clone()]).for_each(|(f, &v)| *f = v),
                None => f.for_each(|f| *f = 1.0),
            }
        }
        coded_tiles::<true>(lay, slots, values, wc, wd, part);
    }
}

/// Adds `D' W D` of the rows `rows` to `gram` (`kd x kd`), leaving `w_i D_i` in `wd`
/// (row-major).
fn dense_tiles(x: &BlockDesign, w: &[f64], wd: &mut [f64], rows: Range<usize>, gram: &mut [f64]) {
    let kd = x.dense_cols().len();
    if kd == 0 {
        return;
    }
    let len = rows.len();
    let wd = &mut wd[..len * kd];
    let wc = &w[rows.clone()];
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
    let mut gram = MatMut::from_column_major_slice_mut(gram, kd, kd);
    for span in x.dense_spans() {
        let lhs = x.dense_block(span).view().subrows(rows.start, len);
        matmul(
            gram.as_mut().subrows_mut(span.pos, span.k),
            Accum::Add,
            lhs.transpose(),
            rhs,
            1.0,
            Par::Seq,
        );
    }
}

/// The coded tiles of one chunk, one pass over its rows. `slots` and `values` have one row
/// of `m` entries per row of the chunk; `values` is read only when `VALUED`.
fn coded_tiles<const VALUED: bool>(
    lay: &Layout,
    slots: &[u32],
    values: &[f64],
    w: &[f64],
    wd: &[f64],
    part: &mut [f64],
) {
    let kd = lay.kd;
    let m = lay.slot_off.len() - 1;
    let (head, pairs) = part.split_at_mut(lay.pairs);
    let (cross, diag) = head[lay.cross_dense..].split_at_mut(lay.n_slots * kd);
    // Per block: first global slot, first global slot after it, start of its pair rows.
    let blocks: Vec<(usize, usize, usize)> = (0..m)
        .map(|a| (lay.slot_off[a], lay.slot_off[a + 1], lay.pair_rows[a]))
        .collect();
    for (i, (g, &wi)) in slots.chunks_exact(m).zip(w).enumerate() {
        let f = if VALUED {
            &values[i * m..(i + 1) * m]
        } else {
            &[][..]
        };
        let wdi = &wd[i * kd..(i + 1) * kd];
        for (a, &(first, end, row0)) in blocks.iter().enumerate() {
            let ga = g[a] as usize;
            let fa = if VALUED { f[a] } else { 1.0 };
            let cross_row = &mut cross[ga * kd..(ga + 1) * kd];
            if VALUED {
                diag[ga] += wi * fa * fa;
                for (t, &x) in cross_row.iter_mut().zip(wdi) {
                    *t += fa * x;
                }
            } else {
                diag[ga] += wi;
                for (t, &x) in cross_row.iter_mut().zip(wdi) {
                    *t += x;
                }
            }
            let width = lay.n_slots - end;
            let row = &mut pairs[row0 + (ga - first) * width..][..width];
            if VALUED {
                let wa = wi * fa;
                for (&gb, &fb) in g[a + 1..].iter().zip(&f[a + 1..]) {
                    row[gb as usize - end] += wa * fb;
                }
            } else {
                for &gb in &g[a + 1..] {
                    row[gb as usize - end] += wi;
                }
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
    let pairs = &total[lay.pairs..];
    for (a, (view, span)) in views.iter().zip(spans).enumerate() {
        for sa in view.skip..view.n_slots {
            let ca = span.col + sa - view.skip;
            let ga = lay.slot_off[a] + sa;
            g[(ca, ca)] = total[lay.diag + ga];
            let cross = &total[lay.cross_dense + ga * kd..lay.cross_dense + (ga + 1) * kd];
            for (&cd, &t) in dense_cols.iter().zip(cross) {
                g[(ca, cd)] = t;
                g[(cd, ca)] = t;
            }
            for (b, (other, span_b)) in views.iter().zip(spans).enumerate().skip(a + 1) {
                for sb in other.skip..other.n_slots {
                    let t = pairs[lay.pair(a, sa, lay.slot_off[b] + sb)];
                    let cb = span_b.col + sb - other.skip;
                    g[(ca, cb)] = t;
                    g[(cb, ca)] = t;
                }
            }
        }
    }
    g
}
