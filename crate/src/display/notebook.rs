//! The evcxr display protocol: a value shown as the last expression of a cell prints its
//! representations between `EVCXR_BEGIN_CONTENT mime` and `EVCXR_END_CONTENT` markers.

use crate::diagnostics::{
    Calibration, DoubleLift, Lift, Lorenz, OneWay, PartialEffect, ResidualPlot,
};
use crate::inference::TestResult;
use crate::model::{CvFit, PathFit, PenalizedFit};
use crate::report::{
    cv_html, cv_text, path_html, path_text, penalized_html, penalized_text, FitContext, PathFacts,
    Summary, Table,
};

/// The text evcxr reads from a cell's standard output as rich output: one block per mime type.
///
/// ```
/// let out = rustystats::display::evcxr_payload(&[("text/plain", "hi"), ("text/html", "<b>hi</b>")]);
/// assert_eq!(
///     out,
///     "EVCXR_BEGIN_CONTENT text/plain\nhi\nEVCXR_END_CONTENT\n\
///      EVCXR_BEGIN_CONTENT text/html\n<b>hi</b>\nEVCXR_END_CONTENT\n"
/// );
/// ```
pub fn evcxr_payload(parts: &[(&str, &str)]) -> String {
    let mut s = String::new();
    for (mime, content) in parts {
        s.push_str("EVCXR_BEGIN_CONTENT ");
        s.push_str(mime);
        s.push('\n');
        s.push_str(content);
        if !content.ends_with('\n') {
            s.push('\n');
        }
        s.push_str("EVCXR_END_CONTENT\n");
    }
    s
}

impl Table {
    /// Shows the table in an evcxr notebook (text and HTML).
    pub fn evcxr_display(&self) {
        print!(
            "{}",
            evcxr_payload(&[
                ("text/plain", &self.to_string()),
                ("text/html", &self.to_html())
            ])
        );
    }
}

impl Summary<'_> {
    /// Shows the summary in an evcxr notebook (text and HTML).
    pub fn evcxr_display(&self) {
        print!(
            "{}",
            evcxr_payload(&[
                ("text/plain", &self.to_string()),
                ("text/html", &self.to_html())
            ])
        );
    }
}

impl PenalizedFit {
    /// Shows the summary in an evcxr notebook (text and HTML; no formula, which the fit does
    /// not know: a model from the frame layer shows its own).
    pub fn evcxr_display(&self) {
        let ctx = FitContext::default();
        print!(
            "{}",
            evcxr_payload(&[
                ("text/plain", &penalized_text(self, &ctx)),
                ("text/html", &penalized_html(self, &ctx))
            ])
        );
    }
}

impl PathFit {
    /// Shows the path in an evcxr notebook (text with a subset of the alphas; HTML with all).
    pub fn evcxr_display(&self) {
        let (facts, ctx) = (PathFacts::from(self), FitContext::default());
        print!(
            "{}",
            evcxr_payload(&[
                ("text/plain", &path_text(self, &facts, &ctx)),
                ("text/html", &path_html(self, &facts, &ctx))
            ])
        );
    }
}

impl CvFit {
    /// Shows the cross-validation in an evcxr notebook (text and HTML): the chosen alphas,
    /// the coefficients at both and the cross-validated path.
    pub fn evcxr_display(&self) {
        let (facts, ctx) = (PathFacts::from(&self.path), FitContext::default());
        print!(
            "{}",
            evcxr_payload(&[
                ("text/plain", &cv_text(self, &facts, &ctx)),
                ("text/html", &cv_html(self, &facts, &ctx))
            ])
        );
    }
}

#[cfg(feature = "frame")]
impl crate::frame::PenalizedModel {
    /// Shows the summary in an evcxr notebook, with the formula.
    pub fn evcxr_display(&self) {
        let ctx = self.context();
        print!(
            "{}",
            evcxr_payload(&[
                ("text/plain", &penalized_text(&self.fit, &ctx)),
                ("text/html", &penalized_html(&self.fit, &ctx))
            ])
        );
    }
}

#[cfg(feature = "frame")]
impl crate::frame::PathModel {
    /// Shows the path in an evcxr notebook, with the formula.
    pub fn evcxr_display(&self) {
        let (facts, ctx) = (PathFacts::from(&self.path), self.context());
        print!(
            "{}",
            evcxr_payload(&[
                ("text/plain", &path_text(&self.path, &facts, &ctx)),
                ("text/html", &path_html(&self.path, &facts, &ctx))
            ])
        );
    }
}

#[cfg(feature = "frame")]
impl crate::frame::CvModel {
    /// Shows the cross-validation in an evcxr notebook, with the formula.
    pub fn evcxr_display(&self) {
        let (facts, ctx) = (PathFacts::from(&self.cv.path), self.context());
        print!(
            "{}",
            evcxr_payload(&[
                ("text/plain", &cv_text(&self.cv, &facts, &ctx)),
                ("text/html", &cv_html(&self.cv, &facts, &ctx))
            ])
        );
    }
}

impl TestResult {
    /// Shows the result in an evcxr notebook as one line of text.
    pub fn evcxr_display(&self) {
        print!("{}", evcxr_payload(&[("text/plain", &self.to_string())]));
    }
}

/// Diagnostics show their table (`table()`) in a notebook.
macro_rules! shown_as_table {
    ($($t:ty),*) => {$(
        impl $t {
            /// Shows the table in an evcxr notebook (text and HTML).
            pub fn evcxr_display(&self) {
                self.table().evcxr_display();
            }
        }
    )*};
}

shown_as_table!(
    OneWay,
    Lift,
    DoubleLift,
    Lorenz,
    Calibration,
    ResidualPlot,
    PartialEffect
);

#[cfg(feature = "plot")]
impl crate::plot::Figure {
    /// Shows the figure in an evcxr Jupyter notebook: text, HTML (with plotly.js the first
    /// time in this kernel) and the plotly JSON mime type for front ends with plotly's
    /// renderer.
    pub fn evcxr_display(&self) {
        print!(
            "{}",
            evcxr_payload(&[
                ("text/plain", &self.to_string()),
                ("text/html", &self.notebook_html()),
                ("application/vnd.plotly.v1+json", &self.to_json()),
            ])
        );
    }
}

#[cfg(feature = "frame")]
mod frame_displays {
    use super::evcxr_payload;
    use crate::frame::{GlmModel, Prediction, ResultFrame, SummaryView};

    impl Prediction {
        /// Shows the values (as a `Vec<f64>` shows) and then the warnings in an evcxr notebook.
        pub fn evcxr_display(&self) {
            let mut text = format!("{:?}", self.values);
            for w in &self.warnings {
                text.push_str("\nwarning: ");
                text.push_str(w);
            }
            print!("{}", evcxr_payload(&[("text/plain", &text)]));
        }
    }

    impl ResultFrame {
        /// Shows the table in an evcxr notebook (text and HTML).
        pub fn evcxr_display(&self) {
            self.table(200).evcxr_display();
        }
    }

    impl GlmModel {
        /// Shows the summary in an evcxr notebook (text and HTML): a model as the last
        /// expression of a cell displays itself.
        pub fn evcxr_display(&self) {
            self.summary_view().evcxr_display();
        }
    }

    impl SummaryView<'_> {
        /// Shows the summary in an evcxr notebook.
        pub fn evcxr_display(&self) {
            self.summary().evcxr_display();
        }
    }
}
