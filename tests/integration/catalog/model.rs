//! Model: an invalid family, link, option or model specification.

use super::*;

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
