//! Categorical columns as level codes: the sorted distinct labels of a column, and each row's
//! position among given levels, without a string per row.
//!
//! A text (or boolean) column's labels are its values as text; a numeric column's labels are
//! its numbers formatted as the model frame prints them, sorted by value.

use std::collections::HashMap;
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
///
/// The table is kept at most 1/8 full, so that nearly every key sits in its own slot and a
/// lookup rarely probes further: with labels in random order, a probe that sometimes goes
/// on is a branch the processor cannot predict, and a wrong guess costs more than the rest
/// of the lookup.
struct ShortIndex {
    keys: Vec<u128>,
    codes: Vec<u32>,
    shift: u32,
    len: usize,
}

impl ShortIndex {
    const EMPTY: u32 = u32::MAX;

    /// Slots per key at least.
    const SPREAD: usize = 8;

    /// An empty table with room for `size` keys (a power of two).
    fn with_size(size: usize) -> Self {
        ShortIndex {
            keys: vec![0; size],
            codes: vec![Self::EMPTY; size],
            shift: 64 - size.trailing_zeros(),
            len: 0,
        }
    }

    /// The short labels of `index` with their codes.
    fn new(index: &HashMap<Label<'_>, u32, Fx>) -> Self {
        let mut table = Self::with_size((Self::SPREAD * index.len()).next_power_of_two().max(64));
        for (label, &code) in index {
            if let Label::Short(view) = *label {
                table.place(view, code);
            }
        }
        table
    }

    /// The code of `view`, or `next` after adding `view` with it; doubles the table when
    /// more than 1/8 full.
    fn get_or_insert(&mut self, view: u128, next: u32) -> u32 {
        if let Some(code) = self.get(view) {
            return code;
        }
        if Self::SPREAD * (self.len + 1) > self.codes.len() {
            let old = std::mem::replace(self, Self::with_size(2 * self.codes.len()));
            for (&k, &c) in old.keys.iter().zip(&old.codes) {
                if c != Self::EMPTY {
                    self.place(k, c);
                }
            }
        }
        self.place(view, next);
        next
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
        self.len += 1;
    }

    #[inline(always)]
    fn slot(&self, view: u128) -> usize {
        let x = (view as u64) ^ ((view >> 64) as u64).rotate_left(29);
        (x.wrapping_mul(FX_SEED) >> self.shift) as usize
    }

    #[inline(always)]
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

/// A categorical column as codes: its distinct labels, sorted (text as strings, numbers by
/// value), and each row's position among them.
#[derive(Debug, Clone, PartialEq)]
pub struct Coding {
    /// The distinct labels, sorted.
    pub levels: Vec<String>,
    /// Each row's position in `levels`.
    pub codes: Vec<u32>,
}

/// Codes in the order labels are first met, the label of each code, in one pass over the
/// rows.
struct FirstSeen<'a> {
    codes: Vec<u32>,
    labels: Vec<Label<'a>>,
}

impl<'a> FirstSeen<'a> {
    /// The code of a label not found in `short`: a new one, or that of a long label seen
    /// before (kept out of the row loop, which mostly finds short labels).
    #[cold]
    #[inline(never)]
    fn add(
        &mut self,
        label: Label<'a>,
        short: &mut ShortIndex,
        long: &mut HashMap<&'a str, u32, Fx>,
    ) -> u32 {
        let next = self.labels.len() as u32;
        let code = match label {
            Label::Short(view) => short.get_or_insert(view, next),
            Label::Long(t) => *long.entry(t).or_insert(next),
        };
        if code == next {
            self.labels.push(label);
        }
        code
    }
}

