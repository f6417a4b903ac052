//! Predict and load: new data and saved models.

use super::*;

/// A Poisson model of `y ~ x + C(g)` saved in the case's folder.
fn saved_model(c: &Case) -> (GlmModel, String) {
    let (_, df) = c.data(BASE);
    let m = glm("y ~ x + C(g)", &df)
        .family(Family::Poisson)
        .fit()
        .unwrap();
    let path = c.path("model.json");
    m.save(&path).unwrap();
    (m, path)
}

#[test]
fn predict_unseen_level() {
    let c = Case::new("unseen");
    let (m, model) = saved_model(&c);
    let new = c.file("new.csv", "x,g\n1,a\n2,zz\n");
    let e = m
        .predict(&read_data(&new).unwrap(), PredictType::Response)
        .unwrap_err();
    kind!(e, Error::Data { column: Some(g), row: Some(1), .. } if g == "g");
    let needles = [
        "column `g`, row 2",
        "level `zz` was not seen",
        "knows: a, b, c",
    ];
    says(&e.to_string(), &needles);
    cli_fails(2, &["predict", "--model", &model, "--data", &new], &needles);
}

#[test]
fn predict_missing_column_and_missing_value() {
    let c = Case::new("predict-missing");
    let (m, model) = saved_model(&c);
    let new = c.file("new.csv", "g,z\na,1\n");
    let e = m
        .predict(&read_data(&new).unwrap(), PredictType::Response)
        .unwrap_err();
    kind!(e, Error::ColumnNotFound { name, .. } if name == "x");
    says(&e.to_string(), &["column `x` is not in the data"]);
    cli_fails(
        2,
        &["predict", "--model", &model, "--data", &new],
        &["column `x`"],
    );
    let new = c.file("na.csv", "x,g\n1,a\nNA,b\n");
    let e = m
        .predict(&read_data(&new).unwrap(), PredictType::Response)
        .unwrap_err();
    kind!(e, Error::Data { row: Some(1), .. });
    let needles = ["column `x`, row 2", "missing", "drop or fill the row"];
    cli_fails(2, &["predict", "--model", &model, "--data", &new], &needles);
}

#[test]
fn predict_with_a_column_of_another_type() {
    let c = Case::new("predict-type");
    let (_, model) = saved_model(&c);
    let new = c.file("new.csv", "x,g\n1,1\n2,2\n");
    let p = Predictor::load(&model).unwrap();
    let e = p
        .predict(&read_data(&new).unwrap(), PredictType::Response)
        .unwrap_err();
    let needles = [
        "column `g`",
        "was text when the model was fitted but is numeric",
    ];
    says(&e.to_string(), &needles);
    cli_fails(2, &["predict", "--model", &model, "--data", &new], &needles);
}

#[test]
fn load_malformed_json() {
    let c = Case::new("malformed");
    let data = c.file("x.csv", "x,g\n1,a\n");
    let model = c.file("bad.json", "{\"format\": \"rustystats.glm\", ");
    let e = Predictor::from_json_text("{\"format\": ").unwrap_err();
    kind!(e, Error::Model { .. });
    says(
        &e.to_string(),
        &["not a JSON file", "saved rustystats model"],
    );
    let e = Predictor::load(&model).unwrap_err();
    kind!(e, Error::Io { path, .. } if *path == model);
    cli_fails(
        2,
        &["predict", "--model", &model, "--data", &data],
        &["bad.json", "not a JSON file"],
    );
}

#[test]
fn load_another_schema_version() {
    let c = Case::new("schema");
    let (m, _) = saved_model(&c);
    let mut v = m.to_saved_json();
    v["schema_version"] = 99.into();
    let text = v.to_string();
    let e = Predictor::from_json_text(&text).unwrap_err();
    kind!(e, Error::Model { .. });
    let needles = ["schema version 99", "reads version 1", "refit and save"];
    says(&e.to_string(), &needles);
    let model = c.file("v99.json", text);
    let data = c.file("x.csv", "x,g\n1,a\n");
    cli_fails(
        2,
        &["predict", "--model", &model, "--data", &data],
        &needles,
    );
}

