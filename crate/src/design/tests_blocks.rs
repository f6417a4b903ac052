//! `BlockDesign` against `DenseDesign` built from the same data expanded to one-hot columns,
//! and bitwise agreement across thread counts.

use super::*;

/// SplitMix64: a small seeded generator, enough for test data.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let (u, v) = (1.0 - self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
    /// A code in `0..n_levels`, never `empty` (a level with no rows).
    fn code(&mut self, n_levels: usize, empty: Option<u32>) -> u32 {
        loop {
            let c = (self.next_u64() % n_levels as u64) as u32;
            if Some(c) != empty {
                return c;
            }
        }
    }
}

fn names(prefix: &str, k: usize) -> Vec<String> {
    (0..k).map(|j| format!("{prefix}{j}")).collect()
}

/// Columns of the one-hot expansion of a coded factor (times `values`, if any).
fn one_hot(
    codes: &[u32],
    n_levels: usize,
    drop_first: bool,
    values: Option<&[f64]>,
) -> Vec<Vec<f64>> {
    (usize::from(drop_first)..n_levels)
        .map(|l| {
            codes
                .iter()
                .enumerate()
                .map(|(i, &c)| {
                    if c as usize == l {
                        values.map_or(1.0, |v| v[i])
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect()
}

/// A block design with every kind of block (categorical-by-numeric ones only `with_values`),
/// and the same matrix as a dense design.
fn designs(n: usize, seed: u64, with_values: bool) -> (BlockDesign, DenseDesign) {
    let mut rng = Rng(seed);
    let mut blocks: Vec<Block> = Vec::new();
    let mut cols: Vec<Vec<f64>> = Vec::new();
    let push_dense = |blocks: &mut Vec<Block>, cols: &mut Vec<Vec<f64>>, c: Vec<Vec<f64>>| {
        let b = DenseColumns::new(names("x", c.len()), c.clone()).unwrap();
        blocks.push(b.into());
        cols.extend(c);
    };
    let normal_cols = |rng: &mut Rng, k: usize| -> Vec<Vec<f64>> {
        (0..k)
            .map(|_| (0..n).map(|_| rng.normal()).collect())
            .collect()
    };

    blocks.push(DenseColumns::intercept(n).into());
    cols.push(vec![1.0; n]);
    let c = normal_cols(&mut rng, 3);
    push_dense(&mut blocks, &mut cols, c);

    // Categoricals: treatment and full coding; level 2 of the first has no rows.
    let g1: Vec<u32> = (0..n).map(|_| rng.code(5, Some(2))).collect();
    let g2: Vec<u32> = (0..n).map(|_| rng.code(3, None)).collect();
    let g3: Vec<u32> = (0..n).map(|_| rng.code(7, None)).collect();
    for (g, levels, drop) in [(&g1, 5, true), (&g2, 3, false), (&g3, 7, true)] {
        let k = levels - usize::from(drop);
        let b = CategoricalBlock::new(g.clone(), levels, drop, names("g", k)).unwrap();
        blocks.push(b.into());
        cols.extend(one_hot(g, levels, drop, None));
    }

    let c = normal_cols(&mut rng, 2);
    push_dense(&mut blocks, &mut cols, c);

    // Categorical-by-numeric, both codings.
    for (g, levels, drop) in [(&g2, 3, false), (&g1, 5, true)] {
        if !with_values {
            break;
        }
        let v: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let k = levels - usize::from(drop);
        let b = CatNumBlock::new(g.clone(), levels, drop, v.clone(), names("xg", k)).unwrap();
        blocks.push(b.into());
        cols.extend(one_hot(g, levels, drop, Some(&v)));
    }

    // Categorical interactions: R's product coding, and an arbitrary subset of cells.
    let cell_sets = [
        (&g1, 5, &g3, 7, CatCatBlock::product_cells(5, true, 7, true)),
        (&g2, 3, &g1, 5, vec![(2, 4), (0, 0), (1, 2), (0, 3), (2, 1)]),
    ];
    for (a, na, b, nb, cells) in cell_sets {
        let block =
            CatCatBlock::new(a, na, b, nb, cells.clone(), names("gg", cells.len())).unwrap();
        blocks.push(block.into());
        for &(ca, cb) in &cells {
            cols.push(
                (0..n)
                    .map(|i| f64::from(a[i] == ca && b[i] == cb))
                    .collect(),
            );
        }
    }

    let x = BlockDesign::new(blocks).unwrap();
    let d = DenseDesign::from_columns(names("d", cols.len()), cols).unwrap();
    (x, d)
}

fn assert_close(got: &[f64], want: &[f64], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    let scale = want.iter().fold(1e-300_f64, |m, v| m.max(v.abs()));
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= 1e-12 * scale,
            "{what}[{k}]: {g} vs {w} (scale {scale})"
        );
    }
}

fn flat(m: &faer::Mat<f64>) -> Vec<f64> {
    (0..m.ncols())
        .flat_map(|j| (0..m.nrows()).map(move |i| m[(i, j)]))
        .collect()
}

/// All four products of a design, flattened, for comparisons.
fn products(x: &dyn Design, beta: &[f64], v: &[f64], w: &[f64]) -> [Vec<f64>; 3] {
    let mut xb = vec![0.0; x.nrows()];
    x.matvec(beta, &mut xb);
    let mut xtv = vec![0.0; x.ncols()];
    x.transpose_matvec(v, &mut xtv);
    [xb, xtv, flat(&x.sandwich(w))]
}

#[test]
fn block_design_matches_dense_one_hot() {
    for with_values in [true, false] {
        matches_dense(with_values);
    }
}

fn matches_dense(with_values: bool) {
    let n = 2 * CHUNK_ROWS + 777;
    let (x, d) = designs(n, 7, with_values);
    assert_eq!(x.ncols(), d.ncols());
    assert_eq!(x.nrows(), n);
    let mut rng = Rng(11);
    let beta: Vec<f64> = (0..x.ncols()).map(|_| rng.normal()).collect();
    let v: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
    let w: Vec<f64> = (0..n).map(|_| rng.uniform() * 3.0).collect();
    let got = products(&x, &beta, &v, &w);
    let want = products(&d, &beta, &v, &w);
    for (k, what) in ["matvec", "transpose_matvec", "sandwich"]
        .iter()
        .enumerate()
    {
        assert_close(&got[k], &want[k], what);
    }
    let s = x.sandwich(&w);
    for i in 0..s.nrows() {
        for j in 0..i {
            assert_eq!(s[(i, j)], s[(j, i)], "sandwich is exactly symmetric");
        }
    }
    let (mut rb, mut rd) = (vec![0.0; x.ncols()], vec![0.0; x.ncols()]);
    for i in [0, 1, CHUNK_ROWS, n - 1] {
        x.row(i, &mut rb);
        d.row(i, &mut rd);
        assert_eq!(rb, rd, "row {i}");
    }
    // Which columns have no negative entry, read row by row.
    let mut want = vec![true; x.ncols()];
    for i in 0..n {
        d.row(i, &mut rd);
        for (ok, v) in want.iter_mut().zip(&rd) {
            *ok &= *v >= 0.0;
        }
    }
    assert!(want.iter().any(|&ok| ok) && want.iter().any(|&ok| !ok));
    assert_eq!(x.nonnegative_columns(), want, "block design");
    assert_eq!(d.nonnegative_columns(), want, "dense design");
}

#[test]
fn sandwich_slot_by_slot_matches_the_dense_one() {
    // The kernel for categoricals with many levels, on every kind of block.
    for with_values in [true, false] {
        let n = 2 * CHUNK_ROWS + 777;
        let (x, d) = designs(n, 5, with_values);
        let mut rng = Rng(3);
        let w: Vec<f64> = (0..n).map(|_| rng.uniform() * 3.0).collect();
        let got = super::sandwich::block_sandwich_by(&x, &w, true);
        assert_close(&flat(&got), &flat(&d.sandwich(&w)), "sandwich by slot");
        for i in 0..got.nrows() {
            for j in 0..i {
                assert_eq!(got[(i, j)], got[(j, i)], "exactly symmetric");
            }
        }
    }
}

#[test]
fn bordered_sandwich_has_the_entries_of_the_dense_one() {
    // Each coded block in turn kept as the diagonal, with both kernels of the coded tiles
    // (the slot-by-slot one from 2 * CHUNK_ROWS rows of a wide layout on).
    for with_values in [true, false] {
        let n = 2 * CHUNK_ROWS + 777;
        let (x, d) = designs(n, 8, with_values);
        let mut rng = Rng(4);
        let w: Vec<f64> = (0..n).map(|_| rng.uniform() * 3.0).collect();
        let dense = d.sandwich(&w);
        for span in x.coded_spans() {
            let width = x.blocks()[span.block].ncols();
            let block = span.col..span.col + width;
            let b = x.sandwich_bordered(&w, block.clone());
            for i in 0..x.ncols() {
                for j in 0..x.ncols() {
                    let want = dense[(i, j)];
                    let got = b.get(i, j);
                    assert!(
                        (got - want).abs() <= 1e-9 * (1.0 + want.abs()),
                        "block {block:?}, entry ({i}, {j}): {got} vs {want}"
                    );
                }
            }
        }
        let widest = x.diagonal_block().unwrap();
        let widths: Vec<usize> = x
            .coded_spans()
            .iter()
            .map(|s| x.blocks()[s.block].ncols())
            .collect();
        assert_eq!(widest.len(), *widths.iter().max().unwrap());
    }
}

#[test]
fn weighted_squares_column_by_column_match_the_rows() {
    // The block design's own sums (slot by slot for coded blocks) against the default, which
    // reads the dense design row by row.
    for with_values in [true, false] {
        let n = 3 * CHUNK_ROWS + 91;
        let (x, d) = designs(n, 11, with_values);
        let mut rng = Rng(6);
        let w: Vec<f64> = (0..n).map(|_| rng.uniform() * 2.0).collect();
        let center: Vec<f64> = (0..x.ncols()).map(|_| rng.normal() * 0.5).collect();
        let got = x.weighted_squares(&w, &center);
        assert_close(&got, &d.weighted_squares(&w, &center), "weighted squares");
    }
}

#[test]
fn sandwich_on_a_set_of_columns_is_that_part_of_the_sandwich() {
    let n = CHUNK_ROWS + 333;
    let (x, _) = designs(n, 5, true);
    let mut rng = Rng(3);
    let w: Vec<f64> = (0..n).map(|_| rng.uniform() * 2.0).collect();
    let full = x.sandwich(&w);
    let p = x.ncols();
    // A few columns (products one column at a time) and many (the full X'WX).
    for cols in [
        vec![p - 1, 0, 3],
        (0..p).rev().step_by(2).collect::<Vec<_>>(),
    ] {
        let g = x.sandwich_columns(&w, &cols);
        let want: Vec<f64> = (0..cols.len() * cols.len())
            .map(|k| full[(cols[k / cols.len()], cols[k % cols.len()])])
            .collect();
        assert_close(&flat(&g), &want, "sandwich_columns");
    }
}

#[test]
fn results_do_not_depend_on_thread_count() {
    for with_values in [true, false] {
        same_for_any_thread_count(with_values);
    }
}

fn same_for_any_thread_count(with_values: bool) {
    let n = 2 * CHUNK_ROWS + 321;
    let (x, _) = designs(n, 3, with_values);
    let mut rng = Rng(5);
    let beta: Vec<f64> = (0..x.ncols()).map(|_| rng.normal()).collect();
    let v: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
    let w: Vec<f64> = (0..n).map(|_| rng.uniform()).collect();
    let run = |k: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(k)
            .build()
            .unwrap()
            .install(|| products(&x, &beta, &v, &w))
    };
    let one = run(1);
    for k in [2, 3] {
        let many = run(k);
        for (a, b) in one.iter().zip(&many) {
            let (a, b): (Vec<u64>, Vec<u64>) = (
                a.iter().map(|v| v.to_bits()).collect(),
                b.iter().map(|v| v.to_bits()).collect(),
            );
            assert_eq!(a, b, "{k} threads");
        }
    }
}

#[test]
fn designs_without_dense_or_without_coded_blocks() {
    let n = CHUNK_ROWS + 5;
    let mut rng = Rng(9);
    let g: Vec<u32> = (0..n).map(|_| rng.code(4, None)).collect();
    let h: Vec<u32> = (0..n).map(|_| rng.code(3, None)).collect();
    let coded_only = BlockDesign::new(vec![
        CategoricalBlock::new(g.clone(), 4, false, names("g", 4))
            .unwrap()
            .into(),
        CategoricalBlock::new(h.clone(), 3, true, names("h", 2))
            .unwrap()
            .into(),
    ])
    .unwrap();
    let mut cols = one_hot(&g, 4, false, None);
    cols.extend(one_hot(&h, 3, true, None));
    let dense = DenseDesign::from_columns(names("c", 6), cols.clone()).unwrap();
    let dense_only =
        BlockDesign::new(vec![DenseColumns::new(names("c", 6), cols).unwrap().into()]).unwrap();
    let beta = [0.5, -1.0, 2.0, 0.25, 3.0, -0.5];
    let v: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
    let w: Vec<f64> = (0..n).map(|_| rng.uniform()).collect();
    let want = products(&dense, &beta, &v, &w);
    for x in [&coded_only, &dense_only] {
        let got = products(x, &beta, &v, &w);
        for k in 0..3 {
            assert_close(&got[k], &want[k], "product");
        }
    }
    let empty = BlockDesign::new(vec![]).unwrap();
    assert_eq!((empty.nrows(), empty.ncols()), (0, 0));
    assert_eq!(empty.sandwich(&[]).nrows(), 0);
}

#[test]
fn bad_blocks_are_errors() {
    let e = CategoricalBlock::new(vec![0, 3, 1], 3, true, names("g", 2)).unwrap_err();
    assert!(e.to_string().contains("row 2"), "{e}");
    assert!(e.to_string().contains("level code 3"), "{e}");
    let e = CategoricalBlock::new(vec![0, 1], 3, true, names("g", 3)).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Shape {
                expected: 2,
                found: 3,
                ..
            }
        ),
        "{e}"
    );
    let e = CatNumBlock::new(vec![0, 1], 2, false, vec![1.0], names("x", 2)).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Shape {
                expected: 2,
                found: 1,
                ..
            }
        ),
        "{e}"
    );
    let e =
        CatCatBlock::new(&[0, 1], 2, &[1, 0], 2, vec![(1, 1), (1, 1)], names("ab", 2)).unwrap_err();
    assert!(e.to_string().contains("twice"), "{e}");
    let e = CatCatBlock::new(&[0, 1], 2, &[1, 0], 2, vec![(2, 1)], names("ab", 1)).unwrap_err();
    assert!(e.to_string().contains("outside"), "{e}");
    let g = CategoricalBlock::new(vec![0, 1, 1], 2, false, names("g", 2)).unwrap();
    let e = BlockDesign::new(vec![DenseColumns::intercept(4).into(), g.into()]).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Shape {
                expected: 4,
                found: 3,
                ..
            }
        ),
        "{e}"
    );
}

