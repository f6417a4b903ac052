//! Property tests over seeded random inputs (a small generator loop, no extra crate):
//! links round-trip, unit deviances are >= 0 and 0 only at y = mu, and IRLS invariants hold
//! for several families and seeds (offset log(k) = mean scaled by k, frequency weights =
//! repeated rows, row order does not matter).

use crate::close::near;
use crate::rng::Rng;
use rustystats::design::DenseDesign;
use rustystats::family::Family;
use rustystats::link::{Link, LinkFunction};
use rustystats::model::{fit, GlmData, GlmFit, GlmOptions};
use rustystats::solver::IrlsOptions;

const SEEDS: [u64; 6] = [1, 7, 42, 1234, 98765, 0x9e37_79b9];

// ---------------------------------------------------------------------------------------
// Links
// ---------------------------------------------------------------------------------------

/// Draws one value from a distribution.
type Sampler = fn(&mut Rng) -> f64;

/// Each link with a sampler of means inside the range where it is invertible in floating
/// point (the logit inverse is cut at |eta| = 30, as R's).
fn links() -> Vec<(Link, Sampler)> {
    let prob: fn(&mut Rng) -> f64 = |r| r.range(1e-6, 1.0 - 1e-6);
    let positive: fn(&mut Rng) -> f64 = |r| r.log_range(1e-6, 1e6);
    vec![
        (Link::Identity, |r| r.range(-1e6, 1e6)),
        (Link::Log, positive),
        (Link::Logit, prob),
        (Link::Probit, prob),
        (Link::Cloglog, |r| r.range(1e-6, 0.999)),
        (Link::Inverse, positive),
        (Link::InverseSquared, |r| r.log_range(1e-3, 1e3)),
        (Link::Sqrt, positive),
        (Link::Power(1.0 / 3.0), positive),
        (Link::Power(-0.5), |r| r.log_range(1e-3, 1e3)),
    ]
}

#[test]
fn links_round_trip_over_random_means() {
    for seed in SEEDS {
        let mut rng = Rng(seed);
        for (link, sample) in links() {
            for _ in 0..2000 {
                let mu = sample(&mut rng);
                let eta = link.link(mu);
                assert!(
                    eta.is_finite() && link.valid_eta(eta),
                    "{link}: eta({mu}) = {eta}"
                );
                let back = link.inverse(eta);
                // Identity is exact; elsewhere one rounding in each direction, amplified
                // by the curvature near the ends of (0, 1).
                let tol = if matches!(link, Link::Cloglog | Link::Probit) {
                    1e-9
                } else {
                    1e-12
                };
                near(
                    &format!("{link} round trip at mu = {mu}"),
                    back,
                    mu,
                    tol,
                    1.0,
                );
            }
        }
    }
}

