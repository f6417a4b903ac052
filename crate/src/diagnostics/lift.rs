//! Lift (bins of the predicted rate) and double lift (bins of the ratio of two models'
//! predictions), bins of equal exposure.

use super::bins::{equal_weight_bins, BinSums};
use super::{check_bins, check_rows, check_weights};
use crate::error::{Error, Result};

/// One bin of a lift table.
#[derive(Debug, Clone, PartialEq)]
pub struct LiftBin {
    /// Bin number (1 = lowest predicted rate).
    pub bin: usize,
    /// Lowest predicted rate in the bin.
    pub rate_low: f64,
    /// Highest predicted rate in the bin.
    pub rate_high: f64,
    /// Total exposure.
    pub exposure: f64,
    /// Total actual.
    pub actual: f64,
    /// Total expected.
    pub expected: f64,
    /// `actual / exposure`.
    pub actual_rate: f64,
    /// `expected / exposure`.
    pub expected_rate: f64,
    /// The actual rate over the overall actual rate (1 = average).
    pub actual_relative: f64,
    /// The expected rate over the overall expected rate (1 = average).
    pub expected_relative: f64,
}

/// A lift table: rows sorted by the predicted rate `expected / exposure` into bins of equal
/// exposure (ties kept together, see [`crate::diagnostics`]). A model that separates risks
/// well has actual rates rising steeply from the first bin to the last.
#[derive(Debug, Clone, PartialEq)]
pub struct Lift {
    /// The bins, lowest predicted rate first.
    pub bins: Vec<LiftBin>,
    /// Overall actual rate (total actual / total exposure).
    pub actual_rate: f64,
    /// Overall expected rate.
    pub expected_rate: f64,
}

impl Lift {
    /// The actual rate of the top bin over that of the bottom bin (the "lift"); NaN with one
    /// bin.
    pub fn top_to_bottom(&self) -> f64 {
        match (self.bins.first(), self.bins.last()) {
            (Some(a), Some(b)) if self.bins.len() > 1 => b.actual_rate / a.actual_rate,
            _ => f64::NAN,
        }
    }
}

fn check_lift_inputs(
    actual: &[f64],
    expected: &[f64],
    exposure: &[f64],
    bins: usize,
) -> Result<()> {
    check_rows(&[
        ("actual", actual),
        ("expected", expected),
        ("exposure", exposure),
    ])?;
    check_weights("exposure", exposure)?;
    check_bins(bins)
}

/// The lift table of `bins` equal-exposure bins.
///
/// ```
/// use rustystats::diagnostics::lift;
///
/// let expected = [0.1, 0.2, 0.3, 0.4];
/// let l = lift(&[0.0, 0.0, 1.0, 1.0], &expected, &[1.0; 4], 2).unwrap();
/// assert_eq!(l.bins.len(), 2);
/// assert_eq!(l.bins[1].actual, 2.0);
/// assert!((l.bins[1].expected_relative - 0.7 / 0.5).abs() < 1e-12);
/// ```
pub fn lift(actual: &[f64], expected: &[f64], exposure: &[f64], bins: usize) -> Result<Lift> {
    check_lift_inputs(actual, expected, exposure, bins)?;
    let rate: Vec<f64> = expected
        .iter()
        .zip(exposure)
        .map(|(e, x)| if *x > 0.0 { e / x } else { 0.0 })
        .collect();
    let assign = equal_weight_bins(&rate, exposure, bins);
    let s = BinSums::new(&assign, bins, &rate, &[exposure, actual, expected]);
    let (tx, ta, te) = totals(&s);
    let (ra, re) = (ta / tx, te / tx);
    let out = s
        .occupied()
        .map(|b| {
            let [x, a, e] = [s.sums[b][0], s.sums[b][1], s.sums[b][2]];
            LiftBin {
                bin: b + 1,
                rate_low: s.range[b].0,
                rate_high: s.range[b].1,
                exposure: x,
                actual: a,
                expected: e,
                actual_rate: a / x,
                expected_rate: e / x,
                actual_relative: a / x / ra,
                expected_relative: e / x / re,
            }
        })
        .collect();
    Ok(Lift {
        bins: out,
        actual_rate: ra,
        expected_rate: re,
    })
}

/// Column totals over the rows that were binned.
fn totals(s: &BinSums) -> (f64, f64, f64) {
    s.sums.iter().fold((0.0, 0.0, 0.0), |t, r| {
        (
            t.0 + r[0],
            t.1 + r[1],
            t.2 + r.get(2).copied().unwrap_or(0.0),
        )
    })
}

/// One bin of a double-lift table.
#[derive(Debug, Clone, PartialEq)]
pub struct DoubleLiftBin {
    /// Bin number (1 = where model A predicts least relative to model B).
    pub bin: usize,
    /// Lowest ratio `expected_a / expected_b` in the bin.
    pub ratio_low: f64,
    /// Highest ratio in the bin.
    pub ratio_high: f64,
    /// Total exposure.
    pub exposure: f64,
    /// Total actual.
    pub actual: f64,
    /// Model A's expected total.
    pub expected_a: f64,
    /// Model B's expected total.
    pub expected_b: f64,
    /// Actual rate over the overall actual rate.
    pub actual_relative: f64,
    /// Model A's rate over its overall rate.
    pub a_relative: f64,
    /// Model B's rate over its overall rate.
    pub b_relative: f64,
}

