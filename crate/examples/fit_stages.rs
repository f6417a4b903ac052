//! Times the stages of a fit on a data file: read, model frame, fit, summary. For profiling.
//!
//! `cargo run --release --example fit_stages -- FILE "y ~ x + C(g)" [family]`

use std::time::Instant;

use rustystats::family::Family;
use rustystats::frame::{model_frame, read_data, FrameOptions};
use rustystats::model::{fit, GlmData, GlmOptions};

/// Peak and current resident memory of this process in MB, from `/proc/self/status`.
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    format!(
        "(rss {:.0} MB, peak {:.0} MB)",
        field("VmRSS:"),
        field("VmHWM:")
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (path, formula) = match (args.first(), args.get(1)) {
        (Some(p), Some(f)) => (p, f),
        _ => return Err("usage: fit_stages FILE FORMULA [family]".into()),
    };
    let family = Family::parse(args.get(2).map_or("poisson", String::as_str), None, None)?;
    let t = Instant::now();
    let df = read_data(path)?;
    let read = t.elapsed().as_secs_f64();
    println!("read {}", memory());
    let t = Instant::now();
    let mf = model_frame(formula, &df, &FrameOptions::default())?;
    let frame = t.elapsed().as_secs_f64();
    // `FRAME_REPEAT=k` builds the model frame k more times (for a profiler), untimed.
    let repeat: usize = std::env::var("FRAME_REPEAT").map_or(0, |v| v.parse().unwrap_or(0));
    for _ in 0..repeat {
        model_frame(formula, &df, &FrameOptions::default())?;
    }
    println!("frame {}", memory());
    let t = Instant::now();
    let data = GlmData {
        x: &mf.design,
        y: &mf.y,
        weights: mf.weights.as_deref(),
        offset: mf.offset.as_deref(),
    };
    let f = fit(&data, family, None, &GlmOptions::default())?;
    let fitted = t.elapsed().as_secs_f64();
    // `FIT_REPEAT=k` fits k more times (for a profiler), untimed.
    let repeat: usize = std::env::var("FIT_REPEAT").map_or(0, |v| v.parse().unwrap_or(0));
    for _ in 0..repeat {
        fit(&data, family, None, &GlmOptions::default())?;
    }
    println!("fit {}", memory());
    println!(
        "read {read:.3} s  frame {frame:.3} s  fit {fitted:.3} s ({} iterations)",
        f.iterations
    );
    Ok(())
}
