//! Checks that turn numbers a fit cannot represent into errors that name the row and column,
//! and a warning for columns so nearly collinear that their estimates mean nothing one by one.

use crate::linalg::{Covariance, Gram};

use crate::design::{chunked_sum, Design};
use crate::error::{Error, Result};
use crate::family::{deviance_at, Family};

/// A column whose variance inflation factor is above this is reported as nearly collinear.
///
/// The factor `1 / (1 - R^2)` is the square of how much the column's standard error grows
/// because the other columns explain it; above 1e6 the column's own part (independent of the
/// others) is under 0.1% of its spread and its standard error more than 1000 times what it
/// would be alone. Exact dependence is caught before that by the aliasing rule (independent
/// part under ~3e-6 of the norm). The R reference fits stay far below it (the largest is
/// about 17,000, star98's interactions; Longley's classic ill-conditioned regression about
/// 1,800), as do the tutorials' models and raw polynomials of degree 3.
pub const VIF_WARNING: f64 = 1e6;

/// The response must leave a finite deviance and Pearson chi2 at its own weighted mean:
/// otherwise a value is too large for `f64` arithmetic (`1e308` in a Gaussian response squares
/// to infinity, and the fit would fail later with a message about links; `1e200` in a Poisson
/// response would give an infinite Pearson chi2 and meaningless standard errors). The error
/// names the value farthest from the mean (`row_label` gives the 1-based row number shown).
pub(crate) fn response_fits_in_f64(
    family: &Family,
    y: &[f64],
    w: &[f64],
    row_label: &dyn Fn(usize) -> usize,
) -> Result<()> {
    let sum_w = chunked_sum(y.len(), |i| w[i]);
    let mean = chunked_sum(y.len(), |i| w[i] * y[i]) / sum_w;
    let pearson = || {
        let v = family.variance(mean);
        chunked_sum(y.len(), |i| {
            if w[i] == 0.0 {
                0.0
            } else {
                w[i] * (y[i] - mean) * (y[i] - mean) / v
            }
        })
    };
    if mean.is_finite() && deviance_at(family, y, w, |_| mean).is_finite() && pearson().is_finite()
    {
        return Ok(());
    }
    // The value farthest from the mean (or the largest, when the mean itself overflows).
    let centre = if mean.is_finite() { mean } else { 0.0 };
    let culprit = (0..y.len())
        .filter(|&i| w[i] != 0.0)
        .max_by(|&a, &b| (y[a] - centre).abs().total_cmp(&(y[b] - centre).abs()));
    let Some(i) = culprit else {
        return Ok(());
    };
    Err(Error::data(
        None,
        Some(row_label(i) - 1),
        format!(
            "the response value {:e} is out of reach of 64-bit floats: its deviance or \
             squared Pearson residual from the response's mean overflows (the largest float is \
             about 1.8e308); check the value, or rescale the response (divide it by a power \
             of 10)",
            y[i]
        ),
    ))
}

/// After a fit with aliased columns: a column whose weighted sum of squares overflows (values
/// of about 1e155 and more) looks aliased to the solver, but is a value too large for `f64`
/// arithmetic. The error names the column and the row with the largest value.
pub(crate) fn aliased_columns_fit_in_f64(
    x: &dyn Design,
    aliased: &[bool],
    w: &[f64],
    row_label: &dyn Fn(usize) -> usize,
) -> Result<()> {
    if !aliased.iter().any(|a| *a) {
        return Ok(());
    }
    let p = x.ncols();
    let mut sum_sq = vec![0.0; p];
    let mut largest = vec![(0.0f64, 0usize); p];
    let mut row = vec![0.0; p];
    for (i, &wi) in w.iter().enumerate().take(x.nrows()) {
        x.row(i, &mut row);
        for j in (0..p).filter(|&j| aliased[j]) {
            sum_sq[j] += wi * row[j] * row[j];
            if row[j].abs() > largest[j].0 {
                largest[j] = (row[j].abs(), i);
            }
        }
    }
    match (0..p).find(|&j| aliased[j] && !sum_sq[j].is_finite()) {
        None => Ok(()),
        Some(j) => {
            let name = &x.column_names()[j];
            let (value, i) = largest[j];
            Err(Error::data(
                Some(name),
                Some(row_label(i) - 1),
                format!(
                    "the value {value:e} is too large: the weighted sum of squares of column \
                     `{name}` overflows a 64-bit float (values from about 1e154 on do), so \
                     the fit cannot use it; rescale the column (divide it by a power of 10, \
                     or take its log) or check the value"
                ),
            ))
        }
    }
}

