//! Tests of the whole pipeline: text to [`ParsedFormula`].

use super::*;

fn names(text: &str) -> Vec<String> {
    parse(text).unwrap().term_names()
}

fn intercept(text: &str) -> bool {
    parse(text).unwrap().intercept
}

/// Asserts the error kind, that the span covers `span_text` (its last occurrence) and that the
/// message contains `needle`.
fn error(text: &str, kind: ErrorKind, span_text: &str, needle: &str) {
    let e = parse(text).unwrap_err();
    let at = text.rfind(span_text).expect("span text is in the formula");
    assert_eq!(e.kind(), kind, "{text}: {e}");
    assert_eq!(e.span(), Span::new(at, at + span_text.len()), "{text}: {e}");
    assert!(e.message().contains(needle), "{text}: {}", e.message());
    assert_eq!(e.formula(), text);
    assert!(e.to_string().contains('^'));
}

#[test]
fn main_effects_in_written_order() {
    assert_eq!(names("y ~ b + a + c"), ["b", "a", "c"]);
    assert_eq!(names("y ~ x"), ["x"]);
}

#[test]
fn crossing_expands_as_r() {
    assert_eq!(names("y ~ a*b"), ["a", "b", "a:b"]);
    assert_eq!(
        names("y ~ a*b*c"),
        ["a", "b", "c", "a:b", "a:c", "b:c", "a:b:c"]
    );
    assert_eq!(names("y ~ (a + b)*c"), ["a", "b", "c", "a:c", "b:c"]);
    assert_eq!(
        names("y ~ (a + b)*(c + d)"),
        ["a", "b", "c", "d", "a:c", "a:d", "b:c", "b:d"]
    );
}

#[test]
fn interaction_distributes_over_sums() {
    assert_eq!(names("y ~ (a + b):c"), ["a:c", "b:c"]);
    assert_eq!(names("y ~ a:b:c + a"), ["a", "a:b:c"]);
    assert_eq!(names("y ~ x + a:b"), ["x", "a:b"]);
}

#[test]
fn power_of_a_sum() {
    assert_eq!(
        names("y ~ (a + b + c)^2"),
        ["a", "b", "c", "a:b", "a:c", "b:c"]
    );
    assert_eq!(
        names("y ~ (a + b + c)^3"),
        ["a", "b", "c", "a:b", "a:c", "b:c", "a:b:c"]
    );
    assert_eq!(names("y ~ (a + b)^1"), ["a", "b"]);
    assert_eq!(names("y ~ (a + b)^1000000000"), ["a", "b", "a:b"]);
    // As in R: a factor interacted with itself is itself.
    assert_eq!(names("y ~ x^2"), ["x"]);
}

#[test]
fn repeated_terms_and_factors_appear_once() {
    assert_eq!(names("y ~ a + a"), ["a"]);
    assert_eq!(names("y ~ a:a"), ["a"]);
    assert_eq!(names("y ~ a:b + b:a"), ["a:b"]);
    assert_eq!(names("y ~ b:a + a*b"), ["a", "b", "b:a"]);
    assert_eq!(names("y ~ log(x) + log( x )"), ["log(x)"]);
}

#[test]
fn removal_matches_factors_in_any_order() {
    assert_eq!(names("y ~ a*b - a:b"), ["a", "b"]);
    assert_eq!(names("y ~ a*b - b:a"), ["a", "b"]);
    assert_eq!(
        names("y ~ a*b*c - a:b:c"),
        ["a", "b", "c", "a:b", "a:c", "b:c"]
    );
    assert_eq!(names("y ~ a + b - a"), ["b"]);
    assert_eq!(names("y ~ a + b - z"), ["a", "b"]);
    assert_eq!(
        names("y ~ (a + b + c)^2 - b:c"),
        ["a", "b", "c", "a:b", "a:c"]
    );
    assert_eq!(names("y ~ -x + x"), ["x"]);
}

#[test]
fn intercept_rules() {
    assert!(intercept("y ~ x"));
    assert!(!intercept("y ~ x - 1"));
    assert!(!intercept("y ~ -1 + x"));
    assert!(!intercept("y ~ x + 0"));
    assert!(!intercept("y ~ 0 + x"));
    assert!(!intercept("y ~ x + -1"));
    assert!(intercept("y ~ x + 1"));
    assert!(intercept("y ~ 1 + x"));
    assert!(intercept("y ~ x - 1 + 1"));
    assert!(!intercept("y ~ 1 + x - 1"));
    assert!(intercept("y ~ x - 0"));
    assert!(intercept("y ~ x + (1)"));
    assert_eq!(names("y ~ x - 1"), ["x"]);
    let f = parse("y ~ 1").unwrap();
    assert!(f.intercept && f.terms.is_empty());
    let f = parse("y ~ 0").unwrap();
    assert!(!f.intercept && f.terms.is_empty());
}

