//! The outer loop: iteratively reweighted least squares on the (penalized) objective, with
//! R's convergence rule and step halving.
//!
//! Each iteration builds the quadratic model of the objective at the current coefficients
//! (the working weights and residuals of [`State`], an `X'WX` from one of the
//! [`Hessians`]), lets an inner solver minimize it (a Cholesky Newton step, conjugate
//! gradients, or coordinate descent with an L1 penalty), and halves the step until the
//! objective does not rise.

use faer::Mat;

use super::diverging::{diverging_warning, Diverging};
use super::hessian::{Hessians, Next, Served, Source};
use super::inner::{Cholesky, CoordinateDescent, Curvature, InnerSolver, Model};
use super::penalty::Penalty;
use super::problem::{IrlsInput, Problem};
use super::start::{begin, Start};
use super::state::{Pass, State};
use super::step_rule::StepRule;
use super::{IrlsOptions, StopReason};
use crate::error::{Error, Result};
use crate::linalg::{Covariance, Factor, Gram};

/// What a fit returns.
#[derive(Debug, Clone)]
pub struct IrlsFit {
    /// Coefficients; `NaN` for aliased columns.
    pub coefficients: Vec<f64>,
    /// Which columns were found linearly dependent on earlier ones and left out.
    pub aliased: Vec<bool>,
    /// The linear predictor, offset included.
    pub eta: Vec<f64>,
    /// The fitted means.
    pub mu: Vec<f64>,
    /// The working weights at the fitted means, `w mu_eta^2 / V(mu)`.
    pub working_weights: Vec<f64>,
    /// `(X' W X)^-1` over the non-aliased columns, in their order; empty for a penalized
    /// fit, whose coefficients have no such covariance.
    pub cov_unscaled: Covariance,
    /// `X' W X` over every column at the fitted means (`cov_unscaled` inverts its part on
    /// the non-aliased columns); empty (0 x 0) for a penalized fit.
    pub gram: Gram,
    /// For a penalized fit, the last `X'WX` over every column (zero rows and columns for those
    /// held at 0), for a warm start at a nearby penalty ([`Start::Warm`]); empty otherwise.
    pub hessian: Mat<f64>,
    /// The deviance at the fitted means.
    pub deviance: f64,
    /// The score `X' W r` at the fitted means (`r` the working residuals), every column: half
    /// the deviance's gradient, with the sign that points downhill.
    pub score: Vec<f64>,
    /// The number of iterations done.
    pub iterations: usize,
    /// How many of them took `X'WX` from the row sample
    /// ([`IrlsOptions::sample_rows`]); 0 when the fit used every row throughout.
    pub sampled_iterations: usize,
    /// Whether the convergence rule was met.
    pub converged: bool,
    /// Why the iterations stopped.
    pub stop: StopReason,
    /// The deviance after each iteration.
    pub deviance_history: Vec<f64>,
    /// True when a step had to be shortened to stay in the family's range (R's `boundary`).
    pub boundary: bool,
    /// Problems met on the way, in words (also reported by the model's summary).
    pub warnings: Vec<String>,
    /// The coefficients with no finite estimate (a factor level, possibly the reference,
    /// without events), which the step rule leaves out; their values are where the fit
    /// stopped.
    pub diverging: Vec<Diverging>,
}

/// Iterations allowed after R's deviance rule is met, while the step is still above
/// `step_tol` standard errors.
const MAX_EXTRA: usize = 10;

/// Coordinate descent solves each model to within this fraction of the step tolerance.
const CD_FRACTION: f64 = 1e-3;

