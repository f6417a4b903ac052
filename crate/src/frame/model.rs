//! The notebook surface: `glm(formula, &df)...fit()` gives a [`GlmModel`] that summarises,
//! tabulates, predicts and saves itself.

use polars::prelude::*;

use super::prediction::Prediction;
use super::spec::ModelSpec;
use super::{cluster_codes, encode, model_frame, FrameOptions};
use crate::error::{Error, Result};
use crate::family::Family;
use crate::inference::CovType;
use crate::linalg::Covariance;
use crate::link::{Link, LinkFunction};
use crate::model::{fit, GlmData, GlmFit, GlmOptions};
use crate::report::{summary_json, summary_text, FitContext};
use crate::stats::{norm_ppf, t_ppf};

/// Starts a GLM of `formula` on `df`. Gaussian with the identity link unless told otherwise.
///
/// A negative binomial family has its theta estimated by maximum likelihood (as
/// `MASS::glm.nb` and the command-line tool without `--theta`), starting from the family's
/// theta; [`GlmBuilder::theta`] fixes it instead (R's `negative.binomial(theta)`).
///
/// ```
/// use polars::prelude::*;
/// use rustystats::prelude::*;
///
/// let df = df!(
///     "claims" => [2.0, 3.0, 6.0, 7.0, 8.0, 9.0, 10.0, 12.0, 15.0],
///     "age" => ["young", "young", "young", "mid", "mid", "mid", "old", "old", "old"],
///     "exposure" => [1.0, 1.5, 2.0, 2.0, 2.5, 3.0, 3.0, 3.5, 4.0],
/// ).unwrap();
/// let model = glm("claims ~ C(age, ref=\"young\")", &df)
///     .family(Family::Poisson)
///     .exposure("exposure")
///     .fit()
///     .unwrap();
/// assert!(model.fit.converged);
/// println!("{}", model.summary());
/// ```
pub fn glm<'a>(formula: &str, df: &'a DataFrame) -> GlmBuilder<'a> {
    GlmBuilder {
        formula: formula.to_string(),
        df,
        family: Family::Gaussian,
        link: None,
        frame: FrameOptions::default(),
        options: GlmOptions::default(),
        cluster: None,
        theta: ThetaChoice::Default,
    }
}

/// How the builder treats a negative binomial theta.
#[derive(Clone, Copy, Debug, PartialEq)]
enum ThetaChoice {
    /// Not said: estimated by maximum likelihood, as `glm.nb` and the command-line tool.
    Default,
    /// Estimated by maximum likelihood ([`GlmBuilder::theta_ml`]).
    Ml,
    /// Fixed at the family's theta (from [`GlmBuilder::options`] without `estimate_theta`).
    FamilyFixed,
    /// Fixed at this value ([`GlmBuilder::theta`]).
    Fixed(f64),
}

/// A GLM waiting to be fitted; set options, then call [`GlmBuilder::fit`].
#[derive(Clone)]
pub struct GlmBuilder<'a> {
    pub(super) formula: String,
    pub(super) df: &'a DataFrame,
    family: Family,
    link: Option<Link>,
    pub(super) frame: FrameOptions,
    options: GlmOptions,
    cluster: Option<String>,
    theta: ThetaChoice,
}