#[test]
fn leading_plus_is_accepted() {
    assert_eq!(names("y ~ + x"), ["x"]);
    assert!(intercept("y ~ + x"));
}

#[test]
fn offsets_are_pulled_out_in_order() {
    let f = parse("y ~ offset(log(Exposure)) + x + offset(w)").unwrap();
    assert_eq!(f.term_names(), ["x"]);
    let offsets: Vec<String> = f.offsets.iter().map(Expr::to_string).collect();
    assert_eq!(offsets, ["log(Exposure)", "w"]);
    let f = parse("y ~ offset(log(Exposure))").unwrap();
    assert!(f.terms.is_empty() && f.intercept && f.offsets.len() == 1);
    assert_eq!(f.columns(), ["y", "Exposure"]);
}

#[test]
fn responses() {
    let f = parse("log(y) ~ x").unwrap();
    assert_eq!(f.response.label(), "log(y)");
    let f = parse("cbind(k, n - k) ~ x").unwrap();
    let Response::Cbind(a, b) = &f.response else {
        panic!("not cbind")
    };
    assert_eq!((a.to_string(), b.to_string()), ("k".into(), "n - k".into()));
    assert_eq!(f.response.label(), "cbind(k, n - k)");
    assert_eq!(f.response.columns(), ["k", "n"]);
    assert_eq!(parse("(y) ~ x").unwrap().response.label(), "y");
    assert_eq!(
        parse("`Claim Count` ~ x").unwrap().response.label(),
        "Claim Count"
    );
}

#[test]
fn factor_kinds() {
    let f =
        parse("y ~ x + log(x) + I(x^2) + C(g) + bs(x, df = 5, degree = 3) + poly(x, 2)").unwrap();
    let kinds: Vec<&str> = f
        .terms
        .iter()
        .map(|t| match &t.factors[0] {
            Factor::Numeric(_) => "numeric",
            Factor::Categorical { .. } => "categorical",
            Factor::Call { .. } => "call",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "numeric",
            "numeric",
            "numeric",
            "categorical",
            "call",
            "call"
        ]
    );
    assert_eq!(
        f.term_names(),
        [
            "x",
            "log(x)",
            "I(x^2)",
            "C(g)",
            "bs(x, df = 5, degree = 3)",
            "poly(x, 2)"
        ]
    );
    let Factor::Call { func, args, .. } = &f.terms[4].factors[0] else {
        panic!()
    };
    assert_eq!(func, "bs");
    assert_eq!(args[1].name.as_deref(), Some("df"));
    assert_eq!(f.columns(), ["y", "x", "g"]);
}

