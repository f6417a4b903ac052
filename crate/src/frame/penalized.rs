//! Penalized GLMs from a formula and a DataFrame: `glm(...).penalty(alpha, l1_ratio)`, a
//! regularization path `glm(...).path(l1_ratio)` and its cross-validation `.cv(k)`.
//!
//! Penalty factors are given per formula term, as written (`C(Area)`, `bs(DrivAge, df=5)`,
//! `VehPower`); every design column of the term gets the factor. See
//! [`crate::model::ElasticNet`] for the objective and glmnet's conventions.

use polars::prelude::*;

use super::model::{GlmBuilder, Predictor};
use super::progress::ProgressLine;
use super::spec::ModelSpec;
use super::ModelFrame;
use crate::error::{Error, Result};
use crate::family::Family;
use crate::link::Link;
use crate::model::{
    fit_path_observed, fit_penalized, path_alphas, Alphas, ElasticNet, GlmData, GlmOptions,
    PathFit, PathOptions, PenalizedFit,
};
use crate::report::FitContext;

/// What every penalized builder holds: the model as built so far, the penalty's mix and
/// standardization, and the factors by term.
#[derive(Clone)]
pub(super) struct Penalized<'a> {
    pub(super) base: GlmBuilder<'a>,
    net: ElasticNet,
    terms: Vec<(String, f64)>,
}

impl Penalized<'_> {
    /// The encoded data, family, link and options.
    pub(super) fn prepare(&self) -> Result<(ModelFrame, Family, Option<Link>, GlmOptions)> {
        let prepared = self.base.clone().prepare()?;
        Ok((
            prepared.frame,
            prepared.family,
            prepared.link,
            prepared.options,
        ))
    }
}

impl Penalized<'_> {
    /// The elastic net with the factors by term resolved to the columns of `spec`.
    fn net_for(&self, spec: &ModelSpec) -> Result<ElasticNet> {
        Ok(self.net.clone().factors(column_factors(spec, &self.terms)?))
    }
}

/// The fit's data of an encoded model frame.
fn frame_data(mf: &ModelFrame) -> GlmData<'_> {
    GlmData {
        x: &mf.design,
        y: &mf.y,
        weights: mf.weights.as_deref(),
        offset: mf.offset.as_deref(),
    }
}

/// The penalty factor of each design column of `spec` from factors given by term (1 for the
/// terms not named); an error names a term that is not in the formula.
pub(crate) fn column_factors(spec: &ModelSpec, terms: &[(String, f64)]) -> Result<Vec<f64>> {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let mut factors = vec![1.0; spec.column_names.len()];
    for (term, f) in terms {
        let found = spec
            .terms
            .iter()
            .find(|t| squeeze(&t.label) == squeeze(term));
        let Some(t) = found else {
            let known: Vec<&str> = spec.terms.iter().map(|t| t.label.as_str()).collect();
            return Err(Error::model(format!(
                "penalty factor for `{term}`: the formula has no such term; its terms are {}",
                known.join(", ")
            )));
        };
        if !(f.is_finite() && *f >= 0.0) {
            return Err(Error::model(format!(
                "the penalty factor for `{term}` must be a number >= 0 (0: not penalized), \
                 got {f}"
            )));
        }
        factors[t.start..t.start + t.ncols].fill(*f);
    }
    Ok(factors)
}

