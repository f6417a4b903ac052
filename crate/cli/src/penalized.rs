//! `rustystats fit --alpha ...` (the elastic net at one strength) and `rustystats cv ...` (a
//! cross-validated regularization path).

use lexopt::prelude::*;
use rustystats::family::Family;
use rustystats::frame::{glm, read_data, FrameOptions, GlmBuilder};
use rustystats::link::Link;
use rustystats::model::GlmOptions;
use rustystats::report::{
    cv_html, cv_json, cv_text, penalized_html, penalized_json, penalized_text, PathFacts,
};

use crate::{number, usage_error, write_output, Failure};

/// The penalty options `fit` and `cv` share.
#[derive(Default)]
pub(crate) struct PenaltyArgs {
    pub alpha: Option<f64>,
    l1_ratio: Option<f64>,
    standardize: Option<bool>,
    factors: Vec<(String, f64)>,
}

impl PenaltyArgs {
    /// Reads the value of `--flag` when it is one of the penalty's options (`--alpha` is
    /// `fit`'s own); whether it was.
    pub fn parse(&mut self, flag: &str, p: &mut lexopt::Parser) -> Result<bool, Failure> {
        match flag {
            "l1-ratio" => self.l1_ratio = Some(number(p, "--l1-ratio")?),
            "standardize" => {
                let v: String = p.value()?.string()?;
                self.standardize = Some(match v.as_str() {
                    "true" | "TRUE" | "yes" => true,
                    "false" | "FALSE" | "no" => false,
                    _ => {
                        return Err(usage_error(format!(
                            "--standardize needs true or false, got `{v}`"
                        )))
                    }
                });
            }
            "penalty-factor" => {
                let v: String = p.value()?.string()?;
                let parsed = v
                    .rsplit_once('=')
                    .and_then(|(t, f)| Some((t.trim().to_string(), f.trim().parse::<f64>().ok()?)));
                match parsed {
                    Some(pair) if !pair.0.is_empty() => self.factors.push(pair),
                    _ => {
                        return Err(usage_error(format!(
                            "--penalty-factor needs TERM=FACTOR (a formula term as written and \
                             a number >= 0, e.g. \"C(Area)=0\"), got `{v}`"
                        )))
                    }
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// An error when a penalty option is given to an unpenalized fit.
    pub fn only_with_alpha(&self) -> Result<(), Failure> {
        if self.l1_ratio.is_some() || self.standardize.is_some() || !self.factors.is_empty() {
            return Err(usage_error(
                "--l1-ratio, --standardize and --penalty-factor need --alpha A (a penalized \
                 fit), or use `rustystats cv` to choose alpha by cross-validation",
            ));
        }
        Ok(())
    }

    fn l1_ratio(&self) -> f64 {
        self.l1_ratio.unwrap_or(1.0)
    }
}

/// What `fit` and `cv` read before fitting.
pub(crate) struct Common {
    pub data: String,
    pub formula: String,
    pub family: Family,
    pub link: Option<Link>,
    pub opts: GlmOptions,
    pub frame: FrameOptions,
    pub format: String,
    pub output: Option<String>,
}

impl Common {
    fn builder<'a>(&self, df: &'a rustystats::prelude::DataFrame) -> GlmBuilder<'a> {
        let mut b = glm(&self.formula, df)
            .family(self.family)
            .options(self.opts.clone())
            .frame_options(self.frame.clone());
        if let Some(l) = self.link {
            b = b.link(l);
        }
        b
    }
}

/// A standalone HTML page around a fragment.
fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body>\n{body}\n</body></html>\n"
    )
}

/// Pretty JSON with a final newline.
fn json_text(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("JSON values serialize");
    s.push('\n');
    s
}

/// `rustystats fit ... --alpha A`.
pub(crate) fn run_penalized_fit(
    c: Common,
    pen: &PenaltyArgs,
    save_model: Option<String>,
) -> Result<(), Failure> {
    let df = read_data(&c.data)?;
    let mut b = c
        .builder(&df)
        .penalty(pen.alpha.unwrap_or(0.0), pen.l1_ratio());
    if let Some(s) = pen.standardize {
        b = b.standardize(s);
    }
    for (t, f) in &pen.factors {
        b = b.penalty_factor(t, *f);
    }
    let model = b.fit()?;
    if let Some(path) = &save_model {
        model.save(path)?;
    }
    let ctx = model.context();
    for w in &model.fit.warnings {
        eprintln!("warning: {w}");
    }
    let text = match c.format.as_str() {
        "json" => json_text(&penalized_json(&model.fit, &ctx)),
        "html" => page(
            "rustystats: penalized fit",
            &penalized_html(&model.fit, &ctx),
        ),
        _ => penalized_text(&model.fit, &ctx),
    };
    write_output(c.output, text)
}