#[test]
fn categorical_options_reach_the_factor() {
    let f =
        parse(r#"y ~ C(Area, ref = "C") + C(Power, levels = ["d", "e"]) + C(n, ref = 2)"#).unwrap();
    let Factor::Categorical {
        column, reference, ..
    } = &f.terms[0].factors[0]
    else {
        panic!()
    };
    assert_eq!(
        (column.as_str(), reference),
        ("Area", &Some(LevelRef::Str("C".into())))
    );
    let Factor::Categorical { levels, .. } = &f.terms[1].factors[0] else {
        panic!()
    };
    assert_eq!(levels.as_ref().unwrap().len(), 2);
    let Factor::Categorical { reference, .. } = &f.terms[2].factors[0] else {
        panic!()
    };
    assert_eq!(reference, &Some(LevelRef::Num(2.0)));
}

#[test]
fn labels_are_normalised() {
    assert_eq!(names("y ~ I(a*b+1)"), ["I(a * b + 1)"]);
    assert_eq!(names("y ~ I( x ^ 2 )"), ["I(x^2)"]);
    assert_eq!(names("y ~ log(Holders)"), ["log(Holders)"]);
    assert_eq!(names("y ~ I((a + b)/2)"), ["I((a + b)/2)"]);
    assert_eq!(names("y ~ I(1e-3 * x)"), ["I(0.001 * x)"]);
    assert_eq!(
        names("y ~ `Vehicle Age` + `Vehicle Age`:log(x)"),
        ["Vehicle Age", "Vehicle Age:log(x)"]
    );
    assert_eq!(names("y ~ C(x, ref='a')"), [r#"C(x, ref = "a")"#]);
}

#[test]
fn term_spans_cover_their_factors() {
    let text = "y ~ a + b:c";
    let f = parse(text).unwrap();
    let s = f.terms[1].span;
    assert_eq!(&text[s.start..s.end], "b:c");
    let text = "y ~ (a + b):c";
    let f = parse(text).unwrap();
    let s = f.terms[0].span;
    assert_eq!(&text[s.start..s.end], "a + b):c");
}

#[test]
fn evaluation_through_the_formula_attaches_the_text() {
    let f = parse("y ~ I(x^2) + offset(log(E))").unwrap();
    let Factor::Numeric(e) = &f.terms[0].factors[0] else {
        panic!()
    };
    let mut lookup = |name: &str, span: Span| match name {
        "x" => Ok(vec![3.0, 4.0]),
        _ => Err(FormulaError::new(
            ErrorKind::UnknownColumn,
            format!("no `{name}`"),
            span,
            "",
        )),
    };
    assert_eq!(f.eval_numeric(e, 2, &mut lookup).unwrap(), vec![9.0, 16.0]);
    let e = f.eval_numeric(&f.offsets[0], 2, &mut lookup).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnknownColumn);
    assert_eq!(
        e.to_string(),
        "no `E`\n  y ~ I(x^2) + offset(log(E))\n                          ^"
    );
}

#[test]
fn syntax_errors() {
    error("y x", ErrorKind::MissingTilde, "y x", "needs `~`");
    error("y ~ ", ErrorKind::EmptyRhs, "~", "nothing after `~`");
    error(
        "y ~ x +",
        ErrorKind::Syntax,
        "",
        "`+` needs a term after it",
    );
    error("y ~ (x + z", ErrorKind::Syntax, "(", "unclosed `(`");
    error("y ~ x + z)", ErrorKind::Syntax, ")", "unmatched `)`");
    error(
        "y ~ x + \"z",
        ErrorKind::Syntax,
        "\"z",
        "unterminated string",
    );
    error("y ~ `x z", ErrorKind::Syntax, "`x z", "backquote");
    error(
        "y ~ x # z",
        ErrorKind::Syntax,
        "#",
        "unexpected character `#`",
    );
    error("y ~ x ~ z", ErrorKind::Syntax, "~", "only one `~`");
    error("y ~ log(x,)", ErrorKind::Syntax, ")", "empty argument");
}

#[test]
fn term_errors() {
    error("y ~ x + 2", ErrorKind::BadTerm, "2", "must be 0 or 1");
    error(
        "y ~ 2*x",
        ErrorKind::BadTerm,
        "2",
        "cannot be part of an interaction",
    );
    error(
        "y ~ (x + 1):z",
        ErrorKind::BadTerm,
        "1",
        "cannot be part of an interaction",
    );
    error(
        "y ~ x + cbind(a, b)",
        ErrorKind::BadTerm,
        "cbind(a, b)",
        "left of `~`",
    );
    error("y ~ x + \"z\"", ErrorKind::BadTerm, "\"z\"", "backquotes");
    error("y ~ [a]", ErrorKind::BadTerm, "[a]", "not a term");
    error("y ~ a/b", ErrorKind::BadTerm, "a/b", "`/` (nesting)");
    error("y ~ .", ErrorKind::BadTerm, ".", "`.`");
    error("y ~ (a + b)^x", ErrorKind::BadTerm, "x", "whole number");
    error("y ~ (a + b)^0", ErrorKind::BadTerm, "0", "whole number");
    error(
        "y ~ -a:b",
        ErrorKind::BadTerm,
        "-a",
        "cannot be part of an interaction",
    );
    error(
        "y ~ x - offset(z)",
        ErrorKind::BadTerm,
        "offset(z)",
        "removed",
    );
    error(
        "y ~ x:offset(z)",
        ErrorKind::BadTerm,
        "offset(z)",
        "interaction",
    );
    error("y ~ I(a:b)", ErrorKind::BadTerm, "a:b", "`:` (interaction)");
    error("1 ~ x", ErrorKind::BadTerm, "1", "must read a column");
    error(
        "\"y\" ~ x",
        ErrorKind::BadTerm,
        "\"y\"",
        "cannot be used in arithmetic",
    );
}

#[test]
fn function_errors() {
    error(
        "y ~ foo(x)",
        ErrorKind::UnknownFunction,
        "foo(x)",
        "unknown function `foo`",
    );
    error(
        "y ~ log(foo(x))",
        ErrorKind::UnknownFunction,
        "foo(x)",
        "`log`, `exp`",
    );
    error(
        "offset(y) ~ x",
        ErrorKind::UnknownFunction,
        "offset(y)",
        "`offset()` cannot",
    );
    error("y ~ C()", ErrorKind::BadArgument, "C()", "needs a column");
    error(
        "y ~ C(\"x\")",
        ErrorKind::BadArgument,
        "\"x\"",
        "must be a column name",
    );
    error(
        "y ~ C(log(x))",
        ErrorKind::BadArgument,
        "log(x)",
        "must be a column name",
    );
    error(
        "y ~ C(x, reference = 'a')",
        ErrorKind::BadArgument,
        "reference = 'a'",
        "`reference`",
    );
    error(
        "y ~ C(x, ref = log(z))",
        ErrorKind::BadArgument,
        "log(z)",
        "`ref` must be a level",
    );
    error(
        "y ~ log()",
        ErrorKind::BadArgument,
        "log()",
        "needs one argument",
    );
    error("y ~ bs()", ErrorKind::BadArgument, "bs()", "needs a column");
    error(
        "y ~ offset()",
        ErrorKind::BadArgument,
        "offset()",
        "one expression",
    );
    error(
        "y ~ offset(a, b)",
        ErrorKind::BadArgument,
        "offset(a, b)",
        "one expression",
    );
    error(
        "y ~ log(x, 2)",
        ErrorKind::BadArgument,
        "2",
        "takes one argument, found 2",
    );
    error(
        "cbind(a) ~ x",
        ErrorKind::BadArgument,
        "cbind(a)",
        "found 1",
    );
    error(
        "cbind(a, b, c) ~ x",
        ErrorKind::BadArgument,
        "cbind(a, b, c)",
        "found 3",
    );
    error(
        "cbind(a, n = b) ~ x",
        ErrorKind::BadArgument,
        "n = b",
        "without keywords",
    );
}

#[test]
fn error_display_points_at_the_span() {
    let e = parse("y ~ x + foo(z)").unwrap_err();
    assert_eq!(
        e.to_string(),
        "unknown function `foo`; the known functions are `I`, `log`, `exp`, `sqrt`, `abs`, \
         `log10`, `log2`, `log1p`, `expm1`, `C`, `offset`, `bs`, `ns`, `poly`\n  \
         y ~ x + foo(z)\n          ^^^^^^"
    );
}

#[test]
fn missing_tilde() {
    let e = parse_ast("  y + x ").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MissingTilde);
    assert_eq!(e.span(), Span::new(2, 7));
    assert!(e.message().contains("`~`"), "{e}");
    assert_eq!(parse_ast("").unwrap_err().kind(), ErrorKind::MissingTilde);
}

#[test]
fn two_tildes_point_at_the_second() {
    let e = parse_ast("y ~ x ~ z").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Syntax);
    assert_eq!(e.span(), Span::new(6, 7));
    assert!(e.message().contains("only one `~`"), "{e}");
}

