//! A penalized fit (the elastic net, [`PenalizedFit`]) as text, HTML and JSON.
//!
//! A penalized summary shows what can honestly be reported: the penalty, how many
//! coefficients it kept, the deviance and the share of the null deviance explained, and the
//! estimates alone. It shows no standard errors, tests or intervals ([`NO_INFERENCE`] says
//! why), and its JSON carries `null` where a number would not be honest.

use std::fmt::{self, Write};

use serde_json::{json, Value};

use super::html::{escape_html, facts_table, STYLE};
use super::{num, FitContext, Table};
use crate::family::Family;
use crate::model::{ElasticNet, PenalizedFit};

/// The line every penalized summary prints in place of standard errors and p-values.
pub const NO_INFERENCE: &str = "No standard errors, tests or intervals: a penalized estimate is \
biased toward zero by design, so its sampling distribution is not the one they assume.";

/// The note under a coefficient table whose zeros are dots.
const DOT_NOTE: &str = ". : set to exactly 0 by the penalty";

/// An estimate as glmnet prints it: `.` for an exact zero (the penalty removed the column),
/// `NA` for an aliased column, otherwise [`num`].
pub(crate) fn estimate(x: f64) -> String {
    if x == 0.0 {
        ".".into()
    } else {
        num(x)
    }
}

/// A penalty's strength, mix or path value with four significant digits (alphas span many
/// orders of magnitude, so a fixed number of decimals would print most of them as 0).
pub(crate) fn sig4(x: f64) -> String {
    if x.is_nan() {
        "NA".into()
    } else if x == 0.0 {
        "0".into()
    } else if (1e-3..1e4).contains(&x.abs()) {
        let decimals = (3 - x.abs().log10().floor() as i32).max(0) as usize;
        format!("{x:.decimals$}")
    } else {
        format!("{x:.3e}")
    }
}

/// [`sig4`] without trailing zeros, for a value stated on its own (`0.05`, `1`).
pub(crate) fn short(x: f64) -> String {
    let s = sig4(x);
    match s.contains('.') && !s.contains('e') {
        true => s.trim_end_matches('0').trim_end_matches('.').to_string(),
        false => s,
    }
}

/// A share as a percentage with two decimals (`NA` for NaN).
pub(crate) fn percent(x: f64) -> String {
    if x.is_nan() {
        "NA".into()
    } else {
        format!("{:.2}%", 100.0 * x)
    }
}

/// The kind of penalty a mix gives: lasso, ridge or elastic net.
pub(crate) fn penalty_kind(l1_ratio: f64) -> &'static str {
    if l1_ratio == 1.0 {
        "lasso"
    } else if l1_ratio == 0.0 {
        "ridge"
    } else {
        "elastic net"
    }
}

/// `l1_ratio 0.5 (elastic net), standardized` (or `not standardized`).
pub(crate) fn mix_text(net: &ElasticNet) -> String {
    format!(
        "l1_ratio {} ({}), {}",
        short(net.l1_ratio),
        penalty_kind(net.l1_ratio),
        if net.standardize {
            "standardized"
        } else {
            "not standardized"
        }
    )
}

/// A finite number as JSON, `null` otherwise.
pub(crate) fn json_num(x: f64) -> Value {
    if x.is_finite() {
        json!(x)
    } else {
        Value::Null
    }
}

/// The facts of a penalized fit, in the order both summaries show them; the formula first
/// when there is one.
fn facts(fit: &PenalizedFit, ctx: &FitContext) -> Vec<(String, String)> {
    let mut f = ctx.opening_facts(Some(&fit.family), Some(&fit.link), Some(fit.nobs));
    f.push(("Alpha".into(), short(fit.net.alpha)));
    f.push(("Mix".into(), mix_text(&fit.net)));
    f.push((
        "Nonzero".into(),
        format!(
            "{} of {} (intercept not counted)",
            fit.nonzero,
            penalizable(fit)
        ),
    ));
    f.push((
        "Converged".into(),
        format!(
            "{} in {} iterations ({})",
            if fit.converged { "yes" } else { "NO" },
            fit.iterations,
            fit.stop
        ),
    ));
    f.push(("Deviance".into(), format!("{:.6}", fit.deviance)));
    f.push(("Null deviance".into(), format!("{:.6}", fit.null_deviance)));
    f.push(("Deviance explained".into(), percent(fit.deviance_explained)));
    f
}

/// The coefficients other than the intercept (those `nonzero` counts).
fn penalizable(fit: &PenalizedFit) -> usize {
    fit.coefficients.len() - usize::from(fit.has_intercept)
}

