//! The size of a step in standard errors, the second half of the convergence rule.

use super::diverging::{diverging_columns, without_directions, Diverging};
use super::problem::Problem;
use crate::linalg::Gram;

/// The size of the step `d` (over the kept columns) in standard-error units:
/// `sqrt(d' G d / dispersion)`.
fn std_errors(prob: &Problem<'_, '_>, g: &Gram, keep: &[usize], d: &[f64], dev: f64) -> f64 {
    let q = g.quad(keep, d);
    (q.max(0.0) / prob.dispersion(dev, keep.len())).sqrt()
}

/// The step rule: the step in standard errors, leaving out the coefficients with no finite
/// estimate (they move by about 1 an iteration for ever, while the others converge). It looks
/// for them (a pass over the data) only when asked, which the outer loop does once R's
/// deviance rule has held for an iteration and the step is still above the tolerance: a fit
/// that converges quadratically has met the step rule by then.
pub(super) struct StepRule {
    /// The diverging coefficients, once looked for.
    pub diverging: Option<Vec<Diverging>>,
}

impl StepRule {
    /// The size of the step `d` at `g` and deviance `dev`; `look`: whether to look for
    /// diverging coefficients when the step is above the tolerance.
    pub fn size(
        &mut self,
        prob: &Problem<'_, '_>,
        look: bool,
        g: &Gram,
        keep: &[usize],
        d: &[f64],
        dev: f64,
    ) -> f64 {
        let size = std_errors(prob, g, keep, d, dev);
        if size <= prob.step_tol() || !look {
            return size;
        }
        let found = self
            .diverging
            .get_or_insert_with(|| diverging_columns(prob.inp, keep));
        if found.is_empty() {
            return size;
        }
        match without_directions(g, keep, d, found) {
            Some(rest) => std_errors(prob, g, keep, &rest, dev),
            None => size,
        }
    }
}
