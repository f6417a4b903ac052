//! Tokens to an expression tree: a precedence-climbing parser driven by the operator tables.
//!
//! The parser knows the shape of a formula (`lhs ~ rhs`, calls, lists, parentheses) but not
//! what the operators mean; see `terms.rs` for the formula algebra and `eval.rs` for
//! arithmetic.

use super::ast::{Arg, Assoc, BinarySpec, Expr, UnarySpec, BINARY_OPERATORS, UNARY_OPERATORS};
use super::error::{ErrorKind, FormulaError, Span};
use super::lexer::{tokenize, Token, TokenKind};

/// Deeper nesting than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 200;

/// The two sides of a formula, before term expansion.
#[derive(Debug, Clone, PartialEq)]
pub struct FormulaAst {
    /// The response side, left of `~`.
    pub lhs: Expr,
    /// Where the `~` is.
    pub tilde: Span,
    /// The terms side, right of `~`.
    pub rhs: Expr,
}

/// Parses `lhs ~ rhs` into two expression trees, without interpreting the operators.
///
/// ```
/// use rustystats::formula::parse_ast;
/// let ast = parse_ast("y ~ a*b + log(x)").unwrap();
/// assert_eq!(ast.lhs.to_string(), "y");
/// assert_eq!(ast.rhs.to_string(), "a * b + log(x)");
/// ```
pub fn parse_ast(text: &str) -> Result<FormulaAst, FormulaError> {
    let mut p = Parser::new(text)?;
    let tildes: Vec<Span> = p
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Tilde)
        .map(|t| t.span)
        .collect();
    match tildes.len() {
        0 => {
            let trimmed = text.trim_end();
            let start = trimmed.len() - trimmed.trim_start().len();
            return Err(FormulaError::new(
                ErrorKind::MissingTilde,
                "a formula needs `~` between the response and the terms, e.g. `y ~ x1 + x2`",
                Span::new(start, trimmed.len()),
                text,
            ));
        }
        1 => {}
        _ => {
            return Err(FormulaError::new(
                ErrorKind::Syntax,
                "a formula has only one `~`; this is a second one",
                tildes[1],
                text,
            ))
        }
    }
    if p.peek().kind == TokenKind::Tilde {
        return Err(p.error_at(
            ErrorKind::MissingResponse,
            "nothing before `~`: write the response first, e.g. `y ~ x`",
            tildes[0],
        ));
    }
    let lhs = p.expression(0)?;
    if p.peek().kind != TokenKind::Tilde {
        return Err(p.trailing_token("before `~`"));
    }
    p.advance();
    if p.peek().kind == TokenKind::End {
        return Err(p.error_at(
            ErrorKind::EmptyRhs,
            "nothing after `~`: add terms, or `1` for a model with only an intercept",
            tildes[0],
        ));
    }
    let rhs = p.expression(0)?;
    if p.peek().kind != TokenKind::End {
        return Err(p.trailing_token("after the terms"));
    }
    Ok(FormulaAst {
        lhs,
        tilde: tildes[0],
        rhs,
    })
}

/// Parses a single expression with no `~`, such as `log(Exposure)` given as an offset.
///
/// ```
/// use rustystats::formula::parse_expression;
/// let e = parse_expression("log(Exposure)").unwrap();
/// assert_eq!(e.columns(), vec!["Exposure"]);
/// ```
pub fn parse_expression(text: &str) -> Result<Expr, FormulaError> {
    let mut p = Parser::new(text)?;
    if let Some(t) = p.tokens.iter().find(|t| t.kind == TokenKind::Tilde) {
        return Err(p.error_at(
            ErrorKind::Syntax,
            "`~` is not allowed in an expression",
            t.span,
        ));
    }
    let e = p.expression(0)?;
    if p.peek().kind != TokenKind::End {
        return Err(p.trailing_token("after the expression"));
    }
    Ok(e)
}

fn binary_spec(kind: &TokenKind) -> Option<&'static BinarySpec> {
    match kind {
        TokenKind::Operator(sym) => BINARY_OPERATORS.iter().find(|s| s.symbol == *sym),
        _ => None,
    }
}

