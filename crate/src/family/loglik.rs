//! Log-likelihoods with R's conventions (`logLik.glm`, `MASS::glm.nb`), used for AIC and BIC.

use super::Family;
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
        let rows = || {
            y.iter()
                .zip(mu)
                .zip(w)
                .filter(|(_, &wi)| wi > 0.0)
                .map(|((&yi, &mi), &wi)| (yi, mi, wi))
        };
        let sum_w: f64 = rows().map(|r| r.2).sum();
        let dev = input.deviance;
        match *self {
            Family::Gaussian => Some(gaussian_loglik(rows(), dev)),
            Family::Tweedie { var_power: 0.0 } => Some(gaussian_loglik(rows(), dev)),
            Family::Poisson => Some(rows().map(|(y, m, w)| w * poisson_logpmf(y, m)).sum()),
            Family::Binomial => Some(
                rows()
                    .map(|(y, m, w)| binomial_logpmf((w * y).round(), w.round(), m))
                    .sum(),
            ),
            Family::Gamma => Some(gamma_loglik(rows(), dev / sum_w)),
            Family::Tweedie { var_power: 2.0 } => Some(gamma_loglik(rows(), dev / sum_w)),
            Family::InverseGaussian => {
                let disp = dev / sum_w;
                let sum_wlogy: f64 = rows().map(|(y, _, w)| w * y.ln()).sum();
                Some(
                    -0.5 * (sum_w * (1.0 + (2.0 * std::f64::consts::PI * disp).ln())
                        + 3.0 * sum_wlogy),
                )
            }
            Family::Tweedie { var_power } if var_power > 1.0 && var_power < 2.0 => {
                let disp = dev / sum_w;
                Some(
                    rows()
                        .map(|(y, m, w)| tweedie_logpdf(y, m, disp / w, var_power))
                        .sum(),
                )
            }
            Family::NegativeBinomial { theta } => Some(
                rows()
                    .map(|(y, m, w)| {
                        let zero = if y == 0.0 { 1.0 } else { 0.0 };
                        w * (ln_gamma(theta + y) - ln_gamma(theta) - ln_gamma(y + 1.0)
                            + theta * theta.ln()
                            + y * (m + zero).ln()
                            - (theta + y) * (theta + m).ln())
                    })
                    .sum(),
            ),
            _ => None,
        }
    }
}

fn gaussian_loglik(rows: impl Iterator<Item = (f64, f64, f64)>, dev: f64) -> f64 {
    let mut nobs = 0.0;
    let mut sum_log_w = 0.0;
    for (_, _, w) in rows {
        nobs += 1.0;
        sum_log_w += w.ln();
    }
    -0.5 * (nobs * ((2.0 * std::f64::consts::PI * dev / nobs).ln() + 1.0) - sum_log_w)
}

fn gamma_loglik(rows: impl Iterator<Item = (f64, f64, f64)>, disp: f64) -> f64 {
    rows.map(|(y, m, w)| w * gamma_logpdf(y, 1.0 / disp, m * disp))
        .sum()
}
