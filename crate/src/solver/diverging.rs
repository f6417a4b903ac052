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
//! The same holds for a combination of columns that is 0 or positive in every row: the
//! intercept minus the columns of a factor is the indicator of the factor's reference level,
//! and a reference level without events sends the intercept to minus infinity and the
//! factor's other levels to plus infinity together.
//!
//! R's `glm` stops on its deviance rule with such a coefficient near -20 and an enormous
//! standard error, and says it converged. IRLS here proves which coefficients diverge (the
//! check above, exact in floating point because it sums non-negative terms), reports them,
//! and applies its step rule to the other coefficients, which do converge: they tend to the
//! estimates without the rows of that level.

use faer::Mat;

use super::problem::IrlsInput;
use crate::family::Family;
use crate::linalg::{Gram, SpdFactor};
use crate::link::Link;

/// Coefficients with no finite estimate: the likelihood keeps rising as the coefficients move
/// along `direction` for ever. Their values are where the fit stopped.
///
/// ```
/// use rustystats::solver::Diverging;
/// let d = Diverging { name: "C(Area)[T.B]".into(), direction: vec![(2, -1.0)], reference: false };
/// assert_eq!(d.to_string(), "C(Area)[T.B] (toward -inf)");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Diverging {
    /// The column's name, or for a reference level the factor's.
    pub name: String,
    /// `(column, coefficient)` pairs: a single column toward minus infinity is
    /// `[(column, -1.0)]`; a reference level without events is the intercept at -1 and the
    /// factor's columns at +1.
    pub direction: Vec<(usize, f64)>,
    /// Whether this is a factor's reference level (the intercept and the factor's columns).
    pub reference: bool,
}

/// For each of `ncols` columns, the infinity it runs to (`-1.0` or `1.0`) when it is in one
/// of the diverging directions `found`, else `None`: one pass over the directions, however
/// many levels diverge.
pub(crate) fn toward_infinity(found: &[Diverging], ncols: usize) -> Vec<Option<f64>> {
    let mut toward = vec![None; ncols];
    for d in found {
        for &(j, c) in &d.direction {
            toward[j] = toward[j].or(Some(c.signum()));
        }
    }
    toward
}

impl std::fmt::Display for Diverging {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let to = |c: f64| if c < 0.0 { "-inf" } else { "+inf" };
        match (self.reference, self.direction.as_slice()) {
            (true, [(_, c), ..]) => write!(
                f,
                "the reference level of {} (the intercept toward {}, its other levels toward {})",
                self.name,
                to(*c),
                to(-c)
            ),
            (_, [(_, c), ..]) => write!(f, "{} (toward {})", self.name, to(*c)),
            _ => f.write_str(&self.name),
        }
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

/// The columns of `keep` whose coefficient has no finite estimate, in `keep`'s order, then
/// the reference levels without events (their columns all in `keep`).
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
    // The sign of the infinity, given the (weighted) rows, events and non-events.
    let sign = |rows: f64, events: f64, non_events: f64| {
        if rows.is_nan() || rows <= 0.0 {
            None
        } else if down && events == 0.0 {
            Some(-1.0)
        } else if up && non_events == 0.0 {
            Some(1.0)
        } else {
            None
        }
    };
    let nonnegative = x.nonnegative_columns();
    let mut found: Vec<Diverging> = keep
        .iter()
        .filter(|&&j| nonnegative[j])
        .filter_map(|&j| {
            let sign = sign(
                rows[j],
                events[j],
                non_events.get(j).copied().unwrap_or(1.0),
            )?;
            Some(Diverging {
                name: x.column_names()[j].clone(),
                direction: vec![(j, sign)],
                reference: false,
            })
        })
        .collect();
    // Reference levels: the combination's value in each row is exactly 0 or 1.
    let mut u = vec![0.0; x.nrows()];
    for (factor, combination) in x.reference_levels() {
        if !combination.iter().all(|(j, _)| keep.contains(j)) {
            continue;
        }
        let mut v = vec![0.0; x.ncols()];
        for &(j, c) in &combination {
            v[j] = c;
        }
        x.matvec(&v, &mut u);
        if u.iter().any(|&u| u < 0.0) {
            continue;
        }
        let total = |f: &dyn Fn(usize) -> f64| (0..u.len()).map(|i| u[i] * f(i)).sum::<f64>();
        let sign = sign(
            total(&|i| w[i]),
            total(&|i| w[i] * y[i]),
            if up {
                total(&|i| w[i] * (1.0 - y[i]))
            } else {
                1.0
            },
        );
        if let Some(sign) = sign {
            found.push(Diverging {
                name: factor,
                direction: combination.iter().map(|&(j, c)| (j, sign * c)).collect(),
                reference: true,
            });
        }
    }
    found
}

