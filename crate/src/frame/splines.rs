//! Spline and polynomial terms: `bs(x, df=, degree=, knots=)`, `ns(x, df=, knots=)` and
//! `poly(x, degree)`, learned from the training data (knots, boundary, coefficients) and
//! stored so new data gets the same basis.

use polars::prelude::DataFrame;
use serde::{Deserialize, Serialize};

use super::eval_numeric;
use crate::error::{Error, Result};
use crate::formula::{Arg, ErrorKind, Expr, FormulaError, Span, UnaryOp};
use crate::spline::{BSpline, NaturalSpline, OrthoPoly};

/// A learned basis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum SplineBasis {
    /// R's `bs()`.
    Bs(BSpline),
    /// R's `ns()`.
    Ns(NaturalSpline),
    /// R's `poly()`.
    Poly(OrthoPoly),
}

impl SplineBasis {
    /// The basis columns at `x`.
    pub fn basis(&self, x: &[f64]) -> Vec<Vec<f64>> {
        match self {
            SplineBasis::Bs(b) => b.basis(x),
            SplineBasis::Ns(b) => b.basis(x),
            SplineBasis::Poly(b) => b.basis(x),
        }
    }

    /// Number of columns.
    pub fn ncols(&self) -> usize {
        match self {
            SplineBasis::Bs(b) => b.ncols(),
            SplineBasis::Ns(b) => b.ncols(),
            SplineBasis::Poly(b) => b.ncols(),
        }
    }
}

impl SplineBasis {
    /// Checks a basis read from a saved model for what fitting guarantees (finite, sorted
    /// knots inside increasing boundary knots; a degree from 1 to `max_cols`; matching
    /// polynomial coefficients), so that [`SplineBasis::basis`] cannot fail. The message
    /// says what is wrong.
    pub fn check(&self, max_cols: usize) -> std::result::Result<(), String> {
        let knots = |inner: &[f64], (lo, hi): (f64, f64)| {
            if !(lo.is_finite() && hi.is_finite() && lo < hi) {
                return Err(format!(
                    "the boundary knots ({lo}, {hi}) are not two increasing finite numbers"
                ));
            }
            let inside = inner.iter().all(|k| k.is_finite() && *k >= lo && *k < hi);
            if !inside || inner.windows(2).any(|w| w[0] > w[1]) {
                return Err("the interior knots are not sorted inside the boundary".into());
            }
            if inner.len() > max_cols {
                return Err("there are more knots than design columns".into());
            }
            Ok(())
        };
        match self {
            SplineBasis::Bs(b) => {
                if b.degree == 0 || b.degree > max_cols {
                    return Err(format!("bs() degree {} is out of range", b.degree));
                }
                knots(&b.interior_knots, b.boundary)
            }
            SplineBasis::Ns(b) => knots(&b.interior_knots, b.boundary),
            SplineBasis::Poly(p) => {
                let d = p.degree;
                let ok = d >= 1
                    && d <= max_cols
                    && p.alpha.len() == d
                    && p.norm2.len() == d + 2
                    && p.alpha.iter().all(|v| v.is_finite())
                    && p.norm2.iter().all(|v| v.is_finite() && *v > 0.0);
                if ok {
                    Ok(())
                } else {
                    Err(format!(
                        "the poly() coefficients do not fit a polynomial of degree {d}"
                    ))
                }
            }
        }
    }
}

/// Whether `func` names a basis function the frame layer builds.
pub fn is_basis_function(func: &str) -> bool {
    matches!(func, "bs" | "ns" | "poly")
}

struct Args<'a> {
    func: &'a str,
    formula: &'a str,
    positional: Vec<&'a Arg>,
    named: Vec<&'a Arg>,
}

impl<'a> Args<'a> {
    fn error(&self, span: Span, message: String) -> Error {
        Error::Formula(FormulaError::new(
            ErrorKind::BadArgument,
            message,
            span,
            self.formula,
        ))
    }

    fn named(&self, name: &str) -> Option<&'a Arg> {
        self.named
            .iter()
            .copied()
            .find(|a| a.name.as_deref() == Some(name))
    }

    fn number(&self, arg: &Arg) -> Result<f64> {
        literal(&arg.value).ok_or_else(|| {
            self.error(
                arg.span,
                format!("{}(): `{}` must be a number", self.func, arg.value),
            )
        })
    }

    /// A whole number from 1 to `max` (the number of rows: a basis cannot have more columns
    /// than the data has rows).
    fn count(&self, arg: &Arg, what: &str, max: usize) -> Result<usize> {
        let v = self.number(arg)?;
        if v.fract() != 0.0 || v < 1.0 {
            return Err(self.error(
                arg.span,
                format!(
                    "{}(): {what} must be a whole number >= 1, got {v}",
                    self.func
                ),
            ));
        }
        if v > max as f64 {
            let span = arg.value.span();
            let written = self
                .formula
                .get(span.start..span.end)
                .unwrap_or("the value");
            return Err(self.error(
                arg.span,
                format!(
                    "{}(): {what} = {written} is more than the number of rows ({max}); use a \
                     smaller {what}",
                    self.func
                ),
            ));
        }
        Ok(v as usize)
    }

    fn numbers(&self, arg: &Arg) -> Result<Vec<f64>> {
        match arg.value.unparen() {
            Expr::List { items, .. } => items
                .iter()
                .map(|e| {
                    literal(e).ok_or_else(|| {
                        self.error(
                            e.span(),
                            format!("{}(): list items must be numbers, not `{e}`", self.func),
                        )
                    })
                })
                .collect(),
            other => literal(other).map(|v| vec![v]).ok_or_else(|| {
                self.error(
                    arg.span,
                    format!(
                        "{}(): expected a list of numbers such as [30, 50]",
                        self.func
                    ),
                )
            }),
        }
    }

    /// The value of keyword `name`, or of the positional argument at `pos`.
    fn get(&self, name: &str, pos: usize) -> Option<&'a Arg> {
        self.named(name)
            .or_else(|| self.positional.get(pos).copied())
    }
}

