//! Categorical columns as level codes: the sorted distinct labels of a column, and each row's
//! position among given levels, without a string per row.
//!
//! A text (or boolean) column's labels are its values as text; a numeric column's labels are
//! its numbers formatted as the model frame prints them, sorted by value.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use polars::prelude::*;

use super::columns::{format_number, is_text, numeric};
use crate::error::{Error, Result};

/// A fast non-cryptographic hash (the multiply-rotate scheme of Firefox and rustc) for level
/// labels: short keys, no untrusted-input concern, hashed once per row.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // The multiply leaves the low bits depending on the low input bits only, and the
        // table picks buckets by the low bits: rotate the well-mixed high bits down.
        self.0.rotate_left(26)
    }
}

type Fx = BuildHasherDefault<FxHasher>;

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

/// A row's label as the text column stores it: a label of up to 12 bytes by its 16-byte view
/// (length and bytes, zero-padded), a longer one as text. Comparing and hashing a view is a
/// few integer operations instead of a string comparison.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Label<'a> {
    Short(u128),
    Long(&'a str),
}

/// Longest label held in a view.
const MAX_SHORT: usize = 12;

impl Label<'_> {
    fn of(text: &str) -> Label<'_> {
        if text.len() <= MAX_SHORT {
            let mut bytes = [0u8; 16];
            bytes[..4].copy_from_slice(&(text.len() as u32).to_le_bytes());
            bytes[4..4 + text.len()].copy_from_slice(text.as_bytes());
            Label::Short(u128::from_le_bytes(bytes))
        } else {
            Label::Long(text)
        }
    }

    fn text(&self) -> String {
        match *self {
            Label::Short(view) => {
                let bytes = view.to_le_bytes();
                let len = (view as u32 as usize).min(MAX_SHORT);
                String::from_utf8_lossy(&bytes[4..4 + len]).into_owned()
            }
            Label::Long(text) => text.to_string(),
        }
    }
}

/// Codes of the short labels by their views, in an open-addressing table: a lookup is a
/// multiply, a shift and usually one comparison.
struct ShortIndex {
    keys: Vec<u128>,
    codes: Vec<u32>,
    shift: u32,
}

impl ShortIndex {
    const EMPTY: u32 = u32::MAX;

    fn new(index: &HashMap<Label<'_>, u32, Fx>) -> Self {
        let size = (4 * index.len()).next_power_of_two().max(16);
        let mut table = ShortIndex {
            keys: vec![0; size],
            codes: vec![Self::EMPTY; size],
            shift: 64 - size.trailing_zeros(),
        };
        for (label, &code) in index {
            if let Label::Short(view) = *label {
                let mut i = table.slot(view);
                while table.codes[i] != Self::EMPTY {
                    i = (i + 1) & (size - 1);
                }
                table.keys[i] = view;
                table.codes[i] = code;
            }
        }
        table
    }

    /// An empty index; it grows as keys are added with [`ShortIndex::insert`].
    fn empty() -> Self {
        ShortIndex::new(&HashMap::default())
    }

    /// Adds `view` with `code` unless it is there; doubles the table when half full.
    fn insert(&mut self, view: u128, code: u32) -> bool {
        if self.get(view).is_some() {
            return false;
        }
        if 2 * (self.len() + 1) > self.codes.len() {
            let size = 2 * self.codes.len();
            let old = std::mem::replace(
                self,
                ShortIndex {
                    keys: vec![0; size],
                    codes: vec![Self::EMPTY; size],
                    shift: 64 - size.trailing_zeros(),
                },
            );
            for (&k, &c) in old.keys.iter().zip(&old.codes) {
                if c != Self::EMPTY {
                    self.place(k, c);
                }
            }
        }
        self.place(view, code);
        true
    }

    /// Puts a key that is not there into the first free slot of its probe sequence.
    fn place(&mut self, view: u128, code: u32) {
        let mask = self.codes.len() - 1;
        let mut i = self.slot(view);
        while self.codes[i] != Self::EMPTY {
            i = (i + 1) & mask;
        }
        self.keys[i] = view;
        self.codes[i] = code;
    }

