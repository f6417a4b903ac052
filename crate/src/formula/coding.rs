//! R's rule for coding a categorical factor inside a term (`model.matrix` after
//! `terms.formula`): the factor is coded by contrasts (treatment coding: the reference level
//! dropped) when the term without it is already in the model, and otherwise by indicators
//! for every level. Without an intercept the first term with a categorical factor is the one
//! that takes the intercept's place and gets every level.

use std::collections::HashSet;

/// One factor of a term as the coding rule sees it: its identity (the same factor in two terms
/// has the same key) and whether it is categorical.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodingFactor {
    /// The factor's identity, e.g. `C(Area)` or `DrivAge`.
    pub key: String,
    /// Whether the factor is categorical (only those are coded by contrasts or in full).
    pub categorical: bool,
}

/// For every term in model order, for each of its factors: whether it is a categorical
/// factor coded by indicators for every level (`true`), rather than by contrasts or as a
/// numeric column (`false`).
///
/// ```
/// use rustystats::formula::{full_coding, CodingFactor};
/// let f = |key: &str, categorical| CodingFactor { key: key.into(), categorical };
/// // y ~ a:x with no main effect of `a`: `a` is coded in full within the interaction;
/// // y ~ a + a:x: the main effect `a` is coded by contrasts, `a` in `a:x` in full (no `x`).
/// let terms = vec![vec![f("a", true)], vec![f("a", true), f("x", false)]];
/// assert_eq!(full_coding(true, &terms), vec![vec![false], vec![true, false]]);
/// // Without an intercept the first categorical term takes its place.
/// assert_eq!(full_coding(false, &terms[..1]), vec![vec![true]]);
/// ```
pub fn full_coding(intercept: bool, terms: &[Vec<CodingFactor>]) -> Vec<Vec<bool>> {
    // Terms already in the model, as sorted factor keys; the empty key is the intercept.
    let mut present: HashSet<Vec<&str>> = HashSet::new();
    if intercept {
        present.insert(Vec::new());
    }
    let mut coding = Vec::with_capacity(terms.len());
    for term in terms {
        let full: Vec<bool> = term
            .iter()
            .enumerate()
            .map(|(i, factor)| {
                factor.categorical && {
                    let mut rest: Vec<&str> = term
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| *j != i)
                        .map(|(_, other)| other.key.as_str())
                        .collect();
                    rest.sort_unstable();
                    !present.contains(&rest)
                }
            })
            .collect();
        let mut key: Vec<&str> = term.iter().map(|f| f.key.as_str()).collect();
        key.sort_unstable();
        present.insert(key);
        if term.iter().any(|f| f.categorical) {
            // Without an intercept only the first categorical term is coded in full.
            present.insert(Vec::new());
        }
        coding.push(full);
    }
    coding
}
