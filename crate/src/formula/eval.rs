//! Arithmetic: checking that an expression is arithmetic, and evaluating it on columns.
//!
//! Inside `I(...)`, `log(...)`, `offset(...)` and on the response side, `+ - * / ^` are
//! arithmetic on numbers and columns, with unary minus and the element-wise functions of
//! [`functions`](super::functions). `:` has no arithmetic meaning.

use super::ast::{Arg, BinOp, Expr, UnaryOp};
use super::error::{ErrorKind, FormulaError, Span};
use super::functions::{self, arithmetic_names, FunctionKind, UnaryFn};

/// Whether a string or list found in arithmetic is an argument of a call or a whole term;
/// it decides the error kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Term,
    Argument,
}

/// Checks that `expr` can be evaluated by [`Expr::eval_numeric`]: numbers, columns,
/// `+ - * / ^`, unary signs and one-argument arithmetic functions. Errors are detached (no
/// formula text); the caller attaches it.
pub(crate) fn check_arithmetic(expr: &Expr, place: Place) -> Result<(), FormulaError> {
    match expr {
        Expr::Name { .. } | Expr::Number { .. } => Ok(()),
        Expr::Paren { inner, .. } => check_arithmetic(inner, place),
        Expr::Unary { operand, .. } => check_arithmetic(operand, place),
        Expr::Binary {
            op: BinOp::Colon,
            span,
            ..
        } => Err(FormulaError::detached(
            ErrorKind::BadTerm,
            "`:` (interaction) has no meaning in arithmetic; to multiply, write `*`",
            *span,
        )),
        Expr::Binary { lhs, rhs, .. } => {
            check_arithmetic(lhs, place)?;
            check_arithmetic(rhs, place)
        }
        Expr::Call { func, args, span } => {
            let arg = arithmetic_call(func, args, *span)?.1;
            check_arithmetic(arg, Place::Argument)
        }
        Expr::Str { span, .. } | Expr::List { span, .. } => {
            let what = if matches!(expr, Expr::Str { .. }) {
                "a string"
            } else {
                "a list"
            };
            let (kind, hint) = match place {
                Place::Term => (
                    ErrorKind::BadTerm,
                    "; to name a column with spaces, use backquotes: `Vehicle Age`",
                ),
                Place::Argument => (ErrorKind::BadArgument, ""),
            };
            Err(FormulaError::detached(
                kind,
                format!("{what} cannot be used in arithmetic{hint}"),
                *span,
            ))
        }
    }
}

/// The function and the single argument of an arithmetic call, or why it is not one.
fn arithmetic_call<'e>(
    func: &str,
    args: &'e [Arg],
    span: Span,
) -> Result<(UnaryFn, &'e Expr), FormulaError> {
    let Some(f) = functions::arithmetic(func) else {
        let message = match functions::lookup(func).map(|s| s.kind) {
            Some(FunctionKind::Cbind) => {
                "`cbind()` is only allowed as the whole response, as in `cbind(successes, failures) ~ x`"
                    .to_string()
            }
            Some(_) => format!(
                "`{func}()` cannot be used inside arithmetic; the functions allowed here are {}",
                arithmetic_names()
            ),
            None => format!(
                "unknown function `{func}` in arithmetic; the known ones are {}",
                arithmetic_names()
            ),
        };
        return Err(FormulaError::detached(
            ErrorKind::UnknownFunction,
            message,
            span,
        ));
    };
    if let Some(arg) = args.iter().find(|a| a.name.is_some()) {
        let name = arg.name.as_deref().unwrap_or_default();
        return Err(FormulaError::detached(
            ErrorKind::BadArgument,
            format!("`{func}()` takes no keyword arguments; `{name}` is not supported"),
            arg.span,
        ));
    }
    match args {
        [only] => Ok((f, &only.value)),
        [] => Err(FormulaError::detached(
            ErrorKind::BadArgument,
            format!("`{func}()` needs one argument, as in `{func}(x)`"),
            span,
        )),
        [_, second, ..] => Err(FormulaError::detached(
            ErrorKind::BadArgument,
            format!("`{func}()` takes one argument, found {}", args.len()),
            second.span,
        )),
    }
}

