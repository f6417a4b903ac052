//! The standalone HTML report: the summary, tables and diagnostic figures of a model in one
//! file that opens offline (plotly.js is embedded once).

use polars::prelude::*;

use crate::diagnostics::ResidualKind;
use crate::error::Result;
use crate::frame::{FactorSpec, GlmModel};
use crate::link::Link;
use crate::plot::{page, Figure};
use crate::report::escape_html;

/// Bins for the lift and calibration charts.
const BINS: usize = 10;
/// Grid points for partial-effect curves.
const GRID: usize = 60;

impl GlmModel {
    /// A standalone HTML report of the model on `df` (the data it was fitted on, or new data
    /// with the response): the summary, relativities (log link), Wald tests by term, and the
    /// diagnostic figures (residuals against fitted values, QQ plot, calibration, lift, Lorenz
    /// curve with the Gini index, a one-way chart per categorical factor and a partial-effect
    /// curve per numeric variable). A figure that cannot be drawn for this model is replaced
    /// by a note saying why; the report itself fails only when the data cannot be used.
    ///
    /// ```
    /// use rustystats::prelude::*;
    ///
    /// let df = df!("y" => [1.0, 0.0, 2.0, 4.0, 3.0, 6.0], "x" => [0.0, 1.0, 2.0, 3.0, 4.0, 5.0])?;
    /// let model = glm("y ~ x", &df).family(Family::Poisson).fit()?;
    /// let html = model.report_html(&df)?;
    /// assert!(html.starts_with("<!DOCTYPE html>") && html.contains("rs-summary"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn report_html(&self, df: &DataFrame) -> Result<String> {
        // The data must be usable: this fails with the column / row at fault.
        self.row_totals(df)?;
        let mut body = format!(
            "<h1>rustystats report</h1>\n<p class=\"rs-lead\">{} rows; formula <code>{}</code></p>\n",
            df.height(),
            escape_html(&self.spec.formula)
        );
        body += &self.summary_html();
        // A section's content, or why it is not shown.
        let mut section = |title: &str, item: std::result::Result<String, String>| {
            body += &format!("<h2>{}</h2>\n", escape_html(title));
            body += &match item {
                Ok(html) => html,
                Err(why) => format!(
                    "<p class=\"rs-missing\">Not shown: {}</p>\n",
                    escape_html(&why)
                ),
            };
        };
        if self.fit.link == Link::Log {
            section(
                "Relativities",
                shown(self.relativities().map(|t| t.to_html())),
            );
        }
        section(
            "Wald tests by term",
            shown(self.term_tests().map(|t| t.to_html())),
        );
        // One residual computation feeds two charts.
        let residuals = shown(self.residual_plot(ResidualKind::Deviance));
        let mut figures: Vec<(String, std::result::Result<Figure, String>)> = vec![
            (
                "Residuals against fitted values".into(),
                residuals.as_ref().map(|r| r.figure()).map_err(Clone::clone),
            ),
            (
                "QQ plot of deviance residuals".into(),
                residuals
                    .as_ref()
                    .map(|r| r.qq_figure())
                    .map_err(Clone::clone),
            ),
            (
                "Calibration".into(),
                shown(self.calibration(df, BINS).map(|c| c.figure())),
            ),
            (
                "Lift".into(),
                shown(self.lift(df, BINS).map(|l| l.figure())),
            ),
            (
                "Lorenz curve and Gini".into(),
                shown(self.gini(df).map(|g| g.figure())),
            ),
        ];
        for (kind, name) in self.report_variables() {
            let fig = match kind {
                Variable::Categorical => self.one_way(df, &name).map(|o| o.figure()),
                Variable::Numeric => self
                    .partial_effect_over(df, &name, GRID)
                    .map(|p| p.figure()),
            };
            let title = match kind {
                Variable::Categorical => format!("Actual vs expected by {name}"),
                Variable::Numeric => format!("Partial effect of {name}"),
            };
            figures.push((title, shown(fig)));
        }
        for (i, (title, fig)) in figures.into_iter().enumerate() {
            section(
                &title,
                fig.map(|f| f.to_html_fragment(&format!("figure-{}", i + 1))),
            );
        }
        Ok(page("rustystats report", &body))
    }

    /// The model's main-effect variables, in formula order: categorical columns for one-way
    /// charts and numeric terms (plain, transformed or splines) for partial effects.
    fn report_variables(&self) -> Vec<(Variable, String)> {
        let mut out: Vec<(Variable, String)> = Vec::new();
        for term in &self.spec.terms {
            let [factor] = term.factors.as_slice() else {
                continue; // interactions have no single-variable chart
            };
            let item = match factor {
                FactorSpec::Categorical { column, .. } => (Variable::Categorical, column.clone()),
                FactorSpec::Numeric { label, .. } | FactorSpec::Spline { label, .. } => {
                    (Variable::Numeric, label.clone())
                }
            };
            if !out.contains(&item) {
                out.push(item);
            }
        }
        out
    }
}

/// A result with its error as the message the report prints.
fn shown<T>(item: Result<T>) -> std::result::Result<T, String> {
    item.map_err(|e| e.to_string())
}

/// What chart a variable gets in the report.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Variable {
    Categorical,
    Numeric,
}

#[cfg(test)]
mod tests {
    use crate::prelude::*;

    fn data() -> DataFrame {
        let n = 200;
        let x: Vec<f64> = (0..n).map(|i| (i % 17) as f64 / 4.0).collect();
        let g: Vec<&str> = (0..n).map(|i| ["a", "b", "c"][i % 3]).collect();
        let y: Vec<f64> = (0..n).map(|i| ((i * 7) % 5) as f64).collect();
        df!("y" => y, "x" => x, "g" => g).unwrap()
    }

    #[test]
    fn report_has_summary_tables_and_one_figure_per_chart() {
        let df = data();
        let m = glm("y ~ C(g) + ns(x, df=3)", &df)
            .family(Family::Poisson)
            .fit()
            .unwrap();
        let html = m.report_html(&df).unwrap();
        assert!(html.contains("rs-summary"));
        assert!(html.contains("Relativities"));
        // residuals, QQ, calibration, lift, Lorenz, one-way by g, partial effect of ns(x)
        assert_eq!(html.matches("class=\"rustystats-figure\"").count(), 7);
        assert!(
            !html.contains("Not shown"),
            "every chart should be drawn here"
        );
    }

    #[test]
    fn report_on_data_without_the_response_is_an_error() {
        let df = data();
        let m = glm("y ~ x", &df).family(Family::Poisson).fit().unwrap();
        let no_y = df.drop("y").unwrap();
        let err = m.report_html(&no_y).unwrap_err();
        assert!(err.to_string().contains('y'), "{err}");
    }
}
