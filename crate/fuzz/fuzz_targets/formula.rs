//! Fuzzes the formula parser: any text must parse or give a `FormulaError` whose message
//! (with the caret line) prints; nothing may panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rustystats::formula::{parse, parse_expression};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse(text) {
        Ok(f) => {
            // Everything derived from a parsed formula must work too.
            let _ = f.term_names();
            let _ = f.columns();
            let _ = f.response.label();
            for t in &f.terms {
                for factor in &t.factors {
                    // Labels are parsed again when a saved model is encoded.
                    let _ = parse_expression(&factor.label());
                }
            }
        }
        Err(e) => {
            let shown = e.to_string();
            assert!(!shown.is_empty());
            let span = e.span();
            assert!(span.start <= span.end, "bad span {span:?} for {text:?}");
        }
    }
    if let Err(e) = parse_expression(text) {
        let _ = e.to_string();
    }
});
