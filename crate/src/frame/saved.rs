//! Saving a fitted model as JSON and loading it back to predict.
//!
//! The file is one JSON object: `format` ("rustystats.glm"), `schema_version`, the model
//! specification, family, link, coefficients, their covariance and the summary. A loaded model
//! predicts exactly as the fitted one did.

use serde_json::{json, Value};

use super::model::{GlmModel, Predictor};
use super::spec::{ModelSpec, SCHEMA_VERSION};
use crate::error::{Error, Result};
use crate::family::Family;
use crate::linalg::{BorderedCov, Covariance, Part};
use crate::link::Link;
use faer::Mat;

const FORMAT: &str = "rustystats.glm";

/// The covariance as JSON: a dense one as its rows; a bordered one
/// ([`Covariance::Bordered`]) as `{"bordered": {...}}` with the positions of the levels among
/// the estimated coefficients, their square-root diagonal `dsq`, `bs` and `v` (column-major,
/// with their row counts) and the scale; the rest is computed again on loading.
fn cov_json(cov: &Covariance) -> Value {
    match cov {
        Covariance::Dense(m) => json!((0..m.nrows())
            .map(|i| (0..m.ncols()).map(|j| m[(i, j)]).collect::<Vec<_>>())
            .collect::<Vec<_>>()),
        Covariance::Bordered(b) => {
            let (parts, dsq, bs, v, scale) = b.parts();
            let levels: Vec<usize> = (0..parts.len())
                .filter(|&i| matches!(parts[i], Part::Level(_)))
                .collect();
            let flat = |m: &Mat<f64>| -> Vec<f64> {
                (0..m.ncols())
                    .flat_map(|j| (0..m.nrows()).map(move |i| m[(i, j)]))
                    .collect()
            };
            json!({ "bordered": {
                "dim": parts.len(),
                "levels": levels,
                "dsq": dsq,
                "others": bs.nrows(),
                "bs": flat(bs),
                "v": flat(v),
                "scale": scale,
            }})
        }
    }
}

/// The covariance from [`cov_json`]'s JSON; an error saying what is wrong with it.
fn cov_from_json(v: &Value) -> std::result::Result<Covariance, String> {
    let Some(b) = v.get("bordered") else {
        let rows: Vec<Vec<f64>> = serde_json::from_value(v.clone()).map_err(|e| e.to_string())?;
        let k = rows.len();
        if rows.iter().any(|r| r.len() != k) {
            return Err(format!("it is not a square matrix of {k} rows"));
        }
        return Ok(Covariance::Dense(Mat::from_fn(k, k, |i, j| rows[i][j])));
    };
    let get = |key: &str| b.get(key).ok_or_else(|| format!("`{key}` is missing"));
    let parse = |key: &str| -> std::result::Result<Vec<f64>, String> {
        serde_json::from_value(get(key)?.clone()).map_err(|e| format!("`{key}`: {e}"))
    };
    let dim = get("dim")?.as_u64().ok_or("`dim` is not a count")? as usize;
    let m = get("others")?.as_u64().ok_or("`others` is not a count")? as usize;
    let levels: Vec<usize> =
        serde_json::from_value(get("levels")?.clone()).map_err(|e| format!("`levels`: {e}"))?;
    let (dsq, bs, vv) = (parse("dsq")?, parse("bs")?, parse("v")?);
    let scale = get("scale")?.as_f64().ok_or("`scale` is not a number")?;
    let l = levels.len();
    if dsq.len() != l || bs.len() != m * l || vv.len() != m * m || dim != l + m {
        return Err("its parts do not have matching sizes".into());
    }
    if levels.windows(2).any(|w| w[0] >= w[1]) || levels.last().is_some_and(|&i| i >= dim) {
        return Err("`levels` are not increasing positions among the coefficients".into());
    }
    let mut parts = Vec::with_capacity(dim);
    let (mut next_level, mut next_other) = (0, 0);
    for i in 0..dim {
        if levels.get(next_level) == Some(&i) {
            parts.push(Part::Level(next_level));
            next_level += 1;
        } else {
            parts.push(Part::Other(next_other));
            next_other += 1;
        }
    }
    let bs = Mat::from_fn(m, l, |i, j| bs[i + j * m]);
    let vv = Mat::from_fn(m, m, |i, j| vv[i + j * m]);
    Ok(Covariance::Bordered(BorderedCov::from_parts(
        parts, dsq, bs, vv, scale,
    )))
}

