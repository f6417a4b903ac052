//! Iteratively reweighted least squares with R's starting values, step halving and
//! convergence rule.

use faer::Mat;

use super::diverging::{diverging_columns, diverging_warning, without_directions, Diverging};
use super::newton_cg;
use super::sample::RowSample;
use super::state::{Pass, State};
use super::{IrlsOptions, StopReason};
use crate::design::Design;
use crate::error::{Error, Result};
use crate::family::Family;
use crate::linalg::{aliased_columns, submatrix, SpdFactor};
use crate::link::{Link, LinkFunction};

/// The data of one fit: design, response, prior weights and offset.
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

/// Where the iterations start.
#[derive(Debug, Clone, Copy, Default)]
pub enum Start<'a> {
    /// The family's own starting values (R's `initialize`), except under the log link for
    /// Poisson, negative binomial, Gamma and Tweedie (1 <= p <= 2), whose deviance is convex:
    /// there the intercept-only fit when the design has an intercept, and `(y + mean(y)) / 2`
    /// (as statsmodels) otherwise; each saves about one iteration over R's start.
    #[default]
    Family,
    /// Starting fitted means.
    Mu(&'a [f64]),
    /// A starting linear predictor (offset included).
    Eta(&'a [f64]),
}

/// What IRLS returns.
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
    /// `(X' W X)^-1` over the non-aliased columns, in their order.
    pub cov_unscaled: Mat<f64>,
    /// The deviance at the fitted means.
    pub deviance: f64,
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

/// A fit leaves its row sample once the error left after a sampled step, estimated as the step
/// times the ratio of the last two steps, is below this many standard errors (on the sample's
/// `X'WX`). The sampled steps converge linearly (the error shrinks about tenfold a step with
/// 32,768 rows), Newton steps quadratically: from 0.015 standard errors one Newton step
/// (solved by conjugate gradients with the sample's `X'WX` as the preconditioner, see
/// [`newton_cg`](super::newton_cg)) leaves an error below `step_tol` (on the 250k and 500k
/// benchmarks, 5e-8 and 2e-7 from 4e-3 and 1e-2), which the next full `X'WX` confirms. (A
/// threshold of 0.1 on the step itself took one more sampled iteration at 500k rows, whose
/// step was 0.116.)
const LEAVE_SAMPLE_BELOW: f64 = 0.015;

/// After a sampled step below this many standard errors the next sampled iteration uses the
/// same sampled `X'WX`: the linear predictor has moved by about `sqrt(p / n)` of that in each
/// row, so the working weights by a percent or two, less than the sample's own error (on the
/// 250k benchmark the iterations and the answer are the same, one sampled `X'WX` fewer).
const REUSE_SAMPLE_BELOW: f64 = 1.0;

/// Iterations allowed after R's deviance rule is met, while the step is still above
/// `step_tol` standard errors.
const MAX_EXTRA: usize = 10;

/// The size of the step `d` (over the kept columns) in standard-error units:
/// `sqrt(d' G d / dispersion)`, with the dispersion 1 for fixed-dispersion families and
/// deviance / df otherwise.
fn std_errors(g: &Mat<f64>, keep: &[usize], d: &[f64], dev: f64, fam: &Family, nobs: usize) -> f64 {
    let mut q = 0.0;
    for (a, &ja) in keep.iter().enumerate() {
        for (b, &jb) in keep.iter().enumerate() {
            q += d[a] * g[(ja, jb)] * d[b];
        }
    }
    (q.max(0.0) / dispersion(fam, dev, nobs, keep.len())).sqrt()
}

/// The dispersion a step is measured with: 1 for fixed-dispersion families, deviance / df
/// otherwise (`nobs` rows with a positive weight, `k` coefficients).
fn dispersion(fam: &Family, dev: f64, nobs: usize, k: usize) -> f64 {
    if fam.dispersion_is_fixed() {
        1.0
    } else {
        let df = nobs.saturating_sub(k).max(1) as f64;
        (dev / df).max(f64::MIN_POSITIVE)
    }
}

/// The Newton step of the iteration that leaves the sample is solved to within this fraction
/// of `step_tol` (see [`newton_cg`](super::newton_cg)), so the next iteration's check sees
/// the error of the Newton step itself.
const CG_FRACTION: f64 = 0.1;

/// The step rule: the step in standard errors ([`std_errors`]), which leaves out the
/// coefficients with no finite estimate (they move by about 1 an iteration for ever, while
/// the others converge). It looks for them (a pass over the data) only when R's deviance rule
/// has held for an iteration already and the step is still above the tolerance: a fit that
/// converges quadratically has met the step rule by then.
struct StepRule<'a, 'b> {
    inp: &'b IrlsInput<'a>,
    /// Rows with a positive weight (the residual degrees of freedom).
    nobs: usize,
    step_tol: f64,
    /// The diverging coefficients, once looked for.
    diverging: Option<Vec<Diverging>>,
}

impl StepRule<'_, '_> {
    fn size(&mut self, look: bool, g: &Mat<f64>, keep: &[usize], d: &[f64], dev: f64) -> f64 {
        let fam = &self.inp.family;
        let size = std_errors(g, keep, d, dev, fam, self.nobs);
        if size <= self.step_tol || !look {
            return size;
        }
        let inp = self.inp;
        let found = self
            .diverging
            .get_or_insert_with(|| diverging_columns(inp, keep));
        if found.is_empty() {
            return size;
        }
        match without_directions(g, keep, d, found) {
            Some(rest) => std_errors(g, keep, &rest, dev, fam, self.nobs),
            None => size,
        }
    }
}

/// `beta[keep[k]] += delta[k]`.
fn add_step(beta: &mut [f64], keep: &[usize], delta: &[f64]) {
    for (&j, d) in keep.iter().zip(delta) {
        beta[j] += d;
    }
}

/// The sampled `X'WX` and its factor, or `None` when the sample cannot serve: it carries no
/// weight, its `X'WX` is singular, or (at the first iteration, where aliased columns are
/// found) some column is aliased on the sample, which the full data must decide.
fn sampled_factor(
    s: &mut RowSample,
    ww: &[f64],
    iter: usize,
    opts: &IrlsOptions,
) -> Option<(Mat<f64>, SpdFactor)> {
    let g = s.sandwich(ww)?;
    if iter == 1 && aliased_columns(&g, opts.rank_tol).iter().any(|&a| a) {
        return None;
    }
    let factor = SpdFactor::new(&g).ok()?;
    Some((g, factor))
}

/// The null-model start of the convex log-link families (see [`convex_log_start`]) when the
/// design has an intercept: the intercept `log(sum w y / sum w exp(offset))`, the maximum
/// likelihood fit of the intercept-only model with the offset, and every other coefficient
/// 0. Unlike fitted means, this start is a point of the model, so the first iteration can
/// already be a Newton step from known coefficients (and be halved). `None` otherwise.
fn null_start(inp: &IrlsInput<'_>) -> Option<(usize, f64)> {
    convex_log_start(inp)?;
    let j = inp.x.constant_column()?;
    let (mut swy, mut swo) = (0.0, 0.0);
    for i in 0..inp.y.len() {
        swy += inp.weights[i] * inp.y[i];
        swo += inp.weights[i] * inp.offset[i].exp();
    }
    let b0 = (swy / swo).ln();
    b0.is_finite().then_some((j, b0))
}

/// For the families whose deviance is convex in the coefficients under the log link
/// (Poisson, negative binomial, Gamma, Tweedie with 1 <= p <= 2), the weighted mean of the
/// response: without an intercept the iterations start from `(y + mean) / 2` (as
/// statsmodels does), which saves about one iteration over R's `y + 0.1` on count data. The
/// optimum is unique there, so the start changes the path, not the answer. `None` for
/// everything else (R's start).
fn convex_log_start(inp: &IrlsInput<'_>) -> Option<f64> {
    let convex = match inp.family {
        Family::Poisson | Family::QuasiPoisson | Family::NegativeBinomial { .. } => true,
        Family::Gamma => true,
        Family::Tweedie { var_power } => (1.0..=2.0).contains(&var_power),
        _ => false,
    };
    if !convex || inp.link != Link::Log {
        return None;
    }
    let (mut sw, mut swy) = (0.0, 0.0);
    for (&y, &w) in inp.y.iter().zip(inp.weights) {
        sw += w;
        swy += w * y;
    }
    let mean = swy / sw;
    (mean.is_finite() && mean > 0.0).then_some(mean)
}

/// Fits a GLM by iteratively reweighted least squares (Fisher scoring).
///
/// Follows R's `glm.fit`: the family's starting values (except for the convex log-link
/// families, see [`Start::Family`]), the working response and weights,
/// convergence when `|dev - dev_old| / (|dev| + 0.1) < tol`. A step is halved when the deviance
/// is not finite, when eta or mu leave the link's or family's range, or when the deviance rises
/// (R only does the first two; the third makes divergence rare). Aliased columns are found at
/// the first iteration (see [`aliased_columns`]) and left out; their coefficients are `NaN`.
pub fn irls(inp: &IrlsInput<'_>, start: Start<'_>, opts: &IrlsOptions) -> Result<IrlsFit> {
    opts.validate()?;
    let n = inp.x.nrows();
    let p = inp.x.ncols();
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
    let (fam, link) = (inp.family, inp.link);
    let mut st = State::new(inp);
    // The coefficients, when the start is a point of the model (the null-model start).
    let mut beta = vec![0.0; p];
    let mut beta_old: Option<Vec<f64>> = None;
    let null = match start {
        Start::Family => null_start(inp),
        _ => None,
    };
    if let Some((j, b0)) = null {
        beta[j] = b0;
        beta_old = Some(beta.clone());
    } else {
        match start {
            Start::Eta(eta) => {
                st.eta.copy_from_slice(eta);
                for i in 0..n {
                    st.mu[i] = link.inverse(st.eta[i]);
                }
            }
            Start::Mu(mu) => {
                st.mu.copy_from_slice(mu);
                for i in 0..n {
                    st.eta[i] = link.link(st.mu[i]);
                }
            }
            Start::Family => {
                let ybar = convex_log_start(inp);
                for i in 0..n {
                    st.mu[i] = match ybar {
                        Some(m) => 0.5 * (inp.y[i] + m),
                        None => fam.initial_mu(inp.y[i], inp.weights[i]),
                    };
                    st.eta[i] = link.link(st.mu[i]);
                }
            }
        }
    }
    let mut now = match beta_old {
        Some(_) => st.set_beta(inp, &beta),
        None => st.pass(inp),
    };
    if !now.in_range {
        return Err(Error::fit(format!(
            "cannot find valid starting values: the {} link gives values outside the {} \
             family's range at the starting means (the response's own values); use the \
             family's default link ({}) or a link defined for every value of the response",
            link,
            fam.name(),
            fam.default_link()
        )));
    }

    let mut dev_old = now.deviance;
    let mut keep: Vec<usize> = Vec::new();
    let mut aliased = vec![false; p];
    let mut history = Vec::new();
    let mut warnings = Vec::new();
    let mut boundary = false;
    let mut converged = false;
    let mut stop = StopReason::MaxIterations;
    let mut iterations = 0;
    let mut extra = 0;
    let mut change = f64::INFINITY;
    // X'WX of the previous iteration and its factor.
    let mut previous: Option<(Mat<f64>, SpdFactor)> = None;
    // The working weights are the prior weights at every iteration for a constant variance
    // (Gaussian, Tweedie with p = 0) with the identity link, and for V(mu) = mu^2 (Gamma,
    // Tweedie with p = 2) with the log link: X'WX is computed once, and the last factor is
    // also the one at the fitted values.
    let fixed_weights = st.kernel.fixed_weights()
        || link == Link::Identity
            && (fam == Family::Gaussian || fam == Family::Tweedie { var_power: 0.0 });
    let mut final_factor: Option<SpdFactor> = None;
    // A large fit starting from the family's start takes X'WX from a sample of rows while the
    // steps are large (see `LEAVE_SAMPLE_BELOW`); from then on every iteration computes the
    // full X'WX and checks the Newton step before taking it.
    let mut sample = match start {
        Start::Family if !fixed_weights => RowSample::new(inp.x, opts.sample_rows, inp.weights),
        _ => None,
    };
    let mut was_sampled = false;
    // X'WX of the last sampled iteration and its factor (the preconditioner when leaving).
    let mut last_sampled: Option<(Mat<f64>, SpdFactor)> = None;
    // Whether the Newton step by conjugate gradients left the check for aliased columns to
    // the next full X'WX.
    let mut unchecked_aliases = false;
    // Rows with a positive weight (the residual degrees of freedom of the step rule).
    let nobs = inp.weights.iter().filter(|&&w| w > 0.0).count();
    let mut last_sampled_step = f64::INFINITY;
    let mut sampled_iterations = 0;
    let mut step_rule = StepRule {
        inp,
        nobs,
        step_tol: opts.step_tol,
        diverging: None,
    };

    for iter in 1..=opts.max_iter {
        iterations = iter;
        if now.informative == 0 {
            stop = StopReason::NoInformativeRows;
            warnings.push(format!("no observations informative at iteration {iter}"));
            break;
        }
        let sampled = match sample.as_mut() {
            // After a step below `REUSE_SAMPLE_BELOW` standard errors the working weights
            // have barely moved: the last sampled X'WX serves again.
            Some(_) if last_sampled_step <= REUSE_SAMPLE_BELOW && last_sampled.is_some() => {
                last_sampled.take()
            }
            Some(s) if iter <= opts.max_iter / 2 => sampled_factor(s, &st.ww, iter, opts),
            _ => None,
        };
        if sampled.is_none() {
            sample = None;
        }
        // Once the sample has been left, every iteration checks the full Newton step.
        let leaving = was_sampled && sampled.is_none();
        let checking = sampled.is_none() && sampled_iterations > 0;
        // Leaving the sample: the Newton step by conjugate gradients, preconditioned with the
        // sample's X'WX, instead of a full X'WX (which the next iteration forms, and checks
        // for aliased columns); the full X'WX when they do not get there.
        let by_cg = match last_sampled.take().filter(|_| leaving) {
            Some((g, factor)) => {
                let tol = CG_FRACTION
                    * opts.step_tol
                    * dispersion(&fam, dev_old, nobs, keep.len()).sqrt();
                newton_cg::newton_step(inp, &mut st, &factor, &keep, tol).map(|delta| {
                    add_step(&mut beta, &keep, &delta);
                    (g, factor)
                })
            }
            None => None,
        };
        unchecked_aliases |= by_cg.is_some();
        let (g, factor) = match (sampled, by_cg) {
            (_, Some(step_taken)) => step_taken,
            (Some((g, factor)), None) => {
                sampled_iterations += 1;
                if iter == 1 {
                    keep = (0..p).collect();
                }
                st.advance(inp, &factor, &keep, &mut beta, beta_old.is_none());
                (g, factor)
            }
            // Once the deviance rule is met and only the step rule is not, the step is tiny
            // and X'WX of the previous iteration serves: a chord step costs one product with
            // X' instead of a new X'WX, and moves the answer by far less than the step
            // tolerance (the error is the step times the change in X'WX). With fixed working
            // weights (constant variance, identity link) X'WX never changes and the same step
            // is exact.
            (None, None) => match previous
                .take()
                .filter(|_| !checking && (extra > 0 || fixed_weights))
            {
                Some((g, factor)) => {
                    st.advance(inp, &factor, &keep, &mut beta, false);
                    (g, factor)
                }
                None => {
                    let g = inp.x.sandwich(&st.ww);
                    if iter == 1 || leaving || std::mem::take(&mut unchecked_aliases) {
                        aliased = aliased_columns(&g, opts.rank_tol);
                        if sampled_iterations > 0 && aliased.iter().any(|&a| a) {
                            // The sample missed a linear dependence of the full data: fit
                            // again without it (the coefficients of the aliased columns are
                            // not identified, so the path so far cannot be kept).
                            return irls(inp, start, &opts.sample_rows(0));
                        }
                        keep = (0..p).filter(|&j| !aliased[j]).collect();
                    }
                    let factor = SpdFactor::new(&submatrix(&g, &keep))?;
                    if checking {
                        // R's deviance rule held at the last step and the full Newton step
                        // from here is within `step_tol` standard errors: converged here,
                        // and this X'WX, at the fitted values, gives the covariance.
                        let delta = st.step(&factor, &keep);
                        let rule = change < opts.tol;
                        let size = step_rule.size(rule && extra > 0, &g, &keep, &delta, dev_old);
                        if rule {
                            if size <= opts.step_tol || extra >= MAX_EXTRA {
                                converged = true;
                                stop = StopReason::Converged;
                                final_factor = Some(factor);
                                break;
                            }
                            extra += 1;
                        }
                        add_step(&mut beta, &keep, &delta);
                    } else {
                        st.advance(inp, &factor, &keep, &mut beta, beta_old.is_none());
                    }
                    (g, factor)
                }
            },
        };
        now = st.set_beta(inp, &beta);
        let mut dev = now.deviance;

        // Step halving: back towards the previous coefficients while the step leaves the
        // valid range, gives a non-finite deviance, or raises the deviance.
        let bad = |p: &Pass| -> bool { !p.deviance.is_finite() || !p.in_range };
        let mut halvings = 0;
        if let Some(old) = &beta_old {
            let rises = |dev: f64| dev > dev_old + 1e-12 * dev_old.abs().max(1.0);
            let out_of_range = bad(&now);
            while bad(&now) || rises(now.deviance) {
                if halvings == opts.max_halvings {
                    stop = StopReason::StepHalvingFailed;
                    break;
                }
                halvings += 1;
                for (b, o) in beta.iter_mut().zip(old) {
                    *b = 0.5 * (*b + o);
                }
                now = st.set_beta(inp, &beta);
                dev = now.deviance;
            }
            if halvings > 0 && stop != StopReason::StepHalvingFailed {
                boundary = boundary || out_of_range;
            }
            if stop == StopReason::StepHalvingFailed {
                // Keep the last good coefficients.
                beta.clone_from(old);
                now = st.set_beta(inp, &beta);
                dev = now.deviance;
                history.push(dev);
                warnings.push(format!(
                    "step halving failed at iteration {iter}: no step lowers the deviance \
                     or stays in range; the fit stopped at the last good coefficients"
                ));
                break;
            }
        } else if bad(&now) {
            return Err(Error::fit(format!(
                "no valid set of coefficients has been found from the starting values: the \
                 first step gives fitted means outside the {} family's range with the {} \
                 link; try the family's default link ({}) or another link",
                fam.name(),
                link,
                fam.default_link()
            )));
        }
        history.push(dev);
        change = (dev - dev_old).abs() / (dev.abs() + 0.1);
        let rule = change < opts.tol;
        let mut step = |g: &Mat<f64>| {
            beta_old.as_ref().map_or(f64::INFINITY, |old| {
                let d: Vec<f64> = keep.iter().map(|&j| beta[j] - old[j]).collect();
                step_rule.size(rule && extra > 0, g, &keep, &d, dev)
            })
        };
        was_sampled = sample.is_some();
        if was_sampled {
            // A sampled step never ends the fit. The sample is left once the steps are small,
            // or when it stops paying: a step had to be halved, or the steps shrink by less
            // than half.
            let size = step(&g);
            // The error left after this step is about the step times the rate of the last
            // two steps.
            let left = if last_sampled_step.is_finite() {
                size * size / last_sampled_step
            } else {
                f64::INFINITY
            };
            if halvings > 0 || left <= LEAVE_SAMPLE_BELOW || size > 0.5 * last_sampled_step {
                sample = None;
            }
            last_sampled_step = size;
        } else if change < opts.tol && !checking {
            // R stops here. Its rule allows coefficient errors of ~1e-4 standard errors on
            // non-canonical links, so also require the last step to be below `step_tol`
            // standard errors (at most `MAX_EXTRA` more iterations).
            if step(&g) <= opts.step_tol || extra >= MAX_EXTRA {
                converged = true;
                stop = StopReason::Converged;
                if fixed_weights {
                    final_factor = Some(factor);
                }
                break;
            }
            extra += 1;
        }
        dev_old = dev;
        beta_old = Some(beta.clone());
        if was_sampled {
            last_sampled = Some((g, factor));
        } else {
            previous = Some((g, factor));
        }
    }

    // Working weights and (X'WX)^-1 at the final fitted values (computed again unless the
    // weights are fixed). (R uses X'WX of the last
    // iteration, at the previous coefficients; that differs by up to ~1e-7 relative and makes
    // the standard errors depend on the path taken.)
    let cov_unscaled = match final_factor {
        Some(factor) => factor.inverse(),
        None => SpdFactor::new(&submatrix(&inp.x.sandwich(&st.ww), &keep))?.inverse(),
    };
    // The last pass over the rows was at the final coefficients: its deviance is theirs.
    let deviance = now.deviance;
    for (b, &a) in beta.iter_mut().zip(&aliased) {
        if a {
            *b = f64::NAN;
        }
    }
    if !converged {
        warnings.push(format!(
            "the algorithm did not converge in {iterations} iterations ({stop}); \
             raise max_iter or check the model for separation or a bad link"
        ));
    }
    if boundary {
        warnings.push("the algorithm stopped at a boundary value of the family's range".into());
    }
    let diverging = step_rule.diverging.unwrap_or_default();
    if let Some(warning) = diverging_warning(&diverging) {
        warnings.push(warning);
    }
    Ok(IrlsFit {
        coefficients: beta,
        aliased,
        eta: st.eta,
        mu: st.mu,
        working_weights: st.ww,
        cov_unscaled,
        deviance,
        iterations,
        sampled_iterations,
        converged,
        stop,
        deviance_history: history,
        boundary,
        warnings,
        diverging,
    })
}
