//! Encoding a DataFrame with a [`ModelSpec`]: the same code builds the training design and
//! the design of new data at predict time, so both are encoded identically.

use polars::prelude::*;
use rayon::prelude::*;

use super::columns::{column, find, first_text, is_text, numeric, shared_numeric};
use super::eval_numeric;
use std::collections::HashMap;
use std::sync::Mutex;

use super::levels::{level_codes, Coding};
use super::spec::{interaction, FactorSpec, ModelSpec, ResponseSpec};
use crate::design::{
    Block, BlockDesign, CatCatBlock, CatNumBlock, CategoricalBlock, ColumnValues, DenseColumns,
};
use crate::error::{Error, Result};
use crate::formula::{parse_expression, Expr};

/// The model's data after the formula is applied.
#[derive(Debug, Clone)]
pub struct ModelFrame {
    /// The design matrix, columns named as in R (`Intercept`, `x`, `g[b]`, `x:g[b]`).
    pub design: BlockDesign,
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
    if let Some(i) = crate::scan::first_where(values, |v: f64| !v.is_finite()) {
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

/// One factor of a term evaluated on the data.
enum Evaluated {
    /// Dense columns (a number, or a spline basis).
    Dense(Vec<ColumnValues>),
    /// A categorical as level codes.
    Codes {
        codes: Vec<u32>,
        n_levels: usize,
        full: bool,
    },
}

impl Evaluated {
    /// The factor as dense columns (indicator columns for a categorical).
    fn into_dense(self) -> Vec<ColumnValues> {
        match self {
            Evaluated::Dense(cols) => cols,
            Evaluated::Codes {
                codes,
                n_levels,
                full,
            } => {
                let skip = usize::from(!full);
                let mut cols = vec![vec![0.0; codes.len()]; n_levels - skip];
                for (row, &k) in codes.iter().enumerate() {
                    if let Some(col) = (k as usize).checked_sub(skip) {
                        cols[col][row] = 1.0;
                    }
                }
                cols.into_iter().map(ColumnValues::from).collect()
            }
        }
    }
}

/// Codes of categorical columns already read from the data, by column name; each is taken
/// by the first term that needs it.
type Codings = Mutex<HashMap<String, Coding>>;

/// The values of a term that is a column's bare name, shared with the DataFrame when they
/// can be (floating-point, one chunk, no missing values).
fn bare_column(expr: &str, df: &DataFrame) -> Option<ColumnValues> {
    match parse_expression(expr).ok()? {
        Expr::Name { name, .. } => shared_numeric(find(df, &name)?),
        _ => None,
    }
}

/// One factor evaluated on `df`.
fn evaluate(f: &FactorSpec, df: &DataFrame, formula: &str, known: &Codings) -> Result<Evaluated> {
    match f {
        FactorSpec::Numeric { label, expr } => {
            let v = match bare_column(expr, df) {
                Some(v) => v,
                None => eval_text(expr, df, formula)?.into(),
            };
            check_finite(&v, label, "check the column and the transformation")?;
            Ok(Evaluated::Dense(vec![v]))
        }
        FactorSpec::Spline { label, expr, basis } => {
            let x = eval_text(expr, df, formula)?;
            check_finite(&x, label, "a spline needs finite values")?;
            let columns = basis.basis(&x).into_iter().map(ColumnValues::from);
            Ok(Evaluated::Dense(columns.collect()))
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
            let taken = known.lock().ok().and_then(|mut m| m.remove(name.as_str()));
            if let Some(codes) = taken.and_then(|c| c.into_codes(levels)) {
                return Ok(Evaluated::Codes {
                    codes,
                    n_levels: levels.len(),
                    full: *full,
                });
            }
            let codes = level_codes(col, levels)?.map_err(|u| {
                Error::data(
                    Some(name),
                    Some(u.row),
                    format!(
                        "level `{}` was not seen when the model was fitted; the model knows: {}",
                        u.label,
                        levels.join(", ")
                    ),
                )
            })?;
            Ok(Evaluated::Codes {
                codes,
                n_levels: levels.len(),
                full: *full,
            })
        }
    }
}

/// The element-wise products of the factors' columns, the first factor varying fastest (R's
/// column order for an interaction).
fn dense_product(factors: Vec<Evaluated>) -> Vec<ColumnValues> {
    interaction(factors.into_iter().map(Evaluated::into_dense), |a, b| {
        a.iter()
            .zip(b.iter())
            .map(|(x, y)| x * y)
            .collect::<Vec<_>>()
            .into()
    })
}

/// Dense columns waiting to become one block, so neighbouring dense terms share a block.
#[derive(Default)]
struct Pending {
    names: Vec<String>,
    columns: Vec<ColumnValues>,
}

impl Pending {
    fn flush(&mut self, blocks: &mut Vec<Block>) -> Result<()> {
        if !self.columns.is_empty() {
            let names = std::mem::take(&mut self.names);
            let columns = std::mem::take(&mut self.columns);
            blocks.push(DenseColumns::from_values(names, columns)?.into());
        }
        Ok(())
    }
}

/// The design matrix of `df` under `spec`, as blocks: numeric and spline columns dense,
/// categoricals and their two-way interactions (with a categorical or with one numeric
/// column) as level codes; other interactions as dense products.
pub fn design(spec: &ModelSpec, df: &DataFrame) -> Result<BlockDesign> {
    design_coded(spec, df, HashMap::new())
}

/// [`design`], given the codes of categorical columns of `df` found while learning `spec`
/// ([`ModelSpec::learn_coded`]).
pub(crate) fn design_coded(
    spec: &ModelSpec,
    df: &DataFrame,
    codings: HashMap<String, Coding>,
) -> Result<BlockDesign> {
    spec.check()?;
    let known = Mutex::new(codings);
    let n = df.height();
    let mut blocks: Vec<Block> = Vec::new();
    let mut pending = Pending::default();
    if spec.intercept {
        pending.names.push(spec.column_names[0].clone());
        pending.columns.push(vec![1.0; n].into());
    }
    // The terms are evaluated in parallel (level coding and expressions), then assembled.
    let evaluated = spec
        .terms
        .par_iter()
        .map(|term| {
            term.factors
                .iter()
                .map(|f| evaluate(f, df, &spec.formula, &known))
                .collect::<Result<Vec<_>>>()
        })
        .collect::<Result<Vec<_>>>()?;
    for (term, factors) in spec.terms.iter().zip(evaluated) {
        let names = spec.column_names[term.start..term.start + term.ncols].to_vec();
        let coded: Block = match <[Evaluated; 1]>::try_from(factors) {
            Ok(
                [Evaluated::Codes {
                    codes,
                    n_levels,
                    full,
                }],
            ) => CategoricalBlock::new(codes, n_levels, !full, names)?.into(),
            Ok([dense]) => {
                pending.names.extend(names);
                pending.columns.extend(dense.into_dense());
                continue;
            }
            Err(factors) => match two_way(factors, names)? {
                Ok(block) => block,
                Err((factors, names)) => {
                    pending.names.extend(names);
                    pending.columns.extend(dense_product(factors));
                    continue;
                }
            },
        };
        pending.flush(&mut blocks)?;
        blocks.push(coded);
    }
    pending.flush(&mut blocks)?;
    BlockDesign::new(blocks)
}

type NotCoded = (Vec<Evaluated>, Vec<String>);

/// A two-way interaction kept as codes (categorical by categorical, or categorical by one
/// numeric column); anything else is handed back.
fn two_way(
    factors: Vec<Evaluated>,
    names: Vec<String>,
) -> Result<std::result::Result<Block, NotCoded>> {
    let [a, b] = match <[Evaluated; 2]>::try_from(factors) {
        Ok(pair) => pair,
        Err(factors) => return Ok(Err((factors, names))),
    };
    Ok(Ok(match (a, b) {
        (
            Evaluated::Codes {
                codes: ca,
                n_levels: na,
                full: fa,
            },
            Evaluated::Codes {
                codes: cb,
                n_levels: nb,
                full: fb,
            },
        ) => {
            let cells = CatCatBlock::product_cells(na, !fa, nb, !fb);
            CatCatBlock::new(&ca, na, &cb, nb, cells, names)?.into()
        }
        (
            Evaluated::Codes {
                codes,
                n_levels,
                full,
            },
            Evaluated::Dense(mut v),
        )
        | (
            Evaluated::Dense(mut v),
            Evaluated::Codes {
                codes,
                n_levels,
                full,
            },
        ) if v.len() == 1 => {
            let values = v.pop().expect("one column");
            CatNumBlock::new(codes, n_levels, !full, values.to_vec(), names)?.into()
        }
        (a, b) => return Ok(Err((vec![a, b], names))),
    }))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::{model_frame, FrameOptions};

    #[test]
    fn a_bare_float_column_enters_the_design_without_a_copy() {
        let df = df!(
            "y" => [1.0, 2.0, 4.0, 3.0],
            "x" => [0.5, 1.0, 2.0, 1.5],
            "k" => [1i64, 2, 3, 4],
            "g" => ["a", "b", "a", "b"]
        )
        .unwrap();
        let mf = model_frame("y ~ x + k + log(x) + C(g)", &df, &FrameOptions::default()).unwrap();
        let Block::Dense(d) = &mf.design.blocks()[0] else {
            panic!("the first block holds the dense columns");
        };
        assert_eq!(d.names(), ["Intercept", "x", "k", "log(x)"]);
        let x = df.column("x").unwrap().f64().unwrap();
        let shared = x.downcast_iter().next().unwrap().values().as_ptr();
        assert!(std::ptr::eq(d.column(1).as_ptr(), shared));
        // Integers and transformations are computed into columns of their own.
        assert_eq!(d.column(2), [1.0, 2.0, 3.0, 4.0]);
        let logs: Vec<f64> = [0.5f64, 1.0, 2.0, 1.5].iter().map(|v| v.ln()).collect();
        assert_eq!(d.column(3), logs.as_slice());
    }
}
