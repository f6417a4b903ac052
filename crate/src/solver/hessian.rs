//! Where each iteration's `X'WX` comes from.
//!
//! Every source serves the same Newton step `X'WX d = X'W r` (a simplified one when its
//! `X'WX` is approximate, whose fixed point is still the solution: the score is zero there);
//! they differ in cost and in when they are exact enough:
//!
//! - [`Source::Sampled`]: a large fit starting from the family's start takes `X'WX` from a
//!   fixed sample of rows while its steps are large ([`IrlsOptions::sample_rows`]);
//! - [`Source::ReusedSample`]: after a small sampled step the weights have barely moved and
//!   the last sampled `X'WX` serves again;
//! - [`Source::ConjugateGradients`]: the iteration that leaves the sample solves its Newton
//!   step with products by `X` and `X'` only, the sample's `X'WX` as the preconditioner;
//! - [`Source::Previous`]: the previous iteration's `X'WX` (a chord step), once only the step
//!   rule is unmet, or at every iteration when the working weights never change;
//! - [`Source::Full`]: `X'WX` over every row at the current fit, which also finds the aliased
//!   columns.
//!
//! A design whose widest factor has many levels (see [`BORDERED_LEVELS`]) keeps that factor's
//! part of `X'WX` as a diagonal ([`Gram::Bordered`]): its Newton steps, aliased columns and
//! covariance then come from the Schur complement of the other columns, and no `p x p`
//! matrix is formed.
//!
//! [`IrlsOptions::sample_rows`]: super::IrlsOptions::sample_rows

use std::ops::Range;

use faer::Mat;

use super::inner::{ConjugateGradients, Curvature, InnerSolver, Model};
use super::problem::Problem;
use super::sample::RowSample;
use super::start::Warm;
use super::state::State;
use super::IrlsOptions;
use crate::error::Result;
use crate::linalg::{aliased_columns, Factor, Gram, SpdFactor};

/// After a sampled step below this many standard errors the next sampled iteration uses the
/// same sampled `X'WX`: the linear predictor has moved by about `sqrt(p / n)` of that in each
/// row, so the working weights by a percent or two, less than the sample's own error.
const REUSE_SAMPLE_BELOW: f64 = 1.0;

/// An `X'WX` kept from an earlier iteration or fit keeps serving (chord steps) while each
/// step is at most this fraction of the one before: the simplified Newton steps then converge
/// fast, for the cost of a product with `X'` instead of a new `X'WX`.
const CHORD_RATE: f64 = 0.02;

/// With many columns (`p^2` at least this many times the rows) a factorization of `X'WX`
/// (`p^3 / 3` flops) costs more than a pass over the rows, and a chord step serves as long as
/// the steps shrink by [`WIDE_CHORD_RATE`] or more; the row sample, which only saves the pass
/// and not the factorization, is not used.
const WIDE: usize = 4;

/// A factor with at least this many levels, and more levels than the design has other
/// columns, keeps its part of `X'WX` as a diagonal (see the module's documentation): the
/// dense factorization then costs `(L + m)^3 / 3` flops against `m^2 L + m^3 / 3`, and
/// memory `(L + m)^2` numbers against `m L`, for `L` levels and `m` other columns.
pub const BORDERED_LEVELS: usize = 1000;

/// The chord steps' rate for wide designs (see [`WIDE`]).
const WIDE_CHORD_RATE: f64 = 0.25;

/// With fewer than one column in this many left by the screen, `X'WX` is formed on those
/// columns only (a product with `X' W X` per column) instead of on every column.
const FEW_COLUMNS: usize = 8;

/// A fit leaves its row sample once the error left after a sampled step, estimated as the step
/// times the ratio of the last two steps, is below this many standard errors (on the sample's
/// `X'WX`). The sampled steps converge linearly, Newton steps quadratically: from this error
/// one Newton step (by conjugate gradients, see [`ConjugateGradients`]) leaves an error below the step
/// tolerance, which the next full `X'WX` confirms.
const LEAVE_SAMPLE_BELOW: f64 = 0.015;

/// The Newton step of the iteration that leaves the sample is solved to within this fraction
/// of the step tolerance, so the next iteration's check sees the error of the step itself.
const CG_FRACTION: f64 = 0.1;

/// Where an iteration's `X'WX` comes from (see the module's documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    Sampled,
    ReusedSample,
    ConjugateGradients,
    Previous,
    Full,
}

/// What a source serves an iteration.
pub(super) struct Served {
    pub source: Source,
    pub curvature: Curvature,
    /// The Newton step over the kept columns, when conjugate gradients solved it already.
    pub step: Option<Vec<f64>>,
    /// Whether the iteration checks the full Newton step before taking it: every iteration
    /// with the full `X'WX` after the sample has been left.
    pub checking: bool,
}

