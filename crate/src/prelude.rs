//! One `use rustystats::prelude::*;` for notebooks and scripts: the model API and, with the
//! `frame` feature, polars' prelude (so a notebook needs no other `:dep`).

pub use crate::diagnostics::ResidualKind;
pub use crate::error::{Error, Result};
pub use crate::family::Family;
pub use crate::inference::CovType;
pub use crate::link::Link;
pub use crate::model::{fit, lr_test, wald_test, GlmData, GlmFit, GlmOptions};
#[cfg(feature = "plot")]
pub use crate::plot::Figure;
pub use crate::report::Table;
pub use crate::solver::IrlsOptions;

#[cfg(feature = "frame")]
pub use crate::frame::{
    column_values, glm, read_data, GlmModel, PredictType, Predictor, ResultFrame,
};
#[cfg(feature = "frame")]
pub use polars::prelude::{df, BooleanChunked, Column, DataFrame, DataType, NamedFrom, Series};
