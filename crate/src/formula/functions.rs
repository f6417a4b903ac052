//! The functions a formula may call, described as data.
//!
//! Each function has a kind that says who interprets it: the arithmetic evaluator, the term
//! expansion (`C`, `offset`), the response (`cbind`) or the frame layer (splines and
//! polynomials, which need the data to build their columns). A new function is one row here,
//! plus its evaluation where its kind is handled.

/// An element-wise numeric function.
pub(crate) type UnaryFn = fn(f64) -> f64;

/// Who interprets a function and how.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FunctionKind {
    /// An element-wise numeric function, usable inside arithmetic and as a term.
    Arithmetic(UnaryFn),
    /// `C(column, ref = ..., levels = [...])`: treat a column as categorical.
    Categorical,
    /// `offset(expr)`: a known term with coefficient 1, pulled out of the terms.
    Offset,
    /// `cbind(successes, failures)`: a binomial response, left of `~` only.
    Cbind,
    /// A term whose columns the frame layer builds from the data (`bs`, `ns`, `poly`).
    Frame,
}

/// One row of [`FUNCTIONS`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct FunctionSpec {
    pub name: &'static str,
    pub kind: FunctionKind,
}

fn identity(x: f64) -> f64 {
    x
}

/// Every function a formula knows, by name.
#[rustfmt::skip]
pub(crate) const FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec { name: "I", kind: FunctionKind::Arithmetic(identity) },
    FunctionSpec { name: "log", kind: FunctionKind::Arithmetic(f64::ln) },
    FunctionSpec { name: "exp", kind: FunctionKind::Arithmetic(f64::exp) },
    FunctionSpec { name: "sqrt", kind: FunctionKind::Arithmetic(f64::sqrt) },
    FunctionSpec { name: "abs", kind: FunctionKind::Arithmetic(f64::abs) },
    FunctionSpec { name: "log10", kind: FunctionKind::Arithmetic(f64::log10) },
    FunctionSpec { name: "log2", kind: FunctionKind::Arithmetic(f64::log2) },
    FunctionSpec { name: "log1p", kind: FunctionKind::Arithmetic(f64::ln_1p) },
    FunctionSpec { name: "expm1", kind: FunctionKind::Arithmetic(f64::exp_m1) },
    FunctionSpec { name: "C", kind: FunctionKind::Categorical },
    FunctionSpec { name: "offset", kind: FunctionKind::Offset },
    FunctionSpec { name: "cbind", kind: FunctionKind::Cbind },
    FunctionSpec { name: "bs", kind: FunctionKind::Frame },
    FunctionSpec { name: "ns", kind: FunctionKind::Frame },
    FunctionSpec { name: "poly", kind: FunctionKind::Frame },
];

/// The row for `name`, if the function is known.
pub(crate) fn lookup(name: &str) -> Option<&'static FunctionSpec> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

/// The element-wise function called `name`, if it is an arithmetic one.
pub(crate) fn arithmetic(name: &str) -> Option<UnaryFn> {
    match lookup(name)?.kind {
        FunctionKind::Arithmetic(f) => Some(f),
        _ => None,
    }
}

/// The names of the functions for which `keep` holds, for messages: "`I`, `log`, `exp`".
pub(crate) fn names_where(keep: impl Fn(&FunctionKind) -> bool) -> String {
    let names: Vec<String> = FUNCTIONS
        .iter()
        .filter(|f| keep(&f.kind))
        .map(|f| format!("`{}`", f.name))
        .collect();
    names.join(", ")
}

/// The names of the arithmetic functions, for messages.
pub(crate) fn arithmetic_names() -> String {
    names_where(|k| matches!(k, FunctionKind::Arithmetic(_)))
}

/// The names of the functions usable as terms, for messages.
pub(crate) fn term_names() -> String {
    names_where(|k| !matches!(k, FunctionKind::Cbind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        for f in FUNCTIONS {
            assert_eq!(
                FUNCTIONS.iter().filter(|g| g.name == f.name).count(),
                1,
                "{}",
                f.name
            );
        }
    }

    #[test]
    fn arithmetic_functions_compute_what_their_names_say() {
        let f = |name: &str, x: f64| arithmetic(name).unwrap()(x);
        assert_eq!(f("I", 3.5), 3.5);
        assert!((f("log", std::f64::consts::E) - 1.0).abs() < 1e-15);
        assert_eq!(f("sqrt", 16.0), 4.0);
        assert_eq!(f("abs", -2.0), 2.0);
        assert_eq!(f("log10", 1000.0), 3.0);
        assert_eq!(f("log2", 8.0), 3.0);
        assert_eq!(f("log1p", 0.0), 0.0);
        assert_eq!(f("expm1", 0.0), 0.0);
        assert_eq!(f("exp", 0.0), 1.0);
        assert!(arithmetic("C").is_none());
        assert!(arithmetic("nope").is_none());
    }

    #[test]
    fn message_lists() {
        assert!(arithmetic_names().starts_with("`I`, `log`, `exp`"));
        assert!(!arithmetic_names().contains("`C`"));
        assert!(term_names().contains("`bs`"));
        assert!(!term_names().contains("cbind"));
    }
}
