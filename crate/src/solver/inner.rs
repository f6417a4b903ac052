//! Inner solvers: each minimizes the quadratic model of the objective that one iteration
//! builds around the current coefficients.
//!
//! Over the kept columns the model is `-c'd + d'Gd / 2` plus the penalty at `base + d`, with
//! `G` the iteration's `X'WX` and either `c` the score `X'W r` at the coefficients `base`, or
//! (the first iteration, from starting means) `c = X'W z` and `base = 0`. Both are half the
//! deviance's second-order expansion; the penalty is the total prior weight `W` times the
//! penalty per unit of weight (see [`Penalty`](super::Penalty)).

use faer::Mat;

use super::newton_cg;
use super::problem::Problem;
use super::state::State;
use crate::linalg::{Factor, Gram};

/// An iteration's `X'WX` over every column (or the sample's estimate of it), and the factor
/// of its kept part plus the ridge weights, when the inner solver needs one.
pub(super) struct Curvature {
    pub g: Gram,
    pub factor: Option<Factor>,
}

/// The quadratic model of one iteration (see the module's documentation).
pub(super) struct Model<'m> {
    pub curvature: &'m Curvature,
    pub keep: &'m [usize],
    /// `c`, over the kept columns.
    pub linear: Vec<f64>,
    /// The coefficients at `d = 0`, over the kept columns.
    pub base: Vec<f64>,
}

/// Finds the step `d` (over the kept columns) that minimizes a [`Model`].
pub(super) trait InnerSolver {
    /// The step, or `None` when the solver cannot get there (the caller then forms the full
    /// `X'WX`).
    fn solve(&self, prob: &Problem<'_, '_>, st: &State, model: &Model<'_>) -> Option<Vec<f64>>;
}

/// The Newton step by the Cholesky factor of `G` plus the ridge weights: the model's exact
/// minimizer without an L1 penalty, `(G + W L2) d = c - W L2 base`.
pub(super) struct Cholesky;

impl InnerSolver for Cholesky {
    fn solve(&self, prob: &Problem<'_, '_>, _: &State, model: &Model<'_>) -> Option<Vec<f64>> {
        let factor = model.curvature.factor.as_ref()?;
        if prob.penalty.is_zero() {
            return Some(factor.solve(&model.linear));
        }
        let rhs: Vec<f64> = (model.keep.iter().zip(&model.linear).zip(&model.base))
            .map(|((&j, c), b)| c - prob.total_weight * prob.penalty.l2(j) * b)
            .collect();
        Some(factor.solve(&rhs))
    }
}

/// The Newton step by conjugate gradients: products with `X'WX` at the current working
/// weights (no `X'WX` formed), preconditioned with the iteration's approximate `X'WX` (the
/// sample's), to within `tol` in the `X'WX` norm. For problems without a penalty.
pub(super) struct ConjugateGradients {
    pub tol: f64,
}

impl InnerSolver for ConjugateGradients {
    fn solve(&self, prob: &Problem<'_, '_>, st: &State, model: &Model<'_>) -> Option<Vec<f64>> {
        let Some(Factor::Dense(approx)) = model.curvature.factor.as_ref() else {
            return None;
        };
        newton_cg::newton_step(
            prob.inp.x,
            &st.ww,
            approx,
            model.keep,
            &model.linear,
            self.tol,
        )
    }
}

/// Sweeps over the columns allowed before coordinate descent gives up on a model (its step
/// is then the best found; the outer loop goes on from there).
const MAX_SWEEPS: usize = 10_000;

/// Coordinate descent, glmnet's way: each coordinate's exact minimizer (a soft threshold for
/// the L1 weight) with the gradient kept up to date through the columns of `G` (covariance
/// updates), sweeps over the active set (nonzero or unpenalized coefficients) until they
/// settle, then one sweep over every column, which ends the descent when it changes no
/// coefficient by more than the tolerance. It needs a dense `X'WX` (a penalized fit always
/// has one).
pub(super) struct CoordinateDescent {
    /// The descent has converged when no coordinate's change `d_j` has `G_jj d_j^2` above
    /// this.
    pub tol: f64,
}

impl InnerSolver for CoordinateDescent {
    fn solve(&self, prob: &Problem<'_, '_>, _: &State, model: &Model<'_>) -> Option<Vec<f64>> {
        let mut cd = Descent::new(prob, model)?;
        let tol = self.tol;
        let all: Vec<usize> = (0..model.keep.len()).collect();
        let mut sweeps = 0;
        while sweeps < MAX_SWEEPS {
            let full = cd.sweep(&all);
            sweeps += 1;
            if full <= tol {
                break;
            }
            // A few sweeps over the active set settle which coefficients are nonzero and
            // their signs; the model's minimum on that set is then one linear solve.
            let active: Vec<usize> = all.iter().copied().filter(|&a| cd.active(a)).collect();
            for _ in 0..SETTLING_SWEEPS {
                sweeps += 1;
                if cd.sweep(&active) <= tol {
                    break;
                }
            }
            cd.solve_on(&active);
        }
        Some(cd.b.iter().zip(&model.base).map(|(b, b0)| b - b0).collect())
    }
}

/// Sweeps over the active set before its exact solve is tried.
const SETTLING_SWEEPS: usize = 4;

/// The state of one coordinate descent: the coefficients and the gradient `c - G d`.
struct Descent<'m> {
    model: &'m Model<'m>,
    g: &'m Mat<f64>,
    /// `W` times each kept column's L1 and L2 weights.
    l1: Vec<f64>,
    l2: Vec<f64>,
    b: Vec<f64>,
    u: Vec<f64>,
}

