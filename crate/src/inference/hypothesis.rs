//! Chi-squared, F and Wald tests on plain numbers: the statistic, its degrees of freedom and
//! its p-value. The tests between fitted models (the model layer's `wald_test` and
//! `lr_test`) are built on these.

use faer::Mat;

use crate::error::Result;
use crate::linalg::SpdFactor;
use crate::stats::{chi2_sf, f_sf};

/// The outcome of a test.
#[derive(Debug, Clone, PartialEq)]
pub struct TestResult {
    /// The chi-squared statistic (for F tests: the F statistic).
    pub statistic: f64,
    /// Numerator degrees of freedom.
    pub df: f64,
    /// Denominator degrees of freedom for an F test.
    pub df_denom: Option<f64>,
    /// The p-value.
    pub p_value: f64,
    /// `"chi2"` or `"F"`.
    pub distribution: &'static str,
}

/// A chi-squared test of `statistic` on `df` degrees of freedom (a negative statistic, from
/// rounding, counts as 0 for the p-value).
///
/// ```
/// let t = rustystats::inference::chi2_test(3.841458820694124, 1.0);
/// assert!((t.p_value - 0.05).abs() < 1e-12);
/// ```
pub fn chi2_test(statistic: f64, df: f64) -> TestResult {
    TestResult {
        statistic,
        df,
        df_denom: None,
        p_value: chi2_sf(statistic.max(0.0), df),
        distribution: "chi2",
    }
}

/// An F test of `statistic` on `(df, df_denom)` degrees of freedom.
///
/// ```
/// let t = rustystats::inference::f_test(4.0, 1.0, 1e9);
/// assert!((t.p_value - rustystats::inference::chi2_test(4.0, 1.0).p_value).abs() < 1e-6);
/// ```
pub fn f_test(statistic: f64, df: f64, df_denom: f64) -> TestResult {
    TestResult {
        statistic,
        df,
        df_denom: Some(df_denom),
        p_value: f_sf(statistic.max(0.0), df, df_denom),
        distribution: "F",
    }
}

/// The Wald test that the coefficients `b` are all zero, given their covariance `v`:
/// `W = b' V^-1 b` on chi-squared with `q = len(b)` degrees of freedom, or, when
/// `f_denominator` gives the residual degrees of freedom of an estimated dispersion,
/// `F = W / q` on `(q, f_denominator)` (R's `anova(..., test = "F")`).
///
/// ```
/// use faer::Mat;
/// let v = Mat::from_fn(2, 2, |i, j| if i == j { 4.0 } else { 0.0 });
/// let t = rustystats::inference::wald(&[2.0, 4.0], &v, None)?;
/// assert!((t.statistic - 5.0).abs() < 1e-12);
/// assert_eq!(t.df, 2.0);
/// # Ok::<(), rustystats::Error>(())
/// ```
pub fn wald(b: &[f64], v: &Mat<f64>, f_denominator: Option<f64>) -> Result<TestResult> {
    let vinv_b = SpdFactor::new(v)?.solve(b);
    let w: f64 = b.iter().zip(&vinv_b).map(|(x, y)| x * y).sum();
    let q = b.len() as f64;
    Ok(match f_denominator {
        Some(d2) => f_test(w / q, q, d2),
        None => chi2_test(w, q),
    })
}
