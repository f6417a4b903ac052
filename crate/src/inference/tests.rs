//! Wald tests on sets of coefficients and likelihood-ratio tests between nested fits.

use faer::Mat;

use crate::error::{Error, Result};
use crate::linalg::SpdFactor;
use crate::model::GlmFit;
use crate::stats::{chi2_sf, f_sf};

/// The outcome of a test.
#[derive(Debug, Clone, PartialEq)]
pub struct TestResult {
    /// The chi-squared statistic (for F tests: the F statistic).
    pub statistic: f64,
    /// Numerator degrees of freedom.
    pub df: f64,
    /// Denominator degrees of freedom for an F test.
    pub df_denom: Option<f64>,
    /// The p-value.
    pub p_value: f64,
    /// `"chi2"` or `"F"`.
    pub distribution: &'static str,
}

impl std::fmt::Display for TestResult {
    /// `chi2 = 12.3 on 2 df, p = 0.0021` (or `F = ... on (q, d) df`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p = crate::report::pval(self.p_value);
        match self.df_denom {
            Some(d2) => write!(
                f,
                "{} = {:.4} on ({}, {}) df, p = {p}",
                self.distribution, self.statistic, self.df, d2
            ),
            None => write!(
                f,
                "{} = {:.4} on {} df, p = {p}",
                self.distribution, self.statistic, self.df
            ),
        }
    }
}

impl TestResult {
    /// Shows the result in an evcxr notebook as one line of text.
    pub fn evcxr_display(&self) {
        print!(
            "{}",
            crate::report::evcxr_payload(&[("text/plain", &self.to_string())])
        );
    }
}

/// Wald test that the named coefficients are all zero.
///
/// Uses `b' V^-1 b` with the fit's covariance (robust when the fit used one); chi-squared with
/// q degrees of freedom when the dispersion is fixed or the covariance is robust, otherwise
/// F = W / q on (q, df_resid), as R's `anova(..., test = "F")` for estimated dispersion.
pub fn wald_test(fit: &GlmFit, names: &[&str]) -> Result<TestResult> {
    if names.is_empty() {
        return Err(Error::model(
            "a Wald test needs at least one coefficient name",
        ));
    }
    let mut idx = Vec::with_capacity(names.len());
    for name in names {
        let col = fit.names.iter().position(|n| n == name).ok_or_else(|| {
            Error::model(format!(
                "no coefficient named `{name}`; the coefficients are: {}",
                fit.names.join(", ")
            ))
        })?;
        let k = fit.kept_index(col).ok_or_else(|| {
            Error::model(format!(
                "coefficient `{name}` is aliased (not estimable) and cannot be tested"
            ))
        })?;
        idx.push((col, k));
    }
    let q = idx.len();
    let v = Mat::from_fn(q, q, |a, b| fit.cov[(idx[a].1, idx[b].1)]);
    let b: Vec<f64> = idx.iter().map(|&(c, _)| fit.coefficients[c]).collect();
    let vinv_b = SpdFactor::new(&v)?.solve(&b);
    let w: f64 = b.iter().zip(&vinv_b).map(|(x, y)| x * y).sum();
    Ok(if fit.uses_t() {
        let f = w / q as f64;
        let d2 = fit.df_resid as f64;
        TestResult {
            statistic: f,
            df: q as f64,
            df_denom: Some(d2),
            p_value: f_sf(f, q as f64, d2),
            distribution: "F",
        }
    } else {
        TestResult {
            statistic: w,
            df: q as f64,
            df_denom: None,
            p_value: chi2_sf(w, q as f64),
            distribution: "chi2",
        }
    })
}

/// Likelihood-ratio test of a smaller model nested in a bigger one (same data and family).
///
/// With a fixed dispersion (Poisson, binomial) or a likelihood with estimated theta
/// (negative binomial): `2 (loglik_big - loglik_small)` on chi-squared. With an estimated
/// dispersion: F = (deviance drop / df) / dispersion_big on (df, df_resid_big), as R's
/// `anova(small, big, test = "F")`.
pub fn lr_test(small: &GlmFit, big: &GlmFit) -> Result<TestResult> {
    if small.nobs != big.nobs || small.y.len() != big.y.len() {
        return Err(Error::model(format!(
            "the two fits use different data ({} and {} rows); a likelihood-ratio test needs \
             the same rows",
            small.nobs, big.nobs
        )));
    }
    if small.family.name() != big.family.name() || small.link != big.link {
        return Err(Error::model(
            "the two fits have different families or links; they are not nested",
        ));
    }
    if big.rank <= small.rank {
        return Err(Error::model(format!(
            "the bigger model must have more coefficients ({} vs {}); pass (small, big)",
            big.rank, small.rank
        )));
    }
    let df = (big.rank - small.rank) as f64;
    if big.family.dispersion_is_fixed() {
        let stat = match (small.loglik, big.loglik) {
            (Some(a), Some(b)) => 2.0 * (b - a),
            _ => small.deviance - big.deviance,
        };
        Ok(TestResult {
            statistic: stat,
            df,
            df_denom: None,
            p_value: chi2_sf(stat.max(0.0), df),
            distribution: "chi2",
        })
    } else {
        let f = (small.deviance - big.deviance) / df / big.dispersion;
        let d2 = big.df_resid as f64;
        Ok(TestResult {
            statistic: f,
            df,
            df_denom: Some(d2),
            p_value: f_sf(f.max(0.0), df, d2),
            distribution: "F",
        })
    }
}
