//! B-spline evaluation on a full knot sequence (the engine behind `splineDesign`).
//!
//! A knot sequence `t[0..n]` of order `k` (degree `k - 1`) defines `n - k` B-splines. On a
//! knot span `[t[r - 1], t[r])` exactly `k` of them, those numbered `r - k .. r`, can be
//! non-zero. Values come from the Cox-de Boor recurrence in the stable triangular form of
//! de Boor ("A Practical Guide to Splines", BSPLVB): only additions of non-negative terms
//! and divisions by knot differences, no subtraction of nearly equal numbers. Derivatives
//! come from differencing the B-spline coefficients and then running de Boor's algorithm on
//! the lower-order spline (de Boor's BVALUE).

/// Knot span containing a point, found the way R's `splineDesign` finds it.
#[derive(Debug, Clone, Copy)]
struct Span {
    /// Index of the first knot to the right: the span is `[t[right - 1], t[right])`.
    right: usize,
    /// The point is the last admissible knot `t[n - k]`; spans are closed on the right
    /// there, and the highest derivative (a jump) is reported as 0.
    at_end: bool,
}

/// A sorted knot sequence with its spline order.
#[derive(Debug, Clone)]
pub(crate) struct KnotSequence {
    t: Vec<f64>,
    order: usize,
}

impl KnotSequence {
    /// The clamped sequence R builds for `bs()` / `ns()`: each boundary knot repeated
    /// `order` times around the interior knots, all sorted.
    pub(crate) fn clamped(boundary: (f64, f64), interior: &[f64], order: usize) -> Self {
        let mut t = Vec::with_capacity(interior.len() + 2 * order);
        t.extend(std::iter::repeat_n(boundary.0, order));
        t.extend_from_slice(interior);
        t.extend(std::iter::repeat_n(boundary.1, order));
        t.sort_by(f64::total_cmp);
        KnotSequence { t, order }
    }

    /// The knots, sorted.
    pub(crate) fn knots(&self) -> &[f64] {
        &self.t
    }

    /// Number of B-splines (columns of the full basis).
    pub(crate) fn n_basis(&self) -> usize {
        self.t.len() - self.order
    }

    /// Finds the span of `x`; `None` when `x` is outside `[t[k - 1], t[n - k]]` or NaN.
    fn locate(&self, x: f64) -> Option<Span> {
        let n = self.t.len();
        let k = self.order;
        if !(x >= self.t[k - 1] && x <= self.t[n - k]) {
            return None;
        }
        let right = self.t.partition_point(|&v| v <= x);
        if right > n - k {
            Some(Span {
                right: n - k,
                at_end: true,
            })
        } else {
            Some(Span {
                right,
                at_end: false,
            })
        }
    }

    /// Distances from `x` to the knots right of the span (`to_right[i] = t[right + i] - x`)
    /// and left of it (`to_left[i] = x - t[right - 1 - i]`), `m` of each.
    fn distances(&self, right: usize, x: f64, m: usize) -> (Vec<f64>, Vec<f64>) {
        let to_right = (0..m).map(|i| self.t[right + i] - x).collect();
        let to_left = (0..m).map(|i| x - self.t[right - 1 - i]).collect();
        (to_right, to_left)
    }

    /// The `k` possibly non-zero B-spline values at `x` in its span (triangular
    /// Cox-de Boor recurrence). Entry `j` belongs to B-spline `right - k + j`.
    fn local_values(&self, span: Span, x: f64) -> Vec<f64> {
        let k = self.order;
        let (to_right, to_left) = self.distances(span.right, x, k - 1);
        let mut b = vec![0.0; k];
        b[0] = 1.0;
        // Raise the order one step at a time: from the j values of order j to the j + 1
        // values of order j + 1. Each old value splits into a part kept by the same
        // B-spline and a part carried to the next one.
        for j in 1..k {
            let mut carry = 0.0;
            for r in 0..j {
                let width = to_right[r] + to_left[j - 1 - r];
                if width != 0.0 {
                    let share = b[r] / width;
                    b[r] = carry + to_right[r] * share;
                    carry = to_left[j - 1 - r] * share;
                } else {
                    // Coincident knots: the B-spline over a zero-width support contributes
                    // nothing. (The first value is left alone when x sits on its right knot,
                    // as R does.)
                    if r != 0 || to_right[r] != 0.0 {
                        b[r] = carry;
                    }
                    carry = 0.0;
                }
            }
            b[j] = carry;
        }
        b
    }

