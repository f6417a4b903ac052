//! Number formats shared by the text and HTML reports.

/// An optional statistic with six decimals, `-` when absent, `Inf` / `-Inf` as R prints them.
pub(crate) fn fmt_opt(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| match x {
        f64::INFINITY => "Inf".into(),
        f64::NEG_INFINITY => "-Inf".into(),
        _ => format!("{x:.6}"),
    })
}

/// The note in a coefficient row whose estimate does not exist (see
/// [`CoefRow::diverging`](crate::model::CoefRow::diverging)), in place of the
/// significance code.
pub(crate) fn diverging_note(diverging: Option<f64>) -> Option<String> {
    diverging.map(|sign| {
        let to = if sign < 0.0 { "-inf" } else { "+inf" };
        format!("no finite estimate (to {to})")
    })
}

/// R's significance codes.
pub(crate) fn stars(p: f64) -> &'static str {
    if p < 0.001 {
        "***"
    } else if p < 0.01 {
        "**"
    } else if p < 0.05 {
        "*"
    } else if p < 0.1 {
        "."
    } else {
        ""
    }
}

/// A number for a coefficient table: fixed for moderate magnitudes, scientific otherwise,
/// `NA` for NaN.
pub fn num(x: f64) -> String {
    if x.is_nan() {
        "NA".into()
    } else if x == 0.0 || (1e-4..1e6).contains(&x.abs()) {
        format!("{x:.6}")
    } else {
        format!("{x:.4e}")
    }
}

/// A p-value as R prints it (`<2e-16` at the bottom).
pub fn pval(p: f64) -> String {
    if p.is_nan() {
        "NA".into()
    } else if p < 2e-16 {
        "<2e-16".into()
    } else if p < 1e-4 {
        format!("{p:.2e}")
    } else {
        format!("{p:.4}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(num(f64::NAN), "NA");
        assert_eq!(num(0.0), "0.000000");
        assert_eq!(num(1.5), "1.500000");
        assert_eq!(num(1.5e-7), "1.5000e-7");
        assert_eq!(num(-2.5e7), "-2.5000e7");
        assert_eq!(pval(1e-20), "<2e-16");
        assert_eq!(pval(3e-6), "3.00e-6");
        assert_eq!(pval(0.04321), "0.0432");
        assert_eq!(stars(0.0005), "***");
        assert_eq!(stars(0.07), ".");
        assert_eq!(stars(0.5), "");
        assert_eq!(fmt_opt(None), "-");
    }
}
