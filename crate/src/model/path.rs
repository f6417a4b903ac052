//! Regularization paths: the elastic net over a decreasing sequence of alphas, each fit
//! starting from the one before (warm starts), as glmnet.
//!
//! The sequence starts at `alpha_max`, the smallest alpha at which every penalized coefficient
//! is 0: `max_j |s_j| / (W l v_j)` over the penalized columns, with `s` the score of the fit
//! without them, `W` the sum of the prior weights, `v_j` the column's L1 weight per unit
//! (factor times scale) and `l = max(l1_ratio, 0.001)` (glmnet's convention, which gives ridge
//! paths a finite start). It falls geometrically to `alpha_max * alpha_min_ratio`.
//!
//! At each alpha the sequential strong rule (Tibshirani et al. 2012) holds at 0 the columns
//! whose score at the previous alpha is below `W l1_ratio v_j (2 alpha - alpha_prev)`; after
//! the fit every such column is checked against the optimality (KKT) condition
//! `|s_j| <= W l1_ratio alpha v_j`, and the fit is repeated with the violators until none is
//! left, so the screen never changes the answer.

use crate::error::{Error, Result};
use crate::family::Family;
use crate::link::Link;
use crate::solver::{solve, IrlsFit, IrlsInput, Start, Warm};

use super::{null_deviance, ElasticNet, GlmData, GlmOptions};

/// The alphas of a path.
#[derive(Debug, Clone, PartialEq)]
pub enum Alphas {
    /// `n` alphas from `alpha_max` down to `alpha_max * min_ratio`, evenly spaced on the log
    /// scale; `min_ratio` defaults to glmnet's: 1e-4, or 0.01 with fewer rows than columns.
    Auto {
        /// The number of alphas (glmnet's `nlambda`, default 100).
        n: usize,
        /// The last alpha over the first (glmnet's `lambda.min.ratio`).
        min_ratio: Option<f64>,
    },
    /// These alphas, fitted from the largest down.
    Given(Vec<f64>),
}

impl Default for Alphas {
    fn default() -> Self {
        Alphas::Auto {
            n: 100,
            min_ratio: None,
        }
    }
}

/// What a path fits: the elastic net's mix, standardization and factors (its alpha is
/// ignored), and the alphas.
#[derive(Debug, Clone, PartialEq)]
pub struct PathOptions {
    /// The penalty; its `alpha` is replaced by each alpha of the path.
    pub net: ElasticNet,
    /// The alphas.
    pub alphas: Alphas,
}

/// A fitted path: one fit per alpha, from the largest alpha down.
#[derive(Debug, Clone)]
pub struct PathFit {
    /// The family.
    pub family: Family,
    /// The link.
    pub link: Link,
    /// Rows with a non-zero weight.
    pub nobs: usize,
    /// Design column names.
    pub names: Vec<String>,
    /// The penalty (its `alpha` is that of the first fit).
    pub net: ElasticNet,
    /// The alphas, decreasing.
    pub alphas: Vec<f64>,
    /// The smallest alpha at which every penalized coefficient is 0 (see the module's
    /// documentation).
    pub alpha_max: f64,
    /// The coefficients at each alpha (original scale).
    pub coefficients: Vec<Vec<f64>>,
    /// The deviance at each alpha.
    pub deviance: Vec<f64>,
    /// The null deviance.
    pub null_deviance: f64,
    /// The fraction of the null deviance explained at each alpha.
    pub deviance_explained: Vec<f64>,
    /// Coefficients other than the intercept that are not zero, at each alpha.
    pub nonzero: Vec<usize>,
    /// Whether the fit at each alpha converged.
    pub converged: Vec<bool>,
    /// Solver iterations at each alpha (refits after a failed screen included).
    pub iterations: Vec<usize>,
    /// Problems met, each naming its alpha.
    pub warnings: Vec<String>,
}

/// Fits the elastic net along a path of alphas (see the module's documentation).
///
/// ```
/// use rustystats::design::DenseDesign;
/// use rustystats::family::Family;
/// use rustystats::model::{fit_path, Alphas, ElasticNet, GlmData, GlmOptions, PathOptions};
///
/// let x = DenseDesign::from_columns(
///     vec!["Intercept".into(), "x".into(), "z".into()],
///     vec![vec![1.0; 6], vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0], vec![1.0, 0.0, 1.0, 0.0, 1.0, 0.0]],
/// )
/// .unwrap();
/// let y = [1.0, 2.0, 2.0, 4.0, 7.0, 9.0];
/// let data = GlmData { x: &x, y: &y, weights: None, offset: None };
/// let popts = PathOptions { net: ElasticNet::new(0.0, 1.0), alphas: Alphas::Auto { n: 20, min_ratio: None } };
/// let path = fit_path(&data, Family::Poisson, None, &popts, &GlmOptions::default()).unwrap();
/// assert_eq!(path.alphas.len(), 20);
/// assert_eq!(path.nonzero[0], 0); // alpha_max: every penalized coefficient is 0
/// assert_eq!(path.nonzero[19], 2);
/// ```
pub fn fit_path(
    data: &GlmData<'_>,
    family: Family,
    link: Option<Link>,
    popts: &PathOptions,
    opts: &GlmOptions,
) -> Result<PathFit> {
    fit_path_observed(data, family, link, popts, opts, &|| {})
}