#[test]
fn empty_sides() {
    let e = parse_ast("y ~  ").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::EmptyRhs);
    assert_eq!(e.span(), Span::new(2, 3));
    assert!(e.message().contains("nothing after `~`"), "{e}");
    let e = parse_ast(" ~ x").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MissingResponse);
    assert_eq!(e.span(), Span::new(1, 2));
}

#[test]
fn deep_nesting_is_refused_not_a_crash() {
    let text = format!("y ~ {}x{}", "(".repeat(5000), ")".repeat(5000));
    assert!(parse_ast(&text)
        .unwrap_err()
        .message()
        .contains("nested too deeply"));
}

#[test]
fn nested_powers_are_bounded() {
    // Found by the formula fuzzer (21-25 s to expand in the sanitizer build): it must end,
    // in a parse or a term error.
    let slow = "y ~ (ab+(ab+a :+ b + (a+box^4 - a: c: a+ b + c)^4 - c: c)^4 -a :+ b + \
                (q+bo ^4 - a: c: a+ b + polyc)^4 - c: c)^3 - a:b";
    match parse(slow) {
        Ok(f) => assert!(f.terms.len() <= 1000),
        Err(e) => assert_eq!(e.kind(), ErrorKind::BadTerm),
    }
    let huge = "y ~ (a+b+c+d+e+f+g+h+i+j+k)^11";
    let err = parse(huge).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadTerm);
    assert!(err.to_string().contains("more than 1000 terms"), "{err}");
    // A big but reasonable expansion still works: 2^6 - 1 terms.
    let f = parse("y ~ (a+b+c+d+e+f)^6").unwrap();
    assert_eq!(f.terms.len(), 63);
}
