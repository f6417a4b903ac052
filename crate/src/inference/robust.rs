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
    /// Cluster-robust, as `sandwich::vcovCL(type = "HC1")`: the G / (G - 1) factor times
    /// (n - 1) / (n - p), G counting every cluster with a row of non-zero weight.
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

/// `B M B` for the kept columns, `B = (X' W X)^-1`, of the kind `kind` (with the cluster of
/// each row for [`CovType::Cluster`]), and warnings naming rows by `row_label` (rows
/// with leverage numerically 1 for HC2 and HC3, as `sandwich::meatHC` warns).
///
/// Rows with prior weight 0 are not observations: they add nothing to the meat, do not count
/// in n (HC1), and a cluster of only such rows does not count in G. (`sandwich` counts them in
/// its n, which scales its standard errors by the share of non-zero-weight rows: fit without
/// those rows to compare.)
pub(crate) fn robust_covariance(
    x: &dyn Design,
    keep: &[usize],
    bread: &Mat<f64>,
    rows: &RowTerms,
    kind: CovType,
    clusters: Option<&[usize]>,
    row_label: &dyn Fn(usize) -> usize,
) -> Result<(Mat<f64>, Vec<String>)> {
    let mut warnings = Vec::new();
    let n = x.nrows();
    let p = x.ncols();
    let k = keep.len();
    let nobs = rows.prior_weights.iter().filter(|&&w| w != 0.0).count();
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
            let mut hat = hat_values(x, keep, bread, &rows.working_weights);
            warnings.extend(leverage_one_warning(&mut hat, kind, row_label));
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
            // G counts every cluster with an observation, as `sandwich::vcovCL`, also one whose
            // score sum happens to be 0 (a singleton level fitted exactly, say).
            let mut observed = vec![false; g];
            for (i, &c) in groups.iter().enumerate() {
                observed[c] |= rows.prior_weights[i] != 0.0;
            }
            let n_groups = observed.iter().filter(|o| **o).count();
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
    Ok((&bm * bread, warnings))
}

/// Rows whose leverage is numerically 1 (above `1 - sqrt(eps)`, `sandwich`'s rule): the HC2 and
/// HC3 weights `1 / (1 - h)` are undefined there. As R, a leverage within `10 eps` of 1 is set
/// to 1 (`lm.influence`), which makes the standard errors NA; the warning names the rows.
fn leverage_one_warning(
    hat: &mut [f64],
    kind: CovType,
    row_label: &dyn Fn(usize) -> usize,
) -> Option<String> {
    for h in hat.iter_mut() {
        if *h > 1.0 - 10.0 * f64::EPSILON {
            *h = 1.0;
        }
    }
    let high: Vec<usize> = (0..hat.len())
        .filter(|&i| hat[i] > 1.0 - f64::EPSILON.sqrt())
        .collect();
    let first = *high.first()?;
    let (verb, its) = if high.len() == 1 {
        ("has", "its")
    } else {
        ("have", "their")
    };
    Some(format!(
        "{kind} standard errors are not reliable: {} {verb} leverage (hat value) numerically 1 \
         ({:.10}), so {its} {kind} weight 1 / (1 - h) is undefined{}; a row with leverage 1 is \
         fitted exactly by its own coefficient (the only row of a factor level, say), as R's \
         sandwich warns. Use HC0 or HC1, or merge the level or drop the row",
        crate::error::rows_list(&high, row_label),
        hat[first],
        if hat.contains(&1.0) {
            " and every standard error is NA (R gives NaN)"
        } else {
            ""
        }
    ))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::DenseDesign;

    /// Cluster-robust meat with the bread set to the identity, for clusters `groups`.
    fn cluster_meat(score: Vec<f64>, weights: Vec<f64>, groups: Vec<usize>) -> Mat<f64> {
        let n = score.len();
        let x = DenseDesign::from_columns(
            vec!["Intercept".into(), "x".into()],
            vec![vec![1.0; n], (0..n).map(|i| i as f64 * 0.5).collect()],
        )
        .unwrap();
        let rows = RowTerms {
            score,
            working_weights: vec![1.0; n],
            prior_weights: weights,
        };
        let bread = Mat::<f64>::identity(2, 2);
        let label = |i: usize| i + 1;
        robust_covariance(
            &x,
            &[0, 1],
            &bread,
            &rows,
            CovType::Cluster,
            Some(&groups),
            &label,
        )
        .unwrap()
        .0
    }

    #[test]
    fn every_cluster_with_an_observation_counts_in_g() {
        // Cluster 2's scores are exactly 0 (its rows fitted exactly): it still counts, G = 3,
        // as sandwich::vcovCL; cluster 3 has only a zero-weight row: not observed.
        let score = vec![0.5, -0.2, 0.3, 0.4, 0.0, 0.0, 0.0];
        let weights = vec![1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0];
        let m = cluster_meat(score.clone(), weights, vec![0, 0, 1, 1, 2, 2, 3]);
        let (g, n, k) = (3.0, 6.0, 2.0);
        let adj = g / (g - 1.0) * (n - 1.0) / (n - k);
        let sums = [[0.3, -0.1], [0.7, 1.0 * 0.3 + 1.5 * 0.4]];
        for a in 0..2 {
            for b in 0..2 {
                let want = adj * sums.iter().map(|s| s[a] * s[b]).sum::<f64>();
                assert!(
                    (m[(a, b)] - want).abs() < 1e-14,
                    "{a},{b}: {} {want}",
                    m[(a, b)]
                );
            }
        }
    }
}