/// A warning naming the columns whose variance inflation factor exceeds [`VIF_WARNING`], from
/// `cov_unscaled = (X'WX)^-1` of the kept columns and `gram = X'WX` itself. With an intercept
/// (kept column `intercept`) the factor is the usual centred one,
/// `(X'WX)^-1_jj * (A_jj - A_0j^2 / A_00)` with `A = X'WX` (weighted by the working weights);
/// without one, `A_jj (X'WX)^-1_jj`. Both are invariant to the columns' scales, so raw
/// polynomial and spline columns are judged fairly. Only the design columns with `judged`
/// set are named.
pub(crate) fn collinearity_warning(
    names: &[String],
    keep: &[usize],
    judged: &[bool],
    cov_unscaled: &Covariance,
    gram: &Gram,
    intercept: Option<usize>,
) -> Option<String> {
    let k = keep.len();
    if k < 2 || gram.ncols() < k || cov_unscaled.dim() != k {
        return None;
    }
    let a = |i: usize, j: usize| gram.get(keep[i], keep[j]);
    let vif = |j: usize| -> f64 {
        let spread = match intercept {
            Some(c) => a(j, j) - a(c, j) * a(c, j) / a(c, c),
            None => a(j, j),
        };
        cov_unscaled.variance(j) * spread
    };
    let high: Vec<(usize, f64)> = (0..k)
        .filter(|&j| Some(j) != intercept && judged[keep[j]])
        .map(|j| (j, vif(j)))
        .filter(|(_, v)| *v > VIF_WARNING)
        .collect();
    if high.is_empty() {
        return None;
    }
    let cols: Vec<String> = high
        .iter()
        .map(|(j, v)| format!("`{}` ({v:.2e})", names[keep[*j]]))
        .collect();
    Some(format!(
        "nearly collinear columns: {} {} explained by the other columns except for under 0.1% \
         of {} spread (variance inflation factor in brackets, above {VIF_WARNING:.0e}), so {} \
         standard errors are inflated more than 1000-fold and the estimates are not \
         meaningful one by one; drop or combine the redundant columns",
        crate::error::listed(&cols),
        if high.len() == 1 { "is" } else { "are" },
        if high.len() == 1 { "its" } else { "their" },
        if high.len() == 1 { "its" } else { "their" },
    ))
}

/// The most `p x p` matrices of 8-byte numbers a fit holds at once: `X'WX` and the previous
/// iteration's, the equilibrated copy that is factored, the aliasing pass's work copy, and at
/// the end the inverse, its work space and the covariances.
pub const DENSE_COPIES: u64 = 6;

/// The most columns a fit solves with a dense `X'WX`: its factorizations (`p^3 / 3` flops
/// each, about six a fit with the aliasing pass and the inverse) take minutes from about
/// 15,000 columns on (a 20,000-column fit ran for more than 11 minutes on a 2-core machine).
pub const DENSE_COLUMNS_MAX: usize = 15_000;

/// The most `m x L` matrices of 8-byte numbers a fit with a bordered `X'WX` (a factor of
/// `L` levels kept as a diagonal, `m` other columns) holds at once: the cross part of `X'WX`
/// as the kernel sums it and as kept, the previous iteration's, the scaled copy in the
/// factor and the previous iteration's, and at the end the inverse's two.
pub const BORDERED_COPIES: u64 = 8;

/// An error, before the solver allocates anything that grows with the number of columns
/// squared, when its `X'WX` would not fit in memory or take too long: the dense check of
/// [`dense_solve_fits`], or with a factor kept as a diagonal (`bordered`, its columns),
/// [`BORDERED_COPIES`] matrices of its levels by the other columns, and the other columns
/// at most [`DENSE_COLUMNS_MAX`].
pub(crate) fn solve_fits(
    names: &[String],
    bordered: Option<std::ops::Range<usize>>,
    available: Option<u64>,
) -> Result<()> {
    let Some(block) = bordered else {
        return dense_solve_fits(names, available);
    };
    let (levels, others) = (block.len() as u64, (names.len() - block.len()) as u64);
    let too_slow = (others as usize > DENSE_COLUMNS_MAX).then(|| {
        format!(
            "take minutes to hours with more than {DENSE_COLUMNS_MAX} other columns (O(m^3) work)"
        )
    });
    let Some(why) = too_big(
        BORDERED_COPIES.saturating_mul(levels.saturating_mul(others)),
        available,
        too_slow,
    ) else {
        return Ok(());
    };
    let big = widest_term(&names[block.clone()]).0;
    let rest: Vec<String> = (names.iter().enumerate())
        .filter(|(j, _)| !block.contains(j))
        .map(|(_, n)| n.clone())
        .collect();
    let (term, columns) = widest_term(&rest);
    Err(Error::model(format!(
        "the model has {p} coefficients: {levels} from `{big}`, whose levels the fit keeps as \
         a diagonal, and {others} others, {columns} of them from `{term}`; the cross-products \
         of `{big}` with the others and their factorization {why}; merge the rare levels of \
         `{term}` into fewer levels, or leave the term out",
        p = names.len()
    )))
}

