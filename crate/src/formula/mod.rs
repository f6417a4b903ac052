//! R-style model formulas: `y ~ x1 + log(x2) + C(Area, ref = "B") * x3 + offset(log(E))`.
//!
//! The text goes through four steps, each its own module:
//!
//! 1. **Tokens** ([`tokenize`]): names, numbers, strings, operators and brackets, each with
//!    the [`Span`] of text it came from.
//! 2. **Expression tree** ([`parse_ast`]): one [`Expr`] for each side of the `~`, built by a
//!    precedence-climbing parser that reads the operator tables [`BINARY_OPERATORS`] and
//!    [`UNARY_OPERATORS`] (R's precedences: `~` < `+ -` < `* /` < `:` < unary `-` < `^`).
//! 3. **Terms** ([`parse`]): the right-hand side is read as formula algebra, as R's
//!    `terms.formula` does, giving the intercept, the [`Term`]s and the offsets.
//! 4. **Arithmetic** ([`Expr::eval_numeric`]): inside calls such as `I(x^2)` or
//!    `log(x + 1)` the same operators are arithmetic, evaluated column by column.
//!
//! # Formula algebra (outside calls, right of `~`)
//!
//! | Written            | Terms                                             |
//! |--------------------|---------------------------------------------------|
//! | `a + b`            | `a`, `b`                                          |
//! | `a:b`              | `a:b` (an interaction; `b:a` is the same term)    |
//! | `a*b`              | `a`, `b`, `a:b`                                   |
//! | `(a + b)*c`        | `a`, `b`, `c`, `a:c`, `b:c`                       |
//! | `(a + b):c`        | `a:c`, `b:c`                                      |
//! | `(a + b + c)^2`    | `a`, `b`, `c`, `a:b`, `a:c`, `b:c`                |
//! | `a*b - a:b`        | `a`, `b` (removal matches factors in any order)   |
//! | `- 1`, `+ 0`, `0 +`| no intercept (`+ 1` keeps it; the last one wins)  |
//! | `offset(e)`        | no term: `e` goes to [`ParsedFormula::offsets`]   |
//!
//! Terms are sorted by order (main effects, then two-way interactions, ...), keeping the
//! written order within an order; a repeated term appears once, and a factor repeated in a
//! term appears once (`a:a` is `a`, so, as in R, `x^2` is just `x`: write `I(x^2)` for the
//! square). The factors of an interaction keep the order of their first spelling. A leading
//! `+` is accepted and ignored, as in R.
//!
//! # Example
//!
//! ```
//! use rustystats::formula::{parse, Factor, Response};
//!
//! let f = parse("Claims ~ log(Density) + C(Area, ref = \"B\") * Power + offset(log(Exposure))")
//!     .unwrap();
//! assert!(matches!(f.response, Response::Single(_)));
//! assert!(f.intercept);
//! let names: Vec<String> = f.terms.iter().map(|t| t.name()).collect();
//! assert_eq!(names, ["log(Density)", "C(Area, ref = \"B\")", "Power", "C(Area, ref = \"B\"):Power"]);
//! assert!(matches!(f.terms[1].factors[0], Factor::Categorical { .. }));
//! assert_eq!(f.offsets[0].to_string(), "log(Exposure)");
//!
//! // Errors point at the problem.
//! let e = parse("y ~ x +").unwrap_err();
//! assert_eq!(e.to_string(), "unexpected end of formula: `+` needs a term after it\n  y ~ x +\n         ^");
//! ```

mod ast;
mod coding;
mod error;
mod eval;
mod factor;
mod functions;
mod lexer;
mod parser;
mod terms;
#[cfg(test)]
mod tests;

pub use ast::{
    Arg, Assoc, BinOp, BinarySpec, Expr, UnaryOp, UnarySpec, BINARY_OPERATORS, UNARY_OPERATORS,
};
pub use coding::{full_coding, CodingFactor};
pub use error::{ErrorKind, FormulaError, Span};
pub use eval::ColumnLookup;
pub use factor::{Factor, LevelRef};
pub use lexer::{tokenize, Token, TokenKind};
pub use parser::{parse_ast, parse_expression, FormulaAst};
pub use terms::Term;

use eval::{check_arithmetic, Place};

/// The left-hand side of a formula.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// One column or an arithmetic expression of columns: `y`, `log(y)`, `I(y / w)`.
    Single(Expr),
    /// `cbind(successes, failures)`: a binomial response given as two counts.
    Cbind(Expr, Expr),
}

impl Response {
    /// The response as written, normalised: `y`, `log(y)`, `cbind(k, n - k)`.
    pub fn label(&self) -> String {
        match self {
            Response::Single(e) => e.to_string(),
            Response::Cbind(a, b) => format!("cbind({a}, {b})"),
        }
    }

