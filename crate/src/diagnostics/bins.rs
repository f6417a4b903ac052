//! Equal-weight bins of a sort key, ties kept together (the rule is in the module docs of
//! [`crate::diagnostics`]), and per-bin sums.

/// Rows sorted by key (ties by row), rows with zero weight left out, grouped by equal key:
/// each group is a range into the returned order.
pub(crate) struct TieGroups {
    /// Row indices with positive weight, sorted by key then row.
    pub order: Vec<usize>,
    /// Half-open ranges into `order`, one per distinct key, ascending.
    pub groups: Vec<(usize, usize)>,
}

impl TieGroups {
    /// Groups the rows with positive weight by their key.
    pub fn new(key: &[f64], weight: &[f64]) -> TieGroups {
        let mut order: Vec<usize> = (0..key.len()).filter(|&i| weight[i] > 0.0).collect();
        order.sort_by(|&a, &b| key[a].total_cmp(&key[b]).then(a.cmp(&b)));
        let mut groups = Vec::new();
        let mut start = 0;
        for k in 1..=order.len() {
            if k == order.len() || !same_key(key[order[k]], key[order[start]]) {
                groups.push((start, k));
                start = k;
            }
        }
        TieGroups { order, groups }
    }
}

/// Relative difference below which two keys are tied. Keys are often rates computed as
/// expected / exposure, which carry a few ulps of rounding: equal predictions must not be
/// ordered by that noise (an intercept-only model would otherwise get a Gini index from it).
const TIE_TOLERANCE: f64 = 1e-10;

/// Whether two keys are tied (equal up to [`TIE_TOLERANCE`] relative to the larger).
fn same_key(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= TIE_TOLERANCE * a.abs().max(b.abs())
}

/// The bin (0-based, `< bins`) of each row; `None` for rows with zero weight.
pub(crate) fn equal_weight_bins(key: &[f64], weight: &[f64], bins: usize) -> Vec<Option<usize>> {
    let tg = TieGroups::new(key, weight);
    let total: f64 = tg.order.iter().map(|&i| weight[i]).sum();
    let mut out = vec![None; key.len()];
    let mut before = 0.0;
    for &(a, b) in &tg.groups {
        let rows = &tg.order[a..b];
        let g: f64 = rows.iter().map(|&i| weight[i]).sum();
        let mid = (before + g / 2.0) / total;
        let bin = ((mid * bins as f64).floor() as usize).min(bins - 1);
        for &i in rows {
            out[i] = Some(bin);
        }
        before += g;
    }
    out
}

/// Per-bin sums of several columns, and the smallest and largest key in each bin.
pub(crate) struct BinSums {
    /// `sums[b][c]`: the sum of column `c` over the rows of bin `b`.
    pub sums: Vec<Vec<f64>>,
    /// The range of the key in each bin (`(inf, -inf)` for an empty bin).
    pub range: Vec<(f64, f64)>,
    /// Rows in each bin.
    pub count: Vec<usize>,
}

impl BinSums {
    /// Sums `columns` by the bins of `assign`.
    pub fn new(assign: &[Option<usize>], bins: usize, key: &[f64], columns: &[&[f64]]) -> Self {
        let mut sums = vec![vec![0.0; columns.len()]; bins];
        let mut range = vec![(f64::INFINITY, f64::NEG_INFINITY); bins];
        let mut count = vec![0; bins];
        for (i, bin) in assign.iter().enumerate() {
            let Some(b) = *bin else { continue };
            for (s, col) in sums[b].iter_mut().zip(columns) {
                *s += col[i];
            }
            range[b] = (range[b].0.min(key[i]), range[b].1.max(key[i]));
            count[b] += 1;
        }
        BinSums { sums, range, count }
    }

    /// The bins that received rows, in order.
    pub fn occupied(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.count.len()).filter(|&b| self.count[b] > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_weights_split_evenly() {
        let key: Vec<f64> = (0..10).map(|i| (9 - i) as f64).collect();
        let w = vec![1.0; 10];
        let b = equal_weight_bins(&key, &w, 5);
        // key 0 and 1 (rows 9, 8) in bin 0, ..., key 8 and 9 (rows 1, 0) in bin 4.
        assert_eq!(b[9], Some(0));
        assert_eq!(b[8], Some(0));
        assert_eq!(b[0], Some(4));
        let counts = (0..5).map(|k| b.iter().filter(|x| **x == Some(k)).count());
        assert!(counts.into_iter().all(|c| c == 2));
    }

    #[test]
    fn ties_share_a_bin_whatever_the_row_order() {
        let key = [1.0, 2.0, 2.0, 2.0, 3.0, 2.0];
        let w = [1.0; 6];
        let b = equal_weight_bins(&key, &w, 3);
        assert!(b[1] == b[2] && b[2] == b[3] && b[3] == b[5]);
        let rev_key: Vec<f64> = key.iter().rev().copied().collect();
        let rb = equal_weight_bins(&rev_key, &w, 3);
        let mut back = rb.clone();
        back.reverse();
        assert_eq!(b, back);
    }

    #[test]
    fn zero_weight_rows_are_left_out() {
        let b = equal_weight_bins(&[1.0, 2.0, 3.0], &[1.0, 0.0, 1.0], 2);
        assert_eq!(b, vec![Some(0), None, Some(1)]);
        let s = BinSums::new(&b, 2, &[1.0, 2.0, 3.0], &[&[5.0, 6.0, 7.0]]);
        assert_eq!(s.sums, vec![vec![5.0], vec![7.0]]);
        assert_eq!(s.occupied().collect::<Vec<_>>(), vec![0, 1]);
    }
}

#[cfg(test)]
mod tie_tests {
    use super::*;

    #[test]
    fn keys_equal_up_to_rounding_are_one_group() {
        let x = 0.1_f64;
        // Rates as expected / exposure: equal in exact arithmetic, a few ulps apart here.
        let key = [x * 3.0 / 3.0, (x * 7.0) / 7.0, x + 1e-17, 0.2];
        let tg = TieGroups::new(&key, &[1.0; 4]);
        assert_eq!(tg.groups, vec![(0, 3), (3, 4)]);
    }

    #[test]
    fn distinct_keys_stay_apart() {
        let tg = TieGroups::new(&[1.0, 1.0 + 1e-8, 1.0 + 2e-8], &[1.0; 3]);
        assert_eq!(tg.groups.len(), 3);
    }
}
