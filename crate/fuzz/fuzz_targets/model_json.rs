//! Fuzzes loading a saved model: any text must load or give an error, and a model that loads
//! must predict on a small data set or give an error; nothing may panic, abort or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rustystats::prelude::*;

fn data() -> DataFrame {
    df!(
        "y" => [1.0, 0.0, 3.0, 2.0],
        "x" => [0.5, 1.5, 2.5, 9.0],
        "g" => ["a", "b", "c", "a"],
        "e" => [1.0, 2.0, 0.5, 1.5],
    )
    .expect("a valid frame")
}

fuzz_target!(|data_bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(data_bytes) else {
        return;
    };
    match Predictor::from_json_text(text) {
        Ok(p) => {
            let df = data();
            for kind in [PredictType::Response, PredictType::Link] {
                if let Err(e) = p.predict(&df, kind) {
                    let _ = e.to_string();
                }
            }
            if let Err(e) = p.predict_frame(&df) {
                let _ = e.to_string();
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
