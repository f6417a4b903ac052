//! An approximate `X' W X` from a fixed sample of rows, for the early IRLS iterations of large
//! fits (see [`IrlsOptions::sample_rows`](super::IrlsOptions::sample_rows)).
//!
//! Far from the optimum an IRLS step only has to point the right way; a Hessian from a
//! sample of `m` rows is off by about `1/sqrt(m)` per level and covariate, so a step with
//! the exact score and the sampled Hessian removes all but a few percent of the remaining
//! error, at a fraction of the cost of a full `X' W X`.

use faer::Mat;

use crate::design::{chunked_sum, Design};

/// The sample: its rows as a design of their own, and a buffer for their weights.
pub(crate) struct RowSample {
    x: Box<dyn Design>,
    rows: Vec<usize>,
    w: Vec<f64>,
}

/// The fewest rows, as a multiple of the sample size, for which a sample is worth it.
const MIN_RATIO: usize = 4;

/// Rows are drawn in runs of this many consecutive rows, about a cache line of a float
/// column: gathering the sample then reads the lines it uses, not the whole design. 4,096 runs of 8 rows estimate `X'WX` as
/// well as 32,768 single rows unless neighbouring rows are alike; even then the sample only
/// sets how fast the early iterations go, never the answer.
const RUN: usize = 8;

/// A fixed, well-mixed hash of the row number (SplitMix64's), so the sample does not follow any
/// period in the row order (as every `k`-th row would).
fn mix(i: u64) -> u64 {
    crate::stats::splitmix64(i)
}

impl RowSample {
    /// About `size` of the rows with a positive prior weight, or `None` when there are fewer
    /// than [`MIN_RATIO`] times that many rows or the design cannot be subset.
    pub(crate) fn new(x: &dyn Design, size: usize, weights: &[f64]) -> Option<Self> {
        let n = x.nrows();
        if size == 0 || n / size < MIN_RATIO {
            return None;
        }
        // A run of rows is in the sample when its hash is in the lowest `1 / stride` of the
        // range: a comparison, where a remainder would cost a division.
        let below = u64::MAX / (n / size) as u64;
        let rows: Vec<usize> = (0..n.div_ceil(RUN))
            .filter(|&r| mix(r as u64) <= below)
            .flat_map(|r| r * RUN..(r * RUN + RUN).min(n))
            .filter(|&i| weights[i] > 0.0)
            .collect();
        if rows.len() <= x.ncols() {
            return None;
        }
        let w = vec![0.0; rows.len()];
        Some(RowSample {
            x: x.select_rows(&rows)?,
            rows,
            w,
        })
    }

    /// `X' W X` of the sample, scaled by the total working weight over the sample's;
    /// `None` when the sample carries no weight.
    pub(crate) fn sandwich(&mut self, ww: &[f64]) -> Option<Mat<f64>> {
        for (o, &i) in self.w.iter_mut().zip(&self.rows) {
            *o = ww[i];
        }
        let part: f64 = self.w.iter().sum();
        let total = chunked_sum(ww.len(), |i| ww[i]);
        let scale = total / part;
        if !(scale.is_finite() && scale > 0.0) {
            return None;
        }
        let mut g = self.x.sandwich(&self.w);
        g *= faer::Scale(scale);
        Some(g)
    }
}
