//! Error distributions: variance function, deviance, starting values, valid ranges and
//! log-likelihood for each GLM family.
//!
//! Formulas follow R (`stats::family`, `MASS::negative.binomial`, `statmod::tweedie`), so that
//! deviances, starting values and AIC agree with R's `glm`.

mod deviance;
mod loglik;

pub use deviance::deviance;
pub(crate) use deviance::deviance_at;
pub use loglik::{LoglikInputs, LoglikRemarks};

use std::fmt;

use crate::error::{Error, Result};
use crate::link::Link;

/// The built-in families.
///
/// ```
/// use rustystats::family::Family;
/// let f = Family::Poisson;
/// assert_eq!(f.variance(2.0), 2.0);
/// assert!(f.unit_deviance(3.0, 3.0).abs() < 1e-15);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Family {
    /// Normal errors, V(mu) = 1.
    Gaussian,
    /// Counts, V(mu) = mu.
    Poisson,
    /// Proportions of trials (the prior weight is the number of trials), V(mu) = mu(1 - mu).
    Binomial,
    /// Positive continuous, V(mu) = mu^2.
    Gamma,
    /// Positive continuous, V(mu) = mu^3.
    InverseGaussian,
    /// V(mu) = mu^p with p = 0 or p >= 1 (1 < p < 2: compound Poisson-gamma).
    Tweedie {
        /// The variance power p.
        var_power: f64,
    },
    /// Overdispersed counts, V(mu) = mu + mu^2 / theta (NB2). The model builder (`glm(...)`)
    /// and the command-line tool estimate theta by maximum likelihood from this starting
    /// value unless told to fix it; the low-level `fit` keeps it fixed unless
    /// `GlmOptions::estimate_theta` is set.
    NegativeBinomial {
        /// The shape parameter theta > 0.
        theta: f64,
    },
    /// Poisson variance with an estimated dispersion (no likelihood, no AIC).
    QuasiPoisson,
    /// Binomial variance with an estimated dispersion (no likelihood, no AIC).
    QuasiBinomial,
}

/// Every family name [`Family::parse`] accepts.
pub const FAMILY_NAMES: &[&str] = &[
    "gaussian",
    "poisson",
    "binomial",
    "gamma",
    "inverse_gaussian",
    "tweedie",
    "negative_binomial",
    "quasipoisson",
    "quasibinomial",
];

fn xlogy(x: f64, y: f64) -> f64 {
    if x == 0.0 {
        0.0
    } else {
        x * y.ln()
    }
}

impl Family {
    /// Parses a family name; `var_power` is used by `tweedie` and `theta` by
    /// `negative_binomial` (theta 1 when not given; estimate it with the fit options).
    pub fn parse(name: &str, var_power: Option<f64>, theta: Option<f64>) -> Result<Family> {
        let n = name
            .trim()
            .to_ascii_lowercase()
            .replace(['-', '.', ' '], "_");
        let fam = match n.as_str() {
            "gaussian" | "normal" => Family::Gaussian,
            "poisson" => Family::Poisson,
            "binomial" => Family::Binomial,
            "gamma" => Family::Gamma,
            "inverse_gaussian" | "inversegaussian" => Family::InverseGaussian,
            "tweedie" => {
                let p = var_power.ok_or_else(|| {
                    Error::model(
                        "the tweedie family needs a variance power: give --var-power P \
                         (p = 0 or p >= 1; 1 < p < 2 for claims with exact zeros)",
                    )
                })?;
                Family::tweedie(p)?
            }
            "negative_binomial" | "negbin" | "nb" | "negativebinomial" => {
                Family::negative_binomial(theta.unwrap_or(1.0))?
            }
            "quasipoisson" | "quasi_poisson" => Family::QuasiPoisson,
            "quasibinomial" | "quasi_binomial" => Family::QuasiBinomial,
            _ => {
                return Err(Error::model(format!(
                    "unknown family `{name}`; valid families are: {}",
                    FAMILY_NAMES.join(", ")
                )))
            }
        };
        Ok(fam)
    }

    /// A Tweedie family, checking the variance power (p = 0 or p >= 1).
    pub fn tweedie(var_power: f64) -> Result<Family> {
        if !var_power.is_finite() || (var_power > 0.0 && var_power < 1.0) || var_power < 0.0 {
            return Err(Error::model(format!(
                "Tweedie variance power {var_power} is not allowed: no Tweedie distribution \
                 exists for 0 < p < 1 (or p < 0 here); use p = 0 (normal), p = 1 (Poisson), \
                 1 < p < 2 (compound Poisson-gamma), p = 2 (gamma) or p > 2"
            )));
        }
        Ok(Family::Tweedie { var_power })
    }

