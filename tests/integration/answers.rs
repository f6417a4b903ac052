//! Results that used to be silently wrong (issue #20), against R (`tests/r/make_answer_refs.R`,
//! R 4.2.2 with MASS and sandwich; see the provenance field of
//! `tests/fixtures/r_answers/cases.json`) or against the stated rule: AIC with a response that
//! is not a whole number, the cluster count of cluster-robust covariances, HC2/HC3 with a row of
//! leverage 1, prediction beyond a spline's boundary knots, the negative binomial default,
//! nearly collinear columns.
//!
//! Tolerances (relative): coefficients 1e-6, log-likelihood / AIC / BIC / deviance 1e-8, robust
//! standard errors 1e-6 (R ran with epsilon 1e-13), predictions 1e-6, theta 1e-4.

use crate::common::{close, FIXTURES};
use polars::prelude::*;
use rustystats::frame::{model_frame, FrameOptions};
use rustystats::model::{fit, GlmData, GlmOptions};
use rustystats::prelude::*;
use serde_json::Value;

fn case(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("{FIXTURES}/../r_answers/cases.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v["cases"][name].clone()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| match x {
            Value::String(s) if s == "NaN" => f64::NAN,
            other => other.as_f64().unwrap(),
        })
        .collect()
}

/// R's number, or its `Inf` / `-Inf` written as text.
fn r_number(v: &Value) -> f64 {
    match v.as_str() {
        Some("Inf") => f64::INFINITY,
        Some("-Inf") => f64::NEG_INFINITY,
        _ => v.as_f64().unwrap(),
    }
}

fn data(file: &str) -> DataFrame {
    read_data(&format!("{FIXTURES}/data/{file}")).unwrap()
}

fn answers_data(file: &str) -> DataFrame {
    read_data(&format!("{FIXTURES}/../r_answers/{file}")).unwrap()
}

fn tight() -> GlmOptions {
    GlmOptions::default().irls(IrlsOptions::default().tol(1e-13).max_iter(500))
}

/// The coefficients, log-likelihood, AIC and BIC against R's (infinite ones exactly), and
/// the deviance unless `deviance` is false (MASS's negative binomial deviance uses
/// `log(max(1, y) / mu)`, not the deviance, for 0 < y < 1).
fn check_likelihood(name: &str, fit: &GlmFit, c: &Value, deviance: bool) {
    for (j, r) in floats(&c["coefficients"]).iter().enumerate() {
        close(&format!("{name} coef {j}"), fit.coefficients[j], *r, 1e-6);
    }
    if deviance {
        close(
            &format!("{name} deviance"),
            fit.deviance,
            c["deviance"].as_f64().unwrap(),
            1e-8,
        );
    }
    for (what, ours) in [("loglik", fit.loglik), ("aic", fit.aic), ("bic", fit.bic)] {
        let (ours, r) = (ours.unwrap(), r_number(&c[what]));
        if r.is_finite() {
            close(&format!("{name} {what}"), ours, r, 1e-8);
        } else {
            assert_eq!(ours, r, "{name} {what}");
        }
    }
}

#[test]
fn poisson_aic_is_inf_for_a_response_that_is_not_a_whole_number() {
    let c = case("poisson_rate");
    let df = data("fremtpl_mini.csv");
    let m = glm(c["formula"].as_str().unwrap(), &df)
        .family(Family::Poisson)
        .weights("Exposure")
        .options(tight())
        .fit()
        .unwrap();
    check_likelihood("poisson_rate", &m.fit, &c, true);
    let note = m.fit.loglik_note.as_deref().unwrap();
    // R: "non-integer x = 2.380952", the first such row.
    let needles = [
        "not a whole number on 732 of the rows (rows 38, 61, 119, 173, 175 and 727 more",
        "row 38 has 2.380952",
        "AIC and BIC are Inf",
    ];
    for needle in needles {
        assert!(note.contains(needle), "{needle}: {note}");
    }
    assert!(m.fit.warnings.iter().any(|w| w == note));
    // Text and HTML print R's Inf; JSON has null with the reason.
    assert!(m.summary().contains("AIC: Inf"), "{}", m.summary());
    assert!(m.summary_view().to_html().contains("Inf"));
    let json = m.summary_json();
    assert!(json["aic"].is_null() && json["loglik"].is_null() && json["bic"].is_null());
    assert_eq!(json["loglik_note"].as_str(), Some(note));
    assert!(serde_json::to_string(&json).is_ok());
}

