//! Encoding a DataFrame with a [`ModelSpec`]: the same code builds the training design and
//! the design of new data at predict time, so both are encoded identically.

use std::collections::HashMap;

use polars::prelude::*;

use super::columns::{categories, column, first_text, is_text, numeric};
use super::eval_numeric;
use super::spec::{FactorSpec, ModelSpec, ResponseSpec};
use crate::design::DenseDesign;
use crate::error::{Error, Result};
use crate::formula::parse_expression;

/// The model's data after the formula is applied.
#[derive(Debug, Clone)]
pub struct ModelFrame {
    /// The design matrix, columns named as in R (`Intercept`, `x`, `g[b]`, `x:g[b]`).
    pub design: DenseDesign,
    /// The response (for `cbind(s, f)`: the proportion s / (s + f)).
    pub y: Vec<f64>,
    /// Prior weights (for `cbind`: the trials, times any weights column).
    pub weights: Option<Vec<f64>>,
    /// The offset: `offset(...)` terms plus the offset column plus log(exposure).
    pub offset: Option<Vec<f64>>,
    /// Rows dropped because a column the model uses was missing there.
    pub rows_dropped: usize,
    /// The 0-based rows of the input data that the model uses, in order.
    pub rows: Vec<usize>,
    /// The response as written.
    pub response: String,
    /// What was learned from the data, for encoding new data the same way.
    pub spec: ModelSpec,
}

impl ModelFrame {
    /// The design column names.
    pub fn names(&self) -> &[String] {
        &self.spec.column_names
    }
}

fn check_finite(values: &[f64], what: &str, hint: &str) -> Result<()> {
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(Error::data(
            Some(what),
            Some(i),
            format!("the value is {} (not a finite number); {hint}", values[i]),
        ));
    }
    Ok(())
}

fn eval_text(expr: &str, df: &DataFrame, formula: &str) -> Result<Vec<f64>> {
    let e = parse_expression(expr).map_err(|e| Error::Formula(e.with_formula(expr)))?;
    eval_numeric(&e, df, formula)
}

/// The columns of one factor on `df`.
fn factor_columns(f: &FactorSpec, df: &DataFrame, formula: &str) -> Result<Vec<Vec<f64>>> {
    match f {
        FactorSpec::Numeric { label, expr } => {
            let v = eval_text(expr, df, formula)?;
            check_finite(&v, label, "check the column and the transformation")?;
            Ok(vec![v])
        }
        FactorSpec::Spline { label, expr, basis } => {
            let x = eval_text(expr, df, formula)?;
            check_finite(&x, label, "a spline needs finite values")?;
            Ok(basis.basis(&x))
        }
        FactorSpec::Categorical {
            column: name,
            levels,
            full,
            text,
        } => {
            let col = column(df, name)?;
            let now_text = is_text(col) || matches!(col.dtype(), DataType::Boolean);
            if now_text != *text {
                return Err(Error::data(
                    Some(name),
                    None,
                    format!(
                        "the column was {} when the model was fitted but is {} here; convert \
                         it back",
                        if *text { "text" } else { "numeric" },
                        if now_text { "text" } else { "numeric" }
                    ),
                ));
            }
            let (labels, _) = categories(col)?;
            let index: HashMap<&str, usize> = levels
                .iter()
                .enumerate()
                .map(|(i, l)| (l.as_str(), i))
                .collect();
            let skip = usize::from(!full);
            let mut cols = vec![vec![0.0; labels.len()]; levels.len() - skip];
            for (row, label) in labels.iter().enumerate() {
                let k = *index.get(label.as_str()).ok_or_else(|| {
                    Error::data(
                        Some(name),
                        Some(row),
                        format!(
                            "level `{label}` was not seen when the model was fitted; the \
                             model knows: {}",
                            levels.join(", ")
                        ),
                    )
                })?;
                if k >= skip {
                    cols[k - skip][row] = 1.0;
                }
            }
            Ok(cols)
        }
    }
}

/// The design matrix of `df` under `spec`.
pub fn design(spec: &ModelSpec, df: &DataFrame) -> Result<DenseDesign> {
    spec.check()?;
    let n = df.height();
    let mut cols: Vec<Vec<f64>> = Vec::with_capacity(spec.column_names.len());
    if spec.intercept {
        cols.push(vec![1.0; n]);
    }
    for term in &spec.terms {
        let mut acc: Vec<Vec<f64>> = Vec::new();
        for (k, f) in term.factors.iter().enumerate() {
            let block = factor_columns(f, df, &spec.formula)?;
            if k == 0 {
                acc = block;
                continue;
            }
            let mut next = Vec::with_capacity(acc.len() * block.len());
            for b in &block {
                for a in &acc {
                    next.push(a.iter().zip(b).map(|(x, y)| x * y).collect());
                }
            }
            acc = next;
        }
        cols.extend(acc);
    }
    DenseDesign::from_columns(spec.column_names.clone(), cols)
}

