//! Presentation as pure functions: a fitted model to text (R / statsmodels-like summary) and
//! to a JSON object (the command-line tool's `--format json`).

mod json;
mod text;

pub use json::summary_json;
pub use text::summary_text;

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