/// [`fit_path`], calling `fitted` after the fit at each alpha (for a progress line; it may
/// be called from several paths at once, so it must be `Sync`).
pub fn fit_path_observed(
    data: &GlmData<'_>,
    family: Family,
    link: Option<Link>,
    popts: &PathOptions,
    opts: &GlmOptions,
    fitted: &(dyn Fn() + Sync),
) -> Result<PathFit> {
    let Setup {
        checked,
        resolved,
        v,
        penalized,
        total_weight,
        null,
        alpha_max,
    } = setup(data, family, link, popts, opts)?;
    let alphas = alpha_grid(&popts.alphas, alpha_max, checked.nobs, data.x.ncols())?;
    let l1_ratio = popts.net.l1_ratio;
    let input = checked.input(data, family);
    let has_intercept = data.x.constant_column().is_some();
    let null_deviance = null_deviance(&input, has_intercept, &null.mu, opts)?;

    let mut out = PathFit {
        family,
        link: checked.link,
        nobs: checked.nobs,
        names: data.x.column_names().to_vec(),
        net: ElasticNet {
            alpha: alphas[0],
            factors: Some(resolved.factors.clone()),
            ..popts.net.clone()
        },
        alpha_max,
        coefficients: Vec::new(),
        deviance: Vec::new(),
        null_deviance,
        deviance_explained: Vec::new(),
        nonzero: Vec::new(),
        converged: Vec::new(),
        iterations: Vec::new(),
        warnings: Vec::new(),
        alphas: alphas.clone(),
    };
    let run = Run {
        input: &input,
        resolved: &resolved,
        v: &v,
        penalized: &penalized,
        total_weight,
        l1_ratio,
        opts,
    };
    let intercept = data.x.constant_column();
    let mut previous = (alpha_max.max(alphas[0]), null);
    for (k, &alpha) in alphas.iter().enumerate() {
        // The fits at the last (up to three) alphas, for the next start.
        let points: Vec<(f64, &[f64])> = (k.saturating_sub(3)..k)
            .map(|i| (alphas[i].ln(), out.coefficients[i].as_slice()))
            .collect();
        // With an L1 part, from alpha_max up every penalized coefficient is 0: the fit without
        // them, exactly (a fit at alpha_max itself would leave rounding-sized coefficients).
        let (fit, iterations) = match alpha >= alpha_max && l1_ratio > 0.0 {
            true => (previous.1.clone(), 0),
            false => {
                let start = predicted_start(&previous.1.coefficients, &points, alpha.ln());
                run.fit_at(alpha, &previous, start)?
            }
        };
        record(&mut out, alpha, &fit, iterations, intercept);
        fitted();
        previous = (alpha, fit);
    }
    Ok(out)
}

/// What a path starts from: the checked data, the penalty per unit of alpha, each column's
/// L1 weight per unit of `alpha * l1_ratio` and whether it is penalized, the total prior
/// weight, the fit without the penalized columns and `alpha_max`.
struct Setup<'a> {
    checked: super::Checked<'a>,
    resolved: super::Resolved,
    v: Vec<f64>,
    penalized: Vec<bool>,
    total_weight: f64,
    null: IrlsFit,
    alpha_max: f64,
}

