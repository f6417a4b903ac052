//! Log densities / log probability mass functions used in GLM log-likelihoods.
//!
//! Discrete-type densities (Poisson, binomial, negative binomial, and the gamma density,
//! which is a Poisson term in disguise) use Loader's saddle-point decomposition, so they
//! stay accurate when counts and means are large; all accept real (non-integer) responses,
//! continuing the factorials through `ln Γ`.

use super::incomplete::log1pmx_neg;
use super::incomplete::{log_binom_raw, log_pois_raw};
use super::special::{ln_beta, ln_choose, ln_gamma_1p, stirling_remainder};
use std::f64::consts::PI;

/// Poisson log probability `ln(μ^y e^(-μ) / Γ(y + 1))` for real `y >= 0` and `μ >= 0`.
///
/// Non-integer `y` is allowed (factorial continued through `ln Γ(y + 1)`), as used for
/// quasi-Poisson responses. `μ = 0` gives 0 at `y = 0` and `-∞` otherwise; negative `y`
/// gives `-∞`; negative or NaN `μ` gives NaN.
///
/// ```
/// use rustystats::stats::poisson_logpmf;
/// assert!((poisson_logpmf(0.0, 2.5) + 2.5).abs() < 1e-15);
/// assert!((poisson_logpmf(3.0, 2.0) - (8f64 / 6.0 * (-2f64).exp()).ln()).abs() < 1e-14);
/// ```
pub fn poisson_logpmf(y: f64, mu: f64) -> f64 {
    if y.is_nan() || mu.is_nan() || mu < 0.0 {
        return f64::NAN;
    }
    if y < 0.0 || y.is_infinite() {
        return f64::NEG_INFINITY;
    }
    log_pois_raw(y, mu)
}

/// Binomial log probability `ln(C(n, k) p^k (1-p)^(n-k))` for real `0 <= k <= n`, `0 <= p <= 1`.
///
/// Real `k` and `n` are allowed (non-integer trials / weighted proportions). `k` outside
/// `[0, n]` gives `-∞`; invalid `n` or `p` gives NaN.
///
/// ```
/// use rustystats::stats::binomial_logpmf;
/// assert!((binomial_logpmf(2.0, 4.0, 0.5) - (6.0f64 / 16.0).ln()).abs() < 1e-14);
/// ```
pub fn binomial_logpmf(k: f64, n: f64, p: f64) -> f64 {
    if k.is_nan() || n.is_nan() || p.is_nan() || n < 0.0 || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if k < 0.0 || k > n || n.is_infinite() {
        return f64::NEG_INFINITY;
    }
    let q = 1.0 - p;
    if k == 0.0 {
        return if n == 0.0 { 0.0 } else { n * (-p).ln_1p() };
    }
    if k == n {
        return n * p.ln();
    }
    if p == 0.0 || p == 1.0 {
        return f64::NEG_INFINITY;
    }
    if k >= 1.0 && n - k >= 1.0 {
        log_binom_raw(k, n - k, n * p, n * q)
    } else {
        ln_choose(n, k) + k * p.ln() + (n - k) * (-p).ln_1p()
    }
}

/// Gamma log density with `shape > 0` and `scale > 0` at `y`:
/// `ln(y^(shape-1) e^(-y/scale) / (Γ(shape) scale^shape))`.
///
/// A gamma GLM with mean `μ` and dispersion `φ` uses `shape = 1/φ`, `scale = μ φ`.
/// At `y = 0` the value is `+∞`, `-ln(scale)` or `-∞` for shape below, equal to or above
/// 1; `y < 0` gives `-∞`. Evaluated as a Poisson saddle-point term, so small dispersions
/// (large shapes) do not lose accuracy.
///
/// ```
/// use rustystats::stats::gamma_logpdf;
/// // shape 1 is the exponential distribution
/// assert!((gamma_logpdf(3.0, 1.0, 2.0) - (0.5f64.ln() - 1.5)).abs() < 1e-15);
/// ```
pub fn gamma_logpdf(y: f64, shape: f64, scale: f64) -> f64 {
    if y.is_nan() || shape.is_nan() || scale.is_nan() || shape <= 0.0 || scale <= 0.0 {
        return f64::NAN;
    }
    if y < 0.0 || y.is_infinite() {
        return f64::NEG_INFINITY;
    }
    if y == 0.0 {
        return if shape < 1.0 {
            f64::INFINITY
        } else if shape == 1.0 {
            -scale.ln()
        } else {
            f64::NEG_INFINITY
        };
    }
    if shape < 1.0 {
        log_pois_raw(shape, y / scale) + (shape / y).ln()
    } else {
        log_pois_raw(shape - 1.0, y / scale) - scale.ln()
    }
}

