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
//! filled row by row, all blocks of a row together: the updates of one row go to different
//! tiles, so they do not wait on each other the way consecutive updates of one small table
//! can. Tiles are indexed by slot, including the slots that are not columns (the reference
//! level): that keeps the inner loops free of branches; those entries are dropped when the
//! matrix is assembled.

use std::ops::Range;

use faer::Mat;

use super::blocks::BlockDesign;
use super::categorical::Coded;
use super::reduce::reduce_chunks;
use super::sandwich_slots::{by_slot, tiles_by_slot};
use super::tiles::{dense_gram, Layout, Scratch, CODED_TILE_ROWS};
use super::Design;
use crate::linalg::BorderedGram;

/// `X' diag(w) X` for a block design.
pub(crate) fn block_sandwich(x: &BlockDesign, w: &[f64]) -> Mat<f64> {
    block_sandwich_by(x, w, slot_by_slot(x))
}

/// Whether the coded tiles of `x` are best filled slot by slot (see [`by_slot`]).
fn slot_by_slot(x: &BlockDesign) -> bool {
    let views: Vec<Coded<'_>> = x.coded_spans().iter().map(|s| x.coded_view(s)).collect();
    by_slot(&Layout::new(x.dense_cols().len(), &views), views.len())
}

/// [`block_sandwich`] with the coded tiles by chunks of rows or (`slots`) slot by slot.
pub(super) fn block_sandwich_by(x: &BlockDesign, w: &[f64], slots: bool) -> Mat<f64> {
    let p = x.ncols();
    let mut g = Mat::<f64>::zeros(p, p);
    entries(x, w, slots, &mut |i, j, v| g[(i, j)] = v);
    g
}

/// `X' diag(w) X` with the columns `block` (those of one coded block) kept as a diagonal:
/// no `p x p` matrix is formed.
pub(crate) fn block_sandwich_bordered(
    x: &BlockDesign,
    w: &[f64],
    block: Range<usize>,
) -> BorderedGram {
    assert!(
        x.coded_spans()
            .iter()
            .any(|s| s.col == block.start && x.blocks()[s.block].ncols() == block.len()),
        "a bordered X'WX keeps the columns of one coded block as its diagonal"
    );
    let (p, levels) = (x.ncols(), block.len());
    let m = p - levels;
    let (mut d, mut cross, mut a) = (vec![0.0; levels], Mat::zeros(m, levels), Mat::zeros(m, m));
    let other = |j: usize| if j < block.start { j } else { j - levels };
    entries(
        x,
        w,
        slot_by_slot(x),
        &mut |i, j, v| match (block.contains(&i), block.contains(&j)) {
            (true, true) => d[i - block.start] = v,
            (true, false) => cross[(other(j), i - block.start)] = v,
            (false, true) => {}
            (false, false) => a[(other(i), other(j))] = v,
        },
    );
    BorderedGram::new(p, block, d, cross, a)
}

/// Every entry `(i, j)` of `X' diag(w) X` that is not structurally zero, given to `set` (both
/// `(i, j)` and `(j, i)`).
fn entries(x: &BlockDesign, w: &[f64], slots: bool, set: &mut impl FnMut(usize, usize, f64)) {
    assert_eq!(w.len(), x.nrows(), "sandwich: one weight per row");
    let views: Vec<Coded<'_>> = x.coded_spans().iter().map(|s| x.coded_view(s)).collect();
    let kd = x.dense_cols().len();
    let m = views.len();
    let lay = Layout::new(kd, &views);
    let valued = views.iter().any(|v| v.values.is_some());
    if slots {
        let total = tiles_by_slot(x, &views, &lay, w);
        return assemble(x, &views, &lay, &total, set);
    }
    let total = reduce_chunks(
        x.nrows(),
        lay.len,
        || Scratch::new(kd, m, valued),
        |scratch, rows, part| {
            let d = &mut scratch.d[..rows.len() * kd];
            let wd = &mut scratch.wd[..rows.len() * kd];
            dense_gram(x, w, d, wd, rows.clone(), &mut part[..kd * kd]);
            for start in rows.clone().step_by(CODED_TILE_ROWS).filter(|_| m > 0) {
                let tile = start..(start + CODED_TILE_ROWS).min(rows.end);
                let wd = &scratch.wd[(start - rows.start) * kd..(tile.end - rows.start) * kd];
                let slots = &mut scratch.slots[..tile.len() * m];
                for ((view, t), a) in views.iter().zip(&lay.blocks).zip(0..) {
                    let first = t.first as u32;
                    let codes = &view.codes[tile.clone()];
                    for (g, &c) in slots[a..].iter_mut().step_by(m).zip(codes) {
                        *g = first + c;
                    }
                }
                let wc = &w[tile.clone()];
                if valued {
                    let values = &mut scratch.values[..tile.len() * m];
                    for (view, a) in views.iter().zip(0..) {
                        let f = values[a..].iter_mut().step_by(m);
                        match view.values {
                            Some(v) => f.zip(&v[tile.clone()]).for_each(|(f, &v)| *f = v),
                            None => f.for_each(|f| *f = 1.0),
                        }
                    }
                    coded_rows::<true, 0>(&lay, slots, values, wc, wd, part);
                } else {
                    coded_rows_unvalued(&lay, slots, wc, wd, part);
                }
            }
        },
    );
    assemble(x, &views, &lay, &total, set)
}

