//! The coded tiles of `X' W X` slot by slot, for categoricals with many levels.
//!
//! The chunked kernel of [`super::sandwich`] gives every chunk of rows a partial vector as
//! long as all the tiles; with a thousand levels or more those partials (and their zeroing and
//! summing) cost far more than the rows' own updates. Here each tile row is owned instead:
//! the rows of coded block `a` are grouped by their slot (a counting sort), and the task that
//! owns a range of `a`'s slots sums, slot by slot and over that slot's rows in row order, its
//! rows of `C_a' W D`, its diagonal entries and its rows of the pair tiles `C_a' W C_b`
//! (`b > a`). No partials: memory is the tiles themselves, and each entry is summed in row
//! order whatever the number of threads.

use rayon::prelude::*;

use super::blocks::BlockDesign;
use super::categorical::Coded;
use super::reduce::reduce_chunks;
use super::tiles::{dense_gram, Layout, Scratch};
use super::{Design, CHUNK_ROWS};

/// Tile entries one task fills (its slots times the width of a slot's rows).
const ENTRIES_PER_TASK: usize = 1 << 15;

/// Whether the slot-by-slot kernel should form the coded tiles: when a chunk's partial vector
/// would be longer than the chunk's data (`kd + m` numbers a row).
pub(super) fn by_slot(lay: &Layout, m: usize) -> bool {
    m > 0 && lay.len > CHUNK_ROWS * (lay.kd + m)
}

/// The rows with each slot: `rows[start[s]..start[s + 1]]` are those with slot `s`, in
/// increasing order.
struct Buckets {
    start: Vec<usize>,
    rows: Vec<u32>,
}

impl Buckets {
    fn new(codes: &[u32], n_slots: usize) -> Self {
        let mut start = vec![0usize; n_slots + 1];
        for &c in codes {
            start[c as usize + 1] += 1;
        }
        for s in 0..n_slots {
            start[s + 1] += start[s];
        }
        let mut next = start.clone();
        let mut rows = vec![0u32; codes.len()];
        for (i, &c) in codes.iter().enumerate() {
            rows[next[c as usize]] = i as u32;
            next[c as usize] += 1;
        }
        Buckets { start, rows }
    }

    fn of(&self, s: usize) -> &[u32] {
        &self.rows[self.start[s]..self.start[s + 1]]
    }
}

/// One task's tile rows: `C_a' W D` (`kd` a slot), the diagonal, the pair rows (`width` a
/// slot).
struct TileRows {
    cross: Vec<f64>,
    diag: Vec<f64>,
    pairs: Vec<f64>,
}

/// The summed tiles (laid out as `lay`, as the chunked kernel leaves them) of `X' W X`.
pub(super) fn tiles_by_slot(
    x: &BlockDesign,
    views: &[Coded<'_>],
    lay: &Layout,
    w: &[f64],
) -> Vec<f64> {
    let (n, kd) = (x.nrows(), lay.kd);
    let mut total = vec![0.0; lay.len];
    // D' W D by chunks (it is small); the chunk's W D rows are not kept.
    let dense = reduce_chunks(
        n,
        kd * kd,
        || Scratch::new(kd, 0, false),
        |scratch, rows, part| {
            let d = &mut scratch.d[..rows.len() * kd];
            let wd = &mut scratch.wd[..rows.len() * kd];
            dense_gram(x, w, d, wd, rows, part);
        },
    );
    total[..kd * kd].copy_from_slice(&dense);
    let wd = weighted_dense_rows(x, w);
    for (a, view) in views.iter().enumerate() {
        let t = &lay.blocks[a];
        let buckets = Buckets::new(view.codes, view.n_slots);
        let per_task = (ENTRIES_PER_TASK / (kd + 1 + t.width)).max(1);
        let ranges: Vec<(usize, usize)> = (0..view.n_slots)
            .step_by(per_task)
            .map(|s| (s, (s + per_task).min(view.n_slots)))
            .collect();
        let parts: Vec<TileRows> = ranges
            .par_iter()
            .map(|&(s0, s1)| {
                let mut out = TileRows {
                    cross: vec![0.0; (s1 - s0) * kd],
                    diag: vec![0.0; s1 - s0],
                    pairs: vec![0.0; (s1 - s0) * t.width],
                };
                for s in s0..s1 {
                    slot_rows(views, a, lay, &buckets, s, s - s0, w, &wd, &mut out);
                }
                out
            })
            .collect();
        for (&(s0, s1), part) in ranges.iter().zip(&parts) {
            let (g0, g1) = (t.first + s0, t.first + s1);
            total[lay.cross_dense + g0 * kd..lay.cross_dense + g1 * kd]
                .copy_from_slice(&part.cross);
            total[lay.diag + g0..lay.diag + g1].copy_from_slice(&part.diag);
            let p0 = lay.pairs + t.row0 + s0 * t.width;
            total[p0..p0 + (s1 - s0) * t.width].copy_from_slice(&part.pairs);
        }
    }
    total
}

/// Adds the rows with slot `s` of block `a` to the task's tile row `r`.
#[allow(clippy::too_many_arguments)]
fn slot_rows(
    views: &[Coded<'_>],
    a: usize,
    lay: &Layout,
    buckets: &Buckets,
    s: usize,
    r: usize,
    w: &[f64],
    wd: &[f64],
    out: &mut TileRows,
) {
    let (kd, t) = (lay.kd, &lay.blocks[a]);
    let cross = &mut out.cross[r * kd..(r + 1) * kd];
    let pairs = &mut out.pairs[r * t.width..(r + 1) * t.width];
    let mut diag = 0.0;
    for &i in buckets.of(s) {
        let i = i as usize;
        let fa = views[a].values.map_or(1.0, |v| v[i]);
        let wa = w[i] * fa;
        diag += wa * fa;
        for (c, &x) in cross.iter_mut().zip(&wd[i * kd..(i + 1) * kd]) {
            *c += fa * x;
        }
        for (b, view) in views.iter().enumerate().skip(a + 1) {
            let gb = lay.blocks[b].first + view.codes[i] as usize;
            let fb = view.values.map_or(1.0, |v| v[i]);
            pairs[gb - t.end] += wa * fb;
        }
    }
    out.diag[r] = diag;
}

/// `w_i D_i` for every row, row by row (`kd` wide).
fn weighted_dense_rows(x: &BlockDesign, w: &[f64]) -> Vec<f64> {
    let cols: Vec<&[f64]> = x
        .dense_spans()
        .iter()
        .flat_map(|span| {
            let block = x.dense_block(span);
            (0..span.k).map(move |j| block.column(j))
        })
        .collect();
    let kd = cols.len();
    let mut wd = vec![0.0; x.nrows() * kd];
    if kd == 0 {
        return wd;
    }
    wd.par_chunks_mut(CHUNK_ROWS * kd)
        .enumerate()
        .for_each(|(c, out)| {
            let start = c * CHUNK_ROWS;
            for (r, row) in out.chunks_exact_mut(kd).enumerate() {
                let i = start + r;
                for (o, col) in row.iter_mut().zip(&cols) {
                    *o = w[i] * col[i];
                }
            }
        });
    wd
}
