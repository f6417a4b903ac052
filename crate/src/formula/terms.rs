//! Formula algebra: the right-hand side expression to a list of terms, as R's `terms.formula`.
//!
//! At the top of the right-hand side (outside any call), `+` joins terms, `-` removes them,
//! `:` interacts, `*` crosses (`a*b` = `a + b + a:b`), `^` crosses a sum up to an order and
//! `0`/`1` drop or keep the intercept. Inside a call the operators are arithmetic and the
//! call is one factor.

use std::collections::HashSet;

use super::ast::{Arg, BinOp, Expr, UnaryOp};
use super::error::{ErrorKind, FormulaError, Span};
use super::eval::{check_arithmetic, Place};
use super::factor::{categorical, Factor};
use super::functions::{self, term_names, FunctionKind};

/// One model term: a main effect (one factor) or an interaction (several).
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The factors in the order first written (`a:b:c` has three). Never empty, no repeats.
    pub factors: Vec<Factor>,
    /// The part of the formula the term came from.
    pub span: Span,
}

impl Term {
    /// The R-style label: the factor labels joined by `:`, such as `log(x):C(Area)`.
    pub fn name(&self) -> String {
        let labels: Vec<String> = self.factors.iter().map(Factor::label).collect();
        labels.join(":")
    }

    /// The number of factors: 1 for a main effect, 2 for a two-way interaction, ...
    pub fn order(&self) -> usize {
        self.factors.len()
    }

    /// Whether both terms have the same factors, in any order (`a:b` is `b:a`).
    pub fn same_factors(&self, other: &Term) -> bool {
        self.key() == other.key()
    }

    fn key(&self) -> Vec<String> {
        let mut labels: Vec<String> = self.factors.iter().map(Factor::label).collect();
        labels.sort();
        labels
    }

    fn single(factor: Factor) -> Term {
        Term {
            span: factor.span(),
            factors: vec![factor],
        }
    }

    /// The interaction `self:other`; a factor in both appears once (`a:a` is `a`).
    fn interact(&self, other: &Term) -> Term {
        let mut factors = self.factors.clone();
        for f in &other.factors {
            if !factors.iter().any(|g| g.label() == f.label()) {
                factors.push(f.clone());
            }
        }
        Term {
            factors,
            span: self.span.to(other.span),
        }
    }
}

/// The expanded right-hand side.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rhs {
    pub terms: Vec<Term>,
    pub intercept: bool,
    pub offsets: Vec<Expr>,
}

/// Expands the right-hand side. Errors are detached; the caller attaches the formula.
pub(crate) fn expand_rhs(rhs: &Expr) -> Result<Rhs, FormulaError> {
    let mut expander = Expander {
        offsets: Vec::new(),
    };
    let set = expander.expand(rhs, Context::default())?;
    let mut terms = set.terms;
    // R orders terms by their number of factors, keeping the written order within one order.
    terms.sort_by_key(Term::order);
    Ok(Rhs {
        terms,
        intercept: set.intercept.unwrap_or(true),
        offsets: expander.offsets,
    })
}

/// The terms of a sub-expression and what it says about the intercept.
#[derive(Debug, Default)]
struct TermSet {
    terms: Vec<Term>,
    /// The keys of `terms` (sorted factor labels), so a duplicate is found without comparing
    /// against every term: nested powers build sets of hundreds of terms.
    keys: HashSet<Vec<String>>,
    /// `Some(true)` for `1`, `Some(false)` for `0` or `- 1`, `None` when not mentioned.
    /// The last mention, reading left to right, wins.
    intercept: Option<bool>,
}

impl TermSet {
    fn one(factor: Factor) -> TermSet {
        let mut set = TermSet::default();
        set.push(Term::single(factor));
        set
    }

    /// Appends `term` unless a term with the same factors is already there.
    fn push(&mut self, term: Term) {
        if self.keys.insert(term.key()) {
            self.terms.push(term);
        }
    }

    /// `self + other`.
    fn plus(mut self, other: TermSet) -> TermSet {
        other.terms.into_iter().for_each(|t| self.push(t));
        self.intercept = other.intercept.or(self.intercept);
        self
    }

    /// `self - other`: removes the terms of `other`; removing `1` drops the intercept and
    /// removing `0` restores it.
    fn minus(mut self, other: TermSet) -> TermSet {
        self.terms.retain(|t| !other.keys.contains(&t.key()));
        self.keys.retain(|k| !other.keys.contains(k));
        self.intercept = other.intercept.map(|keep| !keep).or(self.intercept);
        self
    }

