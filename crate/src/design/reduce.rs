//! Deterministic parallel reductions over fixed row chunks, with bounded memory.

use std::ops::Range;

use rayon::prelude::*;

use super::{Design, CHUNK_ROWS};

/// At most this many `f64` of chunk partials are held at once (32 MiB); further chunks are
/// reduced in later waves. The wave size does not depend on the thread count.
const PARTIAL_BUDGET: usize = 1 << 22;

/// Entries of the running total summed by one task.
const ENTRIES_PER_TASK: usize = 1 << 14;

/// Sums `len`-long partial vectors, one per chunk of [`CHUNK_ROWS`] rows of `0..n`.
///
/// `f(scratch, rows, part)` fills `part` (zeroed beforehand) for the rows `rows`; `scratch`
/// comes from `init` and is reused across chunks run by the same task, so `f` must not
/// depend on what it holds. Every entry of the result is `((0 + p_0) + p_1) + ...` in chunk
/// order, exactly as [`super::sum_in_order`] does, whatever the number of threads.
pub(crate) fn reduce_chunks<S, I, F>(n: usize, len: usize, init: I, f: F) -> Vec<f64>
where
    I: Fn() -> S + Sync + Send,
    F: Fn(&mut S, Range<usize>, &mut [f64]) + Sync + Send,
{
    let mut total = vec![0.0; len];
    let n_chunks = n.div_ceil(CHUNK_ROWS);
    if len == 0 || n_chunks == 0 {
        return total;
    }
    let per_wave = (PARTIAL_BUDGET / len).clamp(1, n_chunks);
    let mut parts = vec![0.0; per_wave * len];
    let mut first = 0;
    while first < n_chunks {
        let wave = per_wave.min(n_chunks - first);
        parts[..wave * len]
            .par_chunks_mut(len)
            .enumerate()
            .for_each_init(&init, |scratch, (k, part)| {
                let start = (first + k) * CHUNK_ROWS;
                part.fill(0.0);
                f(scratch, start..(start + CHUNK_ROWS).min(n), part);
            });
        let parts = &parts[..wave * len];
        total
            .par_chunks_mut(ENTRIES_PER_TASK)
            .enumerate()
            .for_each(|(e, t)| {
                let offset = e * ENTRIES_PER_TASK;
                for part in parts.chunks_exact(len) {
                    for (t, p) in t.iter_mut().zip(&part[offset..]) {
                        *t += p;
                    }
                }
            });
        first += wave;
    }
    total
}

/// Deterministic parallel sum of `f(i)` over `0..n` (fixed chunks, summed in order).
pub(crate) fn chunked_sum(n: usize, f: impl Fn(usize) -> f64 + Sync) -> f64 {
    let n_chunks = n.div_ceil(CHUNK_ROWS);
    let parts: Vec<f64> = (0..n_chunks)
        .into_par_iter()
        .map(|c| {
            let start = c * CHUNK_ROWS;
            let end = (start + CHUNK_ROWS).min(n);
            (start..end).map(&f).sum()
        })
        .collect();
    parts.iter().sum()
}

/// Each column's weighted mean and standard deviation, with the weights `w` normalized to sum
/// to 1 (glmnet's convention: divisor `sum w`, not `sum w - 1`); about the mean when `center`,
/// about 0 otherwise. Two passes over the rows (the mean, then the squares about it), so a
/// column far from 0 keeps its digits.
pub(crate) fn column_moments(x: &dyn Design, w: &[f64], center: bool) -> (Vec<f64>, Vec<f64>) {
    let (n, p) = (x.nrows(), x.ncols());
    let total = chunked_sum(n, |i| w[i]);
    let mean = if center {
        let mut xtw = vec![0.0; p];
        x.transpose_matvec(w, &mut xtw);
        xtw.iter().map(|s| s / total).collect()
    } else {
        vec![0.0; p]
    };
    let squares = x.weighted_squares(w, &mean);
    let sd = squares.iter().map(|s| (s / total).sqrt()).collect();
    (mean, sd)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::sum_in_order;

    #[test]
    fn matches_sum_in_order_bitwise() {
        let n = 3 * CHUNK_ROWS + 17;
        let x: Vec<f64> = (0..n).map(|i| ((i * 7919) % 1000) as f64 / 7.0).collect();
        let len = 3;
        let part = |r: Range<usize>, p: &mut [f64]| {
            for i in r {
                p[i % len] += x[i];
            }
        };
        let got = reduce_chunks(n, len, || (), |_, r, p| part(r, p));
        let parts: Vec<Vec<f64>> = (0..n.div_ceil(CHUNK_ROWS))
            .map(|c| {
                let mut p = vec![0.0; len];
                part(c * CHUNK_ROWS..((c + 1) * CHUNK_ROWS).min(n), &mut p);
                p
            })
            .collect();
        let want = sum_in_order(parts, len);
        assert_eq!(got, want);
    }

    #[test]
    fn column_moments_use_the_weight_sum_as_divisor() {
        let x = crate::design::DenseDesign::from_columns(
            vec!["a".into(), "b".into()],
            vec![
                vec![1.0, 2.0, 3.0, 4.0],
                vec![1e8, 1e8 + 1.0, 1e8, 1e8 + 1.0],
            ],
        )
        .unwrap();
        let w = [1.0, 1.0, 2.0, 0.0];
        let (mean, sd) = column_moments(&x, &w, true);
        // a: mean (1 + 2 + 6) / 4 = 2.25, variance (1.5625 + 0.0625 + 2 * 0.5625) / 4.
        assert!((mean[0] - 2.25).abs() < 1e-15);
        assert!((sd[0] - (2.75f64 / 4.0).sqrt()).abs() < 1e-15);
        // b: far from 0, mean 1e8 + 0.25, variance 3 / 16.
        assert!((sd[1] - (3.0f64 / 16.0).sqrt()).abs() < 1e-9);
        let (zero, raw) = column_moments(&x, &w, false);
        assert_eq!(zero, [0.0, 0.0]);
        assert!((raw[0] - (23.0f64 / 4.0).sqrt()).abs() < 1e-15);
    }
}
