//! One `use rustystats::prelude::*;` for notebooks and scripts: the model API and, with the
//! `frame` feature, everything polars' own prelude brings (`DataFrame`, `df!`, the `ChunkedArray`
//! traits behind `df.column("x")?.f64()?.sum()`, the CSV and parquet readers, and the lazy API:
//! `lazy()`, `col`, `lit`, `when`), so a notebook needs no other `:dep` and no other `use`.
//!
//! polars' prelude comes in by a glob, rustystats' names by name: a name imported by name wins
//! over the same name from a glob, so `Error`, `Result`, `Family`, `Link`, `Table` and the other
//! names below are rustystats' (polars' error and result types are `PolarsError` and
//! `PolarsResult`). The test at the end checks that.
//!
//! ```
//! use rustystats::prelude::*;
//!
//! let df = df!("x" => [1.0, 2.0, 3.0], "g" => ["a", "b", "a"])?;
//! assert_eq!(df.column("x")?.f64()?.sum(), Some(6.0));
//! let by_g = df.clone().lazy().group_by([col("g")]).agg([col("x").sum()]).collect()?;
//! assert_eq!(by_g.height(), 2);
//! let big = df.lazy().filter(col("x").gt(lit(1.5))).with_columns([(col("x") * lit(2.0)).alias("x2")]).collect()?;
//! assert_eq!(big.column("x2")?.f64()?.sum(), Some(10.0));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub use crate::diagnostics::ResidualKind;
pub use crate::error::{Error, Result};
pub use crate::family::Family;
pub use crate::inference::CovType;
pub use crate::link::Link;
pub use crate::model::{
    fit, fit_path, fit_penalized, lr_test, wald_test, CvFit, ElasticNet, GlmData, GlmFit,
    GlmOptions, PathFit, PenalizedFit,
};
#[cfg(feature = "plot")]
pub use crate::plot::{CoefficientPath, CvCurve, Figure};
pub use crate::report::Table;
pub use crate::solver::IrlsOptions;

#[cfg(feature = "frame")]
pub use crate::frame::{
    column_values, glm, read_data, CvModel, GlmModel, PathModel, PenalizedModel, PredictType,
    Prediction, Predictor, ResultFrame,
};
#[cfg(feature = "frame")]
pub use polars::prelude::*;

#[cfg(all(test, feature = "frame"))]
mod tests {
    /// rustystats' names win over polars' prelude: each `super::` name is rustystats' own item
    /// (an identity function from one to the other only compiles when they are one type, and a
    /// name that both preludes brought would be ambiguous).
    #[test]
    fn names_are_rustystats() {
        let _: fn(super::Error) -> crate::error::Error = |x| x;
        let _: fn(super::Result<()>) -> crate::error::Result<()> = |x| x;
        let _: fn(super::Family) -> crate::family::Family = |x| x;
        let _: fn(super::Link) -> crate::link::Link = |x| x;
        let _: fn(super::Table) -> crate::report::Table = |x| x;
        let _: fn(super::CovType) -> crate::inference::CovType = |x| x;
        let _: fn(super::ResidualKind) -> crate::diagnostics::ResidualKind = |x| x;
        let _: fn(super::PredictType) -> crate::frame::PredictType = |x| x;
        let _: fn(super::GlmOptions) -> crate::model::GlmOptions = |x| x;
        let _: fn(super::IrlsOptions) -> crate::solver::IrlsOptions = |x| x;
        let _: fn(super::CvModel) -> crate::frame::CvModel = |x| x;
        let _: fn(super::ElasticNet) -> crate::model::ElasticNet = |x| x;
    }

    #[test]
    fn polars_prelude_is_in_scope() {
        use super::*;
        let df = df!("x" => [1.0, 2.0, 3.0]).unwrap();
        // ChunkAgg (sum) comes from polars' prelude
        assert_eq!(df.column("x").unwrap().f64().unwrap().sum(), Some(6.0));
        let _: fn(&DataFrame, &str) -> Result<Vec<f64>> = column_values;
    }
}
