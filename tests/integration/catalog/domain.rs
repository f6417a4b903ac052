//! Family domain: a response (or weights, offset) outside what the family allows.

use super::*;

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
