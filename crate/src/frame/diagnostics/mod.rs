//! Diagnostics of a fitted [`GlmModel`] on a DataFrame (the training data, or new data with
//! the response): one-way actual versus expected, lift, double lift, Gini, calibration,
//! residuals and partial effects. The numbers come from [`crate::diagnostics`]; this layer
//! reads the columns and encodes the data with the model's own specification.
//!
//! Per row: **actual** = response × prior weight, **expected** = fitted mean × prior weight,
//! **exposure** = the model's exposure column if it has one, else the prior weights, else 1.
//! For a Poisson model with `.exposure("Holders")` these are claims, predicted claims and
//! policy years.

mod partial;

use polars::prelude::*;

use super::columns::{column, is_text, missing_mask, numeric};
use super::levels::categories;
use super::{encode, GlmModel, PredictType};
use crate::diagnostics::{
    self, Calibration, DoubleLift, Lift, Lorenz, OneWay, ResidualKind, ResidualPlot,
};
use crate::error::{Error, Result};

/// A numeric column with more distinct values than this is cut into quantile bins.
const MAX_NUMERIC_LEVELS: usize = 20;
/// Bins for a numeric column in a one-way table.
const NUMERIC_BINS: usize = 10;

/// Per-row actual, expected and exposure of a model on a DataFrame, with the pieces they
/// come from.
pub(crate) struct RowTotals {
    pub actual: Vec<f64>,
    pub expected: Vec<f64>,
    pub exposure: Vec<f64>,
    /// The response (per unit weight).
    pub y: Vec<f64>,
    /// The fitted mean.
    pub mu: Vec<f64>,
    /// Prior weights (1 without a weights column).
    pub weights: Vec<f64>,
}

impl GlmModel {
    /// Actual, expected and exposure of every row of `df` (see the module docs).
    pub(crate) fn row_totals(&self, df: &DataFrame) -> Result<RowTotals> {
        if df.height() == 0 {
            return Err(Error::data(None, None, "the data has no rows"));
        }
        let spec = &self.spec;
        let (y, trials, _) = encode::response(spec, df)?;
        let weights = encode::weights(spec, df, trials)?.unwrap_or_else(|| vec![1.0; y.len()]);
        let mu = self.predict(df, PredictType::Response)?.into_values();
        let exposure = match &spec.exposure {
            Some(c) => numeric(column(df, c)?)?,
            None => weights.clone(),
        };
        let actual = y.iter().zip(&weights).map(|(y, w)| y * w).collect();
        let expected = mu.iter().zip(&weights).map(|(m, w)| m * w).collect();
        Ok(RowTotals {
            actual,
            expected,
            exposure,
            y,
            mu,
            weights,
        })
    }

    /// Actual versus expected by the levels of `column` (in the model or not): exposure,
    /// actual and expected totals, rates, and A/E with an interval (see [`OneWay`]). Text and
    /// categorical columns, and numeric ones with at most 20 distinct values, are taken level
    /// by level; other numeric columns are cut into about 10 bins at their quantiles,
    /// labelled `[18, 25)` (the last bin closed). Missing values form a level `(missing)`.
    ///
    /// ```
    /// use rustystats::prelude::*;
    ///
    /// let df = df!(
    ///     "claims" => [2.0, 3.0, 6.0, 7.0, 8.0, 9.0, 10.0, 12.0, 15.0],
    ///     "age" => ["young", "young", "young", "mid", "mid", "mid", "old", "old", "old"],
    ///     "area" => ["a", "b", "c", "a", "b", "c", "a", "b", "c"],
    ///     "exposure" => [1.0, 1.5, 2.0, 2.0, 2.5, 3.0, 3.0, 3.5, 4.0],
    /// ).unwrap();
    /// let model = glm("claims ~ C(age)", &df).family(Family::Poisson).exposure("exposure")
    ///     .fit().unwrap();
    /// let t = model.one_way(&df, "area").unwrap();
    /// assert_eq!(t.rows.len(), 3);
    /// assert!((t.rows.iter().map(|r| r.exposure).sum::<f64>() - 22.5).abs() < 1e-12);
    /// println!("{t}");
    /// ```
    pub fn one_way(&self, df: &DataFrame, column_name: &str) -> Result<OneWay> {
        let col = column(df, column_name)?;
        let (codes, levels) = level_codes(col)?;
        let t = self.row_totals(df)?;
        diagnostics::one_way(
            column_name,
            &codes,
            &levels,
            &t.actual,
            &t.expected,
            &t.exposure,
            self.fit.conf_level,
        )
    }

