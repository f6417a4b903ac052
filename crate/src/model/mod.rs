//! Fitting a GLM on a design matrix and everything R's `summary.glm` reports about it.
//!
//! This is the math core's entry point: no DataFrame is involved. The frame layer builds the
//! design from a formula and calls [`fit`].

mod checks;
mod coefficients;
mod compare;
mod cv;
mod negbin;
mod path;
mod penalized;

pub use checks::VIF_WARNING;
pub use coefficients::CoefRow;
pub use compare::{lr_test, wald_test};
pub use cv::{heldout_loss, CvFit, PROB_CLIP};
#[cfg(test)]
pub(crate) use path::fixtures::tiny_poisson_path;
pub use path::{fit_path, fit_path_observed, path_alphas, Alphas, PathFit, PathOptions};
pub use penalized::{fit_penalized, ElasticNet, PenalizedFit, Resolved};

use crate::design::{chunked_sum, DenseDesign, Design};
use crate::error::{Error, Result};
use crate::family::{deviance, deviance_at, Family};
use crate::inference::{robust_covariance, CovType, RowTerms};
use crate::linalg::Covariance;
use crate::link::{Link, LinkFunction};
use crate::solver::{irls, Diverging, IrlsFit, IrlsInput, IrlsOptions, Start, StopReason};

/// Options for [`fit`]. Non-exhaustive: start from `GlmOptions::default()`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct GlmOptions {
    /// Solver options (iterations, tolerance, rank tolerance).
    pub irls: IrlsOptions,
    /// For the negative binomial family: estimate theta by maximum likelihood (as
    /// `MASS::glm.nb`), starting from the family's theta, instead of keeping it fixed. Off by
    /// default here; the model builder and the command-line tool turn it on for a negative
    /// binomial unless theta is fixed (`.theta(value)`, `--theta VALUE`).
    pub estimate_theta: bool,
    /// The covariance used for standard errors, tests and intervals.
    pub cov: CovType,
    /// Cluster labels (one per row) for [`CovType::Cluster`].
    pub clusters: Option<Vec<usize>>,
    /// Confidence level for the intervals (default 0.95).
    pub conf_level: f64,
    /// The data row (0-based) of each fit row, so that warnings name rows as the data has
    /// them when rows were dropped before the fit (the frame layer sets it); `None`: the
    /// same rows.
    pub row_numbers: Option<Vec<usize>>,
}

impl Default for GlmOptions {
    fn default() -> Self {
        GlmOptions {
            irls: IrlsOptions::default(),
            estimate_theta: false,
            cov: CovType::Nonrobust,
            clusters: None,
            conf_level: 0.95,
            row_numbers: None,
        }
    }
}

impl GlmOptions {
    /// Sets the solver options.
    pub fn irls(mut self, irls: IrlsOptions) -> Self {
        self.irls = irls;
        self
    }

    /// Estimates the negative binomial theta by maximum likelihood (or keeps it fixed).
    pub fn estimate_theta(mut self, yes: bool) -> Self {
        self.estimate_theta = yes;
        self
    }

    /// Sets the covariance used for standard errors.
    pub fn cov(mut self, cov: CovType) -> Self {
        self.cov = cov;
        self
    }

    /// Sets the cluster labels (codes 0..G, one per row) for [`CovType::Cluster`].
    pub fn clusters(mut self, clusters: Vec<usize>) -> Self {
        self.clusters = Some(clusters);
        self
    }

    /// Sets the confidence level of the intervals.
    pub fn conf_level(mut self, level: f64) -> Self {
        self.conf_level = level;
        self
    }

    /// The 1-based row number that messages show for fit row `i` (0-based).
    pub(crate) fn row_label(&self, i: usize) -> usize {
        self.row_numbers
            .as_ref()
            .and_then(|r| r.get(i).copied())
            .unwrap_or(i)
            + 1
    }
}

/// The data of a fit. Weights and offset default to 1 and 0.
#[derive(Clone, Copy)]
pub struct GlmData<'a> {
    /// The design matrix.
    pub x: &'a dyn Design,
    /// The response; for binomial families a proportion in [0, 1] (with the trials as weights).
    pub y: &'a [f64],
    /// Prior weights, or `None` for all ones.
    pub weights: Option<&'a [f64]>,
    /// Offset on the linear-predictor scale, or `None` for zeros.
    pub offset: Option<&'a [f64]>,
}

