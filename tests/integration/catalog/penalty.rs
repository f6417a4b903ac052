//! Penalty: bad options of a penalized fit, a path or a cross-validation, through the API and
//! the tool (`fit --alpha ...`, `cv ...`).

use super::*;

/// The tool's `command` (`fit` or `cv`) on `path` with a Poisson model of `y ~ x + C(g)`,
/// then `extra`.
fn tool_args<'a>(command: &'a str, path: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let model = [
        "--data",
        path,
        "--formula",
        "y ~ x + C(g)",
        "--family",
        "poisson",
    ];
    [&[command][..], &model, extra].concat()
}

/// The tool's `fit` arguments on `path`, then `extra`.
fn fit_args<'a>(path: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    tool_args("fit", path, extra)
}

/// The tool's `cv` arguments on `path`, then `extra`.
fn cv_args<'a>(path: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    tool_args("cv", path, extra)
}

#[test]
fn penalty_alpha_and_l1_ratio_out_of_range_name_the_option() {
    let c = Case::new("alpha");
    let (path, df) = c.data(BASE);
    let b = || glm("y ~ x + C(g)", &df).family(Family::Poisson);
    for (alpha, l1, needles) in [
        (-0.1, 1.0, ["alpha must be a number >= 0", "-0.1"]),
        (
            0.1,
            1.5,
            ["l1_ratio must be between 0 (ridge) and 1 (lasso)", "1.5"],
        ),
        (
            0.1,
            -0.5,
            ["l1_ratio must be between 0 (ridge) and 1 (lasso)", "-0.5"],
        ),
    ] {
        let e = b().penalty(alpha, l1).fit().unwrap_err();
        kind!(e, Error::Model { .. });
        says(&e.to_string(), &needles);
        let (a, r) = (alpha.to_string(), l1.to_string());
        cli_fails(
            2,
            &fit_args(&path, &["--alpha", &a, "--l1-ratio", &r]),
            &needles,
        );
    }
    let e = b().path(1.0).alphas(vec![0.1, -1.0]).fit().unwrap_err();
    says(&e.to_string(), &["every alpha must be a number >= 0", "-1"]);
    cli_fails(
        2,
        &cv_args(&path, &["--folds", "2", "--alphas", "0.1,-1"]),
        &["every alpha"],
    );
}

#[test]
fn penalty_factor_for_a_term_not_in_the_formula_lists_the_terms() {
    let c = Case::new("factor-term");
    let (path, df) = c.data(BASE);
    let needles = ["penalty factor for `C(Area)`", "no such term", "x, C(g)"];
    let e = glm("y ~ x + C(g)", &df)
        .family(Family::Poisson)
        .penalty(0.1, 1.0)
        .penalty_factor("C(Area)", 0.0)
        .fit()
        .unwrap_err();
    kind!(e, Error::Model { .. });
    says(&e.to_string(), &needles);
    cli_fails(
        2,
        &fit_args(&path, &["--alpha", "0.1", "--penalty-factor", "C(Area)=0"]),
        &needles,
    );
    cli_fails(
        2,
        &fit_args(&path, &["--alpha", "0.1", "--penalty-factor", "C(g)"]),
        &["--penalty-factor needs TERM=FACTOR"],
    );
    let e = glm("y ~ x + C(g)", &df)
        .family(Family::Poisson)
        .penalty(0.1, 1.0)
        .penalty_factor("x", -1.0)
        .fit()
        .unwrap_err();
    says(
        &e.to_string(),
        &["penalty factor", "must be a number >= 0", "-1"],
    );
}

#[test]
fn penalty_folds_out_of_range_or_a_fold_column_with_one_fold() {
    let c = Case::new("folds");
    let (path, df) = c.data(BASE);
    let b = || glm("y ~ x + C(g)", &df).family(Family::Poisson).path(1.0);
    for k in [1, 9] {
        let e = b().cv(k).fit().unwrap_err();
        kind!(e, Error::Model { .. });
        let needles = ["number of folds must be between 2 and the number of rows (8)"];
        says(&e.to_string(), &needles);
        cli_fails(2, &cv_args(&path, &["--folds", &k.to_string()]), &needles);
    }
    let e = b().cv(5).fold_column("e").fit();
    assert!(e.is_ok(), "a fold column with several values works: {e:?}");
    let c1 = Case::new("one-fold");
    let csv: String = BASE
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{l},f\n")
            } else {
                format!("{l},7\n")
            }
        })
        .collect();
    let (path1, df1) = c1.data(&csv);
    let e = glm("y ~ x + C(g)", &df1)
        .family(Family::Poisson)
        .path(1.0)
        .cv(5)
        .fold_column("f")
        .fit()
        .unwrap_err();
    kind!(e, Error::Data { column: Some(c), .. } if c == "f");
    let needles = ["fold column has 1 distinct value", "at least 2 folds"];
    says(&e.to_string(), &needles);
    cli_fails(2, &cv_args(&path1, &["--fold-column", "f"]), &needles);
    cli_fails(2, &cv_args(&path, &[]), &["cv needs --folds K"]);
    cli_fails(
        2,
        &cv_args(&path, &["--folds", "2", "--fold-column", "e"]),
        &["not both"],
    );
}

#[test]
fn penalty_options_without_alpha_or_with_standard_errors_are_usage_errors() {
    let c = Case::new("usage");
    let (path, _) = c.data(BASE);
    cli_fails(
        2,
        &fit_args(&path, &["--l1-ratio", "0.5"]),
        &["need --alpha A"],
    );
    cli_fails(
        2,
        &fit_args(&path, &["--alpha", "0.1", "--cov", "HC1"]),
        &["no standard errors"],
    );
    cli_fails(
        2,
        &cv_args(&path, &["--folds", "2", "--alpha", "0.1"]),
        &["cv chooses alpha"],
    );
    cli_fails(
        2,
        &fit_args(&path, &["--alpha", "0.1", "--standardize", "maybe"]),
        &["true or false"],
    );
}
