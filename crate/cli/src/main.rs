//! The `rustystats` command-line tool: `rustystats fit ...` (see DESIGN.md for the contract).
//!
//! Exit codes: 0 success, 2 bad input (the message says what and where), 1 a fit that failed.

use std::io::Write;
use std::process::ExitCode;

use lexopt::prelude::*;
use rustystats::family::Family;
use rustystats::frame::{glm, read_data, FrameOptions, PredictType, Predictor};
use rustystats::inference::CovType;
use rustystats::link::Link;
use rustystats::model::GlmOptions;
use rustystats::report::{summary_json, summary_text};
use rustystats::Error;

mod penalized;

pub(crate) const USAGE: &str = "\
rustystats: generalized linear models

USAGE:
  rustystats fit --data FILE.csv|FILE.parquet --formula \"y ~ x + C(g)\" [options]

OPTIONS (fit):
  --family NAME         gaussian (default), poisson, binomial, gamma, inverse_gaussian,
                        tweedie, negative_binomial, quasipoisson, quasibinomial
  --link NAME           identity, log, logit, probit, cloglog, inverse, 1/mu^2, sqrt, power(k)
  --var-power P         Tweedie variance power (p = 0 or p >= 1)
  --theta VALUE|ml      negative binomial theta, fixed or estimated by maximum likelihood
                        (default: ml)
  --weights COL         prior weights (binomial: the number of trials)
  --exposure COL        adds log(COL) to the offset
  --offset COL          adds COL to the offset
  --cov TYPE            nonrobust (default), HC0, HC1, HC2, HC3, cluster
  --cluster COL         cluster labels for --cov cluster
  --max-iter N          IRLS iteration limit (default 25)
  --tol T               convergence tolerance on the relative deviance change (default 1e-8)
  --conf-level L        confidence level of the intervals (default 0.95)
  --format text|json|html
                        output format (default text); html is a standalone report with the
                        summary and diagnostic charts (use it with --output report.html)
  --output FILE         write the output to FILE instead of standard output
  --save-model FILE     save the fitted model as JSON (for rustystats predict)
  --alpha A             fit the elastic net at strength A (glmnet's lambda): no standard
                        errors, tests or intervals; see also --l1-ratio, --standardize,
                        --penalty-factor
  --l1-ratio R          the elastic net's mix (glmnet's alpha): 1 lasso (default), 0 ridge
  --standardize true|false
                        penalize the standardized coefficients (default true, as glmnet)
  --penalty-factor \"TERM=F\"
                        the penalty factor of a formula term as written (C(Area),
                        bs(DrivAge, df=5), VehPower); 0 leaves it unpenalized; repeatable

  rustystats cv --data FILE --formula \"y ~ ...\" --family NAME [fit's data options]
      [--l1-ratio R] (--folds K [--seed S] | --fold-column COL) [--n-alphas N]
      [--alpha-min-ratio r] [--alphas a1,a2,...] [--standardize true|false]
      [--penalty-factor \"TERM=F\"]... [--quiet] [--format text|json|html] [--output FILE]
    a regularization path (default 100 alphas from alpha_max, as glmnet) cross-validated
    as cv.glmnet: the held-out deviance at each alpha, alpha_min and alpha_1se; each fold's
    levels, knots and scales are learned on its training rows; a progress line goes to
    stderr unless --quiet

  rustystats predict --model FILE.json --data FILE [--type response|link] [--output FILE]
    writes one prediction per row of the data as CSV (column `prediction`)
";

pub(crate) struct Failure {
    code: u8,
    message: String,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure {
            code: if e.is_bad_input() { 2 } else { 1 },
            message: e.to_string(),
        }
    }
}

pub(crate) fn usage_error(message: impl Into<String>) -> Failure {
    Failure {
        code: 2,
        message: format!("{}\n\n{USAGE}", message.into()),
    }
}

impl From<lexopt::Error> for Failure {
    fn from(e: lexopt::Error) -> Self {
        usage_error(e.to_string())
    }
}

#[derive(Default)]
pub(crate) struct FitArgs {
    pub(crate) data: Option<String>,
    formula: Option<String>,
    family: Option<String>,
    link: Option<String>,
    var_power: Option<f64>,
    theta: Option<String>,
    frame: FrameOptions,
    pub(crate) cov: Option<String>,
    pub(crate) cluster: Option<String>,
    max_iter: Option<usize>,
    tol: Option<f64>,
    conf_level: Option<f64>,
    format: Option<String>,
    output: Option<String>,
    pub(crate) save_model: Option<String>,
    pub(crate) penalty: penalized::PenaltyArgs,
}