/// A fitted GLM with its inference, as R's `glm` + `summary.glm` (+ `MASS::glm.nb`).
#[derive(Debug, Clone)]
pub struct GlmFit {
    /// The family (for the negative binomial with estimated theta: the final theta).
    pub family: Family,
    /// The link.
    pub link: Link,
    /// Design column names.
    pub names: Vec<String>,
    /// Coefficients (`NaN` for aliased columns).
    pub coefficients: Vec<f64>,
    /// Aliased (linearly dependent) columns, left out of the fit as R does.
    pub aliased: Vec<bool>,
    /// Covariance of the non-aliased coefficients (scaled by the dispersion, or robust), in
    /// the order of the non-aliased columns. Dense, or for a factor of many levels kept in
    /// its bordered form ([`Covariance::Bordered`]), whose entries are computed when read.
    pub cov: Covariance,
    /// `(X' W X)^-1` of the non-aliased columns.
    pub cov_unscaled: Covariance,
    /// Which covariance `cov` is.
    pub cov_type: CovType,
    /// The dispersion used for standard errors (1 when fixed, else Pearson chi2 / df_resid).
    pub dispersion: f64,
    /// The residual deviance.
    pub deviance: f64,
    /// The null deviance (intercept-only model with the same offset, as R).
    pub null_deviance: f64,
    /// Sum of squared Pearson residuals.
    pub pearson_chi2: f64,
    /// The log-likelihood (R's conventions), `None` for quasi families.
    pub loglik: Option<f64>,
    /// Akaike's information criterion, `None` without a likelihood.
    pub aic: Option<f64>,
    /// Schwarz's criterion, `None` without a likelihood.
    pub bic: Option<f64>,
    /// Why the log-likelihood, AIC and BIC are missing or infinite (`None` when they are
    /// finite numbers): a quasi family, or a Poisson response that is not a whole number
    /// (AIC `Inf`, as R). See [`Family::loglik_remarks`].
    pub loglik_note: Option<String>,
    /// The number of estimated coefficients (non-aliased columns).
    pub rank: usize,
    /// Whether the design has an intercept (a column of ones).
    pub has_intercept: bool,
    /// Number of rows with non-zero weight.
    pub nobs: usize,
    /// Model degrees of freedom: rank minus the intercept.
    pub df_model: usize,
    /// Residual degrees of freedom: nobs minus rank.
    pub df_resid: usize,
    /// Negative binomial theta and its standard error when estimated.
    pub theta: Option<(f64, Option<f64>)>,
    /// Solver iterations (for an estimated theta: the outer alternations, summed IRLS
    /// iterations are in `deviance_history`).
    pub iterations: usize,
    /// Whether the fit converged.
    pub converged: bool,
    /// Why the solver stopped.
    pub stop: StopReason,
    /// Deviance after each IRLS iteration.
    pub deviance_history: Vec<f64>,
    /// Fitted means.
    pub mu: Vec<f64>,
    /// Linear predictor (offset included).
    pub eta: Vec<f64>,
    /// Working weights at the fitted means.
    pub working_weights: Vec<f64>,
    /// The response used in the fit.
    pub y: Vec<f64>,
    /// Prior weights used in the fit.
    pub prior_weights: Vec<f64>,
    /// Warnings (non-convergence, separation, boundary), also shown by the summary.
    pub warnings: Vec<String>,
    /// Coefficients with no finite estimate (a factor level, possibly the reference, without
    /// events, or a binomial level with every response 1): the likelihood keeps rising as
    /// they go to infinity.
    /// Their values are where the fit stopped; the fit converged in the others. A warning
    /// names them too.
    pub diverging: Vec<Diverging>,
    /// Confidence level of the intervals.
    pub conf_level: f64,
}

/// Checks one value per row and that every value is finite (an error names the row).
pub(crate) fn validate_vector(what: &str, v: &[f64], n: usize) -> Result<()> {
    if v.len() != n {
        return Err(Error::Shape {
            what: what.into(),
            expected: n,
            found: v.len(),
        });
    }
    if let Some(i) = v.iter().position(|x| !x.is_finite()) {
        return Err(Error::data(
            Some(what),
            Some(i),
            format!("{what} must be finite, found {}", v[i]),
        ));
    }
    Ok(())
}