/// A number literal, possibly negative: `3`, `-1.5`, `(2)`.
fn literal(e: &Expr) -> Option<f64> {
    match e.unparen() {
        Expr::Number { value, .. } => Some(*value),
        Expr::Unary {
            op: UnaryOp::Neg,
            operand,
            ..
        } => literal(operand).map(|v| -v),
        _ => None,
    }
}

/// Learns a basis term from the training data.
pub fn learn(
    func: &str,
    args: &[Arg],
    span: Span,
    formula: &str,
    df: &DataFrame,
) -> Result<(String, SplineBasis)> {
    let a = Args {
        func,
        formula,
        positional: args.iter().filter(|a| a.name.is_none()).collect(),
        named: args.iter().filter(|a| a.name.is_some()).collect(),
    };
    let allowed: &[&str] = match func {
        "bs" => &["df", "knots", "degree", "Boundary.knots"],
        "ns" => &["df", "knots", "Boundary.knots"],
        _ => &["degree"],
    };
    if let Some(bad) = a
        .named
        .iter()
        .find(|x| !allowed.contains(&x.name.as_deref().unwrap_or("")))
    {
        let name = bad.name.as_deref().unwrap_or("");
        let why = match (func, name) {
            ("bs" | "ns", "intercept") => {
                " (the basis never has an intercept column: the model's intercept plays that \
                 role, as in R's default intercept=FALSE)"
            }
            _ => "",
        };
        return Err(a.error(
            bad.span,
            format!(
                "{func}() has no argument `{name}`: it is unknown or unsupported{why}; it \
                 takes: {} (after the variable, which comes first)",
                allowed.join(", ")
            ),
        ));
    }
    // R's order: bs(x, df), ns(x, df), poly(x, degree); the rest go by keyword.
    let second = if func == "poly" { "degree" } else { "df" };
    if let Some(extra) = a.positional.get(2) {
        return Err(a.error(
            extra.span,
            format!(
                "{func}() takes the variable and {second} without keywords; give the other \
                 arguments by name: {}",
                allowed
                    .iter()
                    .map(|k| format!("{k}=..."))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    for (i, arg) in a.named.iter().enumerate() {
        let name = arg.name.as_deref().unwrap_or("");
        let twice = a.named[..i].iter().any(|b| b.name.as_deref() == Some(name))
            || (name == second && a.positional.len() == 2);
        if twice {
            return Err(a.error(arg.span, format!("{func}(): `{name}` is given twice")));
        }
    }
    let x_arg = a.positional.first().ok_or_else(|| {
        a.error(
            span,
            format!("{func}() needs the variable first, as in {func}(x, ...)"),
        )
    })?;
    let x = eval_numeric(&x_arg.value, df, formula)?;
    let rows = x.len();
    let boundary = match a.named("Boundary.knots") {
        Some(arg) => {
            let b = a.numbers(arg)?;
            if b.len() != 2 {
                return Err(a.error(
                    arg.span,
                    format!("{func}(): Boundary.knots needs two numbers"),
                ));
            }
            Some((b[0], b[1]))
        }
        None => None,
    };
    // The basis' own checks (df against degree, knots inside the boundary) point at the call.
    let at = |e: crate::spline::SplineError| a.error(span, e.message);
    let basis = match func {
        "bs" => {
            let df_ = a.get("df", 1).map(|v| a.count(v, "df", rows)).transpose()?;
            let knots = a.named("knots").map(|v| a.numbers(v)).transpose()?;
            let degree = a
                .named("degree")
                .map(|v| a.count(v, "degree", rows))
                .transpose()?;
            SplineBasis::Bs(
                BSpline::fit(&x, df_, knots, degree.unwrap_or(3), boundary).map_err(at)?,
            )
        }
        "ns" => {
            let df_ = a.get("df", 1).map(|v| a.count(v, "df", rows)).transpose()?;
            let knots = a.named("knots").map(|v| a.numbers(v)).transpose()?;
            SplineBasis::Ns(NaturalSpline::fit(&x, df_, knots, boundary).map_err(at)?)
        }
        _ => {
            let degree = match a.get("degree", 1) {
                Some(v) => a.count(v, "degree", rows)?,
                None => 1,
            };
            SplineBasis::Poly(OrthoPoly::fit(&x, degree).map_err(at)?)
        }
    };
    Ok((x_arg.value.source(formula), basis))
}