fn setup<'a>(
    data: &GlmData<'a>,
    family: Family,
    link: Option<Link>,
    popts: &PathOptions,
    opts: &GlmOptions,
) -> Result<Setup<'a>> {
    let checked = super::penalized::check_penalized(data, family, link, opts, false)?;
    let unit = ElasticNet {
        alpha: 1.0,
        ..popts.net.clone()
    };
    let resolved = unit.resolve(data.x, data.y, &checked.weights, family)?;
    let total_weight: f64 = checked.weights.iter().sum();
    let v: Vec<f64> = (resolved.factors.iter().zip(&resolved.scales))
        .map(|(f, s)| f * s)
        .collect();
    let penalized: Vec<bool> = v.iter().map(|&v| v > 0.0).collect();
    let input = checked.input(data, family);
    let null_penalty = resolved.penalty.clone().screening(penalized.clone());
    // alpha_max comes from this fit's score: it is solved far past the usual tolerance, so the
    // path's alphas are glmnet's to 1e-10 (it has only the unpenalized columns, so it is cheap).
    let null_opts = opts.irls.step_tol(opts.irls.step_tol * 1e-3);
    let null = solve(&input, &null_penalty, Start::Family, &null_opts)?;
    let l = unit.l1_ratio.max(1e-3);
    let alpha_max = (0..v.len())
        .filter(|&j| penalized[j])
        .map(|j| null.score[j].abs() / (total_weight * l * v[j]))
        .fold(0.0, f64::max);
    Ok(Setup {
        checked,
        resolved,
        v,
        penalized,
        total_weight,
        null,
        alpha_max,
    })
}

/// The alphas [`fit_path`] would fit (so that other fits, cross-validation's folds, can use
/// the same ones).
pub fn path_alphas(
    data: &GlmData<'_>,
    family: Family,
    link: Option<Link>,
    popts: &PathOptions,
    opts: &GlmOptions,
) -> Result<Vec<f64>> {
    if let Alphas::Given(_) = popts.alphas {
        return alpha_grid(&popts.alphas, f64::NAN, 0, 0);
    }
    let s = setup(data, family, link, popts, opts)?;
    alpha_grid(&popts.alphas, s.alpha_max, s.checked.nobs, data.x.ncols())
}

/// What every fit of a path shares.
struct Run<'r, 'a> {
    input: &'r IrlsInput<'a>,
    resolved: &'r super::Resolved,
    /// Each column's L1 weight per unit of `alpha * l1_ratio`, and whether it is penalized.
    v: &'r [f64],
    penalized: &'r [bool],
    total_weight: f64,
    l1_ratio: f64,
    opts: &'r GlmOptions,
}

impl Run<'_, '_> {
    /// The fit at `alpha` from the fit at the previous alpha, through the strong rule's screen
    /// and its KKT check; with the solver iterations it took.
    fn fit_at(
        &self,
        alpha: f64,
        (prev_alpha, prev): &(f64, IrlsFit),
        mut start: Vec<f64>,
    ) -> Result<(IrlsFit, usize)> {
        let (w, l1_ratio) = (self.total_weight, self.l1_ratio);
        // The sequential strong rule: columns unlikely to enter at this alpha.
        let bound = w * l1_ratio * (2.0 * alpha - prev_alpha);
        let mut screened: Vec<bool> = (0..self.v.len())
            .map(|j| {
                self.penalized[j]
                    && l1_ratio > 0.0
                    && prev.coefficients[j] == 0.0
                    && prev.score[j].abs() < bound * self.v[j]
            })
            .collect();
        let mut from = prev;
        let mut refit;
        let mut iterations = 0;
        loop {
            let penalty = (self.resolved.penalty.clone().times(alpha)).screening(screened.clone());
            for (b, &s) in start.iter_mut().zip(&screened) {
                if s {
                    *b = 0.0;
                }
            }
            let warm = Warm {
                coefficients: &start,
                hessian: &from.hessian,
                aliased: &from.aliased,
            };
            let fit = solve(self.input, &penalty, Start::Warm(warm), &self.opts.irls)?;
            iterations += fit.iterations;
            let limit = |j: usize| w * l1_ratio * alpha * self.v[j];
            let violators: Vec<usize> = (0..self.v.len())
                .filter(|&j| screened[j] && fit.score[j].abs() > limit(j))
                .collect();
            if violators.is_empty() {
                return Ok((fit, iterations));
            }
            for j in violators {
                screened[j] = false;
            }
            start = fit
                .coefficients
                .iter()
                .map(|b| if b.is_nan() { 0.0 } else { *b })
                .collect();
            refit = fit;
            from = &refit;
        }
    }
}

/// The start at log-alpha `t`: each coefficient of the last fit (`last`) extrapolated along the
/// fits at the last alphas (`points`: log-alpha and coefficients, oldest first, at most three)
/// where it is nonzero, by the polynomial through them (a line through two, a parabola through
/// three). On a log-spaced path the coefficients change smoothly between changes of the
/// active set, so the first step from there is far smaller than from the last fit.
fn predicted_start(last: &[f64], points: &[(f64, &[f64])], t: f64) -> Vec<f64> {
    (0..last.len())
        .map(|j| {
            let b = last[j];
            if b == 0.0 || b.is_nan() || !t.is_finite() {
                return if b.is_nan() { 0.0 } else { b };
            }
            let known: Vec<(f64, f64)> = (points.iter().rev())
                .take_while(|(_, c)| c[j] != 0.0 && !c[j].is_nan())
                .map(|(s, c)| (*s, c[j]))
                .collect();
            match known.len() {
                0 | 1 => b,
                _ => lagrange(&known, t).filter(|v| v.is_finite()).unwrap_or(b),
            }
        })
        .collect()
}

