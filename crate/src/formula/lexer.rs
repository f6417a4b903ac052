//! Formula text to tokens, each with its source span.

use std::fmt;

use super::ast::{BINARY_OPERATORS, UNARY_OPERATORS};
use super::error::{ErrorKind, FormulaError, Span};

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub enum TokenKind {
    /// An identifier (`x`, `log`, `Vehicle.Age`) or a backquoted name (`` `Vehicle Age` ``),
    /// stored without the backquotes.
    Name(String),
    /// A number literal.
    Number(f64),
    /// A string literal, quotes removed and escapes resolved.
    Str(String),
    /// An operator symbol from the operator tables, such as `"+"` or `":"`.
    Operator(&'static str),
    /// `~`
    Tilde,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `,`
    Comma,
    /// `=`
    Equals,
    /// The end of the formula (always the last token, with an empty span).
    End,
}

/// A token and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Where it was written.
    pub span: Span,
}

impl fmt::Display for TokenKind {
    /// How a token is named in error messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenKind::Name(n) => write!(f, "name `{n}`"),
            TokenKind::Number(v) => {
                write!(f, "number `")?;
                super::ast::write_number(f, *v)?;
                write!(f, "`")
            }
            TokenKind::Str(s) => {
                write!(f, "string ")?;
                super::ast::write_string(f, s)
            }
            TokenKind::Operator(s) => write!(f, "`{s}`"),
            TokenKind::Tilde => write!(f, "`~`"),
            TokenKind::LParen => write!(f, "`(`"),
            TokenKind::RParen => write!(f, "`)`"),
            TokenKind::LBracket => write!(f, "`[`"),
            TokenKind::RBracket => write!(f, "`]`"),
            TokenKind::Comma => write!(f, "`,`"),
            TokenKind::Equals => write!(f, "`=`"),
            TokenKind::End => write!(f, "end of formula"),
        }
    }
}

/// Splits a formula into tokens. The last token is always [`TokenKind::End`].
///
/// ```
/// use rustystats::formula::{tokenize, Span, TokenKind};
/// let tokens = tokenize("y ~ log(x)").unwrap();
/// assert_eq!(tokens[0].kind, TokenKind::Name("y".into()));
/// assert_eq!(tokens[3].span, Span::new(7, 8)); // the `(`
/// ```
pub fn tokenize(text: &str) -> Result<Vec<Token>, FormulaError> {
    let mut lexer = Lexer { text, pos: 0 };
    let mut tokens = Vec::new();
    loop {
        lexer.skip_whitespace();
        let start = lexer.pos;
        let Some(c) = lexer.peek() else {
            tokens.push(Token {
                kind: TokenKind::End,
                span: Span::point(text.len()),
            });
            return Ok(tokens);
        };
        let kind = match c {
            '~' => lexer.single(TokenKind::Tilde),
            '(' => lexer.single(TokenKind::LParen),
            ')' => lexer.single(TokenKind::RParen),
            '[' => lexer.single(TokenKind::LBracket),
            ']' => lexer.single(TokenKind::RBracket),
            ',' => lexer.single(TokenKind::Comma),
            '=' => lexer.single(TokenKind::Equals),
            '"' | '\'' => lexer.string(c)?,
            '`' => lexer.backquoted()?,
            c if c.is_ascii_digit() => lexer.number()?,
            '.' if lexer.peek_second().is_some_and(|d| d.is_ascii_digit()) => lexer.number()?,
            c if is_name_start(c) => lexer.identifier(),
            _ => match lexer.operator() {
                Some(symbol) => TokenKind::Operator(symbol),
                None => return Err(lexer.unexpected_character(c)),
            },
        };
        tokens.push(Token {
            kind,
            span: Span::new(start, lexer.pos),
        });
    }
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '.'
}

fn is_name_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '.'
}

struct Lexer<'a> {
    text: &'a str,
    pos: usize,
}

impl Lexer<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek_second(&self) -> Option<char> {
        self.rest().chars().nth(1)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat_while(&mut self, keep: impl Fn(char) -> bool) {
        while self.peek().is_some_and(&keep) {
            self.bump();
        }
    }

    fn skip_whitespace(&mut self) {
        self.eat_while(char::is_whitespace);
    }

    fn single(&mut self, kind: TokenKind) -> TokenKind {
        self.bump();
        kind
    }

