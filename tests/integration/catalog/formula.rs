//! Formula: the formula does not parse or names what is not there.

use super::*;

/// Formulas that do not parse: the formula, the kind of formula error, and what its message
/// says (through the API and the tool, which exits 2).
const UNPARSED: &[(&str, ErrorKind, &[&str])] = &[
    ("y ~ x +", ErrorKind::Syntax, &["`+` needs a term", "^"]),
    ("y ~ x * * g", ErrorKind::Syntax, &["`*` needs a term", "^"]),
    (
        "y ~ (x + g",
        ErrorKind::Syntax,
        &["unclosed `(`", "add `)`", "^"],
    ),
    ("y ~ x + g)", ErrorKind::Syntax, &["unmatched `)`", "^"]),
    (
        "y x + g",
        ErrorKind::MissingTilde,
        &["needs `~`", "y ~ x1 + x2"],
    ),
    ("y ~", ErrorKind::EmptyRhs, &["nothing after `~`", "`1`"]),
    (
        "~ x",
        ErrorKind::MissingResponse,
        &["nothing before `~`", "response"],
    ),
];

#[test]
fn formulas_that_do_not_parse() {
    for (formula, kind, needles) in UNPARSED {
        let e = fit_fails(BASE, formula, SAME, &[], 2, needles);
        assert_eq!(&formula_kind(&e), kind, "{formula}");
    }
}

#[test]
fn formula_caret_sits_under_the_problem() {
    // The unmatched bracket is column 10 of the formula.
    let e = fit_fails(BASE, "y ~ x + g)", SAME, &[], 2, &["unmatched `)`"]);
    assert!(
        e.to_string().ends_with("\n  y ~ x + g)\n           ^"),
        "{e}"
    );
}

#[test]
fn formula_unknown_column_suggests_close_names() {
    let e = fit_fails(
        BASE,
        "y ~ x + gg",
        SAME,
        &[],
        2,
        &["`gg`", "did you mean", "`g`"],
    );
    kind!(e, Error::ColumnNotFound { name, suggestions, .. }
        if name == "gg" && suggestions.contains(&"g".to_string()));
}

#[test]
fn formula_unknown_column_without_close_names_lists_the_columns() {
    let needles = [
        "`Vehicle_Power`",
        "check the spelling",
        "`y`, `x`, `g`, `e`, `w`, `p`",
    ];
    let e = fit_fails(BASE, "y ~ Vehicle_Power", SAME, &[], 2, &needles);
    kind!(e, Error::ColumnNotFound { available, .. } if available.len() == 6);
}

#[test]
fn formula_unknown_function_lists_the_known_ones() {
    let needles = ["unknown function `foo`", "`log`", "`bs`", "^^^^^^"];
    let e = fit_fails(BASE, "y ~ foo(x)", SAME, &[], 2, &needles);
    assert_eq!(formula_kind(&e), ErrorKind::UnknownFunction);
}

#[test]
fn formula_bad_arguments_to_c() {
    let needles = ["unknown keyword `rf`", "`ref` and `levels`", "^^^^^^"];
    let e = fit_fails(BASE, "y ~ C(g, rf=\"a\")", SAME, &[], 2, &needles);
    assert_eq!(formula_kind(&e), ErrorKind::BadArgument);
    let needles = ["`ref` must be a level", "quote it: \"a\""];
    let e = fit_fails(BASE, "y ~ C(g, ref=a)", SAME, &[], 2, &needles);
    assert_eq!(formula_kind(&e), ErrorKind::BadArgument);
    let e = fit_fails(
        BASE,
        "y ~ C(log(x))",
        SAME,
        &[],
        2,
        &["must be a column name"],
    );
    assert_eq!(formula_kind(&e), ErrorKind::BadArgument);
}

