//! Penalized GLMs: the elastic net on a design matrix, in glmnet's conventions.
//!
//! The fit minimizes `deviance / (2 W) + alpha * sum_j v_j (l1_ratio |b_j| + (1 - l1_ratio) /
//! 2 * u_j / v_j * b_j^2)`, `W` the sum of the prior weights. Names follow glum: `alpha` is
//! glmnet's `lambda`, `l1_ratio` glmnet's `alpha`. As glmnet:
//!
//! - the intercept is never penalized;
//! - the penalty factors of the other columns are rescaled to sum to their number;
//! - with `standardize` (the default) the penalty is on `s_j b_j`, `s_j` the column's weighted
//!   standard deviation with divisor `W` (about its mean when the design has an intercept), and
//!   the coefficients are reported on the original scale: `v_j = f_j s_j`, `u_j = f_j s_j^2`;
//! - for the Gaussian family the ridge part is divided by the response's standard deviation
//!   (glmnet fits `y / sd(y)` with `lambda / sd(y)` and scales the coefficients back).
//!
//! A penalized fit has no standard errors, tests or intervals: the estimates are biased toward
//! zero by design and their sampling distribution is not the one those assume.

use crate::design::{column_moments, Design};
use crate::error::{Error, Result};
use crate::family::Family;
use crate::link::Link;
use crate::solver::{solve, Penalty, Start, StopReason};

use super::{check_data, null_deviance, GlmData, GlmOptions};

/// An elastic-net penalty as an analyst states it (see the module's documentation).
///
/// ```
/// use rustystats::model::ElasticNet;
/// let lasso = ElasticNet::new(0.01, 1.0).standardize(false);
/// assert_eq!((lasso.alpha, lasso.l1_ratio, lasso.standardize), (0.01, 1.0, false));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ElasticNet {
    /// The strength, `>= 0` (glmnet's `lambda`).
    pub alpha: f64,
    /// The mix, from 0 (ridge) to 1 (lasso) (glmnet's `alpha`).
    pub l1_ratio: f64,
    /// Penalize the standardized coefficients (default, as glmnet).
    pub standardize: bool,
    /// A factor `>= 0` per design column (0: not penalized); `None`: 1 for every column. The
    /// intercept's factor is ignored (never penalized); the others are rescaled to sum to their
    /// number.
    pub factors: Option<Vec<f64>>,
}

impl ElasticNet {
    /// The elastic net of strength `alpha` and mix `l1_ratio`, standardized, every column's
    /// factor 1.
    pub fn new(alpha: f64, l1_ratio: f64) -> Self {
        ElasticNet {
            alpha,
            l1_ratio,
            standardize: true,
            factors: None,
        }
    }

    /// Sets whether the penalty is on the standardized coefficients.
    pub fn standardize(mut self, yes: bool) -> Self {
        self.standardize = yes;
        self
    }

    /// Sets the penalty factor of each design column.
    pub fn factors(mut self, factors: Vec<f64>) -> Self {
        self.factors = Some(factors);
        self
    }

    /// The solver's penalty for the design `x` with prior weights `w` and response `y`
    /// (glmnet's conventions, see the module's documentation).
    pub fn resolve(
        &self,
        x: &dyn Design,
        y: &[f64],
        w: &[f64],
        family: Family,
    ) -> Result<Resolved> {
        let p = x.ncols();
        let intercept = x.constant_column();
        let mut factors = match &self.factors {
            Some(f) if f.len() != p => {
                return Err(Error::Shape {
                    what: "the penalty factors (one per design column)".into(),
                    expected: p,
                    found: f.len(),
                })
            }
            Some(f) => f.clone(),
            None => vec![1.0; p],
        };
        if let Some(j) = (0..p).find(|&j| !(factors[j].is_finite() && factors[j] >= 0.0)) {
            return Err(Error::model(format!(
                "the penalty factor of `{}` must be a number >= 0 (0: not penalized), got {}",
                x.column_names()[j],
                factors[j]
            )));
        }
        if let Some(j) = intercept {
            factors[j] = 0.0;
        }
        let penalized = p - usize::from(intercept.is_some());
        let sum: f64 = factors.iter().sum();
        if sum.is_finite() && sum > 0.0 {
            for f in &mut factors {
                *f *= penalized as f64 / sum;
            }
        } else if penalized > 0 && self.alpha > 0.0 {
            return Err(Error::model(
                "every penalty factor is 0, so nothing is penalized: give some term a factor \
                 above 0, or fit without a penalty",
            ));
        }
        let mut penalty = Penalty::elastic_net(self.alpha, self.l1_ratio, factors.clone())?;
        let scales = match self.standardize {
            true => column_moments(x, w, intercept.is_some()).1,
            false => vec![1.0; p],
        };
        if self.standardize {
            penalty = penalty.on_scaled(&scales);
        }
        if family == Family::Gaussian {
            let sd_y = response_sd(y, w, intercept.is_some());
            if sd_y > 0.0 {
                penalty = penalty.ridge_times(1.0 / sd_y);
            }
        }
        Ok(Resolved {
            penalty,
            factors,
            scales,
        })
    }
}

/// An [`ElasticNet`] resolved for one design: the solver's penalty, the factors after
/// glmnet's rescaling (0 for the intercept) and the scale of each column (its standard
/// deviation with `standardize`, else 1). The L1 weight of column `j` per unit of
/// `alpha * l1_ratio` is `factors[j] * scales[j]`.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The solver's penalty.
    pub penalty: Penalty,
    /// The rescaled penalty factors.
    pub factors: Vec<f64>,
    /// The column scales.
    pub scales: Vec<f64>,
}

