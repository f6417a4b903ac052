//! Row kernels of `X b` and `X' v` that take several columns per pass over a tile of rows.
//!
//! Adding one column at a time to `out` reads and writes `out` once per column, which makes
//! the loop wait on its stores; four columns a pass do a quarter of those stores.
//! The sums of each row are formed in a fixed order, so the results do not depend on the
//! tiling or on the number of threads.

/// `out[i] += sum_k x_k[i] b_k` over the `(x_k, b_k)` in `terms`, four at a time. Each `x_k`
/// has at least `out.len()` values.
pub(crate) fn add_dense(out: &mut [f64], terms: &[(&[f64], f64)]) {
    let n = out.len();
    let mut groups = terms.chunks_exact(4);
    for g in &mut groups {
        let [(x0, b0), (x1, b1), (x2, b2), (x3, b3)] = [g[0], g[1], g[2], g[3]];
        let (x0, x1, x2, x3) = (&x0[..n], &x1[..n], &x2[..n], &x3[..n]);
        for i in 0..n {
            out[i] += (x0[i] * b0 + x1[i] * b1) + (x2[i] * b2 + x3[i] * b3);
        }
    }
    for &(x, b) in groups.remainder() {
        for (o, &x) in out.iter_mut().zip(&x[..n]) {
            *o += x * b;
        }
    }
}

/// `out[i] += sum_k table_k[codes_k[i]]` over the `(codes_k, table_k)` in `terms`, four at a
/// time. Each `codes_k` has at least `out.len()` values, each below its table's length.
pub(crate) fn add_coded(out: &mut [f64], terms: &[(&[u32], &[f64])]) {
    let n = out.len();
    let mut groups = terms.chunks_exact(4);
    for g in &mut groups {
        let [(c0, t0), (c1, t1), (c2, t2), (c3, t3)] = [g[0], g[1], g[2], g[3]];
        let (c0, c1, c2, c3) = (&c0[..n], &c1[..n], &c2[..n], &c3[..n]);
        for i in 0..n {
            let a = t0[c0[i] as usize] + t1[c1[i] as usize];
            let b = t2[c2[i] as usize] + t3[c3[i] as usize];
            out[i] += a + b;
        }
    }
    for &(c, t) in groups.remainder() {
        for (o, &s) in out.iter_mut().zip(&c[..n]) {
            *o += t[s as usize];
        }
    }
}

/// `acc[k] += x_k . v` for each column `x_k` in `cols` (each at least `v.len()` long), four
/// columns a pass over `v`, each dot product with four running sums in a fixed order.
pub(crate) fn dots(cols: &[&[f64]], v: &[f64], acc: &mut [f64]) {
    let n = v.len();
    let whole = n - n % 4;
    let mut k = 0;
    while k + 4 <= cols.len() {
        let xs = [
            &cols[k][..n],
            &cols[k + 1][..n],
            &cols[k + 2][..n],
            &cols[k + 3][..n],
        ];
        let mut s = [[0.0; 4]; 4];
        for i in (0..whole).step_by(4) {
            for (sj, xj) in s.iter_mut().zip(&xs) {
                for l in 0..4 {
                    sj[l] += xj[i + l] * v[i + l];
                }
            }
        }
        for (j, (sj, xj)) in s.iter().zip(&xs).enumerate() {
            let tail: f64 = (whole..n).map(|i| xj[i] * v[i]).sum();
            acc[k + j] += (sj[0] + sj[1]) + (sj[2] + sj[3]) + tail;
        }
        k += 4;
    }
    for (a, x) in acc[k..].iter_mut().zip(&cols[k..]) {
        *a += dot(&x[..n], v);
    }
}

/// `sum x_i y_i` with four running sums, so the loop vectorizes; the order is fixed (the same
/// as one column of [`dots`]).
pub(crate) fn dot(x: &[f64], y: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    let (xc, yc) = (x.chunks_exact(4), y.chunks_exact(4));
    let tail: f64 = xc
        .remainder()
        .iter()
        .zip(yc.remainder())
        .map(|(a, b)| a * b)
        .sum();
    for (a, b) in xc.zip(yc) {
        for k in 0..4 {
            acc[k] += a[k] * b[k];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(n: usize, k: usize) -> Vec<f64> {
        (0..n).map(|i| ((i * (k + 3)) % 11) as f64 - 4.5).collect()
    }

    #[test]
    fn grouped_kernels_match_one_column_at_a_time() {
        for (n, k) in [(1, 1), (7, 4), (13, 6), (33, 9)] {
            let cols: Vec<Vec<f64>> = (0..k).map(|j| column(n, j)).collect();
            let beta: Vec<f64> = (0..k).map(|j| 0.25 * j as f64 - 0.5).collect();
            let terms: Vec<(&[f64], f64)> = cols.iter().map(|c| &c[..]).zip(beta.clone()).collect();
            let mut got = vec![1.0; n];
            add_dense(&mut got, &terms);
            let codes: Vec<Vec<u32>> = (0..k)
                .map(|j| (0..n).map(|i| ((i + j) % 3) as u32).collect())
                .collect();
            let tables: Vec<Vec<f64>> = (0..k)
                .map(|j| vec![j as f64, 0.5, -1.0 - j as f64])
                .collect();
            let coded: Vec<(&[u32], &[f64])> = codes
                .iter()
                .map(|c| &c[..])
                .zip(tables.iter().map(|t| &t[..]))
                .collect();
            add_coded(&mut got, &coded);
            for i in 0..n {
                let want = 1.0
                    + (0..k).map(|j| cols[j][i] * beta[j]).sum::<f64>()
                    + (0..k).map(|j| tables[j][codes[j][i] as usize]).sum::<f64>();
                assert!(
                    (got[i] - want).abs() < 1e-12,
                    "row {i}: {} vs {want}",
                    got[i]
                );
            }
            let v: Vec<f64> = (0..n).map(|i| 1.0 / (i + 1) as f64).collect();
            let refs: Vec<&[f64]> = cols.iter().map(|c| &c[..]).collect();
            let mut acc = vec![2.0; k];
            dots(&refs, &v, &mut acc);
            for j in 0..k {
                assert_eq!(acc[j], 2.0 + dot(&cols[j], &v), "column {j}");
            }
        }
    }
}
