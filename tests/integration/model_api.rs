//! The DataFrame surface: `glm(...).fit()`, prediction on new data with the stored
//! specification, saved models, and the command-line `--save-model` / `predict` pair.

use crate::common::FIXTURES;
use rustystats::prelude::*;

fn insurance() -> DataFrame {
    read_data(&format!("{FIXTURES}/data/mass_insurance.csv")).unwrap()
}

const INSURANCE: &str =
    r#"Claims ~ C(District) + C(Group, ref="<1l") + C(Age, ref="<25") + offset(log(Holders))"#;

fn fitted() -> GlmModel {
    glm(INSURANCE, &insurance())
        .family(Family::Poisson)
        .fit()
        .unwrap()
}

#[test]
fn predict_on_training_data_reproduces_fitted_values() {
    let m = fitted();
    let df = insurance();
    let mu = m.predict(&df, PredictType::Response).unwrap();
    for (a, b) in mu.iter().zip(&m.fit.mu) {
        assert!((a - b).abs() <= 1e-10 * b.abs(), "{a} vs {b}");
    }
    let eta = m.predict(&df, PredictType::Link).unwrap();
    for (a, b) in eta.iter().zip(&m.fit.eta) {
        assert!((a - b).abs() <= 1e-10 * b.abs().max(1.0));
    }
}

#[test]
fn new_data_is_encoded_like_the_training_data() {
    // A subset in a different order, with only some levels present, predicts the same as the
    // matching training rows.
    let m = fitted();
    let df = insurance();
    let idx = rustystats::polars::prelude::IdxCa::new("idx".into(), [40u32, 3, 17]);
    let sub = df.take(&idx).unwrap();
    let p = m.predict(&sub, PredictType::Response).unwrap();
    for (k, &i) in [40usize, 3, 17].iter().enumerate() {
        assert!((p[k] - m.fit.mu[i]).abs() <= 1e-10 * m.fit.mu[i]);
    }
}

#[test]
fn save_and_load_predict_identically() {
    let m = fitted();
    let dir = std::env::temp_dir().join(format!("rustystats-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("model.json");
    let path = path.to_str().unwrap();
    m.save(path).unwrap();
    let loaded = Predictor::load(path).unwrap();
    let df = insurance();
    let a = m.predict(&df, PredictType::Response).unwrap();
    let b = loaded.predict(&df, PredictType::Response).unwrap();
    assert_eq!(a, b);
    assert_eq!(loaded.spec, m.spec);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unseen_level_is_an_error_that_names_it() {
    let m = fitted();
    let new = df!(
        "District" => [1i64, 9],
        "Group" => ["<1l", ">2l"],
        "Age" => ["<25", ">35"],
        "Holders" => [100.0, 50.0],
    )
    .unwrap();
    let e = m
        .predict(&new, PredictType::Response)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("District") && e.contains('9') && e.contains("row 2"),
        "{e}"
    );
}

#[test]
fn a_missing_column_at_predict_time_is_an_error() {
    let m = fitted();
    let new = df!("District" => [1i64], "Group" => ["<1l"], "Age" => ["<25"]).unwrap();
    let e = m
        .predict(&new, PredictType::Response)
        .unwrap_err()
        .to_string();
    assert!(e.contains("Holders"), "{e}");
}

#[test]
fn a_type_change_at_predict_time_is_an_error() {
    let m = fitted();
    let new = df!(
        "District" => ["1"],
        "Group" => ["<1l"],
        "Age" => ["<25"],
        "Holders" => [10.0],
    )
    .unwrap();
    let e = m
        .predict(&new, PredictType::Response)
        .unwrap_err()
        .to_string();
    assert!(e.contains("District") && e.contains("numeric"), "{e}");
}

#[test]
fn foreign_or_damaged_model_files_are_clear_errors() {
    for (text, needle) in [
        ("not json", "not a JSON file"),
        ("{\"hello\": 1}", "not a rustystats model"),
        (
            "{\"format\": \"rustystats.glm\", \"schema_version\": 99}",
            "schema version 99",
        ),
    ] {
        let e = Predictor::from_json_text(text).unwrap_err().to_string();
        assert!(e.contains(needle), "{e}");
    }
}

#[test]
fn prediction_intervals_contain_the_mean_and_respect_the_range() {
    let m = fitted();
    let pf = m.predictor.predict_frame(&insurance()).unwrap();
    let get = |c: &str| -> Vec<f64> {
        pf.column(c)
            .unwrap()
            .f64()
            .unwrap()
            .iter()
            .map(|v| v.unwrap())
            .collect()
    };
    let (mu, lo, hi, se) = (get("mu"), get("mu_low"), get("mu_high"), get("se_eta"));
    for i in 0..mu.len() {
        assert!(lo[i] > 0.0 && lo[i] < mu[i] && mu[i] < hi[i] && se[i] > 0.0);
    }
}

#[test]
fn coefficient_table_as_a_dataframe() {
    let m = fitted();
    let t = m.coefficients().unwrap();
    assert_eq!(t.height(), 10);
    assert_eq!(
        t.get_column_names()
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>(),
        [
            "name",
            "estimate",
            "std_error",
            "statistic",
            "p_value",
            "ci_low",
            "ci_high"
        ]
    );
}

#[test]
fn cli_save_model_then_predict() {
    let dir = std::env::temp_dir().join(format!("rustystats-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model = dir.join("m.json");
    let data = format!("{FIXTURES}/data/mass_insurance.csv");
    let bin = env!("CARGO_BIN_EXE_rustystats");
    let out = std::process::Command::new(bin)
        .args([
            "fit",
            "--data",
            &data,
            "--formula",
            INSURANCE,
            "--family",
            "poisson",
        ])
        .args(["--format", "json", "--save-model", model.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = std::process::Command::new(bin)
        .args([
            "predict",
            "--model",
            model.to_str().unwrap(),
            "--data",
            &data,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let preds: Vec<f64> = text.lines().skip(1).map(|l| l.parse().unwrap()).collect();
    let m = fitted();
    assert_eq!(preds.len(), m.fit.mu.len());
    for (a, b) in preds.iter().zip(&m.fit.mu) {
        assert!((a - b).abs() <= 1e-10 * b);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn backquoted_names_fit_and_predict() {
    let df = df!(
        "y" => [1.0, 3.0, 2.0, 5.0, 4.0, 7.0],
        "Vehicle Age" => [2.0, 4.5, 1.0, 6.0, 3.0, 8.0],
    )
    .unwrap();
    let m = glm("y ~ `Vehicle Age` + log(`Vehicle Age`)", &df)
        .family(Family::Poisson)
        .fit()
        .unwrap();
    assert_eq!(
        m.fit.names,
        ["Intercept", "Vehicle Age", "log(Vehicle Age)"]
    );
    let p = m.predict(&df, PredictType::Response).unwrap();
    for (a, b) in p.iter().zip(&m.fit.mu) {
        assert!((a - b).abs() <= 1e-10 * b);
    }
}
