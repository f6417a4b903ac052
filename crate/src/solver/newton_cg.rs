//! The Newton step by preconditioned conjugate gradients, for the iteration that leaves the
//! row sample.
//!
//! The step solves `X'WX d = s` (`s` the score). Forming `X'WX` on every row costs about as
//! much as eight products `X v` and `X' u`; conjugate gradients need one of each per
//! iteration, and with the sample's `X'WX` as the preconditioner (off by a few percent) each
//! iteration shrinks the error about twentyfold, so three or four iterations give the step to
//! within a tenth of the step tolerance. The full `X'WX` of the next iteration then confirms
//! convergence and gives the covariance, as before.

use crate::design::Design;
use crate::linalg::SpdFactor;

/// Products with `X'WX` allowed, the first one included; past them the caller forms `X'WX`.
const MAX_PRODUCTS: usize = 6;

/// `X'WX v` over the kept columns, `W` the working weights `ww`.
fn product(x: &dyn Design, ww: &[f64], keep: &[usize], v: &[f64]) -> Vec<f64> {
    let mut full = vec![0.0; x.ncols()];
    for (&j, &vj) in keep.iter().zip(v) {
        full[j] = vj;
    }
    let mut out = vec![0.0; x.ncols()];
    x.weighted_product(&full, ww, &mut out);
    keep.iter().map(|&j| out[j]).collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The Newton step `(X'WX)^-1 s` over the kept columns (`s` the score over them, `W` the
/// working weights `ww`), by conjugate gradients preconditioned with `approx` (an
/// approximation of `X'WX` on the kept columns), to within `tol` in the `X'WX` norm
/// (`sqrt(e' X'WX e)` for the error `e`, estimated by `sqrt(r' M^-1 r)` for the residual
/// `r`). `None` when that takes more than [`MAX_PRODUCTS`] products, or the iterations break
/// down.
pub(super) fn newton_step(
    x: &dyn Design,
    ww: &[f64],
    approx: &SpdFactor,
    keep: &[usize],
    s: &[f64],
    tol: f64,
) -> Option<Vec<f64>> {
    let mut d = approx.solve(s);
    let hd = product(x, ww, keep, &d);
    let mut r: Vec<f64> = s.iter().zip(&hd).map(|(a, b)| a - b).collect();
    let mut z = approx.solve(&r);
    let mut rz = dot(&r, &z);
    let mut p = z.clone();
    for _ in 1..MAX_PRODUCTS {
        if !rz.is_finite() || rz < 0.0 {
            return None;
        }
        if rz <= tol * tol {
            return Some(d);
        }
        let q = product(x, ww, keep, &p);
        let pq = dot(&p, &q);
        if !(pq.is_finite() && pq > 0.0) {
            return None;
        }
        let alpha = rz / pq;
        for ((di, ri), (pi, qi)) in d.iter_mut().zip(r.iter_mut()).zip(p.iter().zip(&q)) {
            *di += alpha * pi;
            *ri -= alpha * qi;
        }
        z = approx.solve(&r);
        let rz_next = dot(&r, &z);
        let beta = rz_next / rz;
        for (pi, zi) in p.iter_mut().zip(&z) {
            *pi = zi + beta * *pi;
        }
        rz = rz_next;
    }
    (rz.is_finite() && rz >= 0.0 && rz <= tol * tol).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::{DenseDesign, Design};
    use crate::family::Family;
    use crate::link::Link;
    use crate::solver::problem::IrlsInput;
    use crate::solver::state::State;
    use faer::Mat;

    /// A Poisson fit's state at some coefficients, on a small dense design.
    fn setup(n: usize, k: usize) -> (DenseDesign, Vec<f64>, Vec<f64>, Vec<f64>) {
        let cols: Vec<Vec<f64>> = (0..k)
            .map(|j| {
                (0..n)
                    .map(|i| match j {
                        0 => 1.0,
                        _ => (((i * (7 + 3 * j)) % 23) as f64 - 11.0) / 8.0,
                    })
                    .collect()
            })
            .collect();
        let names = (0..k).map(|j| format!("x{j}")).collect();
        let x = DenseDesign::from_columns(names, cols).unwrap();
        let y = (0..n).map(|i| ((i * 13) % 5) as f64).collect();
        (x, y, vec![1.0; n], vec![0.0; n])
    }

    fn state(inp: &IrlsInput<'_>, beta: &[f64]) -> State {
        let mut st = State::new(inp);
        st.set_beta(inp, beta);
        st
    }

    /// A Poisson log-link fit's input.
    fn input<'a>(x: &'a DenseDesign, y: &'a [f64], w: &'a [f64], o: &'a [f64]) -> IrlsInput<'a> {
        IrlsInput {
            x,
            y,
            weights: w,
            offset: o,
            family: Family::Poisson,
            link: Link::Log,
        }
    }

    #[test]
    fn conjugate_gradients_give_the_newton_step() {
        let (x, y, w, o) = setup(500, 4);
        let inp = input(&x, &y, &w, &o);
        let st = state(&inp, &[0.3, 0.1, -0.2, 0.05]);
        let keep = [0, 1, 2, 3];
        let g = x.sandwich(&st.ww);
        let exact = SpdFactor::new(&g).unwrap().solve(&st.score.clone());
        // A preconditioner a few percent off, as a sample's X'WX is.
        let approx = Mat::from_fn(4, 4, |i, j| g[(i, j)] * if i == j { 1.04 } else { 0.97 });
        let approx = SpdFactor::new(&approx).unwrap();
        let d = newton_step(&x, &st.ww, &approx, &keep, &st.score, 1e-9).expect("converges");
        for (a, b) in d.iter().zip(&exact) {
            assert!((a - b).abs() <= 1e-8 * b.abs().max(1e-3), "{a} vs {b}");
        }
    }

    #[test]
    fn a_poor_preconditioner_gives_up() {
        // Ten columns, so conjugate gradients cannot end early by running out of directions.
        let (x, y, w, o) = setup(500, 10);
        let inp = input(&x, &y, &w, &o);
        let beta: Vec<f64> = (0..10).map(|j| 0.02 * j as f64).collect();
        let st = state(&inp, &beta);
        let keep: Vec<usize> = (0..10).collect();
        let g = x.sandwich(&st.ww);
        let poor = Mat::from_fn(10, 10, |i, j| if i == j { g[(0, 0)] } else { 0.0 });
        let poor = SpdFactor::new(&poor).unwrap();
        assert!(newton_step(&x, &st.ww, &poor, &keep, &st.score, 1e-12).is_none());
    }
}