impl<'a> GlmBuilder<'a> {
    /// The elastic net at strength `alpha` (glmnet's `lambda`) and mix `l1_ratio` (glmnet's
    /// `alpha`: 1 the lasso, 0 ridge), standardized as glmnet.
    ///
    /// ```
    /// use polars::prelude::*;
    /// use rustystats::prelude::*;
    /// let df = df!(
    ///     "y" => [0.0, 1.0, 1.0, 2.0, 3.0, 2.0, 4.0, 6.0],
    ///     "x" => [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
    ///     "z" => [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0],
    /// ).unwrap();
    /// let m = glm("y ~ x + z", &df).family(Family::Poisson).penalty(0.1, 1.0).fit().unwrap();
    /// assert_eq!(m.fit.nonzero, 1);
    /// ```
    pub fn penalty(self, alpha: f64, l1_ratio: f64) -> PenaltyBuilder<'a> {
        PenaltyBuilder(Penalized {
            base: self,
            net: ElasticNet::new(alpha, l1_ratio),
            terms: Vec::new(),
        })
    }

    /// A regularization path at mix `l1_ratio` over glmnet's default 100 alphas (see
    /// [`PathBuilder`] for the choices), cross-validated with [`PathBuilder::cv`].
    pub fn path(self, l1_ratio: f64) -> PathBuilder<'a> {
        PathBuilder {
            p: Penalized {
                base: self,
                net: ElasticNet::new(0.0, l1_ratio),
                terms: Vec::new(),
            },
            alphas: Alphas::default(),
            progress: None,
        }
    }
}

/// Setters every penalized builder shares.
macro_rules! penalty_setters {
    ($field:tt) => {
        /// Whether the penalty is on the standardized coefficients (default true, as glmnet).
        pub fn standardize(mut self, yes: bool) -> Self {
            self.$field.net.standardize = yes;
            self
        }

        /// The penalty factor of a formula term as written (`"C(Area)"`, `"VehPower"`):
        /// 0 leaves it unpenalized; the factors are rescaled as glmnet does.
        pub fn penalty_factor(mut self, term: &str, factor: f64) -> Self {
            self.$field.terms.push((term.to_string(), factor));
            self
        }
    };
}

/// A penalized fit waiting to be fitted (from [`GlmBuilder::penalty`]).
#[derive(Clone)]
pub struct PenaltyBuilder<'a>(Penalized<'a>);

impl PenaltyBuilder<'_> {
    penalty_setters!(0);

    /// Fits the model.
    pub fn fit(self) -> Result<PenalizedModel> {
        let (mf, family, link, options) = self.0.prepare()?;
        let net = self.0.net_for(&mf.spec)?;
        let data = frame_data(&mf);
        let fit = fit_penalized(&data, family, link, &net, &options)?;
        Ok(PenalizedModel {
            predictor: Predictor::penalized(
                mf.spec.clone(),
                fit.family,
                fit.link,
                &fit.coefficients,
            ),
            spec: mf.spec,
            fit,
            rows_dropped: mf.rows_dropped,
            response: mf.response,
        })
    }
}

/// A regularization path waiting to be fitted (from [`GlmBuilder::path`]).
#[derive(Clone)]
pub struct PathBuilder<'a> {
    pub(super) p: Penalized<'a>,
    alphas: Alphas,
    /// Whether to show progress (`None`: only in a notebook).
    progress: Option<bool>,
}

impl<'a> PathBuilder<'a> {
    penalty_setters!(p);

    /// The number of alphas from `alpha_max` down (default 100).
    pub fn n_alphas(mut self, n: usize) -> Self {
        let min_ratio = match self.alphas {
            Alphas::Auto { min_ratio, .. } => min_ratio,
            Alphas::Given(_) => None,
        };
        self.alphas = Alphas::Auto { n, min_ratio };
        self
    }

    /// The last alpha over the first (default glmnet's: 1e-4, or 0.01 with fewer rows than
    /// columns).
    pub fn alpha_min_ratio(mut self, ratio: f64) -> Self {
        let n = match self.alphas {
            Alphas::Auto { n, .. } => n,
            Alphas::Given(_) => 100,
        };
        self.alphas = Alphas::Auto {
            n,
            min_ratio: Some(ratio),
        };
        self
    }

    /// These alphas instead of the default sequence.
    pub fn alphas(mut self, alphas: Vec<f64>) -> Self {
        self.alphas = Alphas::Given(alphas);
        self
    }

