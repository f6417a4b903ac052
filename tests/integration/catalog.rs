//! The error catalog: every kind of bad input, through the Rust API and the command-line tool.
//!
//! Each case checks the error's category (the `rustystats::Error` variant), that the message
//! names the culprit (column, level, row, formula position, valid choices) and says what to
//! do, and, through the tool, the exit code: 2 for bad input, 1 for a fit that failed.
//! Every case writes its files into its own temporary folder, removed when the case ends.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustystats::formula::ErrorKind;
use rustystats::frame::GlmBuilder;
use rustystats::prelude::*;

/// Counts (y), a numeric (x), a text factor (g), an exposure (e), weights (w), a proportion.
const BASE: &str = "y,x,g,e,w,p
2,0.5,a,1.0,1,0.2
0,1.5,b,2.0,1,0.5
3,2.5,a,1.5,2,0.4
1,3.5,c,1.0,1,0.1
5,4.5,b,2.5,1,0.9
2,5.5,c,3.0,1,0.6
4,6.5,a,2.0,2,0.3
3,7.5,b,1.5,1,0.7
";

/// BASE with one cell replaced: `edit(row, column, value)` (row 1 is the first data row).
fn edit(row: usize, column: &str, value: &str) -> String {
    let mut lines: Vec<String> = BASE.lines().map(str::to_string).collect();
    let j = lines[0].split(',').position(|c| c == column).unwrap();
    let mut cells: Vec<&str> = lines[row].split(',').collect();
    cells[j] = value;
    lines[row] = cells.join(",");
    lines.join("\n") + "\n"
}

/// A temporary folder for one case.
struct Case {
    dir: PathBuf,
}