fn first_seen<'a>(text: &'a StringChunked) -> FirstSeen<'a> {
    // Short labels (nearly always) in an open-addressing table, the others hashed.
    let mut short = ShortIndex::with_size(64);
    let mut long = HashMap::<&str, u32, Fx>::default();
    let mut seen = FirstSeen {
        codes: Vec::with_capacity(text.len()),
        labels: Vec::new(),
    };
    if text.null_count() > 0 {
        let mut codes = Vec::with_capacity(text.len());
        for_each_label(text, |_, v| {
            let found = match v {
                Label::Short(view) => short.get(view),
                Label::Long(_) => None,
            };
            codes.push(found.unwrap_or_else(|| seen.add(v, &mut short, &mut long)));
            true
        });
        seen.codes = codes;
        return seen;
    }
    // The row loop on the views themselves: a lookup per row, no call.
    for arr in text.downcast_iter() {
        for (i, view) in arr.views().iter().enumerate() {
            let code = if view.length as usize <= MAX_SHORT {
                let v = view.as_u128();
                match short.get(v) {
                    Some(code) => code,
                    None => seen.add(Label::Short(v), &mut short, &mut long),
                }
            } else {
                seen.add(Label::Long(arr.value(i)), &mut short, &mut long)
            };
            seen.codes.push(code);
        }
    }
    seen
}

/// Each level's position in `levels`, by its text.
fn positions(levels: &[String]) -> HashMap<&str, u32, Fx> {
    levels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i as u32))
        .collect()
}

/// Renumbers `codes` by `to[code]`, unless that changes nothing.
fn renumber(codes: &mut [u32], to: &[u32]) {
    if to.iter().enumerate().any(|(i, &t)| t as usize != i) {
        codes.iter_mut().for_each(|c| *c = to[*c as usize]);
    }
}

/// The sorted distinct labels of a categorical column and each row's code, found in one pass
/// over the rows.
///
/// ```
/// use polars::prelude::*;
/// use rustystats::frame::levels::coding;
/// let col = Column::new("area".into(), ["C", "A", "B", "A"]);
/// let c = coding(&col).unwrap();
/// assert_eq!(c.levels, ["A", "B", "C"]);
/// assert_eq!(c.codes, [2, 0, 1, 0]);
/// // The model's level order (reference `B` first):
/// let order = ["B", "A", "C"].map(String::from);
/// assert_eq!(c.into_codes(&order), Some(vec![2, 1, 0, 1]));
/// ```
pub fn coding(col: &Column) -> Result<Coding> {
    Ok(match labels(col)? {
        Labels::Text(text) => {
            let FirstSeen { mut codes, labels } = first_seen(&text);
            // A view that is not zero-padded may give a label twice: sorting and removing
            // duplicates by text merges them.
            let texts: Vec<String> = labels.iter().map(Label::text).collect();
            let mut levels = texts.clone();
            levels.sort_unstable();
            levels.dedup();
            let to: Vec<u32> = texts
                .iter()
                .map(|t| levels.binary_search(t).expect("a label is a level") as u32)
                .collect();
            renumber(&mut codes, &to);
            Coding { levels, codes }
        }
        Labels::Numbers(values) => {
            let mut seen: HashMap<u64, u32, Fx> = HashMap::default();
            let mut keys = Vec::new();
            let mut codes: Vec<u32> = values
                .iter()
                .map(|&v| {
                    let key = number_key(v);
                    *seen.entry(key).or_insert_with(|| {
                        keys.push(key);
                        keys.len() as u32 - 1
                    })
                })
                .collect();
            let mut numbers: Vec<f64> = keys.iter().map(|&k| f64::from_bits(k)).collect();
            numbers.sort_unstable_by(f64::total_cmp);
            let mut levels: Vec<String> = numbers.into_iter().map(format_number).collect();
            // Two numbers may print alike; they are one level.
            levels.dedup();
            let position = positions(&levels);
            let to: Vec<u32> = keys
                .iter()
                .map(|&k| position[format_number(f64::from_bits(k)).as_str()])
                .collect();
            renumber(&mut codes, &to);
            Coding { levels, codes }
        }
    })
}

