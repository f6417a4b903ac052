//! Agreement with R (reference values from `tests/r/make_spline_refs.R`) and error cases.

use super::*;
use serde_json::Value;
use std::sync::OnceLock;

const REFS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/r_splines/splines.json"
);
const BASIS_TOL: f64 = 1e-10;
const KNOT_TOL: f64 = 1e-12;

fn refs() -> &'static Value {
    static REF: OnceLock<Value> = OnceLock::new();
    REF.get_or_init(|| {
        let text = std::fs::read_to_string(REFS).expect("read spline reference file");
        serde_json::from_str(&text).expect("parse spline reference file")
    })
}

fn nums(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|a| a.as_f64().expect("number"))
        .collect()
}

fn opt_nums(v: &Value) -> Option<Vec<f64>> {
    (!v.is_null()).then(|| nums(v))
}

fn columns(v: &Value) -> Vec<Vec<f64>> {
    v.as_array().expect("columns").iter().map(nums).collect()
}

fn cases(kind: &str) -> Vec<&'static Value> {
    let all = refs()["cases"].as_array().expect("cases");
    let out: Vec<_> = all.iter().filter(|c| c["kind"] == kind).collect();
    assert!(!out.is_empty(), "no {kind} cases in the reference file");
    out
}

fn training_x(case: &Value) -> Vec<f64> {
    nums(&refs()["x"][case["x"].as_str().expect("x name")])
}

/// Largest absolute errors at points inside and beyond `[lo, hi]`.
#[derive(Default, Debug, Clone, Copy)]
struct MaxErr {
    inside: f64,
    beyond: f64,
}

impl MaxErr {
    fn merge(&mut self, other: MaxErr) {
        self.inside = self.inside.max(other.inside);
        self.beyond = self.beyond.max(other.beyond);
    }
}

fn compare(
    what: &str,
    x: &[f64],
    got: &[Vec<f64>],
    want: &[Vec<f64>],
    (lo, hi): (f64, f64),
) -> MaxErr {
    assert_eq!(got.len(), want.len(), "{what}: number of columns");
    let mut err = MaxErr::default();
    for (j, (g, w)) in got.iter().zip(want).enumerate() {
        assert_eq!(g.len(), x.len(), "{what}: column {j} length");
        for (i, (a, b)) in g.iter().zip(w).enumerate() {
            let e = (a - b).abs();
            assert!(
                e <= BASIS_TOL,
                "{what}: column {j}, x = {}: got {a}, R {b} (error {e:e})",
                x[i]
            );
            if x[i] < lo || x[i] > hi {
                err.beyond = err.beyond.max(e);
            } else {
                err.inside = err.inside.max(e);
            }
        }
    }
    err
}

fn assert_close(what: &str, got: &[f64], want: &[f64], rel: bool) {
    assert_eq!(
        got.len(),
        want.len(),
        "{what}: length ({got:?} vs R {want:?})"
    );
    for (a, b) in got.iter().zip(want) {
        let scale = if rel { b.abs().max(1.0) } else { 1.0 };
        assert!(
            (a - b).abs() <= KNOT_TOL * scale,
            "{what}: got {got:?}, R {want:?}"
        );
    }
}

/// The arguments of an R `bs()` / `ns()` call.
struct SplineArgs {
    df: Option<usize>,
    knots: Option<Vec<f64>>,
    boundary: Option<(f64, f64)>,
    intercept: bool,
}

fn spline_args(case: &Value) -> SplineArgs {
    SplineArgs {
        df: case["df"].as_u64().map(|d| d as usize),
        knots: opt_nums(&case["knots_arg"]),
        boundary: opt_nums(&case["boundary_arg"]).map(|b| (b[0], b[1])),
        intercept: case["intercept"].as_bool().expect("intercept"),
    }
}

/// A basis evaluator: x -> columns.
type Basis = Box<dyn Fn(&[f64]) -> Vec<Vec<f64>>>;

