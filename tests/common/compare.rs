//! One checker for every "compare with an R case" test: a fit against the numbers R reported,
//! quantity by quantity, each with its own tolerance (relative to R's value).
//!
//! The expected numbers come as one JSON object with the keys below (the fixture files store
//! them under these names, or the test maps its fixture's names onto them). A key that is
//! absent is not checked; a key that is `null` says R reports no such number, and then the fit
//! must not report one either.

use rustystats::model::GlmFit;
use serde_json::Value;

use super::close::close;

/// Coefficients: against R's run with `epsilon = 1e-13` (or the polished optimum).
pub const COEFFICIENTS: f64 = 1e-6;
/// Standard errors: R's covariance comes from its last IRLS weights, one step behind ours.
pub const STD_ERRORS: f64 = 2e-4;

/// Where a fit keeps one scalar quantity.
type Quantity = fn(&GlmFit) -> Option<f64>;

/// The scalar quantities: JSON key, relative tolerance, and where the fit keeps it.
pub const SCALARS: &[(&str, f64, Quantity)] = &[
    ("deviance", 1e-7, |f| Some(f.deviance)),
    ("null_deviance", 1e-7, |f| Some(f.null_deviance)),
    ("pearson_chi2", 1e-6, |f| Some(f.pearson_chi2)),
    ("dispersion", 1e-6, |f| Some(f.dispersion)),
    ("loglik", 1e-6, |f| f.loglik),
    ("aic", 1e-6, |f| f.aic),
    ("bic", 1e-6, |f| f.bic),
    ("theta", 1e-4, |f| f.theta.map(|t| t.0)),
    ("theta_se", 1e-3, |f| f.theta.and_then(|t| t.1)),
];

/// Compares `f` with the R numbers in `want` (see the module docs for the keys): also
/// `coefficients` and `std_errors` (null for an aliased column), `aliased`, `df_residual` and
/// `nobs`; and checks that the fit does not warn of near-collinearity.
#[track_caller]
pub fn check_fit(name: &str, f: &GlmFit, want: &Value) {
    // R's reference fits are well conditioned: the near-collinearity warning must not fire.
    assert!(
        !f.warnings.iter().any(|w| w.contains("nearly collinear")),
        "{name}: {:?}",
        f.warnings
    );
    let want = want
        .as_object()
        .expect("the expected numbers are a JSON object");
    if let Some(coefs) = want.get("coefficients") {
        let coefs = coefs.as_array().expect("coefficients: an array");
        assert_eq!(
            coefs.len(),
            f.coefficients.len(),
            "{name}: columns {:?}",
            f.names
        );
        let ses = f.std_errors();
        let want_ses = want.get("std_errors").and_then(Value::as_array);
        for (j, b) in coefs.iter().enumerate() {
            let column = &f.names[j];
            match b.as_f64() {
                Some(b) => {
                    close(
                        &format!("{name} {column}"),
                        f.coefficients[j],
                        b,
                        COEFFICIENTS,
                    );
                    if let Some(se) = want_ses.and_then(|s| s[j].as_f64()) {
                        close(&format!("{name} se {column}"), ses[j], se, STD_ERRORS);
                    }
                }
                None => assert!(f.aliased[j], "{name}: {column} should be aliased"),
            }
        }
    }
    if let Some(aliased) = want.get("aliased") {
        let aliased: Vec<bool> = aliased
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_bool().unwrap())
            .collect();
        assert_eq!(f.aliased, aliased, "{name}: aliased columns");
    }
    for (key, rel, ours) in SCALARS {
        match want.get(*key) {
            None => {}
            Some(Value::Null) => assert!(
                ours(f).is_none(),
                "{name}: R reports no {key}, the fit reports {:?}",
                ours(f)
            ),
            Some(v) => {
                let theirs = v.as_f64().unwrap_or_else(|| panic!("{name}: {key} = {v}"));
                let ours = ours(f).unwrap_or_else(|| panic!("{name}: the fit reports no {key}"));
                close(&format!("{name} {key}"), ours, theirs, *rel);
            }
        }
    }
    for (key, ours) in [("df_residual", f.df_resid), ("nobs", f.nobs)] {
        if let Some(v) = want.get(key) {
            assert_eq!(Some(ours as u64), v.as_u64(), "{name}: {key}");
        }
    }
}