    fn error(&self, start: usize, message: impl Into<String>) -> FormulaError {
        FormulaError::new(
            ErrorKind::Syntax,
            message,
            Span::new(start, self.pos),
            self.text,
        )
    }

    fn identifier(&mut self) -> TokenKind {
        let start = self.pos;
        self.eat_while(is_name_continue);
        TokenKind::Name(self.text[start..self.pos].to_string())
    }

    /// `12`, `2.5`, `.5`, `1.`, `1e-3`, `2E+10`.
    fn number(&mut self) -> Result<TokenKind, FormulaError> {
        let start = self.pos;
        self.eat_while(|c| c.is_ascii_digit());
        if self.peek() == Some('.') {
            self.bump();
            self.eat_while(|c| c.is_ascii_digit());
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            self.bump();
            if matches!(self.peek(), Some('+' | '-')) {
                self.bump();
            }
            let digits = self.pos;
            self.eat_while(|c| c.is_ascii_digit());
            if self.pos == digits {
                let written = &self.text[start..self.pos];
                return Err(self.error(
                    start,
                    format!("the number `{written}` needs digits after its exponent, e.g. `1e-3`"),
                ));
            }
        }
        let written = &self.text[start..self.pos];
        match written.parse::<f64>() {
            Ok(value) => Ok(TokenKind::Number(value)),
            Err(_) => Err(self.error(start, format!("`{written}` is not a valid number"))),
        }
    }

    /// A string in `quote`s, with the escapes `\"`, `\'`, `\\`, `\n` and `\t`.
    fn string(&mut self, quote: char) -> Result<TokenKind, FormulaError> {
        let start = self.pos;
        self.bump();
        let mut value = String::new();
        loop {
            match self.bump() {
                None => {
                    return Err(self.error(
                        start,
                        format!("unterminated string: add the closing {quote}"),
                    ))
                }
                Some(c) if c == quote => return Ok(TokenKind::Str(value)),
                Some('\\') => match self.bump() {
                    Some('n') => value.push('\n'),
                    Some('t') => value.push('\t'),
                    Some(c @ ('\\' | '"' | '\'')) => value.push(c),
                    Some(c) => {
                        let at = self.pos - c.len_utf8() - 1;
                        return Err(FormulaError::new(
                            ErrorKind::Syntax,
                            format!("unknown escape `\\{c}` in a string"),
                            Span::new(at, self.pos),
                            self.text,
                        ));
                    }
                    None => {
                        return Err(self.error(
                            start,
                            format!("unterminated string: add the closing {quote}"),
                        ))
                    }
                },
                Some(c) => value.push(c),
            }
        }
    }

    /// `` `any text but a backquote` ``: a column name with spaces or symbols.
    fn backquoted(&mut self) -> Result<TokenKind, FormulaError> {
        let start = self.pos;
        self.bump();
        let name_start = self.pos;
        self.eat_while(|c| c != '`');
        let name = self.text[name_start..self.pos].to_string();
        if self.bump().is_none() {
            return Err(self.error(start, "unterminated name: add the closing backquote `"));
        }
        if name.is_empty() {
            return Err(self.error(start, "empty name between backquotes"));
        }
        Ok(TokenKind::Name(name))
    }