impl GlmBuilder<'_> {
    /// The error distribution. For [`Family::NegativeBinomial`] theta is estimated by maximum
    /// likelihood starting from the given theta, unless [`GlmBuilder::theta`] fixes it.
    pub fn family(mut self, family: Family) -> Self {
        self.family = family;
        self
    }
    /// The link (default: the family's).
    pub fn link(mut self, link: Link) -> Self {
        self.link = Some(link);
        self
    }
    /// Prior weights column.
    pub fn weights(mut self, column: &str) -> Self {
        self.frame.weights = Some(column.into());
        self
    }
    /// Exposure column: `log(exposure)` joins the offset.
    pub fn exposure(mut self, column: &str) -> Self {
        self.frame.exposure = Some(column.into());
        self
    }
    /// Offset column (on the link scale).
    pub fn offset(mut self, column: &str) -> Self {
        self.frame.offset = Some(column.into());
        self
    }
    /// Covariance for standard errors (robust HC0-HC3; for clusters use [`Self::cluster`]).
    pub fn cov(mut self, cov: CovType) -> Self {
        self.options.cov = cov;
        self
    }
    /// Cluster-robust standard errors by the labels in `column`.
    pub fn cluster(mut self, column: &str) -> Self {
        self.options.cov = CovType::Cluster;
        self.cluster = Some(column.into());
        self
    }
    /// Negative binomial: estimate theta by maximum likelihood (the default for that family;
    /// this says it explicitly).
    pub fn theta_ml(mut self) -> Self {
        self.options.estimate_theta = true;
        self.theta = ThetaChoice::Ml;
        self
    }
    /// Negative binomial: keep theta fixed at `theta` (> 0) instead of estimating it, as R's
    /// `negative.binomial(theta)` or the command-line tool's `--theta VALUE`. Only for the
    /// negative binomial family (another family is an error at fit time).
    pub fn theta(mut self, theta: f64) -> Self {
        self.options.estimate_theta = false;
        self.theta = ThetaChoice::Fixed(theta);
        self
    }
    /// Iteration limit.
    pub fn max_iter(mut self, n: usize) -> Self {
        self.options.irls.max_iter = n;
        self
    }
    /// Convergence tolerance (relative deviance change).
    pub fn tol(mut self, tol: f64) -> Self {
        self.options.irls.tol = tol;
        self
    }
    /// Confidence level of the intervals.
    pub fn conf_level(mut self, level: f64) -> Self {
        self.options.conf_level = level;
        self
    }
    /// Replaces all fitting options at once (solver, covariance, theta, level). Its
    /// `estimate_theta` decides for a negative binomial: `false` keeps the family's theta fixed.
    pub fn options(mut self, options: GlmOptions) -> Self {
        self.theta = if options.estimate_theta {
            ThetaChoice::Ml
        } else {
            ThetaChoice::FamilyFixed
        };
        self.options = options;
        self
    }
    /// Replaces the extra columns (weights, exposure, offset) at once.
    pub fn frame_options(mut self, frame: FrameOptions) -> Self {
        self.frame = frame;
        self
    }
    /// The cluster column for cluster-robust standard errors, if any.
    pub fn cluster_column(mut self, column: Option<String>) -> Self {
        self.cluster = column;
        self
    }

    /// Fits the model.
    pub fn fit(self) -> Result<GlmModel> {
        self.prepare()?.fit()
    }

    /// Applies the formula to the data and stops before the fit: what it returns no longer
    /// borrows the DataFrame, so a caller that needs the data only for the model can drop it
    /// before fitting (the command-line tool does, to keep memory down).
    ///
    /// ```
    /// use polars::prelude::*;
    /// use rustystats::prelude::*;
    /// let df = df!("y" => [1.0, 2.0, 4.0, 3.0], "x" => [0.0, 1.0, 2.0, 3.0]).unwrap();
    /// let prepared = glm("y ~ x", &df).prepare().unwrap();
    /// drop(df);
    /// assert!(prepared.fit().unwrap().fit.converged);
    /// ```
    pub fn prepare(self) -> Result<PreparedFit> {
        let frame = model_frame(&self.formula, self.df, &self.frame)?;
        let mut options = self.options;
        let is_negbin = matches!(self.family, Family::NegativeBinomial { .. });
        let family = match self.theta {
            ThetaChoice::Fixed(theta) if is_negbin => Family::negative_binomial(theta)?,
            ThetaChoice::Fixed(_) => {
                return Err(Error::model(format!(
                    "theta is only used by the negative binomial family, not by {}; drop \
                     .theta(...) or use .family(Family::NegativeBinomial {{ theta }})",
                    self.family
                )))
            }
            ThetaChoice::Default => {
                options.estimate_theta = is_negbin;
                self.family
            }
            ThetaChoice::Ml | ThetaChoice::FamilyFixed => self.family,
        };
        if options.cov == CovType::Cluster {
            let col = self.cluster.as_deref().ok_or_else(|| {
                Error::model("cluster-robust covariance needs a cluster column: use .cluster(col)")
            })?;
            options.clusters = Some(cluster_codes(self.df, col, &frame.rows)?);
        }
        Ok(PreparedFit {
            frame,
            family,
            link: self.link,
            options,
        })
    }
}

