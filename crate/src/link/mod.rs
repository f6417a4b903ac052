//! Link functions g(mu) = eta, with their inverses and derivatives.
//!
//! The numerical guards follow R's `make.link` so that fits near the boundary (separation,
//! tiny rates) behave as R's do: the logit inverse is cut at |eta| = 30, the log inverse and the
//! probit / cloglog inverses never return exactly 0 or 1.

use std::fmt;

use crate::error::{Error, Result};
use crate::stats::{norm_cdf, norm_ppf};

const EPS: f64 = f64::EPSILON;
const LOGIT_THRESH: f64 = 30.0;

/// The operations a link function provides to the solver.
///
/// Implement it for a custom link; the built-in links are the variants of [`Link`].
pub trait LinkFunction: Send + Sync {
    /// eta = g(mu).
    fn link(&self, mu: f64) -> f64;
    /// mu = g^-1(eta).
    fn inverse(&self, eta: f64) -> f64;
    /// d mu / d eta at eta.
    fn mu_eta(&self, eta: f64) -> f64;
    /// Whether eta is inside the link's domain.
    fn valid_eta(&self, eta: f64) -> bool {
        eta.is_finite()
    }
    /// The link's name as R writes it.
    fn name(&self) -> String;
}

/// The built-in links.
///
/// ```
/// use rustystats::link::{Link, LinkFunction};
/// let l = Link::Logit;
/// let mu = l.inverse(0.3);
/// assert!((l.link(mu) - 0.3).abs() < 1e-14);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Link {
    /// eta = mu.
    Identity,
    /// eta = log(mu).
    Log,
    /// eta = log(mu / (1 - mu)).
    Logit,
    /// eta = Phi^-1(mu).
    Probit,
    /// eta = log(-log(1 - mu)).
    Cloglog,
    /// eta = 1 / mu.
    Inverse,
    /// eta = 1 / mu^2.
    InverseSquared,
    /// eta = sqrt(mu).
    Sqrt,
    /// eta = mu^k (k = 0 means log).
    Power(f64),
}

impl Link {
    /// Every link name [`Link::parse`] accepts.
    pub const NAMES: &'static [&'static str] = &[
        "identity",
        "log",
        "logit",
        "probit",
        "cloglog",
        "inverse",
        "inverse_squared",
        "sqrt",
        "power(k)",
    ];

    /// Parses a link name (`log`, `logit`, `1/mu^2`, `power(0.5)`, ...).
    ///
    /// ```
    /// use rustystats::link::Link;
    /// assert_eq!(Link::parse("power(0.3)").unwrap(), Link::Power(0.3));
    /// assert_eq!(Link::parse("power(0.5)").unwrap(), Link::Sqrt);
    /// assert!(Link::parse("logg").is_err());
    /// ```
    pub fn parse(name: &str) -> Result<Link> {
        let n = name.trim().to_ascii_lowercase();
        let link = match n.as_str() {
            "identity" => Link::Identity,
            "log" => Link::Log,
            "logit" => Link::Logit,
            "probit" => Link::Probit,
            "cloglog" => Link::Cloglog,
            "inverse" | "1/mu" | "reciprocal" => Link::Inverse,
            "inverse_squared" | "inverse-squared" | "1/mu^2" => Link::InverseSquared,
            "sqrt" => Link::Sqrt,
            _ => {
                let power = n
                    .strip_prefix("power(")
                    .and_then(|r| r.strip_suffix(')'))
                    .and_then(|k| k.trim().parse::<f64>().ok());
                match power {
                    Some(k) if k.is_finite() => Link::Power(k).normalized(),
                    _ => {
                        return Err(Error::model(format!(
                            "unknown link `{name}`; valid links are: {}",
                            Link::NAMES.join(", ")
                        )))
                    }
                }
            }
        };
        Ok(link)
    }

    /// Rewrites power links with a named equivalent (power(0) = log, power(1) = identity,
    /// power(-1) = inverse, power(-2) = 1/mu^2, power(0.5) = sqrt).
    pub fn normalized(self) -> Link {
        match self {
            Link::Power(0.0) => Link::Log,
            Link::Power(1.0) => Link::Identity,
            Link::Power(-1.0) => Link::Inverse,
            Link::Power(-2.0) => Link::InverseSquared,
            Link::Power(0.5) => Link::Sqrt,
            other => other,
        }
    }
}

impl LinkFunction for Link {
    fn link(&self, mu: f64) -> f64 {
        match *self {
            Link::Identity => mu,
            Link::Log => mu.ln(),
            Link::Logit => (mu / (1.0 - mu)).ln(),
            Link::Probit => norm_ppf(mu),
            Link::Cloglog => (-(-mu).ln_1p()).ln(),
            Link::Inverse => 1.0 / mu,
            Link::InverseSquared => 1.0 / (mu * mu),
            Link::Sqrt => mu.sqrt(),
            Link::Power(k) => mu.powf(k),
        }
    }

