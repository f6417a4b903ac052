//! The covariance of a fit's coefficients: a dense matrix, or the bordered form of a design
//! with a factor of many levels ([`BorderedCov`]), whose entries are computed when asked.

use faer::Mat;

use super::BorderedCov;

/// A symmetric matrix over the estimated coefficients (the non-aliased columns, in order).
///
/// ```
/// use faer::Mat;
/// use rustystats::linalg::Covariance;
/// let c = Covariance::Dense(Mat::from_fn(2, 2, |i, j| if i == j { 4.0 } else { 1.0 }));
/// assert_eq!(c.variance(1), 4.0);
/// assert_eq!(c.quad_form(&[1.0, 1.0]), 10.0);
/// assert_eq!(c.scaled(0.5).get(0, 1), 0.5);
/// ```
#[derive(Debug, Clone)]
pub enum Covariance {
    /// A dense matrix.
    Dense(Mat<f64>),
    /// The bordered form of a design with a factor of many levels.
    Bordered(BorderedCov),
}

impl Covariance {
    /// The covariance of no coefficients (a penalized fit has none).
    pub fn empty() -> Self {
        Covariance::Dense(Mat::zeros(0, 0))
    }

    /// Number of rows (and columns).
    pub fn dim(&self) -> usize {
        match self {
            Covariance::Dense(m) => m.nrows(),
            Covariance::Bordered(b) => b.dim(),
        }
    }

    /// Whether it covers no coefficient.
    pub fn is_empty(&self) -> bool {
        self.dim() == 0
    }

    /// Entry `(i, j)`.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        match self {
            Covariance::Dense(m) => m[(i, j)],
            Covariance::Bordered(b) => b.get(i, j),
        }
    }

    /// The variance of coefficient `i`.
    pub fn variance(&self, i: usize) -> f64 {
        self.get(i, i)
    }

    /// The rows and columns `idx`, as a dense matrix.
    pub fn submatrix(&self, idx: &[usize]) -> Mat<f64> {
        Mat::from_fn(idx.len(), idx.len(), |a, b| self.get(idx[a], idx[b]))
    }

    /// `x' C x`.
    pub fn quad_form(&self, x: &[f64]) -> f64 {
        match self {
            Covariance::Dense(m) => {
                let mut q = 0.0;
                for (b, &xb) in x.iter().enumerate().filter(|(_, v)| **v != 0.0) {
                    let col = m.col(b);
                    q += xb * x.iter().enumerate().map(|(a, xa)| col[a] * xa).sum::<f64>();
                }
                q
            }
            Covariance::Bordered(b) => b.quad_form(x),
        }
    }

    /// This matrix times `f`.
    pub fn scaled(&self, f: f64) -> Self {
        match self {
            Covariance::Dense(m) => {
                Covariance::Dense(Mat::from_fn(m.nrows(), m.ncols(), |i, j| m[(i, j)] * f))
            }
            Covariance::Bordered(b) => Covariance::Bordered(b.clone().scaled(f)),
        }
    }

    /// The dense matrix, when it is kept as one.
    pub fn dense(&self) -> Option<&Mat<f64>> {
        match self {
            Covariance::Dense(m) => Some(m),
            Covariance::Bordered(_) => None,
        }
    }
}
