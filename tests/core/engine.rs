//! Behaviour of the engine that R references do not cover directly: trouble is reported
//! (separation, non-convergence, bad starting values), results do not depend on the number of
//! threads, and exact identities hold (offset = scaled mean, frequency weights = repeated rows).

use rustystats::design::DenseDesign;
use rustystats::family::Family;
use rustystats::link::Link;
use rustystats::model::{fit, GlmData, GlmFit, GlmOptions};
use rustystats::solver::{IrlsOptions, StopReason};

/// A seeded pseudo-random generator (xorshift), so the tests need no extra crate.
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform().max(1e-300), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }

    fn poisson(&mut self, mu: f64) -> f64 {
        let l = (-mu).exp();
        let (mut k, mut p) = (0.0, 1.0);
        loop {
            p *= self.uniform();
            if p <= l {
                return k;
            }
            k += 1.0;
        }
    }
}

fn design(n: usize, p: usize, seed: u64) -> (DenseDesign, Vec<Vec<f64>>) {
    let mut rng = Rng(seed);
    let mut cols = vec![vec![1.0; n]];
    for _ in 1..p {
        cols.push((0..n).map(|_| rng.normal()).collect());
    }
    let names = (0..p)
        .map(|j| {
            if j == 0 {
                "Intercept".into()
            } else {
                format!("x{j}")
            }
        })
        .collect();
    (
        DenseDesign::from_columns(names, cols.clone()).unwrap(),
        cols,
    )
}

fn poisson_data(n: usize, seed: u64) -> (DenseDesign, Vec<f64>) {
    let (x, cols) = design(n, 4, seed);
    let mut rng = Rng(seed ^ 0x9e37);
    let y = (0..n)
        .map(|i| {
            let eta = 0.3 + 0.2 * cols[1][i] - 0.1 * cols[2][i] + 0.05 * cols[3][i];
            rng.poisson(eta.exp())
        })
        .collect();
    (x, y)
}

fn fit_simple(
    x: &DenseDesign,
    y: &[f64],
    w: Option<&[f64]>,
    off: Option<&[f64]>,
    fam: Family,
) -> GlmFit {
    let data = GlmData {
        x,
        y,
        weights: w,
        offset: off,
    };
    let opts = GlmOptions::default().irls(IrlsOptions::default().tol(1e-12));
    fit(&data, fam, None, &opts).unwrap()
}

#[test]
fn same_numbers_with_one_and_two_threads() {
    // More rows than one parallel chunk, so the chunked reductions are exercised.
    let (x, y) = poisson_data(30_000, 7);
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| fit_simple(&x, &y, None, None, Family::Poisson))
    };
    let (a, b) = (run(1), run(2));
    assert_eq!(a.coefficients, b.coefficients);
    assert_eq!(a.std_errors(), b.std_errors());
    assert_eq!(a.deviance.to_bits(), b.deviance.to_bits());
    assert_eq!(a.iterations, b.iterations);
}

#[test]
fn offset_log_k_equals_scaling_the_mean() {
    // Multiplying every mean by k is an offset of log(k): only the intercept moves, by log k.
    let (x, y) = poisson_data(2_000, 11);
    let k = 2.5_f64;
    let base = fit_simple(&x, &y, None, None, Family::Poisson);
    let off = vec![k.ln(); y.len()];
    let shifted = fit_simple(&x, &y, None, Some(&off), Family::Poisson);
    assert!((shifted.coefficients[0] - (base.coefficients[0] - k.ln())).abs() < 1e-9);
    for j in 1..4 {
        assert!((shifted.coefficients[j] - base.coefficients[j]).abs() < 1e-9);
    }
    assert!((shifted.deviance - base.deviance).abs() < 1e-8 * base.deviance);
}

#[test]
fn frequency_weights_equal_repeated_rows() {
    let (x, y) = poisson_data(500, 3);
    let n = y.len();
    let w: Vec<f64> = (0..n).map(|i| (i % 3 + 1) as f64).collect();
    let weighted = fit_simple(&x, &y, Some(&w), None, Family::Poisson);
    // Repeat row i w_i times.
    let mut cols = vec![Vec::new(); 4];
    let mut yy = Vec::new();
    let mut row = vec![0.0; 4];
    for i in 0..n {
        rustystats::design::Design::row(&x, i, &mut row);
        for _ in 0..w[i] as usize {
            for j in 0..4 {
                cols[j].push(row[j]);
            }
            yy.push(y[i]);
        }
    }
    let names = rustystats::design::Design::column_names(&x).to_vec();
    let xr = DenseDesign::from_columns(names, cols).unwrap();
    let repeated = fit_simple(&xr, &yy, None, None, Family::Poisson);
    for j in 0..4 {
        assert!((weighted.coefficients[j] - repeated.coefficients[j]).abs() < 1e-9);
        assert!((weighted.std_errors()[j] - repeated.std_errors()[j]).abs() < 1e-9);
    }
    assert!((weighted.deviance - repeated.deviance).abs() < 1e-7);
    assert!((weighted.aic.unwrap() - repeated.aic.unwrap()).abs() < 1e-7);
}

