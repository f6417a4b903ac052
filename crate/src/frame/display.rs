//! How frame-layer results show themselves: a model as its summary, tables of results as
//! titled DataFrames that render to text and HTML in a notebook.

use std::ops::Deref;

use polars::prelude::*;

use super::model::GlmModel;
use crate::report::{num, pval, Summary, Table};

/// A DataFrame of results with a title and notes: derefs to the [`DataFrame`] for further
/// work, and shows itself as a formatted table (text and HTML) in a notebook.
///
/// ```
/// use rustystats::frame::ResultFrame;
/// use rustystats::prelude::*;
///
/// let df = df!("level" => ["A", "B"], "relativity" => [1.0, 1.25]).unwrap();
/// let t = ResultFrame::new("Relativities", df);
/// assert_eq!(t.height(), 2); // a DataFrame method, through Deref
/// assert!(t.to_string().contains("1.250000"));
/// assert!(t.to_html().contains("<th class=\"rs-num\">relativity</th>"));
/// ```
#[derive(Debug, Clone)]
pub struct ResultFrame {
    /// The title.
    pub title: String,
    /// The data.
    pub frame: DataFrame,
    /// Notes shown below the table.
    pub notes: Vec<String>,
}

impl ResultFrame {
    /// A titled result.
    pub fn new(title: impl Into<String>, frame: DataFrame) -> ResultFrame {
        ResultFrame {
            title: title.into(),
            frame,
            notes: Vec::new(),
        }
    }

    /// Adds a note shown below the table.
    pub fn note(mut self, note: impl Into<String>) -> ResultFrame {
        self.notes.push(note.into());
        self
    }

    /// The DataFrame, owned.
    pub fn into_frame(self) -> DataFrame {
        self.frame
    }

    /// The formatted table: floats with six significant decimals (scientific when tiny or
    /// huge), columns named `p_value` as R prints p-values, missing values as `NA`. At most
    /// `max_rows` rows (the rest counted in a note).
    pub fn table(&self, max_rows: usize) -> Table {
        frame_table(&self.title, &self.frame, max_rows, &self.notes)
    }

    /// HTML (at most 200 rows).
    pub fn to_html(&self) -> String {
        self.table(200).to_html()
    }
}

impl Deref for ResultFrame {
    type Target = DataFrame;
    fn deref(&self) -> &DataFrame {
        &self.frame
    }
}

impl std::fmt::Display for ResultFrame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.table(200).fmt(f)
    }
}

impl From<DataFrame> for ResultFrame {
    fn from(frame: DataFrame) -> ResultFrame {
        ResultFrame::new("", frame)
    }
}

/// One cell as text.
fn cell(value: AnyValue<'_>, p_value: bool) -> String {
    match value {
        AnyValue::Null => "NA".into(),
        AnyValue::Float64(x) if p_value => pval(x),
        AnyValue::Float64(x) => num(x),
        AnyValue::Float32(x) => num(f64::from(x)),
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        AnyValue::Boolean(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// A DataFrame as a formatted [`Table`]; text columns are left-aligned, the rest right.
pub(crate) fn frame_table(title: &str, df: &DataFrame, max_rows: usize, notes: &[String]) -> Table {
    let columns: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let mut t = Table::new(title, columns.clone());
    for (j, c) in df.columns().iter().enumerate() {
        t.numeric[j] = c.dtype().is_primitive_numeric();
    }
    let shown = df.height().min(max_rows);
    for i in 0..shown {
        let row = df
            .columns()
            .iter()
            .zip(&columns)
            .map(|(c, name)| {
                c.get(i)
                    .map(|v| cell(v, name == "p_value"))
                    .unwrap_or_else(|_| "?".into())
            })
            .collect();
        t.push_row(row);
    }
    if df.height() > shown {
        t.push_note(format!("... {} more rows not shown", df.height() - shown));
    }
    for n in notes {
        t.push_note(n.clone());
    }
    t
}

impl GlmModel {
    /// The summary as a value that prints as text and shows as HTML in a notebook.
    pub fn summary_view(&self) -> SummaryView<'_> {
        SummaryView {
            model: self,
            context: self.context(),
        }
    }

    /// The summary as an HTML fragment.
    pub fn summary_html(&self) -> String {
        self.summary_view().to_html()
    }
}

/// A model's summary, ready to print or display (see [`GlmModel::summary_view`]).
#[derive(Debug)]
pub struct SummaryView<'a> {
    model: &'a GlmModel,
    context: crate::report::FitContext,
}

impl SummaryView<'_> {
    pub(crate) fn summary(&self) -> Summary<'_> {
        Summary {
            fit: &self.model.fit,
            context: &self.context,
        }
    }

    /// HTML fragment.
    pub fn to_html(&self) -> String {
        self.summary().to_html()
    }
}

impl std::fmt::Display for SummaryView<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.summary().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_format_by_type_and_name() {
        let df = df!(
            "term" => ["a", "b"],
            "p_value" => [1e-20, 0.5],
            "n" => [3i64, 4],
            "x" => [Some(1.5), None]
        )
        .unwrap();
        let t = frame_table("T", &df, 10, &[]);
        assert_eq!(t.rows[0], vec!["a", "<2e-16", "3", "1.500000"]);
        assert_eq!(t.rows[1], vec!["b", "0.5000", "4", "NA"]);
        assert_eq!(t.numeric, vec![false, true, true, true]);
    }

    #[test]
    fn long_frames_are_cut_with_a_note() {
        let df = df!("x" => (0..10).map(f64::from).collect::<Vec<_>>()).unwrap();
        let t = frame_table("T", &df, 3, &[]);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.notes, vec!["... 7 more rows not shown".to_string()]);
    }
}