/// An error, before any `p x p` matrix is allocated, when the dense `X'WX` would take too
/// long (more than [`DENSE_COLUMNS_MAX`] columns) or, with its factorization, more memory
/// than is available ([`DENSE_COPIES`] of them; `available` in bytes, `None` when unknown).
/// It names the term with the most columns and what to do.
pub(crate) fn dense_solve_fits(names: &[String], available: Option<u64>) -> Result<()> {
    let p = names.len() as u64;
    let too_slow = (names.len() > DENSE_COLUMNS_MAX)
        .then(|| format!("take minutes to hours above {DENSE_COLUMNS_MAX} columns (O(p^3) work)"));
    let Some(why) = too_big(
        DENSE_COPIES.saturating_mul(p.saturating_mul(p)),
        available,
        too_slow,
    ) else {
        return Ok(());
    };
    let (term, columns) = widest_term(names);
    Err(Error::model(format!(
        "the model has {p} coefficients, {columns} of them from `{term}`: its dense \
         cross-product matrix X'WX and their factorization {why}; merge the rare levels of \
         `{term}` into fewer levels, or leave the term out"
    )))
}

/// Why matrices of `numbers` 8-byte numbers in all cannot be used: more memory than is
/// `available` (bytes, `None` when unknown), or else `too_slow`; `None` when neither holds.
fn too_big(numbers: u64, available: Option<u64>, too_slow: Option<String>) -> Option<String> {
    let need = numbers.saturating_mul(8);
    let gb = |b: u64| b as f64 / 1e9;
    match available {
        Some(available) if need > available => Some(format!(
            "need about {:.1} GB, more than the {:.1} GB of memory available",
            gb(need),
            gb(available)
        )),
        _ => too_slow,
    }
}

/// The term with the most columns, from the column names (`C(f)[level]` is a column of the
/// term `C(f)`), and its number of columns.
pub(crate) fn widest_term(names: &[String]) -> (String, usize) {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for name in names {
        let term = name.split_once('[').map_or(name.as_str(), |(t, _)| t);
        match counts.iter_mut().find(|(t, _)| *t == term) {
            Some((_, c)) => *c += 1,
            None => counts.push((term, 1)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(_, c)| c)
        .map_or((String::new(), 0), |(t, c)| (t.to_string(), c))
}

/// The memory this process may still allocate, in bytes: the smaller of the system's
/// available memory (`MemAvailable` in `/proc/meminfo`) and the room left under the control
/// group's limit; `None` where neither can be read.
pub(crate) fn available_memory() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok();
    let system = meminfo.as_deref().and_then(|m| {
        let line = m.lines().find(|l| l.starts_with("MemAvailable:"))?;
        let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb * 1024)
    });
    let read = |p: &str| -> Option<u64> { std::fs::read_to_string(p).ok()?.trim().parse().ok() };
    let group = match (
        read("/sys/fs/cgroup/memory.max"),
        read("/sys/fs/cgroup/memory.current"),
    ) {
        (Some(max), Some(current)) => Some(max.saturating_sub(current)),
        _ => None,
    };
    match (system, group) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod memory_tests {
    use super::*;

    #[test]
    fn a_model_too_wide_for_memory_is_refused_naming_its_widest_term() {
        let mut names = vec!["Intercept".to_string(), "x".to_string()];
        names.extend((1..1000).map(|k| format!("C(postcode)[P{k}]")));
        names.extend((1..10).map(|k| format!("C(area)[A{k}]")));
        // 1010 columns: 6 copies of 1010^2 doubles are 49 MB.
        assert!(dense_solve_fits(&names, Some(50_000_000)).is_ok());
        assert!(dense_solve_fits(&names, None).is_ok());
        let e = dense_solve_fits(&names, Some(40_000_000))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("1010 coefficients, 999 of them from `C(postcode)`"),
            "{e}"
        );
        assert!(
            e.contains("0.0 GB") && e.contains("merge the rare levels"),
            "{e}"
        );
    }

    #[test]
    fn a_bordered_fit_is_refused_when_the_other_columns_are_too_many() {
        // 100,000 levels kept as a diagonal and 101 other columns: 8 copies of 101 x 99,999
        // doubles are 0.65 GB; with a second factor of 20,000 levels there are too many
        // other columns.
        let mut names = vec!["Intercept".to_string()];
        names.extend((1..100_000).map(|k| format!("C(postcode)[P{k}]")));
        names.extend((0..100).map(|k| format!("x{k}")));
        let block = 1..100_000;
        assert!(solve_fits(&names, Some(block.clone()), Some(1_000_000_000)).is_ok());
        let e = solve_fits(&names, Some(block.clone()), Some(500_000_000))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("99999 from `C(postcode)`") && e.contains("0.6 GB"),
            "{e}"
        );
        names.extend((1..20_000).map(|k| format!("C(broker)[B{k}]")));
        let e = solve_fits(&names, Some(block), None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("19999 of them from `C(broker)`"), "{e}");
        assert!(e.contains("merge the rare levels of `C(broker)`"), "{e}");
    }

    #[test]
    fn available_memory_is_read_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(available_memory().is_some_and(|b| b > 0));
        }
    }
}
