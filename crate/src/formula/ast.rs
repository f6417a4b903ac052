//! The expression tree and the operator tables.
//!
//! A formula is parsed into one [`Expr`] per side of the `~`. The tree does not decide what an
//! operator means: `a * b` is a product inside `I(...)` and a crossing at the top of the
//! right-hand side. That choice belongs to the term expansion (`terms.rs`) and the evaluator
//! (`eval.rs`).
//!
//! Operators are data: [`BINARY_OPERATORS`] and [`UNARY_OPERATORS`] list each operator's
//! symbol, precedence and associativity, and the lexer, the parser and `Display` all read them.
//! A new operator is a new enum variant plus one table row.

use std::fmt;

use super::error::Span;

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// `+`: a sum of terms, or addition.
    Add,
    /// `-`: term removal, or subtraction.
    Sub,
    /// `*`: crossing (`a*b` = `a + b + a:b`), or multiplication.
    Mul,
    /// `/`: division (nesting is not supported in formulas).
    Div,
    /// `:`: interaction.
    Colon,
    /// `^`: crossing up to an order, or power.
    Pow,
}

/// A prefix operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// `-x`: negation, or removal of a term at the top level.
    Neg,
    /// `+x`: no effect.
    Plus,
}

/// How a chain of operators of equal precedence groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assoc {
    /// `a - b - c` is `(a - b) - c`.
    Left,
    /// `a ^ b ^ c` is `a ^ (b ^ c)`.
    Right,
}

/// One row of [`BINARY_OPERATORS`].
#[derive(Debug, Clone, Copy)]
pub struct BinarySpec {
    /// The operator.
    pub op: BinOp,
    /// Its text in a formula.
    pub symbol: &'static str,
    /// Binding strength: higher binds tighter. `~` is below all of them.
    pub precedence: u8,
    /// Grouping of a chain of operators of the same precedence.
    pub assoc: Assoc,
    /// Whether `Display` puts a space on each side, as R's `deparse` does.
    pub spaced: bool,
}

/// One row of [`UNARY_OPERATORS`].
#[derive(Debug, Clone, Copy)]
pub struct UnarySpec {
    /// The operator.
    pub op: UnaryOp,
    /// Its text in a formula.
    pub symbol: &'static str,
    /// Binding strength of the operand: R puts unary minus between `:` and `^`, so
    /// `-a:b` is `(-a):b` and `-x^2` is `-(x^2)`.
    pub precedence: u8,
}

/// The binary operators, with R's precedences: `+ -` < `* /` < `:` < `^`.
#[rustfmt::skip]
pub const BINARY_OPERATORS: &[BinarySpec] = &[
    BinarySpec { op: BinOp::Add, symbol: "+", precedence: 10, assoc: Assoc::Left, spaced: true },
    BinarySpec { op: BinOp::Sub, symbol: "-", precedence: 10, assoc: Assoc::Left, spaced: true },
    BinarySpec { op: BinOp::Mul, symbol: "*", precedence: 20, assoc: Assoc::Left, spaced: true },
    BinarySpec { op: BinOp::Div, symbol: "/", precedence: 20, assoc: Assoc::Left, spaced: false },
    BinarySpec { op: BinOp::Colon, symbol: ":", precedence: 30, assoc: Assoc::Left, spaced: false },
    BinarySpec { op: BinOp::Pow, symbol: "^", precedence: 40, assoc: Assoc::Right, spaced: false },
];

/// The prefix operators.
#[rustfmt::skip]
pub const UNARY_OPERATORS: &[UnarySpec] = &[
    UnarySpec { op: UnaryOp::Neg, symbol: "-", precedence: 35 },
    UnarySpec { op: UnaryOp::Plus, symbol: "+", precedence: 35 },
];

impl BinOp {
    /// This operator's row of [`BINARY_OPERATORS`].
    pub fn spec(self) -> &'static BinarySpec {
        BINARY_OPERATORS
            .iter()
            .find(|s| s.op == self)
            .expect("every BinOp has a row in BINARY_OPERATORS")
    }

    /// Its text in a formula, such as `"+"`.
    pub fn symbol(self) -> &'static str {
        self.spec().symbol
    }
}