impl Coding {
    /// The codes renumbered as positions in `levels` (the model's order of the same labels),
    /// or `None` when some label of the column is not in `levels`.
    pub fn into_codes(mut self, levels: &[String]) -> Option<Vec<u32>> {
        let position = positions(levels);
        let to = self
            .levels
            .iter()
            .map(|l| position.get(l.as_str()).copied())
            .collect::<Option<Vec<u32>>>()?;
        renumber(&mut self.codes, &to);
        Some(self.codes)
    }
}

/// The distinct labels of a categorical column, sorted (text as strings, numbers by value).
pub fn levels(col: &Column) -> Result<Vec<String>> {
    Ok(coding(col)?.levels)
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
    let Coding { levels, codes } = coding(col)?;
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
    fn one_pass_coding_agrees_with_levels_then_codes() {
        // Short and long labels in no order, repeated, with a null in one version.
        let long = "a label longer than twelve bytes";
        let texts = ["b", long, "a", "b", "zz", long, "a", "", "b"];
        let plain = Column::new("g".into(), texts);
        let with_null = Column::new(
            "g".into(),
            texts
                .iter()
                .map(|t| (!t.is_empty()).then_some(*t))
                .collect::<Vec<_>>(),
        );
        let numbers = Column::new("n".into(), [3.0, -1.0, 0.5, 3.0, -0.0, 0.0, 10.0]);
        for col in [plain, with_null, numbers] {
            let c = coding(&col).unwrap();
            let levels = levels_then_codes_reference(&col);
            assert_eq!(c.levels, levels.0, "{}", col.name());
            assert_eq!(c.codes, levels.1, "{}", col.name());
        }
    }

    /// The levels sorted by hand and each row's position, read row by row as text.
    fn levels_then_codes_reference(col: &Column) -> (Vec<String>, Vec<u32>) {
        let rows: Vec<String> = match labels(col).unwrap() {
            Labels::Text(t) => t.iter().map(|v| v.unwrap_or("").to_string()).collect(),
            Labels::Numbers(v) => v.iter().map(|&x| format_number(x + 0.0)).collect(),
        };
        let mut levels = rows.clone();
        if matches!(labels(col).unwrap(), Labels::Numbers(_)) {
            levels.sort_by(|a, b| a.parse::<f64>().unwrap().total_cmp(&b.parse().unwrap()));
        } else {
            levels.sort();
        }
        levels.dedup();
        let codes = rows
            .iter()
            .map(|r| levels.iter().position(|l| l == r).unwrap() as u32)
            .collect();
        (levels, codes)
    }

    #[test]
    fn codes_follow_the_models_level_order() {
        let col = Column::new("g".into(), ["b", "c", "a", "b"]);
        // The model's order: reference `c` first.
        let order = ["c", "a", "b"].map(String::from);
        assert_eq!(
            coding(&col).unwrap().into_codes(&order),
            Some(vec![2, 0, 1, 2])
        );
        // A label the model does not know: no codes (the caller reports the row).
        let short = ["a", "b"].map(String::from);
        assert_eq!(coding(&col).unwrap().into_codes(&short), None);
    }

    #[test]
    fn many_levels_grow_the_table() {
        let texts: Vec<String> = (0..5000)
            .map(|i| format!("L{}", (i * 7919) % 3001))
            .collect();
        let col = Column::new("g".into(), texts.clone());
        let c = coding(&col).unwrap();
        assert_eq!(c.levels.len(), 3001);
        for (t, &k) in texts.iter().zip(&c.codes) {
            assert_eq!(&c.levels[k as usize], t);
        }
        assert!(c.levels.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn booleans_are_text() {
        let col = Column::new("b".into(), [true, false, true]);
        let (labels, levels) = categories(&col).unwrap();
        assert_eq!(levels, ["false", "true"]);
        assert_eq!(labels, ["true", "false", "true"]);
    }
}
