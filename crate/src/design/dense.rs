//! A dense, column-major design matrix.

use std::ops::Range;

use faer::linalg::matmul::matmul;
use faer::{Accum, Mat, MatRef, Par};
use rayon::prelude::*;

use super::{sum_in_order, Design, CHUNK_ROWS};
use crate::error::{Error, Result};

/// A dense design matrix stored column by column.
///
/// ```
/// use rustystats::design::{DenseDesign, Design};
/// let x = DenseDesign::from_columns(
///     vec!["Intercept".into(), "x".into()],
///     vec![vec![1.0, 1.0, 1.0], vec![1.0, 2.0, 3.0]],
/// ).unwrap();
/// let mut out = vec![0.0; 3];
/// x.matvec(&[0.5, 2.0], &mut out);
/// assert_eq!(out, vec![2.5, 4.5, 6.5]);
/// ```
#[derive(Debug, Clone)]
pub struct DenseDesign {
    n: usize,
    names: Vec<String>,
    data: Vec<f64>,
}

impl DenseDesign {
    /// Builds a design from named columns of equal length.
    pub fn from_columns(names: Vec<String>, columns: Vec<Vec<f64>>) -> Result<Self> {
        if names.len() != columns.len() {
            return Err(Error::Shape {
                what: "the list of column names".into(),
                expected: columns.len(),
                found: names.len(),
            });
        }
        let n = columns.first().map_or(0, Vec::len);
        if let Some((name, col)) = names.iter().zip(&columns).find(|(_, c)| c.len() != n) {
            return Err(Error::Shape {
                what: format!("design column `{name}`"),
                expected: n,
                found: col.len(),
            });
        }
        // Each column is freed once copied, so the copy holds one extra column at a time.
        let mut data = Vec::with_capacity(n * columns.len());
        for col in columns {
            data.extend_from_slice(&col);
        }
        Ok(DenseDesign { n, names, data })
    }

    /// Column `j` as a slice.
    pub fn column(&self, j: usize) -> &[f64] {
        &self.data[j * self.n..(j + 1) * self.n]
    }

    fn view(&self) -> MatRef<'_, f64> {
        MatRef::from_column_major_slice(&self.data, self.n, self.names.len())
    }
}

impl Design for DenseDesign {
    fn nrows(&self) -> usize {
        self.n
    }

    fn ncols(&self) -> usize {
        self.names.len()
    }

    fn column_names(&self) -> &[String] {
        &self.names
    }

    fn matvec(&self, beta: &[f64], out: &mut [f64]) {
        out.par_chunks_mut(CHUNK_ROWS)
            .enumerate()
            .for_each(|(c, chunk)| {
                let start = c * CHUNK_ROWS;
                self.matvec_rows(beta, start..start + chunk.len(), chunk);
            });
    }

    fn transpose_matvec(&self, v: &[f64], out: &mut [f64]) {
        let p = self.ncols();
        let parts: Vec<Vec<f64>> = v
            .par_chunks(CHUNK_ROWS)
            .enumerate()
            .map(|(c, vc)| {
                let start = c * CHUNK_ROWS;
                let mut part = vec![0.0; p];
                self.transpose_matvec_rows(vc, start..start + vc.len(), &mut part);
                part
            })
            .collect();
        out.copy_from_slice(&sum_in_order(parts, p));
    }

    fn matvec_rows(&self, beta: &[f64], rows: Range<usize>, out: &mut [f64]) {
        out.fill(0.0);
        for (j, &b) in beta.iter().enumerate() {
            if b != 0.0 {
                for (o, &x) in out.iter_mut().zip(&self.column(j)[rows.clone()]) {
                    *o += x * b;
                }
            }
        }
    }

    fn transpose_matvec_rows(&self, v: &[f64], rows: Range<usize>, acc: &mut [f64]) {
        for (j, a) in acc.iter_mut().enumerate() {
            let col = &self.column(j)[rows.clone()];
            *a += col.iter().zip(v).map(|(x, v)| x * v).sum::<f64>();
        }
    }

