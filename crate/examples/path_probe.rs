use rustystats::frame::{model_frame, read_data, FrameOptions};
use rustystats::model::{fit_path, Alphas, ElasticNet, GlmData, GlmOptions, PathOptions};
use rustystats::prelude::Family;
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let df = read_data(&a[1]).unwrap();
    let t = std::time::Instant::now();
    let mf = model_frame(&a[2], &df, &FrameOptions::default()).unwrap();
    let data = GlmData {
        x: &mf.design,
        y: &mf.y,
        weights: None,
        offset: None,
    };
    let popts = PathOptions {
        net: ElasticNet::new(0.0, 1.0),
        alphas: Alphas::default(),
    };
    let t1 = std::time::Instant::now();
    let p = fit_path(&data, Family::Poisson, None, &popts, &GlmOptions::default()).unwrap();
    let it: usize = p.iterations.iter().sum();
    eprintln!(
        "frame {:?} path {:?} iterations {} nonzero last {} ",
        t1 - t,
        t1.elapsed(),
        it,
        p.nonzero[99]
    );
    eprintln!("iters {:?}", p.iterations);
}
