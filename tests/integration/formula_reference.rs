//! Formula features against R: splines (`bs`, `ns`, `poly`), interactions of every kind,
//! chosen reference levels, `I()`, transformations, several offsets, `cbind` with an
//! expression, no intercept, and `glm.nb` with interactions. Made by
//! `tests/r/make_formula_refs.R` (see the provenance field of the fixture).
//!
//! Tolerances: those of `tests/common/compare.rs` (coefficients 1e-6 relative, standard errors
//! 2e-4, deviance and null deviance 1e-7, AIC 1e-6, theta 1e-4).

use crate::common::*;
use rustystats::prelude::*;
use serde_json::Value;

fn check(c: &Value) {
    let name = c["name"].as_str().unwrap();
    let df = read_data(&format!("{FIXTURES}/data/{}", c["data"].as_str().unwrap())).unwrap();
    let family = Family::parse(c["family"].as_str().unwrap(), None, None).unwrap();
    let mut b = glm(c["formula"].as_str().unwrap(), &df)
        .family(family)
        .link(Link::parse(c["link"].as_str().unwrap()).unwrap())
        .tol(1e-13)
        .max_iter(500);
    if c.get("theta_ml").is_some() {
        b = b.theta_ml();
    }
    let m = b.fit().unwrap_or_else(|e| panic!("{name}: {e}"));
    let f = &m.fit;
    let mut want = c.clone();
    if let Some(theta) = c.get("theta_ml") {
        want["theta"] = theta.clone();
    }
    check_fit(name, f, &want);
    // The stored specification reproduces the fitted values on the training data.
    let mu = m.predict(&df, PredictType::Response).unwrap();
    for (a, b) in mu.iter().zip(&f.mu) {
        assert!(
            (a - b).abs() <= 1e-10 * b.abs().max(1e-300),
            "{name}: predict {a} vs {b}"
        );
    }
}

#[test]
fn formula_features_match_r() {
    let path = format!("{FIXTURES}/../r_formula/cases.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    for c in cases {
        check(c);
    }
}

#[test]
fn spline_names_follow_the_formula() {
    let df = read_data(&format!("{FIXTURES}/data/fremtpl_mini.csv")).unwrap();
    let m = glm("ClaimNb ~ bs(DrivAge, df=5) + offset(log(Exposure))", &df)
        .family(Family::Poisson)
        .fit()
        .unwrap();
    assert_eq!(m.fit.names[1], "bs(DrivAge, df=5)[1]");
    assert_eq!(m.fit.names[5], "bs(DrivAge, df=5)[5]");
}

fn col(df: &DataFrame, name: &str) -> Vec<f64> {
    df.column(name)
        .unwrap()
        .f64()
        .unwrap()
        .iter()
        .map(|v| v.unwrap_or(f64::NAN))
        .collect()
}

/// The sequential analysis of deviance matches R's `anova.glm` (chi-squared for Poisson,
/// F for Gamma with the full model's dispersion).
#[test]
fn anova_matches_r() {
    let path = format!("{FIXTURES}/../r_formula/cases.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for a in v["anova"].as_array().unwrap() {
        let name = a["name"].as_str().unwrap();
        let df = read_data(&format!("{FIXTURES}/data/{}", a["data"].as_str().unwrap())).unwrap();
        let m = glm(a["formula"].as_str().unwrap(), &df)
            .family(Family::parse(a["family"].as_str().unwrap(), None, None).unwrap())
            .link(Link::parse(a["link"].as_str().unwrap()).unwrap())
            .tol(1e-13)
            .max_iter(500)
            .fit()
            .unwrap();
        let t = m.anova(&df).unwrap();
        assert_eq!(t.height(), a["terms"].as_array().unwrap().len(), "{name}");
        for (ours, theirs) in [
            ("resid_deviance", "resid_deviance"),
            ("resid_df", "resid_df"),
            ("deviance", "deviance"),
            ("statistic", "statistic"),
            ("p_value", "p_value"),
        ] {
            let got = col(&t, ours);
            for (i, w) in a[theirs].as_array().unwrap().iter().enumerate() {
                match w.as_f64() {
                    Some(w) => close(&format!("{name} {ours}[{i}]"), got[i], w, 1e-6),
                    None => assert!(got[i].is_nan(), "{name} {ours}[{i}]"),
                }
            }
        }
    }
}

#[test]
fn relativities_show_every_level_with_the_base_at_one() {
    let df = read_data(&format!("{FIXTURES}/data/mass_insurance.csv")).unwrap();
    let m = glm(
        r#"Claims ~ C(District) + C(Age, ref="<25") + offset(log(Holders))"#,
        &df,
    )
    .family(Family::Poisson)
    .fit()
    .unwrap();
    let r = m.relativities().unwrap();
    // Intercept + 4 districts + 4 ages.
    assert_eq!(r.height(), 9);
    let rel = col(&r, "relativity");
    let level: Vec<String> = r
        .column("level")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|v| v.unwrap().to_string())
        .collect();
    assert_eq!(level[1], "1");
    assert_eq!(rel[1], 1.0);
    assert_eq!(level[5], "<25");
    assert_eq!(rel[5], 1.0);
    // A non-base level is exp(coefficient).
    let k = m.fit.names.iter().position(|n| n == "Age[>35]").unwrap();
    assert!((rel[8] - m.fit.coefficients[k].exp()).abs() < 1e-12);
    let wald = m.term_tests().unwrap();
    assert_eq!(wald.height(), 2);
    // A log link is required.
    let g = glm("Claims ~ C(District)", &df)
        .family(Family::Gaussian)
        .fit()
        .unwrap();
    assert!(g
        .relativities()
        .unwrap_err()
        .to_string()
        .contains("log link"));
}