impl<'m> Descent<'m> {
    fn new(prob: &Problem<'_, '_>, model: &'m Model<'m>) -> Option<Self> {
        let weight = |f: &dyn Fn(usize) -> f64| -> Vec<f64> {
            model
                .keep
                .iter()
                .map(|&j| prob.total_weight * f(j))
                .collect()
        };
        Some(Descent {
            model,
            g: model.curvature.g.dense()?,
            l1: weight(&|j| prob.penalty.l1(j)),
            l2: weight(&|j| prob.penalty.l2(j)),
            b: model.base.clone(),
            u: model.linear.clone(),
        })
    }

    fn active(&self, a: usize) -> bool {
        self.b[a] != 0.0 || self.l1[a] == 0.0
    }

    /// The model's minimum with the coordinates outside `active` at 0 and those inside at
    /// their current signs: `(G_AA + L2_A) b_A = (u + G b)_A - L1_A sign(b_A)`, one
    /// Cholesky solve. It replaces the coefficients only when it is the model's minimum: the
    /// signs hold and every other coordinate meets its optimality condition
    /// `|u_j| <= L1_j` at the new coefficients. Coordinate descent converges slowly when
    /// columns are strongly correlated (a spline basis, a variable on two scales); this
    /// reaches the exact minimum once the active set is right.
    fn solve_on(&mut self, active: &[usize]) {
        let (g, keep) = (self.g, self.model.keep);
        let n = active.len();
        if n == 0 {
            return;
        }
        let at = |a: usize, b: usize| g[(keep[a], keep[b])];
        let mut h = faer::Mat::from_fn(n, n, |r, c| at(active[r], active[c]));
        let mut rhs = vec![0.0; n];
        for (r, &a) in active.iter().enumerate() {
            h[(r, r)] += self.l2[a];
            let gb: f64 = active.iter().map(|&c| at(a, c) * self.b[c]).sum();
            rhs[r] = self.u[a] + gb - self.l1[a] * self.b[a].signum();
        }
        let Ok(factor) = crate::linalg::SpdFactor::new(&h) else {
            return;
        };
        let next = factor.solve(&rhs);
        let signs_hold =
            (active.iter().zip(&next)).all(|(&a, &v)| self.l1[a] == 0.0 || v * self.b[a] > 0.0);
        if !signs_hold {
            return;
        }
        // The gradient at the new coefficients: u - G (b_new - b).
        let mut u = self.u.clone();
        for (&a, &v) in active.iter().zip(&next) {
            let change = v - self.b[a];
            for (c, uc) in u.iter_mut().enumerate() {
                *uc -= at(c, a) * change;
            }
        }
        let inside = |c: usize| active.contains(&c);
        if (0..u.len()).any(|c| !inside(c) && u[c].abs() > self.l1[c]) {
            return;
        }
        for (&a, &v) in active.iter().zip(&next) {
            self.b[a] = v;
        }
        self.u = u;
    }

    /// One pass over the coordinates `set`; the largest `G_jj d_j^2` of the changes.
    fn sweep(&mut self, set: &[usize]) -> f64 {
        let (g, keep) = (self.g, self.model.keep);
        let mut largest: f64 = 0.0;
        for &a in set {
            let ja = keep[a];
            let gaa = g[(ja, ja)];
            if gaa.is_nan() || gaa <= 0.0 {
                continue;
            }
            let z = gaa * self.b[a] + self.u[a];
            let next = soft_threshold(z, self.l1[a]) / (gaa + self.l2[a]);
            let change = next - self.b[a];
            if change == 0.0 {
                continue;
            }
            self.b[a] = next;
            for (u, &jc) in self.u.iter_mut().zip(keep) {
                *u -= g[(jc, ja)] * change;
            }
            largest = largest.max(gaa * change * change);
        }
        largest
    }
}

/// `sign(z) max(|z| - t, 0)`.
fn soft_threshold(z: f64, t: f64) -> f64 {
    if z > t {
        z - t
    } else if z < -t {
        z + t
    } else {
        0.0
    }
}
