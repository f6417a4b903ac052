//! Term encoding: numeric factors as columns, categorical factors as treatment contrasts or
//! indicators (R's rule), interactions as products.

use std::collections::HashSet;

use polars::prelude::*;

use super::columns::{categories, column, numeric};
use super::{eval_numeric, FrameOptions};
use crate::design::DenseDesign;
use crate::error::{Error, Result};
use crate::formula::{Expr, Factor, LevelRef, ParsedFormula, Response, Term};

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
    /// Whether the model has an intercept.
    pub has_intercept: bool,
}

impl ModelFrame {
    /// The design column names.
    pub fn names(&self) -> &[String] {
        use crate::design::Design;
        self.design.column_names()
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

fn level_label(l: &LevelRef) -> String {
    match l {
        LevelRef::Str(s) => s.clone(),
        LevelRef::Num(v) => super::columns::format_number(*v),
    }
}

/// One factor's columns: (name, values).
type Block = Vec<(String, Vec<f64>)>;

fn categorical_block(
    column_name: &str,
    reference: Option<&LevelRef>,
    levels: Option<&Vec<LevelRef>>,
    df: &DataFrame,
    full: bool,
) -> Result<Block> {
    let col = column(df, column_name)?;
    let (labels, mut found) = categories(col)?;
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
                    "reference level `{r}` is not a level of the column; its levels are: {}",
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
    let skip = usize::from(!full);
    Ok(found
        .iter()
        .skip(skip)
        .map(|lvl| {
            let values = labels
                .iter()
                .map(|l| if l == lvl { 1.0 } else { 0.0 })
                .collect();
            (format!("{column_name}[{lvl}]"), values)
        })
        .collect())
}

fn factor_key(f: &Factor) -> String {
    f.label()
}

/// A categorical factor: its column, and the reference and level order asked for.
type CategoricalSpec<'a> = (String, Option<&'a LevelRef>, Option<&'a Vec<LevelRef>>);

/// A bare name of a text column is categorical, as in R.
fn as_categorical<'a>(factor: &'a Factor, df: &DataFrame) -> Option<CategoricalSpec<'a>> {
    match factor {
        Factor::Categorical {
            column,
            reference,
            levels,
            ..
        } => Some((column.clone(), reference.as_ref(), levels.as_ref())),
        Factor::Numeric(Expr::Name { name, .. }) => df
            .column(name)
            .ok()
            .filter(|c| super::columns::is_text(c) || matches!(c.dtype(), DataType::Boolean))
            .map(|_| (name.clone(), None, None)),
        _ => None,
    }
}

fn term_blocks(
    term: &Term,
    df: &DataFrame,
    formula: &str,
    present: &HashSet<Vec<String>>,
) -> Result<Vec<Block>> {
    let keys: Vec<String> = term.factors.iter().map(factor_key).collect();
    term.factors
        .iter()
        .enumerate()
        .map(|(i, factor)| {
            if let Some((col, reference, levels)) = as_categorical(factor, df) {
                let mut rest: Vec<String> = keys
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, k)| k.clone())
                    .collect();
                rest.sort();
                let full = !present.contains(&rest);
                return categorical_block(&col, reference, levels, df, full);
            }
            match factor {
                Factor::Numeric(e) => {
                    let label = factor.label();
                    let values = eval_numeric(e, df, formula)?;
                    check_finite(&values, &label, "check the column and the transformation")?;
                    Ok(vec![(label, values)])
                }
                Factor::Call { func, .. } => Err(Error::model(format!(
                    "`{}`: the function `{func}` is not supported as a model term yet",
                    factor.label()
                ))),
                Factor::Categorical { .. } => unreachable!("handled above"),
            }
        })
        .collect()
}

/// Row-wise products of the blocks, the first factor varying fastest (R's column order).
fn interact(blocks: Vec<Block>) -> Block {
    let mut acc: Block = Vec::new();
    for (k, block) in blocks.into_iter().enumerate() {
        if k == 0 {
            acc = block;
            continue;
        }
        let mut next = Vec::with_capacity(acc.len() * block.len());
        for (name_b, vb) in &block {
            for (name_a, va) in &acc {
                let v = va.iter().zip(vb).map(|(a, b)| a * b).collect();
                next.push((format!("{name_a}:{name_b}"), v));
            }
        }
        acc = next;
    }
    acc
}

