//! Partial effects: the terms of one variable evaluated on a grid (or at its levels) with the
//! model's own encoding, and pointwise intervals from the covariance sub-matrix.

use polars::prelude::*;

use super::super::columns::{column, numeric};
use super::super::spec::{interaction_names, FactorSpec, ModelSpec, TermSpec};
use super::super::{encode, GlmModel};
use crate::design::Design;
use crate::diagnostics::{
    linear_combinations, EffectLevel, EffectPoint, PartialEffect, PartialEffectKind,
};
use crate::error::{Error, Result};
use crate::formula::parse_expression;
use crate::link::Link;
use crate::stats::{norm_ppf, t_ppf};

/// The data columns a factor reads.
fn factor_columns(f: &FactorSpec) -> Result<Vec<String>> {
    Ok(match f {
        FactorSpec::Numeric { expr, .. } | FactorSpec::Spline { expr, .. } => {
            parse_expression(expr)
                .map_err(|e| Error::Formula(e.with_formula(expr)))?
                .columns()
        }
        FactorSpec::Categorical { column, .. } => vec![column.clone()],
    })
}

/// The single data column a term reads, if it reads exactly one.
fn term_variable(t: &TermSpec) -> Result<Option<String>> {
    let mut cols: Vec<String> = Vec::new();
    for f in &t.factors {
        for c in factor_columns(f)? {
            if !cols.contains(&c) {
                cols.push(c);
            }
        }
    }
    Ok((cols.len() == 1).then(|| cols.remove(0)))
}

impl GlmModel {
    /// The partial effect of a variable (a data column, or a term label such as
    /// `bs(age, df=5)`): the terms that involve only that variable, on the link scale, over
    /// `points` values spanning its training range, or at each level of a categorical (see
    /// [`PartialEffect`]; `.relativities()` gives `exp()` for a log link).
    ///
    /// The model does not keep its training data, so the range of a numeric variable is
    /// known here only for `bs()` / `ns()` of the bare column (their boundary knots); for
    /// other numeric terms use [`GlmModel::partial_effect_over`] with the training data.
    ///
    /// ```
    /// use rustystats::diagnostics::PartialEffectKind;
    /// use rustystats::prelude::*;
    ///
    /// let df = df!(
    ///     "y" => [1.0, 3.0, 2.0, 5.0, 4.0, 6.0, 9.0, 7.0],
    ///     "g" => ["a", "b", "a", "b", "a", "b", "c", "c"],
    ///     "x" => [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
    /// ).unwrap();
    /// let model = glm("y ~ C(g) + ns(x, df=2)", &df).family(Family::Poisson).fit().unwrap();
    /// let g = model.partial_effect("g", 0).unwrap();
    /// let PartialEffectKind::Categorical(levels) = &g.kind else { unreachable!() };
    /// assert_eq!(levels[0].estimate, 0.0); // the reference level
    /// let x = model.partial_effect("ns(x, df=2)", 5).unwrap();
    /// let PartialEffectKind::Numeric(points) = &x.kind else { unreachable!() };
    /// assert_eq!((points[0].x, points[4].x), (1.0, 8.0));
    /// ```
    pub fn partial_effect(&self, term_or_column: &str, points: usize) -> Result<PartialEffect> {
        self.partial_effect_with(None, term_or_column, points)
    }

    /// As [`GlmModel::partial_effect`], with the numeric variable's range taken from `df`
    /// (the training data), so every numeric term works.
    pub fn partial_effect_over(
        &self,
        df: &DataFrame,
        term_or_column: &str,
        points: usize,
    ) -> Result<PartialEffect> {
        self.partial_effect_with(Some(df), term_or_column, points)
    }

