//! The deviance of a fit: the sum of the family's unit deviances, weighted by the prior weights.

use super::Family;
use crate::design::chunked_sum;

/// The deviance `sum w d(y, mu)`.
pub fn deviance(family: &Family, y: &[f64], mu: &[f64], w: &[f64]) -> f64 {
    deviance_at(family, y, w, |i| mu[i])
}

/// The deviance `sum w d(y, mu(i))` with the mean of row `i` given by `mu(i)`.
pub(crate) fn deviance_at(
    family: &Family,
    y: &[f64],
    w: &[f64],
    mu: impl Fn(usize) -> f64 + Sync,
) -> f64 {
    chunked_sum(y.len(), |i| {
        if w[i] == 0.0 {
            0.0
        } else {
            w[i] * family.unit_deviance(y[i], mu(i))
        }
    })
}