use crate::error::Error;

/// A design that only has the required methods, so the trait's defaults run.
struct Plain(DenseDesign);

impl Design for Plain {
    fn nrows(&self) -> usize {
        self.0.nrows()
    }
    fn ncols(&self) -> usize {
        self.0.ncols()
    }
    fn column_names(&self) -> &[String] {
        self.0.column_names()
    }
    fn matvec(&self, beta: &[f64], out: &mut [f64]) {
        self.0.matvec(beta, out);
    }
    fn transpose_matvec(&self, v: &[f64], out: &mut [f64]) {
        self.0.transpose_matvec(v, out);
    }
    fn sandwich(&self, w: &[f64]) -> faer::Mat<f64> {
        self.0.sandwich(w)
    }
    fn row(&self, i: usize, out: &mut [f64]) {
        self.0.row(i, out);
    }
}

/// The column of ones is found in a dense block, as a categorical with one level kept, or
/// not at all; the block design, the dense one and the trait's default agree, also on which
/// columns are non-negative.
#[test]
fn constant_and_nonnegative_columns() {
    let n = 50;
    let mut rng = Rng(3);
    let x: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
    let g: Vec<u32> = (0..n).map(|_| rng.code(3, None)).collect();
    let one = |k| CategoricalBlock::new(vec![0; n], 1, false, names(k, 1)).unwrap();
    let cases: Vec<(Vec<Block>, Option<usize>)> = vec![
        (
            vec![
                DenseColumns::new(names("x", 1), vec![x.clone()])
                    .unwrap()
                    .into(),
                DenseColumns::intercept(n).into(),
            ],
            Some(1),
        ),
        (
            vec![
                DenseColumns::new(names("x", 1), vec![x.clone()])
                    .unwrap()
                    .into(),
                CategoricalBlock::new(g.clone(), 3, true, names("g", 2))
                    .unwrap()
                    .into(),
                one("u").into(),
            ],
            Some(3),
        ),
        (
            vec![
                CategoricalBlock::new(g.clone(), 3, false, names("g", 3))
                    .unwrap()
                    .into(),
                DenseColumns::new(names("x", 1), vec![x.clone()])
                    .unwrap()
                    .into(),
            ],
            None,
        ),
    ];
    for (blocks, want) in cases {
        let x = BlockDesign::new(blocks).unwrap();
        let mut cols = vec![vec![0.0; n]; x.ncols()];
        let mut r = vec![0.0; x.ncols()];
        for i in 0..n {
            x.row(i, &mut r);
            for (c, v) in cols.iter_mut().zip(&r) {
                c[i] = *v;
            }
        }
        let d = DenseDesign::from_columns(x.column_names().to_vec(), cols).unwrap();
        assert_eq!(x.constant_column(), want, "{:?}", x.column_names());
        assert_eq!(d.constant_column(), want);
        assert_eq!(x.nonnegative_columns(), d.nonnegative_columns());
        let plain = Plain(d);
        assert_eq!(plain.constant_column(), want);
        assert_eq!(plain.nonnegative_columns(), x.nonnegative_columns());
    }
}