impl UnaryOp {
    /// This operator's row of [`UNARY_OPERATORS`].
    pub fn spec(self) -> &'static UnarySpec {
        UNARY_OPERATORS
            .iter()
            .find(|s| s.op == self)
            .expect("every UnaryOp has a row in UNARY_OPERATORS")
    }

    /// Its text in a formula, such as `"-"`.
    pub fn symbol(self) -> &'static str {
        self.spec().symbol
    }
}

/// A parsed expression, one side of a formula or part of it.
///
/// Every node keeps the [`Span`] of the text it was parsed from. Parentheses are kept as
/// [`Expr::Paren`] so that labels show them as the user wrote them.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A column name, such as `x` or `` `Vehicle Age` `` (stored without the backquotes).
    Name {
        /// The name.
        name: String,
        /// Where it was written.
        span: Span,
    },
    /// A number literal, such as `1`, `2.5` or `1e-3`.
    Number {
        /// Its value.
        value: f64,
        /// Where it was written.
        span: Span,
    },
    /// A string literal in double or single quotes (stored without quotes, escapes resolved).
    Str {
        /// Its value.
        value: String,
        /// Where it was written.
        span: Span,
    },
    /// A list `[a, "b", 3]`.
    List {
        /// The items, in order.
        items: Vec<Expr>,
        /// From `[` to `]`.
        span: Span,
    },
    /// A function call `f(x, name = value)`.
    Call {
        /// The function name.
        func: String,
        /// The arguments, positional and keyword, in the order written.
        args: Vec<Arg>,
        /// From the name to `)`.
        span: Span,
    },
    /// `lhs op rhs`.
    Binary {
        /// The operator.
        op: BinOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
        /// From the start of `lhs` to the end of `rhs`.
        span: Span,
    },
    /// `op operand`.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        operand: Box<Expr>,
        /// From the operator to the end of the operand.
        span: Span,
    },
    /// `( inner )`.
    Paren {
        /// The expression inside.
        inner: Box<Expr>,
        /// From `(` to `)`.
        span: Span,
    },
}

/// One argument of a function call: `x` (positional) or `df = 5` (keyword).
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    /// The keyword, or `None` for a positional argument.
    pub name: Option<String>,
    /// The value.
    pub value: Expr,
    /// The whole argument, keyword included.
    pub span: Span,
}

impl Expr {
    /// The expression as written in `formula`, the text it was parsed from (re-parseable,
    /// backquotes kept).
    pub fn source(&self, formula: &str) -> String {
        let span = self.span();
        formula[span.start..span.end].to_string()
    }

    /// Where this expression was written.
    pub fn span(&self) -> Span {
        match self {
            Expr::Name { span, .. }
            | Expr::Number { span, .. }
            | Expr::Str { span, .. }
            | Expr::List { span, .. }
            | Expr::Call { span, .. }
            | Expr::Binary { span, .. }
            | Expr::Unary { span, .. }
            | Expr::Paren { span, .. } => *span,
        }
    }

    /// The expression inside any number of parentheses.
    pub fn unparen(&self) -> &Expr {
        let mut e = self;
        while let Expr::Paren { inner, .. } = e {
            e = inner;
        }
        e
    }

    /// The column names this expression reads, each once, in order of first appearance.
    /// Function names are not columns.
    ///
    /// ```
    /// use rustystats::formula::parse;
    /// let f = parse("y ~ I(a * b + log(a))").unwrap();
    /// assert_eq!(f.terms[0].factors[0].columns(), vec!["a", "b"]);
    /// ```
    pub fn columns(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_columns(&mut out);
        out
    }

    pub(crate) fn collect_columns(&self, out: &mut Vec<String>) {
        match self {
            Expr::Name { name, .. } => {
                if !out.iter().any(|c| c == name) {
                    out.push(name.clone());
                }
            }
            Expr::Number { .. } | Expr::Str { .. } => {}
            Expr::List { items, .. } => items.iter().for_each(|e| e.collect_columns(out)),
            Expr::Call { args, .. } => args.iter().for_each(|a| a.value.collect_columns(out)),
            Expr::Binary { lhs, rhs, .. } => {
                lhs.collect_columns(out);
                rhs.collect_columns(out);
            }
            Expr::Unary { operand, .. } => operand.collect_columns(out),
            Expr::Paren { inner, .. } => inner.collect_columns(out),
        }
    }

