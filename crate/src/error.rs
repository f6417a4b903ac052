//! One error type for the whole crate, by category, with messages that say what is wrong and
//! what to do about it.

use std::fmt;

use crate::formula::FormulaError;

/// Everything that can go wrong in rustystats.
///
/// Each variant is a category; the fields say where (column, level, row) and the message says
/// what to do. `Display` gives the full message for a person.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The formula could not be parsed; the message points at the problem with a caret.
    Formula(FormulaError),
    /// A column named in the formula or the options is not in the data.
    ColumnNotFound {
        /// The name that was asked for.
        name: String,
        /// Column names that are close to it, best first.
        suggestions: Vec<String>,
        /// The data's column names (listed in the message when nothing is close).
        available: Vec<String>,
    },
    /// A value in the data is not usable (missing, infinite, text in a numeric column, ...).
    Data {
        /// The column, when known.
        column: Option<String>,
        /// The 0-based row, when known.
        row: Option<usize>,
        /// What is wrong and what to do.
        message: String,
    },
    /// A response, weight or offset outside what the family allows.
    Domain {
        /// The family that refuses the value.
        family: String,
        /// The 0-based row of the first offending value.
        row: usize,
        /// The offending value.
        value: f64,
        /// What is wrong and what to do.
        message: String,
    },
    /// Inputs whose lengths or shapes do not agree.
    Shape {
        /// What was being checked.
        what: String,
        /// The expected length.
        expected: usize,
        /// The length found.
        found: usize,
    },
    /// The model itself is not valid (unknown family or link, link not allowed, bad parameter).
    Model {
        /// What is wrong and what to do.
        message: String,
    },
    /// The fit could not produce an answer (no valid starting values, singular system).
    Fit {
        /// What happened and what to try.
        message: String,
    },
    /// A file could not be read or written.
    Io {
        /// The path involved.
        path: String,
        /// The underlying error.
        message: String,
    },
}

/// Result type used throughout the crate.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// A [`Error::Model`] with the given message.
    pub fn model(message: impl Into<String>) -> Self {
        Error::Model {
            message: message.into(),
        }
    }

    /// A [`Error::Fit`] with the given message.
    pub fn fit(message: impl Into<String>) -> Self {
        Error::Fit {
            message: message.into(),
        }
    }

    /// A [`Error::Data`] about a column (and optionally a row).
    pub fn data(column: Option<&str>, row: Option<usize>, message: impl Into<String>) -> Self {
        Error::Data {
            column: column.map(str::to_string),
            row,
            message: message.into(),
        }
    }

    /// The same error with its row, counted in a subset of the data, turned into the row of
    /// the full data: `rows[i]` is the full-data row of subset row `i` (as
    /// `ModelFrame::rows`). Used after rows with missing values are dropped, so messages name
    /// the row as it is in the file.
    pub fn map_row(self, rows: &[usize]) -> Self {
        let map = |r: usize| rows.get(r).copied().unwrap_or(r);
        match self {
            Error::Data {
                column,
                row,
                message,
            } => Error::Data {
                column,
                row: row.map(map),
                message,
            },
            Error::Domain {
                family,
                row,
                value,
                message,
            } => Error::Domain {
                family,
                row: map(row),
                value,
                message,
            },
            other => other,
        }
    }

    /// True when the error is the user's input (exit code 2 in the command-line tool), false
    /// when a valid model could not be fitted (exit code 1).
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, Error::Fit { .. })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Formula(e) => write!(f, "{e}"),
            Error::ColumnNotFound {
                name,
                suggestions,
                available,
            } => {
                write!(f, "column `{name}` is not in the data")?;
                if !suggestions.is_empty() {
                    let list: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
                    return write!(f, "; did you mean {}?", list.join(" or "));
                }
                const SHOWN: usize = 20;
                let list: Vec<String> = available
                    .iter()
                    .take(SHOWN)
                    .map(|s| format!("`{s}`"))
                    .collect();
                write!(f, "; check the spelling (names are case-sensitive)")?;
                if !list.is_empty() {
                    write!(f, "; the data's columns are: {}", list.join(", "))?;
                    if available.len() > SHOWN {
                        write!(f, " and {} more", available.len() - SHOWN)?;
                    }
                }
                Ok(())
            }
            Error::Data {
                column,
                row,
                message,
            } => {
                match (column, row) {
                    (Some(c), Some(r)) => write!(f, "column `{c}`, row {}: ", r + 1)?,
                    (Some(c), None) => write!(f, "column `{c}`: ")?,
                    (None, Some(r)) => write!(f, "row {}: ", r + 1)?,
                    (None, None) => {}
                }
                write!(f, "{message}")
            }
            Error::Domain {
                family,
                row,
                value,
                message,
            } => write!(
                f,
                "{family} family: row {} has value {value}: {message}",
                row + 1
            ),
            Error::Shape {
                what,
                expected,
                found,
            } => write!(
                f,
                "{what} has length {found} but {expected} was expected (one value per row)"
            ),
            Error::Model { message } => write!(f, "{message}"),
            Error::Fit { message } => write!(f, "the fit failed: {message}"),
            Error::Io { path, message } => write!(f, "cannot read or write `{path}`: {message}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<crate::spline::SplineError> for Error {
    fn from(e: crate::spline::SplineError) -> Self {
        Error::Model { message: e.message }
    }
}

impl From<FormulaError> for Error {
    fn from(e: FormulaError) -> Self {
        Error::Formula(e)
    }
}

/// "row 4" or "rows 3, 7, 9, 12, 15 and 2 more": the first few rows, by their labels, for
/// messages that name rows (`row_label` maps a row index to the number the user sees).
pub(crate) fn rows_list(rows: &[usize], row_label: &dyn Fn(usize) -> usize) -> String {
    const SHOWN: usize = 5;
    let list: Vec<String> = rows
        .iter()
        .take(SHOWN)
        .map(|&i| row_label(i).to_string())
        .collect();
    let more = rows.len().saturating_sub(SHOWN);
    let word = if rows.len() == 1 { "row" } else { "rows" };
    if more > 0 {
        format!("{word} {} and {more} more", list.join(", "))
    } else {
        format!("{word} {}", list.join(", "))
    }
}

/// The items a message names one by one; it counts the others.
pub(crate) const ITEMS_LISTED: usize = 10;

/// `items` joined by commas for a message, the first [`ITEMS_LISTED`] of them and a count of
/// the rest: a factor with thousands of levels can make thousands of items.
pub(crate) fn listed(items: &[String]) -> String {
    match items.len() > ITEMS_LISTED {
        true => format!(
            "{} and {} more",
            items[..ITEMS_LISTED].join(", "),
            items.len() - ITEMS_LISTED
        ),
        false => items.join(", "),
    }
}