/// Runs one spline case: fit on the training x, compare the state, the training basis, the
/// basis at new points, and the basis rebuilt from R's stored state.
fn check_spline_case(
    case: &Value,
    fit: impl Fn(&[f64]) -> (Vec<f64>, (f64, f64), Basis),
    from_r_state: impl Fn(Vec<f64>, (f64, f64)) -> Basis,
) -> MaxErr {
    let call = case["r_call"].as_str().expect("call");
    let x = training_x(case);
    let (knots, boundary, basis) = fit(&x);
    let r_knots = nums(&case["knots"]);
    let r_bk = nums(&case["boundary_knots"]);
    assert_close(&format!("{call}: knots"), &knots, &r_knots, false);
    assert_close(
        &format!("{call}: boundary"),
        &[boundary.0, boundary.1],
        &r_bk,
        false,
    );
    let bk = (r_bk[0], r_bk[1]);
    let mut err = compare(
        &format!("{call} at training x"),
        &x,
        &basis(&x),
        &columns(&case["train"]),
        bk,
    );
    let newx = nums(&case["newx"]);
    let want_new = columns(&case["new"]);
    err.merge(compare(
        &format!("{call} at new x"),
        &newx,
        &basis(&newx),
        &want_new,
        bk,
    ));
    let stored = from_r_state(r_knots, bk);
    err.merge(compare(
        &format!("{call} from R's knots at new x"),
        &newx,
        &stored(&newx),
        &want_new,
        bk,
    ));
    err
}

#[test]
fn bs_matches_r() {
    let mut err = MaxErr::default();
    for case in cases("bs") {
        let SplineArgs {
            df,
            knots,
            boundary,
            intercept,
        } = spline_args(case);
        let degree = case["degree"].as_u64().expect("degree") as usize;
        err.merge(check_spline_case(
            case,
            |x| {
                let b =
                    BSpline::fit_with_intercept(x, df, knots.clone(), degree, boundary, intercept)
                        .unwrap_or_else(|e| panic!("{}: {e}", case["r_call"]));
                assert_eq!(b.ncols(), case["train"].as_array().unwrap().len());
                (
                    b.interior_knots.clone(),
                    b.boundary,
                    Box::new(move |x| b.basis(x)),
                )
            },
            |interior_knots, boundary| {
                let b = BSpline {
                    degree,
                    interior_knots,
                    boundary,
                    intercept,
                };
                Box::new(move |x| b.basis(x))
            },
        ));
    }
    println!(
        "bs: max abs error vs R inside {:e}, beyond boundary {:e}",
        err.inside, err.beyond
    );
}

#[test]
fn ns_matches_r() {
    let mut err = MaxErr::default();
    for case in cases("ns") {
        let SplineArgs {
            df,
            knots,
            boundary,
            intercept,
        } = spline_args(case);
        err.merge(check_spline_case(
            case,
            |x| {
                let b =
                    NaturalSpline::fit_with_intercept(x, df, knots.clone(), boundary, intercept)
                        .unwrap_or_else(|e| panic!("{}: {e}", case["r_call"]));
                assert_eq!(b.ncols(), case["train"].as_array().unwrap().len());
                (
                    b.interior_knots.clone(),
                    b.boundary,
                    Box::new(move |x| b.basis(x)),
                )
            },
            |interior_knots, boundary| {
                let b = NaturalSpline {
                    interior_knots,
                    boundary,
                    intercept,
                };
                Box::new(move |x| b.basis(x))
            },
        ));
    }
    println!(
        "ns: max abs error vs R inside {:e}, beyond boundary {:e}",
        err.inside, err.beyond
    );
}