    fn partial_effect_with(
        &self,
        df: Option<&DataFrame>,
        name: &str,
        points: usize,
    ) -> Result<PartialEffect> {
        let spec = &self.spec;
        let squeeze = |s: &str| s.split_whitespace().collect::<String>();
        let variable = match spec
            .terms
            .iter()
            .find(|t| squeeze(&t.label) == squeeze(name))
        {
            Some(t) => term_variable(t)?.ok_or_else(|| {
                Error::model(format!(
                    "term `{name}` involves more than one column; a partial effect is of one \
                     variable"
                ))
            })?,
            None => name.to_string(),
        };
        let mut terms = Vec::new();
        for t in &spec.terms {
            if term_variable(t)?.as_deref() == Some(variable.as_str()) {
                terms.push(t.clone());
            }
        }
        if terms.is_empty() {
            let labels: Vec<&str> = spec.terms.iter().map(|t| t.label.as_str()).collect();
            return Err(Error::data(
                Some(&variable),
                None,
                format!(
                    "no term of the model involves only this column; the model's terms are: {}",
                    labels.join(", ")
                ),
            ));
        }
        let cat = terms
            .iter()
            .flat_map(|t| &t.factors)
            .find(|f| matches!(f, FactorSpec::Categorical { .. }));
        let numeric_terms = terms
            .iter()
            .flat_map(|t| &t.factors)
            .any(|f| !matches!(f, FactorSpec::Categorical { .. }));
        let grid = match (cat, numeric_terms) {
            (Some(_), true) => {
                return Err(Error::model(format!(
                    "`{variable}` enters the model both as a number and as a category; ask for \
                     one term by its label"
                )))
            }
            (Some(FactorSpec::Categorical { levels, text, .. }), false) => {
                Grid::Levels(levels.clone(), *text)
            }
            _ => Grid::Values(self.grid_values(df, &variable, &terms, points)?),
        };
        let width: usize = terms.iter().map(|t| t.ncols).sum();
        if self.fit.cov.dense().is_none() && width >= crate::solver::BORDERED_LEVELS {
            return Err(Error::model(format!(
                "the partial effect of `{variable}` would need the dense covariance of its \
                 {width} coefficients, which this fit (a factor of many levels, kept in \
                 bordered form) does not form; read the levels' estimates and standard \
                 errors from the coefficient table (or the relativities) instead"
            )));
        }
        let sub = sub_spec(spec, &terms);
        let frame = grid.frame(&variable)?;
        let x = encode::design(&sub, &frame)?;
        let (beta, cov, cols) = self.sub_coefficients(&terms);
        let mut row = vec![0.0; x.ncols()];
        let rows: Vec<Vec<f64>> = (0..x.nrows())
            .map(|i| {
                x.row(i, &mut row);
                cols.iter().map(|&c| row[c]).collect()
            })
            .collect();
        let est = linear_combinations(&rows, &beta, &cov)?;
        let q = self.quantile();
        let kind = match grid {
            Grid::Levels(levels, _) => PartialEffectKind::Categorical(
                levels
                    .into_iter()
                    .zip(&est)
                    .map(|(level, &(b, se))| EffectLevel {
                        level,
                        estimate: b,
                        se,
                        low: b - q * se,
                        high: b + q * se,
                    })
                    .collect(),
            ),
            Grid::Values(values) => PartialEffectKind::Numeric(
                values
                    .into_iter()
                    .zip(&est)
                    .map(|(x, &(fit, se))| EffectPoint {
                        x,
                        fit,
                        se,
                        low: fit - q * se,
                        high: fit + q * se,
                    })
                    .collect(),
            ),
        };
        Ok(PartialEffect {
            variable,
            terms: terms.iter().map(|t| t.label.clone()).collect(),
            kind,
            conf_level: self.fit.conf_level,
            log_link: self.fit.link == Link::Log,
            relativity: false,
        })
    }