#[test]
fn binomial_aic_rounds_non_integer_successes_and_warns_as_r() {
    let c = case("binomial_noninteger");
    let mut df = data("star98.csv");
    let w: Vec<f64> = column_values(&df, "NTOTAL")
        .unwrap()
        .iter()
        .map(|n| n + 0.5)
        .collect();
    df.with_column(Column::new("w".into(), w)).unwrap();
    let m = glm(c["formula"].as_str().unwrap(), &df)
        .family(Family::Binomial)
        .weights("w")
        .options(tight())
        .fit()
        .unwrap();
    check_likelihood("binomial_noninteger", &m.fit, &c, true);
    assert!(m.fit.loglik_note.is_none());
    let w = m.fit.warnings.join("\n");
    assert!(
        w.contains("non-integer #successes in a binomial glm!"),
        "{w}"
    );
    assert!(w.contains("non-integer successes"), "{w}");
    assert!(m.summary_json()["loglik_note"].is_null());
}

#[test]
fn negative_binomial_likelihood_uses_lgamma_as_r() {
    let df = data("fremtpl_mini.csv");
    let c = case("negbin_fixed_rate");
    let m = glm(c["formula"].as_str().unwrap(), &df)
        .family(Family::NegativeBinomial { theta: 2.0 })
        .theta(2.0)
        .weights("Exposure")
        .options(tight().estimate_theta(false))
        .fit()
        .unwrap();
    check_likelihood("negbin_fixed_rate", &m.fit, &c, false);
    assert!(m.fit.loglik_note.is_none());
    let c = case("negbin_ml_rate");
    let m = glm(c["formula"].as_str().unwrap(), &df)
        .family(Family::NegativeBinomial { theta: 1.0 })
        .weights("Exposure")
        .tol(1e-13)
        .max_iter(500)
        .fit()
        .unwrap();
    close(
        "negbin_ml_rate theta",
        m.fit.theta.unwrap().0,
        c["theta_ml"].as_f64().unwrap(),
        1e-4,
    );
    for (what, ours) in [("loglik", m.fit.loglik), ("aic", m.fit.aic)] {
        close(
            &format!("negbin_ml_rate {what}"),
            ours.unwrap(),
            r_number(&c[what]),
            1e-6,
        );
    }
}

#[test]
fn quasi_families_have_no_aic_and_say_why() {
    let df = data("fremtpl_mini.csv");
    let m = glm("ClaimNb ~ C(Area)", &df)
        .family(Family::QuasiPoisson)
        .fit()
        .unwrap();
    assert!(m.fit.aic.is_none());
    assert!(m
        .fit
        .loglik_note
        .as_deref()
        .unwrap()
        .contains("quasi family"));
    assert!(m.summary_json()["loglik_note"].is_string());
}

/// The cluster-robust standard errors of `name` (our fit through the builder).
fn cluster_fit(name: &str) -> (GlmModel, Value) {
    let c = case(name);
    let df = answers_data(c["data"].as_str().unwrap());
    let mut b = glm(c["formula"].as_str().unwrap(), &df)
        .family(Family::Poisson)
        .options(tight());
    if let Some(w) = c["weights"].as_str() {
        b = b.weights(w);
    }
    let m = b.cluster(c["cluster"].as_str().unwrap()).fit().unwrap();
    (m, c)
}

#[test]
fn cluster_count_includes_a_cluster_whose_score_sum_is_zero() {
    // Level c has no events: its rows' scores vanish as its coefficient runs to -inf, yet the
    // cluster is one of sandwich's G = 3.
    let (m, c) = cluster_fit("cluster_level_without_events");
    let r = floats(&c["cluster_std_errors"]);
    let ours = m.fit.std_errors();
    // The diverging coefficient's own standard error depends on where each fit stopped.
    for j in [0, 1, 3] {
        close(
            &format!("cluster se {}", m.fit.names[j]),
            ours[j],
            r[j],
            1e-6,
        );
    }
}