#[test]
fn poly_matches_r() {
    let mut err = MaxErr::default();
    for case in cases("poly") {
        let call = case["r_call"].as_str().expect("call");
        let degree = case["degree"].as_u64().expect("degree") as usize;
        let x = training_x(case);
        let p = OrthoPoly::fit(&x, degree).unwrap_or_else(|e| panic!("{call}: {e}"));
        assert_eq!(p.ncols(), degree);
        assert_close(
            &format!("{call}: alpha"),
            &p.alpha,
            &nums(&case["alpha"]),
            true,
        );
        assert_close(
            &format!("{call}: norm2"),
            &p.norm2,
            &nums(&case["norm2"]),
            true,
        );
        let range = (
            x.iter().copied().fold(f64::INFINITY, f64::min),
            x.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        );
        err.merge(compare(
            call,
            &x,
            &p.basis(&x),
            &columns(&case["train"]),
            range,
        ));
        let newx = nums(&case["newx"]);
        let want = columns(&case["new"]);
        err.merge(compare(call, &newx, &p.basis(&newx), &want, range));
        let stored = OrthoPoly {
            degree,
            alpha: nums(&case["alpha"]),
            norm2: nums(&case["norm2"]),
        };
        err.merge(compare(call, &newx, &stored.basis(&newx), &want, range));
    }
    println!(
        "poly: max abs error vs R inside the training range {:e}, beyond it {:e}",
        err.inside, err.beyond
    );
}

#[test]
fn non_finite_new_x_gives_nan_rows() {
    let x: Vec<f64> = (0..20).map(f64::from).collect();
    let bs = BSpline::fit(&x, Some(4), None, 3, None).unwrap();
    let ns = NaturalSpline::fit(&x, Some(3), None, None).unwrap();
    let po = OrthoPoly::fit(&x, 2).unwrap();
    let newx = [f64::NAN, 5.0, f64::INFINITY, f64::NEG_INFINITY];
    for cols in [bs.basis(&newx), ns.basis(&newx), po.basis(&newx)] {
        for c in &cols {
            assert!(c[0].is_nan() && c[1].is_finite() && c[2].is_nan() && c[3].is_nan());
        }
    }
    assert!(bs.basis(&[]).iter().all(Vec::is_empty));
}

fn err_msg<T: std::fmt::Debug>(r: Result<T, SplineError>) -> String {
    let e = r.expect_err("expected an error");
    assert_eq!(e.to_string(), e.message);
    e.message
}

#[test]
fn bs_errors() {
    let x: Vec<f64> = (0..30).map(f64::from).collect();
    let m = err_msg(BSpline::fit(&x, Some(2), None, 3, None));
    assert_eq!(m, "bs(): df = 2 is less than degree 3; use df >= 3");
    let m = err_msg(BSpline::fit_with_intercept(
        &x,
        Some(3),
        None,
        3,
        None,
        true,
    ));
    assert!(
        m.contains("df = 3 is less than degree 3 + 1 (intercept); use df >= 4"),
        "{m}"
    );
    let m = err_msg(BSpline::fit(&x, Some(3), None, 0, None));
    assert!(m.contains("degree must be at least 1"), "{m}");
    let m = err_msg(BSpline::fit(&[1.0, f64::NAN, 2.0], None, None, 3, None));
    assert!(m.contains("x[1] = NaN is not finite"), "{m}");
    let m = err_msg(BSpline::fit(&[1.0, f64::INFINITY], None, None, 3, None));
    assert!(m.contains("x[1] = inf is not finite"), "{m}");
    let m = err_msg(BSpline::fit(&[], Some(4), None, 3, None));
    assert!(m.contains("x is empty"), "{m}");
    let m = err_msg(BSpline::fit(&[2.0; 10], Some(4), None, 3, None));
    assert!(m.contains("only one distinct value (2)"), "{m}");
    let m = err_msg(BSpline::fit(&x, None, Some(vec![10.0, 35.0]), 3, None));
    assert!(
        m.contains("knot 35 is outside the boundary knots [0, 29]"),
        "{m}"
    );
    let m = err_msg(BSpline::fit(&x, None, Some(vec![10.0, f64::NAN]), 3, None));
    assert!(m.contains("knot NaN is not finite"), "{m}");
    let m = err_msg(BSpline::fit(&x, None, Some(vec![10.0, 29.0]), 3, None));
    assert!(m.contains("equals the upper boundary knot 29"), "{m}");
    let m = err_msg(BSpline::fit(&x, Some(5), None, 3, Some((3.0, 3.0))));
    assert!(m.contains("both boundary knots are 3"), "{m}");
    let m = err_msg(BSpline::fit(&x, Some(5), None, 3, Some((40.0, 50.0))));
    assert!(
        m.contains("no x value lies within the boundary knots [40, 50]"),
        "{m}"
    );
    let m = err_msg(BSpline::fit(
        &x,
        Some(5),
        None,
        3,
        Some((0.0, f64::INFINITY)),
    ));
    assert!(m.contains("must be finite"), "{m}");
    // mostly tied at the maximum: quantile knots land on the upper boundary
    let mut tied = vec![9.0; 20];
    tied.extend([1.0, 2.0, 3.0]);
    let m = err_msg(BSpline::fit(&tied, Some(6), None, 3, None));
    assert!(m.contains("smaller df"), "{m}");
    // reversed boundary knots are sorted, as R does
    let b = BSpline::fit(&x, Some(4), None, 3, Some((29.0, 0.0))).unwrap();
    assert_eq!(b.boundary, (0.0, 29.0));
}