    fn constant_column(&self) -> Option<usize> {
        (0..self.ncols()).find(|&j| self.column(j).iter().all(|&x| x == 1.0))
    }

    fn nonnegative_columns(&self) -> Vec<bool> {
        (0..self.ncols())
            .map(|j| self.column(j).iter().all(|&x| x >= 0.0))
            .collect()
    }

    fn select_rows(&self, rows: &[usize]) -> Option<Box<dyn Design>> {
        if rows.iter().any(|&i| i >= self.n) {
            return None;
        }
        Some(Box::new(DenseDesign {
            n: rows.len(),
            names: self.names.clone(),
            data: gather_columns(&self.data, self.n, rows),
        }))
    }

    fn sandwich(&self, w: &[f64]) -> Mat<f64> {
        let p = self.ncols();
        let x = self.view();
        let n_chunks = self.n.div_ceil(CHUNK_ROWS);
        let parts: Vec<Vec<f64>> = (0..n_chunks)
            .into_par_iter()
            .map(|c| {
                let start = c * CHUNK_ROWS;
                let len = CHUNK_ROWS.min(self.n - start);
                let xc = x.subrows(start, len);
                let wx = Mat::from_fn(len, p, |i, j| xc[(i, j)] * w[start + i]);
                let mut part = Mat::<f64>::zeros(p, p);
                matmul(
                    part.as_mut(),
                    Accum::Replace,
                    xc.transpose(),
                    wx.as_ref(),
                    1.0,
                    Par::Seq,
                );
                let mut flat = Vec::with_capacity(p * p);
                for j in 0..p {
                    for i in 0..p {
                        flat.push(part[(i, j)]);
                    }
                }
                flat
            })
            .collect();
        let total = sum_in_order(parts, p * p);
        // Symmetrize exactly so factorizations see a symmetric matrix.
        Mat::from_fn(p, p, |i, j| {
            let (a, b) = (total[j * p + i], total[i * p + j]);
            0.5 * (a + b)
        })
    }

    fn row(&self, i: usize, out: &mut [f64]) {
        for (j, o) in out.iter_mut().enumerate() {
            *o = self.data[j * self.n + i];
        }
    }
}

/// The rows `rows` of column-major `data` with `n` rows, column-major.
pub(crate) fn gather_columns(data: &[f64], n: usize, rows: &[usize]) -> Vec<f64> {
    data.chunks_exact(n.max(1))
        .flat_map(|col| rows.iter().map(move |&i| col[i]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn design(n: usize) -> DenseDesign {
        let cols = (0..3)
            .map(|j| (0..n).map(|i| ((i * (j + 3)) % 17) as f64 - 8.0).collect())
            .collect();
        DenseDesign::from_columns(vec!["a".into(), "b".into(), "c".into()], cols).unwrap()
    }

    #[test]
    fn products_match_naive_sums_across_chunks() {
        let n = CHUNK_ROWS * 2 + 123;
        let x = design(n);
        let w: Vec<f64> = (0..n).map(|i| 1.0 + (i % 5) as f64).collect();
        let g = x.sandwich(&w);
        for a in 0..3 {
            for b in 0..3 {
                let naive: f64 = (0..n).map(|i| x.column(a)[i] * w[i] * x.column(b)[i]).sum();
                assert!((g[(a, b)] - naive).abs() <= 1e-9 * naive.abs().max(1.0));
            }
        }
        let mut xtw = vec![0.0; 3];
        x.transpose_matvec(&w, &mut xtw);
        let naive: f64 = (0..n).map(|i| x.column(1)[i] * w[i]).sum();
        assert!((xtw[1] - naive).abs() < 1e-9 * naive.abs().max(1.0));
    }

    #[test]
    fn mismatched_columns_are_an_error() {
        let e = DenseDesign::from_columns(
            vec!["a".into(), "b".into()],
            vec![vec![1.0, 2.0], vec![1.0]],
        )
        .unwrap_err();
        assert!(e.to_string().contains("`b`"), "{e}");
    }
}
