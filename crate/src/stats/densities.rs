//! Log densities / log probability mass functions used in GLM log-likelihoods.
//!
//! Discrete-type densities (Poisson, binomial, negative binomial, and the gamma density,
//! which is a Poisson term in disguise) use Loader's saddle-point decomposition, so they
//! stay accurate when counts and means are large; all accept real (non-integer) responses,
//! continuing the factorials through `ln Γ`.

use super::saddle::{log1pmx_neg, log_binom_raw, log_pois_raw};
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Log-likelihood terms are compared with `|got - want| <= tol * max(|want|, 1)`:
    /// relative accuracy for large values, absolute accuracy for values near zero.
    fn assert_ll(got: f64, want: f64, tol: f64) {
        let err = (got - want).abs() / want.abs().max(1.0);
        assert!(
            err <= tol,
            "got {got:e}, want {want:e}, err {err:e} > {tol:e}"
        );
    }

    // References: scipy 1.17.1 (scipy.stats.*.logpmf / logpdf) where it is exact to 3e-16;
    // otherwise 50-digit mpmath evaluations of the defining formula (noted), because scipy's
    // gammaln-difference formulas lose up to 1e-5 relative for large counts / shapes.

    #[test]
    fn poisson() {
        let cases = [
            ((0.0, 2.5), -2.5),                     // poisson.logpmf(0, 2.5)
            ((3.0, 2.0), -1.7123179275482192),      // poisson.logpmf(3, 2)
            ((7.0, 3.0), -3.8348753403886464),      // poisson.logpmf(7, 3)
            ((100.0, 3.0), -256.8781466887525),     // poisson.logpmf(100, 3)
            ((1000.0, 1000.0), -4.372899506026297), // mpmath (scipy: 2.4e-13 off)
            ((1e6, 1000500.0), -7.951652244472229), // mpmath (scipy: 9.3e-11 off)
            ((0.0, 1e-300), -1e-300),               // poisson.logpmf(0, 1e-300)
            ((5.0, 1e-10), -119.91674639258434),    // poisson.logpmf(5, 1e-10)
            // non-integer y: mpmath y ln(mu) - mu - lgamma(y + 1)
            ((2.5, 3.0), -1.4544428806768),
            ((1e-10, 1e-10), -2.344863526512117e-9),
            ((0.3, 1e-300), -207.12448355995625),
            ((10000.5, 10.0), -59096.53082201214),
        ];
        for ((y, mu), want) in cases {
            assert_ll(poisson_logpmf(y, mu), want, 2e-15);
        }
        assert_eq!(poisson_logpmf(0.0, 0.0), 0.0);
        assert_eq!(poisson_logpmf(2.0, 0.0), f64::NEG_INFINITY);
        assert_eq!(poisson_logpmf(-1.0, 2.0), f64::NEG_INFINITY);
        assert!(poisson_logpmf(1.0, -2.0).is_nan());
    }

    #[test]
    fn binomial() {
        let cases = [
            ((2.0, 4.0, 0.5), -0.980829253011726), // binom.logpmf(2, 4, 0.5)
            ((0.0, 10.0, 0.3), -3.5667494393873245), // binom.logpmf(0, 10, 0.3)
            ((10.0, 10.0, 0.3), -12.03972804325936), // binom.logpmf(10, 10, 0.3)
            ((3.0, 10.0, 1e-12), -78.1055716050106), // binom.logpmf(3, 10, 1e-12)
            ((5e5, 1e6, 0.5), -7.133546881626865), // mpmath (scipy: 9.6e-11 off)
            ((37.0, 1000.0, 0.77), -1269.386376742187), // mpmath (scipy: 9e-16 off)
            // non-integer k, n: mpmath lgamma form
            ((2.5, 7.3, 0.4), -1.2578357487477132),
            ((0.3, 1.5, 0.2), -0.454693422117141),
            ((370000.0, 1e6, 0.37), -7.098550219883621),
        ];
        for ((k, n, p), want) in cases {
            assert_ll(binomial_logpmf(k, n, p), want, 2e-15);
        }
        assert_eq!(binomial_logpmf(0.0, 5.0, 0.0), 0.0);
        assert_eq!(binomial_logpmf(5.0, 5.0, 1.0), 0.0);
        assert_eq!(binomial_logpmf(2.0, 5.0, 0.0), f64::NEG_INFINITY);
        assert_eq!(binomial_logpmf(6.0, 5.0, 0.5), f64::NEG_INFINITY);
        assert!(binomial_logpmf(1.0, 5.0, 1.5).is_nan());
    }

    #[test]
    fn gamma() {
        let cases = [
            ((3.0, 1.0, 2.0), -2.1931471805599454), // gamma.logpdf(3, 1, scale=2)
            ((2.5, 1000.0, 0.001), -582.090703084763), // gamma.logpdf(2.5, 1000, scale=1e-3)
            ((1e-10, 0.5, 1e4), 6.335390336057426), // gamma.logpdf(1e-10, 0.5, scale=1e4)
            ((100.0, 10.0, 7.5), -4.837659344944628), // gamma.logpdf(100, 10, scale=7.5)
            ((1.0, 1e6, 1e-6), 5.988816662444131),  // mpmath (scipy: 1.1e-10 off)
            ((1e-300, 1e6, 1e4), -712800682.0638096), // gamma.logpdf(1e-300, 1e6, scale=1e4)
            ((5.0, 0.01, 1.0), -11.192823411351782), // gamma.logpdf(5, 0.01)
        ];
        for ((y, a, s), want) in cases {
            assert_ll(gamma_logpdf(y, a, s), want, 2e-15);
        }
        assert_eq!(gamma_logpdf(0.0, 0.5, 1.0), f64::INFINITY);
        assert_eq!(gamma_logpdf(0.0, 1.0, 2.0), -(2f64.ln()));
        assert_eq!(gamma_logpdf(0.0, 2.0, 1.0), f64::NEG_INFINITY);
        assert!(gamma_logpdf(1.0, 0.0, 1.0).is_nan());
    }

    #[test]
    fn normal_and_inverse_gaussian() {
        // norm.logpdf(y, m, sqrt(v))
        assert_ll(normal_logpdf(0.0, 2.5, 1.0), -4.043938533204672, 2e-16);
        assert_ll(normal_logpdf(1e6, -1e3, 1e8), -5020.1342789051805, 2e-16);
        assert_ll(normal_logpdf(2.5, 2.5, 1e-10), 10.593986931765556, 2e-16);
        assert_eq!(normal_logpdf(1.0, 1.0, 0.0), f64::INFINITY);
        // statsmodels 0.15 InverseGaussian().loglike_obs(y, mu, scale=phi), i.e. scipy
        // invgauss.logpdf(y, mu * phi, scale=1 / phi); mpmath where they differ.
        let cases = [
            ((1.0, 1.0, 0.2), -0.11421957698762258), // mpmath (statsmodels: 5e-16 off)
            ((0.01, 1.0, 10.0), -0.06297580071955845), // mpmath (statsmodels: 7e-15 off)
            ((2.5, 3.0, 1e-3), -4.395052547080392),
            ((100.0, 0.5, 1.0), -205.8316938121868),
        ];
        for ((y, mu, phi), want) in cases {
            assert_ll(inverse_gaussian_logpdf(y, mu, phi), want, 2e-15);
        }
        assert_eq!(inverse_gaussian_logpdf(0.0, 1.0, 1.0), f64::NEG_INFINITY);
    }

    #[test]
    fn negative_binomial() {
        let cases = [
            ((2.0, 2.0, 1.0), -1.9095425048844383), // nbinom.logpmf(2, 1, 1/3)
            ((0.0, 3.0, 0.5), -0.9729550745276567), // nbinom.logpmf(0, 0.5, 0.5/3.5)
            ((17.0, 3.0, 2.5), -8.204121873254751), // mpmath (scipy: 7e-16 off)
            ((100.0, 17.0, 50.0), -60.077057178196945), // mpmath (scipy: 4e-16 off)
            ((5.0, 5.0, 1e10), -1.7403021808615442), // mpmath (scipy: 1.6e-5 off)
            ((3.0, 1e4, 1e-3), -8.020986588026455), // nbinom.logpmf(3, 1e-3, 1e-3/(1e4+1e-3))
            ((1e4, 1e4, 1e5), -5.571772218185833),  // mpmath (scipy: 2.6e-11 off)
            ((0.0, 1e7, 1e-3), -0.023025850930040455), // nbinom.logpmf(0, 1e-3, ...)
            // non-integer y: mpmath lgamma form
            ((2.5, 3.0, 1.5), -1.9500130987563495),
            ((1e-8, 1e-8, 1e10), -1.8843465087325503e-7),
            ((0.5, 1e-300, 1e15), -345.2669817114716),
            ((3.5, 1e-300, 1e15), -2420.16808421459),
        ];
        for ((y, mu, theta), want) in cases {
            assert_ll(negbin_logpmf(y, mu, theta), want, 2e-15);
        }
        // theta -> infinity is Poisson; mu = 0 is a point mass at zero
        assert_eq!(
            negbin_logpmf(4.0, 2.0, f64::INFINITY),
            poisson_logpmf(4.0, 2.0)
        );
        assert_ll(
            negbin_logpmf(4.0, 2.0, 1e15),
            poisson_logpmf(4.0, 2.0),
            1e-14,
        );
        assert_eq!(negbin_logpmf(0.0, 0.0, 2.0), 0.0);
        assert_eq!(negbin_logpmf(1.0, 0.0, 2.0), f64::NEG_INFINITY);
        assert!(negbin_logpmf(1.0, 1.0, 0.0).is_nan());
    }
}