/// Fits a GLM by iteratively reweighted least squares (Fisher scoring), without a penalty.
///
/// Follows R's `glm.fit`: the family's starting values (except for the convex log-link
/// families, see [`Start::Family`]), the working response and weights,
/// convergence when `|dev - dev_old| / (|dev| + 0.1) < tol`. A step is halved when the deviance
/// is not finite, when eta or mu leave the link's or family's range, or when the deviance rises
/// (R halves only in the first two cases; the third makes non-canonical links converge
/// reliably). Columns of the design that are linear combinations of earlier ones are found on
/// the first `X' W X` and left out (coefficient `NaN`), as R's pivoting QR does.
///
/// ```
/// use rustystats::design::DenseDesign;
/// use rustystats::family::Family;
/// use rustystats::link::Link;
/// use rustystats::solver::{irls, IrlsInput, IrlsOptions, Start};
///
/// let x = DenseDesign::from_columns(
///     vec!["Intercept".into(), "x".into()],
///     vec![vec![1.0; 4], vec![0.0, 1.0, 2.0, 3.0]],
/// )
/// .unwrap();
/// let y = [1.0, 2.0, 4.0, 9.0];
/// let (w, o) = ([1.0; 4], [0.0; 4]);
/// let inp = IrlsInput { x: &x, y: &y, weights: &w, offset: &o, family: Family::Poisson, link: Link::Log };
/// let fit = irls(&inp, Start::Family, &IrlsOptions::default()).unwrap();
/// assert!(fit.converged);
/// ```
pub fn irls(inp: &IrlsInput<'_>, start: Start<'_>, opts: &IrlsOptions) -> Result<IrlsFit> {
    solve(inp, &Penalty::none(), start, opts)
}

/// Fits a GLM with a penalty on its coefficients: minimizes the deviance over twice the sum
/// of the prior weights plus the penalty (glmnet's objective, see [`Penalty`]); without a
/// penalty, the maximum-likelihood fit of [`irls`]. Convergence and step halving follow the
/// penalized objective; with an L1 part each iteration's model is solved by coordinate
/// descent, so coefficients are exactly zero where the penalty sets them so.
///
/// ```
/// use rustystats::design::DenseDesign;
/// use rustystats::family::Family;
/// use rustystats::link::Link;
/// use rustystats::solver::{solve, IrlsInput, IrlsOptions, Penalty, Start};
///
/// let x = DenseDesign::from_columns(
///     vec!["Intercept".into(), "x".into(), "z".into()],
///     vec![vec![1.0; 6], vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0], vec![1.0, 0.0, 1.0, 0.0, 1.0, 0.0]],
/// )
/// .unwrap();
/// let y = [1.0, 2.0, 2.0, 5.0, 6.0, 9.0];
/// let (w, o) = ([1.0; 6], [0.0; 6]);
/// let inp = IrlsInput { x: &x, y: &y, weights: &w, offset: &o, family: Family::Poisson, link: Link::Log };
/// let lasso = Penalty::elastic_net(0.2, 1.0, vec![0.0, 1.0, 1.0]).unwrap();
/// let fit = solve(&inp, &lasso, Start::Family, &IrlsOptions::default()).unwrap();
/// assert!(fit.converged);
/// assert_eq!(fit.coefficients[2], 0.0); // z is left out at this alpha
/// ```
pub fn solve(
    inp: &IrlsInput<'_>,
    penalty: &Penalty,
    start: Start<'_>,
    opts: &IrlsOptions,
) -> Result<IrlsFit> {
    let prob = Problem::new(inp, penalty, opts)?;
    match Outer::begin(&prob, start)?.run()? {
        Some(fit) => Ok(fit),
        // The full data has a linear dependence the row sample missed: again, without it.
        None => solve(inp, penalty, start, &opts.sample_rows(0)),
    }
}

/// The iterations of one fit.
struct Outer<'a, 'p> {
    prob: &'p Problem<'a, 'p>,
    st: State,
    hess: Hessians,
    rule: StepRule,
    beta: Vec<f64>,
    /// The coefficients of the last iteration (or of the start, when it is a point of the
    /// model); `None` before the first iteration from starting means.
    beta_old: Option<Vec<f64>>,
    /// The pass over the rows at `beta`.
    now: Pass,
    /// The deviance and objective at `beta_old`.
    dev_old: f64,
    obj_old: f64,
    /// The relative change of the objective at the last iteration.
    change: f64,
    /// Iterations after R's rule was met.
    extra: usize,
    history: Vec<f64>,
    warnings: Vec<String>,
    boundary: bool,
}

