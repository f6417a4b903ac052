//! A regularization path ([`PathFit`]) and its cross-validation ([`CvFit`]) as text, HTML and
//! JSON.
//!
//! A path does not record the family, the link or the number of rows it was fitted with;
//! the caller passes them as [`PathFacts`] (empty facts are left out of the text and HTML, and
//! `null` in the JSON).

use std::fmt::{self, Write};

use serde_json::{json, Value};

use super::html::{escape_html, facts_table, STYLE};
use super::penalized::{estimate, json_num, mix_text, percent, sig4, NO_INFERENCE};
use super::{num, FitContext, Table};
use crate::family::Family;
use crate::link::Link;
use crate::model::{CvFit, PathFit};

/// At most this many alphas in a text table of a path (the HTML shows them all).
const TEXT_ROWS: usize = 20;

/// The family, the link and the rows with a non-zero weight of a path ([`PathFacts::from`] a
/// [`PathFit`] knows all three). Each is optional; the default knows none.
///
/// ```
/// use rustystats::family::Family;
/// use rustystats::link::Link;
/// use rustystats::report::PathFacts;
///
/// let facts = PathFacts::new(Family::Poisson, Link::Log, 1000);
/// assert_eq!(facts.nobs, Some(1000));
/// assert_eq!(PathFacts::default().family, None);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PathFacts {
    /// The family.
    pub family: Option<Family>,
    /// The link.
    pub link: Option<Link>,
    /// Rows with a non-zero weight.
    pub nobs: Option<usize>,
}

impl From<&PathFit> for PathFacts {
    fn from(path: &PathFit) -> Self {
        PathFacts::new(path.family, path.link, path.nobs)
    }
}

impl PathFacts {
    /// Facts that know all three.
    pub fn new(family: Family, link: Link, nobs: usize) -> Self {
        PathFacts {
            family: Some(family),
            link: Some(link),
            nobs: Some(nobs),
        }
    }
}

/// The facts shared by the path and cross-validation summaries: formula, family, link, rows,
/// the penalty's mix and the number of alphas.
fn path_facts(path: &PathFit, facts: &PathFacts, ctx: &FitContext) -> Vec<(String, String)> {
    let mut f = ctx.opening_facts(facts.family.as_ref(), facts.link.as_ref(), facts.nobs);
    f.push(("Mix".into(), mix_text(&path.net)));
    let (first, last) = (
        path.alphas.first().copied().unwrap_or(f64::NAN),
        path.alphas.last().copied().unwrap_or(f64::NAN),
    );
    f.push((
        "Alphas".into(),
        format!(
            "{} from {} to {}",
            path.alphas.len(),
            sig4(first),
            sig4(last)
        ),
    ));
    f.push(("Alpha max".into(), sig4(path.alpha_max)));
    f.push(("Null deviance".into(), format!("{:.6}", path.null_deviance)));
    let failed = path.converged.iter().filter(|c| !**c).count();
    if failed > 0 {
        f.push(("Not converged".into(), format!("{failed} alphas")));
    }
    f
}

/// The facts as text lines, `Key:` padded to one width.
fn facts_text(facts: &[(String, String)]) -> String {
    let mut s = String::new();
    for (key, value) in facts {
        let _ = writeln!(s, "{:<20}{value}", format!("{key}:"));
    }
    s
}

/// Warnings as a text block (empty without warnings).
fn warnings_text<'w>(warnings: impl IntoIterator<Item = &'w String>) -> String {
    let mut s = String::new();
    for w in warnings {
        if s.is_empty() {
            s.push_str("\nWarnings:\n");
        }
        let _ = writeln!(s, "  - {w}");
    }
    s
}

/// Warnings as highlighted HTML blocks.
fn warnings_html<'w>(warnings: impl IntoIterator<Item = &'w String>) -> String {
    warnings
        .into_iter()
        .map(|w| format!("<div class=\"rs-warn\">{}</div>\n", escape_html(w)))
        .collect()
}