/// `rustystats cv ...`.
pub(crate) fn run_cv(p: &mut lexopt::Parser) -> Result<(), Failure> {
    let mut fit_args: Vec<std::ffi::OsString> = vec!["fit".into()];
    let mut pen = PenaltyArgs::default();
    let (mut folds, mut seed, mut fold_column) = (None::<usize>, None::<u64>, None::<String>);
    let (mut n_alphas, mut min_ratio, mut alphas) = (None::<usize>, None::<f64>, None::<Vec<f64>>);
    let mut quiet = false;
    while let Some(arg) = p.next()? {
        match arg {
            Long("folds") => folds = Some(number(p, "--folds")?),
            Long("seed") => seed = Some(number(p, "--seed")?),
            Long("fold-column") => fold_column = Some(p.value()?.string()?),
            Long("n-alphas") => n_alphas = Some(number(p, "--n-alphas")?),
            Long("alpha-min-ratio") => min_ratio = Some(number(p, "--alpha-min-ratio")?),
            Long("alphas") => {
                let v: String = p.value()?.string()?;
                let list: Result<Vec<f64>, _> = v.split(',').map(|a| a.trim().parse()).collect();
                alphas = Some(list.map_err(|_| {
                    usage_error(format!(
                        "--alphas needs numbers separated by commas, got `{v}`"
                    ))
                })?);
            }
            Long("quiet") => quiet = true,
            Long("alpha") => {
                return Err(usage_error(
                    "cv chooses alpha itself: give the sequence with --alphas a1,a2,... or \
                     --n-alphas, or fit one alpha with `rustystats fit --alpha A`",
                ))
            }
            Short('h') | Long("help") => {
                print!("{}", crate::USAGE);
                return Ok(());
            }
            // Everything else is fit's data and model options, read by fit's parser.
            Long(flag) => {
                let flag = flag.to_string();
                if !pen.parse(&flag, p)? {
                    fit_args.push(format!("--{flag}").into());
                    if let Ok(v) = p.value() {
                        fit_args.push(v);
                    }
                }
            }
            other => return Err(other.unexpected().into()),
        }
    }
    let mut fp = lexopt::Parser::from_args(fit_args.into_iter().skip(1));
    let a = crate::parse_fit_args(&mut fp)?;
    if a.cov.is_some() || a.cluster.is_some() || a.save_model.is_some() {
        return Err(usage_error(
            "--cov, --cluster and --save-model do not apply to cv: a penalized fit has no \
             standard errors, and cv saves no model",
        ));
    }
    if a.penalty.alpha.is_some() {
        return Err(usage_error("cv chooses alpha itself: drop --alpha"));
    }
    let c = crate::common_args(a)?;
    let folds_choice = match (folds, fold_column) {
        (Some(_), Some(_)) => {
            return Err(usage_error(
                "give either --folds K or --fold-column COL, not both",
            ))
        }
        (None, None) => {
            return Err(usage_error(
                "cv needs --folds K (random folds) or --fold-column COL",
            ))
        }
        (Some(k), None) => Ok(k),
        (None, Some(col)) => {
            if seed.is_some() {
                return Err(usage_error(
                    "--seed draws random folds: it does not go with --fold-column",
                ));
            }
            Err(col)
        }
    };
    let df = read_data(&c.data)?;
    let mut path = c.builder(&df).path(pen.l1_ratio()).progress(!quiet);
    if let Some(s) = pen.standardize {
        path = path.standardize(s);
    }
    for (t, f) in &pen.factors {
        path = path.penalty_factor(t, *f);
    }
    match (alphas, n_alphas, min_ratio) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            return Err(usage_error(
                "--alphas gives the sequence itself: it does not go with --n-alphas or \
                 --alpha-min-ratio",
            ))
        }
        (Some(list), None, None) => path = path.alphas(list),
        (None, n, r) => {
            if let Some(n) = n {
                path = path.n_alphas(n);
            }
            if let Some(r) = r {
                path = path.alpha_min_ratio(r);
            }
        }
    }
    let cv = match folds_choice {
        Ok(k) => path.cv(k).seed(seed.unwrap_or(0)),
        Err(col) => path.cv(2).fold_column(&col),
    };
    let model = cv.fit()?;
    let (ctx, facts) = (model.context(), PathFacts::from(&model.cv.path));
    for w in &model.cv.warnings {
        eprintln!("warning: {w}");
    }
    let text = match c.format.as_str() {
        "json" => json_text(&cv_json(&model.cv, &facts, &ctx)),
        "html" => page(
            "rustystats: cross-validated path",
            &cv_html(&model.cv, &facts, &ctx),
        ),
        _ => cv_text(&model.cv, &facts, &ctx),
    };
    write_output(c.output, text)
}