#[test]
fn ns_errors() {
    let x: Vec<f64> = (0..30).map(f64::from).collect();
    let m = err_msg(NaturalSpline::fit(&x, Some(0), None, None));
    assert_eq!(m, "ns(): df = 0 is too small; use df >= 1");
    let m = err_msg(NaturalSpline::fit_with_intercept(
        &x,
        Some(1),
        None,
        None,
        true,
    ));
    assert_eq!(
        m,
        "ns(): df = 1 is too small with an intercept; use df >= 2"
    );
    let m = err_msg(NaturalSpline::fit(
        &[0.0, 1.0, f64::NEG_INFINITY],
        Some(2),
        None,
        None,
    ));
    assert!(m.contains("x[2] = -inf is not finite"), "{m}");
    let m = err_msg(NaturalSpline::fit(&[5.0; 4], Some(2), None, None));
    assert!(m.contains("only one distinct value"), "{m}");
    let m = err_msg(NaturalSpline::fit(&x, None, Some(vec![-1.0]), None));
    assert!(
        m.contains("knot -1 is outside the boundary knots [0, 29]"),
        "{m}"
    );
    let m = err_msg(NaturalSpline::fit(&x, None, Some(vec![5.0, 29.0]), None));
    assert!(m.contains("equals the upper boundary knot"), "{m}");
}

#[test]
fn poly_errors() {
    let m = err_msg(OrthoPoly::fit(&[1.0, 2.0, 3.0], 0));
    assert!(m.contains("degree must be at least 1"), "{m}");
    let m = err_msg(OrthoPoly::fit(&[1.0, 2.0, 2.0, 1.0, 3.0], 3));
    assert_eq!(
        m,
        "poly(): degree 3 needs at least 4 distinct x values, but x has 3; use degree <= 2"
    );
    let m = err_msg(OrthoPoly::fit(&[1.0, f64::NAN, 3.0], 1));
    assert!(m.contains("x[1] = NaN is not finite"), "{m}");
    let m = err_msg(OrthoPoly::fit(&[], 1));
    assert!(m.contains("x is empty"), "{m}");
    // R: "'degree' must be less than number of unique points" (rank-deficient powers)
    let x = [0.0, 1e-4, 2e-4, 3e-4, 1e4];
    let m = err_msg(OrthoPoly::fit(&x, 3));
    assert!(
        m.contains("numerically a combination of lower powers"),
        "{m}"
    );
}
