//! The coefficient table of a fit: estimates, standard errors, z or t tests and Wald intervals,
//! as R's `summary.glm` and `confint.default`.

use super::GlmFit;
use crate::inference::CovType;
use crate::stats::{norm_ppf, t_ppf, two_sided_p_norm, two_sided_p_t};

/// One row of the coefficient table.
#[derive(Debug, Clone, PartialEq)]
pub struct CoefRow {
    /// Column name.
    pub name: String,
    /// Estimate (`NaN` when aliased).
    pub estimate: f64,
    /// Standard error.
    pub std_error: f64,
    /// z or t statistic.
    pub statistic: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Lower confidence limit.
    pub ci_low: f64,
    /// Upper confidence limit.
    pub ci_high: f64,
    /// Whether the column was aliased (left out of the fit).
    pub aliased: bool,
    /// `Some(-1.0)` or `Some(1.0)` when the coefficient has no finite estimate and runs to
    /// that infinity ([`GlmFit::diverging`]): its numbers are where the fit stopped.
    pub diverging: Option<f64>,
}

impl GlmFit {
    /// True when tests use the t distribution (estimated dispersion, non-robust covariance),
    /// as R's `summary.glm`; z tests otherwise.
    pub fn uses_t(&self) -> bool {
        !self.family.dispersion_is_fixed() && self.cov_type == CovType::Nonrobust
    }

    /// Standard errors in column order (`NaN` for aliased columns).
    pub fn std_errors(&self) -> Vec<f64> {
        let mut k = 0;
        self.aliased
            .iter()
            .map(|&a| {
                if a {
                    f64::NAN
                } else {
                    let se = self.cov.variance(k).sqrt();
                    k += 1;
                    se
                }
            })
            .collect()
    }

    /// The coefficient table: estimate, standard error, z or t statistic, p-value and Wald
    /// interval at the fit's confidence level (z or t quantile, matching the test).
    pub fn coef_table(&self) -> Vec<CoefRow> {
        let ses = self.std_errors();
        let q_level = 0.5 + self.conf_level / 2.0;
        let df = self.df_resid as f64;
        let q = if self.uses_t() {
            t_ppf(q_level, df)
        } else {
            norm_ppf(q_level)
        };
        let toward = crate::solver::toward_infinity(&self.diverging, self.names.len());
        self.names
            .iter()
            .zip(&self.coefficients)
            .zip(ses)
            .zip(&self.aliased)
            .enumerate()
            .map(|(j, (((name, &b), se), &aliased))| {
                let stat = b / se;
                let p = if self.uses_t() {
                    two_sided_p_t(stat, df)
                } else {
                    two_sided_p_norm(stat)
                };
                CoefRow {
                    name: name.clone(),
                    estimate: b,
                    std_error: se,
                    statistic: stat,
                    p_value: p,
                    ci_low: b - q * se,
                    ci_high: b + q * se,
                    aliased,
                    diverging: toward[j],
                }
            })
            .collect()
    }

    /// Indices (in the non-aliased order used by `cov`) of the named columns.
    pub(crate) fn kept_index(&self, column: usize) -> Option<usize> {
        if self.aliased.get(column).copied().unwrap_or(true) {
            return None;
        }
        Some(self.aliased[..column].iter().filter(|a| !**a).count())
    }
}