#[test]
fn cluster_count_with_a_singleton_and_a_zero_weight_cluster() {
    // Zero-weight rows are not observations: the answer is vcovCL of the fit without them.
    let (m, c) = cluster_fit("cluster_singleton_and_zero_weight");
    let r = floats(&c["cluster_std_errors"]);
    let ours = m.fit.std_errors();
    for j in 0..2 {
        close(
            &format!("cluster se {}", m.fit.names[j]),
            ours[j],
            r[j],
            1e-6,
        );
    }
}

#[test]
fn hc3_with_a_leverage_one_row_warns_and_names_the_row() {
    let c = case("hc3_leverage_one");
    let df = answers_data("leverage_one.csv");
    let fit_with = |cov| {
        glm("y ~ x + C(g)", &df)
            .family(Family::Poisson)
            .options(tight())
            .cov(cov)
            .fit()
            .unwrap()
    };
    let hc0 = fit_with(CovType::HC0);
    for (j, (o, r)) in hc0
        .fit
        .std_errors()
        .iter()
        .zip(floats(&c["hc0_std_errors"]))
        .enumerate()
    {
        close(&format!("HC0 se {j}"), *o, r, 1e-6);
    }
    assert!(hc0.fit.warnings.is_empty(), "{:?}", hc0.fit.warnings);
    for (cov, name) in [(CovType::HC2, "HC2"), (CovType::HC3, "HC3")] {
        let m = fit_with(cov);
        // R: NaN for every standard error, with sandwich's warning naming observation 8.
        assert!(m.fit.std_errors().iter().all(|s| s.is_nan()), "{name}");
        let w = m.fit.warnings.join("\n");
        for needle in [
            &format!("{name} standard errors are not reliable"),
            "row 8 has leverage",
            "every standard error is NA",
            "Use HC0 or HC1",
        ] {
            assert!(w.contains(needle), "{needle}: {w}");
        }
    }
}

#[test]
fn bs_prediction_beyond_the_boundary_knots_warns_and_names_the_rows() {
    let c = case("spline_extrapolation");
    let df = data("fremtpl_mini.csv");
    let new = df!(
        "DrivAge" => floats(&c["new_drivage"]),
        "Exposure" => [1.0, 1.0, 1.0, 1.0],
    )
    .unwrap();
    for (formula, preds, warns) in [
        (
            c["bs_formula"].as_str().unwrap(),
            &c["bs_predictions"],
            true,
        ),
        (
            c["ns_formula"].as_str().unwrap(),
            &c["ns_predictions"],
            false,
        ),
    ] {
        let m = glm(formula, &df)
            .family(Family::Poisson)
            .exposure("Exposure")
            .options(tight())
            .fit()
            .unwrap();
        let p = m.predict(&new, PredictType::Response).unwrap();
        for (i, r) in floats(preds).iter().enumerate() {
            close(&format!("{formula} prediction {i}"), p[i], *r, 1e-6);
        }
        // Both bases warn (R only for bs): rows 2 (DrivAge 120) and 4 (17) of 4.
        assert_eq!(p.warnings.len(), 1, "{formula}: {:?}", p.warnings);
        let w = &p.warnings[0];
        for needle in [
            "DrivAge is outside the training range [18, 91]",
            "on 2 of 4 rows (rows 2, 4; row 2 has 120)",
            "extrapolated",
        ] {
            assert!(w.contains(needle), "{needle}: {w}");
        }
        assert_eq!(w.contains("ill-conditioned bases"), warns, "{w}");
        // Inside the range: no warning.
        let inside = df!("DrivAge" => [30.0, 60.0], "Exposure" => [1.0, 1.0]).unwrap();
        assert!(m
            .predict(&inside, PredictType::Link)
            .unwrap()
            .warnings
            .is_empty());
    }
}