    /// The precedence this node shows to a parent operator (atoms bind tightest).
    fn display_precedence(&self) -> u8 {
        match self {
            Expr::Binary { op, .. } => op.spec().precedence,
            Expr::Unary { op, .. } => op.spec().precedence,
            _ => u8::MAX,
        }
    }
}

/// Writes a number the way R's `deparse` does for common values: `2`, `2.5`, `0.001`.
pub(crate) fn write_number(f: &mut fmt::Formatter<'_>, value: f64) -> fmt::Result {
    if value == value.trunc() && value.abs() < 1e15 {
        write!(f, "{}", value as i64)
    } else {
        write!(f, "{value}")
    }
}

/// Writes a string literal in double quotes, escaping `"` and `\`.
pub(crate) fn write_string(f: &mut fmt::Formatter<'_>, value: &str) -> fmt::Result {
    write!(f, "\"")?;
    for c in value.chars() {
        match c {
            '"' => write!(f, "\\\"")?,
            '\\' => write!(f, "\\\\")?,
            '\n' => write!(f, "\\n")?,
            '\t' => write!(f, "\\t")?,
            c => write!(f, "{c}")?,
        }
    }
    write!(f, "\"")
}

/// Writes `func(arg, name = value)`.
pub(crate) fn write_call(f: &mut fmt::Formatter<'_>, func: &str, args: &[Arg]) -> fmt::Result {
    write!(f, "{func}(")?;
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            write!(f, ", ")?;
        }
        write!(f, "{arg}")?;
    }
    write!(f, ")")
}

/// Writes `child` as an operand, in parentheses when the tree's grouping would otherwise be
/// lost. Parsed trees keep the user's parentheses as [`Expr::Paren`], so this only adds any
/// for trees built by hand.
fn write_operand(f: &mut fmt::Formatter<'_>, child: &Expr, needs_parens: bool) -> fmt::Result {
    if needs_parens {
        write!(f, "({child})")
    } else {
        write!(f, "{child}")
    }
}