pub(crate) fn number<T: std::str::FromStr>(
    p: &mut lexopt::Parser,
    flag: &str,
) -> Result<T, Failure> {
    let v: String = p.value()?.string()?;
    v.parse()
        .map_err(|_| usage_error(format!("{flag} needs a number, got `{v}`")))
}

pub(crate) fn parse_fit_args(p: &mut lexopt::Parser) -> Result<FitArgs, Failure> {
    let mut a = FitArgs::default();
    while let Some(arg) = p.next()? {
        match arg {
            Long("data") => a.data = Some(p.value()?.string()?),
            Long("formula") => a.formula = Some(p.value()?.string()?),
            Long("family") => a.family = Some(p.value()?.string()?),
            Long("link") => a.link = Some(p.value()?.string()?),
            Long("var-power") => a.var_power = Some(number(p, "--var-power")?),
            Long("theta") => a.theta = Some(p.value()?.string()?),
            Long("weights") => a.frame.weights = Some(p.value()?.string()?),
            Long("exposure") => a.frame.exposure = Some(p.value()?.string()?),
            Long("offset") => a.frame.offset = Some(p.value()?.string()?),
            Long("cov") => a.cov = Some(p.value()?.string()?),
            Long("cluster") => a.cluster = Some(p.value()?.string()?),
            Long("max-iter") => a.max_iter = Some(number(p, "--max-iter")?),
            Long("tol") => a.tol = Some(number(p, "--tol")?),
            Long("conf-level") => a.conf_level = Some(number(p, "--conf-level")?),
            Long("format") => a.format = Some(p.value()?.string()?),
            Long("output") => a.output = Some(p.value()?.string()?),
            Long("alpha") => a.penalty.alpha = Some(number(p, "--alpha")?),
            Long("save-model") => a.save_model = Some(p.value()?.string()?),
            Short('h') | Long("help") => {
                print!("{USAGE}");
                std::process::exit(0);
            }
            Long(flag) => {
                let flag = flag.to_string();
                if !a.penalty.parse(&flag, p)? {
                    return Err(usage_error(format!("invalid option '--{flag}'")));
                }
            }
            _ => return Err(arg.unexpected().into()),
        }
    }
    Ok(a)
}

/// Checks and reads the options every fit shares (data, formula, format, family, link,
/// solver options).
pub(crate) fn common_args(a: FitArgs) -> Result<penalized::Common, Failure> {
    let data = a
        .data
        .ok_or_else(|| usage_error("--data FILE is required"))?;
    let formula = a
        .formula
        .ok_or_else(|| usage_error("--formula \"y ~ ...\" is required"))?;
    let format = a.format.unwrap_or_else(|| "text".into());
    if !matches!(format.as_str(), "text" | "json" | "html") {
        return Err(usage_error(format!(
            "unknown --format `{format}`; use text, json or html"
        )));
    }
    let family_name = a.family.unwrap_or_else(|| "gaussian".into());
    let (theta, estimate_theta) = match a.theta.as_deref() {
        None | Some("ml") | Some("ML") => (None, true),
        Some(v) => match v.parse::<f64>() {
            Ok(t) => (Some(t), false),
            Err(_) => {
                return Err(usage_error(format!(
                    "--theta needs a positive number or `ml`, got `{v}`"
                )))
            }
        },
    };
    let family = Family::parse(&family_name, a.var_power, theta)?;
    if a.var_power.is_some() && !matches!(family, Family::Tweedie { .. }) {
        return Err(usage_error(
            "--var-power is only used with --family tweedie",
        ));
    }
    if a.theta.is_some() && !matches!(family, Family::NegativeBinomial { .. }) {
        return Err(usage_error(
            "--theta is only used with --family negative_binomial",
        ));
    }
    let link = a.link.as_deref().map(Link::parse).transpose()?;
    let mut opts = GlmOptions::default();
    opts.estimate_theta = estimate_theta && matches!(family, Family::NegativeBinomial { .. });
    if let Some(n) = a.max_iter {
        opts.irls.max_iter = n;
    }
    if let Some(t) = a.tol {
        opts.irls.tol = t;
    }
    if let Some(l) = a.conf_level {
        opts.conf_level = l;
    }
    Ok(penalized::Common {
        data,
        formula,
        family,
        link,
        opts,
        frame: a.frame,
        format,
        output: a.output,
    })
}