#[test]
fn load_something_that_is_not_a_model() {
    let c = Case::new("not-a-model");
    let data = c.file("x.csv", "x,g\n1,a\n");
    for (name, text) in [("other.json", "{\"a\": 1}"), ("list.json", "[1, 2]")] {
        let e = Predictor::from_json_text(text).unwrap_err();
        kind!(e, Error::Model { .. });
        let needles = ["not a rustystats model file", "--save-model"];
        says(&e.to_string(), &needles);
        let model = c.file(name, text);
        cli_fails(
            2,
            &["predict", "--model", &model, "--data", &data],
            &needles,
        );
    }
    // A data file given as the model, and a model that does not exist.
    cli_fails(
        2,
        &["predict", "--model", &data, "--data", &data],
        &["x.csv", "not a JSON file"],
    );
    let none = c.path("none.json");
    cli_fails(
        2,
        &["predict", "--model", &none, "--data", &data],
        &["no such file", "--save-model"],
    );
}

#[test]
fn load_a_damaged_model_is_an_error_not_a_crash() {
    let c = Case::new("damaged");
    let (m, _) = saved_model(&c);
    let df = read_data(&c.file("x.csv", "x,g\n1,a\n2,b\n")).unwrap();
    let data = c.path("x.csv");
    type Damage = fn(&mut serde_json::Value);
    let damage: [(&str, Damage); 4] = [
        ("levels", |v| {
            v["spec"]["terms"][1]["factors"][0]["levels"] = serde_json::json!([])
        }),
        ("names", |v| {
            v["spec"]["column_names"] = serde_json::json!(["Intercept", "x", "a", "b"])
        }),
        ("start", |v| v["spec"]["terms"][1]["start"] = 7.into()),
        ("coefficients", |v| {
            v["coefficients"] = serde_json::json!([1.0])
        }),
    ];
    for (what, spoil) in damage {
        let mut v = m.to_saved_json();
        spoil(&mut v);
        let text = v.to_string();
        let e = Predictor::from_json_text(&text)
            .and_then(|p| p.predict(&df, PredictType::Response))
            .unwrap_err();
        kind!(e, Error::Model { .. });
        says(&e.to_string(), &["damaged"]);
        let model = c.file(&format!("{what}.json"), text);
        cli_fails(
            2,
            &["predict", "--model", &model, "--data", &data],
            &["damaged"],
        );
    }
}

/// The saved model's JSON with coefficient `j` replaced by `value`, and the same with the
/// summary left out (a file trimmed by hand).
fn with_coefficient(m: &GlmModel, j: usize, value: serde_json::Value) -> [String; 2] {
    let mut v = m.to_saved_json();
    v["coefficients"][j] = value;
    let full = v.to_string();
    v.as_object_mut().unwrap().remove("summary");
    [full, v.to_string()]
}

