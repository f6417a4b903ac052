//! Tests on fitted models: a Wald test on a set of coefficients of one fit, and the
//! likelihood-ratio (or F) test between two nested fits.

use super::GlmFit;
use crate::error::{Error, Result};
use crate::inference::{chi2_test, f_test, wald, TestResult};

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
    if fit.cov.dense().is_none() && q >= crate::solver::BORDERED_LEVELS {
        return Err(Error::model(format!(
            "a Wald test of {q} coefficients needs their dense {q} x {q} covariance and its \
             factorization, which this fit (a factor of many levels, kept in bordered form) \
             does not form; test the term with the likelihood-ratio test instead (lr_test of \
             the fit without it), which needs no covariance"
        )));
    }
    let pos: Vec<usize> = idx.iter().map(|&(_, k)| k).collect();
    let v = fit.cov.submatrix(&pos);
    let b: Vec<f64> = idx.iter().map(|&(c, _)| fit.coefficients[c]).collect();
    wald(&b, &v, fit.uses_t().then_some(fit.df_resid as f64))
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
        Ok(chi2_test(stat, df))
    } else {
        let f = (small.deviance - big.deviance) / df / big.dispersion;
        Ok(f_test(f, df, big.df_resid as f64))
    }
}
