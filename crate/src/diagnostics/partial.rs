//! The partial effect of one variable: its terms' contribution to the linear predictor, with
//! a pointwise confidence interval from the covariance of their coefficients.

use crate::error::{Error, Result};

/// The effect at one value of a numeric variable.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectPoint {
    /// The variable's value.
    pub x: f64,
    /// The contribution `x_grid' β` (or its exponential on the relativity scale).
    pub fit: f64,
    /// Its standard error on the link scale, `√(x_grid' V x_grid)`.
    pub se: f64,
    /// Lower end of the interval.
    pub low: f64,
    /// Upper end of the interval.
    pub high: f64,
}

/// The effect of one level of a categorical variable.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectLevel {
    /// The level.
    pub level: String,
    /// The coefficient (0 for the reference level), or its exponential.
    pub estimate: f64,
    /// Its standard error on the link scale (0 for the reference).
    pub se: f64,
    /// Lower end of the interval.
    pub low: f64,
    /// Upper end of the interval.
    pub high: f64,
}

/// A numeric curve or categorical levels.
#[derive(Debug, Clone, PartialEq)]
pub enum PartialEffectKind {
    /// A numeric variable on a grid over its training range.
    Numeric(Vec<EffectPoint>),
    /// A categorical variable, one entry per level (the reference first).
    Categorical(Vec<EffectLevel>),
}

/// The partial effect of one variable: the sum of the model terms that involve only that
/// variable (`x`, `log(x)`, `bs(x, df=4)`, `I(x^2)` ... or the levels of `C(g)`), on the link
/// scale or, for a log link, as relativities `exp(effect)`. The interval is pointwise:
/// `effect ± q · √(x' V x)` with `V` the covariance of those terms' coefficients and `q` the
/// normal (or t) quantile, mapped through `exp` on the relativity scale.
///
/// Terms that interact the variable with others (`x:C(g)`) are not included: the effect of
/// `x` then depends on `g`, and the `terms` field lists what was used.
#[derive(Debug, Clone, PartialEq)]
pub struct PartialEffect {
    /// The variable (data column).
    pub variable: String,
    /// The model terms summed.
    pub terms: Vec<String>,
    /// The curve or the levels.
    pub kind: PartialEffectKind,
    /// Confidence level of the intervals.
    pub conf_level: f64,
    /// Whether the model's link is log (so relativities make sense).
    pub log_link: bool,
    /// Whether the values are relativities `exp(effect)` rather than link-scale effects.
    pub relativity: bool,
}

impl PartialEffect {
    /// The same effect as relativities `exp(effect)` (intervals mapped too); an error unless
    /// the link is log. Already-relativity effects are returned as they are.
    ///
    /// ```
    /// use rustystats::diagnostics::{EffectLevel, PartialEffect, PartialEffectKind};
    ///
    /// let level = |l: &str, b: f64| EffectLevel { level: l.into(), estimate: b, se: 0.1,
    ///     low: b - 0.2, high: b + 0.2 };
    /// let e = PartialEffect {
    ///     variable: "area".into(), terms: vec!["C(area)".into()],
    ///     kind: PartialEffectKind::Categorical(vec![level("A", 0.0), level("B", 0.5)]),
    ///     conf_level: 0.95, log_link: true, relativity: false,
    /// };
    /// let r = e.relativities().unwrap();
    /// let PartialEffectKind::Categorical(levels) = &r.kind else { unreachable!() };
    /// assert!((levels[1].estimate - 0.5f64.exp()).abs() < 1e-15);
    /// ```
    pub fn relativities(&self) -> Result<PartialEffect> {
        if self.relativity {
            return Ok(self.clone());
        }
        if !self.log_link {
            return Err(Error::model(format!(
                "relativities exp(effect) need a log link; the effect of `{}` is on the link \
                 scale",
                self.variable
            )));
        }
        let kind = match &self.kind {
            PartialEffectKind::Numeric(points) => PartialEffectKind::Numeric(
                points
                    .iter()
                    .map(|p| EffectPoint {
                        fit: p.fit.exp(),
                        low: p.low.exp(),
                        high: p.high.exp(),
                        ..p.clone()
                    })
                    .collect(),
            ),
            PartialEffectKind::Categorical(levels) => PartialEffectKind::Categorical(
                levels
                    .iter()
                    .map(|l| EffectLevel {
                        estimate: l.estimate.exp(),
                        low: l.low.exp(),
                        high: l.high.exp(),
                        ..l.clone()
                    })
                    .collect(),
            ),
        };
        Ok(PartialEffect {
            kind,
            relativity: true,
            ..self.clone()
        })
    }
}

/// `x' β` and `√(x' V x)` for each row `x` of a sub-design: `rows[i]` holds the row's values
/// in the columns of `beta` and `cov` (the coefficients and covariance of the same columns).
pub fn linear_combinations(
    rows: &[Vec<f64>],
    beta: &[f64],
    cov: &[Vec<f64>],
) -> Result<Vec<(f64, f64)>> {
    let k = beta.len();
    if cov.len() != k || cov.iter().any(|r| r.len() != k) {
        return Err(Error::Shape {
            what: "the covariance sub-matrix".into(),
            expected: k,
            found: cov.len(),
        });
    }
    rows.iter()
        .map(|x| {
            if x.len() != k {
                return Err(Error::Shape {
                    what: "a grid row".into(),
                    expected: k,
                    found: x.len(),
                });
            }
            let fit = x.iter().zip(beta).map(|(a, b)| a * b).sum();
            let var: f64 = (0..k)
                .map(|i| x[i] * (0..k).map(|j| cov[i][j] * x[j]).sum::<f64>())
                .sum();
            Ok((fit, var.max(0.0).sqrt()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_combinations_match_hand_values() {
        let rows = vec![vec![1.0, 2.0], vec![0.0, 0.0]];
        let beta = [0.5, -1.0];
        let cov = vec![vec![0.04, 0.01], vec![0.01, 0.09]];
        let out = linear_combinations(&rows, &beta, &cov).unwrap();
        assert!((out[0].0 + 1.5).abs() < 1e-15);
        // 0.04 + 2*2*0.01 + 4*0.09 = 0.44
        assert!((out[0].1 - 0.44f64.sqrt()).abs() < 1e-15);
        assert_eq!(out[1], (0.0, 0.0));
        assert!(linear_combinations(&[vec![1.0]], &beta, &cov).is_err());
        assert!(linear_combinations(&rows, &beta, &[vec![1.0]]).is_err());
    }

    #[test]
    fn relativities_need_a_log_link() {
        let e = PartialEffect {
            variable: "x".into(),
            terms: vec!["x".into()],
            kind: PartialEffectKind::Numeric(vec![]),
            conf_level: 0.95,
            log_link: false,
            relativity: false,
        };
        let err = e.relativities().unwrap_err();
        assert!(err.to_string().contains("`x`"));
    }
}
