//! Saddle-point building blocks of Loader (2000), "Fast and accurate computation of
//! binomial probabilities": they keep Poisson/binomial-type log densities (and the
//! prefactors of the incomplete gamma/beta functions) accurate when arguments are large,
//! by splitting off Stirling's formula analytically.

use std::sync::OnceLock;

use super::special::{ln_gamma_1p, stirling_remainder, LN_SQRT_2PI};

const EPS: f64 = f64::EPSILON;

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
    // Counts are mostly small integers: their values are computed once (the same numbers).
    let twice = 2.0 * n;
    if twice <= HALVES as f64 && twice == twice.trunc() {
        static TABLE: OnceLock<[f64; HALVES + 1]> = OnceLock::new();
        let table = TABLE.get_or_init(|| std::array::from_fn(|k| stirlerr_at(k as f64 / 2.0)));
        return table[twice as usize];
    }
    stirlerr_at(n)
}

/// [`stirlerr`] at `n / 2` for `n = 0, 1, ..., HALVES` comes from a table.
const HALVES: usize = 40;

fn stirlerr_at(n: f64) -> f64 {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::assert_rel;

    // References: 50-digit mpmath evaluations of the defining formulas.
    #[test]
    fn stirlerr_bd0_log1pmx() {
        // lgamma(n+1) - (n+1/2) ln n + n - ln sqrt(2 pi): below 10 the direct formula loses
        // ~1e-15 absolute to cancellation, hence the looser tolerance there.
        for (n, want, tol) in [
            (0.1, 0.512740081331915, 1e-15),
            (1.0, 0.08106146679532726, 2e-14),
            (5.0, 0.016644691189821193, 2e-13),
            (9.99, 0.00833889679773433, 5e-13),
            (10.0, 0.00833056343336287, 1e-15),
            (100.0, 0.0008333305556349147, 1e-15),
            (1e10, 8.333333333333334e-12, 1e-15),
        ] {
            assert_rel(stirlerr(n), want, tol);
        }
        // x ln(x/m) + m - x
        assert_rel(bd0(1e10, 1e10 + 1.0), 4.9999999996666664e-11, 1e-13);
        assert_rel(bd0(3.0, 2.5), 0.04696467038186388, 1e-15);
        assert_rel(bd0(1e-3, 50.0), 49.98818022171559, 1e-15);
        assert_rel(bd0(1e6, 1e-300), 703591038.456178, 1e-15);
        assert_eq!(bd0(7.0, 7.0), 0.0);
        // t - ln(1 + t)
        for (t, want) in [
            (1e-10, 4.999999999666667e-21),
            (-1e-5, 5.0000333335833364e-11),
            (0.3, 0.03763573553250894),
            (-0.4, 0.1108256237659907),
            (0.5, 0.09453489189183562),
            (-0.9, 1.402585092994046),
            (5.0, 3.208240530771945),
        ] {
            assert_rel(log1pmx_neg(t), want, 2e-15);
        }
    }
}
