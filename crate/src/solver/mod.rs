//! Fitting algorithms: iteratively reweighted least squares (Fisher scoring) as R's
//! `glm.fit` ([`irls`](fn@irls)), and with an elastic-net penalty ([`solve`]).
//!
//! The solver reads as the mathematics: a fixed problem (`problem`: data, family, link,
//! penalty, options), the per-row state of the fit (`state`), where each iteration's `X'WX`
//! comes from (`hessian`), an inner solver that minimizes the iteration's quadratic model
//! (`inner`: Cholesky, conjugate gradients, coordinate descent), and one outer loop (`irls`)
//! that owns convergence and step halving on the penalized objective.

mod diverging;
mod hessian;
mod inner;
pub mod irls;
mod newton_cg;
mod penalty;
mod problem;
mod sample;
mod start;
mod state;
mod step_rule;

pub(crate) use diverging::toward_infinity;
pub use diverging::Diverging;
pub use hessian::{bordered_block, BORDERED_LEVELS};
pub use irls::{irls, solve, IrlsFit};
pub use penalty::Penalty;
pub use problem::IrlsInput;
pub use start::{Start, Warm};

use crate::error::{Error, Result};

/// Options for the IRLS solver. Non-exhaustive: build with `IrlsOptions::default()` and the
/// setters, so fields can be added later.
///
/// ```
/// use rustystats::solver::IrlsOptions;
/// let opts = IrlsOptions::default().max_iter(50).tol(1e-10);
/// assert!(opts.validate().is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct IrlsOptions {
    /// Maximum number of iterations (R: 25).
    pub max_iter: usize,
    /// Convergence tolerance on `|dev - dev_old| / (|dev| + 0.1)` (R's rule; default 1e-8).
    pub tol: f64,
    /// Relative tolerance for declaring a column aliased (default 1e-7, as R's `lm`).
    pub rank_tol: f64,
    /// Maximum number of step halvings in one iteration.
    pub max_halvings: usize,
    /// Besides R's deviance rule, the last step must be at most this many standard errors
    /// (default 1e-6), so non-canonical links converge fully (R's rule alone leaves
    /// coefficient errors up to ~1e-4 standard errors there).
    pub step_tol: f64,
    /// Size of the row sample for the early iterations of large fits (default 32,768; 0
    /// turns it off). With at least four times as many rows, the iterations before
    /// convergence take `X'WX` from a fixed pseudo-random sample of about this many rows,
    /// scaled to the total working weight, and step with the exact score: each such step costs
    /// a fraction of a full one and still converges (linearly, at a rate set by the sample's
    /// error). When the sample is left (its steps are small, or stop shrinking), one Newton
    /// step is solved by conjugate gradients (products with `X` and `X'`, the sample's `X'WX`
    /// as the preconditioner), then the full `X'WX` at the current fit decides: if its Newton
    /// step is within `step_tol` standard errors the fit has converged (and that `X'WX` gives
    /// the covariance); otherwise the iterations go on with full steps. Aliased columns are
    /// always found on the full `X'WX`.
    pub sample_rows: usize,
}

impl Default for IrlsOptions {
    fn default() -> Self {
        IrlsOptions {
            max_iter: 25,
            tol: 1e-8,
            rank_tol: 1e-7,
            max_halvings: 30,
            step_tol: 1e-6,
            sample_rows: 32_768,
        }
    }
}

impl IrlsOptions {
    /// Sets the maximum number of iterations.
    pub fn max_iter(mut self, n: usize) -> Self {
        self.max_iter = n;
        self
    }

    /// Sets the convergence tolerance.
    pub fn tol(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }

    /// Sets the step tolerance in standard errors.
    pub fn step_tol(mut self, tol: f64) -> Self {
        self.step_tol = tol;
        self
    }

    /// Sets the size of the row sample for early iterations (0: every iteration uses all rows).
    pub fn sample_rows(mut self, rows: usize) -> Self {
        self.sample_rows = rows;
        self
    }

    /// Checks the options.
    pub fn validate(&self) -> Result<()> {
        if self.max_iter == 0 {
            return Err(Error::model("max_iter must be at least 1"));
        }
        if !(self.tol.is_finite() && self.tol > 0.0) {
            return Err(Error::model(format!(
                "the convergence tolerance must be a positive number, got {}",
                self.tol
            )));
        }
        if self.step_tol.is_nan() || self.step_tol < 0.0 {
            return Err(Error::model("step_tol must be >= 0"));
        }
        if !(self.rank_tol.is_finite() && self.rank_tol > 0.0 && self.rank_tol < 1.0) {
            return Err(Error::model("rank_tol must be in (0, 1)"));
        }
        Ok(())
    }
}

/// Why the solver stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// The relative change in deviance fell below the tolerance.
    Converged,
    /// The iteration limit was reached first.
    MaxIterations,
    /// Step halving could not find a step that lowers the deviance or stays in range.
    StepHalvingFailed,
    /// No observation carried information (all working weights zero).
    NoInformativeRows,
}

impl std::fmt::Display for StopReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StopReason::Converged => "converged",
            StopReason::MaxIterations => "iteration limit reached",
            StopReason::StepHalvingFailed => "step halving failed",
            StopReason::NoInformativeRows => "no informative observations",
        })
    }
}
