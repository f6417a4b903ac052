//! Coefficients with no finite maximum-likelihood estimate.
//!
//! Take a column with no negative entry (an indicator of a factor level, say) such that every
//! row where it is non-zero has a response of 0: a level without claims. Lowering that
//! column's coefficient lowers the fitted means of those rows only, and for a count family
//! under the log link (or a binomial family under a link onto (0, 1)) each of them then gains
//! likelihood. The likelihood rises without end as the coefficient goes to minus infinity:
//! the estimate does not exist. For the binomial families the same holds toward plus
//! infinity when every such row has the response 1.
//!
//! R's `glm` stops on its deviance rule with such a coefficient near -20 and an enormous
//! standard error, and says it converged. IRLS here proves which coefficients diverge (the
//! check above, exact in floating point because it sums non-negative terms), reports them,
//! and applies its step rule to the other coefficients, which do converge: they tend to the
//! estimates without the rows of that level.

use super::irls::IrlsInput;
use crate::family::Family;
use crate::link::Link;

/// A coefficient with no finite estimate: the likelihood keeps rising as it goes to
/// `sign * infinity`. The value reported for it is where the fit stopped.
///
/// ```
/// use rustystats::solver::Diverging;
/// let d = Diverging { column: 2, name: "C(Area)[T.B]".into(), sign: -1.0 };
/// assert_eq!(d.to_string(), "C(Area)[T.B] (toward -inf)");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Diverging {
    /// The design column.
    pub column: usize,
    /// The column's name.
    pub name: String,
    /// -1 when the estimate runs to minus infinity (no events), +1 to plus infinity.
    pub sign: f64,
}

impl std::fmt::Display for Diverging {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let to = if self.sign < 0.0 { "-inf" } else { "+inf" };
        write!(f, "{} (toward {to})", self.name)
    }
}

/// Whether the family and link can have a coefficient run to minus infinity (response 0
/// everywhere in the column's rows) and to plus infinity (response 1 everywhere).
fn directions(family: Family, link: Link) -> (bool, bool) {
    let onto_unit = matches!(link, Link::Logit | Link::Probit | Link::Cloglog);
    let log = matches!(link, Link::Log) || link == Link::Power(0.0);
    match family {
        Family::Poisson | Family::QuasiPoisson | Family::NegativeBinomial { .. } => (log, false),
        Family::Tweedie { var_power } if (1.0..2.0).contains(&var_power) => (log, false),
        Family::Binomial | Family::QuasiBinomial => (onto_unit || log, onto_unit),
        _ => (false, false),
    }
}

/// The columns of `keep` whose coefficient has no finite estimate, in `keep`'s order.
pub(crate) fn diverging_columns(inp: &IrlsInput<'_>, keep: &[usize]) -> Vec<Diverging> {
    let (down, up) = directions(inp.family, inp.link);
    let (x, y, w) = (inp.x, inp.y, inp.weights);
    if !(down || up) || w.iter().any(|&w| w < 0.0) {
        return Vec::new();
    }
    let totals = |v: Vec<f64>| {
        let mut out = vec![0.0; x.ncols()];
        x.transpose_matvec(&v, &mut out);
        out
    };
    let rows = totals(w.to_vec());
    let events = totals(w.iter().zip(y).map(|(w, y)| w * y).collect());
    let non_events = if up {
        totals(w.iter().zip(y).map(|(w, y)| w * (1.0 - y)).collect())
    } else {
        Vec::new()
    };
    let nonnegative = x.nonnegative_columns();
    keep.iter()
        .filter(|&&j| nonnegative[j] && rows[j] > 0.0)
        .filter_map(|&j| {
            let sign = if down && events[j] == 0.0 {
                -1.0
            } else if up && non_events[j] == 0.0 {
                1.0
            } else {
                return None;
            };
            let name = x.column_names()[j].clone();
            Some(Diverging {
                column: j,
                name,
                sign,
            })
        })
        .collect()
}

/// The diverging coefficients of a fit, looked for once: when the fit meets R's deviance
/// rule and not the step rule (a fit that settles never pays for the look).
#[derive(Default)]
pub(crate) struct Divergence {
    found: Option<Vec<Diverging>>,
}

