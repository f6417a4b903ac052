//! k-fold cross-validation of a regularization path on a DataFrame.
//!
//! Everything learned from data is learned inside each training fold: each fold's model frame
//! is built from its training rows (its levels, reference levels, spline knots and penalty
//! scales), and its held-out rows are encoded with that fold's specification. A held-out
//! level the training rows never saw is predicted at the fold's reference level (the
//! coefficient 0 a lasso gives a column that is zero on every training row); a warning counts
//! them. The folds run in parallel; each is deterministic, so the result does not depend on
//! the number of threads.

use polars::prelude::*;
use rayon::prelude::*;

use super::columns::{column, format_number, missing_mask};
use super::model::Predictor;
use super::penalized::{context, PathBuilder};
use super::progress::ProgressLine;
use super::spec::{FactorSpec, ModelSpec};
use super::{encode, model_frame, FrameOptions, ModelFrame};
use crate::design::Design;
use crate::error::{Error, Result};
use crate::family::Family;
use crate::link::{Link, LinkFunction};
use crate::model::{heldout_loss, Alphas, CvFit, GlmOptions};
use crate::report::FitContext;
use crate::stats::{splitmix64, SPLITMIX_GAMMA};

/// How rows are split into folds.
#[derive(Debug, Clone, PartialEq)]
pub enum Folds {
    /// `k` folds of (nearly) equal size, rows assigned by a shuffle from `seed`.
    Random {
        /// The number of folds.
        k: usize,
        /// The shuffle's seed.
        seed: u64,
    },
    /// One fold per distinct value of this column.
    Column(String),
}

/// The fold (0-based) of each of the model frame's rows, and the number of folds.
fn fold_ids(folds: &Folds, df: &DataFrame, rows: &[usize]) -> Result<(Vec<usize>, usize)> {
    let n = rows.len();
    match folds {
        Folds::Random { k, seed } => {
            if *k < 2 || *k > n {
                return Err(Error::model(format!(
                    "the number of folds must be between 2 and the number of rows ({n}), got {k}"
                )));
            }
            // A Fisher-Yates shuffle; the shuffled positions are dealt to the folds in turn.
            let mut order: Vec<usize> = (0..n).collect();
            // SplitMix64's sequence from the seed: the same folds on every machine.
            let draw = |k: u64| splitmix64(seed.wrapping_add(k.wrapping_mul(SPLITMIX_GAMMA)));
            for (k, i) in (1..n).rev().enumerate() {
                let j = (draw(k as u64) % (i as u64 + 1)) as usize;
                order.swap(i, j);
            }
            let mut ids = vec![0; n];
            for (pos, &row) in order.iter().enumerate() {
                ids[row] = pos % k;
            }
            Ok((ids, *k))
        }
        Folds::Column(name) => {
            let col = column(df, name)?;
            let missing = missing_mask(col)?;
            if let Some(&row) = rows.iter().find(|&&r| missing[r]) {
                return Err(Error::data(
                    Some(name),
                    Some(row),
                    "the fold id is missing; give every row a fold",
                ));
            }
            let labels = col
                .cast(&DataType::String)
                .map_err(|e| Error::data(Some(name), None, e.to_string()))?;
            let labels = labels
                .str()
                .map_err(|e| Error::data(Some(name), None, e.to_string()))?;
            let text: Vec<String> = rows
                .iter()
                .map(|&r| labels.get(r).unwrap_or("").to_string())
                .collect();
            let mut distinct = text.clone();
            distinct.sort();
            distinct.dedup();
            if distinct.len() < 2 {
                return Err(Error::data(
                    Some(name),
                    None,
                    format!(
                        "the fold column has {} distinct value{}; cross-validation needs at \
                         least 2 folds",
                        distinct.len(),
                        if distinct.len() == 1 { "" } else { "s" }
                    ),
                ));
            }
            let ids = text
                .iter()
                .map(|t| distinct.binary_search(t).unwrap_or(0))
                .collect();
            Ok((ids, distinct.len()))
        }
    }
}

/// The rows of `df` at `rows`.
fn take(df: &DataFrame, rows: &[usize]) -> Result<DataFrame> {
    let idx = IdxCa::from_vec("rows".into(), rows.iter().map(|&r| r as IdxSize).collect());
    df.take(&idx)
        .map_err(|e| Error::data(None, None, format!("cannot select the fold's rows: {e}")))
}