#[test]
fn link_derivative_matches_a_finite_difference() {
    for seed in SEEDS {
        let mut rng = Rng(seed);
        for (link, sample) in links() {
            for _ in 0..300 {
                let eta = link.link(sample(&mut rng));
                let h = 1e-6 * eta.abs().max(1e-3);
                let (a, b) = (link.inverse(eta - h), link.inverse(eta + h));
                let numeric = (b - a) / (2.0 * h);
                let exact = link.mu_eta(eta);
                // Skip where a guard clamps the inverse (the derivative is floored there).
                if exact.abs() < 1e-10 || !(a.is_finite() && b.is_finite()) {
                    continue;
                }
                near(
                    &format!("{link} d mu/d eta at {eta}"),
                    numeric,
                    exact,
                    1e-5,
                    1.0,
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Deviance
// ---------------------------------------------------------------------------------------

/// Families with samplers of a response in their support and of a valid mean.
fn families(rng: &mut Rng) -> Vec<(Family, Sampler, Sampler)> {
    let count: fn(&mut Rng) -> f64 = |r| {
        let m = r.log_range(0.01, 50.0);
        r.poisson(m)
    };
    let positive: fn(&mut Rng) -> f64 = |r| r.log_range(1e-4, 1e4);
    let prob: fn(&mut Rng) -> f64 = |r| r.range(1e-6, 1.0 - 1e-6);
    let proportion: fn(&mut Rng) -> f64 = |r| (r.below(11) as f64) / 10.0;
    let theta = rng.log_range(0.1, 100.0);
    let p = rng.range(1.05, 1.95);
    vec![
        (
            Family::Gaussian,
            |r| r.normal() * 100.0,
            |r| r.normal() * 100.0,
        ),
        (Family::Poisson, count, positive),
        (Family::QuasiPoisson, count, positive),
        (Family::Binomial, proportion, prob),
        (Family::Gamma, positive, positive),
        (Family::InverseGaussian, positive, positive),
        (Family::negative_binomial(theta).unwrap(), count, positive),
        (
            Family::tweedie(p).unwrap(),
            |r| r.poisson(1.0) * r.log_range(0.1, 10.0),
            positive,
        ),
        (
            Family::tweedie(0.0).unwrap(),
            |r| r.normal(),
            |r| r.normal(),
        ),
        (Family::tweedie(3.0).unwrap(), positive, positive),
    ]
}

#[test]
fn unit_deviance_is_nonnegative_and_zero_only_at_the_mean() {
    for seed in SEEDS {
        let mut rng = Rng(seed);
        for (family, response, mean) in families(&mut rng) {
            for _ in 0..3000 {
                let (y, mu) = (response(&mut rng), mean(&mut rng));
                let d = family.unit_deviance(y, mu);
                assert!(d.is_finite(), "{family}: d({y}, {mu}) = {d}");
                // The size of the terms that cancel when y is close to mu: for Tweedie they
                // grow as mu^(2 - p) near zero.
                let mut scale = y.abs().max(mu.abs()).max(1.0);
                if let Family::Tweedie { var_power: p } = family {
                    if p > 1.0 && y > 0.0 {
                        scale = scale.max(y.powf(2.0 - p)).max(mu.powf(2.0 - p));
                    }
                }
                assert!(d >= -1e-12 * scale, "{family}: d({y}, {mu}) = {d} < 0");
                if family.valid_mu(y) {
                    let at = family.unit_deviance(y, y);
                    assert!(at.abs() <= 1e-12 * scale, "{family}: d({y}, {y}) = {at}");
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// IRLS invariants
// ---------------------------------------------------------------------------------------

/// Random data for a family: an intercept, two numeric columns and a two-level indicator.
struct Data {
    cols: Vec<Vec<f64>>,
    y: Vec<f64>,
}

impl Data {
    fn new(family: Family, n: usize, rng: &mut Rng) -> Data {
        let x1: Vec<f64> = (0..n).map(|_| rng.range(-1.0, 1.0)).collect();
        let x2: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let g: Vec<f64> = (0..n).map(|_| (rng.below(2)) as f64).collect();
        let eta = |i: usize| 0.3 + 0.5 * x1[i] - 0.2 * x2[i] + 0.4 * g[i];
        let y = (0..n)
            .map(|i| match family {
                Family::Gaussian => eta(i) + rng.normal(),
                Family::Poisson => rng.poisson(eta(i).exp()),
                Family::Binomial => f64::from(rng.uniform() < 1.0 / (1.0 + (-eta(i)).exp())),
                // Gamma with shape 2: the sum of two exponentials, mean exp(eta).
                Family::Gamma => -(rng.uniform().ln() + rng.uniform().ln()) * eta(i).exp() / 2.0,
                other => panic!("no sampler for {other}"),
            })
            .collect();
        Data {
            cols: vec![vec![1.0; n], x1, x2, g],
            y,
        }
    }

    fn design(&self) -> DenseDesign {
        let names = ["Intercept", "x1", "x2", "g"].map(String::from).to_vec();
        DenseDesign::from_columns(names, self.cols.clone()).unwrap()
    }

    /// The rows in the order `order` (repeats allowed).
    fn rows(&self, order: &[usize]) -> Data {
        Data {
            cols: self
                .cols
                .iter()
                .map(|c| order.iter().map(|&i| c[i]).collect())
                .collect(),
            y: order.iter().map(|&i| self.y[i]).collect(),
        }
    }
}

fn glm(
    family: Family,
    link: Option<Link>,
    x: &DenseDesign,
    y: &[f64],
    weights: Option<&[f64]>,
    offset: Option<&[f64]>,
) -> GlmFit {
    let opts = GlmOptions::default().irls(IrlsOptions::default().tol(1e-13).max_iter(100));
    let data = GlmData {
        x,
        y,
        weights,
        offset,
    };
    let f = fit(&data, family, link, &opts).unwrap();
    assert!(f.converged, "{family}: {:?}", f.warnings);
    f
}

const FIT_FAMILIES: [Family; 4] = [
    Family::Gaussian,
    Family::Poisson,
    Family::Binomial,
    Family::Gamma,
];

fn same_fit(what: &str, a: &GlmFit, b: &GlmFit, tol: f64, with_se: bool) {
    for (j, (p, q)) in a.coefficients.iter().zip(&b.coefficients).enumerate() {
        near(&format!("{what}: coefficient {j}"), *p, *q, tol, 1.0);
    }
    near(
        &format!("{what}: deviance"),
        a.deviance,
        b.deviance,
        tol,
        1.0,
    );
    if with_se {
        let (sa, sb) = (a.std_errors(), b.std_errors());
        for (j, (p, q)) in sa.iter().zip(&sb).enumerate() {
            near(&format!("{what}: std error {j}"), *p, *q, tol, 1.0);
        }
    }
}

#[test]
fn an_offset_of_log_k_scales_the_mean_by_k() {
    for seed in SEEDS {
        let mut rng = Rng(seed);
        let n = 200;
        let d = Data::new(Family::Poisson, n, &mut rng);
        let x = d.design();
        let k: Vec<f64> = (0..n).map(|_| rng.log_range(0.1, 10.0)).collect();
        let log_k: Vec<f64> = k.iter().map(|v| v.ln()).collect();
        // Poisson with offset log(k) on the counts = Poisson on the rates y / k with weights
        // k; its means are the rate means scaled by k.
        let with_offset = glm(Family::Poisson, None, &x, &d.y, None, Some(&log_k));
        let rates: Vec<f64> = d.y.iter().zip(&k).map(|(y, k)| y / k).collect();
        let rate_fit = glm(Family::Poisson, None, &x, &rates, Some(&k), None);
        let what = format!("seed {seed}: offset vs rates");
        for (j, (p, q)) in with_offset
            .coefficients
            .iter()
            .zip(&rate_fit.coefficients)
            .enumerate()
        {
            near(&format!("{what}: coefficient {j}"), *p, *q, 1e-8, 1.0);
        }
        for ((m, ki), r) in with_offset.mu.iter().zip(&k).zip(&rate_fit.mu) {
            near(&what, *m, ki * r, 1e-8, 1.0);
        }
        // With a log link a constant offset log(c) leaves the means alone and moves the
        // intercept by -log(c).
        let c = rng.log_range(0.01, 100.0);
        for family in [Family::Poisson, Family::Gamma] {
            let d = Data::new(family, 150, &mut rng);
            let x = d.design();
            let log = Some(Link::Log);
            let plain = glm(family, log, &x, &d.y, None, None);
            let shifted = glm(family, log, &x, &d.y, None, Some(&vec![c.ln(); 150]));
            let what = format!("seed {seed}, {family}: constant offset");
            near(
                &what,
                shifted.coefficients[0],
                plain.coefficients[0] - c.ln(),
                1e-8,
                1.0,
            );
            for j in 1..4 {
                near(
                    &what,
                    shifted.coefficients[j],
                    plain.coefficients[j],
                    1e-8,
                    1.0,
                );
            }
            for i in 0..150 {
                near(&what, shifted.mu[i], plain.mu[i], 1e-8, 1.0);
            }
        }
    }
}

#[test]
fn frequency_weights_equal_repeated_rows() {
    for seed in SEEDS {
        let mut rng = Rng(seed);
        for family in FIT_FAMILIES {
            let d = Data::new(family, 120, &mut rng);
            let w: Vec<usize> = (0..120).map(|_| rng.below(4)).collect();
            let weights: Vec<f64> = w.iter().map(|&k| k as f64).collect();
            let order: Vec<usize> = (0..120)
                .flat_map(|i| std::iter::repeat_n(i, w[i]))
                .collect();
            let rep = d.rows(&order);
            let weighted = glm(family, None, &d.design(), &d.y, Some(&weights), None);
            let repeated = glm(family, None, &rep.design(), &rep.y, None, None);
            // The standard errors agree when the dispersion is fixed; otherwise it is divided
            // by different residual degrees of freedom (rows with weight 0 do not count).
            let what = format!("seed {seed}, {family}: weights vs repeats");
            same_fit(
                &what,
                &weighted,
                &repeated,
                1e-8,
                family.dispersion_is_fixed(),
            );
            assert_eq!(weighted.nobs, w.iter().filter(|&&k| k > 0).count());
        }
    }
}

#[test]
fn permuting_rows_leaves_the_fit_unchanged() {
    for seed in SEEDS {
        let mut rng = Rng(seed);
        for family in FIT_FAMILIES {
            let n = 150;
            let d = Data::new(family, n, &mut rng);
            let weights: Vec<f64> = (0..n).map(|_| rng.range(0.5, 2.0)).collect();
            let offset: Vec<f64> = (0..n).map(|_| rng.range(-0.2, 0.2)).collect();
            // Fisher-Yates shuffle.
            let mut order: Vec<usize> = (0..n).collect();
            for i in (1..n).rev() {
                order.swap(i, rng.below(i + 1));
            }
            let p = d.rows(&order);
            let pw: Vec<f64> = order.iter().map(|&i| weights[i]).collect();
            let po: Vec<f64> = order.iter().map(|&i| offset[i]).collect();
            let link = (family != Family::Gaussian).then_some(Link::Log);
            let link = if family == Family::Binomial {
                None
            } else {
                link
            };
            let a = glm(
                family,
                link,
                &d.design(),
                &d.y,
                Some(&weights),
                Some(&offset),
            );
            let b = glm(family, link, &p.design(), &p.y, Some(&pw), Some(&po));
            same_fit(
                &format!("seed {seed}, {family}: permuted"),
                &a,
                &b,
                1e-9,
                true,
            );
            for (k, &i) in order.iter().enumerate() {
                near("permuted mu", b.mu[k], a.mu[i], 1e-9, 1.0);
            }
        }
    }
}
