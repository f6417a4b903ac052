//! Penalized fits against R's glmnet, polished to the exact optimum
//! (`tests/r/make_glmnet_refs.R`, fixtures in `tests/fixtures/glmnet/`): Gaussian, Poisson with
//! an offset, binomial; l1_ratio 1, 0.5 and 0; standardized or not; penalty factors (one of
//! them 0) and prior weights; three alphas each.

use rustystats::frame::{model_frame, read_data, FrameOptions};
use rustystats::model::{
    fit, fit_path, fit_penalized, Alphas, ElasticNet, GlmData, GlmOptions, PathOptions,
};
use rustystats::prelude::Family;
use serde_json::Value;

use crate::common::{close_all, near, near_all};

const GLMNET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/glmnet");

fn cases() -> Vec<(String, Value)> {
    let text = std::fs::read_to_string(format!("{GLMNET}/cases.json")).expect("glmnet cases");
    let json: Value = serde_json::from_str(&text).expect("JSON");
    let cases = json["cases"].as_object().expect("cases");
    cases.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

fn family(name: &str) -> Family {
    match name {
        "gaussian" => Family::Gaussian,
        "poisson" => Family::Poisson,
        "binomial" => Family::Binomial,
        other => panic!("family {other}"),
    }
}

/// The design and data of a case.
fn frame(df: &polars::prelude::DataFrame, case: &Value) -> rustystats::frame::ModelFrame {
    let opts = FrameOptions {
        weights: case["weights"].as_str().map(String::from),
        exposure: case["offset"].as_str().map(|_| "expo".to_string()),
        offset: None,
    };
    model_frame(case["formula"].as_str().unwrap(), df, &opts).unwrap()
}

/// The penalty factors of a case, 0 for the intercept.
fn factors(case: &Value) -> Vec<f64> {
    let mut factors = vec![0.0];
    factors.extend(floats(&case["penalty_factors"]));
    factors
}

/// Every case and alpha: coefficients within 1e-6 relative of the polished optimum (1e-6 of
/// the largest coefficient for those near 0), the same exact zeros, and within 2e-5 of
/// glmnet's own answer.
#[test]
fn elastic_net_matches_glmnet_polished() {
    let df = read_data(&format!("{GLMNET}/data.csv")).unwrap();
    let mut worst_polished: f64 = 0.0;
    let mut worst_glmnet: f64 = 0.0;
    for (name, case) in cases() {
        let mf = frame(&df, &case);
        let names: Vec<String> = case["names"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_string())
            .collect();
        assert_eq!(mf.names(), names.as_slice(), "{name}: design columns");
        let data = GlmData {
            x: &mf.design,
            y: &mf.y,
            weights: mf.weights.as_deref(),
            offset: mf.offset.as_deref(),
        };
        let factors = factors(&case);
        let fam = family(case["family"].as_str().unwrap());
        for r in case["fits"].as_array().unwrap() {
            let alpha = r["alpha"].as_f64().unwrap();
            let net = ElasticNet::new(alpha, case["l1_ratio"].as_f64().unwrap())
                .standardize(case["standardize"].as_bool().unwrap())
                .factors(factors.clone());
            let what = format!("{name} at alpha {alpha:.4e}");
            let f = fit_penalized(&data, fam, None, &net, &GlmOptions::default()).unwrap();
            assert!(f.converged, "{what}: converged");
            let (polished, raw) = (floats(&r["polished"]), floats(&r["glmnet"]));
            let scale = polished.iter().fold(0.0f64, |m, b| m.max(b.abs()));
            for (j, (&got, &want)) in f.coefficients.iter().zip(&polished).enumerate() {
                assert_eq!(
                    got == 0.0,
                    want == 0.0,
                    "{what}: zero pattern at {}",
                    names[j]
                );
                near(
                    &format!("{what}: {}", names[j]),
                    got,
                    want,
                    1e-6,
                    1e-3 * scale,
                );
                worst_polished =
                    worst_polished.max((got - want).abs() / want.abs().max(1e-3 * scale));
                worst_glmnet =
                    worst_glmnet.max((got - raw[j]).abs() / raw[j].abs().max(1e-3 * scale));
            }
            near_all(
                &format!("{what}: glmnet's own answer"),
                &f.coefficients,
                &raw,
                2e-5,
                scale,
            );
        }
    }
    eprintln!(
        "worst relative difference: polished {worst_polished:.2e}, glmnet {worst_glmnet:.2e}"
    );
}

/// With alpha = 0 the penalized fit is the maximum-likelihood fit.
#[test]
fn alpha_zero_is_the_unpenalized_fit() {
    let df = read_data(&format!("{GLMNET}/data.csv")).unwrap();
    let opts = FrameOptions {
        exposure: Some("expo".into()),
        ..FrameOptions::default()
    };
    let mf = model_frame("yp ~ x1 + x2 + x3 + x4 + x5 + x6 + C(g)", &df, &opts).unwrap();
    let data = GlmData {
        x: &mf.design,
        y: &mf.y,
        weights: None,
        offset: mf.offset.as_deref(),
    };
    let ml = fit(&data, Family::Poisson, None, &GlmOptions::default()).unwrap();
    for l1_ratio in [0.0, 0.5, 1.0] {
        let net = ElasticNet::new(0.0, l1_ratio);
        let pen =
            fit_penalized(&data, Family::Poisson, None, &net, &GlmOptions::default()).unwrap();
        close_all("alpha = 0", &pen.coefficients, &ml.coefficients, 1e-8);
        near("deviance", pen.deviance, ml.deviance, 1e-12, 1.0);
    }
}

/// Paths: the default alphas are glmnet's (as far as glmnet went; it stops early once the
/// deviance explained settles), and the fits along the path, from warm starts through the
/// strong rule's screens, are the polished optima at glmnet's 5th, 20th and 45th alpha.
#[test]
fn paths_follow_glmnet() {
    let df = read_data(&format!("{GLMNET}/data.csv")).unwrap();
    for (name, case) in cases() {
        let mf = frame(&df, &case);
        let data = GlmData {
            x: &mf.design,
            y: &mf.y,
            weights: mf.weights.as_deref(),
            offset: mf.offset.as_deref(),
        };
        let popts = PathOptions {
            net: ElasticNet::new(0.0, case["l1_ratio"].as_f64().unwrap())
                .standardize(case["standardize"].as_bool().unwrap())
                .factors(factors(&case)),
            alphas: Alphas::default(),
        };
        let fam = family(case["family"].as_str().unwrap());
        let path = fit_path(&data, fam, None, &popts, &GlmOptions::default()).unwrap();
        assert_eq!(path.alphas.len(), 100);
        let theirs = floats(&case["path_alphas"]);
        close_all(
            &format!("{name}: alphas"),
            &path.alphas[..theirs.len()],
            &theirs,
            1e-10,
        );
        assert!(
            path.converged.iter().all(|&c| c),
            "{name}: every fit converged"
        );
        let at = case["path_at"].as_array().unwrap();
        for (r, k) in case["fits"].as_array().unwrap().iter().zip(at) {
            let k = k.as_u64().unwrap() as usize - 1;
            let polished = floats(&r["polished"]);
            let scale = polished.iter().fold(0.0f64, |m, b| m.max(b.abs()));
            let got = &path.coefficients[k];
            for (j, (&g, &w)) in got.iter().zip(&polished).enumerate() {
                let what = format!("{name}: path at alpha {k}, column {j}");
                assert_eq!(g == 0.0, w == 0.0, "{what}: zero pattern");
                near(&what, g, w, 1e-6, 1e-3 * scale);
            }
        }
    }
}

/// Cross-validation with cv.glmnet's fold ids (the column `fold`) and alphas: the mean and
/// standard error of the held-out deviance at each alpha, alpha_min and alpha_1se. cv.glmnet's
/// fold fits are glmnet's own (up to ~5e-6 from their optima), ours are the optima, so the
/// losses agree to about 1e-6 relative, not to the last digit.
#[test]
fn cross_validation_matches_cv_glmnet() {
    use rustystats::prelude::glm;
    let df = read_data(&format!("{GLMNET}/data.csv")).unwrap();
    let mut checked = 0;
    for (name, case) in cases() {
        // Cases without a cross-validation have `cv: {}` (R's NULL).
        let Some(cv) = case["cv"].as_object().filter(|c| !c.is_empty()) else {
            continue;
        };
        let mut b = glm(case["formula"].as_str().unwrap(), &df)
            .family(family(case["family"].as_str().unwrap()));
        if let Some(w) = case["weights"].as_str() {
            b = b.weights(w);
        }
        if case["offset"].as_str().is_some() {
            b = b.exposure("expo");
        }
        let terms = ["x1", "x2", "x3", "x4", "x5", "x6"];
        let pf = floats(&case["penalty_factors"]);
        let mut path = b
            .path(case["l1_ratio"].as_f64().unwrap())
            .standardize(case["standardize"].as_bool().unwrap())
            .alphas(floats(&cv["alphas"]));
        for (t, f) in terms.iter().zip(&pf) {
            path = path.penalty_factor(t, *f);
        }
        path = path.penalty_factor("C(g)", pf[6]);
        let m = path.cv(5).fold_column("fold").fit().unwrap();
        let got = &m.cv;
        close_all(
            &format!("{name}: alphas"),
            &got.path.alphas,
            &floats(&cv["alphas"]),
            1e-14,
        );
        close_all(
            &format!("{name}: cv_mean"),
            &got.cv_mean,
            &floats(&cv["cv_mean"]),
            2e-6,
        );
        close_all(
            &format!("{name}: cv_se"),
            &got.cv_se,
            &floats(&cv["cv_se"]),
            2e-4,
        );
        assert_eq!(
            got.alpha_min(),
            cv["alpha_min"].as_f64().unwrap(),
            "{name}: alpha_min"
        );
        assert_eq!(
            got.alpha_1se(),
            cv["alpha_1se"].as_f64().unwrap(),
            "{name}: alpha_1se"
        );
        checked += 1;
    }
    assert_eq!(checked, 7);
}

/// The tool's output for `args`, as JSON (it must succeed).
fn cli_json(args: &[&str]) -> Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rustystats"))
        .args(args)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?}: {err}");
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// The command line: `fit --alpha` and `cv` give the glmnet references through their JSON
/// contracts (the same numbers the API gives).
#[test]
fn the_command_line_gives_glmnet_answers() {
    let data = format!("{GLMNET}/data.csv");
    let pf = "x3=0";
    let all = cases();
    let (_, case) = all.iter().find(|(n, _)| n == "poisson_factors").unwrap();
    // poisson_factors: x3 unpenalized, x4 at 2, the factor's columns at 0.5.
    let flags = [
        "--penalty-factor",
        pf,
        "--penalty-factor",
        "x4=2",
        "--penalty-factor",
        "C(g)=0.5",
    ];
    for r in case["fits"].as_array().unwrap() {
        let alpha = r["alpha"].as_f64().unwrap().to_string();
        let mut args = vec![
            "fit",
            "--data",
            &data,
            "--formula",
            case["formula"].as_str().unwrap(),
            "--family",
            "poisson",
            "--exposure",
            "expo",
            "--alpha",
            &alpha,
            "--format",
            "json",
        ];
        args.extend_from_slice(&flags);
        let json = cli_json(&args);
        assert_eq!(json["penalized"], true);
        assert_eq!(json["l1_ratio"].as_f64(), Some(1.0));
        let coefs = json["coefficients"].as_array().unwrap();
        let polished = floats(&r["polished"]);
        let scale = polished.iter().fold(0.0f64, |m, b| m.max(b.abs()));
        for (c, want) in coefs.iter().zip(&polished) {
            assert!(c["std_error"].is_null() && c["p_value"].is_null() && c["ci_low"].is_null());
            let got = c["estimate"].as_f64().unwrap();
            assert_eq!(got == 0.0, *want == 0.0, "zero pattern at {}", c["name"]);
            near(
                &format!("cli fit at {alpha}: {}", c["name"]),
                got,
                *want,
                1e-6,
                1e-3 * scale,
            );
        }
    }
    let (_, case) = all
        .iter()
        .find(|(n, _)| n == "binomial_l1_0.5_raw")
        .unwrap();
    let cv = case["cv"].as_object().unwrap();
    let alphas: Vec<String> = floats(&cv["alphas"])
        .iter()
        .map(|a| format!("{a:e}"))
        .collect();
    let alphas = alphas.join(",");
    let json = cli_json(&[
        "cv",
        "--data",
        &data,
        "--formula",
        case["formula"].as_str().unwrap(),
        "--family",
        "binomial",
        "--l1-ratio",
        "0.5",
        "--standardize",
        "false",
        "--fold-column",
        "fold",
        "--alphas",
        &alphas,
        "--quiet",
        "--format",
        "json",
    ]);
    close_all(
        "cli cv: cv_mean",
        &floats(&json["cv_mean"]),
        &floats(&cv["cv_mean"]),
        2e-6,
    );
    close_all(
        "cli cv: cv_se",
        &floats(&json["cv_se"]),
        &floats(&cv["cv_se"]),
        2e-4,
    );
    assert_eq!(json["alpha_min"].as_f64(), cv["alpha_min"].as_f64());
    assert_eq!(json["alpha_1se"].as_f64(), cv["alpha_1se"].as_f64());
    let n = floats(&cv["alphas"]).len();
    assert_eq!(json["path"].as_array().unwrap().len(), n);
    assert_eq!(json["nonzero"].as_array().unwrap().len(), n);
    let names = json["names"].as_array().unwrap().len();
    assert_eq!(json["coefficients_1se"].as_array().unwrap().len(), names);
}

