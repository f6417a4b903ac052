//! Regularized incomplete gamma and beta functions.
//!
//! Both return the pair (lower, upper) = (P, 1 - P) with each member computed so that it
//! is accurate in the *relative* sense when it is small (tail probabilities).
//!
//! * Gamma: series for `P` below `x = a + 1`, Legendre's continued fraction for `Q` above,
//!   a direct series for `Q` when `a < 1` and `x < 2`. The prefactor `x^a e^(-x) / Γ(a+1)` is
//!   Loader's saddle-point form, accurate for large `a`.
//! * Beta: the classical continued fraction, with the prefactor `x^a y^b / B(a, b)` expanded
//!   about the mean when both parameters are large; an asymptotic expansion in incomplete
//!   gamma functions when one parameter is large and the other small (the continued
//!   fraction converges too slowly there); composite Gauss–Legendre quadrature when both
//!   parameters are large (the continued fraction loses accuracy to rounding there).

use super::saddle::{log1pmx_neg, log_pois_raw};
use super::special::{ln_beta, ln_gamma_1p, stirling_remainder};

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
    if a >= QUAD_PARAM && b >= QUAD_PARAM {
        // Both large: the continued fraction loses ~1e-11 to rounding near the mean.
        let s = a + b;
        return if x * s <= a {
            let w = beta_lower_quadrature(a, b, x, y);
            (w, 1.0 - w)
        } else {
            let w = beta_lower_quadrature(b, a, y, x);
            (1.0 - w, w)
        };
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

/// Both parameters at least this large: incomplete beta by quadrature.
const QUAD_PARAM: f64 = 100.0;

/// Gauss–Legendre 16-point rule on [-1, 1]: the positive nodes and their weights.
const GAUSS_LEGENDRE_16: [(f64, f64); 8] = [
    (0.09501250983763744, 0.1894506104550685),
    (0.2816035507792589, 0.18260341504492358),
    (0.45801677765722737, 0.16915651939500254),
    (0.6178762444026438, 0.14959598881657674),
    (0.755404408355003, 0.12462897125553388),
    (0.8656312023878318, 0.09515851168249279),
    (0.9445750230732326, 0.062253523938647894),
    (0.9894009349916499, 0.027152459411754096),
];

/// `I_x(a, b) = ∫_0^x t^(a-1) (1-t)^(b-1) dt / B(a, b)` for large `a, b` and `x` at or below
/// the mean, by composite Gauss–Legendre quadrature over panels laid out downward from `x`.
/// Panel widths follow the local scale of the integrand (the standard deviation near the
/// mode, the inverse log-slope in the tail); summation stops once a panel adds less than
/// 1e-17 of the total. The integrand is written relative to its value at `x` as a function
/// of the distance `r = x - t`, `ln f(x - r) = ln f(x) + (a-1) ln(1 - r/x) + (b-1) ln(1 + r/y)`,
/// so that no rounding of node positions enters (the tail is very sensitive to `t`).
fn beta_lower_quadrature(a: f64, b: f64, x: f64, y: f64) -> f64 {
    let s = a + b;
    let sd = (a * b / (s * s * (s + 1.0))).sqrt();
    let ln_f0 = log_beta_prefactor(a, b, x, y) - (x * y).ln();
    let ln_f = |r: f64| ln_f0 + (a - 1.0) * (-r / x).ln_1p() + (b - 1.0) * (r / y).ln_1p();
    let mut total = 0.0;
    let mut r0 = 0.0;
    for _ in 0..10_000 {
        let t = x - r0;
        if t <= 0.0 {
            break;
        }
        let slope = (a - 1.0) / t - (b - 1.0) / (y + r0); // d ln f / dt
        let mut width = if slope > 0.0 {
            (1.5 * sd).min(3.0 / slope)
        } else {
            1.5 * sd
        };
        if width >= t {
            width = t;
        }
        let (mid, half) = (r0 + 0.5 * width, 0.5 * width);
        let panel: f64 = GAUSS_LEGENDRE_16
            .iter()
            .map(|&(node, weight)| {
                weight * (ln_f(mid - half * node).exp() + ln_f(mid + half * node).exp())
            })
            .sum::<f64>()
            * half;
        total += panel;
        r0 += width;
        if width == t || (slope > 0.0 && panel <= 1e-17 * total) {
            break;
        }
    }
    total
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
    // Expand about the mean x0 = a/s (y0 = b/s): with d = x - x0, u = d/x0, v = d/y0,
    // a ln(x/x0) + b ln(y/y0) = -a (u - ln(1+u)) - b (-v - ln(1-v)), since a u = b v; and
    // Stirling's formula for ln B(a, b) supplies the rest.
    let s = a + b;
    let y0 = b / s;
    // d s = x b - a y, with the product a y split exactly (fused multiply-adds), so that
    // u = d s / a and v = d s / b are accurate even when x is very close to x0.
    let ay = a * y;
    let ay_err = a.mul_add(y, -ay);
    let ds = x.mul_add(b, -ay) - ay_err;
    let u = ds / a;
    let v = ds / b;
    // t - ln(1 + t) for t = u and t = -v; far from 0, take ln(x/x0), ln(y/y0) directly
    // (1 + u = x/x0 would lose relative accuracy when x << x0).
    let phi_u = if u.abs() <= 0.5 {
        log1pmx_neg(u)
    } else {
        u - (x * s / a).ln()
    };
    let phi_v = if v.abs() <= 0.5 {
        log1pmx_neg(-v)
    } else {
        -v - (y * s / b).ln()
    };
    let corr = stirling_remainder(a) + stirling_remainder(b) - stirling_remainder(s);
    0.5 * (a * y0 / (2.0 * std::f64::consts::PI)).ln() - a * phi_u - b * phi_v - corr
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::assert_rel;

    // References: 40-digit mpmath (gamma: series / continued fraction; beta: hypergeometric
    // series or quadrature), each pair checked to sum to 1. scipy 1.17.1
    // special.gammainc/gammaincc and betainc/betaincc agree to within 2e-15 except where noted.
    #[test]
    fn incomplete_gamma_both_tails() {
        let cases = [
            ((0.01, 0.5), 0.9943732438060329, 0.0056267561939671844), // small-a Q series
            ((0.5, 1.4), 0.9057356931587897, 0.09426430684121032),    // (scipy Q: 3e-15 off)
            ((1.0, 2.0), 0.8646647167633873, 0.1353352832366127),
            ((3.5, 0.1), 2.5156250830916172e-5, 0.9999748437491691),
            ((10.0, 30.0), 0.9999928782491372, 7.121750862815577e-6), // continued fraction
            ((1e4, 1.03e4), 0.9985295051036143, 0.0014704948963856813),
            ((1e8, 1e8 - 1e4), 0.15865525352814383, 0.8413447464718562), // large a, near mean
        ];
        for ((a, x), p, q) in cases {
            // a ~ 1e8: rounding accumulates over ~1e5 series terms
            let tol = if a > 1e6 { 5e-13 } else { 5e-15 };
            let (gp, gq) = gamma_inc(a, x);
            assert_rel(gp, p, tol);
            assert_rel(gq, q, tol);
        }
        assert_eq!(gamma_inc(200.0, 1e-300), (0.0, 1.0));
        assert_eq!(gamma_inc(2.0, 0.0), (0.0, 1.0));
        assert_eq!(gamma_inc(2.0, f64::INFINITY), (1.0, 0.0));
        assert!(gamma_inc(-1.0, 1.0).0.is_nan());
    }

    #[test]
    fn incomplete_beta_all_regimes() {
        // x >= 0.5 so that y = 1 - x is exact.
        let cases = [
            ((2.0, 3.0, 0.75), 0.94921875, 0.05078125), // continued fraction
            ((0.5, 0.5, 0.5), 0.5, 0.5),                // (scipy I: 2e-16 off)
            ((15.25, 0.5, 0.5), 5.052701779857541e-6, 0.9999949472982201), // (scipy I: 2e-15 off)
            ((5e4, 0.5, 0.99998), 0.15729816926360526, 0.8427018307363947), // large-a expansion
            (
                (1e9, 3.0, 0.999999995),
                0.12465202056851007,
                0.8753479794314899,
            ), // large-a expansion
            (
                (300.0, 400.0, 0.5),
                0.9999241873003976,
                7.581269960249226e-5,
            ), // quadrature
            ((1e6, 1e6, 0.5005), 0.9213504224190753, 0.07864957758092467), // quadrature
            ((1e9, 1e5, 0.99989), 9.275933317389828e-207, 1.0), // (scipy I: 9e-13 off)
            ((40.0, 0.05, 0.999), 0.12761776143651754, 0.8723822385634824),
            ((0.05, 40.0, 0.5), 0.9999999999999973, 2.651316426300395e-15),
        ];
        // tiny tails carry a relative error of about 1e-16 * |ln p| (they are exp of a log)
        let tol = |p: f64| 2e-14 + 2e-16 * p.ln().abs();
        for ((a, b, x), i, ic) in cases {
            let (got, got_c) = beta_inc(a, b, x, 1.0 - x);
            assert_rel(got, i, tol(i));
            assert_rel(got_c, ic, tol(ic));
            // symmetry I_x(a, b) = 1 - I_(1-x)(b, a)
            let (sym, sym_c) = beta_inc(b, a, 1.0 - x, x);
            assert_rel(sym, ic, tol(ic));
            assert_rel(sym_c, i, tol(i));
        }
        assert_eq!(beta_inc(2.0, 3.0, 0.0, 1.0), (0.0, 1.0));
        assert_eq!(beta_inc(2.0, 3.0, 1.0, 0.0), (1.0, 0.0));
        assert!(beta_inc(0.0, 3.0, 0.5, 0.5).0.is_nan());
    }
}