    fn len(&self) -> usize {
        self.codes.iter().filter(|&&c| c != Self::EMPTY).count()
    }

    fn slot(&self, view: u128) -> usize {
        let x = (view as u64) ^ ((view >> 64) as u64).rotate_left(29);
        (x.wrapping_mul(FX_SEED) >> self.shift) as usize
    }

    fn get(&self, view: u128) -> Option<u32> {
        let mask = self.codes.len() - 1;
        let mut i = self.slot(view);
        loop {
            let code = self.codes[i];
            if code == Self::EMPTY {
                return None;
            }
            if self.keys[i] == view {
                return Some(code);
            }
            i = (i + 1) & mask;
        }
    }
}

/// Calls `f(row, label)` for every row of a text column (a missing value reads as ""), until
/// `f` returns false.
fn for_each_label<'a>(text: &'a StringChunked, mut f: impl FnMut(usize, Label<'a>) -> bool) {
    if text.null_count() > 0 {
        for (row, v) in text.iter().enumerate() {
            if !f(row, Label::of(v.unwrap_or(""))) {
                return;
            }
        }
        return;
    }
    let mut row = 0;
    for arr in text.downcast_iter() {
        for (i, view) in arr.views().iter().enumerate() {
            let label = if view.length as usize <= MAX_SHORT {
                Label::Short(view.as_u128())
            } else {
                Label::Long(arr.value(i))
            };
            if !f(row, label) {
                return;
            }
            row += 1;
        }
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
            // Short labels (nearly always) in an open-addressing table, the others hashed.
            let (mut short, mut long) = (ShortIndex::empty(), HashSet::<&str, Fx>::default());
            let mut n_short = 0;
            let mut last = None;
            for_each_label(&text, |_, v| {
                if last != Some(v) {
                    match v {
                        Label::Short(view) => n_short += u32::from(short.insert(view, n_short)),
                        Label::Long(text) => {
                            long.insert(text);
                        }
                    }
                    last = Some(v);
                }
                true
            });
            let shorts = short.keys.iter().zip(&short.codes);
            let mut levels: Vec<String> = shorts
                .filter(|(_, &c)| c != ShortIndex::EMPTY)
                .map(|(&k, _)| Label::Short(k).text())
                .chain(long.iter().map(|t| t.to_string()))
                .collect();
            levels.sort_unstable();
            levels.dedup();
            levels
        }
        Labels::Numbers(values) => {
            let found: HashSet<u64, Fx> = values.iter().map(|&v| number_key(v)).collect();
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
    let mut codes = Vec::with_capacity(col.len());
    match labels(col)? {
        Labels::Text(text) => {
            let index: HashMap<Label<'_>, u32, Fx> = levels
                .iter()
                .enumerate()
                .map(|(i, l)| (Label::of(l), i as u32))
                .collect();
            let short = ShortIndex::new(&index);
            let mut unknown = None;
            for_each_label(&text, |row, v| {
                let found = match v {
                    Label::Short(view) => short.get(view),
                    Label::Long(_) => index.get(&v).copied(),
                };
                // A view that is not zero-padded would miss: look it up by its text.
                match found.or_else(|| index.get(&Label::of(v.text().as_str())).copied()) {
                    Some(code) => {
                        codes.push(code);
                        true
                    }
                    None => {
                        let label = v.text();
                        unknown = Some(UnknownLevel { row, label });
                        false
                    }
                }
            });
            if let Some(u) = unknown {
                return Ok(Err(u));
            }
        }
        Labels::Numbers(values) => {
            let mut seen: HashMap<u64, Option<u32>, Fx> = HashMap::default();
            for (row, &v) in values.iter().enumerate() {
                let key = number_key(v);
                let code = *seen.entry(key).or_insert_with(|| {
                    let label = format_number(f64::from_bits(key));
                    levels.iter().position(|l| *l == label).map(|i| i as u32)
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