    /// The lift table of `bins` bins of equal exposure by the predicted rate (see [`Lift`]).
    ///
    /// ```
    /// use rustystats::prelude::*;
    ///
    /// let df = df!(
    ///     "y" => [0.0, 1.0, 0.0, 2.0, 1.0, 3.0, 2.0, 5.0],
    ///     "x" => [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
    /// ).unwrap();
    /// let model = glm("y ~ x", &df).family(Family::Poisson).fit().unwrap();
    /// let lift = model.lift(&df, 4).unwrap();
    /// assert_eq!(lift.bins.len(), 4);
    /// assert!(lift.bins[3].expected_rate > lift.bins[0].expected_rate);
    /// ```
    pub fn lift(&self, df: &DataFrame, bins: usize) -> Result<Lift> {
        let t = self.row_totals(df)?;
        diagnostics::lift(&t.actual, &t.expected, &t.exposure, bins)
    }

    /// The double lift of this model (A) against `other` (B) on the same data (see
    /// [`DoubleLift`]); the actual and exposure are this model's.
    pub fn double_lift(&self, other: &GlmModel, df: &DataFrame, bins: usize) -> Result<DoubleLift> {
        let a = self.row_totals(df)?;
        let b = other.row_totals(df)?;
        diagnostics::double_lift(
            "model A",
            "model B",
            &a.actual,
            &a.expected,
            &b.expected,
            &a.exposure,
            bins,
        )
    }

    /// The ordered Lorenz curve and Gini index on `df` (see [`Lorenz`]).
    pub fn gini(&self, df: &DataFrame) -> Result<Lorenz> {
        let t = self.row_totals(df)?;
        diagnostics::lorenz(&t.actual, &t.expected, &t.exposure)
    }

    /// Calibration in `bins` bins of equal prior weight by the fitted mean: mean fitted
    /// against mean response, with the model's variance `φ·V(μ)/w` for the interval (see
    /// [`Calibration`]).
    pub fn calibration(&self, df: &DataFrame, bins: usize) -> Result<Calibration> {
        let t = self.row_totals(df)?;
        let phi = self.fit.dispersion;
        if !phi.is_finite() {
            return Err(Error::model(
                "the dispersion is not defined (no residual degrees of freedom), so the \
                 calibration intervals cannot be formed",
            ));
        }
        let var: Vec<f64> =
            t.mu.iter()
                .zip(&t.weights)
                .map(|(&m, &w)| {
                    if w > 0.0 {
                        phi * self.fit.family.variance(m) / w
                    } else {
                        0.0
                    }
                })
                .collect();
        diagnostics::calibration(&t.mu, &t.y, &t.weights, &var, bins, self.fit.conf_level)
    }

    /// Residuals of the training fit against the fitted means, and their normal QQ plot.
    ///
    /// ```
    /// use rustystats::diagnostics::ResidualKind;
    /// use rustystats::prelude::*;
    ///
    /// let df = df!("y" => [1.0, 0.0, 2.0, 4.0, 3.0], "x" => [0.0, 1.0, 2.0, 3.0, 4.0]).unwrap();
    /// let model = glm("y ~ x", &df).family(Family::Poisson).fit().unwrap();
    /// let r = model.residual_plot(ResidualKind::Deviance).unwrap();
    /// assert_eq!(r.rows, 5);
    /// ```
    pub fn residual_plot(&self, kind: ResidualKind) -> Result<ResidualPlot> {
        self.fit.residual_plot(kind)
    }

    /// The training rows' fitted values and residuals as a DataFrame: `fitted`, `eta`, `y`,
    /// `weight`, and the `response`, `pearson`, `deviance` and `working` residuals (R's
    /// `residuals.glm`).
    pub fn residuals_frame(&self) -> Result<DataFrame> {
        let f = &self.fit;
        let mut cols = vec![
            Column::new("fitted".into(), f.mu.clone()),
            Column::new("eta".into(), f.eta.clone()),
            Column::new("y".into(), f.y.clone()),
            Column::new("weight".into(), f.prior_weights.clone()),
        ];
        for kind in [
            ResidualKind::Response,
            ResidualKind::Pearson,
            ResidualKind::Deviance,
            ResidualKind::Working,
        ] {
            cols.push(Column::new(
                kind.name().to_lowercase().into(),
                f.residuals(kind),
            ));
        }
        DataFrame::new_infer_height(cols).map_err(|e| Error::data(None, None, e.to_string()))
    }
}

