//! Number comparisons for tests, with the tolerance in the failure message.
#![allow(dead_code)]

/// Asserts `|got - want| <= rel * |want|` (plus a tiny absolute floor for exact zeros).
#[track_caller]
pub fn close(what: &str, got: f64, want: f64, rel: f64) {
    near(what, got, want, rel, 1e-300);
}

/// [`close`] for every element (and equal lengths).
#[track_caller]
pub fn close_all(what: &str, got: &[f64], want: &[f64], rel: f64) {
    near_all(what, got, want, rel, 1e-300);
}

/// Asserts `|got - want| <= rel * max(|want|, scale)`: relative for values above `scale`,
/// absolute (`rel * scale`) for values near zero.
#[track_caller]
pub fn near(what: &str, got: f64, want: f64, rel: f64, scale: f64) {
    let tol = rel * want.abs().max(scale);
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got:.15e}, want {want:.15e} (diff {:.3e}, tolerance {tol:.1e})",
        (got - want).abs()
    );
}

/// [`near`] for every element (and equal lengths).
#[track_caller]
pub fn near_all(what: &str, got: &[f64], want: &[f64], rel: f64, scale: f64) {
    assert_eq!(got.len(), want.len(), "{what}: lengths");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        near(&format!("{what}[{i}]"), *g, *w, rel, scale);
    }
}
