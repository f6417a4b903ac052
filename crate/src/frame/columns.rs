//! Reading data files and turning polars columns into numbers or category labels.

use std::path::Path;

use polars::prelude::*;

use crate::error::{Error, Result};

/// Reads a CSV (header row, types inferred) or parquet file, chosen by the extension.
pub fn read_data(path: &str) -> Result<DataFrame> {
    let io = |message: String| Error::Io {
        path: path.to_string(),
        message,
    };
    let p = Path::new(path);
    if !p.exists() {
        return Err(io("no such file; check the path".into()));
    }
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let df = match ext.as_str() {
        "parquet" | "pq" => {
            let file = std::fs::File::open(p).map_err(|e| io(e.to_string()))?;
            ParquetReader::new(file)
                .finish()
                .map_err(|e| io(format!("not a readable parquet file: {e}")))?
        }
        "csv" | "txt" | "tsv" => CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(10_000))
            .try_into_reader_with_file_path(Some(p.to_path_buf()))
            .and_then(|r| r.finish())
            .map_err(|e| io(format!("not a readable CSV file: {e}")))?,
        _ => {
            return Err(io(format!(
                "unknown file type `.{ext}`; use a .csv or .parquet file"
            )))
        }
    };
    check_unique_names(&df)?;
    Ok(df)
}

fn check_unique_names(df: &DataFrame) -> Result<()> {
    let names = df.get_column_names();
    for (i, a) in names.iter().enumerate() {
        if names[..i].contains(a) {
            return Err(Error::data(
                Some(a.as_str()),
                None,
                "the column name appears twice in the data; rename one of them",
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

/// The column `name`, or a [`Error::ColumnNotFound`] with suggestions.
pub fn column<'a>(df: &'a DataFrame, name: &str) -> Result<&'a Column> {
    df.column(name).map_err(|_| Error::ColumnNotFound {
        name: name.to_string(),
        suggestions: suggest(name, df),
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
    let mut mask: Vec<bool> = s.is_null().iter().map(|v| v.unwrap_or(true)).collect();
    if matches!(s.dtype(), DataType::Float64 | DataType::Float32) {
        let f = s
            .cast(&DataType::Float64)
            .map_err(|e| Error::data(Some(s.name().as_str()), None, e.to_string()))?;
        for (m, v) in mask.iter_mut().zip(f.f64().expect("cast to f64").iter()) {
            if let Some(v) = v {
                *m = *m || v.is_nan();
            }
        }
    }
    Ok(mask)
}

/// A numeric column as f64 (booleans as 0/1). Text is an error naming the first row that is
/// not a number.
pub fn numeric(col: &Column) -> Result<Vec<f64>> {
    let s = col.as_materialized_series();
    let name = s.name().to_string();
    if is_text(col) {
        let text = s
            .cast(&DataType::String)
            .map_err(|e| Error::data(Some(&name), None, e.to_string()))?;
        let ca = text.str().expect("cast to string");
        let (row, value) = ca
            .iter()
            .enumerate()
            .find_map(|(i, v)| {
                v.filter(|v| v.trim().parse::<f64>().is_err())
                    .map(|v| (i, v))
            })
            .unwrap_or((0, ""));
        return Err(Error::data(
            Some(&name),
            Some(row),
            format!(
                "the column holds text (`{value}`) where a number is needed; use C({name}) to \
                 treat it as categorical, or clean the column"
            ),
        ));
    }
    let f = s
        .cast(&DataType::Float64)
        .map_err(|e| Error::data(Some(&name), None, format!("not numeric: {e}")))?;
    Ok(f.f64()
        .expect("cast to f64")
        .iter()
        .map(|v| v.unwrap_or(f64::NAN))
        .collect())
}

/// A column's values as category labels, with the sorted distinct levels: numbers sort
/// numerically and print as R does (`2`, `2.5`), text sorts lexically.
pub fn categories(col: &Column) -> Result<(Vec<String>, Vec<String>)> {
    let s = col.as_materialized_series();
    let name = s.name().to_string();
    if is_text(col) || matches!(s.dtype(), DataType::Boolean) {
        let text = s
            .cast(&DataType::String)
            .map_err(|e| Error::data(Some(&name), None, e.to_string()))?;
        let labels: Vec<String> = text
            .str()
            .expect("cast to string")
            .iter()
            .map(|v| v.unwrap_or("").to_string())
            .collect();
        let mut levels = labels.clone();
        levels.sort();
        levels.dedup();
        return Ok((labels, levels));
    }
    let values = numeric(col)?;
    let mut sorted: Vec<f64> = values.clone();
    sorted.sort_by(|a, b| a.total_cmp(b));
    sorted.dedup();
    let labels = values.iter().map(|v| format_number(*v)).collect();
    let levels = sorted.iter().map(|v| format_number(*v)).collect();
    Ok((labels, levels))
}

/// Formats a number as a level label: integers without a decimal point.
pub fn format_number(v: f64) -> String {
    format!("{v}")
}
