//! More R reference cases, made by `tests/r/make_extra_refs.R` (R 4.2.2, MASS, statmod,
//! sandwich; see the provenance field of `tests/fixtures/r_extra/cases.json`): other links,
//! prior weights, quasi families, Tweedie p > 2, negative binomial with fixed theta and with an
//! interaction, an aliased column, robust HC0-HC3, and a 25,000-row claim-frequency model.
//!
//! Tolerances: those of `tests/common/compare.rs` (coefficients 1e-6 relative, R ran with
//! epsilon 1e-13; standard errors 2e-4, deviance 1e-7, Pearson chi2 / dispersion / loglik /
//! AIC / BIC 1e-6, theta 1e-4), and 2e-4 for robust standard errors.

use crate::common::*;
use polars::prelude::*;
use rustystats::family::Family;
use rustystats::frame::{model_frame, read_data, FrameOptions};
use rustystats::inference::CovType;
use rustystats::link::Link;
use rustystats::model::{fit, GlmData, GlmFit, GlmOptions};
use rustystats::solver::IrlsOptions;
use serde_json::Value;

fn cases() -> Vec<Value> {
    let path = format!("{FIXTURES}/../r_extra/cases.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["cases"].as_array().unwrap().clone()
}

fn fit_case(c: &Value, cov: CovType) -> GlmFit {
    let mut df = read_data(&format!("{FIXTURES}/data/{}", c["data"].as_str().unwrap())).unwrap();
    let mut frame_opts = FrameOptions::default();
    if let Some(expr) = c["weights_expr"].as_str() {
        // The weights are an expression of the data, as in R's glm(weights = ...).
        let w: Vec<f64> = match expr {
            "INCOME / 10000" => col(&df, "INCOME").iter().map(|v| v / 10000.0).collect(),
            other => col(&df, other),
        };
        df.with_column(Column::new("rs_weights".into(), w)).unwrap();
        frame_opts.weights = Some("rs_weights".into());
    }
    let mf = model_frame(c["formula"].as_str().unwrap(), &df, &frame_opts).unwrap();
    let theta = c["theta"].as_f64();
    let family = Family::parse(
        c["family"].as_str().unwrap(),
        c["var_power"].as_f64(),
        theta,
    )
    .unwrap();
    let opts = GlmOptions::default()
        .irls(IrlsOptions::default().tol(1e-13).max_iter(500))
        .estimate_theta(c["theta"].as_str() == Some("ml"))
        .cov(cov);
    let data = GlmData {
        x: &mf.design,
        y: &mf.y,
        weights: mf.weights.as_deref(),
        offset: mf.offset.as_deref(),
    };
    let link = Link::parse(c["link"].as_str().unwrap()).unwrap();
    fit(&data, family, Some(link), &opts).unwrap()
}

fn col(df: &DataFrame, name: &str) -> Vec<f64> {
    df.column(name)
        .unwrap()
        .cast(&DataType::Float64)
        .unwrap()
        .f64()
        .unwrap()
        .iter()
        .map(|v| v.unwrap())
        .collect()
}

fn check(c: &Value) {
    let name = c["name"].as_str().unwrap();
    let f = fit_case(c, CovType::Nonrobust);
    assert!(f.converged, "{name}: {:?}", f.warnings);
    assert_eq!(
        f.names.len(),
        c["coef_names"].as_array().unwrap().len(),
        "{name}"
    );
    let mut want = c.clone();
    if let Some(theta) = c.get("theta_ml") {
        want["theta"] = theta.clone();
    } else {
        // A fixed theta is an input, not an estimate.
        want.as_object_mut().unwrap().remove("theta");
    }
    if c["loglik"].is_null() && !f.family.is_quasi() {
        // R leaves out Tweedie's likelihood; ours (the compound Poisson-gamma density) is
        // checked against the polished reference cases in reference.rs.
        for key in ["loglik", "aic", "bic"] {
            want.as_object_mut().unwrap().remove(key);
        }
    }
    check_fit(name, &f, &want);
    for (kind, key) in [
        (CovType::HC0, "HC0"),
        (CovType::HC1, "HC1"),
        (CovType::HC2, "HC2"),
        (CovType::HC3, "HC3"),
    ] {
        let want = floats(&c["robust"][key]);
        let rf = fit_case(c, kind);
        let got: Vec<f64> = rf
            .std_errors()
            .into_iter()
            .filter(|v| !v.is_nan())
            .collect();
        close_all(&format!("{name} {key}"), &got, &want, 2e-4);
    }
}

#[test]
fn extra_r_cases() {
    let all = cases();
    assert!(all.len() >= 16);
    for c in &all {
        check(c);
    }
}

fn fit_formula(t: &Value, formula: &str, cov: CovType, df: &DataFrame) -> GlmFit {
    let mf = model_frame(formula, df, &FrameOptions::default()).unwrap();
    let family = Family::parse(t["family"].as_str().unwrap(), None, None).unwrap();
    let mut opts = GlmOptions::default()
        .irls(IrlsOptions::default().tol(1e-13).max_iter(500))
        .cov(cov);
    if cov == CovType::Cluster {
        let col = t["cluster_column"].as_str().unwrap();
        opts = opts.clusters(rustystats::frame::cluster_codes(df, col, &mf.rows).unwrap());
    }
    let data = GlmData {
        x: &mf.design,
        y: &mf.y,
        weights: mf.weights.as_deref(),
        offset: mf.offset.as_deref(),
    };
    let link = Link::parse(t["link"].as_str().unwrap()).unwrap();
    fit(&data, family, Some(link), &opts).unwrap()
}

/// Likelihood-ratio (R `anova`), Wald tests on coefficient sets, and cluster-robust standard
/// errors (`sandwich::vcovCL`).
#[test]
fn tests_between_fits_match_r() {
    let path = format!("{FIXTURES}/../r_extra/cases.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for (name, t) in v["tests"].as_object().unwrap() {
        let df = read_data(&format!("{FIXTURES}/data/{}", t["data"].as_str().unwrap())).unwrap();
        let big = fit_formula(t, t["big"].as_str().unwrap(), CovType::Nonrobust, &df);
        let small = fit_formula(t, t["small"].as_str().unwrap(), CovType::Nonrobust, &df);
        let lr = rustystats::model::lr_test(&small, &big).unwrap();
        close(
            &format!("{name} LR statistic"),
            lr.statistic,
            t["lr_statistic"].as_f64().unwrap(),
            1e-6,
        );
        assert_eq!(lr.df, t["lr_df"].as_f64().unwrap(), "{name}");
        close(
            &format!("{name} LR p"),
            lr.p_value,
            t["lr_p"].as_f64().unwrap(),
            1e-6,
        );
        if let Some(d2) = t["lr_df_denom"].as_f64() {
            assert_eq!(lr.df_denom, Some(d2), "{name}");
        }
        let names: Vec<String> = strings(&t["wald_names"]);
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let w = rustystats::model::wald_test(&big, &refs).unwrap();
        close(
            &format!("{name} Wald"),
            w.statistic,
            t["wald_statistic"].as_f64().unwrap(),
            1e-6,
        );
        close(
            &format!("{name} Wald p"),
            w.p_value,
            t["wald_p"].as_f64().unwrap(),
            1e-6,
        );
        assert_eq!(w.df_denom, t["wald_df_denom"].as_f64(), "{name}");
        if t.get("cluster_std_errors").is_some() {
            let c = fit_formula(t, t["big"].as_str().unwrap(), CovType::Cluster, &df);
            close_all(
                &format!("{name} cluster"),
                &c.std_errors(),
                &floats(&t["cluster_std_errors"]),
                2e-4,
            );
        }
    }
}

/// Factor levels whose rows all have the response 0 (a Poisson level without claims; a
/// binomial level of failures) or all 1 (a binomial level of successes): their coefficients
/// have no finite estimate (`tests/r/make_diverging_refs.R`). The fit names them, converges
/// in the others as R's glm does (R calls such fits converged), and the others match R's fit
/// without those rows, which is their limit.
#[test]
fn levels_without_events_diverge_and_the_rest_match_r() {
    let path = format!("{FIXTURES}/../r_diverging/cases.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for c in v["cases"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let data = c["data"].as_str().unwrap();
        let dir = if data == "fremtpl_mini.csv" {
            "data"
        } else {
            "../r_diverging"
        };
        let mut df = read_data(&format!("{FIXTURES}/{dir}/{data}")).unwrap();
        if let Some(rows) = c["rows"].as_array() {
            df = df.slice(0, rows[1].as_u64().unwrap() as usize);
        }
        let family = Family::parse(c["family"].as_str().unwrap(), None, None).unwrap();
        let mf = model_frame(
            c["formula"].as_str().unwrap(),
            &df,
            &FrameOptions::default(),
        )
        .unwrap();
        let data = GlmData {
            x: &mf.design,
            y: &mf.y,
            weights: mf.weights.as_deref(),
            offset: mf.offset.as_deref(),
        };
        let f = fit(&data, family, None, &GlmOptions::default()).unwrap();
        assert!(f.converged, "{name}: {:?}", f.warnings);
        assert!(f.iterations <= 25, "{name}: {} iterations", f.iterations);
        assert!(
            c["r_converged"].as_bool().unwrap(),
            "{name}: R converged too"
        );
        let names: Vec<&str> = f.diverging.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, strings(&c["diverging"]), "{name}");
        let table = f.coef_table();
        let mut moving = Vec::new();
        for (d, sign) in f.diverging.iter().zip(floats(&c["signs"])) {
            assert_eq!(d.direction[0].1, sign, "{name}: {}", d.name);
            for &(j, c) in &d.direction {
                // Far out toward its infinity, as R's estimate is; marked in the table.
                assert!(c * f.coefficients[j] > 10.0, "{name}: {}", f.names[j]);
                assert_eq!(
                    table[j].diverging,
                    Some(c.signum()),
                    "{name}: {}",
                    f.names[j]
                );
                moving.push(j);
            }
            let warning = f.warnings.iter().find(|w| w.contains("no finite estimate"));
            assert!(
                warning.is_some_and(|w| w.contains(&d.name)),
                "{name}: {:?}",
                f.warnings
            );
        }
        // The summary marks the rows, and says nothing of non-convergence.
        let text = rustystats::report::summary_text(&f, &Default::default());
        let marked = text
            .lines()
            .filter(|l| l.contains("no finite estimate (to"))
            .count();
        assert_eq!(marked, moving.len(), "{name}:\n{text}");
        assert!(!text.contains("did not converge"), "{name}:\n{text}");
        // The other coefficients (or those named) against the limit fit.
        let column = |n: &str| f.names.iter().position(|m| m == n).unwrap();
        let rest: Vec<usize> = match c["compare"].as_array() {
            Some(_) => strings(&c["compare"]).iter().map(|n| column(n)).collect(),
            None => (0..f.names.len()).filter(|j| !moving.contains(j)).collect(),
        };
        let se = f.std_errors();
        let got = |v: &[f64]| rest.iter().map(|&j| v[j]).collect::<Vec<f64>>();
        assert_eq!(rest.len(), strings(&c["limit_coef_names"]).len(), "{name}");
        close_all(
            &format!("{name} coefficients"),
            &got(&f.coefficients),
            &floats(&c["limit_coefficients"]),
            1e-6,
        );
        close_all(
            &format!("{name} standard errors"),
            &got(&se),
            &floats(&c["limit_std_errors"]),
            2e-4,
        );
        for k in c["contrasts"].as_array().into_iter().flatten() {
            let (a, b) = (
                column(k[0].as_str().unwrap()),
                column(k[1].as_str().unwrap()),
            );
            let diff = f.coefficients[a] - f.coefficients[b];
            close(
                &format!("{name} contrast"),
                diff,
                k[2].as_f64().unwrap(),
                1e-6,
            );
        }
        close(
            &format!("{name} deviance"),
            f.deviance,
            c["limit_deviance"].as_f64().unwrap(),
            1e-6,
        );
    }
}