/// The rows a text table shows of `n`: all when there are at most [`TEXT_ROWS`], otherwise
/// about that many evenly spaced, the first, the last and every row in `keep`.
fn text_rows(n: usize, keep: &[usize]) -> Vec<usize> {
    if n <= TEXT_ROWS {
        return (0..n).collect();
    }
    let step = (n - 1) as f64 / (TEXT_ROWS - 1) as f64;
    let mut rows: Vec<usize> = (0..TEXT_ROWS)
        .map(|k| (k as f64 * step).round() as usize)
        .chain(keep.iter().copied().filter(|&i| i < n))
        .collect();
    rows.sort_unstable();
    rows.dedup();
    rows
}

/// The path as a table (alpha, nonzero, deviance explained) of the rows `rows`.
fn path_table(path: &PathFit, rows: &[usize]) -> Table {
    let columns = vec!["alpha".into(), "nonzero".into(), "dev. explained".into()];
    let mut t = Table::new("Path", columns);
    for &i in rows {
        t.push_row(vec![
            sig4(path.alphas[i]),
            path.nonzero[i].to_string(),
            percent(path.deviance_explained[i]),
        ]);
    }
    if rows.len() < path.alphas.len() {
        t.push_note(format!(
            "{} of {} alphas shown (the HTML shows all)",
            rows.len(),
            path.alphas.len()
        ));
    }
    t
}

/// A regularization path as text: the model and penalty, and the path (alpha, number of
/// nonzero coefficients other than the intercept, deviance explained) at up to 20 alphas
/// spread over the path.
///
/// ```
/// use rustystats::design::DenseDesign;
/// use rustystats::family::Family;
/// use rustystats::model::{fit_path, Alphas, ElasticNet, GlmData, GlmOptions, PathOptions};
/// use rustystats::report::{path_text, FitContext, PathFacts};
///
/// let x = DenseDesign::from_columns(
///     vec!["Intercept".into(), "x".into(), "z".into()],
///     vec![vec![1.0; 6], vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0], vec![1.0, 0.0, 1.0, 0.0, 1.0, 0.0]],
/// )?;
/// let y = [1.0, 2.0, 2.0, 4.0, 7.0, 9.0];
/// let data = GlmData { x: &x, y: &y, weights: None, offset: None };
/// let popts = PathOptions { net: ElasticNet::new(0.0, 1.0), alphas: Alphas::Auto { n: 50, min_ratio: None } };
/// let path = fit_path(&data, Family::Poisson, None, &popts, &GlmOptions::default())?;
/// let text = path_text(&path, &PathFacts::default(), &FitContext::default());
/// assert!(text.contains("20 of 50 alphas shown"));
/// # Ok::<(), rustystats::Error>(())
/// ```
pub fn path_text(path: &PathFit, facts: &PathFacts, ctx: &FitContext) -> String {
    let mut s = String::from("Elastic net path\n");
    s += &facts_text(&path_facts(path, facts, ctx));
    s += "\n";
    s += &path_table(path, &text_rows(path.alphas.len(), &[])).to_string();
    s += &warnings_text(&path.warnings);
    s
}

/// A regularization path as an HTML fragment: the facts of [`path_text`] and the whole path.
pub fn path_html(path: &PathFit, facts: &PathFacts, ctx: &FitContext) -> String {
    let mut s = format!(
        "<div class=\"rustystats rs-summary\">{STYLE}<div class=\"rs-title\">Elastic net path</div>\n"
    );
    s += &facts_table(&path_facts(path, facts, ctx), ctx.formula.is_some());
    s += &warnings_html(&path.warnings);
    let all: Vec<usize> = (0..path.alphas.len()).collect();
    s += &path_table(path, &all).inner_html(&[]);
    s + "</div>\n"
}

/// `0.01235 (cv 1.234567 ± 0.012345, 4 nonzero)`: a chosen alpha with its loss.
fn chosen(cv: &CvFit, i: usize) -> String {
    format!(
        "{} (cv {} ± {}, {} nonzero)",
        sig4(cv.path.alphas[i]),
        num(cv.cv_mean[i]),
        num(cv.cv_se[i]),
        cv.path.nonzero[i]
    )
}

