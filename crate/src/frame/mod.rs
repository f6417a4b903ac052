//! The frame layer: a formula evaluated on a polars DataFrame gives the design matrix, the
//! response, weights and offset.
//!
//! Missing values follow R's default (`na.omit`): a row with a missing value (null, or NaN in
//! a float column) in any column the model uses is dropped, and the count is reported in
//! [`ModelFrame::rows_dropped`]. Non-finite values produced by a transformation (`log(0)`) are
//! an error naming the column and row.

mod columns;
mod cv;
mod diagnostics;
mod display;
pub mod encode;
pub mod levels;
mod model;
mod penalized;
mod prediction;
pub mod progress;
#[cfg(feature = "plot")]
mod saved;
mod spec;
mod splines;
mod tables;

pub use columns::{column_values, read_data, suggest};
pub use cv::{CvBuilder, CvModel, Folds};
pub use display::{ResultFrame, SummaryView};
pub use encode::ModelFrame;
pub use model::{glm, GlmBuilder, GlmModel, PredictType, Predictor, PreparedFit};
pub use penalized::{PathBuilder, PathModel, PenalizedModel, PenaltyBuilder};
pub use prediction::Prediction;
pub use spec::{FactorSpec, ModelSpec, ResponseSpec, TermSpec, SCHEMA_VERSION};
pub use splines::SplineBasis;

use polars::prelude::*;
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::formula::{self, Expr, Factor, ParsedFormula, Response};

/// Extra columns that are not in the formula.
#[derive(Debug, Clone, Default)]
pub struct FrameOptions {
    /// Prior weights column (for binomial proportions: the number of trials).
    pub weights: Option<String>,
    /// Exposure column: `log(exposure)` is added to the offset.
    pub exposure: Option<String>,
    /// Offset column, added to the linear predictor as it is.
    pub offset: Option<String>,
}

/// Every data column the model reads.
fn used_columns(f: &ParsedFormula, opts: &FrameOptions) -> Vec<String> {
    let mut cols: Vec<String> = Vec::new();
    let mut add = |names: Vec<String>| {
        for n in names {
            if !cols.contains(&n) {
                cols.push(n);
            }
        }
    };
    match &f.response {
        Response::Single(e) => add(e.columns()),
        Response::Cbind(a, b) => {
            add(a.columns());
            add(b.columns());
        }
    }
    for term in &f.terms {
        for factor in &term.factors {
            match factor {
                Factor::Numeric(e) => add(e.columns()),
                Factor::Categorical { column, .. } => add(vec![column.clone()]),
                // Only the variable (the first argument without a keyword) reads the data;
                // the others are numbers, checked with the basis, so an unknown keyword such as
                // `intercept=TRUE` is reported as an argument, not as a missing column `TRUE`.
                Factor::Call { args, .. } => {
                    if let Some(a) = args.iter().find(|a| a.name.is_none()) {
                        add(a.value.columns());
                    }
                }
            }
        }
    }
    for o in &f.offsets {
        add(o.columns());
    }
    for c in [&opts.weights, &opts.exposure, &opts.offset]
        .into_iter()
        .flatten()
    {
        add(vec![c.clone()]);
    }
    cols
}

/// Parses `formula` and evaluates it on `df`.
///
/// ```
/// use polars::prelude::*;
/// use rustystats::frame::{model_frame, FrameOptions};
/// let df = df!("y" => [1.0, 2.0, 4.0], "x" => [0.0, 1.0, 2.0], "g" => ["a", "b", "a"]).unwrap();
/// let mf = model_frame("y ~ x + C(g)", &df, &FrameOptions::default()).unwrap();
/// assert_eq!(mf.names(), &["Intercept", "x", "g[b]"]);
/// ```
pub fn model_frame(formula: &str, df: &DataFrame, opts: &FrameOptions) -> Result<ModelFrame> {
    let parsed = formula::parse(formula)?;
    if df.height() == 0 {
        return Err(Error::data(None, None, "the data has no rows"));
    }
    let cols = used_columns(&parsed, opts);
    let mut keep = vec![true; df.height()];
    // Masks only of the columns that have a missing value.
    let masks: Vec<Option<Vec<bool>>> = cols
        .par_iter()
        .map(|name| {
            let col = columns::column(df, name)?;
            Ok(if columns::has_missing(col) {
                Some(columns::missing_mask(col)?)
            } else {
                None
            })
        })
        .collect::<Result<_>>()?;
    for mask in masks.into_iter().flatten() {
        for (k, m) in keep.iter_mut().zip(mask) {
            *k = *k && !m;
        }
    }
    let rows_dropped = keep.iter().filter(|k| !**k).count();
    if rows_dropped == df.height() {
        return Err(Error::data(
            None,
            None,
            format!(
                "every row has a missing value in at least one of the model's columns ({}); \
                 no rows are left to fit",
                cols.join(", ")
            ),
        ));
    }
    let data = if rows_dropped > 0 {
        let mask: BooleanChunked = keep.iter().copied().collect();
        df.filter(&mask)
            .map_err(|e| Error::data(None, None, format!("cannot drop missing rows: {e}")))?
    } else {
        df.clone()
    };
    let rows: Vec<usize> = (0..df.height()).filter(|&i| keep[i]).collect();
    // Errors name rows of the data as given, not of the rows left after dropping.
    let at = |e: Error| e.map_row(&rows);
    let (spec, codings) = ModelSpec::learn_coded(&parsed, &data, opts).map_err(at)?;
    let (y, trials, response) = encode::response(&spec, &data).map_err(at)?;
    let design = encode::design_coded(&spec, &data, codings).map_err(at)?;
    Ok(ModelFrame {
        design,
        y,
        weights: encode::weights(&spec, &data, trials).map_err(at)?,
        offset: encode::offset(&spec, &data).map_err(at)?,
        rows_dropped,
        rows,
        response,
        spec,
    })
}

/// Evaluates an arithmetic expression on the data's columns.
pub(crate) fn eval_numeric(expr: &Expr, df: &DataFrame, formula: &str) -> Result<Vec<f64>> {
    let mut failure: Option<Error> = None;
    let n = df.height();
    let result = expr.eval_numeric(n, &mut |name, span| {
        let found = columns::column(df, name).and_then(columns::numeric);
        found.map_err(|e| {
            let msg = e.to_string();
            failure = Some(e);
            formula::FormulaError::new(formula::ErrorKind::UnknownColumn, msg, span, formula)
        })
    });
    match (result, failure) {
        (_, Some(e)) => Err(e),
        (Ok(v), None) => Ok(v),
        (Err(e), None) => Err(Error::Formula(e.with_formula(formula))),
    }
}

/// Cluster labels of column `name` as codes 0..G, for the given rows (a [`ModelFrame`]'s
/// `rows`). A missing label is an error naming the row.
pub fn cluster_codes(df: &DataFrame, name: &str, rows: &[usize]) -> Result<Vec<usize>> {
    let col = columns::column(df, name)?;
    let missing = columns::missing_mask(col)?;
    if let Some(&r) = rows.iter().find(|&&r| missing[r]) {
        return Err(Error::data(
            Some(name),
            Some(r),
            "the cluster label is missing; every row in the model needs one",
        ));
    }
    let (labels, levels) = levels::categories(col)?;
    let index: std::collections::HashMap<&str, usize> = levels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    Ok(rows.iter().map(|&r| index[labels[r].as_str()]).collect())
}