    /// The columns the response reads, each once, in order of appearance.
    pub fn columns(&self) -> Vec<String> {
        let mut out = Vec::new();
        match self {
            Response::Single(e) => e.collect_columns(&mut out),
            Response::Cbind(a, b) => {
                a.collect_columns(&mut out);
                b.collect_columns(&mut out);
            }
        }
        out
    }
}

/// A parsed and expanded formula.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedFormula {
    /// The formula as given.
    pub text: String,
    /// The left-hand side.
    pub response: Response,
    /// Whether the model has an intercept (true unless `- 1`, `+ 0` or `0 +`).
    pub intercept: bool,
    /// The terms in R's order: by number of factors, written order within each, no repeats.
    pub terms: Vec<Term>,
    /// The expressions inside `offset(...)`, in the order written. Several offsets add up.
    pub offsets: Vec<Expr>,
}

impl ParsedFormula {
    /// The term labels, as R's `attr(terms(f), "term.labels")`.
    pub fn term_names(&self) -> Vec<String> {
        self.terms.iter().map(Term::name).collect()
    }

    /// Every column the formula reads (response, terms, offsets), each once, in order of
    /// appearance.
    pub fn columns(&self) -> Vec<String> {
        let mut out = self.response.columns();
        let from_terms = self
            .terms
            .iter()
            .flat_map(|t| &t.factors)
            .flat_map(Factor::columns);
        for c in from_terms.chain(self.offsets.iter().flat_map(Expr::columns)) {
            if !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }

    /// [`Expr::eval_numeric`] for an expression of this formula, with errors showing the
    /// formula text and a caret under the expression.
    pub fn eval_numeric(
        &self,
        expr: &Expr,
        n_rows: usize,
        lookup: &mut ColumnLookup<'_>,
    ) -> Result<Vec<f64>, FormulaError> {
        expr.eval_numeric(n_rows, lookup)
            .map_err(|e| e.with_formula(&self.text))
    }
}

/// Parses an R-style formula and expands its terms.
///
/// See the [module documentation](self) for the grammar and the expansion rules.
///
/// ```
/// use rustystats::formula::{parse, ErrorKind, Response};
///
/// let f = parse("cbind(dead, alive) ~ a*b*c - 1").unwrap();
/// assert!(matches!(f.response, Response::Cbind(_, _)));
/// assert!(!f.intercept);
/// assert_eq!(f.term_names(), ["a", "b", "c", "a:b", "a:c", "b:c", "a:b:c"]);
///
/// assert_eq!(parse("y x").unwrap_err().kind(), ErrorKind::MissingTilde);
/// ```
pub fn parse(formula: &str) -> Result<ParsedFormula, FormulaError> {
    let ast = parse_ast(formula)?;
    let attach = |e: FormulaError| e.with_formula(formula);
    let response = response(&ast.lhs).map_err(attach)?;
    let rhs = terms::expand_rhs(&ast.rhs).map_err(attach)?;
    Ok(ParsedFormula {
        text: formula.to_string(),
        response,
        intercept: rhs.intercept,
        terms: rhs.terms,
        offsets: rhs.offsets,
    })
}

/// Reads the left-hand side: `cbind(a, b)` or an arithmetic expression of columns.
fn response(lhs: &Expr) -> Result<Response, FormulaError> {
    let lhs = lhs.unparen();
    if let Expr::Call { func, args, span } = lhs {
        if func == "cbind" {
            if let Some(arg) = args.iter().find(|a| a.name.is_some()) {
                return Err(FormulaError::detached(
                    ErrorKind::BadArgument,
                    "`cbind()` takes two columns without keywords: `cbind(successes, failures)`",
                    arg.span,
                ));
            }
            let [a, b] = args.as_slice() else {
                return Err(FormulaError::detached(
                    ErrorKind::BadArgument,
                    format!(
                        "`cbind()` takes two arguments, successes and failures, found {}",
                        args.len()
                    ),
                    *span,
                ));
            };
            check_arithmetic(&a.value, Place::Argument)?;
            check_arithmetic(&b.value, Place::Argument)?;
            return Ok(Response::Cbind(a.value.clone(), b.value.clone()));
        }
    }
    check_arithmetic(lhs, Place::Term)?;
    if lhs.columns().is_empty() {
        return Err(FormulaError::detached(
            ErrorKind::BadTerm,
            format!("the response must read a column, and `{lhs}` does not"),
            lhs.span(),
        ));
    }
    Ok(Response::Single(lhs.clone()))
}
