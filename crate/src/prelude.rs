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
pub use crate::model::{fit, lr_test, wald_test, GlmData, GlmFit, GlmOptions};
#[cfg(feature = "plot")]
pub use crate::plot::Figure;
pub use crate::report::Table;
pub use crate::solver::IrlsOptions;

#[cfg(feature = "frame")]
pub use crate::frame::{
    column_values, glm, read_data, GlmModel, PredictType, Prediction, Predictor, ResultFrame,
};
#[cfg(feature = "frame")]
pub use polars::prelude::*;

#[cfg(all(test, feature = "frame"))]
mod tests {
    /// rustystats' names win over polars' prelude: each of these is rustystats' item (the
    /// function only compiles if every name resolves to it, without an ambiguity).
    #[allow(dead_code)]
    fn names_are_rustystats(
        e: super::Error,
        r: super::Result<()>,
        f: super::Family,
        l: super::Link,
        t: super::Table,
        c: super::CovType,
        k: super::ResidualKind,
        p: super::PredictType,
        o: super::GlmOptions,
        i: super::IrlsOptions,
    ) -> (
        crate::error::Error,
        crate::error::Result<()>,
        crate::family::Family,
        crate::link::Link,
        crate::report::Table,
        crate::inference::CovType,
        crate::diagnostics::ResidualKind,
        crate::frame::PredictType,
        crate::model::GlmOptions,
        crate::solver::IrlsOptions,
    ) {
        (e, r, f, l, t, c, k, p, o, i)
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