fn unary_spec(kind: &TokenKind) -> Option<&'static UnarySpec> {
    match kind {
        TokenKind::Operator(sym) => UNARY_OPERATORS.iter().find(|s| s.symbol == *sym),
        _ => None,
    }
}

/// Whether a token can begin an operand.
fn starts_operand(kind: &TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Name(_)
            | TokenKind::Number(_)
            | TokenKind::Str(_)
            | TokenKind::LParen
            | TokenKind::LBracket
    ) || unary_spec(kind).is_some()
}

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Result<Self, FormulaError> {
        let tokens = tokenize(text)?;
        Ok(Parser {
            text,
            tokens,
            pos: 0,
            depth: 0,
        })
    }

    fn peek(&self) -> &Token {
        &self.tokens[self.pos]
    }

    fn peek_second(&self) -> &Token {
        &self.tokens[(self.pos + 1).min(self.tokens.len() - 1)]
    }

    fn advance(&mut self) -> Token {
        let t = self.tokens[self.pos].clone();
        if t.kind != TokenKind::End {
            self.pos += 1;
        }
        t
    }

    fn error_at(&self, kind: ErrorKind, message: impl Into<String>, span: Span) -> FormulaError {
        FormulaError::new(kind, message, span, self.text)
    }

    fn syntax(&self, message: impl Into<String>, span: Span) -> FormulaError {
        self.error_at(ErrorKind::Syntax, message, span)
    }

    /// The error for a token left over after a complete expression.
    fn trailing_token(&self, place: &str) -> FormulaError {
        let t = self.peek();
        let message = match t.kind {
            TokenKind::RParen => "unmatched `)`: there is no `(` for it".to_string(),
            TokenKind::RBracket => "unmatched `]`: there is no `[` for it".to_string(),
            TokenKind::Equals => {
                "unexpected `=`: keyword arguments such as `ref = \"a\"` go inside a call"
                    .to_string()
            }
            ref k => format!("unexpected {k} {place}: expected an operator such as `+` before it"),
        };
        self.syntax(message, t.span)
    }

    /// An operand must follow `after` (an operator, `=` or `,`); parse it or explain.
    fn operand_after(&mut self, after: &Token, min_precedence: u8) -> Result<Expr, FormulaError> {
        let next = self.peek();
        if starts_operand(&next.kind) {
            return self.expression(min_precedence);
        }
        let what = match &after.kind {
            TokenKind::Operator(s) => format!("`{s}` needs a term after it"),
            TokenKind::Equals => "`=` needs a value after it".to_string(),
            k => format!("{k} needs something after it"),
        };
        let message = match next.kind {
            TokenKind::End => format!("unexpected end of formula: {what}"),
            ref k => format!("{what}, found {k}"),
        };
        Err(self.syntax(message, next.span))
    }

    /// Precedence climbing: parses operators that bind at least as tightly as `min_precedence`.
    fn expression(&mut self, min_precedence: u8) -> Result<Expr, FormulaError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.syntax("the formula is nested too deeply", self.peek().span));
        }
        let mut lhs = self.prefix()?;
        while let Some(spec) = binary_spec(&self.peek().kind) {
            if spec.precedence < min_precedence {
                break;
            }
            let op_token = self.advance();
            let next_min = match spec.assoc {
                Assoc::Left => spec.precedence + 1,
                Assoc::Right => spec.precedence,
            };
            let rhs = self.operand_after(&op_token, next_min)?;
            let span = lhs.span().to(rhs.span());
            lhs = Expr::Binary {
                op: spec.op,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
                span,
            };
        }
        self.depth -= 1;
        Ok(lhs)
    }

    /// An atom, a call, a list, a parenthesised expression or a prefix operator.
    fn prefix(&mut self) -> Result<Expr, FormulaError> {
        let token = self.advance();
        let span = token.span;
        match token.kind {
            TokenKind::Number(value) => Ok(Expr::Number { value, span }),
            TokenKind::Str(value) => Ok(Expr::Str { value, span }),
            TokenKind::Name(name) if self.peek().kind == TokenKind::LParen => self.call(name, span),
            TokenKind::Name(name) => Ok(Expr::Name { name, span }),
            TokenKind::LParen => {
                if self.peek().kind == TokenKind::RParen {
                    let close = self.advance().span;
                    return Err(self.syntax("empty parentheses", span.to(close)));
                }
                let inner = self.expression(0)?;
                let close = self.close(&TokenKind::RParen, span, "")?;
                Ok(Expr::Paren {
                    inner: Box::new(inner),
                    span: span.to(close),
                })
            }
            TokenKind::LBracket => self.list(span),
            ref kind => {
                if let Some(spec) = unary_spec(kind) {
                    let operand = self.operand_after(&token, spec.precedence)?;
                    let span = span.to(operand.span());
                    return Ok(Expr::Unary {
                        op: spec.op,
                        operand: Box::new(operand),
                        span,
                    });
                }
                let message = match kind {
                    TokenKind::Operator(s) => format!("`{s}` needs a term before it"),
                    TokenKind::End => "unexpected end of formula: expected a term".to_string(),
                    TokenKind::RParen => "unexpected `)`: expected a term".to_string(),
                    k => format!("unexpected {k}: expected a term"),
                };
                Err(self.syntax(message, span))
            }
        }
    }

    /// Consumes the closing `)` or `]` of the bracket opened at `open`, or explains.
    fn close(&mut self, closer: &TokenKind, open: Span, of: &str) -> Result<Span, FormulaError> {
        let opener = if *closer == TokenKind::RParen {
            "("
        } else {
            "["
        };
        let next = self.peek();
        if next.kind == *closer {
            return Ok(self.advance().span);
        }
        if next.kind == TokenKind::End {
            return Err(self.syntax(format!("unclosed `{opener}`{of}: add {closer}"), open));
        }
        let message = match next.kind {
            TokenKind::Comma if of.is_empty() => {
                "unexpected `,` inside parentheses: only a call has arguments".to_string()
            }
            ref k => format!("unexpected {k}: expected an operator, `,` or {closer}"),
        };
        Err(self.syntax(message, next.span))
    }

    /// `name(args)`; the name has been consumed and the next token is `(`.
    fn call(&mut self, func: String, name_span: Span) -> Result<Expr, FormulaError> {
        let open = self.advance().span;
        let of = format!(" of `{func}(`");
        let mut args = Vec::new();
        if self.peek().kind == TokenKind::RParen {
            let close = self.advance().span;
            return Ok(Expr::Call {
                func,
                args,
                span: name_span.to(close),
            });
        }
        loop {
            args.push(self.argument(&func)?);
            if self.peek().kind == TokenKind::Comma {
                self.advance();
                continue;
            }
            let close = self.close(&TokenKind::RParen, open, &of)?;
            return Ok(Expr::Call {
                func,
                args,
                span: name_span.to(close),
            });
        }
    }

    /// One argument `value` or `name = value` of a call to `func`.
    fn argument(&mut self, func: &str) -> Result<Arg, FormulaError> {
        let next = self.peek().clone();
        if let (TokenKind::Name(name), TokenKind::Equals) = (&next.kind, &self.peek_second().kind) {
            let name = name.clone();
            self.advance();
            let equals = self.advance();
            let value = self.operand_after(&equals, 0)?;
            let span = next.span.to(value.span());
            return Ok(Arg {
                name: Some(name),
                value,
                span,
            });
        }
        if !starts_operand(&next.kind) {
            let message = match next.kind {
                TokenKind::Comma | TokenKind::RParen => {
                    format!("empty argument in `{func}(...)`: write a value or remove the `,`")
                }
                TokenKind::End => format!("unexpected end of formula inside `{func}(`"),
                ref k => format!("unexpected {k} in the arguments of `{func}`"),
            };
            return Err(self.syntax(message, next.span));
        }
        let value = self.expression(0)?;
        Ok(Arg {
            name: None,
            span: value.span(),
            value,
        })
    }

    /// `[item, ...]`; the `[` has been consumed.
    fn list(&mut self, open: Span) -> Result<Expr, FormulaError> {
        let mut items = Vec::new();
        if self.peek().kind == TokenKind::RBracket {
            let close = self.advance().span;
            return Ok(Expr::List {
                items,
                span: open.to(close),
            });
        }
        loop {
            let next = self.peek();
            if !starts_operand(&next.kind) {
                let message = match next.kind {
                    TokenKind::End => "unclosed `[`: add `]`".to_string(),
                    TokenKind::Comma | TokenKind::RBracket => {
                        "empty item in a list: write a value or remove the `,`".to_string()
                    }
                    ref k => format!("unexpected {k} in a list"),
                };
                let span = if next.kind == TokenKind::End {
                    open
                } else {
                    next.span
                };
                return Err(self.syntax(message, span));
            }
            items.push(self.expression(0)?);
            if self.peek().kind == TokenKind::Comma {
                self.advance();
                continue;
            }
            let close = self.close(&TokenKind::RBracket, open, "")?;
            return Ok(Expr::List {
                items,
                span: open.to(close),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formula::ast::BinOp;

    /// Fully parenthesised form, to check grouping.
    fn sexpr(e: &Expr) -> String {
        match e {
            Expr::Binary { op, lhs, rhs, .. } => {
                format!("({} {} {})", op.symbol(), sexpr(lhs), sexpr(rhs))
            }
            Expr::Unary { op, operand, .. } => format!("({} {})", op.symbol(), sexpr(operand)),
            Expr::Paren { inner, .. } => format!("[{}]", sexpr(inner)),
            Expr::Call { func, args, .. } => {
                let args: Vec<String> = args
                    .iter()
                    .map(|a| match &a.name {
                        Some(n) => format!("{n}={}", sexpr(&a.value)),
                        None => sexpr(&a.value),
                    })
                    .collect();
                format!("{func}({})", args.join(" "))
            }
            Expr::List { items, .. } => {
                let items: Vec<String> = items.iter().map(sexpr).collect();
                format!("list({})", items.join(" "))
            }
            other => other.to_string(),
        }
    }

    fn rhs(text: &str) -> String {
        sexpr(&parse_ast(text).unwrap().rhs)
    }

    #[test]
    fn precedence_and_associativity_follow_r() {
        assert_eq!(rhs("y ~ a + b * c"), "(+ a (* b c))");
        assert_eq!(rhs("y ~ a * b : c"), "(* a (: b c))");
        assert_eq!(rhs("y ~ a : b ^ 2"), "(: a (^ b 2))");
        assert_eq!(rhs("y ~ a - b - c"), "(- (- a b) c)");
        assert_eq!(rhs("y ~ a:b:c"), "(: (: a b) c)");
        assert_eq!(rhs("y ~ 2^3^2"), "(^ 2 (^ 3 2))");
        assert_eq!(rhs("y ~ a / b * c"), "(* (/ a b) c)");
    }

    #[test]
    fn unary_minus_sits_between_colon_and_power() {
        assert_eq!(rhs("y ~ -1 + x"), "(+ (- 1) x)");
        assert_eq!(rhs("y ~ -x^2"), "(- (^ x 2))");
        assert_eq!(rhs("y ~ -a:b"), "(: (- a) b)");
        assert_eq!(rhs("y ~ 2^-1"), "(^ 2 (- 1))");
        assert_eq!(rhs("y ~ x + -1"), "(+ x (- 1))");
    }

    #[test]
    fn parentheses_group_and_are_kept() {
        assert_eq!(rhs("y ~ (a + b):c"), "(: [(+ a b)] c)");
        assert_eq!(rhs("y ~ (a+b+c)^2"), "(^ [(+ (+ a b) c)] 2)");
    }

    #[test]
    fn calls_with_positional_and_keyword_arguments() {
        assert_eq!(
            rhs(r#"y ~ C(x, ref="a") + bs(x, df=5, degree=3)"#),
            r#"(+ C(x ref="a") bs(x df=5 degree=3))"#
        );
        assert_eq!(
            rhs("y ~ C(x, levels=['a', \"b\", 3])"),
            r#"C(x levels=list("a" "b" 3))"#
        );
        assert_eq!(rhs("y ~ I(a*b + 1)"), "I((+ (* a b) 1))");
        assert_eq!(rhs("y ~ log(x)"), "log(x)");
        assert_eq!(rhs("y ~ f()"), "f()");
    }

    #[test]
    fn spans_cover_the_source() {
        let text = "log(y) ~ a + C(x, ref = \"b\")";
        let ast = parse_ast(text).unwrap();
        assert_eq!(ast.lhs.span(), Span::new(0, 6));
        assert_eq!(ast.tilde, Span::new(7, 8));
        assert_eq!(ast.rhs.span(), Span::new(9, text.len()));
        let Expr::Binary {
            op: BinOp::Add,
            rhs,
            ..
        } = &ast.rhs
        else {
            panic!()
        };
        let Expr::Call { args, span, .. } = rhs.as_ref() else {
            panic!()
        };
        assert_eq!(&text[span.start..span.end], "C(x, ref = \"b\")");
        assert_eq!(&text[args[1].span.start..args[1].span.end], "ref = \"b\"");
    }

    fn err(text: &str) -> FormulaError {
        parse_ast(text).unwrap_err()
    }

    #[test]
    fn dangling_operator_points_past_the_end() {
        let e = err("y ~ x +");
        assert_eq!(e.kind(), ErrorKind::Syntax);
        assert_eq!(e.span(), Span::point(7));
        assert_eq!(
            e.message(),
            "unexpected end of formula: `+` needs a term after it"
        );
        assert_eq!(
            e.to_string(),
            "unexpected end of formula: `+` needs a term after it\n  y ~ x +\n         ^"
        );
        let e = err("y ~ (a *) + b");
        assert_eq!(e.span(), Span::new(8, 9));
        assert!(
            e.message().contains("`*` needs a term after it, found `)`"),
            "{e}"
        );
        let e = err("y + ~ x");
        assert!(e.message().contains("`+` needs a term after it"), "{e}");
    }

    #[test]
    fn leading_binary_only_operator() {
        let e = err("y ~ * x");
        assert_eq!(e.span(), Span::new(4, 5));
        assert!(e.message().contains("`*` needs a term before it"), "{e}");
    }

    #[test]
    fn unbalanced_parentheses_point_at_the_unmatched_one() {
        let e = err("y ~ (a + b");
        assert_eq!(e.kind(), ErrorKind::Syntax);
        assert_eq!(e.span(), Span::new(4, 5));
        assert!(e.message().contains("unclosed `(`"), "{e}");
        let e = err("y ~ log(x + 1");
        assert_eq!(e.span(), Span::new(7, 8));
        assert!(e.message().contains("unclosed `(` of `log(`"), "{e}");
        let e = err("y ~ a + b)");
        assert_eq!(e.span(), Span::new(9, 10));
        assert!(e.message().contains("unmatched `)`"), "{e}");
        let e = err("log(y)) ~ x");
        assert_eq!(e.span(), Span::new(6, 7));
        assert!(e.message().contains("unmatched `)`"), "{e}");
        let e = err("y ~ C(x, levels=[\"a\"");
        assert!(e.message().contains("unclosed `[`"), "{e}");
        assert_eq!(e.span(), Span::new(16, 17));
    }

    #[test]
    fn empty_arguments_and_list_items() {
        let e = err("y ~ log(x,)");
        assert_eq!(e.span(), Span::new(10, 11));
        assert!(e.message().contains("empty argument in `log(...)`"), "{e}");
        let e = err("y ~ bs(, x)");
        assert_eq!(e.span(), Span::new(7, 8));
        let e = err("y ~ C(x, levels=[\"a\",,\"b\"])");
        assert!(e.message().contains("empty item"), "{e}");
        let e = err("y ~ C(x, ref=)");
        assert_eq!(e.span(), Span::new(13, 14));
        assert!(e.message().contains("`=` needs a value"), "{e}");
        let e = err("y ~ ()");
        assert!(e.message().contains("empty parentheses"), "{e}");
    }

    #[test]
    fn adjacent_operands_need_an_operator() {
        let e = err("y ~ a b");
        assert_eq!(e.span(), Span::new(6, 7));
        assert!(e.message().contains("unexpected name `b`"), "{e}");
        let e = err("y ~ x = 2");
        assert!(e.message().contains("unexpected `=`"), "{e}");
    }

    #[test]
    fn single_expressions() {
        assert_eq!(
            sexpr(&parse_expression("log(x + 1)").unwrap()),
            "log((+ x 1))"
        );
        assert!(parse_expression("y ~ x").is_err());
        assert!(parse_expression("x )").is_err());
    }
}
