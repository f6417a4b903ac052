//! Tables about a fitted model as DataFrames: relativities, term-wise Wald tests and the
//! sequential analysis of deviance (R's `anova`).

use polars::prelude::*;

use super::display::ResultFrame;
use super::model::GlmModel;
use super::spec::FactorSpec;
use super::{model_frame, FrameOptions};
use crate::error::{Error, Result};
use crate::family::Family;
use crate::link::Link;
use crate::model::wald_test;
use crate::model::{fit, GlmData};
use crate::stats::{chi2_sf, f_sf};

fn frame(title: &str, cols: Vec<Column>) -> Result<ResultFrame> {
    DataFrame::new_infer_height(cols)
        .map(|df| ResultFrame::new(title, df))
        .map_err(|e| Error::data(None, None, e.to_string()))
}

impl GlmModel {
    /// Relativities for a log-link model: `exp(coefficient)` with its confidence interval,
    /// one row per coefficient, plus a row with relativity 1 for the reference level of each
    /// categorical main effect, so every level of a rating factor appears.
    ///
    /// Columns: `term`, `level`, `relativity`, `ci_low`, `ci_high`, `p_value`.
    pub fn relativities(&self) -> Result<ResultFrame> {
        if self.fit.link != Link::Log {
            return Err(Error::model(format!(
                "relativities are multiplicative effects and need a log link; this model \
                 uses the {} link: use coefficients() instead",
                self.fit.link
            )));
        }
        let table = self.fit.coef_table();
        let (mut term, mut level, mut rel, mut lo, mut hi, mut p) =
            (vec![], vec![], vec![], vec![], vec![], vec![]);
        let mut push = |t: &str, l: &str, r: f64, a: f64, b: f64, pv: f64| {
            term.push(t.to_string());
            level.push(l.to_string());
            rel.push(r);
            lo.push(a);
            hi.push(b);
            p.push(pv);
        };
        if self.spec.intercept {
            let r = &table[0];
            push(
                "Intercept",
                "",
                r.estimate.exp(),
                r.ci_low.exp(),
                r.ci_high.exp(),
                r.p_value,
            );
        }
        for t in &self.spec.terms {
            if let [FactorSpec::Categorical {
                column,
                levels,
                full: false,
                ..
            }] = t.factors.as_slice()
            {
                push(&t.label, &levels[0], 1.0, 1.0, 1.0, f64::NAN);
                for (k, lvl) in levels.iter().skip(1).enumerate() {
                    let r = &table[t.start + k];
                    debug_assert_eq!(r.name, format!("{column}[{lvl}]"));
                    push(
                        &t.label,
                        lvl,
                        r.estimate.exp(),
                        r.ci_low.exp(),
                        r.ci_high.exp(),
                        r.p_value,
                    );
                }
                continue;
            }
            for r in &table[t.start..t.start + t.ncols] {
                push(
                    &t.label,
                    &r.name,
                    r.estimate.exp(),
                    r.ci_low.exp(),
                    r.ci_high.exp(),
                    r.p_value,
                );
            }
        }
        frame(
            "Relativities (exp(coefficient)) with confidence intervals",
            vec![
                Column::new("term".into(), term),
                Column::new("level".into(), level),
                Column::new("relativity".into(), rel),
                Column::new("ci_low".into(), lo),
                Column::new("ci_high".into(), hi),
                Column::new("p_value".into(), p),
            ],
        )
    }

    /// A Wald test for each term (all its columns at once): `term`, `df`, `statistic`,
    /// `p_value`, `test` (chi2, or F when the dispersion is estimated).
    pub fn term_tests(&self) -> Result<ResultFrame> {
        let (mut term, mut df, mut stat, mut p, mut test) =
            (vec![], vec![], vec![], vec![], vec![]);
        for t in &self.spec.terms {
            let names: Vec<&str> = self.fit.names[t.start..t.start + t.ncols]
                .iter()
                .zip(&self.fit.aliased[t.start..t.start + t.ncols])
                .filter(|(_, a)| !**a)
                .map(|(n, _)| n.as_str())
                .collect();
            if names.is_empty() {
                continue;
            }
            let r = wald_test(&self.fit, &names)?;
            term.push(t.label.clone());
            df.push(r.df);
            stat.push(r.statistic);
            p.push(r.p_value);
            test.push(r.distribution.to_string());
        }
        frame(
            "Wald tests by term",
            vec![
                Column::new("term".into(), term),
                Column::new("df".into(), df),
                Column::new("statistic".into(), stat),
                Column::new("p_value".into(), p),
                Column::new("test".into(), test),
            ],
        )
    }