    /// Derivative of order `deriv` (1 <= deriv < k) at `x` of the spline whose `k` local
    /// coefficients (for B-splines `right - k ..right`) are `coef`; `coef` is overwritten.
    fn local_derivative(&self, span: Span, x: f64, coef: &mut [f64], deriv: usize) -> f64 {
        let right = span.right;
        let mut degree = self.order - 1;
        if span.at_end && deriv == degree {
            // The highest derivative jumps at the last knot; R reports 0 there.
            return 0.0;
        }
        // Coefficients of the derivative spline: scaled first differences, one degree lower.
        for _ in 0..deriv {
            for i in 0..degree {
                let width = self.t[right + i] - self.t[right + i - degree];
                coef[i] = degree as f64 * (coef[i + 1] - coef[i]) / width;
            }
            degree -= 1;
        }
        // de Boor's algorithm: convex combinations down to a single value.
        let (to_right, to_left) = self.distances(right, x, degree);
        for level in (0..degree).rev() {
            for i in 0..=level {
                let l = to_left[level - i];
                let r = to_right[i];
                coef[i] = (coef[i + 1] * l + coef[i] * r) / (r + l);
            }
        }
        coef[0]
    }

    /// Writes the full row of B-spline values (`deriv == 0`) or derivatives at `x` into
    /// `out` (length `n_basis()`, zero-filled first). Returns `false`, leaving zeros, when
    /// `x` is outside the knot range.
    pub(crate) fn row_into(&self, x: f64, deriv: usize, out: &mut [f64]) -> bool {
        out.iter_mut().for_each(|v| *v = 0.0);
        let Some(span) = self.locate(x) else {
            return false;
        };
        let k = self.order;
        let first = span.right - k;
        if deriv == 0 {
            let b = self.local_values(span, x);
            out[first..first + k].copy_from_slice(&b);
        } else if deriv < k {
            let mut coef = vec![0.0; k];
            for j in 0..k {
                coef.iter_mut().for_each(|c| *c = 0.0);
                coef[j] = 1.0;
                out[first + j] = self.local_derivative(span, x, &mut coef, deriv);
            }
        }
        true
    }

    /// The full row at `x` as a new vector (see [`KnotSequence::row_into`]).
    pub(crate) fn row(&self, x: f64, deriv: usize) -> Vec<f64> {
        let mut out = vec![0.0; self.n_basis()];
        self.row_into(x, deriv, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_of_unity_and_derivatives() {
        let ks = KnotSequence::clamped((0.0, 10.0), &[2.0, 5.0, 5.5], 4);
        assert_eq!(ks.n_basis(), 7);
        for &x in &[0.0, 0.3, 2.0, 4.9, 5.0, 5.2, 9.99, 10.0] {
            let s: f64 = ks.row(x, 0).iter().sum();
            assert!((s - 1.0).abs() < 1e-14, "sum {s} at {x}");
            // derivatives of a partition of unity sum to zero
            for d in 1..3 {
                let s: f64 = ks.row(x, d).iter().sum();
                assert!(s.abs() < 1e-12, "deriv {d} sum {s} at {x}");
            }
        }
        // central difference check of the first derivative
        let (x, h) = (3.7, 1e-6);
        let d = ks.row(x, 1);
        let (up, dn) = (ks.row(x + h, 0), ks.row(x - h, 0));
        for j in 0..7 {
            assert!((d[j] - (up[j] - dn[j]) / (2.0 * h)).abs() < 1e-7);
        }
        assert!(!ks.row_into(10.5, 0, &mut [0.0; 7]));
    }
}
