//! The per-row quantities a robust covariance is built from.

use crate::link::LinkFunction;
use crate::solver::IrlsInput;

/// Per-row quantities for robust covariances: the score contribution `u_i` (so that the
/// score is `sum u_i x_i`) and the working weight.
pub(crate) struct RowTerms {
    pub(crate) score: Vec<f64>,
    pub(crate) working_weights: Vec<f64>,
    pub(crate) prior_weights: Vec<f64>,
}

impl RowTerms {
    pub(crate) fn new(input: &IrlsInput<'_>, mu: &[f64], eta: &[f64], ww: &[f64]) -> Self {
        let score = (0..mu.len())
            .map(|i| {
                let w = input.weights[i];
                if w == 0.0 {
                    0.0
                } else {
                    w * (input.y[i] - mu[i]) * input.link.mu_eta(eta[i])
                        / input.family.variance(mu[i])
                }
            })
            .collect();
        RowTerms {
            score,
            working_weights: ww.to_vec(),
            prior_weights: input.weights.to_vec(),
        }
    }
}