/// The step `d` (one entry per column of `keep`) less its part along the diverging
/// directions, in the metric of `g` (`X'WX`): `d - V t` with `(V' G V) t = V' G d`, where
/// the columns of `V` are the directions. `None` when that system cannot be solved.
///
/// A factor with many levels can have thousands of levels without events; when `g` keeps
/// that factor as a diagonal, those single-level directions `E_J` are `G`-orthogonal to each
/// other and are taken out first by the projection `P x = x - E_J D_J^-1 (G x)_J`, which
/// needs no system; the other directions `V_K` (few) then solve
/// `(V_K' G P V_K) t = V_K' G P d` (`P` is self-adjoint in the metric of `G`), and the step
/// is `P (d - V_K t)`.
pub(crate) fn without_directions(
    g: &Gram,
    keep: &[usize],
    d: &[f64],
    found: &[Diverging],
) -> Option<Vec<f64>> {
    // `keep` is ascending. Each direction as (position in `keep`, coefficient) pairs (a few
    // entries: a column, or a reference level's intercept and factor columns).
    let dirs: Vec<Vec<(usize, f64)>> = found
        .iter()
        .map(|f| {
            (f.direction.iter())
                .map(|&(j, c)| Some((keep.binary_search(&j).ok()?, c)))
                .collect::<Option<Vec<_>>>()
        })
        .collect::<Option<_>>()?;
    let block = g.diagonal_block();
    let on_diagonal = |v: &[(usize, f64)]| match (v, &block) {
        ([(a, _)], Some(b)) => b.contains(&keep[*a]),
        _ => false,
    };
    let unit: Vec<usize> = (dirs.iter())
        .filter(|v| on_diagonal(v))
        .map(|v| v[0].0)
        .collect();
    let others: Vec<&Vec<(usize, f64)>> = dirs.iter().filter(|v| !on_diagonal(v)).collect();
    let project = |x: &mut Vec<f64>| {
        if unit.is_empty() {
            return;
        }
        let gx = g.product(keep, x);
        for &a in &unit {
            x[a] -= gx[a] / g.get(keep[a], keep[a]);
        }
    };
    let dense = |v: &[(usize, f64)]| {
        let mut x = vec![0.0; keep.len()];
        for &(a, c) in v {
            x[a] += c;
        }
        x
    };
    let mut e = d.to_vec();
    project(&mut e);
    if others.is_empty() {
        return Some(e);
    }
    let sparse_dot = |v: &[(usize, f64)], x: &[f64]| v.iter().map(|&(a, c)| c * x[a]).sum::<f64>();
    let gpv: Vec<Vec<f64>> = (others.iter())
        .map(|v| {
            let mut pv = dense(v);
            project(&mut pv);
            g.product(keep, &pv)
        })
        .collect();
    let k = others.len();
    let vgv = Mat::from_fn(k, k, |a, b| sparse_dot(others[a], &gpv[b]));
    let gpd = g.product(keep, &e);
    let vgd: Vec<f64> = others.iter().map(|v| sparse_dot(v, &gpd)).collect();
    let t = SpdFactor::new(&vgv).ok()?.solve(&vgd);
    let mut u = vec![0.0; keep.len()];
    for (v, t) in others.iter().zip(&t) {
        for &(a, c) in v.iter() {
            u[a] += t * c;
        }
    }
    project(&mut u);
    for (e, u) in e.iter_mut().zip(&u) {
        *e -= u;
    }
    Some(e)
}

/// The warning that names the diverging coefficients, `None` without any.
pub(crate) fn diverging_warning(diverging: &[Diverging]) -> Option<String> {
    let names: Vec<String> = diverging.iter().map(ToString::to_string).collect();
    let negative = |d: &Diverging| d.direction.first().is_some_and(|(_, c)| *c < 0.0);
    let response = |d: &Diverging| if negative(d) { "0 (no events)" } else { "1" };
    let why = match diverging {
        [] => return None,
        [d] if d.reference => format!(
            "every row of that level has the response {}, so the likelihood keeps rising as \
             the intercept and the factor's coefficients go to the infinities shown. Their \
             values and standard errors are",
            response(d)
        ),
        [d] => format!(
            "every row where this column is non-zero has the response {}, so the likelihood \
             keeps rising as its coefficient goes to {}inf. Its value and standard error are",
            response(d),
            if negative(d) { "-" } else { "+" }
        ),
        _ => "in the rows each of them picks out (where a column is non-zero, or a factor's \
              reference level) the response is always 0 or always 1, so the likelihood keeps \
              rising as the coefficients go to the infinities shown. Their values and \
              standard errors are"
            .to_string(),
    };
    let listed = crate::error::listed(&names);
    Some(format!(
        "no finite estimate for {listed}: {why} where the fit stopped, not estimates; the \
         other coefficients converged as if those rows were left out. Merge the level with a \
         neighbour or leave its rows out"
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
            name: "zero rows".into(),
            direction: vec![(1, sign)],
            reference: false,
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

    /// The reference level of a treatment-coded factor has no events: the intercept and the
    /// factor's columns diverge together; with events in it, nothing does.
    #[test]
    fn finds_a_reference_level_without_events() {
        use crate::design::{BlockDesign, CategoricalBlock, DenseColumns};
        let codes = vec![0, 0, 1, 1, 2, 2, 1, 2];
        let names = vec!["g[b]".to_string(), "g[c]".to_string()];
        let g = CategoricalBlock::new(codes, 3, true, names).unwrap();
        let x = BlockDesign::new(vec![DenseColumns::intercept(8).into(), g.into()]).unwrap();
        let w = [1.0; 8];
        let found = |y: &[f64]| {
            let inp = IrlsInput {
                x: &x,
                y,
                weights: &w,
                offset: &[0.0; 8],
                family: Family::Poisson,
                link: Link::Log,
            };
            diverging_columns(&inp, &[0, 1, 2])
        };
        let reference = Diverging {
            name: "g".into(),
            direction: vec![(0, -1.0), (1, 1.0), (2, 1.0)],
            reference: true,
        };
        assert_eq!(
            found(&[0.0, 0.0, 1.0, 0.0, 2.0, 1.0, 0.0, 3.0]),
            vec![reference]
        );
        assert_eq!(found(&[1.0, 0.0, 1.0, 0.0, 2.0, 1.0, 0.0, 3.0]), vec![]);
    }
}
