//! Heteroskedasticity-consistent and cluster-robust covariances with R `sandwich`'s
//! conventions for GLMs: the bread is the expected-information inverse `(X' W X)^-1`, the
//! meat is built from the score contributions `u_i x_i`, `u_i = w_i (y_i - mu_i) mu_eta_i / V_i`.

use faer::Mat;
use rayon::prelude::*;

use super::RowTerms;
use crate::design::Design;
use crate::error::{Error, Result};
use crate::linalg::submatrix;

/// Which covariance the standard errors use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CovType {
    /// The model-based covariance `dispersion (X' W X)^-1`.
    #[default]
    Nonrobust,
    /// White's sandwich.
    HC0,
    /// HC0 times n / (n - p).
    HC1,
    /// Meat weighted by 1 / (1 - h_i).
    HC2,
    /// Meat weighted by 1 / (1 - h_i)^2.
    HC3,
    /// Cluster-robust (sandwich's `vcovCL` default: HC1-type with the G / (G - 1) factor).
    Cluster,
}

impl CovType {
    /// Parses `nonrobust`, `HC0` ... `HC3`, `cluster` (any case).
    pub fn parse(s: &str) -> Result<CovType> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "nonrobust" | "model" | "classical" => CovType::Nonrobust,
            "hc0" => CovType::HC0,
            "hc1" => CovType::HC1,
            "hc2" => CovType::HC2,
            "hc3" => CovType::HC3,
            "cluster" => CovType::Cluster,
            _ => {
                return Err(Error::model(format!(
                    "unknown covariance type `{s}`; use nonrobust, HC0, HC1, HC2, HC3 or cluster"
                )))
            }
        })
    }
}

impl std::fmt::Display for CovType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CovType::Nonrobust => "nonrobust",
            CovType::HC0 => "HC0",
            CovType::HC1 => "HC1",
            CovType::HC2 => "HC2",
            CovType::HC3 => "HC3",
            CovType::Cluster => "cluster",
        })
    }
}

/// `B M B` for the kept columns, `B = (X' W X)^-1`.
pub(crate) fn robust_covariance(
    x: &dyn Design,
    keep: &[usize],
    bread: &Mat<f64>,
    rows: &RowTerms,
    kind: CovType,
    clusters: Option<&[usize]>,
) -> Result<Mat<f64>> {
    let n = x.nrows();
    let p = x.ncols();
    let k = keep.len();
    let nobs = rows.working_weights.len();
    let meat = match kind {
        CovType::Nonrobust => unreachable_nonrobust()?,
        CovType::HC0 | CovType::HC1 => {
            let u2: Vec<f64> = rows.score.iter().map(|u| u * u).collect();
            let mut m = submatrix(&x.sandwich(&u2), keep);
            if kind == CovType::HC1 {
                let f = nobs as f64 / (nobs - k) as f64;
                m = Mat::from_fn(k, k, |i, j| m[(i, j)] * f);
            }
            m
        }
        CovType::HC2 | CovType::HC3 => {
            let power = if kind == CovType::HC2 { 1 } else { 2 };
            let hat = hat_values(x, keep, bread, &rows.working_weights);
            let omega: Vec<f64> = rows
                .score
                .iter()
                .zip(&hat)
                .map(|(u, h)| u * u / (1.0 - h).powi(power))
                .collect();
            submatrix(&x.sandwich(&omega), keep)
        }
        CovType::Cluster => {
            let groups = clusters.ok_or_else(|| {
                Error::model("cluster-robust covariance needs a cluster label for every row")
            })?;
            if groups.len() != n {
                return Err(Error::Shape {
                    what: "the cluster labels".into(),
                    expected: n,
                    found: groups.len(),
                });
            }
            let g = groups.iter().copied().max().map_or(0, |m| m + 1);
            let mut sums = vec![vec![0.0; k]; g];
            let mut xi = vec![0.0; p];
            for i in 0..n {
                if rows.score[i] == 0.0 {
                    continue;
                }
                x.row(i, &mut xi);
                let s = &mut sums[groups[i]];
                for (a, &j) in keep.iter().enumerate() {
                    s[a] += rows.score[i] * xi[j];
                }
            }
            let n_groups = sums.iter().filter(|s| s.iter().any(|v| *v != 0.0)).count();
            if n_groups < 2 {
                return Err(Error::model(
                    "cluster-robust covariance needs at least two clusters",
                ));
            }
            let adj =
                n_groups as f64 / (n_groups - 1) as f64 * (nobs - 1) as f64 / (nobs - k) as f64;
            Mat::from_fn(k, k, |a, b| {
                adj * sums.iter().map(|s| s[a] * s[b]).sum::<f64>()
            })
        }
    };
    let bm = bread * &meat;
    Ok(&bm * bread)
}

fn unreachable_nonrobust() -> Result<Mat<f64>> {
    Err(Error::model(
        "robust_covariance was asked for the non-robust covariance; use the model's own",
    ))
}

/// GLM hat values `h_i = ww_i x_i' (X'WX)^-1 x_i` (kept columns).
pub(crate) fn hat_values(x: &dyn Design, keep: &[usize], bread: &Mat<f64>, ww: &[f64]) -> Vec<f64> {
    let p = x.ncols();
    (0..x.nrows())
        .into_par_iter()
        .map_init(
            || vec![0.0; p],
            |xi, i| {
                if ww[i] == 0.0 {
                    return 0.0;
                }
                x.row(i, xi);
                let mut q = 0.0;
                for (a, &ja) in keep.iter().enumerate() {
                    let mut s = 0.0;
                    for (b, &jb) in keep.iter().enumerate() {
                        s += bread[(a, b)] * xi[jb];
                    }
                    q += xi[ja] * s;
                }
                ww[i] * q
            },
        )
        .collect()
}
