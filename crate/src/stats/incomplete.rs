//! Regularized incomplete gamma and beta functions, plus the saddle-point helpers of
//! Loader (2000, "Fast and accurate computation of binomial probabilities") that
//! keep Poisson/binomial-type log densities accurate when their arguments are large.
//!
//! Both incomplete functions return the pair (lower, upper) = (P, 1 - P) with each
//! member computed so that it is accurate in the *relative* sense when it is small.

use super::special::{ln_beta, ln_gamma_1p, stirling_remainder, LN_SQRT_2PI};

const EPS: f64 = f64::EPSILON;
/// Tiny number used by the modified Lentz algorithm to avoid division by zero.
const LENTZ_TINY: f64 = 1e-300;
const MAX_ITER: usize = 10_000_000;

/// Taylor coefficients of `ln(sinh(s/2) / (s/2)) = Σ_{n>=1} c_n s^(2n)`,
/// `c_n = B_{2n} / (2n (2n)!)`.
const LOG_SINHC: [f64; 20] = [
    0.041666666666666664,
    -0.00034722222222222224,
    5.5114638447971785e-6,
    -1.033399470899471e-7,
    2.08767569878681e-9,
    -4.403491782239578e-11,
    9.55895466477477e-13,
    -2.1185501852016142e-14,
    4.770034475709914e-16,
    -1.087434349279031e-17,
    2.5040921947091955e-19,
    -5.814360285755218e-21,
    1.3595027075497952e-22,
    -3.1976847953705525e-24,
    7.559841507792277e-26,
    -1.7952470840225633e-27,
    4.279919045926073e-29,
    -1.0238874835181417e-30,
    2.4570353308144855e-32,
    -5.912556039251575e-34,
];

/// `t - ln(1 + t)` for `t > -1`, accurate also for small `|t|`.
pub(crate) fn log1pmx_neg(t: f64) -> f64 {
    if t.abs() > 0.5 {
        return t - t.ln_1p();
    }
    // ln(1 + t) = 2 atanh(r) with r = t / (2 + t), and t - 2r = r t, so
    // t - ln(1 + t) = r t - 2 (r³/3 + r⁵/5 + …).
    let r = t / (2.0 + t);
    let r2 = r * r;
    let mut pow = r * r2;
    let mut sum = 0.0;
    let mut k = 3.0;
    loop {
        let term = pow / k;
        sum += term;
        if term.abs() <= EPS * 1e-2 * sum.abs() {
            break;
        }
        pow *= r2;
        k += 2.0;
    }
    r * t - 2.0 * sum
}

/// Loader's `stirlerr(n) = ln Γ(n + 1) - (n + ½) ln n + n - ln √(2π)`, for `n > 0`.
pub(crate) fn stirlerr(n: f64) -> f64 {
    if n >= 10.0 {
        stirling_remainder(n)
    } else {
        ln_gamma_1p(n) - (n + 0.5) * n.ln() + n - LN_SQRT_2PI
    }
}

/// Loader's deviance term `bd0(x, m) = x ln(x / m) + m - x >= 0`, for `x > 0, m > 0`.
pub(crate) fn bd0(x: f64, m: f64) -> f64 {
    if (x - m).abs() < 0.1 * (x + m) {
        // Series in v = (x - m) / (x + m): bd0 = (x - m) v + 2x (v³/3 + v⁵/5 + …).
        let v = (x - m) / (x + m);
        let v2 = v * v;
        let mut s = (x - m) * v;
        let mut ej = 2.0 * x * v;
        let mut j = 1.0;
        loop {
            ej *= v2;
            let next = s + ej / (2.0 * j + 1.0);
            if next == s {
                return s;
            }
            s = next;
            j += 1.0;
        }
    }
    let r = x / m;
    if r.is_finite() && r >= f64::MIN_POSITIVE {
        x * r.ln() + m - x
    } else {
        x * (x.ln() - m.ln()) + m - x
    }
}

/// `ln(λ^x e^(-λ) / Γ(x + 1))` for real `x >= 0`, `λ >= 0` (the Poisson log-pmf
/// continued to real `x`).
pub(crate) fn log_pois_raw(x: f64, lambda: f64) -> f64 {
    if lambda == 0.0 {
        return if x == 0.0 { 0.0 } else { f64::NEG_INFINITY };
    }
    if !lambda.is_finite() {
        return f64::NEG_INFINITY;
    }
    if x == 0.0 {
        return -lambda;
    }
    if x < 1.0 {
        // No cancellation among these terms for x < 1.
        return x * lambda.ln() - lambda - ln_gamma_1p(x);
    }
    -stirlerr(x) - bd0(x, lambda) - 0.5 * (2.0 * std::f64::consts::PI * x).ln()
}