impl Divergence {
    /// `keep` and the step `d` (one entry per kept column) without the diverging
    /// coefficients, or `None` when no coefficient diverges.
    pub(crate) fn without(
        &mut self,
        inp: &IrlsInput<'_>,
        keep: &[usize],
        d: &[f64],
    ) -> Option<(Vec<usize>, Vec<f64>)> {
        let found = self
            .found
            .get_or_insert_with(|| diverging_columns(inp, keep));
        if found.is_empty() {
            return None;
        }
        Some(
            keep.iter()
                .zip(d)
                .filter(|(j, _)| !found.iter().any(|f| f.column == **j))
                .unzip(),
        )
    }

    /// The diverging coefficients found (none if the fit never looked).
    pub(crate) fn into_found(self) -> Vec<Diverging> {
        self.found.unwrap_or_default()
    }
}

/// The warning that names the diverging coefficients, `None` without any.
pub(crate) fn diverging_warning(diverging: &[Diverging]) -> Option<String> {
    let names: Vec<String> = diverging.iter().map(ToString::to_string).collect();
    let response = |d: &Diverging| if d.sign < 0.0 { "0 (no events)" } else { "1" };
    let why = match diverging {
        [] => return None,
        [d] => format!(
            "every row where this column is non-zero has the response {}, so the likelihood \
             keeps rising as its coefficient goes to {}inf. Its value and standard error are",
            response(d),
            if d.sign < 0.0 { "-" } else { "+" }
        ),
        _ => "in the rows where such a column is non-zero the response is always 0 (toward \
              -inf) or always 1 (toward +inf), so the likelihood keeps rising as the \
              coefficient goes to that infinity. Their values and standard errors are"
            .to_string(),
    };
    Some(format!(
        "no finite estimate for {}: {why} where the fit stopped, not estimates; the other \
         coefficients converged as if those rows were left out. Merge the level with a \
         neighbour or leave its rows out",
        names.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::DenseDesign;

    /// Rows 0-2 have the response 0; the indicator of those rows diverges, a column that is
    /// also non-zero elsewhere or negative somewhere does not.
    #[test]
    fn finds_the_columns_proven_to_diverge() {
        let y = [0.0, 0.0, 0.0, 1.0, 0.0, 1.0];
        let names = ["one", "zero rows", "spread", "signed"]
            .map(String::from)
            .to_vec();
        let x = DenseDesign::from_columns(
            names,
            vec![
                vec![1.0; 6],
                vec![1.0, 1.0, 1.0, 0.0, 0.0, 0.0],
                vec![1.0, 0.0, 0.0, 2.0, 0.0, 0.0],
                vec![-1.0, 1.0, 0.0, 0.0, 0.0, 0.0],
            ],
        )
        .unwrap();
        let w = [1.0; 6];
        let keep = [0, 1, 2, 3];
        let found = |family, link| {
            let inp = IrlsInput {
                x: &x,
                y: &y,
                weights: &w,
                offset: &[0.0; 6],
                family,
                link,
            };
            diverging_columns(&inp, &keep)
        };
        let zero_rows = |sign| Diverging {
            column: 1,
            name: "zero rows".into(),
            sign,
        };
        assert_eq!(found(Family::Poisson, Link::Log), vec![zero_rows(-1.0)]);
        assert_eq!(found(Family::Binomial, Link::Logit), vec![zero_rows(-1.0)]);
        assert_eq!(found(Family::Poisson, Link::Identity), vec![]);
        assert_eq!(found(Family::Gaussian, Link::Identity), vec![]);
        // Every response 1 in the rows of "zero rows": toward +inf under a logit link only.
        let y: Vec<f64> = y.iter().map(|y| 1.0 - y).collect();
        let inp = |link| IrlsInput {
            x: &x,
            y: &y,
            weights: &w,
            offset: &[0.0; 6],
            family: Family::Binomial,
            link,
        };
        assert_eq!(
            diverging_columns(&inp(Link::Logit), &keep),
            vec![zero_rows(1.0)]
        );
        assert_eq!(diverging_columns(&inp(Link::Log), &keep), vec![]);
        // A column left out of `keep` (aliased) is not looked at.
        assert_eq!(diverging_columns(&inp(Link::Logit), &[0, 2, 3]), vec![]);
    }
}
