//! A titled table of formatted cells that renders to aligned text and to HTML: the form in
//! which relativities, analysis of deviance and diagnostics reach a notebook.

use std::fmt;

use super::html::{escape_html, STYLE};

/// A table ready to show: a title, column headers, rows of formatted cells and notes.
///
/// ```
/// use rustystats::report::Table;
///
/// let mut t = Table::new("Claims by area", vec!["area".into(), "claims".into()]);
/// t.push_row(vec!["A".into(), "12".into()]);
/// t.push_note("Counts from the training data.");
/// assert!(t.to_string().contains("Claims by area"));
/// assert!(t.to_html().contains("<td class=\"rs-num\">12</td>"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Title shown above the table.
    pub title: String,
    /// Column headers.
    pub columns: Vec<String>,
    /// Rows of cells, already formatted.
    pub rows: Vec<Vec<String>>,
    /// Per column: right-aligned (numbers) or left-aligned (text).
    pub numeric: Vec<bool>,
    /// Notes printed below the table.
    pub notes: Vec<String>,
}

impl Table {
    /// An empty table; columns are numeric unless [`Table::text_columns`] says otherwise.
    pub fn new(title: impl Into<String>, columns: Vec<String>) -> Table {
        let n = columns.len();
        Table {
            title: title.into(),
            columns,
            rows: Vec::new(),
            numeric: vec![true; n],
            notes: Vec::new(),
        }
    }

    /// Marks the first `k` columns as text (left-aligned).
    pub fn text_columns(mut self, k: usize) -> Table {
        for flag in self.numeric.iter_mut().take(k) {
            *flag = false;
        }
        self
    }

    /// Adds a row; short rows are padded with empty cells.
    pub fn push_row(&mut self, mut row: Vec<String>) {
        row.resize(self.columns.len().max(row.len()), String::new());
        self.rows.push(row);
    }

    /// Adds a note.
    pub fn push_note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }

    fn widths(&self) -> Vec<usize> {
        let mut w: Vec<usize> = self.columns.iter().map(|c| c.chars().count()).collect();
        for row in &self.rows {
            for (j, cell) in row.iter().enumerate().take(w.len()) {
                w[j] = w[j].max(cell.chars().count());
            }
        }
        w
    }

    /// The table as HTML (a fragment with its own scoped style sheet).
    pub fn to_html(&self) -> String {
        format!(
            "<div class=\"rustystats\">{STYLE}{}</div>\n",
            self.inner_html(&[])
        )
    }

    /// The title, the table and the notes as HTML, without the enclosing `<div>` and style
    /// sheet (for a fragment that holds several tables); the rows at the positions `marked`
    /// are emphasized (`class="rs-mark"`).
    pub(crate) fn inner_html(&self, marked: &[usize]) -> String {
        let mut s = format!(
            "<div class=\"rs-title\">{}</div>\n<table class=\"rs-table\">\n<thead><tr>",
            escape_html(&self.title)
        );
        for (j, c) in self.columns.iter().enumerate() {
            s += &format!("<th class=\"{}\">{}</th>", self.class(j), escape_html(c));
        }
        s += "</tr></thead>\n<tbody>\n";
        for (i, row) in self.rows.iter().enumerate() {
            s += match marked.contains(&i) {
                true => "<tr class=\"rs-mark\">",
                false => "<tr>",
            };
            for (j, cell) in row.iter().enumerate() {
                s += &format!("<td class=\"{}\">{}</td>", self.class(j), escape_html(cell));
            }
            s += "</tr>\n";
        }
        s += "</tbody></table>\n";
        for n in &self.notes {
            s += &format!("<div class=\"rs-note\">{}</div>\n", escape_html(n));
        }
        s
    }

    fn class(&self, j: usize) -> &'static str {
        if self.numeric.get(j).copied().unwrap_or(true) {
            "rs-num"
        } else {
            "rs-text"
        }
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = self.widths();
        writeln!(f, "{}", self.title)?;
        let line = |f: &mut fmt::Formatter<'_>, cells: &[String]| -> fmt::Result {
            let parts: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(j, c)| {
                    let width = w.get(j).copied().unwrap_or(0);
                    if self.numeric.get(j).copied().unwrap_or(true) {
                        format!("{c:>width$}")
                    } else {
                        format!("{c:<width$}")
                    }
                })
                .collect();
            writeln!(f, "{}", parts.join("  ").trim_end())
        };
        line(f, &self.columns)?;
        let total: usize = w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1);
        writeln!(f, "{}", "-".repeat(total))?;
        for row in &self.rows {
            line(f, row)?;
        }
        for n in &self.notes {
            writeln!(f, "{n}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new("T", vec!["level".into(), "value".into()]).text_columns(1);
        t.push_row(vec!["a<b".into(), "1.5".into()]);
        t.push_row(vec!["long level".into(), "10".into()]);
        t
    }

    #[test]
    fn text_aligns_text_left_and_numbers_right() {
        let text = sample().to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "T");
        assert_eq!(lines[1], "level       value");
        assert_eq!(lines[3], "a<b           1.5");
        assert_eq!(lines[4], "long level     10");
    }

    #[test]
    fn html_escapes_and_classes_cells() {
        let html = sample().to_html();
        assert!(html.contains("<td class=\"rs-text\">a&lt;b</td>"));
        assert!(html.contains("<td class=\"rs-num\">10</td>"));
        assert_eq!(html.matches("<tr>").count(), 3);
    }

    #[test]
    fn short_rows_are_padded() {
        let mut t = Table::new("T", vec!["a".into(), "b".into()]);
        t.push_row(vec!["1".into()]);
        assert_eq!(t.rows[0].len(), 2);
    }
}
