//! Log-likelihoods with R's conventions (`logLik.glm`, `MASS::glm.nb`), used for AIC and BIC.

use super::Family;
use crate::design::chunked_sum;
use crate::stats::{binomial_logpmf, gamma_logpdf, ln_gamma, poisson_logpmf, tweedie_logpdf};

/// What the log-likelihood of a fit needs besides y and mu.
#[derive(Debug, Clone, Copy)]
pub struct LoglikInputs {
    /// The fit's deviance (the dispersion for the likelihood is derived from it, as R does).
    pub deviance: f64,
}

impl Family {
    /// Whether the likelihood counts a dispersion parameter (AIC adds one parameter for it).
    pub fn loglik_counts_dispersion(&self) -> bool {
        match self {
            Family::Gaussian | Family::Gamma | Family::InverseGaussian => true,
            Family::Tweedie { var_power } => *var_power != 1.0,
            _ => false,
        }
    }

    /// The log-likelihood at (y, mu) with prior weights `w`, or `None` where the family has no
    /// likelihood here (quasi families; Tweedie with p = 1, whose dispersion is estimated, or
    /// p > 2, whose density has no series evaluation here).
    ///
    /// As R's `logLik.glm`: Gaussian, Gamma and inverse Gaussian use the maximum-likelihood
    /// dispersion `deviance / n` (Gaussian, n = rows with non-zero weight) or
    /// `deviance / sum(w)` (Gamma, inverse Gaussian); Tweedie (which R leaves out) follows the
    /// Gamma convention with the compound Poisson-gamma density and per-row dispersion phi / w.
    /// Rows with zero weight do not count.
    pub fn loglik(&self, y: &[f64], mu: &[f64], w: &[f64], input: LoglikInputs) -> Option<f64> {
        // Sums over the rows with a positive weight, in parallel (fixed chunks, so the same
        // bits for any number of threads).
        let sum_w = || sum_rows(y, mu, w, |_, _, w| w);
        let dev = input.deviance;
        match *self {
            Family::Gaussian | Family::Tweedie { var_power: 0.0 } => {
                let nobs = sum_rows(y, mu, w, |_, _, _| 1.0);
                let sum_log_w = sum_rows(y, mu, w, |_, _, w| w.ln());
                Some(
                    -0.5 * (nobs * ((2.0 * std::f64::consts::PI * dev / nobs).ln() + 1.0)
                        - sum_log_w),
                )
            }
            Family::Poisson => Some(sum_rows(y, mu, w, |y, m, w| w * poisson_logpmf(y, m))),
            Family::Binomial => Some(sum_rows(y, mu, w, |y, m, w| {
                binomial_logpmf((w * y).round(), w.round(), m)
            })),
            Family::Gamma | Family::Tweedie { var_power: 2.0 } => {
                let disp = dev / sum_w();
                Some(sum_rows(y, mu, w, |y, m, w| {
                    w * gamma_logpdf(y, 1.0 / disp, m * disp)
                }))
            }
            Family::InverseGaussian => {
                let total_w = sum_w();
                let disp = dev / total_w;
                let sum_wlogy = sum_rows(y, mu, w, |y, _, w| w * y.ln());
                Some(
                    -0.5 * (total_w * (1.0 + (2.0 * std::f64::consts::PI * disp).ln())
                        + 3.0 * sum_wlogy),
                )
            }
            Family::Tweedie { var_power } if var_power > 1.0 && var_power < 2.0 => {
                let disp = dev / sum_w();
                Some(sum_rows(y, mu, w, |y, m, w| {
                    tweedie_logpdf(y, m, disp / w, var_power)
                }))
            }
            Family::NegativeBinomial { theta } => Some(sum_rows(y, mu, w, |y, m, w| {
                let zero = if y == 0.0 { 1.0 } else { 0.0 };
                w * (ln_gamma(theta + y) - ln_gamma(theta) - ln_gamma(y + 1.0)
                    + theta * theta.ln()
                    + y * (m + zero).ln()
                    - (theta + y) * (theta + m).ln())
            })),
            _ => None,
        }
    }
}

/// `sum f(y, mu, w)` over the rows with a positive weight, in parallel (fixed chunks, so the
/// same bits for any number of threads).
fn sum_rows(y: &[f64], mu: &[f64], w: &[f64], f: impl Fn(f64, f64, f64) -> f64 + Sync) -> f64 {
    chunked_sum(y.len(), |i| {
        if w[i] > 0.0 {
            f(y[i], mu[i], w[i])
        } else {
            0.0
        }
    })
}
