//! Checks over a whole column that vectorize.
//!
//! `iter().position(bad)` stops at the first bad value, so it tests one value at a time with
//! a branch; the checks of input data nearly always find nothing. [`first_where`] tests
//! blocks of values without a branch per value (the compiler turns the test into vector
//! instructions) and looks for the position only inside a block that has a bad value.

/// Values tested together.
const BLOCK: usize = 64;

/// The position of the first value for which `bad` holds, or `None` (for example the first
/// NaN of a column, or the first level code out of range).
pub(crate) fn first_where<T: Copy>(values: &[T], bad: impl Fn(T) -> bool) -> Option<usize> {
    values.chunks(BLOCK).enumerate().find_map(|(b, block)| {
        block
            .iter()
            .fold(false, |found, &v| found | bad(v))
            .then(|| b * BLOCK + block.iter().position(|&v| bad(v)).expect("found"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_bad_value_or_none() {
        let mut v = vec![1.0_f64; 200];
        assert_eq!(first_where(&v, |x: f64| !x.is_finite()), None);
        v[130] = f64::INFINITY;
        v[170] = f64::NAN;
        assert_eq!(first_where(&v, |x: f64| !x.is_finite()), Some(130));
        assert_eq!(first_where(&v, |x: f64| x.is_nan()), Some(170));
        assert_eq!(first_where(&[] as &[u32], |c| c >= 3), None);
        assert_eq!(first_where(&[0_u32, 2, 3, 1], |c| c >= 3), Some(2));
    }
}