/// An intermediate result: constants stay scalars until the end, so `x^2` does not allocate a
/// column of 2s.
enum Value {
    Scalar(f64),
    Column(Vec<f64>),
}

impl Value {
    fn map(self, f: impl Fn(f64) -> f64) -> Value {
        match self {
            Value::Scalar(a) => Value::Scalar(f(a)),
            Value::Column(mut c) => {
                c.iter_mut().for_each(|x| *x = f(*x));
                Value::Column(c)
            }
        }
    }

    /// Applies `f` element-wise, reusing a column's buffer for the result.
    fn zip(self, other: Value, f: fn(f64, f64) -> f64) -> Value {
        match (self, other) {
            (Value::Scalar(a), Value::Scalar(b)) => Value::Scalar(f(a, b)),
            (Value::Column(a), Value::Scalar(b)) => Value::Column(a).map(|x| f(x, b)),
            (Value::Scalar(a), Value::Column(b)) => Value::Column(b).map(|y| f(a, y)),
            (Value::Column(mut a), Value::Column(b)) => {
                a.iter_mut().zip(&b).for_each(|(x, y)| *x = f(*x, *y));
                Value::Column(a)
            }
        }
    }
}

/// `x ^ y` as R computes it: `x * x` for the common square, `pow` otherwise.
fn power(x: f64, y: f64) -> f64 {
    if y == 2.0 {
        x * x
    } else {
        x.powf(y)
    }
}

fn binary_function(op: BinOp) -> Option<fn(f64, f64) -> f64> {
    match op {
        BinOp::Add => Some(|a, b| a + b),
        BinOp::Sub => Some(|a, b| a - b),
        BinOp::Mul => Some(|a, b| a * b),
        BinOp::Div => Some(|a, b| a / b),
        BinOp::Pow => Some(power),
        BinOp::Colon => None,
    }
}

/// Looks up a column by name; called once per occurrence of a name in the expression.
pub type ColumnLookup<'a> = dyn FnMut(&str, Span) -> Result<Vec<f64>, FormulaError> + 'a;

impl Expr {
    /// Evaluates an arithmetic expression to one value per row.
    ///
    /// `lookup` is called with each column name (and its span, to build an error) and must
    /// return `n_rows` values. Numbers are broadcast; `+ - * / ^`, unary minus and the
    /// functions `I log exp sqrt abs log10 log2 log1p expm1` are applied element-wise with
    /// IEEE semantics: `log(0)` is `-inf` and `log(-1)` is NaN, and the caller decides whether
    /// a non-finite value is an error. Errors made here carry no formula text; see
    /// [`ParsedFormula::eval_numeric`](super::ParsedFormula::eval_numeric) to have it attached.
    ///
    /// ```
    /// use rustystats::formula::{parse_expression, FormulaError, Span};
    /// let e = parse_expression("I(x^2 + 1)").unwrap();
    /// let mut lookup = |name: &str, _span: Span| -> Result<Vec<f64>, FormulaError> {
    ///     assert_eq!(name, "x");
    ///     Ok(vec![1.0, 2.0, 3.0])
    /// };
    /// assert_eq!(e.eval_numeric(3, &mut lookup).unwrap(), vec![2.0, 5.0, 10.0]);
    /// ```
    pub fn eval_numeric(
        &self,
        n_rows: usize,
        lookup: &mut ColumnLookup<'_>,
    ) -> Result<Vec<f64>, FormulaError> {
        Ok(match evaluate(self, n_rows, lookup)? {
            Value::Scalar(v) => vec![v; n_rows],
            Value::Column(c) => c,
        })
    }
}