fn num(x: f64) -> Value {
    if x.is_finite() {
        json!(x)
    } else {
        Value::Null
    }
}

/// The saved-model JSON of a predictor with its summary; a penalized model has no covariance
/// (`cov` empty, `penalized: true`).
fn saved_json(p: &Predictor, summary: Value, penalized: bool) -> Value {
    let (var_power, theta) = match p.family {
        Family::Tweedie { var_power } => (num(var_power), Value::Null),
        Family::NegativeBinomial { theta } => (Value::Null, num(theta)),
        _ => (Value::Null, Value::Null),
    };
    json!({
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "spec": serde_json::to_value(&p.spec).expect("the spec serializes"),
        "family": { "name": p.family.id(), "var_power": var_power, "theta": theta },
        "link": p.link.to_string(),
        "coefficients": p.coefficients.iter().map(|b| num(*b)).collect::<Vec<_>>(),
        "cov": cov_json(&p.cov),
        "df_resid": p.df_resid,
        "uses_t": p.uses_t,
        "conf_level": p.conf_level,
        "penalized": penalized,
        "summary": summary,
    })
}

/// Writes `value` to `path` as pretty JSON.
fn write_json(value: &Value, path: &str) -> Result<()> {
    let text = serde_json::to_string_pretty(value).expect("JSON serializes");
    std::fs::write(path, text).map_err(|e| Error::Io {
        path: path.into(),
        message: e.to_string(),
    })
}

impl super::PenalizedModel {
    /// The saved-model JSON (see [`GlmModel::to_saved_json`]): no covariance, so a loaded
    /// penalized model predicts but gives no intervals.
    pub fn to_saved_json(&self) -> Value {
        let summary = crate::report::penalized_json(&self.fit, &self.context());
        saved_json(&self.predictor, summary, true)
    }

    /// Writes the model to `path` as JSON, for [`Predictor::load`].
    pub fn save(&self, path: &str) -> Result<()> {
        write_json(&self.to_saved_json(), path)
    }
}

impl GlmModel {
    /// The saved-model JSON.
    pub fn to_saved_json(&self) -> Value {
        saved_json(&self.predictor, self.summary_json(), false)
    }

    /// Writes the model to `path` as JSON.
    pub fn save(&self, path: &str) -> Result<()> {
        write_json(&self.to_saved_json(), path)
    }
}