/// `df` with every level of a categorical column that `spec` does not know replaced by the
/// column's reference level, and how many values were replaced.
fn unseen_to_reference(df: &DataFrame, spec: &ModelSpec) -> Result<(DataFrame, usize)> {
    let mut out = df.clone();
    let mut replaced = 0;
    let factors = spec.terms.iter().flat_map(|t| &t.factors);
    for f in factors {
        let FactorSpec::Categorical {
            column: name,
            levels,
            full,
            text,
        } = f
        else {
            continue;
        };
        let col = column(&out, name)?;
        let fail = |e: PolarsError| Error::data(Some(name), None, e.to_string());
        let (new, count): (Column, usize) = if *text {
            let s = col.cast(&DataType::String).map_err(fail)?;
            let known = |v: &str| levels.iter().any(|l| l == v);
            let count = s
                .str()
                .map_err(fail)?
                .iter()
                .flatten()
                .filter(|v| !known(v))
                .count();
            let mapped: StringChunked = s
                .str()
                .map_err(fail)?
                .iter()
                .map(|v| {
                    v.map(|v| {
                        if known(v) {
                            v.to_string()
                        } else {
                            levels[0].clone()
                        }
                    })
                })
                .collect();
            (mapped.with_name(name.into()).into_column(), count)
        } else {
            let s = col.cast(&DataType::Float64).map_err(fail)?;
            let known = |v: f64| levels.iter().any(|l| *l == format_number(v));
            let reference: f64 = levels[0].parse().unwrap_or(f64::NAN);
            let count = s
                .f64()
                .map_err(fail)?
                .iter()
                .flatten()
                .filter(|&v| !known(v))
                .count();
            let mapped: Float64Chunked = s
                .f64()
                .map_err(fail)?
                .iter()
                .map(|v| v.map(|v| if known(v) { v } else { reference }))
                .collect();
            (mapped.with_name(name.into()).into_column(), count)
        };
        if count == 0 {
            continue;
        }
        if *full {
            return Err(Error::data(
                Some(name),
                None,
                "a held-out level was not seen in its training fold, and the factor has no \
                 reference level to stand for it (the formula has no intercept); use a \
                 formula with an intercept or folds that keep every level in training",
            ));
        }
        out.with_column(new).map_err(fail)?;
        replaced += count;
    }
    Ok((out, replaced))
}

/// One fold: its path on the training rows at the full path's alphas, and the held-out loss
/// at each alpha with the held-out rows' total weight.
struct FoldResult {
    loss: Vec<f64>,
    weight: f64,
    warnings: Vec<String>,
}

#[allow(clippy::too_many_arguments)]
fn fit_fold(
    builder: &PathBuilder<'_>,
    df: &DataFrame,
    (train, test): (&[usize], &[usize]),
    alphas: &[f64],
    spec: &ModelSpec,
    family: Family,
    link: Option<Link>,
    options: &GlmOptions,
    fitted: &(dyn Fn() + Sync),
) -> Result<FoldResult> {
    let opts = FrameOptions {
        weights: spec.weights.clone(),
        exposure: spec.exposure.clone(),
        offset: spec.offset.clone(),
    };
    let train_mf = model_frame(&spec.formula, &take(df, train)?, &opts)?;
    let path = builder.fit_frame(
        &train_mf,
        family,
        link,
        options,
        Alphas::Given(alphas.to_vec()),
        fitted,
    )?;
    let (held, unseen) = unseen_to_reference(&take(df, test)?, &train_mf.spec)?;
    let fspec = &train_mf.spec;
    let x = encode::design(fspec, &held)?;
    let (y, trials, _) = encode::response(fspec, &held)?;
    let w = encode::weights(fspec, &held, trials)?.unwrap_or_else(|| vec![1.0; y.len()]);
    let offset = encode::offset(fspec, &held)?.unwrap_or_else(|| vec![0.0; y.len()]);
    let link = link.unwrap_or_else(|| family.default_link());
    let mut loss = Vec::with_capacity(path.alphas.len());
    let mut weight = 0.0;
    let mut eta = vec![0.0; y.len()];
    for beta in &path.coefficients {
        let b: Vec<f64> = beta
            .iter()
            .map(|b| if b.is_nan() { 0.0 } else { *b })
            .collect();
        x.matvec(&b, &mut eta);
        let mu: Vec<f64> = eta
            .iter()
            .zip(&offset)
            .map(|(e, o)| link.inverse(e + o))
            .collect();
        let (l, w) = heldout_loss(family, &y, &mu, &w);
        loss.push(l);
        weight = w;
    }
    let mut warnings = path.warnings;
    if unseen > 0 {
        warnings.push(format!(
            "{unseen} held-out values had a level their training fold did not see; they were \
             predicted at the fold's reference level"
        ));
    }
    Ok(FoldResult {
        loss,
        weight,
        warnings,
    })
}