/// The estimates as a table: name and estimate, zeros as dots.
fn coefficient_table(fit: &PenalizedFit) -> Table {
    let mut t = Table::new("Coefficients", vec!["".into(), "Estimate".into()]).text_columns(1);
    for (name, &b) in fit.names.iter().zip(&fit.coefficients) {
        t.push_row(vec![name.clone(), estimate(b)]);
    }
    t.push_note(DOT_NOTE);
    t
}

/// The summary of a penalized fit as text: the model, the penalty, how many coefficients it
/// kept, convergence, deviance and deviance explained, the estimates (zeros as dots, as
/// glmnet prints them), the line saying why there are no standard errors ([`NO_INFERENCE`]),
/// and any warnings.
///
/// ```
/// use rustystats::design::DenseDesign;
/// use rustystats::family::Family;
/// use rustystats::model::{fit_penalized, ElasticNet, GlmData, GlmOptions};
/// use rustystats::report::{penalized_text, FitContext};
///
/// let x = DenseDesign::from_columns(
///     vec!["Intercept".into(), "x".into(), "z".into()],
///     vec![vec![1.0; 6], vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0], vec![1.0, 0.0, 1.0, 0.0, 1.0, 0.0]],
/// )?;
/// let y = [1.0, 2.0, 2.0, 4.0, 7.0, 9.0];
/// let data = GlmData { x: &x, y: &y, weights: None, offset: None };
/// let fit = fit_penalized(&data, Family::Poisson, None, &ElasticNet::new(0.05, 1.0), &GlmOptions::default())?;
/// let text = penalized_text(&fit, &FitContext::default());
/// assert!(text.contains("Nonzero:            1 of 2 (intercept not counted)"));
/// assert!(text.lines().any(|l| l.starts_with("z ") && l.ends_with(" .")));
/// # Ok::<(), rustystats::Error>(())
/// ```
pub fn penalized_text(fit: &PenalizedFit, ctx: &FitContext) -> String {
    let mut s = String::from("Penalized generalized linear model\n");
    for (key, value) in facts(fit, ctx) {
        let _ = writeln!(s, "{:<20}{value}", format!("{key}:"));
    }
    let _ = writeln!(s);
    let _ = write!(s, "{}", coefficient_table(fit));
    let _ = writeln!(s, "{NO_INFERENCE}");
    if !fit.warnings.is_empty() {
        let _ = writeln!(s, "\nWarnings:");
        for w in &fit.warnings {
            let _ = writeln!(s, "  - {w}");
        }
    }
    s
}

/// The summary of a penalized fit as an HTML fragment: the facts of [`penalized_text`], the
/// estimates, the note on standard errors and the warnings (highlighted).
pub fn penalized_html(fit: &PenalizedFit, ctx: &FitContext) -> String {
    let mut s = format!(
        "<div class=\"rustystats rs-summary\">{STYLE}<div class=\"rs-title\">Penalized generalized linear model</div>\n"
    );
    s += &facts_table(&facts(fit, ctx), ctx.formula.is_some());
    if !fit.converged {
        s += "<div class=\"rs-warn\">The fit did not converge: the estimates are not reliable.</div>\n";
    }
    for w in &fit.warnings {
        s += &format!("<div class=\"rs-warn\">{}</div>\n", escape_html(w));
    }
    s += &coefficient_table(fit).inner_html(&[]);
    s += &format!(
        "<div class=\"rs-note\">{}</div>\n</div>\n",
        escape_html(NO_INFERENCE)
    );
    s
}