/// The normalised text of the expression: single spaces around `+ - *` and none around
/// `/ : ^` (as R's `deparse`), names without backquotes, keyword arguments as `name = value`.
/// Coefficient names are built from it: `log(Holders)`, `I(x^2)`, `I(a * b + 1)`.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Name { name, .. } => write!(f, "{name}"),
            Expr::Number { value, .. } => write_number(f, *value),
            Expr::Str { value, .. } => write_string(f, value),
            Expr::List { items, .. } => {
                write!(f, "[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{item}")?;
                }
                write!(f, "]")
            }
            Expr::Call { func, args, .. } => write_call(f, func, args),
            Expr::Binary { op, lhs, rhs, .. } => {
                let spec = op.spec();
                let (lp, rp) = (lhs.display_precedence(), rhs.display_precedence());
                let left_parens =
                    lp < spec.precedence || (lp == spec.precedence && spec.assoc == Assoc::Right);
                let right_parens =
                    rp < spec.precedence || (rp == spec.precedence && spec.assoc == Assoc::Left);
                write_operand(f, lhs, left_parens)?;
                if spec.spaced {
                    write!(f, " {} ", spec.symbol)?;
                } else {
                    write!(f, "{}", spec.symbol)?;
                }
                write_operand(f, rhs, right_parens)
            }
            Expr::Unary { op, operand, .. } => {
                let spec = op.spec();
                write!(f, "{}", spec.symbol)?;
                write_operand(f, operand, operand.display_precedence() < spec.precedence)
            }
            Expr::Paren { inner, .. } => write!(f, "({inner})"),
        }
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(name) = &self.name {
            write!(f, "{name} = ")?;
        }
        write!(f, "{}", self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(n: &str) -> Expr {
        Expr::Name {
            name: n.into(),
            span: Span::default(),
        }
    }

    fn num(v: f64) -> Expr {
        Expr::Number {
            value: v,
            span: Span::default(),
        }
    }

    fn bin(op: BinOp, l: Expr, r: Expr) -> Expr {
        Expr::Binary {
            op,
            lhs: Box::new(l),
            rhs: Box::new(r),
            span: Span::default(),
        }
    }

    #[test]
    fn every_operator_has_exactly_one_row() {
        for op in [
            BinOp::Add,
            BinOp::Sub,
            BinOp::Mul,
            BinOp::Div,
            BinOp::Colon,
            BinOp::Pow,
        ] {
            assert_eq!(BINARY_OPERATORS.iter().filter(|s| s.op == op).count(), 1);
        }
        for op in [UnaryOp::Neg, UnaryOp::Plus] {
            assert_eq!(UNARY_OPERATORS.iter().filter(|s| s.op == op).count(), 1);
        }
    }

    #[test]
    fn precedence_follows_r() {
        let p = |op: BinOp| op.spec().precedence;
        assert!(p(BinOp::Add) == p(BinOp::Sub));
        assert!(p(BinOp::Sub) < p(BinOp::Mul));
        assert!(p(BinOp::Mul) == p(BinOp::Div));
        assert!(p(BinOp::Div) < p(BinOp::Colon));
        assert!(p(BinOp::Colon) < UnaryOp::Neg.spec().precedence);
        assert!(UnaryOp::Neg.spec().precedence < p(BinOp::Pow));
        assert_eq!(BinOp::Pow.spec().assoc, Assoc::Right);
    }

    #[test]
    fn display_spacing_follows_deparse() {
        let e = bin(BinOp::Add, bin(BinOp::Mul, name("a"), name("b")), num(1.0));
        assert_eq!(e.to_string(), "a * b + 1");
        assert_eq!(bin(BinOp::Pow, name("x"), num(2.0)).to_string(), "x^2");
        assert_eq!(bin(BinOp::Div, name("x"), num(2.5)).to_string(), "x/2.5");
        assert_eq!(bin(BinOp::Colon, name("a"), name("b")).to_string(), "a:b");
        assert_eq!(num(1e-3).to_string(), "0.001");
    }

    #[test]
    fn display_adds_parentheses_only_where_the_tree_needs_them() {
        // (a + b) * c built by hand, without a Paren node.
        let e = bin(BinOp::Mul, bin(BinOp::Add, name("a"), name("b")), name("c"));
        assert_eq!(e.to_string(), "(a + b) * c");
        // a - (b - c) keeps its grouping; (a - b) - c needs none.
        let e = bin(BinOp::Sub, name("a"), bin(BinOp::Sub, name("b"), name("c")));
        assert_eq!(e.to_string(), "a - (b - c)");
        let e = bin(BinOp::Sub, bin(BinOp::Sub, name("a"), name("b")), name("c"));
        assert_eq!(e.to_string(), "a - b - c");
        // Right-associative power.
        let e = bin(BinOp::Pow, bin(BinOp::Pow, num(2.0), num(3.0)), num(2.0));
        assert_eq!(e.to_string(), "(2^3)^2");
        let neg = Expr::Unary {
            op: UnaryOp::Neg,
            operand: Box::new(name("x")),
            span: Span::default(),
        };
        assert_eq!(bin(BinOp::Pow, neg.clone(), num(2.0)).to_string(), "(-x)^2");
        assert_eq!(bin(BinOp::Mul, neg, num(2.0)).to_string(), "-x * 2");
    }

    #[test]
    fn strings_and_calls() {
        let s = Expr::Str {
            value: "a\"b".into(),
            span: Span::default(),
        };
        assert_eq!(s.to_string(), r#""a\"b""#);
        let call = Expr::Call {
            func: "bs".into(),
            args: vec![
                Arg {
                    name: None,
                    value: name("x"),
                    span: Span::default(),
                },
                Arg {
                    name: Some("df".into()),
                    value: num(5.0),
                    span: Span::default(),
                },
            ],
            span: Span::default(),
        };
        assert_eq!(call.to_string(), "bs(x, df = 5)");
        assert_eq!(call.columns(), vec!["x"]);
    }
}
