//! Negative binomial with theta estimated by maximum likelihood, alternating IRLS for the
//! coefficients with a Newton search for theta, as `MASS::glm.nb` does.

use super::GlmOptions;
use crate::error::{Error, Result};
use crate::family::{Family, LoglikInputs};
use crate::link::LinkFunction;
use crate::solver::{irls, IrlsFit, IrlsInput, Start};
use crate::stats::{digamma, trigamma};

/// Theta and its standard error.
pub(crate) type ThetaEstimate = (f64, Option<f64>);

/// The maximum-likelihood theta for fixed means (MASS `theta.ml`), with its standard error
/// from the observed information. Starts from the moment estimate.
pub(crate) fn theta_ml(
    y: &[f64],
    mu: &[f64],
    w: &[f64],
    limit: usize,
    warnings: &mut Vec<String>,
) -> Result<(f64, f64)> {
    let rows = || {
        y.iter()
            .zip(mu)
            .zip(w)
            .filter(|(_, &w)| w > 0.0)
            .map(|((&y, &m), &w)| (y, m, w))
    };
    let sum_w: f64 = rows().map(|r| r.2).sum();
    let moment: f64 = rows().map(|(y, m, w)| w * (y / m - 1.0).powi(2)).sum();
    let mut t = sum_w / moment;
    if !(t.is_finite() && t > 0.0) {
        return Err(Error::fit(
            "cannot start the theta search: the Poisson fit leaves no variation to model \
             (every y equals its fitted mean); a negative binomial model is not needed",
        ));
    }
    let score = |t: f64| -> f64 {
        rows()
            .map(|(y, m, w)| {
                w * (digamma(t + y) - digamma(t) + t.ln() + 1.0 - (t + m).ln() - (y + t) / (m + t))
            })
            .sum()
    };
    let info = |t: f64| -> f64 {
        rows()
            .map(|(y, m, w)| {
                w * (-trigamma(t + y) + trigamma(t) - 1.0 / t + 2.0 / (m + t)
                    - (y + t) / ((m + t) * (m + t)))
            })
            .sum()
    };
    let mut it = 0;
    loop {
        it += 1;
        t = t.abs();
        let i = info(t);
        let del = score(t) / i;
        t += del;
        if del.abs() <= 1e-12 * t.abs().max(1e-8) {
            break;
        }
        if it >= limit || !t.is_finite() {
            warnings.push(format!(
                "theta iteration limit reached ({limit} Newton steps, theta = {t:.4e}); the \
                 data may show no overdispersion (theta -> infinity: use Poisson)"
            ));
            break;
        }
    }
    if !(t.is_finite() && t > 0.0) {
        return Err(Error::fit(format!(
            "the maximum-likelihood theta is not a positive number ({t}); the data show no \
             overdispersion: fit a Poisson model instead"
        )));
    }
    let se = (1.0 / info(t)).sqrt();
    Ok((t, se))
}

/// Alternates IRLS (theta fixed) and `theta_ml` (means fixed) until the log-likelihood and
/// theta settle, starting from a Poisson fit with the same link.
pub(crate) fn fit_theta_ml(
    input: &IrlsInput<'_>,
    opts: &GlmOptions,
) -> Result<(IrlsFit, Family, Option<ThetaEstimate>)> {
    if !matches!(input.family, Family::NegativeBinomial { .. }) {
        return Err(Error::model(
            "theta can only be estimated for the negative binomial family",
        ));
    }
    let tol = opts.irls.tol;
    let limit = opts.irls.max_iter;
    let poisson = IrlsInput {
        family: Family::Poisson,
        ..*input
    };
    let mut fit = irls(&poisson, Start::Family, &opts.irls)?;
    let mut warnings = fit.warnings.clone();
    let (w, y) = (input.weights, input.y);
    let nobs = w.iter().filter(|&&v| v > 0.0).count();
    let rank = fit.aliased.iter().filter(|a| !**a).count();
    let d1 = (2.0 * (nobs.saturating_sub(rank)).max(1) as f64).sqrt();
    let (mut theta, mut se) = theta_ml(y, &fit.mu, w, limit, &mut warnings)?;
    let loglik = |theta: f64, fit: &IrlsFit| -> f64 {
        Family::NegativeBinomial { theta }
            .loglik(
                y,
                &fit.mu,
                w,
                LoglikInputs {
                    deviance: fit.deviance,
                },
            )
            .unwrap_or(f64::NAN)
    };
    let mut ll = loglik(theta, &fit);
    let mut ll_old = ll + 2.0 * d1;
    let mut del: f64 = 1.0;
    let mut outer = 0;
    let mut history = fit.deviance_history.clone();
    let mut converged = false;
    while outer < limit {
        if (ll_old - ll).abs() / d1 + del.abs() > tol {
            outer += 1;
        } else {
            converged = true;
            break;
        }
        let family = Family::negative_binomial(theta)?;
        let eta: Vec<f64> = fit.mu.iter().map(|&m| input.link.link(m)).collect();
        let nb = IrlsInput { family, ..*input };
        let next = irls(&nb, Start::Eta(&eta), &opts.irls)?;
        history.extend_from_slice(&next.deviance_history);
        let mut theta_warnings = Vec::new();
        let (t_new, se_new) = theta_ml(y, &next.mu, w, limit, &mut theta_warnings)?;
        del = theta - t_new;
        fit = next;
        ll_old = ll;
        ll = loglik(t_new, &fit);
        if (ll_old - ll).abs() / d1 + del.abs() <= tol {
            // The last IRLS used `theta`; keep it so the coefficients and theta agree.
            se = se_new;
            converged = true;
            break;
        }
        theta = t_new;
        se = se_new;
        warnings = theta_warnings;
    }
    warnings.extend(fit.warnings.iter().cloned());
    if !converged {
        warnings.push(format!(
            "alternation limit reached: theta and the coefficients did not settle in {limit} \
             rounds (last theta {theta:.6})"
        ));
    }
    fit.warnings = warnings;
    fit.converged = fit.converged && converged;
    fit.deviance_history = history;
    fit.iterations = outer.max(1);
    let family = Family::negative_binomial(theta)?;
    Ok((fit, family, Some((theta, Some(se)))))
}
