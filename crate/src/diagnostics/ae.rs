//! Actual versus expected: one-way tables by the levels of a variable, and calibration by
//! bins of the prediction.

use super::bins::{equal_weight_bins, BinSums};
use super::{check_bins, check_rows, check_weights, z_value};
use crate::error::{Error, Result};

/// One level of a one-way table.
#[derive(Debug, Clone, PartialEq)]
pub struct AeRow {
    /// The level (or bin label).
    pub level: String,
    /// Total exposure.
    pub exposure: f64,
    /// Total actual.
    pub actual: f64,
    /// Total expected.
    pub expected: f64,
    /// `actual / exposure` (NaN for zero exposure).
    pub actual_rate: f64,
    /// `expected / exposure` (NaN for zero exposure).
    pub expected_rate: f64,
    /// `actual / expected`.
    pub ae_ratio: f64,
    /// Lower end of the interval for A/E (floored at 0).
    pub ae_low: f64,
    /// Upper end of the interval for A/E.
    pub ae_high: f64,
}

/// Actual versus expected by the levels of one variable (the actuaries' one-way table).
///
/// The interval for A/E treats the level's actual total `A` as Poisson-like with its variance
/// estimated by the expected total `E` (what the model says it should be): `A/E ± z·√E / E`,
/// `z` the normal quantile of the level, the lower end floored at 0. A level whose interval
/// misses 1 is one the model does not fit. For over-dispersed data the interval is too narrow
/// by `√dispersion`.
#[derive(Debug, Clone, PartialEq)]
pub struct OneWay {
    /// The variable's name.
    pub variable: String,
    /// One row per level, in level order.
    pub rows: Vec<AeRow>,
    /// Confidence level of the A/E intervals.
    pub conf_level: f64,
}

/// Sorted distinct labels and each row's code into them (numbers sort numerically, other
/// text lexically), the level order of [`one_way_labels`].
///
/// ```
/// let labels: Vec<String> = ["10", "9", "10"].iter().map(|s| s.to_string()).collect();
/// let (codes, levels) = rustystats::diagnostics::codes_from_labels(&labels);
/// assert_eq!(levels, ["9", "10"]);
/// assert_eq!(codes, [1, 0, 1]);
/// ```
pub fn codes_from_labels(labels: &[String]) -> (Vec<usize>, Vec<String>) {
    let mut levels: Vec<String> = labels.to_vec();
    let numeric = levels.iter().all(|l| l.trim().parse::<f64>().is_ok());
    if numeric {
        levels.sort_by(|a, b| {
            let (x, y): (f64, f64) = (
                a.trim().parse().unwrap_or(0.0),
                b.trim().parse().unwrap_or(0.0),
            );
            x.total_cmp(&y)
        });
    } else {
        levels.sort();
    }
    levels.dedup();
    let index: std::collections::HashMap<&str, usize> = levels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    let codes = labels.iter().map(|l| index[l.as_str()]).collect();
    (codes, levels)
}

/// A one-way table from per-row labels; levels are sorted (numbers numerically).
///
/// ```
/// use rustystats::diagnostics::one_way_labels;
///
/// let labels: Vec<String> = ["a", "b", "a", "b"].iter().map(|s| s.to_string()).collect();
/// let t = one_way_labels("area", &labels, &[2.0, 1.0, 3.0, 1.0], &[2.5, 1.0, 2.5, 1.0],
///     &[1.0, 1.0, 1.0, 1.0], 0.95).unwrap();
/// assert_eq!(t.rows[0].level, "a");
/// assert_eq!(t.rows[0].ae_ratio, 1.0);
/// assert_eq!(t.rows[1].actual_rate, 1.0);
/// ```
pub fn one_way_labels(
    variable: &str,
    labels: &[String],
    actual: &[f64],
    expected: &[f64],
    exposure: &[f64],
    conf_level: f64,
) -> Result<OneWay> {
    let (codes, levels) = codes_from_labels(labels);
    one_way(
        variable, &codes, &levels, actual, expected, exposure, conf_level,
    )
}

