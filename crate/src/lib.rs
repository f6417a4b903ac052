//! rustystats: fast, correct generalized linear models.
#![warn(missing_docs)]
pub mod design;
pub mod diagnostics;
pub mod error;
pub mod family;
pub mod formula;
#[cfg(feature = "frame")]
pub mod frame;
pub mod inference;
pub mod linalg;
pub mod link;
pub mod model;
#[cfg(feature = "plot")]
pub mod plot;
pub mod prelude;
pub mod report;
mod scan;
pub mod solver;
pub mod spline;
pub mod stats;

pub use error::{Error, Result};
#[cfg(feature = "frame")]
pub use polars;
