//! Factors: the pieces a term is made of (`a:b` has the factors `a` and `b`).

use std::fmt;

use super::ast::{write_call, write_number, write_string, Arg, Expr, UnaryOp};
use super::error::{ErrorKind, FormulaError, Span};

/// A level of a categorical column, as written in `C(x, ref = ...)` or `levels = [...]`.
#[derive(Debug, Clone, PartialEq)]
pub enum LevelRef {
    /// A level written as a string: `ref = "B"` names the level `B` of a text column.
    Str(String),
    /// A level written as a number: `ref = 2` names the level whose value is 2 in a numeric
    /// (or integer-coded) column. It is a value, not a position.
    Num(f64),
}

impl fmt::Display for LevelRef {
    /// Written as in a formula: `"B"` or `2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LevelRef::Str(s) => write_string(f, s),
            LevelRef::Num(v) => write_number(f, *v),
        }
    }
}

/// One factor of a term.
#[derive(Debug, Clone, PartialEq)]
pub enum Factor {
    /// A column or an arithmetic expression of columns: `x`, `log(x)`, `I(x^2)`, `exp(x)`.
    ///
    /// A plain column name is numeric or categorical according to the column's type in the
    /// data, which only the frame layer knows; every other expression is numeric.
    Numeric(Expr),
    /// `C(column, ref = ..., levels = [...])`: the column treated as categorical.
    Categorical {
        /// The column.
        column: String,
        /// The reference (base) level, whose coefficient is absorbed in the intercept.
        reference: Option<LevelRef>,
        /// The levels in the order to use; without it, the frame layer chooses.
        levels: Option<Vec<LevelRef>>,
        /// The whole `C(...)` call.
        span: Span,
    },
    /// A function the frame layer interprets with the data, such as `bs(x, df = 5)`,
    /// `ns(x, df = 4)` or `poly(x, 2)`. The arguments are as parsed, not yet checked.
    Call {
        /// The function name.
        func: String,
        /// The arguments as written.
        args: Vec<Arg>,
        /// The whole call.
        span: Span,
    },
}

impl Factor {
    /// The factor as it appears in term and coefficient names, normalised:
    /// `x`, `log(x)`, `I(x^2)`, `C(Area)`, `C(Area, ref = "B")`, `bs(x, df = 5)`.
    pub fn label(&self) -> String {
        self.to_string()
    }

    /// The whole factor's place in the formula.
    pub fn span(&self) -> Span {
        match self {
            Factor::Numeric(e) => e.span(),
            Factor::Categorical { span, .. } | Factor::Call { span, .. } => *span,
        }
    }

    /// The columns the factor reads, each once, in order of appearance.
    pub fn columns(&self) -> Vec<String> {
        match self {
            Factor::Numeric(e) => e.columns(),
            Factor::Categorical { column, .. } => vec![column.clone()],
            Factor::Call { args, .. } => {
                let mut out = Vec::new();
                args.iter().for_each(|a| a.value.collect_columns(&mut out));
                out
            }
        }
    }
}

impl fmt::Display for Factor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Factor::Numeric(e) => write!(f, "{e}"),
            Factor::Categorical {
                column,
                reference,
                levels,
                ..
            } => {
                write!(f, "C({column}")?;
                if let Some(r) = reference {
                    write!(f, ", ref = {r}")?;
                }
                if let Some(levels) = levels {
                    let items: Vec<String> = levels.iter().map(LevelRef::to_string).collect();
                    write!(f, ", levels = [{}]", items.join(", "))?;
                }
                write!(f, ")")
            }
            Factor::Call { func, args, .. } => write_call(f, func, args),
        }
    }
}

fn bad_argument(message: impl Into<String>, span: Span) -> FormulaError {
    FormulaError::detached(ErrorKind::BadArgument, message, span)
}

/// Builds the factor for `C(args)`: a column first, then the keywords `ref` and `levels`.
pub(crate) fn categorical(args: &[Arg], span: Span) -> Result<Factor, FormulaError> {
    let Some(first) = args.first() else {
        return Err(bad_argument(
            "`C()` needs a column, as in `C(Area)` or `C(Area, ref = \"B\")`",
            span,
        ));
    };
    let column = match (&first.name, first.value.unparen()) {
        (None, Expr::Name { name, .. }) => name.clone(),
        (Some(_), _) => {
            return Err(bad_argument(
                "the first argument of `C()` is the column, without a keyword: `C(Area, ...)`",
                first.span,
            ))
        }
        (None, other) => {
            return Err(bad_argument(
                format!(
                    "the first argument of `C()` must be a column name, not `{other}`; \
                     a column with spaces is written with backquotes: C(`Vehicle Age`)"
                ),
                first.span,
            ))
        }
    };
    let mut reference = None;
    let mut levels: Option<Vec<LevelRef>> = None;
    for arg in &args[1..] {
        let Some(keyword) = &arg.name else {
            return Err(bad_argument(
                "`C()` takes one column; other arguments need a keyword: `ref = ...` or \
                 `levels = [...]`",
                arg.span,
            ));
        };
        let already = match keyword.as_str() {
            "ref" => reference.replace(level(&arg.value, "ref")?).is_some(),
            "levels" => levels.replace(level_list(&arg.value)?).is_some(),
            other => {
                return Err(bad_argument(
                    format!(
                        "unknown keyword `{other}` for `C()`; the keywords are `ref` and `levels`"
                    ),
                    arg.span,
                ))
            }
        };
        if already {
            return Err(bad_argument(
                format!("`{keyword}` is given twice"),
                arg.span,
            ));
        }
    }
    if let (Some(r), Some(ls)) = (&reference, &levels) {
        if !ls.contains(r) {
            let at = args.iter().find(|a| a.name.as_deref() == Some("ref"));
            return Err(bad_argument(
                format!("the reference level {r} is not one of the listed levels"),
                at.map_or(span, |a| a.span),
            ));
        }
    }
    Ok(Factor::Categorical {
        column,
        reference,
        levels,
        span,
    })
}