/// The facts of a cross-validation: the path's, then the folds and the two chosen alphas.
fn cv_facts(cv: &CvFit, facts: &PathFacts, ctx: &FitContext) -> Vec<(String, String)> {
    let mut f = path_facts(&cv.path, facts, ctx);
    f.push(("Folds".into(), cv.fold_loss.len().to_string()));
    f.push(("Alpha min".into(), chosen(cv, cv.index_min)));
    f.push(("Alpha 1se".into(), chosen(cv, cv.index_1se)));
    f
}

/// The coefficients at `alpha_min` and at `alpha_1se` (zeros as dots).
fn cv_coefficients(cv: &CvFit) -> Table {
    let columns = vec!["".into(), "alpha_min".into(), "alpha_1se".into()];
    let mut t = Table::new("Coefficients", columns).text_columns(1);
    let (min, se) = (cv.coefficients_min(), cv.coefficients_1se());
    for (j, name) in cv.path.names.iter().enumerate() {
        t.push_row(vec![name.clone(), estimate(min[j]), estimate(se[j])]);
    }
    t.push_note(". : set to exactly 0 by the penalty");
    t
}

/// The cross-validated path (alpha, nonzero, cv_mean, cv_se, which alpha was chosen) at the
/// rows `rows`; with the positions in `rows` of the chosen alphas.
fn cv_table(cv: &CvFit, rows: &[usize]) -> (Table, Vec<usize>) {
    let columns = ["alpha", "nonzero", "cv_mean", "cv_se", "chosen"];
    let mut t = Table::new(
        "Cross-validated path (mean held-out deviance per unit weight)",
        columns.iter().map(|c| c.to_string()).collect(),
    );
    let mut marked = Vec::new();
    for (pos, &i) in rows.iter().enumerate() {
        let mark = match (i == cv.index_min, i == cv.index_1se) {
            (true, true) => "alpha_min, alpha_1se",
            (true, false) => "alpha_min",
            (false, true) => "alpha_1se",
            (false, false) => "",
        };
        if !mark.is_empty() {
            marked.push(pos);
        }
        t.push_row(vec![
            sig4(cv.path.alphas[i]),
            cv.path.nonzero[i].to_string(),
            num(cv.cv_mean[i]),
            num(cv.cv_se[i]),
            mark.into(),
        ]);
    }
    if rows.len() < cv.path.alphas.len() {
        t.push_note(format!(
            "{} of {} alphas shown (the HTML shows all)",
            rows.len(),
            cv.path.alphas.len()
        ));
    }
    (t, marked)
}

/// The warnings of a cross-validation: its own, then its path's.
fn cv_warnings(cv: &CvFit) -> impl Iterator<Item = &String> {
    cv.warnings.iter().chain(&cv.path.warnings)
}

/// A cross-validated path as text: the model and penalty, the number of folds, `alpha_min`
/// and `alpha_1se` with their mean held-out loss ± its standard error and their nonzero
/// counts, the coefficients at both, and the path (alpha, nonzero, cv_mean, cv_se) at up to
/// about 20 alphas with the two chosen ones always shown and marked.
pub fn cv_text(cv: &CvFit, facts: &PathFacts, ctx: &FitContext) -> String {
    let mut s = String::from("Cross-validated elastic net\n");
    s += &facts_text(&cv_facts(cv, facts, ctx));
    s += "\n";
    s += &cv_coefficients(cv).to_string();
    s += NO_INFERENCE;
    s += "\n\n";
    let rows = text_rows(cv.path.alphas.len(), &[cv.index_min, cv.index_1se]);
    s += &cv_table(cv, &rows).0.to_string();
    s += &warnings_text(cv_warnings(cv));
    s
}

/// A cross-validated path as an HTML fragment: the facts and coefficients of [`cv_text`]
/// and the whole path, the chosen alphas' rows emphasized.
pub fn cv_html(cv: &CvFit, facts: &PathFacts, ctx: &FitContext) -> String {
    let mut s = format!(
        "<div class=\"rustystats rs-summary\">{STYLE}<div class=\"rs-title\">Cross-validated elastic net</div>\n"
    );
    s += &facts_table(&cv_facts(cv, facts, ctx), ctx.formula.is_some());
    s += &warnings_html(cv_warnings(cv));
    s += &cv_coefficients(cv).inner_html(&[]);
    s += &format!(
        "<div class=\"rs-note\">{}</div>\n",
        escape_html(NO_INFERENCE)
    );
    let all: Vec<usize> = (0..cv.path.alphas.len()).collect();
    let (table, marked) = cv_table(cv, &all);
    s += &table.inner_html(&marked);
    s + "</div>\n"
}

