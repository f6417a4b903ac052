//! The command-line tool against the same R / statsmodels references: every fixture case
//! through `rustystats fit --format json`, plus the contract's exit codes and messages.

use std::process::Command;

use crate::common::*;
use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rustystats"))
}

fn fit_json(case: &Case, extra: &[&str]) -> Value {
    let (family, p) = case.family_args();
    let mut cmd = bin();
    cmd.args([
        "fit",
        "--data",
        &case.data_path(),
        "--formula",
        &case.formula(),
    ])
    .args([
        "--family",
        &family,
        "--format",
        "json",
        "--tol",
        "1e-13",
        "--max-iter",
        "500",
    ])
    .args(["--link", case.model()["link"].as_str().unwrap()]);
    if let Some(p) = p {
        cmd.args(["--var-power", &p.to_string()]);
    }
    if let Some(w) = case.weights() {
        cmd.args(["--weights", &w]);
    }
    cmd.args(extra);
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}: exit {:?}\n{}",
        case.name,
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON object")
}

fn column(v: &Value, key: &str) -> Vec<f64> {
    v["coefficients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[key].as_f64().unwrap())
        .collect()
}

#[test]
fn every_case_through_the_cli_matches_r() {
    for name in case_names() {
        let case = Case::load(&name);
        let v = fit_json(&case, &[]);
        let names: Vec<String> = v["coefficients"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(names, case.design_columns(), "{name}");
        close_all(
            &format!("{name} coefficients"),
            &column(&v, "estimate"),
            &floats(case.polished("coefficients")),
            1e-6,
        );
        close_all(
            &format!("{name} std errors"),
            &column(&v, "std_error"),
            &floats(case.r("std_errors")),
            2e-4,
        );
        for key in ["deviance", "null_deviance"] {
            close(
                &format!("{name} {key}"),
                v[key].as_f64().unwrap(),
                case.r(key).as_f64().unwrap(),
                1e-7,
            );
        }
        close(
            &format!("{name} scale"),
            v["scale"].as_f64().unwrap(),
            case.r("dispersion").as_f64().unwrap(),
            1e-6,
        );
        if let Some(aic) = case.r("aic").as_f64() {
            close(
                &format!("{name} aic"),
                v["aic"].as_f64().unwrap(),
                aic,
                1e-6,
            );
            close(
                &format!("{name} loglik"),
                v["loglik"].as_f64().unwrap(),
                case.r("loglik").as_f64().unwrap(),
                1e-6,
            );
        }
        match case.r("theta").as_f64() {
            Some(t) => close(
                &format!("{name} theta"),
                v["theta"].as_f64().unwrap(),
                t,
                1e-4,
            ),
            None => assert!(v["theta"].is_null(), "{name}: theta should be null"),
        }
        assert_eq!(v["converged"], Value::Bool(true), "{name}");
        for key in [
            "family",
            "link",
            "formula",
            "nobs",
            "df_model",
            "df_resid",
            "iterations",
            "pearson_chi2",
            "bic",
        ] {
            assert!(v.get(key).is_some(), "{name}: missing `{key}`");
        }
    }
}

#[test]
fn robust_hc1_through_the_cli() {
    let case = Case::load("poisson_log_offset_insurance");
    let v = fit_json(&case, &["--cov", "HC1"]);
    close_all(
        "insurance HC1",
        &column(&v, "std_error"),
        &floats(case.r("std_errors_HC1")),
        2e-4,
    );
    assert_eq!(v["cov_type"], "HC1");
}

fn run_err(args: &[&str]) -> (i32, String) {
    let out = bin().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bad_input_exits_2_with_a_message_that_names_the_problem() {
    let data = format!("{FIXTURES}/data/mass_insurance.csv");
    let (code, err) = run_err(&["fit", "--data", &data, "--formula", "Claims ~ Holdrs"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("Holdrs") && err.contains("Holders"), "{err}");

    let (code, err) = run_err(&["fit", "--data", &data, "--formula", "Claims ~ Holders +"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains('^'), "formula errors show a caret: {err}");

    let (code, err) = run_err(&[
        "fit",
        "--data",
        &data,
        "--formula",
        "Claims ~ Holders",
        "--family",
        "poison",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("poison") && err.contains("poisson"), "{err}");

    let (code, err) = run_err(&[
        "fit",
        "--data",
        &data,
        "--formula",
        "Claims ~ Holders",
        "--family",
        "poisson",
        "--link",
        "logit",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("logit"), "{err}");

    let (code, err) = run_err(&["fit", "--data", "/nonexistent/x.csv", "--formula", "y ~ x"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("/nonexistent/x.csv"), "{err}");

    let (code, err) = run_err(&[
        "fit",
        "--data",
        &data,
        "--formula",
        "Claims ~ C(Age, ref=\"old\")",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("old") && err.contains("25-29"), "{err}");

    let (code, err) = run_err(&[
        "fit",
        "--data",
        &data,
        "--formula",
        "Claims ~ Holders",
        "--family",
        "tweedie",
        "--var-power",
        "0.5",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("0.5"), "{err}");
}

#[test]
fn text_summary_shows_the_table() {
    let case = Case::load("poisson_log_cpunish");
    let out = bin()
        .args([
            "fit",
            "--data",
            &case.data_path(),
            "--formula",
            &case.formula(),
        ])
        .args(["--family", "poisson"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "log(VC100k96)",
        "Estimate",
        "Std. Error",
        "z value",
        "AIC",
        "Converged",
    ] {
        assert!(text.contains(needle), "missing `{needle}` in:\n{text}");
    }
}

#[test]
fn html_report_is_one_offline_page_with_summary_and_figures() {
    let case = Case::load("poisson_log_offset_insurance");
    let dir = std::env::temp_dir().join(format!("rustystats-cli-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("report.html");
    let out = bin()
        .args([
            "fit",
            "--data",
            &case.data_path(),
            "--formula",
            &case.formula(),
        ])
        .args(["--family", "poisson", "--format", "html", "--output"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("rs-summary") && html.contains("Relativities"));
    // Offline: plotly.js is inside the page, nothing is loaded from a network address.
    assert!(html.contains("Plotly.newPlot") && !html.contains("<script src="));
    // Residuals, QQ, calibration, lift, Lorenz and one one-way chart per factor (3).
    assert_eq!(html.matches("class=\"rustystats-figure\"").count(), 8);
    assert!(!html.contains("Not shown"));
}

/// A CSV of `rows` rows: a count `y`, a number `x`, a factor `postcode` of 100,000 levels
/// and, when `brokers > 0`, a factor `broker` of that many levels; in a directory of its own.
fn wide_csv(tag: &str, rows: u64, brokers: u64) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("rustystats-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("wide.csv");
    let mut csv = String::from("y,x,postcode,broker\n");
    for i in 0..rows {
        let level = (i * 7_919) % 100_000;
        let broker = (i * 104_729) % brokers.max(1);
        let y = (i * 31) % 7 % 3;
        csv.push_str(&format!(
            "{y},{},P{level},B{broker}\n",
            (i % 17) as f64 / 17.0
        ));
    }
    std::fs::write(&path, csv).unwrap();
    (dir, path)
}

#[test]
fn a_factor_of_100000_levels_fits_with_standard_errors() {
    // Its levels are kept as a diagonal of X'WX: no 100,001 x 100,001 matrix (80 GB).
    let (dir, path) = wide_csv("wide-fit", 150_000, 0);
    let path = path.to_str().unwrap();
    let fit = |extra: &[&str]| {
        bin()
            .args(["fit", "--data", path, "--formula", "y ~ x + C(postcode)"])
            .args(["--family", "poisson", "--format", "json"])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = fit(&[]);
    // A ridge penalty (credibility for every level) takes the same path; with an L1 part the
    // fit needs the dense X'WX and is refused naming the factor.
    let ridge = fit(&["--alpha", "0.001", "--l1-ratio", "0"]);
    let lasso = fit(&["--alpha", "0.001", "--l1-ratio", "0.5"]);
    std::fs::remove_dir_all(&dir).ok();
    let ridge_err = String::from_utf8_lossy(&ridge.stderr);
    assert!(ridge.status.success(), "{ridge_err}");
    let ridge: Value = serde_json::from_slice(&ridge.stdout).unwrap();
    assert!(ridge["converged"].as_bool().unwrap(), "{ridge}");
    let lasso_err = String::from_utf8_lossy(&lasso.stderr);
    assert_eq!(lasso.status.code(), Some(2), "{lasso_err}");
    assert!(
        lasso_err.contains("99999 of them from `postcode`"),
        "{lasso_err}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["converged"].as_bool().unwrap());
    let coefs = v["coefficients"].as_array().unwrap();
    assert_eq!(coefs.len(), 100_001);
    let with_se = |r: &&Value| r["std_error"].as_f64().is_some_and(|s| s > 0.0);
    assert_eq!(
        coefs.iter().filter(with_se).count(),
        v["rank"].as_u64().unwrap() as usize
    );
}

#[test]
fn a_model_too_wide_for_memory_is_a_clear_error_not_an_allocation_failure() {
    // 100,000 postcodes and 60,000 brokers: with the postcodes kept as a diagonal, their
    // cross-products with the brokers alone are 48 GB, more than this machine (or CI's) has.
    // The tool must say so within seconds, naming the factor to merge, before allocating.
    let (dir, path) = wide_csv("wide-refused", 200_000, 60_000);
    let started = std::time::Instant::now();
    let (code, err) = run_err(&[
        "fit",
        "--data",
        path.to_str().unwrap(),
        "--formula",
        "y ~ x + C(postcode) + C(broker)",
        "--family",
        "poisson",
    ]);
    let seconds = started.elapsed().as_secs_f64();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("99999 from `postcode`"), "{err}");
    assert!(err.contains("59999 of them from `broker`"), "{err}");
    assert!(
        err.contains("GB of memory available") && err.contains("merge the rare levels of `broker`"),
        "{err}"
    );
    assert!(seconds < 10.0, "the refusal took {seconds:.1} s");
}