    /// The longest operator symbol from the operator tables at the current position.
    fn operator(&mut self) -> Option<&'static str> {
        let symbols = BINARY_OPERATORS
            .iter()
            .map(|s| s.symbol)
            .chain(UNARY_OPERATORS.iter().map(|s| s.symbol));
        let best = symbols
            .filter(|s| self.rest().starts_with(s))
            .max_by_key(|s| s.len())?;
        self.pos += best.len();
        Some(best)
    }

    fn unexpected_character(&self, c: char) -> FormulaError {
        let span = Span::new(self.pos, self.pos + c.len_utf8());
        let hint = match c {
            '|' => "; random effects (`|`) are not supported",
            '%' => "; `%in%` and other `%` operators are not supported",
            '$' => "; refer to the column by its name",
            _ => "",
        };
        FormulaError::new(
            ErrorKind::Syntax,
            format!("unexpected character `{c}` in the formula{hint}"),
            span,
            self.text,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TokenKind> {
        tokenize(text)
            .unwrap()
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    fn name(n: &str) -> TokenKind {
        TokenKind::Name(n.into())
    }

    #[test]
    fn tokens_and_spans() {
        let tokens = tokenize("y ~ a:b + log(x)").unwrap();
        let got: Vec<(TokenKind, usize, usize)> = tokens
            .into_iter()
            .map(|t| (t.kind, t.span.start, t.span.end))
            .collect();
        assert_eq!(
            got,
            vec![
                (name("y"), 0, 1),
                (TokenKind::Tilde, 2, 3),
                (name("a"), 4, 5),
                (TokenKind::Operator(":"), 5, 6),
                (name("b"), 6, 7),
                (TokenKind::Operator("+"), 8, 9),
                (name("log"), 10, 13),
                (TokenKind::LParen, 13, 14),
                (name("x"), 14, 15),
                (TokenKind::RParen, 15, 16),
                (TokenKind::End, 16, 16),
            ]
        );
    }

    #[test]
    fn names_with_dots_underscores_digits_and_unicode() {
        assert_eq!(
            kinds("Vehicle.Age x_1 .hidden Größe"),
            vec![
                name("Vehicle.Age"),
                name("x_1"),
                name(".hidden"),
                name("Größe"),
                TokenKind::End
            ]
        );
    }

    #[test]
    fn backquoted_names_keep_spaces_and_lose_quotes() {
        let tokens = tokenize("`Vehicle Age`:x").unwrap();
        assert_eq!(tokens[0].kind, name("Vehicle Age"));
        assert_eq!(tokens[0].span, Span::new(0, 13));
        assert_eq!(tokens[1].kind, TokenKind::Operator(":"));
    }

    #[test]
    fn numbers() {
        assert_eq!(
            kinds("0 1 2.5 1e-3 .5 1. 2E+2"),
            vec![0.0, 1.0, 2.5, 1e-3, 0.5, 1.0, 200.0]
                .into_iter()
                .map(TokenKind::Number)
                .chain([TokenKind::End])
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_digit_cannot_start_a_name() {
        assert_eq!(
            kinds("2x"),
            vec![TokenKind::Number(2.0), name("x"), TokenKind::End]
        );
    }

    #[test]
    fn strings_in_both_quotes_with_escapes() {
        assert_eq!(
            kinds(r#""a b" 'c"d' "e\"f\\""#),
            vec![
                TokenKind::Str("a b".into()),
                TokenKind::Str("c\"d".into()),
                TokenKind::Str("e\"f\\".into()),
                TokenKind::End
            ]
        );
    }

    #[test]
    fn punctuation_and_operators() {
        assert_eq!(
            kinds("[a,'b']=-+*/^"),
            vec![
                TokenKind::LBracket,
                name("a"),
                TokenKind::Comma,
                TokenKind::Str("b".into()),
                TokenKind::RBracket,
                TokenKind::Equals,
                TokenKind::Operator("-"),
                TokenKind::Operator("+"),
                TokenKind::Operator("*"),
                TokenKind::Operator("/"),
                TokenKind::Operator("^"),
                TokenKind::End
            ]
        );
    }

    #[test]
    fn unterminated_string_points_from_the_quote_to_the_end() {
        let e = tokenize("y ~ C(x, ref=\"a)").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Syntax);
        assert_eq!(e.span(), Span::new(13, 16));
        assert!(e.message().contains("unterminated string"), "{e}");
    }

    #[test]
    fn unterminated_backquote() {
        let e = tokenize("y ~ `Vehicle Age").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Syntax);
        assert_eq!(e.span(), Span::new(4, 16));
        assert!(e.message().contains("backquote"), "{e}");
    }

    #[test]
    fn unexpected_character_is_named() {
        let e = tokenize("y ~ x $ z").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Syntax);
        assert_eq!(e.span(), Span::new(6, 7));
        assert!(e.message().contains("`$`"), "{e}");
        let e = tokenize("y ~ x + (1 | g)").unwrap_err();
        assert!(e.message().contains("random effects"), "{e}");
    }

    #[test]
    fn bad_exponent_and_escape() {
        let e = tokenize("y ~ I(1e)").unwrap_err();
        assert_eq!(e.span(), Span::new(6, 8));
        assert!(e.message().contains("exponent"), "{e}");
        let e = tokenize(r#"y ~ C(x, ref="\q")"#).unwrap_err();
        assert_eq!(e.span(), Span::new(14, 16));
    }
}