/// A one-way table from level codes (`codes[i]` indexes `levels`); every level is listed,
/// also one without rows (zero exposure: rates NaN).
pub fn one_way(
    variable: &str,
    codes: &[usize],
    levels: &[String],
    actual: &[f64],
    expected: &[f64],
    exposure: &[f64],
    conf_level: f64,
) -> Result<OneWay> {
    let n = check_rows(&[
        ("actual", actual),
        ("expected", expected),
        ("exposure", exposure),
    ])?;
    if codes.len() != n {
        return Err(Error::Shape {
            what: format!("the levels of `{variable}`"),
            expected: n,
            found: codes.len(),
        });
    }
    if let Some(i) = codes.iter().position(|&c| c >= levels.len()) {
        return Err(Error::data(
            Some(variable),
            Some(i),
            format!(
                "level code {} is out of range ({} levels)",
                codes[i],
                levels.len()
            ),
        ));
    }
    check_weights("exposure", exposure)?;
    let z = z_value(conf_level)?;
    let assign: Vec<Option<usize>> = codes.iter().map(|&c| Some(c)).collect();
    let key = vec![0.0; n];
    let s = BinSums::new(&assign, levels.len(), &key, &[exposure, actual, expected]);
    let rows = levels
        .iter()
        .zip(&s.sums)
        .map(|(level, t)| ae_row(level.clone(), t[0], t[1], t[2], z))
        .collect();
    Ok(OneWay {
        variable: variable.to_string(),
        rows,
        conf_level,
    })
}

/// A table row from totals, with the Poisson-like interval for A/E.
fn ae_row(level: String, exposure: f64, actual: f64, expected: f64, z: f64) -> AeRow {
    let half = z * expected.sqrt() / expected;
    let ae_ratio = actual / expected;
    AeRow {
        level,
        exposure,
        actual,
        expected,
        actual_rate: actual / exposure,
        expected_rate: expected / exposure,
        ae_ratio,
        ae_low: (ae_ratio - half).max(0.0),
        ae_high: ae_ratio + half,
    }
}

/// One bin of a calibration table.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationBin {
    /// Bin number (1 = lowest predictions).
    pub bin: usize,
    /// Rows in the bin.
    pub count: usize,
    /// Total weight.
    pub weight: f64,
    /// Weighted mean prediction.
    pub mean_predicted: f64,
    /// Weighted mean actual.
    pub mean_actual: f64,
    /// `mean_actual / mean_predicted`.
    pub ae_ratio: f64,
    /// Lower end of the interval for the mean actual.
    pub low: f64,
    /// Upper end of the interval for the mean actual.
    pub high: f64,
}

/// Calibration: bins of equal weight by the prediction, with the mean prediction against the
/// mean actual in each.
///
/// The interval is `mean_actual ± z·√(Σ wᵢ² vᵢ) / Σ wᵢ` with `vᵢ` the model's variance of row
/// `i` (for a GLM `φ·V(μᵢ)/wᵢ`): how far the mean actual may stray from the mean prediction by
/// chance if the model is right. A bin whose interval misses its mean prediction is
/// miscalibrated.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// The bins, lowest predictions first.
    pub bins: Vec<CalibrationBin>,
    /// Confidence level of the intervals.
    pub conf_level: f64,
}

