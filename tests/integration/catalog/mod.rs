//! The error catalog: every kind of bad input, through the Rust API and the command-line tool.
//!
//! Each case checks the error's category (the `rustystats::Error` variant), that the message
//! names the culprit (column, level, row, formula position, valid choices) and says what to
//! do, and, through the tool, the exit code: 2 for bad input, 1 for a fit that failed.
//! Every case writes its files into its own temporary folder, removed when the case ends.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustystats::formula::ErrorKind;
use rustystats::frame::GlmBuilder;
use rustystats::prelude::*;

/// Counts (y), a numeric (x), a text factor (g), an exposure (e), weights (w), a proportion.
const BASE: &str = "y,x,g,e,w,p
2,0.5,a,1.0,1,0.2
0,1.5,b,2.0,1,0.5
3,2.5,a,1.5,2,0.4
1,3.5,c,1.0,1,0.1
5,4.5,b,2.5,1,0.9
2,5.5,c,3.0,1,0.6
4,6.5,a,2.0,2,0.3
3,7.5,b,1.5,1,0.7
";

/// BASE with one cell replaced: `edit(row, column, value)` (row 1 is the first data row).
fn edit(row: usize, column: &str, value: &str) -> String {
    let mut lines: Vec<String> = BASE.lines().map(str::to_string).collect();
    let j = lines[0].split(',').position(|c| c == column).unwrap();
    let mut cells: Vec<&str> = lines[row].split(',').collect();
    cells[j] = value;
    lines[row] = cells.join(",");
    lines.join("\n") + "\n"
}

/// A temporary folder for one case.
struct Case {
    dir: PathBuf,
}

impl Case {
    fn new(tag: &str) -> Case {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let k = COUNT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "rustystats-catalog-{}-{k}-{tag}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Case { dir }
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).to_str().unwrap().to_string()
    }

    fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> String {
        let path = self.path(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Writes `data.csv` and reads it back through the API.
    fn data(&self, csv: &str) -> (String, DataFrame) {
        let path = self.file("data.csv", csv);
        let df = read_data(&path).unwrap();
        (path, df)
    }
}

impl Drop for Case {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs the tool: exit code, standard output, standard error.
fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_rustystats"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every needle is in the message.
fn says(message: &str, needles: &[&str]) {
    for n in needles {
        assert!(
            message.contains(n),
            "`{n}` is not in the message:\n{message}"
        );
    }
}

/// The tool fails with `code`, one `error:` message on stderr holding every needle.
fn cli_fails(code: i32, args: &[&str], needles: &[&str]) {
    let (got, _, err) = cli(args);
    assert_eq!(got, code, "exit code of {args:?}; stderr:\n{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    says(&err, needles);
}

/// Sets up the API's fit (family, link, options) as the tool's flags do.
type Api = for<'a> fn(GlmBuilder<'a>) -> GlmBuilder<'a>;

/// Fits `formula` on `csv` through the API (set up by `api`) and the tool (with `flags`);
/// both must fail, the tool with `code`, and both messages must hold `needles`. Returns the
/// API's error for the caller to check its category.
fn fit_fails(
    csv: &str,
    formula: &str,
    api: Api,
    flags: &[&str],
    code: i32,
    needles: &[&str],
) -> Error {
    let c = Case::new("fit");
    let (path, df) = c.data(csv);
    let e = api(glm(formula, &df)).fit().unwrap_err();
    says(&e.to_string(), needles);
    let mut args = vec!["fit", "--data", &path, "--formula", formula];
    args.extend_from_slice(flags);
    cli_fails(code, &args, needles);
    e
}

const SAME: Api = |b| b;

macro_rules! kind {
    ($e:expr, $p:pat $(if $guard:expr)?) => {
        assert!(
            matches!(&$e, $p $(if $guard)?),
            "wrong error category or fields: {:?}",
            $e
        )
    };
}

fn formula_kind(e: &Error) -> ErrorKind {
    match e {
        Error::Formula(f) => f.kind(),
        other => panic!("not a formula error: {other:?}"),
    }
}

mod data;
mod domain;
mod fit;
mod formula;
mod model;
mod penalty;
mod predict;