/// The path on all rows of `mf`, the path of each fold, and the folds' held-out losses.
#[allow(clippy::too_many_arguments)]
pub(super) fn cross_validate(
    builder: &PathBuilder<'_>,
    df: &DataFrame,
    mf: &ModelFrame,
    family: Family,
    link: Option<Link>,
    options: &GlmOptions,
    folds: &Folds,
) -> Result<CvFit> {
    let (ids, k) = fold_ids(folds, df, &mf.rows)?;
    // The alphas first, then the path on all rows and the folds' paths, all in parallel.
    let alphas = builder.alphas_for(mf, family, link, options)?;
    let line = builder.progress_line("cross-validation", (k + 1) * alphas.len());
    let tick = || line.iter().for_each(ProgressLine::tick);
    let fold = |f: usize| {
        let pick = |inside: bool| -> Vec<usize> {
            (mf.rows.iter().zip(&ids))
                .filter(|(_, &id)| (id == f) == inside)
                .map(|(&r, _)| r)
                .collect()
        };
        let (train, test) = (pick(false), pick(true));
        let result = fit_fold(
            builder,
            df,
            (&train, &test),
            &alphas,
            &mf.spec,
            family,
            link,
            options,
            &tick,
        );
        result.map_err(|e| in_fold(e, f, k))
    };
    let all = Alphas::Given(alphas.clone());
    let (full, results) = rayon::join(
        || builder.fit_frame(mf, family, link, options, all, &tick),
        || {
            (0..k)
                .into_par_iter()
                .map(fold)
                .collect::<Result<Vec<FoldResult>>>()
        },
    );
    line.iter().for_each(ProgressLine::finish);
    let (full, results) = (full?, results?);
    let mut warnings = full.warnings.clone();
    let (mut losses, mut weights) = (Vec::new(), Vec::new());
    for (f, r) in results.into_iter().enumerate() {
        warnings.extend(
            r.warnings
                .into_iter()
                .map(|w| format!("fold {}: {w}", f + 1)),
        );
        losses.push(r.loss);
        weights.push(r.weight);
    }
    let mut cv = CvFit::new(full, losses, weights)?;
    cv.warnings = warnings;
    Ok(cv)
}

/// An error met in fold `f` of `k`, saying so (a fit or model error; data errors already
/// name their column and row).
fn in_fold(e: Error, f: usize, k: usize) -> Error {
    let at = |m: String| format!("in cross-validation fold {} of {k}: {m}", f + 1);
    match e {
        Error::Model { message } => Error::model(at(message)),
        Error::Fit { message } => Error::fit(at(message)),
        other => other,
    }
}

impl<'a> PathBuilder<'a> {
    /// Cross-validation of the path with `k` folds drawn at random (seed 0 unless
    /// [`CvBuilder::seed`] sets one) or taken from a column ([`CvBuilder::fold_column`]).
    pub fn cv(self, k: usize) -> CvBuilder<'a> {
        CvBuilder {
            path: self,
            folds: Folds::Random { k, seed: 0 },
        }
    }
}

/// A cross-validated path waiting to be fitted (from [`PathBuilder::cv`]).
#[derive(Clone)]
pub struct CvBuilder<'a> {
    path: PathBuilder<'a>,
    folds: Folds,
}

impl CvBuilder<'_> {
    /// The seed of the random folds.
    pub fn seed(mut self, seed: u64) -> Self {
        if let Folds::Random { k, .. } = self.folds {
            self.folds = Folds::Random { k, seed };
        }
        self
    }

    /// Folds from a column of fold ids (one fold per distinct value) instead of at random.
    pub fn fold_column(mut self, column: &str) -> Self {
        self.folds = Folds::Column(column.to_string());
        self
    }

    /// Fits the path on all rows and on each fold's training rows, and scores the folds.
    pub fn fit(self) -> Result<CvModel> {
        let (mf, family, link, options) = self.path.p.prepare()?;
        let cv = cross_validate(
            &self.path,
            self.path.p.base.df,
            &mf,
            family,
            link,
            &options,
            &self.folds,
        )?;
        Ok(CvModel {
            predictor: Predictor::penalized(
                mf.spec.clone(),
                family,
                link.unwrap_or_else(|| family.default_link()),
                cv.coefficients_1se(),
            ),
            spec: mf.spec,
            cv,
            rows_dropped: mf.rows_dropped,
            response: mf.response,
        })
    }
}

/// A cross-validated path fitted on a DataFrame; it predicts with the coefficients at
/// `alpha_1se` (fitted on all rows).
#[derive(Debug, Clone)]
pub struct CvModel {
    /// What was learned from all rows.
    pub spec: ModelSpec,
    /// The cross-validation and the path on all rows.
    pub cv: CvFit,
    /// Rows dropped for missing values.
    pub rows_dropped: usize,
    /// The response as written.
    pub response: String,
    /// Predicts with the coefficients at `alpha_1se`.
    pub predictor: Predictor,
}

impl CvModel {
    /// The context for the reports.
    pub fn context(&self) -> FitContext {
        context(&self.spec, &self.response, self.rows_dropped)
    }

    /// Predictions for new data at `alpha_1se` (see [`Predictor::predict`]).
    pub fn predict(&self, df: &DataFrame, kind: super::PredictType) -> Result<super::Prediction> {
        self.predictor.predict(df, kind)
    }

    /// A predictor at `alpha_min` instead.
    pub fn predictor_min(&self) -> Predictor {
        let p = &self.predictor;
        Predictor::penalized(
            self.spec.clone(),
            p.family,
            p.link,
            self.cv.coefficients_min(),
        )
    }
}
