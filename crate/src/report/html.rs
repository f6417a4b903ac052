//! The HTML summary: the same facts as the text summary, as a fragment that reads well in
//! JupyterLab's light and dark themes (colours come from the page; only translucent greys and
//! one accent are set here).

use super::format::{diverging_note, fmt_opt, num, pval, stars};
use super::FitContext;
use crate::model::GlmFit;

/// The style sheet for every HTML fragment, scoped to `.rustystats`. Text colour is inherited,
/// so the output follows the notebook theme.
pub(crate) const STYLE: &str = "<style>\
.rustystats{font-family:var(--jp-content-font-family,system-ui,sans-serif);font-size:13px;line-height:1.4;margin:0.4em 0;color:inherit}\
.rustystats .rs-title{font-weight:600;font-size:14px;margin:0.2em 0 0.4em}\
.rustystats table{border-collapse:collapse;margin:0.2em 0;color:inherit;background:transparent}\
.rustystats th,.rustystats td{padding:2px 10px;border:none;background:transparent;color:inherit}\
.rustystats thead th{border-bottom:1px solid rgba(127,127,127,0.6);font-weight:600}\
.rustystats tbody tr:nth-child(even){background:rgba(127,127,127,0.09)}\
.rustystats .rs-num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
.rustystats .rs-text{text-align:left}\
.rustystats .rs-facts td{padding:1px 12px 1px 0}\
.rustystats .rs-facts td.rs-key{opacity:0.7}\
.rustystats .rs-sig{font-weight:600}\
.rustystats .rs-dim{opacity:0.55}\
.rustystats tr.rs-mark td{font-weight:600}\
.rustystats .rs-note{opacity:0.75;font-size:12px;margin-top:0.3em}\
.rustystats .rs-warn{border-left:3px solid #d9822b;padding:2px 8px;margin:0.3em 0;background:rgba(217,130,43,0.12)}\
</style>";

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attributes.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn fact(key: &str, value: &str) -> String {
    format!(
        "<td class=\"rs-key\">{}</td><td>{}</td>",
        escape_html(key),
        escape_html(value)
    )
}

/// The facts of a summary as a two-column table of key-value pairs (`<table class="rs-facts">`):
/// the first fact on its own row when `first_alone` (a formula is long), the others two to a
/// row.
pub(crate) fn facts_table(facts: &[(String, String)], first_alone: bool) -> String {
    let mut s = String::from("<table class=\"rs-facts\">\n");
    let mut rest = facts;
    if first_alone && !facts.is_empty() {
        s += &format!(
            "<tr>{}<td colspan=\"2\"></td></tr>\n",
            fact(&facts[0].0, &facts[0].1)
        );
        rest = &facts[1..];
    }
    for pair in rest.chunks(2) {
        s += "<tr>";
        for (k, v) in pair {
            s += &fact(k, v);
        }
        s += "</tr>\n";
    }
    s + "</table>\n"
}

/// The summary of a fit as an HTML fragment: model facts, convergence, fit statistics, the
/// coefficient table with intervals and significance, and warnings (highlighted).
pub fn summary_html(fit: &GlmFit, ctx: &FitContext) -> String {
    let stat = if fit.uses_t() { "t" } else { "z" };
    let mut facts = ctx.opening_facts(Some(&fit.family), Some(&fit.link), Some(fit.nobs));
    facts.push((
        "Df model / residual".into(),
        format!("{} / {}", fit.df_model, fit.df_resid),
    ));
    facts.push((
        "Converged".into(),
        format!(
            "{} in {} iterations ({})",
            if fit.converged { "yes" } else { "NO" },
            fit.iterations,
            fit.stop
        ),
    ));
    facts.push(("Covariance".into(), fit.cov_type.to_string()));
    facts.push(("Deviance".into(), format!("{:.6}", fit.deviance)));
    facts.push(("Null deviance".into(), format!("{:.6}", fit.null_deviance)));
    facts.push(("Pearson chi2".into(), format!("{:.6}", fit.pearson_chi2)));
    facts.push((
        "Dispersion".into(),
        if fit.family.dispersion_is_fixed() {
            "1 (fixed)".to_string()
        } else {
            format!("{:.6}", fit.dispersion)
        },
    ));
    facts.push(("Log-likelihood".into(), fmt_opt(fit.loglik)));
    facts.push(("AIC".into(), fmt_opt(fit.aic)));
    facts.push(("BIC".into(), fmt_opt(fit.bic)));
    if let Some((theta, se)) = fit.theta {
        facts.push(("Theta".into(), format!("{theta:.6} (s.e. {})", fmt_opt(se))));
    }

    let mut s = format!(
        "<div class=\"rustystats rs-summary\">{STYLE}<div class=\"rs-title\">Generalized linear model</div>\n"
    );
    s += &facts_table(&facts, ctx.formula.is_some());
    if !fit.converged {
        s += "<div class=\"rs-warn\">The fit did not converge: estimates and tests are not reliable.</div>\n";
    }
    for w in &fit.warnings {
        s += &format!("<div class=\"rs-warn\">{}</div>\n", escape_html(w));
    }
    let level = format!("{:.0}%", fit.conf_level * 100.0);
    s += &format!(
        "<table class=\"rs-coef\">\n<thead><tr><th class=\"rs-text\"></th><th class=\"rs-num\">Estimate</th>\
         <th class=\"rs-num\">Std. Error</th><th class=\"rs-num\">{stat} value</th><th class=\"rs-num\">Pr(&gt;|{stat}|)</th>\
         <th class=\"rs-num\">{level} low</th><th class=\"rs-num\">{level} high</th><th></th></tr></thead>\n<tbody>\n"
    );
    for r in fit.coef_table() {
        if r.aliased {
            s += &format!(
                "<tr class=\"rs-dim\"><td class=\"rs-text\">{}</td><td class=\"rs-num\">NA</td>\
                 <td colspan=\"6\">aliased: not estimable</td></tr>\n",
                escape_html(&r.name)
            );
            continue;
        }
        let sig = if r.p_value < 0.05 { " rs-sig" } else { "" };
        s += &format!(
            "<tr><td class=\"rs-text{sig}\">{}</td><td class=\"rs-num\">{}</td><td class=\"rs-num\">{}</td>\
             <td class=\"rs-num\">{:.3}</td><td class=\"rs-num{sig}\">{}</td><td class=\"rs-num\">{}</td>\
             <td class=\"rs-num\">{}</td><td class=\"rs-text\">{}</td></tr>\n",
            escape_html(&r.name),
            num(r.estimate),
            num(r.std_error),
            r.statistic,
            pval(r.p_value),
            num(r.ci_low),
            num(r.ci_high),
            diverging_note(r.diverging).unwrap_or_else(|| stars(r.p_value).to_string())
        );
    }
    s += "</tbody></table>\n<div class=\"rs-note\">Signif. codes: 0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1</div>\n</div>\n";
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape_html("a<b & \"c\" 'd'"),
            "a&lt;b &amp; &quot;c&quot; &#39;d&#39;"
        );
    }
}