/// The next iteration's `X'WX`, or a fresh start: the full data has a linear dependence the
/// sample missed, so the path so far (with coefficients that are not identified) cannot be
/// kept.
pub(super) enum Next {
    Serve(Box<Served>),
    Restart,
}

/// The sources of `X'WX` and what they keep between iterations, with the columns found
/// aliased.
pub(super) struct Hessians {
    sample: Option<RowSample>,
    /// The last sampled `X'WX` (the preconditioner when leaving the sample).
    last_sampled: Option<Curvature>,
    /// The previous iteration's `X'WX`, for a chord step.
    previous: Option<Curvature>,
    was_sampled: bool,
    last_sampled_step: f64,
    /// Whether the conjugate-gradient step left the check for aliased columns to the next
    /// full `X'WX`.
    unchecked_aliases: bool,
    /// Whether the inner solver solves with a factor of `X'WX` (every fit without an L1
    /// penalty).
    needs_factor: bool,
    /// Whether the kept `X'WX` (in `previous`) serves the next iteration while the steps
    /// shrink fast (see [`CHORD_RATE`]): after a warm start, and in a penalized fit after every
    /// full `X'WX`; and the last step.
    chording: bool,
    last_chord_step: f64,
    /// Whether the design is wide (see [`WIDE`]).
    wide: bool,
    /// The columns kept as a diagonal of `X'WX` (see [`BORDERED_LEVELS`]).
    bordered: Option<Range<usize>>,
    /// How many iterations took `X'WX` from the sample.
    pub sampled_iterations: usize,
    /// The columns in the fit, and the aliased ones (left out).
    pub keep: Vec<usize>,
    pub aliased: Vec<bool>,
}

impl Hessians {
    /// The sources of a fit; the row sample when `sample` allows it, the problem has no
    /// penalty and its working weights change; a warm start's `X'WX` when it has every column
    /// the fit keeps.
    pub fn new(prob: &Problem<'_, '_>, sample: bool, warm: Option<Warm<'_>>) -> Result<Self> {
        let inp = prob.inp;
        let p = inp.x.ncols();
        let ridge_only = !prob.penalty.has_l1() && !prob.penalty.screens();
        let bordered = bordered_block(inp.x).filter(|_| ridge_only);
        let wide = bordered.is_none() && p.saturating_mul(p) >= WIDE.saturating_mul(inp.x.nrows());
        let plain = prob.penalty.is_zero() && !prob.fixed_weights;
        let sample = if sample && plain && !wide && bordered.is_none() {
            RowSample::new(inp.x, prob.opts.sample_rows, inp.weights)
        } else {
            None
        };
        let mut hessians = Hessians {
            sample,
            last_sampled: None,
            previous: None,
            was_sampled: false,
            last_sampled_step: f64::INFINITY,
            unchecked_aliases: false,
            needs_factor: !prob.penalty.has_l1(),
            chording: false,
            last_chord_step: f64::INFINITY,
            wide,
            bordered,
            sampled_iterations: 0,
            keep: Vec::new(),
            aliased: vec![false; inp.x.ncols()],
        };
        if let Some(w) = warm {
            hessians.start_warm(prob, w)?;
        }
        Ok(hessians)
    }

    /// Takes a warm start's `X'WX` and aliased columns when the `X'WX` has every column this
    /// fit keeps (a column the previous fit held at 0 may have none); otherwise the first
    /// iteration forms `X'WX` as usual.
    fn start_warm(&mut self, prob: &Problem<'_, '_>, w: Warm<'_>) -> Result<()> {
        let g = w.hessian;
        let keep: Vec<usize> = (0..self.aliased.len())
            .filter(|&j| !w.aliased[j] && !prob.penalty.is_screened(j))
            .collect();
        if g.nrows() != self.aliased.len()
            || keep.iter().any(|&j| g[(j, j)].is_nan() || g[(j, j)] <= 0.0)
        {
            return Ok(());
        }
        let g = Gram::Dense(g.clone());
        let factor = match self.needs_factor {
            true => Some(ridge_factor(&g, &keep, prob)?),
            false => None,
        };
        self.aliased = w.aliased.to_vec();
        self.keep = keep;
        self.previous = Some(Curvature { g, factor });
        self.start_chord();
        Ok(())
    }

    /// From now on the kept `X'WX` serves while the steps shrink fast.
    fn start_chord(&mut self) {
        self.chording = true;
        self.last_chord_step = f64::INFINITY;
    }

    /// Whether the kept `X'WX` serves while the steps shrink fast.
    pub fn chording(&self) -> bool {
        self.chording
    }