pub(super) fn encode(f: &ParsedFormula, df: &DataFrame, opts: &FrameOptions) -> Result<ModelFrame> {
    let n = df.height();
    let text = f.text.as_str();
    // Response.
    let (y, mut weights, response) = match &f.response {
        Response::Single(e) => {
            let label = e.to_string();
            let y = eval_numeric(e, df, text)?;
            check_finite(&y, &label, "the response must be a finite number")?;
            (y, None, label)
        }
        Response::Cbind(a, b) => {
            let s = eval_numeric(a, df, text)?;
            let fl = eval_numeric(b, df, text)?;
            check_finite(&s, &a.to_string(), "successes must be finite")?;
            check_finite(&fl, &b.to_string(), "failures must be finite")?;
            if let Some(i) = s.iter().chain(&fl).position(|v| *v < 0.0) {
                let (what, row) = if i < n {
                    (a.to_string(), i)
                } else {
                    (b.to_string(), i - n)
                };
                return Err(Error::data(
                    Some(&what),
                    Some(row),
                    "cbind(successes, failures) needs counts >= 0",
                ));
            }
            let trials: Vec<f64> = s.iter().zip(&fl).map(|(s, f)| s + f).collect();
            let y = s
                .iter()
                .zip(&trials)
                .map(|(s, t)| if *t == 0.0 { 0.0 } else { s / t })
                .collect();
            (y, Some(trials), format!("cbind({a}, {b})"))
        }
    };
    if let Some(wcol) = &opts.weights {
        let w = numeric(column(df, wcol)?)?;
        check_finite(&w, wcol, "weights must be finite numbers >= 0")?;
        if let Some(i) = w.iter().position(|v| *v < 0.0) {
            return Err(Error::data(
                Some(wcol),
                Some(i),
                format!("weights must be >= 0, found {}", w[i]),
            ));
        }
        weights = Some(match weights {
            Some(t) => t.iter().zip(&w).map(|(t, w)| t * w).collect(),
            None => w,
        });
    }
    // Offset.
    let mut offset: Option<Vec<f64>> = None;
    let mut add_offset = |values: Vec<f64>, what: &str, hint: &str| -> Result<()> {
        check_finite(&values, what, hint)?;
        offset = Some(match offset.take() {
            Some(o) => o.iter().zip(&values).map(|(a, b)| a + b).collect(),
            None => values,
        });
        Ok(())
    };
    for e in &f.offsets {
        let label = format!("offset({e})");
        add_offset(
            eval_numeric(e, df, text)?,
            &label,
            "an offset must be finite (log of a zero exposure?)",
        )?;
    }
    if let Some(c) = &opts.offset {
        add_offset(numeric(column(df, c)?)?, c, "an offset must be finite")?;
    }
    if let Some(c) = &opts.exposure {
        let e = numeric(column(df, c)?)?;
        if let Some(i) = e.iter().position(|v| !v.is_finite() || *v <= 0.0) {
            return Err(Error::data(
                Some(c),
                Some(i),
                format!("exposure must be a positive finite number, found {}; drop rows with zero exposure", e[i]),
            ));
        }
        add_offset(e.iter().map(|v| v.ln()).collect(), c, "")?;
    }
    // Design.
    let mut names = Vec::new();
    let mut cols = Vec::new();
    let mut present: HashSet<Vec<String>> = HashSet::new();
    if f.intercept {
        names.push("Intercept".to_string());
        cols.push(vec![1.0; n]);
        present.insert(Vec::new());
    }
    for term in &f.terms {
        let blocks = term_blocks(term, df, text, &present)?;
        let has_cat = term
            .factors
            .iter()
            .any(|fa| as_categorical(fa, df).is_some());
        for (name, values) in interact(blocks) {
            names.push(name);
            cols.push(values);
        }
        let mut key: Vec<String> = term.factors.iter().map(factor_key).collect();
        key.sort();
        present.insert(key);
        // Without an intercept only the first categorical term is coded in full, as R does.
        if has_cat {
            present.insert(Vec::new());
        }
    }
    if names.is_empty() {
        return Err(Error::model(
            "the model has no columns: no intercept and no terms; add a term or remove `- 1`",
        ));
    }
    let design = DenseDesign::from_columns(names, cols)?;
    Ok(ModelFrame {
        design,
        y,
        weights,
        offset,
        rows_dropped: 0,
        rows: (0..n).collect(),
        response,
        has_intercept: f.intercept,
    })
}