/// The penalized fit as one JSON object: the command-line tool's `fit --format json` contract
/// for a penalized fit.
///
/// It has every key of [`summary_json`](super::summary_json)'s object, with `null` where a
/// number would not be honest for a penalized estimate: `df_resid`, `pearson_chi2` (the fit
/// keeps no response), `scale`, `loglik`, `aic`, `bic`, `theta_se`, `cov_type`, `test` and
/// `conf_level`; `df_model` is the number of nonzero coefficients other than the intercept,
/// `rank` the number of columns that are not aliased, `theta` the negative binomial's fixed
/// theta, and `loglik_note` says why there is no likelihood. Added: `penalized: true`,
/// `alpha`, `l1_ratio`, `standardize`, `nonzero`, `deviance_explained` and `inference_note`
/// ([`NO_INFERENCE`]). Each coefficient is `{name, estimate, std_error: null, statistic:
/// null, p_value: null, ci_low: null, ci_high: null, aliased, diverging: null}` (an aliased
/// column's estimate is `null`).
pub fn penalized_json(fit: &PenalizedFit, ctx: &FitContext) -> Value {
    let coefficients: Vec<Value> = (fit.names.iter().zip(&fit.coefficients))
        .map(|(name, &b)| {
            json!({
                "name": name,
                "estimate": json_num(b),
                "std_error": null,
                "statistic": null,
                "p_value": null,
                "ci_low": null,
                "ci_high": null,
                "aliased": b.is_nan(),
                "diverging": null,
            })
        })
        .collect();
    json!({
        "family": fit.family.id(),
        "link": fit.link.to_string(),
        "var_power": match fit.family {
            Family::Tweedie { var_power } => json_num(var_power),
            _ => Value::Null,
        },
        "formula": ctx.formula,
        "response": ctx.response,
        "nobs": fit.nobs,
        "rows_dropped": ctx.rows_dropped,
        "df_model": fit.nonzero,
        "df_resid": null,
        "rank": fit.coefficients.iter().filter(|b| !b.is_nan()).count(),
        "converged": fit.converged,
        "iterations": fit.iterations,
        "stop_reason": fit.stop.to_string(),
        "deviance": json_num(fit.deviance),
        "null_deviance": json_num(fit.null_deviance),
        "pearson_chi2": null,
        "scale": null,
        "dispersion_fixed": fit.family.dispersion_is_fixed(),
        "loglik": null,
        "aic": null,
        "bic": null,
        "loglik_note": "a penalized fit: the log-likelihood, AIC and BIC of an unpenalized \
                        fit do not apply (the penalty's degrees of freedom are not the \
                        number of coefficients)",
        "theta": match fit.family {
            Family::NegativeBinomial { theta } => json_num(theta),
            _ => Value::Null,
        },
        "theta_se": null,
        "cov_type": null,
        "test": null,
        "conf_level": null,
        "warnings": fit.warnings,
        "coefficients": coefficients,
        "penalized": true,
        "alpha": json_num(fit.net.alpha),
        "l1_ratio": json_num(fit.net.l1_ratio),
        "standardize": fit.net.standardize,
        "nonzero": fit.nonzero,
        "deviance_explained": json_num(fit.deviance_explained),
        "inference_note": NO_INFERENCE,
    })
}

impl fmt::Display for PenalizedFit {
    /// The text summary ([`penalized_text`]) without a formula.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&penalized_text(self, &FitContext::default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::DenseDesign;
    use crate::model::{fit_penalized, GlmData, GlmOptions};