/// Numbers as a JSON list, non-finite ones `null`.
fn json_list(xs: &[f64]) -> Value {
    Value::Array(xs.iter().map(|&x| json_num(x)).collect())
}

/// Coefficients as a list of `{name, estimate}`.
fn named(names: &[String], coefficients: &[f64]) -> Value {
    let list = (names.iter().zip(coefficients))
        .map(|(name, &b)| json!({"name": name, "estimate": json_num(b)}))
        .collect();
    Value::Array(list)
}

/// A cross-validated path as one JSON object: the command-line tool's `cv --format json`
/// contract.
///
/// Keys: `names` (the design's column names), `alphas` (decreasing), `cv_mean`, `cv_se`,
/// `nonzero` and `deviance_explained` (one per alpha), `alpha_min`, `alpha_1se` (and their
/// positions `index_min`, `index_1se`), `coefficients_min` and `coefficients_1se` (lists of
/// `{name, estimate}`), `path` (one list of estimates per alpha, in the order of `names`),
/// `family`, `link`, `formula`, `response`, `l1_ratio`, `standardize`, `folds`, `nobs`,
/// `rows_dropped`, `alpha_max`, `null_deviance` and `warnings` (the cross-validation's, then
/// the path's). Non-finite numbers, and facts the [`PathFacts`] do not know, are `null`.
///
/// ```
/// use rustystats::design::DenseDesign;
/// use rustystats::family::Family;
/// use rustystats::link::Link;
/// use rustystats::model::{fit_path, Alphas, CvFit, ElasticNet, GlmData, GlmOptions, PathOptions};
/// use rustystats::report::{cv_json, FitContext, PathFacts};
///
/// let x = DenseDesign::from_columns(
///     vec!["Intercept".into(), "x".into()],
///     vec![vec![1.0; 5], vec![0.0, 1.0, 2.0, 3.0, 4.0]],
/// )?;
/// let y = [1.0, 1.0, 2.0, 4.0, 5.0];
/// let data = GlmData { x: &x, y: &y, weights: None, offset: None };
/// let popts = PathOptions { net: ElasticNet::new(0.0, 1.0), alphas: Alphas::Auto { n: 3, min_ratio: None } };
/// let path = fit_path(&data, Family::Poisson, None, &popts, &GlmOptions::default())?;
/// // Fold losses would come from fits on the folds; here they are made up.
/// let cv = CvFit::new(path, vec![vec![3.0, 2.0, 2.5], vec![3.0, 1.0, 1.5]], vec![2.0, 3.0])?;
/// let v = cv_json(&cv, &PathFacts::new(Family::Poisson, Link::Log, 5), &FitContext::default());
/// assert_eq!(v["folds"], 2);
/// assert_eq!(v["alpha_min"], v["alphas"][1]);
/// assert_eq!(v["path"][1][1], v["coefficients_min"][1]["estimate"]);
/// # Ok::<(), rustystats::Error>(())
/// ```
pub fn cv_json(cv: &CvFit, facts: &PathFacts, ctx: &FitContext) -> Value {
    let path = &cv.path;
    let warnings: Vec<&String> = cv_warnings(cv).collect();
    json!({
        "names": path.names,
        "alphas": json_list(&path.alphas),
        "cv_mean": json_list(&cv.cv_mean),
        "cv_se": json_list(&cv.cv_se),
        "nonzero": path.nonzero,
        "deviance_explained": json_list(&path.deviance_explained),
        "alpha_min": json_num(cv.alpha_min()),
        "alpha_1se": json_num(cv.alpha_1se()),
        "index_min": cv.index_min,
        "index_1se": cv.index_1se,
        "coefficients_min": named(&path.names, cv.coefficients_min()),
        "coefficients_1se": named(&path.names, cv.coefficients_1se()),
        "path": Value::Array(path.coefficients.iter().map(|b| json_list(b)).collect()),
        "family": facts.family.map(|f| f.id()),
        "link": facts.link.map(|l| l.to_string()),
        "formula": ctx.formula,
        "response": ctx.response,
        "l1_ratio": json_num(path.net.l1_ratio),
        "standardize": path.net.standardize,
        "folds": cv.fold_loss.len(),
        "nobs": facts.nobs,
        "rows_dropped": ctx.rows_dropped,
        "alpha_max": json_num(path.alpha_max),
        "null_deviance": json_num(path.null_deviance),
        "warnings": warnings,
    })
}

