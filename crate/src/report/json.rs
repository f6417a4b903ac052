//! The JSON summary (the command-line tool's `--format json` contract, see DESIGN.md).

use serde_json::{json, Value};

use super::FitContext;
use crate::model::GlmFit;

fn num(x: f64) -> Value {
    if x.is_finite() {
        json!(x)
    } else {
        Value::Null
    }
}

fn opt(x: Option<f64>) -> Value {
    x.map_or(Value::Null, num)
}

/// The fit as one JSON object: family, link, formula, nobs, df_model, df_resid, converged,
/// iterations, deviance, null_deviance, pearson_chi2, scale, loglik, aic, bic, theta,
/// theta_se, cov_type, warnings and the coefficient list (a coefficient with no finite
/// estimate has `diverging`: -1 or 1). Non-finite numbers are `null`; `loglik_note` says
/// why `loglik`, `aic` and `bic` are `null` (a quasi family; or R's `-Inf` / `Inf` for a
/// Poisson response that is not a whole number), and is `null` when they are numbers.
pub fn summary_json(fit: &GlmFit, ctx: &FitContext) -> Value {
    let coefficients: Vec<Value> = fit
        .coef_table()
        .into_iter()
        .map(|r| {
            json!({
                "name": r.name,
                "estimate": num(r.estimate),
                "std_error": num(r.std_error),
                "statistic": num(r.statistic),
                "p_value": num(r.p_value),
                "ci_low": num(r.ci_low),
                "ci_high": num(r.ci_high),
                "aliased": r.aliased,
                "diverging": r.diverging,
            })
        })
        .collect();
    json!({
        "family": fit.family.id(),
        "link": fit.link.to_string(),
        "var_power": match fit.family {
            crate::family::Family::Tweedie { var_power } => num(var_power),
            _ => Value::Null,
        },
        "formula": ctx.formula,
        "response": ctx.response,
        "nobs": fit.nobs,
        "rows_dropped": ctx.rows_dropped,
        "df_model": fit.df_model,
        "df_resid": fit.df_resid,
        "rank": fit.rank,
        "converged": fit.converged,
        "iterations": fit.iterations,
        "stop_reason": fit.stop.to_string(),
        "deviance": num(fit.deviance),
        "null_deviance": num(fit.null_deviance),
        "pearson_chi2": num(fit.pearson_chi2),
        "scale": num(fit.dispersion),
        "dispersion_fixed": fit.family.dispersion_is_fixed(),
        "loglik": opt(fit.loglik),
        "aic": opt(fit.aic),
        "bic": opt(fit.bic),
        "loglik_note": fit.loglik_note,
        "theta": opt(fit.theta.map(|t| t.0)),
        "theta_se": opt(fit.theta.and_then(|t| t.1)),
        "cov_type": fit.cov_type.to_string(),
        "test": if fit.uses_t() { "t" } else { "z" },
        "conf_level": fit.conf_level,
        "warnings": fit.warnings,
        "coefficients": coefficients,
    })
}
