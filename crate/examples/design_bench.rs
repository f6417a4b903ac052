//! Times `BlockDesign` against `DenseDesign` on a typical insurance-like shape: an intercept,
//! 10 numeric columns and 10 categoricals of 10 levels (treatment coding), 101 columns.
//!
//! `cargo run --release --example design_bench [n_rows]`; with `[n_rows] block` it times only
//! the block sandwich (min, median and CPU time of 41 runs), for profiling.

use std::time::Instant;

use rustystats::design::{Block, BlockDesign, CategoricalBlock, DenseColumns, DenseDesign, Design};

/// SplitMix64, so the data are the same on every run.
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
}

/// Median wall time of `reps` runs, in milliseconds.
fn median_ms(reps: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..reps)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[reps / 2]
}

/// CPU time of this process so far (user + system), from `/proc/self/stat`; `NaN` elsewhere.
/// On a shared machine it is steadier than the wall time.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return f64::NAN;
    };
    // Fields after the command name (which ends with ')'): utime and stime are 12th and 13th.
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |k: usize| {
        fields
            .get(k)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn max_rel_diff(a: &[f64], b: &[f64]) -> f64 {
    let scale = b.iter().fold(1e-300_f64, |m, v| m.max(v.abs()));
    a.iter()
        .zip(b)
        .fold(0.0_f64, |m, (x, y)| m.max((x - y).abs() / scale))
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map_or(250_000, |s| s.parse().expect("n_rows is a number"));
    // `design_bench N block`: only the block design, many times (for a profiler).
    let block_only = std::env::args().nth(2).is_some_and(|s| s == "block");
    let (n_num, n_cat, levels) = (10, 10, 10);
    let mut rng = Rng(2024);

    let numeric: Vec<Vec<f64>> = (0..n_num)
        .map(|_| (0..n).map(|_| rng.normal()).collect())
        .collect();
    let codes: Vec<Vec<u32>> = (0..n_cat)
        .map(|_| {
            (0..n)
                .map(|_| (rng.next_u64() % levels as u64) as u32)
                .collect()
        })
        .collect();
    let num_names: Vec<String> = (0..n_num).map(|j| format!("x{j}")).collect();
    let level_names =
        |g: usize| -> Vec<String> { (1..levels).map(|l| format!("g{g}[{l}]")).collect() };

    // Block design: intercept, numeric columns, categoricals as codes.
    let mut blocks: Vec<Block> = vec![
        DenseColumns::intercept(n).into(),
        DenseColumns::new(num_names.clone(), numeric.clone())
            .unwrap()
            .into(),
    ];
    for (g, c) in codes.iter().enumerate() {
        blocks.push(
            CategoricalBlock::new(c.clone(), levels, true, level_names(g))
                .unwrap()
                .into(),
        );
    }
    let block = BlockDesign::new(blocks).unwrap();
    if block_only {
        let w: Vec<f64> = (0..n).map(|_| 0.5 + rng.uniform()).collect();
        let reps = 41;
        let cpu = cpu_seconds();
        let mut times: Vec<f64> = (0..reps)
            .map(|_| median_ms(1, || drop(block.sandwich(&w))))
            .collect();
        let cpu = (cpu_seconds() - cpu) * 1e3 / reps as f64;
        times.sort_by(f64::total_cmp);
        println!(
            "block sandwich: min {:.2} ms, median {:.2} ms wall, mean {cpu:.2} ms CPU",
            times[0],
            times[reps / 2]
        );
        return;
    }

    // The same matrix, dense with one-hot columns.
    let mut names = vec!["Intercept".to_string()];
    names.extend(num_names);
    let mut cols = vec![vec![1.0; n]];
    cols.extend(numeric);
    for (g, c) in codes.iter().enumerate() {
        names.extend(level_names(g));
        for l in 1..levels as u32 {
            cols.push(c.iter().map(|&x| f64::from(x == l)).collect());
        }
    }
    let dense = DenseDesign::from_columns(names, cols).unwrap();
    let p = block.ncols();
    assert_eq!(p, dense.ncols());

    let w: Vec<f64> = (0..n).map(|_| 0.5 + rng.uniform()).collect();
    let v: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
    let beta: Vec<f64> = (0..p).map(|_| rng.normal()).collect();

    println!(
        "n = {n}, p = {p}, {} rayon threads; median of 5 runs, ms",
        rayon::current_num_threads()
    );
    println!(
        "{:<18} {:>10} {:>10} {:>8}  max rel diff",
        "operation", "dense", "block", "speedup"
    );
    let report = |what: &str, d: f64, b: f64, diff: f64| {
        println!("{what:<18} {d:>10.2} {b:>10.2} {:>7.1}x  {diff:.1e}", d / b);
    };

    let reps = 5;
    let (mut gd, mut gb) = (None, None);
    let td = median_ms(reps, || gd = Some(dense.sandwich(&w)));
    let tb = median_ms(reps, || gb = Some(block.sandwich(&w)));
    let flat = |m: &faer::Mat<f64>| -> Vec<f64> {
        (0..p)
            .flat_map(|j| (0..p).map(move |i| (i, j)))
            .map(|ij| m[ij])
            .collect()
    };
    let diff = max_rel_diff(&flat(&gb.unwrap()), &flat(&gd.unwrap()));
    report("sandwich", td, tb, diff);

    let (mut od, mut ob) = (vec![0.0; n], vec![0.0; n]);
    let td = median_ms(reps, || dense.matvec(&beta, &mut od));
    let tb = median_ms(reps, || block.matvec(&beta, &mut ob));
    report("matvec", td, tb, max_rel_diff(&ob, &od));

    let (mut od, mut ob) = (vec![0.0; p], vec![0.0; p]);
    let td = median_ms(reps, || dense.transpose_matvec(&v, &mut od));
    let tb = median_ms(reps, || block.transpose_matvec(&v, &mut ob));
    report("transpose_matvec", td, tb, max_rel_diff(&ob, &od));
}
