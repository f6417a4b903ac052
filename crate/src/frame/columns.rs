//! Reading data files and turning polars columns into numbers or category labels.

use std::path::Path;

use polars::prelude::*;

use crate::design::ColumnValues;
use crate::error::{Error, Result};

/// Reads a CSV (header row, types inferred) or parquet file, chosen by the extension.
///
/// As R's `read.csv`, an empty cell or `NA` is a missing value. A `.tsv` file is read with
/// tabs between the fields. A file that is empty, has a header but no rows, or repeats a
/// column name is an error that says so (polars would rename the copy silently).
pub fn read_data(path: &str) -> Result<DataFrame> {
    let io = |message: String| Error::Io {
        path: path.to_string(),
        message,
    };
    let p = Path::new(path);
    if !p.exists() {
        return Err(io("no such file; check the path".into()));
    }
    if p.is_dir() {
        return Err(io(
            "this is a folder, not a file; give the path of a .csv or .parquet file".into(),
        ));
    }
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !matches!(ext.as_str(), "parquet" | "pq" | "csv" | "txt" | "tsv") {
        return Err(io(format!(
            "unknown file type `.{ext}`; use a .csv (or .tsv) or .parquet file"
        )));
    }
    let size = std::fs::metadata(p).map_err(|e| io(e.to_string()))?.len();
    if size == 0 {
        return Err(Error::data(
            None,
            None,
            format!(
                "the file `{path}` is empty; it needs a header row and at least one row of data"
            ),
        ));
    }
    let df = if matches!(ext.as_str(), "parquet" | "pq") {
        let file = std::fs::File::open(p).map_err(|e| io(e.to_string()))?;
        ParquetReader::new(file).finish().map_err(|e| {
            io(format!(
                "not a readable parquet file ({e}); check that the file is parquet and not \
                 truncated, or export the data as CSV"
            ))
        })?
    } else {
        let separator = if ext == "tsv" { b'\t' } else { b',' };
        CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(10_000))
            .map_parse_options(|o| {
                o.with_separator(separator)
                    .with_null_values(Some(NullValues::AllColumnsSingle("NA".into())))
            })
            .try_into_reader_with_file_path(Some(p.to_path_buf()))
            .and_then(|r| r.finish())
            .map_err(|e| {
                io(format!(
                    "not a readable CSV file ({e}); check that it is text with a header row \
                     and the same number of comma-separated fields on every line"
                ))
            })?
    };
    check_unique_names(&df, path)?;
    check_separator(&df, path)?;
    if df.height() == 0 {
        return Err(Error::data(
            None,
            None,
            format!(
                "the file `{path}` has a header ({}) but no rows of data; add data or check \
                 that you gave the right file",
                df.get_column_names()
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    Ok(df)
}

/// Polars renames a repeated CSV header `y` to `y_duplicated_0`; a model must not pick one of
/// the copies silently.
fn check_unique_names(df: &DataFrame, path: &str) -> Result<()> {
    let names: Vec<&str> = df.get_column_names().iter().map(|c| c.as_str()).collect();
    for (i, a) in names.iter().enumerate() {
        let repeated = names[..i].contains(a)
            || a.rsplit_once("_duplicated_").is_some_and(|(base, k)| {
                !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()) && names.contains(&base)
            });
        if repeated {
            let base = a.rsplit_once("_duplicated_").map_or(*a, |(b, _)| b);
            return Err(Error::data(
                Some(base),
                None,
                format!(
                    "the column name appears more than once in the header of `{path}`; rename \
                     the copies so that every column has its own name"
                ),
            ));
        }
    }
    Ok(())
}

/// A file read as one column whose name holds `;` or a tab was written with another separator.
fn check_separator(df: &DataFrame, path: &str) -> Result<()> {
    let names = df.get_column_names();
    if names.len() != 1 {
        return Ok(());
    }
    let name = names[0].as_str();
    for (sep, what) in [(';', "semicolons"), ('\t', "tabs"), ('|', "`|`")] {
        if name.contains(sep) {
            return Err(Error::data(
                None,
                None,
                format!(
                    "`{path}` was read as a single column named `{}`: the fields seem to be \
                     separated by {what}, not commas; save the file as comma-separated CSV (or \
                     tab-separated with the .tsv extension)",
                    name.escape_default()
                ),
            ));
        }
    }
    Ok(())
}

/// Up to three column names closest to `name` (edit distance), for "did you mean".
pub fn suggest(name: &str, df: &DataFrame) -> Vec<String> {
    let lower = name.to_ascii_lowercase();
    let mut scored: Vec<(usize, String)> = df
        .get_column_names()
        .iter()
        .map(|c| {
            (
                edit_distance(&lower, &c.to_ascii_lowercase()),
                c.to_string(),
            )
        })
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The column with this name, found by comparing names one by one. `DataFrame::column` looks
/// names up in a cached, hashed schema; in a notebook the frame may come from an earlier cell
/// whose copy of polars hashed with another seed (evcxr links each cell separately), and the
/// lookup then misses a column that is there. A linear scan has no such state.
pub(crate) fn find<'a>(df: &'a DataFrame, name: &str) -> Option<&'a Column> {
    df.columns().iter().find(|c| c.name().as_str() == name)
}

/// The values of a numeric column as `f64` (integers and booleans converted); missing values
/// are an error naming the row. Safe on frames from earlier notebook cells (see [`column`]).
///
/// ```
/// use rustystats::prelude::*;
///
/// let df = df!("n" => [1i64, 2, 3])?;
/// assert_eq!(column_values(&df, "n")?, vec![1.0, 2.0, 3.0]);
/// assert!(column_values(&df, "m").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn column_values(df: &DataFrame, name: &str) -> Result<Vec<f64>> {
    numeric(column(df, name)?)
}