/// How an iteration ends.
enum Step {
    /// The fit goes on.
    Continue,
    /// The fit stopped for this reason; the factor of `X'WX` at the final coefficients, when
    /// the iteration has it.
    Stop(StopReason, Option<Factor>),
}

impl<'a, 'p> Outer<'a, 'p> {
    fn begin(prob: &'p Problem<'a, 'p>, start: Start<'_>) -> Result<Self> {
        let mut st = State::new(prob.inp);
        let begun = begin(prob, &mut st, start)?;
        let obj = prob.objective(begun.pass.deviance, &begun.beta);
        Ok(Outer {
            prob,
            st,
            hess: Hessians::new(
                prob,
                matches!(start, Start::Family),
                match start {
                    Start::Warm(w) => Some(w),
                    _ => None,
                },
            )?,
            rule: StepRule { diverging: None },
            beta_old: begun.at_coefficients.then(|| begun.beta.clone()),
            beta: begun.beta,
            dev_old: begun.pass.deviance,
            obj_old: obj,
            now: begun.pass,
            change: f64::INFINITY,
            extra: 0,
            history: Vec::new(),
            warnings: Vec::new(),
            boundary: false,
        })
    }

    /// Iterates until convergence or a stop; `None` when the fit must start again without
    /// the row sample.
    fn run(mut self) -> Result<Option<IrlsFit>> {
        let opts = self.prob.opts;
        let mut iterations = 0;
        let mut end = Step::Stop(StopReason::MaxIterations, None);
        for iter in 1..=opts.max_iter {
            iterations = iter;
            if self.now.informative == 0 {
                self.warnings
                    .push(format!("no observations informative at iteration {iter}"));
                end = Step::Stop(StopReason::NoInformativeRows, None);
                break;
            }
            let served =
                match self
                    .hess
                    .next(self.prob, &self.st, iter, self.extra, self.dev_old)?
                {
                    Next::Serve(served) => *served,
                    Next::Restart => return Ok(None),
                };
            match self.iterate(iter, served)? {
                Step::Continue => {}
                stop => {
                    end = stop;
                    break;
                }
            }
        }
        let Step::Stop(stop, factor) = end else {
            unreachable!("the loop ends on a stop")
        };
        self.finish(iterations, stop, factor).map(Some)
    }

    /// One iteration with the `X'WX` served.
    fn iterate(&mut self, iter: usize, served: Served) -> Result<Step> {
        let prob = self.prob;
        let delta = match served.step {
            Some(step) => step,
            None => self.inner_step(&served.curvature)?,
        };
        let keep = self.hess.keep.clone();
        // After the sample has been left, and in every penalized fit, the step is checked
        // before it is taken: when R's rule held at the last step and this step is within
        // `step_tol` standard errors, the fit has converged here (and this X'WX, at the
        // fitted values, gives the covariance), without a pass over the rows for the step.
        let check_first =
            served.checking && served.source == Source::Full || !prob.penalty.is_zero();
        if check_first {
            let rule = self.change < prob.opts.tol;
            let look = rule && self.extra > 0 && prob.penalty.is_zero();
            let size = self
                .rule
                .size(prob, look, &served.curvature.g, &keep, &delta, self.dev_old);
            if rule {
                if size <= prob.step_tol() || self.extra >= MAX_EXTRA {
                    return Ok(self.stop_converged(served.curvature, true));
                }
                self.extra += 1;
            }
        }
        for (&j, d) in keep.iter().zip(&delta) {
            self.beta[j] += d;
        }
        let halvings = match self.halve(iter)? {
            Some(halvings) => halvings,
            None => return Ok(Step::Stop(StopReason::StepHalvingFailed, None)),
        };
        let (dev, obj) = (
            self.now.deviance,
            prob.objective(self.now.deviance, &self.beta),
        );
        self.history.push(dev);
        self.change = (obj - self.obj_old).abs() / (obj.abs() + 0.1);
        let rule = self.change < prob.opts.tol;
        let sampled = self.hess.sampling();
        let step_size = |rule_: &mut StepRule, g: &Gram| match &self.beta_old {
            Some(old) => {
                let d: Vec<f64> = keep.iter().map(|&j| self.beta[j] - old[j]).collect();
                let look = rule && self.extra > 0 && prob.penalty.is_zero();
                rule_.size(prob, look, g, &keep, &d, dev)
            }
            None => f64::INFINITY,
        };
        if sampled {
            // A sampled step never ends the fit.
            let size = step_size(&mut self.rule, &served.curvature.g);
            self.hess.after_sampled_step(size, halvings > 0);
        } else if self.hess.chording() {
            let size = step_size(&mut self.rule, &served.curvature.g);
            self.hess.after_chord_step(size, halvings > 0);
        }
        if !sampled && rule && !served.checking && !check_first {
            // R stops here. Its rule allows coefficient errors of ~1e-4 standard errors on
            // non-canonical links, so also require the last step to be below `step_tol`
            // standard errors (at most `MAX_EXTRA` more iterations).
            let size = step_size(&mut self.rule, &served.curvature.g);
            if size <= prob.step_tol() || self.extra >= MAX_EXTRA {
                return Ok(self.stop_converged(served.curvature, prob.fixed_weights));
            }
            self.extra += 1;
        }
        self.dev_old = dev;
        self.obj_old = obj;
        self.beta_old = Some(self.beta.clone());
        self.hess.keep_for_next(served.curvature, sampled);
        Ok(Step::Continue)
    }

