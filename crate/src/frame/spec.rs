//! The model specification: everything learned from the training data that is needed to
//! encode new data exactly as the training data was encoded (levels and reference, which
//! columns a factor gets, offsets, column names). It is stored in saved models.

use std::collections::HashMap;

use polars::prelude::*;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::columns::{column, is_text, stray_text};
use super::levels::{coding, levels as column_levels, Coding};
use super::FrameOptions;
use crate::error::{Error, Result};
use crate::formula::{full_coding, CodingFactor, Expr, Factor, LevelRef, ParsedFormula, Response};

/// The version of the saved-model layout this build writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// How one factor of a term becomes design columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FactorSpec {
    /// A numeric column or arithmetic expression (`x`, `log(x)`, `I(x^2)`), one column.
    Numeric {
        /// The coefficient label (`log(x)`).
        label: String,
        /// The expression text, parsed again when encoding.
        expr: String,
    },
    /// A spline or polynomial basis of an expression: `bs(x, df=5)` gives columns
    /// `bs(x, df=5)[1]` ... `[5]`.
    Spline {
        /// The term as written in the formula.
        label: String,
        /// The expression the basis is evaluated at.
        expr: String,
        /// The learned basis (knots, boundary, coefficients).
        basis: super::splines::SplineBasis,
    },
    /// A categorical column: one indicator column per level, the first level dropped under
    /// treatment coding.
    Categorical {
        /// The data column.
        column: String,
        /// All levels in order; the first is the reference.
        levels: Vec<String>,
        /// True when every level gets a column (R's rule for a factor whose margin is absent).
        full: bool,
        /// Whether the training column held text (a type change at predict time is an error).
        text: bool,
    },
}

impl FactorSpec {
    /// The identity of the factor for R's coding rule.
    fn key(&self) -> String {
        match self {
            FactorSpec::Numeric { label, .. } | FactorSpec::Spline { label, .. } => label.clone(),
            FactorSpec::Categorical { column, .. } => format!("C({column})"),
        }
    }

    /// Column names this factor contributes (before interaction).
    pub fn column_names(&self) -> Vec<String> {
        match self {
            FactorSpec::Numeric { label, .. } => vec![label.clone()],
            FactorSpec::Spline { label, basis, .. } => (1..=basis.ncols())
                .map(|k| format!("{label}[{k}]"))
                .collect(),
            FactorSpec::Categorical {
                column,
                levels,
                full,
                ..
            } => levels
                .iter()
                .skip(usize::from(!full))
                .map(|l| format!("{column}[{l}]"))
                .collect(),
        }
    }
}

/// One model term: an interaction of factors (a main effect has one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermSpec {
    /// The term's label (`x`, `C(g)`, `x:C(g)`).
    pub label: String,
    /// Its factors, in the order written.
    pub factors: Vec<FactorSpec>,
    /// First design column of the term.
    pub start: usize,
    /// Number of design columns of the term.
    pub ncols: usize,
}

/// The response as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ResponseSpec {
    /// One expression.
    Single {
        /// The expression text.
        expr: String,
    },
    /// `cbind(successes, failures)`.
    Cbind {
        /// Successes expression.
        successes: String,
        /// Failures expression.
        failures: String,
    },
}

/// Everything needed to turn a DataFrame into the model's design, learned once from the
/// training data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelSpec {
    /// The formula as written.
    pub formula: String,
    /// The response.
    pub response: ResponseSpec,
    /// Whether there is an intercept column (first, named `Intercept`).
    pub intercept: bool,
    /// The terms in design order.
    pub terms: Vec<TermSpec>,
    /// `offset(...)` expressions.
    pub offsets: Vec<String>,
    /// Extra columns: prior weights, exposure (log added to the offset), offset.
    pub weights: Option<String>,
    /// Exposure column, if any.
    pub exposure: Option<String>,
    /// Offset column, if any.
    pub offset: Option<String>,
    /// All design column names.
    pub column_names: Vec<String>,
}