    /// `points` evenly spaced values over the variable's range (from `df`, else from the
    /// boundary knots of a spline of the bare column).
    fn grid_values(
        &self,
        df: Option<&DataFrame>,
        variable: &str,
        terms: &[TermSpec],
        points: usize,
    ) -> Result<Vec<f64>> {
        if points < 2 {
            return Err(Error::model(format!(
                "a partial effect of the numeric variable `{variable}` needs at least 2 grid \
                 points, got {points}"
            )));
        }
        let range = match df {
            Some(df) => {
                let v = numeric(column(df, variable)?)?;
                let finite = v.iter().copied().filter(|x| x.is_finite());
                let lo = finite.clone().fold(f64::INFINITY, f64::min);
                let hi = finite.fold(f64::NEG_INFINITY, f64::max);
                (lo <= hi).then_some((lo, hi))
            }
            None => terms.iter().flat_map(|t| &t.factors).find_map(|f| match f {
                FactorSpec::Spline { expr, basis, .. } if expr.trim() == variable => match basis {
                    super::super::SplineBasis::Bs(b) => Some(b.boundary),
                    super::super::SplineBasis::Ns(b) => Some(b.boundary),
                    super::super::SplineBasis::Poly(_) => None,
                },
                _ => None,
            }),
        };
        let (lo, hi) = range.ok_or_else(|| {
            Error::data(
                Some(variable),
                None,
                "the training range of this variable is not stored in the model; call \
                 partial_effect_over(&training_data, ...) to take it from the data",
            )
        })?;
        let step = (hi - lo) / (points - 1) as f64;
        Ok((0..points)
            .map(|k| {
                if k + 1 == points {
                    hi
                } else {
                    lo + step * k as f64
                }
            })
            .collect())
    }

    /// Coefficients and covariance of the non-aliased columns of `terms`, and the positions
    /// of those columns in the sub-design.
    fn sub_coefficients(&self, terms: &[TermSpec]) -> (Vec<f64>, Vec<Vec<f64>>, Vec<usize>) {
        let f = &self.fit;
        // Position of each non-aliased design column in the covariance matrix.
        let mut in_cov = vec![None; f.aliased.len()];
        let mut k = 0;
        for (j, &a) in f.aliased.iter().enumerate() {
            if !a {
                in_cov[j] = Some(k);
                k += 1;
            }
        }
        let mut sub_col = 0;
        let (mut beta, mut pos, mut cols) = (Vec::new(), Vec::new(), Vec::new());
        for t in terms {
            for j in t.start..t.start + t.ncols {
                if let Some(p) = in_cov.get(j).copied().flatten() {
                    beta.push(f.coefficients[j]);
                    pos.push(p);
                    cols.push(sub_col);
                }
                sub_col += 1;
            }
        }
        let cov = pos
            .iter()
            .map(|&a| pos.iter().map(|&b| f.cov.get(a, b)).collect())
            .collect();
        (beta, cov, cols)
    }

    /// The quantile of the intervals: t with the residual degrees of freedom when the
    /// dispersion is estimated, normal otherwise (as the coefficient table).
    fn quantile(&self) -> f64 {
        let p = 0.5 + self.fit.conf_level / 2.0;
        if self.fit.uses_t() {
            t_ppf(p, self.fit.df_resid as f64)
        } else {
            norm_ppf(p)
        }
    }
}

/// Where the effect is evaluated.
enum Grid {
    /// A numeric variable's values.
    Values(Vec<f64>),
    /// A categorical variable's levels, and whether the column held text.
    Levels(Vec<String>, bool),
}

impl Grid {
    /// A one-column DataFrame holding the grid as the training column was typed.
    fn frame(&self, variable: &str) -> Result<DataFrame> {
        let col = match self {
            Grid::Values(v) => Column::new(variable.into(), v.clone()),
            Grid::Levels(levels, true) => Column::new(variable.into(), levels.clone()),
            Grid::Levels(levels, false) => {
                let v: Vec<f64> = levels
                    .iter()
                    .map(|l| l.parse::<f64>().unwrap_or(f64::NAN))
                    .collect();
                Column::new(variable.into(), v)
            }
        };
        DataFrame::new_infer_height(vec![col]).map_err(|e| Error::data(None, None, e.to_string()))
    }
}

/// The specification of `terms` alone: no intercept, offsets or extra columns, columns
/// renumbered, so the model's encoding gives exactly those terms' columns.
fn sub_spec(spec: &ModelSpec, terms: &[TermSpec]) -> ModelSpec {
    let mut names: Vec<String> = Vec::new();
    let terms: Vec<TermSpec> = terms
        .iter()
        .map(|t| {
            let start = names.len();
            names.extend(interaction_names(&t.factors));
            TermSpec { start, ..t.clone() }
        })
        .collect();
    ModelSpec {
        intercept: false,
        terms,
        offsets: Vec::new(),
        weights: None,
        exposure: None,
        offset: None,
        column_names: names,
        ..spec.clone()
    }
}