    /// After a step of `size` standard errors while chording: the kept `X'WX` serves on
    /// while the steps shrink by [`CHORD_RATE`] or more and need no halving.
    pub fn after_chord_step(&mut self, size: f64, halved: bool) {
        let rate = if self.wide {
            WIDE_CHORD_RATE
        } else {
            CHORD_RATE
        };
        if halved || size > rate * self.last_chord_step {
            self.chording = false;
        }
        self.last_chord_step = size;
    }

    /// The `X'WX` the last iteration kept (see [`Hessians::keep_for_next`]), taken out: the
    /// fit's end keeps it without a copy.
    pub fn take_last(&mut self) -> Option<Gram> {
        self.previous.take().map(|c| c.g)
    }

    /// `X'WX` over every row at the working weights `ww`, as [`Source::Full`] forms it.
    pub fn full(&self, prob: &Problem<'_, '_>, ww: &[f64]) -> Gram {
        full_sandwich(prob, ww, self.bordered.clone())
    }

    /// Whether the current iteration takes `X'WX` from the sample.
    pub fn sampling(&self) -> bool {
        self.sample.is_some()
    }

    /// The `X'WX` of iteration `iter`, by the rules of the module's documentation. `extra`
    /// counts the iterations after R's deviance rule was met; `dev` is the current deviance.
    pub fn next(
        &mut self,
        prob: &Problem<'_, '_>,
        st: &State,
        iter: usize,
        extra: usize,
        dev: f64,
    ) -> Result<Next> {
        let opts = prob.opts;
        let sampled = match self.sample.as_mut() {
            Some(_) if self.last_sampled_step <= REUSE_SAMPLE_BELOW => {
                self.last_sampled.take().map(|c| (Source::ReusedSample, c))
            }
            _ => None,
        };
        let sampled = sampled.or_else(|| match self.sample.as_mut() {
            Some(s) if iter <= opts.max_iter / 2 => {
                sampled_curvature(s, &st.ww, iter, opts).map(|c| (Source::Sampled, c))
            }
            _ => None,
        });
        if sampled.is_none() {
            self.sample = None;
        }
        let leaving = self.was_sampled && sampled.is_none();
        let checking = sampled.is_none() && self.sampled_iterations > 0;
        let serve = |source, curvature, step| {
            Ok(Next::Serve(Box::new(Served {
                source,
                curvature,
                step,
                checking,
            })))
        };
        if let Some((curvature, step)) = self.leave_by_cg(prob, st, leaving, dev) {
            self.unchecked_aliases = true;
            return serve(Source::ConjugateGradients, curvature, Some(step));
        }
        if let Some((source, curvature)) = sampled {
            self.sampled_iterations += 1;
            if iter == 1 {
                self.keep = (0..self.aliased.len()).collect();
            }
            return serve(source, curvature, None);
        }
        // Without a penalty the previous X'WX serves once R's rule is met; with one, while
        // the steps shrink fast (a penalized fit's tolerance is far smaller).
        let settled = extra > 0 && prob.penalty.is_zero();
        let chord = !checking && (settled || prob.fixed_weights || self.chording);
        if let Some(curvature) = self.previous.take().filter(|_| chord) {
            return serve(Source::Previous, curvature, None);
        }
        let g = self.full(prob, &st.ww);
        if iter == 1 || leaving || std::mem::take(&mut self.unchecked_aliases) {
            // Aliasing is decided without the screened columns (held at 0, not left out).
            let screened: Vec<bool> = (0..g.ncols())
                .map(|j| prob.penalty.is_screened(j))
                .collect();
            self.aliased = g.aliased(opts.rank_tol, &screened);
            for (a, s) in self.aliased.iter_mut().zip(&screened) {
                *a &= !s;
            }
            if self.sampled_iterations > 0 && self.aliased.iter().any(|&a| a) {
                return Ok(Next::Restart);
            }
            self.keep = (0..self.aliased.len())
                .filter(|&j| !self.aliased[j] && !screened[j])
                .collect();
        }
        let factor = match self.needs_factor {
            true => Some(ridge_factor(&g, &self.keep, prob)?),
            false => None,
        };
        if !prob.penalty.is_zero() || self.wide {
            self.start_chord();
        }
        serve(Source::Full, Curvature { g, factor }, None)
    }

