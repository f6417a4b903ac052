//! Reference tests: every case in `tests/fixtures/refs/cases` (R 4.2.2 and statsmodels 0.15.0,
//! see the README there) fitted through the Rust API and compared quantity by quantity.
//!
//! Tolerances (relative): coefficients 1e-6 against the fully converged `polished` values,
//! standard errors 2e-4 against R, deviance and null deviance 1e-7, Pearson chi2 and the
//! dispersion 1e-6, log-likelihood / AIC / BIC 1e-6, theta 1e-4, robust HC0/HC1 2e-4.

use crate::common::*;
use rustystats::family::Family;
use rustystats::frame::{model_frame, read_data, FrameOptions};
use rustystats::inference::CovType;
use rustystats::model::{fit, GlmData, GlmFit, GlmOptions};
use rustystats::solver::IrlsOptions;

fn fit_case(case: &Case, opts: &GlmOptions) -> GlmFit {
    let df = read_data(&case.data_path()).unwrap();
    let frame_opts = FrameOptions {
        weights: case.weights(),
        ..Default::default()
    };
    let mf = model_frame(&case.formula(), &df, &frame_opts).unwrap();
    assert_eq!(
        mf.names(),
        case.design_columns().as_slice(),
        "{}",
        case.name
    );
    let (fam, p) = case.family_args();
    let family = Family::parse(&fam, p, None).unwrap();
    let opts = opts
        .clone()
        .estimate_theta(matches!(family, Family::NegativeBinomial { .. }));
    let data = GlmData {
        x: &mf.design,
        y: &mf.y,
        weights: mf.weights.as_deref(),
        offset: mf.offset.as_deref(),
    };
    let link = rustystats::link::Link::parse(case.model()["link"].as_str().unwrap()).unwrap();
    fit(&data, family, Some(link), &opts).unwrap()
}

/// The control the references were computed with: glm.control(epsilon = 1e-13, maxit = 500).
fn tight() -> GlmOptions {
    GlmOptions::default().irls(IrlsOptions::default().tol(1e-13).max_iter(500))
}

/// The case's R numbers under the checker's keys; the coefficients are the polished optimum.
fn expected(case: &Case) -> serde_json::Value {
    let mut want = serde_json::json!({ "coefficients": case.polished("coefficients") });
    for key in [
        "std_errors",
        "deviance",
        "null_deviance",
        "pearson_chi2",
        "dispersion",
        "df_residual",
        "nobs",
    ] {
        want[key] = case.r(key).clone();
    }
    if case.r("loglik").is_number() {
        for key in ["loglik", "aic", "bic"] {
            want[key] = case.r(key).clone();
        }
    } else {
        // R reports no likelihood for statmod's Tweedie; the reference is the compound
        // Poisson-gamma density at dispersion deviance / sum(w).
        want["loglik"] = case
            .polished("loglik_with_scale_deviance_over_sum_w")
            .clone();
    }
    if case.r("theta").is_number() {
        want["theta"] = case.r("theta").clone();
        want["theta_se"] = case.r("SE_theta").clone();
    }
    want
}

fn check(name: &str) {
    let case = Case::load(name);
    let f = fit_case(&case, &tight());
    assert!(f.converged, "{name}: did not converge: {:?}", f.warnings);
    check_fit(name, &f, &expected(&case));
    // Robust standard errors (sandwich with the expected information).
    for (kind, key_r, key_p) in [
        (
            CovType::HC0,
            "std_errors_HC0",
            "std_errors_HC0_expected_info",
        ),
        (
            CovType::HC1,
            "std_errors_HC1",
            "std_errors_HC1_expected_info",
        ),
    ] {
        let want = match case.r(key_r) {
            serde_json::Value::Array(_) => floats(case.r(key_r)),
            _ => floats(case.polished(key_p)),
        };
        let opts = tight().cov(kind);
        let rf = fit_case(&case, &opts);
        close_all(
            &format!("{name} {kind} std errors"),
            &rf.std_errors(),
            &want,
            2e-4,
        );
    }
}

/// With the default control (R's deviance rule at 1e-8 plus the step rule) the coefficients
/// are within 1e-6 (relative) of the fully converged values too.
fn check_default_control(name: &str) {
    let case = Case::load(name);
    let f = fit_case(&case, &GlmOptions::default());
    assert!(f.converged, "{name}");
    close_all(
        &format!("{name} default-control coefficients"),
        &f.coefficients,
        &floats(case.polished("coefficients")),
        1e-6,
    );
}

#[test]
fn every_fixture_case_is_tested() {
    let tested = [
        "binomial_logit_spector",
        "binomial_logit_star98_twocol",
        "gamma_inverse_scotland",
        "gaussian_identity_longley",
        "negbin_quine_theta_ml",
        "poisson_log_cpunish",
        "poisson_log_offset_insurance",
        "tweedie_p15_log_synth",
    ];
    assert_eq!(case_names(), tested);
}

macro_rules! reference_cases {
    ($($test:ident => $case:literal),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                check($case);
                check_default_control($case);
            }
        )*
    };
}

reference_cases! {
    binomial_logit_spector => "binomial_logit_spector",
    binomial_logit_star98_twocol => "binomial_logit_star98_twocol",
    gamma_inverse_scotland => "gamma_inverse_scotland",
    gaussian_identity_longley => "gaussian_identity_longley",
    negbin_quine_theta_ml => "negbin_quine_theta_ml",
    poisson_log_cpunish => "poisson_log_cpunish",
    poisson_log_offset_insurance => "poisson_log_offset_insurance",
    tweedie_p15_log_synth => "tweedie_p15_log_synth",
}