/// A level written as a string or a (possibly negative) number.
fn level(value: &Expr, keyword: &str) -> Result<LevelRef, FormulaError> {
    match value.unparen() {
        Expr::Str { value, .. } => Ok(LevelRef::Str(value.clone())),
        Expr::Number { value, .. } => Ok(LevelRef::Num(*value)),
        Expr::Unary {
            op: UnaryOp::Neg,
            operand,
            ..
        } => match operand.unparen() {
            Expr::Number { value, .. } => Ok(LevelRef::Num(-value)),
            _ => Err(not_a_level(value, keyword)),
        },
        _ => Err(not_a_level(value, keyword)),
    }
}

fn not_a_level(value: &Expr, keyword: &str) -> FormulaError {
    let hint = match value.unparen() {
        Expr::Name { name, .. } => format!("; to name the level {name}, quote it: \"{name}\""),
        _ => String::new(),
    };
    bad_argument(
        format!("`{keyword}` must be a level written as a string or a number, not `{value}`{hint}"),
        value.span(),
    )
}

/// `levels = ["a", "b", 3]`: a non-empty list of distinct levels.
fn level_list(value: &Expr) -> Result<Vec<LevelRef>, FormulaError> {
    let Expr::List { items, span } = value.unparen() else {
        return Err(bad_argument(
            format!("`levels` must be a list such as [\"a\", \"b\"], not `{value}`"),
            value.span(),
        ));
    };
    if items.is_empty() {
        return Err(bad_argument("`levels` must list at least one level", *span));
    }
    let mut out: Vec<LevelRef> = Vec::with_capacity(items.len());
    for item in items {
        let l = level(item, "levels")?;
        if out.contains(&l) {
            return Err(bad_argument(
                format!("the level {l} is listed twice"),
                item.span(),
            ));
        }
        out.push(l);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formula::parser::parse_expression;

    fn c(text: &str) -> Result<Factor, FormulaError> {
        match parse_expression(text).unwrap() {
            Expr::Call { func, args, span } if func == "C" => categorical(&args, span),
            other => panic!("not a C() call: {other}"),
        }
    }

    #[test]
    fn column_reference_and_levels() {
        let f = c(r#"C(Area, ref = "B", levels = ["B", "A", 3, -1])"#).unwrap();
        let Factor::Categorical {
            column,
            reference,
            levels,
            ..
        } = &f
        else {
            panic!()
        };
        assert_eq!(column, "Area");
        assert_eq!(reference, &Some(LevelRef::Str("B".into())));
        let expected = vec![
            LevelRef::Str("B".into()),
            LevelRef::Str("A".into()),
            LevelRef::Num(3.0),
            LevelRef::Num(-1.0),
        ];
        assert_eq!(levels.as_ref().unwrap(), &expected);
        assert_eq!(
            f.label(),
            r#"C(Area, ref = "B", levels = ["B", "A", 3, -1])"#
        );
        assert_eq!(f.columns(), vec!["Area"]);
    }

    #[test]
    fn numeric_reference_and_backquoted_column() {
        let f = c("C(`Vehicle Age`, ref=2)").unwrap();
        assert_eq!(f.label(), "C(Vehicle Age, ref = 2)");
        let Factor::Categorical { reference, .. } = f else {
            panic!()
        };
        assert_eq!(reference, Some(LevelRef::Num(2.0)));
        assert_eq!(c("C(Area)").unwrap().label(), "C(Area)");
    }

    fn bad(text: &str, span_text: &str, needle: &str) {
        let e = c(text).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadArgument, "{text}");
        let at = text.rfind(span_text).unwrap();
        assert_eq!(e.span(), Span::new(at, at + span_text.len()), "{text}: {e}");
        assert!(e.message().contains(needle), "{text}: {}", e.message());
    }

    #[test]
    fn errors_name_the_problem() {
        bad("C()", "C()", "needs a column");
        bad("C(\"Area\")", "\"Area\"", "must be a column name");
        bad("C(log(x))", "log(x)", "must be a column name");
        bad("C(x, 2)", "2", "need a keyword");
        bad("C(x, base = 2)", "base = 2", "unknown keyword `base`");
        bad("C(x, ref = B)", "B", "quote it: \"B\"");
        bad("C(x, ref = [1])", "[1]", "`ref` must be a level");
        bad("C(x, levels = \"a\")", "\"a\"", "`levels` must be a list");
        bad("C(x, levels = [])", "[]", "at least one level");
        bad("C(x, levels = [\"a\", \"a\"])", "\"a\"", "listed twice");
        bad("C(x, ref = 1, ref = 2)", "ref = 2", "given twice");
        bad(
            "C(x, ref = \"c\", levels = [\"a\"])",
            "ref = \"c\"",
            "not one of the listed",
        );
        bad("C(column = x)", "column = x", "without a keyword");
    }
}