fn level_label(l: &LevelRef) -> String {
    match l {
        LevelRef::Str(s) => s.clone(),
        LevelRef::Num(v) => super::columns::format_number(*v),
    }
}

/// Levels of a categorical column in model order: sorted, or as `levels=[...]` gives them,
/// with `ref=` moved first.
fn learn_levels(
    column_name: &str,
    reference: Option<&LevelRef>,
    levels: Option<&Vec<LevelRef>>,
    df: &DataFrame,
    distinct: &HashMap<String, Coding>,
) -> Result<(Vec<String>, bool)> {
    let col = column(df, column_name)?;
    let mut found = match distinct.get(column_name) {
        Some(found) => found.levels.clone(),
        None => column_levels(col)?,
    };
    if let Some(given) = levels {
        let given: Vec<String> = given.iter().map(level_label).collect();
        if let Some(extra) = found.iter().find(|l| !given.contains(l)) {
            return Err(Error::data(
                Some(column_name),
                None,
                format!(
                    "the data has level `{extra}`, which is not in levels=[...] ({}); add it \
                     to the list",
                    given.join(", ")
                ),
            ));
        }
        found = given;
    }
    if let Some(r) = reference {
        let r = level_label(r);
        let pos = found.iter().position(|l| *l == r).ok_or_else(|| {
            Error::data(
                Some(column_name),
                None,
                format!(
                    "reference level `{r}` is not a level of the column; its levels are: {}; \
                     write one of them in ref=\"...\"",
                    found.join(", ")
                ),
            )
        })?;
        let lvl = found.remove(pos);
        found.insert(0, lvl);
    }
    if found.len() < 2 {
        return Err(Error::data(
            Some(column_name),
            None,
            format!(
                "a categorical term needs at least two levels, but the column has only {}; \
                 drop the term",
                found
                    .first()
                    .map_or("none".to_string(), |l| format!("`{l}`"))
            ),
        ));
    }
    Ok((
        found,
        is_text(col) || matches!(col.dtype(), DataType::Boolean),
    ))
}

/// A categorical factor: its column, and the reference and level order asked for.
type CategoricalParts<'a> = (String, Option<&'a LevelRef>, Option<&'a Vec<LevelRef>>);

/// A bare name of a text column is categorical, as in R.
fn categorical_parts<'a>(factor: &'a Factor, df: &DataFrame) -> Option<CategoricalParts<'a>> {
    match factor {
        Factor::Categorical {
            column,
            reference,
            levels,
            ..
        } => Some((column.clone(), reference.as_ref(), levels.as_ref())),
        Factor::Numeric(Expr::Name { name, .. }) => super::columns::find(df, name)
            .filter(|c| is_text(c) || matches!(c.dtype(), DataType::Boolean))
            .map(|_| (name.clone(), None, None)),
        _ => None,
    }
}

/// A bare column name whose values are mostly numbers but that was read as text: an error
/// naming the first value that is not a number (R would silently make it a factor).
fn check_stray_text(factor: &Factor, df: &DataFrame) -> Result<()> {
    let Factor::Numeric(Expr::Name { name, .. }) = factor else {
        return Ok(());
    };
    let Some((row, value)) = super::columns::find(df, name).and_then(stray_text) else {
        return Ok(());
    };
    Err(Error::data(
        Some(name),
        Some(row),
        format!(
            "the column is mostly numbers, but this row holds `{value}`, so the whole column \
             was read as text; fix or remove the value (an empty cell or NA is read as \
             missing), or write C({name}) to treat the column as categorical"
        ),
    ))
}

impl ModelSpec {
    /// Learns the specification from a parsed formula and the training data (rows with
    /// missing values already removed).
    pub fn learn(f: &ParsedFormula, df: &DataFrame, opts: &FrameOptions) -> Result<ModelSpec> {
        Ok(Self::learn_coded(f, df, opts)?.0)
    }

