//! rustystats: fast, correct generalized linear models.
pub mod design;
pub mod error;
pub mod family;
pub mod formula;
#[cfg(feature = "frame")]
pub mod frame;
pub mod inference;
pub mod linalg;
pub mod link;
pub mod model;
pub mod report;
pub mod solver;
pub mod stats;

pub use error::{Error, Result};
