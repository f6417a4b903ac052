//! A small Householder QR decomposition with the conventions of LINPACK's `dqrdc`, which
//! R's `qr()` uses by default. The conventions matter because `ns()` and `poly()` take
//! columns of Q directly, and their signs depend on them:
//!
//! * step `l` reflects rows `l..` of column `l` onto a multiple of the unit vector; the
//!   Householder vector is `u = v / s + e_1` with `s = ±||v||` carrying the sign of `v[0]`
//!   (plus when `v[0] = 0`), and the reflection is `H = I - u u' / u[0]`;
//! * the diagonal of R is `-s`;
//! * no reflection is made for the last row, nor for a zero column.
//!
//! Column pivoting is not done; [`Householder::negligible_column`] reports instead whether a
//! column lost almost all of its norm (R's rank test), so callers can refuse such input.

/// Euclidean norm, summed in order (as the reference BLAS does for ordinary magnitudes).
fn norm(v: &[f64]) -> f64 {
    v.iter().map(|a| a * a).sum::<f64>().sqrt()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Applies `y <- H y` for the reflection with Householder vector `u` (`u[0]` = pivot).
fn reflect(u: &[f64], y: &mut [f64]) {
    let t = -dot(u, y) / u[0];
    y.iter_mut().zip(u).for_each(|(yi, ui)| *yi += t * ui);
}

/// The factored form of a QR decomposition of an `n x p` matrix (`n >= p`).
#[derive(Debug, Clone)]
pub(crate) struct Householder {
    /// Householder vectors: `vectors[l]` holds rows `l..n` of the `l`-th vector (empty
    /// when no reflection was made at step `l`).
    vectors: Vec<Vec<f64>>,
    /// Diagonal of R.
    r_diag: Vec<f64>,
    /// Index of the first column whose remaining norm fell below `1e-7` times its
    /// original norm, if any.
    negligible: Option<usize>,
}

impl Householder {
    /// Decomposes the matrix given as columns (all of the same length `n >= columns`).
    pub(crate) fn decompose(mut cols: Vec<Vec<f64>>) -> Self {
        const TOL: f64 = 1e-7;
        let p = cols.len();
        let n = cols.first().map_or(0, Vec::len);
        let original: Vec<f64> = cols.iter().map(|c| norm(c)).collect();
        let mut vectors = Vec::with_capacity(p);
        let mut r_diag = Vec::with_capacity(p);
        let mut negligible = None;
        for l in 0..p.min(n) {
            let (done, rest) = cols.split_at_mut(l + 1);
            let col = &mut done[l];
            let s = norm(&col[l..]);
            if negligible.is_none() && s < TOL * original[l] {
                negligible = Some(l);
            }
            if l + 1 == n || s == 0.0 {
                r_diag.push(col[l]);
                vectors.push(Vec::new());
                continue;
            }
            let s = if col[l] != 0.0 { s.copysign(col[l]) } else { s };
            let inv = 1.0 / s;
            let mut u: Vec<f64> = col[l..].iter().map(|v| v * inv).collect();
            u[0] += 1.0;
            for other in rest.iter_mut() {
                reflect(&u, &mut other[l..]);
            }
            r_diag.push(-s);
            vectors.push(u);
        }
        Householder {
            vectors,
            r_diag,
            negligible,
        }
    }

    /// The diagonal of R.
    pub(crate) fn r_diag(&self) -> &[f64] {
        &self.r_diag
    }

    /// First column that is (numerically) a combination of the ones before it.
    pub(crate) fn negligible_column(&self) -> Option<usize> {
        self.negligible
    }

    /// `y <- Q' y` (R's `qr.qty`).
    pub(crate) fn apply_qt(&self, y: &mut [f64]) {
        for (l, u) in self.vectors.iter().enumerate() {
            if !u.is_empty() {
                reflect(u, &mut y[l..]);
            }
        }
    }

    /// `y <- Q y` (R's `qr.qy`).
    pub(crate) fn apply_q(&self, y: &mut [f64]) {
        for (l, u) in self.vectors.iter().enumerate().rev() {
            if !u.is_empty() {
                reflect(u, &mut y[l..]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q_is_orthogonal_and_reproduces_columns() {
        let cols = vec![
            vec![1.0, 1.0, 1.0, 1.0],
            vec![-1.5, -0.5, 0.5, 1.5],
            vec![2.0, -1.0, 0.0, 3.0],
        ];
        let h = Householder::decompose(cols.clone());
        assert!(h.negligible_column().is_none());
        // Q' applied to column 0 gives (r00, 0, 0, 0)
        let mut y = cols[0].clone();
        h.apply_qt(&mut y);
        assert!((y[0] - h.r_diag()[0]).abs() < 1e-14 && y[1..].iter().all(|v| v.abs() < 1e-14));
        // Q Q' = I
        let mut z = cols[2].clone();
        h.apply_qt(&mut z);
        h.apply_q(&mut z);
        for (a, b) in z.iter().zip(&cols[2]) {
            assert!((a - b).abs() < 1e-14);
        }
        let dep = Householder::decompose(vec![vec![1.0, 2.0, 3.0], vec![2.0, 4.0, 6.0]]);
        assert_eq!(dep.negligible_column(), Some(1));
    }
}
