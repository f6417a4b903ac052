//! Residuals with R's `residuals.glm` conventions, and normal QQ points.

use super::{check_rows, thin_indices};
use crate::error::Result;
use crate::link::LinkFunction;
use crate::model::GlmFit;
use crate::stats::norm_ppf;

/// The most points a residual chart keeps.
pub const MAX_RESIDUAL_POINTS: usize = 5000;

/// The kinds of GLM residual, as R's `residuals(fit, type = ...)`, with prior weights `w`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResidualKind {
    /// `y - mu`.
    Response,
    /// `(y - mu) · √w / √V(mu)`; their squares sum to the Pearson chi2.
    Pearson,
    /// `sign(y - mu) · √(w · d(y, mu))` with `d` the unit deviance; their squares sum to the
    /// deviance.
    #[default]
    Deviance,
    /// `(y - mu) · g'(mu)`, the residual of the last IRLS step (working response minus eta).
    Working,
}

impl ResidualKind {
    /// The name R uses (`"deviance"`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            ResidualKind::Response => "response",
            ResidualKind::Pearson => "Pearson",
            ResidualKind::Deviance => "deviance",
            ResidualKind::Working => "working",
        }
    }
}

impl GlmFit {
    /// The residuals of every row (R's `residuals.glm`; a row with prior weight 0 has Pearson
    /// and deviance residual 0).
    ///
    /// ```
    /// use rustystats::design::DenseDesign;
    /// use rustystats::diagnostics::ResidualKind;
    /// use rustystats::family::Family;
    /// use rustystats::model::{fit, GlmData, GlmOptions};
    ///
    /// let x = DenseDesign::from_columns(
    ///     vec!["Intercept".into(), "x".into()],
    ///     vec![vec![1.0; 5], vec![0.0, 1.0, 2.0, 3.0, 4.0]],
    /// ).unwrap();
    /// let y = [1.0, 1.0, 3.0, 4.0, 8.0];
    /// let f = fit(&GlmData { x: &x, y: &y, weights: None, offset: None },
    ///     Family::Poisson, None, &GlmOptions::default()).unwrap();
    /// let d = f.residuals(ResidualKind::Deviance);
    /// let ss: f64 = d.iter().map(|r| r * r).sum();
    /// assert!((ss - f.deviance).abs() < 1e-10);
    /// ```
    pub fn residuals(&self, kind: ResidualKind) -> Vec<f64> {
        let (fam, link) = (self.family, self.link);
        (0..self.y.len())
            .map(|i| {
                let (y, mu, w) = (self.y[i], self.mu[i], self.prior_weights[i]);
                match kind {
                    ResidualKind::Response => y - mu,
                    ResidualKind::Pearson => (y - mu) * w.sqrt() / fam.variance(mu).sqrt(),
                    ResidualKind::Deviance => {
                        let d = (w * fam.unit_deviance(y, mu)).max(0.0).sqrt();
                        if y > mu {
                            d
                        } else if y < mu {
                            -d
                        } else {
                            0.0
                        }
                    }
                    ResidualKind::Working => (y - mu) / link.mu_eta(self.eta[i]),
                }
            })
            .collect()
    }

    /// Residuals against fitted values with a normal QQ plot, for charts (see
    /// [`ResidualPlot`]).
    pub fn residual_plot(&self, kind: ResidualKind) -> Result<ResidualPlot> {
        ResidualPlot::new(&self.mu, &self.residuals(kind), kind)
    }
}

/// R's `ppoints(n)`: probabilities `(i - a) / (n + 1 - 2a)`, `i = 1..n`, with `a = 3/8` for
/// `n <= 10` and `1/2` otherwise.
///
/// ```
/// let p = rustystats::diagnostics::ppoints(4);
/// assert!((p[0] - 0.625 / 4.25).abs() < 1e-15);
/// ```
pub fn ppoints(n: usize) -> Vec<f64> {
    let a = if n <= 10 { 3.0 / 8.0 } else { 0.5 };
    (1..=n)
        .map(|i| (i as f64 - a) / (n as f64 + 1.0 - 2.0 * a))
        .collect()
}

/// A normal QQ plot: sorted values against normal quantiles at [`ppoints`], with R's
/// `qqline` (through the first and third quartiles; sample quartiles by R's default type 7).
#[derive(Debug, Clone, PartialEq)]
pub struct Qq {
    /// Normal quantiles.
    pub theoretical: Vec<f64>,
    /// The values sorted ascending.
    pub sample: Vec<f64>,
    /// Intercept of the reference line.
    pub intercept: f64,
    /// Slope of the reference line.
    pub slope: f64,
}