    /// [`ModelSpec::learn`], also handing back the codes of the categorical columns found on
    /// the way (by column name), so that encoding the same data need not read the labels
    /// again.
    pub(crate) fn learn_coded(
        f: &ParsedFormula,
        df: &DataFrame,
        opts: &FrameOptions,
    ) -> Result<(ModelSpec, HashMap<String, Coding>)> {
        let mut terms = Vec::new();
        // The distinct values and codes of every categorical column, found in parallel (a
        // pass over the rows each); a column that is missing is reported in order below.
        let mut wanted: Vec<String> = f
            .terms
            .iter()
            .flat_map(|t| &t.factors)
            .filter_map(|factor| categorical_parts(factor, df).map(|(col, ..)| col))
            .collect();
        wanted.sort();
        wanted.dedup();
        let distinct: HashMap<String, Coding> = wanted
            .into_par_iter()
            .filter_map(|name| {
                let col = super::columns::find(df, &name)?;
                coding(col).ok().map(|coding| (name, coding))
            })
            .collect();
        for term in &f.terms {
            let mut factors = Vec::new();
            for factor in &term.factors {
                check_stray_text(factor, df)?;
                factors.push(match categorical_parts(factor, df) {
                    Some((col, reference, levels)) => {
                        let (levels, text) = learn_levels(&col, reference, levels, df, &distinct)?;
                        FactorSpec::Categorical {
                            column: col,
                            levels,
                            full: false,
                            text,
                        }
                    }
                    None => match factor {
                        Factor::Numeric(e) => FactorSpec::Numeric {
                            label: factor.label(),
                            expr: e.source(&f.text),
                        },
                        Factor::Call { func, args, span }
                            if super::splines::is_basis_function(func) =>
                        {
                            let (expr, basis) =
                                super::splines::learn(func, args, *span, &f.text, df)?;
                            FactorSpec::Spline {
                                label: f.text[span.start..span.end].to_string(),
                                expr,
                                basis,
                            }
                        }
                        other => {
                            return Err(Error::model(format!(
                                "`{}`: this function is not supported as a model term yet",
                                other.label()
                            )))
                        }
                    },
                });
            }
            terms.push((term.name(), factors));
        }
        let coding_factors: Vec<Vec<CodingFactor>> = terms
            .iter()
            .map(|(_, factors)| {
                factors
                    .iter()
                    .map(|fs| CodingFactor {
                        key: fs.key(),
                        categorical: matches!(fs, FactorSpec::Categorical { .. }),
                    })
                    .collect()
            })
            .collect();
        let coding = full_coding(f.intercept, &coding_factors);
        let mut names: Vec<String> = Vec::new();
        if f.intercept {
            names.push("Intercept".into());
        }
        let mut term_specs = Vec::with_capacity(terms.len());
        for ((label, mut factors), full) in terms.into_iter().zip(coding) {
            for (fs, full) in factors.iter_mut().zip(full) {
                if let FactorSpec::Categorical { full: f, .. } = fs {
                    *f = full;
                }
            }
            let cols = interaction_names(&factors);
            term_specs.push(TermSpec {
                label,
                factors,
                start: names.len(),
                ncols: cols.len(),
            });
            names.extend(cols);
        }
        if names.is_empty() {
            return Err(Error::model(
                "the model has no columns: no intercept and no terms; add a term or remove `- 1`",
            ));
        }
        let response = match &f.response {
            Response::Single(e) => ResponseSpec::Single {
                expr: e.source(&f.text),
            },
            Response::Cbind(a, b) => ResponseSpec::Cbind {
                successes: a.source(&f.text),
                failures: b.source(&f.text),
            },
        };
        let spec = ModelSpec {
            formula: f.text.clone(),
            response,
            intercept: f.intercept,
            terms: term_specs,
            offsets: f.offsets.iter().map(|e| e.source(&f.text)).collect(),
            weights: opts.weights.clone(),
            exposure: opts.exposure.clone(),
            offset: opts.offset.clone(),
            column_names: names,
        };
        Ok((spec, distinct))
    }

