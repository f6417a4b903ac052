//! Inference on the coefficients of a fit, from plain inputs (the design, the per-row scores, a
//! covariance): robust covariances (R `sandwich` conventions) and Wald, chi-squared and F tests.
//! The fitted model (the layer above) builds its coefficient table and its tests from these.

mod hypothesis;
mod robust;
mod row_terms;

pub use hypothesis::{chi2_test, f_test, wald, TestResult};
pub(crate) use robust::robust_covariance;
pub use robust::CovType;
pub(crate) use row_terms::RowTerms;