/// The data of a fit with its defaults filled in and checked: the link, the weights (1 by
/// default), the offset (0 by default) and the number of rows with a non-zero weight.
pub(crate) struct Checked<'a> {
    pub link: Link,
    pub weights: std::borrow::Cow<'a, [f64]>,
    pub offset: std::borrow::Cow<'a, [f64]>,
    pub nobs: usize,
}

impl<'a> Checked<'a> {
    /// The solver's input for `data` with these weights, offset and link.
    pub(crate) fn input<'c>(&'c self, data: &GlmData<'c>, family: Family) -> IrlsInput<'c> {
        IrlsInput {
            x: data.x,
            y: data.y,
            weights: &self.weights,
            offset: &self.offset,
            family,
            link: self.link,
        }
    }
}

/// Checks the options and the data of a fit (lengths, finite values, weights >= 0, the
/// response in the family's range and representable): the checks every fit makes.
pub(crate) fn check_data<'a>(
    data: &GlmData<'a>,
    family: Family,
    link: Option<Link>,
    opts: &GlmOptions,
) -> Result<Checked<'a>> {
    use std::borrow::Cow;
    let link = link.unwrap_or_else(|| family.default_link());
    family.check_link(link)?;
    opts.irls.validate()?;
    if !(opts.conf_level > 0.0 && opts.conf_level < 1.0) {
        return Err(Error::model(format!(
            "the confidence level must be between 0 and 1, got {}",
            opts.conf_level
        )));
    }
    let n = data.x.nrows();
    validate_vector("the response", data.y, n)?;
    let weights = match data.weights {
        Some(w) => {
            validate_vector("the weights", w, n)?;
            if let Some(i) = w.iter().position(|&v| v < 0.0) {
                return Err(Error::data(
                    Some("weights"),
                    Some(i),
                    format!("weights must be >= 0, found {}", w[i]),
                ));
            }
            Cow::Borrowed(w)
        }
        None => Cow::Owned(vec![1.0; n]),
    };
    let offset = match data.offset {
        Some(o) => {
            validate_vector("the offset", o, n)?;
            Cow::Borrowed(o)
        }
        None => Cow::Owned(vec![0.0; n]),
    };
    let nobs = weights.iter().filter(|&&w| w != 0.0).count();
    if nobs == 0 {
        return Err(Error::data(
            None,
            None,
            "no rows with a non-zero weight are left to fit; check the weights and the data",
        ));
    }
    family.check_response(data.y, &weights)?;
    checks::response_fits_in_f64(&family, data.y, &weights, &|i| opts.row_label(i))?;
    Ok(Checked {
        link,
        weights,
        offset,
        nobs,
    })
}

/// Fits a GLM by IRLS and computes its inference.
///
/// ```
/// use rustystats::design::DenseDesign;
/// use rustystats::family::Family;
/// use rustystats::model::{fit, GlmData, GlmOptions};
///
/// let x = DenseDesign::from_columns(
///     vec!["Intercept".into(), "x".into()],
///     vec![vec![1.0; 6], vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0]],
/// ).unwrap();
/// let y = [1.0, 2.0, 2.0, 4.0, 7.0, 9.0];
/// let data = GlmData { x: &x, y: &y, weights: None, offset: None };
/// let f = fit(&data, Family::Poisson, None, &GlmOptions::default()).unwrap();
/// assert!(f.converged);
/// assert!(f.coefficients[1] > 0.0);
/// ```
pub fn fit(
    data: &GlmData<'_>,
    family: Family,
    link: Option<Link>,
    opts: &GlmOptions,
) -> Result<GlmFit> {
    let Checked {
        link,
        weights,
        offset,
        nobs,
    } = check_data(data, family, link, opts)?;
    let x = data.x;
    let bordered = crate::solver::bordered_block(x);
    checks::solve_fits(x.column_names(), bordered, checks::available_memory())?;
    if x.ncols() > nobs {
        return Err(Error::data(
            None,
            None,
            format!(
                "the model has {} coefficients but only {nobs} rows with non-zero weight; \
                 use fewer terms or more data",
                x.ncols()
            ),
        ));
    }
    let input = IrlsInput {
        x,
        y: data.y,
        weights: &weights,
        offset: &offset,
        family,
        link,
    };
    let (irls_fit, family, theta) = if opts.estimate_theta {
        negbin::fit_theta_ml(&input, opts)?
    } else {
        (irls(&input, Start::Family, &opts.irls)?, family, None)
    };
    let input = IrlsInput { family, ..input };
    finish(&input, irls_fit, theta, opts)
}