/// Level codes of a column for a one-way table: categories for text and for numbers with few
/// distinct values, quantile bins otherwise; missing values as a last level `(missing)`.
fn level_codes(col: &Column) -> Result<(Vec<usize>, Vec<String>)> {
    let missing = missing_mask(col)?;
    let n = col.len();
    let present: Vec<usize> = (0..n).filter(|&i| !missing[i]).collect();
    let (mut codes, mut levels) = if is_text(col) || matches!(col.dtype(), DataType::Boolean) {
        let (labels, _) = categories(col)?;
        codes_of(&labels, &present)
    } else {
        let x = numeric(col)?;
        let mut distinct: Vec<f64> = present.iter().map(|&i| x[i]).collect();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup();
        if distinct.len() <= MAX_NUMERIC_LEVELS {
            let (labels, _) = categories(col)?;
            codes_of(&labels, &present)
        } else {
            quantile_codes(&x, &present)
        }
    };
    if present.len() < n {
        let k = levels.len();
        levels.push("(missing)".into());
        for i in (0..n).filter(|&i| missing[i]) {
            codes[i] = k;
        }
    }
    Ok((codes, levels))
}

/// Codes of the present rows' labels into their sorted distinct values (numbers numerically).
fn codes_of(labels: &[String], present: &[usize]) -> (Vec<usize>, Vec<String>) {
    let kept: Vec<String> = present.iter().map(|&i| labels[i].clone()).collect();
    let t = diagnostics::codes_from_labels(&kept);
    let mut codes = vec![0; labels.len()];
    for (&i, c) in present.iter().zip(t.0) {
        codes[i] = c;
    }
    (codes, t.1)
}

/// About [`NUMERIC_BINS`] bins at the quantiles of the present values (R's type 7), labelled
/// `[a, b)`, the last `[a, b]`; repeated breaks are merged.
fn quantile_codes(x: &[f64], present: &[usize]) -> (Vec<usize>, Vec<String>) {
    let mut v: Vec<f64> = present.iter().map(|&i| x[i]).collect();
    v.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let h = (v.len() - 1) as f64 * p;
        let lo = h.floor() as usize;
        let hi = (lo + 1).min(v.len() - 1);
        v[lo] + (h - lo as f64) * (v[hi] - v[lo])
    };
    let mut breaks: Vec<f64> = (0..=NUMERIC_BINS)
        .map(|k| round_break(q(k as f64 / NUMERIC_BINS as f64)))
        .collect();
    // Rounding must not move the ends inside the data.
    breaks[0] = breaks[0].min(v[0]);
    breaks[NUMERIC_BINS] = breaks[NUMERIC_BINS].max(v[v.len() - 1]);
    breaks.dedup();
    let nb = breaks.len() - 1;
    let levels: Vec<String> = (0..nb)
        .map(|k| {
            let close = if k + 1 == nb { "]" } else { ")" };
            format!("[{}, {}{close}", breaks[k], breaks[k + 1])
        })
        .collect();
    let mut codes = vec![0; x.len()];
    for &i in present {
        // The last break at or below the value, the top value in the last bin.
        let k = breaks.partition_point(|&b| b <= x[i]);
        codes[i] = k.saturating_sub(1).min(nb - 1);
    }
    (codes, levels)
}

/// A break rounded to 4 significant digits, so labels read well.
fn round_break(b: f64) -> f64 {
    if b == 0.0 || !b.is_finite() {
        return b;
    }
    let mag = 10f64.powi(3 - b.abs().log10().floor() as i32);
    (b * mag).round() / mag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_columns_are_binned_at_quantiles() {
        let x: Vec<f64> = (0..100).map(|i| 18.0 + i as f64 * 0.5).collect();
        let present: Vec<usize> = (0..100).collect();
        let (codes, levels) = quantile_codes(&x, &present);
        assert_eq!(levels.len(), 10);
        assert_eq!(levels[0], "[18, 22.95)");
        assert!(levels[9].ends_with(']'));
        assert_eq!(codes[0], 0);
        assert_eq!(codes[99], 9);
        assert!(codes.windows(2).all(|w| w[0] <= w[1]));
        for k in 0..10 {
            assert_eq!(codes.iter().filter(|&&c| c == k).count(), 10);
        }
    }

    #[test]
    fn few_values_are_levels_and_missing_is_a_level() {
        let s = Column::new("v".into(), [Some(3.0), Some(1.0), None, Some(3.0)]);
        let (codes, levels) = level_codes(&s).unwrap();
        assert_eq!(levels, ["1", "3", "(missing)"]);
        assert_eq!(codes, [1, 0, 2, 1]);
        assert_eq!(round_break(22.954_321), 22.95);
    }
}
