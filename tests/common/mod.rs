//! Shared helpers for the reference tests: reading the R / statsmodels cases in
//! `tests/fixtures/refs/` and comparing numbers with per-quantity tolerances.
#![allow(dead_code)]

pub mod close;
pub mod compare;
pub mod rng;

pub use close::{close, close_all, near, near_all};
pub use compare::check_fit;

use rustystats::design::{DenseDesign, Design};
use serde_json::Value;

/// A design written out column by column: the same matrix, solved by the dense path.
pub fn dense_copy(x: &dyn Design) -> DenseDesign {
    let (n, p) = (x.nrows(), x.ncols());
    let mut columns = vec![vec![0.0; n]; p];
    let mut row = vec![0.0; p];
    for i in 0..n {
        x.row(i, &mut row);
        for (c, v) in columns.iter_mut().zip(&row) {
            c[i] = *v;
        }
    }
    DenseDesign::from_columns(x.column_names().to_vec(), columns).unwrap()
}

pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/refs");

/// One reference case.
pub struct Case {
    pub name: String,
    pub json: Value,
}

impl Case {
    pub fn load(name: &str) -> Case {
        let path = format!("{FIXTURES}/cases/{name}.json");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        Case {
            name: name.to_string(),
            json: serde_json::from_str(&text).expect("case JSON"),
        }
    }

    pub fn data_path(&self) -> String {
        let csv = self.json["dataset"]["csv"].as_str().unwrap();
        format!("{FIXTURES}/{csv}")
    }

    pub fn model(&self) -> &Value {
        &self.json["model"]
    }

    /// The formula in rustystats' syntax, built from the case's term list: categorical terms
    /// as `C(x, levels=[...])` with the case's level order (first = reference).
    pub fn formula(&self) -> String {
        let m = self.model();
        let resp = match &m["response"] {
            Value::String(s) => s.clone(),
            Value::Array(a) => format!(
                "cbind({}, {})",
                a[0].as_str().unwrap(),
                a[1].as_str().unwrap()
            ),
            other => panic!("response {other}"),
        };
        let mut terms: Vec<String> = Vec::new();
        for t in m["terms"].as_array().unwrap() {
            let t = t.as_array().unwrap();
            let name = t[0].as_str().unwrap();
            match (t[1].as_str().unwrap(), t.get(2)) {
                ("cat", Some(Value::Array(levels))) => {
                    let lv: Vec<String> = levels
                        .iter()
                        .map(|l| format!("\"{}\"", l.as_str().unwrap()))
                        .collect();
                    terms.push(format!("C({name}, levels=[{}])", lv.join(", ")));
                }
                ("num", Some(Value::String(f))) => terms.push(format!("{f}({name})")),
                ("num", None) => terms.push(name.to_string()),
                other => panic!("term {other:?}"),
            }
        }
        if let Some(off) = m["offset"].as_str() {
            terms.push(format!("offset({off})"));
        }
        format!("{resp} ~ {}", terms.join(" + "))
    }

    pub fn family_args(&self) -> (String, Option<f64>) {
        let m = self.model();
        (
            m["family"].as_str().unwrap().to_string(),
            m["var_power"].as_f64(),
        )
    }

    pub fn weights(&self) -> Option<String> {
        self.model()["weights"].as_str().map(str::to_string)
    }

    pub fn r(&self, key: &str) -> &Value {
        &self.json["r"][key]
    }

    pub fn polished(&self, key: &str) -> &Value {
        &self.json["polished"][key]
    }

    pub fn design_columns(&self) -> Vec<String> {
        strings(&self.model()["design_columns"])
    }
}

pub fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("expected an array, got {v}"))
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

pub fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

/// The case names in the fixtures folder.
pub fn case_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(format!("{FIXTURES}/cases"))
        .unwrap()
        .map(|e| {
            e.unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}
