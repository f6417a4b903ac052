//! Formula features against R: splines (`bs`, `ns`, `poly`), interactions of every kind,
//! chosen reference levels, `I()`, transformations, several offsets, `cbind` with an
//! expression, no intercept, and `glm.nb` with interactions. Made by
//! `tests/r/make_formula_refs.R` (see the provenance field of the fixture).
//!
//! Tolerances (relative): coefficients 1e-6, standard errors 2e-4, deviance and null deviance
//! 1e-7, AIC 1e-6, theta 1e-4.

mod common;

use common::*;
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
    let want: Vec<Option<f64>> = c["coefficients"]
        .as_array()
        .unwrap()
        .iter()
        .map(Value::as_f64)
        .collect();
    assert_eq!(f.coefficients.len(), want.len(), "{name}: {:?}", f.names);
    let ses = f.std_errors();
    let want_se = c["std_errors"].as_array().unwrap();
    for (j, w) in want.iter().enumerate() {
        match w {
            Some(w) => {
                close(
                    &format!("{name} {}", f.names[j]),
                    f.coefficients[j],
                    *w,
                    1e-6,
                );
                let se = want_se[j].as_f64().unwrap();
                close(&format!("{name} se {}", f.names[j]), ses[j], se, 2e-4);
            }
            None => assert!(f.aliased[j], "{name}: {} should be aliased", f.names[j]),
        }
    }
    close(
        &format!("{name} deviance"),
        f.deviance,
        c["deviance"].as_f64().unwrap(),
        1e-7,
    );
    close(
        &format!("{name} null deviance"),
        f.null_deviance,
        c["null_deviance"].as_f64().unwrap(),
        1e-7,
    );
    if let Some(aic) = c["aic"].as_f64() {
        close(&format!("{name} aic"), f.aic.unwrap(), aic, 1e-6);
    }
    if let Some(t) = c["theta_ml"].as_f64() {
        close(&format!("{name} theta"), f.theta.unwrap().0, t, 1e-4);
    }
    assert_eq!(
        f.df_resid as u64,
        c["df_residual"].as_u64().unwrap(),
        "{name}"
    );
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
