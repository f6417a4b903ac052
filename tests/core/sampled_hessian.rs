//! IRLS with `X'WX` from a row sample in its early iterations (`IrlsOptions::sample_rows`)
//! reaches the same fit as IRLS with every row throughout: the same coefficients within a
//! small fraction of a standard error, the same covariance (it is computed on all rows at the
//! fitted values either way) and deviance. The sample is made small here (2,048 of 40,000
//! rows) so that the sampled path runs in a quick test; large fits take it by default.

use crate::rng::Rng;
use rustystats::design::{BlockDesign, CatNumBlock, CategoricalBlock, DenseColumns};
use rustystats::family::Family;
use rustystats::link::Link;
use rustystats::solver::{irls, IrlsFit, IrlsInput, IrlsOptions, Start};

const N: usize = 40_000;
const SAMPLE: usize = 2_048;

/// Intercept, two numeric columns, a categorical of 8 levels, one of 25 levels with skewed
/// frequencies (level `k` about `1/(k+1)` as often as level 0), and the 8-level factor times
/// the first numeric column. Also returns the linear predictor of a model with all of them.
/// With `rare`, one row is put in a level of its own, which a sample almost surely misses.
fn data(seed: u64, rare: bool) -> (BlockDesign, Vec<f64>) {
    let mut rng = Rng(seed);
    let x1: Vec<f64> = (0..N).map(|_| rng.normal()).collect();
    let x2: Vec<f64> = (0..N).map(|_| rng.normal()).collect();
    let g1: Vec<u32> = (0..N).map(|_| rng.below(8) as u32).collect();
    let weights: Vec<f64> = (0..25).map(|k| 1.0 / (k as f64 + 1.0)).collect();
    let total: f64 = weights.iter().sum();
    let mut g2: Vec<u32> = (0..N)
        .map(|_| {
            let mut u = rng.uniform() * total;
            let mut k = 0;
            while k < 24 && u > weights[k] {
                u -= weights[k];
                k += 1;
            }
            k as u32
        })
        .collect();
    let n_levels2 = if rare {
        g2[N / 2] = 25;
        26
    } else {
        25
    };
    let eta: Vec<f64> = (0..N)
        .map(|i| {
            -0.5 + 0.3 * x1[i] - 0.2 * x2[i]
                + 0.15 * (g1[i] as f64 - 3.5) / 3.5
                + 0.4 * ((g2[i] % 5) as f64 - 2.0) / 2.0
                + 0.05 * (g1[i] % 3) as f64 * x1[i]
        })
        .collect();
    let names = |prefix: &str, k: usize| (1..k).map(|j| format!("{prefix}{j}")).collect();
    let dense = DenseColumns::new(
        vec!["Intercept".into(), "x1".into(), "x2".into()],
        vec![vec![1.0; N], x1.clone(), x2],
    )
    .unwrap();
    let c1 = CategoricalBlock::new(g1.clone(), 8, true, names("g1_", 8)).unwrap();
    let c2 = CategoricalBlock::new(g2, n_levels2, true, names("g2_", n_levels2)).unwrap();
    let by = CatNumBlock::new(g1, 8, true, x1, names("g1x1_", 8)).unwrap();
    let x = BlockDesign::new(vec![dense.into(), c1.into(), c2.into(), by.into()]).unwrap();
    (x, eta)
}

/// A response for `family` around `mu = inverse link(eta)`.
fn response(family: Family, eta: &[f64], seed: u64) -> Vec<f64> {
    let mut rng = Rng(seed);
    eta.iter()
        .map(|&e| match family {
            Family::Binomial => f64::from(rng.uniform() < 1.0 / (1.0 + (-e).exp())),
            // Exponential: a Gamma response of shape 1.
            Family::Gamma => -e.exp() * rng.uniform().ln(),
            Family::Gaussian => e.exp() * (0.1 * rng.normal()).exp(),
            _ => rng.poisson(e.exp()),
        })
        .collect()
}

fn fit(x: &BlockDesign, y: &[f64], family: Family, link: Link, sample: usize) -> IrlsFit {
    let ones = vec![1.0; y.len()];
    let zeros = vec![0.0; y.len()];
    let input = IrlsInput {
        x,
        y,
        weights: &ones,
        offset: &zeros,
        family,
        link,
    };
    irls(
        &input,
        Start::Family,
        &IrlsOptions::default().sample_rows(sample),
    )
    .unwrap()
}

