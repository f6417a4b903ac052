//! The frame layer's block design (categoricals kept as codes) against the same design written
//! out dense: every fit must agree to 1e-10, and a fit through the frame must give the same
//! bits with one and with two threads.

use crate::common::rng::Rng;
use crate::common::{dense_copy, near};
use polars::prelude::*;
use rustystats::design::Design;
use rustystats::family::Family;
use rustystats::frame::{glm, model_frame, FrameOptions};
use rustystats::model::{fit, GlmData, GlmFit, GlmOptions};

/// Claims with exposure, two numeric columns and three categoricals (text and numbers).
fn data(n: usize, seed: u64) -> DataFrame {
    let mut rng = Rng(seed);
    let areas = ["A", "B", "C", "D", "E"];
    let (mut y, mut x, mut z, mut area, mut power, mut band, mut expo) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    for _ in 0..n {
        let a = rng.below(areas.len());
        let p = rng.below(4);
        let b = rng.below(3) as f64 * 10.0;
        let xi = rng.uniform() * 2.0 - 1.0;
        let zi = 18.0 + rng.uniform() * 60.0;
        let e = 0.2 + rng.uniform();
        let eta = -1.5 + 0.3 * xi + 0.01 * (zi - 40.0) + 0.2 * a as f64 - 0.1 * p as f64
            + 0.05 * (a * p) as f64 / 4.0
            + 0.01 * b;
        y.push(rng.poisson(e * eta.exp()));
        x.push(xi);
        z.push(zi);
        area.push(areas[a]);
        power.push(format!("p{p}"));
        band.push(b);
        expo.push(e);
    }
    df!(
        "y" => y, "x" => x, "age" => z, "area" => area, "power" => power, "band" => band,
        "exposure" => expo,
    )
    .unwrap()
}

fn fit_with(x: &dyn Design, y: &[f64], offset: Option<&[f64]>, family: Family) -> GlmFit {
    let data = GlmData {
        x,
        y,
        weights: None,
        offset,
    };
    fit(&data, family, None, &GlmOptions::default()).unwrap()
}

#[test]
fn block_and_dense_designs_give_the_same_fit() {
    let df = data(6000, 3);
    let opts = FrameOptions {
        exposure: Some("exposure".into()),
        ..FrameOptions::default()
    };
    let formulas = [
        // One categorical, a numeric categorical, and a categorical with its reference moved.
        "y ~ x + C(area) + C(band) + C(power, ref=\"p2\")",
        // Categorical by numeric, with and without the main effect of the categorical.
        "y ~ x + C(area) + x:C(area)",
        "y ~ age + age:C(power)",
        // Categorical by categorical: treatment-coded and full cells.
        "y ~ C(area) * C(power)",
        "y ~ C(area):C(power)",
        // Interactions kept dense: a spline by a categorical, and three factors.
        "y ~ C(area) + bs(age, df=4):C(power)",
        "y ~ x:C(area):C(power) + age",
    ];
    for formula in formulas {
        let mf = model_frame(formula, &df, &opts).unwrap();
        let dense = dense_copy(&mf.design);
        for family in [Family::Poisson, Family::QuasiPoisson] {
            let a = fit_with(&mf.design, &mf.y, mf.offset.as_deref(), family);
            let b = fit_with(&dense, &mf.y, mf.offset.as_deref(), family);
            let what = |q: &str| format!("{formula} ({family}): {q}");
            assert_eq!(a.names, b.names);
            assert_eq!(a.aliased, b.aliased, "{}", what("aliased columns"));
            near(&what("deviance"), a.deviance, b.deviance, 1e-10, 1e-3);
            for (j, name) in a.names.iter().enumerate() {
                if a.aliased[j] {
                    continue;
                }
                let c = what(name);
                near(&c, a.coefficients[j], b.coefficients[j], 1e-10, 1e-3);
            }
            let (sa, sb) = (a.std_errors(), b.std_errors());
            for j in (0..sa.len()).filter(|&j| !a.aliased[j]) {
                near(&what("standard error"), sa[j], sb[j], 1e-10, 1e-3);
            }
            assert!(
                formula != "y ~ C(area):C(power)" || a.aliased.iter().any(|&x| x),
                "{}",
                what("the cells of area:power sum to the intercept; one must be aliased")
            );
        }
    }
}

#[test]
fn frame_fits_are_identical_with_one_and_two_threads() {
    // More rows than a parallel chunk (4096), so every chunked reduction has several parts.
    let df = data(20_000, 5);
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                glm(
                    "y ~ x + bs(age, df=4) + C(area) * C(power) + x:C(band)",
                    &df,
                )
                .family(Family::Poisson)
                .exposure("exposure")
                .fit()
                .unwrap()
            })
    };
    let (a, b) = (run(1), run(2));
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&a.fit.coefficients), bits(&b.fit.coefficients));
    assert_eq!(bits(&a.fit.std_errors()), bits(&b.fit.std_errors()));
    assert_eq!(a.fit.deviance.to_bits(), b.fit.deviance.to_bits());
    assert_eq!(a.fit.iterations, b.fit.iterations);
}
