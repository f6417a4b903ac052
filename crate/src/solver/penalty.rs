//! The elastic-net penalty on the coefficients, per unit of prior weight:
//! `alpha * sum_j f_j (l1_ratio |b_j| + (1 - l1_ratio) / 2 * b_j^2)`, with a factor `f_j`
//! per column (0 leaves the column unpenalized, as the intercept always is).
//!
//! The fit minimizes `deviance / (2 W) + penalty` (`W` the sum of the prior weights): glmnet's
//! objective, with glmnet's `lambda` called `alpha` here and glmnet's `alpha` called
//! `l1_ratio`, as glum names them.

use crate::error::{Error, Result};

/// An elastic-net penalty, resolved to one L1 and one L2 weight per design column.
///
/// ```
/// use rustystats::solver::Penalty;
/// // alpha = 0.1, half lasso half ridge, the first column (the intercept) unpenalized.
/// let pen = Penalty::elastic_net(0.1, 0.5, vec![0.0, 1.0, 2.0]).unwrap();
/// // 0.1 * (0.5 * (|2| + 2 |-1|) + 0.25 * (2^2 + 2 * 1^2))
/// assert!((pen.value(&[5.0, 2.0, -1.0]) - 0.35).abs() < 1e-15);
/// assert!(Penalty::elastic_net(-1.0, 0.5, vec![1.0]).is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Penalty {
    /// `alpha * l1_ratio * f_j` per column; empty for no penalty.
    l1: Vec<f64>,
    /// `alpha * (1 - l1_ratio) * f_j` per column; empty for no penalty.
    l2: Vec<f64>,
    /// Columns the fit holds at 0 (a path's screen, whose choice the caller checks against
    /// the optimality conditions); empty for none.
    screened: Vec<bool>,
}

impl Penalty {
    /// No penalty: maximum likelihood.
    pub fn none() -> Self {
        Penalty::default()
    }

    /// The elastic net with strength `alpha >= 0`, mixing `l1_ratio` in `[0, 1]` (1 is the
    /// lasso, 0 ridge) and one factor `>= 0` per design column.
    pub fn elastic_net(alpha: f64, l1_ratio: f64, factors: Vec<f64>) -> Result<Self> {
        if !(alpha.is_finite() && alpha >= 0.0) {
            return Err(Error::model(format!(
                "alpha must be a number >= 0 (0: no penalty), got {alpha}"
            )));
        }
        if !(0.0..=1.0).contains(&l1_ratio) {
            return Err(Error::model(format!(
                "l1_ratio must be between 0 (ridge) and 1 (lasso), got {l1_ratio}"
            )));
        }
        if let Some((j, f)) = factors
            .iter()
            .enumerate()
            .find(|(_, f)| !(f.is_finite() && **f >= 0.0))
        {
            return Err(Error::model(format!(
                "the penalty factor of design column {j} must be a number >= 0, got {f}"
            )));
        }
        Ok(Penalty {
            l1: factors.iter().map(|f| alpha * l1_ratio * f).collect(),
            l2: factors
                .iter()
                .map(|f| alpha * (1.0 - l1_ratio) * f)
                .collect(),
            screened: Vec::new(),
        })
    }

    /// The same penalty on `s_j b_j` instead of `b_j`: the L1 weight of column `j` times
    /// `s_j`, the L2 weight times `s_j^2`. With `s_j` the column's standard deviation this is
    /// glmnet's `standardize`: the penalty of the standardized column's coefficient, for
    /// coefficients on the original scale.
    pub fn on_scaled(mut self, scales: &[f64]) -> Self {
        for ((l1, l2), s) in self.l1.iter_mut().zip(&mut self.l2).zip(scales) {
            *l1 *= s;
            *l2 *= s * s;
        }
        self
    }

    /// The same penalty at `alpha` times the strength.
    pub fn times(mut self, alpha: f64) -> Self {
        for w in self.l1.iter_mut().chain(&mut self.l2) {
            *w *= alpha;
        }
        self
    }

    /// The same penalty with the columns marked in `screened` held at 0 (one flag per
    /// column): a path leaves out the columns its strong rule screens, then checks them.
    pub fn screening(mut self, screened: Vec<bool>) -> Self {
        self.screened = screened;
        self
    }

    /// Whether column `j` is held at 0.
    pub fn is_screened(&self, j: usize) -> bool {
        self.screened.get(j).copied().unwrap_or(false)
    }

    /// Whether some column is held at 0.
    pub fn screens(&self) -> bool {
        self.screened.iter().any(|&s| s)
    }

    /// The same penalty with every L2 weight times `factor` (glmnet's Gaussian fits divide
    /// the ridge part by the response's standard deviation).
    pub fn ridge_times(mut self, factor: f64) -> Self {
        for l2 in &mut self.l2 {
            *l2 *= factor;
        }
        self
    }

    /// Whether the penalty is zero for every coefficient.
    pub fn is_zero(&self) -> bool {
        self.l1.iter().chain(&self.l2).all(|&w| w == 0.0)
    }

    /// Whether some column has an L1 weight (the fit then needs coordinate descent).
    pub fn has_l1(&self) -> bool {
        self.l1.iter().any(|&w| w > 0.0)
    }

    /// The L1 weight of column `j` (0 without a penalty).
    pub fn l1(&self, j: usize) -> f64 {
        self.l1.get(j).copied().unwrap_or(0.0)
    }

    /// The L2 weight of column `j` (0 without a penalty).
    pub fn l2(&self, j: usize) -> f64 {
        self.l2.get(j).copied().unwrap_or(0.0)
    }

    /// The penalty at the coefficients `beta`, per unit of prior weight.
    pub fn value(&self, beta: &[f64]) -> f64 {
        let mut total = 0.0;
        for (j, b) in beta.iter().enumerate() {
            total += self.l1(j) * b.abs() + 0.5 * self.l2(j) * b * b;
        }
        total
    }

    /// Checks that the penalty has one weight per design column (or none at all).
    pub(crate) fn check_columns(&self, p: usize) -> Result<()> {
        let fits = |len: usize| len == 0 || len == p;
        if fits(self.l1.len()) && fits(self.screened.len()) {
            Ok(())
        } else {
            Err(Error::Shape {
                what: "the penalty factors (one per design column)".into(),
                expected: p,
                found: if fits(self.l1.len()) {
                    self.screened.len()
                } else {
                    self.l1.len()
                },
            })
        }
    }
}
