//! Design blocks that keep a categorical variable as integer codes, never as one-hot columns.
//!
//! Every block here maps each row to exactly one *slot* (a level, or a cell of a two-way
//! table); the first `skip` slots are not columns (the reference level under treatment
//! coding, or the cells of an interaction that are not in the model), and slot `s >= skip`
//! is the block's column `s - skip`. A row whose slot is skipped contributes nothing. The
//! kernels in [`super::blocks`] and [`super::sandwich`] work on this common view, [`Coded`].

use crate::error::{Error, Result};

/// The view of a coded block that the kernels use: a slot per row, optionally a value per
/// row (the numeric factor of a categorical-by-numeric interaction).
#[derive(Clone, Copy)]
pub(crate) struct Coded<'a> {
    /// Slot of each row, `< n_slots`.
    pub codes: &'a [u32],
    /// The value of each row; `None` means 1.
    pub values: Option<&'a [f64]>,
    /// Number of slots.
    pub n_slots: usize,
    /// Slots `0..skip` are not columns.
    pub skip: usize,
}

/// Checks that every code is below `n_levels`; names the first row that is not.
fn check_codes(codes: &[u32], n_levels: usize, names: &[String]) -> Result<()> {
    // Every `u32` is below a larger number of levels; otherwise the test compares `u32`s,
    // which vectorizes.
    let Ok(limit) = u32::try_from(n_levels) else {
        return Ok(());
    };
    if let Some(row) = crate::scan::first_where(codes, |c| c >= limit) {
        return Err(Error::data(
            names.first().map(String::as_str),
            Some(row),
            format!(
                "level code {} is out of range for a categorical with {n_levels} levels \
                 (codes run from 0 to {})",
                codes[row],
                n_levels.saturating_sub(1)
            ),
        ));
    }
    Ok(())
}

/// Checks the number of levels and of column names of a one-factor block.
fn check_levels(n_levels: usize, drop_first: bool, names: &[String]) -> Result<()> {
    if n_levels == 0 || n_levels > u32::MAX as usize {
        return Err(Error::data(
            names.first().map(String::as_str),
            None,
            format!("a categorical needs between 1 and 2^32 levels, not {n_levels}"),
        ));
    }
    let ncols = n_levels - usize::from(drop_first);
    if names.len() != ncols {
        return Err(Error::Shape {
            what: "the column names of a categorical block".into(),
            expected: ncols,
            found: names.len(),
        });
    }
    Ok(())
}

/// A categorical variable stored as level codes `0..n_levels`.
///
/// With `drop_first` (treatment coding) level 0 is the reference and has no column, so the
/// block has `n_levels - 1` columns; otherwise it has one column per level (full coding).
///
/// ```
/// use rustystats::design::CategoricalBlock;
/// let g = CategoricalBlock::new(vec![0, 2, 1, 2], 3, true, vec!["g[b]".into(), "g[c]".into()])
///     .unwrap();
/// assert_eq!(g.ncols(), 2);
/// ```
#[derive(Debug, Clone)]
pub struct CategoricalBlock {
    codes: Vec<u32>,
    n_levels: usize,
    drop_first: bool,
    names: Vec<String>,
}

impl CategoricalBlock {
    /// Builds the block; `names` has one entry per column (`n_levels - drop_first`).
    pub fn new(
        codes: Vec<u32>,
        n_levels: usize,
        drop_first: bool,
        names: Vec<String>,
    ) -> Result<Self> {
        check_levels(n_levels, drop_first, &names)?;
        check_codes(&codes, n_levels, &names)?;
        Ok(CategoricalBlock {
            codes,
            n_levels,
            drop_first,
            names,
        })
    }

    /// The level code of each row.
    pub fn codes(&self) -> &[u32] {
        &self.codes
    }

    /// The number of levels (columns plus the dropped reference, if any).
    pub fn n_levels(&self) -> usize {
        self.n_levels
    }

    /// Whether level 0 is the reference and has no column.
    pub fn drop_first(&self) -> bool {
        self.drop_first
    }

    /// Column names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Number of columns.
    pub fn ncols(&self) -> usize {
        self.names.len()
    }

