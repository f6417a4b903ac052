//! Presentation as pure functions: a fitted model to text (an R / statsmodels-like summary),
//! to HTML (notebooks and reports) and to a JSON object (the command-line tool's
//! `--format json`); the same for penalized fits, regularization paths and their
//! cross-validation; tables of formatted cells; the tests' one-line results.

mod diagnostics;
mod format;
mod html;
mod json;
mod path;
mod penalized;
mod table;
mod text;

pub use format::{num, pval};
pub use html::{escape_html, summary_html};
pub use json::summary_json;
pub use path::{cv_html, cv_json, cv_text, path_html, path_text, PathFacts};
pub use penalized::{penalized_html, penalized_json, penalized_text, NO_INFERENCE};
pub use table::Table;
pub use text::summary_text;

use crate::inference::TestResult;
use crate::model::GlmFit;

/// Facts about a fit that the math core does not know: how it was asked for.
#[derive(Debug, Clone, Default)]
pub struct FitContext {
    /// The formula as written.
    pub formula: Option<String>,
    /// The response label.
    pub response: Option<String>,
    /// Rows dropped for missing values.
    pub rows_dropped: usize,
}

impl FitContext {
    /// The facts every summary opens with, as (label, value) pairs: the formula (when there is
    /// one), the family, link and number of observations (those known), and the rows dropped
    /// (when some were).
    pub(crate) fn opening_facts(
        &self,
        family: Option<impl std::fmt::Display>,
        link: Option<impl std::fmt::Display>,
        nobs: Option<usize>,
    ) -> Vec<(String, String)> {
        let mut f: Vec<(String, String)> = Vec::new();
        if let Some(formula) = &self.formula {
            f.push(("Formula".into(), formula.clone()));
        }
        if let Some(family) = family {
            f.push(("Family".into(), family.to_string()));
        }
        if let Some(link) = link {
            f.push(("Link".into(), link.to_string()));
        }
        if let Some(n) = nobs {
            f.push(("Observations".into(), n.to_string()));
        }
        if self.rows_dropped > 0 {
            let dropped = format!("{} (missing values)", self.rows_dropped);
            f.push(("Rows dropped".into(), dropped));
        }
        f
    }
}

/// A fit with its context, shown as text (`Display`), HTML ([`Summary::to_html`]) or in a
/// notebook (`evcxr_display`).
#[derive(Debug, Clone, Copy)]
pub struct Summary<'a> {
    /// The fit.
    pub fit: &'a GlmFit,
    /// How it was asked for.
    pub context: &'a FitContext,
}

impl Summary<'_> {
    /// The HTML fragment (see [`summary_html`]).
    pub fn to_html(&self) -> String {
        summary_html(self.fit, self.context)
    }
}

impl std::fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&summary_text(self.fit, self.context))
    }
}

impl std::fmt::Display for TestResult {
    /// `chi2 = 12.3 on 2 df, p = 0.0021` (or `F = ... on (q, d) df`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p = pval(self.p_value);
        match self.df_denom {
            Some(d2) => write!(
                f,
                "{} = {:.4} on ({}, {}) df, p = {p}",
                self.distribution, self.statistic, self.df, d2
            ),
            None => write!(
                f,
                "{} = {:.4} on {} df, p = {p}",
                self.distribution, self.statistic, self.df
            ),
        }
    }
}
