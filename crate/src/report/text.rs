//! The text summary.

use std::fmt::Write;

use super::format::{diverging_note, fmt_opt, num, pval, stars};
use super::FitContext;
use crate::model::GlmFit;

/// The summary of a fit as text: model facts, convergence, fit statistics, the coefficient
/// table with intervals and significance codes, and any warnings.
pub fn summary_text(fit: &GlmFit, ctx: &FitContext) -> String {
    let mut s = String::new();
    let stat = if fit.uses_t() { "t" } else { "z" };
    let _ = writeln!(s, "Generalized linear model");
    if let Some(f) = &ctx.formula {
        let _ = writeln!(s, "Formula:        {f}");
    }
    let _ = writeln!(s, "Family:         {}    Link: {}", fit.family, fit.link);
    let _ = writeln!(
        s,
        "Observations:   {}    Df model: {}    Df residual: {}",
        fit.nobs, fit.df_model, fit.df_resid
    );
    if ctx.rows_dropped > 0 {
        let _ = writeln!(s, "Rows dropped:   {} (missing values)", ctx.rows_dropped);
    }
    let _ = writeln!(
        s,
        "Converged:      {}    Iterations: {}    ({})",
        if fit.converged { "yes" } else { "NO" },
        fit.iterations,
        fit.stop
    );
    let _ = writeln!(s, "Covariance:     {}", fit.cov_type);
    let _ = writeln!(
        s,
        "Deviance:       {:.6}    Null deviance: {:.6}",
        fit.deviance, fit.null_deviance
    );
    let _ = writeln!(
        s,
        "Pearson chi2:   {:.6}    Dispersion: {}",
        fit.pearson_chi2,
        if fit.family.dispersion_is_fixed() {
            "1 (fixed)".to_string()
        } else {
            format!("{:.6}", fit.dispersion)
        }
    );
    let _ = writeln!(
        s,
        "Log-likelihood: {}    AIC: {}    BIC: {}",
        fmt_opt(fit.loglik),
        fmt_opt(fit.aic),
        fmt_opt(fit.bic)
    );
    if let Some((theta, se)) = fit.theta {
        let _ = writeln!(
            s,
            "Theta:          {theta:.6}    Std. error: {}",
            fmt_opt(se)
        );
    }
    let level = format!("{:.0}%", fit.conf_level * 100.0);
    let rows = fit.coef_table();
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(4).max(9);
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{:<width$} {:>13} {:>13} {:>9} {:>9} {:>13} {:>13}",
        "",
        "Estimate",
        "Std. Error",
        format!("{stat} value"),
        format!("Pr(>|{stat}|)"),
        format!("{level} low"),
        format!("{level} high"),
    );
    for r in &rows {
        if r.aliased {
            let _ = writeln!(
                s,
                "{:<width$} {:>13}   (aliased: not estimable)",
                r.name, "NA"
            );
            continue;
        }
        let _ = writeln!(
            s,
            "{:<width$} {:>13} {:>13} {:>9.3} {:>9} {:>13} {:>13} {}",
            r.name,
            num(r.estimate),
            num(r.std_error),
            r.statistic,
            pval(r.p_value),
            num(r.ci_low),
            num(r.ci_high),
            diverging_note(r.diverging).unwrap_or_else(|| stars(r.p_value).to_string())
        );
    }
    let _ = writeln!(
        s,
        "---\nSignif. codes: 0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1"
    );
    if !fit.warnings.is_empty() {
        let _ = writeln!(s, "\nWarnings:");
        for w in &fit.warnings {
            let _ = writeln!(s, "  - {w}");
        }
    }
    s
}
