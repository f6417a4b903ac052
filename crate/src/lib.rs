//! rustystats: fast, correct generalized linear models.
pub mod formula;
pub mod stats;