/// The response's weighted standard deviation, divisor `sum w` (about 0 without an intercept).
fn response_sd(y: &[f64], w: &[f64], center: bool) -> f64 {
    let total: f64 = w.iter().sum();
    let mean = match center {
        true => y.iter().zip(w).map(|(y, w)| y * w).sum::<f64>() / total,
        false => 0.0,
    };
    let ss: f64 = y
        .iter()
        .zip(w)
        .map(|(y, w)| w * (y - mean) * (y - mean))
        .sum();
    (ss / total).sqrt()
}

/// A penalized GLM: what can honestly be reported about it.
#[derive(Debug, Clone)]
pub struct PenalizedFit {
    /// The family.
    pub family: Family,
    /// The link.
    pub link: Link,
    /// Design column names.
    pub names: Vec<String>,
    /// The coefficients on the original scale (exactly 0 where the L1 penalty sets them so;
    /// `NaN` for aliased columns).
    pub coefficients: Vec<f64>,
    /// The penalty as stated.
    pub net: ElasticNet,
    /// The penalty factors after glmnet's rescaling (0 for the intercept).
    pub factors: Vec<f64>,
    /// The residual deviance.
    pub deviance: f64,
    /// The null deviance (the intercept-only model with the same offset, as R).
    pub null_deviance: f64,
    /// The fraction of the null deviance explained, `1 - deviance / null_deviance`
    /// (glmnet's `dev.ratio`).
    pub deviance_explained: f64,
    /// Coefficients other than the intercept that are not zero.
    pub nonzero: usize,
    /// Whether the design has an intercept.
    pub has_intercept: bool,
    /// Rows with a non-zero weight.
    pub nobs: usize,
    /// Solver iterations.
    pub iterations: usize,
    /// Whether the fit converged.
    pub converged: bool,
    /// Why the solver stopped.
    pub stop: StopReason,
    /// The fitted means.
    pub mu: Vec<f64>,
    /// The linear predictor (offset included).
    pub eta: Vec<f64>,
    /// Problems met on the way.
    pub warnings: Vec<String>,
}

/// [`check_data`], the memory guard, and a negative binomial's theta must be fixed.
/// `ridge_only`: a single fit without an L1 part, which keeps a factor of many levels as a
/// diagonal of `X'WX` as an unpenalized fit does (paths and L1 fits keep a dense `X'WX`).
pub(crate) fn check_penalized<'a>(
    data: &GlmData<'a>,
    family: Family,
    link: Option<Link>,
    opts: &GlmOptions,
    ridge_only: bool,
) -> Result<super::Checked<'a>> {
    let checked = check_data(data, family, link, opts)?;
    let bordered = crate::solver::bordered_block(data.x).filter(|_| ridge_only);
    let names = data.x.column_names();
    super::checks::solve_fits(names, bordered, super::checks::available_memory())?;
    if opts.estimate_theta {
        return Err(Error::model(
            "a penalized negative binomial fit needs a fixed theta: set it (.theta(value), \
             --theta VALUE), for example to the theta of the unpenalized fit",
        ));
    }
    Ok(checked)
}

/// Fits a GLM with an elastic-net penalty (see the module's documentation).
///
/// ```
/// use rustystats::design::DenseDesign;
/// use rustystats::family::Family;
/// use rustystats::model::{fit_penalized, ElasticNet, GlmData, GlmOptions};
///
/// let x = DenseDesign::from_columns(
///     vec!["Intercept".into(), "x".into(), "z".into()],
///     vec![vec![1.0; 6], vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0], vec![1.0, 0.0, 1.0, 0.0, 1.0, 0.0]],
/// )
/// .unwrap();
/// let y = [1.0, 2.0, 2.0, 4.0, 7.0, 9.0];
/// let data = GlmData { x: &x, y: &y, weights: None, offset: None };
/// let lasso = ElasticNet::new(0.05, 1.0);
/// let f = fit_penalized(&data, Family::Poisson, None, &lasso, &GlmOptions::default()).unwrap();
/// assert!(f.converged);
/// assert_eq!(f.nonzero, 1); // x stays, z goes
/// ```
pub fn fit_penalized(
    data: &GlmData<'_>,
    family: Family,
    link: Option<Link>,
    net: &ElasticNet,
    opts: &GlmOptions,
) -> Result<PenalizedFit> {
    let checked = check_penalized(data, family, link, opts, net.l1_ratio == 0.0)?;
    let input = checked.input(data, family);
    let resolved = net.resolve(data.x, data.y, &checked.weights, family)?;
    let f = solve(&input, &resolved.penalty, Start::Family, &opts.irls)?;
    let has_intercept = data.x.constant_column().is_some();
    let null_deviance = null_deviance(&input, has_intercept, &f.mu, opts)?;
    let nonzero = f
        .coefficients
        .iter()
        .enumerate()
        .filter(|&(j, b)| *b != 0.0 && !b.is_nan() && Some(j) != data.x.constant_column())
        .count();
    Ok(PenalizedFit {
        family,
        link: checked.link,
        names: data.x.column_names().to_vec(),
        coefficients: f.coefficients,
        net: net.clone(),
        factors: resolved.factors,
        deviance: f.deviance,
        null_deviance,
        deviance_explained: 1.0 - f.deviance / null_deviance,
        nonzero,
        has_intercept,
        nobs: checked.nobs,
        iterations: f.iterations,
        converged: f.converged,
        stop: f.stop,
        mu: f.mu,
        eta: f.eta,
        warnings: f.warnings,
    })
}