/// The column `name`, or a [`Error::ColumnNotFound`] with suggestions.
pub fn column<'a>(df: &'a DataFrame, name: &str) -> Result<&'a Column> {
    find(df, name).ok_or_else(|| Error::ColumnNotFound {
        name: name.to_string(),
        suggestions: suggest(name, df),
        available: df
            .get_column_names()
            .iter()
            .map(|c| c.to_string())
            .collect(),
    })
}

/// Whether a column holds text-like values (strings, categoricals, booleans are treated as
/// numbers 0/1).
pub fn is_text(col: &Column) -> bool {
    matches!(
        col.dtype(),
        DataType::String | DataType::Categorical(..) | DataType::Enum(..)
    )
}

/// Rows where the column is missing (null, or NaN in a float column).
pub fn missing_mask(col: &Column) -> Result<Vec<bool>> {
    let s = col.as_materialized_series();
    let mut mask: Vec<bool> = if s.null_count() == 0 {
        vec![false; s.len()]
    } else {
        s.is_null().iter().map(|v| v.unwrap_or(true)).collect()
    };
    if matches!(s.dtype(), DataType::Float64 | DataType::Float32) {
        let f = s
            .cast(&DataType::Float64)
            .map_err(|e| Error::data(Some(s.name().as_str()), None, e.to_string()))?;
        // The values under a null are unspecified, but those rows are marked already.
        let values = f.f64().expect("cast to f64").downcast_iter();
        let values = values.flat_map(|arr| arr.values().iter());
        for (m, v) in mask.iter_mut().zip(values) {
            *m |= v.is_nan();
        }
    }
    Ok(mask)
}