/// [`coded_rows`] without values, compiled for each small number of dense columns `KD`, so a
/// row of `C' W D` is updated without a loop.
fn coded_rows_unvalued(lay: &Layout, slots: &[u32], w: &[f64], wd: &[f64], part: &mut [f64]) {
    macro_rules! by_width {
        ($($k:literal)*) => {
            match lay.kd {
                $($k => plain_rows::<$k>(lay, slots, w, wd, part),)*
                _ => coded_rows::<false, 0>(lay, slots, &[], w, wd, part),
            }
        };
    }
    by_width!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
}

/// The coded tiles of a few rows when every coded block is a plain categorical and there are
/// `KD` dense columns: first `C' W D` and the diagonals, then the two-way counts, each in a
/// loop of its own over the rows (each loop keeps fewer tables in cache than one doing both).
fn plain_rows<const KD: usize>(
    lay: &Layout,
    slots: &[u32],
    w: &[f64],
    wd: &[f64],
    part: &mut [f64],
) {
    let m = lay.blocks.len();
    let (head, pairs) = part.split_at_mut(lay.pairs);
    let (cross, diag) = head[lay.cross_dense..].split_at_mut(lay.n_slots * KD);
    for ((g, &wi), wdi) in slots.chunks_exact(m).zip(w).zip(wd.chunks_exact(KD)) {
        let wdi: &[f64; KD] = wdi.try_into().expect("a row of W D");
        for &ga in g {
            let ga = ga as usize;
            diag[ga] += wi;
            let row: &mut [f64; KD] = (&mut cross[ga * KD..(ga + 1) * KD])
                .try_into()
                .expect("a row of C' W D");
            for j in 0..KD {
                row[j] += wdi[j];
            }
        }
    }
    // The row of block `a`'s slot `sa` starts at `row0 + sa * width`; global slot `gb` of a
    // later block is at `gb - end` in it (`gb >= end`).
    for (g, &wi) in slots.chunks_exact(m).zip(w) {
        for (a, t) in lay.blocks.iter().enumerate() {
            let row = t.row0 + (g[a] as usize - t.first) * t.width;
            for &gb in &g[a + 1..] {
                pairs[row + gb as usize - t.end] += wi;
            }
        }
    }
}

/// Adds the coded tiles of a few rows to the chunk's partial. `slots` and `values` have one
/// row of `m` entries per row, `wd` one of `kd`; `values` is read only when `VALUED`. `KD` is
/// the number of dense columns when known at compile time, 0 otherwise.
fn coded_rows<const VALUED: bool, const KD: usize>(
    lay: &Layout,
    slots: &[u32],
    values: &[f64],
    w: &[f64],
    wd: &[f64],
    part: &mut [f64],
) {
    let (kd, m) = (if KD > 0 { KD } else { lay.kd }, lay.blocks.len());
    let (head, pairs) = part.split_at_mut(lay.pairs);
    let (cross, diag) = head[lay.cross_dense..].split_at_mut(lay.n_slots * kd);
    for (i, (g, &wi)) in slots.chunks_exact(m).zip(w).enumerate() {
        let wdi = &wd[i * kd..(i + 1) * kd];
        let f = if VALUED {
            &values[i * m..(i + 1) * m]
        } else {
            &[][..]
        };
        for (a, t) in lay.blocks.iter().enumerate() {
            let ga = g[a] as usize;
            let row = &mut pairs[t.row0 + (ga - t.first) * t.width..][..t.width];
            let cross_row = &mut cross[ga * kd..(ga + 1) * kd];
            if VALUED {
                let wa = wi * f[a];
                diag[ga] += wa * f[a];
                for (c, &x) in cross_row.iter_mut().zip(wdi) {
                    *c += f[a] * x;
                }
                for (&gb, &fb) in g[a + 1..].iter().zip(&f[a + 1..]) {
                    row[gb as usize - t.end] += wa * fb;
                }
            } else {
                diag[ga] += wi;
                for (c, &x) in cross_row.iter_mut().zip(wdi) {
                    *c += x;
                }
                for &gb in &g[a + 1..] {
                    row[gb as usize - t.end] += wi;
                }
            }
        }
    }
}

/// Gives the summed tiles to `set` by design column, dropping the slots that are not
/// columns.
fn assemble(
    x: &BlockDesign,
    views: &[Coded<'_>],
    lay: &Layout,
    total: &[f64],
    set: &mut impl FnMut(usize, usize, f64),
) {
    let kd = lay.kd;
    let dense_cols = x.dense_cols();
    // Symmetrize the dense tile exactly so factorizations see a symmetric matrix.
    for (r, &gr) in dense_cols.iter().enumerate() {
        for (c, &gc) in dense_cols.iter().enumerate() {
            set(gr, gc, 0.5 * (total[r + c * kd] + total[c + r * kd]));
        }
    }
    let spans = x.coded_spans();
    let pairs = &total[lay.pairs..];
    for (a, (view, span)) in views.iter().zip(spans).enumerate() {
        for sa in view.skip..view.n_slots {
            let ca = span.col + sa - view.skip;
            let ga = lay.blocks[a].first + sa;
            set(ca, ca, total[lay.diag + ga]);
            let cross = &total[lay.cross_dense + ga * kd..lay.cross_dense + (ga + 1) * kd];
            for (&cd, &t) in dense_cols.iter().zip(cross) {
                set(ca, cd, t);
                set(cd, ca, t);
            }
            for (b, (other, span_b)) in views.iter().zip(spans).enumerate().skip(a + 1) {
                for sb in other.skip..other.n_slots {
                    let t = pairs[lay.pair(a, sa, lay.blocks[b].first + sb)];
                    let cb = span_b.col + sb - other.skip;
                    set(ca, cb, t);
                    set(cb, ca, t);
                }
            }
        }
    }
}
