//! Diagnostics against R: `tests/r/make_diag_refs.R` (R 4.2.2, MASS, splines; see the
//! provenance field of `tests/fixtures/r_diag/diagnostics.json`) fits the models and computes
//! residuals (`residuals.glm`), one-way A/E, lift, double lift, calibration and Gini by the
//! definitions documented in `rustystats::diagnostics`, QQ points (`qqnorm`, `qqline`,
//! `ppoints`) and a natural-spline partial effect.
//!
//! Two layers are checked: the math core fed with R's own fitted values (so the binning and
//! sums are compared on identical inputs, tolerance 1e-12 relative), and the frame layer on
//! our fit (tolerance 1e-7 relative: R ran with epsilon 1e-13). Chart tests parse the plotly
//! JSON and check traces and axes.

use polars::prelude::*;
use rustystats::diagnostics::{self, PartialEffectKind, ResidualKind};
use rustystats::family::Family;
use rustystats::frame::{glm, read_data, GlmModel};
use rustystats::link::Link;
use rustystats::Error;
use serde_json::Value;

use crate::common::{floats, near, near_all, strings, FIXTURES};

fn refs() -> Value {
    let path = format!("{FIXTURES}/../r_diag/diagnostics.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn insurance() -> DataFrame {
    read_data(&format!("{FIXTURES}/data/mass_insurance.csv")).unwrap()
}

fn col(df: &DataFrame, name: &str) -> Vec<f64> {
    let s = df.column(name).unwrap().cast(&DataType::Float64).unwrap();
    s.f64().unwrap().iter().map(|v| v.unwrap()).collect()
}

fn labels(df: &DataFrame, name: &str) -> Vec<String> {
    let s = df.column(name).unwrap().cast(&DataType::String).unwrap();
    s.str()
        .unwrap()
        .iter()
        .map(|v| v.unwrap().to_string())
        .collect()
}

fn poisson(formula: &str, df: &DataFrame) -> GlmModel {
    glm(formula, df)
        .family(Family::Poisson)
        .exposure("Holders")
        .tol(1e-13)
        .max_iter(500)
        .fit()
        .unwrap()
}

fn models(r: &Value, df: &DataFrame) -> (GlmModel, GlmModel) {
    let ins = &r["insurance"];
    (
        poisson(ins["formula"].as_str().unwrap(), df),
        poisson(ins["formula_b"].as_str().unwrap(), df),
    )
}

fn check_residuals(fit: &rustystats::model::GlmFit, want: &Value, rel: f64) {
    for (kind, key) in [
        (ResidualKind::Response, "response"),
        (ResidualKind::Pearson, "pearson"),
        (ResidualKind::Deviance, "deviance"),
        (ResidualKind::Working, "working"),
    ] {
        near_all(key, &fit.residuals(kind), &floats(&want[key]), rel, 1.0);
    }
    let sq = |k| fit.residuals(k).iter().map(|r| r * r).sum::<f64>();
    near(
        "sum of squared deviance residuals",
        sq(ResidualKind::Deviance),
        fit.deviance,
        1e-12,
        1.0,
    );
    near(
        "sum of squared Pearson residuals",
        sq(ResidualKind::Pearson),
        fit.pearson_chi2,
        1e-12,
        1.0,
    );
}

#[test]
fn residuals_match_r_poisson_with_offset() {
    let r = refs();
    let (m, _) = models(&r, &insurance());
    check_residuals(&m.fit, &r["insurance"]["residuals"], 1e-7);
    near(
        "deviance",
        m.fit.deviance,
        r["insurance"]["deviance"].as_f64().unwrap(),
        1e-9,
        1.0,
    );
}

#[test]
fn residuals_match_r_with_prior_weights_and_gamma() {
    let r = refs();
    let mut df = insurance();
    let w = col(&df, "District");
    df.with_column(Column::new("w".into(), w)).unwrap();
    let m = glm(r["insurance"]["formula"].as_str().unwrap(), &df)
        .family(Family::Poisson)
        .exposure("Holders")
        .weights("w")
        .tol(1e-13)
        .fit()
        .unwrap();
    check_residuals(&m.fit, &r["insurance_weighted"]["residuals"], 1e-7);
    let scot = read_data(&format!("{FIXTURES}/data/scotland.csv")).unwrap();
    let g = glm(r["gamma_scotland"]["formula"].as_str().unwrap(), &scot)
        .family(Family::Gamma)
        .link(Link::Log)
        .tol(1e-13)
        .fit()
        .unwrap();
    check_residuals(&g.fit, &r["gamma_scotland"]["residuals"], 1e-7);
}

fn check_one_way(t: &diagnostics::OneWay, want: &Value, rel: f64) {
    let want = want.as_array().unwrap();
    assert_eq!(t.rows.len(), want.len());
    for w in want {
        let level = w["level"].as_str().unwrap();
        let row = t.rows.iter().find(|r| r.level == level).unwrap();
        for (name, got) in [
            ("exposure", row.exposure),
            ("actual", row.actual),
            ("expected", row.expected),
            ("actual_rate", row.actual_rate),
            ("expected_rate", row.expected_rate),
            ("ae", row.ae_ratio),
            ("ae_low", row.ae_low),
            ("ae_high", row.ae_high),
        ] {
            near(
                &format!("{level} {name}"),
                got,
                w[name].as_f64().unwrap(),
                rel,
                1.0,
            );
        }
    }
}

#[test]
fn one_way_matches_r() {
    let r = refs();
    let ins = &r["insurance"];
    let df = insurance();
    let core = diagnostics::one_way_labels(
        "Age",
        &labels(&df, "Age"),
        &col(&df, "Claims"),
        &floats(&ins["mu_b"]),
        &col(&df, "Holders"),
        0.95,
    )
    .unwrap();
    check_one_way(&core, &ins["one_way_age_b"], 1e-12);
    let (a, b) = models(&r, &df);
    // Age is not in model B: the table shows what adding it would fix.
    check_one_way(&b.one_way(&df, "Age").unwrap(), &ins["one_way_age_b"], 1e-7);
    check_one_way(&a.one_way(&df, "Age").unwrap(), &ins["one_way_age"], 1e-7);
}

fn check_lift(l: &diagnostics::Lift, want: &Value, rel: f64) {
    let want = want.as_array().unwrap();
    assert_eq!(l.bins.len(), want.len());
    for (b, w) in l.bins.iter().zip(want) {
        assert_eq!(b.bin as u64, w["bin"].as_u64().unwrap());
        near(
            "lift exposure",
            b.exposure,
            w["exposure"].as_f64().unwrap(),
            rel,
            1.0,
        );
        near(
            "lift actual",
            b.actual,
            w["actual"].as_f64().unwrap(),
            rel,
            1.0,
        );
        near(
            "lift expected",
            b.expected,
            w["expected"].as_f64().unwrap(),
            rel,
            1.0,
        );
        near(
            "lift actual_rel",
            b.actual_relative,
            w["actual_rel"].as_f64().unwrap(),
            rel,
            1.0,
        );
        near(
            "lift expected_rel",
            b.expected_relative,
            w["expected_rel"].as_f64().unwrap(),
            rel,
            1.0,
        );
    }
}

#[test]
fn lift_and_gini_match_r() {
    let r = refs();
    let ins = &r["insurance"];
    let df = insurance();
    let (claims, holders, mu) = (col(&df, "Claims"), col(&df, "Holders"), floats(&ins["mu"]));
    check_lift(
        &diagnostics::lift(&claims, &mu, &holders, 10).unwrap(),
        &ins["lift_10"],
        1e-12,
    );
    let g = diagnostics::lorenz(&claims, &mu, &holders).unwrap();
    near("gini", g.gini, ins["gini"].as_f64().unwrap(), 1e-12, 1.0);
    let (a, _) = models(&r, &df);
    check_lift(&a.lift(&df, 10).unwrap(), &ins["lift_10"], 1e-7);
    near(
        "gini (model)",
        a.gini(&df).unwrap().gini,
        ins["gini"].as_f64().unwrap(),
        1e-7,
        1.0,
    );
}

#[test]
fn tied_predictions_follow_the_documented_rule_as_in_r() {
    let r = refs();
    let ins = &r["insurance"];
    let df = insurance();
    let (claims, holders) = (col(&df, "Claims"), col(&df, "Holders"));
    let expected: Vec<f64> = floats(&ins["tied_rate"])
        .iter()
        .zip(&holders)
        .map(|(r, h)| r * h)
        .collect();
    check_lift(
        &diagnostics::lift(&claims, &expected, &holders, 4).unwrap(),
        &ins["lift_tied_4"],
        1e-9,
    );
    let g = diagnostics::lorenz(&claims, &expected, &holders).unwrap();
    near(
        "gini with ties",
        g.gini,
        ins["gini_tied"].as_f64().unwrap(),
        1e-9,
        1.0,
    );
}

#[test]
fn double_lift_matches_r() {
    let r = refs();
    let ins = &r["insurance"];
    let df = insurance();
    let check = |d: &diagnostics::DoubleLift, rel: f64| {
        let want = ins["double_lift_5"].as_array().unwrap();
        assert_eq!(d.bins.len(), want.len());
        for (b, w) in d.bins.iter().zip(want) {
            near(
                "exposure",
                b.exposure,
                w["exposure"].as_f64().unwrap(),
                rel,
                1.0,
            );
            near(
                "actual_rel",
                b.actual_relative,
                w["actual_rel"].as_f64().unwrap(),
                rel,
                1.0,
            );
            near(
                "a_rel",
                b.a_relative,
                w["a_rel"].as_f64().unwrap(),
                rel,
                1.0,
            );
            near(
                "b_rel",
                b.b_relative,
                w["b_rel"].as_f64().unwrap(),
                rel,
                1.0,
            );
        }
    };
    let core = diagnostics::double_lift(
        "A",
        "B",
        &col(&df, "Claims"),
        &floats(&ins["mu"]),
        &floats(&ins["mu_b"]),
        &col(&df, "Holders"),
        5,
    )
    .unwrap();
    check(&core, 1e-12);
    let (a, b) = models(&r, &df);
    check(&a.double_lift(&b, &df, 5).unwrap(), 1e-7);
}

#[test]
fn calibration_matches_r() {
    let r = refs();
    let df = insurance();
    let (a, _) = models(&r, &df);
    let c = a.calibration(&df, 8).unwrap();
    let want = r["insurance"]["calibration_8"].as_array().unwrap();
    assert_eq!(c.bins.len(), want.len());
    for (b, w) in c.bins.iter().zip(want) {
        near(
            "weight",
            b.weight,
            w["weight"].as_f64().unwrap(),
            1e-12,
            1.0,
        );
        near(
            "mean_predicted",
            b.mean_predicted,
            w["mean_predicted"].as_f64().unwrap(),
            1e-7,
            1.0,
        );
        near(
            "mean_actual",
            b.mean_actual,
            w["mean_actual"].as_f64().unwrap(),
            1e-12,
            1.0,
        );
        near("ae", b.ae_ratio, w["ae"].as_f64().unwrap(), 1e-7, 1.0);
        near("low", b.low, w["low"].as_f64().unwrap(), 1e-7, 1.0);
        near("high", b.high, w["high"].as_f64().unwrap(), 1e-7, 1.0);
    }
}

#[test]
fn qq_and_ppoints_match_r() {
    let r = refs();
    for (n, key) in [(5, "n5"), (11, "n11"), (64, "n64")] {
        near_all(
            key,
            &diagnostics::ppoints(n),
            &floats(&r["ppoints"][key]),
            1e-15,
            1.0,
        );
    }
    let ins = &r["insurance"];
    let dev = floats(&ins["residuals"]["deviance"]);
    let q = diagnostics::qq(&dev).unwrap();
    // qqnorm returns the quantiles in row order; sort them to match the sorted sample.
    let mut theo = floats(&ins["qq_theoretical"]);
    theo.sort_by(f64::total_cmp);
    near_all("qq theoretical", &q.theoretical, &theo, 1e-13, 1.0);
    near(
        "qq intercept",
        q.intercept,
        ins["qq_line"]["intercept"].as_f64().unwrap(),
        1e-12,
        1.0,
    );
    near(
        "qq slope",
        q.slope,
        ins["qq_line"]["slope"].as_f64().unwrap(),
        1e-12,
        1.0,
    );
}

#[test]
fn natural_spline_partial_effect_matches_r() {
    let r = refs();
    let p = &r["partial_ns"];
    let scot = read_data(&format!("{FIXTURES}/data/scotland.csv")).unwrap();
    let m = glm(p["formula"].as_str().unwrap(), &scot)
        .family(Family::Gamma)
        .link(Link::Log)
        .tol(1e-13)
        .fit()
        .unwrap();
    for e in [
        m.partial_effect("COUTAX", 7).unwrap(),
        m.partial_effect_over(&scot, "ns(COUTAX, df=3)", 7).unwrap(),
    ] {
        let PartialEffectKind::Numeric(points) = &e.kind else {
            panic!("numeric effect expected")
        };
        let get =
            |f: fn(&diagnostics::EffectPoint) -> f64| points.iter().map(f).collect::<Vec<_>>();
        near_all("grid", &get(|p| p.x), &floats(&p["grid"]), 1e-12, 1.0);
        near_all("fit", &get(|p| p.fit), &floats(&p["fit"]), 1e-6, 1.0);
        near_all("se", &get(|p| p.se), &floats(&p["se"]), 1e-5, 1.0);
        assert!(e
            .relativities()
            .unwrap()
            .table()
            .to_string()
            .contains("relativity"));
    }
}

#[test]
fn categorical_partial_effect_is_the_coefficient_table() {
    let r = refs();
    let df = insurance();
    let (a, _) = models(&r, &df);
    let e = a.partial_effect("Age", 0).unwrap();
    let PartialEffectKind::Categorical(levels) = &e.kind else {
        panic!("categorical effect expected")
    };
    assert_eq!(levels[0].level, "<25");
    assert_eq!((levels[0].estimate, levels[0].se), (0.0, 0.0));
    let names = &a.fit.names;
    let ses = a.fit.std_errors();
    for l in &levels[1..] {
        let j = names
            .iter()
            .position(|n| *n == format!("Age[{}]", l.level))
            .unwrap();
        near("estimate", l.estimate, a.fit.coefficients[j], 1e-12, 1.0);
        near("se", l.se, ses[j], 1e-10, 1.0);
    }
}

#[test]
fn errors_name_the_column() {
    let r = refs();
    let df = insurance();
    let (a, _) = models(&r, &df);
    let e = a.one_way(&df, "Agee").unwrap_err();
    assert!(matches!(e, Error::ColumnNotFound { .. }), "{e}");
    assert!(e.to_string().contains("Age"), "{e}");
    let e = a.partial_effect("Holders", 10).unwrap_err();
    assert!(e.to_string().contains("Holders"), "{e}");
    assert!(a.lift(&df, 0).is_err());
    assert!(a.gini(&df.head(Some(0))).is_err());
}

fn figure_json(fig: &rustystats::plot::Figure) -> Value {
    serde_json::from_str(&fig.to_json()).unwrap()
}

#[test]
fn figures_have_the_expected_traces_and_axes() {
    let r = refs();
    let df = insurance();
    let (a, b) = models(&r, &df);
    let ow = b.one_way(&df, "Age").unwrap();
    let j = figure_json(&ow.figure());
    let data = j["data"].as_array().unwrap();
    let types: Vec<&str> = data.iter().map(|t| t["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["bar", "scatter", "scatter"]);
    let levels: Vec<String> = ow.rows.iter().map(|r| r.level.clone()).collect();
    for t in data {
        assert_eq!(strings(&t["x"]), levels);
    }
    assert_eq!(data[0]["yaxis"], "y2");
    assert_eq!(j["layout"]["yaxis2"]["overlaying"], "y");
    assert_eq!(j["layout"]["yaxis2"]["side"], "right");
    assert!(j["layout"]["title"]["text"]
        .as_str()
        .unwrap()
        .contains("Age"));
    assert!(j["layout"]["xaxis"]["title"]["text"].is_string());

    let count = |fig: &rustystats::plot::Figure| figure_json(fig)["data"].as_array().unwrap().len();
    let lift = a.lift(&df, 10).unwrap();
    let lj = figure_json(&lift.figure());
    assert_eq!(lj["data"].as_array().unwrap().len(), 2);
    assert_eq!(strings(&lj["data"][0]["x"]).len(), lift.bins.len());
    assert_eq!(count(&a.double_lift(&b, &df, 5).unwrap().figure()), 3);
    let g = a.gini(&df).unwrap();
    let gj = figure_json(&g.figure());
    assert_eq!(gj["data"].as_array().unwrap().len(), 2);
    assert!(gj["layout"]["title"]["text"]
        .as_str()
        .unwrap()
        .contains("Gini"));
    let cal = figure_json(&a.calibration(&df, 8).unwrap().figure());
    assert_eq!(cal["data"][0]["error_y"]["type"], "data");
    assert_eq!(cal["data"].as_array().unwrap().len(), 2);
    let res = a.residual_plot(ResidualKind::Deviance).unwrap();
    assert_eq!(count(&res.figure()), 2);
    assert_eq!(
        figure_json(&res.qq_figure())["data"][0]["x"]
            .as_array()
            .unwrap()
            .len(),
        64
    );

    let scot = read_data(&format!("{FIXTURES}/data/scotland.csv")).unwrap();
    let m = glm("YES ~ log(COUTAX) + UNEMPF", &scot)
        .family(Family::Gamma)
        .link(Link::Log)
        .fit()
        .unwrap();
    let e = m.partial_effect_over(&scot, "COUTAX", 25).unwrap();
    let pj = figure_json(&e.relativities().unwrap().figure());
    assert_eq!(pj["data"].as_array().unwrap().len(), 3);
    assert_eq!(pj["data"][1]["fill"], "tonexty");
    assert_eq!(pj["data"][2]["x"].as_array().unwrap().len(), 25);
    let cat = figure_json(&a.partial_effect("Age", 0).unwrap().figure());
    assert_eq!(
        strings(&cat["data"][0]["x"]),
        ["<25", "25-29", "30-35", ">35"]
    );
}