/// The polynomial through `points` (distinct abscissae) at `t`; `None` when two coincide.
fn lagrange(points: &[(f64, f64)], t: f64) -> Option<f64> {
    let mut total = 0.0;
    for (i, &(ti, yi)) in points.iter().enumerate() {
        let mut term = yi;
        for (k, &(tk, _)) in points.iter().enumerate() {
            if k != i {
                if ti == tk {
                    return None;
                }
                term *= (t - tk) / (ti - tk);
            }
        }
        total += term;
    }
    Some(total)
}

/// Adds the fit at `alpha` to the path.
fn record(
    out: &mut PathFit,
    alpha: f64,
    fit: &IrlsFit,
    iterations: usize,
    intercept: Option<usize>,
) {
    let nonzero = (fit.coefficients.iter().enumerate())
        .filter(|&(j, b)| *b != 0.0 && !b.is_nan() && Some(j) != intercept)
        .count();
    if !fit.converged {
        out.warnings.push(format!(
            "the fit at alpha {alpha:.6e} did not converge ({}); raise max_iter",
            fit.stop
        ));
    }
    out.coefficients.push(fit.coefficients.clone());
    out.deviance.push(fit.deviance);
    out.deviance_explained
        .push(1.0 - fit.deviance / out.null_deviance);
    out.nonzero.push(nonzero);
    out.converged.push(fit.converged);
    out.iterations.push(iterations);
}

/// The alphas of a path, decreasing, checked.
fn alpha_grid(alphas: &Alphas, alpha_max: f64, nobs: usize, ncols: usize) -> Result<Vec<f64>> {
    match alphas {
        Alphas::Given(list) => {
            if list.is_empty() {
                return Err(Error::model(
                    "the list of alphas is empty; give at least one",
                ));
            }
            if let Some(a) = list.iter().find(|a| !(a.is_finite() && **a >= 0.0)) {
                return Err(Error::model(format!(
                    "every alpha must be a number >= 0, got {a}"
                )));
            }
            let mut sorted = list.clone();
            sorted.sort_by(|a, b| b.total_cmp(a));
            Ok(sorted)
        }
        Alphas::Auto { n, min_ratio } => {
            if *n == 0 {
                return Err(Error::model("n_alphas must be at least 1"));
            }
            let ratio = min_ratio.unwrap_or(if nobs < ncols { 0.01 } else { 1e-4 });
            if !(ratio > 0.0 && ratio < 1.0) {
                return Err(Error::model(format!(
                    "alpha_min_ratio must be between 0 and 1 (exclusive), got {ratio}"
                )));
            }
            if !(alpha_max.is_finite() && alpha_max > 0.0) {
                return Err(Error::model(format!(
                    "alpha_max is {alpha_max}: no penalized column has a score at the \
                     unpenalized start, so there is no path to fit; give the alphas instead"
                )));
            }
            let step = if *n > 1 {
                ratio.ln() / (*n - 1) as f64
            } else {
                0.0
            };
            Ok((0..*n)
                .map(|k| alpha_max * (step * k as f64).exp())
                .collect())
        }
    }
}

/// A path for the presentation layer's tests.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;
    use crate::design::DenseDesign;

    /// A Poisson lasso path over `alphas` on eight rows: columns `Intercept`, `x`, `z`, and
    /// with `markup` a fourth, `w<b>`, whose name needs escaping in HTML.
    pub(crate) fn tiny_poisson_path(alphas: Alphas, markup: bool) -> PathFit {
        let mut names: Vec<String> = vec!["Intercept".into(), "x".into(), "z".into()];
        let mut columns = vec![
            vec![1.0; 8],
            vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
            vec![1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0],
        ];
        if markup {
            names.push("w<b>".into());
            columns.push(vec![0.5, 0.1, 0.9, 0.3, 0.2, 0.8, 0.4, 0.6]);
        }
        let x = DenseDesign::from_columns(names, columns).unwrap();
        let y = [1.0, 2.0, 2.0, 4.0, 7.0, 9.0, 8.0, 14.0];
        let data = GlmData {
            x: &x,
            y: &y,
            weights: None,
            offset: None,
        };
        let popts = PathOptions {
            net: ElasticNet::new(0.0, 1.0),
            alphas,
        };
        fit_path(&data, Family::Poisson, None, &popts, &GlmOptions::default()).unwrap()
    }
}
