//! Scatter-add kernels: `table[slot(i)] += value(i)` over the rows of a chunk.
//!
//! A small table (a categorical's levels) is hit at the same place again and again, so an
//! update often has to wait for the store of a recent one. A small table is therefore
//! accumulated in [`LANES`] interleaved copies: row `i` goes to copy `i % LANES`, which keeps
//! consecutive updates on distinct addresses, and the copies are added in a fixed order at
//! the end (so the result is still independent of the thread count).

/// Number of interleaved copies of a small table.
pub(crate) const LANES: usize = 4;

/// Tables up to this many entries use the interleaved copies; larger ones are hit rarely
/// at the same place and are updated directly (the copies would cost more to clear).
pub(crate) const SMALL_TABLE: usize = 1024;

/// Scratch needed by [`scatter`] for tables up to [`SMALL_TABLE`].
pub(crate) const SPARE_LEN: usize = LANES * SMALL_TABLE;

/// Adds the copies into `table` in a fixed order.
fn fold_lanes(table: &mut [f64], lanes: &[f64]) {
    let size = table.len();
    let (l0, rest) = lanes.split_at(size);
    let (l1, rest) = rest.split_at(size);
    let (l2, l3) = rest.split_at(size);
    for ((((t, a), b), c), d) in table.iter_mut().zip(l0).zip(l1).zip(l2).zip(&l3[..size]) {
        *t += (a + b) + (c + d);
    }
}

/// `table[slot(i)] += value(i)` for `i` in `0..n`. `slot(i)` must be `< table.len()`;
/// `spare` holds at least `LANES * table.len()` values for a table up to [`SMALL_TABLE`] entries
/// ([`SPARE_LEN`] serves any table; its content is overwritten).
#[inline(always)]
pub(crate) fn scatter(
    table: &mut [f64],
    spare: &mut [f64],
    n: usize,
    slot: impl Fn(usize) -> usize,
    value: impl Fn(usize) -> f64,
) {
    let size = table.len();
    if size > SMALL_TABLE {
        for i in 0..n {
            table[slot(i)] += value(i);
        }
        return;
    }
    let lanes = &mut spare[..LANES * size];
    lanes.fill(0.0);
    let (l0, rest) = lanes.split_at_mut(size);
    let (l1, rest) = rest.split_at_mut(size);
    let (l2, l3) = rest.split_at_mut(size);
    let whole = n - n % LANES;
    for i in (0..whole).step_by(LANES) {
        l0[slot(i)] += value(i);
        l1[slot(i + 1)] += value(i + 1);
        l2[slot(i + 2)] += value(i + 2);
        l3[slot(i + 3)] += value(i + 3);
    }
    for i in whole..n {
        l0[slot(i)] += value(i);
    }
    fold_lanes(table, &spare[..LANES * size]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scatter_matches_a_plain_loop() {
        let mut spare = vec![f64::NAN; SPARE_LEN];
        for (size, n) in [(3, 10), (7, 4097), (SMALL_TABLE + 1, 50)] {
            let slot = |i: usize| (i * 31 + i / 3) % size;
            let value = |i: usize| 1.0 / (i + 1) as f64;
            let mut want = vec![0.5; size];
            for i in 0..n {
                want[slot(i)] += value(i);
            }
            let mut got = vec![0.5; size];
            scatter(&mut got, &mut spare, n, slot, value);
            for (g, w) in got.iter().zip(&want) {
                assert!((g - w).abs() < 1e-13, "{g} vs {w}");
            }
        }
    }
}