/// A model whose data are encoded, ready to fit (from [`GlmBuilder::prepare`]).
pub struct PreparedFit {
    pub(super) frame: super::ModelFrame,
    pub(super) family: Family,
    pub(super) link: Option<Link>,
    pub(super) options: GlmOptions,
}

impl PreparedFit {
    /// Fits the model.
    pub fn fit(self) -> Result<GlmModel> {
        let mf = self.frame;
        let data = GlmData {
            x: &mf.design,
            y: &mf.y,
            weights: mf.weights.as_deref(),
            offset: mf.offset.as_deref(),
        };
        let mut options = self.options;
        if mf.rows_dropped > 0 {
            options.row_numbers = Some(mf.rows.clone());
        }
        let fitted = fit(&data, self.family, self.link, &options)?;
        Ok(GlmModel {
            predictor: Predictor::from_fit(mf.spec.clone(), &fitted),
            spec: mf.spec,
            fit: fitted,
            rows_dropped: mf.rows_dropped,
            response: mf.response,
            options,
        })
    }
}

/// A fitted GLM with the specification that encodes new data.
#[derive(Debug, Clone)]
pub struct GlmModel {
    /// What was learned from the training data.
    pub spec: ModelSpec,
    /// The fit and its inference.
    pub fit: GlmFit,
    /// Rows dropped for missing values.
    pub rows_dropped: usize,
    /// The response as written.
    pub response: String,
    /// What prediction needs (also what a saved model holds).
    pub predictor: Predictor,
    /// The options the model was fitted with (used again by `anova`).
    pub options: GlmOptions,
}

/// Which scale predictions are on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PredictType {
    /// The mean, mu.
    #[default]
    Response,
    /// The linear predictor, eta (offset included).
    Link,
}

impl PredictType {
    /// Parses `response` or `link`.
    pub fn parse(s: &str) -> Result<PredictType> {
        match s {
            "response" => Ok(PredictType::Response),
            "link" => Ok(PredictType::Link),
            other => Err(Error::model(format!(
                "unknown prediction type `{other}`; use response or link"
            ))),
        }
    }
}

/// Everything needed to predict: the specification, family, link, coefficients and their
/// covariance. A [`GlmModel`] has one; a saved model is one.
#[derive(Debug, Clone)]
pub struct Predictor {
    /// Encodes new data.
    pub spec: ModelSpec,
    /// The family.
    pub family: Family,
    /// The link.
    pub link: Link,
    /// Coefficients (`NaN` for aliased columns).
    pub coefficients: Vec<f64>,
    /// Covariance of the non-aliased coefficients.
    pub cov: Covariance,
    /// Residual degrees of freedom and whether intervals use t.
    pub df_resid: usize,
    /// Whether intervals use the t distribution.
    pub uses_t: bool,
    /// Confidence level of the intervals.
    pub conf_level: f64,
}

impl Predictor {
    /// The predictor of a penalized fit: its coefficients, no covariance (a penalized
    /// estimate has no standard errors, so [`Predictor::predict_frame`] is an error).
    pub(super) fn penalized(
        spec: ModelSpec,
        family: Family,
        link: Link,
        coefficients: &[f64],
    ) -> Predictor {
        Predictor {
            spec,
            family,
            link,
            coefficients: coefficients.to_vec(),
            cov: Covariance::empty(),
            df_resid: 0,
            uses_t: false,
            conf_level: 0.95,
        }
    }