fn cases() -> Vec<(Family, Link)> {
    vec![
        (Family::Poisson, Link::Log),
        (Family::Gamma, Link::Log),
        (Family::Binomial, Link::Logit),
        (Family::NegativeBinomial { theta: 2.0 }, Link::Log),
        (Family::Tweedie { var_power: 1.5 }, Link::Log),
        // Not convex: R's start (y itself), no null-model start.
        (Family::Gaussian, Link::Log),
    ]
}

#[test]
fn sampled_and_full_iterations_reach_the_same_fit() {
    let (x, eta) = data(11, false);
    for (family, link) in cases() {
        let y = response(family, &eta, 5);
        let (s, f) = (
            fit(&x, &y, family, link, SAMPLE),
            fit(&x, &y, family, link, 0),
        );
        let what = format!("{} ({link})", family.name());
        assert!(s.converged && f.converged, "{what}: both converge");
        if family == Family::Gamma {
            // Its working weights are the prior weights: one X'WX serves every iteration.
            assert_eq!(s.sampled_iterations, 0, "{what}");
        } else {
            assert!(s.sampled_iterations >= 2, "{what}: the sample was used");
        }
        assert_eq!(f.sampled_iterations, 0, "{what}");
        let dispersion = if matches!(family, Family::Gamma | Family::Gaussian) {
            f.deviance / (N - x_ncols(&f)) as f64
        } else {
            1.0
        };
        for j in 0..f.coefficients.len() {
            let se = (f.cov_unscaled.variance(j) * dispersion).sqrt();
            let gap = (s.coefficients[j] - f.coefficients[j]).abs();
            assert!(
                gap <= 2e-6 * se,
                "{what}: coefficient {j} differs by {gap:e}, {:e} standard errors",
                gap / se
            );
            let (a, b) = (s.cov_unscaled.variance(j), f.cov_unscaled.variance(j));
            assert!(
                (a - b).abs() <= 1e-6 * b,
                "{what}: variance {j}: {a} vs {b}"
            );
        }
        assert!(
            (s.deviance - f.deviance).abs() <= 1e-10 * f.deviance,
            "{what}: deviance {} vs {}",
            s.deviance,
            f.deviance
        );
    }
}

fn x_ncols(f: &IrlsFit) -> usize {
    f.coefficients.len()
}

#[test]
fn a_level_missing_from_the_sample_falls_back_to_every_row() {
    // The sample cannot tell a level it does not hold from an aliased column, so the fit uses
    // every row from the first iteration on: the very same path as without a sample.
    let (x, eta) = data(12, true);
    let y = response(Family::Poisson, &eta, 6);
    let s = fit(&x, &y, Family::Poisson, Link::Log, SAMPLE);
    let f = fit(&x, &y, Family::Poisson, Link::Log, 0);
    assert_eq!(s.sampled_iterations, 0);
    assert!(s.converged);
    assert_eq!(s.coefficients, f.coefficients);
    assert_eq!(s.deviance.to_bits(), f.deviance.to_bits());
    assert_eq!(s.iterations, f.iterations);
}

#[test]
fn sampled_fits_give_the_same_bits_on_one_and_two_threads() {
    let (x, eta) = data(13, false);
    let y = response(Family::Poisson, &eta, 7);
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| fit(&x, &y, Family::Poisson, Link::Log, SAMPLE))
    };
    let (a, b) = (run(1), run(2));
    assert!(a.sampled_iterations > 0);
    assert_eq!(a.coefficients, b.coefficients);
    assert_eq!(a.deviance.to_bits(), b.deviance.to_bits());
    assert_eq!(a.cov_unscaled.dense(), b.cov_unscaled.dense());
    assert_eq!(a.iterations, b.iterations);
}

#[test]
fn too_few_rows_for_a_sample_means_no_sample() {
    // Fewer than four times the sample size: every iteration uses all rows.
    let (x, eta) = data(14, false);
    let y = response(Family::Poisson, &eta, 8);
    let f = fit(&x, &y, Family::Poisson, Link::Log, N / 3);
    assert_eq!(f.sampled_iterations, 0);
    assert!(f.converged);
}