    /// Number of rows.
    pub fn nrows(&self) -> usize {
        self.codes.len()
    }

    pub(crate) fn coded(&self) -> Coded<'_> {
        Coded {
            codes: &self.codes,
            values: None,
            n_slots: self.n_levels,
            skip: usize::from(self.drop_first),
        }
    }

    /// The block restricted to `rows` (each `< nrows()`), in that order.
    pub(crate) fn select_rows(&self, rows: &[usize]) -> Self {
        CategoricalBlock {
            codes: gather(&self.codes, rows),
            n_levels: self.n_levels,
            drop_first: self.drop_first,
            names: self.names.clone(),
        }
    }
}

/// A categorical variable times a numeric one (the interaction `x:g`): row `i` has the value
/// `values[i]` in the column of its level and zero elsewhere.
///
/// `drop_first` leaves out the column of level 0, as R does for `x:g` when the main effect `x`
/// is in the model.
#[derive(Debug, Clone)]
pub struct CatNumBlock {
    codes: Vec<u32>,
    n_levels: usize,
    drop_first: bool,
    values: Vec<f64>,
    names: Vec<String>,
}

impl CatNumBlock {
    /// Builds the block; `values` has one entry per row, `names` one per column.
    pub fn new(
        codes: Vec<u32>,
        n_levels: usize,
        drop_first: bool,
        values: Vec<f64>,
        names: Vec<String>,
    ) -> Result<Self> {
        check_levels(n_levels, drop_first, &names)?;
        if values.len() != codes.len() {
            return Err(Error::Shape {
                what: "the numeric values of a categorical-by-numeric block".into(),
                expected: codes.len(),
                found: values.len(),
            });
        }
        check_codes(&codes, n_levels, &names)?;
        Ok(CatNumBlock {
            codes,
            n_levels,
            drop_first,
            values,
            names,
        })
    }

    /// The level code of each row.
    pub fn codes(&self) -> &[u32] {
        &self.codes
    }

    /// The numeric value of each row.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The number of levels.
    pub fn n_levels(&self) -> usize {
        self.n_levels
    }

    /// Whether level 0 has no column.
    pub fn drop_first(&self) -> bool {
        self.drop_first
    }

    /// Column names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Number of columns.
    pub fn ncols(&self) -> usize {
        self.names.len()
    }

    /// Number of rows.
    pub fn nrows(&self) -> usize {
        self.codes.len()
    }

    pub(crate) fn coded(&self) -> Coded<'_> {
        Coded {
            codes: &self.codes,
            values: Some(&self.values),
            n_slots: self.n_levels,
            skip: usize::from(self.drop_first),
        }
    }

    /// The block restricted to `rows` (each `< nrows()`), in that order.
    pub(crate) fn select_rows(&self, rows: &[usize]) -> Self {
        CatNumBlock {
            codes: gather(&self.codes, rows),
            n_levels: self.n_levels,
            drop_first: self.drop_first,
            values: gather(&self.values, rows),
            names: self.names.clone(),
        }
    }
}

/// The interaction of two categoricals `a:b`, stored as one code per row: the cell of the
/// two-way table, reduced at construction to the column it falls in (or none).
///
/// The columns are the cells listed in `cells`, in that order; rows in other cells (for
/// example those at a reference level under treatment coding) are zero in every column.
#[derive(Debug, Clone)]
pub struct CatCatBlock {
    /// 0 when the row's cell is not a column, `j + 1` for column `j`.
    slots: Vec<u32>,
    n_levels: (usize, usize),
    cells: Vec<(u32, u32)>,
    names: Vec<String>,
}