    fn inverse(&self, eta: f64) -> f64 {
        match *self {
            Link::Identity => eta,
            Link::Log => eta.exp().max(EPS),
            Link::Logit => {
                let t = if eta < -LOGIT_THRESH {
                    EPS
                } else if eta > LOGIT_THRESH {
                    1.0 / EPS
                } else {
                    eta.exp()
                };
                t / (1.0 + t)
            }
            Link::Probit => {
                let thresh = -norm_ppf(EPS);
                norm_cdf(eta.clamp(-thresh, thresh))
            }
            Link::Cloglog => (-(-eta.exp()).exp_m1()).clamp(EPS, 1.0 - EPS),
            Link::Inverse => 1.0 / eta,
            Link::InverseSquared => 1.0 / eta.sqrt(),
            Link::Sqrt => eta * eta,
            Link::Power(k) => eta.powf(1.0 / k),
        }
    }

    fn mu_eta(&self, eta: f64) -> f64 {
        match *self {
            Link::Identity => 1.0,
            Link::Log => eta.exp().max(EPS),
            Link::Logit => {
                if !(-LOGIT_THRESH..=LOGIT_THRESH).contains(&eta) {
                    EPS
                } else {
                    let e = eta.exp();
                    e / ((1.0 + e) * (1.0 + e))
                }
            }
            Link::Probit => {
                let d = (-0.5 * eta * eta).exp() / (2.0 * std::f64::consts::PI).sqrt();
                d.max(EPS)
            }
            Link::Cloglog => {
                let e = eta.min(700.0);
                (e.exp() * (-e.exp()).exp()).max(EPS)
            }
            Link::Inverse => -1.0 / (eta * eta),
            Link::InverseSquared => -1.0 / (2.0 * eta.powf(1.5)),
            Link::Sqrt => 2.0 * eta,
            Link::Power(k) => (1.0 / k) * eta.powf(1.0 / k - 1.0),
        }
    }

    fn valid_eta(&self, eta: f64) -> bool {
        match *self {
            Link::Inverse => eta.is_finite() && eta != 0.0,
            Link::InverseSquared => eta.is_finite() && eta > 0.0,
            Link::Sqrt => eta.is_finite() && eta > 0.0,
            Link::Power(k) if k < 0.0 || k.fract() != 0.0 => eta.is_finite() && eta > 0.0,
            _ => eta.is_finite(),
        }
    }

    fn name(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Link::Identity => write!(f, "identity"),
            Link::Log => write!(f, "log"),
            Link::Logit => write!(f, "logit"),
            Link::Probit => write!(f, "probit"),
            Link::Cloglog => write!(f, "cloglog"),
            Link::Inverse => write!(f, "inverse"),
            Link::InverseSquared => write!(f, "1/mu^2"),
            Link::Sqrt => write!(f, "sqrt"),
            Link::Power(k) => write!(f, "power({k})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_links() -> Vec<Link> {
        vec![
            Link::Identity,
            Link::Log,
            Link::Logit,
            Link::Probit,
            Link::Cloglog,
            Link::Inverse,
            Link::InverseSquared,
            Link::Sqrt,
            Link::Power(0.3),
            Link::Power(-1.5),
            Link::Power(2.0),
        ]
    }

    #[test]
    fn links_round_trip() {
        for link in all_links() {
            for &mu in &[0.01, 0.2, 0.5, 0.77, 0.95] {
                let eta = link.link(mu);
                let back = link.inverse(eta);
                assert!(
                    (back - mu).abs() <= 1e-12 * mu.max(1.0),
                    "{link}: mu {mu} -> eta {eta} -> {back}"
                );
            }
        }
    }

    #[test]
    fn mu_eta_matches_numerical_derivative() {
        for link in all_links() {
            for &mu in &[0.03, 0.25, 0.5, 0.8] {
                let eta = link.link(mu);
                let h = 1e-6 * eta.abs().max(1e-3);
                let num = (link.inverse(eta + h) - link.inverse(eta - h)) / (2.0 * h);
                let ana = link.mu_eta(eta);
                assert!(
                    (num - ana).abs() <= 1e-6 * ana.abs().max(1e-8),
                    "{link} at mu {mu}: numerical {num} vs analytic {ana}"
                );
            }
        }
    }

    #[test]
    fn parse_accepts_every_listed_name_and_rejects_others() {
        for name in Link::NAMES {
            let name = name.replace("(k)", "(0.25)");
            assert!(Link::parse(&name).is_ok(), "{name}");
        }
        assert_eq!(Link::parse("power(0)").unwrap(), Link::Log);
        let err = Link::parse("logitt").unwrap_err().to_string();
        assert!(err.contains("logitt") && err.contains("cloglog"), "{err}");
    }

    #[test]
    fn logit_inverse_is_guarded_like_r() {
        let l = Link::Logit;
        assert!(l.inverse(-800.0) > 0.0);
        assert!(l.inverse(800.0) < 1.0);
        assert_eq!(l.mu_eta(40.0), EPS);
    }
}