    fn from_fit(spec: ModelSpec, f: &GlmFit) -> Predictor {
        Predictor {
            spec,
            family: f.family,
            link: f.link,
            coefficients: f.coefficients.clone(),
            cov: f.cov.clone(),
            df_resid: f.df_resid,
            uses_t: f.uses_t(),
            conf_level: f.conf_level,
        }
    }

    fn check_complete(&self, df: &DataFrame) -> Result<()> {
        for name in self.spec.predictor_columns()? {
            let col = super::columns::column(df, &name)?;
            if let Some(row) = super::columns::missing_mask(col)?.iter().position(|m| *m) {
                return Err(Error::data(
                    Some(&name),
                    Some(row),
                    "the value is missing; prediction needs every column the model uses \
                     (drop or fill the row first)",
                ));
            }
        }
        Ok(())
    }

    /// The linear predictor (offset included) for new data.
    pub fn eta(&self, df: &DataFrame) -> Result<Vec<f64>> {
        use crate::design::Design;
        self.check_complete(df)?;
        let x = encode::design(&self.spec, df)?;
        let beta: Vec<f64> = self
            .coefficients
            .iter()
            .map(|b| if b.is_nan() { 0.0 } else { *b })
            .collect();
        let mut eta = vec![0.0; x.nrows()];
        x.matvec(&beta, &mut eta);
        if let Some(off) = encode::offset(&self.spec, df)? {
            for (e, o) in eta.iter_mut().zip(off) {
                *e += o;
            }
        }
        super::prediction::check_finite_eta(&eta, &x, &self.coefficients)?;
        Ok(eta)
    }

    /// Predictions for new data on the chosen scale, with warnings: rows whose value of a
    /// `bs()` / `ns()` variable is beyond the training range (the spline is extrapolated
    /// there). A prediction that is not a finite number is an error naming the coefficient
    /// with the largest term and the rows (numbered as in the data: row 1 is the first): a
    /// linear predictor on either scale, or a mean on the response scale (`exp(800)` with a
    /// log link). On the link scale a finite linear predictor is returned even when its mean
    /// would overflow; finite values, however large, are the model's answer.
    pub fn predict(&self, df: &DataFrame, kind: PredictType) -> Result<Prediction> {
        let eta = self.eta(df)?;
        let values = match kind {
            PredictType::Link => eta,
            PredictType::Response => {
                let mu: Vec<f64> = eta.iter().map(|&e| self.link.inverse(e)).collect();
                self.check_finite_mean(&mu, &eta, df)?;
                mu
            }
        };
        Ok(Prediction {
            values,
            warnings: self.warnings(df)?,
        })
    }

    /// An error naming the coefficient and the rows when a mean is not a finite number.
    fn check_finite_mean(&self, mu: &[f64], eta: &[f64], df: &DataFrame) -> Result<()> {
        if mu.iter().all(|m| m.is_finite()) {
            return Ok(());
        }
        let x = encode::design(&self.spec, df)?;
        super::prediction::check_finite_mean(mu, eta, self.link, &x, &self.coefficients)
    }

    /// The warnings [`Predictor::predict`] gives for `df` (rows beyond a spline's training
    /// range), without predicting.
    pub fn warnings(&self, df: &DataFrame) -> Result<Vec<String>> {
        super::prediction::extrapolation_warnings(&self.spec, df)
    }