/// The offset of `df` under `spec` (formula offsets, offset column, log exposure).
pub fn offset(spec: &ModelSpec, df: &DataFrame) -> Result<Option<Vec<f64>>> {
    let mut total: Option<Vec<f64>> = None;
    let mut add = |values: Vec<f64>| {
        total = Some(match total.take() {
            Some(o) => o.iter().zip(&values).map(|(a, b)| a + b).collect(),
            None => values,
        });
    };
    for e in &spec.offsets {
        let v = eval_text(e, df, &spec.formula)?;
        check_finite(
            &v,
            &format!("offset({e})"),
            "an offset must be finite (the log of a zero exposure?); drop those rows",
        )?;
        add(v);
    }
    if let Some(c) = &spec.offset {
        let v = numeric(column(df, c)?)?;
        check_finite(&v, c, "an offset must be finite")?;
        add(v);
    }
    if let Some(c) = &spec.exposure {
        let e = numeric(column(df, c)?)?;
        if let Some(i) = e.iter().position(|v| !v.is_finite() || *v <= 0.0) {
            return Err(Error::data(
                Some(c),
                Some(i),
                format!(
                    "exposure must be a positive finite number, found {}; drop rows with zero \
                     exposure",
                    e[i]
                ),
            ));
        }
        add(e.iter().map(|v| v.ln()).collect());
    }
    Ok(total)
}

/// A response column that holds text (`yes`/`no`) needs coding as numbers; `C()` does not
/// apply to a response.
fn check_numeric_response(expr: &str, df: &DataFrame) -> Result<()> {
    let e = parse_expression(expr).map_err(|e| Error::Formula(e.with_formula(expr)))?;
    for name in e.columns() {
        let Some((row, value)) = super::columns::find(df, &name).and_then(first_text) else {
            continue;
        };
        return Err(Error::data(
            Some(&name),
            Some(row),
            format!(
                "the response holds text (`{value}`) where a number is needed; code it as \
                 numbers (for a binomial response: 1 for the event, 0 otherwise), or clean \
                 the column"
            ),
        ));
    }
    Ok(())
}

/// The response, and the binomial trials for `cbind(successes, failures)`.
pub fn response(spec: &ModelSpec, df: &DataFrame) -> Result<(Vec<f64>, Option<Vec<f64>>, String)> {
    let formula = &spec.formula;
    match &spec.response {
        ResponseSpec::Single { expr } => {
            check_numeric_response(expr, df)?;
            let y = eval_text(expr, df, formula)?;
            check_finite(&y, expr, "the response must be a finite number")?;
            Ok((y, None, expr.clone()))
        }
        ResponseSpec::Cbind {
            successes,
            failures,
        } => {
            let s = eval_text(successes, df, formula)?;
            let f = eval_text(failures, df, formula)?;
            for (v, what) in [(&s, successes), (&f, failures)] {
                check_finite(v, what, "cbind(successes, failures) needs finite counts")?;
                if let Some(i) = v.iter().position(|x| *x < 0.0) {
                    return Err(Error::data(
                        Some(what),
                        Some(i),
                        format!(
                            "cbind(successes, failures) needs counts >= 0, found {}",
                            v[i]
                        ),
                    ));
                }
            }
            let trials: Vec<f64> = s.iter().zip(&f).map(|(s, f)| s + f).collect();
            let y = s
                .iter()
                .zip(&trials)
                .map(|(s, t)| if *t == 0.0 { 0.0 } else { s / t })
                .collect();
            Ok((y, Some(trials), format!("cbind({successes}, {failures})")))
        }
    }
}

/// Prior weights: the weights column times the binomial trials.
pub fn weights(
    spec: &ModelSpec,
    df: &DataFrame,
    trials: Option<Vec<f64>>,
) -> Result<Option<Vec<f64>>> {
    let Some(wcol) = &spec.weights else {
        return Ok(trials);
    };
    let w = numeric(column(df, wcol)?)?;
    check_finite(&w, wcol, "weights must be finite numbers >= 0")?;
    if let Some(i) = w.iter().position(|v| *v < 0.0) {
        return Err(Error::data(
            Some(wcol),
            Some(i),
            format!(
                "weights must be >= 0, found {}; fix the value or drop the row",
                w[i]
            ),
        ));
    }
    if w.iter().all(|v| *v == 0.0) {
        return Err(Error::data(
            Some(wcol),
            None,
            "every weight is 0, so no row counts in the fit; check that this is the weights \
             column (a row with weight 0 is left out)",
        ));
    }
    Ok(Some(match trials {
        Some(t) => t.iter().zip(&w).map(|(t, w)| t * w).collect(),
        None => w,
    }))
}