impl fmt::Display for PathFit {
    /// The text summary ([`path_text`]) without facts or formula.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&path_text(
            self,
            &PathFacts::default(),
            &FitContext::default(),
        ))
    }
}

impl fmt::Display for CvFit {
    /// The text summary ([`cv_text`]) without facts or formula.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&cv_text(
            self,
            &PathFacts::default(),
            &FitContext::default(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Alphas;

    /// A Poisson lasso path of `n` alphas on a tiny design (columns Intercept, x, z).
    fn path(n: usize) -> PathFit {
        let alphas = Alphas::Auto { n, min_ratio: None };
        crate::model::tiny_poisson_path(alphas, false)
    }

    /// A cross-validation of a 30-alpha path with made-up fold losses: smallest at alpha 20,
    /// within one standard error from alpha 12 on.
    fn cv() -> CvFit {
        let p = path(30);
        let curve = |shift: f64| -> Vec<f64> {
            (0..30)
                .map(|a| 1.0 + ((a as f64 - 20.0) / 6.0).powi(2) + shift)
                .collect()
        };
        let losses = vec![curve(-1.0), curve(0.0), curve(1.0)];
        let mut cv = CvFit::new(p, losses, vec![1.0, 1.0, 1.0]).unwrap();
        cv.warnings.push("fold 2 did not converge".into());
        cv
    }

    fn ctx() -> FitContext {
        FitContext {
            formula: Some("y ~ x + z".into()),
            response: Some("y".into()),
            rows_dropped: 0,
        }
    }

    fn facts() -> PathFacts {
        PathFacts::new(Family::Poisson, Link::Log, 8)
    }

    #[test]
    fn cv_json_has_the_contract_keys() {
        let cv = cv();
        let v = cv_json(&cv, &facts(), &ctx());
        for key in [
            "names",
            "alphas",
            "cv_mean",
            "cv_se",
            "nonzero",
            "alpha_min",
            "alpha_1se",
            "coefficients_min",
            "coefficients_1se",
            "path",
            "family",
            "link",
            "formula",
            "l1_ratio",
            "standardize",
            "folds",
            "nobs",
            "warnings",
        ] {
            assert!(v.get(key).is_some(), "missing key {key}");
        }
        assert_eq!(v["names"], json!(["Intercept", "x", "z"]));
        assert_eq!(v["alphas"].as_array().unwrap().len(), 30);
        assert_eq!(v["path"].as_array().unwrap().len(), 30);
        assert_eq!(v["path"][0].as_array().unwrap().len(), 3);
        assert_eq!(v["nonzero"][0], json!(0));
        assert_eq!(v["family"], json!("poisson"));
        assert_eq!(v["link"], json!("log"));
        assert_eq!(v["formula"], json!("y ~ x + z"));
        assert_eq!(v["folds"], json!(3));
        assert_eq!(v["nobs"], json!(8));
        assert_eq!(v["l1_ratio"], json!(1.0));
        assert_eq!(v["standardize"], json!(true));
        assert_eq!(v["alpha_min"], json!(cv.alpha_min()));
        assert_eq!(v["alpha_1se"], json!(cv.alpha_1se()));
        assert_eq!(v["index_min"], json!(20));
        assert!(cv.index_1se < 20);
        let min = v["coefficients_min"].as_array().unwrap();
        assert_eq!(min[1]["name"], json!("x"));
        assert_eq!(min[1]["estimate"], json!(cv.coefficients_min()[1]));
        assert_eq!(
            v["path"][20],
            v["coefficients_min"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["estimate"].clone())
                .collect::<Value>()
        );
        assert_eq!(v["warnings"][0], json!("fold 2 did not converge"));
    }

    #[test]
    fn cv_json_nulls_what_is_unknown_or_not_finite() {
        let mut cv = cv();
        cv.cv_se[3] = f64::NAN;
        cv.path.coefficients[4][2] = f64::NAN;
        let v = cv_json(&cv, &PathFacts::default(), &FitContext::default());
        assert!(v["cv_se"][3].is_null());
        assert!(v["path"][4][2].is_null());
        for key in ["family", "link", "formula", "nobs"] {
            assert!(v[key].is_null(), "{key} should be null");
        }
    }

    #[test]
    fn text_rows_keep_the_ends_and_the_chosen() {
        assert_eq!(text_rows(5, &[3]), vec![0, 1, 2, 3, 4]);
        let rows = text_rows(100, &[37, 38]);
        assert_eq!((rows[0], *rows.last().unwrap()), (0, 99));
        assert!(rows.contains(&37) && rows.contains(&38));
        assert!(rows.len() <= TEXT_ROWS + 2);
        assert!(rows.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn path_text_and_html() {
        let p = path(50);
        let text = path_text(&p, &facts(), &ctx());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Elastic net path");
        assert!(lines.contains(&"Family:             poisson"));
        assert!(lines.contains(&"Mix:                l1_ratio 1 (lasso), standardized"));
        assert!(text.contains("20 of 50 alphas shown"));
        let header = lines
            .iter()
            .position(|l| l.contains("dev. explained"))
            .unwrap();
        let first: Vec<&str> = lines[header + 2].split_whitespace().collect();
        assert_eq!(first, vec![sig4(p.alphas[0]).as_str(), "0", "0.00%"]);
        let html = path_html(&p, &facts(), &ctx());
        assert_eq!(
            html.matches("<tr>").count(),
            1 + 50 + 5,
            "header, 50 alphas, 5 rows of facts"
        );
        assert!(!html.contains("alphas shown"));
        assert_eq!(html.matches("<div").count(), html.matches("</div>").count());
        assert!(!p.to_string().contains("Family:"));
    }

    #[test]
    fn cv_text_shows_the_choice_and_both_coefficient_sets() {
        let cv = cv();
        let text = cv_text(&cv, &facts(), &ctx());
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.contains(&"Folds:              3"));
        let min_line = format!(
            "Alpha min:          {} (cv {} ± {}, {} nonzero)",
            sig4(cv.alpha_min()),
            num(cv.cv_mean[20]),
            num(cv.cv_se[20]),
            cv.path.nonzero[20]
        );
        assert!(lines.contains(&min_line.as_str()), "{text}");
        assert!(lines.iter().any(|l| l.starts_with("Alpha 1se:")));
        let x = lines.iter().find(|l| l.starts_with("x ")).unwrap();
        let cells: Vec<&str> = x.split_whitespace().collect();
        assert_eq!(cells[1], estimate(cv.coefficients_min()[1]));
        assert_eq!(cells[2], estimate(cv.coefficients_1se()[1]));
        assert!(text.contains(NO_INFERENCE));
        assert!(lines
            .iter()
            .any(|l| l.trim_end().ends_with("alpha_min") && l.starts_with(&sig4(cv.alpha_min()))));
        assert!(lines.iter().any(|l| l.trim_end().ends_with("alpha_1se")));
        assert!(text.contains("  - fold 2 did not converge"));
        assert!(text.contains("of 30 alphas shown"));
    }

    #[test]
    fn cv_html_marks_the_chosen_rows() {
        let cv = cv();
        let html = cv_html(&cv, &facts(), &ctx());
        assert_eq!(html.matches("<tr class=\"rs-mark\">").count(), 2);
        assert!(html.contains("<td class=\"rs-num\">alpha_min</td>"));
        assert!(html.contains("fold 2 did not converge"));
        assert!(!html.contains("alphas shown"));
        assert_eq!(html.matches("<div").count(), html.matches("</div>").count());
        // The same alpha chosen twice: one marked row, both names.
        let mut same = cv.clone();
        same.index_1se = same.index_min;
        let html = cv_html(&same, &facts(), &ctx());
        assert_eq!(html.matches("<tr class=\"rs-mark\">").count(), 1);
        assert!(html.contains("alpha_min, alpha_1se"));
    }
}
