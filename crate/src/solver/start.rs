//! Where the iterations start: R's starting means, a better start for the convex log-link
//! families, or the caller's means, linear predictor or coefficients.

use super::problem::{IrlsInput, Problem};
use super::state::{Pass, State};
use crate::error::{Error, Result};
use crate::family::Family;
use crate::link::{Link, LinkFunction};

/// Where the iterations start.
#[derive(Debug, Clone, Copy, Default)]
pub enum Start<'a> {
    /// The family's own starting values (R's `initialize`), except under the log link for
    /// Poisson, negative binomial, Gamma and Tweedie (1 <= p <= 2), whose deviance is convex:
    /// there the intercept-only fit when the design has an intercept, and `(y + mean(y)) / 2`
    /// (as statsmodels) otherwise; each saves about one iteration over R's start.
    #[default]
    Family,
    /// Starting fitted means.
    Mu(&'a [f64]),
    /// A starting linear predictor (offset included).
    Eta(&'a [f64]),
    /// Starting coefficients, one per design column.
    Coefficients(&'a [f64]),
    /// A fit nearby (a path's previous alpha): its coefficients, and its `X'WX` for the first
    /// iterations.
    Warm(Warm<'a>),
}

/// What a fit at a nearby penalty leaves for the next one: its coefficients, its last `X'WX`
/// ([`IrlsFit::hessian`](super::IrlsFit::hessian)) and its aliased columns.
#[derive(Debug, Clone, Copy)]
pub struct Warm<'a> {
    /// One per design column (`NaN` for aliased columns is read as 0).
    pub coefficients: &'a [f64],
    /// `X'WX` over every column (zero rows and columns for those it left out).
    pub hessian: &'a faer::Mat<f64>,
    /// The columns found aliased.
    pub aliased: &'a [bool],
}

/// The start of a fit: the state at the starting point, the coefficients there when it is a
/// point of the model (all zero otherwise), and the pass over the rows there.
pub(super) struct Begun {
    pub beta: Vec<f64>,
    pub at_coefficients: bool,
    pub pass: Pass,
}

/// Sets `st` to the start `start` and checks that the start is in the family's range.
pub(super) fn begin(prob: &Problem<'_, '_>, st: &mut State, start: Start<'_>) -> Result<Begun> {
    let inp = prob.inp;
    let (n, p) = (inp.x.nrows(), inp.x.ncols());
    let given = match start {
        Start::Family => None,
        Start::Mu(v) => Some(("the starting means", v.len(), n)),
        Start::Eta(v) => Some(("the starting linear predictor", v.len(), n)),
        Start::Coefficients(v) => Some(("the starting coefficients", v.len(), p)),
        Start::Warm(w) => Some(("the starting coefficients", w.coefficients.len(), p)),
    };
    if let Some((what, found, expected)) = given.filter(|(_, found, expected)| found != expected) {
        return Err(Error::Shape {
            what: what.into(),
            expected,
            found,
        });
    }
    let mut beta = vec![0.0; p];
    let null = match start {
        Start::Family => null_start(inp),
        _ => None,
    };
    let at_coefficients = match (start, null) {
        (_, Some((j, b0))) => {
            beta[j] = b0;
            true
        }
        (Start::Coefficients(b), _) => {
            beta.copy_from_slice(b);
            true
        }
        (Start::Warm(w), _) => {
            for (b, &c) in beta.iter_mut().zip(w.coefficients) {
                *b = if c.is_nan() { 0.0 } else { c };
            }
            true
        }
        (Start::Eta(eta), _) => {
            st.eta.copy_from_slice(eta);
            for i in 0..n {
                st.mu[i] = inp.link.inverse(st.eta[i]);
            }
            false
        }
        (Start::Mu(mu), _) => {
            st.mu.copy_from_slice(mu);
            for i in 0..n {
                st.eta[i] = inp.link.link(st.mu[i]);
            }
            false
        }
        (Start::Family, None) => {
            let ybar = convex_log_start(inp);
            for i in 0..n {
                st.mu[i] = match ybar {
                    Some(m) => 0.5 * (inp.y[i] + m),
                    None => inp.family.initial_mu(inp.y[i], inp.weights[i]),
                };
                st.eta[i] = inp.link.link(st.mu[i]);
            }
            false
        }
    };
    let pass = match at_coefficients {
        true => st.set_beta(inp, &beta),
        false => st.pass(inp),
    };
    if !pass.in_range {
        return Err(Error::fit(format!(
            "cannot find valid starting values: the {} link gives values outside the {} \
             family's range at the starting {}; use the family's default link ({}) or a \
             link defined for every value of the response",
            inp.link,
            inp.family.name(),
            match start {
                Start::Coefficients(_) | Start::Warm(_) => "coefficients",
                _ => "means (the response's own values)",
            },
            inp.family.default_link()
        )));
    }
    Ok(Begun {
        beta,
        at_coefficients,
        pass,
    })
}

/// The null-model start of the convex log-link families (see [`convex_log_start`]) when the
/// design has an intercept: the intercept `log(sum w y / sum w exp(offset))`, the maximum
/// likelihood fit of the intercept-only model with the offset, and every other coefficient
/// 0. Unlike fitted means, this start is a point of the model, so the first iteration can
/// already be a Newton step from known coefficients (and be halved). `None` otherwise.
fn null_start(inp: &IrlsInput<'_>) -> Option<(usize, f64)> {
    convex_log_start(inp)?;
    let j = inp.x.constant_column()?;
    let (mut swy, mut swo) = (0.0, 0.0);
    for i in 0..inp.y.len() {
        swy += inp.weights[i] * inp.y[i];
        swo += inp.weights[i] * inp.offset[i].exp();
    }
    let b0 = (swy / swo).ln();
    b0.is_finite().then_some((j, b0))
}

/// For the families whose deviance is convex in the coefficients under the log link
/// (Poisson, negative binomial, Gamma, Tweedie with 1 <= p <= 2), the weighted mean of the
/// response: without an intercept the iterations start from `(y + mean) / 2` (as
/// statsmodels does), which saves about one iteration over R's `y + 0.1` on count data. The
/// optimum is unique there, so the start changes the path, not the answer. `None` for
/// everything else (R's start).
fn convex_log_start(inp: &IrlsInput<'_>) -> Option<f64> {
    let convex = match inp.family {
        Family::Poisson | Family::QuasiPoisson | Family::NegativeBinomial { .. } => true,
        Family::Gamma => true,
        Family::Tweedie { var_power } => (1.0..=2.0).contains(&var_power),
        _ => false,
    };
    if !convex || inp.link != Link::Log {
        return None;
    }
    let (mut sw, mut swy) = (0.0, 0.0);
    for (&y, &w) in inp.y.iter().zip(inp.weights) {
        sw += w;
        swy += w * y;
    }
    let mean = swy / sw;
    (mean.is_finite() && mean > 0.0).then_some(mean)
}
