//! The fixed problem of one fit: the data, the family and link, the penalty and the options,
//! checked once before any iteration.

use super::penalty::Penalty;
use super::IrlsOptions;
use crate::design::Design;
use crate::error::{Error, Result};
use crate::family::Family;
use crate::link::Link;

/// The data of one fit: design, response, prior weights and offset, family and link.
#[derive(Clone, Copy)]
pub struct IrlsInput<'a> {
    /// The design matrix.
    pub x: &'a dyn Design,
    /// The response (a proportion for binomial families).
    pub y: &'a [f64],
    /// Prior weights (the number of trials for binomial proportions).
    pub weights: &'a [f64],
    /// The offset, added to the linear predictor.
    pub offset: &'a [f64],
    /// The family.
    pub family: Family,
    /// The link.
    pub link: Link,
}

/// The step tolerance of a penalized fit, relative to the options' (see [`Problem::step_tol`]).
const PENALIZED_STEPS: f64 = 1e-1;

/// What a fit solves: the data, the penalty and the options, with what follows from them.
pub(super) struct Problem<'a, 'p> {
    pub inp: &'p IrlsInput<'a>,
    pub penalty: &'p Penalty,
    pub opts: &'p IrlsOptions,
    /// Rows with a positive prior weight (the residual degrees of freedom of the step rule).
    pub nobs: usize,
    /// The sum of the prior weights: the penalty is `total_weight` times the penalty per unit
    /// of weight, as glmnet's objective divides the deviance by it.
    pub total_weight: f64,
    /// Whether the working weights are the prior weights at every iteration: a constant
    /// variance (Gaussian, Tweedie with p = 0) with the identity link, or `V(mu) = mu^2`
    /// (Gamma, Tweedie with p = 2) with the log link. `X'WX` is then the same at every
    /// iteration.
    pub fixed_weights: bool,
}

impl<'a, 'p> Problem<'a, 'p> {
    /// Checks the options, the lengths of the vectors and the penalty against the design.
    pub fn new(
        inp: &'p IrlsInput<'a>,
        penalty: &'p Penalty,
        opts: &'p IrlsOptions,
    ) -> Result<Self> {
        opts.validate()?;
        let (n, p) = (inp.x.nrows(), inp.x.ncols());
        for (what, len) in [
            ("the response", inp.y.len()),
            ("the weights", inp.weights.len()),
            ("the offset", inp.offset.len()),
        ] {
            if len != n {
                return Err(Error::Shape {
                    what: what.into(),
                    expected: n,
                    found: len,
                });
            }
        }
        penalty.check_columns(p)?;
        let (fam, link) = (inp.family, inp.link);
        let fixed_weights = match link {
            Link::Identity => fam == Family::Gaussian || fam == Family::Tweedie { var_power: 0.0 },
            Link::Log => fam == Family::Gamma || fam == Family::Tweedie { var_power: 2.0 },
            _ => false,
        };
        Ok(Problem {
            inp,
            penalty,
            opts,
            nobs: inp.weights.iter().filter(|&&w| w > 0.0).count(),
            total_weight: inp.weights.iter().sum(),
            fixed_weights,
        })
    }

    /// The objective the outer loop lowers, in deviance units: the deviance plus twice the
    /// total weight times the penalty at `beta` (the deviance itself without a penalty).
    pub fn objective(&self, deviance: f64, beta: &[f64]) -> f64 {
        if self.penalty.is_zero() {
            deviance
        } else {
            deviance + 2.0 * self.total_weight * self.penalty.value(beta)
        }
    }

    /// The step tolerance in standard errors: the options' `step_tol`, a thousandth of it with
    /// a penalty. A penalized fit reports its small coefficients next to large ones and its
    /// zeros exactly, and is compared with others' optima coefficient by coefficient (to
    /// 1e-6 relative), so its iterations go on to steps far below a standard error's
    /// millionth.
    pub fn step_tol(&self) -> f64 {
        match self.penalty.is_zero() {
            true => self.opts.step_tol,
            false => self.opts.step_tol * PENALIZED_STEPS,
        }
    }

    /// The dispersion a step is measured with: 1 for fixed-dispersion families, deviance / df
    /// otherwise (`k` coefficients).
    pub fn dispersion(&self, dev: f64, k: usize) -> f64 {
        if self.inp.family.dispersion_is_fixed() {
            1.0
        } else {
            let df = self.nobs.saturating_sub(k).max(1) as f64;
            (dev / df).max(f64::MIN_POSITIVE)
        }
    }
}