#[test]
fn formula_bad_arguments_to_bs_and_ns() {
    let needles = ["bs(): df must be a whole number >= 1, got -1", "^^^^^"];
    let e = fit_fails(BASE, "y ~ bs(x, df=-1)", SAME, &[], 2, &needles);
    assert_eq!(formula_kind(&e), ErrorKind::BadArgument);
    let needles = ["ns() has no argument `degree`", "it takes: df, knots"];
    let e = fit_fails(BASE, "y ~ ns(x, degree=2)", SAME, &[], 2, &needles);
    assert_eq!(formula_kind(&e), ErrorKind::BadArgument);
    // An argument R has but rustystats does not: named as an argument, not a column `TRUE`.
    let needles = [
        "bs() has no argument `intercept`",
        "unknown or unsupported",
        "it takes: df, knots, degree, Boundary.knots",
        "^^^^^^^^^^^^^^",
    ];
    let e = fit_fails(
        BASE,
        "y ~ bs(x, df=3, intercept=TRUE)",
        SAME,
        &[],
        2,
        &needles,
    );
    assert_eq!(formula_kind(&e), ErrorKind::BadArgument);
    let needles = ["give the other arguments by name", "knots=..."];
    let e = fit_fails(BASE, "y ~ bs(x, 3, 4)", SAME, &[], 2, &needles);
    assert_eq!(formula_kind(&e), ErrorKind::BadArgument);
    let e = fit_fails(
        BASE,
        "y ~ bs(x, 4, df=4)",
        SAME,
        &[],
        2,
        &["`df` is given twice"],
    );
    assert_eq!(formula_kind(&e), ErrorKind::BadArgument);
    let needles = ["df = 2 is less than degree 3", "use df >= 3", "^^^^^^^^^^^"];
    let e = fit_fails(BASE, "y ~ bs(x, df=2)", SAME, &[], 2, &needles);
    assert_eq!(formula_kind(&e), ErrorKind::BadArgument);
    // Negative knots are numbers too.
    let knots = "y ~ bs(x, knots=[-1, 2], Boundary.knots=[-2, 8])";
    let c = Case::new("negative-knots");
    let (_, df) = c.data(BASE);
    assert!(glm(knots, &df).fit().is_ok());
}

#[test]
fn formula_huge_basis_is_refused_at_once() {
    // Used to run for minutes (bs), abort on memory (ns) or overflow (poly).
    let needles = ["df = 1e9 is more than the number of rows (8)", "smaller df"];
    let e = fit_fails(BASE, "y ~ bs(x, df=1e9)", SAME, &[], 2, &needles);
    assert_eq!(formula_kind(&e), ErrorKind::BadArgument);
    let needles = ["degree = 1e300 is more than the number of rows"];
    fit_fails(BASE, "y ~ poly(x, 1e300)", SAME, &[], 2, &needles);
    fit_fails(
        BASE,
        "y ~ ns(x, df=1e15)",
        SAME,
        &[],
        2,
        &["ns(): df = 1e15"],
    );
}

#[test]
fn formula_reference_level_that_does_not_exist_lists_the_levels() {
    let needles = [
        "column `g`",
        "reference level `z`",
        "levels are: a, b, c",
        "ref=",
    ];
    let e = fit_fails(BASE, "y ~ C(g, ref=\"z\")", SAME, &[], 2, &needles);
    kind!(e, Error::Data { column: Some(c), .. } if c == "g");
    let needles = ["level `c`", "not in levels=[...] (a, b)", "add it"];
    let e = fit_fails(
        BASE,
        "y ~ C(g, levels=[\"a\", \"b\"])",
        SAME,
        &[],
        2,
        &needles,
    );
    kind!(e, Error::Data { column: Some(c), .. } if c == "g");
}

#[test]
fn formula_constant_term_and_no_columns() {
    let e = fit_fails(
        BASE,
        "y ~ x + 2",
        SAME,
        &[],
        2,
        &["must be 0 or 1", "I(2 * x)"],
    );
    assert_eq!(formula_kind(&e), ErrorKind::BadTerm);
    let e = fit_fails(BASE, "y ~ 0", SAME, &[], 2, &["no columns", "add a term"]);
    kind!(e, Error::Model { .. });
}