/// `ln(C(n, x) p^x q^(n-x))` for real `x >= 1` and `n - x >= 1` (Loader's saddle-point
/// form), given `x`, `nmx = n - x` (so that `n - x` is exact) and the two means
/// `np = n p`, `nq = n (1 - p)` (so that callers can form them without cancellation).
pub(crate) fn log_binom_raw(x: f64, nmx: f64, np: f64, nq: f64) -> f64 {
    let n = x + nmx;
    let lc = stirlerr(n) - stirlerr(x) - stirlerr(nmx) - bd0(x, np) - bd0(nmx, nq);
    lc + 0.5 * (n / (2.0 * std::f64::consts::PI * x * nmx)).ln()
}

/// Regularized incomplete gamma functions `(P(a, x), Q(a, x))` for `a > 0, x >= 0`.
pub(crate) fn gamma_inc(a: f64, x: f64) -> (f64, f64) {
    if a.is_nan() || x.is_nan() || a <= 0.0 || x < 0.0 {
        return (f64::NAN, f64::NAN);
    }
    if x == 0.0 {
        return (0.0, 1.0);
    }
    if x.is_infinite() {
        return (1.0, 0.0);
    }
    if a.is_infinite() {
        return (0.0, 1.0);
    }
    if x < a + 1.0 {
        let p = gamma_p_series(a, x);
        if a < 1.0 && x < 2.0 {
            // Q is small here: compute it directly rather than as 1 - P.
            let q = gamma_q_small_a(a, x);
            (p, q)
        } else {
            (p, 1.0 - p)
        }
    } else {
        let q = gamma_q_cf(a, x);
        (1.0 - q, q)
    }
}

/// `P(a, x) = x^a e^(-x) / Γ(a + 1) · Σ_n x^n / ((a+1)…(a+n))`, for `x < a + 1`.
fn gamma_p_series(a: f64, x: f64) -> f64 {
    let mut term = 1.0;
    let mut sum = 1.0;
    let mut ap = a;
    for _ in 0..MAX_ITER {
        ap += 1.0;
        term *= x / ap;
        sum += term;
        if term <= EPS * 0.5 * sum {
            break;
        }
    }
    (log_pois_raw(a, x) + sum.ln()).exp()
}

/// `Q(a, x)` for `a < 1, x < 2` from `γ(a, x) = Σ_n (-1)^n x^(a+n) / (n! (a + n))`:
/// `Q = -expm1(a ln x - ln Γ(a+1)) - x^a / Γ(a+1) · a Σ_{n>=1} (-x)^n / (n! (a+n))`.
fn gamma_q_small_a(a: f64, x: f64) -> f64 {
    let lead = a * x.ln() - ln_gamma_1p(a);
    let mut sum = 0.0;
    let mut pow = 1.0;
    let mut n = 1.0;
    loop {
        pow *= -x / n;
        let term = pow / (a + n);
        sum += term;
        if term.abs() <= EPS * 1e-2 * sum.abs() {
            break;
        }
        n += 1.0;
    }
    -lead.exp_m1() - lead.exp() * a * sum
}