impl Predictor {
    /// Reads a model saved by [`GlmModel::save`]. A file that is not JSON, not a rustystats
    /// model, or of another schema version is an error that says which.
    pub fn load(path: &str) -> Result<Predictor> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.into(),
            message: e.to_string(),
        })?;
        Predictor::from_json_text(&text).map_err(|e| match e {
            Error::Model { message } => Error::Io {
                path: path.into(),
                message,
            },
            other => other,
        })
    }

    /// Parses a saved model from JSON text.
    pub fn from_json_text(text: &str) -> Result<Predictor> {
        let bad = |m: String| Error::model(m);
        let v: Value = serde_json::from_str(text).map_err(|e| {
            bad(format!(
                "not a JSON file ({e}); is this a saved rustystats model?"
            ))
        })?;
        if v.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return Err(bad(
                "not a rustystats model file (no `format: rustystats.glm`); save one with \
                 --save-model or GlmModel::save"
                    .into(),
            ));
        }
        let version = v.get("schema_version").and_then(Value::as_u64);
        if version != Some(u64::from(SCHEMA_VERSION)) {
            return Err(bad(format!(
                "the model file has schema version {}, but this rustystats reads version \
                 {SCHEMA_VERSION}; refit and save the model with this version",
                version.map_or("(none)".to_string(), |v| v.to_string())
            )));
        }
        let field = |k: &str| {
            v.get(k)
                .ok_or_else(|| bad(format!("the model file has no `{k}` field; it is damaged")))
        };
        let spec: ModelSpec = serde_json::from_value(field("spec")?.clone())
            .map_err(|e| bad(format!("the model file's `spec` is damaged: {e}")))?;
        let fam = field("family")?;
        let family = Family::parse(
            fam.get("name").and_then(Value::as_str).unwrap_or(""),
            fam.get("var_power").and_then(Value::as_f64),
            fam.get("theta").and_then(Value::as_f64),
        )?;
        let link = Link::parse(field("link")?.as_str().unwrap_or(""))?;
        let coefficients = coefficients(field("coefficients")?, &spec.column_names)?;
        if coefficients.len() != spec.column_names.len() {
            return Err(bad(format!(
                "the model file has {} coefficients for {} design columns; it is damaged",
                coefficients.len(),
                spec.column_names.len()
            )));
        }
        let cov = cov_from_json(field("cov")?)
            .map_err(|e| bad(format!("the model file's `cov` is damaged: {e}")))?;
        let k = coefficients.iter().filter(|b| !b.is_nan()).count();
        // A penalized model has no covariance.
        let penalized = v.get("penalized").and_then(Value::as_bool).unwrap_or(false);
        let shape_ok = match penalized {
            true => cov.is_empty(),
            false => cov.dim() == k,
        };
        let lost = estimated_but_null(&v, &coefficients, cov.dim(), shape_ok);
        if !lost.is_empty() {
            let named: Vec<String> = lost
                .iter()
                .map(|&j| format!("{} (`{}`)", j + 1, spec.column_names[j]))
                .collect();
            return Err(bad(format!(
                "the model file's coefficient {} is null, but the model estimated it (a null \
                 coefficient stands for an aliased column, which has no estimate); the file is \
                 damaged: refit and save the model again",
                named.join(", ")
            )));
        }
        if !shape_ok {
            return Err(bad(
                "the model file's `cov` does not have one row and column per estimated \
                 (non-null) coefficient; it is damaged: refit and save the model again"
                    .into(),
            ));
        }
        Ok(Predictor {
            spec,
            family,
            link,
            coefficients,
            cov,
            df_resid: field("df_resid")?.as_u64().unwrap_or(0) as usize,
            uses_t: field("uses_t")?.as_bool().unwrap_or(false),
            conf_level: field("conf_level")?.as_f64().unwrap_or(0.95),
        })
    }
}

/// The coefficients of a saved model: a number, or `null` for an aliased column. Anything else
/// (text, a list) is an error naming the coefficient.
fn coefficients(list: &Value, names: &[String]) -> Result<Vec<f64>> {
    let items = list
        .as_array()
        .ok_or_else(|| Error::model("the model file's `coefficients` must be a list"))?;
    items
        .iter()
        .enumerate()
        .map(|(j, b)| match b {
            Value::Null => Ok(f64::NAN),
            _ => b.as_f64().ok_or_else(|| {
                Error::model(format!(
                    "the model file's coefficient {} (`{}`) is `{b}`, not a number or null; \
                     the file is damaged: refit and save the model again",
                    j + 1,
                    names.get(j).map_or("?", String::as_str)
                ))
            }),
        })
        .collect()
}

/// The `null` coefficients that the fit estimated: those the file's summary says are not
/// aliased, or, when the summary does not say and `cov` has more rows than there are numbers
/// among the coefficients, every `null` one (`cov` has a row for each estimated coefficient).
fn estimated_but_null(
    v: &Value,
    coefficients: &[f64],
    cov_rows: usize,
    shape_ok: bool,
) -> Vec<usize> {
    let summary_aliased = |j: usize| {
        v.pointer(&format!("/summary/coefficients/{j}/aliased"))
            .and_then(Value::as_bool)
    };
    let nulls: Vec<usize> = (0..coefficients.len())
        .filter(|&j| coefficients[j].is_nan())
        .collect();
    let lost: Vec<usize> = nulls
        .iter()
        .copied()
        .filter(|&j| summary_aliased(j) == Some(false))
        .collect();
    if lost.is_empty() && !shape_ok && cov_rows > coefficients.len() - nulls.len() {
        return nulls;
    }
    lost
}