fn finish(
    input: &IrlsInput<'_>,
    f: IrlsFit,
    theta: Option<(f64, Option<f64>)>,
    opts: &GlmOptions,
) -> Result<GlmFit> {
    let (family, link, x) = (input.family, input.link, input.x);
    let (y, weights, offset) = (input.y, input.weights, input.offset);
    let n = x.nrows();
    let nobs = weights.iter().filter(|&&w| w != 0.0).count();
    let rank = f.aliased.iter().filter(|a| !**a).count();
    let intercept_col = x.constant_column();
    let has_intercept = intercept_col.is_some();
    let df_resid = nobs.saturating_sub(rank);
    let pearson_chi2 = chunked_sum(n, |i| {
        let w = weights[i];
        if w == 0.0 {
            0.0
        } else {
            let r = y[i] - f.mu[i];
            w * r * r / family.variance(f.mu[i])
        }
    });
    let dispersion = if family.dispersion_is_fixed() {
        1.0
    } else if df_resid > 0 {
        pearson_chi2 / df_resid as f64
    } else {
        f64::NAN
    };
    let null_deviance = null_deviance(input, has_intercept, &f.mu, opts)?;
    let loglik = family.loglik(
        y,
        &f.mu,
        weights,
        crate::family::LoglikInputs {
            deviance: f.deviance,
        },
    );
    let k = rank
        + usize::from(family.loglik_counts_dispersion())
        + usize::from(theta.is_some() && opts.estimate_theta);
    let aic = loglik.map(|ll| -2.0 * ll + 2.0 * k as f64);
    let bic = loglik.map(|ll| -2.0 * ll + (nobs as f64).ln() * k as f64);

    checks::aliased_columns_fit_in_f64(x, &f.aliased, weights, &|i| opts.row_label(i))?;
    let mut warnings = f.warnings.clone();
    let remarks = family.loglik_remarks(y, weights, loglik, &|i| opts.row_label(i));
    warnings.extend(remarks.warning);
    aliased_warning(x.column_names(), &f.aliased, &mut warnings);
    let keep: Vec<usize> = (0..x.ncols()).filter(|&j| !f.aliased[j]).collect();
    let kept_intercept = intercept_col.and_then(|c| keep.iter().position(|&j| j == c));
    // Columns on a diverging direction have (nearly) no weight left: their warning says so.
    let judged: Vec<bool> = (crate::solver::toward_infinity(&f.diverging, x.ncols()).iter())
        .map(Option::is_none)
        .collect();
    warnings.extend(checks::collinearity_warning(
        x.column_names(),
        &keep,
        &judged,
        &f.cov_unscaled,
        &f.gram,
        kept_intercept,
    ));
    if f.diverging.is_empty() {
        separation_warnings(&family, &f.mu, weights, &mut warnings);
    }

    let mut cov = f.cov_unscaled.scaled(dispersion);
    if opts.cov != CovType::Nonrobust {
        let bread = f
            .cov_unscaled
            .dense()
            .ok_or_else(|| robust_needs_dense(x, opts.cov))?;
        let (robust, robust_warnings) = robust_covariance(
            x,
            &keep,
            bread,
            &RowTerms::new(input, &f.mu, &f.eta, &f.working_weights),
            opts.cov,
            opts.clusters.as_deref(),
            &|i| opts.row_label(i),
        )?;
        cov = Covariance::Dense(robust);
        warnings.extend(robust_warnings);
    }
    let _ = offset;
    Ok(GlmFit {
        family,
        link,
        names: x.column_names().to_vec(),
        coefficients: f.coefficients,
        aliased: f.aliased,
        cov,
        cov_unscaled: f.cov_unscaled,
        cov_type: opts.cov,
        dispersion,
        deviance: f.deviance,
        null_deviance,
        pearson_chi2,
        loglik,
        aic,
        bic,
        loglik_note: remarks.note,
        rank,
        has_intercept,
        nobs,
        df_model: rank.saturating_sub(usize::from(has_intercept)),
        df_resid,
        theta,
        iterations: f.iterations,
        converged: f.converged,
        stop: f.stop,
        deviance_history: f.deviance_history,
        mu: f.mu,
        eta: f.eta,
        working_weights: f.working_weights,
        y: y.to_vec(),
        prior_weights: weights.to_vec(),
        warnings,
        diverging: f.diverging,
        conf_level: opts.conf_level,
    })
}

