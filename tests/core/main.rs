//! The math core's tests: designs, IRLS and its equivalences, without a DataFrame or a chart,
//! so they also run with `cargo test -p rustystats --no-default-features`.

#[path = "../common/close.rs"]
mod close;
#[path = "../common/rng.rs"]
mod rng;

mod engine;
mod layers;
mod properties;
mod sampled_hessian;