/// `Q(a, x)` by Legendre's continued fraction (modified Lentz), for `x >= a + 1`:
/// `Q = x^a e^(-x) / Γ(a) · 1/(x+1-a- 1(1-a)/(x+3-a- 2(2-a)/(x+5-a- …)))`.
fn gamma_q_cf(a: f64, x: f64) -> f64 {
    let mut b = x + 1.0 - a;
    let mut c = 1.0 / LENTZ_TINY;
    let mut d = 1.0 / b;
    let mut h = d;
    for i in 1..MAX_ITER {
        let fi = i as f64;
        let an = -fi * (fi - a);
        b += 2.0;
        d = an * d + b;
        if d.abs() < LENTZ_TINY {
            d = LENTZ_TINY;
        }
        c = b + an / c;
        if c.abs() < LENTZ_TINY {
            c = LENTZ_TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() <= EPS {
            break;
        }
    }
    (log_pois_raw(a, x) + (a * h).ln()).exp()
}

/// Regularized incomplete beta `(I_x(a, b), 1 - I_x(a, b))` for `a, b > 0`, where the
/// caller passes both `x` and `y = 1 - x` (so that no precision is lost forming `1 - x`).
pub(crate) fn beta_inc(a: f64, b: f64, x: f64, y: f64) -> (f64, f64) {
    if a.is_nan() || b.is_nan() || x.is_nan() || y.is_nan() || a <= 0.0 || b <= 0.0 {
        return (f64::NAN, f64::NAN);
    }
    if x <= 0.0 {
        return (0.0, 1.0);
    }
    if y <= 0.0 {
        return (1.0, 0.0);
    }
    if a >= LARGE_PARAM && b <= a.sqrt() {
        if let Some(r) = beta_inc_large_a(a, b, y) {
            return r;
        }
    }
    if b >= LARGE_PARAM && a <= b.sqrt() {
        if let Some((i, ic)) = beta_inc_large_a(b, a, x) {
            return (ic, i);
        }
    }
    if x * (a + b + 2.0) < a + 1.0 {
        let w = (log_beta_prefactor(a, b, x, y) + (beta_cf(a, b, x) / a).ln()).exp();
        (w, 1.0 - w)
    } else {
        let w = (log_beta_prefactor(b, a, y, x) + (beta_cf(b, a, y) / b).ln()).exp();
        (1.0 - w, w)
    }
}

/// Parameter size above which the large-parameter expansion is tried.
const LARGE_PARAM: f64 = 500.0;

/// `(I_x(a, b), 1 - I_x(a, b))` for large `a` and `b << a`, given `y = 1 - x`.
///
/// With `x = e^(-u)` and `T = a + (b - 1)/2`,
/// `I_x(a, b) = Γ(a+b) / (Γ(a) Γ(b)) ∫_u^∞ e^(-T s) s^(b-1) g(s) ds` where
/// `g(s) = (sinh(s/2) / (s/2))^(b-1) = Σ_k g_k s^(2k)`. Integrating term by term gives the
/// asymptotic series `Γ(a+b) / (Γ(a) T^b) Σ_k g_k (b)_(2k) T^(-2k) Q(b + 2k, T u)`, and the
/// complement is the same series with `P` in place of `Q`. Returns `None` when the
/// series does not settle.
fn beta_inc_large_a(a: f64, b: f64, y: f64) -> Option<(f64, f64)> {
    let t = a + 0.5 * (b - 1.0);
    let u = -(-y).ln_1p();
    let z = t * u;
    // ln(Γ(a+b) / (Γ(a) T^b)) from Stirling's formula, free of cancellation.
    let ln_pref = -a * log1pmx_neg(b / a) - 0.5 * (b / a).ln_1p()
        + b * ((b + 1.0) / (2.0 * t)).ln_1p()
        + stirling_remainder(a + b)
        - stirling_remainder(a);
    let pref = ln_pref.exp();
    let c = b - 1.0;
    let mut g = [0.0; LOG_SINHC.len() + 1];
    g[0] = 1.0;
    let (mut lower, mut upper) = (0.0, 0.0);
    let mut poch = 1.0; // (b)_(2k) / T^(2k)
    let mut prev = f64::INFINITY;
    for k in 0..g.len() {
        if k > 0 {
            let acc: f64 = (1..=k)
                .map(|n| n as f64 * LOG_SINHC[n - 1] * g[k - n])
                .sum();
            g[k] = c / k as f64 * acc;
            let j = 2.0 * k as f64;
            poch *= (b + j - 2.0) * (b + j - 1.0) / (t * t);
        }
        let coef = g[k] * poch;
        if k > 1 && coef.abs() > prev {
            return None; // asymptotic series started to diverge
        }
        prev = coef.abs();
        let (p, q) = gamma_inc(b + 2.0 * k as f64, z);
        let (tl, tu) = (coef * p, coef * q);
        lower += tl;
        upper += tu;
        if tl.abs() <= 0.5 * EPS * lower.abs() && tu.abs() <= 0.5 * EPS * upper.abs() {
            return Some((pref * upper, pref * lower));
        }
    }
    None
}

/// `ln(x^a y^b / B(a, b))` with `y = 1 - x`, accurate when `a` and `b` are both large.
fn log_beta_prefactor(a: f64, b: f64, x: f64, y: f64) -> f64 {
    if a < 10.0 || b < 10.0 {
        // Take the log of whichever of x, y is smaller directly, the other through ln_1p.
        let (lx, ly) = if x <= y {
            (x.ln(), (-x).ln_1p())
        } else {
            ((-y).ln_1p(), y.ln())
        };
        return a * lx + b * ly - ln_beta(a, b);
    }
    // Expand about the mode x0 = a/s: with d = x - x0, u = d/x0, v = d/y0,
    // a ln(x/x0) + b ln(y/y0) = -a (u - ln(1+u)) - b (-v - ln(1-v)).
    let s = a + b;
    let x0 = a / s;
    let y0 = b / s;
    let d = if x <= 0.5 { x - x0 } else { y0 - y };
    let u = d / x0;
    let v = d / y0;
    let corr = stirling_remainder(a) + stirling_remainder(b) - stirling_remainder(s);
    0.5 * (a * y0 / (2.0 * std::f64::consts::PI)).ln()
        - a * log1pmx_neg(u)
        - b * log1pmx_neg(-v)
        - corr
}

/// Continued fraction for `I_x(a, b) · a B(a, b) / (x^a y^b)` (modified Lentz).
fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    let qab = a + b;
    let qap = a + 1.0;
    let qam = a - 1.0;
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < LENTZ_TINY {
        d = LENTZ_TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..MAX_ITER {
        let m = m as f64;
        let m2 = 2.0 * m;
        // even step
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < LENTZ_TINY {
            d = LENTZ_TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < LENTZ_TINY {
            c = LENTZ_TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        // odd step
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < LENTZ_TINY {
            d = LENTZ_TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < LENTZ_TINY {
            c = LENTZ_TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() <= EPS {
            break;
        }
    }
    h
}