    /// Converged: the factor of this iteration's `X'WX` gives the covariance when it is at
    /// the final coefficients (`at_fit`), and its `X'WX` is kept for a warm start.
    fn stop_converged(&mut self, curvature: Curvature, at_fit: bool) -> Step {
        let Curvature { g, factor } = curvature;
        self.hess
            .keep_for_next(Curvature { g, factor: None }, false);
        Step::Stop(StopReason::Converged, factor.filter(|_| at_fit))
    }

    /// The step that minimizes this iteration's model: from starting means (no coefficients
    /// yet) the model in `X'W z` around zero, otherwise in the score around the coefficients.
    fn inner_step(&mut self, curvature: &Curvature) -> Result<Vec<f64>> {
        let prob = self.prob;
        let keep = &self.hess.keep;
        let (linear, base): (Vec<f64>, Vec<f64>) = match &self.beta_old {
            None => {
                let xtwz = self.st.xtwz(prob.inp);
                (
                    keep.iter().map(|&j| xtwz[j]).collect(),
                    vec![0.0; keep.len()],
                )
            }
            Some(_) => (
                keep.iter().map(|&j| self.st.score[j]).collect(),
                keep.iter().map(|&j| self.beta[j]).collect(),
            ),
        };
        let model = Model {
            curvature,
            keep,
            linear,
            base,
        };
        let cd_tol =
            (CD_FRACTION * prob.step_tol()).powi(2) * prob.dispersion(self.dev_old, keep.len());
        let cd = CoordinateDescent { tol: cd_tol };
        let inner: &dyn InnerSolver = match prob.penalty.has_l1() {
            true => &cd,
            false => &Cholesky,
        };
        inner
            .solve(prob, &self.st, &model)
            .ok_or_else(|| Error::fit("the inner solver found no step (no factor of X'WX)"))
    }