#[test]
fn negative_binomial_builder_estimates_theta_by_default_as_the_command_line() {
    let df = data("mass_quine.csv");
    let formula = "Days ~ Eth + Sex + Age + Lrn";
    let nb = Family::NegativeBinomial { theta: 1.0 };
    let default = glm(formula, &df).family(nb).fit().unwrap();
    let explicit = glm(formula, &df).family(nb).theta_ml().fit().unwrap();
    // MASS::glm.nb on quine: theta 1.2749 (tests/fixtures/refs/cases/negbin_quine_theta_ml).
    let (theta, _) = default.fit.theta.unwrap();
    close("default theta", theta, 1.274892646, 1e-4);
    assert_eq!(default.fit.coefficients, explicit.fit.coefficients);
    // Fixed on request, as R's negative.binomial(2).
    let fixed = glm(formula, &df).family(nb).theta(2.0).fit().unwrap();
    assert_eq!(fixed.fit.family, Family::NegativeBinomial { theta: 2.0 });
    assert!(fixed.fit.theta.is_none_or(|t| t.1.is_none()));
    let e = glm(formula, &df)
        .family(Family::Poisson)
        .theta(2.0)
        .fit()
        .unwrap_err();
    assert!(matches!(e, Error::Model { .. }), "{e}");
    assert!(
        e.to_string().contains("only used by the negative binomial"),
        "{e}"
    );
}

/// `n` rows of `x` and `x2`, twice x rounded to 2 decimals: correlation 1 - 2e-8.
fn nearly_collinear(n: usize) -> DataFrame {
    let mut rng = crate::common::rng::Rng(7);
    let x: Vec<f64> = (0..n)
        .map(|_| (rng.uniform() * 25.0 * 1e6).round() / 1e6)
        .collect();
    let x2: Vec<f64> = x
        .iter()
        .map(|v| (2.0 * v * 100.0).round() / 100.0)
        .collect();
    let y: Vec<f64> = x
        .iter()
        .map(|v| (0.05 * v).exp().round() + (rng.uniform() * 3.0).floor())
        .collect();
    df!("y" => y, "x" => x, "x2" => x2).unwrap()
}

#[test]
fn nearly_collinear_columns_warn_and_are_named() {
    let df = nearly_collinear(100);
    let m = glm("y ~ x + x2", &df)
        .family(Family::Poisson)
        .fit()
        .unwrap();
    assert!(m.fit.aliased.iter().all(|a| !a));
    let w = m.fit.warnings.join("\n");
    for needle in ["nearly collinear columns: `x` (", "`x2` (", "inflated"] {
        assert!(w.contains(needle), "{needle}: {w}");
    }
    // One of them alone is fine.
    let m = glm("y ~ x", &df).family(Family::Poisson).fit().unwrap();
    assert!(m.fit.warnings.is_empty(), "{:?}", m.fit.warnings);
}

#[test]
fn ill_conditioned_but_meaningful_designs_do_not_warn() {
    // Longley (the classic ill-conditioned regression: largest variance inflation ~1,800),
    // raw polynomials to degree 3 on 18-91 and splines in raw scale.
    let check = |file: &str, formula: &str, family: Family, exposure: Option<&str>| {
        let df = data(file);
        let mut b = glm(formula, &df).family(family);
        if let Some(e) = exposure {
            b = b.exposure(e);
        }
        let m = b.fit().unwrap();
        assert!(
            !m.fit.warnings.iter().any(|w| w.contains("collinear")),
            "{formula}: {:?}",
            m.fit.warnings
        );
    };
    check(
        "longley.csv",
        "TOTEMP ~ GNPDEFL + GNP + UNEMP + ARMED + POP + YEAR",
        Family::Gaussian,
        None,
    );
    check(
        "fremtpl_mini.csv",
        "ClaimNb ~ DrivAge + I(DrivAge^2) + I(DrivAge^3) + bs(BonusMalus, df=6) + ns(VehAge, df=4)",
        Family::Poisson,
        Some("Exposure"),
    );
    // The tutorials' models (notebooks 01-06).
    let rest = "C(Area) + log(BonusMalus)";
    for age in [
        "DrivAge",
        "poly(DrivAge, 3)",
        "bs(DrivAge, df=5)",
        "ns(DrivAge, df=5)",
    ] {
        let f = format!("ClaimNb ~ {rest} + {age}");
        check("fremtpl_mini.csv", &f, Family::Poisson, Some("Exposure"));
    }
    for f in [
        "ClaimNb ~ C(Area) * log(BonusMalus) + ns(DrivAge, df=5)",
        "ClaimNb ~ C(Area) + C(VehBrand) + log(BonusMalus) + bs(DrivAge, df=5)",
        "ClaimNb ~ C(Area) + log(BonusMalus) + ns(DrivAge, df=5) + C(VehBrand) + ns(VehAge, df=3) \
         + C(VehPower)",
    ] {
        check("fremtpl_mini.csv", f, Family::Poisson, Some("Exposure"));
    }
    check(
        "mass_insurance.csv",
        "Claims ~ C(District) + C(Group) + C(Age) + offset(log(Holders))",
        Family::Poisson,
        None,
    );
    check(
        "synth_tweedie.csv",
        "pure_premium ~ x1 + C(region) + young",
        Family::Tweedie { var_power: 1.5 },
        None,
    );
    let quine = "Days ~ Eth + Sex + Age + Lrn";
    check(
        "mass_quine.csv",
        quine,
        Family::NegativeBinomial { theta: 1.0 },
        None,
    );
}