    /// Sequential analysis of deviance, as R's `anova(fit, test = "Chisq")` (or `"F"` when the
    /// dispersion is estimated): terms are added one at a time in formula order and each row
    /// gives the drop in deviance and its test, scaled by the full model's dispersion. `df`
    /// must be the data the model was fitted on. A negative binomial keeps its fitted theta.
    ///
    /// Columns: `term`, `df`, `deviance`, `resid_df`, `resid_deviance`, `statistic`,
    /// `p_value`.
    pub fn anova(&self, data: &DataFrame) -> Result<ResultFrame> {
        let opts = FrameOptions {
            weights: self.spec.weights.clone(),
            exposure: self.spec.exposure.clone(),
            offset: self.spec.offset.clone(),
        };
        let mf = model_frame(&self.spec.formula, data, &opts)?;
        if mf.spec != self.spec || mf.y.len() != self.fit.y.len() {
            return Err(Error::model(
                "anova needs the data the model was fitted on (the levels, knots or rows differ)",
            ));
        }
        let family = match self.fit.family {
            Family::NegativeBinomial { theta } => Family::NegativeBinomial { theta },
            f => f,
        };
        let mut options = self.options.clone();
        options.estimate_theta = false;
        options.cov = crate::inference::CovType::Nonrobust;
        options.clusters = None;
        let full = &mf.design;
        let ncols_upto = |k: usize| {
            usize::from(self.spec.intercept)
                + self.spec.terms[..k].iter().map(|t| t.ncols).sum::<usize>()
        };
        let mut devs = Vec::new();
        let mut dfs = Vec::new();
        for k in 0..=self.spec.terms.len() {
            let cols = ncols_upto(k);
            let (dev, df_resid) = if cols == 0 {
                // No intercept and no terms: the offset alone.
                let mu: Vec<f64> = mf
                    .offset
                    .clone()
                    .unwrap_or_else(|| vec![0.0; mf.y.len()])
                    .iter()
                    .map(|&o| crate::link::LinkFunction::inverse(&self.fit.link, o))
                    .collect();
                let w = mf.weights.clone().unwrap_or_else(|| vec![1.0; mf.y.len()]);
                let d = crate::family::deviance(&family, &mf.y, &mu, &w);
                (d, self.fit.nobs)
            } else if k == self.spec.terms.len() {
                (self.fit.deviance, self.fit.df_resid)
            } else {
                let x = full.leading(cols)?;
                let d = GlmData {
                    x: &x,
                    y: &mf.y,
                    weights: mf.weights.as_deref(),
                    offset: mf.offset.as_deref(),
                };
                let f = fit(&d, family, Some(self.fit.link), &options)?;
                (f.deviance, f.df_resid)
            };
            devs.push(dev);
            dfs.push(df_resid);
        }
        let disp = self.fit.dispersion;
        let fixed = self.fit.family.dispersion_is_fixed();
        let mut term = vec!["NULL".to_string()];
        let (mut df, mut ddev, mut rdf, mut rdev, mut stat, mut p) = (
            vec![f64::NAN],
            vec![f64::NAN],
            vec![dfs[0] as f64],
            vec![devs[0]],
            vec![f64::NAN],
            vec![f64::NAN],
        );
        for (k, t) in self.spec.terms.iter().enumerate() {
            let d = (dfs[k] - dfs[k + 1]) as f64;
            let drop = devs[k] - devs[k + 1];
            term.push(t.label.clone());
            df.push(d);
            ddev.push(drop);
            rdf.push(dfs[k + 1] as f64);
            rdev.push(devs[k + 1]);
            if d == 0.0 {
                stat.push(f64::NAN);
                p.push(f64::NAN);
            } else if fixed {
                stat.push(drop / disp);
                p.push(chi2_sf((drop / disp).max(0.0), d));
            } else {
                let fstat = drop / d / disp;
                stat.push(fstat);
                p.push(f_sf(fstat.max(0.0), d, self.fit.df_resid as f64));
            }
        }
        frame(
            "Analysis of deviance (terms added sequentially)",
            vec![
                Column::new("term".into(), term),
                Column::new("df".into(), df),
                Column::new("deviance".into(), ddev),
                Column::new("resid_df".into(), rdf),
                Column::new("resid_deviance".into(), rdev),
                Column::new("statistic".into(), stat),
                Column::new("p_value".into(), p),
            ],
        )
    }
}
