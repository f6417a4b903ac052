//! rustystats: fast, correct generalized linear models.
//!
//! # Layers
//!
//! The modules form layers; a module imports only from its own line or from lines below it,
//! and modules on one line never import each other in a circle (`tests/core/layers.rs`
//! checks every `crate::` path in `src/` against this list):
//!
//! ```text
//! display plot prelude
//! frame
//! report
//! diagnostics
//! model
//! inference
//! solver
//! design family link
//! error formula linalg scan spline stats
//! ```
//!
//! From the top: what a person sees (notebook displays, charts, the standalone HTML report,
//! and the `rustystats` command-line tool in its own package); the polars frame layer
//! (formulas on a DataFrame, the stored model spec, predict); pure text and HTML formatting
//! of results; diagnostics on plain slices; a fitted model and its tests; robust covariances
//! and test statistics; the IRLS solver; the design matrix, families and links; and the
//! numerical and formula building blocks. Only `display` implements `evcxr_display`.
#![warn(missing_docs)]
pub mod design;
pub mod diagnostics;
pub mod display;
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
