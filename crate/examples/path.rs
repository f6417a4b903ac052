//! Times one regularization path on a data file (the path-alone part of
//! `tests/bench/bench_penalized.py`).
//!
//! `cargo run --release --example path -- DATA FORMULA FAMILY L1_RATIO STANDARDIZE`
//! prints `path SECONDS ALPHAS ITERATIONS`; the seconds cover the model frame (a small part)
//! and the path, not reading the file.

use rustystats::frame::{glm, read_data};
use rustystats::prelude::Family;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a: Vec<String> = std::env::args().collect();
    if a.len() != 6 {
        return Err("usage: path DATA FORMULA FAMILY L1_RATIO STANDARDIZE".into());
    }
    let df = read_data(&a[1])?;
    let family = Family::parse(&a[3], None, None)?;
    let builder = glm(&a[2], &df)
        .family(family)
        .path(a[4].parse()?)
        .standardize(a[5].parse()?);
    let t = std::time::Instant::now();
    let model = builder.fit()?;
    let seconds = t.elapsed().as_secs_f64();
    let iterations: usize = model.path.iterations.iter().sum();
    println!("path {seconds:.3} {} {iterations}", model.path.alphas.len());
    if std::env::var_os("RUSTYSTATS_PATH_ITERS").is_some() {
        println!("{:?}", model.path.iterations);
    }
    Ok(())
}