    /// `self : other`: every term of `self` with every term of `other`, left terms outermost.
    /// An expansion past [`MAX_TERMS`] is an error at `span` (nested powers grow
    /// combinatorially; the fuzzer found formulas that took seconds to expand).
    fn colon(&self, other: &TermSet, span: Span) -> Result<TermSet, FormulaError> {
        if self.terms.len().saturating_mul(other.terms.len()) > MAX_PRODUCTS {
            return Err(too_many_terms(span));
        }
        let mut out = TermSet::default();
        for l in &self.terms {
            for r in &other.terms {
                out.push(l.interact(r));
            }
        }
        out.checked(span)
    }

    /// `self * other` = `self + other + self:other`.
    fn star(self, other: TermSet, span: Span) -> Result<TermSet, FormulaError> {
        let product = self.colon(&other, span)?;
        self.plus(other).plus(product).checked(span)
    }

    /// `self ^ n`: all interactions of the terms up to order `n`.
    fn power(self, n: u64, span: Span) -> Result<TermSet, FormulaError> {
        let mut out = TermSet {
            terms: self.terms.clone(),
            keys: self.keys.clone(),
            intercept: None,
        };
        for _ in 1..n {
            let before = out.terms.len();
            let product = out.colon(&self, span)?;
            out = out.plus(product).checked(span)?;
            if out.terms.len() == before {
                break; // every interaction is already there
            }
        }
        Ok(out)
    }

    /// The set, or an error when it has more than [`MAX_TERMS`] terms.
    fn checked(self, span: Span) -> Result<TermSet, FormulaError> {
        if self.terms.len() > MAX_TERMS {
            return Err(too_many_terms(span));
        }
        Ok(self)
    }
}

/// Where a sub-expression sits, which limits what it may contain.
#[derive(Debug, Clone, Copy, Default)]
struct Context {
    /// Inside an operand of `:`, `*` or `^`.
    interaction: bool,
    /// Inside the right operand of `-` (or a unary `-`).
    removal: bool,
}

struct Expander {
    offsets: Vec<Expr>,
}

/// Most terms a formula may expand to (far more than any model that can be fitted).
const MAX_TERMS: usize = 1000;
/// Most term pairs one interaction may form before duplicates are removed.
const MAX_PRODUCTS: usize = 20_000;

fn too_many_terms(span: Span) -> FormulaError {
    bad_term(
        format!(
            "this expands to more than {MAX_TERMS} terms; write the interactions you need \
             instead of nesting powers or products"
        ),
        span,
    )
}

fn bad_term(message: impl Into<String>, span: Span) -> FormulaError {
    FormulaError::detached(ErrorKind::BadTerm, message, span)
}

impl Expander {
    fn expand(&mut self, expr: &Expr, ctx: Context) -> Result<TermSet, FormulaError> {
        let inner = Context {
            interaction: true,
            ..ctx
        };
        let removed = Context {
            removal: true,
            ..ctx
        };
        match expr {
            Expr::Paren { inner: e, .. } => self.expand(e, ctx),
            Expr::Binary { op, lhs, rhs, span } => match op {
                BinOp::Add => Ok(self.expand(lhs, ctx)?.plus(self.expand(rhs, ctx)?)),
                BinOp::Sub => Ok(self.expand(lhs, ctx)?.minus(self.expand(rhs, removed)?)),
                BinOp::Mul => self
                    .expand(lhs, inner)?
                    .star(self.expand(rhs, inner)?, *span),
                BinOp::Colon => self
                    .expand(lhs, inner)?
                    .colon(&self.expand(rhs, inner)?, *span),
                BinOp::Pow => self.expand(lhs, inner)?.power(exponent(rhs)?, *span),
                BinOp::Div => Err(bad_term(
                    "`/` (nesting) is not supported in formulas; to divide, write `I(a/b)`",
                    *span,
                )),
            },
            Expr::Unary {
                op: UnaryOp::Plus,
                operand,
                ..
            } => self.expand(operand, ctx),
            Expr::Unary {
                op: UnaryOp::Neg,
                operand,
                span,
            } => {
                if ctx.interaction {
                    return Err(bad_term(
                        "a removal (`-`) cannot be part of an interaction; remove terms at \
                         the top level, as in `y ~ a*b - a:b`",
                        *span,
                    ));
                }
                Ok(TermSet::default().minus(self.expand(operand, removed)?))
            }
            Expr::Number { value, span } => intercept(*value, *span, ctx),
            Expr::Name { name, span } if name == "." => Err(bad_term(
                "`.` (all other columns) is not supported; list the columns",
                *span,
            )),
            Expr::Name { .. } => Ok(TermSet::one(Factor::Numeric(expr.clone()))),
            Expr::Str { span, .. } => Err(bad_term(
                "a string is not a term; to name a column with spaces, use backquotes: \
                 `Vehicle Age`",
                *span,
            )),
            Expr::List { span, .. } => Err(bad_term(
                "a list is not a term; lists are arguments, as in `C(x, levels = [\"a\", \"b\"])`",
                *span,
            )),
            Expr::Call { func, args, span } => self.call(expr, func, args, *span, ctx),
        }
    }

