//! Source spans and the formula error type.
//!
//! Every token and AST node remembers the bytes of the formula it came from, so an error can
//! show the formula with a caret line under the exact problem.

use std::fmt;

/// A byte range `start..end` in the formula text.
///
/// Spans always fall on UTF-8 character boundaries. An empty span (`start == end`) marks a
/// position, such as the end of the formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The empty span at byte offset `at`.
    pub fn point(at: usize) -> Self {
        Span { start: at, end: at }
    }

    /// The smallest span covering both `self` and `other`.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Number of bytes covered.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True for a position (no bytes covered).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What kind of problem a [`FormulaError`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not a well-formed expression: a stray character, an unclosed parenthesis
    /// or string, an operator without an operand, a second `~`.
    Syntax,
    /// The formula has no `~` between the response and the terms.
    MissingTilde,
    /// Nothing before the `~`.
    MissingResponse,
    /// Nothing after the `~`.
    EmptyRhs,
    /// A function that is not known in the place where it is used.
    UnknownFunction,
    /// A known function called with wrong arguments (missing, extra, wrong type).
    BadArgument,
    /// Something that parses but cannot be a model term, such as `y ~ x + 2` or a string.
    BadTerm,
    /// A column that the data does not have (for column lookups during evaluation).
    UnknownColumn,
    /// An expression could not be evaluated (wrong number of values, a string in arithmetic).
    Evaluation,
}

/// A formula that could not be parsed or evaluated.
///
/// It carries the [`ErrorKind`], a message for a person, the [`Span`] of the problem and the
/// formula text. `Display` prints the message, then the formula and a caret line under the
/// span:
///
/// ```text
/// unexpected end of formula: `+` needs a term after it
///   y ~ x +
///          ^
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormulaError {
    kind: ErrorKind,
    message: String,
    span: Span,
    formula: String,
}

impl FormulaError {
    /// An error of `kind` about `span` in `formula`.
    ///
    /// `formula` may be empty when the text is not known (for example while evaluating an
    /// [`Expr`](crate::formula::Expr) alone); attach it later with
    /// [`FormulaError::with_formula`].
    pub fn new(
        kind: ErrorKind,
        message: impl Into<String>,
        span: Span,
        formula: impl Into<String>,
    ) -> Self {
        FormulaError {
            kind,
            message: message.into(),
            span,
            formula: formula.into(),
        }
    }

    /// An error whose formula text is not known yet.
    pub(crate) fn detached(kind: ErrorKind, message: impl Into<String>, span: Span) -> Self {
        FormulaError::new(kind, message, span, String::new())
    }

    /// The same error, showing `formula` if no formula text was attached yet.
    pub fn with_formula(mut self, formula: &str) -> Self {
        if self.formula.is_empty() {
            self.formula = formula.to_string();
        }
        self
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message alone, without the formula and caret lines.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where in the formula the problem is.
    pub fn span(&self) -> Span {
        self.span
    }

    /// The formula text (empty if unknown).
    pub fn formula(&self) -> &str {
        &self.formula
    }
}

impl fmt::Display for FormulaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if self.formula.is_empty() {
            return Ok(());
        }
        // Columns are counted in characters, not bytes, so the carets line up under non-ASCII
        // text. Tabs and newlines print as one space each so a multi-line formula stays on one
        // line and the count still holds.
        let text = &self.formula;
        let start = floor_boundary(text, self.span.start);
        let end = floor_boundary(text, self.span.end.max(start));
        let shown: String = text
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        let pad = text[..start].chars().count();
        let width = text[start..end].chars().count().max(1);
        write!(
            f,
            "\n  {}\n  {}{}",
            shown.trim_end(),
            " ".repeat(pad),
            "^".repeat(width)
        )
    }
}

impl std::error::Error for FormulaError {}

/// The largest character boundary of `text` at or before `at` (clamped to the text length).
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_puts_carets_under_the_span() {
        let e = FormulaError::new(ErrorKind::Syntax, "bad", Span::new(4, 7), "y ~ foo + x");
        assert_eq!(e.to_string(), "bad\n  y ~ foo + x\n      ^^^");
    }

    #[test]
    fn empty_span_shows_one_caret_even_past_the_end() {
        let e = FormulaError::new(ErrorKind::Syntax, "end", Span::point(7), "y ~ x +");
        assert_eq!(e.to_string(), "end\n  y ~ x +\n         ^");
    }

    #[test]
    fn carets_count_characters_not_bytes() {
        let text = "é ~ x $";
        let at = text.find('$').unwrap();
        let e = FormulaError::new(ErrorKind::Syntax, "m", Span::new(at, at + 1), text);
        assert_eq!(e.to_string(), "m\n  é ~ x $\n        ^");
    }

    #[test]
    fn newlines_print_as_spaces() {
        let text = "y ~ a +\n  b $";
        let at = text.find('$').unwrap();
        let e = FormulaError::new(ErrorKind::Syntax, "m", Span::new(at, at + 1), text);
        assert_eq!(e.to_string(), "m\n  y ~ a +   b $\n              ^");
    }

    #[test]
    fn detached_errors_print_the_message_only_until_a_formula_is_attached() {
        let e = FormulaError::detached(ErrorKind::Evaluation, "oops", Span::new(0, 1));
        assert_eq!(e.to_string(), "oops");
        let e = e.with_formula("x ~ y");
        assert_eq!(e.formula(), "x ~ y");
        assert_eq!(e.to_string(), "oops\n  x ~ y\n  ^");
    }

    #[test]
    fn span_helpers() {
        let a = Span::new(2, 4);
        assert_eq!(a.to(Span::new(7, 9)), Span::new(2, 9));
        assert_eq!(a.len(), 2);
        assert!(Span::point(3).is_empty());
    }
}