    /// Leaving the sample: the Newton step by conjugate gradients, preconditioned with the
    /// sample's `X'WX`, instead of a full `X'WX` (which the next iteration forms, and checks
    /// for aliased columns). `None` when not leaving, or when they do not get there.
    fn leave_by_cg(
        &mut self,
        prob: &Problem<'_, '_>,
        st: &State,
        leaving: bool,
        dev: f64,
    ) -> Option<(Curvature, Vec<f64>)> {
        let curvature = self.last_sampled.take().filter(|_| leaving)?;
        let tol = CG_FRACTION * prob.step_tol() * prob.dispersion(dev, self.keep.len()).sqrt();
        let model = Model {
            curvature: &curvature,
            keep: &self.keep,
            linear: self.keep.iter().map(|&j| st.score[j]).collect(),
            base: self.keep.iter().map(|_| 0.0).collect(),
        };
        let step = ConjugateGradients { tol }.solve(prob, st, &model)?;
        Some((curvature, step))
    }

    /// After a sampled step of `size` standard errors: the sample is left once the steps are
    /// small, or when it stops paying (the step had to be halved, or the steps shrink by less
    /// than half).
    pub fn after_sampled_step(&mut self, size: f64, halved: bool) {
        // The error left after this step is about the step times the rate of the last two.
        let left = if self.last_sampled_step.is_finite() {
            size * size / self.last_sampled_step
        } else {
            f64::INFINITY
        };
        if halved || left <= LEAVE_SAMPLE_BELOW || size > 0.5 * self.last_sampled_step {
            self.sample = None;
        }
        self.last_sampled_step = size;
    }

    /// Keeps the iteration's `X'WX` for the next one (`sampled`: whether it came from the
    /// sample).
    pub fn keep_for_next(&mut self, curvature: Curvature, sampled: bool) {
        self.was_sampled = sampled;
        if sampled {
            self.last_sampled = Some(curvature);
        } else {
            self.previous = Some(curvature);
        }
    }
}

/// The columns of `x` that a fit without an L1 penalty keeps as a diagonal of `X'WX`: those
/// of its widest factor, when it has at least [`BORDERED_LEVELS`] levels and more levels than
/// the design has other columns. (Fits with an L1 part, and paths, whose strong rule screens
/// columns, keep a dense `X'WX`, which coordinate descent and warm starts read.)
pub fn bordered_block(x: &dyn crate::design::Design) -> Option<Range<usize>> {
    let block = x.diagonal_block()?;
    let others = x.ncols() - block.len();
    (block.len() >= BORDERED_LEVELS && block.len() > others).then_some(block)
}

/// `X'WX` over every row: bordered when the design has a block for it; otherwise every
/// column, or, when the penalty's screen leaves few columns, only the columns not screened
/// (the rows and columns of the screened ones are then zero).
fn full_sandwich(prob: &Problem<'_, '_>, ww: &[f64], bordered: Option<Range<usize>>) -> Gram {
    let x = prob.inp.x;
    if let Some(block) = bordered {
        return Gram::Bordered(x.sandwich_bordered(ww, block));
    }
    let cols: Vec<usize> = (0..x.ncols())
        .filter(|&j| !prob.penalty.is_screened(j))
        .collect();
    if cols.len() * FEW_COLUMNS >= x.ncols() {
        return Gram::Dense(x.sandwich(ww));
    }
    let part = x.sandwich_columns(ww, &cols);
    let mut g = Mat::zeros(x.ncols(), x.ncols());
    for (a, &i) in cols.iter().enumerate() {
        for (b, &j) in cols.iter().enumerate() {
            g[(i, j)] = part[(a, b)];
        }
    }
    Gram::Dense(g)
}

/// The sampled `X'WX` and its factor, or `None` when the sample cannot serve: it carries no
/// weight, its `X'WX` is singular, or (at the first iteration, where aliased columns are
/// found) some column is aliased on the sample, which the full data must decide.
fn sampled_curvature(
    s: &mut RowSample,
    ww: &[f64],
    iter: usize,
    opts: &IrlsOptions,
) -> Option<Curvature> {
    let g = s.sandwich(ww)?;
    if iter == 1 && aliased_columns(&g, opts.rank_tol).iter().any(|&a| a) {
        return None;
    }
    let factor = SpdFactor::new(&g).ok()?;
    Some(Curvature {
        g: Gram::Dense(g),
        factor: Some(Factor::Dense(factor)),
    })
}

/// The factor of `X'WX` on the kept columns plus the problem's ridge weights on the diagonal
/// (`W` times each column's L2 weight): the Hessian of the penalized objective.
fn ridge_factor(g: &Gram, keep: &[usize], prob: &Problem<'_, '_>) -> Result<Factor> {
    let ridge: Vec<f64> = match prob.penalty.is_zero() {
        true => vec![0.0; keep.len()],
        false => (keep.iter())
            .map(|&j| prob.total_weight * prob.penalty.l2(j))
            .collect(),
    };
    g.factor(keep, &ridge)
}