impl CatCatBlock {
    /// Builds the block from the level codes of both factors and the cells `(level of a,
    /// level of b)` that are columns; `names` has one entry per cell.
    pub fn new(
        codes_a: &[u32],
        n_levels_a: usize,
        codes_b: &[u32],
        n_levels_b: usize,
        cells: Vec<(u32, u32)>,
        names: Vec<String>,
    ) -> Result<Self> {
        if names.len() != cells.len() {
            return Err(Error::Shape {
                what: "the column names of a categorical interaction".into(),
                expected: cells.len(),
                found: names.len(),
            });
        }
        if codes_b.len() != codes_a.len() {
            return Err(Error::Shape {
                what: "the codes of the second factor of a categorical interaction".into(),
                expected: codes_a.len(),
                found: codes_b.len(),
            });
        }
        let n_cells = n_levels_a
            .checked_mul(n_levels_b)
            .filter(|&c| c > 0 && cells.len() < u32::MAX as usize)
            .ok_or_else(|| {
                Error::data(
                    names.first().map(String::as_str),
                    None,
                    format!(
                        "a categorical interaction of {n_levels_a} by {n_levels_b} levels \
                         is empty or too large"
                    ),
                )
            })?;
        check_codes(codes_a, n_levels_a, &names)?;
        check_codes(codes_b, n_levels_b, &names)?;
        // Cell -> slot table, then one slot per row.
        let mut slot_of_cell = vec![0u32; n_cells];
        for (j, &(a, b)) in cells.iter().enumerate() {
            let (a, b) = (a as usize, b as usize);
            let name = &names[j];
            if a >= n_levels_a || b >= n_levels_b {
                return Err(Error::data(
                    Some(name),
                    None,
                    format!(
                        "cell ({a}, {b}) is outside the {n_levels_a} by {n_levels_b} table of \
                         levels"
                    ),
                ));
            }
            let cell = &mut slot_of_cell[a * n_levels_b + b];
            if *cell != 0 {
                return Err(Error::data(
                    Some(name),
                    None,
                    format!("cell ({a}, {b}) is listed twice; each cell can be one column"),
                ));
            }
            *cell = j as u32 + 1;
        }
        let slots = codes_a
            .iter()
            .zip(codes_b)
            .map(|(&a, &b)| slot_of_cell[a as usize * n_levels_b + b as usize])
            .collect();
        Ok(CatCatBlock {
            slots,
            n_levels: (n_levels_a, n_levels_b),
            cells,
            names,
        })
    }

    /// The cells of R's coding of `a:b`: all pairs of non-dropped levels, the level of `a`
    /// varying fastest (`a1:b1, a2:b1, ..., a1:b2, ...`).
    pub fn product_cells(
        n_levels_a: usize,
        drop_first_a: bool,
        n_levels_b: usize,
        drop_first_b: bool,
    ) -> Vec<(u32, u32)> {
        let first_a = u32::from(drop_first_a);
        let first_b = u32::from(drop_first_b);
        (first_b..n_levels_b as u32)
            .flat_map(|b| (first_a..n_levels_a as u32).map(move |a| (a, b)))
            .collect()
    }

    /// The number of levels of the two factors.
    pub fn n_levels(&self) -> (usize, usize) {
        self.n_levels
    }

    /// The cells that are columns, in column order.
    pub fn cells(&self) -> &[(u32, u32)] {
        &self.cells
    }

    /// The column of each row (`None` when the row's cell is not a column).
    pub fn column_of_row(&self, i: usize) -> Option<usize> {
        (self.slots[i] as usize).checked_sub(1)
    }

    /// Column names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Number of columns.
    pub fn ncols(&self) -> usize {
        self.names.len()
    }

    /// Number of rows.
    pub fn nrows(&self) -> usize {
        self.slots.len()
    }

    pub(crate) fn coded(&self) -> Coded<'_> {
        Coded {
            codes: &self.slots,
            values: None,
            n_slots: self.cells.len() + 1,
            skip: 1,
        }
    }

    /// The block restricted to `rows` (each `< nrows()`), in that order.
    pub(crate) fn select_rows(&self, rows: &[usize]) -> Self {
        CatCatBlock {
            slots: gather(&self.slots, rows),
            n_levels: self.n_levels,
            cells: self.cells.clone(),
            names: self.names.clone(),
        }
    }
}

/// `values[rows[0]], values[rows[1]], ...`
pub(crate) fn gather<T: Copy>(values: &[T], rows: &[usize]) -> Vec<T> {
    rows.iter().map(|&i| values[i]).collect()
}