    /// A negative binomial family with a fixed theta (> 0).
    pub fn negative_binomial(theta: f64) -> Result<Family> {
        if !(theta.is_finite() && theta > 0.0) {
            return Err(Error::model(format!(
                "negative binomial theta must be a positive number, got {theta}; \
                 use a value such as 1.0, or estimate it by maximum likelihood (--theta ml)"
            )));
        }
        Ok(Family::NegativeBinomial { theta })
    }

    /// The family's name (R spelling for the common ones).
    pub fn name(&self) -> &'static str {
        match self {
            Family::Gaussian => "gaussian",
            Family::Poisson => "poisson",
            Family::Binomial => "binomial",
            Family::Gamma => "Gamma",
            Family::InverseGaussian => "inverse.gaussian",
            Family::Tweedie { .. } => "Tweedie",
            Family::NegativeBinomial { .. } => "Negative Binomial",
            Family::QuasiPoisson => "quasipoisson",
            Family::QuasiBinomial => "quasibinomial",
        }
    }

    /// The family's identifier in [`FAMILY_NAMES`] (as the command-line tool spells it).
    pub fn id(&self) -> &'static str {
        match self {
            Family::Gaussian => "gaussian",
            Family::Poisson => "poisson",
            Family::Binomial => "binomial",
            Family::Gamma => "gamma",
            Family::InverseGaussian => "inverse_gaussian",
            Family::Tweedie { .. } => "tweedie",
            Family::NegativeBinomial { .. } => "negative_binomial",
            Family::QuasiPoisson => "quasipoisson",
            Family::QuasiBinomial => "quasibinomial",
        }
    }

    /// The default link: canonical, except log for Tweedie and negative binomial.
    pub fn default_link(&self) -> Link {
        match self {
            Family::Gaussian => Link::Identity,
            Family::Poisson | Family::QuasiPoisson => Link::Log,
            Family::Binomial | Family::QuasiBinomial => Link::Logit,
            Family::Gamma => Link::Inverse,
            Family::InverseGaussian => Link::InverseSquared,
            Family::Tweedie { .. } | Family::NegativeBinomial { .. } => Link::Log,
        }
    }

    /// The links this family allows (as R's family objects do; Tweedie allows every power link).
    pub fn allowed_links(&self) -> Vec<Link> {
        use Link::*;
        match self {
            Family::Gaussian => vec![Identity, Log, Inverse],
            Family::Poisson | Family::QuasiPoisson => vec![Log, Identity, Sqrt],
            Family::Binomial | Family::QuasiBinomial => vec![Logit, Probit, Cloglog, Log],
            Family::Gamma => vec![Inverse, Identity, Log],
            Family::InverseGaussian => vec![InverseSquared, Inverse, Identity, Log],
            Family::NegativeBinomial { .. } => vec![Log, Sqrt, Identity],
            Family::Tweedie { .. } => vec![Log, Identity, Inverse, InverseSquared, Sqrt],
        }
    }

    /// Checks that `link` may be used with this family.
    pub fn check_link(&self, link: Link) -> Result<()> {
        let ok = match (self, link) {
            (Family::Tweedie { .. }, Link::Power(_)) => true,
            _ => self.allowed_links().contains(&link),
        };
        if ok {
            Ok(())
        } else {
            let names: Vec<String> = self.allowed_links().iter().map(|l| l.to_string()).collect();
            Err(Error::model(format!(
                "link `{link}` is not available for the {} family; use one of: {}",
                self.name(),
                names.join(", ")
            )))
        }
    }

    /// True when the dispersion is fixed at 1 (Poisson, binomial, negative binomial): standard
    /// errors use 1 and tests are z tests. Otherwise it is estimated (Pearson chi2 / df_resid).
    pub fn dispersion_is_fixed(&self) -> bool {
        matches!(
            self,
            Family::Poisson | Family::Binomial | Family::NegativeBinomial { .. }
        )
    }

    /// The variance function V(mu).
    #[inline]
    pub fn variance(&self, mu: f64) -> f64 {
        match *self {
            Family::Gaussian => 1.0,
            Family::Poisson | Family::QuasiPoisson => mu,
            Family::Binomial | Family::QuasiBinomial => mu * (1.0 - mu),
            Family::Gamma => mu * mu,
            Family::InverseGaussian => mu * mu * mu,
            Family::Tweedie { var_power } => match var_power {
                0.0 => 1.0,
                1.0 => mu,
                2.0 => mu * mu,
                p => mu.powf(p),
            },
            Family::NegativeBinomial { theta } => mu + mu * mu / theta,
        }
    }

    /// The unit deviance d(y, mu) (prior weight 1); the deviance is the weighted sum.
    #[inline]
    pub fn unit_deviance(&self, y: f64, mu: f64) -> f64 {
        match *self {
            Family::Gaussian => (y - mu) * (y - mu),
            Family::Poisson | Family::QuasiPoisson => {
                let r = mu - y;
                if y > 0.0 {
                    2.0 * (y * (y / mu).ln() + r)
                } else {
                    2.0 * r
                }
            }
            Family::Binomial | Family::QuasiBinomial => {
                2.0 * (xlogy(y, y / mu) + xlogy(1.0 - y, (1.0 - y) / (1.0 - mu)))
            }
            Family::Gamma => {
                let ratio = if y == 0.0 { 1.0 } else { y / mu };
                -2.0 * (ratio.ln() - (y - mu) / mu)
            }
            Family::InverseGaussian => (y - mu) * (y - mu) / (y * mu * mu),
            Family::Tweedie { var_power: p } => tweedie_unit_deviance(y, mu, p),
            Family::NegativeBinomial { theta } => {
                // MASS writes y log(max(1, y) / mu), equal to this for integer counts.
                2.0 * (xlogy(y, y / mu) - (y + theta) * ((y + theta) / (mu + theta)).ln())
            }
        }
    }

    /// Whether mu is inside the family's range (R's `validmu`).
    #[inline]
    pub fn valid_mu(&self, mu: f64) -> bool {
        match self {
            Family::Gaussian => mu.is_finite(),
            Family::Binomial | Family::QuasiBinomial => mu.is_finite() && mu > 0.0 && mu < 1.0,
            Family::Tweedie { var_power } if *var_power == 0.0 => mu.is_finite(),
            _ => mu.is_finite() && mu > 0.0,
        }
    }

    /// R's starting value for mu given y and the prior weight.
    #[inline]
    pub fn initial_mu(&self, y: f64, weight: f64) -> f64 {
        match self {
            Family::Gaussian | Family::Gamma | Family::InverseGaussian => y,
            Family::Poisson | Family::QuasiPoisson => y + 0.1,
            Family::Binomial | Family::QuasiBinomial => (weight * y + 0.5) / (weight + 1.0),
            Family::Tweedie { var_power } => {
                if *var_power == 0.0 {
                    y
                } else if y == 0.0 {
                    0.1
                } else {
                    y
                }
            }
            Family::NegativeBinomial { .. } => {
                if y == 0.0 {
                    y + 1.0 / 6.0
                } else {
                    y
                }
            }
        }
    }

    /// Checks every response value against the family's support; the error names the first
    /// bad row and says what to do.
    pub fn check_response(&self, y: &[f64], weights: &[f64]) -> Result<()> {
        let bad = |row: usize, value: f64, message: &str| Error::Domain {
            family: self.name().to_string(),
            row,
            value,
            message: message.to_string(),
        };
        for (i, (&v, &w)) in y.iter().zip(weights).enumerate() {
            if w == 0.0 {
                continue;
            }
            if !v.is_finite() {
                return Err(bad(i, v, "the response must be a finite number"));
            }
            match self {
                Family::Poisson | Family::QuasiPoisson | Family::NegativeBinomial { .. }
                    if v < 0.0 =>
                {
                    return Err(bad(i, v, "counts must be >= 0; check the response column"));
                }
                Family::Binomial | Family::QuasiBinomial if !(0.0..=1.0).contains(&v) => {
                    return Err(bad(
                        i,
                        v,
                        "a binomial response must be 0/1, a proportion in [0, 1] with the \
                         number of trials as weights, or cbind(successes, failures) with \
                         successes <= trials",
                    ));
                }
                Family::Gamma if v <= 0.0 => {
                    return Err(bad(
                        i,
                        v,
                        "the Gamma family needs a response > 0; drop the zero rows or use \
                         a Tweedie family (1 < p < 2) for data with exact zeros",
                    ));
                }
                Family::InverseGaussian if v <= 0.0 => {
                    return Err(bad(
                        i,
                        v,
                        "the inverse Gaussian family needs a response > 0",
                    ));
                }
                Family::Tweedie { var_power } => {
                    let p = *var_power;
                    if p > 0.0 && v < 0.0 {
                        return Err(bad(i, v, "a Tweedie response with p >= 1 must be >= 0"));
                    }
                    if p >= 2.0 && v <= 0.0 {
                        return Err(bad(i, v, "a Tweedie response with p >= 2 must be > 0"));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// True for the quasi families, which have no likelihood.
    pub fn is_quasi(&self) -> bool {
        matches!(self, Family::QuasiPoisson | Family::QuasiBinomial)
    }

    /// True for the binomial-type families.
    pub fn is_binomial(&self) -> bool {
        matches!(self, Family::Binomial | Family::QuasiBinomial)
    }
}

/// Tweedie unit deviance for any allowed power (statmod's formulas).
fn tweedie_unit_deviance(y: f64, mu: f64, p: f64) -> f64 {
    if p == 0.0 {
        (y - mu) * (y - mu)
    } else if p == 1.0 {
        Family::Poisson.unit_deviance(y, mu)
    } else if p == 2.0 {
        Family::Gamma.unit_deviance(y, mu)
    } else {
        let a = if y > 0.0 {
            y.powf(2.0 - p) / ((1.0 - p) * (2.0 - p))
        } else {
            0.0
        };
        // The three terms cancel when y is close to mu; rounding can then leave a tiny
        // negative number, and the deviance is never negative.
        let d = 2.0 * (a - y * mu.powf(1.0 - p) / (1.0 - p) + mu.powf(2.0 - p) / (2.0 - p));
        d.max(0.0)
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Family::Tweedie { var_power } => write!(f, "Tweedie(p = {var_power})"),
            Family::NegativeBinomial { theta } => write!(f, "Negative Binomial({theta:.4})"),
            other => write!(f, "{}", other.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn families() -> Vec<Family> {
        vec![
            Family::Gaussian,
            Family::Poisson,
            Family::Binomial,
            Family::Gamma,
            Family::InverseGaussian,
            Family::Tweedie { var_power: 1.5 },
            Family::Tweedie { var_power: 3.0 },
            Family::NegativeBinomial { theta: 2.5 },
            Family::QuasiPoisson,
            Family::QuasiBinomial,
        ]
    }

    #[test]
    fn deviance_is_nonnegative_and_zero_at_the_mean() {
        for fam in families() {
            let ys: &[f64] = if fam.is_binomial() {
                &[0.0, 0.2, 0.5, 1.0]
            } else {
                &[0.3, 1.0, 4.0, 17.0]
            };
            for &y in ys {
                let at = fam.unit_deviance(
                    y,
                    if fam.is_binomial() {
                        y.clamp(1e-12, 1.0 - 1e-12)
                    } else {
                        y
                    },
                );
                assert!(at.abs() < 1e-9, "{fam}: d({y}, {y}) = {at}");
                for &mu in &[0.1, 0.4, 0.9] {
                    let mu = if fam.is_binomial() { mu } else { mu * 10.0 };
                    let d = fam.unit_deviance(y, mu);
                    assert!(d >= -1e-12, "{fam}: d({y}, {mu}) = {d}");
                }
            }
        }
    }

    #[test]
    fn deviance_derivative_matches_variance() {
        // d/dmu of the unit deviance is -2 (y - mu) / V(mu) for every family.
        for fam in families() {
            let (y, mu) = if fam.is_binomial() {
                (0.3, 0.6)
            } else {
                (2.0, 3.5)
            };
            let h = 1e-6;
            let num = (fam.unit_deviance(y, mu + h) - fam.unit_deviance(y, mu - h)) / (2.0 * h);
            let ana = -2.0 * (y - mu) / fam.variance(mu);
            assert!(
                (num - ana).abs() < 1e-6 * ana.abs().max(1.0),
                "{fam}: {num} vs {ana}"
            );
        }
    }

    #[test]
    fn tweedie_power_is_checked() {
        assert!(Family::tweedie(0.5).is_err());
        assert!(Family::tweedie(-1.0).is_err());
        assert!(Family::tweedie(0.0).is_ok());
        assert!(Family::tweedie(1.5).is_ok());
        let msg = Family::tweedie(0.5).unwrap_err().to_string();
        assert!(msg.contains("0.5"), "{msg}");
    }

    #[test]
    fn links_are_checked_once() {
        assert!(Family::Poisson.check_link(Link::Logit).is_err());
        assert!(Family::Binomial.check_link(Link::Cloglog).is_ok());
        assert!(Family::Tweedie { var_power: 1.5 }
            .check_link(Link::Power(0.3))
            .is_ok());
        let msg = Family::Gamma
            .check_link(Link::Logit)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("logit") && msg.contains("Gamma"), "{msg}");
    }

    #[test]
    fn response_domain_errors_name_the_row() {
        let e = Family::Poisson
            .check_response(&[1.0, -2.0], &[1.0, 1.0])
            .unwrap_err();
        assert!(e.to_string().contains("row 2"), "{e}");
        assert!(Family::Gamma
            .check_response(&[1.0, 0.0], &[1.0, 1.0])
            .is_err());
        assert!(Family::Binomial.check_response(&[1.5], &[1.0]).is_err());
        assert!(Family::Binomial.check_response(&[1.5], &[0.0]).is_ok());
    }
}