    /// Whether a progress line shows how many fits are done while a long path or its
    /// cross-validation runs (default: in a notebook yes, elsewhere no; see
    /// [`ProgressLine`](super::progress::ProgressLine) for where it goes).
    pub fn progress(mut self, yes: bool) -> Self {
        self.progress = Some(yes);
        self
    }

    /// A progress line for `total` fits of `what`, if progress is shown.
    pub(super) fn progress_line(&self, what: &'static str, total: usize) -> Option<ProgressLine> {
        let show = self.progress.unwrap_or_else(super::progress::in_notebook);
        show.then(|| ProgressLine::new(what, total))
    }

    /// Fits the path.
    pub fn fit(self) -> Result<PathModel> {
        let (mf, family, link, options) = self.p.prepare()?;
        let total = match &self.alphas {
            Alphas::Auto { n, .. } => *n,
            Alphas::Given(list) => list.len(),
        };
        let line = self.progress_line("path", total);
        let tick = || line.iter().for_each(ProgressLine::tick);
        let path = self.fit_frame(&mf, family, link, &options, self.alphas.clone(), &tick);
        line.iter().for_each(ProgressLine::finish);
        let path = path?;
        Ok(PathModel {
            spec: mf.spec,
            path,
            rows_dropped: mf.rows_dropped,
            response: mf.response,
        })
    }

    /// The alphas the path on an encoded model frame fits.
    pub(super) fn alphas_for(
        &self,
        mf: &ModelFrame,
        family: Family,
        link: Option<Link>,
        options: &GlmOptions,
    ) -> Result<Vec<f64>> {
        let net = self.p.net_for(&mf.spec)?;
        let data = frame_data(mf);
        let popts = PathOptions {
            net,
            alphas: self.alphas.clone(),
        };
        path_alphas(&data, family, link, &popts, options)
    }

    /// The path on an encoded model frame, at `alphas`.
    pub(super) fn fit_frame(
        &self,
        mf: &ModelFrame,
        family: Family,
        link: Option<Link>,
        options: &GlmOptions,
        alphas: Alphas,
        fitted: &(dyn Fn() + Sync),
    ) -> Result<PathFit> {
        let net = self.p.net_for(&mf.spec)?;
        let data = frame_data(mf);
        let popts = PathOptions { net, alphas };
        fit_path_observed(&data, family, link, &popts, options, fitted)
    }
}

/// A penalized GLM fitted on a DataFrame, with the specification that encodes new data.
#[derive(Debug, Clone)]
pub struct PenalizedModel {
    /// What was learned from the training data.
    pub spec: ModelSpec,
    /// The fit.
    pub fit: PenalizedFit,
    /// Rows dropped for missing values.
    pub rows_dropped: usize,
    /// The response as written.
    pub response: String,
    /// What prediction needs.
    pub predictor: Predictor,
}

/// A regularization path fitted on a DataFrame.
#[derive(Debug, Clone)]
pub struct PathModel {
    /// What was learned from the training data.
    pub spec: ModelSpec,
    /// The path.
    pub path: PathFit,
    /// Rows dropped for missing values.
    pub rows_dropped: usize,
    /// The response as written.
    pub response: String,
}

/// The context of a fit on a DataFrame, for the reports.
pub(super) fn context(spec: &ModelSpec, response: &str, rows_dropped: usize) -> FitContext {
    FitContext {
        formula: Some(spec.formula.clone()),
        response: Some(response.to_string()),
        rows_dropped,
    }
}

impl PenalizedModel {
    /// The fit's context for the reports.
    pub fn context(&self) -> FitContext {
        context(&self.spec, &self.response, self.rows_dropped)
    }

    /// Predictions for new data (see [`Predictor::predict`]).
    pub fn predict(&self, df: &DataFrame, kind: super::PredictType) -> Result<super::Prediction> {
        self.predictor.predict(df, kind)
    }
}

impl PathModel {
    /// The path's context for the reports.
    pub fn context(&self) -> FitContext {
        context(&self.spec, &self.response, self.rows_dropped)
    }
}