/// Sample quantile by R's default (type 7) of sorted values.
fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// The normal QQ points of `values`.
///
/// ```
/// let q = rustystats::diagnostics::qq(&[0.3, -1.0, 2.0, 0.1]).unwrap();
/// assert_eq!(q.sample, vec![-1.0, 0.1, 0.3, 2.0]);
/// assert!(q.theoretical[0] < 0.0 && q.slope > 0.0);
/// ```
pub fn qq(values: &[f64]) -> Result<Qq> {
    check_rows(&[("residuals", values)])?;
    let mut sample = values.to_vec();
    sample.sort_by(f64::total_cmp);
    let theoretical: Vec<f64> = ppoints(sample.len()).into_iter().map(norm_ppf).collect();
    let (x1, x3) = (norm_ppf(0.25), norm_ppf(0.75));
    let (y1, y3) = (
        quantile_sorted(&sample, 0.25),
        quantile_sorted(&sample, 0.75),
    );
    let slope = (y3 - y1) / (x3 - x1);
    Ok(Qq {
        theoretical,
        sample,
        intercept: y1 - slope * x1,
        slope,
    })
}

/// Residuals against fitted values and their normal QQ plot, thinned for charts to at most
/// [`MAX_RESIDUAL_POINTS`] points each (evenly spaced rows, and evenly spaced ranks of the
/// QQ plot, so the tails are kept); the summary quantiles use every row.
#[derive(Debug, Clone, PartialEq)]
pub struct ResidualPlot {
    /// Which residuals.
    pub kind: ResidualKind,
    /// Fitted means of the kept rows.
    pub fitted: Vec<f64>,
    /// Residuals of the kept rows.
    pub residuals: Vec<f64>,
    /// The QQ plot (thinned; the line is from all rows).
    pub qq: Qq,
    /// Minimum, first quartile, median, third quartile and maximum of all residuals.
    pub summary: [f64; 5],
    /// All rows.
    pub rows: usize,
}

impl ResidualPlot {
    /// Builds the plot data from fitted values and residuals of the same rows.
    pub fn new(fitted: &[f64], residuals: &[f64], kind: ResidualKind) -> Result<ResidualPlot> {
        let n = check_rows(&[("residuals", residuals), ("fitted", fitted)])?;
        let full = qq(residuals)?;
        let s = &full.sample;
        let summary = [0.0, 0.25, 0.5, 0.75, 1.0].map(|p| quantile_sorted(s, p));
        let rows = thin_indices(n, MAX_RESIDUAL_POINTS);
        let ranks = thin_indices(n, MAX_RESIDUAL_POINTS);
        Ok(ResidualPlot {
            kind,
            fitted: rows.iter().map(|&i| fitted[i]).collect(),
            residuals: rows.iter().map(|&i| residuals[i]).collect(),
            qq: Qq {
                theoretical: ranks.iter().map(|&k| full.theoretical[k]).collect(),
                sample: ranks.iter().map(|&k| full.sample[k]).collect(),
                ..full
            },
            summary,
            rows: n,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ppoints_switch_at_ten() {
        assert!((ppoints(10)[0] - 0.625 / 10.25).abs() < 1e-15);
        assert!((ppoints(11)[0] - 0.5 / 11.0).abs() < 1e-15);
        assert!(ppoints(0).is_empty());
    }

    #[test]
    fn quantiles_match_type_seven() {
        let s = [1.0, 2.0, 4.0, 8.0];
        assert_eq!(quantile_sorted(&s, 0.5), 3.0);
        assert_eq!(quantile_sorted(&s, 0.25), 1.75);
        assert_eq!(quantile_sorted(&[5.0], 0.75), 5.0);
    }

    #[test]
    fn residual_plot_is_thinned_and_checked() {
        let n = 12_345;
        let fitted: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let res: Vec<f64> = (0..n).map(|i| ((i * 31) % 97) as f64 - 48.0).collect();
        let p = ResidualPlot::new(&fitted, &res, ResidualKind::Pearson).unwrap();
        assert!(p.fitted.len() <= MAX_RESIDUAL_POINTS && p.qq.sample.len() <= MAX_RESIDUAL_POINTS);
        assert_eq!(p.summary[0], -48.0);
        assert_eq!(p.summary[4], 48.0);
        assert_eq!(p.rows, n);
        assert!(ResidualPlot::new(&[1.0], &[], ResidualKind::Deviance).is_err());
        assert!(qq(&[]).is_err());
    }
}
