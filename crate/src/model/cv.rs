//! Cross-validation of a regularization path, as R's `cv.glmnet` with `grouped = TRUE`.
//!
//! Each fold's path is fitted on the other folds' rows at the alphas of the full data's path;
//! its loss at each alpha is the weighted mean deviance of its own (held-out) rows. Over the
//! folds, `cv_mean` is the mean of the fold losses weighted by each fold's total prior weight
//! and `cv_se` the square root of their weighted variance about `cv_mean` over `K - 1`.
//! `alpha_min` is the largest alpha whose `cv_mean` is the smallest; `alpha_1se` the largest
//! alpha whose `cv_mean` is within one `cv_se` (taken at `alpha_min`) of it.
//!
//! The fits on the folds are the caller's (the frame layer learns each fold's levels, knots and
//! encodings on its training rows); this module scores them and summarizes.

use crate::error::{Error, Result};
use crate::family::Family;

use super::PathFit;

/// The smallest and largest fitted probability a binomial held-out deviance uses
/// (`cv.glmnet` clips to `[1e-5, 1 - 1e-5]`, so one confident miss does not make the loss
/// infinite).
pub const PROB_CLIP: f64 = 1e-5;

/// A cross-validated path.
#[derive(Debug, Clone)]
pub struct CvFit {
    /// The path on all rows (whose alphas every fold used).
    pub path: PathFit,
    /// The held-out loss of each fold (rows) at each alpha (columns).
    pub fold_loss: Vec<Vec<f64>>,
    /// Each fold's total prior weight on its held-out rows.
    pub fold_weights: Vec<f64>,
    /// The mean held-out loss at each alpha (weighted by the folds' weights).
    pub cv_mean: Vec<f64>,
    /// Its standard error at each alpha.
    pub cv_se: Vec<f64>,
    /// The position in `path.alphas` of `alpha_min` and of `alpha_1se`.
    pub index_min: usize,
    /// See `index_min`.
    pub index_1se: usize,
    /// Problems met on the way (a fold's fit that did not converge, held-out levels the fold
    /// did not see).
    pub warnings: Vec<String>,
}

impl CvFit {
    /// Summarizes the folds' losses (see the module's documentation).
    pub fn new(path: PathFit, fold_loss: Vec<Vec<f64>>, fold_weights: Vec<f64>) -> Result<Self> {
        let k = fold_loss.len();
        let n = path.alphas.len();
        if k < 2 || fold_weights.len() != k || fold_loss.iter().any(|f| f.len() != n) {
            return Err(Error::model(format!(
                "cross-validation needs at least 2 folds with a loss at each of the {n} alphas"
            )));
        }
        let total: f64 = fold_weights.iter().sum();
        let mut cv_mean = vec![0.0; n];
        let mut cv_se = vec![0.0; n];
        for a in 0..n {
            let mean = (0..k)
                .map(|f| fold_weights[f] * fold_loss[f][a])
                .sum::<f64>()
                / total;
            let var = (0..k)
                .map(|f| fold_weights[f] * (fold_loss[f][a] - mean).powi(2))
                .sum::<f64>()
                / total;
            cv_mean[a] = mean;
            cv_se[a] = (var / (k - 1) as f64).sqrt();
        }
        let best = cv_mean.iter().copied().fold(f64::INFINITY, f64::min);
        // The alphas decrease: the first that reaches a bound is the largest.
        let index_min = cv_mean
            .iter()
            .position(|&m| m <= best)
            .ok_or_else(|| Error::model("the cross-validated loss is not a number at any alpha"))?;
        let bound = cv_mean[index_min] + cv_se[index_min];
        let index_1se = cv_mean
            .iter()
            .position(|&m| m <= bound)
            .unwrap_or(index_min);
        Ok(CvFit {
            path,
            fold_loss,
            fold_weights,
            cv_mean,
            cv_se,
            index_min,
            index_1se,
            warnings: Vec::new(),
        })
    }

    /// The alpha with the smallest mean held-out loss.
    pub fn alpha_min(&self) -> f64 {
        self.path.alphas[self.index_min]
    }

    /// The largest alpha within one standard error of the smallest loss.
    pub fn alpha_1se(&self) -> f64 {
        self.path.alphas[self.index_1se]
    }

    /// The coefficients of the path on all rows at `alpha_min`.
    pub fn coefficients_min(&self) -> &[f64] {
        &self.path.coefficients[self.index_min]
    }

    /// The coefficients of the path on all rows at `alpha_1se`.
    pub fn coefficients_1se(&self) -> &[f64] {
        &self.path.coefficients[self.index_1se]
    }
}

/// The weighted mean deviance of held-out rows with response `y`, fitted means `mu` and prior
/// weights `w` (binomial means clipped to [`PROB_CLIP`], as `cv.glmnet`); and their total
/// weight.
///
/// ```
/// use rustystats::family::Family;
/// use rustystats::model::heldout_loss;
/// let (loss, weight) = heldout_loss(Family::Gaussian, &[1.0, 3.0], &[2.0, 2.0], &[1.0, 3.0]);
/// assert_eq!((loss, weight), (1.0, 4.0));
/// ```
pub fn heldout_loss(family: Family, y: &[f64], mu: &[f64], w: &[f64]) -> (f64, f64) {
    let clip = |m: f64| match family.is_binomial() {
        true => m.clamp(PROB_CLIP, 1.0 - PROB_CLIP),
        false => m,
    };
    let (mut sum, mut weight) = (0.0, 0.0);
    for ((&y, &m), &w) in y.iter().zip(mu).zip(w) {
        if w > 0.0 {
            sum += w * family.unit_deviance(y, clip(m));
            weight += w;
        }
    }
    (sum / weight, weight)
}
