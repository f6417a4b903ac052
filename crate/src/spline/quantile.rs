//! Knot placement at sample quantiles, as `bs()` and `ns()` do it in R.

/// The probabilities of `m` interior knots: `seq(0, 1, length.out = m + 2)` without its two
/// ends. R builds that sequence as `i * (1 / (m + 1))`, and so does this function, so the
/// probabilities agree with R bit for bit.
pub(crate) fn inner_probs(m: usize) -> Vec<f64> {
    let step = 1.0 / (m as f64 + 1.0);
    (1..=m).map(|i| i as f64 * step).collect()
}

/// Sample quantiles of type 7 (R's default; Hyndman and Fan 1996): for probability `p` and
/// `n` sorted values, the position is `h = 1 + (n - 1) p` (one-based), and the quantile
/// interpolates linearly between the order statistics at `floor(h)` and `ceil(h)`.
///
/// The interpolation is written as `(1 - w) * lo + w * hi` and skipped when both order
/// statistics are equal, which is how R evaluates it (so tied values give the tied value
/// exactly).
///
/// `sorted` must be non-empty and in ascending order.
pub(crate) fn quantiles_type7(sorted: &[f64], probs: &[f64]) -> Vec<f64> {
    let n = sorted.len();
    probs
        .iter()
        .map(|&p| {
            let pos = 1.0 + (n as f64 - 1.0) * p.clamp(0.0, 1.0);
            let below = pos.floor();
            let above = pos.ceil();
            let q_lo = sorted[below as usize - 1];
            let q_hi = sorted[above as usize - 1];
            if pos > below && q_hi != q_lo {
                let w = pos - below;
                (1.0 - w) * q_lo + w * q_hi
            } else {
                q_lo
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_matches_hand_computation() {
        let v = [1.0, 2.0, 4.0, 8.0];
        // positions 1 + 3p: p = 1/3 -> 2 (exact), p = 0.5 -> 2.5, p = 1 -> 4
        let q = quantiles_type7(&v, &[0.0, 1.0 / 3.0, 0.5, 1.0]);
        assert_eq!(q[0], 1.0);
        assert!((q[1] - 2.0).abs() < 1e-15);
        assert_eq!(q[2], 3.0);
        assert_eq!(q[3], 8.0);
        assert_eq!(quantiles_type7(&[5.0], &[0.3]), vec![5.0]);
    }

    #[test]
    fn probs_are_interior() {
        assert_eq!(inner_probs(0), Vec::<f64>::new());
        assert_eq!(inner_probs(1), vec![0.5]);
        assert_eq!(inner_probs(3), vec![0.25, 0.5, 0.75]);
    }
}