/// A double-lift table: rows sorted by `expected_a / expected_b` into bins of equal exposure.
/// Where the models disagree most (the end bins), the actual rate follows the better model.
#[derive(Debug, Clone, PartialEq)]
pub struct DoubleLift {
    /// Model A's name.
    pub name_a: String,
    /// Model B's name.
    pub name_b: String,
    /// The bins.
    pub bins: Vec<DoubleLiftBin>,
}

/// The double-lift table of two models' expected values on the same rows.
///
/// ```
/// use rustystats::diagnostics::double_lift;
///
/// let a = [1.0, 2.0, 3.0, 4.0];
/// let b = [2.5; 4];
/// let d = double_lift("new", "old", &[1.0, 2.0, 3.0, 4.0], &a, &b, &[1.0; 4], 2).unwrap();
/// assert!(d.bins[1].actual_relative > d.bins[0].actual_relative);
/// assert_eq!(d.bins[0].b_relative, 1.0);
/// ```
pub fn double_lift(
    name_a: &str,
    name_b: &str,
    actual: &[f64],
    expected_a: &[f64],
    expected_b: &[f64],
    exposure: &[f64],
    bins: usize,
) -> Result<DoubleLift> {
    check_lift_inputs(actual, expected_a, exposure, bins)?;
    check_rows(&[("expected_a", expected_a), ("expected_b", expected_b)])?;
    if let Some(i) = expected_b.iter().position(|&v| v <= 0.0) {
        return Err(Error::data(
            Some("expected_b"),
            Some(i),
            format!(
                "model B's prediction must be positive to form a ratio, found {}",
                expected_b[i]
            ),
        ));
    }
    let ratio: Vec<f64> = expected_a
        .iter()
        .zip(expected_b)
        .map(|(a, b)| a / b)
        .collect();
    let assign = equal_weight_bins(&ratio, exposure, bins);
    let s = BinSums::new(
        &assign,
        bins,
        &ratio,
        &[exposure, actual, expected_a, expected_b],
    );
    let tot: Vec<f64> = (0..4).map(|c| s.sums.iter().map(|r| r[c]).sum()).collect();
    let rel = |b: usize, c: usize| s.sums[b][c] / s.sums[b][0] / (tot[c] / tot[0]);
    let out = s
        .occupied()
        .map(|b| DoubleLiftBin {
            bin: b + 1,
            ratio_low: s.range[b].0,
            ratio_high: s.range[b].1,
            exposure: s.sums[b][0],
            actual: s.sums[b][1],
            expected_a: s.sums[b][2],
            expected_b: s.sums[b][3],
            actual_relative: rel(b, 1),
            a_relative: rel(b, 2),
            b_relative: rel(b, 3),
        })
        .collect();
    Ok(DoubleLift {
        name_a: name_a.to_string(),
        name_b: name_b.to_string(),
        bins: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lift_totals_and_monotone_expected() {
        let n = 200;
        let exposure: Vec<f64> = (0..n).map(|i| 0.5 + (i % 7) as f64 / 7.0).collect();
        let rate: Vec<f64> = (0..n)
            .map(|i| 0.05 + ((i * 53) % n) as f64 / 1000.0)
            .collect();
        let expected: Vec<f64> = rate.iter().zip(&exposure).map(|(r, x)| r * x).collect();
        let actual: Vec<f64> = (0..n).map(|i| (i % 3) as f64 * 0.1).collect();
        let l = lift(&actual, &expected, &exposure, 10).unwrap();
        assert_eq!(l.bins.len(), 10);
        let sum = |f: fn(&LiftBin) -> f64| l.bins.iter().map(f).sum::<f64>();
        assert!((sum(|b| b.exposure) - exposure.iter().sum::<f64>()).abs() < 1e-9);
        assert!((sum(|b| b.actual) - actual.iter().sum::<f64>()).abs() < 1e-9);
        assert!(l
            .bins
            .windows(2)
            .all(|w| w[0].expected_rate < w[1].expected_rate));
        assert!(l.bins.windows(2).all(|w| w[0].rate_high <= w[1].rate_low));
        // Exposure-weighted mean of the relative expected rate is 1.
        let m = sum(|b| b.expected_relative * b.exposure) / sum(|b| b.exposure);
        assert!((m - 1.0).abs() < 1e-12);
    }

    #[test]
    fn all_tied_predictions_make_one_bin() {
        let l = lift(&[1.0, 0.0, 2.0], &[1.0; 3], &[1.0; 3], 5).unwrap();
        assert_eq!(l.bins.len(), 1);
        assert_eq!(l.bins[0].bin, 3);
        assert!(l.top_to_bottom().is_nan());
    }

    #[test]
    fn double_lift_rejects_nonpositive_b_and_bad_lengths() {
        let e = double_lift("a", "b", &[1.0; 2], &[1.0; 2], &[1.0, 0.0], &[1.0; 2], 2).unwrap_err();
        assert!(e.to_string().contains("expected_b"));
        assert!(double_lift("a", "b", &[1.0; 2], &[1.0; 2], &[1.0], &[1.0; 2], 2).is_err());
        assert!(lift(&[], &[], &[], 3).is_err());
    }
}