    /// Predictions with standard errors and a confidence interval for the mean: a DataFrame
    /// with `eta`, `se_eta`, `mu`, `se_mu` (delta method), `mu_low`, `mu_high` (the link-scale
    /// interval mapped back, so it respects the range of the mean). A linear predictor or a
    /// mean that is not a finite number is an error, as in [`Predictor::predict`].
    pub fn predict_frame(&self, df: &DataFrame) -> Result<DataFrame> {
        use crate::design::Design;
        if self.cov.is_empty() && self.coefficients.iter().any(|b| !b.is_nan()) {
            return Err(Error::model(
                "a penalized model has no standard errors, so no intervals for its \
                 predictions; use predict() for the predictions themselves",
            ));
        }
        let eta = self.eta(df)?;
        let x = encode::design(&self.spec, df)?;
        let keep: Vec<usize> = (0..self.coefficients.len())
            .filter(|&j| !self.coefficients[j].is_nan())
            .collect();
        let q_level = 0.5 + self.conf_level / 2.0;
        let q = if self.uses_t {
            t_ppf(q_level, self.df_resid as f64)
        } else {
            norm_ppf(q_level)
        };
        let mut row = vec![0.0; x.ncols()];
        let mut kept = vec![0.0; keep.len()];
        let n = eta.len();
        let (mut se_eta, mut mu, mut se_mu, mut lo, mut hi) = (
            vec![0.0; n],
            vec![0.0; n],
            vec![0.0; n],
            vec![0.0; n],
            vec![0.0; n],
        );
        for i in 0..n {
            x.row(i, &mut row);
            for (k, &j) in kept.iter_mut().zip(&keep) {
                *k = row[j];
            }
            let se = self.cov.quad_form(&kept).max(0.0).sqrt();
            se_eta[i] = se;
            mu[i] = self.link.inverse(eta[i]);
            se_mu[i] = self.link.mu_eta(eta[i]).abs() * se;
            let (a, b) = (
                self.link.inverse(eta[i] - q * se),
                self.link.inverse(eta[i] + q * se),
            );
            lo[i] = a.min(b);
            hi[i] = a.max(b);
        }
        super::prediction::check_finite_mean(&mu, &eta, self.link, &x, &self.coefficients)?;
        DataFrame::new_infer_height(vec![
            Column::new("eta".into(), eta),
            Column::new("se_eta".into(), se_eta),
            Column::new("mu".into(), mu),
            Column::new("se_mu".into(), se_mu),
            Column::new("mu_low".into(), lo),
            Column::new("mu_high".into(), hi),
        ])
        .map_err(|e| Error::data(None, None, e.to_string()))
    }
}

impl GlmModel {
    /// The fit's context for the reports.
    pub fn context(&self) -> FitContext {
        FitContext {
            formula: Some(self.spec.formula.clone()),
            response: Some(self.response.clone()),
            rows_dropped: self.rows_dropped,
        }
    }

    /// The text summary.
    pub fn summary(&self) -> String {
        summary_text(&self.fit, &self.context())
    }

    /// The JSON summary (the command-line tool's `--format json`).
    pub fn summary_json(&self) -> serde_json::Value {
        summary_json(&self.fit, &self.context())
    }

    /// Predictions for new data, with warnings (see [`Predictor::predict`]).
    pub fn predict(&self, df: &DataFrame, kind: PredictType) -> Result<Prediction> {
        self.predictor.predict(df, kind)
    }

    /// The coefficient table as a DataFrame: name, estimate, std_error, statistic, p_value,
    /// ci_low, ci_high.
    pub fn coefficients(&self) -> Result<super::ResultFrame> {
        let rows = self.fit.coef_table();
        let col = |f: fn(&crate::model::CoefRow) -> f64| rows.iter().map(f).collect::<Vec<_>>();
        DataFrame::new_infer_height(vec![
            Column::new(
                "name".into(),
                rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
            ),
            Column::new("estimate".into(), col(|r| r.estimate)),
            Column::new("std_error".into(), col(|r| r.std_error)),
            Column::new("statistic".into(), col(|r| r.statistic)),
            Column::new("p_value".into(), col(|r| r.p_value)),
            Column::new("ci_low".into(), col(|r| r.ci_low)),
            Column::new("ci_high".into(), col(|r| r.ci_high)),
        ])
        .map(|df| super::ResultFrame::new("Coefficients", df))
        .map_err(|e| Error::data(None, None, e.to_string()))
    }
}
