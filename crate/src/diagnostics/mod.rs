//! Model diagnostics on plain slices: residuals (R's `residuals.glm`), one-way actual versus
//! expected, lift and double lift, the ordered Lorenz curve and Gini, calibration, and normal
//! QQ points.
//!
//! This is the math core: no DataFrame and no chart. Inputs are per-row slices; results are
//! plain structs. The presentation layer shows every result as a table (`table()`, `Display`, and
//! in a notebook `evcxr_display`); with the `plot` feature it also draws itself (`figure()`).
//! The frame layer (`GlmModel::one_way`, `lift`, ...) fills the slices from a DataFrame.
//!
//! # Conventions
//! * **Actual, expected, exposure.** `actual` is the observed total of a row (claims, or
//!   `y * prior weight`), `expected` the model's prediction of it (`mu * prior weight`), and
//!   `exposure` what rates are per (policy years; 1 per row when there is none). Rates are
//!   `actual / exposure` and `expected / exposure`.
//! * **Equal-weight bins** (lift, double lift, calibration). Rows with a positive weight are
//!   sorted by the key (the predicted rate, a ratio of predictions, or the prediction); rows
//!   with *equal* keys (equal up to a relative 1e-10, so rounding in `expected / exposure`
//!   does not order equal predictions) form one group and always share a bin, so the result
//!   does not depend on the row order. A group whose weight runs from `c` to `c + g` (cumulative, total `W`) goes
//!   to bin `floor(B * (c + g/2) / W)` (0-based, at most `B - 1`). Bins are numbered from 1; a
//!   bin that receives no group (possible with heavy ties) is left out of the result. Rows
//!   with zero weight (zero exposure) have no rate and are left out.
//! * **Errors.** Empty input, slices of different lengths, non-finite values and negative
//!   exposures or weights are [`Error`]s naming the input and the row; nothing panics.

mod ae;
mod bins;
mod lift;
mod lorenz;
mod partial;
mod residuals;

pub use ae::{
    calibration, codes_from_labels, one_way, one_way_labels, AeRow, Calibration, CalibrationBin,
    OneWay,
};
pub use lift::{double_lift, lift, DoubleLift, DoubleLiftBin, Lift, LiftBin};
pub use lorenz::{lorenz, Lorenz, MAX_CURVE_POINTS};
pub use partial::{
    linear_combinations, EffectLevel, EffectPoint, PartialEffect, PartialEffectKind,
};
pub use residuals::{ppoints, qq, Qq, ResidualKind, ResidualPlot, MAX_RESIDUAL_POINTS};

use crate::error::{Error, Result};

/// Checks that the named slices are non-empty, of one length and finite; returns the length.
pub(crate) fn check_rows(inputs: &[(&str, &[f64])]) -> Result<usize> {
    let Some(&(_, first)) = inputs.first() else {
        return Err(Error::data(None, None, "no inputs were given"));
    };
    let n = first.len();
    if n == 0 {
        return Err(Error::data(
            None,
            None,
            "there are no rows to summarise; pass at least one row",
        ));
    }
    for &(what, v) in inputs {
        crate::model::validate_vector(what, v, n)?;
    }
    Ok(n)
}

/// Checks that weights (or exposures) are `>= 0` and not all zero.
pub(crate) fn check_weights(what: &str, w: &[f64]) -> Result<()> {
    if let Some(i) = w.iter().position(|&x| x < 0.0) {
        return Err(Error::data(
            Some(what),
            Some(i),
            format!("{what} must be >= 0, found {}", w[i]),
        ));
    }
    if w.iter().all(|&x| x == 0.0) {
        return Err(Error::data(
            Some(what),
            None,
            format!("every {what} value is 0, so there is nothing to weight the rows by"),
        ));
    }
    Ok(())
}

/// The two-sided normal quantile for a confidence level in (0, 1).
pub(crate) fn z_value(conf_level: f64) -> Result<f64> {
    if !(conf_level > 0.0 && conf_level < 1.0) {
        return Err(Error::model(format!(
            "the confidence level must be between 0 and 1, got {conf_level}"
        )));
    }
    Ok(crate::stats::norm_ppf(0.5 + conf_level / 2.0))
}

/// Checks a requested number of bins.
pub(crate) fn check_bins(bins: usize) -> Result<()> {
    if bins == 0 {
        return Err(Error::model("the number of bins must be at least 1"));
    }
    Ok(())
}

/// Indices `0..n` thinned to at most `max` evenly spaced ones, first and last kept
/// (deterministic, so a chart is the same every time).
pub(crate) fn thin_indices(n: usize, max: usize) -> Vec<usize> {
    if n <= max.max(2) {
        return (0..n).collect();
    }
    let max = max.max(2);
    let step = (n - 1) as f64 / (max - 1) as f64;
    let mut out: Vec<usize> = (0..max)
        .map(|k| (k as f64 * step).round() as usize)
        .collect();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_name_the_input_and_row() {
        let e = check_rows(&[("actual", &[1.0, 2.0]), ("expected", &[1.0])]).unwrap_err();
        assert!(matches!(
            e,
            Error::Shape {
                expected: 2,
                found: 1,
                ..
            }
        ));
        let e = check_rows(&[("actual", &[1.0, f64::NAN])]).unwrap_err();
        assert!(e.to_string().contains("column `actual`, row 2"), "{e}");
        assert!(check_rows(&[("actual", &[])]).is_err());
        assert!(check_weights("exposure", &[1.0, -1.0]).is_err());
        assert!(check_weights("exposure", &[0.0, 0.0]).is_err());
        assert!(z_value(1.0).is_err());
        assert!(check_bins(0).is_err());
    }

    #[test]
    fn thinning_keeps_ends_and_bounds() {
        assert_eq!(thin_indices(5, 10), vec![0, 1, 2, 3, 4]);
        let t = thin_indices(10_001, 1000);
        assert!(t.len() <= 1000);
        assert_eq!(t[0], 0);
        assert_eq!(*t.last().unwrap(), 10_000);
        assert!(t.windows(2).all(|w| w[0] < w[1]));
    }
}
