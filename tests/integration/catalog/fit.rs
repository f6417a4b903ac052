//! Fit trouble: errors and warnings of a fit that runs (exit 1, or a warning).

use super::*;

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
