//! A factor with many levels, which the solver keeps as a diagonal of `X'WX` (its levels
//! eliminated first, the other columns through their Schur complement): against R's `glm`
//! on 6,000 rows with a factor of 1,100 levels (`tests/r/make_highcard_refs.R`), and
//! against the dense path on the same design.

use crate::common::*;
use rustystats::design::Design;
use rustystats::family::Family;
use rustystats::frame::{model_frame, read_data, FrameOptions, ModelFrame};
use rustystats::link::Link;
use rustystats::model::{fit, GlmData, GlmFit, GlmOptions};
use rustystats::solver::{bordered_block, IrlsOptions};
use serde_json::Value;

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/r_highcard"
);

/// Numbers, `null` read as NaN.
fn floats_or_nan(v: &Value) -> Vec<f64> {
    let values = v.as_array().unwrap().iter();
    values.map(|x| x.as_f64().unwrap_or(f64::NAN)).collect()
}

fn cases() -> Vec<Value> {
    let text = std::fs::read_to_string(format!("{DIR}/cases.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v["cases"].as_array().unwrap().clone()
}

/// The model frame of a case (its weights column when it has one) and its family and link.
fn frame(case: &Value) -> (ModelFrame, Family, Link) {
    let df = read_data(&format!("{DIR}/data.csv")).unwrap();
    let opts = FrameOptions {
        weights: case["weights"].as_bool().unwrap().then(|| "w".to_string()),
        ..FrameOptions::default()
    };
    let mf = model_frame(case["formula"].as_str().unwrap(), &df, &opts).unwrap();
    let (family, link) = match case["family"].as_str().unwrap() {
        "poisson" => (Family::Poisson, Link::Log),
        "gamma_log" => (Family::Gamma, Link::Log),
        other => panic!("family {other}"),
    };
    (mf, family, link)
}

fn fit_on(
    x: &dyn Design,
    mf: &ModelFrame,
    family: Family,
    link: Link,
    opts: &GlmOptions,
) -> GlmFit {
    let data = GlmData {
        x,
        y: &mf.y,
        weights: mf.weights.as_deref(),
        offset: mf.offset.as_deref(),
    };
    fit(&data, family, Some(link), opts).unwrap()
}

#[test]
fn a_factor_of_1100_levels_matches_r() {
    for case in cases() {
        let name = case["name"].as_str().unwrap();
        let (mf, family, link) = frame(&case);
        // The fit takes the bordered path: the factor's 1,099 columns kept as a diagonal.
        let block = bordered_block(&mf.design).expect("a bordered design");
        assert_eq!(block.len(), 1099, "{name}");
        let f = fit_on(&mf.design, &mf, family, link, &GlmOptions::default());
        assert!(f.converged, "{name}: {:?}", f.warnings);
        assert!(
            f.cov.dense().is_none(),
            "{name}: the covariance stays bordered"
        );
        let names: Vec<String> = (case["coef_names"].as_array().unwrap().iter())
            .map(|v| v.as_str().unwrap().replace("factor(", "").replace(')', ""))
            .collect();
        assert_eq!(names.len(), f.names.len(), "{name}");
        // Coefficients to 1e-6 of the larger of their size and their standard error (many
        // levels' effects are near 0, where a purely relative tolerance asks for digits the
        // optimum does not have); standard errors to 1e-6, as R's come from the weights at
        // the optimum here (see the script).
        let (ses, want_se) = (f.std_errors(), floats_or_nan(&case["std_errors"]));
        for (j, b) in floats_or_nan(&case["coefficients"]).iter().enumerate() {
            if b.is_nan() {
                continue;
            }
            let column = &f.names[j];
            near(
                &format!("{name} {column}"),
                f.coefficients[j],
                *b,
                1e-6,
                want_se[j],
            );
            close(&format!("{name} se {column}"), ses[j], want_se[j], 1e-6);
        }
        let mut rest = case.clone();
        for key in ["coefficients", "std_errors"] {
            rest.as_object_mut().unwrap().remove(key);
        }
        check_fit(name, &f, &rest);
        // Aliased, as R finds them: a number fixed within each level and a factor nested in
        // it, both after the factor in the formula.
        let aliased: Vec<&str> = (0..f.names.len())
            .filter(|&j| f.aliased[j])
            .map(|j| f.names[j].as_str())
            .collect();
        if name.starts_with("poisson") {
            assert_eq!(aliased.len(), 11, "{name}: {aliased:?}");
            assert!(
                aliased[0] == "gattr" && aliased[1].starts_with("region["),
                "{aliased:?}"
            );
            assert!(
                f.warnings.iter().any(|w| w.contains("11 columns `gattr`")),
                "{:?}",
                f.warnings
            );
        }
    }
}

#[test]
fn the_bordered_and_the_dense_path_agree() {
    // Converged far below the default step tolerance, both paths are at the optimum to
    // rounding; their covariances come from the same X'WX by different factorizations.
    let opts = GlmOptions::default().irls(IrlsOptions::default().step_tol(1e-11).tol(1e-14));
    for case in cases() {
        let name = case["name"].as_str().unwrap();
        let (mf, family, link) = frame(&case);
        let bordered = fit_on(&mf.design, &mf, family, link, &opts);
        let dense_x = dense_copy(&mf.design);
        assert!(bordered_block(&dense_x).is_none());
        let dense = fit_on(&dense_x, &mf, family, link, &opts);
        assert_eq!(bordered.aliased, dense.aliased, "{name}");
        let (sb, sd) = (bordered.std_errors(), dense.std_errors());
        for j in (0..dense.names.len()).filter(|&j| !dense.aliased[j]) {
            let column = &dense.names[j];
            let gap = (bordered.coefficients[j] - dense.coefficients[j]).abs();
            assert!(
                gap <= 1e-8 * sd[j],
                "{name} {column}: {gap:e} against se {}",
                sd[j]
            );
            close(&format!("{name} se {column}"), sb[j], sd[j], 1e-8);
        }
        close(
            &format!("{name} deviance"),
            bordered.deviance,
            dense.deviance,
            1e-12,
        );
    }
}

#[test]
fn a_bordered_fit_predicts_with_intervals_saves_and_tests_other_terms() {
    use rustystats::frame::{glm, Predictor};
    use rustystats::inference::CovType;
    use rustystats::model::wald_test;
    let case = &cases()[0];
    let df = read_data(&format!("{DIR}/data.csv")).unwrap();
    let formula = case["formula"].as_str().unwrap();
    let model = glm(formula, &df).family(Family::Poisson).fit().unwrap();
    let f = &model.fit;
    assert!(f.cov.dense().is_none());
    // Prediction intervals: x' C x by the bordered quadratic form against the sum over the
    // row's non-zero entries of the covariance read entry by entry.
    let rows = df.head(Some(40));
    let frame = model.predictor.predict_frame(&rows).unwrap();
    let se = frame.column("se_eta").unwrap().f64().unwrap().to_vec();
    let x = rustystats::frame::encode::design(&model.spec, &rows).unwrap();
    let keep: Vec<usize> = (0..f.names.len()).filter(|&j| !f.aliased[j]).collect();
    let mut row = vec![0.0; x.ncols()];
    for (i, se) in se.iter().enumerate() {
        x.row(i, &mut row);
        let nz: Vec<(usize, f64)> = (keep.iter().enumerate())
            .filter(|(_, &j)| row[j] != 0.0)
            .map(|(k, &j)| (k, row[j]))
            .collect();
        let v: f64 = (nz.iter())
            .flat_map(|&(a, xa)| nz.iter().map(move |&(b, xb)| (a, b, xa * xb)))
            .map(|(a, b, xx)| xx * f.cov.get(a, b))
            .sum();
        close(&format!("row {i} se"), se.unwrap(), v.sqrt(), 1e-10);
    }
    // Saved and loaded: the same covariance, so the same intervals.
    let text = model.to_saved_json().to_string();
    let loaded = Predictor::from_json_text(&text).unwrap();
    let again = loaded.predict_frame(&rows).unwrap();
    for name in ["eta", "se_eta", "mu_low", "mu_high"] {
        let a = frame.column(name).unwrap().f64().unwrap().to_vec();
        let b = again.column(name).unwrap().f64().unwrap().to_vec();
        for (a, b) in a.iter().zip(&b) {
            close(name, b.unwrap(), a.unwrap(), 1e-12);
        }
    }
    // A Wald test of a small term works; of the factor's 1,099 levels, it says what to use.
    let columns_of = |term: &str| -> Vec<&str> {
        let prefix = format!("{term}[");
        let names = f.names.iter().filter(|n| n.starts_with(&prefix));
        names.map(String::as_str).collect()
    };
    let a_names = columns_of("a");
    assert_eq!(a_names.len(), 3);
    assert!(wald_test(f, &a_names).unwrap().p_value < 1e-3);
    let g_names = columns_of("g");
    let e = wald_test(f, &g_names).unwrap_err().to_string();
    assert!(
        e.contains("1099 coefficients") && e.contains("likelihood-ratio"),
        "{e}"
    );
    // Relativities (every level, with intervals) and the analysis of deviance (refits,
    // likelihood-ratio tests) work at this size; the factor's row tests its 1,099 levels.
    let rel = model.relativities().unwrap();
    assert_eq!(rel.height(), 1 + 1 + 1100 + 1 + 4 + 1 + 11);
    let anova = model.anova(&df).unwrap();
    let terms = anova.column("term").unwrap().str().unwrap().iter();
    let g_row = terms.flatten().position(|t| t == "C(g)").unwrap();
    let dfs = anova
        .column("df")
        .unwrap()
        .cast(&polars::prelude::DataType::Float64)
        .unwrap();
    assert_eq!(dfs.f64().unwrap().get(g_row), Some(1099.0));
    // Robust covariances need the dense matrices: refused with the reason.
    let e = glm(formula, &df)
        .family(Family::Poisson)
        .cov(CovType::HC0)
        .fit()
        .unwrap_err();
    let e = e.to_string();
    assert!(
        e.contains("`g` has 1099 levels") && e.contains("nonrobust"),
        "{e}"
    );
}

#[test]
fn a_ridge_fit_on_a_bordered_design_equals_the_dense_one() {
    // Ridge (no L1 part) keeps the factor as a diagonal too: standardized as glmnet, the
    // same optimum as on the dense path.
    use rustystats::model::{fit_penalized, ElasticNet};
    let opts = GlmOptions::default().irls(IrlsOptions::default().step_tol(1e-11).tol(1e-14));
    let case = &cases()[1];
    let (mf, family, link) = frame(case);
    let data = |x| GlmData {
        x,
        y: &mf.y,
        weights: mf.weights.as_deref(),
        offset: mf.offset.as_deref(),
    };
    let ridge = ElasticNet::new(0.02, 0.0);
    let dense_x = dense_copy(&mf.design);
    let bordered = fit_penalized(&data(&mf.design), family, Some(link), &ridge, &opts).unwrap();
    let dense = fit_penalized(&data(&dense_x), family, Some(link), &ridge, &opts).unwrap();
    assert!(bordered.converged && dense.converged);
    for (j, (a, b)) in bordered
        .coefficients
        .iter()
        .zip(&dense.coefficients)
        .enumerate()
    {
        near(&format!("ridge {}", dense.names[j]), *a, *b, 1e-8, 1e-2);
    }
    close("ridge deviance", bordered.deviance, dense.deviance, 1e-12);
}