    /// A Poisson lasso on a tiny design: `x` is kept, `z` set to 0.
    fn lasso() -> PenalizedFit {
        let x = DenseDesign::from_columns(
            vec!["Intercept".into(), "x".into(), "z".into()],
            vec![
                vec![1.0; 6],
                vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0],
                vec![1.0, 0.0, 1.0, 0.0, 1.0, 0.0],
            ],
        )
        .unwrap();
        let y = [1.0, 2.0, 2.0, 4.0, 7.0, 9.0];
        let data = GlmData {
            x: &x,
            y: &y,
            weights: None,
            offset: None,
        };
        let net = ElasticNet::new(0.05, 1.0);
        fit_penalized(&data, Family::Poisson, None, &net, &GlmOptions::default()).unwrap()
    }

    fn ctx() -> FitContext {
        FitContext {
            formula: Some("y ~ x + z".into()),
            response: Some("y".into()),
            rows_dropped: 2,
        }
    }

    /// The keys of `summary_json`'s object for an unpenalized fit of the same data.
    fn summary_keys() -> Vec<String> {
        let x = DenseDesign::from_columns(
            vec!["Intercept".into(), "x".into()],
            vec![vec![1.0; 4], vec![0.0, 1.0, 2.0, 3.0]],
        )
        .unwrap();
        let y = [1.0, 2.0, 2.0, 5.0];
        let data = GlmData {
            x: &x,
            y: &y,
            weights: None,
            offset: None,
        };
        let fit = crate::model::fit(&data, Family::Poisson, None, &GlmOptions::default()).unwrap();
        let v = super::super::summary_json(&fit, &FitContext::default());
        v.as_object().unwrap().keys().cloned().collect()
    }

    #[test]
    fn json_has_every_summary_key_and_the_penalty() {
        let fit = lasso();
        let v = penalized_json(&fit, &ctx());
        let obj = v.as_object().unwrap();
        for key in summary_keys() {
            assert!(obj.contains_key(&key), "missing key {key}");
        }
        for key in ["df_resid", "scale", "loglik", "aic", "bic", "cov_type"] {
            assert!(v[key].is_null(), "{key} should be null");
        }
        assert_eq!(v["penalized"], json!(true));
        assert_eq!(v["alpha"], json!(0.05));
        assert_eq!(v["l1_ratio"], json!(1.0));
        assert_eq!(v["standardize"], json!(true));
        assert_eq!(v["nonzero"], json!(1));
        assert_eq!(v["df_model"], json!(1));
        assert_eq!(v["rank"], json!(3));
        assert_eq!(v["family"], json!("poisson"));
        assert_eq!(v["link"], json!("log"));
        assert_eq!(v["formula"], json!("y ~ x + z"));
        assert_eq!(v["rows_dropped"], json!(2));
        let explained = 1.0 - fit.deviance / fit.null_deviance;
        assert!((v["deviance_explained"].as_f64().unwrap() - explained).abs() < 1e-12);
    }

    #[test]
    fn json_coefficients_have_estimates_only() {
        let v = penalized_json(&lasso(), &ctx());
        let coefs = v["coefficients"].as_array().unwrap();
        assert_eq!(coefs.len(), 3);
        let keys: Vec<&str> = coefs[0]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for key in [
            "name",
            "estimate",
            "std_error",
            "statistic",
            "p_value",
            "ci_low",
            "ci_high",
        ] {
            assert!(keys.contains(&key), "missing coefficient key {key}");
        }
        assert_eq!(coefs[2]["name"], json!("z"));
        assert_eq!(coefs[2]["estimate"], json!(0.0));
        assert!(coefs[1]["estimate"].as_f64().unwrap() > 0.0);
        for c in coefs {
            for key in ["std_error", "statistic", "p_value", "ci_low", "ci_high"] {
                assert!(c[key].is_null());
            }
        }
    }

    #[test]
    fn json_aliased_estimate_is_null() {
        let mut fit = lasso();
        fit.coefficients[2] = f64::NAN;
        let v = penalized_json(&fit, &ctx());
        assert!(v["coefficients"][2]["estimate"].is_null());
        assert_eq!(v["coefficients"][2]["aliased"], json!(true));
        assert_eq!(v["rank"], json!(2));
    }

    #[test]
    fn text_has_the_facts_the_dots_and_the_note() {
        let mut fit = lasso();
        fit.warnings.push("something odd".into());
        let text = penalized_text(&fit, &ctx());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Penalized generalized linear model");
        assert!(lines.contains(&"Formula:            y ~ x + z"));
        assert!(lines.contains(&"Family:             poisson"));
        assert!(lines.contains(&"Link:               log"));
        assert!(lines.contains(&"Alpha:              0.05"));
        assert!(lines.contains(&"Mix:                l1_ratio 1 (lasso), standardized"));
        assert!(lines.contains(&"Nonzero:            1 of 2 (intercept not counted)"));
        assert!(lines.contains(&"Rows dropped:       2 (missing values)"));
        let z = lines.iter().find(|l| l.starts_with("z ")).unwrap();
        assert!(z.ends_with(" ."), "{z}");
        let x = lines.iter().find(|l| l.starts_with("x ")).unwrap();
        assert!(x.ends_with(&num(fit.coefficients[1])), "{x}");
        assert!(!text.contains("Std. Error"));
        assert!(text.contains(NO_INFERENCE));
        assert!(text.contains("  - something odd"));
        assert_eq!(
            fit.to_string(),
            penalized_text(&fit, &FitContext::default())
        );
    }

    #[test]
    fn html_has_the_facts_the_dots_and_the_note() {
        let mut fit = lasso();
        fit.converged = false;
        let html = penalized_html(&fit, &ctx());
        assert!(html.contains("<td class=\"rs-key\">Formula</td><td>y ~ x + z</td>"));
        assert!(html.contains("<td class=\"rs-text\">z</td><td class=\"rs-num\">.</td>"));
        assert!(html.contains("did not converge"));
        assert!(html.contains("biased toward zero by design"));
        assert!(!html.contains("Std. Error"));
        assert_eq!(html.matches("<div").count(), html.matches("</div>").count());
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(estimate(0.0), ".");
        assert_eq!(estimate(f64::NAN), "NA");
        assert_eq!(estimate(1.5), "1.500000");
        assert_eq!(sig4(0.012345), "0.01235");
        assert_eq!(sig4(123.456), "123.5");
        assert_eq!(sig4(1.0), "1.000");
        assert_eq!(sig4(2.5e-5), "2.500e-5");
        assert_eq!(sig4(0.0), "0");
        assert_eq!(short(0.05), "0.05");
        assert_eq!(short(1.0), "1");
        assert_eq!(short(120.0), "120");
        assert_eq!(short(2.5e-5), "2.500e-5");
        assert_eq!(percent(0.4567), "45.67%");
        assert_eq!(penalty_kind(0.5), "elastic net");
    }
}