impl Case {
    fn new(tag: &str) -> Case {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let k = COUNT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "rustystats-catalog-{}-{k}-{tag}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Case { dir }
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).to_str().unwrap().to_string()
    }

    fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> String {
        let path = self.path(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Writes `data.csv` and reads it back through the API.
    fn data(&self, csv: &str) -> (String, DataFrame) {
        let path = self.file("data.csv", csv);
        let df = read_data(&path).unwrap();
        (path, df)
    }
}

impl Drop for Case {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs the tool: exit code, standard output, standard error.
fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_rustystats"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every needle is in the message.
fn says(message: &str, needles: &[&str]) {
    for n in needles {
        assert!(
            message.contains(n),
            "`{n}` is not in the message:\n{message}"
        );
    }
}

/// The tool fails with `code`, one `error:` message on stderr holding every needle.
fn cli_fails(code: i32, args: &[&str], needles: &[&str]) {
    let (got, _, err) = cli(args);
    assert_eq!(got, code, "exit code of {args:?}; stderr:\n{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    says(&err, needles);
}

/// Sets up the API's fit (family, link, options) as the tool's flags do.
type Api = for<'a> fn(GlmBuilder<'a>) -> GlmBuilder<'a>;

/// Fits `formula` on `csv` through the API (set up by `api`) and the tool (with `flags`);
/// both must fail, the tool with `code`, and both messages must hold `needles`. Returns the
/// API's error for the caller to check its category.
fn fit_fails(
    csv: &str,
    formula: &str,
    api: Api,
    flags: &[&str],
    code: i32,
    needles: &[&str],
) -> Error {
    let c = Case::new("fit");
    let (path, df) = c.data(csv);
    let e = api(glm(formula, &df)).fit().unwrap_err();
    says(&e.to_string(), needles);
    let mut args = vec!["fit", "--data", &path, "--formula", formula];
    args.extend_from_slice(flags);
    cli_fails(code, &args, needles);
    e
}

const SAME: Api = |b| b;

macro_rules! kind {
    ($e:expr, $p:pat $(if $guard:expr)?) => {
        assert!(
            matches!(&$e, $p $(if $guard)?),
            "wrong error category or fields: {:?}",
            $e
        )
    };
}

fn formula_kind(e: &Error) -> ErrorKind {
    match e {
        Error::Formula(f) => f.kind(),
        other => panic!("not a formula error: {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Formula
// ---------------------------------------------------------------------------------------

#[test]
fn formula_dangling_operator() {
    let e = fit_fails(BASE, "y ~ x +", SAME, &[], 2, &["`+` needs a term", "^"]);
    assert_eq!(formula_kind(&e), ErrorKind::Syntax);
    let e = fit_fails(
        BASE,
        "y ~ x * * g",
        SAME,
        &[],
        2,
        &["`*` needs a term", "^"],
    );
    assert_eq!(formula_kind(&e), ErrorKind::Syntax);
}

#[test]
fn formula_unbalanced_parentheses() {
    let e = fit_fails(
        BASE,
        "y ~ (x + g",
        SAME,
        &[],
        2,
        &["unclosed `(`", "add `)`", "^"],
    );
    assert_eq!(formula_kind(&e), ErrorKind::Syntax);
    let e = fit_fails(BASE, "y ~ x + g)", SAME, &[], 2, &["unmatched `)`", "^"]);
    assert_eq!(formula_kind(&e), ErrorKind::Syntax);
    // The caret sits under the unmatched bracket (column 10 of the formula).
    assert!(
        e.to_string().ends_with("\n  y ~ x + g)\n           ^"),
        "{e}"
    );
}

#[test]
fn formula_missing_tilde() {
    let e = fit_fails(BASE, "y x + g", SAME, &[], 2, &["needs `~`", "y ~ x1 + x2"]);
    assert_eq!(formula_kind(&e), ErrorKind::MissingTilde);
}

#[test]
fn formula_nothing_after_or_before_the_tilde() {
    let e = fit_fails(BASE, "y ~", SAME, &[], 2, &["nothing after `~`", "`1`"]);
    assert_eq!(formula_kind(&e), ErrorKind::EmptyRhs);
    let e = fit_fails(
        BASE,
        "~ x",
        SAME,
        &[],
        2,
        &["nothing before `~`", "response"],
    );
    assert_eq!(formula_kind(&e), ErrorKind::MissingResponse);
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

// ---------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------

#[test]
fn data_missing_file() {
    let c = Case::new("missing");
    let path = c.path("nope.csv");
    let e = read_data(&path).unwrap_err();
    kind!(e, Error::Io { path: p, .. } if *p == path);
    says(&e.to_string(), &[&path, "no such file", "check the path"]);
    cli_fails(
        2,
        &["fit", "--data", &path, "--formula", "y ~ x"],
        &[&path, "no such file"],
    );
}

#[test]
fn data_garbage_bytes_named_parquet() {
    let c = Case::new("garbage");
    let bytes: Vec<u8> = (0..400u32).map(|i| (i * 7919 % 251) as u8).collect();
    let path = c.file("data.parquet", bytes);
    let e = read_data(&path).unwrap_err();
    kind!(e, Error::Io { .. });
    let needles = [
        path.as_str(),
        "not a readable parquet file",
        "export the data as CSV",
    ];
    says(&e.to_string(), &needles);
    cli_fails(2, &["fit", "--data", &path, "--formula", "y ~ x"], &needles);
}

#[test]
fn data_a_directory() {
    let c = Case::new("directory");
    let path = c.path("folder.csv");
    std::fs::create_dir_all(&path).unwrap();
    let e = read_data(&path).unwrap_err();
    kind!(e, Error::Io { .. });
    let needles = [path.as_str(), "a folder, not a file"];
    says(&e.to_string(), &needles);
    cli_fails(2, &["fit", "--data", &path, "--formula", "y ~ x"], &needles);
}

#[test]
fn data_unknown_file_type() {
    let c = Case::new("xlsx");
    let path = c.file("data.xlsx", "PK");
    let e = read_data(&path).unwrap_err();
    kind!(e, Error::Io { .. });
    let needles = ["unknown file type `.xlsx`", "use a .csv"];
    says(&e.to_string(), &needles);
    cli_fails(2, &["fit", "--data", &path, "--formula", "y ~ x"], &needles);
}

#[test]
fn data_empty_file_and_header_only() {
    let c = Case::new("empty");
    for (name, text, needles) in [
        ("empty.csv", "", vec!["empty.csv", "is empty", "header row"]),
        (
            "header.csv",
            "y,x\n",
            vec!["header.csv", "(y, x) but no rows"],
        ),
    ] {
        let path = c.file(name, text);
        let e = read_data(&path).unwrap_err();
        kind!(e, Error::Data { .. });
        says(&e.to_string(), &needles);
        cli_fails(2, &["fit", "--data", &path, "--formula", "y ~ x"], &needles);
    }
}

#[test]
fn data_no_rows_left_after_dropping_missing_values() {
    let csv = "y,x,z\n1,,5\nNA,2,6\n3,NA,7\n";
    let needles = [
        "every row has a missing value",
        "(y, x)",
        "no rows are left",
    ];
    let e = fit_fails(csv, "y ~ x", SAME, &[], 2, &needles);
    kind!(e, Error::Data { .. });
}

#[test]
fn data_duplicate_column_names() {
    // polars renames the copy to `y_duplicated_0`; the model must not pick one silently.
    let csv = "y,x,y\n1,2,3\n4,5,6\n7,8,9\n";
    let c = Case::new("duplicate");
    let path = c.file("data.csv", csv);
    let e = read_data(&path).unwrap_err();
    kind!(e, Error::Data { column: Some(col), .. } if col == "y");
    let needles = ["column `y`", "more than once", "rename"];
    says(&e.to_string(), &needles);
    cli_fails(2, &["fit", "--data", &path, "--formula", "y ~ x"], &needles);
}

#[test]
fn data_semicolon_separated_file() {
    let c = Case::new("semicolon");
    let path = c.file("data.csv", "y;x\n1;2\n2;3\n");
    let e = read_data(&path).unwrap_err();
    kind!(e, Error::Data { .. });
    let needles = ["single column named `y;x`", "semicolons", "comma-separated"];
    says(&e.to_string(), &needles);
    cli_fails(2, &["fit", "--data", &path, "--formula", "y ~ x"], &needles);
}

#[test]
fn data_text_in_a_numeric_column() {
    // Used as a bare name, a mostly numeric column with a stray word was silently categorical.
    let csv = edit(3, "x", "abc");
    let needles = ["column `x`, row 3", "`abc`", "read as text", "C(x)"];
    let e = fit_fails(&csv, "y ~ x", SAME, &[], 2, &needles);
    kind!(e, Error::Data { column: Some(c), row: Some(2), .. } if c == "x");
    // Inside arithmetic, and in the response.
    let needles = [
        "column `x`, row 3",
        "holds text (`abc`)",
        "clean the column",
    ];
    fit_fails(&csv, "y ~ log(x)", SAME, &[], 2, &needles);
    let csv = edit(2, "y", "two");
    let e = fit_fails(&csv, "y ~ x", SAME, &[], 2, &["column `y`, row 2", "`two`"]);
    kind!(e, Error::Data { row: Some(1), .. });
    // Asked for explicitly, a text column is categorical.
    let c = Case::new("text-categorical");
    let (_, df) = c.data(&edit(3, "x", "abc"));
    assert!(glm("y ~ C(x)", &df).fit().is_ok());
}

#[test]
fn data_infinite_values_name_the_row_of_the_file() {
    // Row 2 is dropped (missing x); the infinite value is on row 6 of the file, not row 5.
    let csv = edit(6, "x", "inf").replace("\n0,1.5,", "\n0,NA,");
    let needles = ["column `x`, row 6", "inf", "not a finite number"];
    let e = fit_fails(&csv, "y ~ x", SAME, &[], 2, &needles);
    kind!(e, Error::Data { row: Some(5), .. });
    let needles = ["column `log(x - 1)`, row 1", "NaN"];
    fit_fails(BASE, "y ~ log(x - 1)", SAME, &[], 2, &needles);
}

#[test]
fn data_too_few_rows_for_the_columns() {
    let csv = "y,x,z,g\n1,2,3,a\n2,3,5,b\n4,1,2,c\n";
    let needles = ["5 coefficients", "only 3 rows", "fewer terms or more data"];
    let e = fit_fails(csv, "y ~ x + z + g", SAME, &[], 2, &needles);
    kind!(e, Error::Data { .. });
}

// ---------------------------------------------------------------------------------------
// Family domain
// ---------------------------------------------------------------------------------------

#[test]
fn domain_negative_counts() {
    let csv = edit(4, "y", "-1");
    let needles = [
        "poisson family",
        "row 4 has value -1",
        "counts must be >= 0",
    ];
    let e = fit_fails(
        &csv,
        "y ~ x",
        |b| b.family(Family::Poisson),
        &["--family", "poisson"],
        2,
        &needles,
    );
    kind!(e, Error::Domain { row: 3, value, .. } if *value == -1.0);
    let nb: Api = |b| b.family(Family::negative_binomial(2.0).unwrap()).theta(2.0);
    let flags = ["--family", "negative_binomial", "--theta", "2"];
    let e = fit_fails(
        &csv,
        "y ~ x",
        nb,
        &flags,
        2,
        &["Negative Binomial", "row 4", ">= 0"],
    );
    kind!(e, Error::Domain { .. });
}

#[test]
fn domain_gamma_and_inverse_gaussian_need_a_positive_response() {
    let gamma: Api = |b| b.family(Family::Gamma);
    let needles = ["Gamma family", "row 2 has value 0", "> 0", "Tweedie"];
    let e = fit_fails(BASE, "y ~ x", gamma, &["--family", "gamma"], 2, &needles);
    kind!(e, Error::Domain { row: 1, .. });
    let ig: Api = |b| b.family(Family::InverseGaussian);
    let needles = ["inverse.gaussian family", "row 2", "needs a response > 0"];
    let e = fit_fails(
        BASE,
        "y ~ x",
        ig,
        &["--family", "inverse_gaussian"],
        2,
        &needles,
    );
    kind!(e, Error::Domain { .. });
}

#[test]
fn domain_binomial_response_outside_0_1() {
    let csv = edit(5, "p", "1.5");
    let bin: Api = |b| b.family(Family::Binomial);
    let needles = [
        "binomial family",
        "row 5 has value 1.5",
        "proportion in [0, 1]",
        "cbind",
    ];
    let e = fit_fails(&csv, "p ~ x", bin, &["--family", "binomial"], 2, &needles);
    kind!(e, Error::Domain { row: 4, .. });
}

#[test]
fn domain_cbind_counts_negative() {
    let csv = "s,f,x\n1,2,1\n2,-1,2\n0,3,3\n4,1,4\n";
    let bin: Api = |b| b.family(Family::Binomial);
    let needles = ["column `f`, row 2", "counts >= 0", "-1"];
    let e = fit_fails(
        csv,
        "cbind(s, f) ~ x",
        bin,
        &["--family", "binomial"],
        2,
        &needles,
    );
    kind!(e, Error::Data { column: Some(c), .. } if c == "f");
    let csv = "s,f,x\n1,2,1\n-2,1,2\n0,3,3\n4,1,4\n";
    fit_fails(
        csv,
        "cbind(s, f) ~ x",
        bin,
        &["--family", "binomial"],
        2,
        &["column `s`, row 2"],
    );
}

#[test]
fn domain_negative_and_all_zero_weights() {
    let csv = edit(3, "w", "-2");
    let needles = ["column `w`, row 3", "weights must be >= 0", "-2"];
    let e = fit_fails(
        &csv,
        "y ~ x",
        |b| b.weights("w"),
        &["--weights", "w"],
        2,
        &needles,
    );
    kind!(e, Error::Data { column: Some(c), row: Some(2), .. } if c == "w");
    let csv = BASE.replace(",1,0.", ",0,0.").replace(",2,0.", ",0,0.");
    let needles = ["column `w`", "every weight is 0", "weights column"];
    let e = fit_fails(
        &csv,
        "y ~ x",
        |b| b.weights("w"),
        &["--weights", "w"],
        2,
        &needles,
    );
    kind!(e, Error::Data { column: Some(c), .. } if c == "w");
}

#[test]
fn domain_offsets_that_are_not_finite() {
    let csv = edit(4, "e", "0");
    let pois: Api = |b| b.family(Family::Poisson);
    let needles = ["column `offset(log(e))`, row 4", "-inf", "zero exposure"];
    let formula = "y ~ x + offset(log(e))";
    let e = fit_fails(&csv, formula, pois, &["--family", "poisson"], 2, &needles);
    kind!(e, Error::Data { row: Some(3), .. });
    let exposure: Api = |b| b.family(Family::Poisson).exposure("e");
    let needles = [
        "column `e`, row 4",
        "exposure must be a positive",
        "found 0",
        "drop rows",
    ];
    let flags = ["--family", "poisson", "--exposure", "e"];
    let e = fit_fails(&csv, "y ~ x", exposure, &flags, 2, &needles);
    kind!(e, Error::Data { column: Some(c), .. } if c == "e");
}

#[test]
fn domain_tweedie_with_p_above_2_needs_positive_values() {
    let tw: Api = |b| b.family(Family::tweedie(2.5).unwrap());
    let flags = ["--family", "tweedie", "--var-power", "2.5"];
    let e = fit_fails(
        BASE,
        "y ~ x",
        tw,
        &flags,
        2,
        &["row 2 has value 0", "p >= 2 must be > 0"],
    );
    kind!(e, Error::Domain { .. });
}

// ---------------------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------------------

#[test]
fn model_unknown_family_and_link_list_the_valid_ones() {
    let e = Family::parse("poison", None, None).unwrap_err();
    kind!(e, Error::Model { .. });
    let needles = ["unknown family `poison`", "poisson", "negative_binomial"];
    says(&e.to_string(), &needles);
    let c = Case::new("family-name");
    let (path, _) = c.data(BASE);
    let args = ["fit", "--data", &path, "--formula", "y ~ x"];
    cli_fails(2, &[&args[..], &["--family", "poison"]].concat(), &needles);
    let e = Link::parse("logg").unwrap_err();
    kind!(e, Error::Model { .. });
    let needles = ["unknown link `logg`", "logit", "power(k)"];
    says(&e.to_string(), &needles);
    cli_fails(2, &[&args[..], &["--link", "logg"]].concat(), &needles);
}

#[test]
fn model_link_not_allowed_for_the_family() {
    let b: Api = |b| b.family(Family::Poisson).link(Link::Logit);
    let flags = ["--family", "poisson", "--link", "logit"];
    let needles = [
        "link `logit` is not available for the poisson family",
        "log, identity, sqrt",
    ];
    let e = fit_fails(BASE, "y ~ x", b, &flags, 2, &needles);
    kind!(e, Error::Model { .. });
}

#[test]
fn model_tweedie_power_out_of_range_or_missing() {
    for p in [0.5, -1.0, f64::NAN] {
        let e = Family::tweedie(p).unwrap_err();
        kind!(e, Error::Model { .. });
        says(
            &e.to_string(),
            &["variance power", "is not allowed", "1 < p < 2"],
        );
    }
    let c = Case::new("tweedie");
    let (path, _) = c.data(BASE);
    let args = [
        "fit",
        "--data",
        &path,
        "--formula",
        "y ~ x",
        "--family",
        "tweedie",
    ];
    cli_fails(
        2,
        &[&args[..], &["--var-power", "0.5"]].concat(),
        &["power 0.5", "p = 0"],
    );
    cli_fails(2, &args, &["needs a variance power", "--var-power P"]);
    cli_fails(
        2,
        &[&args[..], &["--var-power", "x"]].concat(),
        &["--var-power needs a number"],
    );
}

#[test]
fn model_theta_must_be_positive() {
    for t in [0.0, -3.0, f64::INFINITY] {
        let e = Family::negative_binomial(t).unwrap_err();
        kind!(e, Error::Model { .. });
        says(
            &e.to_string(),
            &["theta must be a positive number", "--theta ml"],
        );
    }
    let c = Case::new("theta");
    let (path, _) = c.data(BASE);
    let args = [
        "fit",
        "--data",
        &path,
        "--formula",
        "y ~ x",
        "--family",
        "negative_binomial",
    ];
    cli_fails(
        2,
        &[&args[..], &["--theta", "0"]].concat(),
        &["got 0", "--theta ml"],
    );
    cli_fails(2, &[&args[..], &["--theta", "-3"]].concat(), &["got -3"]);
    cli_fails(
        2,
        &[&args[..], &["--theta", "abc"]].concat(),
        &["`abc`", "positive number or `ml`"],
    );
}

#[test]
fn model_aliased_columns_are_reported_and_the_fit_still_works() {
    // z = 2x + 1 is a linear combination of the intercept and x.
    let csv = "y,x,z\n1,1,3\n3,2,5\n2,3,7\n5,4,9\n4,5,11\n";
    let c = Case::new("aliased");
    let (path, df) = c.data(csv);
    let m = glm("y ~ x + z", &df).fit().unwrap();
    assert_eq!(m.fit.aliased, [false, false, true]);
    assert!(m.fit.coefficients[2].is_nan() && m.fit.coefficients[1].is_finite());
    says(&m.summary(), &["aliased", "`z`"]);
    assert!(m.fit.warnings.iter().any(|w| w.contains("`z` is aliased")));
    let (code, out, err) = cli(&["fit", "--data", &path, "--formula", "y ~ x + z"]);
    assert_eq!(code, 0, "{err}");
    says(&out, &["aliased"]);
    says(
        &err,
        &["warning:", "`z` is aliased", "drop the redundant term"],
    );
}

#[test]
fn model_factor_with_one_level() {
    let csv = BASE
        .replace(",a,", ",k,")
        .replace(",b,", ",k,")
        .replace(",c,", ",k,");
    let needles = [
        "column `g`",
        "at least two levels",
        "only `k`",
        "drop the term",
    ];
    let e = fit_fails(&csv, "y ~ x + g", SAME, &[], 2, &needles);
    kind!(e, Error::Data { column: Some(c), .. } if c == "g");
    fit_fails(&csv, "y ~ x + C(g)", SAME, &[], 2, &needles);
}

#[test]
fn model_bad_solver_options() {
    let e = fit_fails(
        BASE,
        "y ~ x",
        |b| b.max_iter(0),
        &["--max-iter", "0"],
        2,
        &["max_iter must be at least 1"],
    );
    kind!(e, Error::Model { .. });
    let e = fit_fails(
        BASE,
        "y ~ x",
        |b| b.tol(-1.0),
        &["--tol", "-1"],
        2,
        &["tolerance must be a positive"],
    );
    kind!(e, Error::Model { .. });
    let e = fit_fails(
        BASE,
        "y ~ x",
        |b| b.conf_level(2.0),
        &["--conf-level", "2"],
        2,
        &["between 0 and 1"],
    );
    kind!(e, Error::Model { .. });
}

#[test]
fn cli_usage_errors() {
    let c = Case::new("usage");
    let (path, _) = c.data(BASE);
    let args = ["fit", "--data", &path, "--formula", "y ~ x"];
    cli_fails(
        2,
        &[&args[..], &["--cov", "HC9"]].concat(),
        &["`HC9`", "HC0, HC1"],
    );
    cli_fails(
        2,
        &[&args[..], &["--format", "xml"]].concat(),
        &["`xml`", "text, json or html"],
    );
    cli_fails(
        2,
        &[&args[..], &["--cov", "cluster"]].concat(),
        &["needs --cluster COL"],
    );
    cli_fails(
        2,
        &[&args[..], &["--bogus"]].concat(),
        &["--bogus", "USAGE"],
    );
    cli_fails(2, &["fit", "--data", &path], &["--formula", "is required"]);
    cli_fails(2, &["fitt"], &["unknown command fitt", "USAGE"]);
}

// ---------------------------------------------------------------------------------------
// Fit trouble
// ---------------------------------------------------------------------------------------

#[test]
fn fit_separation_is_a_warning_in_the_result_and_on_stderr() {
    let csv = "y,x\n0,1\n0,2\n0,3\n1,4\n1,5\n1,6\n";
    let c = Case::new("separation");
    let (path, df) = c.data(csv);
    let m = glm("y ~ x", &df).family(Family::Binomial).fit().unwrap();
    assert!(
        m.fit.warnings.iter().any(|w| w.contains("separation")),
        "{:?}",
        m.fit.warnings
    );
    says(&m.summary(), &["separation"]);
    let (code, _, err) = cli(&[
        "fit",
        "--data",
        &path,
        "--formula",
        "y ~ x",
        "--family",
        "binomial",
    ]);
    assert_eq!(code, 0, "{err}");
    says(&err, &["warning:", "separation", "penalized fit"]);
}

#[test]
fn fit_non_convergence_is_reported() {
    let c = Case::new("max-iter");
    let (path, df) = c.data(BASE);
    let m = glm("y ~ x + g", &df)
        .family(Family::Poisson)
        .max_iter(1)
        .fit()
        .unwrap();
    assert!(!m.fit.converged);
    assert!(m
        .fit
        .warnings
        .iter()
        .any(|w| w.contains("did not converge in 1 iterations")));
    let args = [
        "fit",
        "--data",
        &path,
        "--formula",
        "y ~ x + g",
        "--family",
        "poisson",
    ];
    let (code, out, err) = cli(&[&args[..], &["--max-iter", "1", "--format", "json"]].concat());
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["converged"], false);
    says(&err, &["warning:", "did not converge", "raise max_iter"]);
}

#[test]
fn fit_starting_values_that_fail_exit_1() {
    let csv = "y,x\n0,1\n0,2\n0,3\n0,4\n9,5\n30,6\n";
    let b: Api = |b| b.family(Family::Poisson).link(Link::Identity);
    let flags = ["--family", "poisson", "--link", "identity"];
    let needles = [
        "the fit failed",
        "no valid set of coefficients",
        "default link (log)",
    ];
    let e = fit_fails(csv, "y ~ x", b, &flags, 1, &needles);
    kind!(e, Error::Fit { .. });
    assert!(!e.is_bad_input());
    // Gaussian with a log link cannot start at a response of 0.
    let b: Api = |b| b.link(Link::Log);
    let needles = [
        "cannot find valid starting values",
        "default link (identity)",
    ];
    let e = fit_fails(BASE, "y ~ x", b, &["--link", "log"], 1, &needles);
    kind!(e, Error::Fit { .. });
}

#[test]
fn data_values_too_large_for_64_bit_floats_name_the_row() {
    // A predictor of 1e200 squares past f64's range: it used to be reported as aliased.
    let csv = edit(4, "x", "1e200");
    let b: Api = |b| b.family(Family::Poisson);
    let needles = [
        "column `x`, row 4",
        "the value 1e200 is too large",
        "rescale the column",
    ];
    let e = fit_fails(&csv, "y ~ x", b, &["--family", "poisson"], 2, &needles);
    kind!(e, Error::Data { column: Some(c), row: Some(3), .. } if c == "x");
    // A Gaussian response of 1e308: it used to end in advice to use the identity link.
    let csv = edit(3, "y", "1e308");
    let needles = ["row 3: the response value 1e308", "rescale the response"];
    let e = fit_fails(&csv, "y ~ x", SAME, &[], 2, &needles);
    kind!(e, Error::Data { row: Some(2), .. });
    assert!(!e.to_string().contains("default link"), "{e}");
}

#[test]
fn fit_warnings_on_answers_r_would_qualify() {
    // A Poisson rate (not a whole number) with exposure weights: AIC is Inf, as in R.
    let c = Case::new("rate-aic");
    let (path, df) = c.data(BASE);
    let m = glm("y / e ~ x", &df)
        .family(Family::Poisson)
        .weights("e")
        .fit()
        .unwrap();
    assert_eq!(m.fit.aic, Some(f64::INFINITY));
    says(&m.summary(), &["AIC: Inf", "not a whole number"]);
    let args = [
        "fit",
        "--data",
        &path,
        "--formula",
        "y / e ~ x",
        "--family",
        "poisson",
    ];
    let (code, out, err) = cli(&[&args[..], &["--weights", "e", "--format", "json"]].concat());
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["aic"].is_null(), "{v}");
    says(v["loglik_note"].as_str().unwrap(), &["AIC and BIC are Inf"]);
    says(
        &err,
        &["warning:", "not a whole number", "(row 6; row 6 has 0.666"],
    );
    // HC3 with a row of leverage 1 (the only row of level d) names the row.
    let csv = format!("{BASE}1,8.5,d,1.0,1,0.5\n");
    let c = Case::new("hc3-leverage");
    let (path, _) = c.data(&csv);
    let args = [
        "fit",
        "--data",
        &path,
        "--formula",
        "y ~ x + g",
        "--family",
        "poisson",
    ];
    let (code, _, err) = cli(&[&args[..], &["--cov", "HC3"]].concat());
    assert_eq!(code, 0, "{err}");
    says(
        &err,
        &[
            "warning: HC3 standard errors are not reliable",
            "row 9 has leverage",
        ],
    );
    // Two nearly collinear columns (x, and a copy off by 1e-3 on one row) are named.
    let mut csv = String::from("y,x,x2\n");
    for (i, y) in [2, 0, 3, 1, 5, 2, 4, 3].iter().enumerate() {
        let x = i as f64 + 0.5;
        let x2 = if i == 3 { x + 1e-3 } else { x };
        csv.push_str(&format!("{y},{x},{x2}\n"));
    }
    let c = Case::new("collinear");
    let (path, _) = c.data(&csv);
    let args = [
        "fit",
        "--data",
        &path,
        "--formula",
        "y ~ x + x2",
        "--family",
        "poisson",
    ];
    let (code, _, err) = cli(&args);
    assert_eq!(code, 0, "{err}");
    says(
        &err,
        &["warning: nearly collinear columns: `x` (", "`x2` ("],
    );
}

// ---------------------------------------------------------------------------------------
// Predict and load
// ---------------------------------------------------------------------------------------

/// A Poisson model of `y ~ x + C(g)` saved in the case's folder.
fn saved_model(c: &Case) -> (GlmModel, String) {
    let (_, df) = c.data(BASE);
    let m = glm("y ~ x + C(g)", &df)
        .family(Family::Poisson)
        .fit()
        .unwrap();
    let path = c.path("model.json");
    m.save(&path).unwrap();
    (m, path)
}

#[test]
fn predict_unseen_level() {
    let c = Case::new("unseen");
    let (m, model) = saved_model(&c);
    let new = c.file("new.csv", "x,g\n1,a\n2,zz\n");
    let e = m
        .predict(&read_data(&new).unwrap(), PredictType::Response)
        .unwrap_err();
    kind!(e, Error::Data { column: Some(g), row: Some(1), .. } if g == "g");
    let needles = [
        "column `g`, row 2",
        "level `zz` was not seen",
        "knows: a, b, c",
    ];
    says(&e.to_string(), &needles);
    cli_fails(2, &["predict", "--model", &model, "--data", &new], &needles);
}

#[test]
fn predict_missing_column_and_missing_value() {
    let c = Case::new("predict-missing");
    let (m, model) = saved_model(&c);
    let new = c.file("new.csv", "g,z\na,1\n");
    let e = m
        .predict(&read_data(&new).unwrap(), PredictType::Response)
        .unwrap_err();
    kind!(e, Error::ColumnNotFound { name, .. } if name == "x");
    says(&e.to_string(), &["column `x` is not in the data"]);
    cli_fails(
        2,
        &["predict", "--model", &model, "--data", &new],
        &["column `x`"],
    );
    let new = c.file("na.csv", "x,g\n1,a\nNA,b\n");
    let e = m
        .predict(&read_data(&new).unwrap(), PredictType::Response)
        .unwrap_err();
    kind!(e, Error::Data { row: Some(1), .. });
    let needles = ["column `x`, row 2", "missing", "drop or fill the row"];
    cli_fails(2, &["predict", "--model", &model, "--data", &new], &needles);
}

#[test]
fn predict_with_a_column_of_another_type() {
    let c = Case::new("predict-type");
    let (_, model) = saved_model(&c);
    let new = c.file("new.csv", "x,g\n1,1\n2,2\n");
    let p = Predictor::load(&model).unwrap();
    let e = p
        .predict(&read_data(&new).unwrap(), PredictType::Response)
        .unwrap_err();
    let needles = [
        "column `g`",
        "was text when the model was fitted but is numeric",
    ];
    says(&e.to_string(), &needles);
    cli_fails(2, &["predict", "--model", &model, "--data", &new], &needles);
}

#[test]
fn load_malformed_json() {
    let c = Case::new("malformed");
    let data = c.file("x.csv", "x,g\n1,a\n");
    let model = c.file("bad.json", "{\"format\": \"rustystats.glm\", ");
    let e = Predictor::from_json_text("{\"format\": ").unwrap_err();
    kind!(e, Error::Model { .. });
    says(
        &e.to_string(),
        &["not a JSON file", "saved rustystats model"],
    );
    let e = Predictor::load(&model).unwrap_err();
    kind!(e, Error::Io { path, .. } if *path == model);
    cli_fails(
        2,
        &["predict", "--model", &model, "--data", &data],
        &["bad.json", "not a JSON file"],
    );
}

#[test]
fn load_another_schema_version() {
    let c = Case::new("schema");
    let (m, _) = saved_model(&c);
    let mut v = m.to_saved_json();
    v["schema_version"] = 99.into();
    let text = v.to_string();
    let e = Predictor::from_json_text(&text).unwrap_err();
    kind!(e, Error::Model { .. });
    let needles = ["schema version 99", "reads version 1", "refit and save"];
    says(&e.to_string(), &needles);
    let model = c.file("v99.json", text);
    let data = c.file("x.csv", "x,g\n1,a\n");
    cli_fails(
        2,
        &["predict", "--model", &model, "--data", &data],
        &needles,
    );
}

#[test]
fn load_something_that_is_not_a_model() {
    let c = Case::new("not-a-model");
    let data = c.file("x.csv", "x,g\n1,a\n");
    for (name, text) in [("other.json", "{\"a\": 1}"), ("list.json", "[1, 2]")] {
        let e = Predictor::from_json_text(text).unwrap_err();
        kind!(e, Error::Model { .. });
        let needles = ["not a rustystats model file", "--save-model"];
        says(&e.to_string(), &needles);
        let model = c.file(name, text);
        cli_fails(
            2,
            &["predict", "--model", &model, "--data", &data],
            &needles,
        );
    }
    // A data file given as the model, and a model that does not exist.
    cli_fails(
        2,
        &["predict", "--model", &data, "--data", &data],
        &["x.csv", "not a JSON file"],
    );
    let none = c.path("none.json");
    cli_fails(
        2,
        &["predict", "--model", &none, "--data", &data],
        &["no such file", "--save-model"],
    );
}

#[test]
fn load_a_damaged_model_is_an_error_not_a_crash() {
    let c = Case::new("damaged");
    let (m, _) = saved_model(&c);
    let df = read_data(&c.file("x.csv", "x,g\n1,a\n2,b\n")).unwrap();
    let data = c.path("x.csv");
    type Damage = fn(&mut serde_json::Value);
    let damage: [(&str, Damage); 4] = [
        ("levels", |v| {
            v["spec"]["terms"][1]["factors"][0]["levels"] = serde_json::json!([])
        }),
        ("names", |v| {
            v["spec"]["column_names"] = serde_json::json!(["Intercept", "x", "a", "b"])
        }),
        ("start", |v| v["spec"]["terms"][1]["start"] = 7.into()),
        ("coefficients", |v| {
            v["coefficients"] = serde_json::json!([1.0])
        }),
    ];
    for (what, spoil) in damage {
        let mut v = m.to_saved_json();
        spoil(&mut v);
        let text = v.to_string();
        let e = Predictor::from_json_text(&text)
            .and_then(|p| p.predict(&df, PredictType::Response))
            .unwrap_err();
        kind!(e, Error::Model { .. });
        says(&e.to_string(), &["damaged"]);
        let model = c.file(&format!("{what}.json"), text);
        cli_fails(
            2,
            &["predict", "--model", &model, "--data", &data],
            &["damaged"],
        );
    }
}

/// The saved model's JSON with coefficient `j` replaced by `value`, and the same with the
/// summary left out (a file trimmed by hand).
fn with_coefficient(m: &GlmModel, j: usize, value: serde_json::Value) -> [String; 2] {
    let mut v = m.to_saved_json();
    v["coefficients"][j] = value;
    let full = v.to_string();
    v.as_object_mut().unwrap().remove("summary");
    [full, v.to_string()]
}

#[test]
fn load_a_null_coefficient_that_was_estimated_names_it() {
    let c = Case::new("null-coefficient");
    let (m, _) = saved_model(&c);
    let data = c.file("x.csv", "x,g\n1,a\n2,b\n");
    // Coefficient 2 is `x`; `cov` still has its row, so `cov` is not the culprit.
    for (k, text) in with_coefficient(&m, 1, serde_json::Value::Null)
        .into_iter()
        .enumerate()
    {
        let needles = [
            "coefficient 2 (`x`) is null",
            "the model estimated it",
            "refit and save the model again",
        ];
        let e = Predictor::from_json_text(&text).unwrap_err();
        kind!(e, Error::Model { .. });
        says(&e.to_string(), &needles);
        assert!(!e.to_string().contains("wrong shape"), "{e}");
        let model = c.file(&format!("null{k}.json"), &text);
        let e = Predictor::load(&model).unwrap_err();
        kind!(e, Error::Io { path, .. } if *path == model);
        says(&e.to_string(), &needles);
        cli_fails(
            2,
            &["predict", "--model", &model, "--data", &data],
            &needles,
        );
        let (_, _, err) = cli(&["predict", "--model", &model, "--data", &data]);
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    // The same with `x`'s row and column taken out of `cov` too: the summary says `x` was
    // estimated (not aliased), so the null is not read as an aliased column predicting 0.
    let mut v = m.to_saved_json();
    v["coefficients"][1] = serde_json::Value::Null;
    let cov: Vec<Vec<f64>> = serde_json::from_value(v["cov"].clone()).unwrap();
    let trimmed: Vec<Vec<f64>> = [0, 2, 3]
        .iter()
        .map(|&i| [0, 2, 3].iter().map(|&j| cov[i][j]).collect())
        .collect();
    v["cov"] = serde_json::json!(trimmed);
    let model = c.file("trimmed.json", v.to_string());
    let e = Predictor::load(&model).unwrap_err();
    says(
        &e.to_string(),
        &["coefficient 2 (`x`) is null", "refit and save"],
    );
    cli_fails(
        2,
        &["predict", "--model", &model, "--data", &data],
        &["coefficient 2 (`x`) is null"],
    );
    // A truly aliased column is null in the file and loads: `z = 2x + 1`.
    let (_, df) = c.data("y,x,z\n1,1,3\n3,2,5\n2,3,7\n5,4,9\n4,5,11\n");
    let aliased = glm("y ~ x + z", &df).fit().unwrap();
    let model = c.path("aliased.json");
    aliased.save(&model).unwrap();
    let p = Predictor::load(&model).unwrap();
    let got = p.predict(&df, PredictType::Response).unwrap();
    assert_eq!(got, aliased.predict(&df, PredictType::Response).unwrap());
    // A coefficient that is text, not a number: named too.
    let [text, _] = with_coefficient(&m, 3, "abc".into());
    let needles = [
        "coefficient 4 (`g[c]`) is `\"abc\"`",
        "not a number or null",
    ];
    let model = c.file("text.json", &text);
    let e = Predictor::load(&model).unwrap_err();
    kind!(e, Error::Io { path, .. } if *path == model);
    says(&e.to_string(), &needles);
    cli_fails(
        2,
        &["predict", "--model", &model, "--data", &data],
        &needles,
    );
}

#[test]
fn predict_with_an_overflowing_coefficient_names_it() {
    let c = Case::new("huge-coefficient");
    let (m, _) = saved_model(&c);
    let [text, _] = with_coefficient(&m, 1, serde_json::json!(1e308));
    let model = c.file("huge.json", &text);
    let data = c.file("x.csv", "x,g\n1,a\n2,b\n3,a\n");
    let needles = [
        "column `x`, row 2",
        "the linear predictor is inf on 2 of 3 rows (rows 2, 3)",
        "the coefficient of `x` is 1e308",
    ];
    let p = Predictor::load(&model).unwrap();
    let e = p
        .predict(&read_data(&data).unwrap(), PredictType::Response)
        .unwrap_err();
    kind!(e, Error::Data { column: Some(x), row: Some(1), .. } if x == "x");
    says(&e.to_string(), &needles);
    cli_fails(
        2,
        &["predict", "--model", &model, "--data", &data],
        &needles,
    );
}

#[test]
fn predict_beyond_a_spline_range_warns_on_stderr() {
    let c = Case::new("extrapolate");
    let (_, df) = c.data(BASE);
    let m = glm("y ~ bs(x, df=3)", &df)
        .family(Family::Poisson)
        .fit()
        .unwrap();
    let model = c.path("bs.json");
    m.save(&model).unwrap();
    let data = c.file("new.csv", "x\n1\n20\n3\n");
    let needles = [
        "`bs(x, df=3)`: x is outside the training range [0.5, 7.5]",
        "on 1 of 3 rows (row 2; row 2 has 20)",
        "ill-conditioned bases",
    ];
    let p = m
        .predict(&read_data(&data).unwrap(), PredictType::Response)
        .unwrap();
    assert_eq!(p.len(), 3);
    says(&p.warnings.join("\n"), &needles);
    let (code, out, err) = cli(&["predict", "--model", &model, "--data", &data]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 4, "{out}");
    assert!(err.starts_with("warning: "), "{err}");
    says(&err, &needles);
}

#[test]
fn predict_a_mean_that_overflows_names_the_coefficient_and_rows() {
    let c = Case::new("huge-mean");
    let (m, _) = saved_model(&c);
    let [text, _] = with_coefficient(&m, 1, serde_json::json!(1e308));
    let model = c.file("huge.json", &text);
    // Rows 2 and 3 have a finite linear predictor (5e307, 1.5e308) whose exp is inf.
    let data = c.file("x.csv", "x,g\n0,a\n0.5,b\n1.5,a\n");
    let df = read_data(&data).unwrap();
    let needles = [
        "column `x`, row 2",
        "the prediction on the response scale is inf on 2 of 3 rows (rows 2, 3)",
        "the linear predictor on row 2 is 5e307",
        "times the value 0.5;",
        "log link",
        "the coefficient of `x`, 1e308",
        "refit and save the model again",
        "--type link",
    ];
    let p = Predictor::load(&model).unwrap();
    let e = p.predict(&df, PredictType::Response).unwrap_err();
    kind!(e, Error::Data { column: Some(x), row: Some(1), .. } if x == "x");
    says(&e.to_string(), &needles);
    let e = p.predict_frame(&df).unwrap_err();
    says(&e.to_string(), &needles);
    cli_fails(
        2,
        &["predict", "--model", &model, "--data", &data],
        &needles,
    );
    let (_, _, err) = cli(&["predict", "--model", &model, "--data", &data]);
    assert_eq!(err.lines().count(), 1, "{err}");
    // On the link scale the linear predictor is finite: it is the answer, not an error.
    let eta = p.predict(&df, PredictType::Link).unwrap();
    assert!(eta.iter().all(|v| v.is_finite()), "{eta:?}");
    assert_eq!(eta[2], p.eta(&df).unwrap()[2]);
    assert!(eta[1] > 4.9e307 && eta[1] < 5.1e307, "{eta:?}");
    let args = [
        "predict", "--model", &model, "--data", &data, "--type", "link",
    ];
    let (code, out, err) = cli(&args);
    assert_eq!((code, err.as_str()), (0, ""));
    let lines: Vec<f64> = out.lines().skip(1).map(|l| l.parse().unwrap()).collect();
    assert_eq!(lines, *eta);
    // Any link: with sqrt, a coefficient of 1e200 squares to inf on the response scale.
    let mut v: serde_json::Value =
        serde_json::from_str(&with_coefficient(&m, 1, 1e200.into())[0]).unwrap();
    v["link"] = "sqrt".into();
    let model = c.file("sqrt.json", v.to_string());
    let needles = [
        "column `x`, row 2",
        "on 2 of 3 rows (rows 2, 3)",
        "sqrt link",
        "refit and save the model again",
    ];
    let e = Predictor::load(&model)
        .unwrap()
        .predict(&df, PredictType::Response)
        .unwrap_err();
    says(&e.to_string(), &needles);
    cli_fails(
        2,
        &["predict", "--model", &model, "--data", &data],
        &needles,
    );
    // The identity link: the mean is the linear predictor, an error when it is not finite
    // (row 2), the model's answer when it is, however large (5e307 on row 1).
    let (_, df) = c.data(BASE);
    let g = glm("y ~ x + C(g)", &df).fit().unwrap();
    let [text, _] = with_coefficient(&g, 1, serde_json::json!(1e308));
    let model = c.file("gaussian.json", &text);
    let data = c.file("y.csv", "x,g\n0.5,a\n2.5,b\n0.25,c\n");
    let needles = [
        "column `x`, row 2",
        "the linear predictor is inf on 1 of 3 rows (row 2)",
        "the coefficient of `x` is 1e308",
        "refit and save the model again",
    ];
    let p = Predictor::load(&model).unwrap();
    for kind in [PredictType::Response, PredictType::Link] {
        let e = p.predict(&read_data(&data).unwrap(), kind).unwrap_err();
        kind!(e, Error::Data { column: Some(x), row: Some(1), .. } if x == "x");
        says(&e.to_string(), &needles);
    }
    cli_fails(
        2,
        &["predict", "--model", &model, "--data", &data],
        &needles,
    );
    let one = read_data(&c.file("z.csv", "x,g\n0.5,a\n")).unwrap();
    let got = p.predict(&one, PredictType::Response).unwrap();
    assert!(got[0] > 4.9e307 && got[0] < 5.1e307, "{got:?}");
}