#[test]
fn complete_separation_is_reported() {
    // y = 1 exactly when x > 0: the MLE does not exist.
    let xs: Vec<f64> = (0..40).map(|i| i as f64 - 19.5).collect();
    let y: Vec<f64> = xs
        .iter()
        .map(|&v| if v > 0.0 { 1.0 } else { 0.0 })
        .collect();
    let x = DenseDesign::from_columns(
        vec!["Intercept".into(), "x".into()],
        vec![vec![1.0; 40], xs],
    )
    .unwrap();
    let data = GlmData {
        x: &x,
        y: &y,
        weights: None,
        offset: None,
    };
    let f = fit(&data, Family::Binomial, None, &GlmOptions::default()).unwrap();
    assert!(
        f.warnings.iter().any(|w| w.contains("separation")),
        "warnings: {:?}",
        f.warnings
    );
    let text = rustystats::report::summary_text(&f, &Default::default());
    assert!(text.contains("separation"), "{text}");
}

#[test]
fn non_convergence_is_reported_not_hidden() {
    let (x, y) = poisson_data(1_000, 5);
    let data = GlmData {
        x: &x,
        y: &y,
        weights: None,
        offset: None,
    };
    let opts = GlmOptions::default().irls(IrlsOptions::default().max_iter(1));
    let f = fit(&data, Family::Poisson, None, &opts).unwrap();
    assert!(!f.converged);
    assert_eq!(f.stop, StopReason::MaxIterations);
    assert!(f.warnings.iter().any(|w| w.contains("did not converge")));
    let json = rustystats::report::summary_json(&f, &Default::default());
    assert_eq!(json["converged"], false);
}

#[test]
fn a_first_step_out_of_range_is_an_error_not_a_fit() {
    // Poisson with the identity link: the least-squares line through these counts is negative
    // at x = 3, so the first step leaves mu > 0, as in R ("no valid set of coefficients").
    let x = DenseDesign::from_columns(
        vec!["Intercept".into(), "x".into()],
        vec![vec![1.0; 4], vec![-3.0, -1.0, 1.0, 3.0]],
    )
    .unwrap();
    let y = [30.0, 10.0, 0.0, 0.0];
    let data = GlmData {
        x: &x,
        y: &y,
        weights: None,
        offset: None,
    };
    let e = fit(
        &data,
        Family::Poisson,
        Some(Link::Identity),
        &GlmOptions::default(),
    )
    .unwrap_err();
    assert!(!e.is_bad_input(), "a fit failure, exit code 1: {e}");
    assert!(e.to_string().contains("starting values"), "{e}");
}

#[test]
fn a_response_outside_the_family_is_an_error_naming_the_row() {
    let x = DenseDesign::from_columns(vec!["Intercept".into()], vec![vec![1.0; 3]]).unwrap();
    let y = [1.0, 0.0, 2.0];
    let data = GlmData {
        x: &x,
        y: &y,
        weights: None,
        offset: None,
    };
    let e = fit(&data, Family::Gamma, None, &GlmOptions::default()).unwrap_err();
    assert!(e.is_bad_input());
    assert!(e.to_string().contains("row 2"), "{e}");
}

#[test]
fn aliased_columns_are_named_and_skipped() {
    let (x, cols) = design(200, 3, 9);
    let dup: Vec<f64> = cols[1]
        .iter()
        .zip(&cols[2])
        .map(|(a, b)| a + 2.0 * b)
        .collect();
    let mut all = cols.clone();
    all.push(dup);
    let names = vec![
        "Intercept".into(),
        "a".into(),
        "b".into(),
        "a_plus_2b".into(),
    ];
    let x2 = DenseDesign::from_columns(names, all).unwrap();
    let mut rng = Rng(4);
    let y: Vec<f64> = (0..200).map(|i| cols[1][i] + rng.normal()).collect();
    let f = fit_simple(&x2, &y, None, None, Family::Gaussian);
    assert_eq!(f.aliased, vec![false, false, false, true]);
    assert!(f.coefficients[3].is_nan());
    assert_eq!(f.rank, 3);
    let g = fit_simple(&x, &y, None, None, Family::Gaussian);
    for j in 0..3 {
        assert!((f.coefficients[j] - g.coefficients[j]).abs() < 1e-10);
    }
    let text = rustystats::report::summary_text(&f, &Default::default());
    assert!(
        text.contains("a_plus_2b") && text.contains("aliased"),
        "{text}"
    );
}