#[test]
fn load_a_null_coefficient_that_was_estimated_names_it() {
    let c = Case::new("null-coefficient");
    let (m, _) = saved_model(&c);
    let data = c.file("x.csv", "x,g\n1,a\n2,b\n");
    // Coefficient 2 is `x`; `cov` still has its row, so `cov` is not the culprit.
    for (k, text) in with_coefficient(&m, 1, serde_json::Value::Null)
        .into_iter()
        .enumerate()
    {
        let needles = [
            "coefficient 2 (`x`) is null",
            "the model estimated it",
            "refit and save the model again",
        ];
        let e = Predictor::from_json_text(&text).unwrap_err();
        kind!(e, Error::Model { .. });
        says(&e.to_string(), &needles);
        assert!(!e.to_string().contains("wrong shape"), "{e}");
        let model = c.file(&format!("null{k}.json"), &text);
        let e = Predictor::load(&model).unwrap_err();
        kind!(e, Error::Io { path, .. } if *path == model);
        says(&e.to_string(), &needles);
        cli_fails(
            2,
            &["predict", "--model", &model, "--data", &data],
            &needles,
        );
        let (_, _, err) = cli(&["predict", "--model", &model, "--data", &data]);
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    // The same with `x`'s row and column taken out of `cov` too: the summary says `x` was
    // estimated (not aliased), so the null is not read as an aliased column predicting 0.
    let mut v = m.to_saved_json();
    v["coefficients"][1] = serde_json::Value::Null;
    let cov: Vec<Vec<f64>> = serde_json::from_value(v["cov"].clone()).unwrap();
    let trimmed: Vec<Vec<f64>> = [0, 2, 3]
        .iter()
        .map(|&i| [0, 2, 3].iter().map(|&j| cov[i][j]).collect())
        .collect();
    v["cov"] = serde_json::json!(trimmed);
    let model = c.file("trimmed.json", v.to_string());
    let e = Predictor::load(&model).unwrap_err();
    says(
        &e.to_string(),
        &["coefficient 2 (`x`) is null", "refit and save"],
    );
    cli_fails(
        2,
        &["predict", "--model", &model, "--data", &data],
        &["coefficient 2 (`x`) is null"],
    );
    // A truly aliased column is null in the file and loads: `z = 2x + 1`.
    let (_, df) = c.data("y,x,z\n1,1,3\n3,2,5\n2,3,7\n5,4,9\n4,5,11\n");
    let aliased = glm("y ~ x + z", &df).fit().unwrap();
    let model = c.path("aliased.json");
    aliased.save(&model).unwrap();
    let p = Predictor::load(&model).unwrap();
    let got = p.predict(&df, PredictType::Response).unwrap();
    assert_eq!(got, aliased.predict(&df, PredictType::Response).unwrap());
    // A coefficient that is text, not a number: named too.
    let [text, _] = with_coefficient(&m, 3, "abc".into());
    let needles = [
        "coefficient 4 (`g[c]`) is `\"abc\"`",
        "not a number or null",
    ];
    let model = c.file("text.json", &text);
    let e = Predictor::load(&model).unwrap_err();
    kind!(e, Error::Io { path, .. } if *path == model);
    says(&e.to_string(), &needles);
    cli_fails(
        2,
        &["predict", "--model", &model, "--data", &data],
        &needles,
    );
}

#[test]
fn predict_with_an_overflowing_coefficient_names_it() {
    let c = Case::new("huge-coefficient");
    let (m, _) = saved_model(&c);
    let [text, _] = with_coefficient(&m, 1, serde_json::json!(1e308));
    let model = c.file("huge.json", &text);
    let data = c.file("x.csv", "x,g\n1,a\n2,b\n3,a\n");
    let needles = [
        "column `x`, row 2",
        "the linear predictor is inf on 2 of 3 rows (rows 2, 3)",
        "the coefficient of `x` is 1e308",
    ];
    let p = Predictor::load(&model).unwrap();
    let e = p
        .predict(&read_data(&data).unwrap(), PredictType::Response)
        .unwrap_err();
    kind!(e, Error::Data { column: Some(x), row: Some(1), .. } if x == "x");
    says(&e.to_string(), &needles);
    cli_fails(
        2,
        &["predict", "--model", &model, "--data", &data],
        &needles,
    );
}

#[test]
fn predict_beyond_a_spline_range_warns_on_stderr() {
    let c = Case::new("extrapolate");
    let (_, df) = c.data(BASE);
    let m = glm("y ~ bs(x, df=3)", &df)
        .family(Family::Poisson)
        .fit()
        .unwrap();
    let model = c.path("bs.json");
    m.save(&model).unwrap();
    let data = c.file("new.csv", "x\n1\n20\n3\n");
    let needles = [
        "`bs(x, df=3)`: x is outside the training range [0.5, 7.5]",
        "on 1 of 3 rows (row 2; row 2 has 20)",
        "ill-conditioned bases",
    ];
    let p = m
        .predict(&read_data(&data).unwrap(), PredictType::Response)
        .unwrap();
    assert_eq!(p.len(), 3);
    says(&p.warnings.join("\n"), &needles);
    let (code, out, err) = cli(&["predict", "--model", &model, "--data", &data]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 4, "{out}");
    assert!(err.starts_with("warning: "), "{err}");
    says(&err, &needles);
}

#[test]
fn predict_a_mean_that_overflows_names_the_coefficient_and_rows() {
    let c = Case::new("huge-mean");
    let (m, _) = saved_model(&c);
    let [text, _] = with_coefficient(&m, 1, serde_json::json!(1e308));
    let model = c.file("huge.json", &text);
    // Rows 2 and 3 have a finite linear predictor (5e307, 1.5e308) whose exp is inf.
    let data = c.file("x.csv", "x,g\n0,a\n0.5,b\n1.5,a\n");
    let df = read_data(&data).unwrap();
    let needles = [
        "column `x`, row 2",
        "the prediction on the response scale is inf on 2 of 3 rows (rows 2, 3)",
        "the linear predictor on row 2 is 5e307",
        "times the value 0.5;",
        "log link",
        "the coefficient of `x`, 1e308",
        "refit and save the model again",
        "--type link",
    ];
    let p = Predictor::load(&model).unwrap();
    let e = p.predict(&df, PredictType::Response).unwrap_err();
    kind!(e, Error::Data { column: Some(x), row: Some(1), .. } if x == "x");
    says(&e.to_string(), &needles);
    let e = p.predict_frame(&df).unwrap_err();
    says(&e.to_string(), &needles);
    cli_fails(
        2,
        &["predict", "--model", &model, "--data", &data],
        &needles,
    );
    let (_, _, err) = cli(&["predict", "--model", &model, "--data", &data]);
    assert_eq!(err.lines().count(), 1, "{err}");
    // On the link scale the linear predictor is finite: it is the answer, not an error.
    let eta = p.predict(&df, PredictType::Link).unwrap();
    assert!(eta.iter().all(|v| v.is_finite()), "{eta:?}");
    assert_eq!(eta[2], p.eta(&df).unwrap()[2]);
    assert!(eta[1] > 4.9e307 && eta[1] < 5.1e307, "{eta:?}");
    let args = [
        "predict", "--model", &model, "--data", &data, "--type", "link",
    ];
    let (code, out, err) = cli(&args);
    assert_eq!((code, err.as_str()), (0, ""));
    let lines: Vec<f64> = out.lines().skip(1).map(|l| l.parse().unwrap()).collect();
    assert_eq!(lines, *eta);
    // Any link: with sqrt, a coefficient of 1e200 squares to inf on the response scale.
    let mut v: serde_json::Value =
        serde_json::from_str(&with_coefficient(&m, 1, 1e200.into())[0]).unwrap();
    v["link"] = "sqrt".into();
    let model = c.file("sqrt.json", v.to_string());
    let needles = [
        "column `x`, row 2",
        "on 2 of 3 rows (rows 2, 3)",
        "sqrt link",
        "refit and save the model again",
    ];
    let e = Predictor::load(&model)
        .unwrap()
        .predict(&df, PredictType::Response)
        .unwrap_err();
    says(&e.to_string(), &needles);
    cli_fails(
        2,
        &["predict", "--model", &model, "--data", &data],
        &needles,
    );
    // The identity link: the mean is the linear predictor, an error when it is not finite
    // (row 2), the model's answer when it is, however large (5e307 on row 1).
    let (_, df) = c.data(BASE);
    let g = glm("y ~ x + C(g)", &df).fit().unwrap();
    let [text, _] = with_coefficient(&g, 1, serde_json::json!(1e308));
    let model = c.file("gaussian.json", &text);
    let data = c.file("y.csv", "x,g\n0.5,a\n2.5,b\n0.25,c\n");
    let needles = [
        "column `x`, row 2",
        "the linear predictor is inf on 1 of 3 rows (row 2)",
        "the coefficient of `x` is 1e308",
        "refit and save the model again",
    ];
    let p = Predictor::load(&model).unwrap();
    for kind in [PredictType::Response, PredictType::Link] {
        let e = p.predict(&read_data(&data).unwrap(), kind).unwrap_err();
        kind!(e, Error::Data { column: Some(x), row: Some(1), .. } if x == "x");
        says(&e.to_string(), &needles);
    }
    cli_fails(
        2,
        &["predict", "--model", &model, "--data", &data],
        &needles,
    );
    let one = read_data(&c.file("z.csv", "x,g\n0.5,a\n")).unwrap();
    let got = p.predict(&one, PredictType::Response).unwrap();
    assert!(got[0] > 4.9e307 && got[0] < 5.1e307, "{got:?}");
}
