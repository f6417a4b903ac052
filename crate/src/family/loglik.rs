//! Log-likelihoods with R's conventions (`logLik.glm`, `MASS::glm.nb`), used for AIC and BIC.

use super::Family;
use crate::design::chunked_sum;
use crate::error::rows_list;
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
            // As R's poisson()$aic (dpois): a count that is not a whole number has
            // probability 0, so the log-likelihood is -Inf (AIC and BIC Inf).
            Family::Poisson => Some(sum_rows(y, mu, w, |y, m, w| {
                if is_whole(y) {
                    w * poisson_logpmf(y, m)
                } else {
                    f64::NEG_INFINITY
                }
            })),
            // R rounds successes and trials with round(), which takes halves to the even
            // number (IEC 60559).
            Family::Binomial => Some(sum_rows(y, mu, w, |y, m, w| {
                binomial_logpmf((w * y).round_ties_even(), w.round_ties_even(), m)
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

/// Why a fit's log-likelihood, AIC and BIC are missing or infinite, and what R warns about
/// them: see [`Family::loglik_remarks`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoglikRemarks {
    /// Why the log-likelihood is not a finite number (`None` when it is one).
    pub note: Option<String>,
    /// A warning for the fit, where R warns too.
    pub warning: Option<String>,
}

impl Family {
    /// Why the log-likelihood is missing (quasi families, Tweedie without a density here) or
    /// infinite, and R's warnings about the response:
    ///
    /// - Poisson with a response that is not a whole number (a rate `y / exposure` with the
    ///   exposure as weights): R's `dpois` gives probability 0 with the warning "non-integer
    ///   x", so AIC is `Inf`; so here, with a warning naming the rows.
    /// - Binomial with successes (weight x proportion) that are not whole numbers: R warns
    ///   "non-integer #successes in a binomial glm!" (more than 0.001 from a whole number) and
    ///   its AIC rounds successes and trials (halves to even), a finite number; so here.
    /// - Negative binomial: R's `negative.binomial()$aic` and `glm.nb` use `lgamma`, finite for
    ///   any response >= 0, without a warning; so here. (MASS's deviance residuals use
    ///   `log(max(1, y) / mu)`, which differs from the deviance here for 0 < y < 1; the
    ///   coefficients and the likelihood do not depend on it.)
    ///
    /// `row_label(i)` is the row number shown for fit row `i` (0-based in, 1-based out).
    pub fn loglik_remarks(
        &self,
        y: &[f64],
        w: &[f64],
        loglik: Option<f64>,
        row_label: &dyn Fn(usize) -> usize,
    ) -> LoglikRemarks {
        let Some(ll) = loglik else {
            let note = match self {
                Family::QuasiPoisson | Family::QuasiBinomial => {
                    "a quasi family has no likelihood, so no AIC or BIC (R reports AIC NA); \
                     compare quasi fits by deviance and F tests"
                        .to_string()
                }
                _ => format!(
                    "the {self} family has no log-likelihood here (Tweedie: only p = 0 and \
                     1 < p <= 2 have a density; p = 1 is quasi-Poisson), so no AIC or BIC"
                ),
            };
            return LoglikRemarks {
                note: Some(note),
                warning: None,
            };
        };
        let live = |i: usize| w[i] > 0.0;
        match self {
            Family::Poisson if !ll.is_finite() => {
                let bad: Vec<usize> = (0..y.len())
                    .filter(|&i| live(i) && !is_whole(y[i]))
                    .collect();
                let text = match bad.first() {
                    Some(&i) => format!(
                        "the Poisson response is not a whole number on {} of the rows ({}; row {} \
                         has {}), so \
                         the log-likelihood is -Inf and AIC and BIC are Inf, as in R (dpois \
                         warns \"non-integer x\"); the coefficients, standard errors and \
                         deviance are unaffected. For a rate with the exposure as weights, fit \
                         the counts with the exposure as an offset (--exposure) for a finite \
                         AIC, or use quasipoisson",
                        bad.len(),
                        rows_list(&bad, row_label),
                        row_label(i),
                        y[i]
                    ),
                    None => "the Poisson log-likelihood is not a finite number".to_string(),
                };
                LoglikRemarks {
                    note: Some(text.clone()),
                    warning: Some(text),
                }
            }
            Family::Binomial => {
                let bad: Vec<usize> = (0..y.len())
                    .filter(|&i| live(i) && ((w[i] * y[i]) - (w[i] * y[i]).round()).abs() > 1e-3)
                    .collect();
                let warning = bad.first().map(|&i| {
                    format!(
                        "non-integer successes (weight x proportion) on {} of the rows ({}; row {} \
                         has {}), as R \
                         warns \"non-integer #successes in a binomial glm!\"; the \
                         log-likelihood and AIC round successes and trials to whole numbers, \
                         as R's binomial()$aic",
                        bad.len(),
                        rows_list(&bad, row_label),
                        row_label(i),
                        w[i] * y[i]
                    )
                });
                LoglikRemarks {
                    note: None,
                    warning,
                }
            }
            _ if !ll.is_finite() => LoglikRemarks {
                note: Some(format!("the {self} log-likelihood is not a finite number")),
                warning: None,
            },
            _ => LoglikRemarks::default(),
        }
    }
}

/// R's test for a whole number in `dpois` (`R_nonint`): within 1e-7 max(1, |y|) of one.
fn is_whole(y: f64) -> bool {
    (y - y.round()).abs() <= 1e-7 * y.abs().max(1.0)
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