/// Calibration of `predicted` against `actual` (both per unit weight, e.g. `μ` and `y`),
/// rows weighted by `weight`, with per-row variances `variance` of `actual`.
///
/// ```
/// use rustystats::diagnostics::calibration;
///
/// let pred = [0.1, 0.2, 0.3, 0.4];
/// let c = calibration(&pred, &[0.0, 0.0, 1.0, 0.0], &[1.0; 4], &[0.09, 0.16, 0.21, 0.24], 2, 0.95)
///     .unwrap();
/// assert_eq!(c.bins.len(), 2);
/// assert!((c.bins[0].mean_predicted - 0.15).abs() < 1e-12);
/// ```
pub fn calibration(
    predicted: &[f64],
    actual: &[f64],
    weight: &[f64],
    variance: &[f64],
    bins: usize,
    conf_level: f64,
) -> Result<Calibration> {
    check_rows(&[
        ("predicted", predicted),
        ("actual", actual),
        ("weight", weight),
        ("variance", variance),
    ])?;
    check_weights("weight", weight)?;
    check_bins(bins)?;
    let z = z_value(conf_level)?;
    let wp: Vec<f64> = predicted.iter().zip(weight).map(|(p, w)| p * w).collect();
    let wa: Vec<f64> = actual.iter().zip(weight).map(|(a, w)| a * w).collect();
    let wwv: Vec<f64> = variance
        .iter()
        .zip(weight)
        .map(|(v, w)| v * w * w)
        .collect();
    let assign = equal_weight_bins(predicted, weight, bins);
    let s = BinSums::new(&assign, bins, predicted, &[weight, &wp, &wa, &wwv]);
    let out = s
        .occupied()
        .map(|b| {
            let [w, p, a, v] = [s.sums[b][0], s.sums[b][1], s.sums[b][2], s.sums[b][3]];
            let (mp, ma) = (p / w, a / w);
            let half = z * v.max(0.0).sqrt() / w;
            CalibrationBin {
                bin: b + 1,
                count: s.count[b],
                weight: w,
                mean_predicted: mp,
                mean_actual: ma,
                ae_ratio: ma / mp,
                low: ma - half,
                high: ma + half,
            }
        })
        .collect();
    Ok(Calibration {
        bins: out,
        conf_level,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn one_way_totals_add_up_and_levels_sort_numerically() {
        let l = labels(&["10", "9", "10", "2"]);
        let t = one_way_labels("x", &l, &[1.0, 2.0, 3.0, 4.0], &[2.0; 4], &[1.0; 4], 0.95).unwrap();
        let names: Vec<&str> = t.rows.iter().map(|r| r.level.as_str()).collect();
        assert_eq!(names, ["2", "9", "10"]);
        assert_eq!(t.rows[2].actual, 4.0);
        assert_eq!(t.rows.iter().map(|r| r.expected).sum::<f64>(), 8.0);
        assert!(t
            .rows
            .iter()
            .all(|r| r.ae_low <= r.ae_ratio && r.ae_ratio <= r.ae_high));
    }

    #[test]
    fn zero_exposure_level_has_no_rate_but_no_panic() {
        let t = one_way(
            "g",
            &[0, 1],
            &labels(&["a", "b"]),
            &[1.0, 0.0],
            &[1.0, 0.5],
            &[1.0, 0.0],
            0.9,
        )
        .unwrap();
        assert!(t.rows[1].actual_rate.is_nan());
        assert_eq!(t.rows[1].ae_ratio, 0.0);
        let e = one_way(
            "g",
            &[0, 2],
            &labels(&["a", "b"]),
            &[1.0; 2],
            &[1.0; 2],
            &[1.0; 2],
            0.9,
        )
        .unwrap_err();
        assert!(e.to_string().contains("out of range"));
        let e = one_way_labels("g", &[], &[], &[], &[], 0.95).unwrap_err();
        assert!(e.to_string().contains("no rows"));
    }

    #[test]
    fn calibration_is_ordered_and_weights_sum() {
        let pred: Vec<f64> = (0..100).map(|i| ((i * 37) % 100) as f64 / 100.0).collect();
        let w: Vec<f64> = (0..100).map(|i| 1.0 + (i % 3) as f64).collect();
        let c = calibration(&pred, &pred, &w, &vec![0.1; 100], 10, 0.95).unwrap();
        assert!(c
            .bins
            .windows(2)
            .all(|b| b[0].mean_predicted < b[1].mean_predicted));
        let total: f64 = c.bins.iter().map(|b| b.weight).sum();
        assert!((total - w.iter().sum::<f64>()).abs() < 1e-9);
        assert!(c
            .bins
            .iter()
            .all(|b| (b.ae_ratio - 1.0).abs() < 1e-12 || b.mean_predicted == 0.0));
        assert!(calibration(&pred, &pred, &w, &[0.1], 10, 0.95).is_err());
    }
}