#[test]
fn a_huge_predictor_is_a_data_error_naming_column_and_row() {
    let df = df!(
        "y" => [1.0, 2.0, 0.0, 3.0, 1.0, 2.0],
        "x" => [0.5, 1.5, 2.5, 1e200, 0.7, 1.1],
    )
    .unwrap();
    let e = glm("y ~ x", &df).family(Family::Poisson).fit().unwrap_err();
    assert!(
        matches!(&e, Error::Data { column: Some(c), row: Some(3), .. } if c == "x"),
        "{e:?}"
    );
    assert!(e.to_string().contains("too large"), "{e}");
}

#[test]
fn a_huge_gaussian_response_is_a_data_error_naming_the_row() {
    let df = df!("y" => [1.0, 2.0, 1e308, 3.0], "x" => [0.5, 1.5, 2.5, 3.5]).unwrap();
    let e = glm("y ~ x", &df).fit().unwrap_err();
    assert!(matches!(&e, Error::Data { row: Some(2), .. }), "{e:?}");
    let text = e.to_string();
    assert!(
        text.starts_with("row 3: the response value 1e308"),
        "{text}"
    );
    assert!(!text.contains("default link"), "{text}");
}

#[test]
fn a_huge_poisson_count_is_a_data_error_naming_the_row() {
    // It used to fit with a Pearson chi2 of inf and standard errors of 1e-100.
    let df = df!("y" => [2.0, 0.0, 3.0, 1e200, 5.0], "x" => [0.5, 1.5, 2.5, 3.5, 4.5]).unwrap();
    let e = glm("y ~ x", &df).family(Family::Poisson).fit().unwrap_err();
    assert!(matches!(&e, Error::Data { row: Some(3), .. }), "{e:?}");
    assert!(
        e.to_string().starts_with("row 4: the response value 1e200"),
        "{e}"
    );
}

#[test]
fn rows_are_numbered_as_in_the_data_after_dropping_missing_values() {
    let x: Vec<Option<f64>> = vec![None, Some(1.5), Some(2.5), Some(3.5)];
    let df = df!("y" => [1.0, 2.0, 1e308, 3.0], "x" => x).unwrap();
    let e = glm("y ~ x", &df).fit().unwrap_err();
    assert!(matches!(&e, Error::Data { row: Some(2), .. }), "{e:?}");
}

/// The low-level fit with a design built by the frame layer.
#[test]
fn low_level_fit_reports_the_same_note() {
    let df = data("fremtpl_mini.csv");
    let opts = FrameOptions {
        weights: Some("Exposure".into()),
        ..Default::default()
    };
    let mf = model_frame("ClaimNb / Exposure ~ C(Area)", &df, &opts).unwrap();
    let d = GlmData {
        x: &mf.design,
        y: &mf.y,
        weights: mf.weights.as_deref(),
        offset: None,
    };
    let f = fit(&d, Family::Poisson, None, &GlmOptions::default()).unwrap();
    assert_eq!(f.aic, Some(f64::INFINITY));
    assert!(f.loglik_note.is_some());
}