    /// Moves the state to `beta`, halving the step back towards the previous coefficients
    /// while it leaves the valid range, gives a non-finite deviance, or raises the objective.
    /// The number of halvings, or `None` when no halving helps (the fit then keeps the last
    /// good coefficients).
    fn halve(&mut self, iter: usize) -> Result<Option<usize>> {
        let (prob, opts) = (self.prob, self.prob.opts);
        self.now = self.st.set_beta(prob.inp, &self.beta);
        let bad = |p: &Pass| -> bool { !p.deviance.is_finite() || !p.in_range };
        let Some(old) = &self.beta_old else {
            if bad(&self.now) {
                return Err(no_valid_first_step(prob.inp));
            }
            return Ok(Some(0));
        };
        let obj_old = self.obj_old;
        let rises = |obj: f64| obj > obj_old + 1e-12 * obj_old.abs().max(1.0);
        let out_of_range = bad(&self.now);
        let mut halvings = 0;
        while bad(&self.now) || rises(prob.objective(self.now.deviance, &self.beta)) {
            if halvings == opts.max_halvings {
                self.beta.clone_from(old);
                self.now = self.st.set_beta(prob.inp, &self.beta);
                self.history.push(self.now.deviance);
                self.warnings.push(format!(
                    "step halving failed at iteration {iter}: no step lowers the deviance \
                     or stays in range; the fit stopped at the last good coefficients"
                ));
                return Ok(None);
            }
            halvings += 1;
            for (b, o) in self.beta.iter_mut().zip(old) {
                *b = 0.5 * (*b + o);
            }
            self.now = self.st.set_beta(prob.inp, &self.beta);
        }
        self.boundary |= halvings > 0 && out_of_range;
        Ok(Some(halvings))
    }

    /// The fit at the last coefficients: the covariance (from `factor` when the last
    /// iteration has it at these coefficients), aliased columns as `NaN`, the warnings.
    fn finish(
        mut self,
        iterations: usize,
        stop: StopReason,
        factor: Option<Factor>,
    ) -> Result<IrlsFit> {
        let prob = self.prob;
        let last = self.hess.take_last();
        let keep = &self.hess.keep;
        // (X'WX)^-1 at the final fitted values (computed again unless the last iteration's
        // X'WX is at them). R uses X'WX of the last iteration, at the previous coefficients,
        // which makes the standard errors depend on the path taken.
        // A penalized fit keeps its last X'WX (dense) for a warm start instead.
        let (cov_unscaled, gram, hessian) = match (factor, prob.penalty.is_zero()) {
            (_, false) => {
                let hessian = match last {
                    Some(Gram::Dense(g)) => g,
                    _ => Mat::zeros(0, 0),
                };
                (Covariance::empty(), Gram::Dense(Mat::zeros(0, 0)), hessian)
            }
            (factor, true) => {
                let (factor, gram) = match (factor, last) {
                    (Some(factor), Some(g)) => (factor, g),
                    _ => {
                        let gram = self.hess.full(prob, &self.st.ww);
                        (gram.factor(keep, &vec![0.0; keep.len()])?, gram)
                    }
                };
                (factor.inverse(), gram, Mat::zeros(0, 0))
            }
        };
        for (b, &a) in self.beta.iter_mut().zip(&self.hess.aliased) {
            if a {
                *b = f64::NAN;
            }
        }
        let converged = stop == StopReason::Converged;
        if !converged {
            self.warnings.push(format!(
                "the algorithm did not converge in {iterations} iterations ({stop}); \
                 raise max_iter or check the model for separation or a bad link"
            ));
        }
        if self.boundary {
            self.warnings
                .push("the algorithm stopped at a boundary value of the family's range".into());
        }
        let diverging = self.rule.diverging.unwrap_or_default();
        if let Some(warning) = diverging_warning(&diverging) {
            self.warnings.push(warning);
        }
        Ok(IrlsFit {
            coefficients: self.beta,
            aliased: self.hess.aliased,
            eta: self.st.eta,
            mu: self.st.mu,
            working_weights: self.st.ww,
            cov_unscaled,
            gram,
            hessian,
            // The last pass over the rows was at the final coefficients.
            deviance: self.now.deviance,
            score: self.st.score,
            iterations,
            sampled_iterations: self.hess.sampled_iterations,
            converged,
            stop,
            deviance_history: self.history,
            boundary: self.boundary,
            warnings: self.warnings,
            diverging,
        })
    }
}

/// The error when the first step from starting means leaves the family's range.
fn no_valid_first_step(inp: &IrlsInput<'_>) -> Error {
    Error::fit(format!(
        "no valid set of coefficients has been found from the starting values: the first \
         step gives fitted means outside the {} family's range with the {} link; try the \
         family's default link ({}) or another link",
        inp.family.name(),
        inp.link,
        inp.family.default_link()
    ))
}