fn run_fit(mut a: FitArgs) -> Result<(), Failure> {
    let penalty = std::mem::take(&mut a.penalty);
    let (cov, cluster, save_model) = (a.cov.take(), a.cluster.take(), a.save_model.take());
    let c = common_args(a)?;
    if penalty.alpha.is_some() {
        if cov.is_some() || cluster.is_some() {
            return Err(usage_error(
                "--cov and --cluster do not apply to a penalized fit (--alpha): it has no \
                 standard errors",
            ));
        }
        return penalized::run_penalized_fit(c, &penalty, save_model);
    }
    penalty.only_with_alpha()?;
    let penalized::Common {
        data,
        formula,
        family,
        link,
        mut opts,
        frame,
        format,
        output,
    } = c;
    if let Some(c) = &cov {
        opts.cov = CovType::parse(c)?;
    }
    if cluster.is_some() && opts.cov != CovType::Cluster {
        return Err(usage_error("--cluster is only used with --cov cluster"));
    }
    if opts.cov == CovType::Cluster && cluster.is_none() {
        return Err(usage_error("--cov cluster needs --cluster COL"));
    }
    let df = read_data(&data)?;
    let mut builder = glm(&formula, &df)
        .family(family)
        .options(opts)
        .frame_options(frame)
        .cluster_column(cluster);
    if let Some(l) = link {
        builder = builder.link(l);
    }
    let prepared = builder.prepare()?;
    // Only the HTML report reads the data again: otherwise free it before the fit.
    let df = (format == "html").then_some(df);
    let model = prepared.fit()?;
    let fitted = &model.fit;
    if let Some(path) = &save_model {
        model.save(path)?;
    }
    let ctx = model.context();
    if model.rows_dropped > 0 {
        eprintln!(
            "note: {} rows with missing values in the model's columns were dropped",
            model.rows_dropped
        );
    }
    for w in &fitted.warnings {
        eprintln!("warning: {w}");
    }
    let text = match format.as_str() {
        "json" => {
            let mut s = serde_json::to_string_pretty(&summary_json(fitted, &ctx))
                .expect("JSON values serialize");
            s.push('\n');
            s
        }
        "html" => model.report_html(df.as_ref().expect("the data is kept for the report"))?,
        _ => summary_text(fitted, &ctx),
    };
    let written = write_output(output, text);
    // The process ends next: its memory goes back to the system at exit, in one piece,
    // faster than freeing the model's large vectors one by one (a few ms at 250k rows).
    std::mem::forget(model);
    written
}

fn run_predict(p: &mut lexopt::Parser) -> Result<(), Failure> {
    let (mut model, mut data, mut kind, mut output) = (None, None, None, None);
    while let Some(arg) = p.next()? {
        match arg {
            Long("model") => model = Some(p.value()?.string()?),
            Long("data") => data = Some(p.value()?.string()?),
            Long("type") => kind = Some(p.value()?.string()?),
            Long("output") => output = Some(p.value()?.string()?),
            Short('h') | Long("help") => {
                print!("{USAGE}");
                return Ok(());
            }
            _ => return Err(arg.unexpected().into()),
        }
    }
    let model = model.ok_or_else(|| usage_error("--model FILE.json is required"))?;
    let data = data.ok_or_else(|| usage_error("--data FILE is required"))?;
    let kind = PredictType::parse(kind.as_deref().unwrap_or("response"))?;
    let model_path = std::path::Path::new(&model);
    if !model_path.is_file() {
        let what = if model_path.exists() {
            "this is not a file"
        } else {
            "no such file"
        };
        return Err(Error::Io {
            message: format!("{what}; give the JSON file written by `rustystats fit --save-model`"),
            path: model,
        }
        .into());
    }
    let predictor = Predictor::load(&model)?;
    let df = read_data(&data)?;
    let pred = predictor.predict(&df, kind)?;
    for w in &pred.warnings {
        eprintln!("warning: {w}");
    }
    let mut text = String::from("prediction\n");
    for v in pred.iter() {
        text.push_str(&format!("{v}\n"));
    }
    write_output(output, text)
}

pub(crate) fn write_output(path: Option<String>, text: String) -> Result<(), Failure> {
    match path {
        Some(path) => std::fs::write(&path, text).map_err(|e| {
            Failure::from(Error::Io {
                path,
                message: e.to_string(),
            })
        }),
        None => {
            let _ = std::io::stdout().write_all(text.as_bytes());
            Ok(())
        }
    }
}

fn run() -> Result<(), Failure> {
    let mut p = lexopt::Parser::from_env();
    match p.next()? {
        Some(Value(cmd)) if cmd == "fit" => run_fit(parse_fit_args(&mut p)?),
        Some(Value(cmd)) if cmd == "predict" => run_predict(&mut p),
        Some(Value(cmd)) if cmd == "cv" => penalized::run_cv(&mut p),
        Some(Short('h')) | Some(Long("help")) => {
            print!("{USAGE}");
            Ok(())
        }
        Some(Long("version")) => {
            println!("rustystats {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        Some(other) => Err(usage_error(format!(
            "unknown command {}",
            match other {
                Value(v) => v.to_string_lossy().into_owned(),
                _ => format!("{other:?}"),
            }
        ))),
        None => Err(usage_error("no command given")),
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
