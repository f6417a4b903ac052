//! Presentation as pure functions: a fitted model to text (an R / statsmodels-like summary),
//! to HTML (notebooks and reports) and to a JSON object (the command-line tool's
//! `--format json`); tables of formatted cells; the evcxr display protocol.

mod format;
mod html;
mod json;
mod table;
mod text;

pub use format::{num, pval};
pub use html::{escape_html, summary_html};
pub use json::summary_json;
pub use table::Table;
pub use text::summary_text;

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

    /// Shows the summary in an evcxr notebook (text and HTML).
    pub fn evcxr_display(&self) {
        print!(
            "{}",
            evcxr_payload(&[
                ("text/plain", &self.to_string()),
                ("text/html", &self.to_html())
            ])
        );
    }
}

impl std::fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&summary_text(self.fit, self.context))
    }
}

/// The text evcxr reads from a cell's standard output as rich output: one block per mime type.
///
/// ```
/// let out = rustystats::report::evcxr_payload(&[("text/plain", "hi"), ("text/html", "<b>hi</b>")]);
/// assert_eq!(
///     out,
///     "EVCXR_BEGIN_CONTENT text/plain\nhi\nEVCXR_END_CONTENT\n\
///      EVCXR_BEGIN_CONTENT text/html\n<b>hi</b>\nEVCXR_END_CONTENT\n"
/// );
/// ```
pub fn evcxr_payload(parts: &[(&str, &str)]) -> String {
    let mut s = String::new();
    for (mime, content) in parts {
        s.push_str("EVCXR_BEGIN_CONTENT ");
        s.push_str(mime);
        s.push('\n');
        s.push_str(content);
        if !content.ends_with('\n') {
            s.push('\n');
        }
        s.push_str("EVCXR_END_CONTENT\n");
    }
    s
}