    fn call(
        &mut self,
        expr: &Expr,
        func: &str,
        args: &[Arg],
        span: Span,
        ctx: Context,
    ) -> Result<TermSet, FormulaError> {
        let Some(spec) = functions::lookup(func) else {
            return Err(FormulaError::detached(
                ErrorKind::UnknownFunction,
                format!(
                    "unknown function `{func}`; the known functions are {}",
                    term_names()
                ),
                span,
            ));
        };
        match spec.kind {
            FunctionKind::Arithmetic(_) => {
                check_arithmetic(expr, Place::Term)?;
                Ok(TermSet::one(Factor::Numeric(expr.clone())))
            }
            FunctionKind::Categorical => Ok(TermSet::one(categorical(args, span)?)),
            FunctionKind::Offset => {
                if ctx.interaction || ctx.removal {
                    let place = if ctx.removal {
                        "removed with `-`"
                    } else {
                        "in an interaction"
                    };
                    return Err(bad_term(
                        format!("`offset()` cannot be {place}; add it as its own term"),
                        span,
                    ));
                }
                let value = match args {
                    [arg] if arg.name.is_none() => &arg.value,
                    _ => {
                        return Err(FormulaError::detached(
                            ErrorKind::BadArgument,
                            "`offset()` takes one expression, as in `offset(log(Exposure))`",
                            span,
                        ))
                    }
                };
                check_arithmetic(value, Place::Argument)?;
                self.offsets.push(value.clone());
                Ok(TermSet::default())
            }
            FunctionKind::Frame => {
                if args.is_empty() {
                    return Err(FormulaError::detached(
                        ErrorKind::BadArgument,
                        format!("`{func}()` needs a column, as in `{func}(x)`"),
                        span,
                    ));
                }
                let factor = Factor::Call {
                    func: func.to_string(),
                    args: args.to_vec(),
                    span,
                };
                Ok(TermSet::one(factor))
            }
            FunctionKind::Cbind => Err(bad_term(
                "`cbind()` belongs on the left of `~`, as in `cbind(successes, failures) ~ x`",
                span,
            )),
        }
    }
}

/// `0` or `1` on the right-hand side: drop or keep the intercept.
fn intercept(value: f64, span: Span, ctx: Context) -> Result<TermSet, FormulaError> {
    if ctx.interaction {
        return Err(bad_term(
            "a number cannot be part of an interaction; to scale a column, write `I(2 * x)`, \
             and put `0`, `1` or `- 1` at the top level",
            span,
        ));
    }
    if value == 0.0 || value == 1.0 {
        return Ok(TermSet {
            intercept: Some(value == 1.0),
            ..TermSet::default()
        });
    }
    Err(bad_term(
        "a number as a term must be 0 or 1 (to drop or keep the intercept); to scale a \
         column, write `I(2 * x)`",
        span,
    ))
}

/// The `n` of `(a + b)^n`: a whole number of at least 1.
fn exponent(rhs: &Expr) -> Result<u64, FormulaError> {
    match rhs.unparen() {
        Expr::Number { value, .. } if *value >= 1.0 && value.fract() == 0.0 => {
            Ok(value.min(u64::MAX as f64) as u64)
        }
        _ => Err(bad_term(
            "the power in `(a + b)^2` must be a whole number of at least 1; for the square \
             of a column, write `I(x^2)`",
            rhs.span(),
        )),
    }
}
