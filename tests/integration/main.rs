//! Every test that needs the frame layer, the charts or the command-line tool, in one binary:
//! references against R and statsmodels, the formula layer, the model API, the error catalog,
//! the diagnostics and the tool's contract.

#[path = "../common/mod.rs"]
mod common;

mod answers;
mod block_design;
mod catalog;
mod cli;
mod diagnostics;
mod formula_reference;
mod highcard;
mod model_api;
mod penalized;
mod reference;
mod reference_extra;