fn evaluate(
    expr: &Expr,
    n_rows: usize,
    lookup: &mut ColumnLookup<'_>,
) -> Result<Value, FormulaError> {
    match expr {
        Expr::Number { value, .. } => Ok(Value::Scalar(*value)),
        Expr::Name { name, span } => {
            let column = lookup(name, *span)?;
            if column.len() != n_rows {
                return Err(FormulaError::detached(
                    ErrorKind::Evaluation,
                    format!(
                        "column `{name}` has {} values but the data has {n_rows} rows",
                        column.len()
                    ),
                    *span,
                ));
            }
            Ok(Value::Column(column))
        }
        Expr::Paren { inner, .. } => evaluate(inner, n_rows, lookup),
        Expr::Unary { op, operand, .. } => {
            let v = evaluate(operand, n_rows, lookup)?;
            Ok(match op {
                UnaryOp::Neg => v.map(|x| -x),
                UnaryOp::Plus => v,
            })
        }
        Expr::Binary { op, lhs, rhs, span } => {
            let Some(f) = binary_function(*op) else {
                return Err(FormulaError::detached(
                    ErrorKind::Evaluation,
                    format!("`{}` has no meaning in arithmetic", op.symbol()),
                    *span,
                ));
            };
            let l = evaluate(lhs, n_rows, lookup)?;
            let r = evaluate(rhs, n_rows, lookup)?;
            Ok(l.zip(r, f))
        }
        Expr::Call { func, args, span } => {
            let (f, arg) = arithmetic_call(func, args, *span)?;
            Ok(evaluate(arg, n_rows, lookup)?.map(f))
        }
        Expr::Str { span, .. } | Expr::List { span, .. } => Err(FormulaError::detached(
            ErrorKind::Evaluation,
            "a string or list cannot be evaluated as a number",
            *span,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formula::parser::parse_expression;

    /// Evaluates `text` with columns x = [1, 2, 4] and e = [1, 10, 100].
    fn eval(text: &str) -> Result<Vec<f64>, FormulaError> {
        let expr = parse_expression(text).unwrap();
        let mut lookup = |name: &str, span: Span| match name {
            "x" => Ok(vec![1.0, 2.0, 4.0]),
            "e" => Ok(vec![1.0, 10.0, 100.0]),
            "short" => Ok(vec![1.0]),
            _ => Err(FormulaError::detached(
                ErrorKind::UnknownColumn,
                format!("no column `{name}`"),
                span,
            )),
        };
        expr.eval_numeric(3, &mut lookup)
    }

    #[test]
    fn arithmetic_with_columns_and_numbers() {
        assert_eq!(eval("I(x^2)").unwrap(), vec![1.0, 4.0, 16.0]);
        assert_eq!(eval("I(x * x + 1)").unwrap(), vec![2.0, 5.0, 17.0]);
        assert_eq!(eval("I(x / 2 - 1)").unwrap(), vec![-0.5, 0.0, 1.0]);
        assert_eq!(eval("I(-x)").unwrap(), vec![-1.0, -2.0, -4.0]);
        assert_eq!(eval("I(+x)").unwrap(), vec![1.0, 2.0, 4.0]);
        assert_eq!(eval("I(2 * (x + 1))").unwrap(), vec![4.0, 6.0, 10.0]);
        assert_eq!(eval("I(1 - x - 1)").unwrap(), vec![-1.0, -2.0, -4.0]);
        assert_eq!(eval("3").unwrap(), vec![3.0, 3.0, 3.0]);
    }

    #[test]
    fn power_is_right_associative_and_binds_tighter_than_minus() {
        assert_eq!(eval("I(2^3^2)").unwrap(), vec![512.0; 3]);
        assert_eq!(eval("I(-2^2)").unwrap(), vec![-4.0; 3]);
        assert_eq!(eval("I((-2)^2)").unwrap(), vec![4.0; 3]);
        assert_eq!(eval("I(x^-1)").unwrap(), vec![1.0, 0.5, 0.25]);
        assert_eq!(eval("I(x^0.5)").unwrap(), vec![1.0, 2f64.sqrt(), 2.0]);
    }

    #[test]
    fn functions_nest() {
        assert_eq!(eval("log(e)").unwrap(), vec![0.0, 10f64.ln(), 100f64.ln()]);
        assert_eq!(eval("log10(e)").unwrap(), vec![0.0, 1.0, 2.0]);
        assert_eq!(eval("log2(x)").unwrap(), vec![0.0, 1.0, 2.0]);
        assert_eq!(eval("exp(log(x))").unwrap(), vec![1.0, 2.0, 4.0]);
        assert_eq!(eval("sqrt(I(x * 4))").unwrap(), vec![2.0, 8f64.sqrt(), 4.0]);
        assert_eq!(eval("abs(1 - x)").unwrap(), vec![0.0, 1.0, 3.0]);
        assert_eq!(eval("log1p(x - 1)").unwrap()[0], 0.0);
        assert_eq!(eval("expm1(x - 1)").unwrap()[0], 0.0);
        assert_eq!(
            eval("log(x + 1)").unwrap(),
            vec![2f64.ln(), 3f64.ln(), 5f64.ln()]
        );
    }

    #[test]
    fn an_inline_closure_can_capture_state() {
        let expr = parse_expression("I(a + b)").unwrap();
        let mut asked = Vec::new();
        let v = expr
            .eval_numeric(2, &mut |name, _span| {
                asked.push(name.to_string());
                Ok(vec![1.0, 2.0])
            })
            .unwrap();
        assert_eq!(v, vec![2.0, 4.0]);
        assert_eq!(asked, ["a", "b"]);
    }

    #[test]
    fn non_finite_results_are_left_to_the_caller() {
        let v = eval("log(x - 2)").unwrap();
        assert!(v[0].is_nan());
        assert_eq!(v[1], f64::NEG_INFINITY);
        assert_eq!(v[2], 2f64.ln());
    }

    #[test]
    fn unknown_function_is_named_with_the_known_ones() {
        let e = eval("I(foo(x))").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnknownFunction);
        assert_eq!(e.span(), Span::new(2, 8));
        assert!(e.message().contains("`foo`"), "{e}");
        assert!(e.message().contains("`log`, `exp`, `sqrt`"), "{e}");
        let e = eval("log(C(x))").unwrap_err();
        assert!(
            e.message()
                .contains("`C()` cannot be used inside arithmetic"),
            "{e}"
        );
    }

    #[test]
    fn evaluation_errors() {
        assert_eq!(
            eval("log(nope)").unwrap_err().kind(),
            ErrorKind::UnknownColumn
        );
        let e = eval("I(short + 1)").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Evaluation);
        assert!(
            e.message()
                .contains("`short` has 1 values but the data has 3 rows"),
            "{e}"
        );
        assert_eq!(eval("I(\"a\")").unwrap_err().kind(), ErrorKind::Evaluation);
        assert_eq!(eval("x:e").unwrap_err().kind(), ErrorKind::Evaluation);
        assert_eq!(
            eval("log(x, e)").unwrap_err().kind(),
            ErrorKind::BadArgument
        );
    }

    #[test]
    fn check_arithmetic_explains() {
        let check = |t: &str| check_arithmetic(&parse_expression(t).unwrap(), Place::Term);
        assert!(check("I(a * b + 1)").is_ok());
        assert!(check("log(exp(x) + 1)").is_ok());
        let e = check("I(a:b)").unwrap_err();
        assert_eq!((e.kind(), e.span()), (ErrorKind::BadTerm, Span::new(2, 5)));
        let e = check("log()").unwrap_err();
        assert_eq!(
            (e.kind(), e.span()),
            (ErrorKind::BadArgument, Span::new(0, 5))
        );
        assert!(e.message().contains("needs one argument"), "{e}");
        let e = check("log(x, base = 2)").unwrap_err();
        assert_eq!(
            (e.kind(), e.span()),
            (ErrorKind::BadArgument, Span::new(7, 15))
        );
        assert!(e.message().contains("`base`"), "{e}");
        let e = check("log('x')").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadArgument);
        let e = check("\"y\"").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadTerm);
        let e = check("log(cbind(a, b))").unwrap_err();
        assert!(e.message().contains("whole response"), "{e}");
    }
}