/// Cross-validation runs its folds (and each fit's passes) in parallel; the numbers are the
/// same bits with one thread and with two.
#[test]
fn cross_validation_is_the_same_with_any_thread_count() {
    use rustystats::prelude::glm;
    let df = read_data(&format!("{GLMNET}/data.csv")).unwrap();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            glm("yp ~ x1 + x2 + x3 + x4 + x5 + x6 + C(g)", &df)
                .family(Family::Poisson)
                .exposure("expo")
                .path(0.5)
                .n_alphas(30)
                .cv(4)
                .seed(11)
                .fit()
                .unwrap()
        })
    };
    let (one, two) = (run(1), run(2));
    assert_eq!(one.cv.cv_mean, two.cv.cv_mean);
    assert_eq!(one.cv.cv_se, two.cv.cv_se);
    assert_eq!(one.cv.path.coefficients, two.cv.path.coefficients);
    assert_eq!(one.cv.index_1se, two.cv.index_1se);
}

/// A penalized model saved by the tool predicts as the fitted model does, and a loaded one
/// gives no intervals (it has no covariance).
#[test]
fn a_saved_penalized_model_predicts_as_fitted() {
    use rustystats::prelude::{glm, PredictType, Predictor};
    let data = format!("{GLMNET}/data.csv");
    let dir = std::env::temp_dir().join(format!("rustystats-penalized-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model_path = dir.join("lasso.json").to_str().unwrap().to_string();
    let formula = "yp ~ x1 + x2 + x3 + C(g)";
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rustystats"))
        .args([
            "fit",
            "--data",
            &data,
            "--formula",
            formula,
            "--family",
            "poisson",
        ])
        .args([
            "--exposure",
            "expo",
            "--alpha",
            "0.01",
            "--save-model",
            &model_path,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let df = read_data(&data).unwrap();
    let fitted = glm(formula, &df)
        .family(Family::Poisson)
        .exposure("expo")
        .penalty(0.01, 1.0)
        .fit()
        .unwrap();
    let loaded = Predictor::load(&model_path).unwrap();
    assert_eq!(loaded.coefficients, fitted.fit.coefficients);
    let a = fitted.predict(&df, PredictType::Response).unwrap();
    let b = loaded.predict(&df, PredictType::Response).unwrap();
    assert_eq!(a.values, b.values);
    let e = loaded.predict_frame(&df).unwrap_err();
    assert!(e.to_string().contains("no standard errors"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}