    /// The data columns the model reads to build the design and offset (not the response or
    /// weights): what new data must have for `predict`.
    pub fn predictor_columns(&self) -> Result<Vec<String>> {
        let mut cols: Vec<String> = Vec::new();
        let mut add = |c: String| {
            if !cols.contains(&c) {
                cols.push(c);
            }
        };
        for t in &self.terms {
            for f in &t.factors {
                match f {
                    FactorSpec::Numeric { expr, .. } | FactorSpec::Spline { expr, .. } => {
                        for c in crate::formula::parse_expression(expr)?.columns() {
                            add(c);
                        }
                    }
                    FactorSpec::Categorical { column, .. } => add(column.clone()),
                }
            }
        }
        for o in &self.offsets {
            for c in crate::formula::parse_expression(o)?.columns() {
                add(c);
            }
        }
        for c in [&self.exposure, &self.offset].into_iter().flatten() {
            add(c.clone());
        }
        Ok(cols)
    }
}

impl ModelSpec {
    /// Checks that a specification (as read from a saved model) is whole: every term's
    /// factors give exactly the design columns the specification lists, categorical factors
    /// have levels, spline bases are usable. Encoding checks it first, so a damaged model file
    /// is an error rather than a crash.
    pub fn check(&self) -> Result<()> {
        let damaged = |what: String| {
            Error::model(format!(
                "the model specification is damaged: {what}; refit the model and save it again"
            ))
        };
        let total = self.column_names.len();
        let mut names: Vec<String> = Vec::with_capacity(total);
        if self.intercept {
            names.push("Intercept".into());
        }
        for t in &self.terms {
            if t.factors.is_empty() {
                return Err(damaged(format!("term `{}` has no factors", t.label)));
            }
            let mut width = 1usize;
            for f in &t.factors {
                let w = match f {
                    FactorSpec::Numeric { .. } => 1,
                    FactorSpec::Spline { label, basis, .. } => {
                        basis
                            .check(total)
                            .map_err(|m| damaged(format!("`{label}`: {m}")))?;
                        basis.ncols()
                    }
                    FactorSpec::Categorical {
                        column,
                        levels,
                        full,
                        ..
                    } => {
                        if levels.len() < 2 {
                            return Err(damaged(format!(
                                "the categorical column `{column}` has fewer than two levels"
                            )));
                        }
                        levels.len() - usize::from(!full)
                    }
                };
                width = width
                    .checked_mul(w)
                    .filter(|w| *w <= total)
                    .ok_or_else(|| {
                        damaged(format!(
                            "term `{}` has more columns than the model",
                            t.label
                        ))
                    })?;
            }
            if t.start != names.len() || t.ncols != width {
                return Err(damaged(format!(
                    "term `{}` does not start or end where its columns do",
                    t.label
                )));
            }
            names.extend(interaction_names(&t.factors));
            if names.len() > total {
                break;
            }
        }
        if names != self.column_names {
            return Err(damaged(format!(
                "its terms give {} design columns ({}) but it lists {}",
                names.len(),
                names.join(", "),
                total
            )));
        }
        Ok(())
    }
}

/// Column names of an interaction, the first factor varying fastest (R's order).
pub(crate) fn interaction_names(factors: &[FactorSpec]) -> Vec<String> {
    interaction(factors.iter().map(FactorSpec::column_names), |a, b| {
        format!("{a}:{b}")
    })
}

/// Every combination of one item of each part, the first part varying fastest (R's column
/// order for an interaction), each combined left to right with `combine`.
pub(crate) fn interaction<T>(
    parts: impl IntoIterator<Item = Vec<T>>,
    combine: impl Fn(&T, &T) -> T,
) -> Vec<T> {
    let mut parts = parts.into_iter();
    let mut acc = parts.next().unwrap_or_default();
    for part in parts {
        let mut next = Vec::with_capacity(acc.len() * part.len());
        for b in &part {
            for a in &acc {
                next.push(combine(a, b));
            }
        }
        acc = next;
    }
    acc
}
