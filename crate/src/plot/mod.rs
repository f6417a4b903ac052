//! Figures: plotly charts of the diagnostics and of penalized fits (coefficient paths,
//! cross-validation curves), shown inline in notebooks and written into standalone HTML
//! reports. plotly itself is re-exported for charts of your own.

mod charts;
mod figure;
mod penalized;

pub use figure::{page, plotly_js, plotly_js_tags, Figure};
pub use penalized::{CoefficientPath, CvCurve};
pub use plotly;