/// The error for a robust covariance of a fit whose covariance is kept in bordered form: the
/// sandwich estimator's `p x p` products are what the bordered form avoids.
fn robust_needs_dense(x: &dyn Design, cov: CovType) -> Error {
    let levels = x.diagonal_block().map_or(0, |b| b.len());
    let (term, _) = checks::widest_term(x.column_names());
    Error::model(format!(
        "the {cov} covariance is not available for this model: `{term}` has {levels} levels, \
         so the fit keeps X'WX and its inverse in a bordered form instead of as dense \
         {p} x {p} matrices, and the robust (sandwich) covariance needs those dense \
         matrices; use the model-based covariance (nonrobust), or merge the rare levels of \
         `{term}` into fewer than {limit} levels",
        p = x.ncols(),
        limit = crate::solver::BORDERED_LEVELS,
    ))
}

/// R's null deviance: the intercept-only model (with the offset: fitted by IRLS), or the
/// offset alone without an intercept.
pub(crate) fn null_deviance(
    input: &IrlsInput<'_>,
    has_intercept: bool,
    mu: &[f64],
    opts: &GlmOptions,
) -> Result<f64> {
    let (y, w, offset) = (input.y, input.weights, input.offset);
    let fam = input.family;
    if !has_intercept {
        let mu0: Vec<f64> = offset.iter().map(|&o| input.link.inverse(o)).collect();
        return Ok(deviance(&fam, y, &mu0, w));
    }
    if offset.iter().all(|&o| o == 0.0) {
        let sw = chunked_sum(y.len(), |i| w[i]);
        let m = chunked_sum(y.len(), |i| y[i] * w[i]) / sw;
        return Ok(deviance_at(&fam, y, w, |_| m));
    }
    let ones = DenseDesign::from_columns(vec!["Intercept".into()], vec![vec![1.0; y.len()]])?;
    let null_input = IrlsInput { x: &ones, ..*input };
    Ok(irls(&null_input, Start::Mu(mu), &opts.irls)?.deviance)
}

/// Names the columns left out as linear combinations of earlier ones (R reports them as
/// "not defined because of singularities").
fn aliased_warning(names: &[String], aliased: &[bool], warnings: &mut Vec<String>) {
    let dropped: Vec<String> = names
        .iter()
        .zip(aliased)
        .filter(|(_, a)| **a)
        .map(|(n, _)| format!("`{n}`"))
        .collect();
    if dropped.is_empty() {
        return;
    }
    let (what, verb) = if dropped.len() == 1 {
        ("column", "is")
    } else {
        ("columns", "are")
    };
    warnings.push(format!(
        "{} {what} {} {verb} aliased (a linear combination of earlier columns) and left out: \
         {} not defined because of singularities, as R reports; drop the redundant term or \
         merge the levels that duplicate each other",
        dropped.len(),
        crate::error::listed(&dropped),
        if dropped.len() == 1 {
            "its coefficient is NA,"
        } else {
            "their coefficients are NA,"
        }
    ));
}

/// R's warnings for fitted values on the edge of the range (a sign of separation).
fn separation_warnings(family: &Family, mu: &[f64], w: &[f64], warnings: &mut Vec<String>) {
    let eps = 10.0 * f64::EPSILON;
    let live = || mu.iter().zip(w).filter(|(_, &w)| w > 0.0).map(|(m, _)| *m);
    if family.is_binomial() {
        let k = live().filter(|&m| m > 1.0 - eps || m < eps).count();
        if k > 0 {
            warnings.push(format!(
                "fitted probabilities numerically 0 or 1 occurred in {k} rows: the data show \
                 (quasi-)complete separation, so some coefficients are tending to infinity \
                 and their standard errors are not meaningful; consider merging levels, \
                 dropping the separating term, or a penalized fit"
            ));
        }
    } else if matches!(
        family,
        Family::Poisson | Family::QuasiPoisson | Family::NegativeBinomial { .. }
    ) {
        let k = live().filter(|&m| m < eps).count();
        if k > 0 {
            warnings.push(format!(
                "fitted rates numerically 0 occurred in {k} rows: a level or region with no \
                 events makes its coefficient tend to minus infinity"
            ));
        }
    }
}
