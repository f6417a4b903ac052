//! Categorical columns as level codes: the sorted distinct labels of a column, and each row's
//! position among given levels, without a string per row.
//!
//! A text (or boolean) column's labels are its values as text; a numeric column's labels are
//! its numbers formatted by [`format_number`], sorted by value.

use std::collections::{HashMap, HashSet};

use polars::prelude::*;

use super::columns::{format_number, is_text, numeric};
use crate::error::{Error, Result};

/// The values a categorical reads from a column.
enum Labels {
    Text(StringChunked),
    Numbers(Vec<f64>),
}

fn labels(col: &Column) -> Result<Labels> {
    let s = col.as_materialized_series();
    if is_text(col) || matches!(s.dtype(), DataType::Boolean) {
        let text = s
            .cast(&DataType::String)
            .map_err(|e| Error::data(Some(s.name().as_str()), None, e.to_string()))?;
        Ok(Labels::Text(text.str().expect("cast to string").clone()))
    } else {
        Ok(Labels::Numbers(numeric(col)?))
    }
}

/// `-0.0` and `0.0` are one level.
fn number_key(v: f64) -> u64 {
    if v == 0.0 {
        0
    } else {
        v.to_bits()
    }
}

/// The distinct labels of a categorical column, sorted (text as strings, numbers by value).
pub fn levels(col: &Column) -> Result<Vec<String>> {
    Ok(match labels(col)? {
        Labels::Text(text) => {
            let found: HashSet<&str> = text.iter().map(|v| v.unwrap_or("")).collect();
            let mut levels: Vec<String> = found.into_iter().map(str::to_string).collect();
            levels.sort_unstable();
            levels
        }
        Labels::Numbers(values) => {
            let found: HashSet<u64> = values.iter().map(|&v| number_key(v)).collect();
            let mut numbers: Vec<f64> = found.into_iter().map(f64::from_bits).collect();
            numbers.sort_unstable_by(f64::total_cmp);
            let mut levels: Vec<String> = numbers.into_iter().map(format_number).collect();
            levels.dedup();
            levels
        }
    })
}

/// A row whose label is not among the levels: its row and label.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownLevel {
    /// The 0-based row.
    pub row: usize,
    /// The row's label.
    pub label: String,
}

/// The position of each row's label in `levels`; the first row whose label is not there is
/// returned as the error.
pub fn level_codes(
    col: &Column,
    levels: &[String],
) -> Result<std::result::Result<Vec<u32>, UnknownLevel>> {
    let index: HashMap<&str, u32> = levels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i as u32))
        .collect();
    let mut codes = Vec::with_capacity(col.len());
    match labels(col)? {
        Labels::Text(text) => {
            // Runs of the same label are common (sorted or grouped data): remember the last.
            let mut last: Option<(&str, u32)> = None;
            for (row, v) in text.iter().enumerate() {
                let v = v.unwrap_or("");
                let code = match last {
                    Some((l, c)) if l == v => c,
                    _ => match index.get(v) {
                        Some(&c) => {
                            last = Some((v, c));
                            c
                        }
                        None => {
                            let label = v.to_string();
                            return Ok(Err(UnknownLevel { row, label }));
                        }
                    },
                };
                codes.push(code);
            }
        }
        Labels::Numbers(values) => {
            let mut seen: HashMap<u64, Option<u32>> = HashMap::new();
            for (row, &v) in values.iter().enumerate() {
                let key = number_key(v);
                let code = *seen.entry(key).or_insert_with(|| {
                    index
                        .get(format_number(f64::from_bits(key)).as_str())
                        .copied()
                });
                match code {
                    Some(c) => codes.push(c),
                    None => {
                        let label = format_number(v);
                        return Ok(Err(UnknownLevel { row, label }));
                    }
                }
            }
        }
    }
    Ok(Ok(codes))
}

/// Each row's label and the sorted distinct labels of a categorical column.
pub fn categories(col: &Column) -> Result<(Vec<String>, Vec<String>)> {
    let levels = levels(col)?;
    let codes =
        level_codes(col, &levels)?.expect("every label of a column is among the column's levels");
    let labels = codes.iter().map(|&c| levels[c as usize].clone()).collect();
    Ok((labels, levels))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_levels_are_sorted_and_coded() {
        let col = Column::new("g".into(), ["b", "a", "c", "a", "b"]);
        let levels = levels(&col).unwrap();
        assert_eq!(levels, ["a", "b", "c"]);
        let codes = level_codes(&col, &levels).unwrap().unwrap();
        assert_eq!(codes, [1, 0, 2, 0, 1]);
    }

    #[test]
    fn numbers_sort_by_value_and_zero_is_one_level() {
        let col = Column::new("g".into(), [10.0, 2.0, -0.0, 0.0, 2.5]);
        let levels = levels(&col).unwrap();
        assert_eq!(levels, ["0", "2", "2.5", "10"]);
        let codes = level_codes(&col, &levels).unwrap().unwrap();
        assert_eq!(codes, [3, 1, 0, 0, 2]);
    }

    #[test]
    fn unknown_label_names_its_row() {
        let col = Column::new("g".into(), ["a", "a", "z"]);
        let known = vec!["a".to_string(), "b".to_string()];
        let err = level_codes(&col, &known).unwrap().unwrap_err();
        assert_eq!(
            err,
            UnknownLevel {
                row: 2,
                label: "z".into()
            }
        );
        let col = Column::new("n".into(), [1.0, 3.0]);
        let known = vec!["1".to_string()];
        let err = level_codes(&col, &known).unwrap().unwrap_err();
        assert_eq!(err.row, 1);
        assert_eq!(err.label, "3");
    }

    #[test]
    fn booleans_are_text() {
        let col = Column::new("b".into(), [true, false, true]);
        let (labels, levels) = categories(&col).unwrap();
        assert_eq!(levels, ["false", "true"]);
        assert_eq!(labels, ["true", "false", "true"]);
    }
}