/// Whether some row of the column is missing (null, or NaN in a floating-point column): a
/// scan without allocating, so that columns without missing values cost little.
pub fn has_missing(col: &Column) -> bool {
    let s = col.as_materialized_series();
    if s.null_count() > 0 {
        return true;
    }
    match s.dtype() {
        DataType::Float64 => s.f64().is_ok_and(|f| {
            f.downcast_iter()
                .any(|arr| crate::scan::first_where(arr.values(), |v| v.is_nan()).is_some())
        }),
        DataType::Float32 => s.f32().is_ok_and(|f| {
            f.downcast_iter()
                .any(|arr| crate::scan::first_where(arr.values(), |v| v.is_nan()).is_some())
        }),
        _ => false,
    }
}

/// The first value of a text column that is not a number, with its row (`None` for a column
/// that is not text, or whose text values are all numbers).
pub fn first_text(col: &Column) -> Option<(usize, String)> {
    if !is_text(col) {
        return None;
    }
    let text = col.as_materialized_series().cast(&DataType::String).ok()?;
    let found = text.str().ok()?.iter().enumerate().find_map(|(i, v)| {
        v.filter(|v| v.trim().parse::<f64>().is_err())
            .map(|v| (i, v.to_string()))
    });
    found
}

/// A numeric column as f64 (booleans as 0/1; text that holds only numbers is parsed). Other
/// text is an error naming the first row that is not a number.
pub fn numeric(col: &Column) -> Result<Vec<f64>> {
    let s = col.as_materialized_series();
    let name = s.name().to_string();
    if let Some((row, value)) = first_text(col) {
        return Err(Error::data(
            Some(&name),
            Some(row),
            format!(
                "the column holds text (`{value}`) where a number is needed; use C({name}) to \
                 treat it as categorical, or clean the column"
            ),
        ));
    }
    if is_text(col) {
        let text = s
            .cast(&DataType::String)
            .map_err(|e| Error::data(Some(&name), None, e.to_string()))?;
        let ca = text.str().expect("cast to string");
        return Ok(ca
            .iter()
            .map(|v| v.and_then(|v| v.trim().parse().ok()).unwrap_or(f64::NAN))
            .collect());
    }
    let f = s
        .cast(&DataType::Float64)
        .map_err(|e| Error::data(Some(&name), None, format!("not numeric: {e}")))?;
    let f = f.f64().expect("cast to f64");
    if f.null_count() == 0 {
        // Copy the values directly, without the iterator of options (no nulls to check).
        let mut out = Vec::with_capacity(f.len());
        for arr in f.downcast_iter() {
            out.extend_from_slice(arr.values());
        }
        return Ok(out);
    }
    Ok(f.iter().map(|v| v.unwrap_or(f64::NAN)).collect())
}

/// The values of a floating-point column in one chunk without missing values, shared with
/// the column (no copy); `None` for any other column.
pub(crate) fn shared_numeric(col: &Column) -> Option<ColumnValues> {
    let f = col.as_materialized_series().f64().ok()?;
    if f.null_count() > 0 || f.chunks().len() != 1 {
        return None;
    }
    let arr = f.downcast_iter().next()?;
    Some(ColumnValues::shared(arr.values().clone()))
}

/// For a text column whose values are mostly numbers: the first row that is not a number and
/// its text. Such a column is almost always a numeric column with a typo or a stray note
/// (`abc`, `n/a`), which the CSV reader turned into text.
pub fn stray_text(col: &Column) -> Option<(usize, String)> {
    if !matches!(col.dtype(), DataType::String) {
        return None;
    }
    let ca = col.as_materialized_series().str().ok()?.clone();
    let (mut numbers, mut texts, mut first) = (0usize, 0usize, None);
    for (i, v) in ca.iter().enumerate() {
        let Some(v) = v else { continue };
        if v.trim().parse::<f64>().is_ok() {
            numbers += 1;
        } else {
            texts += 1;
            first.get_or_insert((i, v.to_string()));
        }
    }
    if numbers > texts {
        first
    } else {
        None
    }
}

/// Formats a number as a level label: integers without a decimal point.
pub fn format_number(v: f64) -> String {
    format!("{v}")
}