/// Normal log density with mean `mean` and variance `var` (not standard deviation):
/// `-½ (ln(2π var) + (y - mean)² / var)`.
///
/// `var = 0` gives a point mass (`+∞` at `y = mean`, `-∞` elsewhere); `var < 0` gives NaN.
pub fn normal_logpdf(y: f64, mean: f64, var: f64) -> f64 {
    if y.is_nan() || mean.is_nan() || var.is_nan() || var < 0.0 {
        return f64::NAN;
    }
    if var == 0.0 {
        return if y == mean {
            f64::INFINITY
        } else {
            f64::NEG_INFINITY
        };
    }
    let r = y - mean;
    -0.5 * ((2.0 * PI * var).ln() + r * r / var)
}

/// Inverse Gaussian log density with mean `mu` and **dispersion** `phi` (variance `φ μ³`;
/// the usual shape parameter is `λ = 1/φ`):
/// `-½ (ln(2π φ y³) + (y - μ)² / (φ μ² y))`.
///
/// This is the parametrization of R's `inverse.gaussian()` family and of statsmodels'
/// `InverseGaussian().loglike_obs(y, mu, scale=phi)`. `y <= 0` gives `-∞`; non-positive
/// `mu` or `phi` give NaN.
pub fn inverse_gaussian_logpdf(y: f64, mu: f64, phi: f64) -> f64 {
    if y.is_nan() || mu.is_nan() || phi.is_nan() || mu <= 0.0 || phi <= 0.0 {
        return f64::NAN;
    }
    if y <= 0.0 || y.is_infinite() {
        return f64::NEG_INFINITY;
    }
    let r = (y - mu) / mu;
    -0.5 * ((2.0 * PI * phi).ln() + 3.0 * y.ln() + r * r / (phi * y))
}

/// Negative binomial (NB2) log probability with mean `mu` and size/shape `theta`:
/// variance `μ + μ²/θ`, the Gamma–Poisson mixture
/// `Γ(y+θ) / (Γ(θ) Γ(y+1)) (θ/(θ+μ))^θ (μ/(θ+μ))^y`, for real `y >= 0`.
///
/// `θ = +∞` gives the Poisson; `μ = 0` gives 0 at `y = 0` and `-∞` otherwise; `y < 0`
/// gives `-∞`; `θ <= 0` or `μ < 0` gives NaN. This is R's `dnbinom(y, size = theta,
/// mu = mu, log = TRUE)` (statsmodels' `NegativeBinomial(alpha = 1/theta)`).
///
/// ```
/// use rustystats::stats::negbin_logpmf;
/// // theta = 1 is geometric: P(Y = y) = (1/(1+mu)) (mu/(1+mu))^y
/// let want = (1.0f64 / 3.0).ln() + 2.0 * (2.0f64 / 3.0).ln();
/// assert!((negbin_logpmf(2.0, 2.0, 1.0) - want).abs() < 1e-14);
/// ```
pub fn negbin_logpmf(y: f64, mu: f64, theta: f64) -> f64 {
    if y.is_nan() || mu.is_nan() || theta.is_nan() || mu < 0.0 || theta <= 0.0 {
        return f64::NAN;
    }
    if y < 0.0 || y.is_infinite() {
        return f64::NEG_INFINITY;
    }
    if theta.is_infinite() {
        return log_pois_raw(y, mu);
    }
    if mu == 0.0 {
        return if y == 0.0 { 0.0 } else { f64::NEG_INFINITY };
    }
    // ln(θ/(θ+μ)) and ln(μ/(θ+μ)), each without cancellation (or overflow).
    let log_ratio = |num: f64, other: f64| {
        let r = other / num;
        if r.is_finite() {
            -r.ln_1p()
        } else {
            num.ln() - (num + other).ln()
        }
    };
    let log_p = log_ratio(theta, mu);
    let log_q = log_ratio(mu, theta);
    if y == 0.0 {
        return theta * log_p;
    }
    if y >= 1.0 && theta >= 1.0 {
        // P(Y = y) = θ/(θ+y) · Binomial(θ; θ + y, θ/(θ+μ)) continued to real arguments.
        let scale = (theta + y) / (theta + mu);
        return -(y / theta).ln_1p() + log_binom_raw(theta, y, theta * scale, mu * scale);
    }
    if theta >= 10.0 {
        // y < 1: Stirling's formula for ln Γ(θ+y) - ln Γ(θ), arranged so that the large
        // pieces cancel analytically (the result is then close to a Poisson log-pmf).
        let u = y / theta;
        return y * (log_q + (theta + y).ln())
            - theta * (mu / theta).ln_1p()
            - theta * log1pmx_neg(u)
            - 0.5 * u.ln_1p()
            - ln_gamma_1p(y)
            + stirling_remainder(theta + y)
            - stirling_remainder(theta);
    }
    // ln Γ(y+θ) - ln Γ(θ) - ln Γ(y+1) = -ln B(θ, y+1) - ln(θ+y)
    -ln_beta(theta, y + 1.0) - (theta + y).ln() + theta * log_p + y * log_q
}
